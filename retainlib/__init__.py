"""retainlib: retention analysis for consultants.

Public functions and classes are importable from the package root::

    import retainlib as rl
    tx, report = rl.read_transactions("sales.csv")

Submodules are imported lazily on first use, so ``import retainlib`` stays fast
and does not pull in matplotlib or papermill until they are needed.
"""

from __future__ import annotations

import importlib
from typing import Any

from retainlib.errors import (
    ConfigError,
    ConvergenceError,
    DataError,
    NotFittedError,
    OutputError,
    ReportError,
    RetainlibError,
    RetainlibWarning,
)

__version__ = "0.1.0"

# public name -> module that defines it (one block per module; keep sorted within a block)
_LAZY: dict[str, str] = {
    # loading
    "LoadReport": "retainlib.io",
    "read_transactions": "retainlib.io",
    # client configuration
    "ClientConfig": "retainlib.config",
    "load_config": "retainlib.config",
    # data sets
    "DemoData": "retainlib.datasets",
    "load_cdnow": "retainlib.datasets",
    "make_demo": "retainlib.datasets",
    "write_demo": "retainlib.datasets",
    # cohorts
    "cohort_table": "retainlib.cohorts",
    "retention_curve": "retainlib.cohorts",
    "revenue_retention": "retainlib.cohorts",
    # KPIs
    "retention_kpis": "retainlib.kpis",
    "retention_summary": "retainlib.kpis",
    # Pareto / value concentration
    "abc_classes": "retainlib.pareto",
    "abc_summary": "retainlib.pareto",
    "concentration": "retainlib.pareto_report",
    "customer_value": "retainlib.pareto",
    "gini": "retainlib.pareto",
    "lorenz_curve": "retainlib.pareto",
    "pareto_statements": "retainlib.pareto_report",
    "pareto_table": "retainlib.pareto",
    "top_share": "retainlib.pareto",
    # per-customer summaries for the models
    "calibration_holdout": "retainlib.rfm",
    "rfm_summary": "retainlib.rfm",
    # models
    "BetaGeoModel": "retainlib.models",
    "GammaGammaModel": "retainlib.models",
    # CLV and validation
    "clv_summary": "retainlib.clv",
    "customer_lifetime_value": "retainlib.clv",
    "HoldoutResult": "retainlib.holdout",
    "cumulative_tracking": "retainlib.holdout",
    "evaluate_holdout": "retainlib.holdout",
    "holdout_by_frequency": "retainlib.holdout",
    "frequency_recency_matrix": "retainlib.diagnostics",
    "frequency_table": "retainlib.diagnostics",
    # segments and actions
    "clv_tier_summary": "retainlib.tiers",
    "clv_tiers": "retainlib.tiers",
    "rfm_scores": "retainlib.segments",
    "rfm_segments": "retainlib.segments",
    "segment_rules": "retainlib.segments",
    "segment_summary": "retainlib.segments",
    "at_risk": "retainlib.early_warning",
    "export_at_risk": "retainlib.early_warning",
    "customer_table": "retainlib.export",
    "export_customers": "retainlib.export",
    "detractor_followup": "retainlib.survey",
    "nps": "retainlib.survey",
    "nps_behaviour": "retainlib.survey",
    "read_survey": "retainlib.survey_io",
    "referral_leads": "retainlib.survey",
    # retention economics
    "clv_cac": "retainlib.economics",
    "new_customer_clv": "retainlib.economics",
    "retention_roi": "retainlib.economics",
    "retention_scenarios": "retainlib.economics",
    "yearly_revenue_per_customer": "retainlib.economics",
    # reports
    "analyse": "retainlib.analysis",
    "run_batch": "retainlib.report",
    "run_report": "retainlib.report",
}

_SUBMODULES = {"plots", "datasets", "io", "config", "report", "cli", "models"}

__all__ = [
    "ConfigError",
    "ConvergenceError",
    "DataError",
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
