"""The Gamma-Gamma model of average transaction value.

Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer
base analysis", and Fader & Hardie (2013), "The Gamma-Gamma model of monetary
value" (the marginal density of the mean spend). Transaction values of a customer are
Gamma(p, nu) with nu ~ Gamma(q, v) across customers; the model assumes the
average value is independent of purchase frequency.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln

from retainlib.errors import DataError, RetainlibWarning
from retainlib.models._base import BaseModel, dot, group_index, summary_columns


class GammaGammaModel(BaseModel):
    """Gamma-Gamma model of the average transaction value of repeat customers.

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty ``penalizer * sum(theta**2)`` on the rescaled parameters
        (money divided by the mean monetary value), as in lifetimes.
    corr_threshold : float, default 0.3
        A :class:`~retainlib.errors.RetainlibWarning` is issued when the
        absolute Pearson correlation between frequency and monetary value of
        the fitting customers exceeds this (the model assumes independence).

    Notes
    -----
    Fitted on customers with ``frequency > 0``. Repeat customers whose
    ``monetary_value`` is not positive (net returns, free items) cannot enter
    the likelihood: they are excluded with a ``RetainlibWarning`` that gives
    their number (``n_excluded_``).

    Attributes
    ----------
    params_ : pandas.Series
        ``p``, ``q``, ``v``.
    log_likelihood_ : float
        Total log-likelihood of the observed mean spends (-4055.9 on CDNOW).
    frequency_monetary_corr_ : float
        Correlation between frequency and monetary value on the fitting data.
    n_customers_, n_excluded_ : int

    Examples
    --------
    >>> import retainlib as rl
    >>> rfm = rl.rfm_summary(rl.load_cdnow(), observation_end="1997-09-30")
    >>> GammaGammaModel().fit(rfm).params_.round(2).tolist()
    [6.25, 3.74, 15.44]
    """

    _param_names = ("p", "q", "v")
    _columns = ("frequency", "monetary_value")
    _data_hint = "checking that monetary_value is the mean spend per repeat purchase, not a total."

    def __init__(self, penalizer: float = 0.0, corr_threshold: float = 0.3) -> None:
        super().__init__(penalizer)
        self.corr_threshold = corr_threshold

    def _prepare(self, rfm: pd.DataFrame) -> np.ndarray:
        c = summary_columns(rfm, self._columns)
        x, m = c["frequency"], c["monetary_value"]
        repeat = x > 0
        if not repeat.any():
            raise DataError(
                f"none of the {len(x)} customers made a repeat purchase (all frequency 0); "
                "the Gamma-Gamma model is fitted on repeat customers: use a longer period"
            )
        bad = repeat & (m <= 0)
        self.n_excluded_ = int(bad.sum())
        if bad.any():
            first = rfm.index[np.flatnonzero(bad)[0]]
            warnings.warn(
                f"{self.n_excluded_} repeat customers with monetary_value <= 0 (first: {first!r}) "
                "were left out of the Gamma-Gamma fit, which needs positive spend",
                RetainlibWarning,
                stacklevel=4,
            )
        use = repeat & (m > 0)
        if use.sum() < 2:
            raise DataError(
                f"only {int(use.sum())} repeat customer with positive monetary_value; the "
                "Gamma-Gamma model needs many, use more customers or a longer period"
            )
        xs, ms = x[use], m[use]
        corr = float(np.corrcoef(xs, ms)[0, 1]) if xs.std() > 0 and ms.std() > 0 else 0.0
        self.frequency_monetary_corr_ = corr
        if abs(corr) > self.corr_threshold:
            warnings.warn(
                f"frequency and monetary value are correlated (r = {corr:.2f}, threshold "
                f"{self.corr_threshold}); the Gamma-Gamma model assumes independence, so "
                "expected spend may be biased: segment customers or interpret with care",
                RetainlibWarning,
                stacklevel=4,
            )
        return np.column_stack([xs, ms])

    def fit(self, rfm: pd.DataFrame) -> GammaGammaModel:
        """Fit on the repeat customers of ``rfm`` (see :meth:`BaseModel.fit`).

        Returns
        -------
        self
        """
        super().fit(rfm)
        if self.params_["q"] <= 1:
            warnings.warn(
                f"the fitted q = {self.params_['q']:.3g} is <= 1, so the population mean spend "
                "p v / (q - 1) is not finite and expected spends are unreliable; check for "
                "extreme monetary values",
                RetainlibWarning,
                stacklevel=2,
            )
        return self

    def _degenerate(self) -> str:
        """Why the fitted parameters are unusable: q <= 1 makes the mean spend infinite."""
        q = float(self.params_["q"])
        if q <= 1:
            return (f"the fitted q = {q:.3g} is <= 1, so the population mean spend p v / (q - 1) "
                    "is not finite")
        return ""

    @staticmethod
    def _scale(data):
        s = float(data[:, 1].mean())
        return data / np.array([1.0, s]), s, np.array([0.0, 0.0, np.log(s)])

    @staticmethod
    def _log_jacobian(rows, weights, scale):
        # the likelihood is a density in the mean spend: m -> m / s multiplies it by s per customer
        return -float(weights.sum()) * np.log(scale)

    @staticmethod
    def _loglik(log_params, data, grad=True):
        """Log-density of the mean spend m of x transactions (Fader & Hardie 2013 note).

        ``lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v + m x)``.
        ``data`` is ``(x, m)``, optionally followed by the distinct values of x and
        each row's index into them (special functions then run once per distinct x).
        """
        if len(data) == 2:
            xu, xi = np.unique(data[0], return_inverse=True)
            data = (*data, xu, xi.ravel())
        x, m, xu, xi = data
        p, q, v = np.exp(log_params)
        pxu = p * xu
        c_u = gammaln(pxu + q) - gammaln(pxu) - gammaln(q) + q * np.log(v) + pxu * np.log(xu)
        px = p * x
        lm = np.log(m)
        vmx = v + m * x
        lvmx = np.log(vmx)
        ll = c_u[xi] + (px - 1) * lm - (px + q) * lvmx
        if not grad:
            return ll, None
        dpq_u = digamma(pxu + q)
        dp_u = xu * (dpq_u - digamma(pxu) + np.log(xu))
        d_p = dp_u[xi] + x * (lm - lvmx)
        d_q = (dpq_u - digamma(q) + np.log(v))[xi] - lvmx
        d_v = q / v - (px + q) / vmx
        return ll, np.column_stack([p * d_p, q * d_q, v * d_v])

    def _fit_data(self, rows, weights):
        x, m = (np.ascontiguousarray(c) for c in rows.T)
        xu, xi = group_index(x)
        lm = np.log(m)
        return {
            "x": x, "mx": m * x, "w": weights, "wx": weights * x, "n": weights.sum(),
            "xu": xu, "w_u": np.bincount(xi, weights, len(xu)),
            "s_wlm": dot(weights, lm), "s_wxlm": dot(weights * x, lm),
        }

    def _total(self, log_params, fd, grad=True):
        """Weighted sum of the log-density over distinct rows and its gradient (as ``_loglik``).

        Terms depending on x only are summed per distinct x and the log of the
        mean spend is summed once per fit, so each row costs one log.
        """
        p, q, v = np.exp(log_params)
        w, wx, n, xu, w_u = fd["w"], fd["wx"], fd["n"], fd["xu"], fd["w_u"]
        pxu = p * xu
        c_u = gammaln(pxu + q) - gammaln(pxu) - gammaln(q) + q * np.log(v) + pxu * np.log(xu)
        vmx = v + fd["mx"]
        lvmx = np.log(vmx)
        s_wl, s_wxl = dot(w, lvmx), dot(wx, lvmx)
        total = dot(w_u, c_u) + p * fd["s_wxlm"] - fd["s_wlm"] - p * s_wxl - q * s_wl
        if not grad:
            return total, None
        dpq_u = digamma(pxu + q)
        g_p = dot(w_u, xu * (dpq_u - digamma(pxu) + np.log(xu))) + fd["s_wxlm"] - s_wxl
        g_q = dot(w_u, dpq_u) - n * digamma(q) + n * np.log(v) - s_wl
        g_v = n * q / v - dot(p * wx + q * w, 1.0 / vmx)
        return total, np.array([p * g_p, q * g_q, v * g_v])

    def expected_spend(self, rfm: pd.DataFrame) -> pd.Series:
        """Conditional expected average transaction value (FHL 2005 "RFM and CLV", eq. 5).

        ``E[M | p, q, v, m, x] = (q - 1) / (px + q - 1) * pv / (q - 1) + px / (px + q - 1) * m``:
        a weighted mean of the population mean ``pv / (q - 1)`` and the
        customer's own mean. Customers with frequency 0 get the population mean.

        Returns
        -------
        pandas.Series
            ``expected_spend`` indexed like ``rfm``.
        """
        self._check_fitted()
        p, q, v = self.params_.to_numpy()
        c = summary_columns(rfm, self._columns)
        x, m = c["frequency"], c["monetary_value"]
        m = np.where(x > 0, m, 0.0)
        w = p * x / (p * x + q - 1)
        out = (1 - w) * p * v / (q - 1) + w * m
        return pd.Series(out, index=rfm.index, name="expected_spend")
