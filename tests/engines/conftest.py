"""Shared inputs of the engine tests: one client export, and one local Spark session."""

from __future__ import annotations

import pytest

from tests.engines.sales_data import make_sales


@pytest.fixture(scope="session")
def sales(tmp_path_factory):
    """The export as CSV and as Parquet (text cells), and its frame."""
    folder = tmp_path_factory.mktemp("engines")
    df = make_sales()
    df.to_csv(folder / "sales.csv", index=False)
    df.to_parquet(folder / "sales.parquet", index=False)
    return folder, df


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for every Spark test (starting one takes ~10 s)."""
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("retainlib-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.sql.session.timeZone", "UTC")
               # small data: compiling whole-stage code costs more than it saves
               .config("spark.sql.codegen.wholeStage", "false")
               .config("spark.sql.adaptive.enabled", "false")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
