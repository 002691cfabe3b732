"""Row checks of the loader: duplicate candidates and exact duplicates (retainlib.load._rows)."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import retainlib as rl
from retainlib.load._rows import _candidates, _column_key, _duplicates, _repeated, _total_label


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(0, 2**64 - 1), min_size=0, max_size=40),
       repeats=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=10))
def test_every_repeated_hash_is_marked(values, repeats):
    h = np.array(values, dtype=np.uint64)
    for i, j in repeats:  # plant equal hashes
        if i < len(h) and j < len(h):
            h[j] = h[i]
    marked = _repeated(h)
    counts = pd.Series(h).value_counts()
    must = pd.Series(h).map(counts).to_numpy() > 1
    assert not (must & ~marked).any()  # a row whose hash repeats is never missed


def test_repeated_finds_pairs_across_blocks():
    # 2^16 rows a block: equal hashes far apart and at a block edge are both found
    n = 200_000
    h = np.arange(1, n + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    h[150_000] = h[3]
    h[65_536] = h[65_535]
    marked = _repeated(h)
    assert set(np.flatnonzero(marked)) >= {3, 150_000, 65_535, 65_536}


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "b", " a", None, "\x00"]),
                               st.sampled_from(["1", "2", "1.0"]),
                               st.sampled_from(["x", "x\x1f", "\x00", None]),
                               st.sampled_from(["y", "\x1fy"])), min_size=1, max_size=30))
def test_duplicates_are_the_repeats_of_whole_rows(rows):
    # cells may hold the marks of a joined row ("\x1f" between cells, "\x00" for a missing one)
    frame = pd.DataFrame(rows, columns=["c", "amount", "note", "more"], dtype="str")
    valid = np.ones(len(frame), dtype=bool)
    keys = [_column_key(frame[c]) for c in ("c", "amount")]
    dup = _duplicates(frame, valid, _candidates(keys))
    # by hand: a row is a duplicate when the same full row (text, missing = missing) came before
    seen, expected = set(), []
    for r in rows:
        expected.append(r in seen)
        seen.add(r)
    assert dup.tolist() == expected


def test_total_labels_in_any_case_and_in_hebrew():
    labels = ["Total", "TOTALS", "total:", "Grand Total", "grand-total", "Subtotal", "SUB TOTAL",
              "Sum", "SUM:", 'סה"כ', "סה״כ", "סך הכל", "סך-הכל", "סה\"כ כללי"]
    others = ["Tom", "Sub", "summer", "Grand", "T1", "S", "ס", "סבא", "42", "Totally", ""]
    values = pd.Series(labels + others + [None], dtype="str")
    assert _total_label(values).tolist() == [True] * len(labels) + [False] * (len(others) + 1)


def test_total_label_on_cells_that_are_not_text():
    # all missing (arrow null type) or numbers: cast to text, never a label
    assert _total_label(pd.Series([None, None], dtype=object)).tolist() == [False, False]
    assert _total_label(pd.Series([1, 2])).tolist() == [False, False]
    assert _total_label(pd.Series(["Total", None], dtype=object)).tolist() == [True, False]


def test_cells_holding_the_old_separator_are_not_duplicates(tmp_path):
    # rows ("a\x1fb", "c") and ("a", "b\x1fc") once joined to the same text "a\x1fb\x1fc"
    path = tmp_path / "sales.csv"
    path.write_text(
        "customer_id,date,amount,first,second\n"
        "C1,2024-01-05,10,a\x1fb,c\n"
        "C1,2024-01-05,10,a,b\x1fc\n",
        encoding="utf-8",
    )
    tx, report = rl.read_transactions(path, segments=["first", "second"], duplicates="drop")
    assert report.duplicates == 0
    assert report.rows_kept == 2 and report.rows_rejected == 0
    # control characters are removed from segment values (as from ids), the rows stay distinct
    assert tx[["first", "second"]].values.tolist() == [["ab", "c"], ["a", "bc"]]
