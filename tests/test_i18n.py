"""The message catalogue is complete: every key in every language, with the same fields.

The English catalogue is the reference; every other language must give each
label, text and noun of it, with the same ``{fields}`` in each text, and its
texts may use Latin letters only for the accepted abbreviations and names of
files and programs (:data:`LATIN_ALLOWED`).
"""

from __future__ import annotations

import re

import pytest

from retainlib.i18n import LANGUAGES, catalogue, count_of, fields_of, label, text

#: Latin words a Hebrew text may contain: the abbreviations Israeli business Hebrew keeps
#: (with the Hebrew term at first use), file names the reader opens, and program names.
LATIN_ALLOWED = {
    "CLV", "NPS", "RFM", "CRM", "ROI", "CAC", "ABC", "A", "B", "C", "BG", "NBD", "Gamma",
    "P", "retainlib", "CSV", "Excel", "PDF", "HTML", "Q", "E", "N", "S", "Welch", "csv",
    "CRR", "L",  # the retention rate and the lost customers of its formula (method notes)
    "xlsx", "json", "at_risk", "win_back", "customers", "rejected_rows", "metrics", "history",
    "segments", "economics", "campaign_cost", "customers_targeted", "expected_lift", "margin",
    "cac", "language", "survey", "campaigns", "at_risk_group", "list_date", "group",
    "treatment", "control", "early_warning", "early_warning_rank", "rfm_segment", "clv_tier",
}
_LATIN = re.compile(r"[A-Za-z][A-Za-z_]*")
OTHERS = [lang for lang in LANGUAGES if lang != "en"]
#: texts whose fields offer a value several ways (a week as day, month and year, or as one date);
#: each language picks the fields of its own style
#: (key -> the fields its caller, retainlib._format.period_text, fills in)
OWN_STYLE = {"format.week": {"day", "month", "year", "date"},
             "format.week_in_sentence": {"day", "month", "year", "date"}}


@pytest.mark.parametrize("lang", OTHERS)
def test_every_label_is_translated(lang):
    missing = sorted(set(catalogue("en").labels) - set(catalogue(lang).labels))
    extra = sorted(set(catalogue(lang).labels) - set(catalogue("en").labels))
    assert (missing, extra) == ([], [])


@pytest.mark.parametrize("lang", OTHERS)
def test_every_text_is_translated_with_the_same_fields(lang):
    en, other = catalogue("en").text, catalogue(lang).text
    assert sorted(set(en) - set(other)) == []
    assert sorted(set(other) - set(en)) == []
    differ = {k: (fields_of(en[k]), fields_of(other[k])) for k in en
              if fields_of(en[k]) != fields_of(other[k]) and k not in OWN_STYLE}
    assert differ == {}
    # where a language writes a value in its own style, it still only uses the fields given
    assert {k for k, given in OWN_STYLE.items()
            if not (fields_of(other[k]) <= given and fields_of(en[k]) <= given)} == set()


@pytest.mark.parametrize("lang", OTHERS)
def test_every_noun_has_its_forms(lang):
    en, other = catalogue("en").nouns, catalogue(lang).nouns
    assert sorted(set(en) ^ set(other)) == []
    for noun, forms in other.items():
        assert {"one", "other"} <= set(forms), noun
        assert "{n}" in forms["other"], noun


@pytest.mark.parametrize("lang", OTHERS)
def test_translations_use_latin_letters_only_for_the_accepted_abbreviations(lang):
    cat = catalogue(lang)
    words = {}
    for key, value in [*cat.text.items(), *cat.labels.items()]:
        blanked = re.sub(r"\{[^}]*\}", "", value)  # field names are not shown
        for w in _LATIN.findall(blanked):
            if w not in LATIN_ALLOWED:
                words.setdefault(key, []).append(w)
    assert words == {}


def test_hebrew_counts_read_as_hebrew_writes_them():
    # one: noun then "one" in its gender; two: the dual where Hebrew has one; else digits
    assert count_of(1, "customer", "he") == "לקוח אחד"
    assert count_of(1, "order", "he") == "הזמנה אחת"
    assert count_of(2, "customer", "he") == "2 לקוחות"
    assert count_of(2, "month", "he") == "חודשיים"
    assert count_of(12, "month", "he") == "12 חודשים"
    assert count_of(20_000, "customer", "he") == "20,000 לקוחות"


def test_english_counts():
    assert [count_of(n, "customer") for n in (0, 1, 2)] == \
        ["0 customers", "1 customer", "2 customers"]


def test_text_fills_fields_and_a_missing_key_is_an_error():
    made = text("shell.generated", "he", stamp="01.12.2026")
    assert made == "הופק ב-retainlib בתאריך 01.12.2026."
    with pytest.raises(KeyError):
        text("no.such.key", "he")


def test_unknown_names_are_shown_in_words():
    assert label("store_size", "he") == "Store size"  # a client's own column, as written
