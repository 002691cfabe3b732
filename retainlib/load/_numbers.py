"""Parsing numbers written the way people write money: the amounts of client exports.

:func:`parse_numbers` (and :func:`parse_amounts`, its loader wording) takes a
Series of raw text and returns float values plus a categorical reason per row
(missing where the value parsed), like the parsers of :mod:`retainlib.load.parsing`.
A strict fast path (pyarrow's cast) handles clean columns; otherwise each
distinct text is parsed once by forgiving rules (currency signs and codes,
thousands separators, decimal commas, accounting negatives).
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

__all__ = ["parse_amounts", "parse_numbers"]

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


def parse_numbers(
    series: pd.Series,
    *,
    decimal: str = ".",
    thousands: str | None = None,
    blank_reason: str = "blank amount",
    bad_reason: str = "non-numeric amount",
) -> tuple[pd.Series, pd.Series]:
    """Parse number texts written the way people write money.

    Handles currency signs or codes before or after (₪ $ € £, ILS, NIS, ש"ח,
    USD, EUR, GBP), thousands separators, decimal commas, accounting negatives
    ``(45.00)``, a leading or trailing minus (also U+2212) and whitespace.

    With ``thousands=None`` a separator is accepted only in well-formed groups
    of three digits (``1,234,567.50``; ``1.234,50`` when ``decimal=','``; a
    space, apostrophe or no-break space with either mark), so ``1,5`` with
    ``decimal='.'`` is rejected rather than guessed. With an explicit
    ``thousands`` character every occurrence is removed.

    Parameters
    ----------
    series : pandas.Series
        Raw text numbers; float64 values (converted while reading) are taken
        as they are: missing is blank, infinite is not a number.
    decimal : {'.', ','}
        Decimal mark.
    thousands : str, optional
        Thousands separator; ``None`` accepts the well-formed groups described.
    blank_reason, bad_reason : str
        Reasons for blank and for unreadable cells.

    Returns
    -------
    values : pandas.Series
        float64, NaN where not parsed.
    reasons : pandas.Series
        Categorical: missing where parsed, else ``blank_reason`` or ``bad_reason``.

    Raises
    ------
    DataError
        ``decimal`` is neither ``'.'`` nor ``','``.
    """
    if decimal not in _GROUP_CHARS:
        raise DataError(
            f"decimal must be '.' or ',', not {decimal!r}; use ',' for amounts written like 12,50"
        )
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
    values = None
    if decimal == "." and thousands is None:
        try:  # fastest path: the whole column casts (clean exports); 'nan'/'inf' are caught below
            pc.cast(_strip(raw.slice(0, 1024)), pa.float64())  # a failing cast of 2M is slow
            arr = _strip(raw)
            blank = zero_length(arr)
            if arr.null_count:
                blank |= np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            cast = pc.cast(arr, pa.float64())
            values = np.array(cast.to_numpy(zero_copy_only=False), dtype=float)
            rest = ~np.isfinite(values) & ~blank
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = None
    if values is None:
        # each distinct text once (exports repeat the same prices many times), stripped then:
        # plain numbers such as 12, -3.5 (',' as the mark when decimal=',') cast, the rest by
        # the rules
        distinct, ind, nulls = encode(raw)
        uniq = _strip(distinct)
        u_blank = np.asarray(pc.equal(uniq, "").to_numpy(zero_copy_only=False), dtype=bool)
        plain = rf"^-?{_PLAIN['.']}$" if decimal == "." else rf"^-?{_PLAIN[',']}$"
        u_fast = _match(uniq, plain)
        fast_arr = pc.if_else(pa.array(u_fast), uniq, pa.scalar(None, uniq.type))
        if decimal == ",":
            fast_arr = pc.replace_substring(fast_arr, ",", ".")
        cast = pc.cast(fast_arr, pa.float64())
        u_values = np.array(cast.to_numpy(zero_copy_only=False), dtype=float)
        u_rest = ~u_fast & np.asarray(pc.not_equal(uniq, "").to_numpy(zero_copy_only=False))
        u_bad = np.zeros(len(uniq), dtype=bool)
        if u_rest.any():
            sub = _parse_number_texts(uniq.filter(pa.array(u_rest)), decimal=decimal,
                                      thousands=thousands)
            u_values[u_rest] = sub
            u_bad[np.flatnonzero(u_rest)[np.isnan(sub)]] = True
        if len(uniq):
            values = u_values[ind]
            blank = nulls | u_blank[ind]
            codes[u_bad[ind] & ~blank] = 1
        else:
            values = np.full(n, np.nan)
            blank = np.ones(n, dtype=bool)
        values[blank] = np.nan
    else:
        values[blank] = np.nan
        if rest.any():
            # each distinct text once: exports repeat the same prices many times
            distinct, ind, _ = encode(arr.filter(pa.array(rest)))  # no nulls among them
            uniq = _parse_number_texts(distinct, decimal=decimal, thousands=thousands)
            sub_values = uniq[ind]
            values[rest] = sub_values
            bad = np.flatnonzero(rest)[np.isnan(sub_values)]
            codes[bad] = 1
    codes[blank] = 0
    out = pd.Series(values, index=series.index, name=series.name, dtype="float64")
    return out, _reasons(codes, [blank_reason, bad_reason], series.index)


def _match(arr: pa.Array, pattern: str) -> np.ndarray:
    hit = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)


def _parse_number_texts(t: pa.Array, *, decimal: str, thousands: str | None) -> np.ndarray:
    """Forgiving rules (pyarrow RE2 regexes) for stripped texts the fast path rejected."""
    negative = np.zeros(len(t), dtype=bool)
    # peel signs, parentheses and currency from both ends; twice covers '(₪-45)' and '-₪45'
    for _ in range(2):
        negative |= _match(t, r"^[-−]|[-−]$|^\(.*\)$")
        t = pc.replace_substring_regex(t, r"^[-−+]\s*|\s*[-−]$", "")
        t = pc.replace_substring_regex(t, r"^\(\s*(.*?)\s*\)$", r"\1")
        t = pc.replace_substring_regex(t, rf"^{_CURRENCY}\s*|\s*{_CURRENCY}$", "")
    dec = re.escape(decimal)
    if thousands is not None:
        core = pc.replace_substring(t, thousands, "")
        ok = _match(core, rf"^{_PLAIN[decimal]}$")
    else:
        seps = re.escape(_GROUP_CHARS[decimal] + _SPACE_GROUPS)
        grouped = _match(t, rf"^\d{{1,3}}(?:[{seps}]\d{{3}})+(?:{dec}\d+)?$")
        ok = grouped | _match(t, rf"^{_PLAIN[decimal]}$")
        core = pc.if_else(pa.array(grouped), pc.replace_substring_regex(t, f"[{seps}]", ""), t)
    if decimal == ",":
        core = pc.replace_substring(core, ",", ".")
    core = pc.if_else(pa.array(ok), core, pa.scalar(None, core.type))
    values = np.array(pc.cast(core, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    values = np.where(negative, -np.abs(values), values)
    values[~np.isfinite(values)] = np.nan
    return values


#: the largest amount one line of a sales export can hold; beyond it the cell is an error
#: (a stray exponent, an id in the amount column), and sums of such amounts overflow
AMOUNT_LIMIT = 1e12


def parse_amounts(
    series: pd.Series, *, decimal: str = ".", thousands: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse money amounts; reasons 'blank amount', 'non-numeric amount', 'amount out of range'.

    See :func:`parse_numbers` for the accepted forms. An amount beyond
    ±:data:`AMOUNT_LIMIT` (a trillion) is not a purchase: it is rejected with
    'amount out of range'.

    >>> values, reasons = parse_amounts(pd.Series(["12.5", "1e300", "-2e12", "x"]))
    >>> values.tolist()[0], list(reasons.astype(object))[1:]
    (12.5, ['amount out of range', 'amount out of range', 'non-numeric amount'])
    """
    values, reasons = parse_numbers(series, decimal=decimal, thousands=thousands)
    big = (values.abs() > AMOUNT_LIMIT).to_numpy()
    if big.any():
        values = values.mask(big)
        reasons = reasons.cat.add_categories(["amount out of range"])
        reasons = reasons.mask(big, "amount out of range")
    return values, reasons
