"""The BG/NBD model of Fader, Hardie & Lee (2005), "Counting your customers the easy way".

While active, a customer buys as a Poisson process with rate lambda ~ Gamma(r,
alpha); after each purchase the customer drops out with probability p ~ Beta(a,
b). Equation numbers refer to the paper; P(alive) follows Fader, Hardie & Lee
(2008), "Computing P(alive) using the BG/NBD model".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma, expit, gammaln

from retainlib.errors import DataError
from retainlib.models._base import BaseModel, dot, group_index, summary_columns
from retainlib.models._numerics import hyp2f1


def _as_t(t, name: str = "t") -> np.ndarray:
    arr = np.asarray(t, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise DataError(
            f"{name} must be finite and >= 0 (a time span in the summary's unit), got {t!r}"
        )
    return arr


class BetaGeoModel(BaseModel):
    """BG/NBD purchase-frequency and dropout model (Fader, Hardie & Lee 2005).

    Parameters
    ----------
    penalizer : float, default 0.0
        L2 penalty ``penalizer * sum(theta**2)`` added to the mean negative
        log-likelihood, with ``theta`` the parameters in rescaled time (max T =
        1), as in lifetimes' ``penalizer_coef``. Reports take it from the
        config key ``clv.penalizer`` and retry with larger ones when a fit
        fails (:func:`retainlib.models.fitting.fit_with_penalizer`).

    Attributes
    ----------
    params_ : pandas.Series
        ``r``, ``alpha`` (in the summary's time unit), ``a``, ``b``.
    log_likelihood_ : float
        Total log-likelihood (eq. 6 summed over customers) in the original time
        unit, comparable with the paper (-9582.4 on CDNOW weeks).
    converged_ : bool
    n_customers_ : int
    n_distinct_rows_ : int
        Distinct (frequency, recency, T) rows the likelihood was evaluated on.

    Examples
    --------
    >>> import retainlib as rl
    >>> rfm = rl.rfm_summary(rl.load_cdnow(), observation_end="1997-09-30")
    >>> model = BetaGeoModel().fit(rfm)
    >>> model.params_.round(3).tolist()
    [0.243, 4.414, 0.793, 2.426]
    """

    _param_names = ("r", "alpha", "a", "b")
    _columns = ("frequency", "recency", "T")

    def _prepare(self, rfm: pd.DataFrame) -> np.ndarray:
        c = summary_columns(rfm, self._columns)
        x = c["frequency"]
        if len(x) < 2:
            raise DataError(
                f"BG/NBD needs many customers, got {len(x)}; fit on the whole customer base"
            )
        if not np.any(x > 0):
            raise DataError(
                f"none of the {len(x)} customers made a repeat purchase (all frequency 0), so "
                "dropout cannot be estimated; use a longer observation period"
            )
        if c["T"].max() <= 0:
            raise DataError(
                "all customers have T = 0; set observation_end after their first purchase"
            )
        return np.column_stack([x, c["recency"], c["T"]])

    @staticmethod
    def _scale(data):
        s = float(data[:, 2].max())
        scaled = data / np.array([1.0, s, s])
        return scaled, s, np.array([0.0, np.log(s), 0.0, 0.0])

    @staticmethod
    def _log_jacobian(rows, weights, scale):
        # eq. 6 is a density in t_x: with t -> t / s and alpha -> alpha / s,
        # L_original = L_rescaled * s^-x per customer
        return -float(weights @ rows[:, 0]) * np.log(scale)

    @staticmethod
    def _loglik(log_params, data, grad=True):
        """Per-customer log-likelihood, FHL (2005) eq. 6, and its gradient in log-parameters.

        ``log L = lnG(r+x) - lnG(r) + r ln(alpha) - lnB(a, b) + logaddexp(l1, l2)`` with
        ``l1 = lnB(a, b+x) - (r+x) ln(alpha+T)`` and, for x > 0,
        ``l2 = lnB(a+1, b+x-1) - (r+x) ln(alpha+t_x)`` (l2 = -inf when x = 0).
        ``data`` is ``(x, t_x, T)``, optionally followed by the distinct values of x
        and each row's index into them (then special functions run once per distinct x).
        """
        if len(data) == 3:
            xu, xi = np.unique(data[0], return_inverse=True)
            data = (*data, xu, xi.ravel())
        x, tx, T, xu, xi = data
        r, alpha, a, b = np.exp(log_params)
        rep_u = xu > 0
        bx1_u = np.where(rep_u, b + xu - 1, 1.0)  # placeholder where x = 0 (term unused)
        # terms depending on x only, per distinct x
        c_u = gammaln(r + xu) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
        b1_u = betaln(a, b + xu)
        b2_u = np.where(rep_u, betaln(a + 1, bx1_u), -np.inf)
        rx = r + x
        la_T = np.log(alpha + T)
        la_t = np.log(alpha + tx)
        l1 = b1_u[xi] - rx * la_T
        l2 = b2_u[xi] - rx * la_t
        lse = np.logaddexp(l1, l2)
        ll = c_u[xi] + lse
        if not grad:
            return ll, None
        w2 = np.exp(l2 - lse)
        w1 = 1.0 - w2
        dab_u = digamma(a + b + xu)
        dr_u = digamma(r + xu) - digamma(r) + np.log(alpha)
        da1_u = digamma(a) - dab_u
        da2_u = digamma(a + 1) - dab_u
        db1_u = digamma(b + xu) - dab_u
        db2_u = np.where(rep_u, digamma(bx1_u) - dab_u, 0.0)
        d_r = dr_u[xi] - w1 * la_T - w2 * la_t
        d_alpha = r / alpha - rx * (w1 / (alpha + T) + w2 / (alpha + tx))
        d_a = -(digamma(a) - digamma(a + b)) + w1 * da1_u[xi] + w2 * da2_u[xi]
        d_b = -(digamma(b) - digamma(a + b)) + w1 * db1_u[xi] + w2 * db2_u[xi]
        g = np.column_stack([r * d_r, alpha * d_alpha, a * d_a, b * d_b])
        return ll, g

    def _fit_data(self, rows, weights):
        x, tx, T = (np.ascontiguousarray(c) for c in rows.T)
        xu, xi = group_index(x)
        Tu, Ti = group_index(T)  # summaries are on a day grid: few distinct T and t_x
        tu, ti = group_index(tx)
        wx = weights * x
        return {
            "x": x, "w": weights, "wx": wx, "n": weights.sum(),
            "xu": xu, "xi": xi, "w_u": np.bincount(xi, weights, len(xu)),
            "Tu": Tu, "Ti": Ti, "w_T": np.bincount(Ti, weights, len(Tu)),
            "wx_T": np.bincount(Ti, wx, len(Tu)),
            "tu": tu, "ti": ti, "w_t": np.bincount(ti, weights, len(tu)),
            "wx_t": np.bincount(ti, wx, len(tu)),
        }

    def _total(self, log_params, fd, grad=True):
        """Weighted sum of eq. 6 over distinct rows and its gradient (same maths as ``_loglik``).

        With ``d = l2 - l1``: ``log L = const + l1 + softplus(d)``, and the
        weight of the second term is ``w2 = sigmoid(d)``. Terms that depend on
        x, T or t_x alone are computed per distinct value and summed with
        weights, so each row costs one exp, one log1p and a few gathers.
        """
        r, alpha, a, b = np.exp(log_params)
        x, w, wx, n = fd["x"], fd["w"], fd["wx"], fd["n"]
        xu, xi, w_u = fd["xu"], fd["xi"], fd["w_u"]
        Ti, ti = fd["Ti"], fd["ti"]
        rep_u = xu > 0
        bx1_u = np.where(rep_u, b + xu - 1, 1.0)
        b1_u = betaln(a, b + xu)
        c_u = gammaln(r + xu) - gammaln(r) + r * np.log(alpha) - betaln(a, b) + b1_u
        dd_u = np.where(rep_u, betaln(a + 1, bx1_u) - b1_u, -np.inf)
        laT_u = np.log(alpha + fd["Tu"])
        lat_u = np.log(alpha + fd["tu"])
        diff = laT_u.take(Ti) - lat_u.take(ti)  # log((alpha + T) / (alpha + t_x))
        d = dd_u.take(xi) + (r + x) * diff
        e = np.exp(-np.abs(d))  # in [0, 1]: no overflow
        one_e = 1.0 + e
        softplus = np.maximum(d, 0.0) + np.log(one_e)  # log(1 + exp(d)), stable
        # sum_i w_i (r + x_i) log(alpha + T_i), per distinct T
        sum_rx_laT = dot(r * fd["w_T"] + fd["wx_T"], laT_u)
        total = dot(w_u, c_u) - sum_rx_laT + dot(w, softplus)
        if not grad:
            return total, None
        # weight of the first term, sigmoid(-d) = 0.5 - sign(d) (0.5 - e / (1 + e))
        w1 = 0.5 - np.sign(d) * (0.5 - e / one_e)
        q = w * w1
        q_u = np.bincount(xi, q, len(xu))
        dab_u = digamma(a + b + xu)
        dr_u = digamma(r + xu) - digamma(r) + np.log(alpha)
        g_r = dot(w_u, dr_u) - dot(fd["w_t"], lat_u) - dot(q, diff)
        invT_u, invt_u = 1.0 / (alpha + fd["Tu"]), 1.0 / (alpha + fd["tu"])
        z = r * q + wx * w1
        g_alpha = (
            n * r / alpha
            - dot(r * fd["w_t"] + fd["wx_t"], invt_u)
            - dot(z, invT_u.take(Ti) - invt_u.take(ti))
        )
        da1_u, da2_u = digamma(a) - dab_u, digamma(a + 1) - dab_u
        g_a = -n * (digamma(a) - digamma(a + b)) + dot(w_u, da2_u) + dot(q_u, da1_u - da2_u)
        db1_u = digamma(b + xu) - dab_u
        db2_u = np.where(rep_u, digamma(bx1_u) - dab_u, 0.0)
        g_b = -n * (digamma(b) - digamma(a + b)) + dot(w_u, db2_u) + dot(q_u, db1_u - db2_u)
        return total, np.array([r * g_r, alpha * g_alpha, a * g_a, b * g_b])

    # --- predictions ---------------------------------------------------------------------
    def _p(self):
        self._check_fitted()
        return self.params_.to_numpy()

    def probability_alive(self, rfm: pd.DataFrame) -> pd.Series:
        """P(alive | x, t_x, T), Fader, Hardie & Lee (2008) note on P(alive).

        ``1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))``;
        customers without repeat purchases (x = 0) are alive with probability 1
        in the BG/NBD (dropout happens only right after a purchase).

        Returns
        -------
        pandas.Series
            ``p_alive`` in [0, 1], indexed like ``rfm``.
        """
        r, alpha, a, b = self._p()
        c = summary_columns(rfm, self._columns)
        x, tx, T = c["frequency"], c["recency"], c["T"]
        rep = x > 0
        log_odds_dead = (
            np.log(a)
            - np.log(np.where(rep, b + x - 1, 1.0))
            + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
        )
        p = np.where(rep, expit(-log_odds_dead), 1.0)
        return pd.Series(p, index=rfm.index, name="p_alive")

    def expected_purchases(self, rfm: pd.DataFrame, t: float) -> pd.Series:
        """Expected purchases in the next ``t`` time units given each history, FHL (2005) eq. 10.

        Parameters
        ----------
        rfm : pandas.DataFrame
            Summary with ``frequency``, ``recency``, ``T`` (or the ``*_cal`` names).
        t : float or array
            Horizon in the summary's time unit (scalar, or one value per customer).

        Returns
        -------
        pandas.Series
            ``expected_purchases`` indexed like ``rfm``.
        """
        r, alpha, a, b = self._p()
        c = summary_columns(rfm, self._columns)
        x, tx, T = c["frequency"], c["recency"], c["T"]
        t = _as_t(t)
        rep = x > 0
        z = t / (alpha + T + t)
        # eq. 10 has ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z) = (1-z)^(r+x) 2F1(..);
        # Euler's transformation 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns it
        # into (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose parameters do not grow with x:
        # no overflow of 2F1 times underflow of the power for frequent buyers.
        log_1mz = np.log(alpha + T) - np.log(alpha + T + t)
        f = hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        numer = (a + b + x - 1) / (a - 1) * (1 - np.exp((a - 1) * log_1mz) * f)
        log_odds_dead = (
            np.log(a)
            - np.log(np.where(rep, b + x - 1, 1.0))
            + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
        )
        p_alive = np.where(rep, expit(-log_odds_dead), 1.0)
        return pd.Series(numer * p_alive, index=rfm.index, name="expected_purchases")

    def expected_purchases_new_customer(self, t):
        """Expected purchases of a new customer in ``t`` time units, FHL (2005) eq. 9.

        ``E[X(t)] = (a + b - 1) / (a - 1) [1 - (alpha / (alpha + t))^r 2F1(r, b; a + b - 1;
        t / (alpha + t))]``.

        Returns
        -------
        float or numpy.ndarray
            Same shape as ``t``.
        """
        r, alpha, a, b = self._p()
        t = _as_t(t)
        out = (a + b - 1) / (a - 1) * (
            1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t))
        )
        return float(out) if out.ndim == 0 else out

    def probability_of_purchases(self, t, n):
        """P(X(t) = n): probability of exactly ``n`` purchases in ``(0, t]`` for a new customer.

        FHL (2005) eq. 8. ``t`` and ``n`` broadcast against each other.

        Returns
        -------
        float or numpy.ndarray
            Probabilities, shape of ``broadcast(t, n)``.
        """
        r, alpha, a, b = self._p()
        t = _as_t(t)
        n_arr = np.asarray(n)
        if np.any(n_arr < 0) or np.any(n_arr != np.round(n_arr)):
            raise DataError(f"n must be whole numbers >= 0 (purchase counts), got {n!r}")
        t, n_arr = np.broadcast_arrays(t, n_arr.astype(float))
        log_q = np.log(alpha) - np.log(alpha + t)  # log(alpha / (alpha + t))
        n_max = int(n_arr.max()) if n_arr.size else 0
        j = np.arange(max(n_max, 1), dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):  # t = 0: log z = -inf, 0 * -inf
            log_z = np.log(t) - np.log(alpha + t)  # log(t / (alpha + t))
            # z^n with z^0 = 1 even when t = 0
            zn = np.where(n_arr > 0, n_arr * log_z, 0.0)
            zj = np.where(j > 0, j * log_z[..., None], 0.0)
        # NBD term: Gamma(r+n) / (Gamma(r) n!) q^r z^n
        nbd_n = gammaln(r + n_arr) - gammaln(r) - gammaln(n_arr + 1) + r * log_q + zn
        term1 = np.exp(betaln(a, b + n_arr) - betaln(a, b) + nbd_n)
        # 1 - sum_{j<n} NBD_j(t): cumulative sum over j (loop-free via an outer grid)
        nbd_j = np.exp(gammaln(r + j) - gammaln(r) - gammaln(j + 1) + r * log_q[..., None] + zj)
        cdf = np.where(j < n_arr[..., None], nbd_j, 0.0).sum(axis=-1)
        bx1 = np.where(n_arr > 0, b + n_arr - 1, 1.0)
        term2 = np.where(n_arr > 0, np.exp(betaln(a + 1, bx1) - betaln(a, b)) * (1 - cdf), 0.0)
        out = term1 + term2
        return float(out) if out.ndim == 0 else out
