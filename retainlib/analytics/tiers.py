"""CLV tiers: customers ranked by predicted value into top, next and rest tiers.

:func:`clv_tiers` labels each customer; :func:`clv_tier_summary` gives the customers
and the share of predicted value each tier holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from retainlib.errors import ConfigError, DataError

__all__ = ["clv_tier_summary", "clv_tiers"]


def _tier_labels(cuts: Sequence[float]) -> list[str]:
    bounds = [0.0, *cuts, 1.0]
    labels = [f"Top {cuts[0]:.0%}"]
    labels += [f"Next {hi - lo:.0%}" for lo, hi in zip(bounds[1:-2], bounds[2:-1], strict=True)]
    return labels + [f"Rest {1 - cuts[-1]:.0%}"]


def _check_clv(clv: object) -> pd.Series:
    if not isinstance(clv, pd.Series):
        raise DataError(f"clv must be a pandas Series indexed by customer_id (from "
                        f"customer_lifetime_value), got {type(clv).__name__}")
    if len(clv) == 0:
        raise DataError("clv has no customers; there is nothing to tier")
    values = pd.to_numeric(clv, errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype="float64"))
    if bad.any():
        raise DataError(f"clv is missing or not a number for {int(bad.sum())} customer(s) (first "
                        f"{clv.index[np.flatnonzero(bad)[0]]!r}); drop them or fill with 0")
    if (values < 0).any():
        who = values.index[np.flatnonzero((values < 0).to_numpy())[0]]
        raise DataError(f"clv is negative for customer {who!r}; tiers share out predicted value, "
                        "which cannot be negative (check the margin)")
    return values.astype("float64")


def clv_tiers(clv: pd.Series, *, cuts: Sequence[float] = (0.1, 0.3)) -> pd.Series:
    """CLV tier of every customer: top 10% by predicted value, next 20%, rest.

    Business meaning: who holds the predicted value, so effort goes to the few who matter.

    Customers are ranked by CLV (highest first, ties by ``customer_id``); the first
    ``ceil(cuts[0] * n)`` form the first tier, customers up to ``ceil(cuts[1] * n)`` the
    second, and so on.

    Parameters
    ----------
    clv : Series
        Predicted CLV per customer (index ``customer_id``), non-negative.
    cuts : sequence of float, default (0.1, 0.3)
        Increasing cumulative shares of customers in (0, 1) where a tier ends.

    Returns
    -------
    Series
        ``clv_tier``, ordered categorical (``'Top 10%' < 'Next 20%' < 'Rest 70%'`` by
        default), indexed like ``clv``.

    Examples
    --------
    >>> clv = pd.Series([5.0, 100, 20, 1, 0, 3, 8, 9, 2, 4], index=list("abcdefghij"))
    >>> clv_tiers(clv)[["b", "c", "h", "g"]].tolist()
    ['Top 10%', 'Next 20%', 'Next 20%', 'Rest 70%']
    """
    values = _check_clv(clv)
    cuts = [float(c) for c in cuts]
    if not cuts or any(not 0 < c < 1 for c in cuts) or any(np.diff(cuts) <= 0):
        raise ConfigError(f"cuts must be increasing shares between 0 and 1, e.g. (0.1, 0.3), "
                          f"not {tuple(cuts)!r}")
    n = len(values)
    order = np.lexsort((np.asarray(values.index.astype("str")), -values.to_numpy()))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(1, n + 1)
    ends = np.ceil(np.asarray(cuts) * n - 1e-9).astype(np.int64)
    code = np.searchsorted(ends, position, side="left")
    labels = _tier_labels(cuts)
    tier = pd.Categorical.from_codes(code, categories=labels, ordered=True)
    return pd.Series(tier, index=clv.index, name="clv_tier")


def clv_tier_summary(clv: pd.Series, tiers: pd.Series | None = None, *,
                     cuts: Sequence[float] = (0.1, 0.3)) -> pd.DataFrame:
    """Customers and share of predicted value held by each CLV tier.

    Business meaning: "the top 10% of customers hold 45% of the predicted value".

    Parameters
    ----------
    clv : Series
        Predicted CLV per customer.
    tiers : Series, optional
        Output of :func:`clv_tiers`; computed with ``cuts`` when omitted.
    cuts : sequence of float
        See :func:`clv_tiers`.

    Returns
    -------
    DataFrame
        Indexed by ``clv_tier``: ``customers``, ``customer_share``, ``clv`` (sum),
        ``clv_share`` (shares sum to 1), ``mean_clv``, ``min_clv``.
    """
    values = _check_clv(clv)
    tiers = clv_tiers(values, cuts=cuts) if tiers is None else tiers.reindex(values.index)
    total = float(values.sum())
    if total <= 0:
        raise DataError("the predicted value of all customers is 0; there is no value to share")
    g = values.groupby(tiers, observed=False)
    out = pd.DataFrame({"customers": g.size().astype("int64"), "clv": g.sum()})
    out["customer_share"] = out["customers"] / len(values)
    out["clv_share"] = out["clv"] / total
    out["mean_clv"] = g.mean()
    out["min_clv"] = g.min()
    out.index.name = "clv_tier"
    return out[["customers", "customer_share", "clv", "clv_share", "mean_clv", "min_clv"]]
