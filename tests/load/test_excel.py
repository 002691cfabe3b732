"""Excel sheets read with python-calamine (retainlib/load/_excelread.py).

Workbooks are written with openpyxl into tmp_path; some are edited at the
XML level to hold what only other programs write (saved formula results,
error cells, shared formulas); the OLE files of password-protected workbooks
are built byte by byte ([MS-CFB]: a header, one FAT sector, one directory
sector).
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainlib.errors import DataError
from retainlib.load import _excelread
from retainlib.load._excelread import read_excel
from retainlib.load._table import RawTable, dedupe_headers, drop_blank_rows
from retainlib.load.parsing import TEXT
from retainlib.load.transactions import read_raw, read_transactions

openpyxl = pytest.importorskip("openpyxl")


def _save(path, rows, *, title="Sales", formats=None):
    """Write ``rows`` (lists of cells) to one sheet; ``formats`` maps 'B4' -> number format."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


def _edit_sheet_xml(path, edit):
    """Rewrite the first sheet's XML of an .xlsx with ``edit(text) -> text``."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = edit(parts[name].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)


def _ole_file(path, *names):
    """A minimal OLE compound file whose directory lists ``names`` (streams, no content)."""
    head = bytearray(512)
    head[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", head, 0x18, 0x3E, 3, 0xFFFE, 9, 6)  # version 3, 512-byte sectors
    # 1 FAT sector, directory at sector 1, no mini FAT, no extra DIFAT sectors
    struct.pack_into("<IIIIIIII", head, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", head, 0x4C, 0, *[0xFFFFFFFF] * 108)  # the FAT is sector 0
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *[0xFFFFFFFF] * 126)
    directory = bytearray(512)
    for i, (name, kind) in enumerate([("Root Entry", 5)] + [(n, 2) for n in names]):
        raw = name.encode("utf-16-le") + b"\0\0"
        directory[i * 128 : i * 128 + len(raw)] = raw
        struct.pack_into("<HBB", directory, i * 128 + 0x40, len(raw), kind, 1)
    path.write_bytes(bytes(head) + fat + bytes(directory))
    return path


def _read_excel_openpyxl(path, sheet):
    """The previous Excel reader (openpyxl, read-only, cached values), kept to compare with."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb[wb.sheetnames[sheet] if isinstance(sheet, int) else sheet or wb.sheetnames[0]]
    cells = list(ws.iter_rows(min_row=1, values_only=True))
    wb.close()

    def text(v):
        if v is None or v == "":
            return None
        if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
            return str(int(v))
        if hasattr(v, "isoformat"):
            return v.isoformat(sep=" ") if hasattr(v, "hour") and hasattr(v, "date") else (
                v.isoformat())
        return str(v)

    h = _excelread._header_in(cells[:30])
    rows = [tuple(text(v) for v in r) for r in cells]
    ncol = max(max((i + 1 for i, v in enumerate(r) if v is not None), default=0)
               for r in rows[h:])
    header = (list(rows[h]) + [None] * ncol)[:ncol]
    data = [(list(r) + [None] * ncol)[:ncol] for r in rows[h + 1 :]]
    frame = pd.DataFrame(data, columns=dedupe_headers(header), dtype=TEXT)
    lines = np.arange(h + 2, h + 2 + len(data), dtype=np.int64)
    return drop_blank_rows(RawTable(frame, lines, path.name, None))


HEB = {"customer_id": "מספר לקוח", "date": "תאריך", "amount": "סכום"}


def _mixed_sheet(path):
    """Title row, Hebrew header, text/number ids, dates with and without time, blanks, a total."""
    return _save(path, [
        ["דוח מכירות ינואר"],  # row 1: title
        [],  # row 2: empty
        ["מספר לקוח", "תאריך", "סכום", "אזור", None, "הערה"],  # row 3: header (a blank header)
        [12345, dt.datetime(2024, 1, 2, 13, 45, 7), 19.99, "צפון", None, "ok"],  # row 4
        ["לקוח 7", dt.date(2024, 1, 3), "₪1,234.50", "דרום", None, None],  # row 5
        ["00043", "31/01/2024", -45.0, None, 7, None],  # row 6: text date, a return
        [None, None, None, None, None, None],  # row 7: empty
        ["לקוח 8", dt.datetime(2024, 1, 4), None, "מרכז", None, "no amount"],  # row 8
        [None, dt.datetime(2024, 1, 5), 12.5, "מרכז", None, None],  # row 9: no id
        ["לקוח 9", 45296, 99.99, "צפון", None, None],  # row 10: serial 45296 = 2024-01-05
        ['סה"כ', None, 1309.48, None, None, None],  # row 11: total of rows 4-10 with ids
    ])


def test_mixed_sheet_reads_as_the_previous_openpyxl_reader_did(tmp_path, monkeypatch):
    path = _mixed_sheet(tmp_path / "sales.xlsx")
    kw = dict(columns=HEB, segments={"region": "אזור"}, dayfirst=True)
    tx, report = read_transactions(path, **kw)
    monkeypatch.setattr(_excelread, "read_excel", _read_excel_openpyxl)
    old_tx, old_report = read_transactions(path, **kw)
    pd.testing.assert_frame_equal(tx, old_tx)
    for field in ("rows_read", "rows_kept", "rows_rejected", "blank_lines", "revenue"):
        assert getattr(report, field) == getattr(old_report, field), field
    pd.testing.assert_frame_equal(report.rejected[["line", "reason", "customer_id", "amount"]],
                                  old_report.rejected[["line", "reason", "customer_id", "amount"]])
    # by hand: rows 4, 5, 6, 10 kept; 8 blank amount, 9 blank id, 11 total; row 7 blank
    assert tx["customer_id"].tolist() == ["12345", "לקוח 7", "00043", "לקוח 9"]
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-02 13:45:07"), pd.Timestamp("2024-01-03"),
                                   pd.Timestamp("2024-01-31"), pd.Timestamp("2024-01-05")]
    assert tx["amount"].tolist() == [19.99, 1234.5, -45.0, 99.99]
    assert report.rejected[["line", "reason"]].values.tolist() == [
        [8, "blank amount"], [9, "blank customer id"], [11, "total row"]]
    assert (report.rows_read, report.blank_lines) == (7, 1)


def test_mixed_sheet_columns_as_text(tmp_path):
    raw = read_raw(_mixed_sheet(tmp_path / "sales.xlsx"))
    assert list(raw.frame.columns) == ["מספר לקוח", "תאריך", "סכום", "אזור", "column 5", "הערה"]
    assert raw.frame["תאריך"].tolist()[:3] == ["2024-01-02 13:45:07", "2024-01-03", "31/01/2024"]
    assert raw.frame["column 5"].tolist()[2] == "7"
    assert raw.lines.tolist() == [4, 5, 6, 8, 9, 10, 11]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), min_size=1,
                max_size=30))
def test_amounts_arrive_exactly_as_stored(tmp_path_factory, amounts):
    path = tmp_path_factory.mktemp("x") / "sales.xlsx"
    _save(path, [["customer_id", "date", "amount"]]
          + [[f"c{i}", dt.date(2024, 1, 1), 1.5] for i in range(len(amounts))])
    # store each amount as Excel does, with all its digits (openpyxl keeps only 16)
    stored = iter(repr(a) for a in amounts)
    _edit_sheet_xml(path, lambda xml: re.sub(
        r'(<c r="C\d+" t="n"><v>)1.5(</v>)', lambda m: m.group(1) + next(stored) + m.group(2),
        xml))
    tx, report = read_transactions(path)
    assert report.rows_kept == len(amounts)
    assert tx["amount"].tolist() == [a + 0.0 for a in amounts]  # + 0.0: -0.0 reads as 0.0


def test_number_ids_are_text_without_point_zero(tmp_path):
    path = _save(tmp_path / "sales.xlsx", [["customer_id", "date", "amount"],
                                           [12345, dt.date(2024, 1, 1), 1],
                                           [12345.5, dt.date(2024, 1, 1), 2],
                                           [2.0**53, dt.date(2024, 1, 1), 3]])
    tx, _ = read_transactions(path)
    # 2**53 is beyond the whole floats written as integers: written as Python writes the float
    assert tx["customer_id"].tolist() == ["12345", "12345.5", "9007199254740992.0"]


def test_date_cells_keep_their_time_and_day_0_reaches_the_date_parser(tmp_path):
    path = _save(tmp_path / "sales.xlsx", [
        ["customer_id", "date", "amount", "opened at"],
        ["a", dt.datetime(2024, 1, 2, 13, 45, 7), 1, dt.time(9, 0)],
        ["b", 0, 2, dt.time(0, 0)],  # row 3: serial 0 formatted as a date: an empty date cell
        ["c", dt.time(12, 30), 3, dt.time(10, 0)],  # row 4: a time alone in the date column
    ], formats={"B3": "dd/mm/yyyy"})
    raw = read_raw(path)
    assert raw.frame["date"].tolist() == [
        "2024-01-02 13:45:07", "1899-12-30", "1899-12-30 12:30:00"]
    # a column of times only (no dates) keeps them as times of day
    assert raw.frame["opened at"].tolist() == ["09:00:00", "00:00:00", "10:00:00"]
    tx, report = read_transactions(path)
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-02 13:45:07")]
    # the date parser's rules: day 0 is a blank date, a time without a day an incomplete one
    assert report.rejected[["line", "reason"]].values.tolist() == [
        [3, "blank date"], [4, "incomplete date"]]


def test_unsaved_formula_results_are_refused_naming_the_column(tmp_path):
    rows = [["customer_id", "date", "price", "amount"]]
    rows += [[f"c{i}", dt.date(2024, 1, 1), i, f"=C{i + 2}*2"] for i in range(200)]
    path = _save(tmp_path / "sales.xlsx", rows)  # openpyxl writes formulas without results
    with pytest.raises(DataError) as err:
        read_transactions(path)
    assert str(err.value) == (
        "sales.xlsx has 200 formula cells in column 'amount' without saved results (it was "
        "written by a program that does not calculate formulas); open it in Excel or "
        "LibreOffice and save it again")


def test_unsaved_shared_and_namespaced_formulas_are_found(tmp_path):
    path = _save(tmp_path / "sales.xlsx", [["customer_id", "date", "amount"],
                                           ["a", dt.date(2024, 1, 1), 5],
                                           ["b", dt.date(2024, 1, 1), 6],
                                           ["c", dt.date(2024, 1, 1), 7]])

    def edit(xml):
        xml = xml.replace('<c r="C3" t="n"><v>6</v></c>',
                          '<c r="C3"><f t="shared" ref="C3:C4" si="0">C2+1</f></c>')
        xml = xml.replace('<c r="C4" t="n"><v>7</v></c>', '<c r="C4"><f t="shared" si="0"/></c>')
        return xml

    _edit_sheet_xml(path, edit)
    with pytest.raises(DataError, match=r"^sales.xlsx has 2 formula cells in column 'amount' "):
        read_transactions(path)
    path2 = _save(tmp_path / "other.xlsx", [["customer_id", "date", "amount"],
                                            ["a", dt.date(2024, 1, 1), 5]])
    _edit_sheet_xml(path2, lambda xml: re.sub(r"<(/?)(\w+)", r"<\1x:\2", xml).replace(
        '<x:c r="A2" t="inlineStr">', '<x:c r="A2"><x:f>UPPER("a")</x:f><x:v/></x:c><x:c r="Z2" '
        't="inlineStr">').replace('xmlns=', 'xmlns:x='))
    with pytest.raises(DataError, match=r"^other.xlsx has 1 formula cell in column 'customer_id' "):
        read_raw(path2)


def test_saved_formula_results_and_error_cells_are_read(tmp_path):
    path = _save(tmp_path / "sales.xlsx", [["customer_id", "date", "amount"],
                                           ["a", dt.date(2024, 1, 1), 5],
                                           ["b", dt.date(2024, 1, 1), 6],
                                           ["c", dt.date(2024, 1, 1), 7]])

    def edit(xml):  # what Excel writes: the formula with its result; an error; an empty text
        xml = xml.replace('<c r="C2" t="n"><v>5</v></c>', '<c r="C2"><f>2+3</f><v>5</v></c>')
        xml = xml.replace('<c r="C3" t="n"><v>6</v></c>',
                          '<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
        return xml.replace('<c r="C4" t="n"><v>7</v></c>', '<c r="C4" t="str"><f>""</f><v></v></c>')

    _edit_sheet_xml(path, edit)
    tx, report = read_transactions(path)
    assert tx["amount"].tolist() == [5.0]
    assert report.rejected[["line", "reason"]].values.tolist() == [
        [3, "non-numeric amount"], [4, "blank amount"]]
    assert report.rejected["amount"].iloc[0] == "#DIV/0!"
    assert pd.isna(report.rejected["amount"].iloc[1])


def test_password_protected_workbook_is_named_with_the_fix(tmp_path):
    path = _ole_file(tmp_path / "sales.xlsx", "EncryptionInfo", "EncryptedPackage")
    with pytest.raises(DataError) as err:
        read_excel(path, None)
    assert str(err.value) == (
        "sales.xlsx is password-protected; open it in Excel, remove the password "
        "(File > Info > Protect Workbook) and save it again")


def test_ole_file_without_a_workbook_is_not_taken_for_excel(tmp_path):
    path = _ole_file(tmp_path / "sales.xls", "WordDocument")
    with pytest.raises(DataError, match=r"^sales.xls is not an Excel workbook \(an Office file"):
        read_excel(path, None)


def test_ole_directory_names_are_read(tmp_path):
    path = _ole_file(tmp_path / "x.xls", "Workbook", "\x05SummaryInformation")
    with path.open("rb") as fh:
        assert _excelread.ole_stream_names(fh) == {
            "Root Entry", "Workbook", "\x05SummaryInformation"}


def test_cut_off_workbook_is_refused_as_damaged(tmp_path):
    path = _mixed_sheet(tmp_path / "sales.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError) as err:
        read_transactions(path)
    assert str(err.value) == (
        "sales.xlsx is not a complete Excel workbook (its zip archive is incomplete): the file "
        "is damaged or was cut off while copying; copy or export it again")


def test_empty_workbook_and_empty_sheet(tmp_path):
    path = _save(tmp_path / "sales.xlsx", [])
    with pytest.raises(DataError) as err:
        read_transactions(path)
    assert str(err.value) == (
        "sales.xlsx is an empty workbook (no sheet holds a value); export the data again")
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.create_sheet("Sales").append(["customer_id", "date", "amount"])
    wb.save(path)
    with pytest.raises(DataError) as err:
        read_transactions(path)
    assert str(err.value) == (
        "sheet 'Notes' of sales.xlsx is empty; the sheets with data are: 'Sales'; choose one "
        "with the sheet option (e.g. sheet: 'Sales' in a client config)")


def test_sheet_with_only_a_header(tmp_path):
    path = _save(tmp_path / "sales.xlsx", [["Sales 2024"], ["customer_id", "date", "amount"]])
    with pytest.raises(DataError) as err:
        read_transactions(path)
    assert str(err.value) == "sales.xlsx has no data rows below its header; export the data again"


def test_sheet_option_by_name_and_number(tmp_path):
    path = tmp_path / "sales.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["read me"])
    ws = wb.create_sheet("מכירות")
    ws.append(["customer_id", "date", "amount"])
    ws.append(["a", dt.date(2024, 1, 1), 10])
    wb.save(path)
    for sheet in ("מכירות", 1):
        tx, _ = read_transactions(path, sheet=sheet)
        assert tx["amount"].tolist() == [10.0]
    with pytest.raises(DataError) as err:
        read_transactions(path, sheet=2)
    assert str(err.value) == (
        "sales.xlsx has no sheet number 2 (counting from 0); its sheets are: 'Notes', 'מכירות'")
    with pytest.raises(DataError, match=r"^sheet 'sales' not found in sales.xlsx; sheets are: "):
        read_transactions(path, sheet="sales")


def test_header_found_below_many_empty_rows(tmp_path):
    rows = [[]] * 40 + [["customer_id", "date", "amount"], ["a", dt.date(2024, 1, 1), 3]]
    tx, report = read_transactions(_save(tmp_path / "sales.xlsx", rows))
    assert tx["amount"].tolist() == [3.0]
    assert report.rows_read == 1


def test_rejected_rows_carry_sheet_row_numbers_below_a_title(tmp_path):
    path = _save(tmp_path / "sales.xlsx", [
        ["Export 2024"], ["customer_id", "date", "amount"],
        ["a", dt.date(2024, 1, 1), 3], [], ["b", dt.date(2024, 1, 2), "n/a"]])
    _, report = read_transactions(path)
    assert report.rejected[["line", "reason"]].values.tolist() == [[5, "non-numeric amount"]]


def test_ods_workbook_is_read(tmp_path):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="מכירות">'
        + "".join(
            "<table:table-row>" + "".join(cells) + "</table:table-row>"
            for cells in [
                [f'<table:table-cell office:value-type="string"><text:p>{n}</text:p>'
                 "</table:table-cell>" for n in ("customer_id", "date", "amount")],
                ['<table:table-cell office:value-type="float" office:value="12345"/>',
                 '<table:table-cell office:value-type="date" '
                 'office:date-value="2024-01-02T13:45:07"/>',
                 '<table:table-cell office:value-type="float" '
                 'office:value="0.30000000000000004"/>'],
            ])
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "sales.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", (
            '<manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'))
    raw = read_excel(path, None)
    assert raw.frame.values.tolist() == [["12345", "2024-01-02 13:45:07", "0.30000000000000004"]]
    assert raw.lines.tolist() == [2]
