"""Model fit diagnostics: calibration frequency distribution and frequency/recency matrices.

Fader, Hardie & Lee (2005), "Counting your customers the easy way", Figure 1
(customers by number of repeat purchases, actual vs model), and lifetimes'
frequency/recency matrices of expected purchases and P(alive).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retainlib.analytics.holdout import _bucket_labels, _check_max_frequency, _column
from retainlib.errors import ConfigError, DataError


def frequency_table(rfm: pd.DataFrame, model: object, *, max_frequency: int = 7) -> pd.DataFrame:
    """Customers by number of calibration repeat purchases, actual vs model (FHL 2005, Fig. 1).

    The model's count for ``x`` repeat purchases is ``sum_i P(X(T_i) = x)``,
    each customer observed for their own ``T_i``; the last row groups
    ``max_frequency`` or more (model: customers minus the other rows).

    Parameters
    ----------
    rfm : pandas.DataFrame
        Summary with ``frequency`` and ``T`` (or ``frequency_cal``, ``T_cal``).
    model : BetaGeoModel
        Fitted; needs a vectorised ``probability_of_purchases(t, n)``.
    max_frequency : int, default 7
        First count grouped into the last row ("7+").

    Returns
    -------
    pandas.DataFrame
        Indexed by ``repeat_purchases`` ('0', '1', ..., '7+'), columns
        ``actual`` and ``expected`` (numbers of customers).
    """
    k = _check_max_frequency(max_frequency)
    if not isinstance(rfm, pd.DataFrame):
        raise DataError(f"rfm must be a customer summary DataFrame, got {type(rfm).__name__}")
    x = _column(rfm, ("frequency", "frequency_cal"), "repeat purchases").to_numpy(dtype=float)
    T = _column(rfm, ("T", "T_cal"), "customer age").to_numpy(dtype=float)
    bad = ~np.isfinite(x) | ~np.isfinite(T) | (x < 0) | (T < 0)
    if bad.any():
        raise DataError(
            f"frequency or T is missing or negative for {int(bad.sum())} customer(s) (first: "
            f"{rfm.index[bad][0]!r}); rebuild the summary with retainlib.rfm_summary"
        )
    actual = np.bincount(np.minimum(x, k).astype(np.int64), minlength=k + 1)
    t_unique, weights = np.unique(T, return_counts=True)
    probs = np.asarray(
        model.probability_of_purchases(t_unique[:, None], np.arange(k)[None, :]), dtype=float
    )
    expected = weights @ probs
    expected = np.r_[expected, len(x) - expected.sum()]
    return pd.DataFrame(
        {"actual": actual.astype(float), "expected": expected},
        index=pd.Index(_bucket_labels(k), name="repeat_purchases"),
    )


def frequency_recency_matrix(
    model: object, *, max_frequency: int, max_recency: float, T: float | None = None,
    t: float = 1.0, quantity: str = "expected_purchases",
) -> pd.DataFrame:
    """Expected purchases or P(alive) over a grid of frequency x recency for customers of age T.

    Parameters
    ----------
    model : BetaGeoModel
        Fitted; with ``expected_purchases(rfm, t)`` and ``probability_alive(rfm)``.
    max_frequency : int
        Largest frequency (columns 0 .. max_frequency).
    max_recency : float
        Largest recency (rows 0, 1, ..., floor(max_recency) time units).
    T : float, optional
        Age of the hypothetical customers; default ``max_recency``; must be >= max_recency.
    t : float, default 1.0
        Horizon of ``expected_purchases`` in time units.
    quantity : {'expected_purchases', 'probability_alive'}
        What each cell holds.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``recency``, one column per ``frequency``. The frequency-0
        column uses recency 0 (its only valid value; the BG/NBD prediction for
        x = 0 does not depend on recency). ``attrs``: ``quantity``, ``T``, ``t``.
    """
    if quantity not in ("expected_purchases", "probability_alive"):
        raise ConfigError(
            f"quantity must be 'expected_purchases' or 'probability_alive', got {quantity!r}"
        )
    max_frequency = int(_check_max_frequency(max(int(max_frequency), 1)))
    if not np.isfinite(max_recency) or max_recency < 0:
        raise ConfigError(f"max_recency must be a number >= 0, got {max_recency!r}")
    T = float(max_recency) if T is None else float(T)
    if T < max_recency:
        raise ConfigError(f"T ({T:g}) must be >= max_recency ({max_recency:g}): recency <= T")
    recency = np.arange(int(np.floor(max_recency)) + 1, dtype=float)
    freq = np.arange(max_frequency + 1, dtype=float)
    f_grid, r_grid = np.meshgrid(freq, recency)
    grid = pd.DataFrame({
        "frequency": f_grid.ravel(),
        "recency": np.where(f_grid.ravel() > 0, r_grid.ravel(), 0.0),
        "T": T,
    })
    if quantity == "expected_purchases":
        values = model.expected_purchases(grid, t)
    else:
        values = model.probability_alive(grid)
    out = pd.DataFrame(
        np.asarray(values, dtype=float).reshape(f_grid.shape),
        index=pd.Index(recency, name="recency"),
        columns=pd.Index(freq.astype(np.int64), name="frequency"),
    )
    out.attrs.update(quantity=quantity, T=T, t=float(t))
    return out
