"""Reading a sales export into the canonical transactions table, accounting for every row.

:func:`read_transactions` turns a sales export (CSV/TSV/semicolon, Excel .xlsx/.xls/.ods,
Parquet; the encoding judged on the whole file, see :mod:`retainlib.load._encoding`) into the
canonical transactions table plus a :class:`LoadReport` that accounts for every row.

Headers are matched after normalisation: surrounding whitespace stripped,
Unicode NFC, every Unicode format character (category Cf: direction marks,
BOM, joiners, soft hyphen, embeddings and isolates) and control character removed,
then case-insensitively; so a Hebrew header exported as ``"\u200fמספר לקוח "``
matches ``"מספר לקוח"``. Ids, segment values and order ids are cleaned the same way.

Reading a file as text (:func:`read_raw`, :class:`RawTable`) lives in
:mod:`retainlib.load._rawread`, header matching (:func:`map_columns`) in
:mod:`retainlib.load._columns`; both are re-exported here for other loaders.
The columns are parsed in parallel threads by :mod:`retainlib.load._parallel`;
the total-row and duplicate checks are in :mod:`retainlib.load._rows`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from retainlib._suggest import did_you_mean
from retainlib.errors import DataError, DateOrderWarning  # DateOrderWarning: re-export
from retainlib.load._columns import _quoted, map_columns  # map_columns: re-export
from retainlib.load._dates import DATE_REASONS
from retainlib.load._loadreport import (
    LoadReport,  # public as retainlib.load.transactions.LoadReport
)
from retainlib.load._numbers import DecimalMarkUnclear
from retainlib.load._parallel import ParsedColumns, parse_columns

# RawTable, read_raw and map_columns stay public names here (in __all__) for the tests and
# loaders of other tables
from retainlib.load._rawread import RawTable, read_raw
from retainlib.load._rows import _duplicates, _sum_rows, _total_label, rows_of
from retainlib.load.parsing import TEXT, clean_text, parse_dates

__all__ = [
    "DateOrderWarning",
    "LoadReport",
    "RawTable",
    "map_columns",
    "read_client",
    "read_raw",
    "read_transactions",
]

CANONICAL = ("customer_id", "date", "amount", "order_id")
#: Why a row is rejected; a row's reason code is its index here.
REASONS = (
    "too many fields",
    "total row",
    "blank customer id",
    *DATE_REASONS,  # blank, unparseable, relative, incomplete, impossible, out of range, future
    "blank amount",
    "non-numeric amount",
    "amount out of range",
    "duplicate row",
)
_MAPPING_HINT = (
    "Map the file's columns with columns={'customer_id': ..., 'date': ..., 'amount': ...} "
    "(the columns: key of a client config)."
)


def read_transactions(
    source: str | Path | pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    segments: Sequence[str] | Mapping[str, str] = (),
    encoding: str | None = None,
    dayfirst: bool = False,
    date_format: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    sheet: str | int | None = None,
    duplicates: str = "keep",
) -> tuple[pd.DataFrame, LoadReport]:
    """Read a sales export into the canonical transactions table, accounting for every row.

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
        CSV/TSV/semicolon file (delimiter sniffed), ``.xlsx``, ``.parquet``, or a frame.
    columns : mapping, optional
        Canonical name -> file column, for ``customer_id``, ``date``, ``amount``
        and optionally ``order_id``; roles left out are looked up under their
        canonical name. Headers match after trimming, Unicode NFC and removing
        invisible RTL/LTR marks and BOMs, then ignoring case.
    segments : sequence or mapping
        File columns to keep as segments (under the same names), or a mapping
        output name -> file column.
    encoding : str, optional
        Text encoding; detected when None (UTF-8, UTF-8/16 with BOM, cp1255, cp1252/latin-1).
    dayfirst : bool, default False
        Read 01/02/2024 as 1 February.
    date_format : str, optional
        strptime format tried first, e.g. ``'%d.%m.%Y'``.
    decimal : {None, '.', ','}
        Decimal mark of amounts; None infers it from the whole amount column:
        values such as ``12,5`` or ``1.234,56`` show ',', ``12.5`` or
        ``1,234.56`` show '.' (see :func:`retainlib.load._numbers.parse_numbers`).
        A column showing both, or only values that read either way
        (``667,970``), is refused: set the mark then.
    thousands : str, optional
        Thousands separator; None accepts well-formed groups (see
        :func:`retainlib.load._numbers.parse_numbers`).
    sheet : str or int, optional
        Excel sheet name or 0-based index.
    duplicates : {'keep', 'drop'}
        What to do with rows that exactly repeat an earlier row; counted either way.

    Returns
    -------
    transactions : pandas.DataFrame
        ``customer_id`` (str, leading zeros kept), ``date`` (datetime64[ns]),
        ``amount`` (float64, negative = return), ``order_id`` (str, when
        mapped or present), then the segment columns (str). Rows in the file's
        order (sort with ``tx.sort_values("date", kind="stable")``). RangeIndex.
    report : LoadReport
        Counts, rejected rows with line numbers and reasons, date range, revenue.

    Raises
    ------
    DataError
        Missing file, unsupported format, undecodable text, absent column, no
        usable row, or (``decimal=None``) amounts that do not show their decimal mark.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"Customer": ["007", "", "008"], "Date": ["31/01/2024"] * 3,
    ...                     "Total": ["₪1,200.50", "5", "(45.00)"]})
    >>> tx, report = read_transactions(raw, columns={"customer_id": "Customer",
    ...     "date": "Date", "amount": "Total"}, dayfirst=True)
    >>> tx["amount"].tolist(), report.rejected_counts()
    ([1200.5, -45.0], {'blank customer id': 1})
    """
    if duplicates not in ("keep", "drop"):
        raise DataError(f"duplicates must be 'keep' or 'drop', not {duplicates!r}")
    wanted, optional, segs = _wanted(columns, segments)
    roles = {**wanted, **segs}
    hint = None if columns is not None else _MAPPING_HINT
    typed = partial(_convert_while_reading, roles=roles, optional=optional, hint=hint,
                    date_format=date_format, decimal=decimal, thousands=thousands)
    raw = read_raw(source, encoding=encoding, sheet=sheet, typed=typed)
    found = map_columns(raw, roles, optional=optional, hint=hint)
    texts = (["order_id"] if "order_id" in found else []) + list(segs)
    check_dates = None if date_format is not None else partial(
        _warn_date_order, texts=raw.frame[found["date"]], dayfirst=dayfirst, name=raw.name,
        column=found["date"])
    try:
        parsed = parse_columns(raw.frame, found, texts, dayfirst=dayfirst,
                               date_format=date_format, decimal=decimal, thousands=thousands,
                               on_dates=check_dates, numbers=raw.numbers.get(found["amount"]))
    except DecimalMarkUnclear as exc:  # reworded with the file, the column and the lines
        where = f"column {found['amount']!r} of {raw.name}"
        raise DataError(exc.sentence(where, raw.lines)) from None
    codes, dup = _row_checks(raw, parsed, drop_duplicates=duplicates == "drop")
    tx = _kept_rows(parsed, codes < 0)
    rejected = _rejected_rows(raw, found, codes)
    report = LoadReport(source=raw.name, rows_read=len(raw.frame), rows_kept=len(tx),
                        rows_rejected=len(rejected), duplicates=int(dup.sum()),
                        encoding=raw.encoding, rejected=rejected,
                        duplicates_dropped=duplicates == "drop", blank_lines=raw.blank_lines,
                        columns=found)
    _refuse_no_usable_rows(report)
    _add_totals(report, tx)
    return tx, report


def read_client(cfg) -> tuple[pd.DataFrame, LoadReport]:
    """Read a client's transactions as its :class:`retainlib.config.client.ClientConfig` says.

    Parameters
    ----------
    cfg : ClientConfig
        From :func:`retainlib.load_config`.

    Returns
    -------
    transactions : pandas.DataFrame
    report : LoadReport
        See :func:`read_transactions`.
    """
    return read_transactions(cfg.data, columns=cfg.columns, segments=cfg.segments, **cfg.read)


# ----------------------------------------------------------------- the steps of read_transactions


def _wanted(columns: Mapping[str, str] | None, segments: Sequence[str] | Mapping[str, str] | str):
    """The columns asked for, checked: (canonical name -> column, optional names, segments)."""
    if columns is None:
        wanted = {c: c for c in CANONICAL}
    else:
        if not isinstance(columns, Mapping):
            raise DataError(
                f"columns must map canonical names to file columns, e.g. "
                f"{{'customer_id': 'Customer'}}, not {type(columns).__name__}"
            )
        unknown = [k for k in columns if k not in CANONICAL]
        if unknown:
            raise DataError(
                f"unknown column role {unknown[0]!r} in columns; the roles are "
                f"{_quoted(CANONICAL)}.{did_you_mean(str(unknown[0]), CANONICAL)}"
            )
        wanted = {c: str(columns.get(c, c)) for c in CANONICAL}
    optional = [] if columns is not None and "order_id" in columns else ["order_id"]
    if isinstance(segments, str):
        segments = [segments]
    segs = dict(segments) if isinstance(segments, Mapping) else {str(s): str(s) for s in segments}
    clash = [s for s in segs if s in CANONICAL]
    if clash:
        raise DataError(
            f"segment name {clash[0]!r} clashes with a canonical column; give the segment "
            f"another output name, e.g. {{'{clash[0]}_segment': {segs[clash[0]]!r}}}"
        )
    return wanted, optional, segs


def _convert_while_reading(
    names: list[str], name: str, *, roles: Mapping[str, str], optional: list[str], hint: str | None,
    date_format: str | None, decimal: str | None, thousands: str | None,
) -> dict[str, str]:
    """The columns pyarrow may convert while reading a delimited file: {header: kind}.

    ``read_raw`` calls this with the file's header ``names``. Clean ISO dates and
    plain numbers convert much faster in pyarrow's CSV reader; a column with any
    other value stays text for the forgiving parsers (``read_raw`` checks that).
    Dates are offered unless a ``date_format`` is given, amounts when they use
    '.' decimals (given, not inferred: a converted '1.000' could not tell
    whether it was 1 or 1000) and no fixed thousands separator.
    """
    probe = RawTable(pd.DataFrame(columns=names), np.zeros(0, np.int64), name)
    where = map_columns(probe, roles, optional=optional, hint=hint)
    kinds = {} if date_format is not None else {where["date"]: "date"}
    if decimal == "." and thousands is None and where["amount"] not in kinds:
        kinds[where["amount"]] = "number"
    return kinds


def _warn_date_order(reasons, texts, dayfirst: bool, name: str, column: str) -> None:
    """Warn when most impossible dates would be valid read with day and month swapped."""
    bad = (reasons == "impossible date").to_numpy(dtype=bool, na_value=False)
    if not bad.any():
        return
    sub = texts[bad]
    _, other = parse_dates(sub, dayfirst=not dayfirst)
    fixed = other.isna().to_numpy()
    if fixed.sum() >= max(1, 0.5 * bad.sum()):
        now, alt = ("day", "month") if dayfirst else ("month", "day")
        warnings.warn(
            f"{int(fixed.sum()):,} dates in column {column!r} of {name} (e.g. "
            f"{sub[fixed].iloc[0]!r}) are impossible read {now} first but valid read {alt} first; "
            f"if the file writes {alt} first set dayfirst={not dayfirst} "
            f"(read: dayfirst: {str(not dayfirst).lower()} in a client config)",
            DateOrderWarning,
            stacklevel=4,  # called by parse_columns, called by read_transactions: its caller
        )


def _row_checks(
    raw: RawTable, parsed: ParsedColumns, *, drop_duplicates: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Why each row is rejected, and which rows exactly repeat an earlier row.

    Returns ``(codes, duplicate)``: ``codes`` is an index into REASONS per row
    (-1 for a kept row); ``duplicate`` is True on the valid rows that repeat
    an earlier valid row in every file column, rejected only when
    ``drop_duplicates``. When a row fails several checks the later check
    wins: amount, date, customer id, total row, too many fields, duplicate.
    """
    codes = _reason_codes(parsed.amount_reasons, parsed.date_reasons, parsed.id_reasons)
    total = _total_rows(raw.frame, codes, parsed.id_is_total, parsed.amounts, parsed.id_reasons)
    codes[total] = REASONS.index("total row")
    if raw.too_many_fields is not None and raw.too_many_fields.any():
        codes[raw.too_many_fields] = REASONS.index("too many fields")
    duplicate = _duplicates(raw.frame, codes < 0, parsed.candidates)
    if drop_duplicates:
        codes[duplicate] = REASONS.index("duplicate row")
    return codes, duplicate


def _reason_codes(*reasons: pd.Series) -> np.ndarray:
    """The parsers' reasons of each row as one index into REASONS (-1: every cell parsed).

    ``reasons`` are categorical Series (missing where the cell parsed),
    lowest precedence first: where several cells of a row are bad, the
    reason of the last one wins.

    Examples
    --------
    >>> amount = pd.Series(["blank amount", None, "blank amount"], dtype="category")
    >>> date = pd.Series([None, None, "blank date"], dtype="category")
    >>> [REASONS[c] if c >= 0 else None for c in _reason_codes(amount, date)]
    ['blank amount', None, 'blank date']
    """
    codes = np.full(len(reasons[0]), -1, dtype=np.int8)
    for r in reasons:
        c = r.cat.codes.to_numpy()
        if c.max(initial=-1) >= 0:
            lut = np.array([REASONS.index(v) for v in r.cat.categories], dtype=np.int8)
            hit = c >= 0
            codes[hit] = lut[c[hit]]
    return codes


def _total_rows(
    frame: pd.DataFrame, codes: np.ndarray, id_is_total: np.ndarray, amounts: pd.Series,
    id_reasons: pd.Series,
) -> np.ndarray:
    """True on the rows that are totals, not sales (``id_is_total`` is updated in place).

    A total row has a total label ('Total', 'סה"כ', ...) as customer id, or
    is a rejected row with such a label in any cell, or has no customer id
    and an amount equal to the sum of the rows above it (see ``_sum_rows``).
    Only the rejected rows are searched: a sale with an id is never a total.
    """
    label = id_is_total
    bad = np.flatnonzero((codes >= 0) & ~label)
    if len(bad):
        label[bad] = np.logical_or.reduce(
            [_total_label(clean_text(rows_of(frame[c], bad))) for c in frame.columns])
        amt = amounts.to_numpy()
        blank_id = id_reasons.notna().to_numpy()
        label |= _sum_rows(amt, blank_id, ~blank_id & ~np.isnan(amt) & ~label)
    return label


def _kept_rows(cols: ParsedColumns, keep: np.ndarray) -> pd.DataFrame:
    """The canonical transactions table: the kept rows of the parsed columns, RangeIndex."""
    out = {"customer_id": cols.ids, "date": cols.dates, "amount": cols.amounts, **cols.texts}
    rows = None if keep.all() else keep
    return pd.DataFrame({k: _kept(v, rows) for k, v in out.items()}, copy=False)


def _kept(values: pd.Series, keep: np.ndarray | None) -> pd.Series:
    """The kept rows of one output column, with a RangeIndex.

    Arrow-backed text is filtered by pyarrow (a sequential copy, several times
    faster than pandas' boolean indexing of such columns).
    """
    if keep is None:
        return values.reset_index(drop=True)
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        arr = pa.array(values, from_pandas=True).filter(pa.array(keep))
        return arr.to_pandas().astype(dtype).rename(values.name)
    return pd.Series(values.to_numpy()[keep], name=values.name, dtype=dtype)


def _rejected_rows(raw: RawTable, found: Mapping[str, str], codes: np.ndarray) -> pd.DataFrame:
    """The rejected rows for the load report: file line, reason, and each mapped cell as text."""
    rej_idx = np.flatnonzero(codes >= 0)
    rejected = pd.DataFrame(
        {
            "line": raw.lines[rej_idx],
            "reason": pd.array(np.asarray(REASONS, dtype=object)[codes[rej_idx]], dtype=TEXT),
            **{name: _as_text(rows_of(raw.frame[col], rej_idx)).to_numpy()
               for name, col in found.items()},
        }
    )
    return rejected.astype({c: TEXT for c in found})


def _as_text(values: pd.Series) -> pd.Series:
    """Cells as text; columns converted while reading are written back (ISO dates, numbers)."""
    if pd.api.types.is_datetime64_dtype(values.dtype):
        midnight = bool((values.dropna() == values.dropna().dt.normalize()).all())
        text = values.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S")
        return text.where(values.notna()).astype(TEXT)
    if isinstance(values.dtype, np.dtype) and values.dtype.kind == "f":
        return pd.Series([None if np.isnan(v) else repr(float(v)) for v in values],
                         index=values.index, dtype=TEXT)
    return values.astype(TEXT)


def _refuse_no_usable_rows(report: LoadReport) -> None:
    """Raise a DataError when no row was kept: an empty file, or every row rejected."""
    if report.rows_kept:
        return
    if not report.rows_read:
        raise DataError(f"{report.source} has no data rows below its header; export the data again")
    top = "; ".join(f"{k}: {v:,}" for k, v in list(report.rejected_counts().items())[:3])
    raise DataError(
        f"no usable rows in {report.source}: all {report.rows_read:,} rows were rejected ({top}); "
        "check the column mapping and the read options (dayfirst, date_format, decimal)"
    )


def _add_totals(report: LoadReport, tx: pd.DataFrame) -> None:
    """Fill in the report's date range, revenue, number of returns and customer ids."""
    amt = tx["amount"].to_numpy()
    day = tx["date"].to_numpy().view(np.int64)  # kept rows: no NaT; integers reduce fastest
    report.first_date, report.last_date = (pd.Timestamp(int(d), unit="ns") for d in (day.min(),
                                                                                        day.max()))
    report.revenue = float(amt.sum())
    report.returns = int((amt < 0).sum())
    report.customer_ids = tx["customer_id"]
