"""Fast synthetic transactions for benchmarks (vectorised numpy, no Python loops).

Usage: ``make_transactions(10_000_000, 1_000_000)`` -> canonical frame
(customer_id str, date datetime64, amount float64, order_id str, region str).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def make_transactions(
    n_rows: int, n_customers: int, *, seed: int = 0, years: int = 3
) -> pd.DataFrame:
    """Return ``n_rows`` canonical transactions spread over ``n_customers`` and ``years``."""
    rng = np.random.default_rng(seed)
    # heavy-tailed activity: some customers buy far more often than others
    weights = rng.gamma(0.6, 1.0, n_customers)
    weights /= weights.sum()
    cust = rng.choice(n_customers, size=n_rows, p=weights)
    cust[:n_customers] = np.arange(n_customers)  # every customer buys at least once
    start = np.datetime64("2021-01-01")
    days = rng.integers(0, 365 * years, n_rows).astype("timedelta64[D]")
    amount = np.round(rng.gamma(2.0, 60.0, n_rows), 2)
    returns = rng.random(n_rows) < 0.03
    amount[returns] *= -1
    regions = np.array(["North", "Center", "South", "Online"])
    return pd.DataFrame(
        {
            "customer_id": pd.array(np.char.add("C", cust.astype(str)), dtype="str"),
            "date": (start + days).astype("datetime64[ns]"),
            "amount": amount,
            "order_id": pd.array(np.char.add("O", np.arange(n_rows).astype(str)), dtype="str"),
            "region": pd.Categorical.from_codes(rng.integers(0, 4, n_rows), regions),
        }
    )
