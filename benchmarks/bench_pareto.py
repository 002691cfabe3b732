"""Benchmark the Pareto / 80-20 functions against a plain-pandas reference.

Usage::

    .venv/bin/python benchmarks/bench_pareto.py --rows 10000000 --customers 1000000

For each step it prints retainlib's time, the reference's time, the ratio and the peak memory
(growth of the process's resident memory during the call, sampled every 5 ms, so Arrow string
buffers are counted too). The reference is the obvious pandas code (groupby / sort_values /
cumsum); both are checked to give the same numbers.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_transactions  # noqa: E402

import retainlib as rl  # noqa: E402

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


def measure(func, *args, **kwargs):
    """Return (result, wall seconds, peak extra resident memory in bytes, CPU seconds)."""
    gc.collect()
    base = _rss()
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.005)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    done.set()
    thread.join()
    peak[0] = max(peak[0], _rss())
    return result, seconds, peak[0] - base, cpu


# ----------------------------------------------------------------------------- reference
def ref_customer_value(tx):
    purchase = tx["amount"] > 0
    out = tx.assign(gross=tx["amount"].where(purchase, 0.0),
                    ret=(-tx["amount"]).where(tx["amount"] < 0, 0.0),
                    pdate=tx["date"].where(purchase),
                    porder=tx["order_id"].where(purchase))
    return out.groupby("customer_id").agg(
        revenue=("amount", "sum"), orders=("porder", "nunique"), gross_revenue=("gross", "sum"),
        returns=("ret", "sum"), first_purchase=("pdate", "min"), last_purchase=("pdate", "max"))


def ref_pareto_table(cv):
    ranked = cv[["revenue"]].rename_axis("customer_id").reset_index()
    ranked = ranked.sort_values(["revenue", "customer_id"], ascending=[False, True])
    counted = ranked["revenue"].clip(lower=0)
    ranked["cum_revenue_share"] = counted.cumsum() / counted.sum()
    return ranked.set_index("customer_id")


def ref_gini(cv):
    x = np.sort(cv["revenue"].clip(lower=0).to_numpy())
    n = len(x)
    return 2 * np.sum(np.arange(1, n + 1) * x) / (n * x.sum()) - (n + 1) / n


def ref_abc(cv, t1=0.8, t2=0.95):
    table = ref_pareto_table(cv)
    before = table["cum_revenue_share"].shift(fill_value=0.0)
    return pd.cut(before, [-np.inf, t1 - 1e-9, t2 - 1e-9, np.inf], right=False,
                  labels=["A", "B", "C"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--no-reference", action="store_true", help="time retainlib only")
    args = parser.parse_args()

    tx, secs, _, _ = measure(make_transactions, args.rows, args.customers)
    print(f"data: {args.rows:,} rows, {args.customers:,} customers, generated in {secs:.1f} s "
          f"({tx.memory_usage(deep=True).sum() / 2**20:,.0f} MiB)")
    cv = rl.customer_value(tx)
    steps = [
        ("customer_value(tx)", rl.customer_value, tx, ref_customer_value, tx),
        ("pareto_table(cv)", rl.pareto_table, cv, ref_pareto_table, cv),
        ("pareto_table(tx)", rl.pareto_table, tx, None, None),
        ("gini(cv)", rl.gini, cv, ref_gini, cv),
        ("abc_classes(cv)", rl.abc_classes, cv, ref_abc, cv),
        ("pareto_statements(cv)", rl.pareto_statements, cv, None, None),
    ]
    print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(wall time grows with other processes; CPU time much less)")
    print(f"{'step':24s} {'wall':>8s} {'cpu':>8s} {'ref wall':>9s} {'ref cpu':>8s} {'ratio':>6s} "
          f"{'peak MiB':>9s} {'ref MiB':>8s}")
    worst = 0.0
    for name, func, data, ref, ref_data in steps:
        result, secs, mem, cpu = measure(func, data)
        worst = max(worst, secs)
        line = f"{name:24s} {secs:7.2f}s {cpu:7.2f}s"
        if ref is None or args.no_reference:
            print(f"{line} {'':>9s} {'':>8s} {'':>6s} {mem / 2**20:9.0f}")
            continue
        expected, rsecs, rmem, rcpu = measure(ref, ref_data)
        _check(name, result, expected)
        print(f"{line} {rsecs:8.2f}s {rcpu:7.2f}s {rsecs / secs:5.1f}x "
              f"{mem / 2**20:9.0f} {rmem / 2**20:8.0f}")
    print(f"slowest step: {worst:.2f} s wall (goal: under 10 s)")


def _check(name, result, expected):
    if name.startswith("customer_value"):
        pd.testing.assert_series_equal(result["revenue"], expected["revenue"], check_names=False,
                                       check_index_type=False)
        assert (result["orders"].to_numpy() == expected["orders"].to_numpy()).all()
    elif name.startswith("pareto_table"):
        assert (result.index == expected.index).all()
        assert np.allclose(result["cum_revenue_share"], expected["cum_revenue_share"])
    elif name.startswith("gini"):
        assert np.isclose(result, expected)
    elif name.startswith("abc"):
        assert (result["abc_class"].astype(str).to_numpy()
                == expected.loc[result.index].astype(str).to_numpy()).all()


if __name__ == "__main__":
    main()
