import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import retainlib as rl
from retainlib.datasets._simulate import simulate_mean_spend
from retainlib.errors import DataError, NotFittedError, RetainlibWarning

PAPER = {"p": 6.2488, "q": 3.7446, "v": 15.4477}  # FHL (2005) "RFM and CLV", Hardie's 4 decimals


@pytest.fixture(scope="module")
def cdnow_gg(cdnow_rfm):
    return rl.GammaGammaModel().fit(cdnow_rfm)


def test_gammagamma_matches_fader_hardie_lee_2005_cdnow(cdnow_gg):
    # Published: p = 6.25, q = 3.74, v = 15.44, LL = -4055.9 on the 946 repeat customers
    for name, value in PAPER.items():
        assert cdnow_gg.params_[name] == pytest.approx(value, rel=1e-3), name
    assert cdnow_gg.log_likelihood_ == pytest.approx(-4055.9, abs=0.1)
    assert cdnow_gg.n_customers_ == 946
    assert cdnow_gg.n_excluded_ == 0
    assert abs(cdnow_gg.frequency_monetary_corr_) < 0.3  # FHL report a weak correlation (0.11)


def test_gammagamma_first_ten_cdnow_expected_spend(cdnow_rfm, cdnow_gg):
    # values from the issue / lifetimes quickstart (Hardie's spreadsheet) for customers 1-10
    expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
    got = cdnow_gg.expected_spend(cdnow_rfm).iloc[:10]
    np.testing.assert_allclose(got, expected, atol=0.006)
    # customers with frequency 0 get the population mean p v / (q - 1)
    p, q, v = cdnow_gg.params_
    assert got.iloc[2] == pytest.approx(p * v / (q - 1))


def test_gammagamma_matches_lifetimes_fit_and_predictions(cdnow_rfm, cdnow_gg):
    from lifetimes import GammaGammaFitter

    rep = cdnow_rfm[cdnow_rfm["frequency"] > 0]
    ref = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
    np.testing.assert_allclose(cdnow_gg.params_, ref.params_, rtol=1e-4)
    np.testing.assert_allclose(cdnow_gg.summary()["se"], ref.summary["se(coef)"], rtol=1e-3)
    assert cdnow_gg.log_likelihood_ == pytest.approx(-len(rep) * ref._negative_log_likelihood_)
    ref.params_ = cdnow_gg.params_.set_axis(["p", "q", "v"])
    np.testing.assert_allclose(
        cdnow_gg.expected_spend(rep),
        ref.conditional_expected_average_profit(rep["frequency"], rep["monetary_value"]),
        rtol=1e-10,
    )


def test_gammagamma_loglik_by_hand():
    # x = 1, m = 2, p = q = v = 1:
    # G(2)/(G(1)G(1)) * 1^1 * 2^0 * 1^1 / (1 + 2)^2 = 1/9
    ll, _ = rl.GammaGammaModel._loglik(np.zeros(3), (np.array([1.0]), np.array([2.0])))
    assert np.exp(ll[0]) == pytest.approx(1 / 9, rel=1e-12)
    # x = 2, m = 1, p = 1, q = 2, v = 3: G(4)/(G(2)G(2)) * 3^2 * 1^1 * 2^2 / (3 + 2)^4
    # = 6 * 9 * 4 / 625 = 216 / 625
    ll, _ = rl.GammaGammaModel._loglik(
        np.log([1.0, 2.0, 3.0]), (np.array([2.0]), np.array([1.0]))
    )
    assert np.exp(ll[0]) == pytest.approx(216 / 625, rel=1e-12)


def test_gammagamma_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    data = (np.array([1.0, 2, 5, 1, 9]), np.array([0.5, 1.3, 2.0, 10.0, 0.9]))
    for _ in range(5):
        lp = rng.normal(0, 1, 3)
        _, g = rl.GammaGammaModel._loglik(lp, data)
        eps = 1e-6
        for j in range(3):
            step = np.zeros(3)
            step[j] = eps
            fd = (
                rl.GammaGammaModel._loglik(lp + step, data, False)[0]
                - rl.GammaGammaModel._loglik(lp - step, data, False)[0]
            ) / (2 * eps)
            np.testing.assert_allclose(g[:, j], fd, rtol=1e-6, atol=1e-8)


def test_gammagamma_money_rescaling_jacobian():
    # m -> m / s, v -> v / s multiplies the density of m by s per customer: LL_orig = LL' - log s
    x, m, s = np.array([1.0, 3, 6]), np.array([20.0, 35, 12]), 25.0
    lp = np.log([6.2, 3.7, 15.4])
    orig, _ = rl.GammaGammaModel._loglik(lp, (x, m), False)
    scaled, _ = rl.GammaGammaModel._loglik(lp - [0, 0, np.log(s)], (x, m / s), False)
    np.testing.assert_allclose(orig, scaled - np.log(s), rtol=1e-12)


def test_gammagamma_recovers_simulated_parameters():
    rng = np.random.default_rng(5)
    x = rng.integers(1, 12, 20_000)
    m = simulate_mean_spend(np.random.default_rng(6), x, p=6.0, q=4.0, v=15.0)
    rfm = pd.DataFrame({"frequency": x, "monetary_value": m})
    s = rl.GammaGammaModel().fit(rfm).summary()
    z = (s["coef"] - [6.0, 4.0, 15.0]) / s["se"]
    assert (z.abs() < 4).all(), z


def test_gammagamma_warns_on_correlation_and_threshold_is_configurable():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 10, 500)
    # spend grows with frequency: r ~ 0.5
    m = simulate_mean_spend(np.random.default_rng(1), x, p=6.0, q=4.0, v=15.0) * x
    rfm = pd.DataFrame({"frequency": x, "monetary_value": m})
    with pytest.warns(RetainlibWarning, match="correlated"):
        model = rl.GammaGammaModel().fit(rfm)
    assert model.frequency_monetary_corr_ == pytest.approx(np.corrcoef(x, m)[0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RetainlibWarning)
        rl.GammaGammaModel(corr_threshold=0.95).fit(rfm)


def test_gammagamma_excludes_non_positive_spend_with_warning(cdnow_rfm, cdnow_gg):
    bad = cdnow_rfm.copy()
    repeat_ids = bad.index[bad["frequency"] > 0][:3]
    bad.loc[repeat_ids, "monetary_value"] = [0.0, -5.0, 0.0]
    with pytest.warns(RetainlibWarning, match="3 repeat customers with monetary_value <= 0"):
        m = rl.GammaGammaModel().fit(bad)
    assert m.n_customers_ == 946 - 3 and m.n_excluded_ == 3


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"frequency": [1, 2]}), "column 'monetary_value' not found"),
        (pd.DataFrame({"frequency": [0, 0], "monetary_value": [0.0, 0]}), "repeat purchase"),
        (pd.DataFrame({"frequency": [1, 0], "monetary_value": [3.0, 0]}), "only 1 repeat"),
        (pd.DataFrame({"frequency": [1, 2], "monetary_value": [3.0, np.nan]}), "missing"),
    ],
)
def test_gammagamma_bad_input_errors(frame, match):
    with pytest.raises(DataError, match=match):
        rl.GammaGammaModel().fit(frame)


def test_gammagamma_not_fitted_and_pickle(cdnow_rfm, cdnow_gg):
    with pytest.raises(NotFittedError):
        rl.GammaGammaModel().expected_spend(cdnow_rfm)
    clone = pickle.loads(pickle.dumps(cdnow_gg))
    pd.testing.assert_series_equal(
        clone.expected_spend(cdnow_rfm), cdnow_gg.expected_spend(cdnow_rfm)
    )
    assert len(pickle.dumps(cdnow_gg)) < 5000


def test_gammagamma_warns_when_population_mean_spend_is_infinite():
    # simulated with q = 0.8 < 1: the spend distribution has no finite mean
    x = np.random.default_rng(1).integers(1, 6, 5000)
    m = simulate_mean_spend(np.random.default_rng(2), x, p=3.0, q=0.8, v=10.0)
    with pytest.warns(RetainlibWarning, match="is <= 1"):
        model = rl.GammaGammaModel().fit(pd.DataFrame({"frequency": x, "monetary_value": m}))
    assert model.params_["q"] < 1
