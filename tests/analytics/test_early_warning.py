"""Tests for the early-warning list (hand-computed with test-double models) and its export."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import retainlib as rl
from retainlib.analytics.early_warning import AT_RISK_COLUMNS
from retainlib.errors import ConfigError
from retainlib.output.tables import export_at_risk


class FakePurchases:
    """Test double: P(alive) and a purchase rate while active; E[X(t)] = p * rate * t."""

    def __init__(self, p_alive, rate):
        self.p, self.rate = pd.Series(p_alive), pd.Series(rate)

    def probability_alive(self, rfm):
        return self.p.reindex(rfm.index).rename("p_alive")

    def expected_purchases(self, rfm, t):
        return (self.p * self.rate * t).reindex(rfm.index).rename("expected_purchases")


class FakeSpend:
    def __init__(self, spend):
        self.spend = pd.Series(spend)

    def expected_spend(self, rfm):
        return self.spend.reindex(rfm.index).rename("expected_spend")


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
    # revenue at risk = that * spend: a 520, b 624, c 156, d 65, e 520
    # 70% quantile of [65, 156, 520, 520, 624] (linear): position 2.8 -> 520 => valuable a, b, e
    # a: gap 30/10 = 3, silent 40-30 = 10 > 3*3 -> long silence; b: P(alive) 0.32 < 0.5;
    # e: gap 6, silent 2, P 0.95 -> fine. c is low and silent but not valuable.
    expected = pd.DataFrame({
        "rank": np.array([1, 2], dtype="int64"),
        "revenue_at_risk": [624.0, 520.0],
        "reason": pd.array(["P(alive) fell to 32%", "usually buys every 3 weeks, silent for 10"],
                           dtype="str"),
        "p_alive": [0.32, 0.9],
        "usual_gap": [5.0, 3.0],
        "silent_for": [2.0, 10.0],
        "frequency": np.array([4, 10], dtype="int64"),
        "purchases_if_active": [10.4, 26.0],
        "expected_spend": [60.0, 20.0],
        "expected_purchases": [0.32 * 10.4, 0.9 * 26],
        "expected_loss": [0.68 * 624, 0.1 * 520],
        "low_p_alive": [True, False],
        "long_silence": [False, True],
        "valuable": [True, True],
        "at_risk": [True, True],
    }, index=pd.Index(["b", "a"], name="customer_id"))
    assert list(got.columns) == list(AT_RISK_COLUMNS)
    assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_at_risk_all_customers_ranked_ties_by_id_and_both_reasons():
    got = rl.at_risk(RFM, PURCHASES, SPEND, only_flagged=False)
    assert got.index.tolist() == ["b", "a", "e", "c", "d"]  # 624, 520 (a before e), 520, 156, 65
    assert got["rank"].tolist() == [1, 2, 0, 0, 0]
    assert got["reason"].tolist()[2:] == ["", "", ""]
    everyone = rl.at_risk(RFM, PURCHASES, SPEND, min_value_quantile=0.0)
    # c: gap 4/2 = 2, silent 50-4 = 46 > 6, P(alive) 10%: both reasons
    assert everyone.loc["c", "reason"] == (
        "usually buys every 2 weeks, silent for 46; P(alive) fell to 10%")
    assert "d" not in everyone.index  # one-time buyer with P(alive) 1: no gap rule, not low


def test_horizon_follows_the_summary_time_unit():
    daily = RFM * 7.0
    daily["frequency"] = RFM["frequency"]
    daily.attrs["time_unit"] = "D"
    got = rl.at_risk(daily, PURCHASES, SPEND, horizon_weeks=1, only_flagged=False)
    # one week = 7 days; the double's rate is per unit, so b: 0.2 * 7 * 60 = 84
    assert got.loc["b", "revenue_at_risk"] == pytest.approx(84.0)
    assert got.loc["a", "reason"] == "usually buys every 21 days, silent for 70"


def test_at_risk_bad_options():
    with pytest.raises(ConfigError, match="p_alive_threshold"):
        rl.at_risk(RFM, PURCHASES, SPEND, p_alive_threshold=50)


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


def test_export_at_risk_csv_and_excel(tmp_path):
    got = rl.at_risk(RFM, PURCHASES, SPEND)
    csv = export_at_risk(got, tmp_path / "crm" / "at_risk.csv")
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(csv, encoding="utf-8-sig")
    assert list(back.columns) == ["customer_id", *AT_RISK_COLUMNS]
    assert back["customer_id"].tolist() == ["b", "a"]
    assert back["reason"].tolist() == ["P(alive) fell to 32%",
                                       "usually buys every 3 weeks, silent for 10"]
    xlsx = export_at_risk(got, tmp_path / "at_risk.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    assert ws.title == "At risk"
    assert [c.value for c in ws[1]] == ["customer_id", *AT_RISK_COLUMNS]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "B2"
    assert ws["C3"].value == pytest.approx(520.0)
