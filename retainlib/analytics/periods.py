"""Calendar periods as integer ordinals: validation, arithmetic and labels.

A period is identified by the same integer ordinal pandas uses for
:class:`pandas.Period` ('W' = weeks, 'M' = calendar months, 'Q' = calendar
quarters, 'Y' = calendar years), so period arithmetic is integer arithmetic on
numpy arrays (``age = activity_ordinal - cohort_ordinal``) and labels come from
``pandas.PeriodIndex.from_ordinals``.

A week starts on Monday (pandas ``W-SUN``, Monday to Sunday) or on Sunday
(``W-SAT``, Sunday to Saturday, the Israeli week), by the ``week_start``
argument every function that makes weeks takes; months, quarters and years do
not depend on it. A week's label names its first day
(``2025-01-05/2025-01-11`` is the week from Sunday 5 January).

Days are integer day numbers (days since 1970-01-01), as in
:mod:`retainlib.analytics.rfm`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from retainlib._arrays import factorized, stable_sort

# the period table lives in retainlib._units; its names stay importable from here
from retainlib._units import (
    PERIOD_DAYS,
    PERIOD_FREQ,  # noqa: F401 (importable from here)
    PERIODS_PER_YEAR,
    WEEK_ORDINAL,
    check_period,
    check_week_start,
    period_freq,
    period_name,
)
from retainlib.analytics._checks import check_transactions
from retainlib.errors import ConfigError, DataError


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Integer day numbers of a datetime Series (any resolution, timezone dropped)."""
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise DataError(
            f"column 'date' has dtype {dates.dtype}, not datetime; convert it with "
            "pd.to_datetime (use dayfirst=True for day-first dates)"
        )
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def to_day(value: object, name: str, *, example: str = "2024-06-30") -> int:
    """Convert a date-like argument to an integer day number (days since 1970-01-01).

    ``example`` is the date the error messages suggest.
    """
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}={value!r} is not a date; pass e.g. '{example}'") from exc
    if pd.isna(ts):
        raise ConfigError(f"{name} is missing; pass a date such as '{example}'")
    return int(np.datetime64(ts.date(), "D").astype(np.int64))




def ordinals(days: np.ndarray, period: str, *, week_start: str = "monday") -> np.ndarray:
    """Period ordinals (pandas' ``Period.ordinal``) of integer day numbers.

    ``week_start`` ('monday' or 'sunday') is the first day of a week; the
    ordinals are those of pandas' ``W-SUN`` or ``W-SAT`` periods.

    Examples
    --------
    >>> d = np.array([0, 31, 59, 365])  # 1970-01-01, 02-01, 03-01, 1971-01-01
    >>> ordinals(d, "M").tolist(), ordinals(d, "Q").tolist(), ordinals(d, "Y").tolist()
    ([0, 1, 2, 12], [0, 0, 0, 4], [0, 0, 0, 1])
    >>> ordinals(np.array([3, 4]), "W").tolist()  # Sunday 1970-01-04, Monday 01-05
    [1, 2]
    >>> ordinals(np.array([2, 3]), "W", week_start="sunday").tolist()  # Saturday 01-03, Sunday
    [0, 1]
    """
    period = check_period(period)
    days = np.asarray(days, dtype=np.int64)
    if period == "W":
        shift, offset = WEEK_ORDINAL[check_week_start(week_start)]
        return (days + shift) // 7 + offset
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if period == "M":
        return months
    return months // (3 if period == "Q" else 12)


def start_day(ordinal: np.ndarray | int, period: str, *, week_start: str = "monday") -> np.ndarray:
    """First day (day number) of each period ordinal.

    >>> int(start_day(2, "W")), int(start_day(1, "W", week_start="sunday"))  # Mon 5, Sun 4 Jan
    (4, 3)
    """
    period = check_period(period)
    o = np.asarray(ordinal, dtype=np.int64)
    if period == "W":
        shift, offset = WEEK_ORDINAL[check_week_start(week_start)]
        return 7 * (o - offset) - shift
    months = o * {"M": 1, "Q": 3, "Y": 12}[period]
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def end_day(ordinal: np.ndarray | int, period: str, *, week_start: str = "monday") -> np.ndarray:
    """Last day (day number, inclusive) of each period ordinal.

    Examples
    --------
    >>> str(np.datetime64(int(end_day(1, "M")), "D"))  # February 1970
    '1970-02-28'
    """
    return start_day(np.asarray(ordinal, dtype=np.int64) + 1, period, week_start=week_start) - 1


def labels(ordinal: np.ndarray, period: str, name: str | None = None, *,
           week_start: str = "monday") -> pd.PeriodIndex:
    """A PeriodIndex for period ordinals ('2024-01', '2024Q1', '2024', weeks).

    Weeks start on ``week_start``; a week's label is its first and last day.

    Examples
    --------
    >>> labels(np.array([648, 649]), "M").tolist()
    [Period('2024-01', 'M'), Period('2024-02', 'M')]
    >>> [str(p) for p in labels(np.array([1]), "W", week_start="sunday")]
    ['1970-01-04/1970-01-10']
    """
    freq = period_freq(period, week_start)
    idx = pd.PeriodIndex.from_ordinals(np.asarray(ordinal, dtype=np.int64), freq=freq)
    return idx.rename(name)


def short_label(p: pd.Period) -> str:
    """Short text for a period: weeks by their first day ('2024-01-01'), others as pandas prints."""
    if isinstance(p, pd.Period) and p.freqstr.startswith("W"):
        return str(p.start_time.date())
    return str(p)


def window_periods(window: object, period: str) -> int:
    """Express an activity window in whole periods.

    ``None`` means one year (52 W, 12 M, 4 Q, 1 Y). An int is a number of
    periods; a Timedelta, a string such as ``'365D'`` or a DateOffset such as
    ``pd.DateOffset(months=6)`` is converted with the mean period length and
    rounded to the nearest whole period.

    Examples
    --------
    >>> window_periods(None, "M"), window_periods(3, "M"), window_periods("365D", "W")
    (12, 3, 52)
    >>> window_periods(pd.DateOffset(months=6), "M")
    6
    """
    period = check_period(period)
    if window is None:
        return PERIODS_PER_YEAR[period]
    if isinstance(window, bool):
        raise ConfigError(f"active_window={window!r} is not a window; pass e.g. 12 or '365D'")
    if isinstance(window, (int, np.integer)):
        n = int(window)
    else:
        try:
            if isinstance(window, pd.DateOffset):
                ref = pd.Timestamp("2001-01-01")
                days = ((ref + window) - ref) / pd.Timedelta(days=1)
            else:
                days = pd.Timedelta(window) / pd.Timedelta(days=1)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"active_window={window!r} is not a duration; pass a number of periods "
                "(e.g. 12) or a duration such as '365D' or pd.DateOffset(months=12)"
            ) from exc
        n = int(round(days / PERIOD_DAYS[period]))
    if n < 1:
        raise ConfigError(
            f"active_window={window!r} is shorter than one {period_name(period)}; "
            "use at least one period"
        )
    return n


# --------------------------------------------------------------------------- activity cells
MISSING_SEGMENT = "(missing)"


@dataclass
class Activity:
    """Transactions reduced to one record per (customer, period) with activity.

    Cells are sorted by customer code, then period ordinal. A customer is
    *active* in a period when they have a purchase day there: a day whose net
    amount (all of that customer's lines on that day, returns included) is
    >= 0, the purchase-occasion rule of :mod:`retainlib.analytics.rfm`.
    """

    period: str
    cust: np.ndarray  # customer code of each cell
    ordinal: np.ndarray  # period ordinal of each cell
    active: np.ndarray  # bool: the cell has a purchase day
    revenue: np.ndarray  # net amount of all lines in the cell
    orders: np.ndarray  # orders in the cell (see count_orders)
    customer_ids: pd.Index  # customer code -> customer_id
    cohort: np.ndarray  # cohort ordinal per customer (-1 when never purchased)
    purchased: np.ndarray  # bool per customer: has at least one purchase day
    segment: np.ndarray  # segment code per customer (0 when by is None)
    segments: pd.Index  # segment code -> label
    first: int  # first period ordinal observed
    last: int  # last period ordinal observed (contains observation_end)
    end: int  # observation_end as a day number
    info: dict = field(default_factory=dict)
    week_start: str = "monday"  # first day of a week ('monday', 'sunday')

    @property
    def n_periods(self) -> int:
        """Number of periods from the first to the last observed one."""
        return self.last - self.first + 1

    @property
    def partial(self) -> bool:
        """True when observation_end falls before the last period's final day."""
        return bool(self.end < int(end_day(self.last, self.period, week_start=self.week_start)))

    def labels(self, ordinal: np.ndarray, name: str | None = None) -> pd.PeriodIndex:
        """:func:`labels` of period ordinals in this activity's periods (and week start)."""
        return labels(ordinal, self.period, name, week_start=self.week_start)


def _sorted_codes(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, return_inverse=True)`` for non-negative int64 keys, but faster.

    The distinct keys in increasing order and each row's index into them, from
    one :func:`retainlib._arrays.stable_sort` instead of ``np.unique``'s argsort.

    Examples
    --------
    >>> keys, inverse = _sorted_codes(np.array([7, 3, 7, 5]))
    >>> keys.tolist(), inverse.tolist()
    ([3, 5, 7], [2, 0, 2, 1])
    """
    n = len(key)
    order, sorted_key = stable_sort(key)
    new_group = np.empty(n, dtype=bool)
    new_group[:1] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=new_group[1:])
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(new_group) - 1
    return sorted_key[new_group], inverse


def _segments(tx: pd.DataFrame, by: str, row_mask: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    col = tx[by] if row_mask.all() else tx[by][row_mask]
    codes, uniques = pd.factorize(col, sort=True, use_na_sentinel=False)
    labels_ = pd.Index(uniques, name=by)
    if labels_.hasnans:
        labels_ = pd.Index(
            [MISSING_SEGMENT if pd.isna(v) else v for v in labels_], dtype=object, name=by
        )
    return codes.astype(np.int64), labels_


def activity(
    tx: pd.DataFrame, period: str, observation_end: object = None, by: str | None = None, *,
    week_start: str = "monday",
) -> Activity:
    """Reduce transactions to activity cells: one per customer and period with any line.

    The common first step of the cohort tables and the KPIs. Lines after
    ``observation_end`` are left out (and counted). A customer's lines on one
    day are netted: a day whose net amount is >= 0 is a *purchase day* (the
    purchase-occasion rule of :mod:`retainlib.analytics.rfm`), a day that nets
    below zero is a return. A *cell* is one (customer, period) pair in which
    the customer has at least one line, purchase or return.

    Parameters
    ----------
    tx : pandas.DataFrame
        Canonical transactions: ``customer_id``, ``date`` (datetime), ``amount``
        (negative = return); optionally ``order_id`` and the segment column ``by``.
    period : {'W', 'M', 'Q', 'Y'}
        Weeks, calendar months, quarters or years.
    observation_end : date-like, optional
        Last day observed, inclusive; default: the date of the last transaction.
    by : str, optional
        Segment column; each customer gets the segment they were acquired in (below).
    week_start : {'monday', 'sunday'}, default 'monday'
        First day of a week (weeks only: Monday to Sunday, or Sunday to Saturday).

    Returns
    -------
    Activity
        Per cell, sorted by customer code, then period (arrays of equal length):

        - ``cust``: customer code, an index into ``customer_ids``;
        - ``ordinal``: period ordinal (``labels(act.ordinal, period)`` names the periods);
        - ``revenue``: net amount of all the customer's lines in the period, returns included;
        - ``orders``: purchase days in the period; with an ``order_id`` column, the
          distinct order ids among the purchase days' lines with amount >= 0 (lines
          without an order id make one order per day);
        - ``active``: True when the period has a purchase day (``orders > 0``).

        Per customer, by code (codes in order of first appearance in ``tx``):

        - ``customer_ids``: the ``customer_id`` of each code;
        - ``cohort``: period ordinal of the first purchase day, -1 when none;
        - ``purchased``: True when the customer has at least one purchase day;
        - ``segment``: index into ``segments`` of the ``by`` value of the
          largest line on the first purchase day (ties: the first segment in
          sorted order; never purchased: the same on their first day); 0 when
          ``by`` is None.

        For the whole table:

        - ``segments``: the segment labels, sorted, missing values as
          ``'(missing)'``; ``['all']`` when ``by`` is None;
        - ``first``, ``last``: ordinals of the periods of the first transaction
          and of ``observation_end`` (``n_periods`` counts them; ``partial`` is
          True when ``observation_end`` is before the last period's final day);
        - ``end``: ``observation_end`` as a day number (days since 1970-01-01);
        - ``period``: the period code; ``week_start``: the first day of a week;
        - ``info``: ``rows_after_observation_end`` (lines left out),
          ``customers_without_purchase``, ``revenue_outside_cohorts`` (revenue of
          cells outside any cohort: customers who never purchased, periods before
          the first purchase) and ``first_period_partial`` (the first
          transaction is after the first day of its period).

    Raises
    ------
    ConfigError
        Unknown period.
    DataError
        Unusable transactions, no line on or before ``observation_end``, or no purchase day.

    Examples
    --------
    ``a`` buys twice in January and returns goods in March, ``b`` buys in
    February, ``c`` only returns goods:

    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "a", "c"],
    ...     "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03", "2024-03-09",
    ...                             "2024-02-10"]),
    ...     "amount": [10.0, 5.0, 20.0, -3.0, -4.0],
    ...     "channel": ["web", "shop", "web", "web", "shop"]})
    >>> act = activity(tx, "M", by="channel")
    >>> act.customer_ids.tolist(), act.cust.tolist(), [str(p) for p in labels(act.ordinal, "M")]
    (['a', 'b', 'c'], [0, 0, 1, 2], ['2024-01', '2024-03', '2024-02', '2024-02'])
    >>> act.revenue.tolist(), act.orders.tolist(), act.active.tolist()
    ([15.0, -3.0, 20.0, -4.0], [2, 0, 1, 0], [True, False, True, False])
    >>> [str(p) for p in labels(act.cohort[act.purchased], "M")], act.purchased.tolist()
    (['2024-01', '2024-02'], [True, True, False])
    >>> act.segments[act.segment].tolist(), act.n_periods, act.info["revenue_outside_cohorts"]
    (['web', 'web', 'shop'], 3, -4.0)
    """
    period = check_period(period)
    week_start = check_week_start(week_start)
    check_transactions(tx, by)
    days = day_numbers(tx["date"])
    end = int(days.max()) if observation_end is None else to_day(observation_end, "observation_end")
    inside = days <= end
    if not inside.any():
        raise DataError(
            f"no transaction falls on or before observation_end={observation_end}; the first "
            f"transaction is on {np.datetime64(int(days.min()), 'D')}"
        )
    n_after = int((~inside).sum())
    all_inside = n_after == 0
    days = days if all_inside else days[inside]
    amount = tx["amount"].to_numpy(dtype=float)
    amount = amount if all_inside else amount[inside]
    ids = tx["customer_id"] if all_inside else tx["customer_id"][inside]
    cust_rows, customer_ids = factorized(ids, sort=False)
    cust_rows = cust_rows.astype(np.int64)
    n_cust = len(customer_ids)

    # purchase days: merge each customer's lines per day (sorted by customer, then day)
    dmin = int(days.min())
    span = int(days.max()) - dmin + 1
    day_key, day_of_row = _sorted_codes(cust_rows * span + (days - dmin))
    net_day = np.bincount(day_of_row, weights=amount, minlength=len(day_key))
    pday = net_day >= 0
    d_cust, d_day = day_key // span, day_key % span + dmin
    d_ord = ordinals(d_day, period, week_start=week_start)
    first, last = (int(o) for o in ordinals(np.array([dmin, end]), period, week_start=week_start))
    n_per = last - first + 1

    # cells: runs of equal (customer, period) in the sorted day records
    cell_key = d_cust * n_per + (d_ord - first)
    starts = np.flatnonzero(np.r_[True, cell_key[1:] != cell_key[:-1]])
    cell_of_day = np.cumsum(np.r_[False, cell_key[1:] != cell_key[:-1]])
    cust = d_cust[starts]
    ordinal = d_ord[starts]
    revenue = np.add.reduceat(net_day, starts)
    orders = np.add.reduceat(pday.astype(np.int64), starts)
    if "order_id" in tx.columns:
        orders = _count_orders(tx, inside, all_inside, day_of_row, pday, amount, cell_of_day,
                               len(starts))
    active = orders > 0

    # cohort: period of the first purchase day
    p_idx = np.flatnonzero(pday)
    if len(p_idx) == 0:
        raise DataError(
            f"none of the {len(days)} transaction lines makes a purchase day (every customer-day "
            "nets to a return); check the sign of the 'amount' column"
        )
    first_p = p_idx[np.r_[True, d_cust[p_idx][1:] != d_cust[p_idx][:-1]]]
    cohort = np.full(n_cust, -1, dtype=np.int64)
    cohort[d_cust[first_p]] = d_ord[first_p]
    purchased = cohort >= 0

    if by is None:
        segment, segments = np.zeros(n_cust, dtype=np.int64), pd.Index(["all"], dtype=object)
    else:
        seg_rows, segments = _segments(tx, by, inside)
        # acquisition segment: the segment of the first purchase day's line with the largest
        # amount (ties: the first segment in sorted order); customers who never purchased:
        # the same on their earliest day. Day records are sorted by customer code, then day.
        first_day_of_cust = np.flatnonzero(np.r_[True, d_cust[1:] != d_cust[:-1]])
        first_day_of_cust[d_cust[first_p]] = first_p
        sel = np.flatnonzero(first_day_of_cust[cust_rows] == day_of_row)
        sel = sel[np.lexsort((seg_rows[sel], -amount[sel], cust_rows[sel]))]
        uc, pos = np.unique(cust_rows[sel], return_index=True)
        segment = np.zeros(n_cust, dtype=np.int64)
        segment[uc] = seg_rows[sel[pos]]

    cell_cohort = cohort[cust]
    outside = ~purchased[cust] | (ordinal < cell_cohort)
    info = {
        "rows_after_observation_end": n_after,
        "customers_without_purchase": int((~purchased).sum()),
        "revenue_outside_cohorts": float(revenue[outside].sum()),
        "first_period_partial": bool(dmin > int(start_day(first, period, week_start=week_start))),
    }
    return Activity(period, cust, ordinal, active, revenue, orders, pd.Index(customer_ids),
                    cohort, purchased, segment, segments, first, last, end, info, week_start)


def _count_orders(tx, inside, all_inside, day_of_row, pday, amount, cell_of_day, n_cells):
    """Distinct order_id per cell among lines with amount >= 0 on purchase days.

    Lines without an order_id count as one order per purchase day. A cell with
    a single such line has one order, so only the order ids of cells with
    several lines are hashed (the expensive step on large exports).
    """
    sel = np.flatnonzero(pday[day_of_row] & (amount >= 0))
    cell = cell_of_day[day_of_row[sel]]
    lines = np.bincount(cell, minlength=n_cells)
    orders = (lines == 1).astype(np.int64)
    multi = lines[cell] > 1
    if not multi.any():
        return orders
    rows = sel[multi]
    oid = tx["order_id"] if all_inside else tx["order_id"][inside]
    ocode, ouniq = pd.factorize(oid.iloc[rows], sort=False)
    ocode = ocode.astype(np.int64)
    day_sel = day_of_row[rows]
    missing = ocode < 0
    n_o = len(ouniq)
    ocode[missing] = n_o + day_sel[missing]
    width = n_o + len(pday)
    pairs = np.sort(cell[multi] * width + ocode)
    first_of_pair = np.r_[True, pairs[1:] != pairs[:-1]]
    return orders + np.bincount(pairs[first_of_pair] // width, minlength=n_cells)


def activity_of(data: object, period: str, observation_end: object = None,
                by: str | None = None, *, week_start: str = "monday") -> Activity:
    """:func:`activity` of transactions, or ``data`` itself when it is an :class:`Activity`.

    An Activity (from :func:`activity_of_cells`: an engine's sums) must be in
    ``period`` and ``week_start``, up to ``observation_end``, and has no segments.
    """
    if not isinstance(data, Activity):
        return activity(data, period, observation_end, by, week_start=week_start)
    if by is not None:
        raise ConfigError(f"by={by!r} needs the transactions; an engine's activity has no "
                          "segments")
    same_week = data.period != "W" or data.week_start == check_week_start(week_start)
    if data.period != check_period(period) or not same_week or (
            observation_end is not None
            and data.end != to_day(observation_end, "observation_end")):
        raise ConfigError(f"this activity is in periods {data.period!r} up to day {data.end}; "
                          "compute it for the periods and end asked for")
    return data


def activity_of_cells(cells: pd.DataFrame, first_days: np.ndarray, customer_ids: pd.Index, *,
                      period: str, observation_end: object, first_date: object,
                      week_start: str = "monday") -> Activity:
    """:func:`activity` (without segments) from cells an engine summed.

    Parameters
    ----------
    cells : pandas.DataFrame
        One row per customer and period with a line, in any order:
        ``customer`` (position in ``customer_ids``), ``ordinal`` (period
        ordinal), ``revenue`` (net amount of the period's lines) and
        ``orders`` (:func:`activity`'s orders: 0 when the period has no
        purchase day).
    first_days : numpy.ndarray
        Per customer, the day number of the first purchase day (NaN or
        negative for a customer without one).
    customer_ids : pandas.Index
        The customer ids, by position.
    period, observation_end, week_start
        As for :func:`activity`.
    first_date : date-like
        The day of the first line (purchase or return).

    Returns
    -------
    Activity
        As :func:`activity` returns it for the same lines (``by=None``).
    """
    period = check_period(period)
    week_start = check_week_start(week_start)
    end = to_day(observation_end, "observation_end")
    dmin = to_day(first_date, "first_date")
    first, last = (int(o) for o in ordinals(np.array([dmin, end]), period, week_start=week_start))
    n_per = last - first + 1
    cust = cells["customer"].to_numpy(dtype=np.int64)
    ordinal = cells["ordinal"].to_numpy(dtype=np.int64)
    order, _ = stable_sort(cust * n_per + (ordinal - first))
    cust, ordinal = cust[order], ordinal[order]
    revenue = cells["revenue"].to_numpy(dtype=float)[order]
    orders = cells["orders"].to_numpy(dtype=np.int64)[order]
    fd = np.asarray(first_days, dtype=float)
    purchased = np.isfinite(fd) & (np.nan_to_num(fd, nan=-1.0) >= 0)
    cohort = np.full(len(fd), -1, dtype=np.int64)
    cohort[purchased] = ordinals(fd[purchased].astype(np.int64), period, week_start=week_start)
    outside = ~purchased[cust] | (ordinal < cohort[cust])
    info = {
        "rows_after_observation_end": 0,
        "customers_without_purchase": int((~purchased).sum()),
        "revenue_outside_cohorts": float(revenue[outside].sum()),
        "first_period_partial": bool(dmin > int(start_day(first, period, week_start=week_start))),
    }
    return Activity(period, cust, ordinal, orders > 0, revenue, orders, pd.Index(customer_ids),
                    cohort, purchased, np.zeros(len(fd), dtype=np.int64),
                    pd.Index(["all"], dtype=object), first, last, end, info, week_start)
