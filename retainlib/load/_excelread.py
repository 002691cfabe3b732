"""Reading an Excel sheet as text: the Excel branch of ``read_raw``.

The workbook is read by python-calamine (.xlsx, .xlsm, .xlsb, .xls and .ods,
told apart by their bytes, not their names). The header is found among the
top rows (title rows above it are skipped); cells become text (whole numbers
without '.0', other numbers as the shortest text that reads back to the same
float, dates in ISO form) and each row keeps its sheet row number for the
rejected-rows list.

A workbook that cannot be read correctly is refused with one sentence: a
password-protected file, a damaged or cut-off file, an empty workbook, and
formula cells whose results were never saved (their values are unknown:
calamine and Excel's viewers would show them as empty). Error cells such as
``#DIV/0!`` keep their text, so that they are rejected as what they are.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    ZipError,
)

from retainlib._suggest import did_you_mean
from retainlib.errors import DataError
from retainlib.load._columns import _quoted
from retainlib.load._table import RawTable, dedupe_headers, drop_blank_rows
from retainlib.load.parsing import TEXT

__all__ = ["read_excel"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_DAY_0 = dt.date(1899, 12, 30)  # serial 0; a date cell left at 0 shows this day


def read_excel(path: Path, sheet: str | int | None) -> RawTable:
    """Read one sheet of a workbook (by name, 0-based index, or the first) as text.

    Parameters
    ----------
    path : pathlib.Path
        An .xlsx, .xlsm, .xlsb, .xls or .ods workbook (recognised by its bytes).
    sheet : str or int or None
        Sheet name, 0-based sheet number, or None for the first worksheet.

    Returns
    -------
    RawTable
        One text column per sheet column from the header down (unnamed ones
        'column N'); ``lines`` are sheet row numbers; rows without any value
        are dropped and counted in ``blank_lines``.

    Raises
    ------
    DataError
        Password-protected, damaged or empty workbook, unknown sheet, empty
        sheet, or formula cells without saved results.
    """
    _refuse_encrypted(path)
    name, cells = _read_cells(path, sheet)
    h = _header_row(cells)
    columns = _sheet_columns(cells, h)
    del cells
    if any("" in c for c in columns):  # formula and error cells read as empty: look for them
        marks = _sheet_marks(path, name, h)
        if marks is not None:
            _put_error_texts(columns, marks.errors, h)
            _refuse_unsaved_formulas(marks.unsaved, columns, h, path.name)
    header = dedupe_headers([_cell_text(c[0]) for c in columns])
    texts, numbers = {}, {}
    for n, c in zip(header, columns, strict=True):
        texts[n], x = _column(c[1:])
        if x is not None:
            numbers[n] = x
    frame = pd.DataFrame(texts)
    lines = np.arange(h + 2, h + 2 + len(frame), dtype=np.int64)
    return drop_blank_rows(RawTable(frame, lines, path.name, None, numbers=numbers))


# ------------------------------------------------------------------ opening and choosing a sheet


def _password_message(name: str) -> str:
    return (
        f"{name} is password-protected; open it in Excel, remove the password "
        "(File > Info > Protect Workbook) and save it again"
    )


def _damaged_message(name: str, exc: object) -> str:
    return (
        f"{name} is not a complete Excel workbook ({exc}): the file is damaged or was cut off "
        "while copying; copy or export it again"
    )


def _refuse_encrypted(path: Path) -> None:
    """Refuse an OLE compound file that is an encrypted .xlsx, or no workbook at all.

    Excel saves a workbook with a password to open as an OLE compound file
    (the container of old .xls files) whose directory names the streams
    'EncryptionInfo' and 'EncryptedPackage'; an .xls workbook holds a
    'Workbook' (or, before Excel 97, 'Book') stream. Other files pass.
    """
    with path.open("rb") as fh:
        if fh.read(8) != _OLE_MAGIC:
            return
        fh.seek(0)
        names = ole_stream_names(fh)
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise DataError(_password_message(path.name))
    if names and not names & {"Workbook", "Book"}:
        raise DataError(
            f"{path.name} is not an Excel workbook (an Office file with no workbook inside, "
            "such as a Word document); open it in the program that made it and save the "
            "data as .xlsx or CSV"
        )


def ole_stream_names(fh) -> set[str]:
    """The names in the directory of an OLE compound file (storages and streams).

    Reads the header, the allocation table (FAT) and the directory chain of
    the Compound File Binary format ([MS-CFB] 2.2-2.6); a damaged file gives
    the names read before the damage. ``fh`` is a binary file at offset 0.

    >>> import io
    >>> ole_stream_names(io.BytesIO(b"not an OLE file"))
    set()
    """
    head = fh.read(512)
    if len(head) < 512 or head[:8] != _OLE_MAGIC:
        return set()
    shift = struct.unpack_from("<H", head, 0x1E)[0]
    if shift not in (9, 12):
        return set()
    size = 1 << shift

    def sector(n: int) -> bytes:
        fh.seek((n + 1) * size)
        return fh.read(size)

    n_fat, first_dir, first_difat, n_difat = struct.unpack_from("<iI8xII", head, 0x2C)
    fat_sectors = [s for s in struct.unpack_from("<109I", head, 0x4C) if s < 0xFFFFFFFA]
    nxt, seen = first_difat, set()
    while nxt < 0xFFFFFFFA and nxt not in seen and len(seen) <= n_difat:
        seen.add(nxt)
        entries = struct.unpack(f"<{size // 4}I", sector(nxt).ljust(size, b"\xff"))
        fat_sectors += [s for s in entries[:-1] if s < 0xFFFFFFFA]
        nxt = entries[-1]
    fat = b"".join(sector(s) for s in fat_sectors[: max(n_fat, 0) or len(fat_sectors)])
    links = struct.unpack(f"<{len(fat) // 4}I", fat[: len(fat) // 4 * 4])
    names: set[str] = set()
    sec, visited = first_dir, set()
    while sec < 0xFFFFFFFA and sec not in visited:
        visited.add(sec)
        block = sector(sec)
        for off in range(0, len(block) - 127, 128):
            length = struct.unpack_from("<H", block, off + 0x40)[0]
            if 2 <= length <= 64:
                names.add(block[off : off + length - 2].decode("utf-16-le", "replace"))
        sec = links[sec] if sec < len(links) else 0xFFFFFFFE
    return names


def _read_cells(path: Path, sheet: str | int | None) -> tuple[str, list[list]]:
    """The chosen sheet's name and its cells from A1, one list per row (empty cells '').

    Opening errors become one-sentence DataErrors: a password, a damaged or
    cut-off file, a file that is no workbook, an unknown sheet, an empty sheet.
    """
    with path.open("rb") as fh, _calamine_errors(path.name):
        with _open_workbook(fh, path) as wb:
            names = list(wb.sheet_names)
            name = _sheet_name(wb, names, sheet, path.name)
            cells = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if _all_blank(cells):
                raise DataError(_empty_message(wb, names, name, path.name))
    return name, cells


def _open_workbook(fh, path: Path):
    """Open a workbook with calamine, its format told by its bytes, else by its name.

    A zip file that is not complete (cut off while copying) is a DataError.
    """
    try:
        return CalamineWorkbook.from_filelike(fh)
    except CalamineError:
        fh.seek(0)
        if fh.read(2) == b"PK" and not zipfile.is_zipfile(path):
            raise DataError(_damaged_message(path.name, "its zip archive is incomplete")) from None
        return CalamineWorkbook.from_path(path)  # the bytes did not tell: the name decides


@contextmanager
def _calamine_errors(file: str):
    """Turn calamine's errors while reading ``file`` into one-sentence DataErrors."""
    try:
        yield
    except PasswordError:
        raise DataError(_password_message(file)) from None
    except (ZipError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(_damaged_message(file, exc)) from None
    except CalamineError as exc:
        raise DataError(
            f"{file} could not be opened as an Excel workbook ({exc}); "
            "open it in Excel and save it again as .xlsx or CSV"
        ) from None


def _sheet_name(wb, names: list[str], sheet: str | int | None, file: str) -> str:
    """The name of the sheet asked for; an unknown sheet is a DataError listing the sheets."""
    if not names:
        raise DataError(f"{file} is an empty workbook: it has no sheets; export the data again")
    if sheet is None:
        worksheets = [m.name for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        return worksheets[0] if worksheets else names[0]
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if not 0 <= sheet < len(names):
            raise DataError(
                f"{file} has no sheet number {sheet} (counting from 0); "
                f"its sheets are: {_quoted(names)}"
            )
        return names[sheet]
    if str(sheet) in names:
        return str(sheet)
    raise DataError(
        f"sheet {str(sheet)!r} not found in {file}; sheets are: "
        f"{_quoted(names)}.{did_you_mean(str(sheet), names)}"
    )


def _all_blank(cells: list[list]) -> bool:
    """True when no cell of the sheet holds a value."""
    return not any(any(v != "" for v in r) for r in cells)


def _empty_message(wb, names: list[str], name: str, file: str) -> str:
    """The message for an empty sheet: which other sheets hold data, or an empty workbook."""
    filled = []
    for other in names:
        if other == name:
            continue
        try:
            if not _all_blank(wb.get_sheet_by_name(other).to_python()):
                filled.append(other)
        except Exception:  # a chart sheet or a sheet calamine cannot read: not a choice
            continue
    if filled:
        return (
            f"sheet {name!r} of {file} is empty; the sheets with data are: {_quoted(filled)}; "
            f"choose one with the sheet option (e.g. sheet: {filled[0]!r} in a client config)"
        )
    return f"{file} is an empty workbook (no sheet holds a value); export the data again"


def _header_row(cells: list[Sequence]) -> int:
    """Index of the header row of a sheet (``cells`` from row 1; empty cells '').

    Among the 30 rows from the first filled one: the first row whose filled
    cells are all text and number at least 60% of the fullest of those rows;
    title rows above it (one or two cells) are skipped. Falls back to the
    first fullest row.

    >>> _header_row([["", ""], ["Sales 2024", ""], ["id", "amount"], ["a", 5.0]])
    2
    """
    first = next(i for i, r in enumerate(cells) if any(v is not None and v != "" for v in r))
    return first + _header_in(cells[first : first + 30])


def _header_in(top: list[Sequence]) -> int:
    """Index of the header among the top rows of a sheet (see :func:`_header_row`)."""
    counts = [sum(v is not None and v != "" for v in r) for r in top]
    most = max(counts)
    for i, r in enumerate(top):
        filled = [v for v in r if v is not None and v != ""]
        if counts[i] >= 0.6 * most and all(isinstance(v, str) for v in filled):
            return i
    return counts.index(most)


# ------------------------------------------------------------------------------ cells as text


def _sheet_columns(cells: list[list], h: int) -> list[list]:
    """The sheet from row ``h`` (the header) down as columns; empty columns at the right dropped.

    Every column that holds a value anywhere from the header down is kept
    (calamine pads every row to the sheet's width with '').

    >>> _sheet_columns([["title", ""], ["id", ""], ["a", ""]], 1)
    [['id', 'a']]
    """
    rows = cells[h:]
    width = max(map(len, rows))
    if any(len(r) != width for r in rows):  # calamine pads rows; other shapes are padded here
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    columns = [list(map(itemgetter(j), rows)) for j in range(width)]  # 5x faster than zip(*rows)
    while columns and columns[-1].count("") == len(columns[-1]):
        columns.pop()
    return columns


def _cell_text(v: object) -> str | None:
    """One cell as text: None when empty, whole numbers without '.0', dates in ISO form.

    >>> [_cell_text(v) for v in ("", 12345.0, 0.1 + 0.2, dt.datetime(2024, 1, 2, 13, 5))]
    [None, '12345', '0.30000000000000004', '2024-01-02 13:05:00']
    """
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return str(v)  # dates, times: ISO ('2024-01-02', '2024-01-02 13:05:00', '13:05:00')


def _day_0(t: dt.time) -> str:
    """A time cell of a date column as the date Excel gives it: day 0, 1899-12-30 (+ the time).

    >>> _day_0(dt.time(0, 0)), _day_0(dt.time(12, 30))
    ('1899-12-30', '1899-12-30 12:30:00')
    """
    if t == dt.time(0, 0):
        return _EXCEL_DAY_0.isoformat()
    return str(dt.datetime.combine(_EXCEL_DAY_0, t))


def _text_column(values: list) -> pd.Series:
    """One sheet column as a text Series (see :func:`_column`)."""
    return _column(values)[0]


def _column(values: list) -> tuple[pd.Series, np.ndarray | None]:
    """One sheet column (cells as calamine gives them): text, and the values of its number cells.

    Returns the text Series (empty cells missing) and a float64 array of the
    number cells' values (NaN for other cells), or None when the column has
    no number cell.

    Text cells are taken as they are; numbers as :func:`_number_texts`
    writes them; dates, times and other cells by ``str`` (ISO dates,
    '2024-01-02 13:05:00'). Excel stores a time as a date serial below 1, so
    in a column that also holds dates a time cell is a date of day 0
    (1899-12-30): an empty date cell formatted as a date reads as serial 0
    (see :func:`_day_0`).

    >>> s, x = _column(["a", "", 5.0, 0.5, dt.date(2024, 1, 31)])
    >>> s.isna().tolist(), s.dropna().tolist(), x.tolist()
    ([False, True, False, False, False], ['a', '5', '0.5', '2024-01-31'], [nan, nan, 5.0, 0.5, nan])
    """
    kinds = set(map(type, values))
    x = None
    if kinds <= {str}:
        arr = pa.array(values, pa.string())
    else:
        if dt.time in kinds and kinds & {dt.date, dt.datetime}:
            values = [_day_0(v) if v.__class__ is dt.time else v for v in values]
        arr = pa.array([v if v.__class__ is str else None if v.__class__ is float else str(v)
                        for v in values], pa.string())
        if float in kinds:
            x = np.array([v if v.__class__ is float else np.nan for v in values], np.float64)
            arr = pc.coalesce(_number_texts(values, x), arr)
    if "" in values:
        arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
    return pd.Series(arr, dtype=TEXT), x


def _number_texts(values: list, x: np.ndarray | None = None) -> pa.Array:
    """The number cells of a column as text, missing for other cells.

    A whole number below 2**53 is written without '.0' (an id 12345.0 is
    '12345'); any other number as Python writes it, the shortest text that
    reads back as the same float (0.1 + 0.2 is '0.30000000000000004'), so
    amounts do not drift.

    >>> _number_texts([12345.0, "x", 0.1 + 0.2, -0.0, 2.5e20]).to_pylist()
    ['12345', None, '0.30000000000000004', '0', '2.5e+20']
    """
    if x is None:  # the number cells' values, NaN for other cells
        x = np.array([v if v.__class__ is float else np.nan for v in values], dtype=np.float64)
    whole = (np.abs(x) < 2**53) & (x == np.trunc(x))  # False for the NaN of other cells
    texts = np.full(len(x), None, dtype=object)
    texts[whole] = pc.cast(pa.array(x[whole].astype(np.int64)), pa.string()).to_numpy(
        zero_copy_only=False)
    rest = np.flatnonzero(~whole & ~np.isnan(x))
    texts[rest] = [repr(v) for v in x[rest].tolist()]
    return pa.array(texts, pa.string())


# ----------------------------------------------------- formulas without results and error cells


@dataclass
class _Marks:
    """Cells of a sheet that calamine reads as empty though they are not.

    ``unsaved``: (sheet row, column) of formula cells without a saved result;
    ``errors``: (sheet row, column, text) of error cells such as '#DIV/0!'.
    Rows are 1-based sheet rows, columns 0-based.
    """

    unsaved: list[tuple[int, int]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\sr="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\st="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def _sheet_marks(path: Path, sheet: str, h: int) -> _Marks | None:
    """Formula cells without saved results and error cells of an .xlsx/.xlsm sheet.

    calamine gives both as empty cells. The sheet's XML is streamed once to
    look for a formula or an error at all (:func:`_may_hold_marks`); only
    when one is there is it read again and the rows that hold one are parsed
    cell by cell. Returns None for other formats (.xls, .xlsb, .ods: Excel
    and LibreOffice always save formula results there) and unreadable parts.
    Rows above ``h`` (title rows) are skipped.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, sheet)
            if part is None:
                return None
            marks = _Marks()
            with zf.open(part) as xml:
                if not any(_may_hold_marks(chunk) for chunk in _chunks(xml)):
                    return marks
            with zf.open(part) as xml:
                for piece in _row_pieces(xml):
                    if _may_hold_marks(piece):
                        _mark_cells(piece, marks, h)
            return marks
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return None


def _may_hold_marks(xml: bytes) -> bool:
    """True if a piece of sheet XML may hold a formula (``<f>``, ``<x:f>``) or an error cell.

    Three byte searches, no parsing: a false True only costs a closer look.
    """
    return b"<f" in xml or b":f" in xml or b't="e"' in xml


def _chunks(xml, size: int = 1 << 22):
    """The sheet XML in pieces of ``size`` bytes, each after the last 8 bytes of the one before."""
    tail = b""
    while chunk := xml.read(size):
        yield tail + chunk
        tail = chunk[-8:]


def _sheet_part(zf: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the XML of ``sheet`` (from workbook.xml and its relationships)."""
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    ns_r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    rid = next((el.get(ns_r) for el in ElementTree.fromstring(zf.read("xl/workbook.xml")).iter()
                if el.tag.endswith("}sheet") and el.get("name") == sheet), None)
    for rel in ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels")):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            full = target.lstrip("/") if target.startswith("/") else str(
                PurePosixPath("xl") / target)
            return full if full in names else None
    return None


def _row_pieces(xml, size: int = 1 << 22):
    """The sheet XML in pieces of about ``size`` bytes that end after a whole row."""
    rest = b""
    while chunk := xml.read(size):
        buf = rest + chunk
        cut = _end_of_last_row(buf)
        yield buf[:cut]
        rest = buf[cut:]
    if rest:
        yield rest


def _end_of_last_row(xml: bytes) -> int:
    """Offset just after the last ``</row>`` (or ``</x:row>``) in ``xml``; 0 if there is none.

    >>> _end_of_last_row(b'<row r="1"><c/></row><row r="2"><c/>')
    21
    """
    end = len(xml)
    while (end := xml.rfind(b"row>", 0, end)) != -1:
        if xml[xml.rfind(b"<", 0, end) + 1 : end].startswith(b"/"):
            return end + 4
    return 0


def _mark_cells(piece: bytes, marks: _Marks, h: int) -> None:
    """Add the unsaved formula cells and error cells of ``piece`` (whole rows) to ``marks``."""
    for m in _CELL.finditer(piece):
        body = m.group(2) or b""
        kind = _TYPE.search(m.group(1))
        kind = kind.group(1) if kind else b"n"
        formula = _FORMULA.search(body) is not None
        if kind != b"e" and not formula:
            continue
        ref = _REF.search(m.group(1))
        if ref is None:  # a cell without its address (rare writers): cannot be placed
            continue
        row, col = int(ref.group(2)), _column_number(ref.group(1))
        if row <= h:
            continue
        value = _VALUE.search(body)
        if kind == b"e" and value and value.group(1):
            marks.errors.append((row, col, value.group(1).decode("ascii", "replace")))
        elif formula and not (value and value.group(1)) and kind not in (b"str", b"inlineStr"):
            marks.unsaved.append((row, col))


def _column_number(letters: bytes) -> int:
    """0-based column number of Excel column letters.

    >>> _column_number(b"A"), _column_number(b"Z"), _column_number(b"AA")
    (0, 25, 26)
    """
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _put_error_texts(columns: list[list], errors: list[tuple[int, int, str]], h: int) -> None:
    """Write the text of each error cell ('#DIV/0!') where calamine left it empty."""
    for row, col, text in errors:
        i = row - 1 - h
        if col < len(columns) and 0 <= i < len(columns[col]) and columns[col][i] == "":
            columns[col][i] = text


def _refuse_unsaved_formulas(
    unsaved: list[tuple[int, int]], columns: list[list], h: int, file: str
) -> None:
    """Raise a DataError naming the column with the most formula cells without saved results."""
    per_column: dict[int, int] = {}
    for row, col in unsaved:
        i = row - 1 - h
        if col < len(columns) and 0 <= i < len(columns[col]) and columns[col][i] == "":
            per_column[col] = per_column.get(col, 0) + 1
    if not per_column:
        return
    header = dedupe_headers([_cell_text(c[0]) for c in columns])
    top = max(per_column, key=lambda c: (per_column[c], -c))
    n, others = per_column[top], sum(per_column.values()) - per_column[top]
    also = f" (and {others:,} in other columns)" if others else ""
    cells = "formula cell" if n == 1 else "formula cells"
    raise DataError(
        f"{file} has {n:,} {cells} in column {header[top]!r}{also} without saved results "
        "(it was written by a program that does not calculate formulas); "
        "open it in Excel or LibreOffice and save it again"
    )
