"""Fitting on small customer bases: the data thresholds, the penalizer ladder, the error text."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import retainlib as rl
from retainlib.errors import ConvergenceError, DataError, RetainlibWarning
from retainlib.models.fitting import (
    MIN_CUSTOMERS,
    MIN_REPEAT_BUYERS,
    PENALIZER_LADDER,
    fit_clv_models,
    fit_with_penalizer,
    too_little_data,
)


def _flat_rfm() -> pd.DataFrame:
    """30 customers, 27 without a repeat purchase: the BG/NBD likelihood is flat without a penalty.

    Trying the ladder by hand: penalizer 0 stops on a flat likelihood, 0.001
    sends ``a`` to 0, 0.01 converges.
    """
    return pd.DataFrame({"frequency": [0] * 27 + [1, 2, 1],
                         "recency": [0.0] * 27 + [3.0, 5.0, 2.0],
                         "T": [1 + 0.25 * i for i in range(30)]})


def _hopeless_rfm() -> pd.DataFrame:
    """Six customers who all bought on their last day: no penalizer of the ladder helps."""
    return pd.DataFrame({"frequency": [3, 5, 2, 4, 0, 1], "recency": [10.0, 10, 10, 10, 0, 10],
                         "T": [10.0] * 6})


def _enough(n: int = 30, repeaters: int = 10, weeks: float = 8.0) -> pd.DataFrame:
    """A summary that meets every threshold: n customers, ``repeaters`` spending 50 each."""
    return pd.DataFrame({"frequency": [1] * repeaters + [0] * (n - repeaters),
                         "recency": [3.0] * repeaters + [0.0] * (n - repeaters),
                         "T": [weeks] * n,
                         "monetary_value": [50.0] * repeaters + [0.0] * (n - repeaters)})


def test_retry_with_penalizer_converges_where_the_plain_fit_does_not():
    rfm = _flat_rfm()
    with pytest.raises(ConvergenceError):
        rl.BetaGeoModel().fit(rfm)
    given = rl.BetaGeoModel()
    model = fit_with_penalizer(given, rfm)
    assert model.penalizer == 0.01  # the first of 0, 0.001, 0.01 that converged
    assert np.all(np.isfinite(model.params_)) and model.n_customers_ == 30
    assert given.penalizer == 0 and not hasattr(given, "params_")  # the given model is untouched
    ref = rl.BetaGeoModel(penalizer=0.01).fit(rfm)
    pd.testing.assert_series_equal(model.params_, ref.params_)
    pickle.loads(pickle.dumps(model))


def test_a_converging_fit_keeps_its_penalizer_and_the_published_cdnow_numbers(cdnow_rfm):
    model = fit_with_penalizer(rl.BetaGeoModel(), cdnow_rfm)
    assert model.penalizer == 0
    # Fader, Hardie & Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426
    assert model.params_.round(3).tolist() == [0.243, 4.414, 0.793, 2.426]
    # a penalizer from the config is tried first and kept when it converges
    assert fit_with_penalizer(rl.BetaGeoModel(penalizer=0.05), cdnow_rfm).penalizer == 0.05


def test_ladder_skips_penalizers_not_larger_than_the_given_one():
    # from 0.05 only 0.1 is left to try after the given one
    with pytest.raises(ConvergenceError, match=r"with penalizer 0\.05 or 0\.1 "):
        fit_with_penalizer(rl.BetaGeoModel(penalizer=0.05), _hopeless_rfm())


def test_convergence_error_advises_the_config_key_not_a_constructor():
    with pytest.raises(ConvergenceError) as plain:
        rl.BetaGeoModel().fit(_hopeless_rfm())
    msg = str(plain.value)
    assert "clv.penalizer: 0.001 in the client config" in msg
    assert "BetaGeoModel(penalizer" not in msg and "penalizer=" not in msg
    for hint in ("outliers", "longer calibration", "time unit"):
        assert hint in msg
    with pytest.raises(ConvergenceError) as ladder:
        fit_with_penalizer(rl.BetaGeoModel(), _hopeless_rfm())
    msg = str(ladder.value)
    assert msg.startswith("BetaGeoModel did not converge on 6 customers with penalizer "
                          "0, 0.001, 0.01 or 0.1 (")
    assert "(1) a larger penalizer: set clv.penalizer: 1 in the client config" in msg
    assert ladder.value.result is not None and hasattr(ladder.value.result, "x")


def test_a_negative_penalizer_names_the_config_key():
    with pytest.raises(DataError, match="clv.penalizer"):
        fit_with_penalizer(rl.BetaGeoModel(penalizer=-1), _flat_rfm())


def test_gamma_gamma_with_infinite_mean_spend_is_retried_then_refused():
    # spends lognormal(3, 2) of 12 repeat buyers (seed 0): the fit converges but q < 1 with
    # every penalizer (0.90, 0.89, 0.87, 0.69), so the population mean spend p v / (q - 1)
    # is not finite
    rng = np.random.default_rng(0)
    rfm = pd.DataFrame({"frequency": rng.integers(1, 4, 12).astype(float),
                        "monetary_value": np.exp(rng.normal(3, 2.0, 12))})
    with pytest.warns(RetainlibWarning, match="q = 0.897"):
        assert rl.GammaGammaModel(corr_threshold=1).fit(rfm).params_["q"] < 1  # only warns
    with pytest.raises(ConvergenceError, match=r"q = 0\.686 is <= 1"), warnings.catch_warnings():
        warnings.simplefilter("error")  # the rejected fits' warnings are not raised
        fit_with_penalizer(rl.GammaGammaModel(), rfm)


def test_gamma_gamma_retry_rescues_a_fit_that_does_not_converge():
    # seed 1: penalizer 0 does not converge, 0.001 gives q = 2.55
    rng = np.random.default_rng(1)
    rfm = pd.DataFrame({"frequency": rng.integers(1, 4, 12).astype(float),
                        "monetary_value": np.exp(rng.normal(3, 2.0, 12))})
    with pytest.raises(ConvergenceError):
        rl.GammaGammaModel().fit(rfm)
    model = fit_with_penalizer(rl.GammaGammaModel(corr_threshold=0.99), rfm)
    assert model.penalizer == 0.001 and model.params_["q"] == pytest.approx(2.55, abs=0.01)
    assert model.corr_threshold == 0.99  # the other hyperparameters are kept


def test_get_params_gives_an_unfitted_copy():
    model = rl.GammaGammaModel(penalizer=0.01, corr_threshold=0.5)
    assert model.get_params() == {"penalizer": 0.01, "corr_threshold": 0.5}
    assert rl.BetaGeoModel(penalizer=0.1).get_params() == {"penalizer": 0.1}


@pytest.mark.parametrize(("rfm", "expected"), [
    (_enough(n=MIN_CUSTOMERS - 1), "the data have only 19 customers, too few"),
    (_enough(weeks=27.9 / 7), "the data cover only 28 days from the first purchase"),
    (_enough(repeaters=0), "none of the 30 customers came back to buy on a later day"),
    (_enough(repeaters=MIN_REPEAT_BUYERS - 1),
     "only 4 of the 30 customers came back to buy on a later day, too few to estimate how "
     "often customers buy (at least 5 are needed)"),
    (_enough().assign(monetary_value=[50.0] * 4 + [-5.0] * 6 + [0.0] * 20),
     "only 4 of the 10 repeat buyers have a positive average spend"),
], ids=["customers", "span", "no-repeat", "few-repeat", "spend"])
def test_too_little_data_names_the_first_threshold_missed(rfm, expected):
    assert too_little_data(rfm).startswith(expected)


def test_too_little_data_accepts_the_thresholds_themselves():
    # exactly 20 customers, 5 repeat buyers with a positive spend, 4 weeks
    assert too_little_data(_enough(n=MIN_CUSTOMERS, repeaters=MIN_REPEAT_BUYERS, weeks=4.0)) == ""
    # the span is read in the summary's own time unit: 28 days
    days = _enough(weeks=28.0)
    days.attrs["time_unit"] = "D"
    assert too_little_data(days) == ""
    days["T"] = 27.0
    assert "only 27 days" in too_little_data(days)


def test_fit_clv_models_gives_both_or_neither(cdnow_rfm):
    bg, gg, why = fit_clv_models(cdnow_rfm)
    assert why == "" and bg.penalizer == 0 and gg.penalizer == 0
    assert gg.n_customers_ == int((cdnow_rfm["frequency"] > 0).sum())
    assert fit_clv_models(_enough(repeaters=3)) == (None, None, too_little_data(
        _enough(repeaters=3)))
    assert PENALIZER_LADDER == (0.001, 0.01, 0.1)
