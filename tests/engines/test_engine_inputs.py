"""Inputs the engines must read as the pandas loader does, or refuse in one sentence.

Each case was found by trying hostile files on the engines (see the #15 notes): zoned
timestamps, ids stored as floats, padded or incomplete text dates, quoted line breaks, files a
Spark job leaves in a folder, and files DuckDB cannot read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retainlib.config.client import load_config
from retainlib.errors import DataError
from retainlib.load.engines import read_lines


def lines(path, engine, **more):
    cfg = load_config({"client": "t", "data": str(path), "engine": engine, **more})
    tx, report, _ = read_lines(cfg)
    return tx, report


def days(tx) -> list:
    return sorted(zip(tx["customer_id"], tx["date"].dt.strftime("%Y-%m-%d"), strict=True))


def test_zoned_timestamps_keep_their_own_clock_time(tmp_path, spark):
    # 01:30 on 1 March in Jerusalem is 23:30 on 29 February in UTC: the purchase day is 1 March
    # (the loader's reading of a zoned column), in every engine
    stamps = pd.to_datetime(["2024-03-01 01:30", "2024-03-01 23:30", "2024-03-02 00:10"])
    pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [10.0, 20.0, 30.0],
                  "date": stamps.tz_localize("Asia/Jerusalem")}).to_parquet(tmp_path / "z.parquet")
    want, report = lines(tmp_path / "z.parquet", "pandas")
    assert days(want) == [("a", "2024-03-01"), ("b", "2024-03-01"), ("c", "2024-03-02")]
    for engine in ("duckdb", "spark"):
        got, r = lines(tmp_path / "z.parquet", engine)
        assert days(got) == days(want), engine
        assert (r.first_date, r.last_date) == (report.first_date, report.last_date), engine
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"  # the session's zone restored


def test_ids_and_segments_stored_as_floats_lose_the_point_zero(tmp_path):
    # one empty cell makes a spreadsheet store a column of ids as floats: 1000.0 is id 1000
    pd.DataFrame({"customer_id": [1000.0, 1000.0, 7.0, np.nan], "amount": [10.0, 20.0, 30.0, 5.0],
                  "region": [0.0, 1.0, 1.0, 1.0],
                  "date": pd.to_datetime(["2024-03-01"] * 4)}).to_parquet(tmp_path / "f.parquet")
    want, wr = lines(tmp_path / "f.parquet", "pandas", segments=["region"])
    got, gr = lines(tmp_path / "f.parquet", "duckdb", segments=["region"])
    assert sorted(got["customer_id"].unique()) == sorted(want["customer_id"].unique()) == \
        ["1000", "7"]
    assert sorted(got["region"].unique()) == sorted(want["region"].unique()) == ["0", "1"]
    assert gr.rejected_counts() == wr.rejected_counts() == {"blank customer id": 1}


def test_padded_text_dates_are_read_and_incomplete_ones_rejected(tmp_path, spark):
    # a padded cell ('2024-03-01 ') is a date; '2024' and '2024-03' are not days (the loader:
    # 'incomplete date'; the engines, which read ISO dates only: 'unparseable date')
    (tmp_path / "d.csv").write_text(
        "customer_id,date,amount\na,2024-03-01 ,10\nb, 2024-03-02,20\nc,2024,30\nd,2024-03,40\n"
        "e,2024-03-05 10:00:00 ,50\n", encoding="utf-8")
    want, wr = lines(tmp_path / "d.csv", "pandas")
    assert wr.rejected_counts() == {"incomplete date": 2}
    for engine in ("duckdb", "spark"):
        got, gr = lines(tmp_path / "d.csv", engine)
        assert days(got) == days(want), engine
        assert gr.rejected_counts() == {"unparseable date": 2}, engine


def test_spark_reads_a_quoted_line_break_and_doubled_quotes_as_one_cell(tmp_path, spark):
    (tmp_path / "q.csv").write_text(
        'customer_id,date,amount,region\na,2024-03-01,10,"multi\nline"\n'
        'b,2024-03-02,20,"say ""hi"", then"\n', encoding="utf-8")
    want, wr = lines(tmp_path / "q.csv", "pandas", segments=["region"])
    got, gr = lines(tmp_path / "q.csv", "spark", segments=["region"])
    assert (gr.rows_read, gr.rows_kept) == (wr.rows_read, wr.rows_kept) == (2, 2)
    assert sorted(got["region"]) == ['multi\nline', 'say "hi", then']


def test_a_folder_leaves_out_the_files_a_spark_job_leaves_behind(tmp_path, spark):
    folder = tmp_path / "sales"
    (folder / "_temporary").mkdir(parents=True)
    row = pd.DataFrame({"customer_id": ["a"], "amount": [10.0],
                        "date": pd.to_datetime(["2024-03-01"])})
    row.to_parquet(folder / "part-0.parquet")
    row.assign(customer_id="b").to_parquet(folder / "part-1.parquet")
    for name in ("_tmp.parquet", ".part-0.parquet", "_temporary/part-0.parquet"):
        row.assign(customer_id="ghost").to_parquet(folder / name)
    for engine in ("duckdb", "spark"):
        got, report = lines(folder, engine)
        assert sorted(got["customer_id"]) == ["a", "b"], engine
        assert report.rows_read == 2, engine


@pytest.mark.parametrize(("make", "says"), [
    (lambda p: (p / "s.csv").write_bytes("customer_id,date,amount\nא,2024-03-01,10\n"
                                         .encode("cp1255")), "s.csv is not UTF-8 text"),
    (lambda p: (p / "s.parquet").write_text("not parquet", encoding="utf-8"), "s.parquet"),
])
def test_duckdb_refuses_a_file_it_cannot_read_in_one_sentence(tmp_path, make, says):
    make(tmp_path)
    path = next(tmp_path.iterdir())
    with pytest.raises(DataError, match=says) as err:
        lines(path, "duckdb")
    assert "\n" not in str(err.value)
    assert "engine: pandas" in str(err.value) or "Parquet" in str(err.value)


def test_a_folder_without_parquet_files_is_refused_by_name(tmp_path):
    (tmp_path / "sales").mkdir()
    (tmp_path / "sales" / "_SUCCESS").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"folder .*sales holds no Parquet file"):
        lines(tmp_path / "sales", "duckdb")


def test_a_ragged_csv_is_read_row_by_row_as_the_loader_reads_it(tmp_path):
    # a longer row is 'too many fields', shorter ones lack their amount; the separator is the
    # header's (one ragged row once made DuckDB read the file as a single column)
    (tmp_path / "r.csv").write_text("customer_id;date;amount\na;2024-03-01;10;5;6\n"
                                    "b;2024-03-02\nb;2024-03-02\nc;2024-03-03;7\n",
                                    encoding="utf-8")
    want, wr = lines(tmp_path / "r.csv", "pandas")
    got, gr = lines(tmp_path / "r.csv", "duckdb")
    assert gr.rejected_counts() == wr.rejected_counts() == {"blank amount": 2,
                                                            "too many fields": 1}
    assert (gr.rows_read, gr.rows_kept) == (wr.rows_read, wr.rows_kept) == (4, 1)
    assert list(got["customer_id"]) == list(want["customer_id"]) == ["c"]


def test_amounts_the_loader_does_not_read_are_not_numbers_to_the_engines(tmp_path, spark):
    # DuckDB alone would read '1_000' as 1000 and a true/false column as 1/0
    (tmp_path / "a.csv").write_text("customer_id,date,amount\na,2024-03-01,1_000\n"
                                    "b,2024-03-01,true\nc,2024-03-02,5\n", encoding="utf-8")
    pd.DataFrame({"customer_id": ["a", "b"], "amount": [True, False],
                  "date": pd.to_datetime(["2024-03-01"] * 2)}).to_parquet(tmp_path / "b.parquet")
    _, want = lines(tmp_path / "a.csv", "pandas")
    for engine in ("duckdb", "spark"):
        _, got = lines(tmp_path / "a.csv", engine)
        assert got.rejected_counts() == want.rejected_counts() == {"non-numeric amount": 2}
    with pytest.raises(DataError, match="no usable rows .*non-numeric amount: 2"):
        lines(tmp_path / "b.parquet", "duckdb")


def test_duckdb_refuses_an_empty_csv_and_a_header_that_names_a_column_twice(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(DataError, match=r"^e.csv is empty"):
        lines(tmp_path / "e.csv", "duckdb")
    (tmp_path / "d.csv").write_text("customer_id,date,amount,Amount\na,2024-03-01,1,2\n",
                                    encoding="utf-8")
    with pytest.raises(DataError, match="names the column 'amount' twice"):
        lines(tmp_path / "d.csv", "duckdb")


def test_a_partitioned_folder_gives_its_partition_as_a_column(tmp_path, spark):
    # a lake's folder sales/year=2024/... : the year is a column both engines can slice by
    for year in (2024, 2025):
        (tmp_path / "sales" / f"year={year}").mkdir(parents=True)
        pd.DataFrame({"customer_id": ["a", "b"], "amount": [1.0, 2.0],
                      "date": pd.to_datetime([f"{year}-03-01"] * 2)}).to_parquet(
            tmp_path / "sales" / f"year={year}" / "part-0.parquet")
    for engine in ("duckdb", "spark"):
        tx, report = lines(tmp_path / "sales", engine, segments=["year"])
        assert report.rows_read == 4, engine
        assert sorted(set(tx["year"])) == ["2024", "2025"], engine
