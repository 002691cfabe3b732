"""Client configuration: one YAML file per client, checked key by key.

Every key, its type, default and check live in one table, :data:`SCHEMA`;
adding a key is one line there (and one line in the README table, which
:func:`config_reference` prints). Errors are one sentence naming the config
file, the key and the fix.

Example ``acme.yaml``::

    client: Acme Ltd
    data: sales.csv                 # relative to this file's folder
    columns: {customer_id: "מספר לקוח", date: "תאריך", amount: "סכום"}
    segments: [region, channel]
    read: {dayfirst: true}
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from retainlib.errors import ConfigError

__all__ = [
    "SCHEMA",
    "ClientConfig",
    "ClvSettings",
    "SurveySettings",
    "config_reference",
    "load_config",
]

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
        ):
            return None, f"must be {kind}"
        if (lo is not None and (v < lo or (lo_open and v == lo))) or (
            hi is not None and (v > hi or (hi_open and v == hi))
        ):
            left = "(" if lo_open else "["
            right = ")" if hi_open else "]"
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


def _date(v):
    if isinstance(v, dt.date):
        return pd.Timestamp(v), None
    if isinstance(v, str):
        try:
            return pd.Timestamp(pd.to_datetime(v.strip(), format="ISO8601")), None
        except (ValueError, TypeError):
            pass
    return None, "must be an ISO date such as 2024-12-31"


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
    if isinstance(v, str) and re.fullmatch(r"[A-Za-z]{3}", v.strip()):
        return v.strip().upper(), None
    return None, "must be a 3-letter ISO currency code such as ILS, USD or EUR"


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
                hint = difflib.get_close_matches(str(k), roles, n=1)
                mean = f" (did you mean {hint[0]!r}?)" if hint else ""
                return None, f"has an unknown role {k!r}{mean}; roles are {', '.join(roles)}"
            if not isinstance(col, str | int) or isinstance(col, bool) or not str(col).strip():
                return None, f"maps {k} to {col!r}; give the file's column name as text"
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
        None, _opt(_encoding), "text encoding; null detects UTF-8 (BOM), cp1255, latin-1"
    ),
    "dayfirst": Key(False, _bool, "read 01/02/2024 as 1 February"),
    "date_format": Key(None, _opt(_date_format), "explicit strptime date format tried first"),
    "decimal": Key(".", _choice(".", ","), "decimal mark of amounts"),
    "thousands": Key(
        None, _opt(_thousands), "thousands separator; null accepts well-formed groups"
    ),
    "sheet": Key(None, _opt(_sheet), "Excel sheet name or 0-based number; null = first sheet"),
    "duplicates": Key("keep", _choice("keep", "drop"), "keep or drop exact duplicate rows"),
}

CLV: dict[str, Key] = {
    "horizon_months": Key(12, _number(0, lo_open=True, integer=True), "CLV horizon in months"),
    "annual_discount_rate": Key(0.10, _number(0, 1, hi_open=True), "yearly discount rate"),
    "margin": Key(1.0, _number(0, 1, lo_open=True), "profit margin applied to spend"),
    "calibration_end": Key(
        None, _opt(_date), "ISO date ending the calibration period of the holdout check"
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
    "observation_end": Key(
        None, _opt(_date), "ISO date the analysis is as of; null = last transaction date"
    ),
    "clv": Key({}, _block, "CLV settings", CLV),
    "survey": Key(None, _opt(_block), "optional NPS survey: data, columns, read", SURVEY),
    "economics": Key({}, _block, "retention economics inputs", ECONOMICS),
    "at_risk": Key({}, _block, "early-warning thresholds", AT_RISK),
}


# ----------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class ClvSettings:
    """The ``clv`` block: horizon, discounting, margin, optional calibration end."""

    horizon_months: int = 12
    annual_discount_rate: float = 0.10
    margin: float = 1.0
    calibration_end: pd.Timestamp | None = None


@dataclass(frozen=True)
class SurveySettings:
    """The ``survey`` block: NPS survey file (absolute), column mapping, read options."""

    data: Path
    columns: dict | None
    read: dict


@dataclass(frozen=True)
class ClientConfig:
    """A validated client configuration (see :func:`load_config`)."""

    client: str
    data: Path
    columns: dict | None
    segments: dict
    read: dict
    currency: str = "ILS"
    period: str = "M"
    observation_end: pd.Timestamp | None = None
    clv: ClvSettings = field(default_factory=ClvSettings)
    survey: SurveySettings | None = None
    economics: dict = field(default_factory=dict)
    at_risk: dict = field(default_factory=dict)
    source: Path | None = None

    @property
    def slug(self) -> str:
        """Folder-safe client name: lower case, runs of other characters -> '-'."""
        return re.sub(r"[^\w]+", "-", self.client.casefold()).strip("-_") or "client"

    def to_dict(self) -> dict:
        """JSON-able dict (paths and dates as text) for metrics and notebook parameters."""

        def plain(v):
            if isinstance(v, Path):
                return str(v)
            if isinstance(v, pd.Timestamp):
                return v.date().isoformat() if v == v.normalize() else v.isoformat()
            if isinstance(v, ClvSettings | SurveySettings):
                return {k: plain(x) for k, x in v.__dict__.items()}
            if isinstance(v, dict):
                return {k: plain(x) for k, x in v.items()}
            return v

        return {k: plain(v) for k, v in self.__dict__.items()}


# ----------------------------------------------------------------------------- loading


def _validate(values: Mapping, schema: Mapping[str, Key], where: str, prefix: str = "") -> dict:
    """Check ``values`` against ``schema``; return every key with defaults filled in."""
    for k in values:
        if k not in schema:
            names = [prefix + s for s in schema]
            hint = difflib.get_close_matches(prefix + str(k), names, n=1, cutoff=0.6)
            mean = (
                f"; did you mean {hint[0]!r}?" if hint else f"; valid keys are {', '.join(names)}"
            )
            raise ConfigError(f"unknown key {prefix + str(k)!r} in {where}{mean}")
    out = {}
    for k, key in schema.items():
        name = prefix + k
        if k not in values:
            if key.default is REQUIRED:
                raise ConfigError(f"{where} has no {name!r} key; add it ({key.help})")
            value = key.default
        else:
            value, problem = key.check(values[k])
            if problem:
                shown = f", not {values[k]!r}" if problem.startswith("must") else ""
                raise ConfigError(f"{name} in {where} {problem}{shown}")
        if key.block is not None and value is not None:
            value = _validate(value, key.block, where, prefix=name + ".")
        out[k] = value
    return out


def _data_path(value: str, base: Path, where: str, key: str) -> Path:
    path = (base / Path(value).expanduser()).resolve()
    if not path.is_file():
        raise ConfigError(
            f"data file {value!r} named by {key} in {where} not found (looked for {path}); "
            "fix the path, which is relative to the config file's folder"
        )
    return path


def load_config(
    source: str | Path | Mapping, *, base_dir: str | Path | None = None
) -> ClientConfig:
    """Read and validate a client config.

    Parameters
    ----------
    source : str, pathlib.Path or mapping
        A YAML file, or an already-parsed mapping (an inline config of a batch file).
    base_dir : str or pathlib.Path, optional
        Folder that relative paths resolve against; default: the YAML file's
        folder, or the current folder for a mapping.

    Returns
    -------
    ClientConfig

    Raises
    ------
    ConfigError
        Missing or unreadable file, invalid YAML, unknown key (with a
        did-you-mean), wrong type, bad value, or a data file that does not exist.

    See Also
    --------
    config_reference : every key with its default.
    """
    if isinstance(source, Mapping):
        values, path = source, None
        where = (
            f"the config of {source['client']!r}"
            if isinstance(source.get("client"), str)
            else "the inline config"
        )
        base = Path(base_dir) if base_dir is not None else Path.cwd()
    else:
        path = Path(source).expanduser().resolve()
        where = path.name
        if not path.is_file():
            raise ConfigError(f"config file {source} not found (looked for {path}); check the path")
        import yaml

        try:
            values = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise ConfigError(
                f"{where} is not valid YAML{at} ({getattr(exc, 'problem', exc)}); fix the syntax"
            ) from None
        except UnicodeDecodeError:
            raise ConfigError(f"{where} is not UTF-8 text; save it as UTF-8") from None
        if values is None:
            values = {}
        base = Path(base_dir) if base_dir is not None else path.parent
    if not isinstance(values, Mapping):
        raise ConfigError(
            f"{where} must be a mapping of keys such as 'client:' and 'data:', "
            f"not {type(values).__name__}"
        )
    v = _validate(values, SCHEMA, where)
    survey = None
    if v["survey"] is not None:
        s = v["survey"]
        survey = SurveySettings(
            _data_path(s["data"], base, where, "survey.data"), s["columns"], s["read"]
        )
    return ClientConfig(
        client=v["client"],
        data=_data_path(v["data"], base, where, "data"),
        columns=v["columns"],
        segments=v["segments"] or {},
        read=v["read"],
        currency=v["currency"],
        period=v["period"],
        observation_end=v["observation_end"],
        clv=ClvSettings(**v["clv"]),
        survey=survey,
        economics=v["economics"],
        at_risk=v["at_risk"],
        source=path,
    )


def config_reference() -> str:
    """Markdown table of every config key, its default and meaning (for the README)."""

    def show(d):
        if d is REQUIRED:
            return "required"
        if isinstance(d, bool):
            return f"`{str(d).lower()}`"
        return "null" if d is None else f"`{d}`"

    rows = ["| key | default | meaning |", "|---|---|---|"]

    def walk(schema, prefix=""):
        for k, key in schema.items():
            default = "see below" if key.block is not None else show(key.default)
            if k == "survey":
                default = "null"
            rows.append(f"| `{prefix}{k}` | {default} | {key.help} |")
            if key.block is not None and not key.help.startswith("same keys"):
                walk(key.block, prefix + k + ".")

    walk(SCHEMA)
    return "\n".join(rows)
