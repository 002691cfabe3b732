"""The BG/NBD and Gamma-Gamma simulators against the models' closed-form results.

Tolerances: every simulated average is compared with its formula within 4 standard
errors estimated from the same sample (customers are independent, so the CLT applies);
a correct simulator fails such a check with probability about 6e-5, while a
simulator of another process (e.g. lifetimes.generate_data, or dropout allowed right
after the first purchase) misses by many standard errors. Seeds are fixed, so the
tests are deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import betaln, gammaln, hyp2f1

from retainlib.datasets._simulate import (
    TimeWarp,
    seasonal_multiplier,
    simulate_bgnbd,
    simulate_gamma_gamma,
    simulate_mean_spend,
)
from retainlib.errors import DataError

# CDNOW estimates of Fader, Hardie and Lee (2005), Table 1 / Figure: r, alpha, a, b
CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
N_BIG = 200_000


def expected_repeat_purchases(t, r, alpha, a, b):
    """E[X(t)], eq. 9 of Fader, Hardie and Lee (2005), written out by hand."""
    return (a + b - 1) / (a - 1) * (
        1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t))
    )


def pmf_repeat_purchases(x, t, r, alpha, a, b):
    """P(X(t) = x), eq. 8 of Fader, Hardie and Lee (2005), written out by hand."""
    lead = np.exp(
        betaln(a, b + x) - betaln(a, b) + gammaln(r + x) - gammaln(r) - gammaln(x + 1)
    ) * (alpha / (alpha + t)) ** r * (t / (alpha + t)) ** x
    if x == 0:
        return lead
    j = np.arange(x)
    tail = np.sum(
        np.exp(gammaln(r + j) - gammaln(r) - gammaln(j + 1)) * (t / (alpha + t)) ** j
    )
    return lead + np.exp(betaln(a + 1, b + x - 1) - betaln(a, b)) * (
        1 - (alpha / (alpha + t)) ** r * tail
    )


def p_alive(x, t_x, T, r, alpha, a, b):
    """P(alive | x, t_x, T) of the BG/NBD (Fader, Hardie and Lee 2008 note, eq. 1)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x)
    return np.where(x > 0, 1.0 / (1.0 + odds), 1.0)


@pytest.fixture(scope="module")
def cdnow_draw():
    return simulate_bgnbd(np.random.default_rng(20050101), N_BIG, T=52.0, **CDNOW)


def test_expected_repeat_purchases_helper_matches_lifetimes():
    # guard the hand-written eq. 9 with a second implementation (lifetimes, test oracle only)
    from lifetimes import BetaGeoFitter

    bgf = BetaGeoFitter()
    bgf.params_ = pd.Series(CDNOW)
    for t in (10.0, 39.0, 78.0):
        assert expected_repeat_purchases(t, **CDNOW) == pytest.approx(
            float(bgf.expected_number_of_purchases_up_to_time(t)), rel=1e-9
        )
    # the pmf over x = 0..200 sums to 1 and its mean is eq. 9 (the series converge fast at t=52)
    probs = np.array([pmf_repeat_purchases(x, 52.0, **CDNOW) for x in range(200)])
    assert probs.sum() == pytest.approx(1.0, abs=1e-6)
    assert (np.arange(200) * probs).sum() == pytest.approx(
        expected_repeat_purchases(52.0, **CDNOW), rel=1e-5
    )


def test_bgnbd_mean_repeat_purchases_matches_fader_hardie_lee_2005_eq9(cdnow_draw):
    x = cdnow_draw.frequency
    se = x.std() / np.sqrt(x.size)
    expected = expected_repeat_purchases(52.0, **CDNOW)  # about 1.40 repeat purchases in 52 weeks
    assert abs(x.mean() - expected) < 4 * se


def test_bgnbd_count_distribution_matches_fader_hardie_lee_2005_eq8(cdnow_draw):
    x = cdnow_draw.frequency
    # P(X(t)=0) = (alpha / (alpha + t))^r: with dropout only after repeat purchases, no purchase
    # in (0, t] just means no Poisson arrival. By hand: 4.414 / 56.414 = 0.078243,
    # ln = -2.54792, times 0.243 = -0.61914, exp = 0.5384
    assert pmf_repeat_purchases(0, 52.0, **CDNOW) == pytest.approx(0.5384, abs=1e-4)
    for k in range(6):
        prob = pmf_repeat_purchases(k, 52.0, **CDNOW)
        se = np.sqrt(prob * (1 - prob) / x.size)
        assert abs((x == k).mean() - prob) < 4 * se, k


def test_bgnbd_alive_share_matches_p_alive_formula(cdnow_draw):
    s = cdnow_draw.summary()
    prob = p_alive(s["frequency"].to_numpy(), s["recency"].to_numpy(), s["T"].to_numpy(),
                   **CDNOW)
    alive = cdnow_draw.alive
    # customers without a repeat purchase cannot have dropped out in the BG/NBD
    assert alive[s["frequency"].to_numpy() == 0].all()
    for mask in (s["frequency"] > 0, s["frequency"] >= 5):
        m = mask.to_numpy()
        # sum of independent Bernoulli(P_i) given the histories: variance sum P_i (1 - P_i)
        se = np.sqrt(np.sum(prob[m] * (1 - prob[m])))
        assert abs(alive[m].sum() - prob[m].sum()) < 4 * se


def test_gamma_gamma_mean_value_is_p_v_over_q_minus_1():
    p, q, v = 6.25, 4.0, 15.44
    n = N_BIG
    customer = np.repeat(np.arange(n), 2)
    nu, z = simulate_gamma_gamma(np.random.default_rng(7), n, customer, p=p, q=q, v=v)
    per_customer = z.reshape(n, 2).mean(axis=1)
    se = per_customer.std() / np.sqrt(n)
    # E[z] = p E[1/nu] = p v / (q - 1) = 6.25 * 15.44 / 3 = 32.1667
    assert p * v / (q - 1) == pytest.approx(32.1667, abs=1e-4)
    assert abs(per_customer.mean() - 32.1667) < 4 * se
    # each customer's true mean spend is p / nu; E[p / nu] is the same 32.1667
    true_mean = p / nu
    assert abs(true_mean.mean() - 32.1667) < 4 * true_mean.std() / np.sqrt(n)


def test_gamma_gamma_posterior_mean_is_unbiased_for_true_spend():
    # E[p/nu | x values with mean m] = (q-1)/(p x + q - 1) * p v/(q-1) + p x/(p x + q - 1) * m
    # (Fader, Hardie and Lee 2005 "RFM and CLV", eq. 5): averaged over customers, the
    # difference between truth and posterior mean has expectation zero, for every x.
    p, q, v = 2.0, 4.0, 60.0
    n = N_BIG
    rng = np.random.default_rng(11)
    x = rng.integers(1, 6, n)
    customer = np.repeat(np.arange(n), x)
    nu, z = simulate_gamma_gamma(rng, n, customer, p=p, q=q, v=v)
    m = np.bincount(customer, weights=z) / x
    post = (q - 1) / (p * x + q - 1) * (p * v / (q - 1)) + p * x / (p * x + q - 1) * m
    diff = p / nu - post
    assert abs(diff.mean()) < 4 * diff.std() / np.sqrt(n)
    # and the spend of frequent buyers is no different: the model has no frequency effect
    assert abs(m[x == 5].mean() - m[x == 1].mean()) < 4 * np.sqrt(
        m[x == 5].var() / (x == 5).sum() + m[x == 1].var() / (x == 1).sum()
    )


def test_lifetimes_fitters_recover_the_true_parameters():
    # 30,000 customers with windows of 20 to 80 weeks; the MLE is asymptotically normal, so
    # each estimate lies within 4 of lifetimes' own standard errors of the truth.
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    rng = np.random.default_rng(3)
    n = 30_000
    truth_bg = {"r": 0.8, "alpha": 6.0, "a": 1.2, "b": 3.5}
    draw = simulate_bgnbd(rng, n, T=rng.uniform(20, 80, n), **truth_bg)
    s = draw.summary()
    bgf = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    for name, value in truth_bg.items():
        est, se = bgf.summary.loc[name, "coef"], bgf.summary.loc[name, "se(coef)"]
        assert abs(est - value) < 4 * se, (name, est, se)

    truth_gg = {"p": 4.0, "q": 3.5, "v": 150.0}
    _, z = simulate_gamma_gamma(rng, n, draw.customer, **truth_gg)
    f = draw.frequency
    rep = f > 0
    mean_value = np.bincount(draw.customer, weights=z, minlength=n)[rep] / f[rep]
    ggf = GammaGammaFitter().fit(f[rep], mean_value)
    for name, value in truth_gg.items():
        est, se = ggf.summary.loc[name, "coef"], ggf.summary.loc[name, "se(coef)"]
        assert abs(est - value) < 4 * se, (name, est, se)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 60),
    r=st.floats(0.05, 5.0),
    alpha=st.floats(0.1, 20.0),
    a=st.floats(0.05, 5.0),
    b=st.floats(0.05, 5.0),
    T=st.floats(0.0, 200.0),
)
def test_bgnbd_draw_invariants(seed, n, r, alpha, a, b, T):
    draw = simulate_bgnbd(np.random.default_rng(seed), n, r=r, alpha=alpha, a=a, b=b, T=T)
    s = draw.summary()
    assert len(s) == n and s["frequency"].sum() == draw.time.size
    assert np.all((draw.time >= 0) & (draw.time < T))
    assert np.all(np.diff(draw.customer) >= 0)
    same = np.diff(draw.customer) == 0
    assert np.all(np.diff(draw.time)[same] > 0)  # sorted within customer
    assert (s["recency"] <= s["T"]).all()
    assert draw.alive[s["frequency"].to_numpy() == 0].all()
    again = simulate_bgnbd(np.random.default_rng(seed), n, r=r, alpha=alpha, a=a, b=b, T=T)
    np.testing.assert_array_equal(again.time, draw.time)


def test_invalid_parameters_are_rejected():
    rng = np.random.default_rng(0)
    with pytest.raises(DataError, match="'alpha' must be finite and > 0"):
        simulate_bgnbd(rng, 3, r=1.0, alpha=-1.0, a=1.0, b=1.0, T=10.0)
    with pytest.raises(DataError, match="T must be finite"):
        simulate_bgnbd(rng, 3, r=1.0, alpha=1.0, a=1.0, b=1.0, T=-1.0)
    with pytest.raises(DataError, match=r"indices must lie in 0\.\.1"):
        simulate_gamma_gamma(rng, 2, np.array([0, 2]), p=1.0, q=2.0, v=1.0)


def test_seasonal_clock_averages_calendar_speed_and_round_trips():
    days = pd.date_range("2023-01-01", "2023-12-31", freq="D")
    s = seasonal_multiplier(days)
    # yearly profile has mean 1 over 365 days; weekdays mean 1 over a week; 2023 has
    # 52 weeks + 1 extra Sunday, so the year's mean is 1 up to the holiday x weekday overlap
    assert s.mean() == pytest.approx(1.0, abs=0.01)
    assert s[days.day_of_week == 5].mean() < 0.5 < s[days.day_of_week == 3].mean() / 1.2
    # busiest season: the week before Black Friday beats mid-February
    assert s[(days >= "2023-11-20") & (days <= "2023-11-26")].mean() > 1.5 * s[
        (days >= "2023-02-10") & (days <= "2023-02-16")
    ].mean()
    warp = TimeWarp(s)
    t = np.linspace(0, 365, 1001)
    np.testing.assert_allclose(warp.to_calendar(warp.to_operational(t)), t, atol=1e-9)


def test_mean_spend_averages_the_simulated_transaction_values():
    # frequency [2, 0, 1]: transactions of customers [0, 0, 2] drawn by simulate_gamma_gamma
    # from the same generator state; means (z0 + z1) / 2, 0 (no transaction) and z2
    _, z = simulate_gamma_gamma(np.random.default_rng(3), 3, np.array([0, 0, 2]),
                                p=6.0, q=4.0, v=15.0)
    got = simulate_mean_spend(np.random.default_rng(3), [2, 0, 1], p=6.0, q=4.0, v=15.0)
    np.testing.assert_allclose(got, [(z[0] + z[1]) / 2, 0.0, z[2]], rtol=1e-15)
    with pytest.raises(DataError, match="whole numbers >= 0"):
        simulate_mean_spend(np.random.default_rng(0), [1, -1], p=6.0, q=4.0, v=15.0)
