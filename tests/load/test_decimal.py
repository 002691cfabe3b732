"""The decimal mark of amounts inferred from the whole column (``decimal=None``, issue #12).

Evidence for ',' is a text that reads as a number with ',' as decimal mark and
not with '.' (12,5 / 3,99 / 1.234,56); evidence for '.' the same the other way
(12.5 / 1,234.56). One side's evidence decides; both sides, or none while a
text reads as two numbers (667,970 = 667970 or 667.97), is a DataError.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainlib.cli import main
from retainlib.errors import DataError
from retainlib.load._numbers import DecimalMarkUnclear, parse_amounts, parse_numbers
from retainlib.load.survey import read_survey
from retainlib.load.transactions import read_transactions

FIX = ("set read.decimal: ',' or read.decimal: '.' in the client config "
       "(decimal=',' or decimal='.' in Python)")


def _semicolon_file(path, amounts):
    """A ';'-separated export, one row per amount: customer C<i>, 2024-01-<i+1>."""
    rows = "".join(f"C{i};2024-01-{i + 1:02d};{a}\n" for i, a in enumerate(amounts))
    path.write_text("customer_id;date;amount\n" + rows, encoding="utf-8")
    return path


def _amounts(texts, **kw):
    values, reasons = parse_amounts(pd.Series(texts, dtype="str"), **kw)
    return values.tolist(), [None if pd.isna(r) else r for r in reasons]


# ------------------------------------------------------------------------- files


def test_semicolon_file_with_decimal_commas_is_not_read_times_1000(tmp_path):
    # '12,5' can only be 12.5, so ',' is the mark and 667,970 is 667.97, not 667970:
    # revenue 667.97 + 12.5 + 3.99 = 684.46
    path = _semicolon_file(tmp_path / "sales.csv", ["667,970", "12,5", "3,99"])
    tx, report = read_transactions(path)
    assert tx["amount"].tolist() == [667.97, 12.5, 3.99]
    assert report.revenue == pytest.approx(684.46)
    assert report.rows_rejected == 0


def test_dots_as_thousands_before_a_decimal_comma(tmp_path):
    # 1.234,56 -> 1234.56; 1.000 is then 1000 (the '.' groups); 2,5 -> 2.5
    path = _semicolon_file(tmp_path / "sales.csv", ["1.234,56", "1.000", "2,5"])
    tx, _ = read_transactions(path)
    assert tx["amount"].tolist() == [1234.56, 1000.0, 2.5]


def test_commas_as_thousands_before_a_decimal_point(tmp_path):
    # 1,234.56 shows '.', so 1,000 is a thousand
    path = _semicolon_file(tmp_path / "sales.csv", ["1,234.56", "1,000", "12.5"])
    tx, _ = read_transactions(path)
    assert tx["amount"].tolist() == [1234.56, 1000.0, 12.5]


def test_column_of_only_ambiguous_values_is_refused_with_the_line_and_both_readings(tmp_path):
    path = _semicolon_file(tmp_path / "sales.csv", ["12", "667,970", "1,234"])
    with pytest.raises(DataError) as info:
        read_transactions(path)
    assert str(info.value) == (
        "amounts in column 'amount' of sales.csv do not show their decimal mark: '667,970' on "
        f"line 3 reads as 667970 with '.' as decimal mark or as 667.97 with ','; {FIX}"
    )


def test_column_mixing_the_marks_is_refused_naming_one_example_of_each(tmp_path):
    amounts = ["10", "12,5", "3", "4", "5", "6", "12.5", "3,99"]  # lines 2..9
    path = _semicolon_file(tmp_path / "sales.csv", amounts)
    with pytest.raises(DataError) as info:
        read_transactions(path)
    assert str(info.value) == (
        "amounts in column 'amount' of sales.csv use both ',' and '.' as decimal mark (e.g. "
        f"'12,5' on line 3 and '12.5' on line 8); {FIX}"
    )


def test_cli_exits_2_on_an_ambiguous_column_with_one_line(tmp_path, capsys):
    path = _semicolon_file(tmp_path / "sales.csv", ["667,970", "1.500"])
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "'667,970' on line 2" in err and "read.decimal" in err


def test_an_explicit_mark_keeps_the_strict_reading(tmp_path):
    path = _semicolon_file(tmp_path / "sales.csv", ["667,970", "12,5", "12.5"])
    tx, report = read_transactions(path, decimal=",")
    # ',' given: 12.5 is a malformed thousands group, rejected; nothing is inferred
    assert tx["amount"].tolist() == [667.97, 12.5]
    assert report.rejected[["line", "reason"]].values.tolist() == [[4, "non-numeric amount"]]
    tx, report = read_transactions(path, decimal=".")
    assert tx["amount"].tolist() == [667970.0, 12.5]  # as asked: ',' groups thousands
    assert report.rejected[["line", "reason"]].values.tolist() == [[3, "non-numeric amount"]]


def test_a_frame_goes_through_the_same_inference():
    frame = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2024-01-01"] * 2,
                          "amount": ["7,5", "1.000"]})
    tx, _ = read_transactions(frame)
    assert tx["amount"].tolist() == [7.5, 1000.0]
    frame["amount"] = ["1.000", "2.000"]
    with pytest.raises(DataError, match=r"'1\.000' on line 1 reads as 1 with '\.' as decimal "
                                        r"mark or as 1000 with ','"):
        read_transactions(frame)


def test_survey_scores_with_decimal_none():
    raw = pd.DataFrame({"customer_id": ["1", "2", "3"], "date": ["2024-01-05"] * 3,
                        "score": ["9", "10", "7,5"]})
    survey, report = read_survey(raw, decimal=None)
    # 7,5 shows ','; it is 7.5, not an integer score
    assert survey["score"].tolist() == [9, 10]
    assert report.rejected_counts() == {"non-integer score": 1}


# ------------------------------------------------------------------------- the parser


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # ',' shown by 2 decimals; signs, currencies, accounting and trailing minus as with '.'
        (["₪1.234,50", "(12,50)", "12,50-", "€ 3,00", "EUR 4,5", "-1,25 ₪", "7"],
         [1234.5, -12.5, -12.5, 3.0, 4.5, -1.25, 7.0]),
        # '.' shown by 1,234.56 and 0.99
        (["$1,234.56", "(1,000)", "0.99", "NIS 5", "1 234"], [1234.56, -1000.0, 0.99, 5.0, 1234.0]),
        # ',' after four digits cannot be a thousands separator
        (["1234,567", "1,234"], [1234.567, 1.234]),
        # no separators at all: nothing to infer, nothing ambiguous
        (["12", "-3", "", "1e3"], [12.0, -3.0, np.nan, 1000.0]),
    ],
)
def test_parse_amounts_infers_the_mark_from_the_column(texts, expected):
    values, _ = _amounts(texts)
    np.testing.assert_array_equal(values, expected)


def test_a_first_group_starting_with_zero_is_not_a_thousand():
    # '0,500' is half, never 500: rejected with decimal='.', read as 0.5 when inferred
    values, reasons = _amounts(["0,500"], decimal=".")
    assert np.isnan(values[0]) and reasons == ["non-numeric amount"]
    assert _amounts(["0,500", "1,500"])[0] == [0.5, 1.5]


def test_parse_numbers_names_rows_without_a_file():
    with pytest.raises(DecimalMarkUnclear) as info:
        parse_numbers(pd.Series(["5", "7,5", "7.5"]), bad_reason="non-numeric score")
    assert str(info.value) == ("scores in the column use both ',' and '.' as decimal mark "
                               f"(e.g. '7,5' in row 2 and '7.5' in row 3); {FIX}")
    assert isinstance(info.value, DataError)


def test_explicit_thousands_decides_the_mark():
    assert _amounts(["1,000", "2,500"], thousands=",")[0] == [1000.0, 2500.0]
    assert _amounts(["1.000", "2.500"], thousands=".")[0] == [1000.0, 2500.0]


def test_clean_castable_column_is_checked_beyond_its_first_values():
    # 2,000 rows: pyarrow casts them all ('.' as mark). 1.500 alone could be 1500,
    # so the column needs one text like 12.25 to show '.'; the first 1,999 do not.
    texts = ["1.500"] * 1999 + ["12.25"]
    values, reasons = _amounts(texts)
    assert values[0] == 1.5 and values[-1] == 12.25 and set(reasons) == {None}
    with pytest.raises(DecimalMarkUnclear, match=r"'1\.500' in row 1 reads as 1\.5"):
        _amounts(["1.500"] * 1999 + ["7"])


def test_castable_but_ambiguous_after_the_first_texts_is_refused():
    # the fast check looks at the first 64 values with decimals; 1.234 are all ambiguous,
    # so every distinct text is looked at: 5e-1 reads alike with either mark
    texts = ["1.234"] * 100 + ["5e-1"] * 100
    with pytest.raises(DecimalMarkUnclear):
        _amounts(texts)


# ------------------------------------------------------------------------- properties


def _format(cents: int, mark: str, grouped: bool, sign: str, currency: str) -> str:
    """An amount written with decimal mark ``mark`` (the other mark groups thousands)."""
    whole, frac = divmod(abs(cents), 100)
    digits = f"{whole:,}" if grouped else str(whole)
    if mark == ",":
        digits = digits.replace(",", ".")
    body = f"{currency}{digits}{mark}{frac:02d}"
    if cents >= 0:
        return body
    return {"minus": f"-{body}", "trailing": f"{body}-", "paren": f"({body})"}[sign]


@settings(max_examples=80, deadline=None)
@given(
    cents=st.lists(st.integers(-(10**10), 10**10), min_size=1, max_size=12),
    mark=st.sampled_from([",", "."]),
    grouped=st.lists(st.booleans(), min_size=12, max_size=12),
    sign=st.sampled_from(["minus", "trailing", "paren"]),
    currency=st.sampled_from(["", "₪", "$", "€"]),
)
def test_any_formatted_amount_round_trips_when_the_column_shows_its_mark(
    cents, mark, grouped, sign, currency
):
    # two decimals after the mark are evidence for it: the whole column reads in that mark
    texts = [_format(c, mark, grouped[i], sign, currency) for i, c in enumerate(cents)]
    values, reasons = _amounts(texts)
    assert reasons == [None] * len(texts)
    np.testing.assert_allclose(values, [c / 100 for c in cents], rtol=0, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    cents=st.lists(st.integers(-(10**8), 10**8), min_size=2, max_size=10),
    grouped=st.lists(st.booleans(), min_size=10, max_size=10),
    where=st.integers(0, 9),
)
def test_a_column_mixing_the_marks_is_refused(cents, grouped, where):
    # every amount with ',' as mark, one of them with '.': evidence on both sides
    texts = [_format(c, ",", grouped[i], "minus", "") for i, c in enumerate(cents)]
    k = where % len(texts)
    texts[k] = _format(cents[k], ".", grouped[k], "minus", "")
    with pytest.raises(DecimalMarkUnclear) as info:
        _amounts(texts)
    assert re.search(r"use both ',' and '\.' as decimal mark", str(info.value))


_cells = st.sampled_from(["10", "12,5", "(3,00)", "1.234,5", "", "abc", "1.000", "7-",
                          "₪2,25", "nan"])


@settings(max_examples=60, deadline=None)
@given(amounts=st.lists(_cells, min_size=1, max_size=30))
def test_every_row_is_kept_or_rejected_with_an_inferred_mark(tmp_path_factory, amounts):
    # no cell shows '.': with a cell showing ',' every row is kept or rejected once; without
    # one, 1.000 (1 or 1000) makes the column ambiguous
    path = _semicolon_file(tmp_path_factory.mktemp("d") / "sales.csv", amounts)
    shows_comma = {"12,5", "(3,00)", "1.234,5", "₪2,25"} & set(amounts)
    if "1.000" in amounts and not shows_comma:
        with pytest.raises(DataError, match="do not show their decimal mark: '1.000'"):
            read_transactions(path)
        return
    try:
        tx, report = read_transactions(path)
    except DataError as exc:
        assert str(exc).startswith("no usable rows")
        return
    assert report.rows_read == len(amounts) == report.rows_kept + report.rows_rejected
    expected = {"10": 10.0, "12,5": 12.5, "(3,00)": -3.0, "1.234,5": 1234.5, "1.000": 1000.0,
                "7-": -7.0, "₪2,25": 2.25}
    assert tx["amount"].tolist() == [expected[a] for a in amounts if a in expected]
    assert set(report.rejected["reason"]) <= {"blank amount", "non-numeric amount"}
