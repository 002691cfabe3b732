"""Cohort tables, retention curves and revenue retention on hand-computed frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import retainlib as rl
from retainlib.errors import ConfigError, DataError
from tests.support import five_customers, tx_strategy

NAN = np.nan


def months(*labels: str, name: str = "cohort") -> pd.PeriodIndex:
    return pd.PeriodIndex(list(labels), freq="M", name=name)


def wide(index, size, rows) -> pd.DataFrame:
    out = pd.DataFrame(np.array(rows, dtype=float), index=index,
                       columns=pd.RangeIndex(len(rows[0])))
    out.insert(0, "size", np.array(size, dtype=np.int64))
    return out


END = "2024-04-30"  # April complete


def test_customers_on_counts_and_rates_by_hand():
    tx = five_customers()
    got = rl.cohort_table(tx, normalize=False, observation_end=END)
    # Jan {a,b}: Jan a,b=2; Feb a=1; Mar 0 (b only returned); Apr a=1
    # Feb {c,d}: Feb 2; Mar c=1; Apr d=1; age 3 = May not observed
    # Mar {e}:   Mar 1; Apr 0; ages 2, 3 not observed
    expected = wide(months("2024-01", "2024-02", "2024-03"), [2, 2, 1],
                    [[2, 1, 0, 1], [2, 1, 1, NAN], [1, 0, NAN, NAN]])
    assert_frame_equal(got, expected)
    rates = rl.cohort_table(tx, observation_end=END)
    expected_rates = wide(expected.index, [2, 2, 1],
                          [[1, 0.5, 0, 0.5], [1, 0.5, 0.5, NAN], [1, 0, NAN, NAN]])
    assert_frame_equal(rates, expected_rates)
    assert rates.attrs["partial_period"] is None


def test_on_or_after_by_hand():
    got = rl.cohort_table(five_customers(), mode="on_or_after", normalize=False,
                          observation_end=END)
    # last active age: a 3, b 0 | c 1, d 2 | e 0; counted at every age <= last active age
    expected = wide(months("2024-01", "2024-02", "2024-03"), [2, 2, 1],
                    [[2, 1, 1, 1], [2, 2, 1, NAN], [1, 0, NAN, NAN]])
    assert_frame_equal(got, expected)


def test_revenue_net_of_returns_by_hand():
    tx = five_customers()
    got = rl.cohort_table(tx, value="revenue", normalize=False, observation_end=END)
    # Jan: Jan 100 + 200 - 200 = 100; Feb a 50; Mar b -20 (return); Apr a 30
    # Feb: Feb (80 - 30) + 60 = 110; Mar c 40; Apr d 70
    # Mar: Mar e 90; Apr 0
    expected = wide(months("2024-01", "2024-02", "2024-03"), [2, 2, 1],
                    [[100, 50, -20, 30], [110, 40, 70, NAN], [90, 0, NAN, NAN]])
    assert_frame_equal(got, expected)
    nrr = rl.revenue_retention(tx, observation_end=END)
    expected_nrr = wide(expected.index, [2, 2, 1],
                        [[1, 0.5, -0.2, 0.3], [1, 40 / 110, 70 / 110, NAN], [1, 0, NAN, NAN]])
    assert_frame_equal(nrr, expected_nrr)
    # every line is in a cohort cell: totals agree
    assert np.nansum(got.drop(columns="size").to_numpy()) == pytest.approx(tx["amount"].sum())


def test_orders_purchase_days_and_order_ids():
    tx = five_customers()
    got = rl.cohort_table(tx, value="orders", normalize=False, observation_end=END)
    # purchase days: Jan cohort Jan a, b = 2; Feb 1; Mar 0; Apr 1 | Feb: 2, 1, 1 | Mar: 1, 0
    expected = wide(months("2024-01", "2024-02", "2024-03"), [2, 2, 1],
                    [[2, 1, 0, 1], [2, 1, 1, NAN], [1, 0, NAN, NAN]])
    assert_frame_equal(got, expected)
    # with order ids: a's Jan 3 has two orders (O1 with two lines, O2); c's Feb 1 return
    # line has its own id R1 and is not an order (amount < 0)
    extra = pd.DataFrame({"customer_id": ["a", "a"], "date": pd.to_datetime(["2024-01-03"] * 2),
                          "amount": [5.0, 7.0], "region": "North"})
    tx2 = pd.concat([tx, extra], ignore_index=True)
    tx2["order_id"] = ["O1", "O3", "O4", "O5", "R0", "R2", "O6", "R1", "O7", "O8", "O9",
                       "O10", "O1", "O2"]
    got2 = rl.cohort_table(tx2, value="orders", normalize=False, observation_end=END)
    # Jan cohort, Jan: a {O1, O2} + b {O5} = 3; everything else as with purchase days
    expected2 = expected.copy()
    expected2.loc[pd.Period("2024-01", "M"), 0] = 3.0
    assert_frame_equal(got2, expected2)


def test_partial_last_period_flagged_and_long_form():
    tx = five_customers()
    table = rl.cohort_table(tx)  # observation_end = last date 2024-04-15: April is partial
    assert table.attrs["partial_period"] == "2024-04"
    assert table.attrs["observation_end"] == "2024-04-15"
    long = rl.cohort_table(tx, form="long")
    # observed cells: Jan ages 0-3, Feb ages 0-2, Mar ages 0-1 -> 9 rows
    assert len(long) == 9
    assert list(long.columns) == ["cohort", "period_number", "period", "value", "size", "partial"]
    partial = long[long["partial"]]
    # April cells: Jan age 3, Feb age 2, Mar age 1
    assert partial["period_number"].tolist() == [3, 2, 1]
    assert (partial["period"] == pd.Period("2024-04", "M")).all()
    # long and wide agree cell by cell
    pivot = long.pivot(index="cohort", columns="period_number", values="value")
    assert_frame_equal(pivot, table.drop(columns="size"), check_names=False,
                       check_column_type=False)


def test_observation_end_excludes_later_rows():
    table = rl.cohort_table(five_customers(), normalize=False, observation_end="2024-02-29")
    # only Jan and Feb observed; Jan: 2, 1 | Feb: 2
    expected = wide(months("2024-01", "2024-02"), [2, 2], [[2, 1], [2, NAN]])
    assert_frame_equal(table, expected)
    # rows after Feb 29: a Apr 1, b Mar 5, c Mar 10, d Apr 15, e Mar 30
    assert table.attrs["rows_after_observation_end"] == 5


def test_quarter_and_year_periods():
    tx = five_customers()
    q = rl.cohort_table(tx, period="Q")
    # all five customers start in 2024Q1; in Q2 (partial, to Apr 15) a and d buy: 2 / 5
    expected = wide(pd.PeriodIndex(["2024Q1"], freq="Q", name="cohort"), [5], [[1.0, 0.4]])
    assert_frame_equal(q, expected)
    assert q.attrs["partial_period"] == "2024Q2"
    y = rl.cohort_table(tx, period="Y")
    assert_frame_equal(y, wide(pd.PeriodIndex(["2024"], freq="Y", name="cohort"), [5], [[1.0]]))


def test_week_periods_start_on_monday():
    tx = pd.DataFrame({
        "customer_id": ["x", "x", "x", "y", "y"],
        # 2024-01-01 is a Monday: x buys Mon 1 and Sun 7 (week 1) and Mon 8 (week 2);
        # y buys Tue 9 (week 2) and Mon 22 (week 4)
        "date": pd.to_datetime(["2024-01-01", "2024-01-07", "2024-01-08", "2024-01-09",
                                "2024-01-22"]),
        "amount": [1.0, 1.0, 1.0, 1.0, 1.0]})
    got = rl.cohort_table(tx, period="W", observation_end="2024-01-28")  # Sunday: complete
    index = pd.PeriodIndex([pd.Period("2024-01-01", "W"), pd.Period("2024-01-08", "W")],
                           name="cohort")
    # x: weeks 1, 2 -> ages 0, 1; y: weeks 2, 4 -> ages 0, 2; y's age 3 is unobserved
    expected = wide(index, [1, 1], [[1, 1, 0, 0], [1, 0, 1, NAN]])
    assert_frame_equal(got, expected)
    assert got.attrs["partial_period"] is None


def test_week_cohorts_follow_the_week_start():
    # 2025-01-04 is a Saturday: x buys Sat 4 and Sun 5 January, y only Sun 5; data to Sat 11.
    tx = pd.DataFrame({"customer_id": ["x", "x", "y"],
                       "date": pd.to_datetime(["2025-01-04", "2025-01-05", "2025-01-05"]),
                       "amount": [1.0, 1.0, 1.0]})
    # Monday weeks: Mon 30 Dec - Sun 5 Jan holds all three lines, one cohort of 2; the next
    # week (Mon 6 - Sun 12) is cut at Sat 11, observed, nobody buys: 0 / 2
    monday = rl.cohort_table(tx, period="W", observation_end="2025-01-11")
    index = pd.PeriodIndex([pd.Period("2024-12-30", "W-SUN")], name="cohort")
    assert_frame_equal(monday, wide(index, [2], [[1.0, 0.0]]))
    assert monday.attrs["partial_period"] == "2025-01-06/2025-01-12"
    # Sunday weeks: x joins in Sun 29 Dec - Sat 4 Jan and is back in Sun 5 - Sat 11 (1 / 1);
    # y joins in the week of Sun 5 Jan, which ends on Sat 11: complete
    sunday = rl.cohort_table(tx, period="W", observation_end="2025-01-11", week_start="sunday")
    index = pd.PeriodIndex([pd.Period("2024-12-29", "W-SAT"), pd.Period("2025-01-05", "W-SAT")],
                           name="cohort")
    assert_frame_equal(sunday, wide(index, [1, 1], [[1.0, 1.0], [1.0, NAN]]))
    assert sunday.attrs["partial_period"] is None
    assert sunday.attrs["week_start"] == "sunday" and monday.attrs["week_start"] == "monday"
    # each cohort is named by its first day
    assert [p.start_time.day_name() for p in sunday.index] == ["Sunday", "Sunday"]
    # the curve and revenue retention pass the week start on
    curve = rl.retention_curve(tx, period="W", observation_end="2025-01-11", week_start="sunday")
    assert curve["retention"].tolist() == [1.0, 1.0]  # age 1: x back, y not yet that old
    revenue = rl.revenue_retention(tx, period="W", observation_end="2025-01-11",
                                   week_start="sunday")
    assert revenue.index.equals(sunday.index)


def test_the_week_start_leaves_month_cohorts_alone():
    tx = five_customers()
    assert_frame_equal(rl.cohort_table(tx, observation_end=END, week_start="sunday"),
                       rl.cohort_table(tx, observation_end=END), check_like=True)


def test_by_segment_uses_acquisition_segment():
    got = rl.cohort_table(five_customers(), by="region", normalize=False, observation_end=END)
    # d's first purchase is in South, so d stays South even though Apr 15 is North
    index = pd.MultiIndex.from_arrays(
        [["North", "South", "South"], months("2024-01", "2024-02", "2024-03")],
        names=["region", "cohort"])
    expected = wide(index, [2, 2, 1], [[2, 1, 0, 1], [2, 1, 1, NAN], [1, 0, NAN, NAN]])
    assert_frame_equal(got, expected)
    long = rl.cohort_table(five_customers(), by="region", form="long", observation_end=END)
    assert long.columns[0] == "region"
    assert set(long["region"]) == {"North", "South"}


def test_retention_curve_weighted_by_hand():
    tx = five_customers()
    curve = rl.retention_curve(tx, observation_end=END)
    # age 0: 5/5; age 1: (1 + 1 + 0) / (2 + 2 + 1) = 0.4; age 2: (0 + 1) / (2 + 2) = 0.25;
    # age 3: 1 / 2 = 0.5 (only the January cohort is that old)
    expected = pd.DataFrame(
        {"retention": [1.0, 0.4, 0.25, 0.5], "retained": [5, 2, 1, 1],
         "customers": [5, 5, 4, 2], "cohorts": [3, 3, 2, 1]},
        index=pd.Index([0, 1, 2, 3], name="period_number"))
    assert_frame_equal(curve, expected)
    # default observation end 2024-04-15: April cells (Jan age 3, Feb age 2, Mar age 1) dropped
    # age 1: (1 + 1) / (2 + 2) = 0.5; age 2: 0 / 2 = 0
    curve_p = rl.retention_curve(tx)
    assert curve_p["retention"].tolist() == [1.0, 0.5, 0.0]
    # a cohort table gives the same curve as the transactions
    assert_frame_equal(rl.retention_curve(rl.cohort_table(tx)), curve_p)
    assert len(rl.retention_curve(tx, include_partial=True)) == 4


def test_retention_curve_by_segment():
    curve = rl.retention_curve(five_customers(), by="region", observation_end=END)
    # North: Jan cohort only: 1, 0.5, 0, 0.5; South: Feb {c,d}, Mar {e}: age 1 (1+0)/3
    assert curve.loc["North", "retention"].tolist() == [1.0, 0.5, 0.0, 0.5]
    assert curve.loc["South", "retention"].tolist() == pytest.approx([1.0, 1 / 3, 0.5])


def test_customers_without_purchase_reported():
    tx = pd.concat([five_customers(), pd.DataFrame({
        "customer_id": ["z"], "date": pd.to_datetime(["2024-02-02"]), "amount": [-15.0],
        "region": ["North"]})], ignore_index=True)
    table = rl.cohort_table(tx, value="revenue", normalize=False, observation_end=END)
    assert table.attrs["customers_without_purchase"] == 1
    assert table.attrs["revenue_outside_cohorts"] == -15.0
    assert table["size"].sum() == 5


@pytest.mark.parametrize("kwargs, error, match", [
    ({"period": "D"}, ConfigError, "period 'D' is not supported"),
    ({"value": "profit"}, ConfigError, "value='profit'"),
    ({"mode": "after"}, ConfigError, "mode='after'"),
    ({"value": "revenue", "mode": "on_or_after"}, ConfigError, "value='customers' only"),
    ({"by": "channel"}, DataError, "column 'channel' not found"),
    ({"observation_end": "2023-01-01"}, DataError, "no transaction falls on or before"),
])
def test_bad_arguments_raise_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        rl.cohort_table(five_customers(), **kwargs)


def test_bad_transactions_raise_clear_errors():
    tx = five_customers()
    with pytest.raises(DataError, match="not datetime"):
        rl.cohort_table(tx.assign(date=tx["date"].astype(str)))
    with pytest.raises(DataError, match="column 'customer_id' not found"):
        rl.cohort_table(tx.rename(columns={"customer_id": "cust"}))
    with pytest.raises(DataError, match="missing in 1 transaction rows"):
        rl.cohort_table(tx.assign(amount=tx["amount"].where(tx.index != 3)))


# ------------------------------------------------------------------ invariants (hypothesis)
@settings(max_examples=60, deadline=None)
@given(tx_strategy, st.sampled_from(["W", "M", "Q"]))
def test_invariants(tx, period):
    if not (tx.groupby(["customer_id", "date"])["amount"].sum() >= 0).any():
        with pytest.raises(DataError):
            rl.cohort_table(tx, period=period)
        return
    on = rl.cohort_table(tx, period=period)
    after = rl.cohort_table(tx, period=period, mode="on_or_after")
    rates = on.drop(columns="size").to_numpy()
    # retention within [0, 1], period 0 == 1, NaN only where unobserved (upper-right triangle)
    observed = ~np.isnan(rates)
    assert ((rates[observed] >= 0) & (rates[observed] <= 1)).all()
    assert (rates[:, 0] == 1).all()
    # a cohort c is observed at ages 0 .. (last period - c), NaN after
    last = pd.Period(on.attrs["observation_end"], freq=on.index.freq).ordinal
    n_observed = last - on.index.asi8 + 1
    assert (observed.sum(axis=1) == n_observed).all()
    assert all(observed[i, :k].all() for i, k in enumerate(n_observed))
    a = after.drop(columns="size").to_numpy()
    assert (np.isnan(a) == np.isnan(rates)).all()
    assert (a[observed] >= rates[observed] - 1e-12).all()
    # unnormalised segment tables add up to the total table
    total = rl.cohort_table(tx, period=period, normalize=False)
    seg = rl.cohort_table(tx, period=period, normalize=False, by="seg")
    summed = seg.groupby(level="cohort").sum(min_count=1)
    assert_frame_equal(summed, total, check_dtype=False)
    # sizes = customers with at least one purchase day
    assert total["size"].sum() + total.attrs["customers_without_purchase"] == tx[
        "customer_id"].nunique()
    # revenue accounting: cohort cells + lines outside cohorts = all revenue
    rev = rl.cohort_table(tx, period=period, value="revenue", normalize=False)
    assert np.nansum(rev.drop(columns="size").to_numpy()) + rev.attrs[
        "revenue_outside_cohorts"] == pytest.approx(tx["amount"].sum())


def test_retention_curve_from_sliced_table():
    # dropping later columns must not turn complete cells into 'partial' ones
    table = rl.cohort_table(five_customers())  # April partial
    curve = rl.retention_curve(table.iloc[:, :3])  # size, ages 0, 1
    # age 1: Jan 1 + Feb 1 (Mar's age 1 is April, partial) -> 2 / 4
    assert curve["retention"].tolist() == [1.0, 0.5]


def test_revenue_retention_with_nonpositive_base_is_nan_and_warned():
    from retainlib.errors import RetainlibWarning

    tx = pd.DataFrame({
        "customer_id": ["a", "a", "a"],
        # Jan: buys 10 on the 5th, returns 30 on the 20th -> January net revenue -20
        "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03"]),
        "amount": [10.0, -30.0, 50.0]})
    with pytest.warns(RetainlibWarning, match="period-0 revenue <= 0"):
        nrr = rl.revenue_retention(tx)
    assert nrr[[0, 1]].isna().all().all()
    raw = rl.cohort_table(tx, value="revenue", normalize=False)
    assert raw[0].iloc[0] == -20.0 and raw[1].iloc[0] == 50.0


@settings(max_examples=40, deadline=None)
@given(tx_strategy, st.booleans())
def test_orders_with_one_id_per_customer_day_equal_purchase_days(tx, all_missing):
    # an order id per (customer, day), or no id at all (one order per purchase day), must
    # give the same order counts as the purchase-day rule without an order_id column
    if not (tx.groupby(["customer_id", "date"])["amount"].sum() >= 0).any():
        return
    ids = tx["customer_id"] + "-" + tx["date"].dt.strftime("%Y%m%d")
    with_ids = tx.assign(order_id=pd.Series(pd.NA, index=tx.index, dtype="str")
                         if all_missing else ids)
    expected = rl.cohort_table(tx, value="orders", normalize=False)
    assert_frame_equal(rl.cohort_table(with_ids, value="orders", normalize=False), expected)
