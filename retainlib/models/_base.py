"""Shared maximum-likelihood machinery for the closed-form CLV models.

Each model supplies its maths (per-row log-likelihood ``_loglik`` and a fast
weighted total ``_total``, both with the analytic gradient with respect to the
log-parameters; how data and parameters rescale); this base does the rest:

* input checks with one-sentence :class:`~retainlib.errors.DataError` messages;
* compression of identical data rows into weights (hash-based, like
  ``np.unique`` on rows), so the cost grows with distinct rows, not customers;
* rescaling (time so that max T = 1 for BG/NBD, money so that the mean spend
  is 1 for Gamma-Gamma) for conditioning; parameters are converted back and
  the log-likelihood gets the Jacobian of the rescaling, so ``log_likelihood_``
  is in the original units;
* L-BFGS-B on the log-parameters with the analytic gradient, from up to three
  starting points when the first does not converge;
* :class:`~retainlib.errors.ConvergenceError` (a checklist, with the optimizer
  result) when the optimizer fails, a parameter runs off towards 0 or infinity,
  or the likelihood is flat at the optimum (Hessian not positive definite);
* standard errors from a Hessian obtained by forward differences of the
  analytic gradient, and :meth:`summary`.

The objective is lifetimes' one, so a ``penalizer`` means the same in both
libraries: mean negative log-likelihood per customer (in rescaled units) plus
``penalizer * sum(theta ** 2)``, an L2 penalty on the rescaled parameters
``theta = exp(log-parameters)``.
"""

from __future__ import annotations

import inspect
from numbers import Real

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.stats import norm

from retainlib._arrays import distinct_rows
from retainlib.errors import ConvergenceError, DataError, NotFittedError

_Z95 = float(norm.ppf(0.975))
# |log-parameter| (rescaled units) beyond which a fit is treated as running off to 0 or infinity:
# exp(15) ~ 3e6; with time rescaled to max T = 1 sensible parameters are many decades inside.
_RUNAWAY = 15.0
# gradient of the mean negative log-likelihood (log-parameters) small enough to accept a fit
# whose line search stopped on round-off ("ABNORMAL_TERMINATION_IN_LNSRCH")
_GTOL_STALLED = 1e-6
_FLAT = ("the likelihood is flat in some direction at the optimum, so the data do not pin down "
         "all parameters")


def _or(values: list[float]) -> str:
    """'0', '0 or 0.001', '0, 0.001 or 0.01': numbers joined for a sentence."""
    words = [f"{v:g}" for v in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def summary_columns(rfm: pd.DataFrame, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Return the columns ``names`` of ``rfm`` as float arrays, checked.

    A calibration/holdout frame (``frequency_cal``, ...) is accepted when the
    plain names are absent.
    """
    if not isinstance(rfm, pd.DataFrame):
        raise DataError(
            f"expected a per-customer summary DataFrame, got {type(rfm).__name__}; "
            "build one with retainlib.rfm_summary(tx)"
        )
    cols = {}
    for name in names:
        col = name if name in rfm.columns else f"{name}_cal"
        if col not in rfm.columns:
            raise DataError(
                f"column {name!r} not found in the customer summary; columns are "
                f"{', '.join(repr(str(c)) for c in rfm.columns)}; build the summary with "
                "retainlib.rfm_summary(tx) or retainlib.calibration_holdout(tx, ...)"
            )
        values = pd.to_numeric(rfm[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            who = rfm.index[np.flatnonzero(bad)[0]]
            raise DataError(
                f"column {col!r} has {int(bad.sum())} missing or infinite values (first for "
                f"customer {who!r}); drop those customers or rebuild the summary with "
                "retainlib.rfm_summary"
            )
        neg = values < 0
        if name != "monetary_value" and neg.any():
            who = rfm.index[np.flatnonzero(neg)[0]]
            raise DataError(
                f"column {col!r} is negative ({values[neg][0]:g}) for customer {who!r} and "
                f"{int(neg.sum()) - 1} others; counts and times cannot be negative, check the dates"
            )
        cols[name] = values
    if "frequency" in cols:
        f = cols["frequency"]
        frac = f != np.round(f)
        if frac.any():
            who = rfm.index[np.flatnonzero(frac)[0]]
            raise DataError(
                f"column 'frequency' is not a whole number ({f[frac][0]:g}) for customer {who!r}; "
                "frequency counts repeat purchase days"
            )
    if "recency" in cols and "T" in cols:
        over = cols["recency"] > cols["T"] * (1 + 1e-9) + 1e-12
        if over.any():
            i = np.flatnonzero(over)[0]
            raise DataError(
                f"recency ({cols['recency'][i]:g}) exceeds T ({cols['T'][i]:g}) for customer "
                f"{rfm.index[i]!r} and {int(over.sum()) - 1} others; the last purchase must fall "
                "before the observation end: rebuild the summary with the right observation_end"
            )
        zero_x = (cols["frequency"] == 0) & (cols["recency"] > 0)
        if zero_x.any():
            i = np.flatnonzero(zero_x)[0]
            raise DataError(
                f"customer {rfm.index[i]!r} has frequency 0 but recency {cols['recency'][i]:g}; "
                "recency must be 0 without repeat purchases: rebuild with retainlib.rfm_summary"
            )
    return cols


def compress_rows(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of ``data`` and how often each occurs (hash-based, O(n)).

    Equivalent to ``np.unique(data, axis=0, return_counts=True)`` up to row order
    (rows come in order of first appearance), without sorting; see
    :func:`retainlib._arrays.distinct_rows`.

    Examples
    --------
    >>> rows, counts = compress_rows(np.array([[1.0, 4.0], [0.0, 2.0], [1.0, 4.0]]))
    >>> rows.tolist(), counts.tolist()
    ([[1.0, 4.0], [0.0, 2.0]], [2.0, 1.0])
    """
    key, distinct = distinct_rows(*data.T)  # a loop over the 2-3 columns, not customers
    counts = np.bincount(key).astype(float)
    return np.column_stack(distinct).astype(data.dtype, copy=False), counts


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """Inner product of two vectors without BLAS.

    ``a @ b`` goes through multi-threaded OpenBLAS, which is up to 50 times
    slower on a busy machine (thread hand-off); einsum's own loop is not.
    """
    return float(np.einsum("i,i->", a, b))


def group_index(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of ``x`` (e.g. frequencies) and each element's index into them."""
    codes, uniques = pd.factorize(x)
    return np.asarray(uniques, dtype=float), codes


class BaseModel:
    """Base class: fit by maximum likelihood, standard errors, summary, fitted checks."""

    _param_names: tuple[str, ...] = ()
    _columns: tuple[str, ...] = ()
    _data_hint = "checking the time unit of recency and T (weeks by default)."

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    def get_params(self) -> dict[str, object]:
        """Hyperparameters given to ``__init__`` (scikit-learn's ``get_params``).

        ``type(model)(**model.get_params())`` is an unfitted copy.

        Examples
        --------
        >>> from retainlib.models import GammaGammaModel
        >>> GammaGammaModel(penalizer=0.01).get_params()
        {'penalizer': 0.01, 'corr_threshold': 0.3}
        """
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"{type(self).__name__}(penalizer={self.penalizer})"
        p = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"<{type(self).__name__} fitted on {self.n_customers_} customers: {p}>"

    @property
    def input_columns(self) -> tuple[str, ...]:
        """The summary columns the predictions read: customers equal in these get equal predictions.

        Analytics use it to predict once per distinct row of these columns
        (:func:`retainlib._arrays.predict_on_distinct_rows`).

        Examples
        --------
        >>> from retainlib.models import BetaGeoModel
        >>> BetaGeoModel().input_columns
        ('frequency', 'recency', 'T')
        """
        return self._columns

    # --- to be provided by each model -------------------------------------------------
    @staticmethod
    def _loglik(log_params: np.ndarray, data: tuple[np.ndarray, ...], grad: bool = True):
        """Per-row log-likelihood and (n, k) gradient w.r.t. the log-parameters."""
        raise NotImplementedError

    def _prepare(self, rfm: pd.DataFrame) -> tuple[np.ndarray, ...]:
        """Checked data arrays for fitting (rows in ``_columns`` order)."""
        raise NotImplementedError

    @staticmethod
    def _scale(data: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """Rescaled data rows, scale s and log-parameter shift (original = rescaled + shift)."""
        raise NotImplementedError

    @staticmethod
    def _log_jacobian(rows: np.ndarray, weights: np.ndarray, scale: float) -> float:
        """Total LL in original units minus total LL in rescaled units (same parameters)."""
        raise NotImplementedError

    def _fit_data(self, rows: np.ndarray, weights: np.ndarray) -> dict:
        """Arrays the model's ``_total`` needs, precomputed once per fit."""
        raise NotImplementedError

    def _total(self, log_params: np.ndarray, fd: dict, grad: bool = True):
        """Weighted total log-likelihood and its gradient w.r.t. the log-parameters."""
        raise NotImplementedError

    # --- machinery ---------------------------------------------------------------------
    def _objective(self, log_params, fd):
        """Lifetimes' objective: mean negative LL + penalizer * sum(theta**2), and its gradient."""
        n = fd["n"]
        # a trial step far out in log-space can overflow exp(); such a step is rejected below
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            total, g = self._total(log_params, fd)
            value, grad = -total / n, -g / n
            if self.penalizer:
                theta2 = np.exp(log_params) ** 2
                value = value + self.penalizer * np.sum(theta2)
                grad = grad + 2.0 * self.penalizer * theta2
        if not (np.isfinite(value) and np.all(np.isfinite(grad))):
            return np.inf, np.zeros_like(log_params)
        return value, grad

    def _check_penalizer(self) -> None:
        pen = self.penalizer
        if isinstance(pen, bool) or not isinstance(pen, Real) or not np.isfinite(pen) or pen < 0:
            raise DataError(f"penalizer must be a number >= 0, got {pen!r}; use e.g. 0.001 "
                            "(clv.penalizer in the client config)")

    def fit(self, rfm: pd.DataFrame):
        """Fit the model by maximum likelihood.

        Parameters
        ----------
        rfm : pandas.DataFrame
            Per-customer summary from :func:`retainlib.rfm_summary` (or a
            calibration/holdout frame from :func:`retainlib.calibration_holdout`).

        Returns
        -------
        self
            With ``params_``, ``log_likelihood_`` (total, original units),
            ``converged_``, ``n_customers_`` and ``n_distinct_rows_``.
        """
        self._check_penalizer()
        rows, weights = compress_rows(self._prepare(rfm))
        scaled, scale, shift = self._scale(rows)
        cols = self._fit_data(scaled, weights)
        result, best = None, None
        for x0 in self._starts():
            res = minimize(
                self._objective,
                x0,
                args=(cols,),
                jac=True,
                method="L-BFGS-B",
                options={"maxiter": 5000, "ftol": 1e-12, "gtol": 1e-8, "maxcor": 20},
            )
            # a line search stalled by round-off right at the optimum is a success
            stalled = np.isfinite(res.fun) and np.max(np.abs(res.jac)) <= _GTOL_STALLED
            res.success = bool(res.success) or bool(stalled)
            if best is None or (np.isfinite(res.fun) and res.fun < best.fun):
                best = res
            if res.success and np.all(np.isfinite(res.x)):
                result = res
                break
        result = result if result is not None else best
        finite = np.all(np.isfinite(result.x)) and np.all(np.abs(result.x) < _RUNAWAY)
        if not (result.success and finite):
            why = self._failure_reason(result)
            raise ConvergenceError(self._convergence_message(len(rfm), why), result)
        hess = self._hessian(result.x, cols, getattr(result, "jac", None))
        eig = np.linalg.eigvalsh(hess) if np.all(np.isfinite(hess)) else np.array([np.nan])
        if not np.all(np.isfinite(eig)) or eig.min() <= 1e-9 * np.abs(eig).max():
            raise ConvergenceError(self._convergence_message(len(rfm), _FLAT), result)
        log_params = result.x + shift
        self.params_ = pd.Series(np.exp(log_params), index=list(self._param_names), name="coef")
        total, _ = self._total(result.x, cols, grad=False)
        self.log_likelihood_ = float(total + self._log_jacobian(rows, weights, scale))
        with np.errstate(invalid="ignore"):
            try:
                cov = np.linalg.inv(hess)
            except np.linalg.LinAlgError:
                cov = np.full_like(hess, np.nan)
        names = self.params_.index
        self.log_params_cov_ = pd.DataFrame(cov, index=names, columns=names)
        self.converged_ = bool(result.success)
        self.n_customers_ = int(weights.sum())
        self.n_distinct_rows_ = len(rows)
        self.scale_ = float(scale)
        return self

    def _starts(self):
        """Starting log-parameters in rescaled units: 1 first, then 0.1 and e if that fails."""
        k = len(self._param_names)
        for value in (0.0, np.log(0.1), 1.0):
            yield np.full(k, value)

    def _hessian(self, x, cols, g0=None, eps: float = 1e-6) -> np.ndarray:
        """Hessian of the total penalized negative LL (log-params), from the analytic gradient.

        Forward differences of the gradient around the optimum ``x`` (``g0``:
        the gradient there, if known), symmetrised: one gradient per parameter.
        """
        k = len(x)
        n = cols["n"]
        if g0 is None:
            g0 = self._objective(x, cols)[1]
        h = np.empty((k, k))
        for j in range(k):  # loop over parameters (k <= 4), not customers
            step = np.zeros(k)
            step[j] = eps
            h[:, j] = (self._objective(x + step, cols)[1] - g0) / eps * n
        return (h + h.T) / 2

    def _failure_reason(self, result) -> str:
        """Why an optimizer result was not accepted, in words (for the ConvergenceError)."""
        x = np.asarray(getattr(result, "x", []), dtype=float)
        runaway = [
            f"{name} -> {np.exp(v):.3g}"
            for name, v in zip(self._param_names, x, strict=False)
            if not np.isfinite(v) or abs(v) >= _RUNAWAY
        ]
        if runaway:
            return f"parameters ran off to the edge of their range ({', '.join(runaway)}, rescaled)"
        if getattr(result, "success", False):
            return _FLAT  # accepted by the optimizer, refused by the Hessian check
        return f"optimizer: {getattr(result, 'message', 'unknown')}"

    def _degenerate(self) -> str:
        """Why fitted parameters cannot be used for predictions ('' when they can).

        The optimizer converged, but the parameters describe no usable
        population (e.g. an infinite mean); models override this.
        """
        return ""

    def _convergence_message(self, n_customers: int, why: str,
                             tried: tuple[float, ...] | None = None) -> str:
        """The ConvergenceError text: what failed, then a checklist of what to try.

        ``tried``: the penalizers already tried (by
        :func:`retainlib.models.fitting.fit_with_penalizer`); the first
        advice is then a larger one.
        """
        name = type(self).__name__
        pens = sorted({float(p) for p in (tried or (self.penalizer,))})
        with_pen = ""
        advice = ("(1) a small penalizer: set clv.penalizer: 0.001 in the client config "
                  "(its clv block)")
        if tried is not None or pens[-1] > 0:
            with_pen = f" with penalizer {_or(pens)}"
        if 0 < pens[-1] < 1:
            advice = (f"(1) a larger penalizer: set clv.penalizer: {10 * pens[-1]:g} in the "
                      "client config (its clv block)")
        elif pens[-1] >= 1:  # a penalty this strong sets the parameters, not the data
            advice = "(1) more customers: a larger penalizer would not help"
        return (
            f"{name} did not converge on {n_customers} customers{with_pen} ({why}); try: "
            f"{advice}; "
            "(2) removing extreme outliers in frequency (e.g. wholesale accounts); "
            "(3) a longer calibration period so more customers repeat; "
            f"(4) {self._data_hint} "
            "The optimizer result is attached as .result"
        )

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise NotFittedError(
                f"this {type(self).__name__} is not fitted yet; call .fit(rfm) before predicting"
            )

    def summary(self) -> pd.DataFrame:
        """Fitted parameters with standard errors and 95% intervals.

        Standard errors come from the inverse Hessian of the (penalized)
        negative log-likelihood with respect to the log-parameters. ``se`` is
        the delta-method standard error of the parameter (``coef * se_log``);
        the interval is computed on the log scale and exponentiated
        (``coef * exp(+-1.96 se_log)``), so it is asymmetric and stays positive.

        Returns
        -------
        pandas.DataFrame
            One row per parameter with columns ``coef``, ``se``, ``lower 95%``
            and ``upper 95%``.
        """
        self._check_fitted()
        se_log = np.sqrt(np.diag(self.log_params_cov_.to_numpy()))
        coef = self.params_.to_numpy()
        return pd.DataFrame(
            {
                "coef": coef,
                "se": coef * se_log,
                "lower 95%": coef * np.exp(-_Z95 * se_log),
                "upper 95%": coef * np.exp(_Z95 * se_log),
            },
            index=pd.Index(self.params_.index, name="parameter"),
        )
