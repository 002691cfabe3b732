"""Headers that could be read wrongly in silence: repeats, case variants, one column twice."""

from __future__ import annotations

import pytest

import retainlib as rl
from retainlib.errors import DataError
from retainlib.load._table import dedupe_headers


def _csv(tmp_path, header, row="c1,2024-01-05,10,20"):
    path = tmp_path / "sales.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("header", ["customer_id,date,amount,amount",
                                    "customer_id,date,amount,Amount ",
                                    "customer_id,date,AMOUNT,amount"])
def test_two_columns_for_one_name_are_an_error_naming_both(tmp_path, header):
    # before: the first 'amount' won silently (revenue from the wrong column)
    with pytest.raises(DataError, match=r"sales.csv has 2 columns named like 'amount'") as info:
        rl.read_transactions(_csv(tmp_path, header))
    second = header.split(",")[3].strip()
    assert repr(second) in str(info.value) or f"'{second} (2)'" in str(info.value)


def test_repeated_columns_nobody_asked_for_are_fine(tmp_path):
    tx, report = rl.read_transactions(_csv(tmp_path, "customer_id,date,amount,note,note",
                                           "c1,2024-01-05,10,a,b"))
    assert report.rows_kept == 1 and tx["amount"].tolist() == [10.0]


def test_one_file_column_for_two_roles_is_an_error(tmp_path):
    path = _csv(tmp_path, "amount,date,total", "5,2024-01-05,10")
    with pytest.raises(DataError, match=r"customer_id and amount both name the column 'amount'"):
        rl.read_transactions(path, columns={"customer_id": "amount", "amount": "amount"})


def test_a_header_that_looks_numbered_can_still_be_asked_for(tmp_path):
    path = _csv(tmp_path, "id,date,sales (2)", "c1,2024-01-05,7")
    tx, _ = rl.read_transactions(path, columns={"customer_id": "id", "amount": "sales (2)"})
    assert tx["amount"].tolist() == [7.0]


def test_dedupe_headers_numbers_repeats_in_order_and_scales():
    assert dedupe_headers(["a", "a", "a (2)", "a", None, ""]) == [
        "a", "a (2)", "a (2) (2)", "a (3)", "column 5", "column 6"]
    names = dedupe_headers(["x"] * 4000)  # was cubic: 4,000 equal names took over a minute
    assert names[0] == "x" and names[-1] == "x (4000)" and len(set(names)) == 4000


def test_two_columns_for_one_name_in_a_workbook(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["customer_id", "date", "Amount", "amount "])
    ws.append(["c1", "2024-01-05", 10, 20])
    wb.save(tmp_path / "sales.xlsx")
    with pytest.raises(DataError, match=r"sales.xlsx has 2 columns named like 'amount'"):
        rl.read_transactions(tmp_path / "sales.xlsx")
