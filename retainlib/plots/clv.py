"""CLV model diagnostics: frequency fit, calibration vs holdout, tracking, F/R heatmaps.

Each function takes the output of the matching analytics function
(:func:`retainlib.frequency_table`, :func:`retainlib.holdout_by_frequency`,
:func:`retainlib.cumulative_tracking` / :func:`retainlib.evaluate_holdout`,
:func:`retainlib.frequency_recency_matrix`) or the data that function needs,
draws only through ``ax.*`` calls and returns the Axes. The figures follow
Fader, Hardie & Lee (2005), "Counting your customers the easy way".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from retainlib._format import date
from retainlib._units import UNIT_NOUNS
from retainlib.analytics import diagnostics, holdout
from retainlib.errors import DataError
from retainlib.i18n import count_of, label, text
from retainlib.plots._theme import (
    ACCENT,
    HEATMAP_CMAP,
    PALETTE,
    PRIMARY,
    check_columns,
    count_formatter,
    default_title,
    get_ax,
    legend,
    percent_formatter,
    style_ax,
)

__all__ = [
    "plot_calibration_holdout",
    "plot_cumulative_tracking",
    "plot_frequency_histogram",
    "plot_frequency_recency_matrix",
    "plot_probability_alive_matrix",
]


def _unit(data: object) -> str | None:
    """The time unit of a summary or table ('W'), None when it does not say."""
    unit = getattr(data, "attrs", {}).get("time_unit")
    return unit if unit in UNIT_NOUNS else None


def _unit_name(data: object, default: str = "time", lang: str = "en") -> str:
    """The plural words of the data's time unit ('weeks'); ``default`` names the fallback key."""
    return text(f"charts.units_{_unit(data) or default}", lang)


def _span(data: object, t: float, lang: str) -> str:
    """A horizon of ``t`` time units as the scale's label says it: 'week', '3 weeks'."""
    unit = _unit(data)
    if t == 1:
        return text(f"charts.next_{unit or 'time'}", lang)
    if unit is None:
        return text("charts.next_many_time", lang, n=f"{t:g}")
    return count_of(t, UNIT_NOUNS[unit], lang)


def _need_model(model: object, method: str, func: str) -> None:
    if model is None or not hasattr(model, method):
        raise DataError(
            f"{func} needs a fitted model with {method}() (model=BetaGeoModel().fit(rfm)) when "
            "given a customer summary; or pass the precomputed table instead"
        )


def _grouped_bars(ax: Axes, labels, first, second, names) -> None:
    pos = np.arange(len(labels))
    width = 0.4
    ax.bar(pos - width / 2, first, width, color=PRIMARY, label=names[0])
    ax.bar(pos + width / 2, second, width, color=ACCENT, label=names[1])
    ax.set_xticks(pos, list(labels))


def plot_frequency_histogram(
    data: pd.DataFrame, *, model: object = None, max_frequency: int = 7,
    ax: Axes | None = None, title: str | None = None, lang: str = "en",
) -> Axes:
    """Customers by number of repeat purchases, actual vs model (FHL 2005, Figure 1).

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`retainlib.frequency_table` output (``actual``, ``expected``), or
        a customer summary (``frequency``, ``T``), then ``model`` is required.
    model : BetaGeoModel, optional
        Fitted model, used only when ``data`` is a summary.
    max_frequency : int, default 7
        Last bar groups this many repeat purchases or more.
    ax : matplotlib Axes, optional
        Where to draw; a new standalone Figure when omitted.
    title : str, optional
        Axes title; default from the catalogue in ``lang``, '' for none.
    lang : {'en', 'he'}, default 'en'
        Language of the words; the axes keep their left-to-right direction.

    Returns
    -------
    Axes
        Two bars per count: actual customers and the model's expectation.
    """
    table = data
    if not (isinstance(data, pd.DataFrame) and {"actual", "expected"} <= set(data.columns)):
        _need_model(model, "probability_of_purchases", "plot_frequency_histogram")
        table = diagnostics.frequency_table(data, model, max_frequency=max_frequency)
    check_columns(table, ("actual", "expected"), "plot_frequency_histogram")
    ax = get_ax(ax)
    _grouped_bars(ax, table.index.astype(str), table["actual"], table["expected"],
                  (text("charts.actual", lang), text("charts.model", lang)))
    style_ax(ax, title=default_title(title, "charts.frequency_title", lang),
             xlabel=text("charts.frequency_x", lang), ylabel=text("charts.frequency_y", lang),
             lang=lang)
    ax.yaxis.set_major_formatter(count_formatter())
    legend(ax, lang, loc="upper right", fontsize=8)
    return ax


def plot_calibration_holdout(
    data: object, *, max_frequency: int = 7, ax: Axes | None = None,
    title: str | None = None, lang: str = "en",
) -> Axes:
    """Mean holdout purchases by calibration repeat purchases, actual vs model (FHL 2005, Fig. 4).

    Parameters
    ----------
    data : HoldoutResult or pandas.DataFrame
        :func:`retainlib.evaluate_holdout` result, its ``per_customer`` frame,
        or :func:`retainlib.holdout_by_frequency` output (``actual``, ``predicted``).
    max_frequency : int, default 7
        Last group gathers this many calibration purchases or more.
    ax : matplotlib Axes, optional
        Where to draw; a new standalone Figure when omitted.
    title : str, optional
        Axes title; default from the catalogue in ``lang``, '' for none.
    lang : {'en', 'he'}, default 'en'
        Language of the words; the axes keep their left-to-right direction.

    Returns
    -------
    Axes
        Actual and predicted mean holdout purchases per calibration frequency.
    """
    table = data
    is_table = isinstance(data, pd.DataFrame) and "customers" in data.columns
    if not is_table:
        table = holdout.holdout_by_frequency(data, max_frequency=max_frequency)
    check_columns(table, ("actual", "predicted"), "plot_calibration_holdout")
    if len(table) == 0:
        raise DataError("plot_calibration_holdout got an empty table; there are no customers")
    ax = get_ax(ax)
    x = np.arange(len(table))
    ax.plot(x, table["actual"], color=PRIMARY, marker="o", linewidth=2,
            label=text("charts.actual", lang))
    ax.plot(x, table["predicted"], color=ACCENT, marker="s", linewidth=2, linestyle="--",
            label=text("charts.model", lang))
    ax.set_xticks(x, list(table.index.astype(str)))
    style_ax(ax, title=default_title(title, "charts.calibration_title", lang),
             xlabel=text("charts.calibration_x", lang),
             ylabel=text("charts.calibration_y", lang), lang=lang)
    legend(ax, lang, loc="upper left", fontsize=8)
    return ax


def plot_cumulative_tracking(
    data: object, *, cumulative: bool = True, ax: Axes | None = None,
    title: str | None = None, lang: str = "en",
) -> Axes:
    """Cumulative (or per-period) repeat purchases, actual vs model, with the calibration end.

    Parameters
    ----------
    data : HoldoutResult or pandas.DataFrame
        :func:`retainlib.evaluate_holdout` result computed with transactions,
        or :func:`retainlib.cumulative_tracking` output.
    cumulative : bool, default True
        Cumulative counts (FHL 2005, Figure 2) or counts per period (Figure 3).
    ax : matplotlib Axes, optional
        Where to draw; a new standalone Figure when omitted.
    title : str, optional
        Axes title; default from the catalogue in ``lang``, '' for none.
    lang : {'en', 'he'}, default 'en'
        Language of the words; the axes keep their left-to-right direction.

    Returns
    -------
    Axes
        Two lines (actual, model) and a vertical line at the calibration end.
    """
    table = data
    if isinstance(data, holdout.HoldoutResult):
        if data.tracking is None:
            raise DataError(
                "this HoldoutResult has no tracking; call evaluate_holdout(model, cal_holdout, "
                "transactions=tx) to compute it"
            )
        table = data.tracking
    cols = ("actual_cumulative", "predicted_cumulative") if cumulative else ("actual", "predicted")
    check_columns(table, cols, "plot_cumulative_tracking")
    if len(table) == 0:
        raise DataError("plot_cumulative_tracking got an empty table; there are no periods")
    ax = get_ax(ax)
    x = np.asarray(table.index, dtype=float)
    ax.plot(x, table[cols[0]], color=PRIMARY, linewidth=2, label=text("charts.actual", lang))
    ax.plot(x, table[cols[1]], color=ACCENT, linewidth=2, linestyle="--",
            label=text("charts.model", lang))
    cal = table.attrs.get("calibration_period")
    if cal is not None:
        end = table.attrs.get("calibration_end") or ""
        ax.axvline(cal, color=PALETTE[5], linestyle=":", linewidth=1.2,
                   label=text("charts.tracking_end", lang,
                              date=date(pd.Timestamp(end), lang) if end else ""))
    unit = _unit_name(table, "periods", lang)
    style_ax(ax, title=default_title(title, "charts.tracking_title", lang),
             xlabel=text("charts.tracking_x", lang, unit=unit),
             ylabel=text("charts.tracking_cumulative" if cumulative
                         else "charts.tracking_per_period", lang),
             grid_axis="both", lang=lang)
    ax.yaxis.set_major_formatter(count_formatter())
    legend(ax, lang, loc="upper left" if cumulative else "upper right", fontsize=8)
    return ax


def _matrix(data, model, quantity, t, T, max_frequency, max_recency, func):
    if isinstance(data, pd.DataFrame) and data.index.name == "recency" and (
        data.columns.name == "frequency"
    ):
        if data.attrs.get("quantity", quantity) != quantity:
            raise DataError(
                f"{func} got a matrix of {data.attrs['quantity']!r}; compute it with "
                f"frequency_recency_matrix(model, ..., quantity={quantity!r})"
            )
        return data
    _need_model(model, quantity, func)
    check_columns(data, ("frequency", "T"), func)
    if len(data) == 0:
        raise DataError(f"{func} got an empty customer summary")
    if max_frequency is None:
        max_frequency = int(np.nanmax(data["frequency"].to_numpy(dtype=float)))
    if max_recency is None:
        max_recency = float(np.nanmax(data["T"].to_numpy(dtype=float)))
    return diagnostics.frequency_recency_matrix(
        model, max_frequency=max_frequency, max_recency=max_recency, T=T, t=t, quantity=quantity
    )


def _heatmap(ax: Axes, table: pd.DataFrame, label: str, *, share: bool) -> None:
    f = table.columns.to_numpy(dtype=float)
    r = table.index.to_numpy(dtype=float)
    image = ax.imshow(
        table.to_numpy(dtype=float), cmap=HEATMAP_CMAP, aspect="auto", interpolation="nearest",
        extent=(f[0] - 0.5, f[-1] + 0.5, r[-1] + 0.5, r[0] - 0.5),
        vmin=0.0 if share else None, vmax=1.0 if share else None,
    )
    bar = ax.figure.colorbar(image, ax=ax)
    bar.set_label(label, fontsize=9)
    if share:
        bar.ax.yaxis.set_major_formatter(percent_formatter())


def _frequency_recency_axes(ax: Axes, data: object, title: str | None, lang: str) -> None:
    style_ax(ax, title=title, xlabel=label("frequency", lang),
             ylabel=text("charts.with_unit", lang, name=label("recency", lang),
                         unit=_unit_name(data, lang=lang)),
             grid_axis="", lang=lang)


def plot_frequency_recency_matrix(
    data: pd.DataFrame, *, model: object = None, t: float = 1.0, T: float | None = None,
    max_frequency: int | None = None, max_recency: float | None = None,
    ax: Axes | None = None, title: str | None = None, lang: str = "en",
) -> Axes:
    """Heatmap of expected purchases in the next ``t`` units over frequency x recency.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`retainlib.frequency_recency_matrix` output, or a customer
        summary (``frequency``, ``T``), then ``model`` is required and the grid
        spans frequency 0..max(frequency) and recency 0..max(T) at T = max(T).
    model : BetaGeoModel, optional
        Fitted model, used only when ``data`` is a summary.
    t : float, default 1.0
        Horizon of the expected purchases, in the summary's time unit.
    T, max_frequency, max_recency : float, optional
        Grid limits (see :func:`retainlib.frequency_recency_matrix`).
    ax : matplotlib Axes, optional
        Where to draw; a new standalone Figure when omitted.
    title : str, optional
        Axes title; default from the catalogue in ``lang``, '' for none.
    lang : {'en', 'he'}, default 'en'
        Language of the words; the axes keep their left-to-right direction.

    Returns
    -------
    Axes
        The heatmap (recency down, frequency across) with a colour bar.
    """
    table = _matrix(data, model, "expected_purchases", t, T, max_frequency, max_recency,
                    "plot_frequency_recency_matrix")
    ax = get_ax(ax, figsize=(7.0, 5.5))
    t = float(table.attrs.get("t", t))
    _heatmap(ax, table, text("charts.matrix_scale", lang, span=_span(data, t, lang)),
             share=False)
    _frequency_recency_axes(ax, data, default_title(title, "charts.matrix_title", lang), lang)
    return ax


def plot_probability_alive_matrix(
    data: pd.DataFrame, *, model: object = None, T: float | None = None,
    max_frequency: int | None = None, max_recency: float | None = None,
    ax: Axes | None = None, title: str | None = None, lang: str = "en",
) -> Axes:
    """Heatmap of P(alive) over frequency x recency for customers of age ``T``.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`retainlib.frequency_recency_matrix` output computed with
        ``quantity='probability_alive'``, or a customer summary (then ``model``
        is required; grid as in :func:`plot_frequency_recency_matrix`).
    model : BetaGeoModel, optional
        Fitted model, used only when ``data`` is a summary.
    T, max_frequency, max_recency : float, optional
        Grid limits (see :func:`retainlib.frequency_recency_matrix`).
    ax : matplotlib Axes, optional
        Where to draw; a new standalone Figure when omitted.
    title : str, optional
        Axes title; default from the catalogue in ``lang``, '' for none.
    lang : {'en', 'he'}, default 'en'
        Language of the words; the axes keep their left-to-right direction.

    Returns
    -------
    Axes
        The heatmap (recency down, frequency across) with a 0-100% colour bar.
    """
    table = _matrix(data, model, "probability_alive", 1.0, T, max_frequency, max_recency,
                    "plot_probability_alive_matrix")
    ax = get_ax(ax, figsize=(7.0, 5.5))
    _heatmap(ax, table, label("p_alive", lang), share=True)
    _frequency_recency_axes(ax, data, default_title(title, "charts.p_alive_title", lang), lang)
    return ax
