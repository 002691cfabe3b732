"""Amounts no sales line can have are rejected rows, not sums that overflow (part of #12)."""

from __future__ import annotations

import json

import pytest

import retainlib as rl
from retainlib.cli import main


@pytest.mark.parametrize("body", [
    # plain numbers: pyarrow converts the column while reading (the typed path)
    "c1,2024-01-05,10\nc2,2024-01-06,5e12\nc3,2024-01-07,-1000000000001\nc4,2024-01-08,1e12\n",
    # a text column (₪ and an overflowing exponent): the forgiving parsers
    "c1,2024-01-05,₪10\nc2,2024-01-06,5e12\nc3,2024-01-07,-1000000000001\nc4,2024-01-08,1e12\n"
    "c5,2024-01-09,1e309\n",
])
def test_amounts_beyond_a_trillion_are_rejected(tmp_path, body):
    path = tmp_path / "sales.csv"
    path.write_text("customer_id,date,amount\n" + body, encoding="utf-8")
    tx, report = rl.read_transactions(path)
    assert tx["customer_id"].tolist() == ["c1", "c4"]  # 1e12 itself is still an amount
    assert report.rows_read == report.rows_kept + report.rows_rejected
    reasons = dict(zip(report.rejected["customer_id"], report.rejected["reason"], strict=True))
    assert reasons["c2"] == reasons["c3"] == "amount out of range"
    if "c5" in reasons:  # 1e309 overflows to infinity: not a finite amount, rejected either way
        assert reasons["c5"] in ("non-numeric amount", "amount out of range")


def test_validate_json_stays_strict_json(tmp_path, capsys):
    path = tmp_path / "sales.csv"
    path.write_text("customer_id,date,amount\nc1,2024-01-05,1e309\nc2,2024-01-06,2\n",
                    encoding="utf-8")
    assert main(["validate", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-standard JSON {c}"))
    assert data["revenue"] == 2.0 and data["rows_rejected"] == 1
