"""The engines' sums (retainlib.load.engines.Facts) against the pandas analytics on the same lines.

The duckdb and spark engines no longer bring the purchase lines to pandas:
they sum them in SQL per customer, per customer and period, per calibration
split and per year. Each table built from those sums must equal what the
pandas analytics compute from the engine's own purchase lines (read back from
disk with ``Reduced.tx``), on an export with the awkward cases: same-day and
later returns, pure return days, a customer with returns only, a return
before the first purchase, zero amounts, lines without an order id, customers
with several segment values (and ties), lines after the observation end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retainlib.analytics.cohorts import cohort_table, retention_curve, revenue_retention
from retainlib.analytics.customers import _most_frequent
from retainlib.analytics.economics import yearly_of, yearly_revenue_per_customer
from retainlib.analytics.holdout import cumulative_tracking
from retainlib.analytics.kpis import retention_kpis
from retainlib.analytics.pareto import customer_value
from retainlib.analytics.periods import activity_of_cells
from retainlib.analytics.reduced import calibration_of, rfm_of, tracking_from, value_of
from retainlib.analytics.rfm import calibration_holdout, rfm_summary
from retainlib.config.client import load_config
from retainlib.load.engines import reduce_client
from retainlib.models import BetaGeoModel
from tests.engines.sales_data import make_sales

END = "2024-12-31"


def awkward_sales() -> pd.DataFrame:
    """The engine tests' export plus the awkward lines of the module docstring."""
    df = make_sales(n_customers=120, seed=3)
    extra = [  # customer_id, date, amount, order_id, region, channel
        ("z1", "2024-02-01", "-25.00", "zr1", "North", "web"),     # returns only
        ("z2", "2024-01-10", "-5.00", "zr2", "South", "web"),      # a return before ...
        ("z2", "2024-01-20", "30.00", "zo1", "South", "web"),      # ... the first purchase
        ("z2", "2024-01-20", "0.00", "zo1", "North", "store"),     # a zero line, other segment
        ("z2", "2024-03-05", "12.00", "", "North", "store"),       # no order id
        ("z2", "2024-03-05", "8.00", "", "North", "store"),        # no order id, same day
        ("z2", "2024-03-06", "0.00", "", "Center", "web"),         # a zero day
        ("z2", "2024-03-20", "-50.00", "zr3", "South", "web"),     # a pure return day
        ("z2", "2025-01-15", "40.00", "zo2", "South", "web"),      # after the end
        ("z3", "2024-05-01", "10.00", "zo3", "North", "web"),      # a tie North / South ...
        ("z3", "2024-06-01", "10.00", "zo4", "South", "store"),    # ... North is first
    ]
    return pd.concat([df, pd.DataFrame(extra, columns=df.columns)], ignore_index=True)


@pytest.fixture(scope="module")
def awkward(tmp_path_factory):
    folder = tmp_path_factory.mktemp("facts")
    df = awkward_sales()
    df.to_csv(folder / "sales.csv", index=False)
    df.drop(columns="order_id").to_csv(folder / "no_orders.csv", index=False)
    return folder


def reduced(folder, file="sales.csv", engine="duckdb", session=None, **more):
    cfg = load_config({"client": "Shop", "data": str(folder / file), "engine": engine,
                       "segments": ["region", "channel"], "observation_end": END,
                       "fiscal_year_start": 4, **more})
    return cfg, reduce_client(cfg, session=session)


def assert_frames(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=1e-9,
                                  check_dtype=False, check_index_type=False)


def check_customers(r) -> None:
    tx, f = r.tx, r.facts
    assert_frames(rfm_of(f.customers, observation_end=END, return_days=f.return_days),
                  rfm_summary(tx, observation_end=END))
    want = rfm_summary(tx, observation_end=END).attrs
    got = rfm_of(f.customers, observation_end=END, return_days=f.return_days).attrs
    assert got.keys() == want.keys()
    for k, v in want.items():
        assert got[k] == (pytest.approx(v) if isinstance(v, float) else v), k
    assert_frames(value_of(f.customers), customer_value(tx))
    for seg in ("region", "channel"):
        pd.testing.assert_series_equal(
            f.customers[seg].astype(object), _most_frequent(tx, seg).reindex(
                f.customers.index).astype(object), check_names=False)


def check_periods(cfg, r) -> None:
    tx, f = r.tx, r.facts
    weeks = {"week_start": cfg.first_weekday}
    act = activity_of_cells(f.cells, f.customers["first_day"].to_numpy(dtype=float),
                            f.customers.index, period=cfg.period, observation_end=END,
                            first_date=f.first_date, **weeks)
    for table in (cohort_table, revenue_retention, retention_curve):
        assert_frames(table(act, period=cfg.period, observation_end=END, **weeks),
                      table(tx, period=cfg.period, observation_end=END, **weeks))
    got = retention_kpis(act, period=cfg.period, observation_end=END, **weeks)
    want = retention_kpis(tx, period=cfg.period, observation_end=END, **weeks)
    assert_frames(got, want)
    assert got.attrs == want.attrs


def check_holdout(cfg, r) -> None:
    tx, f = r.tx, r.facts
    cal_end = cfg.clv.calibration_end_for(tx["date"].min(), pd.Timestamp(END))
    assert f.calibration_end == cal_end
    want = calibration_holdout(tx, calibration_end=cal_end, observation_end=END)
    got = calibration_of(f.holdout, calibration_end=cal_end, observation_end=END,
                         returns=f.holdout_returns)
    assert_frames(got, want)
    for k, v in want.attrs.items():
        assert got.attrs[k] == (pytest.approx(v) if isinstance(v, float) else v), k
    model = BetaGeoModel(penalizer=0.01).fit(want)  # any fitted model: the same for both
    outside = int((f.customers["purchase_days"] > 0).sum()) - len(got)
    tracking = tracking_from(model, f.holdout, f.repeat_days, calibration_end=cal_end,
                             observation_end=END, outside=outside)
    expected = cumulative_tracking(model, tx, calibration_end=cal_end, observation_end=END,
                                   customers=want.index)
    assert_frames(tracking, expected)
    assert tracking.attrs == expected.attrs


def check_years(r) -> None:
    years = r.facts.years.set_index("year")
    got = yearly_of(years["revenue"], years["customers"], first=r.facts.first_date,
                    observation_end=END, fiscal_year_start=4)
    assert_frames(got, yearly_revenue_per_customer(r.tx, observation_end=END,
                                                   fiscal_year_start=4))


@pytest.mark.parametrize(("period", "week_start"), [
    ("M", "monday"), ("W", "monday"), ("W", "sunday"), ("Q", "monday"), ("Y", "monday")])
def test_duckdb_sums_equal_the_pandas_analytics_of_its_lines(awkward, period, week_start):
    cfg, r = reduced(awkward, period=period, week_start=week_start)
    check_customers(r)
    check_periods(cfg, r)
    check_holdout(cfg, r)
    check_years(r)


def test_duckdb_sums_without_order_ids(awkward):
    cfg, r = reduced(awkward, "no_orders.csv")
    assert "order_id" not in r.tx.columns
    check_customers(r)
    check_periods(cfg, r)


def test_spark_sums_equal_the_pandas_analytics_of_its_lines(awkward, spark):
    cfg, r = reduced(awkward, engine="spark", session=spark, period="W", week_start="sunday")
    check_customers(r)
    check_periods(cfg, r)
    check_holdout(cfg, r)
    check_years(r)


def test_customer_sums_by_hand(tmp_path):
    # z2 of the awkward export alone (up to the end, 31 Dec 2024):
    # lines -5 (10 Jan), 30 + 0 (20 Jan, order zo1), 12 + 8 (5 Mar, no id), 0 (6 Mar),
    # -50 (20 Mar); 40 on 15 Jan 2025 is after the end.
    df = awkward_sales()
    df[df["customer_id"] == "z2"].to_csv(tmp_path / "z2.csv", index=False)
    _, r = reduced(tmp_path, "z2.csv")
    row = r.facts.customers.loc["z2"]
    assert row["revenue"] == pytest.approx(-5 + 30 + 0 + 12 + 8 + 0 - 50)  # -5
    assert row["gross_revenue"] == pytest.approx(50.0) and row["returns"] == pytest.approx(55.0)
    # orders: zo1 and the two id-less purchase lines of 5 Mar (one line each: 12 and 8
    # share customer, day, order (none) and segments, so they are one purchase line of 20)
    assert row["orders"] == 2
    assert row["first_purchase"] == pd.Timestamp("2024-01-20")
    assert row["last_purchase"] == pd.Timestamp("2024-03-05")
    # purchase days (net >= 0): 20 Jan (30), 5 Mar (20), 6 Mar (0); 10 Jan and 20 Mar return
    assert row["purchase_days"] == 3 and row["purchase_total"] == pytest.approx(50.0)
    assert row["first_net"] == pytest.approx(30.0)
    day = (pd.Timestamp("2024-01-20") - pd.Timestamp("1970-01-01")).days
    assert row["first_day"] == day and row["last_day"] == day + 46
    assert r.facts.return_days == (2, pytest.approx(-55.0))
    # the region z2 bought in most often: South (10 Jan, 20 Jan, 20 Mar) vs North (20 Jan zero
    # line, 5 Mar): 3 purchase lines to 2
    assert row["region"] == "South"
    rfm = rfm_of(r.facts.customers, observation_end=END)
    assert rfm.loc["z2", "frequency"] == 2
    assert rfm.loc["z2", "monetary_value"] == pytest.approx((20 + 0) / 2)
    assert np.isclose(rfm.loc["z2", "T"], (pd.Timestamp(END) - pd.Timestamp("2024-01-20")).days
                      / 7)
