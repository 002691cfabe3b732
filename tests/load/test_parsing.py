"""Vectorised value parsers: dates, amounts, identifiers, headers.

Expected values are written by hand next to each input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainlib.load._numbers import parse_amounts
from retainlib.load.parsing import (
    clean_ids,
    clean_text,
    normalize_header,
    parse_dates,
)

T = pd.Timestamp
NAT = pd.NaT


def _check_dates(texts, expected, reasons, **kwargs):
    values, why = parse_dates(pd.Series(texts, dtype="str"), **kwargs)
    assert values.dtype == "datetime64[ns]"
    pd.testing.assert_series_equal(
        values, pd.Series(expected, dtype="datetime64[ns]"), check_names=False
    )
    assert [None if pd.isna(r) else r for r in why] == reasons


def test_parse_dates_iso_serial_and_reasons():
    _check_dates(
        ["2024-01-05", " 2024-01-05 14:30 ", "20240105", "45292", "45292.5", "", None, "Total"],
        [
            T("2024-01-05"),
            T("2024-01-05 14:30"),
            T("2024-01-05"),
            T("2024-01-01"),  # Excel serial 45292: 1899-12-30 + 45292 days
            T("2024-01-01 12:00"),  # half a day
            NAT,
            NAT,
            NAT,
        ],
        [None, None, None, None, None, "blank date", "blank date", "unparseable date"],
    )


def test_parse_dates_dayfirst_versus_monthfirst():
    texts = ["05/01/2024", "5.1.24", "31-12-2023", "13/01/2024"]
    _check_dates(
        texts,
        [T("2024-01-05"), T("2024-01-05"), T("2023-12-31"), T("2024-01-13")],
        [None] * 4,
        dayfirst=True,
    )
    # month first: 05/01 is May 1; 31-12 and 13/01 name no month 31 or 13
    _check_dates(
        texts,
        [T("2024-05-01"), T("2024-05-01"), NAT, NAT],
        [None, None, "impossible date", "impossible date"],
        dayfirst=False,
    )


def test_parse_dates_impossible_dates_are_not_rolled_over():
    _check_dates(
        ["31/02/2024", "29/02/2024", "29/02/2023", "00/01/2024", "2024-04-31", "2024-01-01 25:00"],
        [NAT, T("2024-02-29"), NAT, NAT, NAT, NAT],  # 2024 is a leap year, 2023 is not
        [
            "impossible date",
            None,
            "impossible date",
            "impossible date",
            "impossible date",
            "impossible date",
        ],
        dayfirst=True,
    )


def test_parse_dates_explicit_format_and_month_names():
    _check_dates(
        ["31.01.2024", "31.02.2024", "2024-01-31"],
        [T("2024-01-31"), NAT, T("2024-01-31")],
        [None, "impossible date", None],
        date_format="%d.%m.%Y",
    )
    _check_dates(
        ["15 Jan 2024", "Jan 15, 2024", "15 Foo 2024"],
        [T("2024-01-15"), T("2024-01-15"), NAT],
        [None, None, "unparseable date"],
    )


def test_parse_dates_keeps_index_and_repeats():
    s = pd.Series(["01/02/2024", "01/02/2024", "bad"], index=[10, 11, 12], dtype="str")
    values, why = parse_dates(s, dayfirst=True)
    assert list(values.index) == [10, 11, 12]
    assert list(values[:2]) == [T("2024-02-01")] * 2
    assert list(why.isna()) == [True, True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("-3.5", -3.5),
        ("₪1,234.50", 1234.5),
        ("1,234.50 ₪", 1234.5),
        ("(45.00)", -45.0),  # accounting negative
        ("(₪45.00)", -45.0),
        ("₪-45", -45.0),
        ("-₪45", -45.0),
        ("45-", -45.0),  # trailing minus
        ("\u221245", -45.0),  # U+2212 minus sign
        ("$ 12", 12.0),
        ("€12.5", 12.5),
        ("£0.99", 0.99),
        ('150 ש"ח', 150.0),
        ("NIS 150", 150.0),
        ("1 234 567.25", 1234567.25),
        ("\u00a0 7 \u00a0", 7.0),
    ],
)
def test_parse_amounts_accepts_money_forms(text, expected):
    values, why = parse_amounts(pd.Series([text], dtype="str"))
    assert values.iloc[0] == expected
    assert why.isna().all()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "blank amount"),
        ("  ", "blank amount"),
        ("abc", "non-numeric amount"),
        (
            "1,5",
            "non-numeric amount",
        ),  # a comma that is neither thousands group nor the decimal mark
        ("12,34,5", "non-numeric amount"),
        ("nan", "non-numeric amount"),
        ("inf", "non-numeric amount"),
        ("1.2.3", "non-numeric amount"),
        ("₪", "non-numeric amount"),
    ],
)
def test_parse_amounts_rejects(text, reason):
    values, why = parse_amounts(pd.Series([text], dtype="str"), decimal=".")
    assert np.isnan(values.iloc[0])
    assert why.iloc[0] == reason


def test_parse_amounts_decimal_comma():
    texts = pd.Series(["1.234,50", "12,5", "€ 3,00", "(1.000)", "45.50", "7"], dtype="str")
    values, why = parse_amounts(texts, decimal=",")
    # '45.50' with a decimal comma is a malformed thousands group, not 45.5
    np.testing.assert_array_equal(values.to_numpy(), [1234.5, 12.5, 3.0, -1000.0, np.nan, 7.0])
    assert why.isna().tolist() == [True, True, True, True, False, True]


def test_parse_amounts_explicit_thousands():
    values, _ = parse_amounts(pd.Series(["1'234.5", "12'0"], dtype="str"), thousands="'")
    np.testing.assert_array_equal(values.to_numpy(), [1234.5, 120.0])  # every ' removed


@settings(max_examples=60, deadline=None)
@given(
    cents=st.integers(min_value=-(10**11), max_value=10**11),
    style=st.sampled_from(["plain", "grouped", "shekel", "paren", "comma"]),
)
def test_parse_amounts_round_trips_formatted_money(cents, style):
    value = cents / 100
    mag = f"{abs(value):,.2f}"
    if style == "plain":
        text, dec = f"{value:.2f}", "."
    elif style == "grouped":
        text, dec = ("-" if value < 0 else "") + mag, "."
    elif style == "shekel":
        text, dec = ("-" if value < 0 else "") + "₪" + mag, "."
    elif style == "paren":
        text, dec = (f"({mag})" if value < 0 else mag), "."
    else:  # European: 1.234,56
        text = mag.replace(",", "_").replace(".", ",").replace("_", ".")
        text, dec = ("-" if value < 0 else "") + text, ","
    values, why = parse_amounts(pd.Series([text], dtype="str"), decimal=dec)
    assert why.isna().all(), text
    assert values.iloc[0] == pytest.approx(value, abs=1e-9) or (value == 0 and values.iloc[0] == 0)


def test_clean_ids_keep_leading_zeros_and_flag_blanks():
    values, why = clean_ids(pd.Series([" 00042 ", "\u200f123\u200e", " ", None, "A-7"]))
    assert values.tolist()[:2] == ["00042", "123"]
    assert values.isna().tolist() == [False, False, True, True, False]
    assert str(values.dtype) in ("str", "string", "object")
    assert [None if pd.isna(r) else r for r in why] == [
        None,
        None,
        "blank customer id",
        "blank customer id",
        None,
    ]


def test_clean_text_blank_to_missing():
    out = clean_text(pd.Series(["  North ", "", None]))
    assert out.iloc[0] == "North" and out.iloc[1:].isna().all()


def test_normalize_header_strips_marks_and_normalises_unicode():
    assert normalize_header("\ufeff\u200f מספר  לקוח \u200e") == "מספר לקוח"
    # 'é' decomposed (e + combining acute) equals the composed form after NFC
    assert normalize_header("Cafe\u0301") == "Caf\u00e9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1e3", 1000.0), ("1.5E+03", 1500.0), ("5.", 5.0), (".5", 0.5), ("+5", 5.0)],
)
def test_parse_amounts_same_answer_on_clean_and_messy_columns(text, expected):
    # a clean column takes pyarrow's cast, a column with one bad cell the regex path
    clean, _ = parse_amounts(pd.Series([text], dtype="str"))
    messy, why = parse_amounts(pd.Series([text, "abc"], dtype="str"))
    assert clean.iloc[0] == messy.iloc[0] == expected
    assert why.tolist()[0] is np.nan or pd.isna(why.tolist()[0])
