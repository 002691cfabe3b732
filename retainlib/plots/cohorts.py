"""Cohort heatmap, retention curves and KPI trends.

Each function takes the data first (a :func:`retainlib.cohort_table` or
:func:`retainlib.retention_kpis` result), checks it before drawing, draws
only through ``ax.*`` calls and returns the Axes. Cells and points of the
partial last period are marked, never silently mixed with complete ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from retainlib.analytics import periods as P
from retainlib.errors import DataError
from retainlib.i18n import label, text
from retainlib.plots._theme import (
    ACCENT,
    HEATMAP_CMAP,
    PALETTE,
    PRIMARY,
    check_columns,
    compact_money,
    count_formatter,
    currency_formatter,
    get_ax,
    legend,
    percent_formatter,
    style_ax,
)

_RATES = ("crr", "churn_rate", "pop_retention", "repeat_purchase_rate")
_SECONDARY = ("active_customers", "new_customers", "customers_end", "revenue", "orders",
              "revenue_per_customer", "aov")


def _one_segment(data: object, func: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"{func} expects a pandas DataFrame, got {type(data).__name__}")
    if data.index.nlevels != 1:
        raise DataError(
            f"{func} draws one segment; the frame is indexed by {list(data.index.names)}, "
            "so select one with table.loc['<segment>']"
        )
    if len(data) == 0:
        raise DataError(f"{func} got an empty frame; there is nothing to draw")
    return data


def _label(p: object, lang: str = "en") -> str:
    """Tick text of a period: '2024-01', a week by its first day ('2024-01-01'), '2024Q1'.

    In Hebrew day.month.year, as every date of the report: '01.2024', '01.01.2024'.

    >>> _label(pd.Period("2024-01", "M")), _label(pd.Period("2024-01", "M"), "he")
    ('2024-01', '01.2024')
    >>> _label(pd.Period("2024-01-01", "W-SUN"), "he"), _label(pd.Period("2024Q1", "Q"), "he")
    ('01.01.2024', 'רבעון 1, 2024')
    """
    if not isinstance(p, pd.Period):
        return str(p)
    freq = p.freqstr[:1]
    if freq == "W":
        start = p.start_time
        return text("charts.week_tick", lang, year=start.year, month=f"{start.month:02d}",
                    day=f"{start.day:02d}")
    if freq == "M":
        return text("charts.month_tick", lang, year=p.year, month=f"{p.month:02d}")
    if freq == "Q":
        return text("charts.quarter_tick", lang, year=p.year, quarter=p.quarter)
    return str(p)


def _since_first(period: str, lang: str) -> str:
    """The age axis of cohort charts: 'Months since first purchase'."""
    return text(f"charts.since_first_{P.check_period(period)}", lang)


def _matrix(table: pd.DataFrame, func: str) -> tuple[pd.DataFrame, pd.Series | None]:
    table = _one_segment(table, func)
    size = table["size"] if "size" in table.columns else None
    values = table.drop(columns="size") if size is not None else table
    if values.shape[1] == 0 or not all(pd.api.types.is_numeric_dtype(t) for t in values.dtypes):
        raise DataError(
            f"{func} expects a cohort table (cohorts x period numbers, numbers only); "
            "pass the result of retainlib.cohort_table"
        )
    return values, size


def _partial_mask(values: pd.DataFrame, partial_period: object) -> np.ndarray:
    """True at the cells that fall in the partial last period (cohort + age == that period)."""
    arr = values.to_numpy(dtype=float)
    if partial_period is None or not isinstance(values.index, pd.PeriodIndex):
        return np.zeros(arr.shape, dtype=bool)
    last = pd.Period(partial_period, freq=values.index.freq).ordinal
    ages = np.asarray(values.columns, dtype=np.int64)
    return (values.index.asi8[:, None] + ages[None, :] == last) & ~np.isnan(arr)


def plot_cohort_heatmap(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    currency: str | None = None,
    title: str | None = None,
    cmap: str = HEATMAP_CMAP,
    annotate: bool = True,
    lang: str = "en",
) -> Axes:
    """Heatmap of a cohort table, one row per cohort, annotated cell by cell.

    Parameters
    ----------
    table : pandas.DataFrame
        A wide :func:`retainlib.cohort_table` result for one segment.
        Normalized tables are shown as percentages, revenue tables in
        ``currency``, counts as integers. Row labels show the cohort size.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; default: a new standalone Figure.
    currency : str, optional
        ISO code for revenue tables ('ILS' shows ₪).
    title : str, optional
        Chart title; default describes the table.
    cmap : str, default the theme's heatmap colours
    annotate : bool, default True
        Write the value in each observed cell. Cells of the partial last
        period get a trailing '*' and the x label explains it.
    lang : {'en', 'he'}, default 'en'
        Language of the words, ticks and amounts; the cohort age still runs
        left to right in Hebrew (see :mod:`retainlib.plots`).

    Returns
    -------
    matplotlib.axes.Axes
    """
    values, size = _matrix(table, "plot_cohort_heatmap")
    figsize = (max(6.0, 0.6 * values.shape[1] + 2), max(3.0, 0.35 * len(values) + 1.5))
    ax = get_ax(ax, figsize=figsize)
    attrs = table.attrs
    normalized = attrs.get("normalize", bool(np.nanmax(values.to_numpy(dtype=float)) <= 1.5))
    kind = attrs.get("value", "customers")
    arr = values.to_numpy(dtype=float)
    partial = _partial_mask(values, attrs.get("partial_period"))
    if normalized:
        fmt = "{:.0%}".format
    elif kind == "revenue":
        fmt = lambda v: compact_money(v, currency, lang)  # noqa: E731
    else:
        fmt = "{:,.0f}".format
    texts = np.full(arr.shape, "", dtype=object)
    finite = np.isfinite(arr)
    texts[finite] = [fmt(v) for v in arr[finite]]  # one label per observed cell
    texts = np.where(partial, texts + "*", texts)
    later = arr[:, 1:] if arr.shape[1] > 1 else arr
    vmax = np.nanmax(later) if np.isfinite(later).any() else None
    ylabels = [_label(c, lang) for c in values.index]
    if size is not None:
        ylabels = [text("charts.cohort_row", lang, cohort=lab, size=f"{n:,}")
                   for lab, n in zip(ylabels, size.to_numpy(), strict=True)]
    sns.heatmap(
        pd.DataFrame(arr, index=ylabels, columns=[str(c) for c in values.columns]),
        ax=ax, cmap=cmap, vmin=min(0.0, float(np.nanmin(arr))) if np.isfinite(arr).any() else None,
        vmax=vmax, annot=texts if annotate else False, fmt="", cbar=False,
        linewidths=0.5, linecolor="white", annot_kws={"fontsize": 8},
    )
    name = kind if kind in ("customers", "revenue", "orders") else "other"
    if normalized and kind in ("customers", "revenue"):
        name += "_share"
    xlabel = _since_first(attrs.get("period", "M"), lang)
    if partial.any():
        shown = attrs["partial_period"]
        if lang != "en":  # English shows the period as pandas names it ('2024-04', a week's span)
            shown = _label(pd.Period(shown, freq=values.index.freq), lang)
        xlabel = text("charts.with_partial", lang, axis=xlabel, period=shown)
    style_ax(ax, title=title or text(f"charts.heatmap_{name}", lang), xlabel=xlabel,
             ylabel=text("charts.cohort", lang), grid_axis="", lang=lang)
    ax.tick_params(axis="y", rotation=0)
    return ax


def plot_retention_curves(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    include_partial: bool = False,
    lang: str = "en",
) -> Axes:
    """Retention curve of every cohort (faint) and their size-weighted average (bold).

    Parameters
    ----------
    table : pandas.DataFrame
        A wide :func:`retainlib.cohort_table` result with
        ``value='customers'`` (normalized or not) for one segment.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    include_partial : bool, default False
        Draw the cells of the incomplete last period (they understate
        retention).
    lang : {'en', 'he'}, default 'en'
        Language of the words; the age axis runs left to right in Hebrew too.

    Returns
    -------
    matplotlib.axes.Axes
        One line per cohort plus the weighted average (the last line).
    """
    from retainlib.analytics.cohorts import retention_curve

    values, size = _matrix(table, "plot_retention_curves")
    if size is None or table.attrs.get("value", "customers") != "customers":
        raise DataError(
            "plot_retention_curves needs a cohort_table(value='customers') result with its "
            "'size' column"
        )
    avg = retention_curve(table, include_partial=include_partial)
    ax = get_ax(ax)
    arr = values.to_numpy(dtype=float)
    if not table.attrs.get("normalize", True):
        arr = arr / size.to_numpy(dtype=float)[:, None]
    if not include_partial:
        arr = np.where(_partial_mask(values, table.attrs.get("partial_period")), np.nan, arr)
    ages = np.asarray(values.columns, dtype=float)
    for i, row in enumerate(arr):
        ax.plot(ages, row, color=PALETTE[5], alpha=0.35, linewidth=0.9,
                label=text("charts.curves_cohorts", lang) if i == 0 else "_nolegend_")
    ax.plot(avg.index.to_numpy(dtype=float), avg["retention"].to_numpy(), color=PRIMARY,
            linewidth=2.6, marker="o", markersize=4, label=text("charts.curves_average", lang))
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.set_ylim(0, 1.02)
    legend(ax, lang, fontsize=9)
    style_ax(ax, title=title or text("charts.curves_title", lang),
             xlabel=_since_first(table.attrs.get("period", "M"), lang),
             ylabel=text("charts.curves_share", lang), lang=lang)
    return ax


def rate_limits(rates: object) -> tuple[float, float]:
    """Y-axis range of a rate chart that does not exaggerate small changes.

    Bottom: the lower of 0.80 and (lowest rate - 0.05), rounded down to a
    multiple of 0.05, and never below 0. Top: highest rate + 0.05, rounded up
    to a multiple of 0.05, never above 1. NaNs are ignored; with no rate at
    all the range is 0 to 1.

    >>> rate_limits([0.93, 0.95, 0.94])
    (0.8, 1.0)
    >>> rate_limits([0.62, 0.70])
    (0.55, 0.75)
    >>> rate_limits([0.03, 0.08])
    (0.0, 0.15)
    """
    r = np.asarray(rates, dtype=float)
    r = r[np.isfinite(r)]
    if len(r) == 0:
        return 0.0, 1.0
    # rounded to whole points first, so float noise (0.95 - 0.05) does not drop a step
    low = np.floor(round(min(0.80, r.min() - 0.05) * 100, 6) / 5) * 5 / 100
    high = np.ceil(round((r.max() + 0.05) * 100, 6) / 5) * 5 / 100
    return float(max(0.0, low)), float(min(1.0, max(high, low + 0.05)))


def plot_kpi_trends(
    kpis: pd.DataFrame,
    *,
    rate: str = "crr",
    secondary: str | None = "active_customers",
    ax: Axes | None = None,
    currency: str | None = None,
    title: str | None = None,
    lang: str = "en",
) -> Axes:
    """A retention rate over time (line) with a volume measure (bars, right axis).

    Warm-up periods (customer base not yet complete) are shaded and carry no
    line: their rate is not measured on the whole base, so it is not drawn.
    The partial last period is drawn as a hollow marker, not as part of the
    line.

    The left axis does not zoom in on small changes (see :func:`rate_limits`):
    it starts at the lower of 80% and the lowest drawn rate minus 5 points,
    rounded down to 5 points (never below 0%), and ends at the highest drawn
    rate plus 5 points, rounded up to 5 points (never above 100%). A one-point
    fall therefore stays a small step.

    Parameters
    ----------
    kpis : pandas.DataFrame
        A :func:`retainlib.retention_kpis` result for one segment.
    rate : {'crr', 'churn_rate', 'pop_retention', 'repeat_purchase_rate'}
        Rate drawn as the line (left axis, percent).
    secondary : str or None, default 'active_customers'
        Column drawn as bars on a right axis ('revenue' uses ``currency``);
        None for the line only.
    ax : matplotlib.axes.Axes, optional
    currency : str, optional
        ISO code for money columns ('ILS' shows ₪).
    title : str, optional
    lang : {'en', 'he'}, default 'en'
        Language of the words, period ticks and amounts; time runs left to
        right in Hebrew too (see :mod:`retainlib.plots`).

    Returns
    -------
    matplotlib.axes.Axes
        The left (rate) axis; the bars are on ``ax.twinx()``.
    """
    kpis = _one_segment(kpis, "plot_kpi_trends")
    if rate not in _RATES:
        raise DataError(f"rate={rate!r} is not a rate column; use one of "
                        f"{', '.join(map(repr, _RATES))}")
    if secondary is not None and secondary not in _SECONDARY:
        raise DataError(f"secondary={secondary!r} is not supported; use one of "
                        f"{', '.join(map(repr, _SECONDARY))} or None")
    needed = (rate, "partial", "base_complete") + ((secondary,) if secondary else ())
    check_columns(kpis, needed, "plot_kpi_trends")
    ax = get_ax(ax)
    x = np.arange(len(kpis))
    partial = kpis["partial"].to_numpy(dtype=bool)
    y = kpis[rate].to_numpy(dtype=float)
    if secondary is not None:
        bars_ax = ax.twinx()
        bars_ax.bar(x, kpis[secondary].to_numpy(dtype=float), color=PALETTE[5], alpha=0.25,
                    width=0.8)
        if secondary in ("revenue", "revenue_per_customer", "aov"):
            bars_ax.yaxis.set_major_formatter(currency_formatter(currency, lang))
        else:
            bars_ax.yaxis.set_major_formatter(count_formatter())
        bars_ax.set_ylabel(label(secondary, lang), fontsize=10, color="#666666")
        for side in ("top", "left"):
            bars_ax.spines[side].set_visible(False)
        ax.set_zorder(bars_ax.get_zorder() + 1)
        ax.patch.set_visible(False)
    warm_up = ~kpis["base_complete"].to_numpy(dtype=bool)
    warm = np.flatnonzero(warm_up)
    if len(warm):
        ax.axvspan(-0.5, warm.max() + 0.5, color="#d9d9d9", alpha=0.3, zorder=0,
                   label=text("charts.warm_up", lang))
    ax.plot(x, np.where(partial | warm_up, np.nan, y), color=PRIMARY, linewidth=2.2,
            marker="o", markersize=3.5, label=label(rate, lang))
    marked = partial & ~warm_up
    if marked.any():
        ax.scatter(x[marked], y[marked], facecolors="white", edgecolors=ACCENT, zorder=3,
                   label=text("charts.partial_period", lang))
    ax.set_ylim(*rate_limits(y[~warm_up]))
    ax.yaxis.set_major_formatter(percent_formatter())
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels([_label(p, lang) for p in kpis.index[::step]], rotation=45, ha="right")
    legend(ax, lang, fontsize=9, loc="lower left")
    default = label(rate, lang)
    style_ax(ax, title=title or default, xlabel=None, ylabel=default, lang=lang)
    return ax
