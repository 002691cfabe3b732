"""One client's report folder: notebooks run and rendered in a temporary folder, then published.

Everything is written into ``OUT/.tmp-<slug>-XXXX/`` (inside OUT) and moved to
``OUT/<slug>/`` with :func:`os.replace` only at the end, so a crash never leaves
a half-written report that looks complete. A failed client's folder holds its
executed notebook (with papermill's error banner) but no ``report.html``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import yaml

from retainlib.report._html import render_html
from retainlib.report._runner import (
    execute,
    execution_error,
    kernel_manager,
    notebook_path,
    start_kernel,
)

__all__ = ["run_client", "slugify"]

#: files a published client folder may hold besides segments/
OUTPUTS = ("report.html", "report.ipynb", "metrics.json", "customers.csv", "at_risk.csv",
           "rejected_rows.csv", "client_config.yaml")


def slugify(text: object, fallback: str = "item") -> str:
    """Folder- and file-safe name: lower case letters, digits and '-' (Unicode letters kept).

    Examples
    --------
    >>> slugify("Acme Ltd. / North")
    'acme-ltd-north'
    >>> slugify("../../etc")
    'etc'
    """
    s = re.sub(r"[^\w]+", "-", str(text).casefold()).strip("-_")
    return s[:80].strip("-_") or fallback


def _config_file(cfg, folder: Path) -> Path:
    """The resolved config (absolute data paths) as YAML, for the notebooks and the audit."""
    d = cfg.to_dict()
    d.pop("source", None)
    path = folder / "client_config.yaml"
    path.write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _publish(work: Path, final: Path) -> None:
    if final.exists():
        trash = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.replace(final, trash)
        os.replace(work, final)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(work, final)


def _keep_only(work: Path, names: tuple[str, ...]) -> None:
    for p in work.iterdir():
        if p.name not in names:
            shutil.rmtree(p) if p.is_dir() else p.unlink()


def _segments(cfg, work: Path, params: dict, values: dict, limit: int, timeout: float,
              timings: dict, km) -> tuple[list[str], list[str]]:
    """Render segments/<column>-<value>.html for the most common values.

    Returns the errors and the ``column=value`` segments left out by ``limit``.
    """
    from papermill.exceptions import PapermillExecutionError

    errors: list[str] = []
    skipped = [f"{column}={value}" for column, vals in values.items()
               for value in list(vals)[max(limit, 0):]]
    folder = work / "segments"
    used: set[str] = set()
    for column, vals in values.items():
        for value in list(vals)[:max(limit, 0)]:
            slug = slugify(f"{column}-{value}", "segment")
            while slug in used:
                slug += "-x"
            used.add(slug)
            folder.mkdir(exist_ok=True)
            nb_out = folder / f"{slug}.ipynb"
            t0 = time.perf_counter()
            try:
                execute(notebook_path("segment"), nb_out,
                        {"config": params["config"], "segment": str(column), "value": str(value),
                         "cache": params["cache"]}, cwd=work, timeout=timeout, km=km)
                t1 = time.perf_counter()
                render_html(nb_out, folder / f"{slug}.html",
                            title=f"{cfg.client}: {column} = {value}")
                timings["segments_papermill"] += t1 - t0
                timings["segments_nbconvert"] += time.perf_counter() - t1
                nb_out.unlink()  # kept only when it failed, for the audit
            except PapermillExecutionError as exc:
                errors.append(f"segment {column}={value}: {execution_error(exc)}")
    return errors, skipped


def run_client(cfg, out: str | Path, *, segments: bool = True, max_segment_values: int = 10,
               timeout: float = 600) -> dict:
    """Render one client's report folder ``OUT/<slug>/`` (see the module docstring).

    Parameters
    ----------
    cfg : ClientConfig
        Validated client config.
    out : path
        Output root; nothing is written outside it.
    segments : bool, default True
        Also render ``segments/<column>-<value>.html`` for each config segment.
    max_segment_values : int, default 10
        Segment reports for at most this many values per column (those with the
        most customers).
    timeout : float, default 600
        Seconds a single notebook cell may run.

    Returns
    -------
    dict
        ``client``, ``slug``, ``status`` ('ok', 'partial' when a segment report
        failed, 'failed'), ``seconds``, ``error`` (empty when ok), ``report``
        (path of report.html relative to OUT, or of report.ipynb when failed),
        ``segments`` (relative paths of the segment reports),
        ``segments_skipped`` (``column=value`` of the values beyond
        ``max_segment_values``, which get no report of their own) and
        ``timings`` (seconds in papermill and nbconvert).
    """
    from papermill.exceptions import PapermillExecutionError

    t_start = time.perf_counter()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    slug = slugify(cfg.client, "client")
    for stale in (*out.glob(f".tmp-{slug}-*"), *out.glob(f".old-{slug}-*")):
        shutil.rmtree(stale, ignore_errors=True)  # left by a run that crashed
    work = Path(tempfile.mkdtemp(prefix=f".tmp-{slug}-", dir=out))
    timings = {"papermill": 0.0, "nbconvert": 0.0, "segments_papermill": 0.0,
               "segments_nbconvert": 0.0}
    row = {"client": cfg.client, "slug": slug, "status": "ok", "error": "",
           "report": f"{slug}/report.html", "segments": [], "segments_skipped": [],
           "timings": timings}
    km = kernel_manager()  # one kernel for the client report and its segment reports
    log = (work / ".kernel.log").open("wb")  # the kernel's own stdout/stderr
    try:
        start_kernel(km, cwd=work, log=log)
        params = {"config": str(_config_file(cfg, work)), "output_dir": str(work),
                  "cache": str(work / ".analysis.pkl")}
        t0 = time.perf_counter()
        execute(notebook_path("report"), work / "report.ipynb", params, cwd=work,
                timeout=timeout, km=km)
        t1 = time.perf_counter()
        render_html(work / "report.ipynb", work / "report.html",
                    title=f"{cfg.client}: retention report")
        timings.update(papermill=t1 - t0, nbconvert=time.perf_counter() - t1)
        if segments:
            metrics = json.loads((work / "metrics.json").read_text(encoding="utf-8"))
            errors, row["segments_skipped"] = _segments(
                cfg, work, params, metrics.get("segments") or {}, max_segment_values, timeout,
                timings, km)
            if errors:
                row.update(status="partial", error="; ".join(errors))
        row["segments"] = sorted(f"{slug}/segments/{p.name}"
                                 for p in (work / "segments").glob("*.html")) \
            if (work / "segments").is_dir() else []
        (work / ".analysis.pkl").unlink(missing_ok=True)
    except Exception as exc:  # the client fails, the batch goes on
        row.update(status="failed", error=execution_error(exc), report=f"{slug}/report.ipynb",
                   segments=[])
        if not isinstance(exc, PapermillExecutionError):
            row["error"] = f"{row['error']} (before or after the notebook ran)"
        _keep_only(work, ("report.ipynb", "client_config.yaml"))
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        log.close()
        (work / ".kernel.log").unlink(missing_ok=True)
    _publish(work, out / slug)
    row["seconds"] = round(time.perf_counter() - t_start, 2)
    return row
