"""Benchmark: cohort table and retention KPIs on synthetic transactions.

Usage::

    python benchmarks/bench_analytics.py --rows 10000000 --customers 1000000

Prints wall time and peak extra resident memory (Linux VmHWM, reset before
each step) for each step, and compares the cohort table with a plain pandas
recipe (speed ratio and exact agreement).
Goal: each under 10 s on 2 cores at 10M rows / 1M customers.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from synthetic import make_transactions  # noqa: E402

import retainlib as rl  # noqa: E402


def _rss_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: reset VmHWM to current RSS
        return True
    except OSError:
        return False


def measure(label, func, *args, **kwargs):
    """Run once; print wall time and peak extra resident memory during the call."""
    gc.collect()
    can_reset = _reset_peak()
    base = _rss_kib("VmRSS")
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    seconds = time.perf_counter() - t0
    peak = _rss_kib("VmHWM")
    mem = (f"peak +{(peak - base) / 1024:7.0f} MiB over {base / 1024:.0f} MiB RSS"
           if can_reset and peak and base else "peak n/a")
    status = "OK  " if seconds < 10 else "SLOW"
    print(f"{status} {label:<46} {seconds:7.2f} s   {mem}", flush=True)
    return out, seconds


def reference_cohort_counts(tx):
    """Plain pandas recipe (month numbers, groupby min, nunique) on purchase lines."""
    month = tx["date"].dt.year * 12 + tx["date"].dt.month - 1
    first = month.groupby(tx["customer_id"]).transform("min")
    return (
        pd.DataFrame({"cohort": first, "age": month - first, "c": tx["customer_id"]})
        .groupby(["cohort", "age"])["c"].nunique().unstack()
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    tx = make_transactions(args.rows, args.customers, seed=args.seed)
    print(f"{args.rows:,} rows, {args.customers:,} customers generated in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)
    no_orders = tx.drop(columns="order_id")
    # side by side with a plain pandas recipe, on purchase lines only (the recipe has no
    # return handling); the two tables must agree exactly
    purchases = no_orders[no_orders["amount"] >= 0]
    ours, t_ours = measure("cohort_table M customers (purchase lines)", rl.cohort_table,
                           purchases, normalize=False)
    ref, t_ref = measure("  reference pandas groupby/nunique recipe", reference_cohort_counts,
                         purchases)
    same = np.allclose(ours.drop(columns="size").to_numpy(dtype=float),
                       ref.to_numpy(dtype=float), equal_nan=True)
    print(f"     tables agree: {same}; speed-up over the recipe: {t_ref / t_ours:.1f}x")
    measure("cohort_table M customers (with returns)", rl.cohort_table, no_orders)
    measure("cohort_table M revenue", rl.cohort_table, no_orders, value="revenue")
    measure("cohort_table M orders (distinct order_id)", rl.cohort_table, tx, value="orders")
    measure("cohort_table W on_or_after by=region", rl.cohort_table, no_orders, period="W",
            mode="on_or_after", by="region")
    measure("retention_kpis M (no order_id)", rl.retention_kpis, no_orders)
    measure("retention_kpis M (distinct order_id)", rl.retention_kpis, tx)
    measure("retention_kpis W by=region (distinct order_id)", rl.retention_kpis, tx,
            period="W", by="region")

if __name__ == "__main__":
    main()
