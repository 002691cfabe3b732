import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retainlib as rl
from retainlib.datasets._simulate import simulate_bgnbd, simulate_mean_spend


def test_time_unit_changes_alpha_and_loglik_only_by_the_jacobian(cdnow_tx):
    weeks = rl.rfm_summary(cdnow_tx, observation_end="1997-09-30", time_unit="W")
    days = rl.rfm_summary(cdnow_tx, observation_end="1997-09-30", time_unit="D")
    mw, md = rl.BetaGeoModel().fit(weeks), rl.BetaGeoModel().fit(days)
    # alpha is a time scale: alpha_days = 7 alpha_weeks; r, a, b are unit-free
    np.testing.assert_allclose(md.params_, mw.params_ * [1, 7, 1, 1], rtol=1e-5)
    # densities of t_x: LL_days = LL_weeks - sum(x) log 7
    jac = weeks["frequency"].sum() * np.log(7)
    assert md.log_likelihood_ == pytest.approx(mw.log_likelihood_ - jac, abs=1e-4)
    # predictions do not depend on the unit when the horizon is converted
    np.testing.assert_allclose(md.expected_purchases(days, 273), mw.expected_purchases(weeks, 39))


def test_duplicating_every_customer_keeps_params_and_doubles_loglik(cdnow_rfm):
    once = rl.BetaGeoModel().fit(cdnow_rfm)
    twice = rl.BetaGeoModel().fit(pd.concat([cdnow_rfm, cdnow_rfm]))
    np.testing.assert_allclose(twice.params_, once.params_, rtol=1e-5)
    assert twice.log_likelihood_ == pytest.approx(2 * once.log_likelihood_, rel=1e-9)
    assert twice.n_distinct_rows_ == once.n_distinct_rows_
    assert twice.n_customers_ == 2 * once.n_customers_


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 10), st.integers(0, 10)),
        min_size=2,
        max_size=30,
    ),
    st.lists(st.floats(-2, 2), min_size=4, max_size=4),
)
def test_bgnbd_compressed_weighted_loglik_equals_sum_over_single_customers(rows, lp):
    # (x, t_x, T) on a coarse grid so that identical rows occur often
    x = np.array([r[0] for r in rows], dtype=float)
    T = np.array([r[1] + r[2] for r in rows], dtype=float) / 2
    tx = np.where(x > 0, np.array([r[1] for r in rows], dtype=float) / 2, 0.0)
    lp = np.array(lp)
    f = rl.BetaGeoModel._loglik
    singles = sum(
        f(lp, (x[i : i + 1], tx[i : i + 1], T[i : i + 1]), False)[0][0] for i in range(len(x))
    )
    uniq, counts = np.unique(np.column_stack([x, tx, T]), axis=0, return_counts=True)
    weighted = counts @ f(lp, tuple(uniq.T), False)[0]
    assert weighted == pytest.approx(singles, rel=1e-10, abs=1e-10)
    vectorised = f(lp, (x, tx, T), False)[0].sum()
    assert vectorised == pytest.approx(singles, rel=1e-10, abs=1e-10)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 8), st.sampled_from([0.5, 3.0, 12.5, 40.0])), min_size=2,
             max_size=30),
    st.lists(st.floats(-2, 2), min_size=3, max_size=3),
)
def test_gammagamma_compressed_weighted_loglik_equals_sum_over_single_customers(rows, lp):
    x = np.array([r[0] for r in rows], dtype=float)
    m = np.array([r[1] for r in rows])
    lp = np.array(lp)
    f = rl.GammaGammaModel._loglik
    singles = sum(f(lp, (x[i : i + 1], m[i : i + 1]), False)[0][0] for i in range(len(x)))
    uniq, counts = np.unique(np.column_stack([x, m]), axis=0, return_counts=True)
    assert counts @ f(lp, tuple(uniq.T), False)[0] == pytest.approx(singles, rel=1e-10)


def test_fitted_loglik_is_the_sum_of_per_customer_loglik(cdnow_rfm):
    m = rl.BetaGeoModel().fit(cdnow_rfm)
    lp = np.log(m.params_.to_numpy())
    data = tuple(cdnow_rfm[["frequency", "recency", "T"]].to_numpy(dtype=float).T)
    assert m.log_likelihood_ == pytest.approx(rl.BetaGeoModel._loglik(lp, data, False)[0].sum())


def test_hessian_standard_errors_cover_truth_in_repeated_simulations():
    # 95% intervals from summary() should cover the true r in most of 10 small simulations
    covered = 0
    for seed in range(10):
        T = np.random.default_rng(100 + seed).uniform(20, 40, 3000)
        rng = np.random.default_rng(seed)
        data = simulate_bgnbd(rng, T.size, r=0.5, alpha=5.0, a=0.7, b=3.0, T=T).summary()
        s = rl.BetaGeoModel().fit(data).summary()
        covered += s.loc["r", "lower 95%"] <= 0.5 <= s.loc["r", "upper 95%"]
    assert covered >= 8  # P(covered >= 8 | p = 0.95, n = 10) ~ 0.99


def test_gammagamma_accepts_calibration_holdout_frame(cdnow_tx):
    cal = rl.calibration_holdout(
        cdnow_tx, calibration_end="1997-09-30", observation_end="1998-06-30"
    )
    m = rl.GammaGammaModel().fit(cal)
    assert m.params_["p"] == pytest.approx(6.2488, rel=1e-3)
    assert m.expected_spend(cal).index.equals(cal.index)


def test_simulators_match_model_means():
    # E[x] for a customer alive ~ BG/NBD eq. 9; E[m] = p v / (q - 1) for the Gamma-Gamma
    T = np.full(200_000, 30.0)
    d = simulate_bgnbd(np.random.default_rng(1), T.size, r=0.5, alpha=5.0, a=0.7, b=3.0, T=T)
    d = d.summary()
    m = rl.BetaGeoModel()
    m.params_ = pd.Series([0.5, 5.0, 0.7, 3.0], index=["r", "alpha", "a", "b"])
    expected = m.expected_purchases_new_customer(30.0)
    se = d["frequency"].std() / np.sqrt(len(d))
    assert abs(d["frequency"].mean() - expected) < 4 * se
    spend = simulate_mean_spend(np.random.default_rng(2), np.full(200_000, 3), p=6.0, q=4.0, v=15.0)
    se = spend.std() / np.sqrt(len(spend))
    assert abs(spend.mean() - 6.0 * 15.0 / 3.0) < 4 * se


@pytest.mark.parametrize("model", [rl.BetaGeoModel, rl.GammaGammaModel])
def test_fast_weighted_total_equals_per_row_loglik_and_gradient(model):
    # _total (used by the optimizer) re-arranges the sums; it must equal weights @ per-row values
    rng = np.random.default_rng(3)
    n = 300
    x = rng.integers(0 if model is rl.BetaGeoModel else 1, 8, n).astype(float)
    if model is rl.BetaGeoModel:
        T = rng.uniform(0.05, 1.0, n)
        rows = np.column_stack([x, np.where(x > 0, T * rng.uniform(0, 1, n), 0.0), T])
    else:
        rows = np.column_stack([x, rng.gamma(2.0, 1.0, n)])
    w = rng.integers(1, 5, n).astype(float)
    m = model()
    for _ in range(3):
        lp = rng.normal(0, 1, len(m._param_names))
        ll, g = m._loglik(lp, tuple(rows.T))
        total, grad = m._total(lp, m._fit_data(rows, w))
        assert total == pytest.approx(w @ ll, rel=1e-11)
        np.testing.assert_allclose(grad, w @ g, rtol=1e-9, atol=1e-9)


def test_compress_rows_matches_numpy_unique():
    from retainlib.models._base import compress_rows

    rng = np.random.default_rng(0)
    data = rng.integers(0, 4, (1000, 3)).astype(float) / 7
    rows, counts = compress_rows(data)
    ref_rows, ref_counts = np.unique(data, axis=0, return_counts=True)
    order = np.lexsort(rows.T[::-1])
    np.testing.assert_array_equal(rows[order], ref_rows)
    np.testing.assert_array_equal(counts[order], ref_counts)


def test_hyp2f1_series_fallback_matches_scipy_and_fills_its_nans():
    from scipy.special import hyp2f1 as scipy_hyp2f1

    from retainlib.models._numerics import _series, hyp2f1

    a = np.array([0.5, 0.45, -0.3, 2.0])
    b = np.array([2.0, -0.2, 1.5, 0.7])
    c = np.array([402.5, 50.5, 30.0, 5.0])
    z = np.array([0.9, 0.99, 0.7, 0.5])
    np.testing.assert_allclose(_series(a, b, c, z), scipy_hyp2f1(a, b, c, z), rtol=1e-12)
    # SciPy 1.17 returns NaN here although the series converges after a few terms
    got = hyp2f1(0.5, 2.0, 402.5, 0.99)
    # hand check: 1 + (0.5*2/402.5) 0.99 + (0.5*1.5*2*3)/(402.5*403.5*2) 0.99^2 + ... ~ 1.0024733
    first_terms = 1 + 0.5 * 2 / 402.5 * 0.99 + 0.5 * 1.5 * 2 * 3 / (402.5 * 403.5 * 2) * 0.99**2
    assert np.isfinite(got) and got == pytest.approx(first_terms, rel=1e-6)
