"""Analytics: plain functions from canonical transactions (or per-customer frames) to tables.

No files, no plots, no printing: DataFrame in, DataFrame or Series out,
indexed by ``customer_id`` or period so results align. The public functions
are importable from the package root (``rl.cohort_table``, ``rl.at_risk``, ...).
"""
