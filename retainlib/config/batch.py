"""Batch files: a YAML list of clients with shared defaults, checked before anything runs.

Batch file::

    defaults:            # optional, merged into every client (the client's keys win)
      currency: ILS
      clv: {horizon_months: 12}
    clients:
      - acme/client.yaml          # a client config file, relative to the batch file
      - client: Beta Stores       # or an inline client config
        data: beta/sales.xlsx
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from retainlib._slug import slugify
from retainlib._suggest import closest
from retainlib.config._yaml import load_yaml
from retainlib.config.client import load_config
from retainlib.errors import ConfigError, ReportError, RetainlibError, excerpt, one_line

__all__ = ["failed_row", "merge", "parse_batch"]

_KEYS = ("clients", "defaults", "timeout")


def merge(defaults: Mapping, values: Mapping) -> dict:
    """Deep merge: ``values`` win; nested mappings are merged key by key."""
    out = dict(defaults)
    for k, v in values.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def _read_yaml(path: Path, what: str):
    import yaml

    try:
        return load_yaml(path.read_text(encoding="utf-8-sig"))
    except RecursionError:
        raise ReportError(f"{what} {path.name} is nested too deeply to be a config; "
                          "write it as plain keys and lists") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise ReportError(f"{what} {path.name} is not valid YAML{at}; fix the syntax") from None
    except UnicodeDecodeError:
        raise ReportError(f"{what} {path.name} is not UTF-8 text; save it as UTF-8") from None


def _reason(exc: BaseException) -> str:
    """One line saying why a client failed: the message of our errors, else the error's type."""
    if isinstance(exc, RecursionError):  # a YAML alias inside itself, or absurd nesting
        return ("the config is nested too deeply or refers to itself (a YAML alias used "
                "inside its own anchor); write it as plain keys")
    if isinstance(exc, RetainlibError):
        return one_line(exc) or type(exc).__name__
    return f"internal error: {type(exc).__name__}: {one_line(exc)}".rstrip(": ")


def failed_row(label: object, exc: BaseException, position: int | None = None) -> dict:
    """The batch row of a client that failed with ``exc`` (its reason on one line)."""
    row = {"client": str(label), "status": "failed", "seconds": 0.0, "error": _reason(exc),
           "slug": slugify(label, "client"), "report": "", "segments": []}
    if position is not None:
        row["position"] = position
    return row


def parse_batch(batch: str | Path | Mapping) -> tuple[list, list[dict]]:
    """Validate a batch file; return (client configs to run, rows of clients that failed already).

    A client whose config is invalid (missing file, unknown key, ...) becomes a
    failed row (with its ``position`` in the batch) and the others still run.

    Raises
    ------
    ReportError
        The batch file itself is unusable: missing, not YAML, not a mapping,
        unknown top-level key, no ``clients`` list, an item that is neither a
        path nor a mapping, or two clients with the same folder name.
    """
    if isinstance(batch, Mapping):
        values, base, name = batch, Path.cwd(), "the batch"
    else:
        try:
            path = Path(batch).expanduser().resolve()
        except (RuntimeError, OSError):  # a symlink loop
            raise ReportError(f"batch file {batch} cannot be opened (a symlink loop?); check "
                              "the path") from None
        if not path.is_file():
            raise ReportError(f"batch file {batch} not found; check the path")
        values, base, name = _read_yaml(path, "batch file"), path.parent, path.name
    if not isinstance(values, Mapping):
        raise ReportError(f"{name} must be a mapping with 'clients:' (a list) and optional "
                          "'defaults:'")
    for key in values:
        if key not in _KEYS:
            close = closest(key, _KEYS)
            hint = f"; did you mean {close!r}?" if close else ""
            raise ReportError(f"{name} has an unknown key {excerpt(key)} (allowed: clients, "
                              f"defaults, timeout){hint}")
    clients, defaults = values.get("clients"), values.get("defaults") or {}
    if not isinstance(clients, list) or not clients:
        raise ReportError(f"{name} needs 'clients:', a non-empty list of client config files "
                          "or inline configs")
    if not isinstance(defaults, Mapping):
        raise ReportError(f"'defaults:' in {name} must be a mapping of config keys")
    if values.get("timeout") is not None:
        t = values["timeout"]
        if isinstance(t, bool) or not isinstance(t, int | float) or not 0 < t < float("inf"):
            raise ReportError(f"'timeout:' in {name} must be a number of seconds > 0, "
                              f"not {excerpt(t)}")
        defaults = {"timeout": t, **defaults}
    configs, failed = [], []
    for i, item in enumerate(clients, 1):
        if isinstance(item, str):
            cpath = base / item
            label = item  # the path as the batch names it, until the config names the client
            try:
                cpath = cpath.resolve()
                if not cpath.is_file():
                    raise ConfigError(f"client config {item} not found (looked for {cpath})")
                raw = _read_yaml(cpath, "client config")
                if not isinstance(raw, Mapping):
                    raise ConfigError(f"client config {cpath.name} must be a mapping of keys "
                                      "such as 'client:' and 'data:'")
                label = raw.get("client", label)
                configs.append(load_config(merge(defaults, raw), base_dir=cpath.parent))
            except Exception as exc:  # noqa: BLE001 - one bad client never stops the batch
                failed.append(failed_row(label, exc, i - 1))
        elif isinstance(item, Mapping):
            label = str(item.get("client", f"client {i}"))
            try:
                configs.append(load_config(merge(defaults, item), base_dir=base))
            except Exception as exc:  # noqa: BLE001 - one bad client never stops the batch
                failed.append(failed_row(label, exc, i - 1))
        else:
            raise ReportError(f"item {i} of 'clients:' in {name} must be a config file path or "
                              f"an inline config, not {type(item).__name__}")
    seen: dict[str, str] = {}
    for cfg in configs:
        slug = slugify(cfg.client, "client")
        if slug in seen:
            raise ReportError(f"clients {seen[slug]!r} and {cfg.client!r} in {name} would share "
                              f"the folder {slug!r}; give them distinct names")
        seen[slug] = cfg.client
    return configs, failed
