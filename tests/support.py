"""Small hand-made transaction frames and strategies shared by several test files."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

__all__ = ["five_customers", "tx_strategy"]


def five_customers() -> pd.DataFrame:
    """Five customers over January-April 2024 (hand computation in each test).

    a: Jan 3 (100), Feb 10 (50), Apr 1 (30)          -> active Jan, Feb, Apr
    b: Jan 15 (200), Jan 20 (-200 return), Mar 5 (-20 return only)
                                                      -> active Jan only (return days are
                                                         not purchase days)
    c: Feb 1 (80 and -30 the same day: net 50), Mar 10 (40)   -> active Feb, Mar
    d: Feb 20 (60, region South), Apr 15 (70, region North)   -> active Feb, Apr
    e: Mar 30 (90)                                    -> active Mar
    Cohorts: Jan = {a, b}, Feb = {c, d}, Mar = {e}.
    """
    rows = [
        ("a", "2024-01-03", 100.0, "North"),
        ("a", "2024-02-10", 50.0, "North"),
        ("a", "2024-04-01", 30.0, "North"),
        ("b", "2024-01-15", 200.0, "North"),
        ("b", "2024-01-20", -200.0, "North"),
        ("b", "2024-03-05", -20.0, "North"),
        ("c", "2024-02-01", 80.0, "South"),
        ("c", "2024-02-01", -30.0, "South"),
        ("c", "2024-03-10", 40.0, "South"),
        ("d", "2024-02-20", 60.0, "South"),
        ("d", "2024-04-15", 70.0, "North"),
        ("e", "2024-03-30", 90.0, "South"),
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "date", "amount", "region"])
    df["date"] = pd.to_datetime(df["date"])
    return df


#: random small transaction frames (up to 40 rows, 8 customers, three segments)
tx_strategy = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 200), st.floats(-50, 100).map(round),
              st.sampled_from(["N", "S", "E"])),
    min_size=1, max_size=40,
).map(lambda rows: pd.DataFrame({
    "customer_id": [f"c{r[0]}" for r in rows],
    "date": pd.Timestamp("2023-11-20") + pd.to_timedelta([r[1] for r in rows], unit="D"),
    "amount": [float(r[2]) for r in rows],
    "seg": [r[3] for r in rows],
}))


class FakePurchases:
    """Test double: P(alive) and a purchase rate while active; E[X(t)] = p * rate * t."""

    def __init__(self, p_alive, rate):
        self.p, self.rate = pd.Series(p_alive), pd.Series(rate)

    def probability_alive(self, rfm):
        return self.p.reindex(rfm.index).rename("p_alive")

    def expected_purchases(self, rfm, t):
        return (self.p * self.rate * t).reindex(rfm.index).rename("expected_purchases")


class FakeSpend:
    """Test double: a fixed expected spend per customer."""

    def __init__(self, spend):
        self.spend = pd.Series(spend)

    def expected_spend(self, rfm):
        return self.spend.reindex(rfm.index).rename("expected_spend")
