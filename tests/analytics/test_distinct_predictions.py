"""Predictions once per distinct summary row (retainlib._arrays.predict_on_distinct_rows, #15).

The early-warning lists, CLV and the holdout check ask the purchase model once per distinct
(frequency, recency, T) row and copy the values back to every customer.
These tests check the helper on hand-made frames, then that at_risk, customer_lifetime_value
and evaluate_holdout give the per-customer numbers (computed here row by row from the models)
on hypothesis-generated summaries full of repeated rows.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

import retainlib as rl
from retainlib._arrays import predict_on_distinct_rows
from retainlib.analytics.clv import month_length
from retainlib.analytics.holdout import evaluate_holdout


class Counting:
    """Wrapper of a fitted model that records how many rows each prediction call gets."""

    def __init__(self, model):
        self.model, self.rows = model, []
        self.input_columns = model.input_columns

    def probability_alive(self, rfm):
        self.rows.append(len(rfm))
        return self.model.probability_alive(rfm)

    def expected_purchases(self, rfm, t):
        self.rows.append(len(rfm))
        return self.model.expected_purchases(rfm, t)

    def expected_spend(self, rfm):
        self.rows.append(len(rfm))
        return self.model.expected_spend(rfm)


@pytest.fixture(scope="module")
def models():
    """BG/NBD and Gamma-Gamma fitted on Hardie's CDNOW calibration summary (weeks)."""
    from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

    cdnow = load_cdnow_summary_data_with_monetary_value()
    bg = rl.BetaGeoModel().fit(cdnow)
    with warnings.catch_warnings():  # the frequency/spend correlation warning is not under test
        warnings.simplefilter("ignore")
        gg = rl.GammaGammaModel().fit(cdnow[cdnow["frequency"] > 0])
    return bg, gg


# A summary row: frequency 0-4, T and recency on a coarse grid of weeks (so rows repeat), a
# mean spend from a few values; one-time buyers have recency 0 and spend 0, as in rfm_summary.
_row = st.tuples(st.integers(0, 4), st.sampled_from([0.0, 3.0, 10.0, 25.0]),
                 st.sampled_from([30.0, 40.0]), st.sampled_from([5.0, 20.0, 80.0]))


def _summary(rows):
    x = np.array([r[0] for r in rows])
    rfm = pd.DataFrame({
        "frequency": x,
        "recency": np.where(x > 0, [r[1] for r in rows], 0.0),
        "T": [r[2] for r in rows],
        "monetary_value": np.where(x > 0, [r[3] for r in rows], 0.0),
    }, index=pd.Index([f"c{i}" for i in range(len(rows))], name="customer_id"))
    rfm.attrs["time_unit"] = "W"
    return rfm


def test_predictions_are_computed_once_per_distinct_row_and_copied_back():
    # rows a and c are equal in (frequency, T); b differs: the function sees 2 rows, a and b
    # (first of each), and c gets a's value 2 * 10 = 20; the index is rfm's
    rfm = pd.DataFrame({"frequency": [0, 2, 0], "T": [10.0, 8.0, 10.0], "other": [1, 2, 3]},
                       index=pd.Index(["a", "b", "c"], name="customer_id"))
    seen = []

    def twice_t(rows):
        seen.append(rows.index.tolist())
        return (2 * rows["T"]).rename("twice_t")

    got = predict_on_distinct_rows(twice_t, rfm, ["frequency", "T"])
    assert seen == [["a", "b"]]
    assert_series_equal(got, pd.Series([20.0, 16.0, 20.0], index=rfm.index, name="twice_t"))


def test_several_predictions_come_back_as_one_frame_indexed_like_the_summary():
    # an array-returning function gives an unnamed Series; a DataFrame keeps its columns
    rfm = pd.DataFrame({"x": [1, 1, 2, 1]}, index=list("pqrs"))
    frame = predict_on_distinct_rows(
        lambda rows: pd.DataFrame({"x2": rows["x"] * 2, "x3": rows["x"] * 3}), rfm, ["x"])
    expected = pd.DataFrame({"x2": [2, 2, 4, 2], "x3": [3, 3, 6, 3]}, index=list("pqrs"))
    assert_frame_equal(frame, expected)
    plain = predict_on_distinct_rows(lambda rows: rows["x"].to_numpy() + 0.5, rfm, ["x"])
    assert_series_equal(plain, pd.Series([1.5, 1.5, 2.5, 1.5], index=list("pqrs")))


def test_calibration_names_missing_values_and_no_columns():
    # 'frequency' is found as 'frequency_cal'; NaN equals NaN (rows 0 and 2 are one row);
    # with no columns the function gets every row (3 calls' worth of rows in one call)
    rfm = pd.DataFrame({"frequency_cal": [np.nan, 1.0, np.nan]}, index=list("abc"))
    sizes = []

    def size(rows):
        sizes.append(len(rows))
        return np.arange(len(rows), dtype=float)

    assert predict_on_distinct_rows(size, rfm, ["frequency"]).tolist() == [0.0, 1.0, 0.0]
    assert predict_on_distinct_rows(size, rfm, ()).tolist() == [0.0, 1.0, 2.0]
    assert sizes == [2, 3]
    empty = predict_on_distinct_rows(size, rfm.iloc[:0], ["frequency"])
    assert len(empty) == 0 and empty.index.equals(rfm.index[:0])


def test_summary_attrs_reach_the_model_on_the_distinct_rows():
    rfm = pd.DataFrame({"x": [1, 1]}, index=["a", "b"])
    rfm.attrs["time_unit"] = "D"
    got = predict_on_distinct_rows(lambda rows: [rows.attrs["time_unit"]] * len(rows), rfm, ["x"])
    assert got.tolist() == ["D", "D"]


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=60))
def test_at_risk_on_distinct_rows_equals_per_customer_predictions(models, rows):
    bg, gg = models
    rfm = _summary(rows)
    risk = rl.at_risk(rfm, bg, gg, only_flagged=False).reindex(rfm.index)
    # per customer, straight from the models (52 weeks = the default horizon)
    p_alive = bg.probability_alive(rfm).to_numpy()
    expected = bg.expected_purchases(rfm, 52.0).to_numpy()
    spend = gg.expected_spend(rfm).to_numpy()
    if_active = np.where(p_alive > 0, expected / p_alive, 0.0)
    for col, want in (("p_alive", p_alive), ("expected_purchases", expected),
                      ("expected_spend", spend), ("value_if_retained", if_active * spend)):
        np.testing.assert_allclose(risk[col].to_numpy(), want, rtol=1e-12, atol=1e-12,
                                   err_msg=col)


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=60), horizon=st.integers(1, 24),
       annual=st.floats(0.0, 0.3))
def test_clv_on_distinct_rows_equals_the_per_customer_sum(models, rows, horizon, annual):
    bg, gg = models
    rfm = _summary(rows)
    clv = rl.customer_lifetime_value(rfm, bg, gg, horizon_months=horizon,
                                     annual_discount_rate=annual, margin=0.4)
    # per customer: margin * spend * sum_m (E[X(t_m)] - E[X(t_m-1)]) / (1 + d)^m
    d = (1 + annual) ** (1 / 12) - 1
    cum = [np.zeros(len(rfm))] + [bg.expected_purchases(rfm, m * month_length("W")).to_numpy()
                                  for m in range(1, horizon + 1)]
    discounted = sum((cum[m] - cum[m - 1]) / (1 + d) ** m for m in range(1, horizon + 1))
    want = 0.4 * gg.expected_spend(rfm).to_numpy() * discounted
    np.testing.assert_allclose(clv.to_numpy(), want, rtol=1e-12, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=60), holdout=st.sampled_from([10.0, 26.0]))
def test_holdout_predictions_on_distinct_rows_equal_per_customer(models, rows, holdout):
    bg, _ = models
    rfm = _summary(rows)
    cal = pd.DataFrame({"frequency_cal": rfm["frequency"], "recency_cal": rfm["recency"],
                        "T_cal": rfm["T"], "frequency_holdout": rfm["frequency"] % 3,
                        "duration_holdout": holdout}, index=rfm.index)
    got = evaluate_holdout(bg, cal).per_customer["predicted"].to_numpy()
    want = bg.expected_purchases(cal, np.full(len(cal), holdout)).to_numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_models_are_asked_once_per_distinct_row(models):
    # 6 customers, 3 distinct (frequency, recency, T) rows: (0,0,30) x3, (2,10,40) x2, (1,3,30);
    # expected spend (one line of arithmetic, cheaper than finding distinct rows) per customer
    bg, gg = models
    rfm = _summary([(0, 0, 30.0, 5), (2, 10.0, 40.0, 20.0), (0, 0, 30.0, 80.0),
                    (2, 10.0, 40.0, 20.0), (1, 3.0, 30.0, 20.0), (0, 25.0, 30.0, 5.0)])
    purchases, spend = Counting(bg), Counting(gg)
    rl.at_risk(rfm, purchases, spend, only_flagged=False)
    assert purchases.rows == [3, 3] and spend.rows == [6]
    purchases.rows, spend.rows = [], []
    rl.customer_lifetime_value(rfm, purchases, spend, horizon_months=2, annual_discount_rate=0.1)
    assert purchases.rows == [3, 3] and spend.rows == [6]  # one call per month
