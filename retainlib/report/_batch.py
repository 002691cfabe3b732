"""Batch runs: the clients of a batch file rendered in parallel worker processes.

The batch file and its checks are :mod:`retainlib.config.batch`; here each
client runs isolated (whatever goes wrong is its failed row), and the batch
ends with ``OUT/batch_summary.csv`` and the portfolio page ``OUT/index.html``
(with ``pdf=True`` also ``OUT/index.pdf`` and a ``report.pdf`` beside every
``report.html``).
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from retainlib._slug import slugify
from retainlib.config.batch import failed_row, parse_batch
from retainlib.output import folders as _outputs
from retainlib.output.cells import CSV_LINE_END, protect_text
from retainlib.report._client import DEFAULT_TIMEOUT, run_client

__all__ = ["run_batch", "summary_csv"]
SUMMARY_COLUMNS = ("client", "status", "seconds", "error")


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _run_one(cfg, out: str | Path, options: dict) -> dict:
    """One client, isolated: whatever goes wrong becomes a failed row, never an exception."""
    options = dict(options)
    if options.get("timeout") is None:
        options["timeout"] = cfg.timeout if cfg.timeout is not None else DEFAULT_TIMEOUT
    try:
        return run_client(cfg, out, **options)
    except Exception as exc:  # noqa: BLE001 - the batch goes on
        return failed_row(cfg.client, exc)


def _job(cfg, out: str, options: dict, threads: int) -> dict:
    """Worker entry point (a top-level function, picklable for spawn).

    The worker's kernels share the cores with the other workers: their BLAS and
    Arrow thread pools get ``threads`` threads (unless the user set the
    variables), so N workers do not each start one thread per core.
    """
    from retainlib.report._runner import quiet_notebook_logs

    for var in _THREAD_VARS:
        os.environ.setdefault(var, str(threads))
    quiet_notebook_logs()  # the row says what went wrong; nothing to interleave on stderr
    return _run_one(cfg, out, options)


def summary_csv(rows: list[dict]) -> str:
    """batch_summary.csv text: client, status, seconds, error (texts safe from spreadsheets)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore",
                       lineterminator=CSV_LINE_END)
    w.writeheader()
    w.writerows({k: protect_text(r.get(k, "")) for k in SUMMARY_COLUMNS} for r in rows)
    return buf.getvalue()


def _check_outputs(out: Path, configs: list, pdf: bool = False) -> None:
    """Refuse before anything runs when a client folder or a page would replace what is not ours."""
    _outputs.check_writable(out, ROOT_FILES + (PDF_FILES if pdf else ()))
    for cfg in configs:
        _outputs.check_replaceable(out / slugify(cfg.client, "client"), client=cfg.client)


#: files retainlib writes at the top of OUT for a batch
ROOT_FILES = ("index.html", "batch_summary.csv")
#: and with ``pdf=True``
PDF_FILES = ("index.pdf",)


def run_batch(batch: str | Path | Mapping, out: str | Path, *, workers: int | None = None,
              progress: bool = False, segments: bool = True, max_segment_values: int = 10,
              timeout: float | None = None, pdf: bool = False,
              language: str | None = None,
              engine: str | None = None) -> tuple[int, list[dict]]:
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
    segments, max_segment_values :
        As in :func:`retainlib.report.run_report`.
    timeout : float, optional
        Seconds each client may take; default the client's ``timeout:`` key
        (which the batch's ``timeout:`` or ``defaults:`` can set), else 3600.
    pdf : bool, default False
        Also print ``report.pdf`` beside every ``report.html`` (segment
        reports too) and ``OUT/index.pdf``, with headless Chromium
        (:mod:`retainlib.report.pdf`).
    language : {'en', 'he'}, optional
        Language of every client's reports and of the portfolio page; default
        each client's ``language:`` key (which ``defaults:`` can set), and for
        the portfolio page the language all clients share, else English.
    engine : {'pandas', 'duckdb', 'spark'}, optional
        What reads and reduces every client's transactions; default each
        client's ``engine:`` key.

    Returns
    -------
    exit_code : int
        0 when every client succeeded, 1 when some failed.
    rows : list of dict
        One per client, in batch order (see :func:`retainlib.report.run_report`).
        Whatever goes wrong with one client (an invalid config, an error, a
        timeout) is a failed row with a one-line reason; the others run.

    Raises
    ------
    ReportError
        Invalid batch file (the CLI exits with 2).
    OutputError
        ``OUT`` is a file, or a client folder, ``index.html`` or
        ``batch_summary.csv`` there holds something retainlib did not write
        (nothing is run).
    ReportError
        Also when ``pdf`` is asked for and Chromium is not installed (nothing
        is run), or when it cannot print ``index.pdf``.
    """
    from tqdm import tqdm

    from retainlib.report._portfolio import write_index
    from retainlib.report.pdf import find_chromium, print_pdf

    configs, failed = parse_batch(batch)
    configs = [cfg.in_language(language).with_engine(engine) for cfg in configs]
    page_lang = language or (configs[0].language if configs and len(
        {cfg.language for cfg in configs}) == 1 else "en")
    out = _outputs.output_root(out, create=False)
    _check_outputs(out, configs, pdf)  # refused: nothing was changed
    if pdf:
        find_chromium()  # missing: refused before anything runs, saying how to install it
    out = _outputs.output_root(out)
    options = {"segments": segments, "max_segment_values": max_segment_values,
               "timeout": timeout, "pdf": pdf}
    workers = max(1, min(int(workers or os.cpu_count() or 1), len(configs) or 1))
    done: dict[str, dict] = {}
    bar = tqdm(total=len(configs), desc="clients", unit="client", file=sys.stderr,
               disable=not progress)
    if workers == 1:
        for cfg in configs:
            done[cfg.client] = _run_one(cfg, out, options)
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
                except Exception as exc:  # noqa: BLE001 - a worker that died: that client failed
                    row = failed_row(cfg.client, exc)
                    row["error"] = f"worker process failed: {row['error']}"
                    done[cfg.client] = row
                bar.update()
    bar.close()
    # back in batch order: failed configs at their own positions, the others in between
    taken = {r["position"] for r in failed}
    free = [i for i in range(len(configs) + len(failed)) if i not in taken]
    by_position = {r["position"]: r for r in failed}
    by_position.update({pos: done[cfg.client] for pos, cfg in zip(free, configs, strict=True)})
    rows = [by_position[i] for i in sorted(by_position)]
    with _outputs.folder_lock(out, "index.html", str(out / "index.html")):  # no slug has a dot
        _outputs.write_text(out / "batch_summary.csv", summary_csv(rows))
        write_index(out, rows, lang=page_lang)
        if pdf:
            print_pdf(out / "index.html", out / "index.pdf")
    return (0 if all(r["status"] == "ok" for r in rows) else 1), rows
