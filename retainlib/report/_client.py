"""One client's report folder: notebooks run and rendered in a temporary folder, then published.

Everything is written into a temporary folder ``OUT/.tmp.<slug>.<pid>.<random>/``
(inside OUT) and moved to ``OUT/<slug>/`` with :func:`os.replace` only at the
end, so a crash never leaves a half-written report that looks complete. A
failed client's folder holds its executed notebook (with papermill's error
banner, or what ran before the time limit) but no ``report.html``.

Safety (see :mod:`retainlib.output.folders`): ``OUT/<slug>/`` is replaced only when
retainlib wrote everything in it (its manifest ``.retainlib.json`` lists
every file); a lock ``OUT/.retainlib-locks/<slug>.lock`` keeps two runs of the same client
apart; temporary folders are named with a '.' after the slug (slugs have no
dots), so cleaning up after a crashed run of ``acme`` never touches those of
``acme-ltd``, and only while holding the client's lock (no live run owns them).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
import time
import traceback
import uuid
from pathlib import Path

import yaml

from retainlib._slug import slugify
from retainlib.errors import OutputError, RetainlibError, one_line
from retainlib.i18n import text
from retainlib.output import folders as _outputs
from retainlib.output.history import accept_edits, check_history, history_files
from retainlib.report._html import render_html
from retainlib.report._runner import (
    execute,
    execution_error,
    kernel_manager,
    kill_kernel,
    notebook_path,
    shutdown_kernel,
    start_kernel,
)
from retainlib.report.narrative import segment_title
from retainlib.report.pdf import find_chromium, print_pdf

__all__ = ["DEFAULT_TIMEOUT", "run_client"]

#: the client's history (retainlib.output.history), carried from one report folder to the next
HISTORY_FILES = history_files()

#: seconds one client may take (its report and segment reports together)
DEFAULT_TIMEOUT = 3600.0

#: files a published client folder may hold besides segments/
OUTPUTS = ("report.html", "report.pdf", "report.ipynb", "metrics.json", "customers.csv",
           "customers.parquet",
           "at_risk.csv", "win_back.csv", "rejected_rows.csv", "client_config.yaml",
           *HISTORY_FILES)


class _TimedOut(Exception):
    """The client's time limit passed."""


class _Deadline:
    """A client's time limit: seconds left, and a watchdog that kills the kernel when it passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self.end = time.monotonic() + self.seconds
        self.expired = False

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self) -> None:
        if self.expired or self.left() <= 0:
            self.expired = True
            raise _TimedOut

    def watch(self, km) -> threading.Timer:
        """Kill ``km``'s kernel when the time is up (the caller cancels the timer)."""
        def fire() -> None:
            self.expired = True
            kill_kernel(km)

        timer = threading.Timer(min(max(0.0, self.left()), threading.TIMEOUT_MAX), fire)
        timer.daemon = True
        timer.start()
        return timer

    def message(self) -> str:
        return f"timed out after {self.seconds:g} s (raise the limit with --timeout or timeout:)"


def _config_file(cfg, folder: Path) -> Path:
    """The resolved config (absolute data paths) as YAML, for the notebooks and the audit."""
    d = cfg.to_dict()
    d.pop("source", None)
    path = folder / "client_config.yaml"
    path.write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _check_inputs_outside(cfg, final: Path) -> None:
    """Refuse a client folder that holds the run's own inputs (config, data, survey, campaigns).

    The folder is replaced by the run, so an input in it (a campaign file that
    is last month's at_risk.csv, a ``history:`` file) would be lost or changed.
    """
    inputs = [cfg.source, cfg.data, cfg.survey.data if cfg.survey is not None else None]
    for path in (Path(p) for p in inputs if p is not None):
        if path.resolve().is_relative_to(final):
            raise OutputError(f"the report folder {final} would hold this client's own "
                              f"{path.name}; choose another --out (for example "
                              f"{final.parent / 'reports'})")
    for i, c in enumerate(getattr(cfg, "campaigns", ())):
        if Path(c.data).resolve().is_relative_to(final):
            raise OutputError(f"campaigns[{i}].data names {c.data}, inside the report folder "
                              f"{final} that this run replaces; copy {Path(c.data).name} out of "
                              f"it (next to the client config) and point campaigns[{i}].data "
                              "there")
    history = getattr(cfg, "history", None)
    if history is not None and Path(history).resolve().is_relative_to(final):
        raise OutputError(f"history: names {history}, inside the report folder {final} that "
                          "this run replaces; remove history: from the config (the report "
                          "folder keeps its own history.csv) or point it outside the folder")


def _work_folder(out: Path, slug: str) -> Path:
    """A new, uniquely named temporary folder for ``slug`` inside ``out``, marked as ours."""
    while True:
        work = out / f".tmp.{slug}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        try:
            work.mkdir()  # the umask decides the permissions (0755 under 022)
        except FileExistsError:
            continue
        _outputs.write_manifest(work)
        return work


def _clean_stale(out: Path, slug: str) -> None:
    """Remove temporary folders of ``slug`` left by crashed runs (call it holding the lock)."""
    for p in out.iterdir():
        name = p.name
        if name.startswith((f".tmp.{slug}.", f".old.{slug}.")) and p.is_dir():
            _outputs.remove_tree(p)  # only folders with retainlib's manifest


def _publish(work: Path, final: Path, slug: str, client: str) -> None:
    """Move ``work`` into ``final``'s place (replacing it only if retainlib wrote all of it)."""
    _outputs.check_replaceable(final, client=client)
    _outputs.write_manifest(work, client=client)
    if os.path.lexists(final):
        trash = final.with_name(f".old.{slug}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
        os.replace(final, trash)
        os.replace(work, final)
        if (trash / _outputs.MANIFEST).is_file():
            _outputs.remove_tree(trash)
        else:  # an empty folder without a manifest: nothing in it to lose
            with contextlib.suppress(OSError):  # unless something appeared in it meanwhile
                trash.rmdir()
    else:
        os.replace(work, final)


def _carry_history(cfg, final: Path, work: Path) -> None:
    """Copy the client's history files from the published folder into this run's (see #16).

    The previous run's ``history.csv`` (and its at-risk lists) would go with
    the folder this run replaces; copied into ``work`` first, they get this
    run's row and are published with it. A config ``history:`` file lives
    elsewhere and is not copied.
    """
    if getattr(cfg, "history", None) is not None:
        return
    names = [n for n in HISTORY_FILES if (final / n).is_file() and not (final / n).is_symlink()]
    for name in names:
        shutil.copy2(final / name, work / name)
    if names:
        _outputs.record(work, names)


def _keep_only(work: Path, keep: set[str]) -> None:
    """Delete what this run wrote into ``work`` except the files ``keep`` (relative paths)."""
    for rel in _outputs.files_under(work):
        if rel not in keep:
            (work / rel).unlink()
    for d in sorted((p for p in work.rglob("*") if p.is_dir() and not p.is_symlink()),
                    key=lambda p: len(p.parts), reverse=True):
        if all(q.name == _outputs.MANIFEST for q in d.iterdir()):  # nothing kept in it
            (d / _outputs.MANIFEST).unlink(missing_ok=True)
            d.rmdir()


def _timeout_banner(notebook: Path, message: str) -> None:
    """Mark a partial notebook as stopped: a first cell says so, a note under the running cell."""
    import nbformat

    if not notebook.is_file():
        return
    nb = nbformat.read(str(notebook), as_version=4)
    started = [i for i, c in enumerate(nb.cells)
               if c.cell_type == "code" and c.get("execution_count") is not None]
    where = ""
    if started:  # the last cell that started is the one that was running
        cell = nb.cells[started[-1]]
        cell.outputs.append(nbformat.v4.new_output(
            "stream", name="stderr", text=f"retainlib stopped the kernel here: {message}\n"))
        where = f" It was running the cell marked below (cell {started[-1] + 1} of the notebook)."
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(
        f"**retainlib stopped this notebook: the report {message}.**{where} "
        "The cells above that one show what ran until then."))
    nbformat.write(nb, str(notebook))


def _pdf(page: Path, deadline: _Deadline, timings: dict, errors: list[str], what: str) -> None:
    """Print ``page`` to the PDF beside it; a failure is one more error of the client's row."""
    deadline.check()
    t0 = time.perf_counter()
    try:
        print_pdf(page, page.with_suffix(".pdf"), timeout=max(1.0, deadline.left()))
    except RetainlibError as exc:
        errors.append(f"{what}: {one_line(exc)}")
    timings["pdf"] += time.perf_counter() - t0


def _segment_heading(column: str, value: str, lang: str) -> str:
    """A segment report's heading as its page's h1 writes it: 'North region'."""
    heading = segment_title((column, value), lang)
    return heading[:1].upper() + heading[1:]


def _segments(cfg, work: Path, params: dict, values: dict, limit: int, deadline: _Deadline,
              timings: dict, km, pdf: bool = False) -> tuple[list[str], list[str]]:
    """Render segments/<column>-<value>.html (and .pdf) for the most common values.

    Returns the errors and the ``column=value`` segments left out by ``limit``.
    A segment notebook that failed stays in ``segments/`` (as ``.ipynb``).
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
            deadline.check()
            t0 = time.perf_counter()
            try:
                execute(notebook_path("segment"), nb_out,
                        {"config": params["config"], "segment": str(column), "value": str(value),
                         "cache": params["cache"]}, cwd=work, timeout=deadline.left() + 30,
                        km=km)
                t1 = time.perf_counter()
                heading = _segment_heading(column, value, cfg.language)
                render_html(nb_out, folder / f"{slug}.html", lang=cfg.language,
                            title=text("shell.segment_page_title", cfg.language,
                                       client=cfg.client, segment=heading))
                timings["segments_papermill"] += t1 - t0
                timings["segments_nbconvert"] += time.perf_counter() - t1
                nb_out.unlink()  # kept only when it failed, for the audit
            except PapermillExecutionError as exc:
                errors.append(f"segment {column}={value}: {execution_error(exc)}")
                continue
            if pdf:
                _pdf(folder / f"{slug}.html", deadline, timings, errors,
                     f"segment {column}={value}: {slug}.pdf")
    return errors, skipped


def _render(cfg, work: Path, row: dict, *, segments: bool, max_segment_values: int,
            deadline: _Deadline, km, pdf: bool = False) -> None:
    """Run and render the client report and its segment reports inside ``work``."""
    timings = row["timings"]
    # the segment reports reuse the client's models through a pickle; none without them
    cache = work / ".analysis.pkl" if segments and max_segment_values > 0 else ""
    params = {"config": str(_config_file(cfg, work)), "output_dir": str(work),
              "cache": str(cache)}
    deadline.check()
    t0 = time.perf_counter()
    execute(notebook_path("report"), work / "report.ipynb", params, cwd=work,
            timeout=deadline.left() + 30, km=km)
    t1 = time.perf_counter()
    render_html(work / "report.ipynb", work / "report.html", lang=cfg.language,
                title=text("shell.page_title", cfg.language, client=cfg.client))
    timings.update(papermill=t1 - t0, nbconvert=time.perf_counter() - t1)
    errors: list[str] = []
    if pdf:
        _pdf(work / "report.html", deadline, timings, errors, "report.pdf")
    if segments:
        metrics = json.loads((work / "metrics.json").read_text(encoding="utf-8"))
        seg_errors, row["segments_skipped"] = _segments(
            cfg, work, params, metrics.get("segments") or {}, max_segment_values, deadline,
            timings, km, pdf=pdf)
        errors += seg_errors
    if errors:
        row.update(status="partial", error="; ".join(errors))
    deadline.check()
    row["segments"] = sorted(f"{row['slug']}/segments/{p.name}"
                             for p in (work / "segments").glob("*.html")) \
        if (work / "segments").is_dir() else []
    _drop_cache(work)


def _drop_cache(work: Path) -> None:
    """Remove the analysis cache of the segment reports and an engine's lines beside it (ours)."""
    (work / ".analysis.pkl").unlink(missing_ok=True)
    shutil.rmtree(work / ".analysis.pkl.lines", ignore_errors=True)


def _failed(work: Path, row: dict, exc: BaseException, deadline: _Deadline) -> None:
    """Mark ``row`` failed with one line; keep the notebooks that show why (and a traceback)."""
    from papermill.exceptions import PapermillExecutionError

    slug = row["slug"]
    keep = {"report.ipynb", "client_config.yaml",
            *(f"segments/{p.name}" for p in (work / "segments").glob("*.ipynb"))} \
        if (work / "segments").is_dir() else {"report.ipynb", "client_config.yaml"}
    keep |= {n for n in HISTORY_FILES if (work / n).is_file()}  # the history outlives a failure
    if deadline.expired or isinstance(exc, _TimedOut):
        error = deadline.message()
        for nb in keep:
            if nb.endswith(".ipynb"):
                _timeout_banner(work / nb, error)
    elif isinstance(exc, PapermillExecutionError):
        error = execution_error(exc)
    elif isinstance(exc, RetainlibError):
        error = one_line(exc) or type(exc).__name__
    else:
        (work / "traceback.txt").write_text(
            "".join(traceback.format_exception(exc)), encoding="utf-8")
        keep.add("traceback.txt")
        error = (f"internal error: {execution_error(exc)} (full traceback in "
                 f"{slug}/traceback.txt)")
    row.update(status="failed", error=error, segments=[],
               report=f"{slug}/report.ipynb" if (work / "report.ipynb").is_file() else "")
    _keep_only(work, keep)


def run_client(cfg, out: str | Path, *, segments: bool = True, max_segment_values: int = 10,
               timeout: float = DEFAULT_TIMEOUT, pdf: bool = False) -> dict:
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
    timeout : float, default 3600
        Seconds the whole client may take (its report and segment reports).
        When they pass, the kernel is killed and the client fails with "timed
        out after N s"; the partial notebook is kept.
    pdf : bool, default False
        Also print ``report.pdf`` beside ``report.html`` (and a PDF beside
        each segment report) with headless Chromium
        (:mod:`retainlib.report.pdf`). A PDF that cannot be printed makes the
        client 'partial', with the reason in ``error``.

    Returns
    -------
    dict
        ``client``, ``slug``, ``status`` ('ok', 'partial' when a segment report
        failed, 'failed'), ``seconds``, ``error`` (one line, empty when ok),
        ``report`` (path of report.html relative to OUT, or of report.ipynb when
        failed), ``segments`` (relative paths of the segment reports),
        ``segments_skipped`` (``column=value`` of the values beyond
        ``max_segment_values``, which get no report of their own) and
        ``timings`` (seconds in papermill, nbconvert and printing PDFs).

    Raises
    ------
    OutputError
        ``OUT`` is a file, ``OUT/<slug>`` holds something retainlib did not
        write, or another run of the same client is writing it right now
        (nothing is run or changed).
    ReportError
        ``pdf`` is asked for and Chromium is not installed (nothing is run).
    """
    t_start = time.perf_counter()
    if pdf:
        find_chromium()  # refused before anything runs: the message says how to install it
    out = _outputs.output_root(out, create=False)
    slug = slugify(cfg.client, "client")
    final = out / slug
    _check_inputs_outside(cfg, final)
    accept_edits(final)  # the history retainlib wrote there, corrected by hand, is retainlib's
    if getattr(cfg, "history", None) is not None:  # one the run could not add its row to: now
        check_history(cfg.history)
    _outputs.check_replaceable(final, client=cfg.client)  # refused: nothing was changed
    out = _outputs.output_root(out)
    with _outputs.folder_lock(out, slug, str(final)):
        _clean_stale(out, slug)
        work = _work_folder(out, slug)
        _carry_history(cfg, final, work)
        row = {"client": cfg.client, "slug": slug, "status": "ok", "error": "",
               "report": f"{slug}/report.html", "segments": [], "segments_skipped": [],
               "timings": {"papermill": 0.0, "nbconvert": 0.0, "segments_papermill": 0.0,
                           "segments_nbconvert": 0.0, "pdf": 0.0}}
        deadline = _Deadline(timeout)
        km = kernel_manager()  # one kernel for the client report and its segment reports
        log = (work / ".kernel.log").open("wb")  # the kernel's own stdout/stderr
        timer = None
        try:
            start_kernel(km, cwd=work, log=log)
            timer = deadline.watch(km)
            _render(cfg, work, row, segments=segments, max_segment_values=max_segment_values,
                    deadline=deadline, km=km, pdf=pdf)
        except Exception as exc:  # the client fails, the batch goes on
            _failed(work, row, exc, deadline)
        finally:
            if timer is not None:
                timer.cancel()
            if km.has_kernel:
                shutdown_kernel(km)
            log.close()
            (work / ".kernel.log").unlink(missing_ok=True)
        try:
            _publish(work, final, slug, cfg.client)
        except OutputError as exc:  # something not ours appeared there while we ran
            raise OutputError(f"{exc}; this run's report is in {work}") from None
    row["seconds"] = round(time.perf_counter() - t_start, 2)
    return row
