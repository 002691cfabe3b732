"""Reports: the notebooks run by papermill per client and per segment, rendered to HTML.

Public API
----------
run_report(config, out)
    One client: ``OUT/<client>/report.html``, ``report.ipynb``, ``metrics.json``,
    ``customers.csv``, ``at_risk.csv``, ``rejected_rows.csv``,
    ``segments/<segment>-<value>.html``.
run_batch(batch, out, workers=None)
    Every client of a batch file in parallel, plus ``OUT/index.html`` and
    ``OUT/batch_summary.csv``.
report_command, batch_command, demo_command
    The ``retain report``, ``retain batch`` and ``retain demo`` commands.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from retainlib.report._batch import parse_batch, run_batch
from retainlib.report._client import DEFAULT_TIMEOUT, run_client, slugify
from retainlib.report._html import render_html
from retainlib.report._runner import (
    check_parameters,
    execute,
    kernel_name,
    notebook_parameters,
    notebook_path,
)

__all__ = [
    "batch_command",
    "check_parameters",
    "demo_command",
    "execute",
    "kernel_name",
    "notebook_parameters",
    "notebook_path",
    "parse_batch",
    "render_html",
    "report_command",
    "run_batch",
    "run_client",
    "run_report",
    "slugify",
]


def run_report(config: str | Path | Mapping, out: str | Path = "reports", *,
               segments: bool = True, max_segment_values: int = 10,
               timeout: float | None = None) -> dict:
    """Render one client's report into ``OUT/<client-slug>/``.

    Parameters
    ----------
    config : path, mapping or ClientConfig
        Client config (YAML file or parsed mapping).
    out : path, default 'reports'
        Output root; nothing is written outside it.
    segments : bool, default True
        Also render one report per value of each config segment column.
    max_segment_values : int, default 10
        At most this many values per segment column (most customers first).
    timeout : float, optional
        Seconds the whole client may take, segment reports included; default
        the config's ``timeout:`` key, else 3600. When they pass, the kernel is
        killed and the client fails with "timed out after N s"; its partial
        notebook is kept.

    Returns
    -------
    dict
        ``client``, ``slug``, ``status`` ('ok', 'partial': a segment report
        failed, 'failed'), ``seconds``, ``error``, ``report`` (relative path
        of report.html, or of the executed report.ipynb when failed),
        ``segments`` and ``timings``.

    Raises
    ------
    ConfigError
        Invalid client config (nothing is run).
    OutputError
        ``OUT/<client>`` holds something retainlib did not write, ``out`` is a
        file, or another run is writing the same client folder (nothing is run).

    Examples
    --------
    >>> import retainlib as rl                                    # doctest: +SKIP
    >>> row = rl.run_report("clients/acme.yaml", "reports")       # doctest: +SKIP
    >>> row["status"], row["report"]                              # doctest: +SKIP
    ('ok', 'acme/report.html')
    """
    from retainlib.config import ClientConfig, load_config

    cfg = config if isinstance(config, ClientConfig) else load_config(config)
    if timeout is None:
        timeout = cfg.timeout if cfg.timeout is not None else DEFAULT_TIMEOUT
    return run_client(cfg, out, segments=segments, max_segment_values=max_segment_values,
                      timeout=timeout)


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _skipped_note(command: str, row: dict, limit: int) -> None:
    """Say which segment values got no report of their own (beyond ``limit`` per column)."""
    skipped = row.get("segments_skipped") or []
    if skipped and limit > 0:  # with 0 the user asked for none
        shown = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5
                                          else "")
        _say(f"retain {command}: {row['client']}: segment reports are made for the {limit} "
             f"values with most customers per segment column; no report for {shown} "
             "(they are in the main report's segment tables; raise the limit with "
             "--max-segments)")


def report_command(config: str, *, out: str = "reports", max_segments: int = 10,
                   timeout: float | None = None) -> int:
    """``retain report CONFIG --out DIR``: exit 0 when rendered, 1 when the report failed."""
    row = run_report(config, out, max_segment_values=max_segments, timeout=timeout)
    where = Path(out) / row["report"]
    if row["status"] == "failed":
        kept = f"; executed notebook: {where}" if row["report"] else ""
        _say(f"retain report: {row['client']} failed: {row['error']}{kept}")
        return 1
    print(where)
    _skipped_note("report", row, max_segments)
    if row["status"] == "partial":
        _say(f"retain report: some segment reports failed: {row['error']}")
        return 1
    return 0


def batch_command(batch: str, *, out: str = "reports", workers: int | None = None,
                  max_segments: int = 10, timeout: float | None = None) -> int:
    """``retain batch BATCH --out DIR --workers N``: exit 0 all ok, 1 some failed, 2 invalid."""
    code, rows = run_batch(batch, out, workers=workers, progress=True,
                           max_segment_values=max_segments, timeout=timeout)
    for r in rows:
        if r["status"] != "ok":
            _say(f"retain batch: {r['client']}: {r['status']}: {r['error']}")
        _skipped_note("batch", r, max_segments)
    print(Path(out) / "index.html")
    return code


def demo_command(*, out: str = "reports/demo") -> int:
    """``retain demo --out DIR``: the demo retailer as a batch of one client named demo.

    Writes the demo data into ``DIR/_data/`` and renders ``DIR/index.html`` and
    ``DIR/demo/report.html`` (with its segment reports).
    """
    from retainlib import _outputs
    from retainlib._demo_export import DEMO_FILES
    from retainlib.datasets import write_demo
    from retainlib.report._batch import ROOT_FILES

    root = _outputs.output_root(out, create=False)
    _outputs.check_writable(root, ROOT_FILES)  # refuse before writing 4 MB of demo data
    _outputs.check_replaceable(root / "demo", client="demo")
    _outputs.check_writable(root / "_data", DEMO_FILES)
    cfg = write_demo(Path(out) / "_data")
    code, rows = run_batch({"clients": [str(cfg.resolve())]}, out, workers=1, progress=True)
    for r in rows:
        if r["status"] != "ok":
            _say(f"retain demo: {r['client']}: {r['status']}: {r['error']}")
    print(Path(out) / "index.html")
    print(Path(out) / rows[0]["report"])
    return code
