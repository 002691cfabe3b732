"""Customer ids and headers: hidden characters removed, placeholders treated as blank (#12).

Every expected id is written by hand next to its input; the run never depends on the clock.
"""

from __future__ import annotations

import re
import sys
import unicodedata

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retainlib as rl
from retainlib.load.parsing import (
    ID_PLACEHOLDERS,
    _plain_or_hidden,
    clean_ids,
    clean_text,
    hidden_characters,
    normalize_header,
)
from retainlib.load.survey import read_survey

FORMAT_CHARS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
CONTROL_CHARS = [chr(c) for c in range(0x100) if unicodedata.category(chr(c)) == "Cc"
                 and chr(c) not in "\t\n\r"]
HIDDEN = FORMAT_CHARS + CONTROL_CHARS


def _ids(values):
    out, why = clean_ids(pd.Series(values, dtype=object))
    return [None if pd.isna(v) else v for v in out], [None if pd.isna(r) else r for r in why]


def test_hidden_characters_are_every_format_and_control_character():
    # the module scans only the planes that hold such characters; a scan of every code point agrees
    every = {chr(c) for c in range(sys.maxunicode + 1)
             if unicodedata.category(chr(c)) in ("Cf", "Cc")} - set("\t\n\r")
    assert set(hidden_characters()) == every
    assert {"\u200c", "\u200d", "\u2060", "\u00ad", "\u200e", "\u200f", "\ufeff", "\u202b",
            "\u2067", "\u180e", "\u2061", "\u2064", "\ufff9", "\ufffb", "\U000e0041",
            "\x00", "\x7f", "\x85"} <= every


@pytest.mark.parametrize("mark", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_every_hidden_character_is_removed_from_ids_in_any_column(mark):
    # in an ASCII column, a Hebrew one and one with shekel amounts: each takes another fast path
    values, why = _ids([f"C{mark}7", f"לקוח{mark} 1", f"₪{mark}5", f"{mark}"])
    assert values == ["C7", "לקוח 1", "₪5", None]
    assert why == [None, None, None, "blank customer id"]


@settings(max_examples=200, deadline=None)
@given(
    base=st.text(alphabet=st.sampled_from(list("AZaz09-_/ .") + ["ש", "ל", "₪", "é"]),
                 min_size=1, max_size=12).map(str.strip).filter(bool).filter(
                     lambda s: s.lower() not in {p.lower() for p in ID_PLACEHOLDERS}),
    marks=st.lists(st.tuples(st.integers(0, 12), st.sampled_from(HIDDEN)), min_size=1, max_size=4),
)
def test_any_hidden_character_anywhere_in_an_id_maps_to_the_same_customer(base, marks):
    dirty = base
    for pos, mark in marks:
        dirty = dirty[:pos] + mark + dirty[pos:]
    values, why = _ids([base, dirty])
    # the same customer, spelled with single inner spaces (ids compare that way)
    assert values[0] == values[1] == re.sub(" +", " ", base.strip())
    assert why == [None, None]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=10), mark=st.sampled_from(HIDDEN), pos=st.integers(0, 10))
def test_the_byte_look_never_misses_a_hidden_character(text, mark, pos):
    # _plain_or_hidden may say "maybe" for clean text, never "no" for text holding one
    dirty = text[:pos] + mark + text[pos:]
    assert _plain_or_hidden(pa.array([dirty])) == (False, True)
    assert _plain_or_hidden(pa.chunked_array([pa.array(["x"]), pa.array([dirty])]))[1]


@pytest.mark.parametrize("placeholder", ID_PLACEHOLDERS)
def test_each_placeholder_is_a_blank_customer_id(placeholder):
    variants = [placeholder, placeholder.lower(), placeholder.upper(), f"  {placeholder}\u00a0",
                f"\u200f{placeholder}\u200e"]
    values, why = _ids(variants)
    assert values == [None] * 5
    assert why == ["blank customer id"] * 5


@settings(max_examples=200, deadline=None)
@given(
    placeholder=st.sampled_from(ID_PLACEHOLDERS),
    flips=st.lists(st.booleans(), min_size=12, max_size=12),
    before=st.text(alphabet=st.sampled_from([" ", "\t", "\u00a0", "\u200f", "\ufeff", "\x00"]),
                   max_size=3),
    after=st.text(alphabet=st.sampled_from([" ", "\u202f", "\u200e", "\u200d", "\u2060"]),
                  max_size=3),
)
def test_any_placeholder_in_any_case_with_any_padding_is_rejected(placeholder, flips, before,
                                                                  after):
    flips = flips + [False] * len(placeholder)
    cased = "".join(c.upper() if f else c.lower()
                    for c, f in zip(placeholder, flips[: len(placeholder)], strict=True))
    values, why = _ids(["C1", before + cased + after])
    assert values == ["C1", None]
    assert why == [None, "blank customer id"]


def test_placeholders_with_inner_spaces_and_excel_errors():
    values, _ = _ids(["#N/A N/A", "#n/a n/a", "#DIV/0!", "#name?", "לא ידוע", "(Blank)"])
    assert values == [None] * 6


@pytest.mark.parametrize("real", ["0", "00", "NA1", "N/A-7", "None Ltd", "nano", "-1", "?x",
                                  "#1", "לא", "Unknown Soldier", "null0"])
def test_real_ids_that_look_like_placeholders_are_kept(real):
    values, why = _ids([real])
    assert values == [real]
    assert why == [None]


def test_control_characters_inside_values_are_removed_tab_and_newline_trimmed():
    values, _ = _ids(["A\x00B", "\x1bC\x7f", "\tD\n", "E\x85"])
    assert values == ["AB", "C", "D", "E"]


def test_segment_values_lose_hidden_characters_too():
    out = clean_text(pd.Series(["North\u200d", "\u2067צפון\u2069", "So\u00adu\u2060th", "\u200b"]))
    assert out.tolist()[:3] == ["North", "צפון", "South"]
    assert pd.isna(out.iloc[3])


@settings(max_examples=100, deadline=None)
@given(mark=st.sampled_from(HIDDEN), pos=st.integers(0, 11))
def test_headers_match_whatever_hidden_character_they_carry(mark, pos):
    header = "customer_id"
    assert normalize_header(header[:pos] + mark + header[pos:]) == header


def test_read_transactions_one_customer_whatever_marks_and_placeholders_rejected(tmp_path):
    path = tmp_path / "sales.csv"
    # lines 2-4: customer C7 written three ways; lines 5-7: placeholders; line 8: id 0 is real
    path.write_text(
        "cust\u00adomer_id\u200d,date,amount\n"
        "C7,2024-01-05,10\n"
        "C\u200d7,2024-01-06,20\n"
        "\u2060C7\x00,2024-01-07,30\n"
        "#N/A,2024-01-05,5\n"
        " null ,2024-01-05,5\n"
        "—,2024-01-05,5\n"
        "0,2024-01-05,1\n",
        encoding="utf-8",
    )
    tx, report = rl.read_transactions(path)
    assert tx["customer_id"].tolist() == ["C7", "C7", "C7", "0"]
    assert report.rejected_counts() == {"blank customer id": 3}
    assert report.rejected["line"].tolist() == [5, 6, 7]
    assert report.summary()["customers"] == 2  # C7 and 0
    assert report.rows_read == report.rows_kept + report.rows_rejected == 7


def test_read_survey_rejects_placeholder_ids(tmp_path):
    path = tmp_path / "nps.csv"
    path.write_text("customer_id,date,score\nA,2024-01-05,9\nN/A,2024-01-05,7\n", encoding="utf-8")
    survey, report = read_survey(path)
    assert survey["customer_id"].tolist() == ["A"]
    assert report.rejected_counts() == {"blank customer id": 1}


def test_placeholders_found_among_many_ids_that_start_like_one():
    # every id starts with the first byte of 'לא ידוע' or of 'NA': the check looks at more bytes
    hebrew = [f"לקוח {i}" for i in range(40)] + ["לא ידוע", "לא"]
    values, why = _ids(hebrew)
    assert values == hebrew[:40] + [None, "לא"]
    latin = [f"NA{i}" for i in range(40)] + ["na", "nA", "Nan", "NAN!"]
    values, why = _ids(latin)
    assert values == latin[:40] + [None, None, None, "NAN!"]
