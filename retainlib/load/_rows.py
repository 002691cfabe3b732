"""Row checks of the transactions loader: total rows and exact duplicates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from retainlib._arrays import distinct_rows, row_bits, sort_with_rows
from retainlib.load._arrowtext import _mix, count_byte, first_two_bytes, take, text_hash

_TOTAL_LABEL = (
    r"^(?:(?:grand|sub)[\s-]*)?totals?\s*:?$|^sum\s*:?$"
    r"|^(?:סה[\"״'׳]?כ|סך[\s-]*ה?כו?ל)(?:\s+כללי)?\s*:?$"
)


def _label_starts() -> np.ndarray:
    """Lookup table of the first two bytes a total label can have (see first_two_bytes)."""
    table = np.zeros(1 << 16, dtype=bool)
    for first, second in ("to", "gr", "su"):  # total, grand total, subtotal and sum, any case
        for a in {first, first.upper()}:
            for b in {second, second.upper()}:
                table[ord(a) << 8 | ord(b)] = True
    table[0xD7A1] = True  # U+05E1 (samekh) in UTF-8: סה"כ, סך הכל
    return table


_TOTAL_START = _label_starts()


def _total_label(values: pd.Series) -> np.ndarray:
    """True where a cleaned cell is a total label ('Total', 'Subtotal', 'סה"כ', ...)."""
    arr = pa.array(values, from_pandas=True)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pc.cast(arr, pa.large_string())  # numbers, or all missing (null type)
    maybe = _TOTAL_START[first_two_bytes(arr)]
    out = np.zeros(len(arr), dtype=bool)
    if maybe.any():  # the full pattern only on the few cells that start like a label
        idx = np.flatnonzero(maybe)
        hit = pc.match_substring_regex(take(arr, idx), _TOTAL_LABEL, ignore_case=True)
        out[idx] = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    return out


def _sum_rows(amounts: np.ndarray, blank_id: np.ndarray, data_row: np.ndarray) -> np.ndarray:
    """Blank-id rows whose amount equals the sum of the data rows of their block, above, or all."""
    cand = np.flatnonzero(blank_id & ~np.isnan(amounts))
    if not len(cand):
        return np.zeros(len(amounts), dtype=bool)
    prefix = np.concatenate([[0.0], np.cumsum(np.where(data_row, amounts, 0.0))])
    count = np.concatenate([[0], np.cumsum(data_row)])
    start = np.concatenate([[0], cand[:-1] + 1])
    targets = [  # (sum, number of rows summed)
        (prefix[cand] - prefix[start], count[cand] - count[start]),
        (prefix[cand], count[cand]),
        (np.full(len(cand), prefix[-1]), np.full(len(cand), count[-1])),
    ]
    a = amounts[cand]
    hit = np.zeros(len(cand), dtype=bool)
    for total, n in targets:
        hit |= (n >= 2) & (np.abs(a - total) <= 0.01 + 1e-9 * np.abs(total))
    out = np.zeros(len(amounts), dtype=bool)
    out[cand[hit]] = True
    return out


def _repeated(h: np.ndarray) -> np.ndarray:
    """Mask of the rows whose hash may repeat (every row whose hash repeats, few others).

    One sort of (top bits of the hash, row number) packed in 64 bits
    (:func:`retainlib._arrays.sort_with_rows`): rows with equal hashes become
    neighbours; the bits given up to the row number only add a few false
    candidates, which the exact comparison then discards. The pass after the
    sort goes a block at a time (in cache).

    Examples
    --------
    >>> _repeated(np.array([9 << 60, 5 << 60, 9 << 60], dtype=np.uint64)).tolist()
    [True, False, True]
    """
    n = len(h)
    out = np.zeros(n, dtype=bool)
    if n < 2:
        return out
    pb = row_bits(n)
    low, top = np.uint64((1 << pb) - 1), ~np.uint64((1 << pb) - 1)
    step = 1 << 16
    packed = sort_with_rows(h, pb, exact=False)
    found = []
    for lo in range(0, n - 1, step):
        window = packed[lo : lo + step + 1]  # one more: the neighbour across the block edge
        pair = np.flatnonzero((window[1:] & top) == (window[:-1] & top))
        if len(pair):
            found += [window[pair] & low, window[pair + 1] & low]
    if found:
        out[np.concatenate(found).astype(np.intp)] = True
    return out


def rows_of(values: pd.Series, rows: np.ndarray) -> pd.Series:
    """``values.iloc[rows]`` with a RangeIndex; arrow-backed text gathered chunk by chunk."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        arr = take(pa.array(values, from_pandas=True), rows)
        return arr.to_pandas().astype(dtype).rename(values.name)
    return values.iloc[rows].reset_index(drop=True)


def _column_key(values: pd.Series) -> np.ndarray:
    """A 64-bit key per cell: equal cells get equal keys (values' bits, or a text hash)."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "fMi":
        return values.to_numpy().view(np.uint64)
    return text_hash(pc.cast(pa.array(values, from_pandas=True), pa.large_string()))


def _candidates(keys: list[np.ndarray]) -> np.ndarray:
    """Rows that may repeat another row: their 64-bit ``keys`` hash like another row's.

    Keys are per-row values that equal rows share (see :func:`_column_key`), so
    exact duplicates are always found; the few other rows are discarded by
    :func:`_duplicates`, which compares full rows.
    """
    n = len(keys[0])
    if n < 2:
        return np.zeros(n, dtype=bool)
    h = np.empty(n, dtype=np.uint64)
    step = 1 << 16  # a block at a time, so that the arithmetic stays in cache
    for lo in range(0, n, step):
        block = np.zeros(min(step, n - lo), dtype=np.uint64)
        for key in keys:  # (block * odd constant) xor key, then one mix
            np.multiply(block, np.uint64(0x9E3779B97F4A7C15), out=block)
            np.bitwise_xor(block, key[lo : lo + step], out=block)
        h[lo : lo + step] = _mix(block)
    return _repeated(h)


def _duplicates(frame: pd.DataFrame, valid: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Valid rows that repeat an earlier valid row exactly (all file columns).

    Only ``candidates`` (from :func:`_candidates`) are compared, on the text of every column.
    """
    out = np.zeros(len(frame), dtype=bool)
    cand = np.flatnonzero(valid & candidates)
    if len(cand) < 2:
        return out
    cols = [pc.cast(pa.array(rows_of(frame[c], cand), from_pandas=True), pa.large_string())
            for c in frame.columns]
    out[cand[_repeats(cols)]] = True
    return out


_SEP, _MISSING = "\x1f", "\x00"  # between two cells of a joined row; a missing cell


def _repeats(cols: list[pa.Array]) -> np.ndarray:
    r"""True on the rows of the text columns ``cols`` that equal an earlier row, cell for cell.

    Missing cells equal missing cells only. Usually each row is joined into one
    text (cells separated by "\x1f", a missing cell written "\x00") and the
    texts are compared. A joined text stands for exactly one row when no cell
    holds either mark; counting the marks checks that (one "\x1f" fewer than
    the columns per row, one "\x00" per missing cell). Otherwise the cells are
    compared column by column (:func:`retainlib._arrays.distinct_rows`).

    Examples
    --------
    >>> col = lambda *cells: pa.array(cells, pa.large_string())
    >>> _repeats([col("a", "a", "a"), col("b", None, "b")]).tolist()
    [False, False, True]
    >>> _repeats([col("a\x1fb", "a"), col("c", "b\x1fc")]).tolist()  # both join to one text
    [False, False]
    """
    n, missing = len(cols[0]), sum(c.null_count for c in cols)
    filled = [pc.fill_null(c, pa.scalar(_MISSING, pa.large_string())) for c in cols]
    sep = pa.scalar(_SEP, pa.large_string())
    joined = filled[0] if len(cols) == 1 else pc.binary_join_element_wise(*filled, sep)
    if (count_byte(joined, ord(_SEP)) == n * (len(cols) - 1)
            and count_byte(joined, ord(_MISSING)) == missing):
        return pd.Series(joined.to_pandas()).duplicated(keep="first").to_numpy()
    numbers, _ = distinct_rows(*(c.to_numpy(zero_copy_only=False) for c in cols))
    return pd.Series(numbers).duplicated(keep="first").to_numpy()
