"""Vectorised parsers for the messy text values of client exports.

Private building blocks shared by the loaders (:func:`retainlib.read_transactions`,
the NPS survey loader): each takes a Series of raw text and returns the parsed
values plus, for every row, the reason it could not be parsed (or missing).
Numbers and money amounts are parsed in :mod:`retainlib.load._numbers`, with the
text helpers of this module; the date rules live in :mod:`retainlib.load._dates`.

Before any value or header is compared, surrounding whitespace and every hidden
character are removed: each Unicode format character (category Cf: direction
marks, BOM, zero-width joiners, soft hyphen, tag characters...) and each control
character (Cc: NUL, escape, DEL, the C1 controls) but tab, newline and carriage
return, which count as whitespace (:func:`hidden_characters`).

Every parser returns ``(values, reasons)``: two Series with the input's index;
``reasons`` is categorical, missing where the value parsed, otherwise a short
stable text such as ``'unparseable date'``. Parsing is vectorised: a strict fast
path (pyarrow compute or one pandas format) handles the common case and only the
rows it rejects go through the slower, more forgiving rules.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from retainlib.load._arrowtext import (
    _pieces,
    encode,
    needs_trim,
    rows_with_pairs,
    take,
    zero_length,
)
from retainlib.load._dates import BLANK as BLANK_DATE
from retainlib.load._dates import (
    DATE_REASONS,
    check_calendar,
    check_date_format,
    may_fail_calendar,
    parse_texts,
)

__all__ = [
    "BLANK_ID",
    "ID_PLACEHOLDERS",
    "TEXT",
    "clean_ids",
    "clean_text",
    "hidden_characters",
    "normalize_header",
    "parse_dates",
]

BLANK_ID = "blank customer id"
# text dtype of the canonical tables: pandas 3's "str"; on pandas 2 the nullable "string"
# (astype("str") there would turn missing values into the text 'nan')
TEXT = "str" if int(pd.__version__.split(".")[0]) >= 3 else "string"


def _hidden_characters() -> str:
    """Every format (Cf) and control (Cc) character but tab, newline and carriage return.

    Planes 2-13, 15 and 16 hold only ideographs, private-use and unassigned code
    points, never a format or control character, so they are not scanned (a test
    compares with a scan of every code point).
    """
    planes = itertools.chain(range(0x20000), range(0xE0000, 0xF0000))
    return "".join(ch for ch in map(chr, planes)
                   if unicodedata.category(ch) in ("Cf", "Cc") and ch not in "\t\n\r")


def _character_class(chars: str) -> str:
    r"""A regex character class (RE2 syntax, for pyarrow) matching exactly ``chars``.

    >>> _character_class("\x00\x01\x02\u200b")
    '[\\x{0}-\\x{2}\\x{200B}]'
    """
    points = sorted(map(ord, chars))
    ranges, start = [], points[0]
    for prev, cur in itertools.pairwise([*points, -1]):
        if cur != prev + 1:
            ranges.append(f"\\x{{{start:X}}}" + (f"-\\x{{{prev:X}}}" if prev > start else ""))
            start = cur
    return "[" + "".join(ranges) + "]"


def _utf8_starts(chars: str) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes that may begin one of ``chars``: (single bytes and lead bytes, byte pairs).

    Two lookup tables: 256 entries, True for an ASCII character of ``chars`` or
    a lead byte of a longer one; 65536 entries indexed by (lead << 8 | next byte).
    """
    lead, pair = np.zeros(256, bool), np.zeros(1 << 16, bool)
    for ch in chars:
        b = ch.encode()
        lead[b[0]] = True
        if len(b) > 1:
            pair[b[0] << 8 | b[1]] = True
    return lead, pair


class _Looks(NamedTuple):
    """Lookup tables of a few words' UTF-8 bytes, in any case (see :func:`_maybe_placeholders`)."""

    first: np.ndarray  # 256 entries: a word can begin with this byte
    last: np.ndarray  # 256 entries: a word can end with this byte
    first_and_length: np.ndarray  # 256 * 32 entries: first byte * 32 + byte length (< 31)


def _looks(words: Sequence[str]) -> _Looks:
    """The lookup tables of ``words`` (each shorter than 31 bytes), in any case.

    >>> looks = _looks(["N/A"])
    >>> bool(looks.first[ord("n")]), bool(looks.last[ord("A")]), bool(looks.last[ord("/")])
    (True, True, False)
    """
    first, last, first_len = np.zeros(256, bool), np.zeros(256, bool), np.zeros(256 * 32, bool)
    for word in words:
        for cased in {word.lower(), word.upper(), word}:
            b = cased.encode()
            if len(b) >= 31:  # index 31 stands for every longer value
                raise ValueError(f"{word!r} is too long for the lookup tables")
            first[b[0]], last[b[-1]], first_len[b[0] * 32 + len(b)] = True, True, True
    return _Looks(first, last, first_len)


# characters removed from every value and header before it is compared: each Unicode format
# character (category Cf: direction marks, BOM, zero-width joiners, soft hyphen, tags...) and
# each control character (Cc) except tab, newline and carriage return, which are whitespace
_HIDDEN = _hidden_characters()
_HIDDEN_TABLE = dict.fromkeys(map(ord, _HIDDEN))
_HIDDEN_RE = _character_class(_HIDDEN)
_HIDDEN_LEAD, _HIDDEN_PAIR = _utf8_starts(_HIDDEN)
_HIDDEN_PAIR[0x7F00:0x8000] = True  # DEL (one byte), whatever follows it
# the lead bytes of hidden characters: one low byte (C2, the C1 controls and the soft hyphen),
# then every byte from D8 up (Hebrew, D6 and D7, stays below)
_LEADS = np.flatnonzero(_HIDDEN_LEAD[0x80:]) + 0x80
_LEAD_HIGH = int(_LEADS[_LEADS > 0xD7].min())
_LEAD_LOW = tuple(int(b) for b in _LEADS[_LEADS < _LEAD_HIGH])
# whitespace a value may carry: spaces, tabs, line ends, no-break, narrow no-break, the
# typographic spaces, ogham and ideographic spaces, line and paragraph separators
_WS = (" \t\r\n\u00a0\u202f\u205f\u1680\u2028\u2029\u3000"
       + "".join(map(chr, range(0x2000, 0x200B))))
_WS_RUN_RE = _character_class(_WS) + "+"


def _respelt_characters() -> str:
    """Characters beyond ASCII that NFC may change (combining marks, singletons), and spaces."""
    planes = itertools.chain(range(0x80, 0x20000), range(0xE0000, 0xF0000))
    return "".join(ch for ch in map(chr, planes)
                   if unicodedata.combining(ch) or unicodedata.normalize("NFC", ch) != ch
                   or ch in _WS)


# the rows that may be spelt two ways: a tab or line end, a space beyond ASCII, a combining
# mark or a character NFC replaces (see :func:`same_spelling`)
_RESPELL_LOW = np.zeros(256, bool)
_RESPELL_LOW[[9, 10, 13]] = True
_RESPELL_PAIR = _utf8_starts(_respelt_characters())[1]
#: customer ids that stand for "no customer" (compared ignoring case, after trimming)
#: First characters that make a spreadsheet read a text cell as a formula (OWASP); the
#: exports put a ``'`` before such a text (retainlib.output.cells), the campaign reader takes
#: it off again
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ID_PLACEHOLDERS = (
    "#N/A", "N/A", "NA", "#N/A N/A", "NULL", "None", "nan", "undefined", "unknown", "(blank)",
    "-", "--", "---", "\u2014", "\u2013", "?", "??", "???",
    "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#N/A!", "#SPILL!", "#CALC!",
    "\u05dc\u05d0 \u05d9\u05d3\u05d5\u05e2",  # 'unknown' in Hebrew
)
_PLACEHOLDER_SET = pa.array(sorted({p.lower() for p in ID_PLACEHOLDERS}))
_PLACEHOLDER_LOOKS = _looks(ID_PLACEHOLDERS)


def normalize_header(name: object) -> str:
    r"""Return a column header in the form used for matching.

    Unicode NFC, every format and control character removed (direction marks,
    BOM, zero-width joiners, soft hyphens, NUL...: :func:`hidden_characters`),
    surrounding whitespace stripped and inner runs of whitespace collapsed to one space.

    Examples
    --------
    >>> normalize_header("\ufeff\u200f מספר  לקוח ")
    'מספר לקוח'
    >>> normalize_header("cust\u00adomer\u200d_id\x00")
    'customer_id'
    """
    text = unicodedata.normalize("NFC", str(name)).translate(_HIDDEN_TABLE)
    return " ".join(text.split())


def hidden_characters() -> str:
    r"""The characters removed from every header and value: Unicode Cf, and Cc but tab/newlines.

    >>> all(ch in hidden_characters() for ch in "\u200f\u200d\u00ad\ufeff\x00\x7f")
    True
    """
    return _HIDDEN


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
    """Remove hidden characters and surrounding whitespace (no-break spaces too).

    Returns ``arr`` itself when a look at its bytes shows there is nothing to remove.
    """
    plain, hidden = _plain_or_hidden(arr)
    if plain:
        return arr
    if not hidden and not needs_trim(arr):
        return arr
    if not hidden and pc.all(pc.string_is_ascii(arr)).as_py() is not False:
        return pc.ascii_trim_whitespace(arr)
    if hidden and pc.any(pc.match_substring_regex(arr, _HIDDEN_RE)).as_py():
        arr = pc.replace_substring_regex(arr, _HIDDEN_RE, "")
    return pc.utf8_trim(arr, _WS)


def _plain_or_hidden(arr: pa.Array | pa.ChunkedArray) -> tuple[bool, bool]:
    r"""Two looks at the UTF-8 bytes of ``arr``: (plain, may hold a hidden character).

    Plain: every byte is printable ASCII other than space (33-126), nothing to
    strip. The second answer is conservative: True when a byte, or a pair of
    bytes starting a character, may begin one of :func:`hidden_characters`; the
    common text (ASCII letters and digits, Hebrew, the shekel sign) is cleared
    by a few comparisons of its bytes.

    Examples
    --------
    >>> _plain_or_hidden(pa.array(["C-001", None])), _plain_or_hidden(pa.array(["שלום ₪5"]))
    ((True, False), (False, False))
    >>> _plain_or_hidden(pa.array(["a\u200db"])), _plain_or_hidden(pa.array(["a\x00"]))
    ((False, True), (False, True))
    """
    plain = True
    for _, _, data, _ in _pieces(arr):
        if not len(data):
            continue
        low, high = int(data.min()), int(data.max())
        if low > 32 and high < 0x7F:
            continue
        plain = False
        if low < 0x20 and _control_byte(data):
            return False, True
        if high >= 0x7F and _hidden_above_ascii(data, high):
            return False, True
    return plain, False


def _control_byte(data: np.ndarray) -> bool:
    """Whether the bytes hold an ASCII control character other than tab, newline, return."""
    low = data < 0x20
    return bool((low & (data != 9) & (data != 10) & (data != 13)).any())


def _hidden_above_ascii(data: np.ndarray, high: int) -> bool:
    """Whether DEL or a character of more than one byte that may be hidden starts in ``data``.

    ``high`` is the largest byte. The bytes that can begin one (DEL, C2 and
    the lead bytes from D8 up) are found with a few comparisons (no table
    lookup per byte), then each (lead, next byte) pair is looked up.
    """
    if data[-1] == 0x7F:
        return True
    head = data[:-1]
    special = head == 0x7F
    for b in _LEAD_LOW:
        if high >= b:
            special |= head == b
    if high >= _LEAD_HIGH:
        special |= head >= _LEAD_HIGH
    at = np.flatnonzero(special)
    if not len(at):
        return False
    return bool(_HIDDEN_PAIR[(data[at].astype(np.uint16) << 8) | data[at + 1]].any())


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


def same_spelling(arr: pa.Array) -> pa.Array:
    r"""Trimmed texts written one way: inner whitespace as one space, then Unicode NFC.

    Two cells that differ only in the kind or number of spaces between words
    (a no-break space, a tab, a line break inside quotes, two spaces) or in
    how an accented letter is encoded (``e`` + combining accent or ``é``) are
    the same id or segment. Only the rows a look at their bytes flags are
    rewritten (:func:`retainlib.load._arrowtext.rows_with_pairs`).

    >>> same_spelling(pa.array(["ab\u00a0c", "ab  c", "a\r\nb", "e\u0301", "x", None])).to_pylist()
    ['ab c', 'ab c', 'a b', 'é', 'x', None]
    """
    rows = rows_with_pairs(arr, _RESPELL_LOW, _RESPELL_PAIR)
    if not len(rows):
        return arr
    some = take(arr, rows)
    some = pc.utf8_normalize(pc.replace_substring_regex(some, _WS_RUN_RE, " "), "NFC")
    mask = np.zeros(len(arr), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(arr, pa.array(mask), some.cast(arr.type))


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
    arr = _blank_to_null(same_spelling(_strip(_as_arrow(series))))
    out = pd.Series(arr.to_pandas(), index=series.index, name=series.name)
    return out.astype(TEXT)


def clean_ids(series: pd.Series, *, reason: str = BLANK_ID) -> tuple[pd.Series, pd.Series]:
    r"""Clean identifier values and flag blank ones.

    Identifiers stay text: leading zeros are kept ('00042' stays '00042');
    surrounding whitespace and every hidden character (:func:`hidden_characters`:
    direction marks, zero-width joiners, soft hyphens, NUL...) are removed, so
    ``'123\u200d'`` and ``'123'`` are one customer.

    Blank: empty after that, or one of the placeholders that spreadsheets and
    databases write for "no value", compared ignoring case
    (:data:`ID_PLACEHOLDERS`): ``#N/A``, ``N/A``, ``NA``, ``#N/A N/A``,
    ``NULL``, ``None``, ``nan``, ``undefined``,
    ``unknown``, ``(blank)``, ``-``, ``--``, ``---``, ``—``, ``–``, ``?``,
    ``??``, ``???``, the Excel errors ``#VALUE!``, ``#REF!``, ``#DIV/0!``,
    ``#NAME?``, ``#NUM!``, ``#NULL!``, ``#N/A!``, ``#SPILL!``, ``#CALC!``,
    and ``לא ידוע`` ('unknown'). ``0`` is an id like any other.

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

    Examples
    --------
    >>> values, why = clean_ids(pd.Series([" 007 ", "#N/A", "n/a", "0", "\u200d"]))
    >>> values.tolist()[::3], why.isna().tolist()
    (['007', '0'], [True, False, False, True, False])
    """
    arr = _blank_to_null(same_spelling(_strip(_as_arrow(series))))
    placeholder = _placeholders(arr)
    if placeholder.any():
        arr = pc.if_else(pa.array(placeholder), pa.scalar(None, arr.type), arr)
    values = pd.Series(arr.to_pandas(), index=series.index, name=series.name).astype(TEXT)
    codes = np.where(values.isna().to_numpy(), 0, -1)
    return values, _reasons(codes, [reason], series.index)


def _placeholders(arr: pa.Array) -> np.ndarray:
    """True where a cleaned value is one of :data:`ID_PLACEHOLDERS` (any case).

    Only the values whose first byte and length fit a placeholder
    (:func:`_maybe_placeholders`) are compared in full, so a column of ordinary
    ids costs one look at each value's start and length.
    """
    out = np.zeros(len(arr), dtype=bool)
    at = _maybe_placeholders(arr, _PLACEHOLDER_LOOKS)
    if not len(at):
        return out
    hit = pc.is_in(pc.utf8_lower(take(arr, at)), value_set=_PLACEHOLDER_SET)
    out[at] = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    return out


def _maybe_placeholders(arr: pa.Array | pa.ChunkedArray, looks: _Looks) -> np.ndarray:
    """Rows whose first byte, byte length and last byte fit one of the words (int64 positions).

    One gather of the first byte of each value, then looks at the length (and,
    when many values start like a word, the last byte) of the few that fit;
    missing and empty values never fit.

    >>> _maybe_placeholders(pa.array(["#N/A", "C1", "", None, "n/a"]), _PLACEHOLDER_LOOKS)
    array([0, 4])
    """
    found, offset = [], 0
    for start, end, data, valid in _pieces(arr):
        if len(data):
            at = _fitting(start, end, data, looks)
            found.append((at if valid is None else at[valid[at]]) + offset)
        offset += len(start)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _fitting(start: np.ndarray, end: np.ndarray, data: np.ndarray, looks: _Looks) -> np.ndarray:
    """Positions of the values of one chunk that fit ``looks`` (see :func:`_maybe_placeholders`)."""
    n = len(data)
    first = data[start] if start[-1] < n else data[np.minimum(start, n - 1)]
    at = np.flatnonzero(np.take(looks.first, first))
    if len(at) > len(start) // 16:  # e.g. Hebrew ids, which start like 'לא ידוע'
        at = at[np.take(looks.last, data[np.maximum(end[at] - 1, 0)])]
    length = np.minimum(end[at] - start[at], 31)
    return at[np.take(looks.first_and_length, first[at].astype(np.intp) * 32 + length)]


# ----------------------------------------------------------------------------- dates


def parse_dates(
    series: pd.Series, *, dayfirst: bool = False, date_format: str | None = None,
    today: object = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse date texts; flag the texts that name no purchase day, with the reason.

    Accepted, in this order: ``date_format`` when given (strptime codes, e.g.
    ``'%d/%m/%Y'``); ISO 8601 (``2024-01-31``, ``2024-01-31 14:05``,
    ``20240131``); Excel serial day numbers from 10000 to 109574 (``45292`` is
    2024-01-01, ``45292.5`` noon); numeric day/month/year with ``/``, ``.`` or
    ``-`` and 2- or 4-digit years, day first when ``dayfirst`` (or when
    ``date_format`` puts ``%d`` before ``%m``), month first otherwise; dates
    with month names (``15 Jan 2024``, ``Jan 15, 2024``). A time of day is
    kept (``14:05``, ``2:05 PM``). A UTC offset (``Z``, ``+02:00``) is dropped:
    the date keeps its own wall-clock time, the time on the client's receipt
    (``2024-01-01T23:30:00+02:00`` is 2024-01-01 23:30), and the column stays
    naive; so do timezone-aware values.

    A two-digit year ``yy`` is the latest year ending in ``yy`` that is not
    after the current year of ``today`` (with ``today`` in 2026: ``26`` is
    2026, ``27`` is 1927, ``68`` is 1968, ``00`` is 2000), whatever the path:
    numeric dates, month names, or ``%y`` in ``date_format`` (whose own
    century rule is replaced).

    Each distinct text is parsed once, so a column with few distinct dates is
    fast whatever its length. The rules are spelled out in
    :mod:`retainlib.load._dates`.

    Parameters
    ----------
    series : pandas.Series
        Raw text dates (surrounding whitespace and invisible marks allowed);
        datetime64 values (converted while reading) are checked as they are,
        missing = blank.
    dayfirst : bool, default False
        Read ``01/02/2024`` as 1 February (True) or January 2 (False).
    date_format : str, optional
        Explicit strptime format tried first; it must name the day, the month
        and the year.
    today : date-like, optional
        The day of the run (default: the calendar date when called, taken
        once); dates after it are rejected, and it anchors two-digit years.

    Returns
    -------
    values : pandas.Series
        ``datetime64[ns]``, NaT where not parsed.
    reasons : pandas.Series
        Categorical, missing where parsed, else one of:

        - 'blank date': empty, or an empty date of Excel or a database
          (``1899-12-30``, ``1899-12-31``, ``1900-01-00``, ``00/00/0000``,
          ``0000-00-00``, the serial ``0``);
        - 'unparseable date': no date at all (``Total``, ``12``);
        - 'relative date': a day relative to the reading (``today``, ``now``,
          ``yesterday``, ``tomorrow``, ``היום``, ``אתמול``, ``עכשיו``, ``מחר``);
        - 'incomplete date': a day, month or year missing (``2024``,
          ``2024-01``, ``01/2024``, ``Jan 2024``, ``15 Jan``, ``Monday``,
          ``10:00``, an Excel time without a date);
        - 'impossible date': numbers in date form that name no calendar day
          (``31/02/2024``, month 13, ``25:00``);
        - 'date out of range': a year before 1678 or after 2261 (the
          placeholder ``9999-12-31``);
        - 'date in the future': a calendar day after ``today``.

    Raises
    ------
    DataError
        ``date_format`` has an invalid directive, or no day, month or year.

    Examples
    --------
    >>> values, why = parse_dates(pd.Series(["05/01/24", "today", "2024-01", "06/01/27"]),
    ...                           dayfirst=True, today="2026-12-01")
    >>> values.dt.strftime("%Y-%m-%d").tolist()[:1], why.tolist()[1:]
    (['2024-01-05'], ['relative date', 'incomplete date', nan])
    >>> str(values[3].date())
    '1927-01-06'
    """
    day = pd.Timestamp.now() if today is None else pd.Timestamp(today)
    day = day.tz_localize(None) if day.tzinfo is not None else day
    day = day.normalize()
    if date_format is not None:
        check_date_format(date_format)
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):  # the wall-clock time where it was recorded
        series, dtype = series.dt.tz_localize(None), np.dtype("datetime64[ns]")
    if pd.api.types.is_datetime64_dtype(dtype):  # converted while reading
        return _checked_datetimes(series.astype("datetime64[ns]"), day)
    arr = _as_arrow(series, combine=False)
    distinct, take_at, nulls = encode(arr)  # then each distinct text stripped and parsed once
    uniques = pd.Series(_strip(distinct).to_pandas(), dtype=TEXT)
    u_values, u_codes = parse_texts(uniques, dayfirst=dayfirst, date_format=date_format, today=day)
    if len(uniques):
        values, codes = u_values[take_at], u_codes[take_at]
        if nulls.any():
            values[nulls], codes[nulls] = np.datetime64("NaT", "ns"), BLANK_DATE
    else:
        values = np.full(len(arr), np.datetime64("NaT", "ns"))
        codes = np.zeros(len(arr), dtype=np.int8)
    out = pd.Series(values, index=series.index, name=series.name, dtype="datetime64[ns]")
    return out, _reasons(codes, list(DATE_REASONS), series.index)


def _checked_datetimes(values: pd.Series, day: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Dates a reader converted: missing ones blank, then :func:`check_calendar`.

    The values are copied only when one is rejected (two passes over them tell).
    """
    codes = np.full(len(values), -1, dtype=np.int8)
    ns = values.to_numpy().view(np.int64)
    if may_fail_calendar(ns, day):
        arr = values.to_numpy().copy()
        codes[np.isnat(arr)] = BLANK_DATE
        check_calendar(arr, codes, day)
        values = pd.Series(arr, index=values.index, name=values.name, dtype="datetime64[ns]")
    return values, _reasons(codes, list(DATE_REASONS), values.index)
