"""The CDNOW sample of Fader, Hardie and Lee (2005), shipped in data/, as transactions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from retainlib.errors import DataError
from retainlib.load.parsing import TEXT

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"


def load_cdnow() -> pd.DataFrame:
    """Load the CDNOW sample of Fader, Hardie and Lee (2005) as canonical transactions.

    2,357 customers who first bought in Q1 1997, observed until 1998-06-30;
    6,919 transaction lines (several lines can fall on the same day).

    Returns
    -------
    pandas.DataFrame
        One row per transaction line with columns ``customer_id`` (str, the
        sample's id '1' to '2357'), ``date`` (datetime64), ``amount`` (float,
        US dollars) and ``quantity`` (int, number of CDs).

    Examples
    --------
    >>> tx = load_cdnow()
    >>> len(tx), tx["customer_id"].nunique()
    (6919, 2357)
    """
    path = DATA_DIR / "CDNOW_sample.txt"
    if not path.exists():
        raise DataError(
            f"the CDNOW sample is missing: expected {path}; reinstall retainlib from its repository"
        )
    raw = pd.read_csv(
        path,
        sep=r"\s+",
        header=None,
        names=["master_id", "sample_id", "date", "quantity", "amount"],
        dtype={"master_id": str, "sample_id": str, "date": str, "quantity": "int64",
               "amount": "float64"},
    )
    return pd.DataFrame(
        {
            "customer_id": raw["sample_id"].str.lstrip("0").astype(TEXT),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["amount"],
            "quantity": raw["quantity"],
        }
    )
