"""Byte-level checks on arrow string arrays (retainlib.load._arrowtext)."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from retainlib.load._arrowtext import (
    encode,
    first_two_bytes,
    may_hold_invisible,
    needs_trim,
    plain_ascii,
    take,
    text_hash,
    zero_length,
)

# texts mixing plain ASCII, inner spaces, Hebrew, the whitespace and invisible marks of exports
_PIECES = ["a", "7", "00042", "אב", " ", "\t", "\u00a0", "\u202f", "\u200f", "\ufeff", "€", "₪", "",
           "\u2007", "\u2066", "\u00a3"]
_texts = st.lists(st.sampled_from(_PIECES), max_size=4).map("".join)
_values = st.lists(st.one_of(st.none(), _texts), min_size=1, max_size=12)


def _chunked(values, cut):
    cut = min(cut, len(values))
    parts = [values[:cut], values[cut:]]
    return pa.chunked_array([pa.array(p, pa.string()) for p in parts])


def test_needs_trim_on_hand_made_values():
    assert plain_ascii(pa.array(["abc", "X-1", None, ""]))
    assert plain_ascii(pa.array([], pa.string()))
    assert not any(plain_ascii(pa.array([v])) for v in ["a b", "אב", "x\t", "\u200fx"])
    assert not needs_trim(pa.array(["abc", "a b", "אב", "45", None, ""]))
    assert not needs_trim(pa.array(["₪45", "45₪", "(₪45.00)", "€5", "x€"]))  # E2 82 xx: no space
    for v in [" x", "x ", "x\t", "\u00a0x", "x\u00a0", "x\u202f", "\u200fx", "x\u200f"]:
        assert needs_trim(pa.array(["ok", v])), repr(v)


@settings(max_examples=100, deadline=None)
@given(values=_values, cut=st.integers(0, 12))
def test_no_trim_needed_means_trimming_changes_nothing(values, cut):
    arr = _chunked(values, cut)
    trimmed = pc.utf8_trim(arr, " \t\r\n\u00a0\u202f\u2007\u2009\u200e\u200f\ufeff\u200b")
    if not needs_trim(arr):
        assert trimmed.equals(arr)
    has_mark = any(v is not None and ("\u200f" in v or "\ufeff" in v) for v in values)
    if has_mark:
        assert may_hold_invisible(arr)


@settings(max_examples=100, deadline=None)
@given(values=_values, cut=st.integers(0, 12))
def test_equal_texts_get_equal_hash_keys(values, cut):
    arr = _chunked(values, cut)
    keys = text_hash(arr)
    assert len(keys) == len(values)
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            if a == b:
                assert keys[i] == keys[j]


def test_hash_keys_tell_apart_short_texts_and_lengths():
    keys = text_hash(pa.array(["a", "a\x00", "b", "", None, "abcdefghi", "abcdefghj"]))
    assert len(set(keys.tolist())) == 7


def test_first_two_bytes_and_zero_length():
    arr = _chunked(["Total", None, "", "סה\"כ", "x"], 2)
    # 'T' 'o' = 0x54 0x6F; U+05E1 is D7 A1 in UTF-8; a one-byte value keeps 0 as second byte
    assert first_two_bytes(arr).tolist() == [0x546F, 0, 0, 0xD7A1, 0x7800]
    assert zero_length(arr).tolist() == [False, False, True, False, False]
    assert np.array_equal(zero_length(pa.array([], pa.string())), np.zeros(0, bool))


@settings(max_examples=100, deadline=None)
@given(values=_values, cut=st.integers(0, 12), data=st.data())
def test_take_gathers_rows_in_the_given_order(values, cut, data):
    arr = _chunked(values, cut)
    rows = data.draw(st.lists(st.integers(0, len(values) - 1), max_size=20))
    assert take(arr, np.array(rows, dtype=np.int64)).to_pylist() == [values[i] for i in rows]
    assert take(arr.combine_chunks(), np.array(rows, dtype=np.int64)).to_pylist() == [
        values[i] for i in rows]


@settings(max_examples=100, deadline=None)
@given(values=_values, lo=st.integers(0, 12), hi=st.integers(0, 12))
def test_a_slice_is_looked_at_like_a_fresh_array(values, lo, hi):
    # a slice shares its parent's buffers: only its own bytes may count
    arr = pa.array(values, pa.string())
    part = arr.slice(lo, max(0, hi - lo))
    fresh = pa.array(part.to_pylist(), pa.string())
    assert needs_trim(part) == needs_trim(fresh)
    assert may_hold_invisible(part) == may_hold_invisible(fresh)
    assert np.array_equal(text_hash(part), text_hash(fresh))
    assert np.array_equal(first_two_bytes(part), first_two_bytes(fresh))


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.one_of(st.none(), _texts), max_size=15), cut=st.integers(0, 15))
def test_encode_gives_each_distinct_text_one_index(values, cut):
    # the chunks of a column are encoded against one dictionary
    distinct, indices, nulls = encode(_chunked(values, cut))
    distinct = distinct.to_pylist()
    assert len(set(distinct)) == len(distinct)
    assert nulls.tolist() == [v is None for v in values]
    assert [None if n else distinct[i] for i, n in zip(indices, nulls, strict=True)] == values
