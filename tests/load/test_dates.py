"""The date rules of the loader (#12): relative, incomplete, two-digit-year, future, Excel-empty,
time-zone and date_format cases.

Every test fixes the day of the run (``today``), so nothing depends on the clock; expected
dates are written by hand next to their inputs.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retainlib as rl
from retainlib.errors import DataError
from retainlib.load.parsing import parse_dates
from retainlib.load.survey import SURVEY_REASONS, read_survey
from retainlib.load.transactions import REASONS

TODAY = pd.Timestamp("2026-12-01")
T = pd.Timestamp


def _parse(texts, **kwargs):
    kwargs.setdefault("today", TODAY)
    values, why = parse_dates(pd.Series(texts, dtype="str"), **kwargs)
    return list(values), [None if pd.isna(r) else r for r in why]


def _reason(text, **kwargs):
    return _parse([text], **kwargs)[1][0]


def test_every_date_reason_is_a_loader_and_survey_reason():
    _, why = parse_dates(pd.Series(["x"]), today=TODAY)
    assert set(why.cat.categories) <= set(REASONS)
    assert set(why.cat.categories) <= set(SURVEY_REASONS)


# ----------------------------------------------------------------------------- relative words


@pytest.mark.parametrize("word", ["now", "today", "yesterday", "tomorrow", "tonight",
                                  "היום", "אתמול", "עכשיו", "מחר", "שלשום", "מחרתיים"])
@pytest.mark.parametrize("dress", ["{}", "{} ", "  {}", "\u200f{}\u200e"])
def test_relative_words_are_rejected_not_read_as_the_clock(word, dress):
    for cased in {word, word.upper(), word.title()}:
        assert _reason(dress.format(cased)) == "relative date"
        assert _reason(dress.format(cased), date_format="%d/%m/%Y") == "relative date"


@pytest.mark.parametrize("text", ["today 10:00", "Now, 5pm", "3 days ago", "yesterday 23:59"])
def test_relative_words_with_a_time_are_rejected(text):
    assert _reason(text) == "relative date"


# ----------------------------------------------------------------------------- incomplete dates


@pytest.mark.parametrize("text", [
    "Monday", "mon", "Jan", "January", "10:00", "10:00:00", "9:30 pm",
    "2024", "2024-01", "2024/1", "2024.01", "01/2024", "1-2024", "202401",
    "Jan 2024", "January 2024", "15 Jan", "Jan 15", "05/01", "5.1.",
    "0.5",  # an Excel time without a day
])
def test_texts_without_a_full_day_month_and_year_are_incomplete(text):
    assert _reason(text) == "incomplete date"
    assert _reason(text, dayfirst=True) == "incomplete date"


@pytest.mark.parametrize("text", ["0", "00", "0.0", "1899-12-30", "1899-12-31", "1900-01-00",
                                  "00/00/0000", "0000-00-00", "0000-00-00 00:00:00",
                                  "1899-12-30 00:00:00", "00/00/00"])
def test_excel_and_database_empty_dates_are_blank(text):
    assert _reason(text) == "blank date"
    assert _reason(text, dayfirst=True) == "blank date"
    assert _reason("30/12/1899", dayfirst=True) == "blank date"


def test_excel_day_zero_with_a_time_is_a_time_without_a_date():
    assert _reason("1899-12-30 10:00:00") == "incomplete date"


@pytest.mark.parametrize("text", ["1", "12", "366", "999", "-5", "123.5", "12.5"])
def test_small_numbers_are_neither_years_nor_serials(text):
    assert _reason(text) == "unparseable date"


def test_excel_serials_from_10000_on():
    values, why = _parse(["10000", "45292", "45292.25", "9999"])
    # 1899-12-30 + 10000 days = 1927-05-18; + 45292 days = 2024-01-01; .25 day = 06:00;
    # 9999 is a four-digit number: a year alone
    assert values[:3] == [T("1927-05-18"), T("2024-01-01"), T("2024-01-01 06:00")]
    assert why == [None, None, None, "incomplete date"]


# ----------------------------------------------------------------------------- two-digit years


@pytest.mark.parametrize(("yy", "year"), [("26", 2026), ("27", 1927), ("68", 1968), ("00", 2000),
                                          ("99", 1999), ("69", 1969)])
def test_two_digit_year_is_the_latest_not_after_this_year(yy, year):
    expected = [T(f"{year}-02-01")] * 4
    assert _parse([f"01/02/{yy}", f"1.2.{yy}"], dayfirst=True)[0] == expected[:2]
    assert _parse([f"1 Feb {yy}", f"Feb 1, {yy}"])[0] == expected[:2]
    assert _parse([f"01/02/{yy}"], date_format="%d/%m/%y")[0] == expected[:1]
    assert _parse([f"02/01/{yy}"])[0] == expected[:1]  # month first


@settings(max_examples=150, deadline=None)
@given(yy=st.integers(0, 99), this_year=st.integers(1990, 2200),
       path=st.sampled_from(["dmy", "mdy", "month name", "format"]))
def test_a_two_digit_year_never_lands_after_the_run_year(yy, this_year, path):
    today = pd.Timestamp(f"{this_year}-12-31")
    text, kwargs = {
        "dmy": (f"15/03/{yy:02d}", {"dayfirst": True}),
        "mdy": (f"03/15/{yy:02d}", {}),
        "month name": (f"15 Mar {yy:02d}", {}),
        "format": (f"15.03.{yy:02d}", {"date_format": "%d.%m.%y"}),
    }[path]
    values, why = _parse([text], today=today, **kwargs)
    year = values[0].year
    assert why == [None]
    assert year % 100 == yy and this_year - 100 < year <= this_year


# ----------------------------------------------------------------------------- the future


def test_a_day_after_the_run_is_rejected_later_today_is_not():
    values, why = _parse(["2026-12-01 23:59:59", "2026-12-02", "02/12/2026", "46358",
                          "2 Dec 2026", "2099-01-01"], dayfirst=True)
    # 46358 = 1899-12-30 + 46358 days = 2026-12-02
    assert values[0] == T("2026-12-01 23:59:59")
    assert why == [None] + ["date in the future"] * 5


@settings(max_examples=100, deadline=None)
@given(ahead=st.integers(1, 80_000), seconds=st.integers(0, 86_399),
       style=st.sampled_from(["%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%d %b %Y"]))
def test_any_date_after_today_is_rejected(ahead, seconds, style):
    when = TODAY + pd.Timedelta(days=ahead, seconds=seconds)
    if when.year > 2261:
        return  # outside the datetime64[ns] years: 'date out of range'
    assert _reason(when.strftime(style), dayfirst=True) == "date in the future"
    converted = parse_dates(pd.Series([when]), today=TODAY)[1]
    assert converted.tolist() == ["date in the future"]


def test_today_defaults_to_the_calendar_day_of_the_call():
    tomorrow = (pd.Timestamp.now() + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    values, why = parse_dates(pd.Series(["2024-01-05", tomorrow]))
    assert why.isna().tolist() == [True, False]


# ----------------------------------------------------------------------------- time zones


def test_offsets_are_dropped_keeping_each_dates_wall_clock_time():
    values, why = _parse(["2024-01-01T23:30:00+02:00", "2024-01-02", "2024-01-03T08:00:00Z",
                          "2024-01-04 10:00-05:00", "2024-01-05T10:00:00.5+0530"])
    assert values == [T("2024-01-01 23:30"), T("2024-01-02"), T("2024-01-03 08:00"),
                      T("2024-01-04 10:00"), T("2024-01-05 10:00:00.5")]
    assert why == [None] * 5


def test_a_column_of_dates_with_offsets_stays_naive():
    values, _ = parse_dates(pd.Series(["2024-01-01T23:30:00+02:00", "2024-01-02T01:00:00+03:00"]),
                            today=TODAY)
    assert values.dtype == "datetime64[ns]"
    assert values.tolist() == [T("2024-01-01 23:30"), T("2024-01-02 01:00")]


def test_timezone_aware_values_keep_their_local_wall_time():
    local = pd.Series(pd.to_datetime(["2024-01-01 23:30", "2024-07-01 00:30"]).tz_localize(
        "Asia/Jerusalem"))  # 21:30 and 21:30 the day before in UTC
    values, why = parse_dates(local, today=TODAY)
    assert values.dtype == "datetime64[ns]"
    assert values.tolist() == [T("2024-01-01 23:30"), T("2024-07-01 00:30")]
    assert why.isna().all()


def test_mixed_offsets_in_a_format_with_percent_z():
    values, why = _parse(["2024-01-01 10:00+0200", "2024-01-01 10:00+0300"],
                         date_format="%Y-%m-%d %H:%M%z")
    assert values == [T("2024-01-01 10:00")] * 2 and why == [None, None]


# ----------------------------------------------------------------------------- date_format


@pytest.mark.parametrize("fmt", ["%Q", "%d/%m/%Y %", "%d/%m/%q"])
def test_an_invalid_format_is_one_sentence_naming_it(fmt):
    with pytest.raises(DataError) as err:
        _parse(["01/02/2024"], date_format=fmt)
    message = str(err.value)
    assert repr(fmt) in message and "\n" not in message and "e.g. '%d/%m/%Y'" in message


@pytest.mark.parametrize(("fmt", "missing"), [("%d/%m", "year"), ("%Y-%m", "day"),
                                               ("%H:%M", "year, month and day")])
def test_a_format_without_day_month_or_year_is_refused(fmt, missing):
    with pytest.raises(DataError, match=f"does not give the {missing} of a date"):
        _parse(["01/02"], date_format=fmt)


def test_a_format_that_matches_nothing_leaves_the_other_rules():
    values, why = _parse(["2024-01-05", "05/01/2024", "garbage", "31/02/2024"],
                         date_format="%d.%m.%Y")
    # ISO still reads; %d before %m in the format makes 05/01 the 5th of January
    assert values[:2] == [T("2024-01-05"), T("2024-01-05")]
    assert why == [None, None, "unparseable date", "impossible date"]


def test_read_transactions_with_a_bad_format_is_a_data_error(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("customer_id,date,amount\nA,05.01.2024,10\n", encoding="utf-8")
    with pytest.raises(DataError, match="'%Q' is not a valid strptime format"):
        rl.read_transactions(path, date_format="%Q", decimal=".")


# ----------------------------------------------------------------------------- other forms


def test_am_pm_times_and_fractions():
    values, why = _parse(["1/5/2024 2:30 PM", "1/5/2024 12:15 am", "1/5/2024 12:00 PM",
                          "13/5/2024 1:00 PM", "1/5/2024 13:00 PM", "05/01/2024 10:00:00,25"],
                         dayfirst=False)
    assert values[:3] == [T("2024-01-05 14:30"), T("2024-01-05 00:15"), T("2024-01-05 12:00")]
    assert why[3:5] == ["impossible date", "impossible date"]  # month 13; 13 PM
    assert values[5] == T("2024-05-01 10:00:00.25")


def test_month_names_read_in_full_only():
    values, why = _parse(["15 Jan 2024", "Jan 15, 2024", "Mon, 15 Jan 2024 10:00:00 +0200",
                          "31 Feb 2024", "15 Foo 2024"])
    assert values[:3] == [T("2024-01-15"), T("2024-01-15"), T("2024-01-15 10:00")]
    assert why[3:] == ["impossible date", "unparseable date"]


@pytest.mark.parametrize(("text", "expected"), [
    ("15-Jan-24", "2024-01-15"), ("1st January 2024", "2024-01-01"),
    ("15th of January 2024", "2024-01-15"), ("Sept 5, 2023", "2023-09-05"),
    ("monday 15 january 2024 10:00 pm", "2024-01-15 22:00"), ("Tue. Jan 16, 2024", "2024-01-16"),
    ("Jan 15, 2024 10:23:45 AM", "2024-01-15 10:23:45"), ("15 JAN 2024 23:59", "2024-01-15 23:59"),
])
def test_common_month_name_forms(text, expected):
    assert _parse([text])[0] == [T(expected)]


def test_a_word_before_a_month_name_date_that_is_no_weekday_is_not_a_date():
    assert _reason("Total 15 Jan 2024") == "unparseable date"


# ----------------------------------------------------------------------------- through the loader


def test_converted_dates_are_checked_too(tmp_path):
    # clean ISO dates: pyarrow converts the column while reading; the same rules apply after
    path = tmp_path / "sales.csv"
    path.write_text("customer_id,date,amount\nA,2024-01-05,10\nB,1899-12-30,5\n"
                    "C,2099-01-01,1\nD,2024-02-01 10:00,2\n", encoding="utf-8")
    tx, report = rl.read_transactions(path, decimal=".")
    assert tx["customer_id"].tolist() == ["A", "D"]
    assert report.rejected_counts() == {"blank date": 1, "date in the future": 1}
    assert report.last_date == T("2024-02-01 10:00")


def test_one_offset_among_naive_dates_does_not_refuse_the_file(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("customer_id,date,amount\nA,2024-01-05,10\nB,2024-01-01T23:30:00+02:00,5\n",
                    encoding="utf-8")
    tx, report = rl.read_transactions(path, decimal=".")
    assert tx["date"].tolist() == [T("2024-01-05"), T("2024-01-01 23:30")]
    assert report.rows_rejected == 0


def test_now_and_today_do_not_move_the_observation_end(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text("customer_id,date,amount\nA,2024-01-05,10\nB,now,5\nC,Today,5\n"
                    "D,2024,4\nE,Monday,3\n", encoding="utf-8")
    tx, report = rl.read_transactions(path, decimal=".")
    assert report.last_date == T("2024-01-05")
    assert report.rejected_counts() == {"relative date": 2, "incomplete date": 2}
    assert report.rejected["line"].tolist() == [3, 4, 5, 6]


def test_parquet_timezone_column_is_read_as_local_wall_time(tmp_path):
    path = tmp_path / "sales.parquet"
    when = pd.to_datetime(["2024-01-01 23:30", "2024-06-01 10:00"]).tz_localize("Asia/Jerusalem")
    pd.DataFrame({"customer_id": ["A", "B"], "date": when, "amount": [1.0, 2.0]}).to_parquet(path)
    tx, _ = rl.read_transactions(path, decimal=".")
    assert tx["date"].tolist() == [T("2024-01-01 23:30"), T("2024-06-01 10:00")]


def test_excel_empty_date_cell_is_blank(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "sales.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["customer_id", "date", "amount"])
    ws.append(["A", dt.datetime(2024, 1, 5), 10])
    ws.append(["B", dt.datetime(1899, 12, 30), 5])  # a date cell holding 0
    ws.append(["C", 0, 5])
    wb.save(path)
    tx, report = rl.read_transactions(path, decimal=".")
    assert tx["customer_id"].tolist() == ["A"]
    assert report.rejected_counts() == {"blank date": 2}


def test_survey_rejects_relative_incomplete_and_future_dates(tmp_path):
    path = tmp_path / "nps.csv"
    far = (pd.Timestamp.now() + pd.Timedelta(days=400)).strftime("%Y-%m-%d")
    path.write_text(f"customer_id,date,score\nA,2024-01-05,9\nB,today,7\nC,2024-01,8\nD,{far},6\n",
                    encoding="utf-8")
    survey, report = read_survey(path)
    assert survey["customer_id"].tolist() == ["A"]
    assert report.rejected_counts() == {"relative date": 1, "incomplete date": 1,
                                        "date in the future": 1}


_CELLS = st.sampled_from([
    "2024-01-05", "05/01/2024", "now", "today", "2024", "2024-01", "Jan 2024", "Monday", "10:00",
    "1899-12-30", "0", "00/00/0000", "2099-01-01", "31/02/2024", "9999-12-31", "garbage", "",
    "45292", "2024-01-01T23:30:00+02:00", "15 Jan 2024", "01/02/68",
])


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["A", "B", "#N/A", "C\u200d", ""]), _CELLS,
                               st.sampled_from(["10", "-5", "", "x"])), min_size=1, max_size=25))
def test_every_row_of_a_generated_file_is_kept_or_rejected_once(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("gen") / "sales.csv"
    body = "".join(f"{c},{d},{a}\n" for c, d, a in rows)
    path.write_text("customer_id,date,amount\n" + body, encoding="utf-8")
    try:
        tx, report = rl.read_transactions(path, decimal=".", dayfirst=True)
    except DataError as exc:  # only when no row is usable
        assert str(exc).startswith(("no usable rows", "sales.csv has no data rows")), exc
        return
    # a row of empty cells (",,") is a blank line of the file, not a row
    data_rows = sum(any(r) for r in rows)
    assert report.rows_read == report.rows_kept + report.rows_rejected == data_rows
    assert sum(report.rejected_counts().values()) == report.rows_rejected
    assert tx["date"].max() <= pd.Timestamp.now()
    assert not tx["customer_id"].isin(["#N/A", ""]).any()
    assert np.isin(tx["customer_id"].unique(), ["A", "B", "C"]).all()
