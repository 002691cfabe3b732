"""The client's history across runs: ``history.csv`` and ``history_at_risk.csv``.

Every run of a client adds one row of headline figures to ``history.csv``
(its ``observation_end``, when it ran, and the figures of
:data:`retainlib.analytics.history.HEADLINE`) and its at-risk list (with the
suggested campaign group of each customer) to ``history_at_risk.csv`` beside
it. A run with the same ``observation_end`` as a kept row replaces that row
(the same report made again is not a new month). The next run reads both to
say what changed since (:mod:`retainlib.analytics.history`).

Where: ``OUT/<client>/history.csv`` by default (the report runner carries it
over when it publishes the next report into the same ``--out``), or the file
the config's ``history:`` key names, so monthly runs into dated folders share
one history. The files are written like every retainlib file
(:mod:`retainlib.output.folders`): atomically, recorded in their folder's
manifest, and never over a file retainlib did not write. Headers are the
canonical names (the files are read back by retainlib); customer ids are safe
to open in a spreadsheet and read back unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from retainlib.analytics.history import HEADLINE
from retainlib.errors import DataError
from retainlib.output import folders as _outputs
from retainlib.output.cells import CSV_LINE_END, formula_mask, protect_formulas

__all__ = ["HISTORY", "LIST_COLUMNS", "RUN_COLUMNS", "add_run", "history_files", "lists_path",
           "read_history"]

#: the default file name of the history, in the client's report folder
HISTORY = "history.csv"
#: columns of history.csv
RUN_COLUMNS = ("observation_end", "run_at", "client", "currency", *HEADLINE)
#: columns of history_at_risk.csv
LIST_COLUMNS = ("list_date", "customer_id", "group")


def lists_path(history: str | Path) -> Path:
    """The at-risk lists' file beside a history file: ``history.csv`` -> ``history_at_risk.csv``."""
    history = Path(history)
    return history.with_name(f"{history.stem}_at_risk{history.suffix or '.csv'}")


def history_files(history: str | Path = HISTORY) -> tuple[str, str]:
    """The names of the two history files (for a folder's list of retainlib's files)."""
    history = Path(history)
    return history.name, lists_path(history).name


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"the history file {path} cannot be read ({exc}); move it away to start "
                        "a new history") from None
    missing = [c for c in ("observation_end" if "observation_end" in columns else "list_date",
                           ) if c not in df.columns]
    if missing:
        raise DataError(f"the history file {path} has no {missing[0]!r} column, so retainlib did "
                        "not write it; point history: at another file or move it away")
    return df


def _unprotect(values: pd.Series) -> pd.Series:
    """Customer ids as written before :func:`protect_formulas` added a leading ``'``."""
    quoted = values.str.startswith("'").to_numpy(dtype=bool)
    rest = values.str[1:]
    undo = quoted & formula_mask(rest)
    return values.where(~undo, rest)


def read_history(history: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs and the at-risk lists kept so far (empty frames when there is no history yet).

    Returns
    -------
    runs : DataFrame
        One row per run: :data:`RUN_COLUMNS` (``observation_end`` a date,
        the figures floats, NaN where a run had none).
    lists : DataFrame
        ``list_date`` (date), ``customer_id`` (str), ``group``.
    """
    history = Path(history)
    runs = _read(history, RUN_COLUMNS)
    runs["observation_end"] = pd.to_datetime(runs["observation_end"], errors="coerce")
    for name in HEADLINE:
        runs[name] = pd.to_numeric(runs[name], errors="coerce") if name in runs.columns \
            else float("nan")
    lists = _read(lists_path(history), LIST_COLUMNS)
    lists["list_date"] = pd.to_datetime(lists["list_date"], errors="coerce")
    lists["customer_id"] = _unprotect(lists["customer_id"].astype(str))
    return runs.dropna(subset=["observation_end"]).reset_index(drop=True), lists


def _csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    protect_formulas(df).to_csv(buf, index=False, lineterminator=CSV_LINE_END,
                                date_format="%Y-%m-%d")
    return "\ufeff" + buf.getvalue()


def add_run(history: str | Path, metrics: Mapping, at_risk: pd.Series, *,
            run_at: pd.Timestamp | None = None) -> list[Path]:
    """Add this run (its headline figures and at-risk list) to the history; the files written.

    Parameters
    ----------
    history : str or pathlib.Path
        The history file (``history.csv``); its folder must exist.
    metrics : mapping
        ``metrics.json`` of the run (``observation_end``, ``client``,
        ``currency`` and the :data:`HEADLINE` figures).
    at_risk : pandas.Series
        The run's at-risk list: the suggested group per customer id.
    run_at : Timestamp, optional
        When the run was made (default now).

    Raises
    ------
    OutputError
        A history file exists that retainlib did not write (nothing is written).
    """
    history = Path(history)
    folder = history.parent
    if not folder.is_dir():
        raise DataError(f"the folder of the history file {history} does not exist; create it "
                        "or fix history: in the client config")
    names = history_files(history)
    _outputs.check_writable(folder, names)
    runs, lists = read_history(history)
    end = pd.Timestamp(metrics["observation_end"])
    row = {"observation_end": end, "client": metrics.get("client"),
           "currency": metrics.get("currency"),
           "run_at": (run_at or pd.Timestamp.now()).strftime("%Y-%m-%d %H:%M"),
           **{k: metrics.get(k) for k in HEADLINE}}
    runs = runs[(runs["observation_end"] != end).to_numpy()]
    runs = pd.concat([runs, pd.DataFrame([row])], ignore_index=True)
    runs = runs.sort_values("observation_end", kind="stable")[list(RUN_COLUMNS)]
    new = pd.DataFrame({"list_date": end, "customer_id": at_risk.index.astype(str),
                        "group": at_risk.to_numpy(dtype=object)})
    lists = lists[(lists["list_date"] != end).to_numpy()]
    lists = pd.concat([lists, new], ignore_index=True).sort_values("list_date", kind="stable")
    return [_outputs.write_text(folder / name, _csv(frame))
            for name, frame in zip(names, (runs, lists[list(LIST_COLUMNS)]), strict=True)]
