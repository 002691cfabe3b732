"""Benchmark: retainlib.read_transactions against pandas' raw pyarrow CSV read.

Generates (once, cached in benchmarks/_data/, git-ignored) a CSV of canonical
transactions from benchmarks/synthetic.py, then times in one run, each
measurement in a fresh subprocess so peak memory (ru_maxrss) is its own, the
two sides taking turns (best of ``--repeat`` runs each):

* reference: ``pd.read_csv(path, engine="pyarrow")`` (raw read, no validation);
* retainlib: ``read_transactions(path)`` (read the file, clean the ids, parse
  dates and amounts, reject and account for bad rows with their lines and
  reasons, count exact duplicates, build the load report).

Two styles of file: ``iso`` (ISO dates, plain numbers: pyarrow converts them
while reading) and ``il`` (an Israeli export: dd/mm/yyyy dates, ``₪1,234.50``
amounts with returns as ``(₪45.00)``: read as text and parsed by retainlib's
own rules, each distinct text once).

Usage::

    .venv/bin/python benchmarks/bench_loader.py --rows 1000000
    .venv/bin/python benchmarks/bench_loader.py            # 10 million rows
    .venv/bin/python benchmarks/bench_loader.py --style il # dd/mm/yyyy dates, ₪1,234.50 amounts

Goal: the loader within 2x of the raw read.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"


def make_csv(rows: int, style: str) -> Path:
    path = DATA / f"tx_{rows}_{style}.csv"
    if path.exists():
        return path
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    sys.path.insert(0, str(HERE))
    from synthetic import make_transactions

    tx = make_transactions(rows, max(rows // 10, 1))
    DATA.mkdir(exist_ok=True)
    dates = pa.array(tx["date"].to_numpy())
    amount = tx["amount"].to_numpy()
    if style == "iso":
        date_text = pc.strftime(dates, format="%Y-%m-%d")
        amount_text = pa.array(amount)
    else:  # Israeli export: day-first dates, shekel amounts with thousands separators
        date_text = pc.strftime(dates, format="%d/%m/%Y")
        cents = np.round(np.abs(amount) * 100).astype(np.int64)
        whole = pa.array((cents // 100).astype(str))
        frac = pa.array(np.char.zfill((cents % 100).astype(str), 2))
        text = pc.binary_join_element_wise(whole, frac, ".")
        neg = pa.array(amount < 0)
        amount_text = pc.if_else(
            neg,
            pc.binary_join_element_wise("(₪", text, ")", ""),
            pc.binary_join_element_wise("₪", text, ""),
        )
    table = pa.table(
        {
            "customer_id": pa.array(tx["customer_id"].to_numpy(dtype=object)),
            "date": date_text,
            "amount": amount_text,
            "order_id": pa.array(tx["order_id"].to_numpy(dtype=object)),
            "region": pa.array(tx["region"].astype(str).to_numpy(dtype=object)),
        }
    )
    tmp = path.with_suffix(".tmp")
    pacsv.write_csv(table, tmp, write_options=pacsv.WriteOptions(quoting_style="needed"))
    tmp.rename(path)
    return path


def child(kind: str, path: str, dayfirst: bool) -> None:
    """Run one measurement and print JSON (seconds, peak RSS in MB, rows)."""
    import pandas as pd

    from retainlib.load.transactions import read_transactions

    start = time.perf_counter()
    if kind == "reference":
        df = pd.read_csv(path, engine="pyarrow")
        rows = len(df)
    else:
        tx, report = read_transactions(path, dayfirst=dayfirst)
        rows = report.rows_kept
        assert report.rows_read == report.rows_kept + report.rows_rejected
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": rows}))


def run_once(kind: str, path: Path, dayfirst: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, str(path)]
    if dayfirst:
        cmd.append("--dayfirst")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(path: Path, repeat: int, dayfirst: bool) -> tuple[dict, dict]:
    """Best of ``repeat`` runs of each side, the two sides taking turns.

    On a shared machine the speed drifts over a minute; alternating keeps the
    two sides under the same conditions.
    """
    best: dict[str, dict] = {}
    for _ in range(repeat):
        for kind in ("reference", "retainlib"):
            result = run_once(kind, path, dayfirst)
            if kind not in best or result["seconds"] < best[kind]["seconds"]:
                best[kind] = result
    return best["reference"], best["retainlib"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--style", choices=["iso", "il"], default="iso")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; best time is kept")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--dayfirst", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.dayfirst)
        return
    if args.make:
        make_csv(args.rows, args.style)
        return
    path = DATA / f"tx_{args.rows}_{args.style}.csv"
    if not path.exists():  # made in a child process: a forked child inherits the parent's peak RSS
        subprocess.run([sys.executable, __file__, "--make", "--rows", str(args.rows), "--style",
                        args.style], check=True)
    size_mb = path.stat().st_size / 2**20
    dayfirst = args.style == "il"
    ref, ours = measure(path, args.repeat, dayfirst)
    print(f"file: {path.name} ({args.rows:,} rows, {size_mb:,.0f} MB, style {args.style})")
    print(f"{'':34}{'seconds':>10}{'peak MB':>10}")
    print(f"{'pd.read_csv(engine=pyarrow)':34}{ref['seconds']:>10.2f}{ref['peak_mb']:>10.0f}")
    print(f"{'retainlib.read_transactions':34}{ours['seconds']:>10.2f}{ours['peak_mb']:>10.0f}")
    print(f"ratio (retainlib / raw read): {ours['seconds'] / ref['seconds']:.2f}x  (goal <= 2x)")
    print(f"rows kept by retainlib: {ours['rows']:,} of {ref['rows']:,}")


if __name__ == "__main__":
    main()
