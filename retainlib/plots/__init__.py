"""Plots: ``plot_x(data, *, ax=None, **kwargs) -> Axes``, data first, one shared theme.

Every function checks its arguments before drawing, draws only through ``ax.*``
calls, and, when no ``ax`` is given, creates a standalone Figure (never pyplot's
current figure).
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
