"""Holdout check of a purchase model: per-customer errors and cumulative tracking.

The checks are those of Fader, Hardie & Lee (2005), "Counting your customers
the easy way": cumulative repeat purchases week by week (Figure 2) and holdout
purchases by calibration frequency (Figure 4), plus per-customer holdout errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from retainlib._arrays import member_of, predict_on_distinct_rows
from retainlib._units import days_per
from retainlib.analytics.periods import day_numbers
from retainlib.analytics.rfm import _check_transactions, _day, _purchase_days
from retainlib.errors import ConfigError, DataError


@dataclass(frozen=True)
class HoldoutResult:
    """Outcome of :func:`evaluate_holdout`.

    Attributes
    ----------
    per_customer : pandas.DataFrame
        Indexed by customer id: ``frequency_cal`` (calibration repeat
        purchases), ``actual`` (holdout purchases), ``predicted`` (the model's
        conditional expectation for the holdout duration) and ``error``
        (``predicted - actual``).
    metrics : pandas.Series
        ``customers``, ``actual_total``, ``predicted_total``, ``error_pct``
        (``100 * (predicted_total - actual_total) / actual_total``), ``mae``,
        ``rmse`` and ``correlation`` (Pearson, per customer).
    tracking : pandas.DataFrame or None
        Cumulative repeat purchases per period (see :func:`cumulative_tracking`);
        None when no transactions were given.
    """

    per_customer: pd.DataFrame
    metrics: pd.Series
    tracking: pd.DataFrame | None = None


def _column(frame: pd.DataFrame, names: tuple[str, ...], what: str) -> pd.Series:
    for name in names:
        if name in frame.columns:
            return pd.to_numeric(frame[name], errors="coerce")
    raise DataError(
        f"column {names[0]!r} ({what}) not found; columns are "
        f"{', '.join(repr(str(c)) for c in frame.columns)}; build the frame with "
        "retainlib.calibration_holdout(tx, calibration_end=..., observation_end=...)"
    )


def evaluate_holdout(
    model: object,
    cal_holdout: pd.DataFrame,
    *,
    transactions: pd.DataFrame | None = None,
    calibration_end: object = None,
    observation_end: object = None,
    time_unit: str | None = None,
    tracking: pd.DataFrame | None = None,
) -> HoldoutResult:
    """Compare a purchase model's holdout predictions with what customers actually did.

    Parameters
    ----------
    model : BetaGeoModel
        Fitted on the calibration part of ``cal_holdout``: anything with
        ``expected_purchases(rfm, t)`` (and ``expected_purchases_new_customer(t)``
        for the tracking).
    cal_holdout : pandas.DataFrame
        From :func:`retainlib.calibration_holdout`: calibration summary
        (``frequency_cal``, ``recency_cal``, ``T_cal``) plus
        ``frequency_holdout`` and ``duration_holdout``.
    transactions : pandas.DataFrame, optional
        The canonical transactions the frame was built from; when given, the
        result includes the cumulative tracking of the cohort.
    calibration_end, observation_end : date-like, optional
        Default: ``cal_holdout.attrs`` (set by ``calibration_holdout``).
    time_unit : {'D', 'W', 'M', 'Y'}, optional
        Default: ``cal_holdout.attrs['time_unit']``, else 'W'.
    tracking : pandas.DataFrame, optional
        The cumulative tracking when it was computed already (an engine's,
        :func:`retainlib.analytics.reduced.tracking_from`), instead of
        ``transactions``; checked against ``cal_holdout`` the same way.

    Returns
    -------
    HoldoutResult
        ``per_customer``, ``metrics`` and ``tracking`` (see :class:`HoldoutResult`).
    """
    if not isinstance(cal_holdout, pd.DataFrame):
        raise DataError(
            f"cal_holdout must be a DataFrame from retainlib.calibration_holdout, got "
            f"{type(cal_holdout).__name__}"
        )
    actual = _column(cal_holdout, ("frequency_holdout",), "holdout purchases")
    duration = _column(cal_holdout, ("duration_holdout",), "holdout length")
    freq_cal = _column(cal_holdout, ("frequency_cal", "frequency"), "calibration purchases")
    for name, col in (("frequency_holdout", actual), ("duration_holdout", duration)):
        bad = ~np.isfinite(col.to_numpy(dtype=float)) | (col.to_numpy(dtype=float) < 0)
        if bad.any():
            raise DataError(
                f"column {name!r} is missing or negative for {int(bad.sum())} customer(s) "
                f"(first: {cal_holdout.index[bad][0]!r}); rebuild it with "
                "retainlib.calibration_holdout"
            )

    def holdout_purchases(rows: pd.DataFrame) -> pd.Series:
        """Expected purchases of each row of ``rows`` over its own holdout length."""
        t = pd.to_numeric(rows["duration_holdout"], errors="coerce").to_numpy(dtype=float)
        return model.expected_purchases(rows, t)

    # once per distinct (calibration summary, holdout length) row; per customer when the model
    # does not say which columns it reads (input_columns)
    inputs = getattr(model, "input_columns", ())
    predicted = predict_on_distinct_rows(
        holdout_purchases, cal_holdout, (*inputs, "duration_holdout") if inputs else ()
    ).to_numpy(dtype=float)
    a = actual.to_numpy(dtype=float)
    per_customer = pd.DataFrame(
        {"frequency_cal": freq_cal.to_numpy(), "actual": a, "predicted": predicted,
         "error": predicted - a},
        index=cal_holdout.index,
    )
    metrics = _holdout_metrics(a, predicted)
    if tracking is not None:
        _check_tracking_matches(tracking, freq_cal, actual)
    elif transactions is not None:
        attrs = cal_holdout.attrs
        unit = time_unit or attrs.get("time_unit", "W")
        if attrs.get("time_unit") not in (None, unit):
            raise DataError(
                f"cal_holdout is in time unit {attrs['time_unit']!r} but time_unit={unit!r} was "
                f"passed; pass time_unit={attrs['time_unit']!r}"
            )
        cal_end = calibration_end if calibration_end is not None else attrs.get("calibration_end")
        obs_end = observation_end if observation_end is not None else attrs.get("observation_end")
        if cal_end is None or obs_end is None:
            raise ConfigError(
                "the tracking needs calibration_end and observation_end; pass them or build "
                "cal_holdout with retainlib.calibration_holdout, which records them"
            )
        tracking = cumulative_tracking(
            model, transactions, calibration_end=cal_end, observation_end=obs_end,
            time_unit=unit, customers=cal_holdout.index,
        )
        _check_tracking_matches(tracking, freq_cal, actual)
    return HoldoutResult(per_customer=per_customer, metrics=metrics, tracking=tracking)


def _holdout_metrics(a: np.ndarray, predicted: np.ndarray) -> pd.Series:
    """Totals, error in %, MAE, RMSE and correlation of actual vs predicted holdout purchases."""
    err = predicted - a
    total_a, total_p = float(a.sum()), float(predicted.sum())
    corr = (
        float(np.corrcoef(a, predicted)[0, 1])
        if len(a) > 1 and a.std() > 0 and predicted.std() > 0
        else float("nan")
    )
    metrics = pd.Series(
        {
            "customers": float(len(a)),
            "actual_total": total_a,
            "predicted_total": total_p,
            "error_pct": 100.0 * (total_p - total_a) / total_a if total_a else float("nan"),
            "mae": float(np.mean(np.abs(err))) if len(a) else float("nan"),
            "rmse": float(np.sqrt(np.mean(err**2))) if len(a) else float("nan"),
            "correlation": corr,
        },
        name="holdout_metrics",
    )
    return metrics


def _check_tracking_matches(tracking: pd.DataFrame, freq_cal: pd.Series, hold: pd.Series) -> None:
    """Transactions and cal_holdout must describe the same purchases."""
    counts = tracking.attrs["repeat_purchases_by_part"]
    expected = (int(freq_cal.sum()), int(hold.sum()))
    if counts != expected:
        raise DataError(
            f"the transactions contain {counts[0]:,} calibration and {counts[1]:,} holdout repeat "
            f"purchases of these customers but cal_holdout has {expected[0]:,} and "
            f"{expected[1]:,}; build cal_holdout from the same transactions and dates"
        )


def cumulative_tracking(
    model: object,
    transactions: pd.DataFrame,
    *,
    calibration_end: object = None,
    observation_end: object = None,
    time_unit: str = "W",
    customers: pd.Index | None = None,
) -> pd.DataFrame:
    """Cumulative repeat purchases of a cohort per period, actual vs model (FHL 2005, Fig. 2).

    The cohort is ``customers`` (default: every customer whose first purchase
    day is on or before ``calibration_end``, or all customers). Purchase days
    follow :func:`retainlib.rfm_summary` (same-day lines merge; negative-net
    days are not purchases); repeat purchases are purchase days after the
    first. Period *k* covers days ``[(k-1) u, k u)`` after the cohort's first
    purchase day (``u`` = length of ``time_unit`` in days). The model's
    cumulative count at the end of period *k* is
    ``sum_i E[X(max(0, k u - f_i) / u)]``, with ``f_i`` customer *i*'s first
    purchase day counted from the start of the cohort's first day and ``E[X(t)]``
    the model's ``expected_purchases_new_customer(t)`` (Hardie's CDNOW tracking
    spreadsheet; 4,166 at week 78 for the paper's CDNOW fit).

    Parameters
    ----------
    model : BetaGeoModel
        Fitted model with a vectorised ``expected_purchases_new_customer(t)``.
    transactions : pandas.DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``).
    calibration_end : date-like, optional
        End of the calibration period (recorded in the result, and used to
        select the cohort when ``customers`` is None).
    observation_end : date-like, optional
        Last day tracked; default the last transaction date.
    time_unit : {'D', 'W', 'M', 'Y'}, default 'W'
        Length of one period, in the unit the model was fitted in.
    customers : pandas.Index, optional
        Customer ids of the cohort (e.g. ``cal_holdout.index``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` (1, 2, ...), columns ``period_end`` (last day of
        the period), ``actual`` and ``predicted`` (repeat purchases in the
        period), ``actual_cumulative`` and ``predicted_cumulative``. ``attrs``:
        ``time_unit``, ``start`` (cohort's first day), ``calibration_end``,
        ``calibration_period`` (periods elapsed at the end of calibration, e.g.
        39.0), ``observation_end``, ``customers``, ``customers_outside_cohort``
        and ``rows_after_observation_end`` (not tracked), and
        ``repeat_purchases_by_part`` (calibration, holdout).
    """
    _check_transactions(transactions)
    days = day_numbers(transactions["date"])
    end_day = (
        int(days.max()) if observation_end is None else _day(observation_end, "observation_end")
    )
    cal_day = None if calibration_end is None else _day(calibration_end, "calibration_end")
    inside = days <= end_day
    codes, uniques = pd.factorize(transactions["customer_id"].to_numpy()[inside], sort=False)
    cust, day, _, _, _ = _purchase_days(
        codes, days[inside], transactions["amount"].to_numpy(dtype=float)[inside]
    )
    starts = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]]) if len(cust) else cust
    first = np.repeat(day[starts], np.diff(np.r_[starts, len(cust)]))
    cust_ids = pd.Index(uniques)[cust[starts]]
    if customers is not None:
        missing = ~member_of(pd.Index(customers), cust_ids)
        if missing.any():
            raise DataError(
                f"{int(missing.sum())} cohort customer(s) have no purchase day in the transactions "
                f"up to {np.datetime64(end_day, 'D')} (first: {pd.Index(customers)[missing][0]!r});"
                " pass the transactions the summary was built from"
            )
        in_cohort = member_of(cust_ids, customers)
    elif cal_day is not None:
        in_cohort = day[starts] <= cal_day
    else:
        in_cohort = np.ones(len(starts), dtype=bool)
    if not in_cohort.any():
        raise DataError(
            "no customer in the transactions made a first purchase on or before "
            f"calibration_end={calibration_end}; choose a later calibration_end"
        )
    row_in = np.repeat(in_cohort, np.diff(np.r_[starts, len(cust)]))
    return tracking_of(model, day[starts][in_cohort], np.sort(day[row_in & (day > first)]),
                       calibration_day=cal_day, end_day=end_day, time_unit=time_unit,
                       outside=int((~in_cohort).sum()), rows_after=int((~inside).sum()))


def tracking_of(model: object, first_days: np.ndarray, repeat_days: np.ndarray, *,
                calibration_day: int | None, end_day: int, time_unit: str = "W",
                outside: int = 0, rows_after: int = 0) -> pd.DataFrame:
    """:func:`cumulative_tracking` from the cohort's purchase days, reduced.

    ``first_days``: each cohort customer's first purchase day; ``repeat_days``:
    the day of every repeat purchase day of theirs, sorted (day numbers, days
    since 1970-01-01); ``calibration_day``, ``end_day``: the calibration and
    observation ends; ``outside`` customers and ``rows_after`` lines were left
    out (recorded in ``attrs``). Returns the frame of :func:`cumulative_tracking`.
    """
    u = days_per(time_unit)
    cal_day = calibration_day
    first_c = np.asarray(first_days, dtype=np.int64)
    origin = int(first_c.min())
    repeat_off = np.asarray(repeat_days, dtype=np.int64) - origin
    n_periods = int(np.ceil((end_day - origin + 1) / u))
    ends = np.minimum(np.arange(1, n_periods + 1) * u, end_day - origin + 1.0)
    actual_cum = np.searchsorted(repeat_off, ends, side="left").astype(float)
    offsets, weights = np.unique(first_c - origin, return_counts=True)
    elapsed = np.clip((ends[None, :] - offsets[:, None]) / u, 0.0, None)
    expected = np.asarray(model.expected_purchases_new_customer(elapsed), dtype=float)
    if expected.shape != elapsed.shape:
        raise DataError(
            f"{type(model).__name__}.expected_purchases_new_customer must accept an array of "
            f"times and return the same shape; got {expected.shape} for {elapsed.shape}"
        )
    predicted_cum = weights @ expected
    period_end = np.datetime64(origin, "D") + (np.ceil(ends).astype(np.int64) - 1)
    out = pd.DataFrame(
        {
            "period_end": pd.to_datetime(period_end),
            "actual": np.diff(actual_cum, prepend=0.0),
            "predicted": np.diff(predicted_cum, prepend=0.0),
            "actual_cumulative": actual_cum,
            "predicted_cumulative": predicted_cum,
        },
        index=pd.RangeIndex(1, n_periods + 1, name="period"),
    )
    n_cal = int(np.sum(repeat_off <= cal_day - origin)) if cal_day is not None else len(repeat_off)
    out.attrs.update(
        time_unit=time_unit,
        start=str(np.datetime64(origin, "D")),
        calibration_end=None if cal_day is None else str(np.datetime64(cal_day, "D")),
        calibration_period=None if cal_day is None else (cal_day - origin + 1) / u,
        observation_end=str(np.datetime64(end_day, "D")),
        customers=len(first_c),
        customers_outside_cohort=outside,
        rows_after_observation_end=rows_after,
        repeat_purchases_by_part=(n_cal, len(repeat_off) - n_cal),
    )
    return out


def _bucket_labels(max_frequency: int) -> list[str]:
    return [str(x) for x in range(max_frequency)] + [f"{max_frequency}+"]


def _check_max_frequency(max_frequency: object) -> int:
    if isinstance(max_frequency, bool) or not isinstance(max_frequency, (int, np.integer)) or (
        max_frequency < 1
    ):
        raise ConfigError(
            f"max_frequency must be a whole number >= 1 (the last bar groups that many repeat "
            f"purchases or more), got {max_frequency!r}"
        )
    return int(max_frequency)


def holdout_by_frequency(per_customer: pd.DataFrame | HoldoutResult, *,
                         max_frequency: int = 7) -> pd.DataFrame:
    """Mean holdout purchases by calibration repeat purchases, actual vs model (FHL 2005, Fig. 4).

    Parameters
    ----------
    per_customer : pandas.DataFrame or HoldoutResult
        ``HoldoutResult.per_customer`` (``frequency_cal``, ``actual``, ``predicted``).
    max_frequency : int, default 7
        First calibration count grouped into the last row ("7+").

    Returns
    -------
    pandas.DataFrame
        Indexed by ``frequency_cal`` ('0', ..., '7+'), columns ``customers``,
        ``actual`` and ``predicted`` (mean holdout purchases per customer);
        groups without customers are left out.
    """
    k = _check_max_frequency(max_frequency)
    if isinstance(per_customer, HoldoutResult):
        per_customer = per_customer.per_customer
    if not isinstance(per_customer, pd.DataFrame):
        raise DataError(
            f"expected HoldoutResult.per_customer (a DataFrame), got {type(per_customer).__name__}"
        )
    cols = {n: _column(per_customer, (n,), n) for n in ("frequency_cal", "actual", "predicted")}
    group = np.minimum(cols["frequency_cal"].to_numpy(dtype=float), k).astype(np.int64)
    n = np.bincount(group, minlength=k + 1)
    sums = {c: np.bincount(group, weights=cols[c].to_numpy(dtype=float), minlength=k + 1)
            for c in ("actual", "predicted")}
    keep = n > 0
    out = pd.DataFrame(
        {"customers": n.astype(float),
         "actual": sums["actual"] / np.maximum(n, 1),
         "predicted": sums["predicted"] / np.maximum(n, 1)},
        index=pd.Index(_bucket_labels(k), name="frequency_cal"),
    )
    return out[keep]
