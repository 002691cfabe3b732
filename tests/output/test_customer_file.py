"""customers.csv agrees with the report: revenue at risk, the two early-warning lists.

The report's one definition (:func:`retainlib.early_warning_summary`): revenue at risk is the
value if retained summed over the customers on the 'at risk' list only; the lapsed customers
are a list of their own. The customer file must read the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import retainlib as rl
from retainlib.report.analysis import analyse
from tests.support import FakePurchases, FakeSpend


def _read(path):
    return pd.read_csv(path, encoding="utf-8-sig", dtype={"Customer ID": str},
                       keep_default_na=False, na_values=[""]).set_index("Customer ID")


@pytest.fixture
def hand_table():
    """Three customers: 001 on the 'at risk' list, 002 on no list, 003 lapsed.

    Value if retained = rate * 52 weeks * spend: 001 0.1 * 52 * 60 = 312,
    002 0.01 * 52 * 30 = 15.6, 003 0.5 * 52 * 105 = 2730. The 30% quantile of the values
    (linear, position 0.6) is 15.6 + 0.6 * 296.4 = 193.44, so 001 and 003 are valuable.
    001: chance still active 0.3 < 0.5 and >= 0.2 (lapsed below) -> 'at risk', rank 1.
    003: chance still active 0.1 < 0.2 -> 'lapsed', rank 1 of its own list.
    """
    tx = pd.DataFrame({
        "customer_id": pd.array(["001", "001", "002", "003"], dtype="str"),
        "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-15", "2024-03-10"]),
        "amount": [100.0, 50.0, 30.0, 200.0],
    })
    rfm = rl.rfm_summary(tx, observation_end="2024-03-31")
    purchases = FakePurchases({"001": 0.3, "002": 0.9, "003": 0.1},
                              {"001": 0.1, "002": 0.01, "003": 0.5})
    spend = FakeSpend({"001": 60.0, "002": 30.0, "003": 105.0})
    table = rl.customer_table(tx, rfm=rfm, purchases_model=purchases, spend_model=spend,
                              observation_end="2024-03-31",
                              at_risk_options={"min_value_quantile": 0.3})
    risk = rl.at_risk(rfm, purchases, spend, min_value_quantile=0.3)
    return table, risk


def test_hand_made_customer_file_reads_like_the_report(hand_table, tmp_path):
    table, risk = hand_table
    summary = rl.early_warning_summary(risk)
    assert summary["at_risk_customers"] == 1 and summary["lapsed_customers"] == 1
    assert summary["revenue_at_risk"] == pytest.approx(312.0)
    back = _read(rl.export_customers(table, tmp_path / "customers.csv"))
    # revenue at risk only on the 'at risk' list's row; its sum is the report's figure
    assert back["Revenue at risk"].tolist()[0] == 312.0
    assert back["Revenue at risk"].iloc[1:].isna().all()
    assert back["Revenue at risk"].sum() == pytest.approx(summary["revenue_at_risk"])
    # the per-customer value for every modelled customer
    assert back["Value if kept"].tolist() == [312.0, 15.6, 2730.0]
    # which list, not a yes for both; no boolean 'At risk' column
    assert back["Early warning"].fillna("").tolist() == ["at risk", "", "lapsed"]
    assert "At risk" not in back.columns
    # rank within the customer's own list; the reason only on a list
    assert back["Early warning rank"].tolist()[0::2] == [1, 1]
    assert np.isnan(back.loc["002", "Early warning rank"])
    reasons = back["Early warning reason"].fillna("").tolist()
    assert reasons[0].endswith("chance still active 30%")
    assert reasons[1] == ""
    assert reasons[2].startswith("bought once") and reasons[2].endswith("active 10%")


def test_the_in_memory_table_keeps_the_either_list_flag_for_its_callers(hand_table):
    table, _ = hand_table
    # the survey follow-up and the analysis read 'at_risk' (on either list); it is not written
    assert table["at_risk"].tolist() == [True, False, True]


def test_demo_customers_csv_agrees_with_the_metrics(tmp_path):
    cfg = rl.write_demo(tmp_path / "demo", n_customers=400)
    a = analyse(str(cfg))
    m = a.metrics
    back = _read(rl.export_customers(a.customers, tmp_path / "customers.csv"))
    assert m["at_risk_customers"] > 0 and m["lapsed_customers"] > 0
    assert back["Revenue at risk"].sum() == pytest.approx(m["revenue_at_risk"], abs=0.01 * len(
        back))  # each value rounded to cents in the file
    lists = back["Early warning"].fillna("")
    assert (lists == "at risk").sum() == m["at_risk_customers"]
    assert (lists == "lapsed").sum() == m["lapsed_customers"]
    assert set(lists) <= {"at risk", "lapsed", ""}
    assert back["Revenue at risk"].notna().sum() == m["at_risk_customers"]
    assert "At risk" not in back.columns
    # value if kept for every modelled customer, more than the at-risk list's sum
    assert back.loc[a.rfm.index.astype(str), "Value if kept"].notna().all()
    assert back["Value if kept"].sum() > back["Revenue at risk"].sum()
