"""``retain validate``: read a client's data and print the load report.

Presentation layer only: the reading and the accounting are done by
:func:`retainlib.io.read_transactions` and, for a config with ``survey:``,
:func:`retainlib.survey_io.read_survey` (as the analysis reads them); this
module chooses the source (a client config or a data file with canonical
column names) and prints.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path

from retainlib.errors import DataError, RetainlibError

__all__ = ["validate_command", "validate_source"]

CONFIG_SUFFIXES = {".yaml", ".yml"}


def validate_source(source: str | Path) -> dict:
    """Load a config's data (or a canonical data file) and summarise it.

    Parameters
    ----------
    source : str or pathlib.Path
        A client config (``.yaml``/``.yml``) or a CSV/Excel/Parquet file whose
        columns are named ``customer_id``, ``date``, ``amount`` (and optionally
        ``order_id``).

    Returns
    -------
    dict
        :meth:`retainlib.io.LoadReport.summary` plus ``client`` and ``config``
        (None for a data file), ``survey`` (the survey file's
        :meth:`retainlib.survey_io.SurveyReport.summary` for a config with
        ``survey:``, else None), ``warnings`` (messages of data warnings raised
        while loading, such as a likely day/month mix-up) and ``text`` (the
        readable report).

    Raises
    ------
    RetainlibError
        Invalid config, unreadable file, absent column, or no usable row.
    """
    from retainlib.config import load_config
    from retainlib.io import read_client, read_transactions
    from retainlib.survey_io import read_survey

    path = Path(source)
    survey = None
    if path.exists() and not path.is_file():  # reading a pipe would wait forever
        raise DataError(f"{path} is not a regular file; name the export or the config itself")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if path.suffix.lower() in CONFIG_SUFFIXES:
                cfg = load_config(path)
                client, config = cfg.client, str(cfg.source)
                _, report = read_client(cfg)
                if cfg.survey is not None:  # read as retainlib.analysis reads it
                    s = cfg.survey
                    _, survey = read_survey(s.data, columns=s.columns, **s.read)
            else:
                client, config = None, None
                _, report = read_transactions(path)
    except (RetainlibError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file must still give one line, not a traceback
        raise DataError(
            f"{path.name} could not be read ({type(exc).__name__}: {exc}); "
            "check that it is a CSV, Excel or Parquet export and export it again"
        ) from exc
    summary = {"client": client, "config": config, **report.summary()}
    summary["survey"] = None if survey is None else survey.summary()
    summary["warnings"] = [str(w.message) for w in caught]
    title = f"{client}: " if client else ""
    summary["text"] = title + report.to_text() + ("" if survey is None else
                                                  "\n\n" + survey.to_text())
    return summary


def validate_command(source: str | Path, *, as_json: bool = False) -> int:
    """Run ``retain validate``: print the report; return the exit code.

    Prints the readable report, or with ``as_json`` one JSON object with
    ``rows_read``, ``rows_kept``, ``rows_rejected``, ``rejected`` (reason ->
    count), ``duplicates``, ``customers``, ``first_date``, ``last_date``,
    ``revenue``, ``returns`` (rows with a negative amount), ``survey`` and more
    (see :func:`validate_source`). Returns 0 when the data are usable.

    Errors: without ``as_json`` they are raised as
    :class:`retainlib.errors.RetainlibError` for the CLI to print in one line
    (exit 2); with ``as_json`` stdout still gets one JSON object,
    ``{"error": "<the message>"}``, and the return value is 2. The JSON is
    strict: numbers that are not finite are written as null.
    """
    try:
        summary = validate_source(source)
    except (RetainlibError, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        if not as_json:
            raise
        _print_json({"error": str(exc)})
        return 2
    text = summary.pop("text")
    for message in summary["warnings"]:
        sys.stderr.write(f"retain validate: warning: {message}\n")
    if as_json:
        _print_json(summary)
    else:
        sys.stdout.write(text + "\n")
    return 0


def _print_json(obj: dict) -> None:
    sys.stdout.write(json.dumps(_finite(obj), ensure_ascii=False, allow_nan=False) + "\n")


def _finite(obj):
    """``obj`` with every float that is NaN or infinite (nested too) replaced by None."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj
