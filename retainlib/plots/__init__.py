"""Plots: ``plot_x(data, *, ax=None, **kwargs) -> Axes``, data first, one shared theme.

Every function checks its arguments before drawing, draws only through ``ax.*``
calls, and, when no ``ax`` is given, creates a standalone Figure (never pyplot's
current figure).

Languages
---------
Every function takes ``lang`` ('en' default, 'he'): titles, axis labels,
legends, annotations, period ticks and amounts come from the catalogue
(``charts.*`` texts of :mod:`retainlib.i18n`, and ``label(name, lang)`` for
column names); the English charts are those of before the catalogue.

Hebrew is drawn right to left by matplotlib itself: its text layout (libraqm)
applies the Unicode bidirectional algorithm, so the strings stay in logical
order, with no python-bidi (see :mod:`retainlib.plots._theme`). DejaVu Sans,
matplotlib's own font, has the Hebrew letters.

Which charts read right to left, in Hebrew:

* the words: every title starts at the right, every legend puts its marker
  after the words (at the right) and aligns them right, and multi-line
  annotations align right;
* the axes do not: time runs left to right, as in Hebrew business charts and
  spreadsheets (the KPI trend's periods, the retention curves' and the
  cohort heatmap's ages, the tracking chart's weeks), shares and counts grow
  to the right (Pareto, Lorenz, the frequency and recency heatmaps), the
  category bars keep their order from the left (ABC classes A, B, C; repeat
  purchases 0, 1, 2, ...), and the value axis stays at the left. Mirroring
  them would put the newest period at the left and make the charts differ
  from every spreadsheet the reader knows.
"""

from __future__ import annotations

import importlib
from typing import Any

from retainlib.plots._theme import currency_formatter, format_money, percent_formatter

# plot function -> module that defines it
_LAZY: dict[str, str] = {
    # cohorts and KPIs
    "plot_cohort_heatmap": "retainlib.plots.cohorts",
    "plot_kpi_trends": "retainlib.plots.cohorts",
    "plot_retention_curves": "retainlib.plots.cohorts",
    # value concentration (Pareto, Lorenz, ABC)
    "plot_abc": "retainlib.plots.value",
    "plot_lorenz": "retainlib.plots.value",
    "plot_pareto": "retainlib.plots.value",
    # CLV model diagnostics
    "plot_calibration_holdout": "retainlib.plots.clv",
    "plot_cumulative_tracking": "retainlib.plots.clv",
    "plot_frequency_histogram": "retainlib.plots.clv",
    "plot_frequency_recency_matrix": "retainlib.plots.clv",
    "plot_probability_alive_matrix": "retainlib.plots.clv",
}

__all__ = ["currency_formatter", "format_money", "percent_formatter", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'retainlib.plots' has no attribute {name!r}")
