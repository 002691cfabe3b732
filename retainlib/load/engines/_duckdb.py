"""DuckDB, embedded: the client's rows as the view ``rl_source``, queries returned as Arrow.

DuckDB runs in this process (no server). ``memory_limit`` caps what it holds
in memory and ``temp_directory`` is where it spills the rest, so a file
larger than memory is reduced rather than refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa

from retainlib.errors import DataError
from retainlib.load.engines._files import parquet_files, session_zone, time_zones

__all__ = ["DuckDBRunner"]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DuckDBRunner:
    """One DuckDB connection over one source (Parquet file, folder or glob; CSV).

    Parameters
    ----------
    source : pathlib.Path
        A ``.parquet`` file, a folder of them, a glob, or a ``.csv``/``.tsv``/``.txt``
        file (read as text: every cell is checked as the loader checks it).
    options : mapping
        The config's ``duckdb:`` block: ``memory_limit``, ``temp_directory``, ``threads``.
    """

    dialect = "duckdb"

    def __init__(self, source: Path, options: Mapping[str, object]) -> None:
        import duckdb

        settings = {"preserve_insertion_order": False}  # less memory; queries say their order
        for key in ("memory_limit", "temp_directory", "threads"):
            if options.get(key) is not None:
                settings[key] = options[key]
        try:
            self.con = duckdb.connect(config=settings)
        except duckdb.Error as exc:
            raise DataError(f"DuckDB refused its settings {settings}: {exc}; fix the duckdb: "
                            "block of the client config (memory_limit such as '4GB')") from None
        self.name = Path(str(source)).name
        self.zones: dict[str, str] = {}
        self.csv = Path(str(source)).suffix.lower() in (".csv", ".tsv", ".txt")
        # a CSV's separator and header, read once from its first line
        self.separator, header = _csv_header(Path(str(source)), self.name) if self.csv else \
            (",", [])
        try:
            self.con.execute(f"CREATE VIEW rl_source AS SELECT * FROM {self._reader(source)}")
            rel = self.con.sql("SELECT * FROM rl_source LIMIT 0")
        except duckdb.Error as exc:
            self.con.close()
            raise self._refusal(exc) from None
        self.columns = list(rel.columns)
        self.numeric = {c: str(t).upper().split("(")[0] in _NUMERIC
                        for c, t in zip(rel.columns, rel.types, strict=True)}
        self.text = {c: str(t).upper() == "VARCHAR"
                     for c, t in zip(rel.columns, rel.types, strict=True)}
        # a CSV row longer than the header gets cells in columns past the header's (null_padding)
        self.extra_columns = self.columns[max(len(header), 1):] if self.csv else []
        self.floats = {c for c, t in zip(rel.columns, rel.types, strict=True)
                       if str(t).upper() in ("FLOAT", "DOUBLE", "REAL")}

    def _reader(self, source: Path) -> str:
        """The table function that reads ``source`` (Parquet files also give their time zones)."""
        path = Path(str(source))
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv", ".txt"):
            # the separator of the header line, not DuckDB's guess from sampled rows (one
            # ragged row can make it guess a single column); short rows get empty cells
            return (f"read_csv({_literal(str(path))}, header = true, all_varchar = true, "
                    f"delim = {_literal(self.separator)}, quote = '\"', escape = '\"', "
                    "null_padding = true)")
        if not (path.is_dir() or suffix == ".parquet" or any(ch in str(path) for ch in "*?[")):
            raise DataError(f"the duckdb engine reads Parquet and CSV files, not {path.name}; "
                            "use engine: pandas for other exports (Excel, other layouts)")
        files = parquet_files(path)
        self.zones = time_zones(files)
        listed = ", ".join(_literal(f) for f in files)
        return f"read_parquet([{listed}])"  # key=value folders: DuckDB finds them itself

    def local_times(self, column: str) -> None:
        """Read ``column``'s instants as clock times of its own time zone (if it has one)."""
        if column in self.zones:
            self.execute(f"SET TimeZone = {_literal(session_zone(self.zones[column]))}")

    def execute(self, sql: str) -> None:
        """Run a statement (a view definition)."""
        import duckdb

        try:
            self.con.execute(sql)
        except duckdb.Error as exc:
            raise self._refusal(exc) from None

    def query(self, sql: str) -> pa.Table:
        """The result of ``sql`` as an Arrow table."""
        import duckdb

        try:
            return self.con.sql(sql).to_arrow_table()
        except duckdb.Error as exc:
            raise self._refusal(exc) from None

    def store(self, sql: str, path: Path) -> None:
        """Write the result of ``sql`` to the Parquet file ``path`` (it stays out of memory)."""
        self.execute(f"COPY ({sql}) TO {_literal(str(path))} (FORMAT PARQUET)")

    def view_of(self, name: str, path: Path) -> None:
        """The Parquet file ``path`` as the view ``name``."""
        self.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM "
                     f"read_parquet({_literal(str(path))})")

    def _refusal(self, exc: Exception) -> DataError:
        """DuckDB's error reading the source, as one sentence that names the file and the fix."""
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        whole = str(exc).lower()
        if self.csv and ("unicode" in whole or "utf-8" in whole or "utf8" in whole):
            return DataError(f"{self.name} is not UTF-8 text (an Israeli export is often cp1255), "
                             "which the duckdb engine needs; save it as UTF-8 or Parquet, or use "
                             "engine: pandas")
        if self.csv:
            return DataError(f"DuckDB could not read {self.name} as a CSV table ({first}); check "
                             "that every line has as many fields as the header, or use engine: "
                             "pandas, which reports such lines one by one")
        if "no files found" in first.lower() or "no magic bytes" in first.lower():
            return DataError(f"{self.name} holds no Parquet file the duckdb engine can read "
                             f"({first}); point data: at Parquet files (a file, a folder or a "
                             "glob such as sales/*.parquet)")
        return DataError(f"DuckDB could not read {self.name} ({first}); check that its files "
                         "are Parquet with the same columns, or use engine: pandas")

    def close(self) -> None:
        """Close the connection (its temporary files go with it)."""
        self.con.close()


def _header(path: Path) -> str:
    """The first line of a text file ('' when unreadable)."""
    try:
        with path.open("rb") as f:
            return f.readline(65536).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return ""


def _csv_header(path: Path, name: str) -> tuple[str, list[str]]:
    """A CSV's separator and header cells, from its first line.

    Refuses an empty file, and a header that names a column twice (which one
    would be meant?).
    """
    import csv

    if path.is_file() and path.stat().st_size == 0:
        raise DataError(f"{name} is empty; export the data again")
    line = _header(path)
    sep = _separator(line)
    cells = next(csv.reader([line.rstrip("\r\n")], delimiter=sep), [])
    names = [c.strip().lower() for c in cells if c.strip()]
    twice = sorted({c for c in names if names.count(c) > 1})
    if twice:
        raise DataError(f"the header of {name} names the column {twice[0]!r} twice; rename one "
                        "of them in the file, or use engine: pandas")
    return sep, cells


def _separator(head: str) -> str:
    """The field separator of a CSV's header line: the one of , ; tab | found most in it."""
    counts = {sep: head.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


_NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL"}
