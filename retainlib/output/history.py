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
manifest, and never over a file retainlib did not write. The history is
meant to be corrected by hand (the row of a wrong run deleted, the file
opened and saved in Excel): a history file retainlib wrote and someone
changed since is read back, every line checked (:func:`read_history`, dates
ISO or day first), and kept (:func:`accept_edits`); a line that does not read
is named with its fix, before the run (:func:`check_history`). Headers are the
canonical names (the files are read back by retainlib); customer ids are safe
to open in a spreadsheet and read back unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from retainlib.analytics.history import HEADLINE
from retainlib.errors import DataError
from retainlib.load import read_raw
from retainlib.output import folders as _outputs
from retainlib.output.cells import CSV_LINE_END, formula_mask, protect_formulas

__all__ = ["HISTORY", "LIST_COLUMNS", "RUN_COLUMNS", "accept_edits", "add_run", "check_history",
           "history_files", "lists_path", "read_history"]

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


def _read(path: Path, key: str, columns: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray]:
    """A history file as text (empty without the file) and each row's line in it."""
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), np.array([], int)
    try:
        raw = read_raw(path)
    except DataError as exc:
        raise DataError(f"the history file {path} cannot be read ({exc}); delete it, or point "
                        "history: at another file, to start a new history") from None
    if key not in raw.frame.columns:
        raise DataError(f"the history file {path} has no {key!r} column, so retainlib did "
                        "not write it; point history: at another file or move it away")
    frame = raw.frame.astype(object).where(raw.frame.notna(), "")
    return frame.reset_index(drop=True), raw.lines


def _dates(values: pd.Series) -> pd.Series:
    """Dates as retainlib writes them (2025-10-31), or as Excel saves them, day first (31/10/2025).

    >>> _dates(pd.Series(["2025-10-31", "31/10/2025", "31.10.2025", "Oct"])).dt.day.tolist()
    [31.0, 31.0, 31.0, nan]
    """
    out = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    for fmt in ("%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        out = out.fillna(pd.to_datetime(values, format=fmt, errors="coerce"))
    return out


def _check(path: Path, lines: np.ndarray, bad: np.ndarray, column: str, values: pd.Series,
           what: str) -> None:
    """DataError naming the first line whose ``column`` is not ``what`` (a hand edit gone wrong)."""
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        more = int(bad.sum()) - 1
        also = f" (and {more:,} more line{'s' if more > 1 else ''})" if more else ""
        raise DataError(f"line {int(lines[i])} of the history file {path}: {column} "
                        f"{values.iloc[i]!r} is not {what}{also}; correct it or delete the line")


def _unprotect(values: pd.Series) -> pd.Series:
    """Customer ids as written before :func:`protect_formulas` added a leading ``'``."""
    quoted = values.str.startswith("'").to_numpy(dtype=bool)
    rest = values.str[1:]
    undo = quoted & formula_mask(rest)
    return values.where(~undo, rest)


def read_history(history: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The runs and the at-risk lists kept so far (empty frames when there is no history yet).

    The files may have been edited by hand (a wrong run deleted, a figure
    corrected, or opened and saved again in Excel: another encoding, dates
    day first): each line is checked, and the first that cannot be read is
    named with the fix.

    Returns
    -------
    runs : DataFrame
        One row per run: :data:`RUN_COLUMNS` (``observation_end`` a date,
        the figures floats, NaN where a run had none).
    lists : DataFrame
        ``list_date`` (date), ``customer_id`` (str), ``group``.

    Raises
    ------
    DataError
        A file cannot be read, lacks its date column (retainlib did not write
        it), or a line has a date or figure that is not one (the line named).
    """
    history = Path(history)
    runs, lines = _read(history, "observation_end", RUN_COLUMNS)
    for name in RUN_COLUMNS:
        if name not in runs.columns:
            runs[name] = ""
    text = runs["observation_end"].astype(str).str.strip()
    runs["observation_end"] = _dates(text)
    _check(history, lines, runs["observation_end"].isna().to_numpy(), "observation_end", text,
           "a date such as 2025-10-31")
    for name in HEADLINE:
        cells = runs[name].astype(str).str.strip()
        runs[name] = pd.to_numeric(cells, errors="coerce")
        _check(history, lines, (runs[name].isna() & (cells != "")).to_numpy(), name, cells,
               "a number")
    path = lists_path(history)
    lists, lines = _read(path, "list_date", LIST_COLUMNS)
    for name in LIST_COLUMNS:
        if name not in lists.columns:
            raise DataError(f"the history file {path} has no {name!r} column, so retainlib "
                            "did not write it; point history: at another file or move it away")
    text = lists["list_date"].astype(str).str.strip()
    lists["list_date"] = _dates(text)
    _check(path, lines, lists["list_date"].isna().to_numpy(), "list_date", text,
           "a date such as 2025-10-31")
    lists["customer_id"] = _unprotect(lists["customer_id"].astype(str).str.strip())
    return (runs[list(RUN_COLUMNS)].reset_index(drop=True),
            lists[list(LIST_COLUMNS)].reset_index(drop=True))


def accept_edits(folder: str | Path, history: str | Path = HISTORY) -> list[str]:
    """Take the history files retainlib wrote in ``folder``, edited since, as retainlib's again.

    A consultant may correct the history by hand (delete the row of a wrong
    run, fix a figure, open and save it in Excel). retainlib refuses to
    replace a file it wrote that changed since; for the history it reads
    the file back instead (:func:`read_history`, every line checked) and, if
    it reads, records it again in the folder's manifest, so this run adds its
    row to it. A history file retainlib never wrote (not in the manifest)
    stays refused.

    Returns
    -------
    list of str
        The names recorded again.

    Raises
    ------
    DataError
        An edited file cannot be read as a history (the line is named).
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    ours = set(_outputs.owned_files(folder))
    names = [n for n in history_files(history)
             if n in ours and (folder / n).is_file() and not (folder / n).is_symlink()]
    if names:
        read_history(folder / Path(history).name)
        _outputs.record(folder, names)
    return names


def check_history(history: str | Path) -> None:
    """Refuse, before a run, a history it could not add its row to (a config's ``history:``).

    Its folder must exist; a history file there that retainlib did not write
    is refused (:class:`retainlib.errors.OutputError`), one edited by hand is
    taken back if every line reads (:func:`accept_edits`), else DataError
    names the line.
    """
    history = Path(history)
    folder = history.parent
    if not folder.is_dir():
        raise DataError(f"the folder of the history file {history} does not exist; create it "
                        "or fix history: in the client config")
    accept_edits(folder, history)  # a history corrected by hand is still the client's history
    _outputs.check_writable(folder, history_files(history))
    read_history(history)


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
    check_history(history)
    names = history_files(history)
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
