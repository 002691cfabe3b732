"""The analytics' tables from an engine's sums (DuckDB or Spark reduced the lines in SQL).

An engine (:mod:`retainlib.load.engines`) does not bring a large client's
purchase lines to pandas: it sums them per customer, per customer and period,
per calibration split and per year (``retainlib.load.engines.Facts``). The
functions here turn those sums into the frames the report uses, with the
definitions of the functions they replace, which share their code where the
arithmetic is the same:

=========================  =====================================================
:func:`rfm_of`             :func:`retainlib.rfm_summary`
:func:`value_of`           :func:`retainlib.analytics.pareto.customer_value`
:func:`calibration_of`     :func:`retainlib.calibration_holdout`
:func:`tracking_from`      :func:`retainlib.analytics.holdout.cumulative_tracking`
=========================  =====================================================

and :func:`retainlib.analytics.periods.activity_of_cells` (cohort tables and
KPIs), :func:`retainlib.analytics.economics.yearly_of` (revenue per customer
per year).

The per-customer input (``summary``) has one row per customer indexed by
``customer_id`` and the columns ``purchase_days``, ``first_day``,
``last_day`` (day numbers, days since 1970-01-01), ``purchase_total`` and
``first_net`` (the first purchase day's net amount): a customer's purchase
days (days whose net amount is >= 0), NaN or 0 days without one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retainlib._units import days_per
from retainlib.analytics.holdout import tracking_of
from retainlib.analytics.periods import to_day
from retainlib.analytics.rfm import summary_columns
from retainlib.errors import DataError

__all__ = ["calibration_of", "rfm_of", "tracking_from", "value_of"]

_VALUE = ("revenue", "orders", "gross_revenue", "returns", "first_purchase", "last_purchase")


def _bought(summary: pd.DataFrame) -> pd.DataFrame:
    """The customers of ``summary`` with a purchase day."""
    days = summary["purchase_days"].to_numpy(dtype=float)
    return summary[np.nan_to_num(days) > 0]


def rfm_of(summary: pd.DataFrame, *, observation_end: object, return_days: tuple = (0, 0.0),
           time_unit: str = "W") -> pd.DataFrame:
    """:func:`retainlib.rfm_summary` from per-customer purchase-day sums.

    ``return_days`` is the number and net amount of the days below zero (for
    ``attrs``). Returns the frame of :func:`retainlib.rfm_summary`, its
    customers in the order of ``summary``.

    Examples
    --------
    Customer a: purchase days 0, 7 and 14 (10, 20 and 30); b: one day, 5:

    >>> s = pd.DataFrame({"purchase_days": [3, 1], "first_day": [0, 7], "last_day": [14, 7],
    ...                   "purchase_total": [60.0, 5.0], "first_net": [10.0, 5.0]},
    ...                  index=pd.Index(["a", "b"], name="customer_id"))
    >>> rfm_of(s, observation_end="1970-01-29")  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency    T  monetary_value
    customer_id
    a                    2      2.0  4.0            25.0
    b                    0      0.0  3.0             0.0
    """
    end_day = to_day(observation_end, "observation_end")
    bought = _bought(summary)
    if bought.empty:
        raise DataError("no purchase day on or before observation_end: every customer-day has "
                        "a negative net amount (returns); check the sign of the 'amount' column")
    cols = summary_columns(
        bought["purchase_days"].to_numpy(dtype=np.int64),
        bought["first_day"].to_numpy(dtype=np.int64), bought["last_day"].to_numpy(dtype=np.int64),
        bought["purchase_total"].to_numpy(dtype=float), bought["first_net"].to_numpy(dtype=float),
        end_day, days_per(time_unit))
    out = pd.DataFrame(cols, index=bought.index.rename("customer_id"))
    out.attrs.update(time_unit=time_unit, observation_end=str(np.datetime64(end_day, "D")),
                     return_days_excluded=int(return_days[0]),
                     return_amount_excluded=float(return_days[1]),
                     customers_without_purchase=len(summary) - len(bought))
    return out


def value_of(summary: pd.DataFrame) -> pd.DataFrame:
    """:func:`retainlib.analytics.pareto.customer_value`'s columns of an engine's customer table.

    ``summary`` holds them already (``revenue``, ``orders``, ``gross_revenue``,
    ``returns``, ``first_purchase``, ``last_purchase``); returned sorted by id,
    with their dtypes (int orders, float money, datetime64 dates).
    """
    missing = [c for c in _VALUE if c not in summary.columns]
    if missing:
        raise DataError(f"the customer sums lack the columns {missing}")
    out = summary[list(_VALUE)].sort_index()
    return out.assign(orders=out["orders"].astype("int64"),
                      **{c: out[c].astype("float64") + 0.0  # -0.0 -> 0.0
                         for c in ("revenue", "gross_revenue", "returns")})


def calibration_of(summary: pd.DataFrame, *, calibration_end: object, observation_end: object,
                   returns: dict | None = None, time_unit: str = "W") -> pd.DataFrame:
    """:func:`retainlib.calibration_holdout` from per-customer sums of both periods.

    ``summary``: the purchase-day sums up to ``calibration_end`` (columns as
    for :func:`rfm_of`) of the customers with a purchase day by then, and
    ``holdout_days``, ``holdout_total``: their purchase days after it, up to
    ``observation_end``. ``returns``: the return days (``n``, ``amount`` up
    to the calibration end; ``holdout_n``, ``holdout_amount`` after it) and
    ``without_purchase`` (customers with only return days by the calibration
    end), for ``attrs``.
    """
    returns = dict(returns or {})
    cal_day = to_day(calibration_end, "calibration_end")
    end_day = to_day(observation_end, "observation_end")
    if end_day <= cal_day:
        raise DataError(f"observation_end ({observation_end}) must be after calibration_end "
                        f"({calibration_end})")
    cal = rfm_of(summary, observation_end=calibration_end, time_unit=time_unit,
                 return_days=(returns.get("n", 0), returns.get("amount", 0.0)))
    hold = summary.loc[cal.index]
    n_days = hold["holdout_days"].to_numpy(dtype=np.int64)
    total = hold["holdout_total"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n_days > 0, total / np.maximum(n_days, 1), 0.0)
    out = cal.add_suffix("_cal")
    out["frequency_holdout"] = n_days
    out["monetary_value_holdout"] = mean
    out["duration_holdout"] = (end_day - cal_day) / days_per(time_unit)
    out.attrs.update(cal.attrs, customers_without_purchase=int(
        returns.get("without_purchase", 0)))
    out.attrs.update(
        calibration_end=str(np.datetime64(cal_day, "D")),
        observation_end=str(np.datetime64(end_day, "D")),
        holdout_return_days_excluded=int(returns.get("holdout_n", 0)),
        holdout_return_amount_excluded=float(returns.get("holdout_amount", 0.0)),
    )
    return out


def tracking_from(model: object, summary: pd.DataFrame, repeat_days: pd.DataFrame, *,
                  calibration_end: object, observation_end: object,
                  time_unit: str = "W", outside: int = 0) -> pd.DataFrame:
    """:func:`retainlib.analytics.holdout.cumulative_tracking` from an engine's sums.

    ``summary`` as for :func:`calibration_of` (its customers are the cohort;
    ``first_day`` their first purchase day); ``repeat_days``: ``day_number``
    and ``n``, the cohort's repeat purchase days on each day up to
    ``observation_end``.
    """
    days = repeat_days["day_number"].to_numpy(dtype=np.int64)
    order = np.argsort(days, kind="stable")
    repeats = np.repeat(days[order], repeat_days["n"].to_numpy(dtype=np.int64)[order])
    return tracking_of(model, _bought(summary)["first_day"].to_numpy(dtype=np.int64), repeats,
                       calibration_day=to_day(calibration_end, "calibration_end"),
                       end_day=to_day(observation_end, "observation_end"), time_unit=time_unit,
                       outside=outside)
