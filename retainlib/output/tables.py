"""Tables written for the client: CSV files that open safely in Excel, and formatted workbooks.

The only code that writes per-customer files. Every text cell is safe from
spreadsheet formulas (:mod:`retainlib.output.cells`).

Files the client opens (``customers.csv``, ``at_risk.csv``, ``win_back.csv``)
go through :func:`client_table` first, one rule for all of them:

- headers are words from the label catalogue (:func:`retainlib.i18n.label`) in
  the report's language: ``Customer ID``, ``Chance still active (%)``,
  ``Silent for (weeks)``; in Hebrew ``מספר לקוח``, ``סיכוי שעדיין פעיל (%)``,
  ``לא קנה כבר (שבועות)`` (the unit is the catalogue's plural of its noun);
- flags are ``yes`` / ``no`` in the language (``כן`` / ``לא``), never
  ``True`` / ``False``; the canonical values (RFM segments, CLV tiers, the
  early-warning lists, NPS groups) are named in the language
  (:func:`retainlib.analytics.names.named`);
- money has 2 decimals; shares and rates are percentages with 1 decimal
  (34.1 under a header ending in ``(%)``), durations 1 decimal under a header
  naming the unit, other decimals 2; counts and scores are whole numbers;
- no number is ever written in scientific notation (``3.93e-05`` is ``0``
  once rounded, and the CSV writes every decimal in fixed notation).

The numbers stay numbers (a spreadsheet or a CRM sorts and sums them); only
their precision is cut to what the client can use. Every CSV is UTF-8 with a
byte-order mark, so Excel reads Hebrew headers and names correctly; a Hebrew
workbook's sheets read right to left.

``rejected_rows.csv`` (:func:`export_rejected`) gives the loader's reason for
each row in words of the language (the catalogue's ``analytics.reason.<code>``);
in English its headers stay the loader's column names (``line``, ``reason``,
``customer_id``...), as scripts read them, in other languages they are labels.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from retainlib._format import DURATION_UNITS, kind_of, yes_no
from retainlib._units import UNIT_NOUNS
from retainlib.analytics.early_warning import AT_RISK_COLUMNS
from retainlib.analytics.names import named
from retainlib.errors import DataError
from retainlib.i18n import DEFAULT, catalogue, check_language, direction, has_text, label, text
from retainlib.output.cells import CSV_LINE_END, formula_mask, protect_formulas

__all__ = ["EARLY_WARNING_EXPORT", "client_table", "early_warning_list", "export_at_risk",
           "export_customers", "export_rejected", "export_table", "export_win_back",
           "fixed_decimal", "fixed_decimals", "reason_text", "unit_words", "write_csv"]

#: decimals kept in client files, by kind of number (:func:`retainlib._format.kind_of`)
_DECIMALS = {"money": 2, "rate": 1, "share": 1, "chance": 1, "points": 1, "change": 1, "nps": 1,
             "duration": 1, "number": 2, "ratio": 2, "estimate": 4}
#: how a workbook shows whole-day dates, by language: the report's Hebrew date style
#: (:func:`retainlib._format.date`, 31.12.2025); English keeps openpyxl's yyyy-mm-dd
_SHEET_DATE = {"he": "dd.mm.yyyy"}
#: kinds written as percentages (the fraction times 100), their header ending in '(%)'
_PERCENT = ("rate", "share", "chance")
#: columns of at_risk.csv and win_back.csv (the list is the file; every row is flagged)
EARLY_WARNING_EXPORT = tuple(c for c in AT_RISK_COLUMNS if c not in ("list", "at_risk",
                                                                      "valuable"))


def fixed_decimal(value: float) -> str:
    """A float as CSV text: the shortest decimal that reads back as it, in fixed notation.

    Never an exponent (``1e-05``) nor float noise (``1234567.8899999999``);
    no trailing zeros. Values are rounded before (:func:`client_table`).

    >>> fixed_decimal(3.93e-05), fixed_decimal(1234.5), fixed_decimal(-0.0), fixed_decimal(2e16)
    ('0.0000393', '1234.5', '0', '20000000000000000')
    >>> fixed_decimal(1234567.89), fixed_decimal(5.0)
    ('1234567.89', '5')
    """
    text = np.format_float_positional(float(value), trim="-")
    return "0" if text == "-0" else text


def fixed_decimals(values) -> np.ndarray:
    """:func:`fixed_decimal` of every value of a float column (None where missing), fast.

    Arrow writes each float as the shortest decimal that reads back as it (as
    :func:`fixed_decimal` does) in C; the few texts it writes with an exponent
    (``2e+16``) or as ``-0`` are written again by :func:`fixed_decimal`.

    >>> fixed_decimals(np.array([0.5, np.nan, 2e16, -0.0, 1234567.89])).tolist()
    ['0.5', None, '20000000000000000', '0', '1234567.89']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    floats = np.asarray(values, dtype="float64")
    texts = pa.array(floats, from_pandas=True).cast(pa.string())
    redo = pc.or_(pc.match_substring(texts, "e"), pc.equal(texts, "-0")).fill_null(False)
    out = texts.to_numpy(zero_copy_only=False).astype(object)
    for i in np.flatnonzero(redo.to_numpy(zero_copy_only=False)):
        out[i] = fixed_decimal(floats[i])
    return out


def unit_words(unit: str, lang: str = DEFAULT) -> str:
    """A time unit's plural, as a header names it: 'weeks', 'שבועות'.

    The catalogue's counted form of the unit's noun without the count
    (``count_of(n, 'week')`` reads ``{n} weeks``); an unknown unit as written.

    >>> unit_words("W"), unit_words("M", "he"), unit_words("fortnight")
    ('weeks', 'חודשים', 'fortnight')
    """
    noun = UNIT_NOUNS.get(unit)
    if noun is None:
        return unit
    return catalogue(lang).nouns[noun]["other"].replace("{n}", "").strip()


def reason_text(reason: object, lang: str = DEFAULT) -> object:
    """The loader's reason for a rejected row in words of ``lang`` (an unknown reason as written).

    The reason codes are the loader's English words (``'blank customer id'``); the
    catalogue key is ``analytics.reason.`` and the code with ``_`` between its words.

    >>> reason_text("blank customer id"), reason_text("blank customer id", "he")
    ('blank customer id', 'חסר מספר לקוח')
    >>> reason_text("frobnicated", "he")
    'frobnicated'
    """
    if not isinstance(reason, str):
        return reason
    key = "analytics.reason." + re.sub(r"[^a-z0-9]+", "_", reason.lower()).strip("_")
    return text(key, lang) if has_text(key, lang) else reason


def _client_column(name: str, values: pd.Series, unit: str,
                   lang: str = DEFAULT) -> tuple[str, pd.Series]:
    """Header and values of one column of a client file (rules in the module docstring)."""
    kind = kind_of(name, values.dtype)
    head = label(name, lang)
    if kind == "flag":
        return head, values.map(lambda v: yes_no(v, lang)).astype("object")
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if not numeric or kind in ("text", "date"):
        return head, values
    x = values.astype("float64")
    if kind in ("count", "score"):
        whole = x.dropna()
        if (whole == whole.round()).all():
            return head, x.round().astype("Int64")
        return head, x.round(2) + 0.0
    if kind in _PERCENT:
        x, head = 100 * x, f"{head} (%)"
    elif kind in ("points", "change"):
        head = f"{head} (%)"
    elif kind == "duration":
        head = f"{head} ({unit_words(DURATION_UNITS.get(name, unit), lang)})"
    return head, x.round(_DECIMALS.get(kind, 2)) + 0.0  # + 0.0: no "-0"


def client_table(df: pd.DataFrame, *, unit: str | None = None,
                 lang: str = DEFAULT) -> pd.DataFrame:
    """``df`` as the client opens it: headers in words, yes/no flags, numbers rounded.

    Parameters
    ----------
    df : DataFrame
        Columns (and index, e.g. ``customer_id``) with canonical names.
    unit : str, optional
        Time unit of the duration columns; default ``df.attrs['time_unit']``
        or weeks.
    lang : str, default 'en'
        Language of the headers and of the yes/no words (:data:`retainlib.i18n.LANGUAGES`).

    Returns
    -------
    DataFrame
        Same rows; headers from :func:`retainlib.i18n.label` (a share or rate
        header ends in ``(%)`` and its values are percentages, a duration
        header names its unit); the rules are in the module docstring.

    Examples
    --------
    >>> df = pd.DataFrame({"p_alive": [0.34049, 3.93e-05], "silent_for": [19.43, 2.0],
    ...                    "revenue_at_risk": [5928.5425, 0.004], "at_risk": [True, False],
    ...                    "frequency": [11, 2]},
    ...                   index=pd.Index(["007", "008"], name="customer_id"))
    >>> out = client_table(df)
    >>> out.index.name, list(out.columns)  # doctest: +NORMALIZE_WHITESPACE
    ('Customer ID', ['Chance still active (%)', 'Silent for (weeks)', 'Revenue at risk',
                     'At risk', 'Repeat purchases'])
    >>> [out[c].tolist() for c in out.columns]
    [[34.0, 0.0], [19.4, 2.0], [5928.54, 0.0], ['yes', 'no'], [11, 2]]
    >>> he = client_table(df, lang="he")
    >>> he.columns[:2].tolist(), he.iloc[:, 3].tolist()
    (['סיכוי שעדיין פעיל (%)', 'לא קנה כבר (שבועות)'], ['כן', 'לא'])
    """
    lang = check_language(lang)
    unit = unit or df.attrs.get("time_unit", "W")
    if lang != "en":  # English names are the canonical values themselves
        df = named(df, lang)
    heads, cols = [], []
    for i, name in enumerate(df.columns):  # by position: names may repeat
        head, values = _client_column(str(name), df.iloc[:, i], unit, lang)
        heads.append(head)
        cols.append(values.reset_index(drop=True))
    out = pd.concat(cols, axis=1, ignore_index=True) if cols else pd.DataFrame(
        index=range(len(df)))
    out.columns = heads
    out.index = df.index.set_names([None if n is None else label(n, lang)
                                    for n in df.index.names])
    return out


def early_warning_list(df: pd.DataFrame, which: str) -> pd.DataFrame | None:
    """The rows of one early-warning list, in their rank order.

    Parameters
    ----------
    df : DataFrame
        Output of :func:`retainlib.at_risk`.
    which : {'at risk', 'lapsed'}
        The list: customers slipping now (still likely active) or lapsed
        valuable customers (the win-back list).

    Returns
    -------
    DataFrame or None
        The list's rows (the ranking is the analysis's). A frame without the
        ``list`` column (an older at-risk list) is all 'at risk'; its 'lapsed'
        list is None.

    Examples
    --------
    >>> df = pd.DataFrame({"list": ["at risk", "lapsed", "at risk"], "rank": [1, 1, 2]},
    ...                   index=["a", "b", "c"])
    >>> [early_warning_list(df, w).index.tolist() for w in ("at risk", "lapsed")]
    [['a', 'c'], ['b']]
    """
    if which not in ("at risk", "lapsed"):
        raise DataError(f"unknown early-warning list {which!r}; use 'at risk' or 'lapsed'")
    if "list" not in df.columns:
        return df if which == "at risk" else None
    return df[(df["list"].astype("object") == which).to_numpy()]


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool = True,
              fixed_floats: bool = False, **options) -> Path:
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
    fixed_floats : bool, default False
        Write float columns as :func:`fixed_decimals` (fixed notation, the
        shortest text that reads back as the value).
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
    with path.open("w", encoding="utf-8-sig", newline="") as f:  # the mark once, at the start
        for start in range(0, max(len(df), 1), _CSV_CHUNK):
            safe = _csv_cells(df.iloc[start:start + _CSV_CHUNK], fixed_floats)
            safe.to_csv(f, header=start == 0, index=index, lineterminator=CSV_LINE_END,
                        **options)
    return path


#: rows made safe and formatted at a time by :func:`write_csv` (its memory stays small)
_CSV_CHUNK = 100_000


def _csv_cells(df: pd.DataFrame, fixed_floats: bool) -> pd.DataFrame:
    """Rows of ``df`` as :func:`write_csv` writes them: formulas protected, floats as text."""
    safe = protect_formulas(df)
    if fixed_floats:
        for i in range(safe.shape[1]):  # by position: column names may repeat
            if pd.api.types.is_float_dtype(safe.iloc[:, i]):
                safe.isetitem(i, pd.Series(fixed_decimals(safe.iloc[:, i]), index=safe.index,
                                           dtype=object))
    return safe


def export_table(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "Customers",
                 lang: str = DEFAULT) -> Path:
    """Write a per-customer table as ``.csv`` (UTF-8 with BOM), formatted ``.xlsx`` or ``.parquet``.

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
        Target; ``.csv``, ``.xlsx`` or ``.parquet`` (typed columns, for millions of rows).
        Parent folders are created.
    sheet_name : str, default 'Customers'
        Worksheet name for ``.xlsx``.
    lang : str, default 'en'
        Language of the table; a workbook in a right-to-left language (Hebrew)
        shows its sheet right to left and its dates as 31.12.2025 (they stay
        date cells). The CSV does not depend on it (ISO dates, which Excel reads
        as dates in every locale).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".parquet"):
        raise DataError(f"cannot export to {path.name}: use a .csv, .xlsx or .parquet file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        return write_csv(df, path, date_format="%Y-%m-%d", fixed_floats=True)
    if suffix == ".parquet":
        return _write_parquet(df, path)
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    frame = _flat(df, "object")
    widths = [max(len(str(c)), _text_width(frame[c])) for c in frame.columns]
    wb = Workbook(write_only=True)  # streams rows: fast and light on big customer tables
    ws = wb.create_sheet(title=sheet_name[:31])
    ws.freeze_panes = "B2"  # header row and id column stay in view
    if direction(check_language(lang)) == "rtl":  # English sheets keep openpyxl's default view
        ws.sheet_view.rightToLeft = True
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
    date_format = _SHEET_DATE.get(lang)
    columns = (_cell_values(frame.iloc[:, i], ws, date_format) for i in range(frame.shape[1]))
    for row in zip(*columns, strict=True):
        ws.append(row)
    wb.save(path)
    return path


def _cell_values(values: pd.Series, ws, date_format: str | None = None) -> list:
    """Python values for openpyxl: missing -> None, whole-day dates -> date (YYYY-MM-DD).

    With ``date_format`` (an Excel number format) the whole-day dates are date cells shown
    in that format.

    Texts that openpyxl would write as a formula (``=...``) or an error value
    (``#N/A``), and the other formula texts, become text cells (:func:`_text_cell`).
    """
    missing = values.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dropna()
        whole_days = bool((stamps == stamps.dt.normalize()).all())
        cells = list(values.dt.date) if whole_days else values.astype("object").tolist()
        if whole_days and date_format:
            cells = [_date_cell(ws, d, date_format) for d in cells]
    else:
        cells = values.astype("object").tolist()
    cells = [None if m else v for v, m in zip(cells, missing, strict=True)]
    for i in np.flatnonzero(_needs_text_cell(values)):
        cells[i] = _text_cell(ws, cells[i], quote=True)
    return cells


def _date_cell(ws, day, number_format: str):
    """A write-only date cell shown in ``number_format`` (a missing day stays missing)."""
    from openpyxl.cell import WriteOnlyCell

    if pd.isna(day):
        return day
    cell = WriteOnlyCell(ws, value=day)
    cell.number_format = number_format
    return cell


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


#: customer-table columns left out of the client's customer file (see :func:`export_customers`)
_NOT_IN_CUSTOMER_FILE = ("at_risk",)


def _flat(df: pd.DataFrame, categories: str) -> pd.DataFrame:
    """``df`` with its index as the first column (named ``id`` when unnamed), rows numbered.

    Categorical columns become ``categories`` ('object' or 'str') columns.
    """
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(categories)
    index_name = str(out.index.name or "id")
    return out.reset_index(names=index_name) if index_name not in out.columns else \
        out.reset_index(drop=True).rename_axis(None)


def _write_parquet(df: pd.DataFrame, path: Path) -> Path:
    """``df`` as Parquet, its index the first column: numbers, dates and texts stay typed.

    A file for analysis tools (Power BI, DuckDB, pandas), not a spreadsheet, so
    texts are written as they are (no formula protection is needed); the file
    is written beside ``path`` and renamed, so a failed write leaves no half file.
    """
    frame = _flat(df, "str")
    frame.columns = [str(c) for c in frame.columns]
    part = path.with_name(f".{path.name}.part")
    try:
        frame.to_parquet(part, index=False)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return path


def export_customers(table: pd.DataFrame, path: str | Path, *, lang: str = DEFAULT) -> Path:
    """Write the customer table to ``.csv`` (UTF-8 with BOM), ``.xlsx`` (formatted) or ``.parquet``.

    Business meaning: hands the client one row per customer with everything we know,
    headed in words, flags as yes/no and numbers rounded (:func:`client_table`).

    The file agrees with the report: ``Revenue at risk`` is filled for the customers on
    the 'at risk' list only (its sum is the report's revenue at risk), ``Value if kept``
    for every modelled customer, and the early-warning column names the customer's list
    ('at risk', 'lapsed' or blank). The boolean ``at_risk`` column of the table (on
    either list) is not written: a yes for both lists would read as that many
    customers at risk.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`customer_table`.
    path : str or pathlib.Path
        ``.csv``, ``.xlsx`` or ``.parquet`` target (see :func:`export_table`).
    lang : str, default 'en'
        Language of the headers, the yes/no words and the sheet name.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    table = table.drop(columns=[c for c in _NOT_IN_CUSTOMER_FILE if c in table.columns])
    return export_table(client_table(table, lang=lang), path,
                        sheet_name=text("analytics.sheet.customers", lang), lang=lang)


def _export_list(df: pd.DataFrame, path: str | Path, which: str, sheet: str, lang: str,
                 extra: tuple[str, ...] = ()) -> Path:
    missing = [c for c in AT_RISK_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"the early-warning export expects the output of at_risk; missing "
                        f"column(s) {', '.join(map(repr, missing))}")
    rows = early_warning_list(df, which)
    frame = rows[[*EARLY_WARNING_EXPORT, *(c for c in extra if c in rows.columns)]]
    frame.attrs = dict(df.attrs)
    return export_table(client_table(frame, lang=lang), path,
                        sheet_name=text(f"analytics.sheet.{sheet}", lang), lang=lang)


def export_at_risk(df: pd.DataFrame, path: str | Path, *, lang: str = DEFAULT) -> Path:
    """Write the at-risk list for the client's CRM: ``.csv`` (UTF-8 with BOM) or ``.xlsx``.

    Business meaning: the call list (valuable customers slipping now, still likely
    active, most expected value first) in a file the client can import or open in Excel.

    Only the customers on the ``'at risk'`` list; the lapsed ones are in
    :func:`export_win_back`. Columns :data:`EARLY_WARNING_EXPORT`, headed in
    words and rounded (:func:`client_table`); the first is ``Customer ID``.

    Parameters
    ----------
    df : DataFrame
        Output of :func:`at_risk`.
    path : str or pathlib.Path
        Target file; the suffix chooses the format.
    lang : str, default 'en'
        Language of the headers, the yes/no words and the sheet name.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    return _export_list(df, path, "at risk", "at_risk", lang, ("list_date", "group"))


def export_win_back(df: pd.DataFrame, path: str | Path, *, lang: str = DEFAULT) -> Path:
    """Write the win-back list (lapsed valuable customers): ``.csv`` or ``.xlsx``.

    Business meaning: customers worth a win-back offer, who have probably already left,
    most value if won back first.

    Same columns and rules as :func:`export_at_risk`, the ``'lapsed'`` list's rows.

    Parameters
    ----------
    df : DataFrame
        Output of :func:`at_risk`.
    path : str or pathlib.Path
        Target file; the suffix chooses the format.
    lang : str, default 'en'
        Language of the headers, the yes/no words and the sheet name.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    return _export_list(df, path, "lapsed", "win_back", lang)


def export_rejected(rejected: pd.DataFrame, path: str | Path, *, lang: str = DEFAULT) -> Path:
    r"""Write the rows the loader rejected (``rejected_rows.csv``), each with its reason in words.

    Business meaning: the client sees which lines of their export were not used and why,
    so they can fix them at the source.

    The cells are the file's own text (no rounding: they are what the loader could not
    read). The reason is in words of ``lang`` (:func:`reason_text`). In English the
    headers are the loader's column names (``line``, ``reason``, ``customer_id``, ``date``,
    ``amount``...: the file's format since it exists); in another language they are the
    catalogue's labels (``שורה``, ``סיבה``, ``מספר לקוח``...). UTF-8 with a byte-order
    mark, formulas made safe (:func:`write_csv`).

    Parameters
    ----------
    rejected : DataFrame
        ``LoadReport.rejected`` of :func:`retainlib.read_transactions` (or of a survey).
    path : str or pathlib.Path
        Target ``.csv`` file; its folder must exist.
    lang : str, default 'en'
        Language of the reasons and of the headers.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile
    >>> rows = pd.DataFrame({"line": [7], "reason": ["blank amount"], "amount": [""]})
    >>> folder = Path(tempfile.mkdtemp())
    >>> export_rejected(rows, folder / "en.csv").read_bytes().decode("utf-8-sig")
    'line,reason,amount\r\n7,blank amount,\r\n'
    >>> export_rejected(rows, folder / "he.csv", lang="he").read_bytes().decode("utf-8-sig")
    'שורה,סיבה,סכום\r\n7,חסר סכום,\r\n'
    """
    lang = check_language(lang)
    out = rejected.copy()
    if "reason" in out.columns:
        out["reason"] = out["reason"].map(lambda r: reason_text(r, lang), na_action="ignore")
    if lang != "en":
        out.columns = [label(c, lang) for c in out.columns]
    return write_csv(out, path, index=False)
