"""Fast array steps shared by loading, analytics and models: sorting with row numbers, equal rows.

Four tricks, each defined once (and one use of the second that analytics share):

* **sorting with row numbers** (:func:`sort_with_rows`, :func:`stable_sort`):
  a key and its row number packed into one 64-bit integer sort as plain
  values, several times faster than ``np.argsort``, and the row numbers come
  back from the low bits;
* **collapsing identical rows** (:func:`distinct_rows`): each row's number
  among the distinct rows of a few columns, by hashing (``pd.factorize``) one
  column at a time instead of sorting rows; :func:`predict_on_distinct_rows`
  runs a model once per distinct customer summary row and copies the results
  back to every customer;
* **membership by hash set** (:func:`member_of`): which of many ids are in
  another set of ids, through Arrow's hash-set kernel when both are Arrow
  strings (pandas' ``isin`` turns every value of the set into a Python object
  first, seconds per call on millions of customers);
* **factorizing a text column once** (:func:`factorized`): the codes of an
  Arrow text column (the customer ids of the purchase lines) are kept while
  the column lives and handed out again to the next analysis that asks.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

__all__ = [
    "distinct_rows", "factorized", "member_of", "predict_on_distinct_rows", "row_bits",
    "rows_where", "sort_with_rows", "stable_sort",
]

#: rows handled at a time by the packing loop, so that its arithmetic stays in cache
_BLOCK = 1 << 16


def row_bits(n: int) -> int:
    """Number of bits that hold every row number below ``n`` (at least 1).

    Examples
    --------
    >>> row_bits(1), row_bits(8), row_bits(9)
    (1, 3, 4)
    """
    return max(1, int(n - 1).bit_length())


def sort_with_rows(key: np.ndarray, bits: int, *, exact: bool = True) -> np.ndarray:
    """Rows sorted by ``key``, each with its row number: the sorted values ``key << bits | row``.

    Every value packs a row's key (high bits) and its row number (the low
    ``bits`` bits, see :func:`row_bits`), so one sort of plain values orders the
    rows by key, rows with equal keys in row order. The row numbers are
    ``packed & (1 << bits) - 1`` and the sorted keys ``packed >> bits``.

    ``key`` is a non-negative int64 or a uint64 array. With ``exact=True`` it
    must fit in the bits left over (63 - ``bits`` for int64). With
    ``exact=False`` only its top bits are kept (``key & ~mask | row``): rows whose
    keys differ only in the low ``bits`` bits sort as equal, which suits hashes
    that only pick candidates. The packing goes a block of rows at a time.

    Examples
    --------
    >>> packed = sort_with_rows(np.array([5, 3, 5, 1]), 2)
    >>> (packed & 3).tolist(), (packed >> 2).tolist()  # row numbers, keys
    ([3, 1, 0, 2], [1, 3, 5, 5])
    >>> h = np.array([0b1101, 0b0110, 0b1100], dtype=np.uint64)
    >>> (sort_with_rows(h, 2, exact=False) & np.uint64(3)).tolist()  # rows 0 and 2 tie
    [1, 0, 2]
    """
    n = len(key)
    dtype = key.dtype
    low = dtype.type((1 << bits) - 1)
    packed = np.empty(n, dtype=dtype)
    for lo in range(0, n, _BLOCK):
        hi = min(lo + _BLOCK, n)
        block = packed[lo:hi]
        if exact:
            np.left_shift(key[lo:hi], dtype.type(bits), out=block)
        else:
            np.bitwise_and(key[lo:hi], ~low, out=block)
        np.bitwise_or(block, np.arange(lo, hi, dtype=dtype), out=block)
    packed.sort()
    return packed


def stable_sort(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.argsort(key, kind="stable")`` and ``key[order]`` of non-negative int64 keys, faster.

    Uses :func:`sort_with_rows` when a key and a row number fit in 63 bits
    together, ``argsort`` otherwise.

    Examples
    --------
    >>> order, sorted_key = stable_sort(np.array([5, 3, 5, 1]))
    >>> order.tolist(), sorted_key.tolist()
    ([3, 1, 0, 2], [1, 3, 5, 5])
    """
    bits = row_bits(len(key))
    if int(key.max(initial=0)).bit_length() + bits <= 63:
        packed = sort_with_rows(key, bits)
        return packed & ((1 << bits) - 1), packed >> bits
    order = np.argsort(key, kind="stable")
    return order, key[order]


def distinct_rows(*columns: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Each row's number among the distinct rows of ``columns``, and the distinct rows.

    Rows are numbered 0, 1, ... in order of first appearance; the distinct rows
    come back as one array per column, in number order, and
    ``np.bincount(codes)`` says how often each occurs (as ``np.unique(...,
    axis=0, return_inverse=True, return_counts=True)``, but by hashing one
    column at a time, without sorting). Missing values (NaN) equal each other.

    Examples
    --------
    >>> codes, (x, t) = distinct_rows(np.array([1, 2, 1, 1]), np.array([5.0, 5.0, 5.0, 6.0]))
    >>> codes.tolist(), x.tolist(), t.tolist()
    ([0, 1, 0, 2], [1, 2, 1], [5.0, 5.0, 6.0])
    """
    key, levels = None, []
    for col in columns:  # a loop over a few columns, not over rows
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
        if key is None:
            key, pairs = codes, None
        else:  # both codes are below the number of rows: the pair's number cannot overflow
            key, pairs = pd.factorize(key * len(uniques) + codes)
        levels.append((pairs, uniques))
    # walk back from the last column: each pair number is (earlier columns' number, code)
    at = np.arange(len(levels[-1][0]) if len(levels) > 1 else len(levels[0][1]))
    values = []
    for pairs, uniques in reversed(levels):
        if pairs is not None:
            at, code = np.divmod(pairs[at], len(uniques))
        else:
            code = at
        values.append(np.asarray(uniques)[code])
    return key.astype(np.int64, copy=False), tuple(reversed(values))


def predict_on_distinct_rows(model_fn, rfm: pd.DataFrame, columns) -> pd.Series | pd.DataFrame:
    """``model_fn(rfm)``, computed once per distinct row of ``rfm[columns]`` and copied back.

    Customers whose ``columns`` (the model's inputs, e.g. ``frequency``,
    ``recency``, ``T``) are equal get equal predictions, and a summary has far
    fewer distinct rows than customers (1M customers: about 420,000 distinct
    (frequency, recency, T) rows; all one-time buyers who first bought in the
    same week are one row). So ``model_fn`` is called once, on the first
    customer of each distinct row (those rows of ``rfm``, ``attrs`` kept, in
    order of first appearance), and each value is copied to every customer with
    the same row (:func:`distinct_rows`).

    ``model_fn`` must read only ``columns`` and return one value per row it is
    given, in that order: a Series or array (one prediction) or a DataFrame
    (several). A column absent from ``rfm`` is taken under its calibration name
    (``frequency_cal``, as the models accept), or left out when neither exists;
    with no columns at all, ``model_fn`` gets every row of ``rfm``.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``model_fn``'s values for every row of ``rfm``, indexed like ``rfm``
        (a Series keeps its name, a DataFrame its columns).

    Examples
    --------
    >>> rfm = pd.DataFrame({"frequency": [0, 2, 0], "T": [10.0, 8.0, 10.0]}, index=["a", "b", "c"])
    >>> calls = []
    >>> def twice_t(rows):
    ...     calls.append(len(rows))
    ...     return 2 * rows["T"]
    >>> predict_on_distinct_rows(twice_t, rfm, ["frequency", "T"]).tolist(), calls
    ([20.0, 16.0, 20.0], [2])
    """
    names = [c if c in rfm.columns else f"{c}_cal" for c in columns]
    names = [c for c in names if c in rfm.columns]
    if not names or len(rfm) < 2:
        rows, codes = rfm, np.arange(len(rfm))
    else:
        codes, _ = distinct_rows(*(rfm[c].to_numpy() for c in names))
        # rows are numbered in order of first appearance: a row is the first of its number
        # exactly where the running maximum of the numbers goes up
        top = np.maximum.accumulate(codes)
        rows = rfm.iloc[np.flatnonzero(np.r_[True, top[1:] > top[:-1]])]
    values = model_fn(rows)
    if isinstance(values, pd.DataFrame):
        out = values.iloc[codes]
        out.index = rfm.index
        return out
    name = values.name if isinstance(values, pd.Series) else None
    return pd.Series(np.asarray(values)[codes], index=rfm.index, name=name)


def _arrow_strings(values) -> bool:
    dtype = getattr(values, "dtype", None)
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow" or (
        isinstance(dtype, pd.ArrowDtype) and str(dtype.pyarrow_dtype) in ("string", "large_string"))


def member_of(values, pool) -> np.ndarray:
    """A boolean array: for each of ``values``, whether it is one of ``pool`` (``isin``).

    ``values`` and ``pool`` are Series, Index or arrays. When both hold Arrow
    strings (pandas 3's default text), the test runs in Arrow's hash-set
    kernel (``pyarrow.compute.is_in``); otherwise it is pandas' ``isin``.
    Missing values are never members.

    Examples
    --------
    >>> ids = pd.Series(["a", "b", None, "c"], dtype="string[pyarrow]")
    >>> member_of(ids, pd.Index(["c", "a"], dtype="string[pyarrow]")).tolist()
    [True, False, False, True]
    >>> member_of(pd.Index([1, 2, 3]), [3]).tolist()
    [False, False, True]
    """
    if _arrow_strings(values) and _arrow_strings(pool):
        import pyarrow as pa
        import pyarrow.compute as pc

        def arrow(x):
            return pa.array(x.array if hasattr(x, "array") else x, type=pa.large_string())

        found = pc.is_in(arrow(values), value_set=arrow(pool), skip_nulls=True)
        return found.fill_null(False).to_numpy(zero_copy_only=False).astype(bool, copy=False)
    if not isinstance(values, pd.Series | pd.Index):
        values = pd.Index(values)
    return np.asarray(values.isin(pool), dtype=bool)


def rows_where(frame: pd.DataFrame, keep) -> pd.DataFrame:
    """``frame[keep]``, or ``frame`` itself when ``keep`` keeps every row (no copy).

    Filtering a table of millions of lines copies every column even when no
    line goes; the analyses filter on the observation end, which the lines
    usually all meet. The result must be read, not changed in place.

    >>> df = pd.DataFrame({"a": [1, 2]})
    >>> rows_where(df, np.array([True, True])) is df, len(rows_where(df, np.array([True, False])))
    (True, 1)
    """
    keep = np.asarray(keep, dtype=bool)
    return frame if keep.all() else frame[keep]


#: (id of an Arrow column, sort) -> (weak reference to the column, codes, uniques)
_FACTORIZED: dict[tuple[int, bool], tuple] = {}


def factorized(values: pd.Series, *, sort: bool = False) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=sort)``, computed once per Arrow text column.

    One report factorizes the customer ids of the same purchase lines many
    times (customer value, the model summary, the activity of the cohorts
    and KPIs), about a second each on millions of lines. An Arrow column
    never changes in place (pandas replaces it), so the codes of a column
    are kept, weakly (dropped with the column), and returned again. The codes
    are read-only. Other inputs are factorized as by pandas.

    Examples
    --------
    >>> ids = pd.Series(["b", "a", "b"], dtype="string[pyarrow]")
    >>> codes, uniques = factorized(ids, sort=True)
    >>> codes.tolist(), list(uniques), factorized(ids, sort=True)[0] is codes
    ([1, 0, 1], ['a', 'b'], True)
    """
    column = getattr(getattr(values, "array", None), "_pa_array", None)
    if not isinstance(values, pd.Series) or column is None:
        return pd.factorize(values, sort=sort)
    key = (id(column), bool(sort))
    hit = _FACTORIZED.get(key)
    if hit is not None and hit[0]() is column:
        return hit[1], hit[2]
    codes, uniques = pd.factorize(values, sort=sort)
    codes.flags.writeable = False

    def forget(_ref, key=key):
        _FACTORIZED.pop(key, None)

    _FACTORIZED[key] = (weakref.ref(column, forget), codes, uniques)
    return codes, uniques
