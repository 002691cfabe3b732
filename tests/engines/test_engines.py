"""The duckdb and spark engines against the pandas loader: same rows, same report numbers."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retainlib.config.client import load_config
from retainlib.errors import ConfigError
from retainlib.load import read_client
from retainlib.load.engines import read_lines, reduce_client
from retainlib.report.analysis import analyse, metrics_of
from tests.engines.sales_data import REASONS

#: the report's headline numbers that every engine must agree on
HEADLINES = ("rows_read", "rows_kept", "rows_rejected", "customers", "revenue",
             "repeat_purchase_rate", "crr", "top20_revenue_share", "gini", "clv_total",
             "revenue_at_risk", "at_risk_customers", "expected_purchases", "holdout_error_pct",
             "won_back")


def config(folder, file="sales.csv", engine="pandas", **more):
    return load_config({"client": "Shop", "data": str(folder / file), "engine": engine,
                        "segments": ["region", "channel"], "observation_end": "2024-12-31",
                        **more})


def headlines(cfg) -> dict:
    m = metrics_of(analyse(cfg))
    out = {k: m[k] for k in HEADLINES}
    out["rejected"] = m["rejected"]
    out.update({f"bgnbd.{k}": v for k, v in m["bgnbd"].items()})
    out.update({f"gamma_gamma.{k}": v for k, v in m["gamma_gamma"].items()})
    return out


def assert_same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for k, v in want.items():
        if isinstance(v, float):
            assert got[k] == pytest.approx(v, rel=1e-6, abs=1e-9), k
        else:
            assert got[k] == v, k


@pytest.fixture(scope="module")
def pandas_headlines(sales):
    return headlines(config(sales[0]))


def test_purchase_lines_merge_lines_per_customer_day_order_and_sign(tmp_path):
    # a: order o1 on 5 Jan has lines 10 + 5 (one purchase row of 15) and a same-day return of
    # -3 (kept apart: a return row); o2 on 10 Feb is one line. b: two orders on one day stay two
    # rows (two orders); b's return on 1 Mar is its own row. c's only line is after the end.
    pd.DataFrame({
        "customer_id": ["a", "a", "a", "a", "b", "b", "b", "c"],
        "date": ["2024-01-05", "2024-01-05", "2024-01-05", "2024-02-10", "2024-01-20",
                 "2024-01-20", "2024-03-01", "2024-06-01"],
        "amount": [10.0, 5.0, -3.0, 20.0, 7.5, 2.5, -2.0, 4.0],
        "order_id": ["o1", "o1", "o1", "o2", "o3", "o4", "o5", "o6"],
        "region": ["N", "N", "N", "N", "S", "S", "S", "S"],
    }).to_parquet(tmp_path / "sales.parquet")
    cfg = load_config({"client": "t", "data": str(tmp_path / "sales.parquet"),
                       "engine": "duckdb", "segments": ["region"],
                       "observation_end": "2024-03-31"})
    r = reduce_client(cfg)
    want = pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b", "b"],
        "date": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-02-10", "2024-01-20",
                                "2024-01-20", "2024-03-01"]),
        "amount": [-3.0, 15.0, 20.0, 7.5, 2.5, -2.0],
        "order_id": ["o1", "o1", "o2", "o3", "o4", "o5"],
        "region": ["N", "N", "N", "S", "S", "S"],
    })
    got = r.tx[list(want.columns)]
    pd.testing.assert_frame_equal(got, want.astype(got.dtypes.to_dict()))
    assert r.rows_after_end == 1  # c's line
    assert (r.load.rows_read, r.load.rows_kept, r.load.customers) == (8, 8, 3)
    assert r.load.revenue == pytest.approx(44.0)  # every kept line, after the end too
    assert r.load.returns == 2


@pytest.mark.parametrize("file", ["sales.csv", "sales.parquet"])
def test_duckdb_rejects_the_rows_the_loader_rejects_with_its_reasons(sales, file):
    folder, df = sales
    r = reduce_client(config(folder, file, "duckdb"))
    _, want = read_client(config(folder, file))
    assert r.load.rows_read == len(df) == r.load.rows_kept + r.load.rows_rejected
    assert r.load.rejected_counts() == REASONS == want.rejected_counts()
    got, loader = r.load.summary(), want.summary()
    for k in ("rows_read", "rows_kept", "rows_rejected", "duplicates", "customers",
              "first_date", "last_date", "revenue", "returns"):
        assert got[k] == loader[k], k
    assert sorted(r.load.rejected["reason"]) == sorted(want.rejected["reason"])


def test_duckdb_drops_duplicates_like_the_loader(sales):
    folder, df = sales
    cfg = config(folder, "sales.parquet", "duckdb", read={"duplicates": "drop"})
    r = reduce_client(cfg)
    _, want = read_client(config(folder, "sales.parquet", read={"duplicates": "drop"}))
    assert r.load.rejected_counts() == want.rejected_counts() == {**REASONS, "duplicate row": 1}
    assert (r.load.rows_kept, r.load.duplicates) == (want.rows_kept, 1)
    assert r.load.rows_read == len(df) == r.load.rows_kept + r.load.rows_rejected
    assert r.load.revenue == pytest.approx(want.revenue, rel=1e-12)


@pytest.mark.parametrize("file", ["sales.csv", "sales.parquet"])
def test_duckdb_gives_the_pandas_headline_numbers(sales, pandas_headlines, file):
    assert_same(headlines(config(sales[0], file, "duckdb")), pandas_headlines)


def test_spark_gives_the_pandas_headline_numbers(sales, pandas_headlines, spark):
    assert_same(headlines(config(sales[0], "sales.parquet", "spark")), pandas_headlines)


def test_spark_reads_a_table_of_its_catalog(sales, spark):
    folder, df = sales
    spark.createDataFrame(df.astype(str)).createOrReplaceTempView("shop_sales")
    cfg = load_config({"client": "Shop", "data": "spark:shop_sales", "engine": "spark",
                       "segments": ["region", "channel"], "observation_end": "2024-12-31"})
    tx, load, _ = read_lines(cfg)
    want, _, _ = read_lines(config(folder, "sales.parquet", "duckdb"))
    assert load.rejected_counts() == REASONS
    assert load.rows_read == len(df) == load.rows_kept + load.rows_rejected
    pd.testing.assert_frame_equal(tx, want)


# rows of one customer column drawn from good ids and the loader's blanks; dates good, bad,
# out of range or in the future; amounts good, blank, text or too large
_IDS = st.sampled_from(["a", "b", " c ", "", "N/A", "null", "Total", "007"])
_DATES = st.sampled_from(["2024-01-05", "2024-02-29", "2023-12-31 10:30:00", "", "2024-02-30",
                          "9999-12-31", "2099-01-01", "soon"])
_AMOUNTS = st.sampled_from(["10", "-2.5", "0", "", "x", "2e12", "inf", "12.25"])


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_IDS, _DATES, _AMOUNTS), min_size=1, max_size=12))
def test_every_row_is_kept_or_rejected_for_one_reason_as_the_loader_says(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    frame.to_csv(tmp_path / "s.csv", index=False)
    cfg = {"client": "t", "data": str(tmp_path / "s.csv")}
    try:
        _, want = read_client(load_config(cfg))
    except Exception:  # noqa: BLE001 - no usable row: the engine refuses too
        with pytest.raises(Exception, match="no usable rows|no data rows"):
            reduce_client(load_config({**cfg, "engine": "duckdb"}), today=dt.date.today())
        return
    got = reduce_client(load_config({**cfg, "engine": "duckdb"})).load
    blank = sum(1 for row in rows if not any(cell.strip() for cell in row))  # not rows
    assert got.blank_lines == want.blank_lines == blank
    assert got.rows_read == len(rows) - blank == got.rows_kept + got.rows_rejected
    assert got.rows_kept == want.rows_kept
    # the loader calls 2024-02-30 an impossible date; the engine, which reads ISO dates, an
    # unparseable one. The loader also calls a blank-id row whose amount is the sum of the
    # rows above it a total row; the engine knows a total row by its label only ('Total'), so
    # to it that row has a blank customer id.
    loader = Counter()
    for row in want.rejected.itertuples():
        reason = "unparseable date" if row.reason == "impossible date" else row.reason
        if reason == "total row" and str(row.customer_id).strip().lower() != "total":
            reason = "blank customer id"
        loader[reason] += 1
    assert got.rejected_counts() == dict(loader)


def test_duckdb_takes_its_memory_limit_and_temp_directory(tmp_path):
    from retainlib.load.engines._duckdb import DuckDBRunner

    pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": [1.0]}).to_parquet(
        tmp_path / "s.parquet")
    runner = DuckDBRunner(tmp_path / "s.parquet", {"memory_limit": "500MB",
                                                   "temp_directory": str(tmp_path / "spill")})
    limit, temp = runner.con.sql("SELECT current_setting('memory_limit'), "
                                 "current_setting('temp_directory')").fetchall()[0]
    runner.close()
    assert limit.replace(" ", "") in ("476.8MiB", "500.0MB", "500MB") and temp.endswith("spill")


def test_engine_config_key_defaults_to_pandas_and_takes_folders_and_globs(tmp_path):
    (tmp_path / "parts").mkdir()
    pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": [1.0]}).to_parquet(
        tmp_path / "parts" / "p1.parquet")
    base = {"client": "t", "data": str(tmp_path / "parts")}
    assert load_config({**base, "data": str(tmp_path / "parts" / "p1.parquet")}).engine == "pandas"
    assert load_config({**base, "engine": "duckdb"}).data == tmp_path / "parts"
    glob = load_config({**base, "data": str(tmp_path / "parts" / "*.parquet"), "engine": "duckdb"})
    assert reduce_client(glob).load.rows_kept == 1
    with pytest.raises(ConfigError, match="matches no file"):
        load_config({**base, "data": str(tmp_path / "*.csv"), "engine": "duckdb"})
    in_folders = load_config({**base, "data": str(tmp_path / "par*" / "p1.parquet"),
                              "engine": "duckdb"})  # a wildcard in a folder's name
    assert reduce_client(in_folders).load.rows_kept == 1
    with pytest.raises(ConfigError, match="matches no file"):
        load_config({**base, "data": str(tmp_path / "x*" / "*.parquet"), "engine": "duckdb"})
    with pytest.raises(ConfigError, match="only engine: spark reads"):
        load_config({**base, "data": "spark:db.sales", "engine": "duckdb"})
    with pytest.raises(ConfigError, match="engine in the config of 't' must be one of"):
        load_config({**base, "engine": "polars"})
    table = load_config({**base, "data": "spark:db.sales", "engine": "spark"})
    assert table.data == "spark:db.sales"
    with pytest.raises(ConfigError, match="use --engine spark"):
        table.with_engine("duckdb")


def test_engine_option_on_report_batch_and_demo():
    from retainlib.cli import _build_parser

    parser = _build_parser()
    assert parser.parse_args(["report", "c.yaml", "--engine", "duckdb"]).engine == "duckdb"
    assert parser.parse_args(["batch", "b.yaml", "--engine", "spark"]).engine == "spark"
    assert parser.parse_args(["demo"]).engine is None
    with pytest.raises(Exception, match="invalid choice: 'polars'"):
        parser.parse_args(["demo", "--engine", "polars"])


def test_duckdb_counts_exact_duplicates_of_every_source_column_among_kept_rows(tmp_path):
    # rows 1-2 repeat every cell: 1 duplicate. Row 3 differs from them only in 'note', a column
    # the report does not read: not a duplicate. Rows 4-5 repeat each other but are rejected
    # (blank id): not counted. So 3 kept rows, 2 of them distinct: 1 duplicate.
    pd.DataFrame({
        "customer_id": ["a", "a", "a", "", ""],
        "date": ["2024-01-05"] * 5,
        "amount": [10.0, 10.0, 10.0, 5.0, 5.0],
        "note": ["x", "x", "y", "z", "z"],
    }).to_parquet(tmp_path / "s.parquet", index=False)
    cfg = load_config({"client": "t", "data": str(tmp_path / "s.parquet"), "engine": "duckdb"})
    load = reduce_client(cfg).load
    assert (load.rows_read, load.rows_kept, load.duplicates) == (5, 3, 1)
    assert load.rejected_counts() == {"blank customer id": 2}
    assert load.customers == 1


def test_a_row_of_empty_cells_is_a_blank_line_as_for_the_loader(tmp_path):
    # the loader skips a line of empty fields and counts it apart (not a row); a line of spaces
    # and a row with only an amount are rows with a blank customer id
    (tmp_path / "s.csv").write_text("customer_id,date,amount\na,2024-01-05,10\n,,\n , ,\n,,5\n",
                                    encoding="utf-8")
    cfg = {"client": "t", "data": str(tmp_path / "s.csv")}
    _, want = read_client(load_config(cfg))
    got = reduce_client(load_config({**cfg, "engine": "duckdb"})).load
    assert (got.blank_lines, got.rows_read, got.rows_kept) == (1, 3, 1)
    assert (want.blank_lines, want.rows_read, want.rows_kept) == (1, 3, 1)
    assert got.rejected_counts() == want.rejected_counts() == {"blank customer id": 2}
    assert got.rejected["reason"].tolist() == ["blank customer id"] * 2


def test_rejected_rows_file_holds_a_capped_sample_and_the_counts_are_complete(tmp_path,
                                                                              monkeypatch):
    # five rejected rows: three blank ids (two of them the same row twice) and two bad dates
    (tmp_path / "s.csv").write_text(
        "customer_id,date,amount\na,2024-01-05,10\n,2024-01-06,5\n,2024-01-06,5\n"
        "N/A,2024-01-07,1\nb,soon,2\nc,later,3\n", encoding="utf-8")
    cfg = load_config({"client": "t", "data": str(tmp_path / "s.csv"), "engine": "duckdb"})
    full = reduce_client(cfg).load
    assert full.rejected_counts() == {"blank customer id": 3, "unparseable date": 2}
    assert sorted(full.rejected["customer_id"].fillna("").tolist()) == ["", "", "N/A", "b", "c"]
    assert full.rejected["line"].isna().all()  # the engines have no line numbers
    import retainlib.load.engines as engines

    monkeypatch.setattr(engines, "SAMPLE_ROWS", 3)
    capped = reduce_client(cfg).load
    assert len(capped.rejected) == 3
    assert capped.rejected_counts() == full.rejected_counts()  # the counts cover every row
    assert capped.rows_rejected == 5 and capped.rows_read == 6
