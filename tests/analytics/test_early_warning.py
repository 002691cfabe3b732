"""Tests for the early-warning lists (hand-computed with test-double models).

The export of the lists (at_risk.csv, the win-back file) is tested in tests/output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import retainlib as rl
from retainlib.analytics.early_warning import AT_RISK_COLUMNS, LISTS, early_warning_summary
from retainlib.errors import ConfigError, DataError
from tests.support import FakePurchases, FakeSpend

IDS = pd.Index(list("abcde"), name="customer_id")
RFM = pd.DataFrame({"frequency": [10, 4, 2, 0, 6], "recency": [30.0, 20, 4, 0, 36],
                    "T": [40.0, 22, 50, 10, 38], "monetary_value": [20.0, 60, 30, 0, 10]},
                   index=IDS)
RFM.attrs["time_unit"] = "W"
PURCHASES = FakePurchases(dict(a=0.9, b=0.32, c=0.1, d=1.0, e=0.95),
                          dict(a=0.5, b=0.2, c=0.1, d=0.05, e=1.0))
SPEND = FakeSpend(dict(a=20.0, b=60.0, c=30.0, d=25.0, e=10.0))


def test_at_risk_hand_computed():
    got = rl.at_risk(RFM, PURCHASES, SPEND)
    # purchases if active over 52 weeks = rate * 52: a 26, b 10.4, c 5.2, d 2.6, e 52
    # value if retained = that * spend: a 520, b 624, c 156, d 65, e 520
    # 70% quantile of [65, 156, 520, 520, 624] (linear): position 2.8 -> 520 => valuable a, b, e
    # a: gap 30/10 = 3, silent 40-30 = 10 > 3*3 -> long silence; b: P(alive) 0.32 < 0.5;
    # e: gap 6, silent 2, P 0.95 -> fine. c is low and silent but not valuable.
    # both have P(alive) >= 0.2: the at-risk list, ranked by expected value = value * P(alive):
    # a 520 * 0.9 = 468 before b 624 * 0.32 = 199.68
    expected = pd.DataFrame({
        "list": pd.array(["at risk", "at risk"], dtype="str"),
        "rank": np.array([1, 2], dtype="int64"),
        "value_if_retained": [520.0, 624.0],
        "expected_value": [468.0, 199.68],
        "reason": pd.array(["usually buys every 3 weeks, silent for 10 weeks; chance still "
                            "active 90%",
                            "usually buys every 5 weeks, silent for 2 weeks; chance still "
                            "active 32%"], dtype="str"),
        "p_alive": [0.9, 0.32],
        "usual_gap": [3.0, 5.0],
        "silent_for": [10.0, 2.0],
        "frequency": np.array([10, 4], dtype="int64"),
        "purchases_if_active": [26.0, 10.4],
        "expected_spend": [20.0, 60.0],
        "expected_purchases": [0.9 * 26, 0.32 * 10.4],
        "expected_loss": [0.1 * 520, 0.68 * 624],
        "low_p_alive": [False, True],
        "long_silence": [True, False],
        "valuable": [True, True],
        "at_risk": [True, True],
        "revenue_at_risk": [520.0, 624.0],
    }, index=pd.Index(["a", "b"], name="customer_id"))
    assert list(got.columns) == [*AT_RISK_COLUMNS, "revenue_at_risk"]
    assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
    assert got.attrs["lapsed_below"] == 0.2


def test_lapsed_customers_form_their_own_list_ranked_by_value_if_retained():
    # everyone valuable (quantile 0); lapsed_below 0.35 puts c (P 0.1) and b (P 0.32) on the
    # lapsed list, by value if retained: b 624 before c 156 (their expected values 199.68 and
    # 15.6 would give the same order here; d has P 1 and no gap: not flagged; a (long
    # silence, P 0.9) stays at risk; e is fine)
    got = rl.at_risk(RFM, PURCHASES, SPEND, min_value_quantile=0.0, lapsed_below=0.35,
                     only_flagged=False)
    assert got.index.tolist() == ["a", "b", "c", "e", "d"]  # then e 520, d 65 (not flagged)
    assert got["list"].tolist() == ["at risk", "lapsed", "lapsed", "", ""]
    assert got["rank"].tolist() == [1, 1, 2, 0, 0]
    # c: gap 4/2 = 2, silent 50-4 = 46 > 6, chance 10%: both reasons in one sentence
    assert got.loc["c", "reason"] == (
        "usually buys every 2 weeks, silent for 46 weeks; chance still active 10%")
    assert got["reason"].tolist()[3:] == ["", ""]


def test_lapsed_are_ranked_by_value_if_retained_not_expected_value():
    # two lapsed customers: x worth 1000 if retained at P 0.05 (expected 50), y worth 400 at
    # P 0.15 (expected 60): the win-back list puts x first; on the at-risk list the order is by
    # expected value: u 300 * 0.9 = 270 before v 500 * 0.3 = 150
    ids = pd.Index(list("xyuv"), name="customer_id")
    rfm = pd.DataFrame({"frequency": [3, 3, 3, 3], "recency": [3.0] * 4, "T": [40.0] * 4,
                        "monetary_value": [1.0] * 4}, index=ids)
    p = dict(x=0.05, y=0.15, u=0.9, v=0.3)
    value = dict(x=1000.0, y=400.0, u=300.0, v=500.0)
    model = FakePurchases(p, {k: v / 52 for k, v in value.items()})
    got = rl.at_risk(rfm, model, FakeSpend(dict.fromkeys("xyuv", 1.0)), min_value_quantile=0.0)
    assert got.index.tolist() == ["u", "v", "x", "y"]
    assert got["list"].tolist() == ["at risk", "at risk", "lapsed", "lapsed"]
    assert got["rank"].tolist() == [1, 2, 1, 2]
    assert got["expected_value"].tolist() == pytest.approx([270.0, 150.0, 50.0, 60.0])
    s = early_warning_summary(got)
    # revenue at risk = value if retained over the at-risk list: 300 + 500; lapsed: 1000 + 400
    assert s.to_dict() == {"at_risk_customers": 2, "revenue_at_risk": pytest.approx(800.0),
                           "at_risk_expected_value": pytest.approx(420.0),
                           "lapsed_customers": 2, "lapsed_value": pytest.approx(1400.0)}


def test_one_time_buyers_reason_and_singular_units():
    # f: one purchase 30 weeks ago, low chance (the double gives 0.4): "bought once, ..."
    # g: gap 1 week, silent 1 week, low chance: singular units
    ids = pd.Index(["f", "g"], name="customer_id")
    rfm = pd.DataFrame({"frequency": [0, 5], "recency": [0.0, 5.0], "T": [30.0, 6.0],
                        "monetary_value": [0.0, 10.0]}, index=ids)
    got = rl.at_risk(rfm, FakePurchases(dict(f=0.4, g=0.3), dict(f=1.0, g=1.0)),
                     FakeSpend(dict(f=10.0, g=10.0)), min_value_quantile=0.0)
    assert got.loc["f", "reason"] == "bought once, 30 weeks ago; chance still active 40%"
    assert got.loc["g", "reason"] == (
        "usually buys every 1 week, silent for 1 week; chance still active 30%")


def test_early_warning_summary_of_no_customers_is_zero():
    empty = rl.at_risk(RFM, PURCHASES, SPEND).iloc[:0]
    assert early_warning_summary(empty).to_dict() == {
        "at_risk_customers": 0, "revenue_at_risk": 0.0, "at_risk_expected_value": 0.0,
        "lapsed_customers": 0, "lapsed_value": 0.0}
    with pytest.raises(DataError, match="output of retainlib.at_risk"):
        early_warning_summary(pd.DataFrame({"revenue_at_risk": [1.0]}))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1000)), min_size=1, max_size=30),
       st.floats(0, 1))
def test_lists_partition_the_flagged_customers_and_the_summary_adds_up(rows, lapsed_below):
    ids = pd.Index([f"c{i}" for i in range(len(rows))], name="customer_id")
    n = len(rows)
    rfm = pd.DataFrame({"frequency": [2] * n, "recency": [2.0] * n, "T": [10.0] * n,
                        "monetary_value": [1.0] * n}, index=ids)
    model = FakePurchases({i: p for i, (p, _) in zip(ids, rows, strict=True)},
                          {i: v / 52 for i, (_, v) in zip(ids, rows, strict=True)})
    got = rl.at_risk(rfm, model, FakeSpend(dict.fromkeys(ids, 1.0)), lapsed_below=lapsed_below,
                     only_flagged=False)
    flagged = got[got["at_risk"]]
    assert set(flagged["list"]) <= {"at risk", "lapsed"}
    assert (got.loc[~got["at_risk"], "list"] == "").all()
    assert ((flagged["list"] == "lapsed") == (flagged["p_alive"] < lapsed_below)).all()
    for name, key in (("at risk", "expected_value"), ("lapsed", "value_if_retained")):
        part = flagged[flagged["list"] == name]
        assert part["rank"].tolist() == list(range(1, len(part) + 1))
        assert part[key].is_monotonic_decreasing
    s = early_warning_summary(got)
    assert s["at_risk_customers"] + s["lapsed_customers"] == len(flagged)
    assert s["revenue_at_risk"] + s["lapsed_value"] == pytest.approx(
        flagged["value_if_retained"].sum())
    assert (got["revenue_at_risk"] == got["value_if_retained"]).all()


def test_horizon_follows_the_summary_time_unit():
    daily = RFM * 7.0
    daily["frequency"] = RFM["frequency"]
    daily.attrs["time_unit"] = "D"
    got = rl.at_risk(daily, PURCHASES, SPEND, horizon_weeks=1, only_flagged=False)
    # one week = 7 days; the double's rate is per unit, so b: 0.2 * 7 * 60 = 84
    assert got.loc["b", "revenue_at_risk"] == pytest.approx(84.0)
    assert got.loc["a", "reason"] == ("usually buys every 21 days, silent for 70 days; chance "
                                      "still active 90%")


def test_at_risk_bad_options():
    with pytest.raises(ConfigError, match="p_alive_threshold"):
        rl.at_risk(RFM, PURCHASES, SPEND, p_alive_threshold=50)
    with pytest.raises(ConfigError, match="lapsed_below"):
        rl.at_risk(RFM, PURCHASES, SPEND, lapsed_below=1.5)


def test_at_risk_with_the_fitted_models_on_cdnow(cdnow_tx):
    rfm = rl.rfm_summary(cdnow_tx, observation_end="1997-09-30")
    bg = rl.BetaGeoModel().fit(rfm)
    gg = rl.GammaGammaModel().fit(rfm)
    got = rl.at_risk(rfm, bg, gg, only_flagged=False)
    flagged = got[got["at_risk"]]
    assert 0 < len(flagged) < len(rfm)
    # by definition: every flagged customer is valuable and low or silent
    assert (flagged["revenue_at_risk"] >= got.attrs["value_threshold"]).all()
    assert ((flagged["p_alive"] < 0.5) | (flagged["silent_for"] > 3 * flagged["usual_gap"])).all()
    # purchases_if_active: the BG/NBD conditional expectation given alive, written out
    # (FHL 2005 eq. 10 without the P(alive) factor) for one customer
    r, alpha, a, b = bg.params_.to_numpy()
    from scipy.special import hyp2f1

    cid = flagged.index[0]
    x, T, t = rfm.loc[cid, "frequency"], rfm.loc[cid, "T"], 52.0
    by_hand = (a + b + x - 1) / (a - 1) * (
        1 - ((alpha + T) / (alpha + T + t)) ** (r + x)
        * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t)))
    assert flagged.loc[cid, "purchases_if_active"] == pytest.approx(by_hand, rel=1e-9)
    assert flagged.loc[cid, "revenue_at_risk"] == pytest.approx(
        by_hand * gg.expected_spend(rfm.loc[[cid]]).iloc[0], rel=1e-9)


# --------------------------------------------------------------------------- reasons in Hebrew
def _flag_all(rfm, p_alive):
    """at_risk in Hebrew with every customer valuable (rate 1 a week, spend 10 each)."""
    ids = rfm.index
    return rl.at_risk(rfm, FakePurchases(p_alive, dict.fromkeys(ids, 1.0)),
                      FakeSpend(dict.fromkeys(ids, 10.0)), min_value_quantile=0.0, lang="he")


def test_hebrew_reason_of_a_customer_silent_14_weeks_with_a_32_percent_chance():
    # h: 4 repeat purchases over 12 weeks -> usually every 12 / 4 = 3 weeks; T 26 -> silent
    # 26 - 12 = 14 weeks (> 3 * 3: long silence); P(alive) 0.32 -> 32%
    rfm = pd.DataFrame({"frequency": [4], "recency": [12.0], "T": [26.0],
                        "monetary_value": [10.0]}, index=pd.Index(["h"], name="customer_id"))
    got = _flag_all(rfm, dict(h=0.32))
    assert got.loc["h", "reason"] == (
        "קונה בדרך כלל כל 3 שבועות, לא קנה כבר 14 שבועות; הסיכוי שעדיין פעיל 32%")
    assert got.loc["h", "list"] == "at risk"  # the list keeps its canonical value


def test_hebrew_reasons_use_the_bare_noun_for_one_and_the_dual_for_two():
    # i: gap 5 / 5 = 1 week, silent 6 - 5 = 1 week -> 'כל שבוע', 'כבר שבוע' (no 'אחד')
    # j: gap 4 / 2 = 2 weeks, silent 12 - 4 = 8 weeks -> the dual 'שבועיים'
    # k: one purchase, T 2 weeks ago -> 'לפני שבועיים'; P(alive) 0.004 -> 'פחות מ-1%'
    # m: gap 7.5 / 3 = 2.5 weeks, silent 20 - 7.5 = 12.5 weeks -> decimals, plural
    ids = pd.Index(list("ijkm"), name="customer_id")
    rfm = pd.DataFrame({"frequency": [5, 2, 0, 3], "recency": [5.0, 4.0, 0.0, 7.5],
                        "T": [6.0, 12.0, 2.0, 20.0], "monetary_value": 10.0}, index=ids)
    got = _flag_all(rfm, dict(i=0.3, j=0.4, k=0.004, m=0.25))
    assert got.loc["i", "reason"] == (
        "קונה בדרך כלל כל שבוע, לא קנה כבר שבוע; הסיכוי שעדיין פעיל 30%")
    assert got.loc["j", "reason"] == (
        "קונה בדרך כלל כל שבועיים, לא קנה כבר 8 שבועות; הסיכוי שעדיין פעיל 40%")
    assert got.loc["k", "reason"] == "קנה פעם אחת, לפני שבועיים; הסיכוי שעדיין פעיל פחות\xa0מ-1%"
    assert got.loc["m", "reason"] == (
        "קונה בדרך כלל כל 2.5 שבועות, לא קנה כבר 12.5 שבועות; הסיכוי שעדיין פעיל 25%")


def test_hebrew_reasons_in_days_and_months():
    # days: gap 14 / 2 = 7 days, silent 30 - 14 = 16 days; months: gap 2 / 1 = 2 months
    # (the dual 'חודשיים'), silent 13 - 2 = 11 months
    ids = pd.Index(["n"], name="customer_id")
    for unit, row, words in (
            ("D", [2, 14.0, 30.0], "קונה בדרך כלל כל 7 ימים, לא קנה כבר 16 ימים"),
            ("M", [1, 2.0, 13.0], "קונה בדרך כלל כל חודשיים, לא קנה כבר 11 חודשים")):
        rfm = pd.DataFrame([row], columns=["frequency", "recency", "T"], index=ids)
        rfm["monetary_value"] = 10.0
        rfm.attrs["time_unit"] = unit
        assert _flag_all(rfm, dict(n=0.3)).loc["n", "reason"] == (
            words + "; הסיכוי שעדיין פעיל 30%")


def test_english_reasons_are_the_same_with_lang_en():
    assert_frame_equal(rl.at_risk(RFM, PURCHASES, SPEND, lang="en"),
                       rl.at_risk(RFM, PURCHASES, SPEND))


def test_only_the_reason_depends_on_the_language():
    en = rl.at_risk(RFM, PURCHASES, SPEND, only_flagged=False)
    he = rl.at_risk(RFM, PURCHASES, SPEND, only_flagged=False, lang="he")
    assert_frame_equal(en.drop(columns="reason"), he.drop(columns="reason"))
    assert ((en["reason"] == "") == (he["reason"] == "")).all()


def test_unknown_language_is_a_config_error_even_with_no_customer_flagged():
    with pytest.raises(ConfigError, match="language"):
        rl.at_risk(RFM.iloc[:0], PURCHASES, SPEND, lang="fr")


def test_customer_table_writes_the_reasons_in_its_language():
    from tests.support import five_customers

    tx = five_customers()
    ids = list("abcde")
    model = FakePurchases(dict(zip(ids, [0.3, 0.9, 0.25, 0.4, 1.0], strict=True)),
                          dict.fromkeys(ids, 1.0))
    spend = FakeSpend(dict.fromkeys(ids, 10.0))
    table = rl.customer_table(tx, purchases_model=model, spend_model=spend, lang="he",
                              at_risk_options={"min_value_quantile": 0.0})
    risk = rl.at_risk(rl.rfm_summary(tx), model, spend, min_value_quantile=0.0, lang="he")
    flagged = table.loc[risk.index, "early_warning_reason"]
    assert len(risk) > 0 and flagged.tolist() == risk["reason"].tolist()
    assert flagged.str.contains("הסיכוי שעדיין פעיל").all()
    assert (table.drop(index=risk.index)["early_warning_reason"] == "").all()
    assert set(table["early_warning"].dropna()) <= set(LISTS)  # canonical values


def test_customer_table_scores_are_rfm_scores_of_the_transactions():
    # customer_table scores R, F, M from its one customer_value pass; they must be what
    # rfm_scores and rfm_segments give on the transactions themselves
    demo = rl.make_demo(n_customers=500)
    end = demo.transactions["date"].max().normalize() - pd.Timedelta(days=30)
    table = rl.customer_table(demo.transactions, observation_end=end)
    want = rl.rfm_segments(rl.rfm_scores(demo.transactions, observation_end=end))
    for c in ("R", "F", "M", "RFM"):
        assert table[c].tolist() == want[c].reindex(table.index).tolist()
    assert table["rfm_segment"].tolist() == want["segment"].reindex(table.index).tolist()
