"""retainlib: retention analysis for consultants.

Public functions and classes are importable from the package root::

    import retainlib as rl
    tx, report = rl.read_transactions("sales.csv")

Submodules are imported lazily on first use, so ``import retainlib`` stays fast
and does not pull in matplotlib or papermill until they are needed. The stub
``__init__.pyi`` next to this file lists the same names with their defining
modules, for type checkers and IDEs (a test keeps the two in step).
"""

from __future__ import annotations

import importlib
from typing import Any

from retainlib.errors import (
    ConfigError,
    ConvergenceError,
    DataError,
    DateOrderWarning,
    NotFittedError,
    OutputError,
    ReportError,
    RetainlibError,
    RetainlibWarning,
)

__version__ = "0.1.0"

# public name -> module that defines it, or the public package re-exporting it when the defining
# module is private (one block per topic); __init__.pyi imports each name from the same module
_LAZY: dict[str, str] = {
    # loading (sales exports and NPS surveys)
    "LoadReport": "retainlib.load",
    "SurveyReport": "retainlib.load.survey",
    "read_survey": "retainlib.load.survey",
    "read_transactions": "retainlib.load.transactions",
    # client configuration
    "ClientConfig": "retainlib.config.client",
    "load_config": "retainlib.config.client",
    # data sets
    "DemoData": "retainlib.datasets.demo",
    "load_cdnow": "retainlib.datasets.cdnow",
    "make_demo": "retainlib.datasets.demo",
    "write_demo": "retainlib.datasets",
    # cohorts
    "cohort_table": "retainlib.analytics.cohorts",
    "retention_curve": "retainlib.analytics.cohorts",
    "revenue_retention": "retainlib.analytics.cohorts",
    # KPIs
    "retention_kpis": "retainlib.analytics.kpis",
    "retention_summary": "retainlib.analytics.kpis",
    # Pareto / value concentration
    "abc_classes": "retainlib.analytics.pareto",
    "abc_summary": "retainlib.analytics.pareto",
    "concentration": "retainlib.analytics.pareto_statements",
    "customer_value": "retainlib.analytics.pareto",
    "gini": "retainlib.analytics.pareto",
    "lorenz_curve": "retainlib.analytics.pareto",
    "pareto_statements": "retainlib.analytics.pareto_statements",
    "pareto_table": "retainlib.analytics.pareto",
    "top_share": "retainlib.analytics.pareto",
    # per-customer summaries for the models
    "calibration_holdout": "retainlib.analytics.rfm",
    "rfm_summary": "retainlib.analytics.rfm",
    # models
    "BetaGeoModel": "retainlib.models.betageo",
    "GammaGammaModel": "retainlib.models.gammagamma",
    # CLV and validation
    "clv_summary": "retainlib.analytics.clv",
    "customer_lifetime_value": "retainlib.analytics.clv",
    "HoldoutResult": "retainlib.analytics.holdout",
    "cumulative_tracking": "retainlib.analytics.holdout",
    "evaluate_holdout": "retainlib.analytics.holdout",
    "holdout_by_frequency": "retainlib.analytics.holdout",
    "frequency_recency_matrix": "retainlib.analytics.diagnostics",
    "frequency_table": "retainlib.analytics.diagnostics",
    # segments and actions
    "clv_tier_summary": "retainlib.analytics.tiers",
    "clv_tiers": "retainlib.analytics.tiers",
    "rfm_scores": "retainlib.analytics.segments",
    "rfm_segments": "retainlib.analytics.segments",
    "segment_rules": "retainlib.analytics.segments",
    "segment_summary": "retainlib.analytics.segments",
    "at_risk": "retainlib.analytics.early_warning",
    "early_warning_summary": "retainlib.analytics.early_warning",
    "export_at_risk": "retainlib.output.tables",
    "export_win_back": "retainlib.output.tables",
    "client_table": "retainlib.output.tables",
    "customer_table": "retainlib.analytics.customers",
    "export_customers": "retainlib.output.tables",
    "detractor_followup": "retainlib.analytics.nps",
    "nps": "retainlib.analytics.nps",
    "nps_behaviour": "retainlib.analytics.nps",
    "referral_leads": "retainlib.analytics.nps",
    # retention economics
    "clv_cac": "retainlib.analytics.economics",
    "new_customer_clv": "retainlib.analytics.economics",
    "retention_roi": "retainlib.analytics.economics",
    "retention_scenarios": "retainlib.analytics.economics",
    "yearly_revenue_per_customer": "retainlib.analytics.economics",
    # reports
    "Analysis": "retainlib.report.analysis",
    "analyse": "retainlib.report.analysis",
    "run_batch": "retainlib.report",
    "run_report": "retainlib.report",
}

_SUBMODULES = {"analytics", "cli", "config", "datasets", "load", "models", "output", "plots",
               "report"}

__all__ = [
    "ConfigError",
    "ConvergenceError",
    "DataError",
    "DateOrderWarning",
    "NotFittedError",
    "OutputError",
    "ReportError",
    "RetainlibError",
    "RetainlibWarning",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"retainlib.{name}")
    raise AttributeError(f"module 'retainlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)
