"""Per-customer summaries (frequency, recency, T, monetary value) for the CLV models.

The summary has the meaning used by Fader, Hardie & Lee (2005), Hardie's CDNOW
files and the lifetimes / PyMC-Marketing libraries:

* all lines of one customer on one calendar day merge into one purchase
  occasion whose amount is the day's net amount (returns on the same day
  reduce it);
* a day whose net amount is negative (a pure return day, or returns exceeding
  that day's purchases) is **not** a purchase occasion: it is left out of
  frequency, recency and monetary value, and counted in ``df.attrs``
  (``"return_days_excluded"``, ``"return_amount_excluded"``). Days with a net
  amount of exactly 0 (free items, a purchase fully returned the same day)
  remain purchase occasions with amount 0;
* ``frequency`` is the number of repeat purchase days (purchase days after the
  first), ``recency`` the time from the first to the last purchase day, ``T``
  the time from the first purchase day to the observation end, and
  ``monetary_value`` the mean amount of the repeat purchase days (0 without
  repeat purchases).

Times are measured in calendar days and divided by the length of the unit:
'D' = 1 day, 'W' = 7 days, 'M' = 365.25 / 12 days, 'Y' = 365.25 days. Dates
are truncated to the day; transactions on the observation end day count, and
T = (observation_end - first purchase day) / unit. This convention reproduces
Hardie's published CDNOW calibration file exactly (observation end 1997-09-30:
customer 1 has x = 2, t_x = 213 / 7 = 30.43, T = 272 / 7 = 38.86 weeks).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from retainlib._arrays import factorized, member_of, stable_sort
from retainlib._units import TIME_UNITS, days_per
from retainlib.analytics._checks import check_transactions
from retainlib.analytics.periods import day_numbers, to_day
from retainlib.errors import ConfigError, DataError

# TIME_UNITS is re-exported from retainlib._units (the one time-unit table)
__all__ = ["TIME_UNITS", "calibration_holdout", "rfm_summary"]


# date arguments as day numbers; messages suggest a date of the CDNOW sample
_day = partial(to_day, example="1997-09-30")


def _check_transactions(tx: pd.DataFrame) -> None:
    check_transactions(tx, dates=True, action="before summarising")


def _purchase_days(codes: np.ndarray, days: np.ndarray, amount: np.ndarray):
    """Merge lines into (customer, day) occasions, sorted by customer then day.

    Returns the customer codes, days and net amounts of the purchase days
    (net >= 0) plus the number and total amount of the excluded return days.
    """
    if len(codes) == 0:
        empty = np.array([], dtype=np.int64)
        return empty, empty, np.array([], dtype=float), 0, 0.0
    dmin = days.min()
    span = int(days.max() - dmin) + 1
    key = codes.astype(np.int64) * span + (days - dmin)
    order, key = stable_sort(key)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    keys = key[starts]
    net_amount = np.add.reduceat(amount[order], starts)
    is_return = net_amount < 0
    n_ret, amt_ret = int(is_return.sum()), float(net_amount[is_return].sum())
    keep = ~is_return
    keys, net_amount = keys[keep], net_amount[keep]
    return keys // span, keys % span + dmin, net_amount, n_ret, amt_ret


def _summarise(cust, day, amt, end_day, unit):
    """frequency, recency, T, monetary_value for purchase days sorted by customer then day."""
    starts = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]])
    counts = np.diff(np.r_[starts, len(cust)])
    ends = starts + counts - 1
    total = np.add.reduceat(amt, starts) if len(amt) else np.array([], dtype=float)
    return cust[starts], summary_columns(counts, day[starts], day[ends], total, amt[starts],
                                         end_day, unit)


def summary_columns(days, first, last, total, first_amount, end_day, unit) -> dict:
    """frequency, recency, T and monetary_value from each customer's purchase-day totals.

    ``days`` purchase days, the ``first`` and ``last`` of them (day numbers),
    their ``total`` net amount and the ``first_amount`` (the first day's), with
    ``end_day`` the observation end and ``unit`` the days of a time unit: the
    definitions of the module docstring. Examples: 3 days from day 0 to day
    14 totalling 35, the first 10, end day 28, weeks: frequency 2, recency 2,
    T 4, monetary value (35 - 10) / 2 = 12.5.

    >>> c = summary_columns(np.array([3]), np.array([0]), np.array([14]), np.array([35.0]),
    ...                     np.array([10.0]), 28, 7)
    >>> [float(c[k][0]) for k in ("frequency", "recency", "T", "monetary_value")]
    [2.0, 2.0, 4.0, 12.5]
    """
    frequency = np.asarray(days, dtype=np.int64) - 1
    repeat_total = np.asarray(total, dtype=float) - np.asarray(first_amount, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(frequency > 0, repeat_total / np.maximum(frequency, 1), 0.0)
    return {
        "frequency": frequency,
        "recency": (np.asarray(last) - np.asarray(first)) / unit,
        "T": (end_day - np.asarray(first)) / unit,
        "monetary_value": monetary,
    }


def rfm_summary(
    tx: pd.DataFrame, *, observation_end: object = None, time_unit: str = "W"
) -> pd.DataFrame:
    """Summarise transactions into one row per customer for the BG/NBD and Gamma-Gamma models.

    Parameters
    ----------
    tx : pandas.DataFrame
        Canonical transactions with ``customer_id``, ``date`` (datetime64) and
        ``amount`` (net of returns; negative = return).
    observation_end : date-like, optional
        Last day observed (inclusive); transactions after it are ignored.
        Default: the last transaction date.
    time_unit : {'D', 'W', 'M', 'Y'}, default 'W'
        Unit of ``recency`` and ``T``: days, weeks (7 days), months
        (365.25 / 12 days) or years (365.25 days).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (order of first appearance in ``tx``) with
        columns ``frequency`` (int, repeat purchase days), ``recency`` (first
        to last purchase day), ``T`` (first purchase day to
        ``observation_end``) and ``monetary_value`` (mean net amount of the
        repeat purchase days, 0 without repeats). ``attrs`` records
        ``time_unit``, ``observation_end``, ``return_days_excluded`` and
        ``return_amount_excluded`` (days with a negative net amount, which are
        not purchase occasions; see the module docstring). Customers whose
        only days are return days do not appear; their number is in
        ``attrs["customers_without_purchase"]``.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b"],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08"]),
    ...     "amount": [10.0, 5.0, 20.0, 7.0]})
    >>> rfm_summary(tx, observation_end="2024-01-29")  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency    T  monetary_value
    customer_id
    a                    1      2.0  4.0            20.0
    b                    0      0.0  3.0             0.0
    """
    _check_transactions(tx)
    unit = days_per(time_unit)
    days = day_numbers(tx["date"])
    if observation_end is None:
        end_day = int(days.max())
    else:
        end_day = _day(observation_end, "observation_end")
    codes, uniques = factorized(tx["customer_id"], sort=False)
    amount = tx["amount"].to_numpy(dtype=float)
    inside = days <= end_day
    if not inside.any():
        raise DataError(
            f"no transaction falls on or before observation_end={observation_end}; the first "
            f"transaction is on {np.datetime64(int(days.min()), 'D')}"
        )
    cust, day, amt, n_ret, amt_ret = _purchase_days(codes[inside], days[inside], amount[inside])
    if len(cust) == 0:
        raise DataError(
            f"no purchase day on or before observation_end: all {n_ret} customer-days have a "
            "negative net amount (returns); check the sign of the 'amount' column"
        )
    cust_idx, cols = _summarise(cust, day, amt, end_day, unit)
    index = pd.Index(uniques, name="customer_id")[cust_idx]
    out = pd.DataFrame(cols, index=index)
    out.attrs.update(
        time_unit=time_unit,
        observation_end=str(np.datetime64(end_day, "D")),
        return_days_excluded=n_ret,
        return_amount_excluded=amt_ret,
        customers_without_purchase=int(
            np.count_nonzero(np.bincount(codes[inside], minlength=len(uniques))) - len(out)
        ),
    )
    return out


def calibration_holdout(
    tx: pd.DataFrame, *, calibration_end: object, observation_end: object, time_unit: str = "W"
) -> pd.DataFrame:
    """Split transactions into a calibration summary and holdout outcomes per customer.

    The calibration part is :func:`rfm_summary` with ``observation_end =
    calibration_end``; only customers whose first purchase is on or before
    ``calibration_end`` appear (as in lifetimes). Purchase days follow the same
    rules as :func:`rfm_summary` (same-day lines merge, negative-net days are
    not purchases).

    Parameters
    ----------
    tx : pandas.DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``).
    calibration_end : date-like
        Last day of the calibration period (inclusive).
    observation_end : date-like
        Last day of the holdout period (inclusive), after ``calibration_end``.
    time_unit : {'D', 'W', 'M', 'Y'}, default 'W'
        Unit of the time columns.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` with columns ``frequency_cal``,
        ``recency_cal``, ``T_cal``, ``monetary_value_cal`` (the calibration
        summary, lifetimes' names), ``frequency_holdout`` (purchase days in the
        holdout), ``monetary_value_holdout`` (their mean net amount per purchase
        day, 0 without purchases; lifetimes averages lines, not days) and
        ``duration_holdout`` (holdout length in ``time_unit``).
        The models accept this frame directly (they read the ``*_cal``
        columns when the plain names are absent).

    Examples
    --------
    >>> import retainlib as rl
    >>> cal = calibration_holdout(rl.load_cdnow(), calibration_end="1997-09-30",
    ...                           observation_end="1998-06-30")
    >>> len(cal), int(cal["frequency_holdout"].sum()), float(cal["duration_holdout"].iloc[0])
    (2357, 1882, 39.0)
    """
    _check_transactions(tx)
    unit = days_per(time_unit)
    cal_day = _day(calibration_end, "calibration_end")
    end_day = _day(observation_end, "observation_end")
    if end_day <= cal_day:
        raise ConfigError(
            f"observation_end ({observation_end}) must be after calibration_end "
            f"({calibration_end}); the holdout period follows the calibration period"
        )
    cal = rfm_summary(tx, observation_end=calibration_end, time_unit=time_unit)
    days = day_numbers(tx["date"])
    hold = (days > cal_day) & (days <= end_day) & member_of(tx["customer_id"], cal.index)
    codes, uniques = pd.factorize(tx["customer_id"].to_numpy()[hold], sort=False)
    cust, _, amt, n_ret, amt_ret = _purchase_days(
        codes, days[hold], tx["amount"].to_numpy(dtype=float)[hold]
    )
    n_days = np.bincount(cust, minlength=len(uniques))
    total = np.bincount(cust, weights=amt, minlength=len(uniques))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n_days > 0, total / np.maximum(n_days, 1), 0.0)
    hold_freq = pd.Series(n_days, index=pd.Index(uniques)).reindex(cal.index, fill_value=0)
    hold_mean = pd.Series(mean, index=pd.Index(uniques)).reindex(cal.index, fill_value=0.0)
    out = cal.add_suffix("_cal")
    out["frequency_holdout"] = hold_freq.to_numpy().astype(np.int64)
    out["monetary_value_holdout"] = hold_mean.to_numpy(dtype=float)
    out["duration_holdout"] = (end_day - cal_day) / unit
    out.attrs.update(cal.attrs)
    out.attrs.update(
        calibration_end=str(np.datetime64(cal_day, "D")),
        observation_end=str(np.datetime64(end_day, "D")),
        holdout_return_days_excluded=n_ret,
        holdout_return_amount_excluded=amt_ret,
    )
    return out
