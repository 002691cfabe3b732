"""Parsing numbers written the way people write money: the amounts of client exports.

:func:`parse_numbers` (and :func:`parse_amounts`, its loader wording) takes a
Series of raw text and returns float values plus a categorical reason per row
(missing where the value parsed), like the parsers of :mod:`retainlib.load.parsing`.
A strict fast path (pyarrow's cast) handles clean columns; otherwise each
distinct text is parsed once by forgiving rules (currency signs and codes,
thousands separators, decimal commas, accounting negatives).

With ``decimal=None`` the decimal mark is told from the whole column
(:func:`_decimal_of_column`): a text is evidence for a mark when it reads as a
number with that mark and not with the other (``12,5`` and ``1.234,56`` for
``','``; ``12.5`` and ``1,234.56`` for ``'.'``). One side's evidence decides;
evidence for both, or none while some text reads as two different numbers
(``667,970``: 667970 or 667.97), raises :class:`DecimalMarkUnclear`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from retainlib.errors import DataError
from retainlib.load._arrowtext import encode, zero_length
from retainlib.load.parsing import _as_arrow, _reasons, _strip

__all__ = ["DecimalMarkUnclear", "parse_amounts", "parse_numbers"]

_CURRENCY = r"(?:[₪$€£]|ILS|NIS|USD|EUR|GBP|ש\"ח|ש״ח|ש''ח|שח)"
_GROUP_CHARS = {
    ".": ",",
    ",": ".",
}  # decimal mark -> the other mark, allowed as thousands separator
# an unsigned number without grouping, as pyarrow's cast reads it: 12, 12.5, 12., .5, 1.5e3
_PLAIN = {
    ".": r"(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?",
    ",": r"(?:\d+,?\d*|,\d+)(?:[eE][-+]?\d+)?",
}
_SPACE_GROUPS = " '\u00a0\u202f\u2009"
#: how many texts the fast path looks at to confirm that a clean column uses '.' decimals
_CONFIRM = 64


class DecimalMarkUnclear(DataError):
    """The decimal mark of a column cannot be told from its values (``decimal=None``).

    Raised by :func:`parse_numbers` with a message naming rows by their
    1-based position; a loader that knows the file's lines rewords it with
    :meth:`sentence`.

    Attributes
    ----------
    noun : str
        What the values are, singular ('amount', 'score').
    examples : dict
        ``','`` and ``'.'``: (row position, text) of the first value that
        reads only with that mark (both present: the column mixes them), or
        ``'either'``: (row position, text, value with '.', value with ',') of
        the first value that reads as two different numbers.
    """

    def __init__(self, noun: str, examples: dict):
        self.noun = noun
        self.examples = examples
        super().__init__(self.sentence("the column"))

    def sentence(self, where: str, lines: np.ndarray | None = None) -> str:
        """The message for the values of ``where`` (e.g. "column 'amount' of sales.csv").

        ``lines[i]`` is the file line of row ``i``; without it rows are named
        by their 1-based position.
        """

        def at(row: int) -> str:
            return f"on line {int(lines[row])}" if lines is not None else f"in row {row + 1}"

        fix = ("set read.decimal: ',' or read.decimal: '.' in the client config "
               "(decimal=',' or decimal='.' in Python)")
        if "either" in self.examples:
            row, text, point, comma = self.examples["either"]
            return (
                f"{self.noun}s in {where} do not show their decimal mark: {text!r} {at(row)} "
                f"reads as {_show(point)} with '.' as decimal mark or as {_show(comma)} with ','; "
                f"{fix}"
            )
        (rc, tc), (rp, tp) = self.examples[","], self.examples["."]
        return (
            f"{self.noun}s in {where} use both ',' and '.' as decimal mark (e.g. {tc!r} {at(rc)} "
            f"and {tp!r} {at(rp)}); {fix}"
        )


def _show(value: float) -> str:
    """A number as plain text for a message: 667970, 667.97."""
    return f"{value:.15g}"


def parse_numbers(
    series: pd.Series,
    *,
    decimal: str | None = None,
    thousands: str | None = None,
    blank_reason: str = "blank amount",
    bad_reason: str = "non-numeric amount",
    numbers: np.ndarray | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse number texts written the way people write money.

    Handles currency signs or codes before or after (₪ $ € £, ILS, NIS, ש"ח,
    USD, EUR, GBP), thousands separators, decimal commas, accounting negatives
    ``(45.00)``, a leading or trailing minus (also U+2212) and whitespace.

    With ``thousands=None`` a separator is accepted only in well-formed groups
    of three digits after a first group of 1-3 digits not starting with 0
    (``1,234,567.50``; ``1.234,50`` when ``decimal=','``; a space, apostrophe
    or no-break space with either mark), so ``1,5`` with ``decimal='.'`` is
    rejected rather than guessed. With an explicit ``thousands`` character
    every occurrence is removed.

    With ``decimal=None`` the mark is inferred from all the distinct texts of
    the column: a text that reads as a number with one mark and not with the
    other (``12,5``, ``3,99``, ``1.234,56`` for ``','``; ``12.5``,
    ``1,234.56`` for ``'.'``) is evidence for that mark. Evidence for one mark
    only: that mark, the other being the thousands separator. Texts that read
    the same with either mark (``12``, ``-3``, ``1 234``) say nothing. No
    evidence but a text that reads as two different numbers (``667,970``,
    ``1.234``): :class:`DecimalMarkUnclear`; so is evidence for both marks.
    An explicit ``thousands`` of ``','`` or ``'.'`` makes the other the mark.

    Parameters
    ----------
    series : pandas.Series
        Raw text numbers; float64 values (converted while reading) are taken
        as they are: missing is blank, infinite is not a number.
    decimal : {None, '.', ','}
        Decimal mark; None infers it from the column as described.
    thousands : str, optional
        Thousands separator; ``None`` accepts the well-formed groups described.
    blank_reason, bad_reason : str
        Reasons for blank and for unreadable cells; the last word of
        ``bad_reason`` names the values in messages ('amount').
    numbers : numpy.ndarray, optional
        float64 per row: the value of a cell the file stored as a number
        (a workbook's number cell, a Parquet number), NaN for the other
        cells. Such a value is taken as it is, whatever ``decimal`` says, and
        its text is no evidence for the mark: only the other cells are read
        as text (:attr:`retainlib.load._table.RawTable.numbers`).

    Returns
    -------
    values : pandas.Series
        float64, NaN where not parsed.
    reasons : pandas.Series
        Categorical: missing where parsed, else ``blank_reason`` or ``bad_reason``.

    Raises
    ------
    DataError
        ``decimal`` is neither ``'.'``, ``','`` nor None.
    DecimalMarkUnclear
        ``decimal=None`` and the column does not show its decimal mark.

    Examples
    --------
    >>> values, _ = parse_numbers(pd.Series(["667,970", "12,5", "1.234,56"]))
    >>> values.tolist()
    [667.97, 12.5, 1234.56]
    >>> parse_numbers(pd.Series(["667,970", "12"]))
    Traceback (most recent call last):
    ...
    retainlib.load._numbers.DecimalMarkUnclear: amounts in the column do not show their decimal \
mark: '667,970' in row 1 reads as 667970 with '.' as decimal mark or as 667.97 with ','; set \
read.decimal: ',' or read.decimal: '.' in the client config (decimal=',' or decimal='.' in Python)
    """
    if decimal is not None and decimal not in _GROUP_CHARS:
        raise DataError(
            f"decimal must be '.' or ',', not {decimal!r}; use ',' for amounts written like 12,50"
        )
    if decimal is None and thousands in _GROUP_CHARS:
        decimal = _GROUP_CHARS[thousands]
    if numbers is not None:
        return _with_numbers(series, numbers, decimal=decimal, thousands=thousands,
                             blank_reason=blank_reason, bad_reason=bad_reason)
    if isinstance(series.dtype, np.dtype) and series.dtype.kind == "f":  # converted while reading
        values = series.astype("float64")
        x = values.to_numpy()
        finite = np.isfinite(x)
        if finite.all():
            codes = np.full(len(x), -1, dtype=np.int8)
        else:
            codes = np.where(np.isnan(x), 0, np.where(finite, -1, 1))
            values = values.where(finite)
        return values, _reasons(codes, [blank_reason, bad_reason], series.index)
    raw = _as_arrow(series, combine=False)
    n = len(raw)
    codes = np.full(n, -1, dtype=np.int8)
    cast = _cast_column(raw) if decimal != "," and thousands is None else None
    if cast is not None and decimal is None:
        decimal = "." if _shows_point(cast[0], cast[1]) else None
        cast = cast if decimal else None  # castable but unproven ('1.234', whole numbers)
    if cast is None:
        # each distinct text once (exports repeat the same prices many times), stripped then:
        # plain numbers such as 12, -3.5 (',' as the mark when decimal=',') cast, the rest by
        # the rules
        distinct, ind, nulls = encode(raw)
        uniq = _strip(distinct)
        u_blank = np.asarray(pc.equal(uniq, "").to_numpy(zero_copy_only=False), dtype=bool)
        known = None  # values the inference already read: (distinct indices, values)
        if decimal is None:
            decimal, known = _decimal_of_column(uniq, u_blank, ind, nulls, thousands=thousands,
                                                noun=bad_reason.split()[-1])
        u_values = _distinct_values(uniq, u_blank, decimal=decimal, thousands=thousands,
                                    known=known)
        u_bad = np.isnan(u_values) & ~u_blank
        if len(uniq):
            values = u_values[ind]
            blank = nulls | u_blank[ind]
            codes[u_bad[ind] & ~blank] = 1
        else:
            values = np.full(n, np.nan)
            blank = np.ones(n, dtype=bool)
        values[blank] = np.nan
    else:
        arr, values, blank, rest = cast
        values[blank] = np.nan
        if rest.any():
            # each distinct text once: exports repeat the same prices many times
            distinct, ind, _ = encode(arr.filter(pa.array(rest)))  # no nulls among them
            uniq = _parse_number_texts(distinct, decimal=".", thousands=thousands)
            sub_values = uniq[ind]
            values[rest] = sub_values
            bad = np.flatnonzero(rest)[np.isnan(sub_values)]
            codes[bad] = 1
    codes[blank] = 0
    out = pd.Series(values, index=series.index, name=series.name, dtype="float64")
    return out, _reasons(codes, [blank_reason, bad_reason], series.index)


def _with_numbers(
    series: pd.Series, numbers: np.ndarray, *, decimal: str | None, thousands: str | None,
    blank_reason: str, bad_reason: str,
) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_numbers` of a column some of whose cells are stored numbers.

    The stored numbers (finite values of ``numbers``) are taken as they are;
    the other cells are parsed as text, so only they show the decimal mark.

    >>> values, why = _with_numbers(pd.Series(["1.234", "12,5", None]),
    ...                             np.array([1.234, np.nan, np.nan]), decimal=None,
    ...                             thousands=None, blank_reason="blank", bad_reason="bad")
    >>> values.tolist()[:2], why.isna().tolist()
    ([1.234, 12.5], [True, True, False])
    """
    stored = np.isfinite(numbers)
    if stored.all():
        values = pd.Series(numbers, index=series.index, name=series.name, dtype="float64")
        return values, _reasons(np.full(len(numbers), -1, np.int8), [blank_reason, bad_reason],
                                series.index)
    rest = series.where(~stored) if stored.any() else series
    values, reasons = parse_numbers(rest, decimal=decimal, thousands=thousands,
                                    blank_reason=blank_reason, bad_reason=bad_reason)
    if stored.any():
        values = values.mask(stored, pd.Series(numbers, index=series.index))
        reasons = reasons.mask(stored)
    return values, reasons


def _match(arr: pa.Array, pattern: str) -> np.ndarray:
    hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def _distinct_values(
    uniq: pa.Array, blank: np.ndarray, *, decimal: str, thousands: str | None,
    known: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """The numbers of distinct stripped texts, NaN where blank or unreadable.

    Plain numbers (12, -3.5; 12,5 with ``decimal=','``) are cast at once, the
    others read by the forgiving rules, except the texts of ``known``
    (indices, values) already read with ``decimal``.

    >>> _distinct_values(pa.array(["12,5", "", "₪1.234,50", "x"]), np.array([0, 1, 0, 0], bool),
    ...                  decimal=",", thousands=None).tolist()
    [12.5, nan, 1234.5, nan]
    """
    plain = rf"^-?{_PLAIN[decimal]}$"
    fast = _match(uniq, plain)
    fast_arr = pc.if_else(pa.array(fast), uniq, pa.scalar(None, uniq.type))
    if decimal == ",":
        fast_arr = pc.replace_substring(fast_arr, ",", ".")
    values = np.array(pc.cast(fast_arr, pa.float64()).to_numpy(zero_copy_only=False),
                      dtype=float)
    rest = ~fast & ~blank
    if known is not None:
        values[known[0]] = known[1]
        rest[known[0]] = False
    if rest.any():
        values[rest] = _parse_number_texts(uniq.filter(pa.array(rest)), decimal=decimal,
                                           thousands=thousands)
    values[blank] = np.nan
    return values


def _cast_column(raw: pa.Array | pa.ChunkedArray):
    """The whole column read by pyarrow's cast ('.' decimals, no groups), or None.

    Returns ``(stripped texts, values, blank, rest)``: ``rest`` marks the
    texts that cast to a number that is not finite ('nan', 'inf'), left to
    the rules. None when some text does not cast (the first 1,024 are tried
    first: a failing cast of millions is slow).

    >>> _, values, blank, rest = _cast_column(pa.array(["1.5", None, "nan"]))
    >>> values[:1].tolist(), blank.tolist(), rest.tolist()
    ([1.5], [False, True, False], [False, False, True])
    """
    try:
        pc.cast(_strip(raw.slice(0, 1024)), pa.float64())
        arr = _strip(raw)
        blank = zero_length(arr)
        if arr.null_count:
            blank |= np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        cast = pc.cast(arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    values = np.array(cast.to_numpy(zero_copy_only=False), dtype=float)
    return arr, values, blank, ~np.isfinite(values) & ~blank


def _shows_point(arr: pa.Array | pa.ChunkedArray, values: np.ndarray) -> bool:
    """Whether a column that casts as '.'-decimal numbers shows that its mark is '.'.

    Looks at the texts of at most ``_CONFIRM`` values with decimals: one that
    does not read with ',' as decimal mark ('12.5', '0.99', '1234.567'; not
    '1.234', which could be 1234, nor '1e-1', read alike) shows it. False
    when none does, as for whole numbers or values like '1.234' only: then
    every distinct text needs a look.

    >>> texts = ["1.234", "12.5"]
    >>> _shows_point(pa.array(texts), np.array([1.234, 12.5]))
    True
    """
    with np.errstate(invalid="ignore"):
        frac = np.isfinite(values) & (values != np.round(values))
    cand = np.flatnonzero(frac)[:_CONFIRM]
    if not len(cand):
        return False
    texts = arr.take(pa.array(cand))
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    return bool(np.isnan(_parse_number_texts(texts, decimal=",", thousands=None)).any())


def _decimal_of_column(
    uniq: pa.Array, blank: np.ndarray, ind: np.ndarray, nulls: np.ndarray, *,
    thousands: str | None, noun: str,
) -> tuple[str, tuple[np.ndarray, np.ndarray]]:
    """The decimal mark the distinct stripped texts ``uniq`` of a column show, '.' or ','.

    Each text not blank and not a whole number is read with either mark: one
    that reads only with ',' is evidence for ',', one that reads only with '.'
    evidence for '.'. '.' when nothing tells them apart (the values read alike
    either way). ``ind`` (row -> distinct text) and ``nulls`` find the first
    row of an example for the error.

    Returns the mark and the texts read on the way: (distinct indices, their
    values with that mark), for :func:`_distinct_values`.

    Raises
    ------
    DecimalMarkUnclear
        Evidence for both marks, or none while a text reads as two numbers.

    >>> uniq = pa.array(["1,234", "12,5", "7"])
    >>> mark, (where, values) = _decimal_of_column(uniq, np.zeros(3, bool), np.arange(3),
    ...                                            np.zeros(3, bool), thousands=None, noun="amount")
    >>> mark, where.tolist(), values.tolist()
    (',', [0, 1], [1.234, 12.5])
    """
    look = ~blank & ~_match(uniq, r"^[-+]?\d+$")  # whole numbers read alike with either mark
    where = np.flatnonzero(look)
    if not len(where):
        return ".", (where, np.zeros(0))
    sub = uniq.filter(pa.array(look))
    point = _read_with(sub, ".", thousands)
    comma = _read_with(sub, ",", thousands)
    only = {",": np.isnan(point) & ~np.isnan(comma), ".": ~np.isnan(point) & np.isnan(comma)}
    if only[","].any() != only["."].any():
        mark = "," if only[","].any() else "."
        return mark, (where, comma if mark == "," else point)

    def first(hit: np.ndarray) -> tuple[int, int]:
        """(row, position in ``where``) of the first row whose text is one of ``where[hit]``."""
        pos = np.full(len(uniq), -1)
        pos[where[hit]] = np.flatnonzero(hit)
        row = int(np.argmax((pos[ind] >= 0) & ~nulls))
        return row, int(pos[ind[row]])

    if only[","].any():  # and only["."]: the column mixes the marks
        examples = {}
        for m in (",", "."):
            row, k = first(only[m])
            examples[m] = (row, sub[k].as_py())
        raise DecimalMarkUnclear(noun, examples)
    either = ~np.isnan(point) & ~np.isnan(comma) & (point != comma)
    if either.any():
        row, k = first(either)
        raise DecimalMarkUnclear(noun, {"either": (row, sub[k].as_py(), float(point[k]),
                                                   float(comma[k]))})
    return ".", (where, point)


#: a '.' (or ',') not followed by exactly three digits: in a text without the other mark it
#: cannot be a thousands separator, so the text does not read with the other mark
_NOT_GROUP = {m: rf"{re.escape(m)}(?:\d{{0,2}}(?:\D|$)|\d{{4}})" for m in _GROUP_CHARS}


def _read_with(texts: pa.Array, decimal: str, thousands: str | None) -> np.ndarray:
    """The numbers of stripped texts read with the mark ``decimal``, NaN where unreadable.

    The forgiving rules are slow, so texts that cannot read with this mark
    are left out first: those without it whose other mark is not a
    thousands separator ('12.5' with ',': the rules would find it unreadable too).

    >>> _read_with(pa.array(["12.5", "12,5", "1.234"]), ",", None).tolist()
    [nan, 12.5, 1234.0]
    """
    other = _GROUP_CHARS[decimal]
    cannot = ~_match(texts, re.escape(decimal)) & _match(texts, _NOT_GROUP[other])
    values = np.full(len(texts), np.nan)
    if not cannot.all():
        values[~cannot] = _parse_number_texts(texts.filter(pa.array(~cannot)), decimal=decimal,
                                              thousands=thousands)
    return values


def _parse_number_texts(t: pa.Array, *, decimal: str, thousands: str | None) -> np.ndarray:
    """Forgiving rules (pyarrow RE2 regexes) for stripped texts the fast path rejected."""
    negative = np.zeros(len(t), dtype=bool)
    dec = re.escape(decimal)
    # peel signs, parentheses and currency from both ends; twice covers '(₪-45)' and '-₪45'
    for _ in range(2):
        t = _no_decimals_dash(t, dec)
        negative |= _match(t, r"^[-−]|[-−]$|^\(.*\)$")
        t = pc.replace_substring_regex(t, r"^[-−+]\s*|\s*[-−]$", "")
        t = pc.replace_substring_regex(t, r"^\(\s*(.*?)\s*\)$", r"\1")
        t = pc.replace_substring_regex(t, rf"^{_CURRENCY}\s*|\s*{_CURRENCY}$", "")
    if thousands is not None:
        core = pc.replace_substring(t, thousands, "")
        ok = _match(core, rf"^{_PLAIN[decimal]}$")
    else:
        # groups: a first group of 1-3 digits not starting with 0 ('0,500' is no thousand)
        seps = re.escape(_GROUP_CHARS[decimal] + _SPACE_GROUPS)
        grouped = _match(t, rf"^[1-9]\d{{0,2}}(?:[{seps}]\d{{3}})+(?:{dec}\d+)?$")
        ok = grouped | _match(t, rf"^{_PLAIN[decimal]}$")
        core = pc.if_else(pa.array(grouped), pc.replace_substring_regex(t, f"[{seps}]", ""), t)
    if decimal == ",":
        core = pc.replace_substring(core, ",", ".")
    core = pc.if_else(pa.array(ok), core, pa.scalar(None, core.type))
    values = np.array(pc.cast(core, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    values = np.where(negative, -np.abs(values), values)
    values[~np.isfinite(values)] = np.nan
    return values


def _no_decimals_dash(t: pa.Array, dec: str) -> pa.Array:
    r"""Texts with a dash in place of the decimals ('12.-', '12,--', '12.–') as whole numbers.

    Price tags write '12.-' for 12.00; the dash after the decimal mark
    ``dec`` (a regex) is no minus sign.

    >>> _no_decimals_dash(pa.array(["12.-", "-12.-", "12-", "1.5-", "(12.-)"]), r"\.").to_pylist()
    ['12', '-12', '12-', '1.5-', '(12.-)']
    """
    return pc.replace_substring_regex(t, rf"(\d){dec}(?:-{{1,2}}|[–—])$", r"\1")


#: the largest amount one line of a sales export can hold; beyond it the cell is an error
#: (a stray exponent, an id in the amount column), and sums of such amounts overflow
AMOUNT_LIMIT = 1e12


def parse_amounts(
    series: pd.Series, *, decimal: str | None = None, thousands: str | None = None,
    numbers: np.ndarray | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse money amounts; reasons 'blank amount', 'non-numeric amount', 'amount out of range'.

    See :func:`parse_numbers` for the accepted forms, how ``decimal=None``
    infers the decimal mark from the column and the stored ``numbers``. An amount beyond
    ±:data:`AMOUNT_LIMIT` (a trillion) is not a purchase: it is rejected with
    'amount out of range'.

    >>> values, reasons = parse_amounts(pd.Series(["12.5", "1e300", "-2e12", "x"]))
    >>> values.tolist()[0], list(reasons.astype(object))[1:]
    (12.5, ['amount out of range', 'amount out of range', 'non-numeric amount'])
    """
    values, reasons = parse_numbers(series, decimal=decimal, thousands=thousands,
                                    numbers=numbers)
    big = (values.abs() > AMOUNT_LIMIT).to_numpy()
    if big.any():
        values = values.mask(big)
        reasons = reasons.cat.add_categories(["amount out of range"])
        reasons = reasons.mask(big, "amount out of range")
    return values, reasons
