"""Engines: a large Parquet export through ``retain report`` with duckdb vs pandas.

Usage::

    python benchmarks/bench_engines.py                         # 3M rows, 300k customers
    python benchmarks/bench_engines.py --rows 30000000 --customers 3000000  # the issue's size
    python benchmarks/bench_engines.py --rows 5000000 --reduction-only      # part 2 only
    python benchmarks/bench_engines.py --skip-pandas           # the duckdb figures only

The default size keeps ``make bench`` (benchmarks/run_all.py) within minutes;
``--customers`` defaults to a tenth of ``--rows``. The figures in the README
are the 30M-row run.

Part 1 renders the same file with ``engine: duckdb`` and ``engine: pandas``
(``retain report --max-segments 0``, each in a fresh process): wall time and
peak memory of the whole run (the report process and its notebook kernel, the
largest one counted). Goal: duckdb under 6 GB peak and several times less
memory than pandas.

Part 2 times the reduction step alone (:func:`retainlib.load.engines.reduce_client`,
row checks and accounting included) against two hand-written DuckDB versions:
the same work (the row rules, the rows per reason, the exact duplicates and
the purchase lines, checked to give the same numbers) and a bare grouping into
purchase lines without any check. Goal: within 1.3x of the hand-written query.

The file (written once into benchmarks/_data/) has line items of a retailer:
orders of 1 to 5 lines over three years, 5% of the lines returns, one region
per customer, and a few hundred rejected rows (blank ids, bad dates).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"


def write_sales(path: Path, rows: int, customers: int, seed: int = 0) -> None:
    """Line items as Parquet, written in row groups of 2M lines (never all in memory)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01")
    regions = np.array(["North", "South", "Center", "Jerusalem"])
    schema = pa.schema([("customer_id", pa.string()), ("date", pa.date32()),
                        ("amount", pa.float64()), ("order_id", pa.string()),
                        ("region", pa.string())])
    written, order = 0, 0
    with pq.ParquetWriter(path, schema) as w:
        while written < rows:
            n = min(2_000_000, rows - written)
            n_orders = max(n // 3, 1)
            lines = rng.integers(1, 6, n_orders)  # 1-5 lines, 3 on average
            lines = lines[: max(np.searchsorted(np.cumsum(lines), n, side="right"), 1)]
            lines[-1] += n - int(lines.sum())  # exactly n lines (the last order takes the rest)
            n = int(lines.sum())
            # skewed: the first ids buy a few hundred times, most customers a few times
            cust = (customers * rng.random(len(lines)) ** 1.5).astype(np.int64)
            cust = np.repeat(cust, lines)
            day = np.repeat(rng.integers(0, 3 * 365, len(lines)), lines)
            amount = np.round(rng.gamma(2.0, 60.0, n), 2)
            amount[rng.random(n) < 0.05] *= -1
            oid = np.repeat(np.arange(order, order + len(lines)), lines)
            ids = np.char.add("C", cust.astype("U9")).astype(object)
            if written == 0:  # rows the loader and the engine reject
                ids[:200] = ""
                ids[200:300] = "N/A"
            dates = pa.array((start + day).astype("datetime64[D]"), pa.date32())
            w.write_table(pa.table({
                "customer_id": pa.array(ids, pa.string()), "date": dates,
                "amount": pa.array(amount), "order_id": pa.array(np.char.add(
                    "O", oid.astype("U10")).astype(object), pa.string()),
                "region": pa.array(regions[cust % 4].astype(object), pa.string()),
            }, schema=schema))
            written += n
            order += len(lines)


def config(folder: Path, data: Path, engine: str) -> Path:
    path = folder / f"client-{engine}.yaml"
    values = {"client": f"Bench {engine}", "data": str(data), "segments": ["region"],
              "engine": engine, "observation_end": "2025-12-31", "timeout": 7200,
              "duckdb": {"memory_limit": "4GB", "temp_directory": str(folder / "spill")}}
    if engine == "pandas":
        del values["duckdb"]
    path.write_text(yaml.safe_dump(values), encoding="utf-8")
    return path


_RUN = ("import resource, subprocess, sys, time; cap = int(sys.argv[1]) << 30; "
        "resource.setrlimit(resource.RLIMIT_AS, (cap, cap)) if cap else None; "
        "t = time.perf_counter(); code = subprocess.call(sys.argv[2:]); "
        "s = time.perf_counter() - t; "
        "print(code, s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def report(cfg: Path, out: Path, cap_gb: int) -> tuple[int, float, float]:
    """``retain report`` in a fresh process: exit code, seconds, peak MiB of its processes.

    ``cap_gb`` limits each process's address space (0: no limit), so a run that
    would need more memory fails instead of pushing the machine into swap.
    """
    retain = Path(sys.executable).with_name("retain")
    line = subprocess.run([sys.executable, "-c", _RUN, str(cap_gb), str(retain), "report",
                           str(cfg), "--out", str(out), "--max-segments", "0"],
                          capture_output=True, text=True, check=True).stdout.split()
    return int(line[-3]), float(line[-2]), int(line[-1]) / 1024


def hand_written(data: Path) -> float:
    """The reduction as one DuckDB query, no row checks: seconds."""
    con = duckdb.connect(config={"memory_limit": "4GB"})
    t = time.perf_counter()
    con.sql(f"""SELECT customer_id, "date", order_id, region, SUM(amount) AS amount
        FROM read_parquet('{data}')
        WHERE customer_id IS NOT NULL AND customer_id NOT IN ('', 'N/A')
          AND "date" <= DATE '2025-12-31'
        GROUP BY customer_id, "date", order_id, region, SIGN(amount)
        ORDER BY customer_id, "date", order_id, amount""").to_arrow_table()
    seconds = time.perf_counter() - t
    con.close()
    return seconds


#: a total row's label in the customer id: Total, Grand total, Sum, סה"כ, סך הכל
TOTAL = ("^((grand|sub)[ -]*)?totals?[ ]*:?$|^sum[ ]*:?$"
         "|^(סה[\"״׳]?כ|סך[ -]*ה?כו?ל)([ ]+כללי)?[ ]*:?$")


def hand_written_checked(data: Path) -> tuple[float, dict]:
    """The same work by hand, as a DuckDB user would write it: seconds and what it found.

    The loader's row rules on this file's columns (trimmed ids, placeholders and
    total labels, dates stored as dates, amounts as doubles), the rows per
    reason, the exact duplicates among the kept rows and the purchase lines;
    three plain queries over a view, none of retainlib's code.
    """
    from retainlib.load.parsing import ID_PLACEHOLDERS  # the list of words, not the rules

    words = ", ".join("'" + w.lower().replace("'", "''") + "'" for w in sorted(ID_PLACEHOLDERS))
    tomorrow = np.datetime64("today") + np.timedelta64(1, "D")
    con = duckdb.connect(config={"memory_limit": "4GB"})
    t = time.perf_counter()
    con.execute(f"""CREATE VIEW checked AS SELECT *,
        CASE WHEN regexp_matches(lower(trim(customer_id)), '{TOTAL}') THEN 'total row'
             WHEN nullif(trim(customer_id), '') IS NULL OR lower(trim(customer_id)) IN ({words})
                  THEN 'blank customer id'
             WHEN "date" IS NULL THEN 'blank date'
             WHEN "date" < DATE '1678-01-01' OR "date" >= DATE '2262-01-01'
                  THEN 'date out of range'
             WHEN "date" >= DATE '{tomorrow}' THEN 'date in the future'
             WHEN amount IS NULL OR isnan(amount) THEN 'blank amount'
             WHEN NOT (abs(amount) < 1e308) THEN 'non-numeric amount'
             WHEN abs(amount) > 1e12 THEN 'amount out of range'
        END AS reason
        FROM read_parquet('{data}')""")
    reasons = dict(con.sql("SELECT reason, COUNT(*) FROM checked GROUP BY reason").fetchall())
    kept = reasons.pop(None, 0)
    distinct = con.sql("SELECT COUNT(*) FROM (SELECT DISTINCT customer_id, \"date\", amount, "
                       "order_id, region FROM checked WHERE reason IS NULL)").fetchall()[0][0]
    lines = con.sql("""SELECT trim(customer_id) AS customer_id, "date",
               nullif(trim(order_id), '') AS order_id, nullif(trim(region), '') AS region,
               SUM(amount) AS amount
        FROM checked WHERE reason IS NULL AND "date" <= DATE '2025-12-31'
        GROUP BY 1, 2, 3, 4, SIGN(amount)
        ORDER BY customer_id, "date", order_id, amount""").to_arrow_table()
    seconds = time.perf_counter() - t
    con.close()
    return seconds, {"kept": kept, "rejected": reasons, "duplicates": kept - distinct,
                     "lines": lines.num_rows}


def reduction(cfg_path: Path) -> tuple[float, int, int]:
    from retainlib.config.client import load_config
    from retainlib.load.engines import reduce_client

    cfg = load_config(cfg_path)
    t = time.perf_counter()
    r = reduce_client(cfg)
    seconds = time.perf_counter() - t
    found = {"kept": r.load.rows_kept, "rejected": r.load.rejected_counts(),
             "duplicates": r.load.duplicates, "lines": len(r.tx)}
    return seconds, r.load.rows_read, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000,
                        help="line items in the file (default 3M; the issue's size is 30M)")
    parser.add_argument("--customers", type=int, default=None,
                        help="about how many customers (default: a tenth of --rows)")
    parser.add_argument("--skip-pandas", action="store_true", help="only the duckdb engine")
    parser.add_argument("--reduction-only", action="store_true",
                        help="only part 2: the reduction step against the hand-written query")
    parser.add_argument("--memory-cap", type=int, default=16, metavar="GB",
                        help="address-space limit of each report process (0: none; default 16)")
    args = parser.parse_args()
    if args.customers is None:
        args.customers = max(args.rows // 10, 1)
    DATA.mkdir(exist_ok=True)
    data = DATA / f"sales_{args.rows}_{args.customers}.parquet"
    if not data.is_file():
        t = time.perf_counter()
        write_sales(data, args.rows, args.customers)
        print(f"wrote {data.name} in {time.perf_counter() - t:.0f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as tmp:
        tmp = Path(tmp)
        print(f"{args.rows:,} rows, about {args.customers:,} customers "
              f"({data.stat().st_size / 2**20:,.0f} MiB Parquet)", flush=True)

        print("\nPart 2: the reduction step (row checks, accounting, purchase lines)")
        hands = [hand_written(data) for _ in range(2)]
        checks = [hand_written_checked(data) for _ in range(2)]
        reductions = [reduction(config(tmp, data, "duckdb")) for _ in range(2)]
        hand, (checked, theirs) = min(hands), min(checks, key=lambda c: c[0])
        ours, read, found = min(reductions, key=lambda r: r[0])

        def runs(times):
            return ", ".join(f"{x:.1f}" for x in times)

        print(f"  hand-written, grouping only    {hand:8.1f} s   (runs: {runs(hands)})")
        print(f"  hand-written, same checks      {checked:8.1f} s   (runs: "
              f"{runs(c[0] for c in checks)})")
        print(f"  reduce_client (duckdb)         {ours:8.1f} s   (runs: "
              f"{runs(r[0] for r in reductions)})")
        print(f"  {read:,} rows -> {found['lines']:,} purchase lines; the same rows, reasons, "
              f"duplicates and lines as the hand-written checks: "
              f"{'yes' if found == theirs else f'NO: {found} vs {theirs}'}")
        print(f"  ratio to the same checks by hand {ours / checked:.2f} (goal <= 1.3); "
              f"to the grouping alone {ours / hand:.2f}", flush=True)
        if args.reduction_only:
            return 0

        print("\nPart 1: retain report --max-segments 0")
        runs = {}
        for engine in ("duckdb",) + (() if args.skip_pandas else ("pandas",)):
            code, seconds, peak = report(config(tmp, data, engine), tmp / f"out-{engine}",
                                         args.memory_cap)
            runs[engine] = (seconds, peak)
            print(f"  engine {engine:<7} exit {code}  {seconds:8.0f} s  peak {peak:8,.0f} MiB",
                  flush=True)
        if "pandas" in runs:
            (ds, dm), (ps, pm) = runs["duckdb"], runs["pandas"]
            print(f"  pandas / duckdb: time {ps / ds:.2f}x, peak memory {pm / dm:.2f}x "
                  f"(goal: duckdb peak under 6 GB, several times less than pandas)")
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
