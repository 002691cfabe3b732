"""The shared array steps: sorting with row numbers, collapsing identical rows, membership."""

import numpy as np
import pandas as pd
import pytest

from retainlib._arrays import distinct_rows, member_of, row_bits, sort_with_rows, stable_sort


@pytest.mark.parametrize("high", [1_000, 2**40, 2**62])  # packed sort and argsort fallback
def test_stable_sort_is_numpys_stable_argsort(high):
    key = np.random.default_rng(0).integers(0, high, 5000, dtype=np.int64)
    key[::7] = key[0]  # ties
    order, sorted_keys = stable_sort(key)
    np.testing.assert_array_equal(order, np.argsort(key, kind="stable"))
    np.testing.assert_array_equal(sorted_keys, np.sort(key))


def test_stable_sort_of_nothing():
    order, sorted_keys = stable_sort(np.array([], dtype=np.int64))
    assert len(order) == 0 and len(sorted_keys) == 0


def test_sort_with_rows_keeps_only_the_top_bits_when_not_exact():
    # 3 rows need 2 row bits: keys 0b1101 and 0b1100 differ only there and tie (row order)
    h = np.array([0b1101, 0b0110, 0b1100], dtype=np.uint64)
    packed = sort_with_rows(h, row_bits(3), exact=False)
    assert packed.tolist() == [0b0101, 0b1100, 0b1110]  # (top bits | row): rows 1, 0, 2


def test_sort_with_rows_across_blocks():
    key = np.arange(200_000, dtype=np.int64)[::-1].copy()  # more than one packing block
    packed = sort_with_rows(key, row_bits(len(key)))
    np.testing.assert_array_equal(packed & ((1 << 18) - 1), np.arange(len(key))[::-1])


def test_distinct_rows_by_hand():
    x = np.array([1.0, 2.0, 1.0, 1.0, np.nan, np.nan])
    t = np.array([5.0, 5.0, 5.0, 6.0, 5.0, 5.0])
    codes, (dx, dt) = distinct_rows(x, t)
    assert codes.tolist() == [0, 1, 0, 2, 3, 3]  # the two (NaN, 5) rows are one row
    np.testing.assert_array_equal(dx, [1.0, 2.0, 1.0, np.nan])
    np.testing.assert_array_equal(dt, [5.0, 5.0, 6.0, 5.0])
    assert np.bincount(codes).tolist() == [2, 1, 1, 2]


@pytest.mark.parametrize("n_columns", [1, 2, 3])
def test_distinct_rows_matches_numpy_unique(n_columns):
    rows = np.random.default_rng(1).integers(0, 4, (1000, n_columns)).astype(float) / 7
    codes, distinct = distinct_rows(*rows.T)
    distinct = np.column_stack(distinct)
    np.testing.assert_array_equal(distinct[codes], rows)  # each row's number finds it back
    assert len(distinct) == len(np.unique(rows, axis=0))


def test_distinct_rows_of_no_rows():
    codes, (x,) = distinct_rows(np.array([], dtype=float))
    assert len(codes) == 0 and len(x) == 0


def test_member_of_by_hand():
    ids = pd.Series(["a", "b", None, "c", "ש"], dtype="string[pyarrow]")
    pool = pd.Index(["c", "a", "ש", None], dtype="string[pyarrow]")
    assert member_of(ids, pool).tolist() == [True, False, False, True, True]  # missing: never


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "str", object, "string[python]"])
def test_member_of_is_isin(dtype):
    rng = np.random.default_rng(2)
    ids = pd.Series(rng.integers(0, 50, 2000).astype(str), dtype=dtype)
    pool = pd.Index(rng.integers(0, 50, 20).astype(str), dtype=dtype)
    got = member_of(ids, pool)
    assert got.dtype == bool
    np.testing.assert_array_equal(got, ids.isin(pool).to_numpy())
    np.testing.assert_array_equal(member_of(pd.Index(ids), pool), ids.isin(pool).to_numpy())


@pytest.mark.parametrize("sort", [False, True])
def test_factorized_is_pandas_factorize_once_per_column(sort):
    from retainlib._arrays import factorized

    ids = pd.Series(np.random.default_rng(3).integers(0, 40, 500).astype(str),
                    dtype="string[pyarrow]")  # Arrow text on pandas 2 and 3
    ids[::7] = "x"
    codes, uniques = factorized(ids, sort=sort)
    want_codes, want_uniques = pd.factorize(ids, sort=sort)
    np.testing.assert_array_equal(codes, want_codes)
    assert list(uniques) == list(want_uniques)
    again, _ = factorized(ids, sort=sort)
    assert again is codes and not codes.flags.writeable  # kept, and nobody may change it
    frame = pd.DataFrame({"customer_id": ids})
    assert factorized(frame["customer_id"], sort=sort)[0] is codes  # the same column
    frame.loc[0, "customer_id"] = "new"  # pandas gives the frame a new column
    changed, changed_uniques = factorized(frame["customer_id"], sort=sort)
    np.testing.assert_array_equal(changed, pd.factorize(frame["customer_id"], sort=sort)[0])
    assert "new" in list(changed_uniques)


def test_factorized_of_other_inputs_is_pandas():
    from retainlib._arrays import factorized

    codes, uniques = factorized(pd.Series([3, 1, 3]), sort=True)
    assert codes.tolist() == [1, 0, 1] and list(uniques) == [1, 3]
