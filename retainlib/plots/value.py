"""Value-concentration charts: Pareto curve with the 80/20 point, Lorenz curve, ABC bars.

Each function takes the output of the matching :mod:`retainlib.analytics.pareto` function (or
transactions / per-customer revenue, which it passes to that function first), draws only
through ``ax.*`` calls and returns the Axes.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from retainlib.analytics import pareto
from retainlib.errors import DataError
from retainlib.i18n import count_of, text
from retainlib.plots._theme import (
    ACCENT,
    PALETTE,
    PRIMARY,
    check_columns,
    compact_money,
    default_title,
    get_ax,
    is_rtl,
    legend,
    percent_formatter,
    style_ax,
)

__all__ = ["plot_abc", "plot_lorenz", "plot_pareto"]

_GREY = PALETTE[5]
_MAX_POINTS = 4000  # a monotone curve drawn through 4,000 points looks the same as through 1M


def _thin(n: int) -> np.ndarray:
    """Indices 0..n (both ends kept), at most ``_MAX_POINTS`` of them."""
    if n + 1 <= _MAX_POINTS:
        return np.arange(n + 1)
    return np.unique(np.linspace(0, n, _MAX_POINTS).round().astype("int64"))


def _is_frame_with(data: object, columns: tuple[str, ...]) -> bool:
    return isinstance(data, pd.DataFrame) and set(columns) <= set(data.columns)


def _share_axes(ax: Axes) -> None:
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(percent_formatter())
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.set_aspect("equal", adjustable="box")


def plot_pareto(data: object, *, ax: Axes | None = None, mark: float = 0.2,
                show_gini: bool = True, title: str | None = None,
                color: str = PRIMARY, lang: str = "en") -> Axes:
    """Cumulative share of revenue against share of customers, largest customers first.

    Parameters
    ----------
    data : DataFrame or Series
        The output of :func:`retainlib.pareto_table` (columns ``cum_customer_share``,
        ``cum_revenue_share`` and, for the Gini coefficient, ``revenue``), or transactions or
        per-customer revenue, which are passed to :func:`retainlib.pareto_table` first.
    ax : matplotlib Axes, optional
        Where to draw; a new standalone Figure is created when omitted.
    mark : float, default 0.2
        Mark where the top ``mark`` share of customers lands (the 80/20 point), computed as
        :func:`retainlib.top_share` does (the top ``ceil(mark * n)`` customers).
    show_gini : bool, default True
        Show the Gini coefficient in the legend.
    title : str, optional
        Axes title; default 'Revenue concentration (Pareto curve)' in ``lang``, '' for none.
    color : str
        Colour of the curve.
    lang : {'en', 'he'}, default 'en'
        Language of the words; the shares still grow left to right in Hebrew.

    Returns
    -------
    Axes
        The Axes drawn on: the curve, the diagonal of equality and the marked point.
    """
    if isinstance(mark, bool) or not isinstance(mark, Real) or not 0 < float(mark) < 1:
        raise DataError(
            f"mark must be a share of customers between 0 and 1 (e.g. 0.2), got {mark!r}"
        )
    table = data
    if not _is_frame_with(data, ("cum_customer_share", "cum_revenue_share")):
        table = pareto.pareto_table(data)
    check_columns(table, ("cum_customer_share", "cum_revenue_share")
                  + (("revenue",) if show_gini else ()), "plot_pareto")
    n = len(table)
    if n == 0:
        raise DataError("plot_pareto got an empty table; there are no customers to draw")
    x = np.concatenate([[0.0], table["cum_customer_share"].to_numpy(dtype="float64")])
    y = np.concatenate([[0.0], table["cum_revenue_share"].to_numpy(dtype="float64")])
    label = (text("charts.pareto_curve_gini", lang, gini=f"{pareto.gini(table):.2f}")
             if show_gini else text("charts.pareto_curve", lang))

    ax = get_ax(ax, figsize=(6.0, 5.0))
    keep = _thin(n)
    ax.plot(x[keep], y[keep], color=color, linewidth=2.2, label=label)
    ax.plot([0, 1], [0, 1], color=_GREY, linestyle="--", linewidth=1,
            label=text("charts.equality", lang))
    k = math.ceil(round(float(mark) * n, 9))
    px, py = x[k], y[k]
    ax.plot([px, px, 0], [0, py, py], color=ACCENT, linestyle=":", linewidth=1.2)
    ax.scatter([px], [py], color=ACCENT, zorder=3, s=40)
    ax.annotate(text("charts.pareto_point", lang, top=f"{mark:.0%}", revenue=f"{py:.0%}"),
                xy=(px, py), xytext=(px + 0.06, py - 0.16), fontsize=9, color="#333333",
                multialignment="right" if is_rtl(lang) else "left",
                arrowprops={"arrowstyle": "-", "color": ACCENT, "linewidth": 0.8})
    style_ax(ax, title=default_title(title, "charts.pareto_title", lang),
             xlabel=text("charts.pareto_x", lang), ylabel=text("charts.revenue_share", lang),
             grid_axis="both", lang=lang)
    _share_axes(ax)
    legend(ax, lang, loc="lower right", fontsize=8)
    return ax


def plot_lorenz(data: object, *, ax: Axes | None = None, show_gini: bool = True,
                title: str | None = None, color: str = PRIMARY, lang: str = "en") -> Axes:
    """Lorenz curve (smallest customers first) with the area between it and equality shaded.

    Parameters
    ----------
    data : DataFrame or Series
        The output of :func:`retainlib.lorenz_curve` (columns ``customer_share`` and
        ``revenue_share``), or transactions or per-customer revenue, passed to it first.
    ax : matplotlib Axes, optional
        Where to draw; a new standalone Figure is created when omitted.
    show_gini : bool, default True
        Show the Gini coefficient (twice the shaded area) in the legend.
    title : str, optional
        Axes title; default 'Lorenz curve of customer revenue' in ``lang``, '' for none.
    color : str
        Colour of the curve.
    lang : {'en', 'he'}, default 'en'
        Language of the words; the shares still grow left to right in Hebrew.

    Returns
    -------
    Axes
        The Axes drawn on.
    """
    curve = data
    if not _is_frame_with(data, ("customer_share", "revenue_share")):
        curve = pareto.lorenz_curve(data)
    check_columns(curve, ("customer_share", "revenue_share"), "plot_lorenz")
    x = curve["customer_share"].to_numpy(dtype="float64")
    y = curve["revenue_share"].to_numpy(dtype="float64")
    if len(x) < 2 or np.any(np.diff(x) < 0):
        raise DataError("plot_lorenz needs a Lorenz curve from retainlib.lorenz_curve "
                        "(at least two points, customer_share ascending)")
    label = text("charts.lorenz_curve", lang)
    if show_gini:
        # for a piecewise-linear Lorenz curve this equals retainlib.gini on the same customers
        area = float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
        label = text("charts.lorenz_curve_gini", lang, gini=f"{1 - 2 * area:.2f}")

    ax = get_ax(ax, figsize=(6.0, 5.0))
    keep = _thin(len(x) - 1)
    ax.fill_between(x[keep], y[keep], x[keep], color=color, alpha=0.12, linewidth=0)
    ax.plot(x[keep], y[keep], color=color, linewidth=2.2, label=label)
    ax.plot([0, 1], [0, 1], color=_GREY, linestyle="--", linewidth=1,
            label=text("charts.equality", lang))
    style_ax(ax, title=default_title(title, "charts.lorenz_title", lang),
             xlabel=text("charts.lorenz_x", lang), ylabel=text("charts.revenue_share", lang),
             grid_axis="both", lang=lang)
    _share_axes(ax)
    legend(ax, lang, loc="upper left", fontsize=8)
    return ax


def plot_abc(data: object, *, ax: Axes | None = None, currency: str | None = None,
             title: str | None = None, lang: str = "en") -> Axes:
    """Side-by-side bars per ABC class: share of customers and share of revenue.

    Parameters
    ----------
    data : DataFrame
        The output of :func:`retainlib.abc_summary` (index 'A', 'B', 'C'; columns
        ``customers``, ``customer_share``, ``revenue``, ``revenue_share``) or of
        :func:`retainlib.abc_classes`, which is summarised first.
    ax : matplotlib Axes, optional
        Where to draw; a new standalone Figure is created when omitted.
    currency : str, optional
        ISO code for the revenue shown under each class ('ILS' -> '₪').
    title : str, optional
        Axes title; default 'ABC classes: share of customers and of revenue' in ``lang``,
        '' for none.
    lang : {'en', 'he'}, default 'en'
        Language of the words and amounts; the classes stay in order A, B, C from the left.

    Returns
    -------
    Axes
        The Axes drawn on; bar heights are the shares.
    """
    summary = data
    if _is_frame_with(data, ("abc_class", "revenue")):
        summary = pareto.abc_summary(data)
    check_columns(summary, ("customers", "customer_share", "revenue", "revenue_share"), "plot_abc")
    if len(summary) == 0:
        raise DataError("plot_abc got an empty summary; there are no classes to draw")

    ax = get_ax(ax, figsize=(7.0, 4.5))
    pos = np.arange(len(summary))
    width = 0.38
    bars = [
        ax.bar(pos - width / 2, summary["customer_share"], width, color=PRIMARY,
               label=text("charts.abc_customers", lang)),
        ax.bar(pos + width / 2, summary["revenue_share"], width, color=ACCENT,
               label=text("charts.abc_revenue", lang)),
    ]
    for container in bars:
        ax.bar_label(container, labels=[f"{h:.0%}" for h in container.datavalues],
                     fontsize=9, padding=2, color="#333333")
    ax.set_xticks(pos, [
        text("charts.abc_tick", lang, cls=cls, customers=count_of(int(c), "customer", lang),
             revenue=compact_money(r, currency, lang))
        for cls, c, r in zip(summary.index, summary["customers"], summary["revenue"], strict=True)
    ])
    style_ax(ax, title=default_title(title, "charts.abc_title", lang),
             ylabel=text("charts.abc_share", lang), lang=lang)
    ax.yaxis.set_major_formatter(percent_formatter())
    ax.set_ylim(0, 1.1)
    legend(ax, lang, loc="upper right", fontsize=8)
    return ax
