"""Spark: the client's rows as the temporary view ``rl_source``, queries returned as Arrow.

The session is the one already running (a Databricks notebook, ``spark-submit``)
unless the config's ``spark.master`` names another; with neither, a local
session on every core (``local[*]``). The reductions run where the session's
executors are; only their results (the purchase lines, the counts, a sample of
the rejected rows) travel to this process, as Arrow.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa

from retainlib.errors import DataError
from retainlib.load.engines._files import parquet_files, session_zone, time_zones

__all__ = ["SparkRunner", "spark_session"]

#: settings of the local session retainlib starts itself (a cluster's own are left alone)
LOCAL_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}


def spark_session(options: Mapping[str, object]):
    """The SparkSession to use: ``spark.master`` if given, else the active one, else local[*]."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise DataError("engine: spark needs PySpark and Java: pip install 'retainlib[spark]' "
                        "and a Java runtime (apt-get install openjdk-17-jre-headless)") from None
    master = options.get("master")
    conf = {str(k): str(v) for k, v in dict(options.get("conf") or {}).items()}
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        for k, v in conf.items():
            active.conf.set(k, v)
        return active
    builder = SparkSession.builder.appName("retainlib").master(str(master or "local[*]"))
    for k, v in {**(LOCAL_SETTINGS if master is None else {}), **conf}.items():
        builder = builder.config(k, v)
    return builder.getOrCreate()


class SparkRunner:
    """One source (Parquet, CSV or a table of the catalog) in a SparkSession.

    Parameters
    ----------
    source : pathlib.Path or str
        A Parquet file, folder or glob, a CSV file (read as text), or
        ``'spark:db.table'``.
    options : mapping
        The config's ``spark:`` block: ``master``, ``conf``.
    session : SparkSession, optional
        Use this session (default :func:`spark_session`).
    """

    dialect = "spark"

    def __init__(self, source: Path | str, options: Mapping[str, object], session=None) -> None:
        self.spark = session if session is not None else spark_session(options)
        self.zones: dict[str, str] = {}
        self._zone_before: str | None = None
        frame = self._reader(source)
        self.name = str(source)[6:] if str(source).startswith("spark:") else Path(source).name
        frame.createOrReplaceTempView("rl_source")
        self.columns = list(frame.columns)
        numeric = ("int", "bigint", "smallint", "tinyint", "float", "double", "decimal")
        self.numeric = {f.name: f.dataType.simpleString().split("(")[0] in numeric
                        for f in frame.schema.fields}
        self.text = {f.name: f.dataType.simpleString() == "string" for f in frame.schema.fields}
        self.floats = {f.name for f in frame.schema.fields
                       if f.dataType.simpleString() in ("float", "double")}
        self.extra_columns: list[str] = []  # Spark drops the fields past a CSV header's

    def _reader(self, source: Path | str):
        text = str(source)
        if text.startswith("spark:"):
            return self.spark.table(text[6:])
        path = Path(text)
        if path.suffix.lower() in (".csv", ".tsv", ".txt"):
            sep = "\t" if path.suffix.lower() == ".tsv" else ","
            # a quoted cell may hold the separator, a doubled quote or a line break
            return self.spark.read.csv(text, header=True, sep=sep, inferSchema=False,
                                       multiLine=True, quote='"', escape='"')
        if path.is_dir() or path.suffix.lower() == ".parquet" or any(c in text for c in "*?["):
            if path.is_dir() or path.exists() or any(c in text for c in "*?["):
                try:  # a local source: the time zones of its timestamps
                    self.zones = time_zones(parquet_files(path))
                except DataError:
                    pass  # Spark's own reading says what is wrong
            return self.spark.read.parquet(text)
        raise DataError(f"the spark engine reads Parquet, CSV and tables (spark:db.table), not "
                        f"{path.name}; use engine: pandas for other exports")

    def local_times(self, column: str) -> None:
        """Read ``column``'s instants as clock times of its own time zone (if it has one).

        The session's time zone is set to the column's until :meth:`close`.
        """
        if column in self.zones:
            self._zone_before = self.spark.conf.get("spark.sql.session.timeZone")
            self.spark.conf.set("spark.sql.session.timeZone", session_zone(self.zones[column]))

    def execute(self, sql: str) -> None:
        """Run a statement (a view definition)."""
        self.spark.sql(sql)

    def query(self, sql: str) -> pa.Table:
        """The result of ``sql`` as an Arrow table (collected to this process)."""
        frame = self.spark.sql(sql)
        if hasattr(frame, "toArrow"):  # PySpark 4
            return frame.toArrow()
        return pa.Table.from_pandas(frame.toPandas(), preserve_index=False)

    def store(self, sql: str, path: Path) -> None:
        """Write the result of ``sql`` as Parquet into the folder ``path`` (by the executors)."""
        self.spark.sql(sql).write.parquet(str(path))

    def view_of(self, name: str, path: Path) -> None:
        """The Parquet folder ``path`` as the temporary view ``name``."""
        self.spark.read.parquet(str(path)).createOrReplaceTempView(name)

    def close(self) -> None:
        """Drop the views and restore the session's time zone (the session stays)."""
        if self._zone_before is not None:
            self.spark.conf.set("spark.sql.session.timeZone", self._zone_before)
        for view in ("rl_days", "rl_lines", "rl_groups", "rl_once", "rl_candidates",
                     "rl_duplicate_hashes", "rl_rows",
                     "rl_source"):
            self.spark.catalog.dropTempView(view)
