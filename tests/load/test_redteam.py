"""Red-team inputs for the loader of #12: hostile exports the first tests did not think of.

Each test writes a small generated file into ``tmp_path`` and checks the numbers
read against values worked out by hand (said in the test).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from retainlib.load.transactions import read_transactions

HEADER = "customer_id,date,amount\n"


def _csv(tmp_path, body: str, name: str = "sales.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes((HEADER + body).encode(encoding))
    return path


# ------------------------------------------------------------------------------------ amounts


@pytest.mark.parametrize(
    ("text", "value"),
    [("12.-", 12.0), ("₪12.-", 12.0), ("12.- ₪", 12.0), ("(12.-)", -12.0), ("-12.-", -12.0),
     ("12,-", 12.0), ("12.--", 12.0), ("12-", -12.0), ("1.5-", -1.5)],
)
def test_dash_in_place_of_decimals_is_a_whole_amount_not_a_return(tmp_path, text, value):
    # '12.-' is a price tag's 12.00: the dash after the decimal mark is not a trailing minus
    # (before the fix '12.-' was read as -12, a return, with exit 0); '12-' stays a return
    path = _csv(tmp_path, f'1,2024-01-01,"{text}"\n2,2024-01-02,7\n')
    tx, report = read_transactions(path)
    assert tx["amount"].tolist() == [value, 7.0]
    assert report.rows_kept == 2


# ------------------------------------------------------- numbers stored as numbers (Excel, Parquet)


def _workbook(tmp_path, rows, name="sales.xlsx"):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["customer_id", "date", "amount"])
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


def test_excel_number_cell_is_not_read_with_the_decimal_comma_of_text_cells(tmp_path):
    # a number cell 1.234 (one shekel and 234 thousandths) beside a text cell '12,5': the text
    # shows ',' as decimal mark, but the number cell is a number, not text: 1.234 + 12.5 = 13.734
    # (before the fix the number cell was read as 1234, revenue 1246.5 with exit 0)
    day = dt.datetime(2024, 1, 1)
    path = _workbook(tmp_path, [["a", day, 1.234], ["b", day, "12,5"]])
    tx, report = read_transactions(path)
    assert tx["amount"].tolist() == [1.234, 12.5]
    assert report.revenue == pytest.approx(13.734)


@pytest.mark.parametrize("decimal", [None, ",", "."])
def test_excel_number_cells_need_no_decimal_mark(tmp_path, decimal):
    # number cells 1.234 and 2 read as they are whatever read.decimal says (before: refused
    # as not showing the mark, and with decimal=',' 1.234 became 1234): 1.234 + 2 = 3.234
    day = dt.datetime(2024, 1, 1)
    path = _workbook(tmp_path, [["a", day, 1.234], ["b", day, 2]])
    tx, _ = read_transactions(path, decimal=decimal)
    assert tx["amount"].tolist() == [1.234, 2.0]


def test_excel_text_amounts_still_show_their_mark_beside_number_cells(tmp_path):
    # number cell 1234.5 and text '1.234,5' (',' decimals): both are 1234.5
    day = dt.datetime(2024, 1, 1)
    path = _workbook(tmp_path, [["a", day, 1234.5], ["b", day, "1.234,5"], ["c", day, None]])
    tx, report = read_transactions(path)
    assert tx["amount"].tolist() == [1234.5, 1234.5]
    assert report.rejected_counts() == {"blank amount": 1}
    assert report.rows_read == report.rows_kept + report.rows_rejected == 3


def test_parquet_and_frame_float_amounts_need_no_decimal_mark(tmp_path):
    # float amounts 1.234 and 5.678 are numbers: no read.decimal needed (before: refused),
    # and decimal=',' does not turn them into 1234 / unreadable texts
    pq = pytest.importorskip("pyarrow.parquet")
    import decimal

    import pyarrow as pa

    frame = pd.DataFrame({"customer_id": ["a", "b", "c"],
                          "date": ["2024-01-01", "2024-01-02", "2024-01-03"],
                          "amount": [1.234, 5.678, float("inf")]})
    path = tmp_path / "sales.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    tx, report = read_transactions(path)
    assert tx["amount"].tolist() == [1.234, 5.678]
    assert report.rejected_counts() == {"non-numeric amount": 1}  # inf is no amount
    tx, _ = read_transactions(frame.iloc[:2], decimal=",")
    assert tx["amount"].tolist() == [1.234, 5.678]
    dec = pa.table({"customer_id": ["a", "b"], "date": ["2024-01-01", "2024-01-02"],
                    "amount": pa.array([decimal.Decimal("1.234"), decimal.Decimal("-2.500")],
                                       pa.decimal128(10, 3))})
    pq.write_table(dec, path)
    tx, _ = read_transactions(path)
    assert tx["amount"].tolist() == [1.234, -2.5]


def test_survey_score_cells_of_a_workbook_need_no_decimal_mark(tmp_path):
    # score cells 7.5 and 9 stored as numbers, one text score '8,5': scores 7.5, 9 and 8.5
    # (the number cell '7.5' is no evidence against the text's ',')
    from retainlib.load.survey import read_survey

    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["customer_id", "date", "score"])
    for r in [["a", dt.datetime(2024, 1, 1), 7.5], ["b", dt.datetime(2024, 1, 1), 9],
              ["c", dt.datetime(2024, 1, 1), "8,5"]]:
        ws.append(r)
    wb.save(tmp_path / "survey.xlsx")
    answers, report = read_survey(tmp_path / "survey.xlsx")
    assert report.rejected_counts() == {"non-integer score": 2}  # NPS scores are whole 0-10
    assert answers["score"].tolist() == [9]


# ----------------------------------------------------------------------------------- encodings


def test_cp1255_file_whose_only_high_byte_is_the_shekel_sign(tmp_path):
    # '5 ₪' in cp1255 is byte 0xA4, which cp1252 reads as '¤': before the fix the file was
    # read as cp1252 and the row rejected ('5 ¤' non-numeric); now cp1255, amounts 5 + 6 = 11
    path = _csv(tmp_path, "1,2024-01-01,5 ₪\n2,2024-01-02,6\n", encoding="cp1255")
    tx, report = read_transactions(path)
    assert report.encoding == "cp1255"
    assert tx["amount"].tolist() == [5.0, 6.0]


def test_cp1255_file_with_single_hebrew_letters_is_read_not_refused(tmp_path):
    # one-letter Hebrew codes ('א', 'ב') make no Hebrew words, and cp1252 cannot explain them
    # (an accented letter alone): cp1255 is the only code page that does, so it is used
    path = tmp_path / "sales.csv"
    path.write_bytes("customer_id,date,amount,grade\n1,2024-01-01,5,א\n2,2024-01-02,6,ב\n"
                     .encode("cp1255"))
    tx, report = read_transactions(path, segments=["grade"])
    assert report.encoding == "cp1255"
    assert tx["grade"].tolist() == ["א", "ב"]


# ------------------------------------------------------------------------------- ids, segments

_SPACES = ["\u00a0", "\u202f", "\u2009", "\u3000", "\u1680", "\u2028", "\t", "\r\n", "  "]


@pytest.mark.parametrize("space", _SPACES)
def test_ids_differing_only_in_the_kind_of_space_are_one_customer(tmp_path, space):
    # 'יוסי<space>כהן' and 'יוסי כהן' are one customer (before: two, e.g. with a no-break space
    # from Excel); the segment column is compared the same way: one region 'North East'
    path = tmp_path / "sales.csv"
    path.write_text("customer_id,date,amount,region\n"
                    f'"יוסי{space}כהן",2024-01-01,5,"North{space}East"\n'
                    "יוסי כהן,2024-01-02,6,North East\n", encoding="utf-8")
    tx, report = read_transactions(path, segments=["region"])
    assert tx["customer_id"].tolist() == ["יוסי כהן", "יוסי כהן"]
    assert tx["region"].nunique() == 1
    assert report.summary()["customers"] == 1


@pytest.mark.parametrize("blank", ["\u3000", "\u2028", "\u1680", "\u3000\u00a0"])
def test_an_id_of_unicode_spaces_only_is_blank(tmp_path, blank):
    # an ideographic space or line separator alone is no customer: 'blank customer id'
    path = _csv(tmp_path, f'"{blank}",2024-01-01,5\n2,2024-01-02,6\n')
    tx, report = read_transactions(path)
    assert tx["customer_id"].tolist() == ["2"]
    assert report.rejected_counts() == {"blank customer id": 1}


def test_ids_in_decomposed_unicode_are_one_customer(tmp_path):
    # 'José' exported by a Mac (e + combining acute, NFD) and by Windows (é): one customer
    path = _csv(tmp_path, "Jose\u0301,2024-01-01,5\nJos\u00e9,2024-01-02,6\n")
    tx, report = read_transactions(path)
    assert tx["customer_id"].tolist() == ["Jos\u00e9", "Jos\u00e9"]
    assert report.summary()["customers"] == 1


_hyp = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_SPACES + [" "]), min_size=1, max_size=3),
       st.text(alphabet="abcאבג12", min_size=1, max_size=4),
       st.text(alphabet="abcאבג12", min_size=1, max_size=4))
def test_any_run_of_whitespace_inside_an_id_reads_as_one_space(spaces, left, right):
    # rule: inner whitespace of any kind and length is one space
    from retainlib.load.parsing import clean_ids

    values, _ = clean_ids(pd.Series([left + "".join(spaces) + right, f"{left} {right}"]))
    assert values[0] == values[1] == f"{left} {right}"
