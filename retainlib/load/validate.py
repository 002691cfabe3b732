"""The data check behind ``retain validate``: a client's files read and summarised.

The reading and the row accounting are done by
:func:`retainlib.load.transactions.read_transactions` and, for a config with
``survey:``, :func:`retainlib.load.survey.read_survey` (as the analysis reads
them); :func:`validate_source` chooses the source (a client config or a data
file with canonical column names) and summarises. The command that prints the
summary is :func:`retainlib.cli.validate_command`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from retainlib.errors import DataError, RetainlibError, one_line

__all__ = ["validate_source"]

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
        :meth:`retainlib.load.transactions.LoadReport.summary` plus ``client`` and ``config``
        (None for a data file), ``survey`` (the survey file's
        :meth:`retainlib.load.survey.SurveyReport.summary` for a config with
        ``survey:``, else None), ``warnings`` (messages of data warnings raised
        while loading, such as a likely day/month mix-up) and ``text`` (the
        readable report).

    Raises
    ------
    RetainlibError
        Invalid config, unreadable file, absent column, or no usable row.
    """
    from retainlib.config.client import load_config
    from retainlib.load.survey import read_survey
    from retainlib.load.transactions import read_client, read_transactions

    path = Path(source)
    survey = None
    if path.exists() and not path.is_file():  # reading a pipe would wait forever
        raise DataError(f"{path} is not a regular file; name the export or the config itself")
    reading = path  # the file being read when something unexpected happens
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if path.suffix.lower() in CONFIG_SUFFIXES:
                cfg = load_config(path)
                client, config = cfg.client, str(cfg.source)
                reading = cfg.data
                _, report = read_client(cfg)
                if cfg.survey is not None:  # read as retainlib.report.analysis reads it
                    s = cfg.survey
                    reading = s.data
                    _, survey = read_survey(s.data, columns=s.columns, **s.read)
            else:
                client, config = None, None
                _, report = read_transactions(path)
    except (RetainlibError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file must still give one line, not a traceback
        detail = one_line(str(exc).split("\n", 1)[0][:200])
        raise DataError(
            f"{Path(reading).name} could not be read ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}); check that it is a CSV, Excel or Parquet "
            "export and export it again"
        ) from exc
    summary = {"client": client, "config": config, **report.summary()}
    summary["survey"] = None if survey is None else survey.summary()
    summary["warnings"] = [str(w.message) for w in caught]
    title = f"{client}: " if client else ""
    summary["text"] = title + report.to_text() + ("" if survey is None else
                                                  "\n\n" + survey.to_text())
    return summary
