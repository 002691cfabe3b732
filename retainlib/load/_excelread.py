"""Reading an Excel .xlsx sheet as text: the Excel branch of ``read_raw``.

The header is found among the top rows (title rows above it are skipped);
cells become text (integral numbers without '.0', dates in ISO form) and each
row keeps its sheet row number for the rejected-rows list.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from retainlib._suggest import did_you_mean
from retainlib.errors import DataError
from retainlib.load._columns import _quoted
from retainlib.load._table import RawTable, dedupe_headers, drop_blank_rows
from retainlib.load.parsing import TEXT

__all__ = ["read_excel"]


def _cell_text(v: object) -> str | None:
    if v is None or (isinstance(v, str) and v == ""):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") and hasattr(v, "date") else v.isoformat()
    return str(v)


def _header_row(top: list[tuple]) -> int:
    """Index of the header among a sheet's top rows.

    The first row whose filled cells are all text and number at least 60% of the
    fullest top row; title rows above it (one or two cells) are skipped. Falls
    back to the first fullest row.
    """
    counts = [sum(v is not None and v != "" for v in r) for r in top]
    most = max(counts)
    for i, r in enumerate(top):
        filled = [v for v in r if v is not None and v != ""]
        if counts[i] >= 0.6 * most and all(isinstance(v, str) for v in filled):
            return i
    return counts.index(most)


def read_excel(path: Path, sheet: str | int | None) -> RawTable:
    """Read one sheet of an .xlsx workbook (by name, 0-based index, or the first) as text."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for damaged files
        raise DataError(
            f"{path.name} could not be opened as an Excel workbook ({exc}); "
            "open it in Excel and save it again as .xlsx or CSV"
        ) from None
    try:
        names = wb.sheetnames
        if sheet is None:
            ws = wb[names[0]]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise DataError(
                    f"{path.name} has no sheet number {sheet} (counting from 0); "
                    f"its sheets are: {_quoted(names)}"
                )
            ws = wb[names[sheet]]
        elif str(sheet) in names:
            ws = wb[str(sheet)]
        else:
            raise DataError(
                f"sheet {str(sheet)!r} not found in {path.name}; sheets are: "
                f"{_quoted(names)}.{did_you_mean(str(sheet), names)}"
            )
        cells = list(ws.iter_rows(min_row=1, values_only=True))
    finally:
        wb.close()
    if not cells:
        raise DataError(
            f"the sheet of {path.name} is empty; choose another sheet with the sheet option"
        )
    h = _header_row(cells[:30])
    rows = [tuple(_cell_text(v) for v in r) for r in cells]
    del cells
    # every column that holds a value anywhere from the header down; unnamed ones get 'column N'
    ncol = max(
        (max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows[h:]),
        default=0,
    )
    header = (list(rows[h]) + [None] * ncol)[:ncol]
    data = [(list(r) + [None] * ncol)[:ncol] for r in rows[h + 1 :]]
    frame = (
        pd.DataFrame(data, columns=dedupe_headers(header), dtype=TEXT)
        if data
        else pd.DataFrame({n: pd.Series([], dtype=TEXT) for n in dedupe_headers(header)})
    )
    lines = np.arange(h + 2, h + 2 + len(data), dtype=np.int64)
    return drop_blank_rows(RawTable(frame, lines, path.name, None))
