"""Tests for the customer table and its CSV/Excel export (hand-computed, files in tmp_path)."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import retainlib as rl
from retainlib.analytics.early_warning import AT_RISK_COLUMNS
from retainlib.output.tables import client_table, export_table, export_win_back
from tests.support import FakePurchases, FakeSpend

NORTH, SOUTH = "צפון", "דרום"  # Hebrew region names; SOUTH sorts first (U+05D3 < U+05E6)


@pytest.fixture
def tx():
    return pd.DataFrame({
        "customer_id": pd.array(["001", "001", "001", "002", "003", "003"], dtype="str"),
        "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-15",
                                "2024-03-10", "2024-03-10"]),
        "amount": [100.0, 50.0, -20.0, 30.0, 200.0, 10.0],
        "region": pd.array([NORTH, NORTH, SOUTH, SOUTH, NORTH, SOUTH], dtype="str"),
    })


def test_customer_table_from_transactions_only(tx):
    got = rl.customer_table(tx, observation_end="2024-03-31")
    # revenue 001: 100 + 50 - 20 = 130 (2 orders, 20 returned); 002: 30; 003: 210 (2 rows)
    # region: 001 two north vs one south -> north; 003 one each -> alphabetically first (south)
    # days since last purchase: 001 59, 002 76, 003 21 -> R (n=3): 3, 1, 5
    # orders 2, 1, 2 -> average ranks 2.5, 1, 2.5 -> F 1 + floor(5 * 2 / 3) = 4, 1, 4
    # revenue 130, 30, 210 -> M 3, 1, 5; FM = ceil((F + M) / 2): 4, 1, 5
    # segments: R3/FM4 Loyal, R1/FM1 Lost, R5/FM5 Champions
    # ABC: 003 brings 210/370 = 57% (A), 001 before it 57% < 80% (A), 002 before it 92% (B)
    expected = pd.DataFrame({
        "first_purchase": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-03-10"]),
        "last_purchase": pd.to_datetime(["2024-02-01", "2024-01-15", "2024-03-10"]),
        "orders": np.array([2, 1, 2], dtype="int64"),
        "revenue": [130.0, 30.0, 210.0],
        "gross_revenue": [150.0, 30.0, 210.0],
        "returns": [20.0, 0.0, 0.0],
        "region": pd.array([NORTH, SOUTH, SOUTH], dtype="str"),
        "R": np.array([3, 1, 5], dtype="int64"),
        "F": np.array([4, 1, 4], dtype="int64"),
        "M": np.array([3, 1, 5], dtype="int64"),
        "RFM": pd.array(["343", "111", "545"], dtype="str"),
    }, index=pd.Index(["001", "002", "003"], name="customer_id", dtype="str"))
    assert_frame_equal(got[expected.columns], expected, check_dtype=False, check_index_type=False)
    assert got["rfm_segment"].astype(str).tolist() == ["Loyal", "Lost", "Champions"]
    assert got["abc_class"].astype(str).tolist() == ["A", "B", "A"]
    assert got.attrs["observation_end"] == "2024-03-31"


def test_customer_table_with_models_clv_and_survey(tx):
    rfm = rl.rfm_summary(tx, observation_end="2024-03-31")
    purchases = FakePurchases({"001": 0.3, "002": 0.9, "003": 0.95},
                              {"001": 0.1, "002": 0.01, "003": 0.5})
    spend = FakeSpend({"001": 60.0, "002": 30.0, "003": 105.0})
    survey = pd.DataFrame({"customer_id": pd.array(["001", "003", "001"], dtype="str"),
                           "date": pd.to_datetime(["2024-01-10", "2024-03-15", "2024-03-20"]),
                           "score": np.array([3, 2, 9], dtype="int64")})
    got = rl.customer_table(tx, rfm=rfm, purchases_model=purchases, spend_model=spend,
                            clv=pd.Series({"001": 100.0, "002": 5.0, "003": 500.0}),
                            survey=survey, observation_end="2024-03-31",
                            at_risk_options={"min_value_quantile": 0.3})
    # revenue at risk = rate * 52 * spend: 001 312, 002 15.6, 003 2730; 30% quantile
    # (linear, position 0.6) = 15.6 + 0.6 * 296.4 = 193.44 -> 001 and 003 valuable;
    # 001 P(alive) 0.3 < 0.5 -> at risk, rank 1; 003 has one purchase day (no gap) and P 0.95
    assert got["value_if_retained"].tolist() == pytest.approx([312.0, 15.6, 2730.0])
    # revenue at risk: the value if retained of the 'at risk' list only (001)
    assert got["revenue_at_risk"].tolist()[0] == pytest.approx(312.0)
    assert got["revenue_at_risk"].iloc[1:].isna().all()
    assert got["early_warning"].tolist()[0] == "at risk"
    assert got["early_warning"].iloc[1:].isna().all()
    assert got["at_risk"].tolist() == [True, False, False]
    assert got["early_warning_rank"].tolist() == [1, pd.NA, pd.NA]
    # 001: repeat purchases 1, first to last purchase 31 days, silent 59 days (in weeks)
    assert got["early_warning_reason"].tolist() == [
        "usually buys every 4.4 weeks, silent for 8.4 weeks; chance still active 30%", "", ""]
    assert got["p_alive"].tolist() == [0.3, 0.9, 0.95]
    assert got["expected_purchases"].tolist() == pytest.approx([0.3 * 5.2, 0.9 * 0.52,
                                                                 0.95 * 26])
    # 001: purchase days 01-01 and 02-01 (the 03-01 return day is not a purchase occasion)
    assert got.loc["001", ["frequency", "recency", "T"]].tolist() == pytest.approx(
        [1, 31 / 7, 90 / 7])
    # CLV tiers of 3 customers: top ceil(0.3) = 1 -> 003; next up to ceil(0.9) = 1 -> none
    assert got["clv_tier"].astype(str).tolist() == ["Rest 70%", "Rest 70%", "Top 10%"]
    # latest answers: 001 -> 9 (03-20, after the 3 of 01-10); 003 -> 2; 002 none
    assert got["nps_score"].tolist() == [9, pd.NA, 2]
    assert got["nps_group"].iloc[[0, 2]].tolist() == ["Promoter", "Detractor"]
    assert pd.isna(got.loc["002", "nps_group"])
    by_segment = rl.segment_summary(got, "region", observation_end="2024-03-31")
    assert by_segment.loc[SOUTH, "customers"] == 2
    assert by_segment.loc["All customers", "clv"] == 605.0


def test_export_customers_csv_has_bom_and_keeps_hebrew_and_leading_zeros(tx, tmp_path):
    table = rl.customer_table(tx, observation_end="2024-03-31")
    path = rl.export_customers(table, tmp_path / "out" / "customers.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype={"Customer ID": str})
    assert back["Customer ID"].tolist() == ["001", "002", "003"]
    assert back["Region"].tolist() == [NORTH, SOUTH, SOUTH]
    assert back["First purchase"].tolist() == ["2024-01-01", "2024-01-15", "2024-03-10"]
    # headers in words from the label catalogue, in the table's order
    assert list(back.columns) == ["Customer ID", *client_table(table).columns]
    assert list(back.columns[:5]) == ["Customer ID", "First purchase", "Last purchase", "Orders",
                                      "Revenue"]


def test_export_customers_excel_formatting(tx, tmp_path):
    table = rl.customer_table(tx, observation_end="2024-03-31")
    path = rl.export_customers(table, tmp_path / "customers.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "Customers"
    header = [c.value for c in ws[1]]
    assert header == ["Customer ID", *client_table(table).columns]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "B2"  # header row and id column frozen
    assert ws["A2"].value == "001" and ws["A2"].data_type == "s"  # id stays text
    assert ws["B2"].number_format.lower() == "yyyy-mm-dd"
    assert ws["B2"].value.date().isoformat() == "2024-01-01"
    widths = {c: ws.column_dimensions[c].width for c in ("A", "B", "H")}
    assert widths["A"] == 13  # 'Customer ID' is 11 characters + 2
    assert widths["B"] == 16  # 'First purchase' 14 + 2
    assert widths["H"] == 10  # 'Region' and 4-letter values: minimum width 10


def test_export_table_rejects_other_formats(tmp_path):
    with pytest.raises(rl.DataError, match=r"use a .csv, .xlsx or .parquet file name"):
        export_table(pd.DataFrame({"a": [1]}), tmp_path / "x.json")


def test_customer_table_on_the_demo_with_the_fitted_models(tmp_path):
    demo = rl.make_demo(n_customers=800)
    tx = demo.transactions
    rfm = rl.rfm_summary(tx)
    bg, gg = rl.BetaGeoModel().fit(rfm), rl.GammaGammaModel().fit(rfm)
    clv = rl.customer_lifetime_value(rfm, bg, gg, horizon_months=12, annual_discount_rate=0.1)
    table = rl.customer_table(tx, rfm=rfm, purchases_model=bg, spend_model=gg, clv=clv,
                              survey=demo.survey)
    assert table.index.is_unique and len(table) == tx["customer_id"].nunique()
    assert table["revenue"].sum() == pytest.approx(tx["amount"].sum())
    assert {"region", "channel"} <= set(table.columns)
    assert table["rfm_segment"].notna().all() and table["abc_class"].notna().all()
    assert table["p_alive"].between(0, 1).all()
    at_risk = rl.at_risk(rfm, bg, gg)
    assert table["at_risk"].sum() == len(at_risk)
    for name in ("at risk", "lapsed"):  # each list ranked 1, 2, ... on its own
        on = at_risk.index[at_risk["list"] == name]
        assert table.loc[on, "early_warning_rank"].tolist() == list(range(1, len(on) + 1))
        assert (table.loc[on, "early_warning"] == name).all()
    assert (table["early_warning"] == "at risk").sum() == table["revenue_at_risk"].notna().sum()
    summary = rl.early_warning_summary(at_risk)
    assert table["revenue_at_risk"].sum() == pytest.approx(summary["revenue_at_risk"])
    assert table.loc[rfm.index, "value_if_retained"].notna().all()  # every modelled customer
    answered = demo.survey.drop_duplicates("customer_id", keep="last")
    assert table["nps_score"].notna().sum() == len(answered)
    path = rl.export_customers(table, tmp_path / "customers.xlsx")
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == len(table) + 1
    assert rows[1][0] == table.index[0]


def test_customer_with_returns_only_is_kept_with_missing_model_values(tx):
    only_return = pd.DataFrame({"customer_id": pd.array(["004"], dtype="str"),
                                "date": pd.to_datetime(["2024-03-05"]), "amount": [-15.0],
                                "region": pd.array([NORTH], dtype="str")})
    tx = pd.concat([tx, only_return], ignore_index=True)
    rfm = rl.rfm_summary(tx, observation_end="2024-03-31")
    assert "004" not in rfm.index  # no purchase occasion
    purchases = FakePurchases({"001": 0.3, "002": 0.9, "003": 0.95}, {"001": 0.1, "002": 0.1,
                                                                      "003": 0.1})
    spend = FakeSpend({"001": 1.0, "002": 1.0, "003": 1.0})
    got = rl.customer_table(tx, rfm=rfm, purchases_model=purchases, spend_model=spend,
                            observation_end="2024-03-31")
    assert got.loc["004", "revenue"] == -15.0 and got.loc["004", "orders"] == 0
    assert pd.isna(got.loc["004", "p_alive"]) and pd.isna(got.loc["004", "at_risk"])
    assert got.loc["004", "R"] == 1  # no purchase date: least recent


def test_excel_keeps_times_of_day_and_leaves_missing_cells_empty(tmp_path):
    df = pd.DataFrame({"t": pd.to_datetime(["2024-01-01 10:30", None]),
                       "d": pd.to_datetime(["2024-01-02", None]),
                       "n": pd.array([1, None], dtype="Int64")},
                      index=pd.Index(["a", "b"], name="customer_id"))
    ws = openpyxl.load_workbook(export_table(df, tmp_path / "t.xlsx")).active
    assert ws["B2"].value.isoformat() == "2024-01-01T10:30:00"
    assert ws["B2"].number_format == "yyyy-mm-dd h:mm:ss"
    assert ws["C2"].number_format == "yyyy-mm-dd"
    assert [ws[f"{c}3"].value for c in "BCD"] == [None, None, None]
    assert ws["D2"].value == 1


def _flagged() -> pd.DataFrame:
    """Three flagged customers as at_risk returns them: a and c at risk, b lapsed."""
    cols = {c: [0.0, 0.0, 0.0] for c in AT_RISK_COLUMNS}
    df = pd.DataFrame(cols, index=pd.Index(["a", "b", "c"], name="customer_id"))
    df["list"] = ["at risk", "lapsed", "at risk"]
    df["rank"] = [1, 1, 2]
    df["value_if_retained"] = [1000.0, 5928.5425, 400.0]
    df["expected_value"] = [600.0, 0.23, 120.0]
    df["p_alive"] = [0.6, 3.93e-05, 0.3]
    df["silent_for"] = [8.0, 59.142857, 12.25]
    df["reason"] = ["r a", "r b", "r c"]
    for flag in ("low_p_alive", "long_silence", "valuable", "at_risk"):
        df[flag] = [True, True, False]
    df.attrs["time_unit"] = "W"
    return df


def test_at_risk_csv_has_the_at_risk_list_in_words_and_win_back_csv_the_lapsed(tmp_path):
    risk = rl.export_at_risk(_flagged(), tmp_path / "at_risk.csv")
    back = pd.read_csv(risk, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["Customer ID"].tolist() == ["a", "c"]
    assert back["Rank"].tolist() == ["1", "2"]
    # money with 2 decimals, chance as a percentage with 1 decimal, weeks with 1 decimal
    assert back["Value if kept"].tolist() == ["1000", "400"]
    assert back["Chance still active (%)"].tolist() == ["60", "30"]
    assert back["Silent for (weeks)"].tolist() == ["8", "12.2"]  # 12.25 rounds half to even
    assert back["Low chance still active"].tolist() == ["yes", "no"]
    assert "List" not in back.columns and "At risk" not in back.columns
    win = export_win_back(_flagged(), tmp_path / "win_back.csv")
    lapsed = pd.read_csv(win, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    # 5928.5425 -> 5928.54; P(alive) 3.93e-05 -> 0.0039% -> 0 (never '3.93e-05')
    assert lapsed.iloc[0][["Customer ID", "Value if kept", "Chance still active (%)",
                           "Silent for (weeks)"]].tolist() == ["b", "5928.54", "0", "59.1"]
    text = win.read_text(encoding="utf-8-sig")
    assert "e-0" not in text and "True" not in text and "False" not in text
    ws = openpyxl.load_workbook(export_win_back(_flagged(), tmp_path / "w.xlsx")).active
    assert ws.title == "Win back" and ws["A1"].value == "Customer ID" and ws["A2"].value == "b"


def test_client_table_rounds_by_kind_and_never_writes_true_false():
    df = pd.DataFrame({"revenue": [1234.5678, -0.001], "crr": [0.96041, 0.5],
                       "orders": [3.0, 4.0], "at_risk": pd.array([True, pd.NA], "boolean"),
                       "nps_date": pd.to_datetime(["2024-01-02", None])},
                      index=pd.Index(["x", "y"], name="customer_id"))
    got = client_table(df)
    assert got.index.name == "Customer ID"
    assert list(got.columns) == ["Revenue", "Customer retention rate (%)", "Orders", "At risk",
                                 "Survey date"]
    assert got["Revenue"].tolist() == [1234.57, 0.0]  # -0.001 is 0, not -0
    assert got["Customer retention rate (%)"].tolist() == [96.0, 50.0]
    assert got["Orders"].tolist() == [3, 4] and str(got["Orders"].dtype) == "Int64"
    assert got["At risk"].tolist() == ["yes", ""]


def test_money_of_a_million_and_more_has_no_float_noise_in_the_csv(tmp_path):
    # 1234567.89 is stored as 1234567.88999999990686774...; the file must say 1234567.89
    # (the shortest decimal that reads back as the stored value), never ...8899999999
    df = pd.DataFrame({"revenue": [1234567.89, 20634559.12, 0.5, np.nan, 2e16, -0.0]},
                      index=pd.Index(["a", "b", "c", "d", "e", "f"], name="customer_id"))
    path = export_table(df, tmp_path / "x.csv")
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == ["a,1234567.89", "b,20634559.12", "c,0.5", "d,", "e,20000000000000000",
                         "f,0"]


def test_fixed_decimals_is_fixed_decimal_of_every_value():
    from retainlib.output.tables import fixed_decimal, fixed_decimals

    rng = np.random.default_rng(5)
    x = np.concatenate([np.round(rng.gamma(2.0, 60.0, 3000), 2), rng.normal(0, 1e6, 300),
                        10.0 ** rng.integers(-12, 22, 300), [np.nan, -0.0, 0.0, np.inf]])
    got = fixed_decimals(x)
    want = [None if np.isnan(v) else fixed_decimal(v) for v in x]
    assert got.tolist() == want
    assert not any("e" in t for t in want if t is not None and t != "inf")
    back = np.array([float(t) for t in want if t is not None])
    np.testing.assert_array_equal(back, x[~np.isnan(x)])  # every text reads back as its value


def test_a_csv_written_in_pieces_is_the_csv_written_at_once(tmp_path, monkeypatch):
    import retainlib.output.tables as tables

    df = pd.DataFrame({"name": ["=1+1", "Dana", "שלום", "-x", "ok"],
                       "revenue": [1234567.89, np.nan, 0.5, -2.0, 3.0]},
                      index=pd.Index(["-cmd", "002", "003", "004", "005"], name="customer_id"))
    whole = tables.write_csv(df, tmp_path / "whole.csv", fixed_floats=True).read_bytes()
    monkeypatch.setattr(tables, "_CSV_CHUNK", 2)  # three pieces: 2 + 2 + 1 rows
    pieces = tables.write_csv(df, tmp_path / "pieces.csv", fixed_floats=True).read_bytes()
    assert pieces == whole
    assert whole.startswith(b"\xef\xbb\xbfcustomer_id,name,revenue\r\n'-cmd,'=1+1,1234567.89\r\n")
    assert whole.count(b"\xef\xbb\xbf") == 1 and whole.count(b"customer_id") == 1
    empty = tables.write_csv(df.iloc[:0], tmp_path / "empty.csv").read_bytes()
    assert empty == b"\xef\xbb\xbfcustomer_id,name,revenue\r\n"  # the header alone
