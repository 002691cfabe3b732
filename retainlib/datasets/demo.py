"""The simulated demo retailer: BG/NBD purchases and Gamma-Gamma spend with known parameters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from retainlib.datasets._simulate import (
    TimeWarp,
    seasonal_multiplier,
    simulate_bgnbd,
    simulate_gamma_gamma,
)
from retainlib.errors import DataError
from retainlib.load.parsing import TEXT

# --- the simulated demo retailer --------------------------------------------------------------

# Region drives loyalty: purchase-rate shape r and dropout Beta(a, b); `spend` scales v.
_REGIONS = pd.DataFrame(
    {
        "share": [0.40, 0.25, 0.20, 0.15],
        "r": [1.10, 1.00, 0.85, 0.80],
        "a": [0.95, 1.10, 1.30, 1.50],
        "b": [5.50, 4.50, 4.00, 3.50],
        "spend": [1.15, 1.00, 0.95, 0.90],
    },
    index=pd.Index(["Center", "Jerusalem", "North", "South"], name="region"),
)
# Channel drives purchase rate (alpha, weeks) and basket size (Gamma-Gamma p, q, v in ILS).
_CHANNELS = pd.DataFrame(
    {
        "alpha": [8.0, 10.0, 6.0],
        "p": [4.0, 3.0, 2.5],
        "q": [4.0, 3.5, 5.0],
        "v": [170.0, 230.0, 160.0],
    },
    index=pd.Index(["store", "web", "app"], name="channel"),
)
# Channel mix within each region (rows follow _REGIONS, columns follow _CHANNELS).
_CHANNEL_MIX = np.array([[0.40, 0.35, 0.25], [0.50, 0.30, 0.20], [0.55, 0.25, 0.20],
                         [0.60, 0.25, 0.15]])
_RETURN_RATE = 0.031  # share of purchases returned later: about 3% of all rows
_SURVEY_SHARE = 0.15
_COMMENTS = {
    "promoter": ["שירות מצוין", "ממליץ בחום", "משלוח מהיר", "מוצרים איכותיים",
                 "תמיד חוזר לקנות כאן"],
    "passive": ["בסדר", "המחירים קצת גבוהים", "המבחר יכול להיות גדול יותר", "חוויה סבירה"],
    "detractor": ["המשלוח איחר", "שירות הלקוחות לא זמין", "המוצר הגיע פגום", "יקר מדי",
                  "קשה להחזיר מוצרים"],
}


@dataclass(frozen=True)
class DemoData:
    """The simulated demo retailer returned by :func:`make_demo`.

    Attributes
    ----------
    transactions : pandas.DataFrame
        Canonical transactions sorted by date: ``customer_id`` (str, zero-padded
        such as '000123'), ``date`` (datetime64), ``amount`` (float64 ILS, negative
        for returns), ``order_id`` (str; a return repeats its purchase's id),
        ``region`` and ``channel`` (str).
    survey : pandas.DataFrame
        NPS answers: ``customer_id``, ``date`` (after the customer's first
        purchase), ``score`` (int64, 0-10) and ``comment`` (str, missing for most).
    truth : pandas.DataFrame
        The known parameters, indexed by (``region``, ``channel``): BG/NBD ``r``,
        ``alpha`` (weeks of the seasonal clock), ``a``, ``b``; Gamma-Gamma ``p``,
        ``q``, ``v``; and ``customers`` (count simulated in the cell).
    customers : pandas.DataFrame
        Latent truth per customer, indexed by ``customer_id``: ``region``,
        ``channel``, ``first_purchase``, ``T`` (weeks of the seasonal clock to
        the end of observation), ``frequency`` (simulated repeat purchases),
        ``lam`` (purchase rate per week), ``dropout`` (p), ``nu`` (spend rate)
        and ``alive`` (still active at ``observation_end``).
    observation_end : pandas.Timestamp
        Last day of the observation period.
    """

    transactions: pd.DataFrame
    survey: pd.DataFrame
    truth: pd.DataFrame
    customers: pd.DataFrame
    observation_end: pd.Timestamp


def _truth_table() -> pd.DataFrame:
    """BG/NBD and Gamma-Gamma parameters of every (region, channel) cell."""
    idx = pd.MultiIndex.from_product([_REGIONS.index, _CHANNELS.index])
    reg = _REGIONS.reindex(idx.get_level_values(0)).to_numpy()
    cols = list(_REGIONS.columns)
    region = {c: reg[:, i] for i, c in enumerate(cols)}
    chan = _CHANNELS.reindex(idx.get_level_values(1))
    return pd.DataFrame(
        {
            "r": region["r"],
            "alpha": chan["alpha"].to_numpy(),
            "a": region["a"],
            "b": region["b"],
            "p": chan["p"].to_numpy(),
            "q": chan["q"].to_numpy(),
            "v": chan["v"].to_numpy() * region["spend"],
        },
        index=idx,
    )


def make_demo(
    seed: int = 0, *, n_customers: int = 20_000, start: str = "2023-01-01", end: str = "2025-12-31"
) -> DemoData:
    """Simulate a retailer whose behaviour follows BG/NBD and Gamma-Gamma with known parameters.

    A loyalty club opens on ``start``; ``n_customers`` make their first purchase
    between ``start`` and ``end``, more of them in busy seasons and a few more
    each year (growth). Each customer belongs to a region and a channel, and each
    (region, channel) cell has its own parameters (``truth``). Purchases follow
    the BG/NBD process (Fader, Hardie and Lee 2005) on a seasonal clock:
    operational time runs faster before Black Friday, December, Rosh Hashana and
    Passover, on Thursdays, and slower in summer and on Saturdays (see
    :class:`retainlib.datasets._simulate.TimeWarp`). Counts and dropout follow BG/NBD
    exactly on that clock, which averages to calendar speed over a year, so a
    BG/NBD fit on calendar weeks is only slightly misspecified. Amounts follow
    Gamma-Gamma in ILS, rounded to 0.01. About 3% of rows are returns: a later
    negative row (1 to 60 days after, within the period) repeating the order id
    of a purchase, for the full amount or part of it; returns are outside the
    BG/NBD process. About 15% of customers answer an NPS survey (0-10) some days
    after their first purchase; frequent, loyal buyers score higher.

    Parameters
    ----------
    seed : int, default 0
        Seed of the simulation: the same seed gives the same data.
    n_customers : int, default 20000
        Number of customers. The defaults give about 100,000 rows.
    start, end : str
        First and last day of the observation period (ISO dates).

    Returns
    -------
    DemoData
        ``transactions``, ``survey``, ``truth``, ``customers``, ``observation_end``.

    Examples
    --------
    >>> demo = make_demo(seed=1, n_customers=300)
    >>> demo.transactions.columns.tolist()
    ['customer_id', 'date', 'amount', 'order_id', 'region', 'channel']
    >>> demo.transactions["customer_id"].min()
    '000001'
    """
    days = pd.date_range(start, end, freq="D")
    if len(days) < 28:
        raise DataError(f"the demo period {start} to {end} must span at least 28 days")
    if int(n_customers) != n_customers or n_customers < 1:
        raise DataError(f"n_customers must be a whole number >= 1; got {n_customers!r}")
    n, n_days = int(n_customers), len(days)
    rng = np.random.default_rng(seed)
    warp = TimeWarp(seasonal_multiplier(days))
    truth = _truth_table()

    # acquisition: density per day proportional to the seasonal rate times a 15%/year growth
    weight = warp.multiplier * (1.0 + 0.15 * np.arange(n_days) / 365.0)
    cdf = np.cumsum(weight) / weight.sum()
    first_day = np.sort(np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), n_days - 1))
    first_time = first_day + rng.random(n)  # calendar days since start, continuous

    region = rng.choice(len(_REGIONS), size=n, p=_REGIONS["share"].to_numpy())
    channel = (rng.random(n)[:, None] > np.cumsum(_CHANNEL_MIX, axis=1)[region]).sum(axis=1)
    channel = np.minimum(channel, len(_CHANNELS) - 1)
    cell = truth.iloc[region * len(_CHANNELS) + channel]

    # purchases: BG/NBD on the operational clock, in weeks
    op_first = warp.to_operational(first_time)
    T = (warp.to_operational(np.array(float(n_days))) - op_first) / 7.0
    draw = simulate_bgnbd(rng, n, r=cell["r"].to_numpy(), alpha=cell["alpha"].to_numpy(),
                          a=cell["a"].to_numpy(), b=cell["b"].to_numpy(), T=T)
    repeat_time = warp.to_calendar(op_first[draw.customer] + 7.0 * draw.time)
    buyer = np.concatenate([np.arange(n), draw.customer])
    day = np.minimum(np.concatenate([first_day, repeat_time.astype(np.int64)]), n_days - 1)
    nu, value = simulate_gamma_gamma(rng, n, buyer, p=cell["p"].to_numpy(),
                                     q=cell["q"].to_numpy(), v=cell["v"].to_numpy())
    amount = np.maximum(np.round(value, 2), 0.01)

    # invoice numbers increase with the date; ties within a day in random order
    order = np.lexsort((rng.random(buyer.size), day))
    buyer, day, amount = buyer[order], day[order], amount[order]
    order_no = np.arange(100001, 100001 + buyer.size)

    # returns: a later negative row for ~3% of purchases, within the period
    lag = np.minimum(rng.geometric(0.1, buyer.size), 60)
    returned = (rng.random(buyer.size) < _RETURN_RATE) & (day + lag <= n_days - 1)
    partial = rng.random(buyer.size) < 0.3
    refund = np.where(partial, np.round(amount * rng.uniform(0.2, 0.8, buyer.size), 2), amount)
    refund = np.maximum(refund, 0.01)
    rows = pd.DataFrame(
        {
            "cust": np.concatenate([buyer, buyer[returned]]),
            "day": np.concatenate([day, (day + lag)[returned]]),
            "amount": np.concatenate([amount, -refund[returned]]),
            "order_no": np.concatenate([order_no, order_no[returned]]),
        }
    ).sort_values(["day", "order_no", "amount"], ascending=[True, True, False], kind="stable")

    width = max(6, len(str(n)))
    ids = pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(width).to_numpy()
    regions = _REGIONS.index.to_numpy()[region]
    channels = _CHANNELS.index.to_numpy()[channel]
    cust = rows["cust"].to_numpy()
    tx = pd.DataFrame(
        {
            "customer_id": ids[cust],
            "date": days[rows["day"].to_numpy()],
            "amount": rows["amount"].to_numpy(dtype="float64"),
            "order_id": rows["order_no"].astype(str).to_numpy(),
            "region": regions[cust],
            "channel": channels[cust],
        }
    )
    tx = _canonical_types(tx)

    customers = pd.DataFrame(
        {
            "region": pd.array(regions, dtype=TEXT),
            "channel": pd.array(channels, dtype=TEXT),
            "first_purchase": days[first_day],
            "T": T,
            "frequency": draw.frequency,
            "lam": draw.lam,
            "dropout": draw.dropout,
            "nu": nu,
            "alive": draw.alive,
        },
        index=pd.Index(ids, name="customer_id", dtype=TEXT),
    )
    truth = truth.assign(customers=np.bincount(region * len(_CHANNELS) + channel,
                                               minlength=len(truth)))
    survey = _simulate_survey(rng, customers, first_day, days)
    return DemoData(tx, survey, truth, customers, days[-1])


def _canonical_types(tx: pd.DataFrame) -> pd.DataFrame:
    """Cast the demo frame to the canonical dtypes (text ids and segments, datetime64[ns])."""
    return tx.astype(
        {"customer_id": TEXT, "order_id": TEXT, "region": TEXT, "channel": TEXT,
         "date": "datetime64[ns]", "amount": "float64"}
    ).reset_index(drop=True)


def _simulate_survey(
    rng: np.random.Generator, customers: pd.DataFrame, first_day: np.ndarray, days: pd.DatetimeIndex
) -> pd.DataFrame:
    """NPS answers for ~15% of customers, 7 to 180 days after their first purchase."""
    n_days = len(days)
    asked = (rng.random(len(customers)) < _SURVEY_SHARE) & (first_day <= n_days - 8)
    first = first_day[asked]
    last = np.minimum(first + 180, n_days - 1)
    answer_day = first + 7 + (rng.random(first.size) * (last - first - 6)).astype(np.int64)
    lam, dropout = customers["lam"].to_numpy()[asked], customers["dropout"].to_numpy()[asked]

    def z(x: np.ndarray) -> np.ndarray:
        return (x - x.mean()) / x.std() if x.size > 1 and x.std() > 0 else np.zeros_like(x)

    latent = 8.0 + 1.0 * z(np.log(lam + 1e-9)) - 1.2 * z(dropout) + rng.normal(0.0, 1.6, first.size)
    score = np.clip(np.round(latent), 0, 10).astype("int64")
    group = np.where(score >= 9, "promoter", np.where(score >= 7, "passive", "detractor"))
    pick = rng.random(first.size)
    comment = np.full(first.size, None, dtype=object)
    for name, texts in _COMMENTS.items():  # three groups, not a loop over customers
        mask = group == name
        comment[mask] = np.asarray(texts, dtype=object)[(pick[mask] * len(texts)).astype(int)]
    comment[rng.random(first.size) >= 0.35] = None
    survey = pd.DataFrame(
        {
            "customer_id": customers.index.to_numpy()[asked],
            "date": days[answer_day],
            "score": score,
            "comment": comment,
        }
    ).sort_values(["date", "customer_id"], kind="stable")
    text = survey["comment"].astype(object)
    survey["comment"] = text.astype(TEXT).where(text.notna())  # text dtype, missing when no comment
    return survey.astype({"customer_id": TEXT, "date": "datetime64[ns]"}).reset_index(drop=True)
