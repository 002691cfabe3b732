"""Client configuration: one YAML file per client, checked key by key.

Every key, its type, default and check live in one table, :data:`SCHEMA`
(defined in :mod:`retainlib.config._schema`, public here); adding a key is
one line there (and one line in the README table, which
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

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from retainlib._suggest import closest
from retainlib.config._schema import (  # the key table; SCHEMA stays public here
    ENGINES,
    REQUIRED,
    SCHEMA,
    Key,
)
from retainlib.config._yaml import load_yaml
from retainlib.errors import ConfigError, excerpt

__all__ = [
    "SCHEMA",
    "ClientConfig",
    "CampaignSettings",
    "ClvSettings",
    "SurveySettings",
    "config_reference",
    "load_config",
]

# ----------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class ClvSettings:
    """The ``clv`` block: horizon, discounting, margin, calibration end, model penalizer."""

    horizon_months: int = 12
    annual_discount_rate: float = 0.10
    margin: float = 1.0
    calibration_end: pd.Timestamp | None = None
    penalizer: float = 0.0

    def calibration_end_for(self, first: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
        """The holdout check's calibration end for data from ``first`` to ``end``.

        ``calibration_end`` when set, else the day two thirds of the way from
        the first transaction to the end (the last third is the holdout).

        >>> ClvSettings().calibration_end_for(pd.Timestamp("2024-01-01"),
        ...                                   pd.Timestamp("2024-04-01"))
        Timestamp('2024-03-01 00:00:00')
        """
        if self.calibration_end is not None:
            return pd.Timestamp(self.calibration_end)
        return (first + (end - first) * (2 / 3)).normalize()


@dataclass(frozen=True)
class SurveySettings:
    """The ``survey`` block: NPS survey file (absolute), column mapping, read options."""

    data: Path
    columns: dict | None
    read: dict


@dataclass(frozen=True)
class CampaignSettings:
    """One entry of ``campaigns``: its file (absolute), window, cost, margin, columns, read."""

    name: str
    data: Path
    start: pd.Timestamp
    end: pd.Timestamp | None = None
    cost: float | None = None
    margin: float | None = None
    columns: dict | None = None
    read: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ClientConfig:
    """A validated client configuration (see :func:`load_config`)."""

    client: str
    data: Path | str  # a file, folder or glob; "spark:db.table" for the spark engine
    columns: dict | None
    segments: dict
    read: dict
    currency: str = "ILS"
    period: str = "M"
    language: str = "en"
    week_start: str | None = None
    fiscal_year_start: int = 1
    observation_end: pd.Timestamp | None = None
    clv: ClvSettings = field(default_factory=ClvSettings)
    survey: SurveySettings | None = None
    economics: dict = field(default_factory=dict)
    at_risk: dict = field(default_factory=dict)
    timeout: float | None = None
    source: Path | None = None
    history: Path | None = None
    campaigns: tuple[CampaignSettings, ...] = ()
    #: ``at_risk.control_share`` and ``at_risk.seed``: how the at-risk list's groups are drawn
    campaign_groups: dict = field(default_factory=lambda: {"control_share": 0.2, "seed": 0})
    engine: str = "pandas"
    #: ``customers_file``: 'csv' (customers.csv) or 'parquet' (customers.parquet)
    customers_file: str = "csv"
    duckdb: dict = field(default_factory=dict)
    spark: dict = field(default_factory=dict)

    def with_engine(self, engine: str | None) -> ClientConfig:
        """The same config read by ``engine`` ('pandas', 'duckdb', 'spark'; ``None``: unchanged).

        Raises
        ------
        ConfigError
            An unknown engine, or a Spark table (``data: spark:db.table``) for another engine.
        """
        from dataclasses import replace

        if engine is None or engine == self.engine:
            return self
        if engine not in ENGINES:
            raise ConfigError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        if isinstance(self.data, str) and engine != "spark":
            raise ConfigError(f"the data of {self.client!r} is the Spark table {self.data[6:]!r}, "
                              "which only the spark engine reads; use --engine spark")
        return replace(self, engine=engine)

    @property
    def first_weekday(self) -> str:
        """'sunday' or 'monday': the config's ``week_start``, else Sunday in Hebrew, else Monday."""
        return self.week_start or ("sunday" if self.language == "he" else "monday")

    def in_language(self, language: str | None) -> ClientConfig:
        """The same config with the report language ``language`` (``None``: unchanged).

        A ``week_start`` given in the config stays; otherwise the week follows
        the new language.
        """
        from dataclasses import replace

        from retainlib.i18n import check_language

        if language is None:
            return self
        return replace(self, language=check_language(language, "--language"))

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
            if isinstance(v, ClvSettings | SurveySettings | CampaignSettings):
                return {k: plain(x) for k, x in v.__dict__.items()}
            if isinstance(v, tuple | list):
                return [plain(x) for x in v]
            if isinstance(v, dict):
                return {k: plain(x) for k, x in v.items()}
            return v

        d = {k: plain(v) for k, v in self.__dict__.items()}
        d["at_risk"] = {**d["at_risk"], **d.pop("campaign_groups")}  # one at_risk block
        return d


# ----------------------------------------------------------------------------- loading


def _validate(values: Mapping, schema: Mapping[str, Key], where: str, prefix: str = "") -> dict:
    """Check ``values`` against ``schema``; return every key with defaults filled in."""
    for k in values:
        if k not in schema:
            names = [prefix + s for s in schema]
            hint = closest(prefix + str(k), names)
            mean = f"; did you mean {hint!r}?" if hint else f"; valid keys are {', '.join(names)}"
            raise ConfigError(f"unknown key {excerpt(prefix + str(k))} in {where}{mean}")
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
                given = values[k]
                given = given.isoformat() if isinstance(given, dt.date) else excerpt(given)
                shown = f", not {given}" if problem.startswith("must") else ""
                raise ConfigError(f"{name} in {where} {problem}{shown}")
        if key.block is not None and value is not None:
            value = _validate(value, key.block, where, prefix=name + ".")
        out[k] = value
    return out


def _resolve(path: Path, what: str) -> Path:
    """``path.resolve()``, with a symlink loop or an unusable path as a ConfigError."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        reason = "is a symlink loop" if "loop" in str(exc).lower() else f"cannot be used ({exc})"
        raise ConfigError(f"{what} {path} {reason}; point it at the real file") from None


def _engine_source(text: str, engine: str, base: Path, where: str) -> Path | str | None:
    """The data of a duckdb/spark config that is not one file: a folder, a glob, a Spark table.

    ``'spark:db.sales'`` -> the table name with its prefix (spark only); an
    existing folder or a glob pattern that matches files -> its resolved path;
    anything else -> None (a file, checked as for the pandas engine).
    """
    if text.startswith("spark:"):
        if engine != "spark" or not text[6:].strip():
            raise ConfigError(f"data {text!r} in {where} names a Spark table, which only "
                              "engine: spark reads; set engine: spark (and the table's name "
                              "after 'spark:')")
        return "spark:" + text[6:].strip()
    if engine == "pandas":
        return None
    path = _resolve(base / Path(text).expanduser(), f"data in {where}")
    if path.is_dir():
        return path
    if any(ch in text for ch in "*?["):
        import glob

        if not glob.glob(str(path), recursive=True):  # a wildcard may be in a folder's name too
            raise ConfigError(f"data pattern {text!r} in {where} matches no file (looked for "
                              f"{path}); fix the pattern, relative to the config's folder")
        return path
    return None


def _data_paths(named: Mapping[str, str], base: Path, where: str) -> dict[str, Path]:
    """Resolve the data files a config names (key -> path text); one error names all missing."""
    paths = {key: _resolve(base / Path(value).expanduser(), f"{key} in {where}")
             for key, value in named.items()}
    for key, path in paths.items():
        if path.exists() and not path.is_file():  # a folder, a pipe, a device: never readable data
            raise ConfigError(f"data file {named[key]!r} named by {key} in {where} is not a "
                              f"regular file ({path}); point it at the export itself")
    missing = [key for key, path in paths.items() if not path.is_file()]
    if len(missing) == 1:
        key = missing[0]
        raise ConfigError(
            f"data file {named[key]!r} named by {key} in {where} not found (looked for "
            f"{paths[key]}); fix the path, which is relative to the config file's folder"
        )
    if missing:
        files = ", ".join(f"{named[k]!r} named by {k} (looked for {paths[k]})" for k in missing)
        raise ConfigError(
            f"data files of {where} not found: {files}; fix the paths, which are relative to "
            "the config file's folder"
        )
    return paths


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
        path = _resolve(Path(source).expanduser(), "config file")
        where = path.name
        if path.exists() and not path.is_file():
            raise ConfigError(f"config file {source} is not a regular file ({path}); name the "
                              "YAML file itself")
        if not path.is_file():
            raise ConfigError(f"config file {source} not found (looked for {path}); check the path")
        import yaml

        try:
            values = load_yaml(path.read_text(encoding="utf-8-sig"))
        except RecursionError:
            raise ConfigError(
                f"{where} is nested too deeply to be a client config; write it as plain keys"
            ) from None
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
    s = v["survey"]
    named = {"data": v["data"]} if s is None else {"data": v["data"], "survey.data": s["data"]}
    table = _engine_source(v["data"], v["engine"], base, where)
    if table is not None:
        named.pop("data")
    campaigns = _campaigns(v["campaigns"], where)
    at_risk = dict(v["at_risk"])  # the early-warning rule; the group draw apart
    groups = {k: at_risk.pop(k) for k in ("control_share", "seed")}
    named.update({f"campaigns[{i}].data": c["data"] for i, c in enumerate(campaigns)})
    paths = _data_paths(named, base, where)
    data = paths["data"] if table is None else table
    survey = None if s is None else SurveySettings(paths["survey.data"], s["columns"], s["read"])
    return ClientConfig(
        client=v["client"],
        data=data,
        columns=v["columns"],
        segments=v["segments"] or {},
        read=v["read"],
        currency=v["currency"],
        period=v["period"],
        language=v["language"],
        week_start=v["week_start"],
        fiscal_year_start=v["fiscal_year_start"],
        observation_end=v["observation_end"],
        clv=ClvSettings(**v["clv"]),
        survey=survey,
        economics=v["economics"],
        at_risk=at_risk,
        timeout=v["timeout"],
        source=path,
        history=_history_path(v["history"], base, where),
        campaign_groups=groups,
        campaigns=tuple(CampaignSettings(**{**c, "data": paths[f"campaigns[{i}].data"]})
                        for i, c in enumerate(campaigns)),
        engine=v["engine"],
        customers_file=v["customers_file"],
        duckdb=v["duckdb"],
        spark=v["spark"],
    )


def _campaigns(entries: list, where: str) -> list[dict]:
    """Each ``campaigns`` entry checked against its key table; names unique; end after start."""
    from retainlib.config._schema import CAMPAIGN

    out, seen = [], set()
    for i, entry in enumerate(entries):
        c = _validate(entry, CAMPAIGN, where, prefix=f"campaigns[{i}].")
        if c["name"] in seen:
            raise ConfigError(f"campaigns[{i}].name in {where} is {c['name']!r}, the name of an "
                              "earlier campaign; give each campaign its own name")
        if c["end"] is not None and c["end"] < c["start"]:
            raise ConfigError(f"campaigns[{i}].end in {where} ({c['end'].date()}) is before its "
                              f"start ({c['start'].date()}); fix one of the two dates")
        seen.add(c["name"])
        out.append(c)
    return out


def _history_path(text: str | None, base: Path, where: str) -> Path | None:
    """The ``history`` file, resolved; its folder must exist (the file itself may not yet)."""
    if text is None:
        return None
    path = _resolve(base / Path(text).expanduser(), f"history in {where}")
    if path.is_dir():
        raise ConfigError(f"history in {where} names the folder {path}; name a file in it, "
                          "such as history.csv")
    if not path.parent.is_dir():
        raise ConfigError(f"the folder of history {text!r} in {where} does not exist (looked "
                          f"for {path.parent}); create it or fix the path, which is relative to "
                          "the config file's folder")
    return path


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
            if k == "campaigns":
                from retainlib.config._schema import CAMPAIGN

                walk(CAMPAIGN, "campaigns[].")

    walk(SCHEMA)
    return "\n".join(rows)
