"""The loader keeps the file's row order, so no analysis may depend on the order of rows."""

import numpy as np
import pandas as pd
import pytest

import retainlib as rl
from retainlib.analytics.periods import activity


@pytest.fixture(scope="module")
def both_orders(cdnow_tx):
    """CDNOW with a segment column and a few returns, in date order and shuffled."""
    rng = np.random.default_rng(7)
    tx = cdnow_tx.copy()
    tx["region"] = pd.array(rng.choice(["North", "South", "Center"], len(tx)), dtype="str")
    returns = tx.sample(40, random_state=1).assign(amount=lambda d: -d["amount"])
    tx = pd.concat([tx, returns], ignore_index=True)
    ordered = tx.sort_values(["date", "customer_id"], kind="stable", ignore_index=True)
    shuffled = tx.sample(frac=1.0, random_state=3, ignore_index=True)
    return ordered, shuffled


def _same(a, b):
    pd.testing.assert_frame_equal(a.sort_index(), b.sort_index(), check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("by", [None, "region"])
def test_cohorts_and_kpis_do_not_depend_on_row_order(both_orders, by):
    ordered, shuffled = both_orders
    for period in ("M", "Q"):
        _same(rl.cohort_table(ordered, period=period, by=by),
              rl.cohort_table(shuffled, period=period, by=by))
        _same(rl.retention_kpis(ordered, period=period, by=by),
              rl.retention_kpis(shuffled, period=period, by=by))


def test_customer_summaries_do_not_depend_on_row_order(both_orders):
    ordered, shuffled = both_orders
    _same(rl.customer_value(ordered), rl.customer_value(shuffled))
    _same(rl.rfm_summary(ordered, observation_end="1997-09-30"),
          rl.rfm_summary(shuffled, observation_end="1997-09-30"))
    # sums of the same amounts in another order may differ in their last bits, so customers
    # whose revenues tie may swap places in the ranking; the shares agree
    for q in (0.1, 0.2):
        assert rl.top_share(ordered, q) == pytest.approx(rl.top_share(shuffled, q), rel=1e-12)
    assert rl.gini(ordered) == pytest.approx(rl.gini(shuffled), rel=1e-12)


def test_acquisition_segment_is_the_largest_line_of_the_first_purchase_day():
    # A: first day 2024-01-05 has North 10 and South 30 -> South (largest line), whatever the order;
    # B: only a return, on 2024-01-07 (West) before 2024-02-01 (East) -> West (earliest day)
    tx = pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B"],
        "date": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-02-10", "2024-02-01",
                                "2024-01-07"]),
        "amount": [10.0, 30.0, 5.0, -4.0, -2.0],
        "region": ["North", "South", "North", "East", "West"],
    })
    for rows in (tx, tx.iloc[::-1].reset_index(drop=True)):
        act = activity(rows, "M", by="region")
        segment = dict(zip(act.customer_ids, act.segments[act.segment], strict=True))
        assert segment == {"A": "South", "B": "West"}
