"""Tables written for the client: CSV files that open safely in Excel, and formatted workbooks.

The only code that writes per-customer files. Every text cell is safe from
spreadsheet formulas (:mod:`retainlib.output.cells`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from retainlib.analytics.early_warning import AT_RISK_COLUMNS
from retainlib.errors import DataError
from retainlib.output.cells import CSV_LINE_END, formula_mask, protect_formulas

__all__ = ["export_at_risk", "export_customers", "export_table", "write_csv"]


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool = True, **options) -> Path:
    r"""Write ``df`` as a CSV that spreadsheets open as data, never as formulas.

    The cells go through :func:`protect_formulas`; the file is UTF-8 with a
    byte-order mark (Excel then reads Hebrew correctly) with CRLF line ends, so
    every text that holds a line break is quoted and stays in its cell.

    Parameters
    ----------
    df : DataFrame
        Table to write.
    path : str or pathlib.Path
        Target file; its folder must exist.
    index : bool, default True
        Write the index as the first column.
    **options
        Other :meth:`pandas.DataFrame.to_csv` options, e.g. ``date_format``.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "ids.csv"
    >>> df = pd.DataFrame({"customer_id": ["=1+1", "a\r=2+2"], "amount": [-4.5, 3.0]})
    >>> write_csv(df, path, index=False).read_bytes()
    b'\xef\xbb\xbfcustomer_id,amount\r\n\'=1+1,-4.5\r\n"a\r=2+2",3.0\r\n'
    """
    path = Path(path)
    protect_formulas(df).to_csv(path, index=index, encoding="utf-8-sig",
                                lineterminator=CSV_LINE_END, **options)
    return path


def export_table(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "Customers") -> Path:
    """Write a per-customer table as ``.csv`` (UTF-8 with BOM) or formatted ``.xlsx``.

    Business meaning: a file that opens cleanly in Excel, Hebrew included.

    The CSV has a byte-order mark so Excel detects UTF-8 (Hebrew names stay readable),
    CRLF line ends, dates as ``YYYY-MM-DD`` and the index as the first column. The workbook
    has a bold header row, the header row and the id column frozen, whole-day dates formatted
    ``YYYY-MM-DD`` and column widths fitted to the content (10 to 60 characters).

    No cell is ever a formula (CSV/formula injection): in the CSV, text that begins
    with ``=``, ``+``, ``-``, ``@``, tab or carriage return and is not a number gets a
    leading ``'`` (:func:`retainlib.output.tables.write_csv`); in the workbook
    every text is a text cell, and those texts keep their value and get Excel's
    quote-prefix style, so they stay text when a user edits the cell.

    Parameters
    ----------
    df : DataFrame
        Table to write; its index (e.g. ``customer_id``) becomes the first column.
    path : str or pathlib.Path
        Target; ``.csv`` or ``.xlsx``. Parent folders are created.
    sheet_name : str, default 'Customers'
        Worksheet name for ``.xlsx``.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DataError(f"cannot export to {path.name}: use a .csv or .xlsx file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        return write_csv(df, path, date_format="%Y-%m-%d")
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype("object")
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    index_name = str(out.index.name or "id")
    frame = out.reset_index(names=index_name) if index_name not in out.columns else \
        out.reset_index(drop=True).rename_axis(None)
    widths = [max(len(str(c)), _text_width(frame[c])) for c in frame.columns]
    wb = Workbook(write_only=True)  # streams rows: fast and light on big customer tables
    ws = wb.create_sheet(title=sheet_name[:31])
    ws.freeze_panes = "B2"  # header row and id column stay in view
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 10), 60)
    bold = Font(bold=True)
    names = pd.Series([str(c) for c in frame.columns], dtype=object)
    header = []
    for name, quote in zip(names, _needs_text_cell(names), strict=True):
        cell = _text_cell(ws, name, quote=quote)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    columns = (_cell_values(frame.iloc[:, i], ws) for i in range(frame.shape[1]))
    for row in zip(*columns, strict=True):
        ws.append(row)
    wb.save(path)
    return path


def _cell_values(values: pd.Series, ws) -> list:
    """Python values for openpyxl: missing -> None, whole-day dates -> date (YYYY-MM-DD).

    Texts that openpyxl would write as a formula (``=...``) or an error value
    (``#N/A``), and the other formula texts, become text cells (:func:`_text_cell`).
    """
    missing = values.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dropna()
        whole_days = bool((stamps == stamps.dt.normalize()).all())
        cells = list(values.dt.date) if whole_days else values.astype("object").tolist()
    else:
        cells = values.astype("object").tolist()
    cells = [None if m else v for v, m in zip(cells, missing, strict=True)]
    for i in np.flatnonzero(_needs_text_cell(values)):
        cells[i] = _text_cell(ws, cells[i], quote=True)
    return cells


def _needs_text_cell(values: pd.Series) -> np.ndarray:
    """Where a value is formula text or one of Excel's error values (``#N/A``, ``#REF!``...)."""
    from openpyxl.cell.cell import ERROR_CODES

    mask = formula_mask(values)
    if pd.api.types.is_string_dtype(values.dtype):  # object, str or string
        mask |= values.isin(ERROR_CODES).to_numpy(dtype=bool)
    return mask


def _text_cell(ws, text: str, *, quote: bool):
    """A write-only cell that holds ``text`` as text, never as a formula.

    openpyxl turns a str that begins with ``=`` into a formula cell (and ``#N/A``
    into an error value); the cell's type is set back to text. ``quote`` adds the
    quote-prefix style (Excel's leading ``'``, not part of the value), so that
    the text stays text when a user edits the cell.
    """
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    if quote:
        cell.quotePrefix = True
    return cell


def _text_width(values: pd.Series) -> int:
    if len(values) == 0:
        return 0
    if pd.api.types.is_datetime64_any_dtype(values):
        return 10
    if pd.api.types.is_float_dtype(values):
        values = values.round(2)
    lengths = values.astype("str").str.len()
    return int(lengths.max()) if lengths.notna().any() else 0


def export_customers(table: pd.DataFrame, path: str | Path) -> Path:
    """Write the customer table to ``.csv`` (UTF-8 with BOM) or ``.xlsx`` (formatted).

    Business meaning: hands the client one row per customer with everything we know.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`customer_table`.
    path : str or pathlib.Path
        ``.csv`` or ``.xlsx`` target (see :func:`export_table` for the formatting).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    return export_table(table, path, sheet_name="Customers")


def export_at_risk(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the at-risk list for the client's CRM: ``.csv`` (UTF-8 with BOM) or ``.xlsx``.

    Business meaning: the call list in a file the client can import or open in Excel.

    Parameters
    ----------
    df : DataFrame
        Output of :func:`at_risk`.
    path : str or pathlib.Path
        Target file; the suffix chooses the format.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    missing = [c for c in AT_RISK_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"export_at_risk expects the output of at_risk; missing column(s) "
                        f"{', '.join(map(repr, missing))}")
    return export_table(df[list(AT_RISK_COLUMNS)], path, sheet_name="At risk")
