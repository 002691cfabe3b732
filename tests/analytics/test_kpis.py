"""Retention KPIs per period on hand-computed frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

import retainlib as rl
from retainlib.errors import ConfigError, DataError
from tests.support import five_customers, tx_strategy

NAN = np.nan
END = "2024-04-30"
MONTHS = pd.PeriodIndex(["2024-01", "2024-02", "2024-03", "2024-04"], freq="M", name="period")


def test_kpis_one_month_window_by_hand():
    k = rl.retention_kpis(five_customers(), active_window=1, observation_end=END)
    # active: Jan {a, b}; Feb {a, c, d}; Mar {c, e}; Apr {a, d} (b's March return is no purchase)
    # window 1: base at the end of t = buyers of t -> E = 2, 3, 2, 2; S = E of t-1 = 0, 2, 3, 2
    # lost: Feb b; Mar a, d; Apr c, e.  won back (gap > 1 period): Apr a, d
    # N = joined = new + won back = 2, 2, 1, 0 + 2
    # CRR = (E - N) / S: Feb (3 - 2) / 2 = 0.5; Mar (2 - 1) / 3; Apr (2 - 2) / 2 = 0: both
    # April buyers had lapsed in March, and c, e (the whole base) are lost. churn = lost / S
    # returning (bought in t-1 too): Feb a; Mar c. reactivated: Apr a, d
    # revenue: Jan 100 + 200 - 200 = 100; Feb 50 + 80 - 30 + 60 = 160; Mar -20 + 40 + 90 = 110;
    #          Apr 30 + 70 = 100.  orders = purchase days: 2, 3, 2, 2
    # repeat: a reaches 2 orders in Feb, c in Mar, d in Apr; acquired 2, 4, 5, 5
    expected = pd.DataFrame({
        "active_customers": [2, 3, 2, 2],
        "new_customers": [2, 2, 1, 0],
        "returning_customers": [0, 1, 1, 0],
        "reactivated_customers": [0, 0, 0, 2],
        "customers_start": [0, 2, 3, 2],
        "customers_end": [2, 3, 2, 2],
        "lost": [0, 1, 2, 2],
        "won_back": [0, 0, 0, 2],
        "joined": [2, 2, 1, 2],
        "crr": [NAN, 0.5, 1 / 3, 0.0],
        "churn_rate": [NAN, 0.5, 2 / 3, 1.0],
        "pop_retention": [NAN, 0.5, 1 / 3, 0.0],
        "revenue": [100.0, 160.0, 110.0, 100.0],
        "orders": [2, 3, 2, 2],
        "aov": [50.0, 160 / 3, 55.0, 50.0],
        "purchase_frequency": [1.0, 1.0, 1.0, 1.0],
        "revenue_per_customer": [50.0, 160 / 3, 55.0, 50.0],
        "annual_revenue_per_customer": [NAN] * 4,  # less than 12 months of data
        "repeat_purchase_rate": [0.0, 0.25, 0.4, 0.6],
        "partial": [False] * 4,
        "base_complete": [False, True, True, True],
    }, index=MONTHS)
    assert_frame_equal(k, expected)
    assert k.attrs["active_window"] == 1


def test_kpis_two_month_window_by_hand():
    k = rl.retention_kpis(five_customers(), active_window=2, observation_end=END)
    # base = bought in t-1 or t: Jan {a,b}; Feb {a,b,c,d}; Mar {a,c,d,e} (b lapses);
    # Apr {a,c,d,e}. S = 0, 2, 4, 4; N = 2, 2, 1, 0
    # CRR: Feb (4 - 2) / 2 = 1; Mar (4 - 1) / 4 = 0.75; Apr (4 - 0) / 4 = 1
    assert k["customers_end"].tolist() == [2, 4, 4, 4]
    assert k["lost"].tolist() == [0, 0, 1, 0]
    np.testing.assert_allclose(k["crr"], [NAN, 1.0, 0.75, 1.0])
    assert k["base_complete"].tolist() == [False, False, True, True]


def test_default_window_is_one_year_and_partial_flag():
    k = rl.retention_kpis(five_customers())  # ends on the last date, 2024-04-15
    assert k.attrs["active_window"] == 12
    # nobody lapses within 12 months: E = acquired so far = 2, 4, 5, 5; CRR = 1 each month
    assert k["customers_end"].tolist() == [2, 4, 5, 5]
    assert k["crr"].tolist()[1:] == [1.0, 1.0, 1.0]
    assert k["partial"].tolist() == [False, False, False, True]
    assert k.attrs["partial_period"] == "2024-04"


def test_active_window_as_duration():
    a = rl.retention_kpis(five_customers(), active_window="61D", observation_end=END)
    assert a.attrs["active_window"] == 2  # 61 / 30.44 days = 2.0 months
    b = rl.retention_kpis(five_customers(), active_window=pd.DateOffset(months=2),
                          observation_end=END)
    assert_frame_equal(a, b)


def annual_case(pattern: str) -> pd.DataFrame:
    if pattern == "monthly_new":
        # 50 new customers a month in 2023, each buying once for 3,000: 600 customers, 1.8M
        cust = np.arange(600)
        month = cust // 50
        amount = np.full(600, 3000.0)
    else:
        # 600 customers each buying 250 every month of 2023: 1.8M
        cust = np.repeat(np.arange(600), 12)
        month = np.tile(np.arange(12), 600)
        amount = np.full(7200, 250.0)
    return pd.DataFrame({
        "customer_id": pd.array([f"C{c:03d}" for c in cust], dtype="str"),
        "date": pd.to_datetime("2023-01-10") + pd.DateOffset(0) + pd.to_timedelta(
            month * 30.5, unit="D").round("D"),
        "amount": amount,
    })


@pytest.mark.parametrize("pattern", ["monthly_new", "monthly_repeat"])
def test_annual_revenue_per_customer_is_3000(pattern):
    tx = annual_case(pattern)
    assert tx["amount"].sum() == 1_800_000
    # one year: 1,800,000 / 600 customers = 3,000 a customer a year
    y = rl.retention_kpis(tx, period="Y", observation_end="2023-12-31")
    assert y["annual_revenue_per_customer"].tolist() == [3000.0]
    assert y["revenue_per_customer"].tolist() == [3000.0]
    m = rl.retention_kpis(tx, period="M", observation_end="2023-12-31")
    # trailing year at December: 1.8M / 600 buyers in the last 12 months (not 12 x the
    # monthly revenue per buyer, which would be 36,000 for monthly_new); NaN before December
    assert m["annual_revenue_per_customer"].iloc[-1] == 3000.0
    assert m["annual_revenue_per_customer"].iloc[:-1].isna().all()


def test_order_ids_and_return_only_customer_revenue():
    tx = five_customers()
    tx["order_id"] = [f"O{i}" for i in range(len(tx))]
    tx.loc[1, "order_id"] = "O0"  # a's Feb line shares an id with Jan: still an order in Feb
    z = pd.DataFrame({"customer_id": ["z"], "date": pd.to_datetime(["2024-02-02"]),
                      "amount": [-15.0], "region": ["North"], "order_id": ["R9"]})
    k = rl.retention_kpis(pd.concat([tx, z], ignore_index=True), observation_end=END)
    # z only returned goods: not a customer, but the -15 is in February's net revenue
    assert k["revenue"].tolist() == [100.0, 145.0, 110.0, 100.0]
    assert k["active_customers"].tolist() == [2, 3, 2, 2]
    assert k["orders"].tolist() == [2, 3, 2, 2]
    assert k.attrs["customers_without_purchase"] == 1


def test_by_segment_adds_up():
    tx = five_customers()
    total = rl.retention_kpis(tx, active_window=1, observation_end=END)
    seg = rl.retention_kpis(tx, active_window=1, by="region", observation_end=END)
    assert seg.index.names == ["region", "period"]
    # North = a, b; South = c, d, e (d keeps its acquisition segment South)
    assert seg.loc["North", "active_customers"].tolist() == [2, 1, 0, 1]
    assert seg.loc["South", "active_customers"].tolist() == [0, 2, 2, 1]
    # South revenue: Feb 80 - 30 + 60 = 110; Mar 40 + 90 = 130; Apr d's 70 (North row)
    assert seg.loc["South", "revenue"].tolist() == [0.0, 110.0, 130.0, 70.0]
    additive = ["active_customers", "new_customers", "returning_customers",
                "reactivated_customers", "customers_start", "customers_end", "lost",
                "won_back", "joined", "revenue", "orders"]
    summed = seg[additive].groupby(level="period").sum()
    assert_frame_equal(summed, total[additive])


def test_retention_summary_sentence():
    k = rl.retention_kpis(five_customers(), active_window=1, observation_end=END)
    s = rl.retention_summary(k)
    # complete periods with S > 0: Feb 0.5, Mar 1/3, Apr 0 -> last Apr, previous Mar,
    # change -0.333, average of the last 3 = (0.5 + 1/3 + 0) / 3 = 0.2778; in April a and d
    # came back (won back); 4 months of data: no year of win-backs yet
    assert s["period"] == "2024-04" and s["previous_period"] == "2024-03"
    assert s["crr"] == 0.0 and s["previous_crr"] == pytest.approx(1 / 3)
    assert s["average_crr"] == pytest.approx(0.2778, abs=1e-4)
    assert s["trend"] == "down"
    assert (s["customers_start"], s["lost"], s["won_back"]) == (2, 2, 2)
    assert np.isnan(s["won_back_year"])
    assert s["text"] == ("In 2024-04 the customer retention rate was 0.0% (churn 100.0%), down "
                         "33.3 points from 2024-03 (33.3%); the 3-month average is 27.8%; 2 "
                         "lapsed customers came back (won back, not part of the retention "
                         "rate).")
    # with April partial (default observation end), March is the last complete month
    s2 = rl.retention_summary(rl.retention_kpis(five_customers(), active_window=1))
    assert s2["period"] == "2024-03"
    with pytest.raises(DataError, match="one segment"):
        rl.retention_summary(rl.retention_kpis(five_customers(), by="region"))


def test_a_customer_who_lapses_and_returns_is_won_back_not_retained():
    # one-month window. x buys in Jan, Mar, Apr; y in Jan, Feb, Mar, Apr; z in Jan only.
    #        buyers     S (end of t-1)  lost           won back  new  N = new + won  E
    # Jan    x y z      0               -              -         3    3              3
    # Feb    y          3 {x, y, z}     2 (x, z)       0         0    0              1
    # Mar    x y        1 {y}           0              1 (x)     0    1              2
    # Apr    x y        2 {x, y}        0              0         0    0              2
    # CRR = (E - N) / S: Feb (1 - 0) / 3 = 1/3; Mar (2 - 1) / 1 = 1 (y stayed; x came back
    # but is not counted as retained: the old (E - new) / S gave 2 / 1 = 200%); Apr 2 / 2 = 1
    # E - N = S - lost: Feb 1 = 3 - 2; Mar 1 = 1 - 0; Apr 2 = 2 - 0
    days = {"x": ["01-05", "03-05", "04-05"], "y": ["01-06", "02-06", "03-06", "04-06"],
            "z": ["01-07"]}
    tx = pd.DataFrame([(c, pd.Timestamp(f"2024-{d}"), 10.0) for c, ds in days.items()
                       for d in ds], columns=["customer_id", "date", "amount"])
    k = rl.retention_kpis(tx, active_window=1, observation_end=END)
    got = k[["customers_start", "lost", "won_back", "new_customers", "joined",
             "customers_end", "crr", "churn_rate"]]
    expected = pd.DataFrame({
        "customers_start": [0, 3, 1, 2], "lost": [0, 2, 0, 0], "won_back": [0, 0, 1, 0],
        "new_customers": [3, 0, 0, 0], "joined": [3, 0, 1, 0], "customers_end": [3, 1, 2, 2],
        "crr": [NAN, 1 / 3, 1.0, 1.0], "churn_rate": [NAN, 2 / 3, 0.0, 0.0],
    }, index=MONTHS)
    assert_frame_equal(got, expected)


def test_twenty_years_of_returning_customers_never_show_retention_above_100_percent():
    # 200 customers over 240 months; each buys in a random 30% of months, so lapses of more
    # than a 3-month window and returns happen all the time
    rng = np.random.default_rng(12)
    months = pd.period_range("2004-01", periods=240, freq="M")
    cust, month = np.nonzero(rng.random((200, 240)) < 0.3)
    tx = pd.DataFrame({"customer_id": [f"C{c}" for c in cust],
                       "date": months[month].to_timestamp() + pd.Timedelta(days=3),
                       "amount": 10.0})
    k = rl.retention_kpis(tx, active_window=3)
    assert k["won_back"].sum() > 100  # many come back
    crr = k["crr"].dropna()
    assert ((crr >= 0) & (crr <= 1)).all()
    s = rl.retention_summary(k)
    # the year of months up to the reported one, summed by hand
    upto = k.loc[: s["period"], "won_back"]
    assert s["won_back_year"] == upto.iloc[-12:].sum()
    assert s["won_back"] == upto.iloc[-1]


def test_bad_arguments():
    with pytest.raises(ConfigError, match="shorter than one month"):
        rl.retention_kpis(five_customers(), active_window=0)
    with pytest.raises(ConfigError, match="period 'X'"):
        rl.retention_kpis(five_customers(), period="X")
    with pytest.raises(DataError, match="column 'segment' not found"):
        rl.retention_kpis(five_customers(), by="segment")


@settings(max_examples=50, deadline=None)
@given(tx_strategy, st.sampled_from(["W", "M", "Q"]), st.integers(1, 4))
def test_kpi_invariants(tx, period, window):
    if not (tx.groupby(["customer_id", "date"])["amount"].sum() >= 0).any():
        with pytest.raises(DataError, match="makes a purchase day"):
            rl.retention_kpis(tx, period=period, active_window=window)
        return
    k = rl.retention_kpis(tx, period=period, active_window=window)
    assert (k["new_customers"] + k["returning_customers"] + k["reactivated_customers"]
            == k["active_customers"]).all()
    assert (k["customers_end"] == k["customers_start"] + k["new_customers"] + k["won_back"]
            - k["lost"]).all()
    assert (k["lost"] <= k["customers_start"]).all()
    assert (k["joined"] == k["new_customers"] + k["won_back"]).all()
    # the identity behind CRR: E - N = S - lost, so CRR = (S - lost) / S lies in [0, 1]
    assert (k["customers_end"] - k["joined"] == k["customers_start"] - k["lost"]).all()
    crr = k["crr"].dropna()
    assert ((crr >= 0) & (crr <= 1)).all()
    has_base = k["customers_start"] > 0
    assert k["crr"].notna().eq(has_base).all()
    np.testing.assert_allclose(k.loc[has_base, "churn_rate"], 1 - k.loc[has_base, "crr"])
    assert_series_equal(k["customers_start"].iloc[1:], k["customers_end"].iloc[:-1],
                        check_index=False, check_names=False)
    for col in ["pop_retention", "repeat_purchase_rate"]:
        v = k[col].dropna()
        assert ((v >= 0) & (v <= 1)).all()
    assert k["revenue"].sum() == pytest.approx(tx["amount"].sum())
    seg = rl.retention_kpis(tx, period=period, active_window=window, by="seg")
    cols = ["active_customers", "customers_end", "lost", "won_back", "orders"]
    assert_frame_equal(seg[cols].groupby(level="period").sum(), k[cols])


def test_quarter_and_year_periods_by_hand():
    q = rl.retention_kpis(five_customers(), period="Q", active_window=1)
    # Q1: a, b, c, d, e all buy (5 new); Q2 (partial, to Apr 15): a and d buy again
    # S = 5, E = 2, N = 0 -> CRR = 2 / 5 = 0.4; lost = b, c, e
    assert q.index.astype(str).tolist() == ["2024Q1", "2024Q2"]
    assert q["customers_start"].tolist() == [0, 5]
    assert q["lost"].tolist() == [0, 3]
    np.testing.assert_allclose(q["crr"], [NAN, 0.4])
    np.testing.assert_allclose(q["pop_retention"], [NAN, 0.4])
    assert q["partial"].tolist() == [False, True]
    y = rl.retention_kpis(five_customers(), period="Y")
    # one (partial) year: no customer at its start, so no retention rate
    assert len(y) == 1 and np.isnan(y["crr"].iloc[0]) and y["partial"].iloc[0]
    assert y["revenue"].iloc[0] == five_customers()["amount"].sum()


def test_weekly_kpis_follow_the_week_start():
    # 2025-01-04 is a Saturday; x buys on Sat 4 and Sun 5 January; data to Sat 11; window 1 week
    tx = pd.DataFrame({"customer_id": ["x", "x"],
                       "date": pd.to_datetime(["2025-01-04", "2025-01-05"]), "amount": 10.0})
    # Monday weeks: both days in Mon 30 Dec - Sun 5 Jan (2 orders); in the next week x does
    # not buy: S = 1, E = 0, lost 1 -> CRR 0
    monday = rl.retention_kpis(tx, period="W", active_window=1, observation_end="2025-01-11")
    assert monday.index.astype(str).tolist() == ["2024-12-30/2025-01-05", "2025-01-06/2025-01-12"]
    assert monday["orders"].tolist() == [2, 0]
    assert monday["crr"].iloc[1] == 0.0 and monday["lost"].iloc[1] == 1
    # Sunday weeks: Sat 4 ends the week from Sun 29 Dec, Sun 5 starts the next: one order
    # each, x bought in the week before too: S = 1, E = 1, N = 0 -> CRR 1, returning 1
    sunday = rl.retention_kpis(tx, period="W", active_window=1, observation_end="2025-01-11",
                               week_start="sunday")
    assert sunday.index.astype(str).tolist() == ["2024-12-29/2025-01-04", "2025-01-05/2025-01-11"]
    assert sunday["orders"].tolist() == [1, 1]
    assert sunday["crr"].iloc[1] == 1.0 and sunday["returning_customers"].iloc[1] == 1
    assert sunday["partial"].tolist() == [False, False]  # Sat 11 ends the Sunday week
    assert sunday.attrs["week_start"] == "sunday"


def test_the_week_start_leaves_monthly_kpis_alone():
    sunday = rl.retention_kpis(five_customers(), observation_end=END, week_start="sunday")
    assert_frame_equal(sunday, rl.retention_kpis(five_customers(), observation_end=END))


# --------------------------------------------------------------------------- trend of retention
def kpi_frame(crr, *, freq="M", start="2022-01", warm_up=(), partial=None):
    """The columns retention_summary reads, for a hand-written CRR series.

    ``warm_up``: CRR values of periods before the base is complete (ignored by the trend);
    ``partial``: CRR of an incomplete last period (ignored too).
    """
    values = [*warm_up, *crr, *([] if partial is None else [partial])]
    n = len(values)
    k = pd.DataFrame({
        "crr": values, "churn_rate": [1 - c for c in values], "customers_start": 100,
        "lost": 5, "won_back": 0,
        "partial": [False] * (n - 1) + [partial is not None],
        "base_complete": [False] * len(warm_up) + [True] * (n - len(warm_up)),
    }, index=pd.period_range(start, periods=n, freq=freq, name="period"))
    k.attrs["period"] = {"M": "M", "Q": "Q", "Y": "Y", "W-SUN": "W"}[freq]
    return k


def test_trend_of_eight_quarters_by_hand():
    # 8 complete quarters; a warm-up quarter (0.5) and a partial one (0.99) are left out.
    # w = 4: recent = (.89 + .88 + .90 + .87) / 4 = .885, before = (.90 + .92 + .91 + .93) / 4
    # = .915, change -.03.
    # slope over x = 0..7 (mean 3.5, Sxx = 42), y mean .9, dy = 0 .02 .01 .03 -.01 -.02 0 -.03:
    # sum dx*dy = -.22 -> slope = -.22 / 42 = -.0052381 a quarter = -.0209524 a year.
    # SSE = sum dy^2 - slope * sum dx*dy = .0028 - .00115238 = .00164762; s^2 = SSE / 6;
    # se = sqrt(s^2 / 42) = .0025570; t(.975, 6) = 2.446912 -> half width .0062567 a quarter
    # = .0250267 a year: interval (-.0459791, .0040743) contains 0 -> 'flat'.
    # .87 is below every other complete quarter (.88 the next lowest) -> 'lowest' of 8.
    k = kpi_frame([0.90, 0.92, 0.91, 0.93, 0.89, 0.88, 0.90, 0.87], freq="Q", start="2022Q4",
                  warm_up=[0.5], partial=0.99)
    s = rl.retention_summary(k)
    assert s["period"] == "2024Q4"
    assert s["trend_window"] == 4
    assert s["trend_recent"] == pytest.approx(0.885)
    assert s["trend_before"] == pytest.approx(0.915)
    assert s["trend_change"] == pytest.approx(-0.03)
    assert s["trend_slope"] == pytest.approx(-0.0209524, abs=1e-7)
    assert s["trend_slope_low"] == pytest.approx(-0.0459791, abs=1e-6)
    assert s["trend_slope_high"] == pytest.approx(0.0040743, abs=1e-6)
    assert s["trend_direction"] == "flat"
    assert (s["record"], s["record_periods"]) == ("lowest", 8)
    assert ("over the last 4 quarters retention averaged 88.5%, 3.0 points below the 4 quarters "
            "before (no clear trend over these 8 quarters: -2.1 points a year, 95% interval -4.6 "
            "to +0.4), and 87.0% is the lowest of the 8 quarters measured;") in s["text"]


def test_trend_of_six_months_shortens_the_window_by_hand():
    # 6 complete months (the default window is 12, too long): w = 6 // 2 = 3.
    # crr .96 .95 .96 .94 .93 .92: recent (.94 + .93 + .92) / 3 = .93, before .9566667.
    # x = 0..5 (mean 2.5, Sxx = 17.5), y mean .9433333, sum dx*dy = sum dx*y =
    # -2.5*.96 - 1.5*.95 - .5*.96 + .5*.94 + 1.5*.93 + 2.5*.92 = -.14 -> slope -.008 a month
    # = -.096 a year. dy = .016667 .006667 .016667 -.003333 -.013333 -.023333, sum dy^2 =
    # .0013333; SSE = sum dy^2 - slope * sum dx*dy = .0013333 - .00112 = .00021333;
    # se = sqrt(.00021333 / 4 / 17.5) = .0017457; t(.975, 4) = 2.776445 -> half .0048469 a
    # month = .058163 a year: (-.154163, -.037837) below 0 -> 'falling'; .92 is the lowest.
    s = rl.retention_summary(kpi_frame([0.96, 0.95, 0.96, 0.94, 0.93, 0.92]))
    assert s["trend_window"] == 3
    assert s["trend_recent"] == pytest.approx(0.93)
    assert s["trend_before"] == pytest.approx(0.9566667, abs=1e-7)
    assert s["trend_slope"] == pytest.approx(-0.096)
    assert s["trend_slope_low"] == pytest.approx(-0.154163, abs=1e-6)
    assert s["trend_slope_high"] == pytest.approx(-0.037837, abs=1e-6)
    assert (s["trend_direction"], s["record"], s["record_periods"]) == ("falling", "lowest", 6)
    assert s["text"] == (
        "In 2022-06 the customer retention rate was 92.0% (churn 8.0%), down 1.0 points from "
        "2022-05 (93.0%); over the last 3 months retention averaged 93.0%, 2.7 points below the "
        "3 months before (falling by 9.6 points a year over these 6 months, 95% interval 3.8 to "
        "15.4), and 92.0% is the lowest of the 6 months measured; no lapsed customer came back "
        "(won back, not part of the retention rate).")


def test_a_strictly_falling_series_is_falling_and_at_its_lowest():
    # 36 months falling 0.1 point a month: the last 24 are fitted exactly (slope -1.2 points a
    # year, interval of width ~0), the last 12 average 1.2 points below the 12 before
    k = kpi_frame([0.96 - 0.001 * i for i in range(36)])
    s = rl.retention_summary(k)
    assert s["trend_window"] == 12
    assert s["trend_change"] == pytest.approx(-0.012)
    assert s["trend_slope"] == pytest.approx(-0.012)
    assert s["trend_slope_high"] < 0
    assert (s["trend_direction"], s["record"], s["record_periods"]) == ("falling", "lowest", 36)
    assert "falling by 1.2 points a year over these 24 months" in s["text"]
    assert "is the lowest of the 36 months measured" in s["text"]


def test_a_strictly_rising_series_is_rising_and_at_its_highest():
    s = rl.retention_summary(kpi_frame([0.80 + 0.002 * i for i in range(30)]))
    assert (s["trend_direction"], s["record"]) == ("rising", "highest")
    assert s["trend_slope"] == pytest.approx(0.024)
    assert "rising by 2.4 points a year over these 24 months" in s["text"]
    assert "is the highest of the 30 months measured" in s["text"]


def test_a_noisy_flat_series_is_flat_without_a_record():
    rng = np.random.default_rng(7)
    crr = list(0.9 + rng.normal(0, 0.01, 48))
    crr[-1] = float(np.median(crr))  # the last month is ordinary
    s = rl.retention_summary(kpi_frame(crr))
    assert s["trend_slope_low"] < 0 < s["trend_slope_high"]
    assert (s["trend_direction"], s["record"], s["record_periods"]) == ("flat", None, 48)
    assert "no clear trend over these 24 months" in s["text"]


def test_yearly_trend_compares_three_years_with_the_three_before():
    # 6 complete years; w = 3; slope per year = slope per period
    s = rl.retention_summary(kpi_frame([0.7, 0.7, 0.7, 0.6, 0.6, 0.6], freq="Y", start="2018"))
    assert s["trend_window"] == 3
    assert s["trend_change"] == pytest.approx(-0.1)
    # x = 0..5, sum dx*y = (.5 + 1.5 + 2.5) * (.6 - .7) = -.45, Sxx = 17.5 -> -.0257143
    assert s["trend_slope"] == pytest.approx(-0.45 / 17.5)
    assert s["record"] is None  # 0.6 ties the two years before


def test_fewer_than_four_complete_periods_give_no_trend():
    s = rl.retention_summary(kpi_frame([0.9, 0.8, 0.7], warm_up=[0.1, 0.2]))
    for key in ("trend_window", "trend_recent", "trend_before", "trend_change", "trend_slope",
                "trend_slope_low", "trend_slope_high"):
        assert np.isnan(s[key])
    assert (s["trend_direction"], s["record"], s["record_periods"]) == ("n/a", None, 3)
    assert "over the last" not in s["text"] and "the 3-month average is 80.0%" in s["text"]
    # four complete periods are enough for w = 2
    assert rl.retention_summary(kpi_frame([0.9, 0.8, 0.7, 0.6]))["trend_window"] == 2


def test_trend_on_real_kpis_uses_complete_periods_only():
    # 30 monthly customers buying every month for 3 years, one of them lost each month after
    # the first year: the rates come from retention_kpis, the trend from its complete months
    rows = []
    for c in range(40):
        last = 36 if c < 10 else 12 + c - 10  # customers 10..39 stop one a month from month 12
        rows += [(f"C{c}", pd.Timestamp("2022-01-05") + pd.DateOffset(months=m), 10.0)
                 for m in range(min(last, 36))]
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    k = rl.retention_kpis(tx, observation_end="2024-12-31")
    s = rl.retention_summary(k)
    complete = k[k["base_complete"] & ~k["partial"] & k["crr"].notna()]
    assert s["record_periods"] == len(complete)
    w = s["trend_window"]
    assert s["trend_recent"] == pytest.approx(complete["crr"].iloc[-w:].mean())
    assert s["trend_before"] == pytest.approx(complete["crr"].iloc[-2 * w:-w].mean())


# --------------------------------------------------------------------------- the sentence in Hebrew
_BACK = "(חזרה אחרי נטישה אינה נכללת בשיעור השימור)."


def test_hebrew_summary_of_six_months_by_hand():
    # the numbers of test_trend_of_six_months_shortens_the_window_by_hand
    s = rl.retention_summary(kpi_frame([0.96, 0.95, 0.96, 0.94, 0.93, 0.92]), lang="he")
    assert s["text"] == (
        "ביוני 2022 שיעור שימור הלקוחות היה 92.0% (נטישה 8.0%), ירידה של 1.0 נקודות אחוז "
        "לעומת מאי 2022 (93.0%); ב-3 החודשים האחרונים השימור היה בממוצע 93.0%, 2.7 נקודות "
        "אחוז פחות מאשר ב-3 החודשים שלפניהם (ירידה של 9.6 נקודות אחוז בשנה ב-6 החודשים האלה, "
        "רווח סמך 95%: 3.8 עד 15.4), ו-92.0% הוא השיעור הנמוך ביותר מבין 6 החודשים שנמדדו; "
        "אף לקוח שנטש לא חזר " + _BACK)
    # every other key is the same in both languages
    en = rl.retention_summary(kpi_frame([0.96, 0.95, 0.96, 0.94, 0.93, 0.92]))
    assert_series_equal(s.drop("text"), en.drop("text"))


def test_hebrew_summary_without_a_trend_counts_the_won_back_customers():
    # the numbers of test_retention_summary_sentence: April 0%, March 33.3%, the 3-month
    # average 27.8%, a and d came back in April
    k = rl.retention_kpis(five_customers(), active_window=1, observation_end=END)
    assert rl.retention_summary(k, lang="he")["text"] == (
        "באפריל 2024 שיעור שימור הלקוחות היה 0.0% (נטישה 100.0%), ירידה של 33.3 נקודות אחוז "
        "לעומת מרץ 2024 (33.3%); הממוצע של 3 החודשים האחרונים הוא 27.8%; 2 לקוחות שנטשו חזרו "
        + _BACK)


def test_hebrew_summary_joins_in_to_years_and_weeks_and_one_customer_back():
    # years: 'ב-' before the digits, the feminine 'השנים האחרונות' / 'שלפניהן'; 2023 ties
    # 2022 (60%): about the same; the last 3 average 60%, 10 points below the 3 before (70%)
    years = rl.retention_summary(kpi_frame([0.7, 0.7, 0.7, 0.6, 0.6, 0.6], freq="Y",
                                           start="2018"), lang="he")["text"]
    assert years.startswith("ב-2023 שיעור שימור הלקוחות היה 60.0% (נטישה 40.0%), כמעט ללא "
                            "שינוי לעומת 2022 (60.0%); ב-3 השנים האחרונות השימור היה בממוצע "
                            "60.0%, 10.0 נקודות אחוז פחות מאשר ב-3 השנים שלפניהן (")
    # weeks (Monday to Sunday from 27.12.2021): 'בשבוע' from 'השבוע' (the article gives way
    # to ב); one customer came back in the last week
    k = kpi_frame([0.9, 0.8, 0.8, 0.7], freq="W-SUN")
    k["won_back"] = [0, 0, 0, 1]
    weeks = rl.retention_summary(k, lang="he")["text"]
    assert weeks.startswith("בשבוע שמתחיל ב-17.01.2022 שיעור שימור הלקוחות היה 70.0% (נטישה "
                            "30.0%), ירידה של 10.0 נקודות אחוז לעומת השבוע שמתחיל ב-10.01.2022 "
                            "(80.0%); ב-2 השבועות האחרונים השימור היה בממוצע 75.0%")
    assert weeks.endswith("; לקוח אחד שנטש חזר " + _BACK)


def test_english_summary_is_the_same_with_lang_en():
    k = kpi_frame([0.96, 0.95, 0.96, 0.94, 0.93, 0.92])
    assert_series_equal(rl.retention_summary(k, lang="en"), rl.retention_summary(k))
