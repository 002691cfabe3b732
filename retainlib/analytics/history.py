"""Since the last report: how the headline figures moved, and what became of the at-risk list.

Retention work is monthly: measure, act on the at-risk list, measure again.
Each run keeps its headline figures and its at-risk list (the files are
written by :mod:`retainlib.output.history`); the next run compares:

* :func:`previous_run`: the latest earlier run (an earlier ``observation_end``;
  a run of the same date is the same report again, not a previous one);
* :func:`metric_changes`: each headline figure then and now, and the change;
* :func:`list_outcomes`: the customers of the previous at-risk list, each in
  one of four groups, in this order of precedence: **came back** (bought,
  with a positive amount, after the previous ``observation_end`` and up to
  this one), **still at risk** (on this run's at-risk list), **now lapsed**
  (on this run's lapsed, win-back list), **no longer flagged** (the rest:
  quiet, but no longer among the valuable customers the rule flags); and the
  **newly at risk**: on this run's at-risk list, not on the previous one.
  The four groups add up to the previous list.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from retainlib._arrays import member_of

__all__ = ["HEADLINE", "list_outcomes", "metric_changes", "previous_run"]

#: headline figures kept per run and compared with the previous run (metrics.json keys)
HEADLINE = ("customers", "revenue", "crr", "churn_rate", "repeat_purchase_rate",
            "top20_revenue_share", "clv_total", "revenue_at_risk", "at_risk_customers",
            "lapsed_customers", "nps")


def previous_run(runs: pd.DataFrame, observation_end: object) -> pd.Series | None:
    """The latest run of ``runs`` with an ``observation_end`` before this one (None: no such run).

    Examples
    --------
    >>> runs = pd.DataFrame({"observation_end": pd.to_datetime(["2025-01-31", "2025-02-28"]),
    ...                      "customers": [10, 12]})
    >>> int(previous_run(runs, "2025-03-31")["customers"]), previous_run(runs, "2025-01-31")
    (12, None)
    """
    if runs is None or not len(runs):
        return None
    end = pd.Timestamp(observation_end).normalize()
    earlier = runs[(pd.to_datetime(runs["observation_end"]) < end).to_numpy()]
    if not len(earlier):
        return None
    order = np.argsort(pd.to_datetime(earlier["observation_end"]).to_numpy(), kind="stable")
    return earlier.iloc[order[-1]]


def _value(x: object) -> float:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return v


def metric_changes(previous: Mapping, current: Mapping,
                   names: Sequence[str] = HEADLINE) -> pd.DataFrame:
    """Each headline figure in the previous run and now, and the change (now - previous).

    Returns
    -------
    DataFrame
        Indexed by ``metric`` (the names, in order): ``previous``,
        ``current``, ``change`` (NaN where either is missing).

    Examples
    --------
    >>> metric_changes({"customers": 10, "crr": 0.5}, {"customers": 12, "crr": None},
    ...                ["customers", "crr"])["change"].tolist()
    [2.0, nan]
    """
    prev = [_value(previous.get(n)) for n in names]
    cur = [_value(current.get(n)) for n in names]
    out = pd.DataFrame({"previous": prev, "current": cur},
                       index=pd.Index(list(names), name="metric"), dtype="float64")
    out["change"] = out["current"] - out["previous"]
    return out


def list_outcomes(previous_list: pd.Index | Sequence[str], tx: pd.DataFrame, lists: pd.DataFrame,
                  *, previous_end: object, observation_end: object) -> dict:
    """What became of the customers of the previous at-risk list (see the module docstring).

    Parameters
    ----------
    previous_list : Index or sequence of str
        Customer ids on the previous run's at-risk list.
    tx : DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``).
    lists : DataFrame
        This run's early-warning lists (:func:`retainlib.at_risk`, column
        ``list``: 'at risk' or 'lapsed'), indexed by customer id.
    previous_end, observation_end : date
        The previous run's and this run's last day.

    Returns
    -------
    dict
        ``previous`` (customers on the previous list), ``came_back``,
        ``still_at_risk``, ``lapsed``, ``unflagged`` (the four add up to
        ``previous``), ``newly_at_risk``, ``came_back_revenue`` (what those
        who came back spent since the previous run) and ``came_back_ids``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b"], "amount": [40.0, 5.0],
    ...                    "date": pd.to_datetime(["2025-02-10", "2025-01-10"])})
    >>> lists = pd.DataFrame({"list": ["at risk", "lapsed", "at risk"]}, index=["b", "c", "d"])
    >>> r = list_outcomes(["a", "b", "c", "e"], tx, lists, previous_end="2025-01-31",
    ...                   observation_end="2025-02-28")
    >>> [r[k] for k in ("came_back", "still_at_risk", "lapsed", "unflagged", "newly_at_risk")]
    [1, 1, 1, 1, 1]
    """
    prev = pd.Index(pd.Index(previous_list).astype(str).unique())
    start = pd.Timestamp(previous_end).normalize() + pd.Timedelta(days=1)
    stop = pd.Timestamp(observation_end).normalize() + pd.Timedelta(days=1)
    d = tx["date"]
    since = tx[((d >= start) & (d < stop)).to_numpy()]
    ids = since["customer_id"].astype(str)
    bought = since[(since["amount"] > 0).to_numpy() & member_of(ids, prev)]
    came_back = pd.Index(bought["customer_id"].astype(str).unique())
    spent = float(since[member_of(ids, came_back)]["amount"].sum())
    which = lists["list"].astype(object) if "list" in lists.columns else pd.Series(
        "at risk", index=lists.index, dtype=object)
    which.index = which.index.astype(str)
    now_at_risk = pd.Index(which.index[(which == "at risk").to_numpy()])
    now_lapsed = pd.Index(which.index[(which == "lapsed").to_numpy()])
    rest = prev.difference(came_back, sort=False)
    still = rest.intersection(now_at_risk, sort=False)
    lapsed = rest.difference(still, sort=False).intersection(now_lapsed, sort=False)
    return {"previous": len(prev), "came_back": len(came_back), "still_at_risk": len(still),
            "lapsed": len(lapsed), "unflagged": len(prev) - len(came_back) - len(still)
            - len(lapsed), "newly_at_risk": len(now_at_risk.difference(prev)),
            "came_back_revenue": spent, "came_back_ids": came_back}
