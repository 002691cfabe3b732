"""The reduced tables as SQL: per customer, per customer and period, per calibration split.

Written once in DuckDB's dialect and transpiled for Spark (:func:`._sql.in_dialect`),
these queries read the view ``rl_lines``: the kept purchase lines up to the
observation end (customer, day, order, segment values, sign of the amount,
net ``amount``), as :func:`._sql.reduction` groups them. Their definitions are
those of the pandas analytics, which the tests check them against:

``rl_days`` (a view)
    one row per customer and day: ``day_number`` (days since 1970-01-01) and
    ``net``, the day's net amount. A day with ``net >= 0`` is a *purchase
    day* (:mod:`retainlib.analytics.rfm`), a day below zero a return day.
:func:`customers`
    per customer (sorted by id): the columns of
    :func:`retainlib.analytics.pareto.customer_value` (revenue, orders, gross
    revenue, returns, first and last purchase row), the most frequent value
    of each segment (ties: the alphabetically first), and the purchase-day
    summary up to the end: ``purchase_days``, ``first_day``, ``last_day``,
    ``purchase_total`` and ``first_net`` (the first purchase day's amount),
    from which frequency, recency, T and monetary value follow.
:func:`cells`
    per customer and period with a line (:func:`retainlib.analytics.periods.activity`):
    ``ordinal`` (pandas' period ordinal), ``revenue`` (net of every day in
    it), ``orders`` (distinct order ids among the lines of amount >= 0 on its
    purchase days, a day's lines without an id one order; without order ids,
    its purchase days).
:func:`holdout`
    per customer with a purchase day up to ``calibration_end``: the
    purchase-day summary up to then, and the purchase days after it up to
    the end (their number and total).
:func:`repeat_days`
    the tracking's input: per day, the repeat purchase days (after the
    customer's first) of the customers first seen by ``calibration_end``.
:func:`years`
    per (fiscal) year: net revenue and the customers with a purchase row.

Examples
--------
>>> "GROUP BY customer_id" in days()
True
"""

from __future__ import annotations

from collections.abc import Sequence

from retainlib._units import WEEK_ORDINAL
from retainlib.load.engines._sql import _name, _text

__all__ = ["cells", "customers", "days", "holdout", "holdout_returns", "lines", "repeat_days",
           "return_days", "span", "years"]

#: a day as its number of days since 1970-01-01 (pandas' day numbers)
DAY_NUMBER = "DATE_DIFF('day', DATE '1970-01-01', \"date\")"


def lines(groups: str, end: str) -> str:
    """``rl_lines``: the kept purchase lines of ``groups`` dated up to ``end`` (ISO)."""
    return f"""CREATE OR REPLACE TEMP VIEW rl_lines AS
        SELECT * FROM {groups} WHERE reason IS NULL AND "date" <= DATE {_text(end)}"""


def span() -> str:
    """The source rows of ``rl_lines`` and their first and last day."""
    return 'SELECT SUM("rows") AS "rows", MIN("date") AS first, MAX("date") AS last FROM rl_lines'


def days() -> str:
    """``rl_days``: each customer's days with a line, their day number and net amount."""
    return f"""CREATE OR REPLACE TEMP VIEW rl_days AS
        SELECT customer_id, "date", {DAY_NUMBER} AS day_number, SUM(amount) AS net
        FROM rl_lines GROUP BY customer_id, "date\""""


def _purchase_summary(where: str = "TRUE") -> str:
    """Per customer, over the purchase days of ``rl_days`` meeting ``where``."""
    return f"""SELECT customer_id, COUNT(*) AS purchase_days, MIN(day_number) AS first_day,
               MAX(day_number) AS last_day, SUM(net) AS purchase_total,
               ARG_MIN(net, day_number) AS first_net
        FROM rl_days WHERE net >= 0 AND ({where}) GROUP BY customer_id"""


def customers(segments: Sequence[str], has_orders: bool) -> str:
    """Per customer, sorted by id: value, segment values and purchase-day summary."""
    orders = ("COUNT(DISTINCT CASE WHEN amount > 0 THEN order_id END) "
              "+ SUM(CASE WHEN amount > 0 AND order_id IS NULL THEN 1 ELSE 0 END)"
              if has_orders else "SUM(CASE WHEN amount > 0 THEN 1 ELSE 0 END)")
    modes, joins = [], []
    for i, seg in enumerate(segments):
        col, alias = _name(seg), f"m{i}"
        modes.append(f"{alias}.{col} AS {col}")
        joins.append(f"""LEFT JOIN (
            SELECT customer_id, {col} FROM (
                SELECT customer_id, {col}, ROW_NUMBER() OVER (
                    PARTITION BY customer_id ORDER BY n DESC, {col} ASC) AS r
                FROM (SELECT customer_id, {col}, COUNT(*) AS n FROM rl_lines
                      WHERE {col} IS NOT NULL GROUP BY customer_id, {col}) AS counted
            ) AS ranked WHERE r = 1) AS {alias} USING (customer_id)""")
    seg_cols = "".join(", " + m for m in modes)
    return f"""SELECT v.customer_id AS customer_id, v.revenue, v.orders, v.gross_revenue,
               v.returns, v.first_purchase, v.last_purchase{seg_cols},
               COALESCE(p.purchase_days, 0) AS purchase_days, p.first_day, p.last_day,
               p.purchase_total, p.first_net
        FROM (SELECT customer_id, SUM(amount) AS revenue, {orders} AS orders,
                     SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS gross_revenue,
                     -SUM(CASE WHEN amount < 0 THEN amount ELSE 0 END) AS returns,
                     MIN(CASE WHEN amount > 0 THEN "date" END) AS first_purchase,
                     MAX(CASE WHEN amount > 0 THEN "date" END) AS last_purchase
              FROM rl_lines GROUP BY customer_id) AS v
        LEFT JOIN ({_purchase_summary()}) AS p USING (customer_id)
        {" ".join(joins)}
        ORDER BY v.customer_id"""


def return_days() -> str:
    """The return days (net below zero): how many, and their net amount."""
    return "SELECT COUNT(*) AS n, SUM(net) AS amount FROM rl_days WHERE net < 0"


def _ordinal(period: str, week_start: str) -> str:
    """SQL: the period ordinal (pandas' ``Period.ordinal``) of ``day_number`` / ``"date"``."""
    if period == "W":  # retainlib.analytics.periods.ordinals: (day + shift) // 7 + offset
        shift, offset = WEEK_ORDINAL[week_start]
        return f"CAST(FLOOR((day_number + {shift}) / 7.0) AS BIGINT) + {offset}"
    months = '(YEAR("date") - 1970) * 12 + MONTH("date") - 1'
    if period == "M":
        return months
    div = 3 if period == "Q" else 12
    return f"CAST(FLOOR(({months}) / {div}.0) AS BIGINT)"


def cells(period: str, week_start: str, has_orders: bool) -> str:
    """Per customer and period with a line: revenue and orders (see the module docstring)."""
    orders, value = "", "c.purchase_days"
    if has_orders:
        orders = """LEFT JOIN (
            SELECT l.customer_id, d.ordinal, COUNT(DISTINCT l.order_id)
                   + COUNT(DISTINCT CASE WHEN l.order_id IS NULL THEN l."date" END) AS orders
            FROM rl_lines AS l JOIN d ON l.customer_id = d.customer_id AND l."date" = d."date"
            WHERE d.net >= 0 AND l.amount >= 0
            GROUP BY l.customer_id, d.ordinal) AS o USING (customer_id, ordinal)"""
        value = "COALESCE(o.orders, 0)"
    return f"""WITH d AS (SELECT customer_id, "date", net, {_ordinal(period, week_start)} AS ordinal
                   FROM rl_days)
        SELECT customer_id, ordinal, c.revenue, {value} AS orders
        FROM (SELECT customer_id, ordinal, SUM(net) AS revenue,
                     SUM(CASE WHEN net >= 0 THEN 1 ELSE 0 END) AS purchase_days
              FROM d GROUP BY customer_id, ordinal) AS c
        {orders}"""


def holdout(calibration_day: int) -> str:
    """Per customer with a purchase day by ``calibration_day``: calibration and holdout days."""
    return f"""SELECT customer_id, c.purchase_days, c.first_day, c.last_day, c.purchase_total,
               c.first_net, COALESCE(h.days, 0) AS holdout_days,
               COALESCE(h.total, 0.0) AS holdout_total
        FROM ({_purchase_summary(f"day_number <= {int(calibration_day)}")}) AS c
        LEFT JOIN (SELECT customer_id, COUNT(*) AS days, SUM(net) AS total FROM rl_days
                   WHERE net >= 0 AND day_number > {int(calibration_day)}
                   GROUP BY customer_id) AS h USING (customer_id)
        ORDER BY customer_id"""


def holdout_returns(calibration_day: int) -> str:
    """Return days (net below zero) before and after ``calibration_day``.

    Up to it all of them (``n``, ``amount``); after it those of the customers
    with a purchase day by then (``holdout_n``, ``holdout_amount``); and the
    customers with only return days up to it (``without_purchase``).
    """
    day = int(calibration_day)
    return f"""SELECT SUM(CASE WHEN day_number <= {day} THEN 1 ELSE 0 END) AS n,
               SUM(CASE WHEN day_number <= {day} THEN net END) AS amount,
               SUM(CASE WHEN day_number > {day} AND seen THEN 1 ELSE 0 END) AS holdout_n,
               SUM(CASE WHEN day_number > {day} AND seen THEN net END) AS holdout_amount,
               COUNT(DISTINCT CASE WHEN day_number <= {day} AND NOT seen THEN customer_id END)
                   AS without_purchase
        FROM (SELECT d.customer_id, d.day_number, d.net, c.customer_id IS NOT NULL AS seen
              FROM rl_days AS d LEFT JOIN (
                  SELECT DISTINCT customer_id FROM rl_days
                  WHERE net >= 0 AND day_number <= {day}) AS c
              ON d.customer_id = c.customer_id
              WHERE d.net < 0) AS returned"""


def repeat_days(calibration_day: int) -> str:
    """Per day: repeat purchase days of the customers whose first is by ``calibration_day``."""
    return f"""SELECT d.day_number, COUNT(*) AS n
        FROM rl_days AS d JOIN (
            SELECT customer_id, MIN(day_number) AS first_day FROM rl_days WHERE net >= 0
            GROUP BY customer_id) AS f ON d.customer_id = f.customer_id
        WHERE d.net >= 0 AND f.first_day <= {int(calibration_day)}
              AND d.day_number > f.first_day
        GROUP BY d.day_number ORDER BY d.day_number"""


def years(first_month: int) -> str:
    """Per fiscal year (starting in month ``first_month``): net revenue, buying customers."""
    year = f'YEAR("date") - CASE WHEN MONTH("date") < {int(first_month)} THEN 1 ELSE 0 END'
    return f"""SELECT {year} AS year, SUM(amount) AS revenue,
               COUNT(DISTINCT CASE WHEN amount > 0 THEN customer_id END) AS customers
        FROM rl_lines GROUP BY 1 ORDER BY 1"""
