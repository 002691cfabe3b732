"""Engines for clients that outgrow one machine: the line items reduced by DuckDB or Spark.

``engine: pandas`` (the default) reads any export with the forgiving loader
(:func:`retainlib.read_transactions`) and hands every line to the analytics.
``engine: duckdb`` and ``engine: spark`` read Parquet (a file, a folder, a
glob), CSV with the canonical or mapped column names and plain values (ISO
dates, '.' decimals), and for Spark a table (``data: spark:db.sales``); they
apply the loader's row rules in the engine (:mod:`._sql`) and return only the
**purchase lines**: the lines merged per customer, day, order, segment values
and sign of the amount. The analytics then run unchanged on them: every figure
they take from line items is a sum over such groups (see
:func:`._sql.purchase_lines`), so the report's numbers are the pandas engine's.

What the engines do not do that the loader does: headers and ids are matched
and trimmed but hidden characters are not removed; dates must be ISO
(``2024-01-31``, optionally with a time) or stored as dates, amounts plain
numbers; a total row is recognised by its label in the customer id, not by
its sum; the rejected rows file holds :data:`SAMPLE_ROWS` of the rejected
rows (without line numbers, in the engine's order) while the counts are
complete; lines without an order id on one customer-day are one order (as in
the cohort tables).

Examples
--------
>>> ENGINES
('pandas', 'duckdb', 'spark')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from retainlib.config.client import ENGINES
from retainlib.errors import DataError
from retainlib.load.engines import _facts, _sql
from retainlib.load.engines._store import PurchaseLines, work_folder
from retainlib.load.parsing import TEXT
from retainlib.load.transactions import (
    _MAPPING_HINT,
    LoadReport,
    RawTable,
    _wanted,
    map_columns,
    read_client,
)

__all__ = ["ENGINES", "SAMPLE_ROWS", "EngineLoadReport", "Facts", "PurchaseLines", "Reduced",
           "read_lines", "reduce_client"]

#: rejected rows kept as examples in the load report (the counts cover all of them)
SAMPLE_ROWS = 1000


@dataclass
class EngineLoadReport(LoadReport):
    """A :class:`LoadReport` whose counts come from the engine and ``rejected`` is a sample.

    ``reason_counts`` holds every rejected row's reason; ``rejected``
    :data:`SAMPLE_ROWS` of them (all when there are fewer); ``customer_count``
    the distinct customers.
    """

    reason_counts: dict = field(default_factory=dict)
    customer_count: int = 0

    @property
    def customers(self) -> int:
        """Distinct customers among the kept rows (counted by the engine)."""
        return self.customer_count

    def rejected_counts(self) -> dict[str, int]:
        """Rejected rows per reason, most frequent first (all rows, not the sample)."""
        return dict(sorted(self.reason_counts.items(), key=lambda kv: -kv[1]))


@dataclass
class Facts:
    """The reduced tables an engine computed (:mod:`._facts`), as pandas frames.

    Attributes
    ----------
    customers : pandas.DataFrame
        Indexed by ``customer_id`` (sorted): ``revenue``, ``orders``,
        ``gross_revenue``, ``returns``, ``first_purchase``, ``last_purchase``
        (:func:`retainlib.analytics.pareto.customer_value`), one column per
        segment (the most frequent value), and the purchase-day summary:
        ``purchase_days``, ``first_day``, ``last_day`` (day numbers),
        ``purchase_total``, ``first_net`` (NaN without a purchase day).
    return_days : tuple of (int, float)
        Days with a negative net amount: how many, and their net amount.
    cells : pandas.DataFrame
        Per customer and ``period`` with a line: ``customer`` (position in
        ``customers``), ``ordinal``, ``revenue``, ``orders``.
    period, week_start : str
        The periods of ``cells`` (the config's).
    first_date, last_date : pandas.Timestamp
        The first and last day with a line up to the end.
    calibration_end : pandas.Timestamp
        The holdout check's calibration end (the config's rule).
    holdout : pandas.DataFrame
        Indexed by ``customer_id``: the purchase-day summary up to
        ``calibration_end`` (as in ``customers``) and ``holdout_days``,
        ``holdout_total`` after it; customers with a purchase day by then.
    holdout_returns : dict
        Return days up to ``calibration_end`` (``n``, ``amount``: their net
        amount), and after it of the customers in ``holdout`` (``holdout_n``,
        ``holdout_amount``); the customers with only return days up to it
        (``without_purchase``).
    repeat_days : pandas.DataFrame
        ``day_number``, ``n``: repeat purchase days per day of the customers
        first seen by ``calibration_end``.
    years : pandas.DataFrame
        ``year`` (first calendar year of a fiscal year starting in the
        config's ``fiscal_year_start``), ``revenue``, ``customers``.
    """

    customers: pd.DataFrame
    return_days: tuple[int, float]
    cells: pd.DataFrame
    period: str
    week_start: str
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    calibration_end: pd.Timestamp
    holdout: pd.DataFrame
    holdout_returns: dict
    repeat_days: pd.DataFrame
    years: pd.DataFrame


@dataclass
class Reduced:
    """What an engine returns: the reduced tables, the purchase lines on disk, the accounting.

    Attributes
    ----------
    facts : Facts
        The per-customer, per-period and per-year tables the analysis uses.
    lines : PurchaseLines
        The purchase lines up to ``observation_end`` (``customer_id``,
        ``date``, ``order_id``, the segment columns, ``amount``: the sum of
        the merged lines), read back by customer (:meth:`PurchaseLines.of`).
    load : EngineLoadReport
        Rows read, kept, rejected by reason (with a sample), duplicates.
    observation_end : pandas.Timestamp
        The config's ``observation_end``, else the last kept date.
    rows_after_end : int
        Kept rows dated after ``observation_end`` (not in ``lines``).
    """

    facts: Facts
    lines: PurchaseLines
    load: EngineLoadReport
    observation_end: pd.Timestamp
    rows_after_end: int

    @property
    def tx(self) -> pd.DataFrame:
        """Every purchase line in memory (:meth:`PurchaseLines.all`)."""
        return self.lines.all()


def read_lines(cfg) -> tuple[pd.DataFrame, LoadReport, int]:
    """The client's transactions as its config's ``engine`` reads them, all in memory.

    Returns
    -------
    transactions : pandas.DataFrame
        Every kept line (pandas), or the purchase lines (duckdb, spark) up to
        ``observation_end``.
    report : LoadReport
    rows_after_end : int
        Kept rows after the config's ``observation_end`` left out by the
        engine (0 for pandas, which returns them).
    """
    if cfg.engine == "pandas":
        return (*read_client(cfg), 0)
    r = reduce_client(cfg)
    return r.tx, r.load, r.rows_after_end


def _runner(cfg, session=None):
    if cfg.engine == "duckdb":
        from retainlib.load.engines._duckdb import DuckDBRunner

        return DuckDBRunner(cfg.data, cfg.duckdb)
    if cfg.engine == "spark":
        from retainlib.load.engines._spark import SparkRunner

        return SparkRunner(cfg.data, cfg.spark, session=session)
    raise DataError(f"engine {cfg.engine!r} does not reduce in SQL; the engines are "
                    f"{', '.join(ENGINES[1:])}")


def _found(cfg, runner) -> tuple[dict, dict]:
    """Canonical name -> source column and segment -> source column, as the loader matches them."""
    wanted, optional, segs = _wanted(cfg.columns, cfg.segments)
    probe = RawTable(pd.DataFrame(columns=runner.columns), np.zeros(0, np.int64), runner.name)
    hint = None if cfg.columns is not None else _MAPPING_HINT
    found = map_columns(probe, {**wanted, **segs}, optional=optional, hint=hint)
    return ({k: found[k] for k in wanted if k in found}, {k: found[k] for k in segs})


def reduce_client(cfg, *, session=None, today: dt.date | None = None,
                  near: str | Path | None = None) -> Reduced:
    """Reduce a client's line items with its config's engine (duckdb or spark).

    Parameters
    ----------
    cfg : ClientConfig
        With ``engine`` 'duckdb' or 'spark'; ``data`` a Parquet file, folder or
        glob, a CSV file, or (spark) ``'spark:db.table'``.
    session : SparkSession, optional
        The Spark session to use (default: see :mod:`._spark`).
    today : datetime.date, optional
        The day after which a date is in the future (default: today).
    near : path, optional
        A file the caller removes later (the report's analysis cache): the
        purchase lines go into the folder ``<near>.lines`` beside it, which
        the caller removes too. Default: a temporary folder removed with the
        returned lines.

    Returns
    -------
    Reduced

    Raises
    ------
    DataError
        Unreadable source, a column not found, or no usable row.
    """
    runner = _runner(cfg, session)
    try:
        return _reduce(cfg, runner, today or dt.date.today(), near)
    finally:
        runner.close()


def _reduce(cfg, runner, today: dt.date, near) -> Reduced:
    found, segs = _found(cfg, runner)
    drop = cfg.read.get("duplicates", "keep") == "drop"
    run = _in(runner)
    rules = {"numeric_amount": runner.numeric[found["amount"]], "today": today.isoformat(),
             "text_date": runner.text[found["date"]], "source_columns": runner.columns,
             "floats": runner.floats, "extra_columns": runner.extra_columns}
    runner.local_times(found["date"])  # a zoned timestamp: its own clock time, as for pandas
    runner.execute(run(_sql.rows(found, segs, **rules)))
    if drop:
        runner.execute(run(_sql.kept_once()))
    folder, owned = work_folder(near)
    store = folder / "lines.parquet"
    runner.store(run(_sql.reduction(list(segs), found, "rl_once" if drop else "rl_rows")), store)
    runner.view_of("rl_groups", store)
    counts = {row["reason"]: int(row["n"])
              for row in runner.query(run(_sql.reason_counts())).to_pylist()}
    blank_lines = counts.pop(_sql.BLANK_LINE, 0)  # not rows, as for the loader
    dups = _duplicates(runner, run, _sql.rows(found, segs, **rules, name="rl_candidates",
                                              source=_sql.candidate_source(runner.columns)))
    if drop and dups:
        counts["duplicate row"] = dups
    totals = runner.query(run(_sql.totals())).to_pylist()[0]
    kept = int(totals["kept"] or 0)
    report = EngineLoadReport(
        source=runner.name, rows_read=kept + sum(counts.values()), rows_kept=kept,
        rows_rejected=sum(counts.values()), duplicates=dups, encoding=None,
        rejected=_sample(runner.query(run(_sql.rejected_sample(found, SAMPLE_ROWS))), found),
        duplicates_dropped=drop, blank_lines=blank_lines, columns=found, reason_counts=counts)
    if not report.rows_kept:
        _no_rows(report)
    report.first_date = pd.Timestamp(totals["first_ts"])
    report.last_date = pd.Timestamp(totals["last_ts"])
    report.revenue = float(totals["revenue"] or 0.0)
    report.returns = int(totals["returns"] or 0)
    report.customer_count = int(totals["customers"])
    end = None if cfg.observation_end is None else pd.Timestamp(cfg.observation_end).date()
    last = end or report.last_date.date()
    runner.execute(run(_facts.lines("rl_groups", last.isoformat())))
    runner.execute(run(_facts.days()))
    span = runner.query(run(_facts.span())).to_pylist()[0]  # the lines up to the end
    facts = _facts_of(cfg, runner, run, list(segs), "order_id" in found, pd.Timestamp(last),
                      pd.Timestamp(span["first"]), pd.Timestamp(span["last"]))
    lines = PurchaseLines(store, list(segs), last, "order_id" in found, owned)
    return Reduced(facts, lines, report, pd.Timestamp(last), kept - int(span["rows"] or 0))


def _facts_of(cfg, runner, run, segments: list[str], has_orders: bool, end: pd.Timestamp,
              first: pd.Timestamp, last: pd.Timestamp) -> Facts:
    """The reduced tables of ``rl_lines`` (:mod:`._facts`) for the config's periods.

    ``first`` and ``last`` are the first and last days of the lines, ``end``
    the observation end.
    """
    customers = runner.query(run(_facts.customers(segments, has_orders)))
    ids = customers.column("customer_id")
    frame = _by_customer(customers)
    for c in ("first_purchase", "last_purchase"):
        frame[c] = frame[c].astype("datetime64[ns]")
    for c in segments:
        frame[c] = frame[c].astype(TEXT)
    cells = runner.query(run(_facts.cells(cfg.period, cfg.first_weekday, has_orders)))
    cell_frame = pd.DataFrame({
        "customer": pc.index_in(cells.column("customer_id"), value_set=ids).to_numpy(),
        "ordinal": cells.column("ordinal").to_numpy().astype("int64"),
        "revenue": cells.column("revenue").to_numpy().astype("float64"),
        "orders": cells.column("orders").to_numpy().astype("int64")})
    del cells
    cal_end = cfg.clv.calibration_end_for(first, end)
    cal_day = int((cal_end.normalize() - pd.Timestamp("1970-01-01")).days)
    hold_frame = _by_customer(runner.query(run(_facts.holdout(cal_day))))
    return Facts(
        customers=frame, return_days=_pair(runner.query(run(_facts.return_days()))),
        cells=cell_frame, period=cfg.period, week_start=cfg.first_weekday, first_date=first,
        last_date=last, calibration_end=cal_end, holdout=hold_frame,
        holdout_returns={k: v or 0 for k, v in runner.query(run(
            _facts.holdout_returns(cal_day))).to_pylist()[0].items()},
        repeat_days=runner.query(run(_facts.repeat_days(cal_day))).to_pandas(),
        years=runner.query(run(_facts.years(cfg.fiscal_year_start))).to_pandas())


def _by_customer(table: pa.Table) -> pd.DataFrame:
    """An engine's per-customer table as a frame indexed by ``customer_id`` (its order kept)."""
    frame = table.drop_columns(["customer_id"]).to_pandas(date_as_object=False)
    frame.index = pd.Index(table.column("customer_id").to_pandas().astype(TEXT),
                           name="customer_id")
    return frame


def _pair(table: pa.Table) -> tuple[int, float]:
    """The (n, amount) row of a count query (0, 0.0 for no rows)."""
    row = table.to_pylist()[0]
    return int(row["n"] or 0), float(row["amount"] or 0.0)


def _duplicates(runner, run, candidates: str) -> int:
    """Exact duplicates among the kept rows: rows with a repeated hash, compared in full."""
    runner.execute(run(_sql.duplicate_hashes(runner.columns)))
    shared = runner.query(run("SELECT COUNT(*) AS n FROM rl_duplicate_hashes"))
    if not shared.column("n")[0].as_py():
        return 0  # no two source rows share a hash: no duplicates
    runner.execute(run(candidates))
    row = runner.query(run(_sql.duplicates(runner.columns))).to_pylist()[0]
    return int(row["candidates"] or 0) - int(row["n"] or 0)


def _in(runner):
    def run(sql: str) -> str:
        return _sql.in_dialect(sql, runner.dialect)
    return run


def _sample(groups: pa.Table, found: dict) -> pd.DataFrame:
    """:data:`SAMPLE_ROWS` of the rejected rows in the load report's layout (line: NA).

    ``groups`` holds the rejected rows grouped by reason and cells, with their
    number of ``rows``: each group stands for that many rows. Blank lines
    are not rows.
    """
    groups = groups.filter(pc.not_equal(groups.column("reason"), _sql.BLANK_LINE))
    n = groups.column("rows").to_numpy()
    take = np.minimum(n, np.maximum(SAMPLE_ROWS - np.concatenate([[0], np.cumsum(n)[:-1]]), 0))
    rows = np.repeat(np.arange(len(n)), take)
    out = pd.DataFrame({"line": pd.array([pd.NA] * len(rows), dtype="Int64"),
                        "reason": pd.Series(groups.column("reason").to_numpy(
                            zero_copy_only=False)[rows], dtype=TEXT)})
    for name in found:
        cells = groups.column(f"_rl_cell_{name}").to_numpy(zero_copy_only=False)
        out[name] = pd.Series(cells[rows], dtype=TEXT)
    return out


def _no_rows(report: LoadReport) -> None:
    if not report.rows_read:
        raise DataError(f"{report.source} has no data rows; export the data again")
    top = "; ".join(f"{k}: {v:,}" for k, v in list(report.rejected_counts().items())[:3])
    raise DataError(f"no usable rows in {report.source}: all {report.rows_read:,} rows were "
                    f"rejected ({top}); check the column mapping and that dates are ISO "
                    "(2024-01-31) and amounts plain numbers, as the duckdb and spark engines "
                    "need")


def engine_copy(config_path, engine: str):
    """A copy of a client for ``engine``: its kept lines as Parquet and a config that reads them.

    For exports only the pandas loader reads (the demo's cp1255 CSV with
    Hebrew headers and shekel amounts): writes ``<data stem>.parquet`` with the
    canonical columns beside the data and ``<config stem>-<engine>.yaml``
    beside the config, and returns the new config's path. The rows the loader
    rejected are not in the copy.
    """
    from pathlib import Path

    import yaml

    from retainlib.config.client import load_config

    config_path = Path(config_path)
    cfg = load_config(config_path)
    tx, _ = read_client(cfg)
    parquet = Path(cfg.data).with_suffix(".parquet")
    tx.to_parquet(parquet, index=False)
    values = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    values.update(data=parquet.name, columns=None, segments=list(cfg.segments), engine=engine,
                  read={"duplicates": cfg.read.get("duplicates", "keep")})
    out = config_path.with_name(f"{config_path.stem}-{engine}.yaml")
    out.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out
