"""Vectorised simulators of the BG/NBD purchase process and the Gamma-Gamma spend model.

Both follow the published model assumptions exactly, so data simulated here are
a fair test of the estimators (``lifetimes.generate_data`` is not: it counts the
distinct time units with a purchase instead of the purchases).

References
----------
Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers"
the easy way: an alternative to the Pareto/NBD model. Marketing Science 24(2).

Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). RFM and CLV: using iso-value
curves for customer base analysis. Journal of Marketing Research 42(4).

Colombo, R. and Jiang, W. (1999). A stochastic RFM model. Journal of Interactive
Marketing 13(3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from retainlib.errors import DataError

__all__ = [
    "BGNBDDraw",
    "TimeWarp",
    "seasonal_multiplier",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "simulate_mean_spend",
]


@dataclass(frozen=True)
class BGNBDDraw:
    """Customers simulated from the BG/NBD process.

    Every customer makes a first purchase at time 0 (not listed in ``time``);
    ``customer`` and ``time`` list the repeat purchases in ``(0, T)``, sorted by
    customer and then by time. Several repeat purchases can fall on the same
    calendar day once times are rounded: every purchase is counted.

    Attributes
    ----------
    lam : numpy.ndarray
        Purchase rate of each customer while active (per time unit), shape ``(n,)``.
    dropout : numpy.ndarray
        Probability of becoming inactive after each repeat purchase, shape ``(n,)``.
    alive : numpy.ndarray
        Whether each customer is still active at the end of its window ``T``.
    T : numpy.ndarray
        Length of each customer's observation window (time since first purchase).
    customer : numpy.ndarray
        Customer index (0..n-1) of every repeat purchase, int64.
    time : numpy.ndarray
        Time of every repeat purchase since that customer's first purchase.
    """

    lam: np.ndarray
    dropout: np.ndarray
    alive: np.ndarray
    T: np.ndarray
    customer: np.ndarray
    time: np.ndarray

    @property
    def frequency(self) -> np.ndarray:
        """Number of repeat purchases of each customer within its window."""
        return np.bincount(self.customer, minlength=len(self.lam))

    def summary(self) -> pd.DataFrame:
        """Per-customer ``frequency``, ``recency`` and ``T`` in the simulation's time unit.

        Returns
        -------
        pandas.DataFrame
            Indexed by customer index 0..n-1: ``frequency`` (repeat purchases),
            ``recency`` (time of the last repeat purchase, 0 when none) and ``T``.
        """
        n = len(self.lam)
        recency = np.zeros(n)
        # times are sorted within customer, so the last write per customer is its last purchase
        recency[self.customer] = self.time
        return pd.DataFrame({"frequency": self.frequency, "recency": recency, "T": self.T})


def _per_customer(value: float | np.ndarray, n: int, name: str) -> np.ndarray:
    """Broadcast a scalar or per-customer parameter to shape ``(n,)`` and check it is positive."""
    arr = np.broadcast_to(np.asarray(value, dtype=float), (n,))
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise DataError(f"simulation parameter {name!r} must be finite and > 0; got {value!r}")
    return arr


def simulate_bgnbd(
    rng: np.random.Generator,
    n: int,
    *,
    r: float | np.ndarray,
    alpha: float | np.ndarray,
    a: float | np.ndarray,
    b: float | np.ndarray,
    T: float | np.ndarray,
) -> BGNBDDraw:
    """Simulate ``n`` customers from the BG/NBD model of Fader, Hardie and Lee (2005).

    Assumptions (section 3 of the paper): while active, a customer buys
    following a Poisson process with rate ``lam``; ``lam ~ Gamma(shape r, rate
    alpha)``. After each repeat transaction the customer becomes inactive with
    probability ``p``; ``p ~ Beta(a, b)``. As in the paper's likelihood (eq. 3),
    dropout can only follow a repeat purchase: a customer with no repeat purchase
    is still active (the MBG/NBD variant, which lets customers drop out right after
    the first purchase, is a different model).

    Vectorised without a loop over customers: the number of repeat purchases
    before dropout is ``J ~ Geometric(p)`` on 1, 2, ...; the arrivals of the
    Poisson process in ``(0, T)`` are ``N ~ Poisson(lam T)`` sorted uniform times;
    the customer makes the first ``min(N, J)`` of them and is alive at ``T`` when
    ``N < J``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness (no global seed is used or changed).
    n : int
        Number of customers.
    r, alpha, a, b : float or numpy.ndarray
        BG/NBD parameters, scalars or one value per customer (shape ``(n,)``).
    T : float or numpy.ndarray
        Observation window of each customer: time from its first purchase to the
        end of observation, in the time unit of ``alpha`` (e.g. weeks).

    Returns
    -------
    BGNBDDraw
        Latent rates and dropout probabilities, alive flags and repeat purchase times.

    Examples
    --------
    >>> draw = simulate_bgnbd(np.random.default_rng(0), 1000, r=0.25, alpha=4.4,
    ...                       a=0.8, b=2.4, T=39.0)
    >>> draw.summary().columns.tolist()
    ['frequency', 'recency', 'T']
    """
    if int(n) != n or n < 0:
        raise DataError(f"the number of customers to simulate must be a whole number >= 0; got {n}")
    n = int(n)
    r_, alpha_ = _per_customer(r, n, "r"), _per_customer(alpha, n, "alpha")
    a_, b_ = _per_customer(a, n, "a"), _per_customer(b, n, "b")
    T_ = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    if not np.all(np.isfinite(T_)) or np.any(T_ < 0):
        raise DataError("simulation windows T must be finite and >= 0")

    lam = rng.gamma(shape=r_, scale=1.0 / alpha_)
    dropout = rng.beta(a_, b_)
    # repeat purchases made before dropping out: P(J = j) = p (1 - p)^(j - 1), j >= 1
    j_max = rng.geometric(np.clip(dropout, 1e-12, 1.0))
    n_arrivals = rng.poisson(lam * T_)
    alive = n_arrivals < j_max

    kept = np.minimum(n_arrivals, j_max)
    # the Poisson arrivals in (0, T) given their number are sorted uniforms; keep the first `kept`
    owner = np.repeat(np.arange(n, dtype=np.int64), n_arrivals)
    arrival = rng.random(owner.size) * T_[owner]
    order = np.lexsort((arrival, owner))
    owner, arrival = owner[order], arrival[order]
    starts = np.repeat(np.cumsum(n_arrivals) - n_arrivals, n_arrivals)
    rank = np.arange(owner.size) - starts
    keep = rank < kept[owner]
    return BGNBDDraw(
        lam=lam, dropout=dropout, alive=alive, T=T_, customer=owner[keep], time=arrival[keep]
    )


def simulate_gamma_gamma(
    rng: np.random.Generator,
    n: int,
    customer: np.ndarray,
    *,
    p: float | np.ndarray,
    q: float | np.ndarray,
    v: float | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate transaction values from the Gamma-Gamma spend model.

    Each customer has a scale ``nu ~ Gamma(shape q, rate v)``; each of its
    transaction values is ``z ~ Gamma(shape p, rate nu)``, independent of the
    number and timing of purchases (Fader, Hardie and Lee 2005, "RFM and CLV",
    section 4; Colombo and Jiang 1999). The mean value is ``E[z] = p v / (q - 1)``
    for ``q > 1``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int
        Number of customers.
    customer : numpy.ndarray
        Customer index (0..n-1) of each transaction to value.
    p, q, v : float or numpy.ndarray
        Gamma-Gamma parameters, scalars or one value per customer.

    Returns
    -------
    nu : numpy.ndarray
        Each customer's latent rate, shape ``(n,)``; its mean spend is ``p / nu``.
    value : numpy.ndarray
        The value of each transaction, aligned with ``customer``.

    Examples
    --------
    >>> nu, z = simulate_gamma_gamma(np.random.default_rng(0), 2, np.array([0, 0, 1]),
    ...                              p=6.0, q=3.7, v=15.4)
    >>> z.shape
    (3,)
    """
    customer = np.asarray(customer, dtype=np.int64)
    if customer.size and (customer.min() < 0 or customer.max() >= n):
        raise DataError(f"transaction customer indices must lie in 0..{n - 1}")
    p_, q_, v_ = _per_customer(p, n, "p"), _per_customer(q, n, "q"), _per_customer(v, n, "v")
    nu = rng.gamma(shape=q_, scale=1.0 / v_)
    value = rng.gamma(shape=p_[customer], scale=1.0 / nu[customer])
    return nu, value


def simulate_mean_spend(
    rng: np.random.Generator,
    frequency: np.ndarray,
    *,
    p: float | np.ndarray,
    q: float | np.ndarray,
    v: float | np.ndarray,
) -> np.ndarray:
    """Mean of ``frequency`` simulated transaction values per customer (Gamma-Gamma).

    The ``monetary_value`` column of a per-customer summary: for each customer
    :func:`simulate_gamma_gamma` draws ``frequency`` transaction values and they
    are averaged; customers with frequency 0 get 0.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    frequency : array-like of int
        Number of transactions averaged for each customer (>= 0).
    p, q, v : float or numpy.ndarray
        Gamma-Gamma parameters, scalars or one value per customer.

    Returns
    -------
    numpy.ndarray
        Mean transaction value of each customer, aligned with ``frequency``.

    Examples
    --------
    >>> simulate_mean_spend(np.random.default_rng(0), [0, 3], p=6.0, q=3.7, v=15.4)[0]
    np.float64(0.0)
    """
    x = np.asarray(frequency)
    if x.ndim != 1 or (x.size and (np.any(x < 0) or np.any(x != np.round(x)))):
        raise DataError("frequency must be a 1-d array of whole numbers >= 0")
    x = x.astype(np.int64)
    customer = np.repeat(np.arange(x.size, dtype=np.int64), x)
    _, value = simulate_gamma_gamma(rng, x.size, customer, p=p, q=q, v=v)
    return np.bincount(customer, weights=value, minlength=x.size) / np.maximum(x, 1)


# --- seasonality: a time-warp of the Poisson clock -------------------------------------------

# (day of year, width in days, height): Black Friday, December holidays, before Rosh Hashana
# and before Passover (Jewish holidays move with the lunar calendar: these are typical dates),
# and a summer lull.
_YEARLY_BUMPS = (
    (329, 4.0, 1.2),
    (352, 9.0, 0.6),
    (255, 9.0, 0.5),
    (95, 8.0, 0.5),
    (215, 20.0, -0.2),
)
# Monday..Sunday: an Israeli week, Thursday busiest, Friday short, Saturday (Shabbat) quiet.
_WEEKDAY = np.array([1.0, 1.0, 1.05, 1.25, 0.8, 0.35, 1.0])


def seasonal_multiplier(days: pd.DatetimeIndex) -> np.ndarray:
    """Daily multiplier of purchase and acquisition rates: yearly holidays times weekday.

    The yearly profile averages 1 over the 365 days of a year and the weekday
    profile averages 1 over a week, so over whole years the clock runs at its
    normal speed on average and only the timing of purchases changes.

    Parameters
    ----------
    days : pandas.DatetimeIndex
        Consecutive calendar days.

    Returns
    -------
    numpy.ndarray
        One positive multiplier per day.
    """
    grid = np.arange(1, 366, dtype=float)

    def yearly(doy: np.ndarray) -> np.ndarray:
        out = np.ones_like(doy, dtype=float)
        for centre, width, height in _YEARLY_BUMPS:
            dist = np.abs(doy - centre)
            dist = np.minimum(dist, 365.0 - dist)  # circular distance across new year
            out += height * np.exp(-0.5 * (dist / width) ** 2)
        return out

    norm = yearly(grid).mean()
    doy = np.minimum(days.day_of_year.to_numpy(dtype=float), 365.0)
    weekday = _WEEKDAY / _WEEKDAY.mean()
    return yearly(doy) / norm * weekday[days.day_of_week.to_numpy()]


@dataclass(frozen=True)
class TimeWarp:
    """Map calendar time to the operational time of a seasonal Poisson clock.

    With a daily multiplier ``s(d)``, operational time is ``Lambda(t) = integral
    of s`` (piecewise linear). A homogeneous Poisson process in operational time
    is a non-homogeneous one with rate ``lam * s(t)`` in calendar time, so the
    BG/NBD assumptions hold exactly on the operational clock: counts and dropout
    are unchanged, purchases just cluster on busy days.

    Parameters
    ----------
    multiplier : numpy.ndarray
        Positive rate multiplier of each calendar day 0..D-1.
    """

    multiplier: np.ndarray

    @property
    def _edges(self) -> tuple[np.ndarray, np.ndarray]:
        calendar = np.arange(len(self.multiplier) + 1, dtype=float)
        operational = np.concatenate([[0.0], np.cumsum(self.multiplier)])
        return calendar, operational

    def to_operational(self, days: np.ndarray) -> np.ndarray:
        """Operational days elapsed at calendar time ``days`` (days since day 0)."""
        calendar, operational = self._edges
        return np.interp(days, calendar, operational)

    def to_calendar(self, operational_days: np.ndarray) -> np.ndarray:
        """Calendar time (days since day 0) at which ``operational_days`` have elapsed."""
        calendar, operational = self._edges
        return np.interp(operational_days, operational, calendar)
