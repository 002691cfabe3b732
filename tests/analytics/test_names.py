"""Tests for the reader's names of the canonical values (retainlib.analytics.names)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import retainlib as rl
from retainlib.analytics.early_warning import LISTS
from retainlib.analytics.names import NAMED_COLUMNS, named, value_name
from retainlib.analytics.nps import GROUPS
from retainlib.analytics.segments import segment_rules
from retainlib.i18n import LANGUAGES

HEBREW = [lang for lang in LANGUAGES if lang != "en"]


def test_english_names_are_the_canonical_values():
    for col, values in (("rfm_segment", segment_rules()["segment"].unique()),
                        ("clv_tier", ["Top 10%", "Next 20%", "Rest 70%"]),
                        ("abc_class", ["A", "B", "C"]), ("early_warning", LISTS),
                        ("list", LISTS), ("nps_group", GROUPS),
                        ("scenario", ["campaign", "segment part"]),
                        ("region", ["All customers", "(missing)"])):
        assert [value_name(col, v) for v in values] == list(values), col


@pytest.mark.parametrize("lang", HEBREW)
def test_every_rfm_segment_has_its_own_name(lang):
    segments = list(segment_rules()["segment"].unique())
    names = [value_name("rfm_segment", s, lang) for s in segments]
    assert len(set(names)) == len(segments) == 11
    assert not set(names) & set(segments)  # none is left in English


def test_hebrew_names_of_segments_lists_and_groups():
    assert value_name("rfm_segment", "Champions", "he") == "אלופים"
    assert value_name("rfm_segment", "At risk", "he") == "בסיכון"
    assert value_name("rfm_segment", "Can't lose them", "he") == "אסור לאבד"
    assert [value_name("early_warning", v, "he") for v in LISTS] == ["בסיכון", "נטשו"]
    assert [value_name("nps_group", g, "he") for g in GROUPS] == ["ממליץ", "נייטרלי", "מלעיז"]
    # ABC classes keep their letters
    assert [value_name("abc_class", c, "he") for c in "ABC"] == ["A", "B", "C"]
    # the rows the tables add, under any column
    assert value_name("region", "All customers", "he") == "כל הלקוחות"
    assert value_name("nps_group", "All respondents", "he") == "כל המשיבים"
    assert value_name("channel", "(missing)", "he") == "(חסר)"


def test_values_without_a_name_are_shown_as_they_are():
    assert value_name("region", "North", "he") == "North"
    assert value_name("rfm_segment", "VIP", "he") == "VIP"  # a client's own rules
    assert value_name("early_warning", "", "he") == ""  # not on a list
    assert value_name("early_warning", np.nan, "he") == ""
    assert value_name("early_warning", None, "he") == ""
    assert value_name("clv_tier", "Top ten", "he") == "Top ten"


def test_hebrew_tier_names_follow_the_cuts():
    # 20 customers with CLV 20, 19, ..., 1; cuts 0.05, 0.25, 0.6 -> 1, 4, 7 and 8 customers
    clv = pd.Series(np.arange(20, 0, -1, dtype="float64"),
                    index=pd.Index([f"c{i:02d}" for i in range(20)], name="customer_id"))
    tiers = rl.clv_tiers(clv, cuts=(0.05, 0.25, 0.6))
    assert list(tiers.cat.categories) == ["Top 5%", "Next 20%", "Next 35%", "Rest 40%"]
    he = named(tiers, "he")
    assert list(he.cat.categories) == ["5% העליונים", "20% הבאים", "35% הבאים", "40% הנותרים"]
    assert he.cat.ordered
    # the same customers in each tier, only the names changed
    assert (he.cat.codes == tiers.cat.codes).all()
    assert he.value_counts(sort=False).tolist() == [1, 4, 7, 8]


def test_named_translates_the_named_columns_and_a_summary_index():
    customers = pd.DataFrame({
        "region": ["North", "South", "North"],
        "rfm_segment": pd.Categorical(["Champions", "Lost", "Champions"],
                                      categories=["Champions", "Lost"]),
        "abc_class": ["A", "C", "B"],
        "early_warning": ["at risk", None, "lapsed"],
        "revenue": [100.0, 5.0, 50.0],
    }, index=pd.Index(["x", "y", "z"], name="customer_id"))
    he = named(customers, "he")
    assert he["region"].tolist() == ["North", "South", "North"]  # the client's own values
    assert list(he["rfm_segment"].cat.categories) == ["אלופים", "אבודים"]
    assert he["rfm_segment"].tolist() == ["אלופים", "אבודים", "אלופים"]
    assert he["early_warning"].iloc[[0, 2]].tolist() == ["בסיכון", "נטשו"]
    assert pd.isna(he["early_warning"].iloc[1])
    assert he.index.tolist() == ["x", "y", "z"] and he["revenue"].tolist() == [100.0, 5.0, 50.0]
    # a segment table: 2 customers in Champions, 1 in Lost, then the total row
    table = rl.segment_summary(customers, "rfm_segment")
    assert named(table, "he").index.tolist() == ["אלופים", "אבודים", "כל הלקוחות"]
    assert named(table, "he")["customers"].tolist() == [2, 1, 3]
    # English: an equal copy
    assert_frame_equal(named(customers, "en"), customers)
    assert named(customers, "en") is not customers


def test_named_columns_are_listed():
    assert set(NAMED_COLUMNS) == {"rfm_segment", "clv_tier", "abc_class", "list",
                                  "early_warning", "nps_group", "scenario"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_rejected_row_reason_of_the_loaders_has_words(lang):
    from retainlib.load.campaigns import CAMPAIGN_REASONS
    from retainlib.load.survey import SURVEY_REASONS
    from retainlib.load.transactions import REASONS
    from retainlib.output.tables import reason_text

    for reason in {*REASONS, *SURVEY_REASONS, *CAMPAIGN_REASONS}:
        words = reason_text(reason, lang)
        assert (words == reason) == (lang == "en"), (lang, reason)
    assert reason_text("blank customer id", "he") == "חסר מספר לקוח"
