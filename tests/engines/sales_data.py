"""A small client export for the engine tests: line items with returns, segments, bad rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: rows the loader rejects, each for one reason (appended to the generated sales)
REJECTED = [  # customer_id, date, amount, order_id, region, channel -> reason
    ("", "2024-03-01", "10.0", "r1", "North", "web"),            # blank customer id
    ("N/A", "2024-03-01", "10.0", "r2", "North", "web"),         # blank customer id (placeholder)
    ("c0001", "not a date", "10.0", "r3", "North", "web"),       # unparseable date
    ("c0001", "2999-01-01", "10.0", "r4", "North", "web"),       # date out of range
    ("c0001", "2024-03-01", "", "r5", "North", "web"),           # blank amount
    ("c0001", "2024-03-01", "ten", "r6", "North", "web"),        # non-numeric amount
    ("Total", "2024-03-01", "999.0", "", "North", "web"),        # total row
]
REASONS = {"blank customer id": 2, "unparseable date": 1, "date out of range": 1,
           "blank amount": 1, "non-numeric amount": 1, "total row": 1}


def make_sales(n_customers: int = 240, seed: int = 7) -> pd.DataFrame:
    """Line items of a small shop over two years, as text cells (a CSV export).

    Each customer has one region and one channel; orders have one to three
    lines; about one order in eight has a returned line on the same day and
    one in twenty a return on a later day; one line is an exact duplicate.
    """
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01")
    rows = []
    order = 0
    for c in range(n_customers):
        cid = f"c{c:04d}"
        region = ["North", "South", "Center"][c % 3]
        channel = ["web", "store"][c % 2]
        first = int(rng.integers(0, 600))
        n_orders = 1 + int(rng.poisson(2.5 if c % 4 else 0.3))
        days = np.sort(first + np.concatenate([[0], rng.integers(0, 730 - first, n_orders - 1)]))
        for day in days:
            order += 1
            date = str(start + int(day))
            for _ in range(1 + int(rng.integers(0, 3))):
                amount = round(float(rng.gamma(2.0, 40.0)), 2)
                rows.append((cid, date, f"{amount:.2f}", f"o{order}", region, channel))
            if rng.random() < 0.125:
                rows.append((cid, date, f"{-round(amount / 2, 2):.2f}", f"o{order}", region,
                             channel))
            if rng.random() < 0.05 and day + 10 < 730:
                rows.append((cid, str(start + int(day) + 10), f"{-amount:.2f}", f"o{order}r",
                             region, channel))
    rows.append(rows[5])  # an exact duplicate, kept (and counted)
    rows += REJECTED
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount", "order_id", "region",
                                       "channel"])
