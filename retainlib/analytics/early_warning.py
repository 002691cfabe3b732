"""Early warning: valuable customers who are slipping away, ranked by the revenue at stake.

Definitions (all per customer, time in the summary's unit, weeks by default)
-----------------------------------------------------------------------------
- ``p_alive``: the purchase model's probability that the customer is still active.
- ``usual_gap = recency / frequency``: the customer's own mean time between purchases
  (first to last purchase divided by the repeat purchases); undefined for one-time buyers.
- ``silent_for = T - recency``: time since the last purchase.
- ``purchases_if_active = E[purchases in the next horizon] / p_alive``: the model's expected
  purchases over the horizon (52 weeks by default) *for a customer who is still active
  today*. In the BG/NBD the unconditional expectation is exactly ``p_alive`` times this
  (Fader, Hardie & Lee 2005, eq. 10), so the division recovers the conditional one; it still
  allows for the chance of dropping out later in the year.
- ``revenue_at_risk = purchases_if_active * expected_spend * margin``: what the company
  loses over the horizon if this customer has left, i.e. the revenue they bring next year
  if they are still there. It is the measure of value: a customer is *valuable* when
  ``revenue_at_risk`` is positive and at least its ``min_value_quantile`` quantile over all
  customers (the top 30% by default).
- A valuable customer is **at risk** when ``p_alive < p_alive_threshold`` or
  ``silent_for > gap_multiple * usual_gap`` (repeat customers only). The reason is written
  in words, e.g. ``"usually buys every 3 weeks, silent for 14; P(alive) fell to 32%"``.
- ``expected_loss = (1 - p_alive) * revenue_at_risk``: the part the model already counts
  as lost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retainlib._units import UNIT_WORDS, convert, days_per
from retainlib.errors import ConfigError, DataError

__all__ = ["AT_RISK_COLUMNS", "at_risk"]

#: Columns of :func:`at_risk`, stable for CRM imports (the index is ``customer_id``).
AT_RISK_COLUMNS = (
    "rank", "revenue_at_risk", "reason", "p_alive", "usual_gap", "silent_for", "frequency",
    "purchases_if_active", "expected_spend", "expected_purchases", "expected_loss",
    "low_p_alive", "long_silence", "valuable", "at_risk",
)


def _fmt(values: pd.Series) -> pd.Series:
    """Numbers as short text: one decimal, without a trailing '.0'."""
    return values.round(1).astype("str").str.removesuffix(".0")


def at_risk(rfm: pd.DataFrame, purchases_model, spend_model, *, p_alive_threshold: float = 0.5,
            gap_multiple: float = 3.0, min_value_quantile: float = 0.7,
            horizon_weeks: float = 52.0, margin: float = 1.0, only_flagged: bool = True
            ) -> pd.DataFrame:
    """Valuable customers whose activity has dropped, ranked by the revenue at risk.

    Business meaning: the call list: who to contact first, why, and what losing them costs
    next year (definitions in the module docstring).

    Parameters
    ----------
    rfm : DataFrame
        Summary from :func:`retainlib.rfm_summary` (``frequency``, ``recency``, ``T``,
        ``monetary_value``); its ``attrs['time_unit']`` (default ``'W'``) sets the unit.
    purchases_model : fitted model
        With ``probability_alive(rfm)`` and ``expected_purchases(rfm, t)`` (``BetaGeoModel``).
    spend_model : fitted model
        With ``expected_spend(rfm)`` (``GammaGammaModel``).
    p_alive_threshold : float, default 0.5
        Flag customers whose P(alive) is below this.
    gap_multiple : float, default 3.0
        Flag repeat customers silent for more than this many usual gaps.
    min_value_quantile : float, default 0.7
        Only customers whose revenue at risk reaches this quantile are considered (top 30%).
    horizon_weeks : float, default 52
        Horizon of the revenue at risk, in weeks (converted to the summary's unit).
    margin : float, default 1.0
        Share of revenue that is margin (1.0 = report revenue).
    only_flagged : bool, default True
        Return the at-risk customers only; False returns every customer with the flags.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``, sorted by ``revenue_at_risk`` (highest first, ties by
        id), columns :data:`AT_RISK_COLUMNS`: ``rank`` (1 = first to call; 0 when not at
        risk), ``revenue_at_risk``, ``reason`` (text, empty when not at risk), ``p_alive``,
        ``usual_gap`` and ``silent_for`` (summary unit, ``attrs['time_unit']``),
        ``frequency``, ``purchases_if_active``, ``expected_spend``, ``expected_purchases``,
        ``expected_loss``, and the flags ``low_p_alive``, ``long_silence``, ``valuable``,
        ``at_risk``.
    """
    for name, value, lo, hi in (("p_alive_threshold", p_alive_threshold, 0, 1),
                                ("min_value_quantile", min_value_quantile, 0, 1)):
        if not lo <= float(value) <= hi:
            raise ConfigError(f"{name} must be between {lo} and {hi}, not {value!r}")
    if gap_multiple <= 0 or horizon_weeks <= 0:
        raise ConfigError(f"gap_multiple and horizon_weeks must be positive, got {gap_multiple!r}"
                          f" and {horizon_weeks!r}")
    if not isinstance(rfm, pd.DataFrame) or not {"frequency", "recency", "T"} <= set(rfm.columns):
        raise DataError("at_risk expects a summary from retainlib.rfm_summary (columns "
                        "'frequency', 'recency', 'T', 'monetary_value')")
    unit = rfm.attrs.get("time_unit", "W")
    days_per(unit, "rfm.attrs['time_unit']")  # a ConfigError naming the valid units
    t = convert(horizon_weeks, "W", unit)
    p_alive = np.asarray(purchases_model.probability_alive(rfm), dtype="float64")
    expected = np.asarray(purchases_model.expected_purchases(rfm, t), dtype="float64")
    spend = np.asarray(spend_model.expected_spend(rfm), dtype="float64")
    # E[X | alive] = E[X] / P(alive); where P(alive) underflows to 0 the ratio is 0 / 0: use 0
    with np.errstate(divide="ignore", invalid="ignore"):
        if_active = np.where(p_alive > 0, expected / p_alive, 0.0)
    x = rfm["frequency"].to_numpy(dtype="float64")
    recency = rfm["recency"].to_numpy(dtype="float64")
    silent = rfm["T"].to_numpy(dtype="float64") - recency
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(x > 0, recency / x, np.nan)
    at_stake = if_active * spend * margin
    threshold = np.quantile(at_stake, min_value_quantile)
    valuable = (at_stake >= threshold) & (at_stake > 0)
    low = p_alive < p_alive_threshold
    long_silence = (x > 0) & (silent > gap_multiple * gap)
    flag = valuable & (low | long_silence)

    out = pd.DataFrame({
        "rank": np.zeros(len(rfm), dtype="int64"),
        "revenue_at_risk": at_stake,
        "reason": "",
        "p_alive": p_alive,
        "usual_gap": gap,
        "silent_for": silent,
        "frequency": rfm["frequency"].to_numpy(),
        "purchases_if_active": if_active,
        "expected_spend": spend,
        "expected_purchases": expected,
        "expected_loss": (1 - p_alive) * at_stake,
        "low_p_alive": low,
        "long_silence": long_silence,
        "valuable": valuable,
        "at_risk": flag,
    }, index=rfm.index)
    words = UNIT_WORDS[unit]
    gap_text = ("usually buys every " + _fmt(out["usual_gap"]) + f" {words}, silent for "
                + _fmt(out["silent_for"]))
    pct = (out["p_alive"] * 100).round().astype("int64").astype("str") + "%"
    p_text = "P(alive) fell to " + pct.where(out["p_alive"] >= 0.005, "below 1%")
    reason = pd.Series("", index=out.index, dtype="str")
    reason = reason.where(~(flag & long_silence), gap_text)
    both = flag & long_silence & low
    reason = reason.where(~both, reason + "; " + p_text)
    reason = reason.where(~(flag & low & ~long_silence), p_text)
    out["reason"] = reason
    order = np.lexsort((np.asarray(out.index.astype("str")), -at_stake))
    out = out.iloc[order]
    flagged = out["at_risk"].to_numpy()
    out.loc[flagged, "rank"] = np.arange(1, int(flagged.sum()) + 1)
    if only_flagged:
        out = out[flagged]
    out.index.name = rfm.index.name or "customer_id"
    out.attrs.update(time_unit=unit, horizon_weeks=float(horizon_weeks), margin=float(margin),
                     value_threshold=float(threshold))
    return out
