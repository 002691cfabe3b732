"""Reading client exports: the only module that opens client data files.

:func:`read_transactions` turns a sales export (CSV/TSV/semicolon, Excel .xlsx,
Parquet; UTF-8, UTF-8 with BOM, UTF-16, cp1255, latin-1) into the canonical
transactions table plus a :class:`LoadReport` that accounts for every row.

Headers are matched after normalisation: surrounding whitespace stripped,
Unicode NFC, invisible marks removed (U+200E/U+200F direction marks, U+FEFF
BOM, U+202A-U+202E and U+2066-U+2069 embeddings), then case-insensitively; so
a Hebrew header exported as ``"\u200fמספר לקוח "`` matches ``"מספר לקוח"``.

Reading a file as text (:func:`read_raw`, :class:`RawTable`) lives in
:mod:`retainlib.load._rawread`, header matching (:func:`map_columns`) in
:mod:`retainlib.load._columns`; both are re-exported here for other loaders.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from retainlib._suggest import did_you_mean
from retainlib.errors import DataError, DateOrderWarning  # DateOrderWarning: re-export
from retainlib.load._columns import _quoted, map_columns  # map_columns: re-export
from retainlib.load._loadreport import (
    LoadReport,  # public as retainlib.load.transactions.LoadReport
)
from retainlib.load._numbers import parse_amounts

# RawTable, read_raw and map_columns stay public names here (in __all__) for the tests and
# loaders of other tables
from retainlib.load._rawread import RawTable, read_raw
from retainlib.load._rows import (
    _candidates,
    _column_key,
    _duplicates,
    _sum_rows,
    _total_label,
    rows_of,
)
from retainlib.load.parsing import TEXT, clean_ids, clean_text, parse_dates

__all__ = [
    "DateOrderWarning",
    "LoadReport",
    "RawTable",
    "map_columns",
    "read_client",
    "read_raw",
    "read_transactions",
]

# ----------------------------------------------------------------------------- transactions

CANONICAL = ("customer_id", "date", "amount", "order_id")
REASONS = (
    "too many fields",
    "total row",
    "blank customer id",
    "blank date",
    "unparseable date",
    "impossible date",
    "date out of range",
    "blank amount",
    "non-numeric amount",
    "duplicate row",
)


def _warn_date_order(reasons, texts, dayfirst: bool, name: str, column: str) -> None:
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
            stacklevel=3,
        )


def _wanted(columns: Mapping[str, str] | None, segments: Sequence[str] | Mapping[str, str] | str):
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


def _ids_and_label(raw: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Clean customer ids: values, reasons and the rows whose id is a total label."""
    ids, reasons = clean_ids(raw)
    return ids, reasons, _total_label(ids)


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


def read_transactions(
    source: str | Path | pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    segments: Sequence[str] | Mapping[str, str] = (),
    encoding: str | None = None,
    dayfirst: bool = False,
    date_format: str | None = None,
    decimal: str = ".",
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
    decimal : {'.', ','}
        Decimal mark of amounts.
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
        Missing file, unsupported format, undecodable text, absent column, or no usable row.

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
    hint = (
        None
        if columns is not None
        else (
            "Map the file's columns with columns={'customer_id': ..., 'date': ..., 'amount': ...} "
            "(the columns: key of a client config)."
        )
    )

    def typed(names: list[str], name: str) -> dict[str, str]:
        # clean ISO dates and plain numbers are converted by pyarrow while reading; a column
        # with any other value stays text for the forgiving parsers
        probe = RawTable(pd.DataFrame(columns=names), np.zeros(0, np.int64), name)
        where = map_columns(probe, {**wanted, **segs}, optional=optional, hint=hint)
        kinds = {} if date_format is not None else {where["date"]: "date"}
        if decimal == "." and thousands is None and where["amount"] not in kinds:
            kinds[where["amount"]] = "number"
        return kinds

    raw = read_raw(source, encoding=encoding, sheet=sheet, typed=typed)
    found = map_columns(raw, {**wanted, **segs}, optional=optional, hint=hint)
    frame, n = raw.frame, len(raw.frame)
    texts = (["order_id"] if "order_id" in found else []) + list(segs)
    # the columns are parsed in parallel threads: the pyarrow kernels release the GIL
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        # the slowest task first (amounts with currency signs, day-first dates), so that the
        # other worker meanwhile takes the rest: the customer ids, the text columns, and last
        # the rows that may be exact duplicates (it waits for the keys it needs)
        f_amts = pool.submit(
            parse_amounts, frame[found["amount"]], decimal=decimal, thousands=thousands
        )
        f_dates = pool.submit(
            parse_dates, frame[found["date"]], dayfirst=dayfirst, date_format=date_format
        )
        f_key = pool.submit(_column_key, frame[found["customer_id"]])
        f_ids = pool.submit(_ids_and_label, frame[found["customer_id"]])
        f_texts = {name: pool.submit(clean_text, frame[found[name]]) for name in texts}

        def candidates() -> np.ndarray:
            # hash keys: the raw id text, and the dates and amounts as parsed (as read when
            # pyarrow converted them): equal rows have equal keys
            keys = [f_key.result()]
            for col, fut in ((found["date"], f_dates), (found["amount"], f_amts)):
                dtype = frame[col].dtype
                converted = isinstance(dtype, np.dtype) and dtype.kind in ("f", "M")
                values = frame[col] if converted else fut.result()[0]
                keys.append(values.to_numpy().view(np.uint64))
            return _candidates(keys)

        f_cand = pool.submit(candidates)  # submitted last: every task it waits for has started
        ids, r_id, label = f_ids.result()
        dates, r_date = f_dates.result()
        if date_format is None:
            _warn_date_order(r_date, frame[found["date"]], dayfirst, raw.name, found["date"])
        amounts, r_amt = f_amts.result()
        cleaned = {name: f.result() for name, f in f_texts.items()}

    codes = np.full(n, -1, dtype=np.int8)
    for reasons in (r_amt, r_date, r_id):  # lowest precedence first: later ones overwrite
        c = reasons.cat.codes.to_numpy()
        if c.max(initial=-1) >= 0:
            lut = np.array([REASONS.index(v) for v in reasons.cat.categories], dtype=np.int8)
            hit = c >= 0
            codes[hit] = lut[c[hit]]
    bad = np.flatnonzero((codes >= 0) & ~label)
    if len(bad):  # a rejected row is a total row if any cell says so, or a blank id sums rows
        label[bad] = np.logical_or.reduce(
            [_total_label(clean_text(rows_of(frame[c], bad))) for c in frame.columns])
        amt = amounts.to_numpy()
        blank_id = r_id.notna().to_numpy()
        label |= _sum_rows(amt, blank_id, ~blank_id & ~np.isnan(amt) & ~label)
    codes[label] = REASONS.index("total row")
    if raw.too_many_fields is not None and raw.too_many_fields.any():
        codes[raw.too_many_fields] = REASONS.index("too many fields")

    dup = _duplicates(frame, codes < 0, f_cand.result())
    if duplicates == "drop":
        codes[dup] = REASONS.index("duplicate row")
    keep = codes < 0
    out = {"customer_id": ids, "date": dates, "amount": amounts, **cleaned}
    rows = None if keep.all() else keep
    tx = pd.DataFrame({k: _kept(v, rows) for k, v in out.items()}, copy=False)

    rej_idx = np.flatnonzero(~keep)
    rejected = pd.DataFrame(
        {
            "line": raw.lines[rej_idx],
            "reason": pd.array(np.asarray(REASONS, dtype=object)[codes[rej_idx]], dtype=TEXT),
            **{name: _as_text(rows_of(frame[col], rej_idx)).to_numpy()
               for name, col in found.items()},
        }
    )
    rejected = rejected.astype({c: TEXT for c in found})
    report = LoadReport(
        source=raw.name,
        rows_read=n,
        rows_kept=len(tx),
        rows_rejected=len(rej_idx),
        duplicates=int(dup.sum()),
        encoding=raw.encoding,
        rejected=rejected,
        duplicates_dropped=duplicates == "drop",
        blank_lines=raw.blank_lines,
        columns=found,
    )
    if not len(tx):
        if not n:
            raise DataError(f"{raw.name} has no data rows below its header; export the data again")
        top = "; ".join(f"{k}: {v:,}" for k, v in list(report.rejected_counts().items())[:3])
        raise DataError(
            f"no usable rows in {raw.name}: all {n:,} rows were rejected ({top}); "
            "check the column mapping and the read options (dayfirst, date_format, decimal)"
        )
    amt = tx["amount"].to_numpy()
    day = tx["date"].to_numpy().view(np.int64)  # kept rows: no NaT; integers reduce fastest
    report.first_date, report.last_date = (pd.Timestamp(int(d), unit="ns") for d in (day.min(),
                                                                                        day.max()))
    report.revenue = float(amt.sum())
    report.returns = int((amt < 0).sum())
    report.customer_ids = tx["customer_id"]
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
