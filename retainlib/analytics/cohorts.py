"""Acquisition cohorts: who came back, and how much they spent, period by period.

Definitions (the numbers a consultant must be able to defend)
-------------------------------------------------------------
* **Purchase day**: all of a customer's lines on one calendar day, netted
  (returns included). A day whose net amount is >= 0 is a purchase day; a
  day with a negative net amount (only returns, or returns exceeding the
  day's purchases) is not. This is the purchase-occasion rule of
  :func:`retainlib.rfm_summary`.
* **Active** in a period: the customer has at least one purchase day in it.
  A period in which a customer only returned goods does not make them active.
* **Cohort**: the period of the customer's first purchase day. Customers who
  never made a purchase day (only returns) belong to no cohort; their number
  is in ``attrs["customers_without_purchase"]``.
* **Period number** (age): periods since acquisition, 0 = the cohort's own
  period.
* **Revenue**: the net amount of all of a cohort's lines in that period,
  returns included. Lines that fall in no cohort cell (customers without a
  purchase day, returns dated before a customer's first purchase) are summed
  in ``attrs["revenue_outside_cohorts"]``.
* **Orders**: distinct ``order_id`` values among the lines with amount >= 0
  on purchase days when the column exists (lines without an id count as one
  order per purchase day); otherwise purchase days.
* **Unobserved cells** (a cohort too young to have reached that age) are NaN,
  never 0.
* **Partial period**: when ``observation_end`` (default: the last
  transaction date) falls before the end of its period, that last calendar
  period is incomplete. Its cells (the last non-NaN cell of every cohort row)
  are flagged: ``attrs["partial_period"]`` names it (None when complete)
  and the long form has a boolean ``partial`` column.
* **Segments** (``by=``): a customer belongs to the segment of their first
  purchase (acquisition segment), so each customer is counted once and
  segment tables add up to the total. When that day's lines name different
  segments, the line with the largest amount decides (then the first segment
  in sorted order), so the result does not depend on the order of rows.
  Missing segment values form the segment ``"(missing)"``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from retainlib.analytics import periods as P
from retainlib.errors import ConfigError, DataError, RetainlibWarning

_VALUES = ("customers", "revenue", "orders")
_MODES = ("on", "on_or_after")


def _choice(value: object, options: tuple[str, ...], name: str) -> str:
    if value not in options:
        raise ConfigError(
            f"{name}={value!r} is not supported; use one of {', '.join(map(repr, options))}"
        )
    return value  # type: ignore[return-value]


def _cube(act: P.Activity, value: str, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """(segment, cohort, age) value cube and (segment, cohort) sizes, cohorts offset by first."""
    n_seg, n = len(act.segments), act.n_periods
    coh = act.cohort[act.cust]
    age = act.ordinal - coh
    keep = act.purchased[act.cust] & (age >= 0)
    group = (act.segment[act.cust] * n + (coh - act.first)) * n + age
    if value == "customers" and mode == "on_or_after":
        # counted at every age up to the customer's last active age
        idx = np.flatnonzero(keep & act.active)
        last = idx[np.r_[act.cust[idx][1:] != act.cust[idx][:-1], True]]
        hist = np.bincount(group[last], minlength=n_seg * n * n).reshape(n_seg, n, n)
        cube = np.cumsum(hist[:, :, ::-1], axis=2)[:, :, ::-1].astype(float)
    else:
        sel = keep & act.active if value == "customers" else keep
        weights = {"customers": None, "revenue": act.revenue, "orders": act.orders}[value]
        w = None if weights is None else weights[sel]
        cube = np.bincount(group[sel], weights=w, minlength=n_seg * n * n).astype(float)
        cube = cube.reshape(n_seg, n, n)
    buyers = act.purchased
    sizes = np.bincount(
        act.segment[buyers] * n + (act.cohort[buyers] - act.first), minlength=n_seg * n
    ).reshape(n_seg, n)
    return cube, sizes


def cohort_table(
    tx: pd.DataFrame,
    *,
    period: str = "M",
    value: str = "customers",
    mode: str = "on",
    normalize: bool = True,
    by: str | None = None,
    observation_end: object = None,
    form: str = "wide",
    week_start: str = "monday",
) -> pd.DataFrame:
    """Cohort table: acquisition cohorts by periods since acquisition.

    See the module docstring for the definitions of active, cohort, revenue,
    orders, unobserved cells and the partial period.

    Parameters
    ----------
    tx : pandas.DataFrame or Activity
        Canonical transactions (``customer_id``, ``date``, ``amount``;
        optional ``order_id`` and segment columns), or their
        :class:`retainlib.analytics.periods.Activity` in ``period`` (an
        engine's, :func:`retainlib.analytics.periods.activity_of_cells`; no ``by``).
    period : {'W', 'M', 'Q', 'Y'}, default 'M'
        Weeks (from ``week_start``), calendar months, quarters or years.
    value : {'customers', 'revenue', 'orders'}, default 'customers'
        Distinct active customers, net revenue, or orders per cell.
    mode : {'on', 'on_or_after'}, default 'on'
        'on': active in exactly that period. 'on_or_after': active in that
        period or any later one (unbounded retention); customers only.
    normalize : bool, default True
        Divide each row by its period-0 value (retention rates; for revenue,
        net revenue retention). A row whose period-0 revenue is <= 0 is NaN,
        with a warning.
    by : str, optional
        Segment column; see the module docstring.
    observation_end : date-like, optional
        Last day observed (inclusive); later lines are ignored and counted in
        ``attrs["rows_after_observation_end"]``. Default: last transaction date.
    form : {'wide', 'long'}, default 'wide'
        'wide': one row per cohort. 'long': one row per observed cell.
    week_start : {'monday', 'sunday'}, default 'monday'
        First day of a week (weekly periods only): Monday to Sunday, or Sunday
        to Saturday; a week's label names its first day.

    Returns
    -------
    pandas.DataFrame
        Wide form: indexed by ``cohort`` (a PeriodIndex; with ``by`` a
        MultiIndex (segment, cohort), so ``table.loc[segment]`` is one
        segment's table), with column ``size`` (customers acquired) followed
        by integer columns ``0, 1, 2, ...`` (period number). Long form: columns
        [segment,] ``cohort``, ``period_number``, ``period`` (calendar
        period of the cell), ``value``, ``size``, ``partial`` (cell lies in the
        incomplete last period). ``attrs``: ``period``, ``value``, ``mode``,
        ``normalize``, ``week_start``, ``observation_end``, ``partial_period`` (label or
        None), ``first_period_partial``, ``rows_after_observation_end``,
        ``customers_without_purchase``, ``revenue_outside_cohorts``.

    Examples
    --------
    Two customers acquired in January; only ``a`` comes back, in March:

    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a", "c"],
    ...     "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-02", "2024-02-10"]),
    ...     "amount": [10.0, 20.0, 15.0, 8.0]})
    >>> cohort_table(tx, observation_end="2024-03-31")  # doctest: +NORMALIZE_WHITESPACE
             size    0    1    2
    cohort
    2024-01     2  1.0  0.0  0.5
    2024-02     1  1.0  0.0  NaN
    """
    value = _choice(value, _VALUES, "value")
    mode = _choice(mode, _MODES, "mode")
    form = _choice(form, ("wide", "long"), "form")
    if mode == "on_or_after" and value != "customers":
        raise ConfigError(
            f"mode='on_or_after' is defined for value='customers' only, not {value!r}; "
            "use mode='on' for revenue or orders"
        )
    act = P.activity_of(tx, period, observation_end, by, week_start=week_start)
    cube, sizes = _cube(act, value, mode)
    n = act.n_periods
    observed = np.add.outer(np.arange(n), np.arange(n)) <= n - 1  # cohort index + age
    cube[:, ~observed] = np.nan
    if normalize:
        base = cube[:, :, :1].copy()
        bad = (base <= 0) & (sizes[:, :, None] > 0)
        if bad.any():
            warnings.warn(
                f"{int(bad.sum())} cohort(s) have period-0 {value} <= 0 (returns exceed "
                "purchases); their normalized rows are NaN",
                RetainlibWarning,
                stacklevel=2,
            )
        base[base <= 0] = np.nan
        cube = cube / base
    seg_i, coh_i = np.nonzero(sizes > 0)
    partial_label = str(act.labels([act.last])[0]) if act.partial else None
    attrs = {
        "period": act.period,
        "week_start": act.week_start,
        "value": value,
        "mode": mode,
        "normalize": bool(normalize),
        "by": by,
        "observation_end": str(np.datetime64(act.end, "D")),
        "partial_period": partial_label,
        **act.info,
    }
    cohorts = act.labels(act.first + coh_i, name="cohort")
    if form == "long":
        out = _long(cube, sizes, seg_i, coh_i, act, by, cohorts)
    else:
        n_ages = n - int(coh_i.min())
        data = cube[seg_i, coh_i, :n_ages]
        index = cohorts if by is None else pd.MultiIndex.from_arrays(
            [act.segments[seg_i], cohorts], names=[by, "cohort"])
        out = pd.DataFrame(data, index=index, columns=pd.RangeIndex(n_ages))
        out.insert(0, "size", sizes[seg_i, coh_i].astype(np.int64))
    out.attrs.update(attrs)
    return out


def _long(cube, sizes, seg_i, coh_i, act, by, cohorts) -> pd.DataFrame:
    n = act.n_periods
    ages = n - coh_i  # observed ages per kept row
    row = np.repeat(np.arange(len(seg_i)), ages)
    age = np.arange(len(row)) - np.repeat(np.cumsum(ages) - ages, ages)
    cell_period = act.first + coh_i[row] + age
    cols = {}
    if by is not None:
        cols[by] = act.segments[seg_i[row]]
    cols["cohort"] = cohorts[row]
    cols["period_number"] = age.astype(np.int64)
    cols["period"] = act.labels(cell_period)
    cols["value"] = cube[seg_i[row], coh_i[row], age]
    cols["size"] = sizes[seg_i[row], coh_i[row]].astype(np.int64)
    cols["partial"] = (cell_period == act.last) & act.partial
    return pd.DataFrame(cols)


def _long_from_table(table: pd.DataFrame) -> pd.DataFrame:
    """Melt a wide customers table (normalized or not) back to counts in long form."""
    if "size" not in table.columns or table.attrs.get("value", "customers") != "customers":
        raise DataError(
            "retention_curve needs transactions or a cohort_table(value='customers') result "
            "with its 'size' column; pass the transactions instead"
        )
    ages = [c for c in table.columns if c != "size"]
    vals = table[ages].to_numpy(dtype=float)
    if table.attrs.get("normalize", True):
        vals = vals * table["size"].to_numpy(dtype=float)[:, None]
    seg = table.index.get_level_values(0) if table.index.nlevels == 2 else None
    cohort = table.index.get_level_values(-1)
    r, c = np.nonzero(~np.isnan(vals))
    out = {}
    if seg is not None:
        out[table.index.names[0]] = seg[r]
    out["cohort"] = cohort[r]
    out["period_number"] = np.asarray(ages, dtype=np.int64)[c]
    out["value"] = vals[r, c]
    out["size"] = table["size"].to_numpy()[r]
    partial = table.attrs.get("partial_period")
    if partial is None:
        out["partial"] = np.zeros(len(r), dtype=bool)
    elif isinstance(cohort, pd.PeriodIndex):
        last = pd.Period(partial, freq=cohort.freq).ordinal
        out["partial"] = cohort.asi8[r] + out["period_number"] == last
    else:
        raise DataError("the cohort table's index is not a PeriodIndex; pass the transactions "
                        "to retention_curve instead")
    return pd.DataFrame(out)


def retention_curve(
    data: pd.DataFrame,
    *,
    period: str = "M",
    mode: str = "on",
    by: str | None = None,
    observation_end: object = None,
    include_partial: bool = False,
    week_start: str = "monday",
) -> pd.DataFrame:
    """Average retention curve across cohorts, weighted by cohort size.

    At each period number k only the cohorts observed at age k take part:
    ``retention_k = sum(active customers at k) / sum(sizes of those cohorts)``,
    which equals the size-weighted mean of the cohorts' retention rates.

    Parameters
    ----------
    data : pandas.DataFrame or Activity
        Canonical transactions (or their Activity, as for
        :func:`cohort_table`), or a wide :func:`cohort_table` result with
        ``value='customers'`` (then ``period``, ``mode``, ``by`` and
        ``observation_end`` are taken from the table).
    period, mode, by, observation_end, week_start
        As in :func:`cohort_table` (used when ``data`` is transactions).
    include_partial : bool, default False
        Include cells of the incomplete last period (they understate
        retention because the period is not over).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period_number`` (with ``by``: (segment, period_number))
        with columns ``retention`` (fraction), ``retained`` (active customers),
        ``customers`` (sum of the contributing cohorts' sizes) and
        ``cohorts`` (number of contributing cohorts).

    Examples
    --------
    Cohort A: 10 customers, 4 active at age 1; cohort B: 30 customers, 9 at
    age 1: (4 + 9) / (10 + 30) = 0.325 (not the plain mean (0.4 + 0.3) / 2).

    >>> table = pd.DataFrame({"size": [10, 30], 0: [1.0, 1.0], 1: [0.4, 0.3]},
    ...     index=pd.PeriodIndex(["2024-01", "2024-02"], freq="M", name="cohort"))
    >>> retention_curve(table)["retention"].round(3).tolist()
    [1.0, 0.325]
    """
    if "customer_id" in getattr(data, "columns", ()) or isinstance(data, P.Activity):
        long = cohort_table(data, period=period, mode=mode, normalize=False, by=by,
                            observation_end=observation_end, form="long", week_start=week_start)
    elif isinstance(data, pd.DataFrame):
        long = _long_from_table(data)
        by = data.index.names[0] if data.index.nlevels == 2 else None
    else:
        raise DataError(f"retention_curve expects a DataFrame, got {type(data).__name__}")
    if not include_partial:
        long = long[~long["partial"].to_numpy()]
    keys = ([by] if by is not None else []) + ["period_number"]
    g = long.groupby(keys, sort=True)
    out = pd.DataFrame({
        "retained": g["value"].sum().round().astype(np.int64),
        "customers": g["size"].sum().astype(np.int64),
        "cohorts": g["size"].size().astype(np.int64),
    })
    out.insert(0, "retention", out["retained"] / out["customers"])
    return out


def revenue_retention(
    tx: pd.DataFrame,
    *,
    period: str = "M",
    by: str | None = None,
    observation_end: object = None,
    form: str = "wide",
    week_start: str = "monday",
) -> pd.DataFrame:
    """Net revenue retention per cohort: net revenue in period k / net revenue in period 0.

    Equal to ``cohort_table(tx, value='revenue', normalize=True, ...)``:
    returns are netted in the period they occur, so values can exceed 1
    (cohorts spending more than in their first period) or fall below 0.

    Returns
    -------
    pandas.DataFrame
        As :func:`cohort_table` (``size`` = customers acquired; period
        columns = revenue ratios, NaN where unobserved or period-0 revenue
        is <= 0).
    """
    return cohort_table(tx, period=period, value="revenue", mode="on", normalize=True, by=by,
                        observation_end=observation_end, form=form, week_start=week_start)
