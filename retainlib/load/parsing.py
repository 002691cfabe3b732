"""Vectorised parsers for the messy text values of client exports.

Private building blocks shared by the loaders (:func:`retainlib.read_transactions`,
the NPS survey loader): each takes a Series of raw text and returns the parsed
values plus, for every row, the reason it could not be parsed (or missing).
Numbers and money amounts are parsed in :mod:`retainlib.load._numbers`, with the
text helpers of this module.

Every parser returns ``(values, reasons)``: two Series with the input's index;
``reasons`` is categorical, missing where the value parsed, otherwise a short
stable text such as ``'unparseable date'``. Parsing is vectorised: a strict fast
path (pyarrow compute or one pandas format) handles the common case and only the
rows it rejects go through the slower, more forgiving rules.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from retainlib.load._arrowtext import (
    encode,
    may_hold_invisible,
    needs_trim,
    plain_ascii,
    zero_length,
)

__all__ = [
    "BLANK_ID",
    "TEXT",
    "clean_ids",
    "clean_text",
    "normalize_header",
    "parse_dates",
]

BLANK_ID = "blank customer id"
# text dtype of the canonical tables: pandas 3's "str"; on pandas 2 the nullable "string"
# (astype("str") there would turn missing values into the text 'nan')
TEXT = "str" if int(pd.__version__.split(".")[0]) >= 3 else "string"

# invisible marks that Hebrew (right-to-left) exports put around headers and values
_INVISIBLE = "\u200e\u200f\ufeff\u200b\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE_RE = f"[{_INVISIBLE}]"
_INVISIBLE_TABLE = str.maketrans("", "", _INVISIBLE)
# whitespace a value may carry: spaces, tabs, no-break and narrow no-break spaces
_WS = " \t\r\n\u00a0\u202f\u2007\u2009"


def normalize_header(name: object) -> str:
    r"""Return a column header in the form used for matching.

    Unicode NFC, invisible direction marks and BOMs (U+200E, U+200F, U+FEFF,
    U+200B, U+202A-U+202E, U+2066-U+2069) removed, surrounding whitespace
    stripped and inner runs of whitespace collapsed to one space.

    Examples
    --------
    >>> normalize_header("\ufeff\u200f מספר  לקוח ")
    'מספר לקוח'
    """
    text = unicodedata.normalize("NFC", str(name)).translate(_INVISIBLE_TABLE)
    return " ".join(text.split())


def _as_arrow(series: pd.Series, combine: bool = True) -> pa.Array | pa.ChunkedArray:
    """Return ``series`` as arrow strings (zero-copy for arrow-backed strings).

    One array, or with ``combine=False`` the column's chunks as they are.
    """
    if series.dtype == object:
        try:
            arr = pa.array(series.to_numpy(dtype=object), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed Python objects
            arr = pa.array(series.astype(TEXT), from_pandas=True)
    else:
        arr = pa.array(series, from_pandas=True)
    if combine and isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.string())
    return arr


def _strip(arr: pa.Array) -> pa.Array:
    """Remove invisible marks and surrounding whitespace (no-break spaces too).

    Returns ``arr`` itself when a look at its bytes shows there is nothing to remove.
    """
    if plain_ascii(arr):
        return arr
    invisible = may_hold_invisible(arr)
    if not invisible and not needs_trim(arr):
        return arr
    if not invisible and pc.all(pc.string_is_ascii(arr)).as_py() is not False:
        return pc.ascii_trim_whitespace(arr)
    if invisible and pc.any(pc.match_substring_regex(arr, _INVISIBLE_RE)).as_py():
        arr = pc.replace_substring_regex(arr, _INVISIBLE_RE, "")
    return pc.utf8_trim(arr, _WS)


def _blank_to_null(arr: pa.Array) -> pa.Array:
    """Empty values ('') as missing."""
    if not zero_length(arr).any():
        return arr
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)


def _reasons(codes: np.ndarray, categories: list[str], index: pd.Index) -> pd.Series:
    """Categorical reasons from integer codes (-1 = parsed)."""
    return pd.Series(
        pd.Categorical.from_codes(codes.astype(np.int8), categories=categories),
        index=index,
        name="reason",
    )


def clean_text(series: pd.Series) -> pd.Series:
    """Strip whitespace and invisible marks; blank cells become missing.

    Parameters
    ----------
    series : pandas.Series
        Raw text values.

    Returns
    -------
    pandas.Series
        String dtype, same index, missing where the cell is blank.
    """
    arr = _blank_to_null(_strip(_as_arrow(series)))
    out = pd.Series(arr.to_pandas(), index=series.index, name=series.name)
    return out.astype(TEXT)


def clean_ids(series: pd.Series, *, reason: str = BLANK_ID) -> tuple[pd.Series, pd.Series]:
    """Clean identifier values and flag blank ones.

    Identifiers stay text: leading zeros are kept ('00042' stays '00042');
    surrounding whitespace and invisible marks are removed.

    Parameters
    ----------
    series : pandas.Series
        Raw text identifiers.
    reason : str, default 'blank customer id'
        Reason given to blank cells.

    Returns
    -------
    values : pandas.Series
        String dtype, missing where blank.
    reasons : pandas.Series
        Categorical: ``reason`` where blank, missing otherwise.
    """
    values = clean_text(series)
    codes = np.where(values.isna().to_numpy(), 0, -1)
    return values, _reasons(codes, [reason], series.index)


# ----------------------------------------------------------------------------- dates

_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?"
_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + _TIME + "$")
_COMPACT_RE = re.compile(r"^((?:19|20|21)\d{2})(\d{2})(\d{2})$")
_SERIAL_RE = r"^\d{3,6}(?:\.\d+)?$"
# Excel serial dates: day 0 is 1899-12-30 (this absorbs Excel's fictitious 1900-02-29);
# accepted between 1901-01-01 (367) and 2199-12-31 (109574)
_SERIAL_MIN, _SERIAL_MAX = 367, 109574
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
_DATE_REASONS = ["blank date", "unparseable date", "impossible date", "date out of range"]
# years a datetime64[ns] holds whole (1677-09-21 to 2262-04-11); placeholder dates such as
# 9999-12-31 fall outside
_YEARS = (1678, 2261)


def _components_to_dates(
    parts: pd.DataFrame, order: tuple[int, int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Build timestamps from regex groups: datetime64[ns] values, impossible, out of range."""
    num = parts.apply(pd.to_numeric, errors="coerce")
    year, month, day = (num.iloc[:, i].to_numpy(dtype=float) for i in order)
    year = np.where(year < 100, np.where(year < 69, 2000 + year, 1900 + year), year)
    hour, minute, second = (np.nan_to_num(num.iloc[:, i].to_numpy(dtype=float)) for i in (3, 4, 5))
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (hour < 24) & (minute < 60) & (second < 60)
    out_of_range = ok & ((year < _YEARS[0]) | (year > _YEARS[1]))
    ok &= ~out_of_range
    year = np.where(ok, year, 2000)
    month_start = pd.to_datetime(
        pd.DataFrame({"year": year, "month": np.where(ok, month, 1), "day": 1}), errors="coerce"
    )
    days_in_month = month_start.dt.days_in_month.to_numpy(dtype=float)
    ok &= day <= days_in_month
    values = month_start.to_numpy(dtype="datetime64[ns]") + (
        (day - 1) * 86400 + hour * 3600 + minute * 60 + second
    ).astype("int64").astype("timedelta64[s]")
    values = np.where(ok, values, np.datetime64("NaT", "ns"))
    return values, ~ok & ~out_of_range, out_of_range


def _take_parsed(parsed: pd.Series, idx: np.ndarray, values: np.ndarray, codes: np.ndarray,
                 todo: np.ndarray) -> None:
    """Store dates pandas parsed at rows ``idx``; years outside :data:`_YEARS` are out of range.

    (pandas 3 parses 9999-12-31 in a coarser unit; as nanoseconds it would wrap around.)
    """
    got = parsed.notna().to_numpy().copy()
    if not got.any():
        return
    year = parsed.dt.year.to_numpy(dtype=float, na_value=np.nan)
    far = got & ((year < _YEARS[0]) | (year > _YEARS[1]))
    got &= ~far
    values[idx[got]] = parsed[got].to_numpy(dtype="datetime64[ns]")
    codes[idx[far]] = 3
    todo[idx[got | far]] = False


def _format_is_dayfirst(date_format: str) -> bool:
    return 0 <= date_format.find("%d") < date_format.find("%m")


def _parse_unique_dates(
    texts: pd.Series, *, dayfirst: bool, date_format: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Parse distinct stripped date texts; return (datetime64[ns] values, reason codes)."""
    n = len(texts)
    values = np.full(n, np.datetime64("NaT", "ns"))
    codes = np.full(n, -1, dtype=np.int8)
    blank = texts.isna().to_numpy() | (texts == "").to_numpy()
    codes[blank] = 0
    todo = ~blank
    # 1. the strict fast path: the explicit format, or ISO 8601
    fmt = date_format or "ISO8601"
    if todo.any():
        parsed = pd.to_datetime(texts[todo], format=fmt, errors="coerce")
        _take_parsed(parsed, np.flatnonzero(todo), values, codes, todo)
    # 2. Excel serial day numbers (45292 = 2024-01-01)
    if todo.any():
        sub = texts[todo]
        is_serial = sub.str.match(_SERIAL_RE).fillna(False).to_numpy(dtype=bool)
        serial = pd.to_numeric(sub.where(is_serial), errors="coerce").to_numpy(dtype=float)
        in_range = is_serial & (serial >= _SERIAL_MIN) & (serial <= _SERIAL_MAX)
        idx = np.flatnonzero(todo)
        whole_seconds = np.round(np.where(in_range, serial, 0) * 86400).astype("int64")
        values[idx[in_range]] = (_EXCEL_EPOCH + whole_seconds.astype("timedelta64[s]"))[in_range]
        todo[idx[in_range]] = False
    # 3. numeric day/month/year in any order the caller allows; tells impossible from unparseable
    if todo.any():
        first_day = _format_is_dayfirst(date_format) if date_format else dayfirst
        patterns = [(_ISO_RE, (0, 1, 2)), (_COMPACT_RE, (0, 1, 2))]
        patterns.append((_DMY_RE, (2, 1, 0) if first_day else (2, 0, 1)))
        for regex, order in patterns:
            if not todo.any():
                break
            parts = texts[todo].str.extract(regex)
            if parts.shape[1] < 6:
                parts = parts.reindex(columns=range(6))
            matched = parts.iloc[:, 0].notna().to_numpy()
            if not matched.any():
                continue
            idx = np.flatnonzero(todo)[matched]
            vals, impossible, out_of_range = _components_to_dates(parts[matched], order)
            values[idx] = vals
            codes[idx[impossible]] = 2
            codes[idx[out_of_range]] = 3
            todo[idx] = False
    # 4. month names ('15 Jan 2024', 'Jan 15, 2024'): only texts with a word of 3+ letters
    if todo.any() and date_format is None:
        sub = texts[todo]
        wordy = sub.str.contains(r"[^\W\d_]{3}", regex=True).fillna(False).to_numpy(dtype=bool)
        wordy = wordy & sub.str.contains(r"\d", regex=True).fillna(False).to_numpy(dtype=bool)
        if wordy.any():
            idx = np.flatnonzero(todo)[wordy]
            parsed = pd.to_datetime(sub[wordy], format="mixed", dayfirst=dayfirst, errors="coerce")
            _take_parsed(parsed, idx, values, codes, todo)
    codes[todo] = 1
    return values, codes


def parse_dates(
    series: pd.Series, *, dayfirst: bool = False, date_format: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse date texts; flag blank, unparseable and impossible dates.

    Accepted, in this order: ``date_format`` when given (strptime codes, e.g.
    ``'%d/%m/%Y'``), otherwise ISO 8601 (``2024-01-31``, ``2024-01-31 14:05``,
    ``20240131``); Excel serial day numbers between 367 and 109574 (``45292`` is
    2024-01-01); numeric day/month/year with ``/``, ``.`` or ``-`` and 2- or
    4-digit years, day first when ``dayfirst`` (or when ``date_format`` puts
    ``%d`` before ``%m``), month first otherwise; without ``date_format`` also
    dates with month names (``15 Jan 2024``). A time of day is kept.

    Each distinct text is parsed once, so a column with few distinct dates is
    fast whatever its length.

    Parameters
    ----------
    series : pandas.Series
        Raw text dates (surrounding whitespace allowed); datetime64 values
        (converted while reading) are taken as they are, missing = blank.
    dayfirst : bool, default False
        Read ``01/02/2024`` as 1 February (True) or January 2 (False).
    date_format : str, optional
        Explicit strptime format tried first.

    Returns
    -------
    values : pandas.Series
        ``datetime64[ns]``, NaT where not parsed.
    reasons : pandas.Series
        Categorical, missing where parsed, else 'blank date', 'unparseable date',
        'impossible date' (numbers in date form that name no calendar day,
        such as 31/02/2024 or month 13) or 'date out of range' (a year before
        1678 or after 2261, such as the placeholder 9999-12-31).
    """
    if pd.api.types.is_datetime64_dtype(series.dtype):  # converted while reading
        values = series.astype("datetime64[ns]")
        codes = np.where(values.isna().to_numpy(), 0, -1)
        return values, _reasons(codes, _DATE_REASONS, series.index)
    arr = _as_arrow(series, combine=False)
    distinct, take, nulls = encode(arr)  # then each distinct text stripped and parsed once
    uniques = pd.Series(_strip(distinct).to_pandas(), dtype=TEXT)
    u_values, u_codes = _parse_unique_dates(uniques, dayfirst=dayfirst, date_format=date_format)
    if len(uniques):
        values, codes = u_values[take], u_codes[take]
        if nulls.any():
            values[nulls], codes[nulls] = np.datetime64("NaT", "ns"), 0
    else:
        values = np.full(len(arr), np.datetime64("NaT", "ns"))
        codes = np.zeros(len(arr), dtype=np.int8)
    out = pd.Series(values, index=series.index, name=series.name, dtype="datetime64[ns]")
    return out, _reasons(codes, _DATE_REASONS, series.index)
