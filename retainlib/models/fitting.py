"""Fitting the CLV models on a small or awkward customer base: data checks and penalizer retries.

Two questions come before a report shows a model:

1. **Should the models be fitted at all?** :func:`too_little_data` answers
   with a reason in words when the data cannot support them (thresholds
   below); the report then leaves the model sections out and says why.
2. **Did the fit work?** :func:`fit_with_penalizer` fits a model with the
   penalizer it was given (the config key ``clv.penalizer``, default 0) and,
   when the optimizer does not converge or the parameters are degenerate,
   refits with each larger penalizer of :data:`PENALIZER_LADDER`. The
   returned model's ``penalizer`` is the one that worked.

Thresholds (:func:`too_little_data`, checked in this order)
------------------------------------------------------------
- at least :data:`MIN_CUSTOMERS` (20) customers in the summary: BG/NBD has four
  parameters, and fewer customers than that do not pin them down;
- at least :data:`MIN_SPAN_WEEKS` (4) weeks from the first purchase to the end
  of the analysis (the largest ``T``): a shorter window cannot show how often
  customers come back;
- at least :data:`MIN_REPEAT_BUYERS` (5) customers who came back on a later day
  (``frequency > 0``): repeat purchases are what the purchase model learns
  from;
- at least :data:`MIN_REPEAT_BUYERS` (5) of them with a positive average spend
  (``monetary_value > 0``): the Gamma-Gamma spend model is fitted on those
  only.

Penalizer ladder
----------------
0.001, 0.01 and 0.1 (lifetimes' convention: ``penalizer * sum(theta ** 2)`` on
the parameters in rescaled units, added to the mean negative log-likelihood
per customer). 0.001 barely moves a fit on thousands of customers (CDNOW's
parameters move in the third decimal) and is what usually rescues a flat
likelihood; each step is ten times the last, up to 0.1, beyond which the
penalty rather than the data sets the parameters. On simulated clients of
100 customers over 9 weeks, about a quarter converge without a penalizer,
and most of the others with one of the ladder.
"""

from __future__ import annotations

import warnings

import pandas as pd

from retainlib._units import convert, days_per
from retainlib.errors import ConvergenceError, RetainlibError
from retainlib.models._base import BaseModel, summary_columns
from retainlib.models.betageo import BetaGeoModel
from retainlib.models.gammagamma import GammaGammaModel

__all__ = [
    "MIN_CUSTOMERS",
    "MIN_REPEAT_BUYERS",
    "MIN_SPAN_WEEKS",
    "PENALIZER_LADDER",
    "fit_clv_models",
    "fit_with_penalizer",
    "too_little_data",
]

#: penalizers tried, in order, after the given one fails (only those larger than it)
PENALIZER_LADDER: tuple[float, ...] = (0.001, 0.01, 0.1)
#: fewest customers the models are fitted on
MIN_CUSTOMERS = 20
#: fewest repeat buyers (and repeat buyers with a positive average spend)
MIN_REPEAT_BUYERS = 5
#: shortest window, first purchase to the end of the analysis, in weeks
MIN_SPAN_WEEKS = 4.0


def too_little_data(rfm: pd.DataFrame) -> str:
    """Why the BG/NBD and Gamma-Gamma models should not be fitted to ``rfm`` ('' when they can).

    Parameters
    ----------
    rfm : pandas.DataFrame
        Per-customer summary (:func:`retainlib.rfm_summary`, or a
        calibration/holdout frame); its ``attrs['time_unit']`` (default
        ``'W'``) is the unit of ``T``.

    Returns
    -------
    str
        A clause for a sentence (no capital, no full stop), e.g. ``'only 3 of
        the 30 customers came back to buy on a later day, too few to estimate
        how often customers buy (at least 5 are needed)'``; empty when every
        threshold of the module docstring is met.

    Examples
    --------
    >>> rfm = pd.DataFrame({"frequency": [0] * 27 + [1, 2, 1], "recency": [0.0] * 27 + [2, 5, 1],
    ...                     "T": [8.0] * 30, "monetary_value": [0.0] * 27 + [40.0, 25, 60]})
    >>> first, then = too_little_data(rfm).split(", ")
    >>> first
    'only 3 of the 30 customers came back to buy on a later day'
    >>> then
    'too few to estimate how often customers buy (at least 5 are needed)'
    >>> too_little_data(rfm.assign(frequency=[0] * 20 + [1] * 10, recency=[0.0] * 20 + [3.0] * 10,
    ...                            monetary_value=[0.0] * 20 + [50.0] * 10))
    ''
    """
    cols = summary_columns(rfm, ("frequency", "T", "monetary_value"))
    n = len(cols["frequency"])
    if n < MIN_CUSTOMERS:
        return (f"the data have only {n} customer{'' if n == 1 else 's'}, too few to estimate how "
                f"often customers buy and when they stop (at least {MIN_CUSTOMERS} are needed)")
    unit = rfm.attrs.get("time_unit", "W")
    span_days = float(cols["T"].max()) * days_per(unit, "rfm.attrs['time_unit']")
    if span_days < convert(MIN_SPAN_WEEKS, "W", "D"):
        return (f"the data cover only {span_days:.0f} days from the first purchase to the end "
                "of the analysis, too short to see how often customers come back (at least "
                f"{MIN_SPAN_WEEKS:g} weeks are needed)")
    repeat = cols["frequency"] > 0
    k = int(repeat.sum())
    if k == 0:
        return (f"none of the {n} customers came back to buy on a later day, so there is "
                "nothing to estimate how often customers buy from")
    if k < MIN_REPEAT_BUYERS:
        return (f"only {k} of the {n} customers came back to buy on a later day, too few to "
                f"estimate how often customers buy (at least {MIN_REPEAT_BUYERS} are needed)")
    spend = int((repeat & (cols["monetary_value"] > 0)).sum())
    if spend < MIN_REPEAT_BUYERS:
        return (f"only {spend} of the {k} repeat buyers have a positive average spend after "
                "returns, too few to estimate the spend per purchase (at least "
                f"{MIN_REPEAT_BUYERS} are needed)")
    return ""


def _attempt(model: BaseModel, rfm: pd.DataFrame) -> tuple[str, bool, object, list]:
    """Fit ``model`` once: (why it failed or '', degenerate?, optimizer result, its warnings)."""
    with warnings.catch_warnings(record=True) as caught:  # local to this block
        warnings.simplefilter("always")
        try:
            model.fit(rfm)
        except ConvergenceError as exc:
            return model._failure_reason(exc.result), False, exc.result, []
    why = model._degenerate()
    return why, bool(why), None, list(caught)


def _ladder(model: BaseModel, rfm: pd.DataFrame, ladder: tuple[float, ...]) -> dict:
    """Fit copies of ``model`` with its penalizer, then each larger one of ``ladder``.

    Returns ``{'model': fitted copy or None, 'tried': penalizers, 'why': last
    failure, 'degenerate': whether it was degenerate parameters, 'result':
    last optimizer result}``; the kept fit's warnings are raised again.
    """
    model._check_penalizer()
    start = float(model.penalizer)
    out: dict = {"model": None, "tried": [], "why": "", "degenerate": False, "result": None}
    for pen in (start, *sorted(p for p in ladder if p > start)):
        candidate = type(model)(**{**model.get_params(), "penalizer": pen})
        out["tried"].append(pen)
        out["why"], out["degenerate"], out["result"], caught = _attempt(candidate, rfm)
        if not out["why"]:
            for w in caught:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            out["model"] = candidate
            break
    return out


def fit_with_penalizer(model: BaseModel, rfm: pd.DataFrame, *,
                       ladder: tuple[float, ...] = PENALIZER_LADDER) -> BaseModel:
    """Fit ``model``; when it fails, refit with each larger penalizer of ``ladder``.

    A fit fails when it raises :class:`~retainlib.errors.ConvergenceError`
    or its parameters are degenerate (Gamma-Gamma ``q <= 1``: infinite mean
    spend). Only the warnings of the fit that is kept are raised again.

    Parameters
    ----------
    model : BetaGeoModel or GammaGammaModel
        Unfitted; its ``penalizer`` is tried first (it is not changed).
    rfm : pandas.DataFrame
        Data for ``model.fit``.
    ladder : tuple of float, default :data:`PENALIZER_LADDER`
        Penalizers tried next; those not larger than ``model.penalizer`` are skipped.

    Returns
    -------
    BetaGeoModel or GammaGammaModel
        A fitted copy of ``model`` whose ``penalizer`` is the one that worked.

    Raises
    ------
    ConvergenceError
        No penalizer worked; the message lists those tried and advises the
        config key ``clv.penalizer``; ``.result`` is the last optimizer result.
    DataError
        Data the model cannot use at all (from ``model.fit``).

    Examples
    --------
    >>> from retainlib.models import BetaGeoModel
    >>> rfm = pd.DataFrame({"frequency": [0] * 27 + [1, 2, 1], "recency": [0.0] * 27 + [3, 5, 2],
    ...                     "T": [1 + 0.25 * i for i in range(30)]})
    >>> fit_with_penalizer(BetaGeoModel(), rfm).penalizer
    0.01
    """
    fit = _ladder(model, rfm, ladder)
    if fit["model"] is not None:
        return fit["model"]
    message = model._convergence_message(len(rfm), fit["why"], tuple(fit["tried"]))
    raise ConvergenceError(message, fit["result"])


def fit_clv_models(rfm: pd.DataFrame, *, penalizer: float = 0.0,
                   ladder: tuple[float, ...] = PENALIZER_LADDER
                   ) -> tuple[BetaGeoModel | None, GammaGammaModel | None, str]:
    """Both CLV models fitted to ``rfm``, or neither and why.

    The BG/NBD model is fitted to every customer, the Gamma-Gamma model to
    the repeat buyers, each with :func:`fit_with_penalizer` from
    ``penalizer``. They come as a pair (CLV, P(alive) and the at-risk list
    need both): when :func:`too_little_data` finds a reason, or either model
    fails with every penalizer, neither is returned.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Per-customer summary (:func:`retainlib.rfm_summary`).
    penalizer : float, default 0.0
        First penalizer tried (the config key ``clv.penalizer``).
    ladder : tuple of float, default :data:`PENALIZER_LADDER`

    Returns
    -------
    tuple
        ``(bgnbd, gamma_gamma, why)``: the fitted models and ``''``, or
        ``(None, None, why)`` with ``why`` a clause for a sentence, e.g.
        ``'only 3 of the 30 customers came back to buy on a later day, too
        few to estimate how often customers buy (at least 5 are needed)'``.
    """
    problem = too_little_data(rfm)
    if problem:
        return None, None, problem
    top = max(penalizer, *ladder)
    fits = []
    for name, who, model, data in (
            ("purchase model (BG/NBD)", "customers", BetaGeoModel(penalizer=penalizer), rfm),
            ("spend model (Gamma-Gamma)", "repeat buyers", GammaGammaModel(penalizer=penalizer),
             rfm[rfm["frequency"] > 0])):
        try:
            fit = _ladder(model, data, ladder)
        except RetainlibError as exc:
            return None, None, f"the {name} could not be fitted: {exc}"
        if fit["model"] is None:
            why = ("a few very large spends make the average spend per purchase impossible to "
                   f"estimate ({fit['why']})" if fit["degenerate"] else
                   "it did not converge (clv.penalizer in the client config can set a larger "
                   "penalizer)")
            return None, None, (f"the {name} could not be fitted to these {len(data):,} {who}, "
                                f"even with a penalizer of up to {top:g}: {why}")
        fits.append(fit["model"])
    return fits[0], fits[1], ""
