"""The files of an engine's Parquet source, and the time zones of their timestamp columns.

A source is a file, a folder (its ``*.parquet`` files, in subfolders too) or a
glob. Files and folders whose names start with ``_`` or ``.`` are left out,
as Spark and Hadoop leave them out (``_SUCCESS``, ``_temporary/``, ``.crc``
files, a job's unfinished output).

A timestamp column stored with a time zone (``timestamp[us, tz=Asia/Jerusalem]``)
holds instants; the pandas loader reads each as the clock time in that zone
(01:30 in Jerusalem on 1 March stays 1 March), so the engines read it in the
same zone (:func:`time_zones`, :func:`session_zone`) rather than in UTC.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path

from retainlib.errors import DataError

__all__ = ["parquet_files", "session_zone", "time_zones"]


def _hidden(path: Path, root: Path) -> bool:
    """Whether a part of ``path`` below ``root`` starts with '_' or '.'."""
    return any(part.startswith(("_", ".")) for part in path.relative_to(root).parts)


def parquet_files(source: str | Path) -> list[str]:
    """The Parquet files of ``source`` (a file, a folder or a glob), sorted.

    Raises
    ------
    DataError
        A folder or glob without any Parquet file.
    """
    text = str(source)
    path = Path(text)
    if path.is_dir():
        files = [p for p in sorted(path.rglob("*.parquet")) if p.is_file() and not _hidden(p, path)]
        where = f"folder {path}"
    elif any(ch in text for ch in "*?["):
        files = [Path(p) for p in sorted(glob.glob(text, recursive=True))
                 if Path(p).is_file() and not Path(p).name.startswith(("_", "."))]
        where = f"glob {text}"
    else:
        return [text]
    if not files:
        raise DataError(f"the {where} holds no Parquet file (names starting with _ or . are "
                        "left out); point data: at .parquet files")
    return [str(p) for p in files]


def time_zones(files: list[str]) -> dict[str, str]:
    """Column -> time zone of the first file's timestamp columns that have one."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(files[0])
    except (OSError, pa.ArrowException):
        return {}  # not readable here: the engine's own error names the file
    return {f.name: f.type.tz for f in schema
            if pa.types.is_timestamp(f.type) and f.type.tz is not None}


def session_zone(tz: str) -> str:
    """A time zone as the engines' session setting takes it: '+02:00' -> 'GMT+02:00'.

    >>> session_zone("+02:00"), session_zone("Asia/Jerusalem")
    ('GMT+02:00', 'Asia/Jerusalem')
    """
    return f"GMT{tz}" if re.fullmatch(r"[+-]\d{2}:\d{2}", tz) else tz
