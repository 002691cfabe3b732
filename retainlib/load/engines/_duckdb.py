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
        self.con.execute(f"CREATE VIEW rl_source AS SELECT * FROM {self._reader(source)}")
        rel = self.con.sql("SELECT * FROM rl_source LIMIT 0")
        self.columns = list(rel.columns)
        self.numeric = {c: str(t).upper().split("(")[0] in _NUMERIC
                        for c, t in zip(rel.columns, rel.types, strict=True)}
        self.text = {c: str(t).upper() == "VARCHAR"
                     for c, t in zip(rel.columns, rel.types, strict=True)}

    @staticmethod
    def _reader(source: Path) -> str:
        """The table function that reads ``source``."""
        path = Path(str(source))
        if path.is_dir():
            return f"read_parquet({_literal(str(path / '**' / '*.parquet'))})"
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv", ".txt"):
            return f"read_csv({_literal(str(path))}, header = true, all_varchar = true)"
        if suffix == ".parquet" or any(ch in str(path) for ch in "*?["):
            return f"read_parquet({_literal(str(path))})"
        raise DataError(f"the duckdb engine reads Parquet and CSV files, not {path.name}; "
                        "use engine: pandas for other exports (Excel, other layouts)")

    def execute(self, sql: str) -> None:
        """Run a statement (a view definition)."""
        self.con.execute(sql)

    def query(self, sql: str) -> pa.Table:
        """The result of ``sql`` as an Arrow table."""
        return self.con.sql(sql).to_arrow_table()

    def close(self) -> None:
        """Close the connection (its temporary files go with it)."""
        self.con.close()


_NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL"}
