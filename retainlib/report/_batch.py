"""Batch runs: a YAML file of clients, rendered in parallel worker processes.

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

import csv
import difflib
import io
import os
import sys
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from retainlib.errors import ConfigError, ReportError
from retainlib.report._client import run_client, slugify
from retainlib.report._html import write_atomic

__all__ = ["merge", "parse_batch", "run_batch"]

_KEYS = ("clients", "defaults")
SUMMARY_COLUMNS = ("client", "status", "seconds", "error")


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
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise ReportError(f"{what} {path.name} is not valid YAML{at}; fix the syntax") from None
    except UnicodeDecodeError:
        raise ReportError(f"{what} {path.name} is not UTF-8 text; save it as UTF-8") from None


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
    from retainlib.config import load_config

    if isinstance(batch, Mapping):
        values, base, name = batch, Path.cwd(), "the batch"
    else:
        path = Path(batch).expanduser().resolve()
        if not path.is_file():
            raise ReportError(f"batch file {batch} not found; check the path")
        values, base, name = _read_yaml(path, "batch file"), path.parent, path.name
    if not isinstance(values, Mapping):
        raise ReportError(f"{name} must be a mapping with 'clients:' (a list) and optional "
                          "'defaults:'")
    for key in values:
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key), _KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ReportError(f"{name} has an unknown key {key!r} (allowed: clients, "
                              f"defaults){hint}")
    clients, defaults = values.get("clients"), values.get("defaults") or {}
    if not isinstance(clients, list) or not clients:
        raise ReportError(f"{name} needs 'clients:', a non-empty list of client config files "
                          "or inline configs")
    if not isinstance(defaults, Mapping):
        raise ReportError(f"'defaults:' in {name} must be a mapping of config keys")
    configs, failed = [], []
    for i, item in enumerate(clients, 1):
        if isinstance(item, str):
            cpath = (base / item).resolve()
            label = cpath.stem
            try:
                if not cpath.is_file():
                    raise ConfigError(f"client config {item} not found (looked for {cpath})")
                raw = _read_yaml(cpath, "client config")
                if not isinstance(raw, Mapping):
                    raise ConfigError(f"client config {cpath.name} must be a mapping of keys "
                                      "such as 'client:' and 'data:'")
                label = raw.get("client", label)
                configs.append(load_config(merge(defaults, raw), base_dir=cpath.parent))
            except (ConfigError, ReportError) as exc:
                failed.append({"client": str(label), "status": "failed", "seconds": 0.0,
                               "error": str(exc), "slug": slugify(label, "client"),
                               "position": i - 1})
        elif isinstance(item, Mapping):
            label = str(item.get("client", f"client {i}"))
            try:
                configs.append(load_config(merge(defaults, item), base_dir=base))
            except ConfigError as exc:
                failed.append({"client": label, "status": "failed", "seconds": 0.0,
                               "error": str(exc), "slug": slugify(label, "client"),
                               "position": i - 1})
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


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _job(cfg, out: str, options: dict, threads: int) -> dict:
    """Worker entry point (a top-level function, picklable for spawn).

    The worker's kernels share the cores with the other workers: their BLAS and
    Arrow thread pools get ``threads`` threads (unless the user set the
    variables), so N workers do not each start one thread per core.
    """
    for var in _THREAD_VARS:
        os.environ.setdefault(var, str(threads))
    return run_client(cfg, out, **options)


def summary_csv(rows: list[dict]) -> str:
    """batch_summary.csv text: client, status, seconds, error."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore",
                       lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def run_batch(batch: str | Path | Mapping, out: str | Path, *, workers: int | None = None,
              progress: bool = False, segments: bool = True, max_segment_values: int = 10,
              timeout: float = 600) -> tuple[int, list[dict]]:
    """Render every client of a batch into ``OUT`` with a portfolio index.

    Parameters
    ----------
    batch : path or mapping
        Batch file (see the module docstring) or its parsed contents.
    out : path
        Output root: ``OUT/index.html``, ``OUT/batch_summary.csv`` and one
        folder per client (see :func:`retainlib.report.run_report`).
    workers : int, optional
        Parallel worker processes; default the number of cores. 1 runs in
        this process.
    progress : bool, default False
        Show a tqdm progress bar on stderr.
    segments, max_segment_values, timeout :
        As in :func:`retainlib.report.run_report`.

    Returns
    -------
    exit_code : int
        0 when every client succeeded, 1 when some failed.
    rows : list of dict
        One per client, in batch order (see :func:`retainlib.report.run_report`).

    Raises
    ------
    ReportError
        Invalid batch file (the CLI exits with 2).
    """
    from tqdm import tqdm

    from retainlib.report._portfolio import write_index

    configs, failed = parse_batch(batch)
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    options = {"segments": segments, "max_segment_values": max_segment_values,
               "timeout": timeout}
    workers = max(1, min(int(workers or os.cpu_count() or 1), len(configs) or 1))
    done: dict[str, dict] = {}
    bar = tqdm(total=len(configs), desc="clients", unit="client", file=sys.stderr,
               disable=not progress)
    if workers == 1:
        for cfg in configs:
            done[cfg.client] = run_client(cfg, out, **options)
            bar.update()
    else:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            threads = max(1, (os.cpu_count() or 1) // workers)
            futures = {pool.submit(_job, cfg, str(out), options, threads): cfg
                       for cfg in configs}
            for fut in as_completed(futures):
                cfg = futures[fut]
                try:
                    done[cfg.client] = fut.result()
                except Exception as exc:  # a worker that died: that client failed
                    done[cfg.client] = {"client": cfg.client, "status": "failed",
                                        "seconds": 0.0, "slug": slugify(cfg.client, "client"),
                                        "error": f"worker failed: {type(exc).__name__}: {exc}"}
                bar.update()
    bar.close()
    # back in batch order: failed configs at their own positions, the others in between
    taken = {r["position"] for r in failed}
    free = [i for i in range(len(configs) + len(failed)) if i not in taken]
    by_position = {r["position"]: r for r in failed}
    by_position.update({pos: done[cfg.client] for pos, cfg in zip(free, configs, strict=True)})
    rows = [by_position[i] for i in sorted(by_position)]
    write_atomic(out / "batch_summary.csv", summary_csv(rows))
    write_index(out, rows)
    return (0 if all(r["status"] == "ok" for r in rows) else 1), rows
