"""Customer segments: RFM scores and segments, and slicing report tables by segment.

CLV tiers (:func:`retainlib.clv_tiers`) are in :mod:`retainlib.analytics.tiers`.

RFM scores
----------
:func:`rfm_scores` gives each customer a recency (R), frequency (F) and monetary (M) score
from 1 to ``bins`` (5 = best). A score is the customer's *mid-rank percentile* cut into
``bins`` equal bands: with ``n`` customers and ``rank`` the average rank of the customer's
value (ties share the average of their positions),

    ``score = 1 + floor(bins * (rank - 1/2) / n)``

so tied customers always get the same score (deterministic, independent of row order),
a group of ties sits at the middle of the band of positions it occupies (when 70% of the
customers bought once, the one-time buyers' percentile is 35%, F = 2), untied customers
fill the bands evenly (10 customers, 5 bins: two per score), and fewer customers than bins
are spread over the scale (one customer gets the middle score, 3). Recency is reversed:
the most recent buyers get R = 5.

Named segments
--------------
:func:`rfm_segments` places each customer on the R x FM grid, with
``FM = ceil((F + M) / 2)`` (the mean of F and M, halves rounded up), and names the cell
with the rules of :func:`segment_rules`, one table of (segment, R range, FM range).
The default table is the widely published 11-segment R vs FM grid (Champions, Loyal,
Potential loyalists, New, Promising, Need attention, About to sleep, At risk,
Can't lose them, Hibernating, Lost), with the overlapping ranges of the usual published
version made into a partition, so every cell of the 5 x 5 grid has exactly one segment::

    FM/R     1                2             3               4                    5
    5        Can't lose them  At risk       Loyal           Champions            Champions
    4        Can't lose them  At risk       Loyal           Champions            Champions
    3        At risk          At risk       Need attention  Potential loyalists  Potential loyalists
    2        Hibernating      Hibernating   Need attention  Potential loyalists  Potential loyalists
    1        Lost             Hibernating   About to sleep  Promising            New

Pass your own table (same columns) to ``rules`` to change it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retainlib._arrays import member_of
from retainlib.errors import ConfigError, DataError

__all__ = [
    "rfm_scores",
    "rfm_segments",
    "segment_rules",
    "segment_summary",
]

_RULES = [
    # segment, r_min, r_max, fm_min, fm_max, meaning and action
    ("Champions", 4, 5, 4, 5, "recent, frequent, top spenders: reward, ask for referrals"),
    ("Loyal", 3, 3, 4, 5, "buy often and spend a lot, less recently: upsell, loyalty programme"),
    ("Potential loyalists", 4, 5, 2, 3, "recent, average frequency and spend: offer membership"),
    ("New", 5, 5, 1, 1, "bought for the first time very recently: onboard, second-purchase offer"),
    ("Promising", 4, 4, 1, 1, "recent but little value so far: build awareness, free trials"),
    ("Need attention", 3, 3, 2, 3, "average recency, frequency and spend: limited-time offers"),
    ("About to sleep", 3, 3, 1, 1, "low value, fading recency: reactivate with popular products"),
    ("At risk", 2, 2, 3, 5, "spent well and often, but long ago: personal win-back message"),
    ("At risk", 1, 1, 3, 3, "spent fairly often, but long ago: win-back offer"),
    ("Can't lose them", 1, 1, 4, 5, "were among the best, not seen for long: win them back now"),
    ("Hibernating", 2, 2, 1, 2, "low value, long ago: low-cost reactivation only"),
    ("Hibernating", 1, 1, 2, 2, "low value, long ago: low-cost reactivation only"),
    ("Lost", 1, 1, 1, 1, "lowest recency, frequency and spend: do not spend on them"),
]
_RULE_COLUMNS = ["segment", "r_min", "r_max", "fm_min", "fm_max", "meaning"]
_TX_COLUMNS = {"customer_id", "date", "amount"}
_RFM_COLUMNS = {"frequency", "recency", "T", "monetary_value"}


# --------------------------------------------------------------------------- scores
def _midrank_scores(values: pd.Series, bins: int) -> np.ndarray:
    """``1 + floor(bins * (rank - 1/2) / n)`` with average ranks, computed exactly in integers."""
    n = len(values)
    twice_rank = np.rint(2 * values.rank(method="average").to_numpy()).astype(np.int64)
    return 1 + ((twice_rank - 1) * bins) // (2 * n)


def rfm_scores(rfm_or_tx: pd.DataFrame, *, bins: int = 5, observation_end: object = None
               ) -> pd.DataFrame:
    """Recency, frequency and monetary scores, 1 (worst) to ``bins`` (best), per customer.

    Business meaning: ranks every customer against the others on how recently, how often
    and how much they bought, the input of the named RFM segments.

    Parameters
    ----------
    rfm_or_tx : DataFrame
        Either canonical transactions (``customer_id``, ``date``, ``amount``, optional
        ``order_id``): recency = days from the last purchase to ``observation_end``,
        frequency = orders, monetary = net revenue (see :func:`retainlib.customer_value`);
        or a per-customer summary from :func:`retainlib.rfm_summary`: recency = ``T -
        recency`` (time since the last purchase, in the summary's unit), frequency =
        ``frequency`` (repeat purchases), monetary = ``monetary_value``.
    bins : int, default 5
        Number of score bands (5 = quintiles).
    observation_end : date-like, optional
        Transactions only: the day recency is measured to (later rows are ignored);
        default the last transaction date.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``since_last_purchase`` (days, or the summary's time
        unit), ``frequency``, ``monetary``, ``R``, ``F``, ``M`` (int 1..bins) and ``RFM``
        (text such as ``'545'``). Scores are mid-rank percentiles (module docstring):
        tied values get equal scores. Customers whose rows are all returns have no
        purchase date and get the lowest recency.

    Examples
    --------
    >>> rfm = pd.DataFrame({"frequency": [0, 1, 4, 9, 2], "recency": [0.0, 5, 20, 30, 8],
    ...                     "T": [40.0, 40, 30, 31, 50], "monetary_value": [0.0, 10, 30, 20, 5]},
    ...                    index=pd.Index(list("abcde"), name="customer_id"))
    >>> rfm_scores(rfm)["RFM"].tolist()
    ['211', '323', '445', '554', '132']
    """
    if not isinstance(bins, (int, np.integer)) or isinstance(bins, bool) or bins < 1:
        raise ConfigError(f"bins must be a whole number >= 1 (5 for quintiles), not {bins!r}")
    if not isinstance(rfm_or_tx, pd.DataFrame):
        raise DataError(f"rfm_scores expects a DataFrame of transactions or an rfm summary, "
                        f"got {type(rfm_or_tx).__name__}")
    if _TX_COLUMNS <= set(rfm_or_tx.columns):
        raw = _raw_from_transactions(rfm_or_tx, observation_end)
    elif _RFM_COLUMNS <= set(rfm_or_tx.columns):
        raw = _raw_from_summary(rfm_or_tx)
    else:
        raise DataError(
            "rfm_scores needs transactions (columns 'customer_id', 'date', 'amount') or a summary "
            "from rfm_summary (columns 'frequency', 'recency', 'T', 'monetary_value'); the frame "
            f"has {', '.join(repr(str(c)) for c in rfm_or_tx.columns)}")
    return scored(raw, bins)


def scored(raw: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """``raw`` (since_last_purchase, frequency, monetary per customer) with its R, F, M, RFM.

    The scoring step of :func:`rfm_scores`, for callers that have the raw
    values already (:func:`raw_of_value`).
    """
    if len(raw) == 0:
        raise DataError("rfm_scores got no customers; there is nothing to score")
    since = raw["since_last_purchase"].fillna(np.inf)  # no purchase at all: least recent
    raw["R"] = _midrank_scores(-since, bins)
    raw["F"] = _midrank_scores(raw["frequency"], bins)
    raw["M"] = _midrank_scores(raw["monetary"], bins)
    raw["RFM"] = (raw["R"].astype("str") + raw["F"].astype("str") + raw["M"].astype("str"))
    raw.attrs["bins"] = int(bins)
    return raw


def _raw_from_transactions(tx: pd.DataFrame, observation_end: object) -> pd.DataFrame:
    from retainlib.analytics.pareto import customer_value

    if observation_end is not None:
        end = pd.Timestamp(observation_end)
        tx = tx[tx["date"] <= end + pd.Timedelta(days=1) - pd.Timedelta(1, "us")]
        if len(tx) == 0:
            raise DataError(f"no transaction on or before observation_end={observation_end}")
    else:
        end = tx["date"].max()
    return raw_of_value(customer_value(tx), end)


def raw_of_value(cv: pd.DataFrame, end: object) -> pd.DataFrame:
    """The raw R, F, M values from :func:`retainlib.customer_value` of transactions up to ``end``.

    Days from the last purchase to ``end``, orders and net revenue: what
    :func:`rfm_scores` scores for transactions.
    """
    last = cv["last_purchase"].astype("datetime64[ns]")
    since = (pd.Timestamp(end).normalize() - last.dt.normalize()).dt.days.astype("float64")
    out = pd.DataFrame({"since_last_purchase": since, "frequency": cv["orders"],
                        "monetary": cv["revenue"]}, index=cv.index)
    out.attrs["unit"] = "D"
    return out


def _raw_from_summary(rfm: pd.DataFrame) -> pd.DataFrame:
    cols = {}
    for c in ("frequency", "recency", "T", "monetary_value"):
        v = pd.to_numeric(rfm[c], errors="coerce")
        if v.isna().any():
            who = v.index[np.flatnonzero(v.isna().to_numpy())[0]]
            raise DataError(f"column {c!r} of the rfm summary is missing or not a number for "
                            f"customer {who!r}; rebuild it with retainlib.rfm_summary")
        cols[c] = v.astype("float64")
    out = pd.DataFrame({"since_last_purchase": cols["T"] - cols["recency"],
                        "frequency": rfm["frequency"], "monetary": cols["monetary_value"]},
                       index=rfm.index)
    out.index.name = rfm.index.name or "customer_id"
    out.attrs["unit"] = rfm.attrs.get("time_unit", "W")
    return out


# --------------------------------------------------------------------------- named segments
def segment_rules() -> pd.DataFrame:
    """The default RFM segment table: one row per rectangle of the R x FM grid.

    Business meaning: the documented rules that turn scores into segment names a manager
    recognises, each with what the segment is and what to do about it.

    Returns
    -------
    DataFrame
        Columns ``segment``, ``r_min``, ``r_max``, ``fm_min``, ``fm_max`` (inclusive score
        ranges) and ``meaning``. A segment may have several rows. Together the rows cover
        each cell of the 5 x 5 grid exactly once (see the module docstring).
    """
    return pd.DataFrame(_RULES, columns=_RULE_COLUMNS)


def _grid_lookup(rules: pd.DataFrame, bins: int) -> np.ndarray:
    """Segment row index for every (R, FM) cell; checks the rules partition the grid."""
    missing = [c for c in _RULE_COLUMNS[:5] if c not in rules.columns]
    if missing:
        raise ConfigError(f"segment rules need columns {', '.join(map(repr, _RULE_COLUMNS[:5]))}; "
                          f"missing {', '.join(map(repr, missing))} (see segment_rules())")
    lookup = np.full((bins + 1, bins + 1), -1, dtype=np.int64)
    score = np.arange(bins + 1)
    for i, row in enumerate(rules[_RULE_COLUMNS[:5]].itertuples(index=False)):  # rule rows
        r_in = (score >= row.r_min) & (score <= row.r_max)
        fm_in = (score >= row.fm_min) & (score <= row.fm_max)
        cells = np.outer(r_in, fm_in)
        cells[0, :] = cells[:, 0] = False
        clash = cells & (lookup >= 0)
        if clash.any():
            r, fm = np.argwhere(clash)[0]
            other = rules["segment"].iloc[lookup[r, fm]]
            raise ConfigError(f"segment rules overlap: cell R={r}, FM={fm} is in both {other!r} "
                              f"and {row.segment!r}; make the ranges disjoint")
        lookup[cells] = i
    empty = np.argwhere(lookup[1:, 1:] < 0)
    if len(empty):
        r, fm = empty[0] + 1
        raise ConfigError(f"segment rules leave cell R={r}, FM={fm} without a segment "
                          f"({len(empty)} cells uncovered); add a rule covering it")
    return lookup


def rfm_segments(scores: pd.DataFrame, *, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """Name every customer's RFM segment (Champions, At risk, Lost, ...).

    Business meaning: turns the three scores into one actionable group per customer.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`rfm_scores` (columns ``R``, ``F``, ``M``).
    rules : DataFrame, optional
        Segment table like :func:`segment_rules` (``segment``, ``r_min``, ``r_max``,
        ``fm_min``, ``fm_max``); it must cover each cell of the bins x bins grid exactly once.

    Returns
    -------
    DataFrame
        ``scores`` plus ``FM`` (``ceil((F + M) / 2)``) and ``segment`` (categorical, in the
        order of the rules table), indexed like ``scores``.

    Examples
    --------
    >>> s = pd.DataFrame({"R": [5, 1, 2], "F": [5, 5, 1], "M": [4, 4, 2]})
    >>> rfm_segments(s)["segment"].tolist()
    ['Champions', "Can't lose them", 'Hibernating']
    """
    if not isinstance(scores, pd.DataFrame) or not {"R", "F", "M"} <= set(scores.columns):
        raise DataError("rfm_segments expects the output of rfm_scores (columns 'R', 'F', 'M')")
    bins = int(scores.attrs.get("bins", 5))
    if rules is None:
        if bins != 5:
            raise ConfigError(f"the default segment table is for 5 score bins, the scores have "
                              f"{bins}; pass rules= covering the {bins} x {bins} grid")
        rules = segment_rules()
    if not isinstance(rules, pd.DataFrame):
        rows = [tuple(r) for r in rules]
        rules = pd.DataFrame(rows, columns=_RULE_COLUMNS[:len(rows[0])] if rows else None)
    r = scores["R"].to_numpy(dtype=np.int64)
    fm = (scores["F"].to_numpy(dtype=np.int64) + scores["M"].to_numpy(dtype=np.int64) + 1) // 2
    top = max(bins, int(r.max(initial=1)), int(fm.max(initial=1)))
    if r.min(initial=1) < 1 or fm.min(initial=1) < 1:
        raise DataError("RFM scores must be whole numbers from 1; recompute them with rfm_scores")
    lookup = _grid_lookup(rules, top)
    names = rules["segment"].astype("str").to_numpy()
    order = list(dict.fromkeys(names))
    out = scores.copy()
    out["FM"] = fm
    out["segment"] = pd.Categorical(names[lookup[r, fm]], categories=order)
    return out


# --------------------------------------------------------------------------- slicing
def segment_summary(customers: pd.DataFrame, by: str | pd.Series, *, total: bool = True,
                    observation_end: object = None,
                    at_risk_list: pd.DataFrame | None = None) -> pd.DataFrame:
    """Report-table figures for each value of a segment (region, channel, RFM segment, tier...).

    Business meaning: the same headline numbers, side by side for every group of customers;
    the groups add up to the ``'All customers'`` row, and its revenue at risk is the
    headline figure of :func:`retainlib.analytics.early_warning.early_warning_summary`.

    Parameters
    ----------
    customers : DataFrame
        One row per customer, e.g. from
        :func:`retainlib.analytics.customers.customer_table`. Used when
        present: ``revenue``, ``orders``, ``first_purchase``, ``last_purchase``,
        ``frequency``, ``p_alive``, ``expected_purchases``, ``clv``.
    by : str or Series
        A column of ``customers`` or a Series indexed by customer id
        (e.g. :func:`retainlib.clv_tiers`).
        Customers without a value form the group ``'(missing)'``.
    total : bool, default True
        Append a row ``'All customers'``.
    observation_end : date-like, optional
        End of the data for ``bought_again_12m``; default ``customers.attrs['observation_end']``
        or the latest ``last_purchase``.
    at_risk_list : DataFrame, optional
        The early-warning lists, :func:`retainlib.at_risk` (flagged customers, or everyone),
        indexed by customer id; rows of customers not in ``customers`` are left out. Default:
        ``customers`` itself when it has the columns ``list``, ``value_if_retained`` and
        ``expected_value``; without either, the table has no early-warning columns.

    Returns
    -------
    DataFrame
        Indexed by segment value (``'All customers'`` last):

        - ``customers``, ``customer_share`` (of all customers);
        - with ``revenue``: ``revenue`` (net), ``revenue_share``, ``revenue_per_customer``;
        - with ``orders``: ``repeat_rate`` (share with 2+ orders);
        - with purchase dates: ``bought_again_12m``: of the customers whose first purchase
          was on or before the day 365 days before the end of the data, the share who bought
          again after that day (in the last 12 months); NaN when the segment has no such
          customer;
        - with ``frequency`` (the model summary; else with ``orders``): ``one_time_share``,
          the share of the customers who bought on one day only (``frequency`` 0; without
          it, one order). The purchase model gives such customers a 100% chance of still
          being active (a single purchase shows no sign of dropping out), so a segment made
          mostly of them shows a high ``chance_still_active`` that says little;
        - with ``p_alive``: ``chance_still_active`` (mean probability, per the purchase model,
          that a customer is still active) and ``chance_still_active_repeat`` (the same mean
          over the customers who bought on more than one day; needs ``frequency``);
        - ``expected_purchases`` (sum), ``clv`` (sum), ``clv_share``, ``mean_clv``, each when
          the column is present;
        - with the early-warning lists: ``at_risk_customers``, ``revenue_at_risk``,
          ``at_risk_expected_value``, ``lapsed_customers``, ``lapsed_value``: the keys of
          :func:`~retainlib.analytics.early_warning.early_warning_summary` over the segment's
          customers, so the segments add up to the headline revenue at risk.
    """
    from retainlib.analytics.early_warning import early_warning_summary

    if not isinstance(customers, pd.DataFrame):
        raise DataError("segment_summary expects the customer table (one row per customer)")
    if isinstance(by, str):
        if by not in customers.columns:
            raise DataError(f"segment column {by!r} not in the customer table; columns are "
                            f"{', '.join(repr(str(c)) for c in customers.columns)}")
        key = customers[by]
    else:
        key = pd.Series(by).reindex(customers.index)
    name = key.name if key.name is not None else "segment"
    if isinstance(key.dtype, pd.CategoricalDtype):
        if key.isna().any():
            key = key.cat.add_categories("(missing)").fillna("(missing)")
    else:
        key = key.astype("object").where(key.notna(), "(missing)")
    df = customers.copy()
    df["_one"] = 1
    if "last_purchase" in df and "first_purchase" in df:
        end = observation_end or customers.attrs.get("observation_end") or df["last_purchase"].max()
        start = pd.Timestamp(end) - pd.Timedelta(days=365)
        old = df["first_purchase"] <= start
        df["_old"] = old.astype("float64")
        df["_kept"] = (old & (df["last_purchase"] > start)).astype("float64")
    if "orders" in df:
        df["_repeat"] = (df["orders"] >= 2).astype("float64")
    if "frequency" in df:
        freq = pd.to_numeric(df["frequency"], errors="coerce")
        df["_once"] = (freq == 0).astype("float64").where(freq.notna())
        if "p_alive" in df:
            df["_p_repeat"] = df["p_alive"].where(freq > 0)
    elif "orders" in df:
        df["_once"] = (df["orders"] == 1).astype("float64")
    risk = _risk_rows(customers, at_risk_list)
    groups = [df.groupby(key, observed=False, sort=True)]
    labels = [None]
    if total:
        groups.append(df.groupby(np.zeros(len(df), dtype=int)))
        labels.append("All customers")
    parts = []
    for g, label in zip(groups, labels, strict=True):
        cols = {"customers": g["_one"].sum().astype("int64")}
        if "revenue" in df:
            cols["revenue"] = g["revenue"].sum()
        if "_repeat" in df:
            cols["repeat_rate"] = g["_repeat"].mean()
        if "_old" in df:
            cols["bought_again_12m"] = g["_kept"].sum() / g["_old"].sum().replace(0, np.nan)
        if "_once" in df:
            cols["one_time_share"] = g["_once"].mean()
        if "p_alive" in df:
            cols["chance_still_active"] = g["p_alive"].mean()
            if "_p_repeat" in df:
                cols["chance_still_active_repeat"] = g["_p_repeat"].mean()
        for c in ("expected_purchases", "clv"):
            if c in df:
                cols[c] = g[c].sum()
        part = pd.DataFrame(cols)
        if risk is not None:
            of_risk = _risk_groups(risk, df.index, key if label is None else None)
            warn = pd.DataFrame({
                k: early_warning_summary(of_risk.get(k, risk.iloc[:0])) for k in part.index}).T
            for c in warn.columns:
                kind = "int64" if c.endswith("_customers") else "float64"
                part[c] = warn[c].astype(kind)
        if label is not None:
            part.index = pd.Index([label])
        parts.append(part)
    out = pd.concat(parts) if total else parts[0]
    out.index = pd.Index([str(i) for i in out.index], name=name)
    n = len(df)
    out.insert(1, "customer_share", out["customers"] / n)
    if "revenue" in out:
        tot = df["revenue"].sum()
        pos = list(out.columns).index("revenue") + 1
        out.insert(pos, "revenue_share", out["revenue"] / tot if tot else np.nan)
        out.insert(pos + 1, "revenue_per_customer",
                   out["revenue"] / out["customers"].replace(0, np.nan))
    if "clv" in out:
        tot = df["clv"].sum()
        pos = list(out.columns).index("clv") + 1
        out.insert(pos, "clv_share", out["clv"] / tot if tot else np.nan)
        out.insert(pos + 1, "mean_clv", out["clv"] / out["customers"].replace(0, np.nan))
    return out


def _risk_rows(customers: pd.DataFrame, at_risk_list: pd.DataFrame | None
               ) -> pd.DataFrame | None:
    """The early-warning rows of the customers in ``customers`` (None when there are none)."""
    need = {"list", "value_if_retained", "expected_value"}
    if at_risk_list is None:
        return customers if need <= set(customers.columns) else None
    if not isinstance(at_risk_list, pd.DataFrame) or not need <= set(at_risk_list.columns):
        raise DataError("at_risk_list must be the output of retainlib.at_risk (columns 'list', "
                        "'value_if_retained', 'expected_value')")
    return at_risk_list[member_of(at_risk_list.index, customers.index)]


def _risk_groups(risk: pd.DataFrame, customers: pd.Index, key: pd.Series | None) -> dict:
    """The early-warning rows per group: ``key``'s value of each row's customer -> rows.

    ``key`` is the group of every customer (aligned with ``customers``); None
    puts every row in group 0 (the 'All customers' row).
    """
    if key is None:
        return {0: risk}
    where = customers.get_indexer(risk.index)
    of_row = pd.Series(key.to_numpy()[where], index=risk.index)
    return {k: part for k, part in risk.groupby(of_row, observed=True, sort=False)}
