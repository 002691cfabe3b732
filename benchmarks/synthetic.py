"""Fast synthetic data for benchmarks (vectorised numpy, no Python loops).

Usage: ``make_transactions(10_000_000, 1_000_000)`` -> canonical frame
(customer_id str, date datetime64, amount float64, order_id str, region str);
``make_summary(1_000_000)`` -> a per-customer summary drawn from the BG/NBD and
Gamma-Gamma models with the parameters TRUE_BG and TRUE_GG.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retainlib.datasets._simulate import simulate_bgnbd, simulate_mean_spend

TRUE_BG = (0.25, 4.0, 0.8, 2.5)  # r, alpha (weeks), a, b
TRUE_GG = (6.0, 4.0, 15.0)  # p, q, v
BG_PARAMS = dict(zip(("r", "alpha", "a", "b"), TRUE_BG, strict=True))
GG_PARAMS = dict(zip(("p", "q", "v"), TRUE_GG, strict=True))


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


def make_summary(n: int, seed: int = 0) -> pd.DataFrame:
    """Summary of ``n`` customers in weeks (frequency, recency, T, monetary_value).

    First purchases spread over three years; recency and T in whole days.
    """
    rng = np.random.default_rng(seed)
    t_days = rng.integers(1, 3 * 365, n)
    rfm = simulate_bgnbd(rng, n, T=t_days / 7.0, **BG_PARAMS).summary()
    rfm["recency"] = np.minimum(np.round(rfm["recency"].to_numpy() * 7), t_days) / 7.0
    rfm["T"] = t_days / 7.0
    rfm["monetary_value"] = np.round(
        simulate_mean_spend(rng, rfm["frequency"].to_numpy(), **GG_PARAMS), 2
    )
    rfm.index = pd.Index(np.char.add("C", np.arange(n).astype(str)), name="customer_id")
    rfm.attrs["time_unit"] = "W"
    return rfm
