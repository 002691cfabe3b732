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

The ``retain`` commands that run them live in :mod:`retainlib.cli`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from retainlib._slug import slugify
from retainlib.config.batch import parse_batch
from retainlib.report._batch import ROOT_FILES, run_batch
from retainlib.report._client import DEFAULT_TIMEOUT, run_client
from retainlib.report._html import render_html
from retainlib.report._runner import (
    check_parameters,
    execute,
    kernel_name,
    notebook_parameters,
    notebook_path,
    quiet_notebook_logs,
)

__all__ = [
    "ROOT_FILES",
    "check_parameters",
    "execute",
    "kernel_name",
    "notebook_parameters",
    "notebook_path",
    "parse_batch",
    "quiet_notebook_logs",
    "render_html",
    "run_batch",
    "run_client",
    "run_report",
    "slugify",
]


def run_report(config: str | Path | Mapping, out: str | Path = "reports", *,
               segments: bool = True, max_segment_values: int = 10,
               timeout: float | None = None, pdf: bool = False,
               language: str | None = None, engine: str | None = None) -> dict:
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
    pdf : bool, default False
        Also print every report.html to report.pdf beside it (headless Chromium).
    language : {'en', 'he'}, optional
        Language of the reports and exports; default the config's
        ``language:`` key (English when it has none).
    engine : {'pandas', 'duckdb', 'spark'}, optional
        What reads and reduces the transactions; default the config's
        ``engine:`` key (pandas when it has none).

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
    With a client config on disk (not run as a doctest: it renders a report)::

        import retainlib as rl
        row = rl.run_report("clients/acme.yaml", "reports")
        row["status"], row["report"]     # ('ok', 'acme/report.html')
    """
    from retainlib.config.client import ClientConfig, load_config

    cfg = config if isinstance(config, ClientConfig) else load_config(config)
    cfg = cfg.in_language(language).with_engine(engine)
    if timeout is None:
        timeout = cfg.timeout if cfg.timeout is not None else DEFAULT_TIMEOUT
    return run_client(cfg, out, segments=segments, max_segment_values=max_segment_values,
                      timeout=timeout, pdf=pdf)
