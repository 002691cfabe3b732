"""Did the campaign work? Treatment against control over the campaign window.

A retention campaign (a call, a loyalty offer) is measured the way the
retention seeds ask: the customers who got it (the *treatment* group) are
compared with customers chosen at random who did not (the *control* group)
over the campaign window, and the difference is what the campaign added:

* per group: the share who bought in the window, revenue per customer and
  orders per customer (:func:`campaign_outcomes`);
* the difference treatment - control of each, with a 95% **Welch's t
  interval** (two samples, unequal variances, Welch-Satterthwaite degrees of
  freedom: :func:`welch_interval`);
* the incremental revenue of the treated group, ``treated x (revenue per
  treated customer - revenue per control customer)``, with the same interval
  times the treated count;
* the realised return, ``ROI = (margin x incremental revenue - cost) / cost x
  100`` (the seeds' formula; ``margin`` 1 is revenue itself), with its
  interval from the incremental revenue's.

Without a control group there is nothing to compare with: the figures of the
treated group are given, but no difference is called incremental
(``status`` 'no_control'). :func:`assign_groups` draws the control group of
the next campaign: seeded and reproducible, with a configurable share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from retainlib._arrays import member_of

__all__ = ["CONTROL", "GROUPS", "TREATMENT", "assign_groups", "campaign_json", "campaign_outcomes",
           "measure_campaign", "welch_interval"]

#: the two groups of a campaign, canonical names
TREATMENT, CONTROL = "treatment", "control"
GROUPS = (TREATMENT, CONTROL)
#: the figures compared between the groups (per customer)
OUTCOMES = ("bought_share", "revenue_per_customer", "orders_per_customer")
#: default length of a campaign window when the config gives no end
DEFAULT_DAYS = 60


def assign_groups(ids: pd.Index | pd.Series, *, control_share: float = 0.2,
                  seed: int = 0) -> pd.Series:
    """A random treatment / control split of a customer list, the same every time.

    The customers are sorted by id (so the order of the list does not matter),
    shuffled with ``numpy.random.default_rng(seed)``, and the first
    ``round(control_share x n)`` of them form the control group.

    Parameters
    ----------
    ids : Index or Series
        Customer ids (repeats count once).
    control_share : float, default 0.2
        Share of the customers held back as the control group, in [0, 1].
    seed : int, default 0
        Seed of the draw: the same seed and list give the same groups.

    Returns
    -------
    pandas.Series
        ``'treatment'`` or ``'control'`` per customer id (index named
        ``customer_id``, in the order of ``ids``), name ``group``.

    Examples
    --------
    >>> g = assign_groups(pd.Index(list("abcdefghij")), control_share=0.3, seed=1)
    >>> int((g == "control").sum()), g.equals(assign_groups(pd.Index(list("jihgfedcba")),
    ...                                                     control_share=0.3, seed=1)[g.index])
    (3, True)
    """
    if not 0 <= control_share <= 1:
        raise ValueError(f"control_share must be between 0 and 1, not {control_share!r}")
    unique = pd.Index(pd.Index(ids).astype(str).unique(), name="customer_id")
    ordered = np.sort(unique.to_numpy(dtype=object))
    n_control = int(math.floor(control_share * len(ordered) + 0.5))
    shuffled = np.random.default_rng(int(seed)).permutation(len(ordered))
    control = set(ordered[shuffled[:n_control]])
    groups = [CONTROL if i in control else TREATMENT for i in unique]
    return pd.Series(groups, index=unique, name="group", dtype=object)


def campaign_outcomes(tx: pd.DataFrame, customers: pd.Index, start: pd.Timestamp,
                      end: pd.Timestamp) -> pd.DataFrame:
    """What each customer did in the window from ``start`` to ``end`` (both days included).

    Parameters
    ----------
    tx : DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``,
        optional ``order_id``).
    customers : Index
        The customers to measure; those without a purchase in the window get 0.
    start, end : Timestamp
        First and last day of the window.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (in the order of ``customers``): ``revenue``
        (net amount in the window), ``orders`` (distinct orders with a
        positive amount: ``order_id`` when there is one, else purchase days)
        and ``bought`` (1.0 when ``orders`` > 0, else 0.0).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 5.0, 7.0],
    ...                    "date": pd.to_datetime(["2025-01-02", "2025-01-03", "2024-12-01"])})
    >>> campaign_outcomes(tx, pd.Index(["a", "b"]), pd.Timestamp("2025-01-01"),
    ...                   pd.Timestamp("2025-01-31")).to_dict("list")
    {'revenue': [15.0, 0.0], 'orders': [2.0, 0.0], 'bought': [1.0, 0.0]}
    """
    start, stop = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize() + pd.Timedelta(
        days=1)
    ids = pd.Index(customers, name="customer_id")
    d = tx["date"]
    w = tx[((d >= start) & (d < stop)).to_numpy() & member_of(tx["customer_id"], ids)]
    revenue = w.groupby("customer_id", observed=True)["amount"].sum()
    bought = w[w["amount"] > 0]
    key = bought["order_id"] if "order_id" in bought.columns else bought["date"].dt.normalize()
    orders = bought.assign(_order=key).groupby("customer_id", observed=True)["_order"].nunique()
    out = pd.DataFrame({"revenue": revenue.reindex(ids, fill_value=0.0).astype("float64"),
                        "orders": orders.reindex(ids, fill_value=0).astype("float64")})
    out["bought"] = (out["orders"] > 0).astype("float64")
    return out


def welch_interval(x: np.ndarray, y: np.ndarray, level: float = 0.95
                   ) -> tuple[float, float, float]:
    """Difference of two means, ``mean(x) - mean(y)``, with Welch's t interval.

    The standard error is ``sqrt(var(x)/n_x + var(y)/n_y)`` (sample variances)
    and the degrees of freedom the Welch-Satterthwaite approximation; the
    interval is ``difference -/+ t(level) x se``. With fewer than 2 values in a
    group the interval is NaN; when both variances are 0 it is the difference
    itself.

    Returns
    -------
    tuple of float
        ``(difference, low, high)``.

    Examples
    --------
    >>> d, lo, hi = welch_interval(np.array([3.0, 5.0, 7.0]), np.array([1.0, 2.0, 3.0]))
    >>> round(d, 6), round(lo, 3), round(hi, 3)
    (3.0, -1.155, 7.155)
    """
    from scipy import stats

    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    nx, ny = len(x), len(y)
    if nx == 0 or ny == 0:
        return math.nan, math.nan, math.nan
    diff = float(x.mean() - y.mean())
    if nx < 2 or ny < 2:
        return diff, math.nan, math.nan
    vx, vy = x.var(ddof=1) / nx, y.var(ddof=1) / ny
    se = math.sqrt(vx + vy)
    if se == 0:
        return diff, diff, diff
    df = (vx + vy) ** 2 / (vx**2 / (nx - 1) + vy**2 / (ny - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df)) * se
    return diff, diff - half, diff + half


def _roi(gain: float, cost: float | None, margin: float) -> float | None:
    """``(margin x gain - cost) / cost x 100``; None without a positive cost or a gain."""
    if cost is None or not cost > 0 or gain is None or not math.isfinite(gain):
        return None
    return (margin * gain - cost) / cost * 100


def _group_table(out: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Customers, buyers and the per-customer figures of each group (both rows always)."""
    rows = {}
    for g in GROUPS:
        o = out[(groups.reindex(out.index) == g).to_numpy()]
        n = len(o)
        rows[g] = {"customers": n, "buyers": int(o["bought"].sum()),
                   "revenue": float(o["revenue"].sum()),
                   "bought_share": float(o["bought"].mean()) if n else math.nan,
                   "revenue_per_customer": float(o["revenue"].mean()) if n else math.nan,
                   "orders_per_customer": float(o["orders"].mean()) if n else math.nan}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")


def measure_campaign(tx: pd.DataFrame, groups: pd.Series, *, start: object,
                     end: object | None = None, observation_end: object | None = None,
                     cost: float | None = None, margin: float = 1.0,
                     level: float = 0.95, data_start: object | None = None) -> dict:
    """Treatment against control over a campaign window (see the module docstring).

    Parameters
    ----------
    tx : DataFrame
        Canonical transactions of the client.
    groups : Series
        ``'treatment'`` / ``'control'`` per customer id (the campaign file,
        :func:`retainlib.load.campaigns.read_campaign`).
    start, end : date
        The campaign window, both days included; ``end`` defaults to ``start``
        + 60 days.
    observation_end : date, optional
        Last day of the data (default: the last transaction's day); the
        window is measured up to it.
    cost : float, optional
        What the campaign cost; without it there is no ROI.
    margin : float, default 1.0
        Share of revenue that is profit, applied to the incremental revenue in
        the ROI (1: revenue itself, the seeds' formula as written).
    level : float, default 0.95
        Confidence level of the intervals.
    data_start : date-like, optional
        The first day of the client's data (default: the first date of
        ``tx``), when ``tx`` holds only some customers' lines.

    Returns
    -------
    dict
        ``status``: 'measured', 'no_control' (the treated group alone: nothing
        is called incremental), 'no_treatment', 'no_known_customers',
        'not_started' (the window begins after the data end) or
        'before_data' (the window ends before the first purchase of the data);
        ``start``, ``end``, ``measured_to`` (the window's last day with data),
        ``partial`` (the window goes past the data end), ``file_customers``,
        ``unknown`` (ids of the file not in the transactions, left out),
        ``treated``, ``control``, ``groups`` (DataFrame by group: customers,
        buyers, revenue, bought_share, revenue_per_customer,
        orders_per_customer), ``differences`` (DataFrame by figure:
        difference, low, high; None unless measured), ``incremental_revenue``,
        ``incremental_revenue_low``, ``incremental_revenue_high``, ``cost``,
        ``margin``, ``roi_pct``, ``roi_low``, ``roi_high`` (None when not
        measured or no cost), ``method`` ('welch') and ``level``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": list("abcd"), "amount": [30.0, 50.0, 10.0, 10.0],
    ...                    "date": pd.to_datetime(["2025-01-05"] * 4)})
    >>> g = pd.Series(["treatment", "treatment", "control", "control"], index=list("abcd"))
    >>> r = measure_campaign(tx, g, start="2025-01-01", cost=20.0)
    >>> r["status"], r["incremental_revenue"], r["roi_pct"]
    ('measured', 60.0, 200.0)
    """
    start = pd.Timestamp(start).normalize()
    end = start + pd.Timedelta(days=DEFAULT_DAYS) if end is None else pd.Timestamp(end).normalize()
    data_end = (pd.Timestamp(observation_end) if observation_end is not None
                else tx["date"].max()).normalize()
    groups = groups.astype(object)
    groups.index = groups.index.astype(str)
    known = groups.index.isin(pd.Index(tx["customer_id"].astype(str).unique()))
    result: dict = {"start": start, "end": end, "measured_to": min(end, data_end),
                    "partial": bool(end > data_end), "file_customers": int(len(groups)),
                    "unknown": pd.Index(groups.index[~known]), "cost": cost, "margin": margin,
                    "method": "welch", "level": level, "differences": None,
                    **dict.fromkeys(("incremental_revenue", "incremental_revenue_low",
                                     "incremental_revenue_high", "roi_pct", "roi_low",
                                     "roi_high"))}
    groups = groups[known]
    result["treated"] = int((groups == TREATMENT).sum())
    result["control"] = int((groups == CONTROL).sum())
    out = campaign_outcomes(tx, groups.index, start, result["measured_to"])
    first = pd.Timestamp(data_start) if data_start is not None else (
        tx["date"].min() if len(tx) else None)
    result["groups"] = _group_table(out, groups)
    if start > data_end:
        result["status"] = "not_started"
    elif first is None or end < first.normalize():
        result["status"] = "before_data"
    elif not len(groups):
        result["status"] = "no_known_customers"
    elif not result["treated"]:
        result["status"] = "no_treatment"
    elif not result["control"]:
        result["status"] = "no_control"
    else:
        result["status"] = "measured"
    if result["status"] != "measured":
        return result
    t, c = (out[(groups == g).to_numpy()] for g in GROUPS)
    columns = {"bought_share": "bought", "revenue_per_customer": "revenue",
               "orders_per_customer": "orders"}
    result["differences"] = pd.DataFrame(
        [welch_interval(t[col].to_numpy(), c[col].to_numpy(), level) for col in columns.values()],
        index=pd.Index(list(columns), name="figure"), columns=["difference", "low", "high"])
    n = result["treated"]
    diff, low, high = result["differences"].loc["revenue_per_customer"]
    inc = {"incremental_revenue": n * diff, "incremental_revenue_low": n * low,
           "incremental_revenue_high": n * high}
    result.update({k: (float(v) if math.isfinite(v) else None) for k, v in inc.items()})
    result["roi_pct"] = _roi(result["incremental_revenue"], cost, margin)
    result["roi_low"] = _roi(result["incremental_revenue_low"], cost, margin)
    result["roi_high"] = _roi(result["incremental_revenue_high"], cost, margin)
    return result


def campaign_json(r: Mapping) -> dict:
    """The JSON-able figures of a :func:`measure_campaign` result (for ``metrics.json``)."""
    def num(v):
        return None if v is None or not math.isfinite(float(v)) else float(v)

    groups = {g: {k: (int(v) if k in ("customers", "buyers") else num(v))
                  for k, v in row.items()} for g, row in r["groups"].to_dict("index").items()}
    diffs = None if r["differences"] is None else {
        f: {k: num(v) for k, v in row.items()} for f, row in r["differences"].to_dict(
            "index").items()}
    return {"status": r["status"], "start": r["start"].date().isoformat(),
            "end": r["end"].date().isoformat(),
            "measured_to": r["measured_to"].date().isoformat(), "partial": r["partial"],
            "file_customers": r["file_customers"], "unknown_customers": len(r["unknown"]),
            "treated": r["treated"], "control": r["control"], "groups": groups,
            "differences": diffs,
            **{k: num(r[k]) for k in ("incremental_revenue", "incremental_revenue_low",
                                      "incremental_revenue_high", "cost", "margin", "roi_pct",
                                      "roi_low", "roi_high")},
            "interval": f"Welch's t interval, {r['level']:.0%}"}
