"""Type stub of the package root: every public name and where it is defined.

``retainlib/__init__.py`` loads these names lazily (``__getattr__``), which
type checkers and IDEs cannot follow; this stub names the same objects with
their defining modules (or the public package that re-exports them when the
defining module is private). ``tests/test_public_api.py`` keeps it in step
with ``__all__`` and the lazy map.
"""

from retainlib import analytics as analytics
from retainlib import cli as cli
from retainlib import config as config
from retainlib import datasets as datasets
from retainlib import load as load
from retainlib import models as models
from retainlib import output as output
from retainlib import plots as plots
from retainlib import report as report
from retainlib.analytics.clv import clv_summary as clv_summary
from retainlib.analytics.clv import customer_lifetime_value as customer_lifetime_value
from retainlib.analytics.cohorts import cohort_table as cohort_table
from retainlib.analytics.cohorts import retention_curve as retention_curve
from retainlib.analytics.cohorts import revenue_retention as revenue_retention
from retainlib.analytics.customers import customer_table as customer_table
from retainlib.analytics.diagnostics import frequency_recency_matrix as frequency_recency_matrix
from retainlib.analytics.diagnostics import frequency_table as frequency_table
from retainlib.analytics.early_warning import at_risk as at_risk
from retainlib.analytics.early_warning import early_warning_summary as early_warning_summary
from retainlib.analytics.economics import clv_cac as clv_cac
from retainlib.analytics.economics import new_customer_clv as new_customer_clv
from retainlib.analytics.economics import retention_roi as retention_roi
from retainlib.analytics.economics import retention_scenarios as retention_scenarios
from retainlib.analytics.economics import yearly_revenue_per_customer as yearly_revenue_per_customer
from retainlib.analytics.holdout import HoldoutResult as HoldoutResult
from retainlib.analytics.holdout import cumulative_tracking as cumulative_tracking
from retainlib.analytics.holdout import evaluate_holdout as evaluate_holdout
from retainlib.analytics.holdout import holdout_by_frequency as holdout_by_frequency
from retainlib.analytics.kpis import retention_kpis as retention_kpis
from retainlib.analytics.kpis import retention_summary as retention_summary
from retainlib.analytics.nps import detractor_followup as detractor_followup
from retainlib.analytics.nps import nps as nps
from retainlib.analytics.nps import nps_behaviour as nps_behaviour
from retainlib.analytics.nps import referral_leads as referral_leads
from retainlib.analytics.pareto import abc_classes as abc_classes
from retainlib.analytics.pareto import abc_summary as abc_summary
from retainlib.analytics.pareto import customer_value as customer_value
from retainlib.analytics.pareto import gini as gini
from retainlib.analytics.pareto import lorenz_curve as lorenz_curve
from retainlib.analytics.pareto import pareto_table as pareto_table
from retainlib.analytics.pareto import top_share as top_share
from retainlib.analytics.pareto_statements import concentration as concentration
from retainlib.analytics.pareto_statements import pareto_statements as pareto_statements
from retainlib.analytics.rfm import calibration_holdout as calibration_holdout
from retainlib.analytics.rfm import rfm_summary as rfm_summary
from retainlib.analytics.segments import rfm_scores as rfm_scores
from retainlib.analytics.segments import rfm_segments as rfm_segments
from retainlib.analytics.segments import segment_rules as segment_rules
from retainlib.analytics.segments import segment_summary as segment_summary
from retainlib.analytics.tiers import clv_tier_summary as clv_tier_summary
from retainlib.analytics.tiers import clv_tiers as clv_tiers
from retainlib.config.client import ClientConfig as ClientConfig
from retainlib.config.client import load_config as load_config
from retainlib.datasets import write_demo as write_demo
from retainlib.datasets.cdnow import load_cdnow as load_cdnow
from retainlib.datasets.demo import DemoData as DemoData
from retainlib.datasets.demo import make_demo as make_demo
from retainlib.errors import ConfigError as ConfigError
from retainlib.errors import ConvergenceError as ConvergenceError
from retainlib.errors import DataError as DataError
from retainlib.errors import DateOrderWarning as DateOrderWarning
from retainlib.errors import NotFittedError as NotFittedError
from retainlib.errors import OutputError as OutputError
from retainlib.errors import ReportError as ReportError
from retainlib.errors import RetainlibError as RetainlibError
from retainlib.errors import RetainlibWarning as RetainlibWarning
from retainlib.load import LoadReport as LoadReport
from retainlib.load.survey import SurveyReport as SurveyReport
from retainlib.load.survey import read_survey as read_survey
from retainlib.load.transactions import read_transactions as read_transactions
from retainlib.models.betageo import BetaGeoModel as BetaGeoModel
from retainlib.models.gammagamma import GammaGammaModel as GammaGammaModel
from retainlib.output.tables import client_table as client_table
from retainlib.output.tables import export_at_risk as export_at_risk
from retainlib.output.tables import export_customers as export_customers
from retainlib.output.tables import export_win_back as export_win_back
from retainlib.report import run_batch as run_batch
from retainlib.report import run_report as run_report
from retainlib.report.analysis import Analysis as Analysis
from retainlib.report.analysis import analyse as analyse

__version__: str
