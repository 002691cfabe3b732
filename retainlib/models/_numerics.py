"""Numerical helpers shared by the models."""

from __future__ import annotations

import numpy as np
from scipy.special import hyp2f1 as _scipy_hyp2f1

_SERIES_TERMS = 4000


def hyp2f1(a, b, c, z) -> np.ndarray:
    """Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1, robust for large ``c``.

    ``scipy.special.hyp2f1`` returns NaN for some large ``c`` with ``z`` near 1
    (e.g. 2F1(0.5, 2; 402.5; 0.99)), although the series converges quickly
    there. Where SciPy's value is not finite, the power series
    ``sum_k (a)_k (b)_k / ((c)_k k!) z^k`` is summed directly (vectorised over
    those entries, up to 4,000 terms).

    Parameters
    ----------
    a, b, c, z : float or array-like
        Broadcast against each other; ``c`` must not be a non-positive integer.

    Returns
    -------
    numpy.ndarray
        The function values (NaN only where the series does not converge).
    """
    a, b, c, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, c, z)))
    out = np.array(_scipy_hyp2f1(a, b, c, z), dtype=float)
    bad = ~np.isfinite(out)
    if bad.any():
        out[bad] = _series(a[bad], b[bad], c[bad], z[bad])
    return out


def _series(a, b, c, z):
    k = np.arange(_SERIES_TERMS, dtype=float)
    ratio = (a[:, None] + k) * (b[:, None] + k) / ((c[:, None] + k) * (k + 1)) * z[:, None]
    terms = np.cumprod(ratio, axis=1)
    total = 1.0 + terms.sum(axis=1)
    converged = np.abs(terms[:, -1]) <= 1e-15 * np.abs(total)
    return np.where(converged, total, np.nan)
