"""The client-config key table: every key's type, default, check and meaning.

:data:`SCHEMA` (with the nested blocks READ, CLV, SURVEY, ECONOMICS, AT_RISK)
drives :func:`retainlib.config.client.load_config` and the README's config reference
(:func:`retainlib.config.client.config_reference`). Adding a key is one line here.
Each check takes the YAML value and returns the cleaned value or raises
``ValueError`` with what was expected.
"""

from __future__ import annotations

import codecs
import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from retainlib._suggest import closest
from retainlib.errors import excerpt

REQUIRED = object()


@dataclass(frozen=True)
class Key:
    """One config key: default, expected kind, a value check and a description.

    ``check(value) -> (clean value, None)`` or ``(None, 'must be ...')``.
    ``block`` holds the sub-table of a mapping key such as ``read``.
    """

    default: Any
    check: Callable[[Any], tuple[Any, str | None]]
    help: str
    block: Mapping[str, Key] | None = None


# ----------------------------------------------------------------------------- value checks


def _ok(v):
    return v, None


def _text(v):
    return (
        (v.strip(), None) if isinstance(v, str) and v.strip() else (None, "must be non-empty text")
    )


def _opt(check):
    def inner(v):
        return (None, None) if v is None else check(v)

    return inner


def _bool(v):
    return (v, None) if isinstance(v, bool) else (None, "must be true or false")


def _number(lo=None, hi=None, *, lo_open=False, hi_open=False, integer=False):
    def inner(v):
        kind = "a whole number" if integer else "a number"
        if (
            isinstance(v, bool)
            or not isinstance(v, int | float)
            or (integer and not isinstance(v, int))
            or not math.isfinite(v)  # .nan and .inf in YAML are floats too
        ):
            return None, f"must be {kind}"
        if (lo is not None and (v < lo or (lo_open and v == lo))) or (
            hi is not None and (v > hi or (hi_open and v == hi))
        ):
            left = "(" if lo_open else "["
            right = ")" if hi_open or hi is None else "]"  # infinity itself is refused
            return (
                None,
                f"must be {kind} in {left}{lo if lo is not None else '-inf'}, "
                f"{hi if hi is not None else 'inf'}{right}",
            )
        return v, None

    return inner


def _choice(*options):
    def inner(v):
        if v in options:
            return v, None
        return None, f"must be one of {', '.join(map(repr, options))}"

    return inner


_FIRST_DAY = pd.Timestamp("1900-01-01")


def _iso_date(v, *, future: bool):
    """An ISO date without a time zone from 1900-01-01, up to today or (``future``) to 2200."""
    shape = "must be an ISO date such as 2024-12-31"
    if isinstance(v, str):
        try:
            v = dt.datetime.fromisoformat(v.strip())
        except ValueError:
            return None, shape
    if not isinstance(v, dt.date):
        return None, shape
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        return None, ("must be a date without a time zone such as 2024-12-31 (the day in the "
                      "client's own time)")
    when = pd.Timestamp(v.isoformat()) if _FIRST_DAY.year <= v.year <= 2200 else None
    if future:
        if when is None:
            return None, "must be a date between 1900-01-01 and 2200-12-31"
        return when.normalize(), None
    today = pd.Timestamp.now().normalize()
    if when is None or not _FIRST_DAY <= when < today + pd.Timedelta(days=1):
        return None, f"must be a date between 1900-01-01 and today ({today.date()})"
    return when, None


def _date(v):
    """An ISO date between 1900-01-01 and today, without a time zone."""
    return _iso_date(v, future=False)


def _encoding(v):
    if not isinstance(v, str):
        return None, "must be an encoding name such as utf-8, cp1255 or latin-1"
    try:
        codecs.lookup(v)
    except LookupError:
        return None, "must be an encoding name such as utf-8, cp1255 or latin-1"
    return v, None


def _date_format(v):
    if isinstance(v, str) and "%" in v:
        return v, None
    return None, "must be a strptime format such as '%d/%m/%Y'"


def _sheet(v):
    if isinstance(v, bool) or not isinstance(v, str | int):
        return None, "must be a sheet name or a 0-based sheet number"
    return v, None


def _currency(v):
    """An ISO 4217 code that names a currency (Babel's list; not the test/no-currency codes)."""
    from babel.numbers import list_currencies

    code = v.strip().upper() if isinstance(v, str) else None
    if code in list_currencies() and code not in _NOT_MONEY:
        return code, None
    return None, "must be an ISO 4217 currency code such as ILS, USD or EUR"


_NOT_MONEY = {"XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XBA", "XBB", "XBC", "XBD", "XSU",
              "XUA", "XDR", "XFO", "XFU", "XRE"}  # no currency, testing, metals, units of account


def _thousands(v):
    if isinstance(v, str) and len(v) == 1 and not v.isalnum():
        return v, None
    return None, "must be one character such as ',' '.' or ' '"


def _mapping_of_text(roles):
    def inner(v):
        if not isinstance(v, Mapping):
            return None, f"must be a mapping of {', '.join(roles)} to file column names"
        for k, col in v.items():
            if k not in roles:
                hint = closest(k, roles)
                mean = f" (did you mean {hint!r}?)" if hint else ""
                return None, f"has an unknown role {excerpt(k)}{mean}; roles are {', '.join(roles)}"
            if not isinstance(col, str | int) or isinstance(col, bool) or not str(col).strip():
                return None, f"maps {k} to {excerpt(col)}; give the file's column name as text"
        return {str(k): str(c) for k, c in v.items()}, None

    return inner


def _segments(v):
    if isinstance(v, str):
        v = [v]
    if isinstance(v, list) and all(isinstance(s, str) and s.strip() for s in v):
        return {s: s for s in v}, None
    if isinstance(v, Mapping) and all(isinstance(s, str) and s.strip() for s in v.values()):
        return {str(k): str(c) for k, c in v.items()}, None
    return None, "must be a list of file columns or a mapping of output name to file column"


def _block(v):
    return (v, None) if isinstance(v, Mapping) else (None, "must be a mapping of keys to values")


# ----------------------------------------------------------------------------- the key table

TX_ROLES = ("customer_id", "date", "amount", "order_id")
SURVEY_ROLES = ("customer_id", "date", "score", "comment")

READ: dict[str, Key] = {
    "encoding": Key(
        None, _opt(_encoding), "text encoding; null judges the file: BOM, UTF-8, cp1255, cp1252"
    ),
    "dayfirst": Key(False, _bool, "read 01/02/2024 as 1 February"),
    "date_format": Key(None, _opt(_date_format), "explicit strptime date format tried first"),
    "decimal": Key(
        None, _opt(_choice(".", ",")), "decimal mark of amounts; null infers it from the column"
    ),
    "thousands": Key(
        None, _opt(_thousands), "thousands separator; null accepts well-formed groups"
    ),
    "sheet": Key(None, _opt(_sheet), "Excel sheet name or 0-based number; null = first sheet"),
    "duplicates": Key("keep", _choice("keep", "drop"), "keep or drop exact duplicate rows"),
}

CLV: dict[str, Key] = {
    "horizon_months": Key(12, _number(1, 600, integer=True), "CLV horizon in months (1 to 600)"),
    "annual_discount_rate": Key(0.10, _number(0, 1, hi_open=True), "yearly discount rate"),
    "margin": Key(1.0, _number(0, 1, lo_open=True), "profit margin applied to spend"),
    "calibration_end": Key(
        None, _opt(_date), "ISO date ending the calibration period of the holdout check"
    ),
    "penalizer": Key(
        0.0,
        _number(0, 10),
        "L2 penalty on the model parameters; raise it (e.g. 0.001) if the fit does not converge",
    ),
}

SURVEY: dict[str, Key] = {
    "data": Key(REQUIRED, _text, "survey file, relative to the config's folder"),
    "columns": Key(None, _opt(_mapping_of_text(SURVEY_ROLES)), "customer_id, date, score, comment"),
    "read": Key({}, _block, "same keys as read", READ),
}

ECONOMICS: dict[str, Key] = {
    "cac": Key(None, _opt(_number(0)), "cost of acquiring one customer"),
    "campaign_cost": Key(None, _opt(_number(0)), "total cost of a retention campaign"),
    "customers_targeted": Key(
        None, _opt(_number(1, integer=True)), "customers the campaign reaches"
    ),
    "expected_lift": Key(0.05, _number(0, 1), "expected retention lift of the campaign"),
}

AT_RISK: dict[str, Key] = {
    "p_alive_threshold": Key(0.5, _number(0, 1), "flag customers with P(alive) below this"),
    "gap_multiple": Key(
        3.0,
        _number(0, lo_open=True),
        "flag when days since last purchase exceed this multiple of the usual gap",
    ),
    "min_value_quantile": Key(0.7, _number(0, 1), "only customers at or above this value quantile"),
    "lapsed_below": Key(
        0.2,
        _number(0, 1),
        "a flagged customer whose chance of still being active is below this is lapsed "
        "(win-back list), not at risk",
    ),
    "control_share": Key(
        0.2, _number(0, 0.9), "share of the at-risk list suggested as the control group (group "
        "column of at_risk.csv)"),
    "seed": Key(0, _number(0, integer=True), "seed of the treatment/control draw (same seed, "
                "same groups)"),
}


def _window_end(v):
    """An ISO date between 1900 and 2200 without a time zone (a campaign may end after today)."""
    return _iso_date(v, future=True)


def _campaign_list(v):
    """A list of campaign mappings (each checked against :data:`CAMPAIGN` by the loader)."""
    if isinstance(v, list) and all(isinstance(c, Mapping) for c in v):
        return v, None
    return None, ("must be a list of campaigns, each a mapping with name, data, start and "
                  "optionally end, cost, margin")


CAMPAIGN: dict[str, Key] = {
    "name": Key(REQUIRED, _text, "campaign name shown in the report"),
    "data": Key(REQUIRED, _text, "file of customer_id and group (treatment/control), relative to "
                "the config's folder"),
    "start": Key(REQUIRED, _date, "first day of the campaign window (ISO date)"),
    "end": Key(None, _opt(_window_end), "last day of the window; null = start + 60 days"),
    "cost": Key(None, _opt(_number(0)), "what the campaign cost (for the realised ROI)"),
    "margin": Key(None, _opt(_number(0, 1, lo_open=True)),
                  "profit margin on the incremental revenue; null = 1, ROI on revenue"),
    "columns": Key(None, _opt(_mapping_of_text(("customer_id", "group"))),
                   "file column for customer_id, group"),
    "read": Key({}, _block, "encoding, sheet", {k: READ[k] for k in ("encoding", "sheet")}),
}

ENGINES = ("pandas", "duckdb", "spark")

DUCKDB: dict[str, Key] = {
    "memory_limit": Key(
        None, _opt(_text), "memory DuckDB may use, e.g. '4GB'; null = DuckDB's default (80% of RAM)"
    ),
    "temp_directory": Key(
        None, _opt(_text), "folder DuckDB spills to beyond memory_limit; null = a temporary folder"
    ),
    "threads": Key(None, _opt(_number(1, integer=True)), "DuckDB threads; null = one per core"),
}

SPARK: dict[str, Key] = {
    "master": Key(
        None, _opt(_text),
        "Spark master URL (e.g. spark://host:7077, yarn); null = the running SparkSession, "
        "else local[*]",
    ),
    "conf": Key({}, _block, "more Spark settings, e.g. spark.sql.shuffle.partitions: 64"),
}

SCHEMA: dict[str, Key] = {
    "client": Key(REQUIRED, _text, "client name for titles and (slugged) folders"),
    "data": Key(REQUIRED, _text, "transactions file, relative to the config's folder"),
    "columns": Key(
        None,
        _opt(_mapping_of_text(TX_ROLES)),
        "file column for customer_id, date, amount, order_id",
    ),
    "segments": Key(
        None, _opt(_segments), "file columns to slice reports by (list, or mapping name -> column)"
    ),
    "read": Key({}, _block, "how to read the file", READ),
    "currency": Key("ILS", _currency, "ISO currency code shown with its symbol"),
    "period": Key("M", _choice("W", "M", "Q", "Y"), "cohort and KPI period: W, M, Q or Y"),
    "language": Key("en", _choice("en", "he"), "language of the report and exports: en or he"),
    "week_start": Key(
        None, _opt(_choice("monday", "sunday")),
        "first day of a week for weekly periods; null = sunday for he, monday for en"),
    "fiscal_year_start": Key(
        1, _number(1, 12, integer=True), "first month of the client's (fiscal) year, 1 = January"
    ),
    "observation_end": Key(
        None, _opt(_date), "ISO date the analysis is as of; null = last transaction date"
    ),
    "clv": Key({}, _block, "CLV settings", CLV),
    "survey": Key(None, _opt(_block), "optional NPS survey: data, columns, read", SURVEY),
    "economics": Key({}, _block, "retention economics inputs", ECONOMICS),
    "at_risk": Key({}, _block, "early-warning thresholds", AT_RISK),
    "history": Key(None, _opt(_text), "history file shared by runs into different --out "
                   "folders (relative to the config's folder); null = history.csv in the "
                   "report folder"),
    "campaigns": Key([], _campaign_list, "campaigns to measure, treatment against control: "
                     "a list of name, data, start, end, cost, margin"),
    "timeout": Key(
        None,
        _opt(_number(0, lo_open=True)),
        "seconds the report may take (segment reports included); null = 3600",
    ),
    "engine": Key(
        "pandas", _choice(*ENGINES),
        "what reads and reduces the transactions: pandas (any export), duckdb or spark (Parquet, "
        "CSV with canonical columns, spark:db.table)",
    ),
    "customers_file": Key(
        "csv", _choice("csv", "parquet"),
        "format of the per-customer file: csv (customers.csv, opens in Excel up to 1,048,575 "
        "customers) or parquet (customers.parquet, for millions of customers)"),
    "duckdb": Key({}, _block, "DuckDB engine settings", DUCKDB),
    "spark": Key({}, _block, "Spark engine settings", SPARK),
}
