"""Data sets: the published CDNOW sample and a simulated demo retailer (and its export)."""

from retainlib.datasets._demo_export import DEMO_FILES, SALES_COLUMNS, SURVEY_COLUMNS, write_demo
from retainlib.datasets.cdnow import load_cdnow
from retainlib.datasets.demo import DemoData, make_demo

__all__ = ["DEMO_FILES", "SALES_COLUMNS", "SURVEY_COLUMNS", "DemoData", "load_cdnow",
           "make_demo", "write_demo"]
