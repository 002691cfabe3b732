"""Tests for RFM scores, named segments, CLV tiers and segment slicing (hand-computed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

import retainlib as rl
from retainlib.analytics.early_warning import early_warning_summary
from retainlib.analytics.segments import segment_rules, segment_summary
from retainlib.analytics.tiers import clv_tier_summary
from retainlib.errors import ConfigError, DataError


def _ids(ids):
    return pd.Index(list(ids), name="customer_id", dtype="str")


# --------------------------------------------------------------------------- scores
def test_rfm_scores_from_transactions_hand_computed():
    tx = pd.DataFrame({
        "customer_id": pd.array(["a", "a", "b", "c", "c", "c", "d"], dtype="str"),
        "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01", "2024-01-10",
                                "2024-02-10", "2024-03-10", "2024-03-30"]),
        "amount": [10.0, 20.0, 100.0, 5.0, 5.0, 5.0, 40.0],
    })
    got = rl.rfm_scores(tx, bins=4, observation_end="2024-03-31")
    # days since last purchase to 2024-03-31: a 30 (03-01), b 59 (02-01), c 21 (03-10), d 1
    # orders: a 2, b 1, c 3, d 1; revenue: a 30, b 100, c 15, d 40
    # score = 1 + floor(4 * (rank - 1/2) / 4) = 1 + floor(rank - 1/2), average ranks:
    # R on -days: b 1, a 2, c 3, d 4 -> b 1, a 2, c 3, d 4
    # F: b, d tied at ranks 1-2 -> 1.5 -> 1 + floor(1.0) = 2; a rank 3 -> 3; c rank 4 -> 4
    # M: c 1, a 2, d 3, b 4
    expected = pd.DataFrame({
        "since_last_purchase": [30.0, 59.0, 21.0, 1.0],
        "frequency": np.array([2, 1, 3, 1], dtype="int64"),
        "monetary": [30.0, 100.0, 15.0, 40.0],
        "R": np.array([2, 1, 3, 4], dtype="int64"),
        "F": np.array([3, 2, 4, 2], dtype="int64"),
        "M": np.array([2, 4, 1, 3], dtype="int64"),
        "RFM": pd.array(["232", "124", "341", "423"], dtype="str"),
    }, index=_ids("abcd"))
    assert_frame_equal(got, expected, check_index_type=False)


def test_rfm_scores_from_summary_uses_T_minus_recency():
    rfm = pd.DataFrame({"frequency": [0, 3], "recency": [0.0, 10.0], "T": [5.0, 30.0],
                        "monetary_value": [0.0, 12.0]}, index=_ids("xy"))
    got = rl.rfm_scores(rfm, bins=2)
    # x silent 5 weeks (T - recency = 5), y silent 20 -> x more recent.
    # n=2, bins=2: score = 1 + floor(rank - 1/2): ranks 1, 2 -> scores 1, 2
    assert got["since_last_purchase"].tolist() == [5.0, 20.0]
    assert got["R"].tolist() == [2, 1]
    assert got["F"].tolist() == [1, 2]
    assert got["M"].tolist() == [1, 2]


def test_many_ties_in_frequency_get_equal_scores_and_do_not_depend_on_order():
    # 7 one-time buyers, then 2, 3 and 5 orders (10 customers, quintiles).
    freq = [1, 1, 1, 1, 1, 1, 1, 2, 3, 5]
    rfm = pd.DataFrame({"frequency": freq, "recency": [0.0] * 10, "T": [1.0] * 10,
                        "monetary_value": np.arange(10.0)}, index=_ids("abcdefghij"))
    got = rl.rfm_scores(rfm)
    # ones occupy ranks 1..7, average 4 -> 1 + floor(5 * 3.5 / 10) = 1 + 1 = 2
    # 2 orders: rank 8 -> 1 + floor(5 * 7.5 / 10) = 4; 3: rank 9 -> 1 + floor(4.25) = 5; 5 -> 5
    assert got["F"].tolist() == [2] * 7 + [4, 5, 5]
    shuffled = rl.rfm_scores(rfm.iloc[::-1])
    assert_frame_equal(shuffled.loc[got.index], got)


def test_fewer_customers_than_bins():
    rfm = pd.DataFrame({"frequency": [1, 4], "recency": [1.0, 3.0], "T": [9.0, 4.0],
                        "monetary_value": [3.0, 1.0]}, index=_ids("ab"))
    got = rl.rfm_scores(rfm)
    # n = 2, 5 bins: ranks 1, 2 -> 1 + floor(5 * 0.5 / 2) = 2 and 1 + floor(5 * 1.5 / 2) = 4
    assert got["F"].tolist() == [2, 4]
    one = rl.rfm_scores(rfm.iloc[:1])
    assert one[["R", "F", "M"]].iloc[0].tolist() == [3, 3, 3]  # 1 + floor(5 * 0.5) = 3


def test_rfm_scores_errors():
    with pytest.raises(DataError, match="rfm_scores needs"):
        rl.rfm_scores(pd.DataFrame({"x": [1]}))
    with pytest.raises(ConfigError, match="bins"):
        rl.rfm_scores(pd.DataFrame({"frequency": [1], "recency": [0.0], "T": [1.0],
                                    "monetary_value": [1.0]}), bins=0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40), st.integers(1, 7))
def test_scores_in_range_monotone_and_ties_equal(freq, bins):
    n = len(freq)
    rfm = pd.DataFrame({"frequency": freq, "recency": [0.0] * n, "T": [1.0] * n,
                        "monetary_value": [float(f) for f in freq]},
                       index=_ids(f"c{i}" for i in range(n)))
    got = rl.rfm_scores(rfm, bins=bins)
    f = got["F"].to_numpy()
    assert f.min() >= 1 and f.max() <= bins
    order = np.argsort(freq, kind="stable")
    assert (np.diff(f[order]) >= 0).all()  # more orders never a lower score
    assert got.groupby("frequency")["F"].nunique().max() == 1  # ties equal


# --------------------------------------------------------------------------- segments
def test_default_rules_cover_every_cell_of_the_grid_once():
    rules = segment_rules()
    grid = np.zeros((5, 5), dtype=int)
    for row in rules.itertuples():
        grid[row.r_min - 1:row.r_max, row.fm_min - 1:row.fm_max] += 1
    assert (grid == 1).all()
    assert set(rules["segment"]) == {
        "Champions", "Loyal", "Potential loyalists", "New", "Promising", "Need attention",
        "About to sleep", "At risk", "Can't lose them", "Hibernating", "Lost"}


def test_rfm_segments_whole_grid():
    # one customer per (R, FM) cell, with F = M = FM
    r, fm = np.meshgrid(np.arange(1, 6), np.arange(1, 6), indexing="ij")
    scores = pd.DataFrame({"R": r.ravel(), "F": fm.ravel(), "M": fm.ravel()})
    seg = rl.rfm_segments(scores)
    table = seg.pivot(index="FM", columns="R", values="segment").sort_index(ascending=False)
    expected = [  # the grid of the segments module docstring, FM 5 at the top, R 1..5
        ["Can't lose them", "At risk", "Loyal", "Champions", "Champions"],
        ["Can't lose them", "At risk", "Loyal", "Champions", "Champions"],
        ["At risk", "At risk", "Need attention", "Potential loyalists", "Potential loyalists"],
        ["Hibernating", "Hibernating", "Need attention", "Potential loyalists",
         "Potential loyalists"],
        ["Lost", "Hibernating", "About to sleep", "Promising", "New"],
    ]
    assert table.astype(str).to_numpy().tolist() == expected


def test_fm_rounds_half_up():
    seg = rl.rfm_segments(pd.DataFrame({"R": [5, 5], "F": [4, 1], "M": [3, 2]}))
    # (4 + 3) / 2 = 3.5 -> 4 (Champions); (1 + 2) / 2 = 1.5 -> 2 (Potential loyalists)
    assert seg["FM"].tolist() == [4, 2]
    assert seg["segment"].tolist() == ["Champions", "Potential loyalists"]


def test_user_rules_replace_the_table_and_are_checked():
    rules = pd.DataFrame({"segment": ["Recent", "Old"], "r_min": [3, 1], "r_max": [5, 2],
                          "fm_min": [1, 1], "fm_max": [5, 5]})
    seg = rl.rfm_segments(pd.DataFrame({"R": [1, 4], "F": [5, 1], "M": [5, 1]}), rules=rules)
    assert seg["segment"].tolist() == ["Old", "Recent"]
    gap = rules.assign(r_max=[5, 1])
    with pytest.raises(ConfigError, match="R=2, FM=1 without a segment"):
        rl.rfm_segments(pd.DataFrame({"R": [1], "F": [1], "M": [1]}), rules=gap)
    as_tuples = list(rules.itertuples(index=False, name=None))
    again = rl.rfm_segments(pd.DataFrame({"R": [1, 4], "F": [5, 1], "M": [5, 1]}), rules=as_tuples)
    assert again["segment"].tolist() == ["Old", "Recent"]
    overlap = rules.assign(r_min=[2, 1])
    with pytest.raises(ConfigError, match="overlap: cell R=2, FM=1"):
        rl.rfm_segments(pd.DataFrame({"R": [1], "F": [1], "M": [1]}), rules=overlap)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.floats(0, 50), st.floats(0, 500)),
                min_size=1, max_size=30))
def test_every_customer_gets_exactly_one_segment(rows):
    n = len(rows)
    rfm = pd.DataFrame({"frequency": [r[0] for r in rows],
                        "recency": [0.0] * n, "T": [r[1] for r in rows],
                        "monetary_value": [r[2] for r in rows]},
                       index=_ids(f"c{i}" for i in range(n)))
    seg = rl.rfm_segments(rl.rfm_scores(rfm))
    assert len(seg) == n and seg["segment"].notna().all()


# --------------------------------------------------------------------------- CLV tiers
def test_clv_tiers_and_summary_hand_computed():
    clv = pd.Series([5.0, 100, 20, 1, 0, 3, 8, 9, 2, 4], index=_ids("abcdefghij"), name="clv")
    tiers = rl.clv_tiers(clv)
    # ranked: b 100 | c 20, h 9 | g 8, a 5, j 4, f 3, i 2, d 1, e 0 (ceil(0.1*10)=1, ceil(0.3*10)=3)
    assert tiers[tiers == "Top 10%"].index.tolist() == ["b"]
    assert sorted(tiers[tiers == "Next 20%"].index) == ["c", "h"]
    summary = clv_tier_summary(clv)
    total = 152.0  # 5+100+20+1+0+3+8+9+2+4
    expected = pd.DataFrame({
        "customers": np.array([1, 2, 7], dtype="int64"),
        "customer_share": [0.1, 0.2, 0.7],
        "clv": [100.0, 29.0, 23.0],
        "clv_share": [100 / total, 29 / total, 23 / total],
        "mean_clv": [100.0, 14.5, 23 / 7],
        "min_clv": [100.0, 9.0, 0.0],
    }, index=pd.CategoricalIndex(["Top 10%", "Next 20%", "Rest 70%"], ordered=True,
                                 categories=["Top 10%", "Next 20%", "Rest 70%"], name="clv_tier"))
    assert_frame_equal(summary, expected)


def test_clv_tiers_ties_by_customer_id_and_bad_input():
    clv = pd.Series([1.0, 1.0, 1.0], index=_ids(["z", "a", "m"]))
    # n = 3: top ceil(0.3) = 1 customer -> 'a' (first id), next up to ceil(0.9) = 1 -> empty
    tiers = rl.clv_tiers(clv)
    assert tiers.tolist() == ["Rest 70%", "Top 10%", "Rest 70%"]
    with pytest.raises(DataError, match="negative for customer 'a'"):
        rl.clv_tiers(pd.Series([1.0, -1.0], index=_ids("za")))
    with pytest.raises(ConfigError, match="cuts"):
        rl.clv_tiers(clv, cuts=(0.5, 0.2))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=50))
def test_tier_shares_sum_to_one(values):
    clv = pd.Series(values, index=_ids(f"c{i}" for i in range(len(values))))
    if clv.sum() <= 0:
        return
    s = clv_tier_summary(clv)
    assert s["clv_share"].sum() == pytest.approx(1.0)
    assert s["customers"].sum() == len(values)
    assert (s["mean_clv"].dropna().diff().dropna() <= 1e-9 * clv.max()).all()


# --------------------------------------------------------------------------- slicing
def test_segment_summary_hand_computed():
    customers = pd.DataFrame({
        "region": ["N", "N", "S", None],
        "revenue": [100.0, 50.0, 30.0, 20.0],
        "orders": [3, 1, 2, 1],
        "first_purchase": pd.to_datetime(["2022-01-01", "2023-09-01", "2022-05-01", "2022-02-01"]),
        "last_purchase": pd.to_datetime(["2023-06-01", "2023-09-01", "2022-06-01", "2022-02-01"]),
        "p_alive": [0.9, 0.5, 0.2, 0.1],
        "clv": [60.0, 20.0, 10.0, 10.0],
    }, index=_ids("abcd"))
    got = segment_summary(customers, "region", observation_end="2023-12-31")
    # window start 2023-12-31 - 365 days = 2022-12-31; customers who first bought on or before
    # it: a, c, d; of them bought again after it: a -> N 1/1, S 0/1, missing 0/1, all 1/3.
    # one-time buyers (no frequency column: one order): b, d -> N 1/2, S 0, missing 1, all 1/2
    expected = pd.DataFrame({
        "customers": np.array([2, 1, 1, 4], dtype="int64"),
        "customer_share": [0.5, 0.25, 0.25, 1.0],
        "revenue": [150.0, 30.0, 20.0, 200.0],
        "revenue_share": [0.75, 0.15, 0.10, 1.0],
        "revenue_per_customer": [75.0, 30.0, 20.0, 50.0],
        "repeat_rate": [0.5, 1.0, 0.0, 0.5],
        "bought_again_12m": [1.0, 0.0, 0.0, 1 / 3],
        "one_time_share": [0.5, 0.0, 1.0, 0.5],
        "chance_still_active": [0.7, 0.2, 0.1, 0.425],
        "clv": [80.0, 10.0, 10.0, 100.0],
        "clv_share": [0.8, 0.1, 0.1, 1.0],
        "mean_clv": [40.0, 10.0, 10.0, 25.0],
    }, index=pd.Index(["N", "S", "(missing)", "All customers"], name="region"))
    assert_frame_equal(got.loc[expected.index], expected)


def test_segment_revenue_at_risk_is_the_at_risk_list_of_the_segment():
    # a, b, c in N; d, e in S; f has no region. The early-warning lists: a and d at risk,
    # c and e lapsed, b and f not flagged (f's 900 would be "revenue at risk" if summed over
    # everyone, as the old table did).
    customers = pd.DataFrame({"region": ["N", "N", "N", "S", "S", None],
                              "frequency": [2, 0, 3, 0, 1, 4],
                              "p_alive": [0.4, 1.0, 0.1, 0.3, 0.05, 0.9]},
                             index=_ids("abcdef"))
    risk = pd.DataFrame({
        "list": ["at risk", "at risk", "lapsed", "lapsed", "", ""],
        "value_if_retained": [500.0, 200.0, 300.0, 700.0, 100.0, 900.0],
        "expected_value": [200.0, 60.0, 30.0, 35.0, 100.0, 810.0],
    }, index=_ids("adceb" "f"))
    got = segment_summary(customers, "region", at_risk_list=risk)
    # N: at risk a (500, expected 200), lapsed c (300); S: at risk d (200, 60), lapsed e (700)
    expected = pd.DataFrame({
        "at_risk_customers": np.array([1, 1, 0, 2], dtype="int64"),
        "revenue_at_risk": [500.0, 200.0, 0.0, 700.0],
        "at_risk_expected_value": [200.0, 60.0, 0.0, 260.0],
        "lapsed_customers": np.array([1, 1, 0, 2], dtype="int64"),
        "lapsed_value": [300.0, 700.0, 0.0, 1000.0],
    }, index=pd.Index(["N", "S", "(missing)", "All customers"], name="region"))
    assert_frame_equal(got.loc[expected.index, expected.columns], expected)
    # the All customers row is the headline of early_warning_summary
    headline = early_warning_summary(risk)
    assert got.loc["All customers", "revenue_at_risk"] == headline["revenue_at_risk"]
    # one-time buyers by frequency 0: b (N), d (S); chance still active of repeat buyers only:
    # N (0.4 + 0.1) / 2, S 0.05, missing 0.9, all (0.4 + 0.1 + 0.05 + 0.9) / 4
    rows = got.loc[expected.index]
    assert rows["one_time_share"].tolist() == pytest.approx([1 / 3, 0.5, 0.0, 2 / 6])
    assert rows["chance_still_active_repeat"].tolist() == pytest.approx(
        [0.25, 0.05, 0.9, 1.45 / 4])
    # the same columns read from the customer table itself when it carries the lists
    own = segment_summary(customers.join(risk), "region")
    assert_frame_equal(own[expected.columns], got[expected.columns])
    # without the lists there is no revenue-at-risk column at all
    assert "revenue_at_risk" not in segment_summary(customers, "region").columns
    with pytest.raises(DataError, match="output of retainlib.at_risk"):
        segment_summary(customers, "region", at_risk_list=risk[["list"]])


def test_segment_summary_by_series_keeps_category_order():
    customers = pd.DataFrame({"revenue": [10.0, 20.0, 30.0]}, index=_ids("abc"))
    tiers = pd.Series(pd.Categorical(["Rest", "Top", "Rest"], categories=["Top", "Rest"]),
                      index=_ids("abc"), name="clv_tier")
    got = segment_summary(customers, tiers, total=False)
    assert got.index.tolist() == ["Top", "Rest"]
    assert_series_equal(got["revenue"], pd.Series([20.0, 40.0], index=got.index, name="revenue"))


def test_default_rules_need_five_bins():
    rfm = pd.DataFrame({"frequency": [1, 2, 3], "recency": [1.0, 2, 3], "T": [5.0, 5, 5],
                        "monetary_value": [1.0, 2, 3]}, index=_ids("abc"))
    with pytest.raises(ConfigError, match="default segment table is for 5 score bins"):
        rl.rfm_segments(rl.rfm_scores(rfm, bins=3))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["N", "S", "E", None]), st.floats(-50, 500),
                          st.integers(0, 5)), min_size=1, max_size=30))
def test_segment_summary_adds_up(rows):
    customers = pd.DataFrame(rows, columns=["region", "revenue", "orders"],
                             index=_ids(f"c{i}" for i in range(len(rows))))
    got = segment_summary(customers, "region")
    parts = got.drop(index="All customers")
    assert parts["customers"].sum() == got.loc["All customers", "customers"] == len(rows)
    assert parts["customer_share"].sum() == pytest.approx(1.0)
    assert parts["revenue"].sum() == pytest.approx(customers["revenue"].sum(), abs=1e-6)
    assert got["repeat_rate"].between(0, 1).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["N", "S", "E", None]),
                          st.sampled_from(["at risk", "lapsed", ""]), st.floats(0, 1000),
                          st.floats(0, 1)), min_size=1, max_size=30))
def test_segments_add_up_to_the_headline_revenue_at_risk(rows):
    ids = _ids(f"c{i}" for i in range(len(rows)))
    customers = pd.DataFrame({"region": [r[0] for r in rows]}, index=ids)
    risk = pd.DataFrame({"list": [r[1] for r in rows], "value_if_retained": [r[2] for r in rows],
                         "expected_value": [r[2] * r[3] for r in rows]}, index=ids)
    got = segment_summary(customers, "region", at_risk_list=risk)
    parts, everyone = got.drop(index="All customers"), got.loc["All customers"]
    headline = early_warning_summary(risk)
    for key in ("at_risk_customers", "revenue_at_risk", "at_risk_expected_value",
                "lapsed_customers", "lapsed_value"):
        assert everyone[key] == pytest.approx(headline[key])
        assert parts[key].sum() == pytest.approx(headline[key])
