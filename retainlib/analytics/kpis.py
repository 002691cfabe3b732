"""Retention KPIs per period: CRR, churn, new / won-back / returning customers, revenue.

Definitions
-----------
Purchase days, active customers, orders, revenue and acquisition segments
are defined as in :mod:`retainlib.analytics.cohorts` (a day whose net amount is < 0 is a
return, not a purchase; revenue is net of returns and includes every line).

**Customer base.** With purchase data nobody cancels a contract, so a person
counts as *a customer* at the end of period t while they have bought within
the ``active_window``: in one of the periods t - w + 1, ..., t (w = window in
periods; default one year, i.e. 12 months, 52 weeks, 4 quarters or 1 year,
the usual "12-month active customer"). A customer drops out of the base
(``lost``) in the first period after w periods without a purchase, and comes
back (``won_back``) when they buy again later.

**CRR** (customer retention rate) = (E - N) / S, with S = customers at the
start of the period (the base at the end of the previous period), E = at its
end and N = customers who joined the base during it (``joined``). N counts
both first-time customers (``new_customers``: first purchase ever in the
data) and customers won back after a lapse (``won_back``), so that
E = S - lost + N and E - N = S - lost: CRR = (S - lost) / S is the share of
the starting base still in it at the end, between 0 and 1. A customer who
comes back is not retained (they had left the base); they are counted on
their own line, ``won_back``. Rates are fractions (0.8 = 80%). **Churn
rate** = lost / S = 1 - CRR.

**Per-period buyers**: ``new_customers`` (first purchase in this period),
``returning_customers`` (bought in this period and in the previous one),
``reactivated_customers`` (bought in this period, had bought before, but not
in the previous period). new + returning + reactivated = active customers.
``pop_retention`` (period-over-period retention) = returning customers /
active customers of the previous period.

**Warm-up and partial periods.** The data cannot show who was a customer
before it starts, so the first w periods understate S and count every
buyer as new: ``base_complete`` is False there. The last period is
``partial`` when ``observation_end`` falls before its end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from retainlib._format import period_text, rate
from retainlib._units import PERIODS_PER_YEAR
from retainlib.analytics import periods as P
from retainlib.errors import DataError
from retainlib.i18n import text


def _spells(cust, ordinal, seg, first, n, w):
    """New, won-back and lost counts per (segment, period) for a window of w periods.

    ``cust``, ``ordinal``, ``seg``: the active cells, sorted by customer then period.
    """
    size = seg.max(initial=0) + 1
    same_prev = np.r_[False, cust[1:] == cust[:-1]]
    same_next = np.r_[same_prev[1:], False]
    gap_prev = np.where(same_prev, ordinal - np.r_[0, ordinal[:-1]], np.iinfo(np.int64).max)
    gap_next = np.where(same_next, np.r_[ordinal[1:], 0] - ordinal, np.iinfo(np.int64).max)
    pos = ordinal - first
    new = np.bincount(seg[~same_prev] * n + pos[~same_prev], minlength=size * n)
    back = same_prev & (gap_prev > w)
    won = np.bincount(seg[back] * n + pos[back], minlength=size * n)
    lapse = (gap_next > w) & (pos + w < n)
    lost = np.bincount(seg[lapse] * n + pos[lapse] + w, minlength=size * n)
    shape = (size, n)
    return new.reshape(shape), won.reshape(shape), lost.reshape(shape)


def _base(new, won, lost):
    """Customers at the end (E) and start (S) of each period from the spell counts."""
    end = np.cumsum(new + won - lost, axis=1)
    start = np.concatenate([np.zeros((end.shape[0], 1), dtype=end.dtype), end[:, :-1]], axis=1)
    return start, end


def _ratio(num, den):
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def retention_kpis(
    tx: pd.DataFrame,
    *,
    period: str = "M",
    active_window: object = None,
    by: str | None = None,
    observation_end: object = None,
    week_start: str = "monday",
) -> pd.DataFrame:
    """Retention KPIs, one row per period (see the module docstring for every definition).

    Parameters
    ----------
    tx : pandas.DataFrame or Activity
        Canonical transactions (``customer_id``, ``date``, ``amount``;
        optional ``order_id`` and segment columns), or their
        :class:`retainlib.analytics.periods.Activity` in ``period`` (an
        engine's, :func:`retainlib.analytics.periods.activity_of_cells`; no ``by``).
    period : {'W', 'M', 'Q', 'Y'}, default 'M'
        Reporting period.
    active_window : int, str, Timedelta or DateOffset, optional
        How long after a purchase someone still counts as a customer: a number
        of periods, or a duration ('365D', ``pd.DateOffset(months=6)``)
        rounded to whole periods. Default: one year.
    by : str, optional
        Segment column (acquisition segment, as in :func:`cohort_table`):
        one block of rows per segment; segment rows add up to the total.
    observation_end : date-like, optional
        Last day observed (inclusive). Default: last transaction date.
    week_start : {'monday', 'sunday'}, default 'monday'
        First day of a week (``period='W'`` only; a week's label names its first day).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` (PeriodIndex; with ``by``: (segment, period)),
        columns: ``active_customers`` (buyers in the period),
        ``new_customers``, ``returning_customers``, ``reactivated_customers``,
        ``customers_start`` (S), ``customers_end`` (E), ``lost`` (left the
        base: no purchase in the last w periods), ``won_back`` (came back
        after a lapse), ``joined`` (N = new_customers + won_back), ``crr``
        ((E - N) / S = (S - lost) / S, in [0, 1]; NaN when S = 0),
        ``churn_rate`` (lost / S = 1 - crr), ``pop_retention``, ``revenue`` (net), ``orders``,
        ``aov`` (revenue / orders), ``purchase_frequency`` (orders / active
        customers), ``revenue_per_customer`` (revenue / active customers),
        ``annual_revenue_per_customer`` (net revenue of the last 12 months
        / customers who bought in them, i.e. the trailing year ending with
        this period; NaN until a full year of data is available),
        ``repeat_purchase_rate`` (share of the customers acquired so far who
        have 2+ orders so far), ``partial`` (bool: incomplete last period),
        ``base_complete`` (bool: past the warm-up). ``attrs``: ``period``, ``week_start``,
        ``active_window`` (in periods), ``observation_end``,
        ``partial_period`` and the data notes of :func:`cohort_table`.

    Examples
    --------
    Worked example with a one-month window (a customer = bought this month).
    January: a, b, c, d buy. February: a, b and the new customer e buy. So
    S = 4 (customers at the end of January), E = 3 (a, b, e), N = 1 (e), and
    CRR = (E - N) / S = (3 - 1) / 4 = 50%; churn = 50% (c and d are lost).

    >>> tx = pd.DataFrame({"customer_id": list("abcdabe"),
    ...     "date": pd.to_datetime(["2024-01-05"] * 4 + ["2024-02-07"] * 3),
    ...     "amount": 10.0})
    >>> k = retention_kpis(tx, active_window=1, observation_end="2024-02-29")
    >>> feb = k.loc["2024-02"]
    >>> int(feb.customers_start), int(feb.customers_end), int(feb.new_customers), int(feb.lost)
    (4, 3, 1, 2)
    >>> float(feb.crr), float(feb.churn_rate)
    (0.5, 0.5)

    A customer who lapses and comes back is won back, not retained. Same
    window: March, only c buys again (c was lost in February): S = 3 (a, b,
    e), lost = 3, won_back = 1, N = 0 + 1, E = 1, so CRR = (1 - 1) / 3 = 0.

    >>> mar = pd.DataFrame({"customer_id": ["c"], "date": pd.to_datetime(["2024-03-04"]),
    ...                     "amount": 10.0})
    >>> k = retention_kpis(pd.concat([tx, mar]), active_window=1, observation_end="2024-03-31")
    >>> r = k.loc["2024-03"]
    >>> int(r.customers_start), int(r.lost), int(r.won_back), int(r.joined), float(r.crr)
    (3, 3, 1, 1, 0.0)
    """
    act = P.activity_of(tx, period, observation_end, by, week_start=week_start)
    w = P.window_periods(active_window, act.period)
    year = P.PERIODS_PER_YEAR[act.period]
    n, n_seg = act.n_periods, len(act.segments)
    shape = (n_seg, n)
    seg_cell = act.segment[act.cust]
    group = seg_cell * n + (act.ordinal - act.first)

    def per_period(weights=None, mask=None):
        g = group if mask is None else group[mask]
        wts = None if weights is None else (weights if mask is None else weights[mask])
        return np.bincount(g, weights=wts, minlength=n_seg * n).reshape(shape)

    a = np.flatnonzero(act.active)
    cust, ordinal, seg = act.cust[a], act.ordinal[a], seg_cell[a]
    new, won, lost = _spells(cust, ordinal, seg, act.first, n, w)
    new, won, lost = (_pad(x, n_seg) for x in (new, won, lost))
    start, end = _base(new, won, lost)
    same_prev = np.r_[False, cust[1:] == cust[:-1]]
    gap = np.where(same_prev, ordinal - np.r_[0, ordinal[:-1]], 0)
    active = per_period(mask=act.active)
    returning = _pad(_count(seg, ordinal - act.first, gap == 1, n), n_seg)
    reactivated = _pad(_count(seg, ordinal - act.first, gap > 1, n), n_seg)
    revenue = per_period(act.revenue)
    orders = per_period(act.orders).round().astype(np.int64)

    # trailing-year revenue and buyers
    cum_rev = np.cumsum(revenue, axis=1)
    lagged = np.concatenate([np.zeros((n_seg, year)), cum_rev], axis=1)[:, :n]
    year_rev = cum_rev - lagged
    y_new, y_won, y_lost = (_pad(x, n_seg) for x in _spells(cust, ordinal, seg, act.first, n,
                                                              year))
    _, year_buyers = _base(y_new, y_won, y_lost)
    annual = _ratio(year_rev, year_buyers)
    annual[:, : year - 1] = np.nan

    # repeat purchase rate: customers whose cumulative orders reach 2
    o = act.orders[a]
    cum = np.cumsum(o)
    cust_start = np.flatnonzero(~same_prev)
    before = np.repeat(cum[cust_start] - o[cust_start], np.diff(np.r_[cust_start, len(o)]))
    cum_c = cum - before
    second = (cum_c >= 2) & (cum_c - o < 2)
    repeaters = np.cumsum(_pad(_count(seg, ordinal - act.first, second, n), n_seg), axis=1)
    acquired = np.cumsum(new, axis=1)

    prev_active = np.concatenate([np.zeros((n_seg, 1)), active[:, :-1]], axis=1)
    joined = new + won  # N: first-time customers and customers won back
    crr = _ratio(end - joined, start)  # = (S - lost) / S
    pos = np.arange(n)
    cols = {
        "active_customers": active.astype(np.int64),
        "new_customers": new,
        "returning_customers": returning,
        "reactivated_customers": reactivated,
        "customers_start": start,
        "customers_end": end,
        "lost": lost,
        "won_back": won,
        "joined": joined,
        "crr": crr,
        "churn_rate": _ratio(lost, start),
        "pop_retention": _ratio(returning, prev_active),
        "revenue": revenue,
        "orders": orders,
        "aov": _ratio(revenue, orders),
        "purchase_frequency": _ratio(orders, active),
        "revenue_per_customer": _ratio(revenue, active),
        "annual_revenue_per_customer": annual,
        "repeat_purchase_rate": _ratio(repeaters, acquired),
        "partial": np.broadcast_to((pos == n - 1) & act.partial, shape),
        "base_complete": np.broadcast_to(pos >= w, shape),
    }
    periods = act.labels(act.first + pos, name="period")
    if by is None:
        index = periods
    else:
        index = pd.MultiIndex.from_product([act.segments, periods], names=[by, "period"])
    out = pd.DataFrame({k: np.asarray(v).reshape(-1) for k, v in cols.items()}, index=index)
    out.attrs.update(
        period=act.period,
        week_start=act.week_start,
        active_window=w,
        by=by,
        observation_end=str(np.datetime64(act.end, "D")),
        partial_period=str(periods[-1]) if act.partial else None,
        **act.info,
    )
    return out


def _count(seg, pos, mask, n):
    size = seg.max(initial=0) + 1
    return np.bincount(seg[mask] * n + pos[mask], minlength=size * n).reshape(size, n)


def _pad(x, n_seg):
    """Pad a (segments seen, n) array to all n_seg segments (trailing segments may be absent)."""
    if x.shape[0] == n_seg:
        return x
    return np.concatenate([x, np.zeros((n_seg - x.shape[0], x.shape[1]), dtype=x.dtype)])


#: Periods of the trend window for yearly data (3 years against the 3 before).
_YEARS_OF_TREND = 3


def _trend(crr: pd.Series, where: np.ndarray, period: str) -> dict:
    """Trend keys of :func:`retention_summary` from the CRR of the complete periods.

    ``crr``: CRR of the complete periods, oldest first; ``where``: their positions in the
    KPI table (the x of the fitted line).
    """
    n = len(crr)
    per_year = PERIODS_PER_YEAR[period]
    w = min(_YEARS_OF_TREND if period == "Y" else per_year, n // 2)
    out = {"trend_window": np.nan, "trend_recent": np.nan, "trend_before": np.nan,
           "trend_change": np.nan, "trend_slope": np.nan, "trend_slope_low": np.nan,
           "trend_slope_high": np.nan, "trend_direction": "n/a", "record": None,
           "record_periods": int(n)}
    if w < 2:
        return out
    y = crr.to_numpy(dtype="float64")
    recent, before = float(y[-w:].mean()), float(y[-2 * w:-w].mean())
    x, yy = where[-2 * w:].astype("float64"), y[-2 * w:]
    dx = x - x.mean()
    sxx = float(dx @ dx)
    slope = float(dx @ (yy - yy.mean())) / sxx
    resid = yy - yy.mean() - slope * dx
    se = np.sqrt(float(resid @ resid) / (len(x) - 2) / sxx)
    half = float(stats.t.ppf(0.975, len(x) - 2)) * se
    low, high = (slope - half) * per_year, (slope + half) * per_year
    direction = "falling" if high < 0 else "rising" if low > 0 else "flat"
    last, others = y[-1], y[:-1]
    record = "lowest" if last < others.min() else "highest" if last > others.max() else None
    out.update(trend_window=int(w), trend_recent=recent, trend_before=before,
               trend_change=recent - before, trend_slope=slope * per_year,
               trend_slope_low=low, trend_slope_high=high, trend_direction=direction,
               record=record)
    return out


def _points(x: float) -> str:
    """A change in retention (fraction) as percent points with one decimal, no sign."""
    return f"{abs(x) * 100:.1f}"


def _period_words(label: str, lang: str) -> str:
    """A period of the KPI table as the sentence names it.

    English keeps the table's own label ('2024Q4', '2025-12'), as the sentence always
    wrote it; other languages write it in words (:func:`retainlib._format.period_text`:
    'דצמבר 2025').
    """
    return label if lang == "en" else period_text(label, lang)


def _in_period(label: str, lang: str) -> str:
    """The period with the preposition 'in' where the language joins it to the word.

    English: the label (the sentence writes 'In {when}'). Hebrew: ב joined to the words,
    with a hyphen before a digit ('ב-2025') and in place of the article ה ('בשבוע שמתחיל
    ב-...' from 'השבוע שמתחיל ב-...').
    """
    words = _period_words(label, lang)
    if lang != "he":
        return words
    if words[:1].isdigit():
        return "ב-" + words
    return "ב" + (words[1:] if words.startswith("ה") else words)


def _trend_text(t: dict, crr: float, period: str, lang: str = "en") -> str:
    """The trend clause of the summary sentence ('' when the trend is not computable)."""
    if t["trend_direction"] == "n/a":
        return ""
    w, n_all = t["trend_window"], 2 * t["trend_window"]

    def periods(kind: str, n: int) -> str:
        return text(f"analytics.kpi_{kind}periods_{period}", lang, n=f"{n:,}")

    change = t["trend_change"]
    if abs(change) < 0.0005:
        versus = text("analytics.kpi_versus_same", lang, periods=periods("before_", w))
    else:
        versus = text("analytics.kpi_versus_below" if change < 0 else "analytics.kpi_versus_above",
                      lang, points=_points(change), periods=periods("before_", w))
    slope, low, high = t["trend_slope"], t["trend_slope_low"], t["trend_slope_high"]
    if t["trend_direction"] == "flat":
        fit = text("analytics.kpi_fit_flat", lang, periods=periods("", n_all),
                   slope=f"{slope * 100:+.1f}", low=f"{low * 100:+.1f}", high=f"{high * 100:+.1f}")
    else:
        falling = t["trend_direction"] == "falling"
        ends = (high, low) if falling else (low, high)
        fit = text(f"analytics.kpi_fit_{t['trend_direction']}", lang, periods=periods("", n_all),
                   slope=_points(slope), low=_points(ends[0]), high=_points(ends[1]))
    out = text("analytics.kpi_trend", lang, recent_periods=periods("last_", w),
               recent=rate(t["trend_recent"]), versus=versus, fit=fit)
    if t["record"] is not None:
        out += text(f"analytics.kpi_record_{t['record']}", lang, crr=rate(crr),
                    periods=periods("", t["record_periods"]))
    return out


def retention_summary(kpis: pd.DataFrame, *, last: int = 3, lang: str = "en") -> pd.Series:
    """Retention and churn of the last complete period, their trend and the win-backs.

    The trend compares the complete periods (not partial, past the warm-up) of the last year
    with the year before and fits a straight line through both years, so a slow decline
    shows even when the last period is close to the one before.

    Parameters
    ----------
    kpis : pandas.DataFrame
        A :func:`retention_kpis` result for one segment (select one with
        ``kpis.loc[segment]``).
    last : int, default 3
        Number of complete periods in the comparison average.
    lang : str, default 'en'
        Language of ``text`` (the catalogue's ``analytics.kpi_*`` texts); the other keys are
        the same in every language.

    Returns
    -------
    pandas.Series
        ``period`` (label of the last complete period: not partial, past the
        warm-up when possible), ``crr``, ``churn_rate``, ``customers_start``
        (S), ``lost``, ``won_back`` (customers who came back in that period
        after a lapse: not in the CRR), ``won_back_year`` (won back in the
        year of periods ending with it; NaN when the data has fewer periods),
        ``previous_period``, ``previous_crr``, ``change`` (crr -
        previous_crr, fraction), ``average_crr`` (mean crr of the last
        ``last`` complete periods), ``trend`` ('up', 'down' or 'stable':
        change within 0.5 points, last period against the one before);

        the trend over a year of complete periods (not partial, past the warm-up):
        ``trend_window`` (w, periods per year: 12 months, 52 weeks, 4 quarters, 3 years;
        fewer when there are fewer than 2w complete periods, at least 2; the trend keys
        are NaN, ``trend_direction`` 'n/a', when there are fewer than 4),
        ``trend_recent`` (mean crr of the last w complete periods), ``trend_before``
        (mean crr of the w before them), ``trend_change`` (recent - before, fraction),
        ``trend_slope`` (least-squares slope of crr over the last 2w complete periods, in
        fraction per year), ``trend_slope_low`` and ``trend_slope_high`` (its 95%
        confidence interval, t distribution with 2w - 2 degrees of freedom; the monthly
        rates share most of their 12-month window, so the interval is on the narrow
        side), ``trend_direction`` ('falling' when the whole interval is below 0,
        'rising' when it is above 0, else 'flat'), ``record`` ('lowest' or 'highest'
        when the last complete period's crr is strictly below or above every other
        complete period's, None otherwise or when the trend is not computable),
        ``record_periods`` (the number of complete periods compared, the last included);

        ``text`` (one sentence for the report, with the trend in plain words).

    Examples
    --------
    Eight complete quarters (the columns the summary reads, as :func:`retention_kpis` gives
    them): the last four average 88.5%, 3 points below the four before; the fitted slope,
    -2.1 points a year, has a 95% interval from -4.6 to +0.4 points, so the trend is 'flat'
    (not shown to be falling), while 87% is the lowest of the eight quarters.

    >>> crr = [0.90, 0.92, 0.91, 0.93, 0.89, 0.88, 0.90, 0.87]
    >>> k = pd.DataFrame({"crr": crr, "churn_rate": [1 - c for c in crr],
    ...                   "customers_start": 100, "lost": 10, "won_back": 0,
    ...                   "partial": False, "base_complete": True},
    ...                  index=pd.period_range("2023Q1", periods=8, freq="Q"))
    >>> k.attrs["period"] = "Q"
    >>> s = retention_summary(k)
    >>> s["trend_window"], round(s["trend_change"], 4), s["trend_direction"], s["record"]
    (4, -0.03, 'flat', 'lowest')
    >>> print(s["text"])  # doctest: +NORMALIZE_WHITESPACE
    In 2024Q4 the customer retention rate was 87.0% (churn 13.0%), down 3.0 points from
    2024Q3 (90.0%); over the last 4 quarters retention averaged 88.5%, 3.0 points below the
    4 quarters before (no clear trend over these 8 quarters: -2.1 points a year, 95% interval
    -4.6 to +0.4), and 87.0% is the lowest of the 8 quarters measured; no lapsed customer
    came back (won back, not part of the retention rate).
    """
    if not isinstance(kpis, pd.DataFrame) or "crr" not in kpis.columns:
        raise DataError("retention_summary expects the result of retainlib.retention_kpis")
    if kpis.index.nlevels != 1:
        raise DataError("retention_summary takes one segment; pass kpis.loc[segment]")
    usable = ~kpis["partial"] & kpis["crr"].notna()
    rows = kpis[usable]
    complete = usable & kpis["base_complete"]
    if complete.sum() >= 1:
        rows = rows[rows["base_complete"]]
    if len(rows) == 0:
        raise DataError("no complete period with customers at its start; the data covers too "
                        "short a span for a retention rate")
    cur, label = rows.iloc[-1], str(rows.index[-1])
    period = kpis.attrs.get("period", "M")
    prev = rows.iloc[-2] if len(rows) > 1 else None
    avg = float(rows["crr"].iloc[-last:].mean())
    change = float(cur["crr"] - prev["crr"]) if prev is not None else np.nan
    trend = ("stable" if abs(change) < 0.005 else "up" if change > 0 else "down") \
        if prev is not None else "n/a"
    year = PERIODS_PER_YEAR[period]
    upto = kpis["won_back"].iloc[: kpis.index.get_loc(rows.index[-1]) + 1]
    won_year = float(upto.iloc[-year:].sum()) if len(upto) >= year else np.nan
    t = _trend(kpis.loc[complete, "crr"], np.flatnonzero(complete.to_numpy()), period)
    text_ = text("analytics.kpi_rate", lang, when=_in_period(label, lang),
                 crr=rate(cur["crr"]), churn=rate(cur["churn_rate"]))
    if prev is not None:
        key = "analytics.kpi_same" if trend == "stable" else (
            "analytics.kpi_up" if change > 0 else "analytics.kpi_down")
        text_ += text(key, lang, points=_points(change), previous_crr=rate(prev["crr"]),
                      previous=_period_words(str(rows.index[-2]), lang))
        if t["trend_direction"] == "n/a":
            text_ += text("analytics.kpi_average", lang, average=rate(avg), periods=text(
                f"analytics.kpi_average_periods_{period}", lang, n=min(last, len(rows))))
    text_ += _trend_text(t, float(cur["crr"]), period, lang)
    won = int(cur["won_back"])
    text_ += (text("analytics.kpi_none_back", lang) if won == 0 else
              text("analytics.kpi_one_back", lang) if won == 1 else
              text("analytics.kpi_back", lang, n=f"{won:,}"))
    return pd.Series({
        "period": label, "crr": float(cur["crr"]), "churn_rate": float(cur["churn_rate"]),
        "customers_start": int(cur["customers_start"]), "lost": int(cur["lost"]),
        "won_back": won, "won_back_year": won_year,
        "previous_period": str(rows.index[-2]) if prev is not None else None,
        "previous_crr": float(prev["crr"]) if prev is not None else np.nan,
        "change": change, "average_crr": avg, "trend": trend, **t, "text": text_,
    }, name="retention_summary")
