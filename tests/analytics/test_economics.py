"""Tests for retention economics (hand-computed) and the model-based retention scenarios."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy.special import hyp2f1

import retainlib as rl
from retainlib.analytics.economics import (
    _DropoutScaled,
    clv_cac,
    new_customer_clv,
    retention_roi,
    retention_scenarios,
    yearly_revenue_per_customer,
)
from retainlib.errors import ConfigError, DataError


@pytest.fixture(scope="module")
def cdnow_fit():
    rfm = rl.rfm_summary(rl.load_cdnow(), observation_end="1997-09-30")
    return rfm, rl.BetaGeoModel().fit(rfm), rl.GammaGammaModel().fit(rfm)


def test_yearly_revenue_per_customer_hand_computed():
    tx = pd.DataFrame({
        "customer_id": ["a", "b", "a", "c", "b"],
        "date": pd.to_datetime(["2022-06-01", "2023-03-01", "2023-06-01", "2024-01-10",
                                "2024-05-31"]),
        "amount": [80.0, 200.0, 100.0, 60.0, -40.0],
    })
    got = yearly_revenue_per_customer(tx, observation_end="2024-05-31")
    # calendar years: 2022 a 80 -> 80 / 1 (partial: the data start 2022-06-01);
    # 2023: b 200, a 100 -> 300 / 2 = 150 (whole year); 2024 up to 2024-05-31: c 60, b -40
    # (a return: revenue but not a buyer) -> 20 / 1 (partial: the data end 2024-05-31)
    expected = pd.DataFrame({
        "year_start": pd.to_datetime(["2022-01-01", "2023-01-01", "2024-01-01"]),
        "year_end": pd.to_datetime(["2022-12-31", "2023-12-31", "2024-12-31"]),
        "observed_from": pd.to_datetime(["2022-06-01", "2023-01-01", "2024-01-01"]),
        "observed_to": pd.to_datetime(["2022-12-31", "2023-12-31", "2024-05-31"]),
        "revenue": [80.0, 300.0, 20.0],
        "customers": np.array([1, 2, 1], dtype="int64"),
        "revenue_per_customer": [80.0, 150.0, 20.0],
        "partial": [True, False, True],
    }, index=pd.Index(["2022", "2023", "2024"], name="year"))
    assert_frame_equal(got, expected, check_index_type=False)


def test_yearly_revenue_per_customer_in_fiscal_years_from_april():
    # fiscal years from April, labelled by the two calendar years they span:
    # 2022/23 (2022-04-01 .. 2023-03-31): a 80 (its first day), b 200 (its last) -> 280 / 2;
    # 2023/24: a 100 (2023-04-01), c 60 -> 160 / 2; 2024/25: b -40 (2024-05-31) -> revenue
    # -40, no buyer (NaN per customer), partial (the data end 2024-05-31)
    tx = pd.DataFrame({
        "customer_id": ["a", "b", "a", "c", "b"],
        "date": pd.to_datetime(["2022-04-01", "2023-03-31", "2023-04-01", "2024-01-10",
                                "2024-05-31"]),
        "amount": [80.0, 200.0, 100.0, 60.0, -40.0],
    })
    got = yearly_revenue_per_customer(tx, fiscal_year_start=4)
    assert got.index.tolist() == ["2022/23", "2023/24", "2024/25"]
    assert got["year_start"].tolist() == list(pd.to_datetime(["2022-04-01", "2023-04-01",
                                                              "2024-04-01"]))
    assert got["year_end"].tolist() == list(pd.to_datetime(["2023-03-31", "2024-03-31",
                                                            "2025-03-31"]))
    assert got["revenue"].tolist() == [280.0, 160.0, -40.0]
    assert got["customers"].tolist() == [2, 2, 0]
    assert got["revenue_per_customer"].tolist()[:2] == [140.0, 80.0]
    assert np.isnan(got["revenue_per_customer"].iloc[2])
    # the data start on the first day of 2022/23: that year is whole
    assert got["partial"].tolist() == [False, False, True]
    # a December start: 2023/24 runs 2023-12-01 .. 2024-11-30; a year with no row in between
    # still has its row
    gap = pd.DataFrame({"customer_id": ["a", "a"], "amount": [10.0, 30.0],
                        "date": pd.to_datetime(["2020-12-15", "2023-01-01"])})
    dec = yearly_revenue_per_customer(gap, fiscal_year_start=12)
    assert dec.index.tolist() == ["2020/21", "2021/22", "2022/23"]
    assert dec["revenue"].tolist() == [10.0, 0.0, 30.0]
    assert dec["customers"].tolist() == [1, 0, 1]
    assert dec["partial"].tolist() == [True, False, True]
    with pytest.raises(ConfigError, match="fiscal_year_start"):
        yearly_revenue_per_customer(gap, fiscal_year_start=13)


def test_yearly_revenue_has_no_stub_year_for_data_from_a_year_s_second_day():
    # the demo's data start 2022-01-02: the rolling 365-day years gave a stub row
    # 2022-01-02 .. 2023-01-01; calendar years give 2022 (partial by one day) and 2023
    tx = pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [10.0, 20.0, 30.0],
                       "date": pd.to_datetime(["2022-01-02", "2022-12-31", "2023-12-31"])})
    got = yearly_revenue_per_customer(tx)
    assert got.index.tolist() == ["2022", "2023"]
    assert got["customers"].tolist() == [2, 1]
    assert got["partial"].tolist() == [True, False]


def test_clv_cac_by_segment():
    clv = pd.Series([300.0, 100.0, 50.0], index=["a", "b", "c"])
    region = pd.Series(["N", "N", "S"], index=["a", "b", "c"], name="region")
    got = clv_cac(clv, 50.0, by=region)
    # N: mean 200 -> 4x, CAC is 25% of CLV; S: 50 -> 1x; all: 150 -> 3x
    expected = pd.DataFrame({
        "customers": np.array([2, 1, 3], dtype="int64"), "mean_clv": [200.0, 50.0, 150.0],
        "cac": [50.0, 50.0, 50.0], "clv_to_cac": [4.0, 1.0, 3.0],
        "cac_to_clv": [0.25, 1.0, 1 / 3],
    }, index=pd.Index(["N", "S", "All customers"], name="region"))
    assert_frame_equal(got, expected)
    with pytest.raises(ConfigError, match="cac must be a positive number"):
        clv_cac(clv, 0)


def test_retention_roi_hand_computed():
    got = retention_roi(campaign_cost=10_000, customers_targeted=200, expected_lift=0.10,
                        value_per_customer=1_500)
    # 200 targeted x 10 points = 20 kept; 20 x 1,500 = 30,000; (30,000 - 10,000) / 10,000 = 200%
    expected = pd.DataFrame({
        "campaign_cost": [10_000.0], "customers_targeted": [200], "expected_lift": [0.10],
        "customers_retained": [20.0], "value_per_customer": [1_500.0],
        "additional_value": [30_000.0], "net_gain": [20_000.0], "roi_pct": [200.0],
        "campaign_share": [1.0],
    }, index=pd.Index(["campaign"], name="scenario"))
    assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_a_segment_s_part_of_the_campaign_by_hand():
    # 6 customers; the campaign (12,000 for the top 4 by value, lift 10 points, margin 50%)
    # targets f 6,000, a 5,000, d 4,000, b 3,000 (c 2,000 and e 1,000 are not targeted).
    value = pd.Series({"a": 5_000.0, "b": 3_000.0, "c": 2_000.0, "d": 4_000.0, "e": 1_000.0,
                       "f": 6_000.0})
    terms = {"campaign_cost": 12_000, "customers_targeted": 4, "expected_lift": 0.1,
             "value_per_customer": value, "margin": 0.5}
    whole = retention_roi(**terms)
    # whole: 4 x 0.1 = 0.4 kept x mean 4,500 x 0.5 = 900 -> (900 - 12,000) / 12,000 = -92.5%
    assert whole["additional_value"].iloc[0] == pytest.approx(900.0)
    north = retention_roi(**terms, within=["a", "b", "c"])
    # North = {a, b, c}: a and b are targeted -> 2 of 4, cost 12,000 x 2 / 4 = 6,000; value
    # mean (5,000 + 3,000) / 2 = 4,000; 2 x 0.1 x 4,000 x 0.5 = 400 -> (400 - 6,000) / 6,000
    expected = pd.DataFrame({
        "campaign_cost": [6_000.0], "customers_targeted": [2], "expected_lift": [0.1],
        "customers_retained": [0.2], "value_per_customer": [4_000.0],
        "additional_value": [400.0], "net_gain": [-5_600.0],
        "roi_pct": [(400 - 6_000) / 6_000 * 100], "campaign_share": [0.5],
    }, index=pd.Index(["segment part"], name="scenario"))
    assert_frame_equal(north, expected, check_exact=False, rtol=1e-12)
    south = retention_roi(**terms, within=["d", "e", "f"])
    # the two parts add up to the campaign
    for col in ("campaign_cost", "customers_targeted", "customers_retained",
                "additional_value", "net_gain", "campaign_share"):
        assert north[col].iloc[0] + south[col].iloc[0] == pytest.approx(
            whole[col].iloc[0] if col != "campaign_share" else 1.0)
    # a segment the campaign does not reach costs nothing and has no ROI
    none = retention_roi(**terms, within=["c", "e"])
    assert (none["campaign_cost"].iloc[0], none["customers_targeted"].iloc[0]) == (0.0, 0)
    assert np.isnan(none["roi_pct"].iloc[0])
    with pytest.raises(ConfigError, match="within= needs value_per_customer as a Series"):
        retention_roi(campaign_cost=1, customers_targeted=1, expected_lift=0.1,
                      value_per_customer=5.0, within=["a"])


def test_retention_roi_from_an_at_risk_list_and_margin():
    at_stake = pd.Series([1_000.0, 5_000.0, 500.0, 3_000.0])
    got = retention_roi(campaign_cost=1_000, customers_targeted=2, expected_lift=0.5,
                        value_per_customer=at_stake, margin=0.25)
    # targets the top two (5,000 and 3,000: mean 4,000); 2 x 0.5 = 1 kept;
    # 1 x 4,000 x 25% margin = 1,000 -> ROI (1,000 - 1,000) / 1,000 = 0%
    assert got["value_per_customer"].iloc[0] == 4_000.0
    assert got["roi_pct"].iloc[0] == pytest.approx(0.0)
    with pytest.raises(DataError, match="only 4 customers"):
        retention_roi(campaign_cost=1, customers_targeted=5, expected_lift=0.1,
                      value_per_customer=at_stake)
    with pytest.raises(ConfigError, match="expected_lift"):
        retention_roi(campaign_cost=1, customers_targeted=5, expected_lift=5,
                      value_per_customer=1.0)


def test_new_customer_clv_is_eq9_times_population_spend(cdnow_fit):
    _, bg, gg = cdnow_fit
    got = new_customer_clv(bg, gg, horizon_months=12, annual_discount_rate=0.0, margin=0.5,
                           first_order_value=20.0)
    # no discounting: sum of monthly increments = E[X(12 months)] (FHL 2005 eq. 9) for a new
    # customer; spend = Gamma-Gamma population mean p v / (q - 1); plus the first order x margin
    p, q, v = gg.params_.to_numpy()
    weeks = 12 * 365.25 / 12 / 7
    by_hand = 0.5 * bg.expected_purchases_new_customer(weeks) * p * v / (q - 1) + 0.5 * 20.0
    assert got == pytest.approx(by_hand, rel=1e-10)


def test_scaled_dropout_at_k1_reproduces_the_bgnbd(cdnow_fit):
    rfm, bg, _ = cdnow_fit
    sub = rfm.iloc[:300]
    quad = _DropoutScaled(bg, sub).expected_purchases(sub, 52.0)
    np.testing.assert_allclose(quad, bg.expected_purchases(sub, 52.0), rtol=1e-8)


def test_scaled_dropout_survival_matches_euler_integral(cdnow_fit):
    rfm, bg, _ = cdnow_fit
    sub = rfm.iloc[:200]
    r, alpha, a, b = bg.params_.to_numpy()
    k, t = 0.6, 52.0
    x, T = sub["frequency"].to_numpy(float), sub["T"].to_numpy()
    # E_p[(c / (c + k p t))^(r+x)], p ~ Beta(a, b + x) = 2F1(r + x, a; a + b + x; -k t / c)
    by_hand = hyp2f1(r + x, a, a + b + x, -k * t / (alpha + T))
    np.testing.assert_allclose(_DropoutScaled(bg, sub, k).survival(sub, t), by_hand, rtol=1e-8)
    # and the purchase rate at t is (r+x)/c * 2F1(r+x+1, a; a+b+x; -k t / c): check by a
    # central difference of the quadrature expected purchases
    model = _DropoutScaled(bg, sub).scaled(k)
    p_alive = bg.probability_alive(sub).to_numpy()
    h = 1e-3
    rate = (model.expected_purchases(sub, t + h) - model.expected_purchases(sub, t - h)) / (2 * h)
    by_hand_rate = (r + x) / (alpha + T) * hyp2f1(r + x + 1, a, a + b + x, -k * t / (alpha + T))
    np.testing.assert_allclose(rate / p_alive, by_hand_rate, rtol=1e-5)


def test_retention_scenarios_on_cdnow(cdnow_fit):
    rfm, bg, gg = cdnow_fit
    got = retention_scenarios(rfm, bg, gg, lifts=(0.02, 0.05), horizon_months=12,
                              annual_discount_rate=0.1)
    base = got.loc[0.0]
    base_clv = rl.customer_lifetime_value(rfm, bg, gg, horizon_months=12,
                                          annual_discount_rate=0.1).sum()
    assert base["clv"] == pytest.approx(base_clv, rel=1e-12)
    assert base["dropout_multiplier"] == 1.0
    assert got.loc[0.05, "retention"] == pytest.approx(base["retention"] + 0.05, abs=1e-7)
    assert got.loc[0.02, "retention"] == pytest.approx(base["retention"] + 0.02, abs=1e-7)
    assert 0 < got.loc[0.05, "dropout_multiplier"] < got.loc[0.02, "dropout_multiplier"] < 1
    assert 0 < got.loc[0.02, "added_clv"] < got.loc[0.05, "added_clv"]
    assert got.loc[0.05, "added_clv_per_customer"] == pytest.approx(
        got.loc[0.05, "added_clv"] / len(rfm))
    with pytest.raises(ConfigError, match="not possible"):
        retention_scenarios(rfm, bg, gg, lifts=(0.99,))
