"""Campaign measurement: treatment against control, Welch's t interval, realised ROI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from retainlib.analytics.campaigns import (
    assign_groups,
    campaign_outcomes,
    measure_campaign,
    welch_interval,
)

START, END = pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-29")
EXTRA = 50.0  # the planted effect: every treated customer spends this much more in the window


def planted(n: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """n customers, a random half treated; the treated get one extra purchase of EXTRA.

    Everybody buys 0-3 times in the window (Poisson 1), 20-180 a purchase, plus one
    purchase before the window (so every customer is in the sales data).
    """
    rng = np.random.default_rng(seed)
    ids = np.array([f"c{i:05d}" for i in range(n)], dtype=object)
    treated = rng.permutation(n) < n // 2
    groups = pd.Series(np.where(treated, "treatment", "control"), index=ids, dtype=object)
    k = rng.poisson(1.0, n)  # purchases of each customer in the window
    who = np.concatenate([ids, np.repeat(ids, k), ids[treated]])
    day = np.concatenate([np.full(n, -45), rng.integers(0, 59, k.sum() + treated.sum())])
    amount = np.concatenate([np.full(n, 30.0), rng.uniform(20, 180, k.sum()),
                             np.full(treated.sum(), EXTRA)])
    tx = pd.DataFrame({"customer_id": who, "date": START + pd.to_timedelta(day, unit="D"),
                       "amount": amount})
    return tx, groups


def test_welch_interval_matches_scipy():
    rng = np.random.default_rng(3)
    x, y = rng.gamma(2, 30, 40), rng.gamma(2, 20, 25)
    diff, low, high = welch_interval(x, y)
    ci = stats.ttest_ind(x, y, equal_var=False).confidence_interval(0.95)
    assert diff == pytest.approx(x.mean() - y.mean())
    assert (low, high) == pytest.approx((ci.low, ci.high))


def test_welch_interval_of_tiny_or_constant_groups():
    assert np.isnan(welch_interval(np.array([1.0]), np.array([1.0, 2.0]))[1])
    assert welch_interval(np.array([2.0, 2.0]), np.array([1.0, 1.0])) == (1.0, 1.0, 1.0)


def test_the_interval_holds_the_planted_effect():
    tx, groups = planted(2_000, seed=1)
    r = measure_campaign(tx, groups, start=START, end=END, cost=10_000.0)
    truth = r["treated"] * EXTRA
    assert r["status"] == "measured"
    assert r["incremental_revenue_low"] < truth < r["incremental_revenue_high"]
    # the extra purchase is one more order per treated customer, and everyone treated bought
    d = r["differences"]
    assert d.loc["orders_per_customer", "low"] < 1.0 < d.loc["orders_per_customer", "high"]
    assert r["groups"].loc["treatment", "bought_share"] == 1.0


def test_the_interval_covers_the_truth_about_95_percent_of_the_time():
    # 100 planted campaigns of 120 customers: a 95% interval misses the truth about 5 times
    # (binomial: 1 to 10 misses in all but 1% of sets of seeds)
    covered = 0
    for seed in range(100):
        tx, groups = planted(120, seed)
        r = measure_campaign(tx, groups, start=START, end=END)
        covered += r["incremental_revenue_low"] < r["treated"] * EXTRA < \
            r["incremental_revenue_high"]
    assert 90 <= covered <= 99


def test_the_interval_of_the_revenue_per_customer_shrinks_with_more_customers():
    def width(n):
        d = measure_campaign(*planted(n, seed=7), start=START, end=END)["differences"]
        return d.loc["revenue_per_customer", "high"] - d.loc["revenue_per_customer", "low"]

    # the standard error falls as 1/sqrt(n): 16 times the customers, about a quarter the width
    small, large = width(250), width(4_000)
    assert large < small / 3


@pytest.mark.parametrize(("cost", "margin"), [(1_000.0, 1.0), (2_500.0, 0.35)])
def test_realised_roi_follows_the_formula(cost, margin):
    tx, groups = planted(400, seed=2)
    r = measure_campaign(tx, groups, start=START, end=END, cost=cost, margin=margin)
    inc = r["incremental_revenue"]
    assert r["roi_pct"] == pytest.approx((margin * inc - cost) / cost * 100)
    assert r["roi_low"] == pytest.approx(
        (margin * r["incremental_revenue_low"] - cost) / cost * 100)
    assert r["roi_high"] == pytest.approx(
        (margin * r["incremental_revenue_high"] - cost) / cost * 100)


def test_incremental_revenue_by_hand():
    # treated a, b spend 30, 50 in the window; control c, d spend 10, 10: per customer 40 vs 10,
    # so 2 treated x 30 = 60 incremental; cost 20 -> ROI (60 - 20) / 20 x 100 = 200%
    tx = pd.DataFrame({"customer_id": list("abcd"), "amount": [30.0, 50.0, 10.0, 10.0],
                       "date": pd.to_datetime(["2025-03-05"] * 4)})
    g = pd.Series(["treatment", "treatment", "control", "control"], index=list("abcd"))
    r = measure_campaign(tx, g, start=START, cost=20.0)
    assert (r["incremental_revenue"], r["roi_pct"]) == (60.0, 200.0)
    assert r["end"] == START + pd.Timedelta(days=60)  # the default window


def test_without_a_control_group_nothing_is_called_incremental():
    tx, groups = planted(100, seed=0)
    r = measure_campaign(tx, groups.map(lambda _: "treatment"), start=START, end=END,
                         cost=500.0)
    assert r["status"] == "no_control"
    assert r["incremental_revenue"] is None and r["roi_pct"] is None
    assert r["differences"] is None
    assert r["groups"].loc["treatment", "customers"] == 100


def test_unknown_customers_are_left_out_and_counted():
    tx, groups = planted(100, seed=0)
    more = pd.concat([groups, pd.Series(["treatment", "control"], index=["ghost1", "ghost2"])])
    r = measure_campaign(tx, more, start=START, end=END)
    assert list(r["unknown"]) == ["ghost1", "ghost2"]
    assert r["treated"] + r["control"] == 100
    only_ghosts = measure_campaign(tx, more.iloc[-2:], start=START, end=END)
    assert only_ghosts["status"] == "no_known_customers"


def test_a_window_outside_the_data():
    tx, groups = planted(50, seed=0)
    late = measure_campaign(tx, groups, start="2025-06-01", observation_end="2025-04-30")
    assert late["status"] == "not_started" and late["incremental_revenue"] is None
    part = measure_campaign(tx, groups, start=START, end="2025-12-31",
                            observation_end="2025-04-30")
    assert part["partial"] and part["measured_to"] == pd.Timestamp("2025-04-30")
    only_control = measure_campaign(tx, groups.map(lambda _: "control"), start=START)
    assert only_control["status"] == "no_treatment"


def test_outcomes_count_orders_and_net_returns_in_the_window_only():
    tx = pd.DataFrame({"customer_id": ["a", "a", "a", "a", "b"],
                       "order_id": ["o1", "o1", "o2", "o3", "o4"],
                       "amount": [10.0, 5.0, 20.0, -8.0, 7.0],
                       "date": pd.to_datetime(["2025-03-02", "2025-03-02", "2025-03-09",
                                               "2025-03-10", "2025-02-27"])})
    out = campaign_outcomes(tx, pd.Index(["a", "b", "c"]), START, END)
    # a: 10 + 5 + 20 - 8 = 27 in two positive orders (o1, o2); b bought before the window
    assert out.to_dict("list") == {"revenue": [27.0, 0.0, 0.0], "orders": [2.0, 0.0, 0.0],
                                   "bought": [1.0, 0.0, 0.0]}


def test_groups_are_reproducible_with_the_configured_control_share():
    ids = pd.Index([f"c{i}" for i in range(101)])
    g = assign_groups(ids, control_share=0.2, seed=5)
    assert (g == "control").sum() == 20  # round(0.2 x 101) = 20
    assert g.equals(assign_groups(ids, control_share=0.2, seed=5))
    assert g.equals(assign_groups(ids[::-1], control_share=0.2, seed=5).reindex(ids))
    assert not g.equals(assign_groups(ids, control_share=0.2, seed=6))
    assert (assign_groups(ids, control_share=0.0) == "treatment").all()
    assert assign_groups(pd.Index([]), control_share=0.5).empty


def test_a_window_that_ends_before_the_first_purchase_is_not_measured():
    # the data starts 45 days before START; a window in 2020 holds no purchase of anybody, so
    # "no difference" would be a claim about months without data
    tx, groups = planted(50, seed=0)
    r = measure_campaign(tx, groups, start="2020-01-01", end="2020-02-01", cost=10.0)
    assert r["status"] == "before_data"
    assert r["incremental_revenue"] is None and r["roi_pct"] is None
    overlapping = measure_campaign(tx, groups, start=START - pd.Timedelta(days=90), end=END)
    assert overlapping["status"] == "measured"  # it reaches into the data: measured
