"""Loading: the only code that reads client files (sales exports and NPS surveys).

It renames the file's columns to the canonical schema once, at the boundary
(``customer_id``, ``date``, ``amount``, ``order_id``, segment columns), and
accounts for every row: kept, or rejected with its reason.
"""

from retainlib.load._rawread import read_raw
from retainlib.load.survey import SURVEY_REASONS, SurveyReport, read_survey
from retainlib.load.transactions import (
    DateOrderWarning,
    LoadReport,
    read_client,
    read_transactions,
)

__all__ = ["SURVEY_REASONS", "DateOrderWarning", "LoadReport", "SurveyReport", "read_client",
           "read_raw", "read_survey", "read_transactions"]
