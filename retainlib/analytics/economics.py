"""Retention economics: revenue per customer, CLV vs CAC, campaign ROI, value of retention.

What more retention is worth is computed from the fitted models, not a rule of thumb.

Formulas
--------
- Yearly revenue per customer: for each calendar year (or fiscal year from the client's
  ``fiscal_year_start`` month), net revenue in the year / customers with a purchase in it;
  years the data cover only in part are marked ``partial``.
- CLV to CAC: ``clv_to_cac = mean CLV / CAC`` (and its inverse ``cac_to_clv``); a new
  customer's CLV (:func:`new_customer_clv`) is the right one to set against CAC.
- Retention ROI (percent): ``(additional value - campaign cost) / campaign cost * 100``
  with ``additional value = customers targeted * expected lift * value per retained
  customer * margin`` (the expected lift is the rise in the probability that a targeted
  customer stays, e.g. 0.05 = 5 points).
- Retention scenarios (:func:`retention_scenarios`, BG/NBD): see its docstring.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import roots_jacobi

from retainlib._arrays import distinct_rows
from retainlib._units import convert
from retainlib.errors import ConfigError, DataError

__all__ = [
    "clv_cac",
    "new_customer_clv",
    "retention_roi",
    "retention_scenarios",
    "yearly_revenue_per_customer",
]


def _positive(name: str, value: object, *, allow_zero: bool = False) -> float:
    ok = isinstance(value, Real) and not isinstance(value, bool) and np.isfinite(value) and (
        value >= 0 if allow_zero else value > 0)
    if not ok:
        raise ConfigError(f"{name} must be a {'non-negative' if allow_zero else 'positive'} "
                          f"number, got {value!r}")
    return float(value)


# --------------------------------------------------------------------------- revenue per customer
def _year_label(first: int, fiscal_year_start: int) -> str:
    """'2024' for a calendar year; '2024/25' for a fiscal year from a later month of 2024."""
    return str(first) if fiscal_year_start == 1 else f"{first}/{(first + 1) % 100:02d}"


def yearly_revenue_per_customer(tx: pd.DataFrame, *, observation_end: object = None,
                                fiscal_year_start: int = 1) -> pd.DataFrame:
    """Average revenue per buying customer in each calendar or fiscal year.

    Business meaning: what one active customer is worth to the business in a year.

    A year runs from the first day of month ``fiscal_year_start`` to the day before the
    same date a year later (January: the calendar year). It is labelled by its calendar
    year (``'2024'``) when it starts in January, else by the two calendar years it spans
    (``'2024/25'``: April 2024 to March 2025). Every year from the one holding the first
    transaction to the one holding ``observation_end`` has a row, oldest first; a year is
    ``partial`` when the data start after its first day or end before its last day.

    Parameters
    ----------
    tx : DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``).
    observation_end : date-like, optional
        Last day observed (inclusive); later rows are left out. Default: the last
        transaction date.
    fiscal_year_start : int, default 1
        First month of the client's year, 1 (January) to 12 (the config key
        ``fiscal_year_start``).

    Returns
    -------
    DataFrame
        One row per year, oldest first, indexed by ``year`` (text label, see above):
        ``year_start``, ``year_end`` (first and last day of the year), ``observed_from``,
        ``observed_to`` (the days of it the data cover), ``revenue`` (net of returns),
        ``customers`` (with a purchase, amount > 0, in the year), ``revenue_per_customer``
        (revenue / customers; NaN without customers), ``partial`` (bool: the data do not
        cover the whole year).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [100.0, 50.0, 30.0],
    ...                    "date": pd.to_datetime(["2022-12-01", "2023-12-01", "2024-02-01"])})
    >>> y = yearly_revenue_per_customer(tx, observation_end="2024-03-31")
    >>> y[["revenue_per_customer", "partial"]]  # doctest: +NORMALIZE_WHITESPACE
          revenue_per_customer  partial
    year
    2022                 100.0     True
    2023                  50.0    False
    2024                  30.0     True
    >>> yearly_revenue_per_customer(tx, observation_end="2024-03-31",
    ...                             fiscal_year_start=4)["revenue"].to_dict()
    {'2022/23': 100.0, '2023/24': 80.0}
    """
    if not isinstance(tx, pd.DataFrame) or not {"customer_id", "date", "amount"} <= set(tx):
        raise DataError("yearly_revenue_per_customer expects canonical transactions")
    if (isinstance(fiscal_year_start, bool) or not isinstance(fiscal_year_start, (int, np.integer))
            or not 1 <= fiscal_year_start <= 12):
        raise ConfigError(f"fiscal_year_start must be a month number from 1 (January) to 12, "
                          f"not {fiscal_year_start!r}")
    m = int(fiscal_year_start)
    end = (pd.Timestamp(observation_end) if observation_end is not None
           else tx["date"].max()).normalize()
    day = tx["date"].dt.normalize()
    inside = (day <= end).to_numpy()
    if not inside.any():
        raise DataError(f"no transaction on or before the observation end {end.date()}")
    day = day[inside]
    first = day.min()
    # fiscal year of a date = its calendar year, minus one before the start month
    fy = (day.dt.year - (day.dt.month < m)).to_numpy()
    sub = tx.loc[inside, ["customer_id", "amount"]].assign(_y=fy)
    revenue = sub.groupby("_y")["amount"].sum()
    buyers = sub[sub["amount"] > 0].groupby("_y")["customer_id"].nunique()
    return yearly_of(revenue, buyers, first=first, observation_end=end, fiscal_year_start=m)


def yearly_of(revenue: pd.Series, buyers: pd.Series, *, first: pd.Timestamp,
              observation_end: pd.Timestamp, fiscal_year_start: int = 1) -> pd.DataFrame:
    """:func:`yearly_revenue_per_customer` from the sums per year.

    ``revenue`` (net) and ``buyers`` (customers with a purchase row) are indexed
    by the first calendar year of each (fiscal) year; ``first`` is the first
    transaction's day and ``observation_end`` the last day observed.
    """
    m, end = int(fiscal_year_start), pd.Timestamp(observation_end).normalize()
    first = pd.Timestamp(first).normalize()
    years = np.arange(first.year - (first.month < m), end.year - (end.month < m) + 1)
    starts = pd.DatetimeIndex([pd.Timestamp(int(y), m, 1) for y in years])
    ends = pd.DatetimeIndex([pd.Timestamp(int(y) + 1, m, 1) for y in years]) - pd.Timedelta(
        days=1)
    out = pd.DataFrame({
        "year_start": starts, "year_end": ends,
        "observed_from": starts.where(starts >= first, first),
        "observed_to": ends.where(ends <= end, end),
        "revenue": revenue.reindex(years, fill_value=0.0).to_numpy(dtype="float64"),
        "customers": buyers.reindex(years, fill_value=0).to_numpy(dtype="int64"),
    }, index=pd.Index([_year_label(int(y), m) for y in years], name="year"))
    out["revenue_per_customer"] = out["revenue"] / out["customers"].replace(0, np.nan)
    out["partial"] = (out["year_start"] < first) | (out["year_end"] > end)
    return out


# --------------------------------------------------------------------------- CLV vs CAC
def new_customer_clv(purchases_model, spend_model, *, horizon_months: int = 36,
                     annual_discount_rate: float = 0.10, margin: float = 1.0,
                     time_unit: str = "W", first_order_value: float | None = None) -> float:
    """Expected discounted margin of a customer acquired today.

    Business meaning: what a new customer is worth, to compare with what acquiring one costs.

    The repeat purchases of a brand-new customer (frequency 0, recency 0, T 0: FHL 2005
    eq. 9 for the purchases, the population mean for the spend) valued with
    :func:`retainlib.customer_lifetime_value`, plus ``first_order_value * margin`` for the
    acquisition order itself when given (e.g. the mean first-order amount).

    Returns
    -------
    float
    """
    from retainlib.analytics.clv import customer_lifetime_value

    rfm = pd.DataFrame({"frequency": [0], "recency": [0.0], "T": [0.0], "monetary_value": [0.0]},
                       index=pd.Index(["new customer"], name="customer_id"))
    rfm.attrs["time_unit"] = time_unit
    value = float(customer_lifetime_value(
        rfm, purchases_model, spend_model, horizon_months=horizon_months,
        annual_discount_rate=annual_discount_rate, margin=margin, time_unit=time_unit).iloc[0])
    if first_order_value is not None:
        value += _positive("first_order_value", first_order_value, allow_zero=True) * margin
    return value


def clv_cac(clv: pd.Series | float, cac: float, *, by: pd.Series | None = None
            ) -> pd.DataFrame:
    """CLV against the cost of acquiring a customer (CAC), overall or by segment.

    Business meaning: how many times a customer pays back what it costs to win them
    (3 or more is the usual rule of thumb).

    Parameters
    ----------
    clv : Series or float
        CLV per customer, or one value such as :func:`new_customer_clv`.
    cac : float
        Acquisition cost per customer (the ``economics.cac`` config key).
    by : Series, optional
        Segment per customer (indexed like ``clv``).

    Returns
    -------
    DataFrame
        Indexed by segment (``'All customers'`` row last): ``customers``, ``mean_clv``,
        ``cac``, ``clv_to_cac`` (mean CLV / CAC), ``cac_to_clv`` (CAC / mean CLV).

    Examples
    --------
    >>> clv_cac(pd.Series([300.0, 100.0]), 50.0)[["clv_to_cac", "cac_to_clv"]].iloc[0].tolist()
    [4.0, 0.25]
    """
    cac = _positive("cac", cac)
    values = pd.Series([float(clv)]) if isinstance(clv, Real) else pd.Series(clv, dtype="float64")
    frames = []
    if by is not None:
        key = pd.Series(by).reindex(values.index)
        key = key.astype("object").where(key.notna(), "(missing)")
        g = values.groupby(key, sort=True)
        frames.append(pd.DataFrame({"customers": g.size(), "mean_clv": g.mean()}))
    frames.append(pd.DataFrame({"customers": [len(values)], "mean_clv": [values.mean()]},
                               index=["All customers"]))
    out = pd.concat(frames)
    out.index.name = by.name if by is not None and by.name is not None else "segment"
    out["customers"] = out["customers"].astype("int64")
    out["cac"] = cac
    out["clv_to_cac"] = out["mean_clv"] / cac
    out["cac_to_clv"] = cac / out["mean_clv"]
    return out


# --------------------------------------------------------------------------- campaign ROI
def retention_roi(*, campaign_cost: float, customers_targeted: int, expected_lift: float,
                  value_per_customer: float | pd.Series, margin: float = 1.0,
                  within: object = None) -> pd.DataFrame:
    """Return on a retention campaign, in percent of its cost.

    Business meaning: does the campaign earn more than it costs, and by how much.

    ``retained = customers_targeted * expected_lift``;
    ``additional_value = retained * value_per_customer * margin``;
    ``roi_pct = (additional_value - campaign_cost) / campaign_cost * 100``.

    **One segment's part of the campaign** (``within``): the campaign is the client's
    (it targets the client's top ``customers_targeted`` customers by value); a segment's
    part is the targeted customers who belong to the segment, and it costs their share of
    the campaign: ``campaign_cost * targeted in the segment / customers_targeted``. Its
    value per customer is the mean over those customers. The parts of all segments add up
    to the whole campaign (cost, customers, additional value); a segment with no targeted
    customer has cost 0 and no ROI (NaN): leave the campaign out of its report.

    Parameters
    ----------
    campaign_cost : float
        Total cost of the campaign.
    customers_targeted : int
        Customers the campaign reaches.
    expected_lift : float
        Rise in the probability that a targeted customer stays (0.05 = 5 points), e.g. the
        rise in P(alive) or in the retention rate.
    value_per_customer : float or Series
        What one retained customer brings. A Series (e.g. the customer table's
        ``value_if_retained``: next-year revenue if they stay) means the campaign targets
        the top ``customers_targeted`` values, and their mean is used. With ``within`` it
        must be the Series of all the client's customers.
    margin : float, default 1.0
        Share of the value kept as profit (1.0 = revenue).
    within : sequence of customer ids, optional
        The customers of one segment (e.g. ``segment_customers.index``): report the
        segment's part of the campaign (above). Needs a Series ``value_per_customer``.

    Returns
    -------
    DataFrame
        One row (index ``'campaign'``; with ``within``, ``'segment part'``):
        ``campaign_cost`` (of this part), ``customers_targeted`` (int), ``expected_lift``,
        ``customers_retained``, ``value_per_customer``, ``additional_value``, ``net_gain``,
        ``roi_pct`` (NaN when the part costs nothing), ``campaign_share`` (the part's share
        of the campaign's customers, 1 for the whole campaign).

    Examples
    --------
    >>> retention_roi(campaign_cost=10_000, customers_targeted=200, expected_lift=0.10,
    ...               value_per_customer=1_500)["roi_pct"].iloc[0]
    np.float64(200.0)

    Four customers, the campaign targets the top two (a 5,000 and c 3,000) for 1,000; the
    segment {a, b} holds one of them: half the campaign, cost 500, value 5,000.

    >>> value = pd.Series({"a": 5_000.0, "b": 1_000.0, "c": 3_000.0, "d": 500.0})
    >>> part = retention_roi(campaign_cost=1_000, customers_targeted=2, expected_lift=0.1,
    ...                      value_per_customer=value, within=["a", "b"])
    >>> row = part.iloc[0]
    >>> float(row.campaign_cost), int(row.customers_targeted), float(row.additional_value)
    (500.0, 1, 500.0)
    >>> float(row.roi_pct)
    0.0
    """
    cost = _positive("campaign_cost", campaign_cost)
    n = _positive("customers_targeted", customers_targeted)
    if not isinstance(expected_lift, Real) or not 0 <= expected_lift <= 1:
        raise ConfigError(f"expected_lift must be a share between 0 and 1 (0.05 = 5 points), "
                          f"got {expected_lift!r}")
    if within is not None and not isinstance(value_per_customer, pd.Series):
        raise ConfigError("within= needs value_per_customer as a Series of every customer's "
                          "value (the campaign targets the most valuable ones)")
    share = 1.0
    if isinstance(value_per_customer, pd.Series):
        top = value_per_customer.dropna().sort_values(ascending=False, kind="stable").head(int(n))
        if len(top) < n:
            raise DataError(f"customers_targeted={int(n)} but the value list has only "
                            f"{len(top)} customers; target fewer customers")
        if within is not None:
            top = top[top.index.isin(pd.Index(within))]
            share = len(top) / n
            n, cost = float(len(top)), cost * len(top) / n
        value = float(top.mean()) if len(top) else np.nan
    else:
        value = _positive("value_per_customer", value_per_customer, allow_zero=True)
    retained = n * float(expected_lift)
    added = retained * value * _positive("margin", margin) if n else 0.0
    return pd.DataFrame({
        "campaign_cost": [cost], "customers_targeted": [int(n)],
        "expected_lift": [float(expected_lift)], "customers_retained": [retained],
        "value_per_customer": [value], "additional_value": [added], "net_gain": [added - cost],
        "roi_pct": [(added - cost) / cost * 100.0 if cost else np.nan],
        "campaign_share": [share],
    }, index=pd.Index(["campaign" if within is None else "segment part"], name="scenario"))


# --------------------------------------------------------------------------- model scenarios
class _DropoutScaled:
    """A fitted BG/NBD whose customers' future dropout probability p is multiplied by k.

    Given the history, an active customer has ``lambda ~ Gamma(r + x, alpha + T)`` and
    ``p ~ Beta(a, b + x)``, independent; dropping out is a Poisson process of rate
    ``lambda k p``, so over the next t

    - ``P(still active) = E_p[((alpha + T) / (alpha + T + k p t))^(r + x)]``
    - ``E[purchases | active now] = E_p[(1 - ((alpha + T) / (alpha + T + k p t))^(r + x)) / (k p)]``

    (k = 1 gives FHL 2005 eq. 10 divided by P(alive)). The expectation over p uses
    Gauss-Jacobi quadrature with the Beta(a, b + x) weight, evaluated once per distinct
    (x, T) pair of ``rfm``; nodes are computed once per distinct x.
    """

    def __init__(self, model, rfm: pd.DataFrame, k: float = 1.0, nodes: int = 48) -> None:
        self.model, self.k, self.nodes = model, float(k), nodes
        self.r, self.alpha, self.a, self.b = (float(v) for v in model.params_[
            ["r", "alpha", "a", "b"]])
        self.rules: dict[float, tuple[np.ndarray, np.ndarray]] = {}  # shared by scaled copies
        self.groups = self._groups(rfm)

    def _groups(self, rfm: pd.DataFrame) -> tuple:
        """Distinct (x, T) pairs of ``rfm``, each customer's pair, and P(alive)."""
        if getattr(self, "groups", None) is not None and self.groups[0] is rfm:
            return self.groups
        x = rfm["frequency"].to_numpy(dtype="float64")
        T = rfm["T"].to_numpy(dtype="float64")
        inverse, (x_values, t_values) = distinct_rows(x, T)  # hash-based: fast on many customers
        p_alive = np.asarray(self.model.probability_alive(rfm), dtype="float64")
        return rfm, x_values, t_values, inverse, p_alive

    def scaled(self, k: float) -> _DropoutScaled:
        """The same model with dropout multiplier ``k`` (groups and quadrature rules reused)."""
        out = object.__new__(_DropoutScaled)
        out.__dict__.update(self.__dict__, k=float(k))
        return out

    @property
    def p_alive(self) -> np.ndarray:
        """P(alive) of the customers the model was built with."""
        return self.groups[4]

    def probability_alive(self, rfm):
        return self.model.probability_alive(rfm)

    def _expect(self, x: np.ndarray, T: np.ndarray, t: float, survival: bool) -> np.ndarray:
        out = np.empty(len(x))
        for xv in np.unique(x):  # one quadrature rule per distinct frequency
            if xv not in self.rules:
                u, w = roots_jacobi(self.nodes, self.b + xv - 1, self.a - 1)
                self.rules[xv] = ((1 + u) / 2, w / w.sum())
            p, w = self.rules[xv]
            sel = x == xv
            c = self.alpha + T[sel, None]
            stay = (c / (c + self.k * p * t)) ** (self.r + xv)
            out[sel] = (stay if survival else (1 - stay) / (self.k * p)) @ w
        return out

    def survival(self, rfm, t: float) -> np.ndarray:
        """P(active after ``t`` | active now) per customer of ``rfm``."""
        _, x, T, inverse, _ = self._groups(rfm)
        return self._expect(x, T, float(t), survival=True)[inverse]

    def expected_purchases(self, rfm, t):
        """E[purchases in the next ``t``] = P(alive) x E[purchases | active now]."""
        _, x, T, inverse, p_alive = self._groups(rfm)
        return pd.Series(p_alive * self._expect(x, T, float(t), survival=False)[inverse],
                         index=rfm.index, name="expected_purchases")


def retention_scenarios(rfm: pd.DataFrame, purchases_model, spend_model, *,
                        lifts=(0.05,), horizon_months: int = 12,
                        annual_discount_rate: float = 0.10, margin: float = 1.0,
                        retention_weeks: float = 52.0) -> pd.DataFrame:
    """What more retention is worth over the CLV horizon, from the fitted BG/NBD and Gamma-Gamma.

    Business meaning: "keeping 5 more points of our active customers for a year is worth X".

    Method. The base's **12-month retention** is the model's probability that a customer
    active today is still active ``retention_weeks`` from now, averaged over customers
    weighted by P(alive). A scenario multiplies every customer's future dropout probability
    p (BG/NBD: the chance of leaving after each purchase) by one factor k < 1, chosen so
    that this retention rises by ``lift`` (absolute); P(alive) today is unchanged (a
    campaign cannot revive who has already left). Expected purchases over the horizon are
    recomputed under the lower dropout (see :class:`_DropoutScaled`) and valued with
    :func:`retainlib.customer_lifetime_value` (Gamma-Gamma spend x margin, discounted
    monthly). ``added_clv`` is the difference from the fitted model's own CLV.

    Parameters
    ----------
    rfm : DataFrame
        Summary from :func:`retainlib.rfm_summary` (its ``attrs['time_unit']``, default 'W').
    purchases_model : BetaGeoModel
        Fitted; its ``params_`` (r, alpha, a, b) are used.
    spend_model : GammaGammaModel or Series
        Fitted spend model or expected spend per customer.
    lifts : sequence of float, default (0.05,)
        Rises in 12-month retention to price (0.05 = 5 points).
    horizon_months, annual_discount_rate, margin :
        As in :func:`retainlib.customer_lifetime_value`.
    retention_weeks : float, default 52
        Window of the retention rate.

    Returns
    -------
    DataFrame
        Indexed by ``lift`` (0 = the fitted model): ``retention``, ``dropout_multiplier``
        (k), ``expected_purchases`` (sum over the horizon), ``clv`` (sum), ``added_clv``,
        ``added_clv_per_customer``.
    """
    from retainlib.analytics.clv import customer_lifetime_value

    if not hasattr(purchases_model, "params_") or not {"r", "alpha", "a", "b"} <= set(
            purchases_model.params_.index):
        raise DataError("retention_scenarios needs a fitted BetaGeoModel (params r, alpha, a, b)")
    unit = rfm.attrs.get("time_unit", "W")
    t_ret = convert(retention_weeks, "W", unit)
    months = convert(horizon_months, "M", unit)

    base = _DropoutScaled(purchases_model, rfm)

    def retention(k: float) -> float:
        s = base.scaled(k).survival(rfm, t_ret)
        return float(weights @ s / weights.sum())

    def value(model) -> tuple[float, float]:
        clv = customer_lifetime_value(rfm, model, spend_model, horizon_months=horizon_months,
                                      annual_discount_rate=annual_discount_rate, margin=margin,
                                      time_unit=unit)
        return float(clv.sum()), float(np.sum(model.expected_purchases(rfm, months)))

    weights = base.p_alive
    base_ret = retention(1.0)
    base_clv, base_purchases = value(purchases_model)
    rows = [(0.0, base_ret, 1.0, base_purchases, base_clv)]
    for lift in lifts:
        lift = float(lift)
        target = base_ret + lift
        if not 0 < lift < 1 - base_ret:
            raise ConfigError(f"a lift of {lift:.1%} is not possible: the model's retention is "
                              f"{base_ret:.1%}, so lifts must lie between 0 and {1 - base_ret:.1%}")
        k = brentq(lambda k, target=target: retention(k) - target, 1e-9, 1.0, xtol=1e-10)
        clv, purchases = value(base.scaled(k))
        rows.append((lift, retention(k), k, purchases, clv))
    out = pd.DataFrame(rows, columns=["lift", "retention", "dropout_multiplier",
                                      "expected_purchases", "clv"]).set_index("lift")
    out["added_clv"] = out["clv"] - base_clv
    out["added_clv_per_customer"] = out["added_clv"] / len(rfm)
    return out
