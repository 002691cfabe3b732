"""The date rules of the loader: which texts name a purchase day, and why the others do not.

Private to :func:`retainlib.load.parsing.parse_dates`, which strips the texts and
parses each distinct text once with :func:`parse_texts`; values that a reader
already converted (pyarrow's CSV reader, a Parquet column) go through
:func:`check_calendar` only. Every rule returns reason codes, indices into
:data:`DATE_REASONS` (-1 = a purchase date).

The rules, in the order they are tried on a text:

1. ``date_format`` when given (strptime codes; ``%y`` follows :func:`full_year`).
2. ISO 8601 ``2024-01-31``, ``2024-01-31 14:05[:09[.123]]``, ``T`` allowed.
3. Excel serial day numbers: five or six digits from 10000 (1927-05-18) to 109574
   (2199-12-31), a fraction is the time of day. ``0`` is Excel's empty date cell
   ('blank date'); a time without a day (``0.5``) and a bare four-digit number (a
   year alone) are 'incomplete date'; other small numbers are not dates.
4. Numbers in date form: ``yyyy-mm-dd``, ``yyyymmdd``, ``dd/mm/yy(yy)`` day or month
   first, ``.``, ``/`` or ``-``; an optional time (``14:05``, ``2:05 PM``) and UTC
   offset (``Z``, ``+02:00``: dropped, the wall-clock time is kept). Year and
   month without a day (``2024-01``, ``01/2024``), day and month without a year
   (``05/01``) and a time alone (``10:00``) are 'incomplete date'.
5. Texts with words: a relative word (``today``, ``now``, ``yesterday``, ``היום``...)
   is a 'relative date'; a month name (``15 Jan 2024``, ``Jan 15, 2024``) is read by
   dateutil, which must find the day, the month and the year in the text (a missing
   one is an 'incomplete date', never taken from the run's clock); a weekday or a
   month without a date is an 'incomplete date'.

Then on every value (:func:`check_calendar`): Excel's day zero (1899-12-30,
1899-12-31) is a 'blank date' (an 'incomplete date' with a time of day), a year
outside 1678-2261 'date out of range', a day after the run's day 'date in the future'.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

import numpy as np
import pandas as pd
from dateutil import parser as dateutil_parser

from retainlib.errors import DataError

__all__ = [
    "DATE_REASONS",
    "check_calendar",
    "check_date_format",
    "full_year",
    "may_fail_calendar",
    "parse_texts",
]

DATE_REASONS = (
    "blank date",
    "unparseable date",
    "relative date",
    "incomplete date",
    "impossible date",
    "date out of range",
    "date in the future",
)
BLANK, UNPARSEABLE, RELATIVE, INCOMPLETE, IMPOSSIBLE, OUT_OF_RANGE, FUTURE = range(7)

# years a datetime64[ns] holds whole (1677-09-21 to 2262-04-11); placeholder dates such as
# 9999-12-31 fall outside
_YEARS = (1678, 2261)
_NAT = np.datetime64("NaT", "ns")
# Excel serial dates: day 0 is 1899-12-30 (this absorbs Excel's fictitious 1900-02-29)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
_SERIAL_MIN, _SERIAL_MAX = 10000, 109574
_DAY_ZERO = (np.datetime64("1899-12-30", "ns"), np.datetime64("1900-01-01", "ns"))

# strict ISO 8601, no offset: what pandas' ISO parser may take (it also reads '2024', '2024-01',
# 'now' and offsets, which the other rules judge)
_ISO_STRICT = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?)?$"
# the same with a UTC offset after the time ('2024-01-31T14:05:00+02:00', '...Z'): the offset is cut
_OFFSET = r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_ISO_WITH_OFFSET = (r"^\d{4}-\d{2}-\d{2}[T ]\d{2}(?::\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
                    + _OFFSET)
_TIME = (
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
    r"(?:\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?"
)
_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})" + _TIME + "$")
# dates with an English month name in the common orders, an optional weekday first:
# 15 Jan 2024, 15-Jan-24, 1st January 2024, Jan 15, 2024, Monday, January 15 2024 10:00 AM
_WEEKDAY = ("(?:(?i:" + "|".join(n for names in dateutil_parser.parserinfo.WEEKDAYS for n in names)
            + r")\.?,?\s+)?")
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR_RE = re.compile(
    "^" + _WEEKDAY + r"(\d{1,2})" + _ORDINAL + r"(?:\s+of)?[-/. ]+([A-Za-z]{3,9})\.?,?[-/. ]+"
    r"(\d{4}|\d{2})" + _TIME + "$")
_MONTH_DAY_YEAR_RE = re.compile(
    "^" + _WEEKDAY + r"([A-Za-z]{3,9})\.?[-/. ]+(\d{1,2})" + _ORDINAL + r",?[-/. ]+(\d{4}|\d{2})"
    + _TIME + "$")
_MONTH_NUMBERS = {name.lower(): i + 1 for i, names in enumerate(dateutil_parser.parserinfo.MONTHS)
                  for name in names}
_COMPACT_RE = re.compile(r"^((?:19|20|21)\d{2})(\d{2})(\d{2})$")
_SERIAL_RE = r"^\d{5,6}(?:\.\d+)?$"
_ZERO_SERIAL_RE = r"^0+(?:\.0*)?$"
_INCOMPLETE_RE = "|".join([
    r"^\d{4}(?:\.0+)?$",  # a year alone: 2024
    r"^0*\.\d+$",  # an Excel time without a day: 0.5
    r"^\d{4}[-/.]\d{1,2}$",  # year and month: 2024-01, 2024/1
    r"^\d{1,2}[-/.]\d{4}$",  # month and year: 01/2024
    r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])$",  # 202401
    r"^\d{1,2}[-/]\d{1,2}$|^\d{1,2}\.\d{1,2}\.$",  # day and month: 05/01, 5.1.
    r"^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?$",  # a time alone: 10:00
])
#: words that name a day relative to when the file is read, in English and Hebrew
RELATIVE_WORDS = frozenset({
    "now", "today", "tonight", "yesterday", "tomorrow", "ago",
    "עכשיו", "היום", "הלילה", "אתמול", "שלשום", "מחר", "מחרתיים",
})
_WORD = re.compile(r"[^\W\d_]+")
_DIGIT_RUN = re.compile(r"\d+")
_PARSER_INFO = dateutil_parser.parserinfo()
# two defaults that differ in year, month and day: a field dateutil takes from the default differs
_DEFAULTS = (dt.datetime(1904, 1, 1), dt.datetime(1908, 2, 2))


def full_year(yy: np.ndarray, this_year: int) -> np.ndarray:
    """The latest year ending in the two digits ``yy`` that is not after ``this_year``.

    A purchase cannot be in the future, so a two-digit year is the most recent such year.

    Examples
    --------
    >>> full_year(np.array([26, 27, 68, 0]), 2026).tolist()
    [2026, 1927, 1968, 2000]
    """
    yy = np.asarray(yy)
    return this_year - ((this_year - yy) % 100)


# ----------------------------------------------------------------------------- the format


def check_date_format(date_format: str) -> None:
    """Raise a DataError when ``date_format`` is not a strptime format with day, month and year.

    Examples
    --------
    >>> check_date_format("%d/%m/%Y")
    >>> try:
    ...     check_date_format("%d/%m")
    ... except DataError as exc:
    ...     print(str(exc)[:55])
    date_format '%d/%m' does not give the year of a date; g
    """
    if not isinstance(date_format, str):
        raise DataError(f"date_format must be text such as '%d/%m/%Y', not {date_format!r}")
    try:
        pd.to_datetime(pd.Series(["x"], dtype=object), format=date_format, errors="coerce")
    except ValueError as exc:
        raise DataError(
            f"date_format {date_format!r} is not a valid strptime format ({exc}); write it with "
            "codes such as %d (day), %m (month), %Y or %y (year), %H:%M (time), e.g. '%d/%m/%Y'"
        ) from None
    codes = set(re.findall(r"%([a-zA-Z])", date_format.replace("%%", "")))
    missing = [part for part, need in (("year", "YyGC"), ("month", "mbBh"), ("day", "d"))
               if not codes & set(need) and not ("j" in codes and part != "year")]
    if missing:
        named = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        raise DataError(
            f"date_format {date_format!r} does not give the {named} of a date; give the day, "
            "the month and the year, e.g. '%d/%m/%Y'"
        )


def _by_format(texts: pd.Series, todo: np.ndarray, values: np.ndarray, codes: np.ndarray,
               date_format: str, this_year: int) -> None:
    """Rule 1: the explicit strptime format; a text without digits is left to the other rules.

    (pandas reads 'now' and 'today' as the clock's time whatever the format.)
    """
    has_digit = texts.str.contains(r"\d", regex=True).fillna(False).to_numpy(dtype=bool)
    idx = np.flatnonzero(todo & has_digit)
    if not len(idx):
        return
    sub = texts.iloc[idx]
    try:
        with warnings.catch_warnings():  # pandas 2 warns (and gives objects) on mixed offsets
            warnings.simplefilter("ignore", FutureWarning)
            parsed = pd.to_datetime(sub, format=date_format, errors="coerce")
    except ValueError:  # pandas 3: a %z format on texts with different offsets
        parsed = None
    if parsed is None or not pd.api.types.is_datetime64_any_dtype(parsed.dtype):
        parsed = _by_format_one_by_one(sub, date_format)
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)  # the wall-clock time where it was written
    if "%y" in date_format.replace("%%", ""):
        year = parsed.dt.year.to_numpy(dtype=float, na_value=np.nan)
        ok = ~np.isnan(year)
        shift = np.zeros(len(year), dtype=np.int64)
        shift[ok] = full_year(year[ok].astype(np.int64) % 100, this_year) - year[ok]
        if shift.any():
            parsed = _shift_years(parsed, shift)
    _take_parsed(parsed, idx, values, codes, todo)


def _by_format_one_by_one(texts: pd.Series, date_format: str) -> pd.Series:
    """Parse with Python's strptime text by text; offsets dropped (each keeps its wall time)."""
    out = []
    for text in texts:
        try:
            out.append(dt.datetime.strptime(text, date_format).replace(tzinfo=None))
        except ValueError:
            out.append(None)
    return pd.Series(pd.to_datetime(out, errors="coerce"), index=texts.index)


def _shift_years(parsed: pd.Series, shift: np.ndarray) -> pd.Series:
    """``parsed`` with ``shift`` years added, keeping month, day and time."""
    return pd.Series(
        [v if not s or pd.isna(v) else v.replace(year=v.year + int(s))
         for v, s in zip(parsed, shift, strict=True)],
        index=parsed.index, dtype="datetime64[ns]",
    )


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
    codes[idx[far]] = OUT_OF_RANGE
    todo[idx[got | far]] = False


# ----------------------------------------------------------------------------- the text rules


def parse_texts(texts: pd.Series, *, dayfirst: bool, date_format: str | None,
                today: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Parse distinct stripped date texts: (datetime64[ns] values, reason codes).

    Examples
    --------
    >>> values, codes = parse_texts(pd.Series(["2024-01-05", "now", "2024", "05/01/68"]),
    ...                             dayfirst=True, date_format=None,
    ...                             today=pd.Timestamp("2026-12-01"))
    >>> [str(v)[:10] for v in values], [DATE_REASONS[c] if c >= 0 else None for c in codes]
    (['2024-01-05', 'NaT', 'NaT', '1968-01-05'], [None, 'relative date', 'incomplete date', None])
    """
    n = len(texts)
    values = np.full(n, _NAT)
    codes = np.full(n, -1, dtype=np.int8)
    blank = texts.isna().to_numpy() | (texts == "").to_numpy(dtype=bool, na_value=True)
    codes[blank] = BLANK
    todo = ~blank
    if todo.any() and date_format is not None:
        _by_format(texts, todo, values, codes, date_format, today.year)
    if todo.any():
        _iso(texts, todo, values, codes)
    if todo.any():
        _serials(texts, todo, values, codes)
    if todo.any():
        first_day = _format_is_dayfirst(date_format) if date_format else dayfirst
        _numeric(texts, todo, values, codes, first_day, today.year)
    if todo.any():
        _month_named(texts, todo, values, codes, today.year)
    if todo.any():
        _worded(texts, todo, values, codes, dayfirst, today.year)
    codes[todo] = UNPARSEABLE
    check_calendar(values, codes, today)
    return values, codes


def _format_is_dayfirst(date_format: str) -> bool:
    return 0 <= date_format.find("%d") < date_format.find("%m")


def _matches(texts: pd.Series, todo: np.ndarray, pattern: str) -> np.ndarray:
    """Rows still to do whose text matches the regex ``pattern`` (a bool mask of all rows)."""
    out = np.zeros(len(texts), dtype=bool)
    idx = np.flatnonzero(todo)
    hit = texts.iloc[idx].str.match(pattern).fillna(False).to_numpy(dtype=bool)
    out[idx[hit]] = True
    return out


def _iso(texts: pd.Series, todo: np.ndarray, values: np.ndarray, codes: np.ndarray) -> None:
    """Rule 2: strict ISO 8601 dates and times, parsed by pandas (the fast path).

    Texts with a UTC offset are parsed with the offset cut (their wall-clock time).
    """
    for pattern in (_ISO_STRICT, _ISO_WITH_OFFSET):
        found = _matches(texts, todo, pattern)
        if not found.any():
            continue
        idx = np.flatnonzero(found)
        sub = texts.iloc[idx]
        if pattern is _ISO_WITH_OFFSET:  # each date keeps its own wall-clock time
            sub = sub.str.replace(_OFFSET, "", regex=True)
        parsed = pd.to_datetime(sub, format="ISO8601", errors="coerce")
        _take_parsed(parsed, idx, values, codes, todo)


def _serials(texts: pd.Series, todo: np.ndarray, values: np.ndarray, codes: np.ndarray) -> None:
    """Rule 3: Excel serial day numbers (45292 = 2024-01-01); 0 is Excel's empty date."""
    zero = _matches(texts, todo, _ZERO_SERIAL_RE)
    codes[zero], todo[zero] = BLANK, False
    serial = _matches(texts, todo, _SERIAL_RE)
    if not serial.any():
        return
    idx = np.flatnonzero(serial)
    number = pd.to_numeric(texts.iloc[idx], errors="coerce").to_numpy(dtype=float)
    ok = (number >= _SERIAL_MIN) & (number <= _SERIAL_MAX)
    seconds = np.round(np.where(ok, number, 0) * 86400).astype("int64")
    values[idx[ok]] = (_EXCEL_EPOCH + seconds.astype("timedelta64[s]"))[ok]
    todo[idx[ok]] = False


def _numeric(texts: pd.Series, todo: np.ndarray, values: np.ndarray, codes: np.ndarray,
             first_day: bool, this_year: int) -> None:
    """Rule 4: numbers in date form; tells impossible and incomplete dates from unparseable."""
    patterns = [(_ISO_RE, (0, 1, 2)), (_COMPACT_RE, (0, 1, 2)),
                (_DMY_RE, (2, 1, 0) if first_day else (2, 0, 1))]
    for regex, order in patterns:
        if not todo.any():
            return
        idx = np.flatnonzero(todo)
        parts = texts.iloc[idx].str.extract(regex)
        matched = parts.iloc[:, 0].notna().to_numpy()
        if not matched.any():
            continue
        parts = parts[matched].reindex(columns=range(8))
        idx = idx[matched]
        vals, why = _components_to_dates(parts, order, this_year)
        values[idx] = vals
        codes[idx] = why
        todo[idx] = False
    incomplete = _matches(texts, todo, _INCOMPLETE_RE)
    codes[incomplete], todo[incomplete] = INCOMPLETE, False


def _month_named(texts: pd.Series, todo: np.ndarray, values: np.ndarray, codes: np.ndarray,
                 this_year: int) -> None:
    """Rule 5, the common forms at once: day, month name, year (either order), a time.

    A text whose word is no English month name is left for :func:`_worded`.
    """
    for regex, order, month_at in ((_DAY_MONTH_YEAR_RE, (2, 1, 0), 1),
                                   (_MONTH_DAY_YEAR_RE, (2, 0, 1), 0)):
        if not todo.any():
            return
        idx = np.flatnonzero(todo)
        parts = texts.iloc[idx].str.extract(regex)
        month = parts.iloc[:, month_at].str.lower().map(_MONTH_NUMBERS)
        named = month.notna().to_numpy()
        if not named.any():
            continue
        parts = parts[named].reindex(columns=range(8)).astype(object)
        parts[month_at] = month[named].astype(int).astype(str)
        idx = idx[named]
        values[idx], codes[idx] = _components_to_dates(parts, order, this_year)
        todo[idx] = False


def _components_to_dates(parts: pd.DataFrame, order: tuple[int, int, int], this_year: int
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Build timestamps from regex groups: (datetime64[ns] values, reason codes, -1 = a date).

    Groups: three date parts (in ``order``: year, month, day), hour, minute,
    second, fraction of a second, AM/PM letter.
    """
    num = parts.iloc[:, :6].apply(pd.to_numeric, errors="coerce")
    year, month, day = (num.iloc[:, i].to_numpy(dtype=float) for i in order)
    hour, minute, second = (np.nan_to_num(num.iloc[:, i].to_numpy(dtype=float)) for i in (3, 4, 5))
    digits = parts.iloc[:, order[0]].str.len().to_numpy(dtype=float)
    nanos = _nanoseconds(parts.iloc[:, 6])
    has_ampm = parts.iloc[:, 7].notna().to_numpy()
    pm = parts.iloc[:, 7].isin(["p", "P"]).to_numpy()
    bad_clock = has_ampm & (hour > 12)
    hour = np.where(has_ampm & (hour == 12), 0, hour) + np.where(pm, 12, 0)
    # Excel's and databases' "no date": 00/00/0000, 0000-00-00, 1900-01-00
    empty = ((year == 0) & (month == 0) & (day == 0)) | ((year == 1900) & (month == 1) & (day == 0))
    year = np.where(digits <= 2, full_year(np.nan_to_num(year).astype(np.int64), this_year), year)
    ok = (month >= 1) & (month <= 12) & (day >= 1) & (hour < 24) & (minute < 60) & (second < 60)
    ok &= ~bad_clock & ~empty
    out_of_range = ok & ((year < _YEARS[0]) | (year > _YEARS[1]))
    ok &= ~out_of_range
    month_start = pd.to_datetime(
        pd.DataFrame({"year": np.where(ok, year, 2000), "month": np.where(ok, month, 1), "day": 1}),
        errors="coerce",
    )
    ok &= day <= month_start.dt.days_in_month.to_numpy(dtype=float)
    seconds = np.where(ok, (day - 1) * 86400 + hour * 3600 + minute * 60 + second, 0)
    values = (month_start.to_numpy(dtype="datetime64[ns]")
              + seconds.astype("int64").astype("timedelta64[s]")
              + nanos.astype("timedelta64[ns]"))
    values = np.where(ok, values, _NAT)
    codes = np.where(ok, -1, IMPOSSIBLE)
    codes = np.where(out_of_range, OUT_OF_RANGE, np.where(empty, BLANK, codes)).astype(np.int8)
    return values, codes


def _nanoseconds(fraction: pd.Series) -> np.ndarray:
    """The digits after the seconds' decimal mark as nanoseconds (int64; 0 where none)."""
    if not fraction.notna().any():
        return np.zeros(len(fraction), dtype=np.int64)
    digits = fraction.fillna("").astype(str).str.pad(9, side="right", fillchar="0").str[:9]
    return pd.to_numeric(digits).to_numpy(dtype=np.int64)


def _worded(texts: pd.Series, todo: np.ndarray, values: np.ndarray, codes: np.ndarray,
            dayfirst: bool, this_year: int) -> None:
    """Rule 5: texts with words: relative words, month names, weekdays (each text on its own)."""
    for i in np.flatnonzero(todo):
        text = texts.iloc[i]
        words = _WORD.findall(text.casefold())
        if not words:
            continue
        if any(w in RELATIVE_WORDS for w in words):
            codes[i], todo[i] = RELATIVE, False
        elif any(_PARSER_INFO.month(w) is not None for w in words):
            values[i], codes[i] = _month_name_date(text, dayfirst, this_year)
            todo[i] = False
        elif any(_PARSER_INFO.weekday(w) is not None for w in words):
            codes[i], todo[i] = INCOMPLETE, False


def _month_name_date(text: str, dayfirst: bool, this_year: int) -> tuple[np.datetime64, int]:
    """A date with a month name, read by dateutil: (value, reason code).

    dateutil fills a field missing from the text from its ``default``; the text is
    read with two defaults that differ in year, month and day, so a missing field
    shows as a difference ('incomplete date'). Offsets and zone names are dropped.
    """
    got = []
    for default in _DEFAULTS:
        try:
            got.append(dateutil_parser.parse(text, default=default, dayfirst=dayfirst,
                                             ignoretz=True))
        except (ValueError, OverflowError) as exc:  # dateutil's ParserError is a ValueError
            return _NAT, IMPOSSIBLE if "out of range" in str(exc) else UNPARSEABLE
    first, second = got
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return _NAT, INCOMPLETE
    if max((len(r) for r in _DIGIT_RUN.findall(text)), default=0) <= 2:  # a two-digit year
        year = int(full_year(first.year % 100, this_year))
        try:
            first = first.replace(year=year)
        except ValueError:  # 29 February of a year that is not a leap year
            return _NAT, IMPOSSIBLE
    if not _YEARS[0] <= first.year <= _YEARS[1]:
        return _NAT, OUT_OF_RANGE
    return np.datetime64(first, "ns"), -1


# ----------------------------------------------------------------------------- every value


def may_fail_calendar(ns: np.ndarray, today: pd.Timestamp) -> bool:
    """False when every datetime64[ns] value (as int64) is a day from 1900 to ``today``.

    Two passes over the values; True also when a value is missing (NaT).
    """
    if not len(ns):
        return False
    tomorrow = (today.normalize() + pd.Timedelta(days=1)).as_unit("ns").value
    return int(ns.max()) >= tomorrow or bool((ns < int(_DAY_ZERO[1].astype(np.int64))).any())


def check_calendar(values: np.ndarray, codes: np.ndarray, today: pd.Timestamp) -> None:
    """Reject dates that are no purchase day (in place): Excel's day zero and days after today.

    1899-12-30 and 1899-12-31 (an empty Excel date cell) become 'blank date', or
    'incomplete date' when they carry a time of day (an Excel time without a date);
    a calendar day after ``today`` becomes 'date in the future' (later today is fine).
    ``values`` are datetime64[ns] with NaT where ``codes`` already holds a reason.

    Examples
    --------
    >>> values = np.array(["2024-01-05", "1899-12-30", "2026-12-02"], dtype="datetime64[ns]")
    >>> codes = np.full(3, -1, dtype=np.int8)
    >>> check_calendar(values, codes, pd.Timestamp("2026-12-01"))
    >>> [DATE_REASONS[c] if c >= 0 else None for c in codes]
    [None, 'blank date', 'date in the future']
    """
    if not len(values):
        return
    ns = values.view(np.int64)
    tomorrow = (today.normalize() + pd.Timedelta(days=1)).as_unit("ns").value
    future = ns >= tomorrow  # NaT is the smallest int64: never in the future
    if future.any():
        codes[future] = FUTURE
        values[future] = _NAT
    start, end = (int(d.astype(np.int64)) for d in _DAY_ZERO)
    since = ns - np.int64(start)  # NaT and the far future wrap around: huge as unsigned
    zero_day = since.view(np.uint64) < np.uint64(end - start)
    if zero_day.any():
        midnight = since % 86_400_000_000_000 == 0
        codes[zero_day] = np.where(midnight[zero_day], BLANK, INCOMPLETE)
        values[zero_day] = _NAT
