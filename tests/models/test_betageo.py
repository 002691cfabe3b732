import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import gamma as G

import retainlib as rl
from retainlib.datasets._simulate import simulate_bgnbd
from retainlib.errors import ConvergenceError, DataError, NotFittedError

PAPER = {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259}  # FHL (2005) CDNOW, 4 decimals


@pytest.fixture(scope="module")
def cdnow_model(cdnow_rfm):
    return rl.BetaGeoModel().fit(cdnow_rfm)


def _lifetimes_fitter(params):
    from lifetimes import BetaGeoFitter

    f = BetaGeoFitter()
    f.params_ = pd.Series(params.to_numpy(), index=["r", "alpha", "a", "b"])
    return f


def test_bgnbd_matches_fader_hardie_lee_2005_cdnow(cdnow_model):
    # Published: FHL (2005) Table/text: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426,
    # LL = -9582.4; 4-decimal values from Hardie's spreadsheet.
    for name, value in PAPER.items():
        assert cdnow_model.params_[name] == pytest.approx(value, rel=1e-3), name
    assert cdnow_model.log_likelihood_ == pytest.approx(-9582.4, abs=0.1)
    assert cdnow_model.converged_
    assert cdnow_model.n_customers_ == 2357
    assert cdnow_model.n_distinct_rows_ < 2357  # identical rows were compressed


def test_bgnbd_calibration_holdout_frame_is_accepted(cdnow_tx, cdnow_model):
    cal = rl.calibration_holdout(
        cdnow_tx, calibration_end="1997-09-30", observation_end="1998-06-30"
    )
    m = rl.BetaGeoModel().fit(cal)
    np.testing.assert_allclose(m.params_, cdnow_model.params_, rtol=1e-6)
    assert m.expected_purchases(cal, 39).index.equals(cal.index)


def test_bgnbd_hardie_spreadsheet_conditional_expectation(cdnow_model):
    # Hardie's BG/NBD spreadsheet: x = 2, t_x = 30.43, T = 38.86 -> E[Y(39) | ...] = 1.226
    one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
    assert cdnow_model.expected_purchases(one, 39).iloc[0] == pytest.approx(1.226, abs=1e-3)


def test_bgnbd_matches_lifetimes_fit_and_loglik_on_cdnow(cdnow_rfm, cdnow_model):
    from lifetimes import BetaGeoFitter

    ref = BetaGeoFitter().fit(cdnow_rfm["frequency"], cdnow_rfm["recency"], cdnow_rfm["T"])
    np.testing.assert_allclose(cdnow_model.params_, ref.params_, rtol=1e-4)
    # lifetimes' per-customer mean LL in rescaled time -> total LL in weeks:
    # LL_weeks = -n * mean_nll - sum(x) * log(max T)   (the Jacobian of the time rescaling)
    n, sx = len(cdnow_rfm), cdnow_rfm["frequency"].sum()
    ll_ref = -n * ref._negative_log_likelihood_ - sx * np.log(cdnow_rfm["T"].max())
    assert cdnow_model.log_likelihood_ == pytest.approx(ll_ref, abs=1e-3)


def test_bgnbd_predictions_match_lifetimes_same_params(cdnow_rfm, cdnow_model):
    ref = _lifetimes_fitter(cdnow_model.params_)
    x, tx, T = cdnow_rfm["frequency"], cdnow_rfm["recency"], cdnow_rfm["T"]
    np.testing.assert_allclose(
        cdnow_model.expected_purchases(cdnow_rfm, 39),
        ref.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T),
        rtol=1e-9,
    )
    np.testing.assert_allclose(
        cdnow_model.probability_alive(cdnow_rfm),
        ref.conditional_probability_alive(x, tx, T),
        rtol=1e-9,
    )
    t = np.array([1.0, 10.0, 39.0, 78.0])
    np.testing.assert_allclose(
        cdnow_model.expected_purchases_new_customer(t),
        ref.expected_number_of_purchases_up_to_time(t),
    )
    for n in range(5):
        np.testing.assert_allclose(
            cdnow_model.probability_of_purchases(39.0, n),
            ref.probability_of_n_purchases_up_to_time(39.0, n),
            rtol=1e-9,
        )


def test_bgnbd_loglik_single_customer_by_hand():
    ll = rl.BetaGeoModel._loglik
    # x = 0: L = (alpha / (alpha + T))^r (the beta terms cancel); r=2, alpha=3, T=5 -> (3/8)^2
    got, _ = ll(np.log([2.0, 3.0, 1.5, 2.5]), (np.array([0.0]), np.array([0.0]), np.array([5.0])))
    assert np.exp(got[0]) == pytest.approx((3 / 8) ** 2, rel=1e-12)
    # x = 1, t_x = 2, T = 5, r = alpha = a = b = 1:
    # B(1,2)/B(1,1) * G(2)/(G(1) 6^2) + B(2,1)/B(1,1) * G(2)/(G(1) 3^2) = 1/72 + 1/18 = 5/72
    got, _ = ll(np.zeros(4), (np.array([1.0]), np.array([2.0]), np.array([5.0])))
    assert np.exp(got[0]) == pytest.approx(5 / 72, rel=1e-12)
    assert G(2) == 1.0


def test_bgnbd_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    data = (
        np.array([0.0, 1, 3, 7, 0]),
        np.array([0.0, 0.2, 0.5, 0.9, 0.0]),
        np.array([1.0, 0.4, 0.6, 1, 0.3]),
    )
    for _ in range(5):
        lp = rng.normal(0, 1, 4)
        _, g = rl.BetaGeoModel._loglik(lp, data)
        eps = 1e-6
        for j in range(4):
            step = np.zeros(4)
            step[j] = eps
            fd = (rl.BetaGeoModel._loglik(lp + step, data, False)[0]
                  - rl.BetaGeoModel._loglik(lp - step, data, False)[0]) / (2 * eps)
            np.testing.assert_allclose(g[:, j], fd, rtol=1e-6, atol=1e-8)


def test_bgnbd_time_rescaling_jacobian():
    # LL in rescaled time (t / s, alpha / s) differs from the original by -x log s per customer
    x, tx, T = np.array([0.0, 2, 5]), np.array([0.0, 30.4, 12.0]), np.array([38.9, 38.9, 20.0])
    s = 38.9
    lp = np.log([0.24, 4.4, 0.79, 2.4])
    orig, _ = rl.BetaGeoModel._loglik(lp, (x, tx, T), False)
    scaled, _ = rl.BetaGeoModel._loglik(lp - [0, np.log(s), 0, 0], (x, tx / s, T / s), False)
    np.testing.assert_allclose(orig, scaled - x * np.log(s), rtol=1e-12)


def test_bgnbd_recovers_simulated_parameters_and_agrees_with_lifetimes():
    # own exact simulator (lifetimes.generate_data is biased); 20,000 customers, T 20-40 weeks
    from lifetimes import BetaGeoFitter

    true = np.array([0.25, 4.0, 0.8, 2.5])
    T = np.random.default_rng(1).uniform(20, 40, 20_000)
    r, alpha, a, b = true
    data = simulate_bgnbd(np.random.default_rng(2), T.size, r=r, alpha=alpha, a=a, b=b, T=T)
    data = data.summary()
    m = rl.BetaGeoModel().fit(data)
    s = m.summary()
    z = (s["coef"] - true) / s["se"]
    assert (z.abs() < 4).all(), z  # within sampling error
    ref = BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"])
    np.testing.assert_allclose(m.params_, ref.params_, rtol=1e-3)


def test_bgnbd_penalizer_matches_lifetimes(cdnow_rfm):
    from lifetimes import BetaGeoFitter

    m = rl.BetaGeoModel(penalizer=0.01).fit(cdnow_rfm)
    ref = BetaGeoFitter(penalizer_coef=0.01).fit(
        cdnow_rfm["frequency"], cdnow_rfm["recency"], cdnow_rfm["T"]
    )
    np.testing.assert_allclose(m.params_, ref.params_, rtol=1e-3)
    assert m.log_likelihood_ < rl.BetaGeoModel().fit(cdnow_rfm).log_likelihood_


def test_bgnbd_summary_columns_and_intervals(cdnow_rfm, cdnow_model):
    s = cdnow_model.summary()
    assert list(s.columns) == ["coef", "se", "lower 95%", "upper 95%"]
    assert list(s.index) == ["r", "alpha", "a", "b"]
    assert (s["lower 95%"] < s["coef"]).all() and (s["coef"] < s["upper 95%"]).all()
    assert (s["se"] > 0).all()
    # oracle: lifetimes' standard errors (autograd Hessian of the same objective, delta method)
    from lifetimes import BetaGeoFitter

    ref = BetaGeoFitter().fit(cdnow_rfm["frequency"], cdnow_rfm["recency"], cdnow_rfm["T"])
    np.testing.assert_allclose(s["se"], ref.summary["se(coef)"], rtol=1e-3)


def test_bgnbd_predictions_finite_for_extreme_inputs(cdnow_model):
    rfm = pd.DataFrame(
        {
            "frequency": [0, 0, 5, 200, 1, 50],
            "recency": [0.0, 0.0, 10.0, 1e6, 1e6, 1e-9],
            "T": [0.0, 1e6, 10.0, 1e6, 1e6, 1e6],
        }
    )
    e = cdnow_model.expected_purchases(rfm, 52)
    p = cdnow_model.probability_alive(rfm)
    assert np.isfinite(e).all() and (e >= 0).all()
    assert ((p >= 0) & (p <= 1)).all()
    assert p.iloc[0] == 1.0 and p.iloc[1] == 1.0  # frequency 0 -> alive in the BG/NBD
    assert p.iloc[5] < 1e-6  # 50 purchases, then silent for ~1e6 weeks: surely gone
    assert cdnow_model.expected_purchases(rfm, 0).eq(0).all()


def test_bgnbd_probability_of_purchases_sums_to_one_and_broadcasts(cdnow_model):
    n = np.arange(400)
    total = cdnow_model.probability_of_purchases(39.0, n).sum()
    assert total == pytest.approx(1.0, abs=1e-6)
    grid = cdnow_model.probability_of_purchases(np.array([[1.0], [39.0]]), np.array([0, 1, 2]))
    assert grid.shape == (2, 3)
    assert cdnow_model.probability_of_purchases(0.0, 0) == pytest.approx(1.0)
    mean = (n * cdnow_model.probability_of_purchases(39.0, n)).sum()
    assert mean == pytest.approx(cdnow_model.expected_purchases_new_customer(39.0), rel=1e-6)


def test_bgnbd_not_fitted_pickle_and_no_data_kept(cdnow_rfm, cdnow_model):
    m = rl.BetaGeoModel()
    for call in (
        lambda: m.expected_purchases(cdnow_rfm, 1),
        lambda: m.probability_alive(cdnow_rfm),
        lambda: m.expected_purchases_new_customer(1),
        lambda: m.probability_of_purchases(1, 1),
        m.summary,
    ):
        with pytest.raises(NotFittedError, match="call .fit"):
            call()
    clone = pickle.loads(pickle.dumps(cdnow_model))
    pd.testing.assert_series_equal(clone.params_, cdnow_model.params_)
    assert len(pickle.dumps(cdnow_model)) < 5000  # parameters only, no copy of the data
    assert not any(isinstance(v, pd.DataFrame) and len(v) > 10 for v in vars(cdnow_model).values())


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"frequency": [1, 0], "T": [2.0, 3.0]}), "column 'recency' not found"),
        (pd.DataFrame({"frequency": [1, 0], "recency": [np.nan, 0], "T": [2.0, 3.0]}), "missing"),
        (pd.DataFrame({"frequency": [1, -1], "recency": [1.0, 0], "T": [2.0, 3.0]}), "negative"),
        (pd.DataFrame({"frequency": [1, 0], "recency": [5.0, 0], "T": [2.0, 3.0]}), "exceeds T"),
        (pd.DataFrame({"frequency": [1.5, 0], "recency": [1.0, 0], "T": [2.0, 3.0]}), "whole"),
        (pd.DataFrame({"frequency": [1], "recency": [1.0], "T": [2.0]}), "got 1"),
        (pd.DataFrame({"frequency": [0, 0], "recency": [0.0, 0], "T": [2.0, 3.0]}), "repeat"),
    ],
)
def test_bgnbd_bad_input_errors(frame, match):
    with pytest.raises(DataError, match=match):
        rl.BetaGeoModel().fit(frame)


def test_bgnbd_convergence_error_is_a_checklist_with_result():
    # six customers who all bought right up to the end: no evidence of dropout, so a -> 0
    rfm = pd.DataFrame(
        {"frequency": [3, 5, 2, 4, 0, 1], "recency": [10.0, 10, 10, 10, 0, 10], "T": [10.0] * 6}
    )
    with pytest.raises(ConvergenceError) as info:
        rl.BetaGeoModel().fit(rfm)
    msg = str(info.value)
    for hint in ("penalizer", "outliers", "longer calibration", "time unit"):
        assert hint in msg
    assert info.value.result is not None and hasattr(info.value.result, "x")
    with pytest.raises(DataError, match="penalizer"):
        rl.BetaGeoModel(penalizer=-1).fit(rfm)


@settings(max_examples=200, deadline=None)
@given(
    x=st.integers(0, 500),
    T=st.floats(0.0, 1e6),
    u=st.floats(0.0, 1.0),
    t=st.floats(0.0, 1e6),
    params=st.sampled_from([list(PAPER.values()), [2.0, 4.0, 3.0, 0.5], [0.5, 0.1, 0.2, 20.0]]),
)
def test_bgnbd_predictions_finite_property(x, T, u, t, params):
    # the published fit and two other shapes (the second makes SciPy's hyp2f1 return NaN)
    model = rl.BetaGeoModel()
    model.params_ = pd.Series(params, index=list(PAPER))
    rfm = pd.DataFrame({"frequency": [x], "recency": [u * T if x > 0 else 0.0], "T": [T]})
    e = model.expected_purchases(rfm, t).iloc[0]
    p = model.probability_alive(rfm).iloc[0]
    assert np.isfinite(e) and e >= 0
    assert 0.0 <= p <= 1.0
