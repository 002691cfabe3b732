"""Red-team inputs for the loader of #12: hostile exports the first tests did not think of.

Each test writes a small generated file into ``tmp_path`` and checks the numbers
read against values worked out by hand (said in the test).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from retainlib.load.transactions import read_transactions

HEADER = "customer_id,date,amount\n"


def _csv(tmp_path, body: str, name: str = "sales.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes((HEADER + body).encode(encoding))
    return path


# ------------------------------------------------------------------------------------ amounts


@pytest.mark.parametrize(
    ("text", "value"),
    [("12.-", 12.0), ("₪12.-", 12.0), ("12.- ₪", 12.0), ("(12.-)", -12.0), ("-12.-", -12.0),
     ("12,-", 12.0), ("12.--", 12.0), ("12-", -12.0), ("1.5-", -1.5)],
)
def test_dash_in_place_of_decimals_is_a_whole_amount_not_a_return(tmp_path, text, value):
    # '12.-' is a price tag's 12.00: the dash after the decimal mark is not a trailing minus
    # (before the fix '12.-' was read as -12, a return, with exit 0); '12-' stays a return
    path = _csv(tmp_path, f'1,2024-01-01,"{text}"\n2,2024-01-02,7\n')
    tx, report = read_transactions(path)
    assert tx["amount"].tolist() == [value, 7.0]
    assert report.rows_kept == 2
