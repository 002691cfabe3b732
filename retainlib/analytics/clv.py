"""Customer lifetime value: discounted expected margin over an explicit horizon in months.

CLV of customer *i* over ``M`` months (Fader, Hardie & Lee 2005, "RFM and CLV",
discrete-time form)::

    CLV_i = margin * E[spend_i] * sum_{m=1..M} (E[X_i(t_m)] - E[X_i(t_{m-1})]) / (1 + d)^m

* ``E[X_i(t)]`` is the purchase model's expected number of purchases in the
  next ``t`` time units given the customer's history (``expected_purchases``);
* ``t_m`` is *m* months expressed in the summary's time unit, with one month =
  365.25 / 12 days = 30.4375 days (4.348 weeks for ``time_unit='W'``). Months
  are never assumed to be 30 units of whatever the data are in: lifetimes'
  ``customer_lifetime_value`` does exactly that by default (``freq='D'``), so
  on weekly data its "12 months" are 360 weeks (CDNOW customer 1: 140.10
  instead of 36.30);
* ``d = (1 + annual_discount_rate) ** (1 / 12) - 1`` is the monthly rate
  equivalent to the annual rate, and each month's margin is discounted at the
  **end** of that month (month 1 by ``1 / (1 + d)``).
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from retainlib._arrays import member_of, predict_on_distinct_rows
from retainlib._units import DAYS_PER_MONTH as DAYS_PER_MONTH  # re-exported: one month in days
from retainlib._units import convert
from retainlib.errors import ConfigError, DataError


def month_length(time_unit: str) -> float:
    """Length of one month (365.25 / 12 days) in ``time_unit``.

    Examples
    --------
    >>> round(month_length("W"), 4)
    4.3482
    >>> month_length("M")
    1.0
    """
    return convert(1.0, "M", time_unit)


def _check_time_unit(rfm: pd.DataFrame, time_unit: str) -> float:
    unit_months = month_length(time_unit)
    data_unit = rfm.attrs.get("time_unit")
    if data_unit is not None and data_unit != time_unit:
        raise DataError(
            f"the customer summary is in time unit {data_unit!r} (rfm.attrs['time_unit']) but "
            f"time_unit={time_unit!r} was passed; pass time_unit={data_unit!r} or rebuild the "
            f"summary with rfm_summary(tx, time_unit={time_unit!r})"
        )
    return unit_months


def _check_terms(horizon_months: object, annual_discount_rate: object, margin: object) -> None:
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, Real) or (
        not float(horizon_months).is_integer() or horizon_months < 1
    ):
        raise ConfigError(
            f"horizon_months must be a whole number of months >= 1, got {horizon_months!r}; "
            "e.g. horizon_months=12 for one year"
        )
    if isinstance(annual_discount_rate, bool) or not isinstance(annual_discount_rate, Real) or (
        not np.isfinite(annual_discount_rate) or annual_discount_rate <= -1
    ):
        raise ConfigError(
            f"annual_discount_rate must be a number greater than -1, got {annual_discount_rate!r}; "
            "e.g. 0.10 for 10% a year"
        )
    if annual_discount_rate >= 1:
        raise ConfigError(
            f"annual_discount_rate={annual_discount_rate!r} means {annual_discount_rate:.0%} a "
            "year; rates are fractions, pass e.g. 0.10 for 10%"
        )
    if isinstance(margin, bool) or not isinstance(margin, Real) or not 0 < margin <= 1:
        raise ConfigError(
            f"margin must be a fraction in (0, 1] (the share of revenue kept as profit), got "
            f"{margin!r}; e.g. margin=0.3 for a 30% margin, or 1.0 to value revenue"
        )


def _spend_values(spend: object, rfm: pd.DataFrame) -> np.ndarray:
    """Expected spend per customer of ``rfm`` from a fitted spend model or a Series."""
    if isinstance(spend, pd.Series):
        if spend.index.has_duplicates:
            dup = spend.index[spend.index.duplicated()][0]
            raise DataError(
                f"the spend Series has customer {dup!r} more than once; pass one expected spend "
                "per customer"
            )
        missing = ~member_of(rfm.index, spend.index)
        if missing.any():
            raise DataError(
                f"the spend Series has no value for {int(missing.sum())} of the {len(rfm)} "
                f"customers in the summary (first: {rfm.index[missing][0]!r}); index it by the "
                "same customer_id as the summary"
            )
        values = pd.to_numeric(spend.reindex(rfm.index), errors="coerce").to_numpy(dtype=float)
    elif hasattr(spend, "expected_spend"):
        # per customer: one line of arithmetic, cheaper than finding the distinct rows
        values = np.asarray(spend.expected_spend(rfm), dtype=float)
    else:
        raise DataError(
            f"spend must be a fitted GammaGammaModel (anything with expected_spend(rfm)) or a "
            f"pandas Series of expected spend per customer, got {type(spend).__name__}"
        )
    bad = ~np.isfinite(values)
    if bad.any():
        raise DataError(
            f"expected spend is missing or infinite for {int(bad.sum())} customer(s) (first: "
            f"{rfm.index[bad][0]!r}); fill or drop them before computing CLV"
        )
    return values


def _cumulative(purchases: object, rfm: pd.DataFrame, t: float) -> np.ndarray:
    values = np.asarray(purchases.expected_purchases(rfm, t), dtype=float)
    if values.shape != (len(rfm),):
        raise DataError(
            f"{type(purchases).__name__}.expected_purchases returned {values.shape} values for "
            f"{len(rfm)} customers; it must return one value per customer"
        )
    return values


def _clv_parts(rfm, purchases, spend, horizon_months, annual_discount_rate, margin, time_unit):
    """Return (clv, expected purchases over the horizon, expected spend) as arrays."""
    if not isinstance(rfm, pd.DataFrame):
        raise DataError(
            f"rfm must be a per-customer summary DataFrame, got {type(rfm).__name__}; build it "
            "with retainlib.rfm_summary(tx)"
        )
    if rfm.index.has_duplicates:
        dup = rfm.index[rfm.index.duplicated()][0]
        raise DataError(
            f"customer {dup!r} appears more than once in the summary index; a summary has one "
            "row per customer (retainlib.rfm_summary)"
        )
    _check_terms(horizon_months, annual_discount_rate, margin)
    unit_months = _check_time_unit(rfm, time_unit)
    if not hasattr(purchases, "expected_purchases"):
        raise DataError(
            f"purchases must be a fitted purchase model such as BetaGeoModel (anything with "
            f"expected_purchases(rfm, t)), got {type(purchases).__name__}"
        )
    spend_values = _spend_values(spend, rfm)
    monthly_discount = 1.0 / (1.0 + annual_discount_rate) ** (1.0 / 12.0)

    def discounted_purchases(rows: pd.DataFrame) -> pd.DataFrame:
        """Discounted and total expected purchases over the horizon of each row of ``rows``."""
        discounted = np.zeros(len(rows))
        previous = np.zeros(len(rows))  # E[X(t_0)] = E[X(0)] = 0
        # One vectorised model call per month of the horizon (memory stays O(rows)).
        for m in range(1, int(horizon_months) + 1):
            current = _cumulative(purchases, rows, m * unit_months)
            discounted += (current - previous) * monthly_discount**m
            previous = current
        return pd.DataFrame({"discounted": discounted, "total": previous}, index=rows.index)

    # Customers with identical summary rows have identical expected purchases: the model is
    # evaluated once per distinct row (e.g. all one-time buyers of the same week collapse) of
    # the columns it reads (BetaGeoModel.input_columns), or of all columns if it does not say.
    parts = predict_on_distinct_rows(discounted_purchases, rfm,
                                     getattr(purchases, "input_columns", rfm.columns))
    discounted, total = parts["discounted"].to_numpy(), parts["total"].to_numpy()
    return margin * spend_values * discounted, total, spend_values


def customer_lifetime_value(
    rfm: pd.DataFrame,
    purchases: object,
    spend: object,
    *,
    horizon_months: int,
    annual_discount_rate: float,
    margin: float = 1.0,
    time_unit: str = "W",
) -> pd.Series:
    """Discounted expected margin of each customer over the next ``horizon_months`` months.

    See the module docstring for the formula. Months are 365.25 / 12 days,
    converted to the summary's ``time_unit``; each month is discounted at its
    end at the monthly rate equivalent to ``annual_discount_rate``.

    Parameters
    ----------
    rfm : pandas.DataFrame
        Per-customer summary (``frequency``, ``recency``, ``T``,
        ``monetary_value``) indexed by customer id, from
        :func:`retainlib.rfm_summary`.
    purchases : BetaGeoModel
        A fitted purchase model: anything with ``expected_purchases(rfm, t)``
        returning the expected purchases in the next ``t`` time units.
    spend : GammaGammaModel or pandas.Series
        A fitted spend model (anything with ``expected_spend(rfm)``; the
        Gamma-Gamma gives customers without repeat purchases the population
        mean spend) or the expected spend per purchase of every customer,
        indexed by customer id (extra ids are ignored; missing ids are an error).
    horizon_months : int
        Whole number of months ahead (>= 1), e.g. 12 or 36.
    annual_discount_rate : float
        Yearly discount rate as a fraction (0.10 = 10% a year), > -1 and < 1.
    margin : float, default 1.0
        Share of revenue kept as profit, in (0, 1]; 1.0 values revenue.
    time_unit : {'D', 'W', 'M', 'Y'}, default 'W'
        Unit of ``recency`` and ``T`` in ``rfm``; must equal
        ``rfm.attrs['time_unit']`` when the summary records it.

    Returns
    -------
    pandas.Series
        ``clv`` per customer (same currency as the spend), indexed like ``rfm``.

    Raises
    ------
    ConfigError
        Horizon, discount rate, margin or time unit out of range.
    DataError
        Summary in another time unit, spend missing for some customers,
        duplicated customer ids, or objects that are not fitted models.

    Examples
    --------
    A purchase model with ``E[X(t)] = t`` (one purchase per month on a monthly
    summary), spend 100, no discounting: 12 months give 12 * 100.

    >>> class OnePerUnit:
    ...     def expected_purchases(self, rfm, t):
    ...         return pd.Series(t, index=rfm.index)
    >>> rfm = pd.DataFrame({"frequency": [1]}, index=pd.Index(["a"], name="customer_id"))
    >>> spend = pd.Series([100.0], index=rfm.index)
    >>> customer_lifetime_value(rfm, OnePerUnit(), spend, horizon_months=12,
    ...                         annual_discount_rate=0.0, time_unit="M").round(6).tolist()
    [1200.0]
    """
    clv, _, _ = _clv_parts(
        rfm, purchases, spend, horizon_months, annual_discount_rate, margin, time_unit
    )
    return pd.Series(clv, index=rfm.index, name="clv")


def clv_summary(
    rfm: pd.DataFrame,
    purchases: object,
    spend: object,
    *,
    horizon_months: int,
    annual_discount_rate: float,
    margin: float = 1.0,
    time_unit: str = "W",
) -> pd.Series:
    """Totals of the CLV forecast for a report: customers, purchases, revenue, margin and CLV.

    Parameters are those of :func:`customer_lifetime_value`.

    Returns
    -------
    pandas.Series
        ``customers`` (number), ``horizon_months``, ``expected_purchases``
        (sum over customers of the expected purchases over the horizon),
        ``expected_revenue`` (sum of expected purchases x expected spend,
        undiscounted), ``expected_margin`` (``expected_revenue * margin``,
        undiscounted), ``clv_total`` (sum of discounted CLV), ``clv_mean`` and
        ``clv_median`` (per customer).

    Examples
    --------
    >>> class OnePerUnit:
    ...     def expected_purchases(self, rfm, t):
    ...         return pd.Series(t, index=rfm.index)
    >>> rfm = pd.DataFrame({"frequency": [1, 2]}, index=pd.Index(["a", "b"], name="customer_id"))
    >>> spend = pd.Series([100.0, 50.0], index=rfm.index)
    >>> s = clv_summary(rfm, OnePerUnit(), spend, horizon_months=12, annual_discount_rate=0.0,
    ...                 margin=0.5, time_unit="M")
    >>> s[["expected_purchases", "expected_revenue", "expected_margin", "clv_total"]].tolist()
    [24.0, 1800.0, 900.0, 900.0]
    """
    clv, n_purchases, spend_values = _clv_parts(
        rfm, purchases, spend, horizon_months, annual_discount_rate, margin, time_unit
    )
    revenue = float(np.sum(n_purchases * spend_values))
    return pd.Series(
        {
            "customers": float(len(rfm)),
            "horizon_months": float(horizon_months),
            "expected_purchases": float(np.sum(n_purchases)),
            "expected_revenue": revenue,
            "expected_margin": revenue * margin,
            "clv_total": float(np.sum(clv)),
            "clv_mean": float(np.mean(clv)) if len(clv) else float("nan"),
            "clv_median": float(np.median(clv)) if len(clv) else float("nan"),
        },
        name="clv_summary",
    )
