"""Early warning: valuable customers slipping away (at risk) and those already gone (lapsed).

**Revenue at risk** (the one headline figure, :func:`early_warning_summary`): the revenue
the customers on the *at risk* list would bring over the next horizon (12 months by
default) if they stay; customers who have probably already left are counted separately,
as the *lapsed* value of the win-back list.

Definitions (all per customer, time in the summary's unit, weeks by default)
-----------------------------------------------------------------------------
- ``p_alive``: the purchase model's probability that the customer is still active
  (written "chance still active" in the report).
- ``usual_gap = recency / frequency``: the customer's own mean time between purchases
  (first to last purchase divided by the repeat purchases); undefined for one-time buyers.
- ``silent_for = T - recency``: time since the last purchase.
- ``purchases_if_active = E[purchases in the next horizon] / p_alive``: the model's expected
  purchases over the horizon (52 weeks by default) *for a customer who is still active
  today*. In the BG/NBD the unconditional expectation is exactly ``p_alive`` times this
  (Fader, Hardie & Lee 2005, eq. 10), so the division recovers the conditional one; it still
  allows for the chance of dropping out later in the year.
- ``value_if_retained = purchases_if_active * expected_spend * margin``: the revenue the
  customer brings over the horizon if they are still a customer, i.e. what the company loses
  if they have left. ``revenue_at_risk`` is the same number under its former name (kept so
  existing readers of the customer table keep working). It is the measure of value: a
  customer is *valuable* when ``value_if_retained`` is positive and at least its
  ``min_value_quantile`` quantile over all customers (the top 30% by default).
- ``expected_value = value_if_retained * p_alive``: the revenue to expect from the
  customer over the horizon, allowing for the chance that they have already left.
- A valuable customer is **flagged** when ``p_alive < p_alive_threshold`` or
  ``silent_for > gap_multiple * usual_gap`` (repeat customers only). A flagged customer is
  on one of two lists (column ``list``):

  * ``'at risk'``: ``p_alive >= lapsed_below`` (0.2 by default): slipping now, still likely
    a customer; ranked by ``expected_value`` (what a call can still save);
  * ``'lapsed'``: ``p_alive < lapsed_below``: probably already gone, a win-back list;
    ranked by ``value_if_retained`` (the prize if they are won back, since every chance on
    it is small).
- The reason is written in words with its units, e.g. ``"usually buys every 3 weeks,
  silent for 14 weeks; chance still active 32%"`` (one-time buyers: ``"bought once, 40
  weeks ago; ..."``).
- ``expected_loss = (1 - p_alive) * value_if_retained``: the part the model already counts
  as lost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retainlib._arrays import predict_on_distinct_rows
from retainlib._units import UNIT_NOUNS, convert, days_per
from retainlib.errors import ConfigError, DataError
from retainlib.i18n import catalogue, check_language, text

__all__ = ["AT_RISK_COLUMNS", "LISTS", "at_risk", "early_warning_summary"]

#: The two lists of flagged customers, in the order they are shown.
LISTS = ("at risk", "lapsed")

#: Columns of the at-risk export (``at_risk.csv``), stable for CRM imports (the index is
#: ``customer_id``). :func:`at_risk` also returns ``revenue_at_risk`` (= ``value_if_retained``).
AT_RISK_COLUMNS = (
    "list", "rank", "value_if_retained", "expected_value", "reason", "p_alive", "usual_gap",
    "silent_for", "frequency", "purchases_if_active", "expected_spend", "expected_purchases",
    "expected_loss", "low_p_alive", "long_silence", "valuable", "at_risk",
)


def _fmt(values: pd.Series) -> pd.Series:
    """Numbers as short text: one decimal, without a trailing '.0'."""
    return values.round(1).astype("str").str.removesuffix(".0")


def _with_unit(values: pd.Series, unit: str, lang: str) -> pd.Series:
    """``'3 weeks'``, ``'1 week'`` (he ``'3 שבועות'``, ``'שבוע'``, ``'שבועיים'``): a time and unit.

    The number is short text (:func:`_fmt`) in the catalogue's counted form of the unit's
    noun (the dual where the language has one); exactly one is the catalogue's
    ``analytics.one_<noun>``, the form a sentence uses ('every week', Hebrew 'כל שבוע').
    """
    shown = _fmt(values)
    noun = UNIT_NOUNS[unit]
    forms = catalogue(lang).nouns[noun]
    one, two = text(f"analytics.one_{noun}", lang), forms.get("two", forms["other"])
    return pd.Series([one if n == "1" else (two if n == "2" else forms["other"]).format(n=n)
                      for n in shown], index=values.index, dtype="object")


def at_risk(rfm: pd.DataFrame, purchases_model, spend_model, *, p_alive_threshold: float = 0.5,
            gap_multiple: float = 3.0, min_value_quantile: float = 0.7,
            lapsed_below: float = 0.2, horizon_weeks: float = 52.0, margin: float = 1.0,
            only_flagged: bool = True, lang: str = "en") -> pd.DataFrame:
    """Valuable customers whose activity has dropped: the at-risk list and the lapsed list.

    Business meaning: the call list (who to contact first, why, and what they are worth
    next year) and, apart from it, the valuable customers who have probably already left
    (a win-back list). Definitions in the module docstring.

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
        Flag customers whose chance of still being active is below this.
    gap_multiple : float, default 3.0
        Flag repeat customers silent for more than this many usual gaps.
    min_value_quantile : float, default 0.7
        Only customers whose value if retained reaches this quantile are considered (top 30%).
    lapsed_below : float, default 0.2
        A flagged customer whose chance of still being active is below this is *lapsed*
        (win-back list), not *at risk*.
    horizon_weeks : float, default 52
        Horizon of the values, in weeks (converted to the summary's unit).
    margin : float, default 1.0
        Share of revenue that is margin (1.0 = report revenue).
    only_flagged : bool, default True
        Return the flagged customers only (both lists); False returns every customer.
    lang : str, default 'en'
        Language of ``reason`` ('en', 'he'; see :mod:`retainlib.i18n`). ``list`` keeps its
        canonical values in every language (name them with
        :func:`retainlib.analytics.names.value_name`).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``; the at-risk list first (highest ``expected_value``
        first), then the lapsed list (highest ``value_if_retained`` first), then (with
        ``only_flagged=False``) everyone else (highest ``value_if_retained`` first); ties by
        id. Columns :data:`AT_RISK_COLUMNS` and ``revenue_at_risk``:

        - ``list``: ``'at risk'``, ``'lapsed'`` or ``''`` (not flagged);
        - ``rank``: position within its list (1 = first to call; 0 when not flagged);
        - ``value_if_retained``: revenue over the horizon if the customer stays;
        - ``expected_value``: ``value_if_retained * p_alive``;
        - ``reason``: in words with units (empty when not flagged);
        - ``p_alive``: chance the customer is still active;
        - ``usual_gap``, ``silent_for``: summary unit (``attrs['time_unit']``);
        - ``frequency`` (repeat purchases), ``purchases_if_active``, ``expected_spend``,
          ``expected_purchases`` (over the horizon, allowing for dropping out),
          ``expected_loss`` (``(1 - p_alive) * value_if_retained``);
        - flags ``low_p_alive``, ``long_silence``, ``valuable``, ``at_risk`` (flagged: on
          either list);
        - ``revenue_at_risk``: the same number as ``value_if_retained`` (former name).

        ``attrs``: ``time_unit``, ``horizon_weeks``, ``margin``, ``value_threshold``
        (the value a customer needs to be valuable), ``lapsed_below``.
    """
    for name, value, lo, hi in (("p_alive_threshold", p_alive_threshold, 0, 1),
                                ("min_value_quantile", min_value_quantile, 0, 1),
                                ("lapsed_below", lapsed_below, 0, 1)):
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
    check_language(lang)
    t = convert(horizon_weeks, "W", unit)

    def purchase_predictions(rows: pd.DataFrame) -> pd.DataFrame:
        """P(alive) and expected purchases over the horizon of each row of ``rows``."""
        return pd.DataFrame({
            "p_alive": np.asarray(purchases_model.probability_alive(rows), dtype="float64"),
            "expected": np.asarray(purchases_model.expected_purchases(rows, t), dtype="float64"),
        }, index=rows.index)

    # once per distinct row of the columns the purchase model reads (input_columns), copied
    # back to every customer; a model that does not say which columns it reads is asked per
    # customer. Expected spend is one line of arithmetic per customer: finding the distinct
    # rows would cost more than it saves (1M customers: 0.04 s per row, 0.17 s on distinct rows)
    predicted = predict_on_distinct_rows(purchase_predictions, rfm,
                                         getattr(purchases_model, "input_columns", ()))
    p_alive, expected = predicted["p_alive"].to_numpy(), predicted["expected"].to_numpy()
    spend = np.asarray(spend_model.expected_spend(rfm), dtype="float64")
    # E[X | alive] = E[X] / P(alive); where P(alive) underflows to 0 the ratio is 0 / 0: use 0
    with np.errstate(divide="ignore", invalid="ignore"):
        if_active = np.where(p_alive > 0, expected / p_alive, 0.0)
    x = rfm["frequency"].to_numpy(dtype="float64")
    recency = rfm["recency"].to_numpy(dtype="float64")
    silent = rfm["T"].to_numpy(dtype="float64") - recency
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(x > 0, recency / x, np.nan)
    value = if_active * spend * margin
    threshold = np.quantile(value, min_value_quantile) if len(value) else np.nan
    valuable = (value >= threshold) & (value > 0)
    low = p_alive < p_alive_threshold
    long_silence = (x > 0) & (silent > gap_multiple * gap)
    flag = valuable & (low | long_silence)
    lapsed = flag & (p_alive < lapsed_below)
    which = np.where(lapsed, LISTS[1], np.where(flag, LISTS[0], ""))

    out = pd.DataFrame({
        "list": pd.array(which, dtype="str"),
        "rank": np.zeros(len(rfm), dtype="int64"),
        "value_if_retained": value,
        "expected_value": value * p_alive,
        "reason": "",
        "p_alive": p_alive,
        "usual_gap": gap,
        "silent_for": silent,
        "frequency": rfm["frequency"].to_numpy(),
        "purchases_if_active": if_active,
        "expected_spend": spend,
        "expected_purchases": expected,
        "expected_loss": (1 - p_alive) * value,
        "low_p_alive": low,
        "long_silence": long_silence,
        "valuable": valuable,
        "at_risk": flag,
        "revenue_at_risk": value,
    }, index=rfm.index)
    out["reason"] = _reasons(out[flag], unit, lang).reindex(out.index, fill_value="").astype(
        "str")
    # order: at-risk list by expected value, lapsed list by value if retained, then the rest
    group = np.where(lapsed, 1, np.where(flag, 0, 2))
    key = np.where(group == 0, out["expected_value"].to_numpy(), value)
    order = np.lexsort((np.asarray(out.index.astype("str")), -key, group))
    out = out.iloc[order]
    for name in LISTS:
        on = (out["list"] == name).to_numpy()
        out.loc[on, "rank"] = np.arange(1, int(on.sum()) + 1)
    if only_flagged:
        out = out[out["at_risk"].to_numpy()]
    out.index.name = rfm.index.name or "customer_id"
    out.attrs.update(time_unit=unit, horizon_weeks=float(horizon_weeks), margin=float(margin),
                     value_threshold=float(threshold), lapsed_below=float(lapsed_below))
    return out


def _reasons(out: pd.DataFrame, unit: str, lang: str) -> pd.Series:
    """Why each customer of ``out`` is flagged, in words with units, in ``lang``.

    ``"usually buys every 3 weeks, silent for 14 weeks; chance still active 32%"``; one-time
    buyers ``"bought once, 40 weeks ago; chance still active 32%"``; Hebrew
    ``"קונה בדרך כלל כל 3 שבועות, לא קנה כבר 14 שבועות; הסיכוי שעדיין פעיל 32%"``. The
    sentences are the catalogue's ``analytics.reason_repeat`` and ``analytics.reason_once``.
    """
    silent = _with_unit(out["silent_for"], unit, lang)
    gap = _with_unit(out["usual_gap"], unit, lang)
    pct = (out["p_alive"] * 100).round().astype("int64").astype("str") + "%"
    chance = pct.where(out["p_alive"] >= 0.005, text("format.below_1pct", lang))
    repeat = out["usual_gap"].notna().to_numpy()
    words = [text("analytics.reason_repeat", lang, gap=g, silent=s, chance=c) if r else
             text("analytics.reason_once", lang, silent=s, chance=c)
             for r, g, s, c in zip(repeat, gap, silent, chance, strict=True)]
    return pd.Series(words, index=out.index, dtype="object")


def early_warning_summary(at_risk_frame: pd.DataFrame) -> pd.Series:
    """The headline early-warning figures: customers and revenue on each list.

    Business meaning: **revenue at risk** is what the customers on the at-risk list would
    bring over the next horizon (12 months by default) if they stay; the lapsed list's value
    is counted apart, as the prize of a win-back campaign. Every place that shows revenue at
    risk (summary, segment tables, portfolio page) uses this function, so they agree.

    Parameters
    ----------
    at_risk_frame : DataFrame
        Output of :func:`at_risk` (flagged only or everyone), or any selection of its rows
        (e.g. one segment's customers); needs ``list``, ``value_if_retained`` and
        ``expected_value``. Rows whose ``list`` is neither ``'at risk'`` nor ``'lapsed'``
        (not flagged, or missing) are not counted.

    Returns
    -------
    pandas.Series
        ``at_risk_customers`` (int, on the at-risk list), ``revenue_at_risk`` (sum of
        ``value_if_retained`` over the at-risk list), ``at_risk_expected_value`` (sum of
        ``expected_value`` over it: allowing for the chance they have already left),
        ``lapsed_customers`` (int) and ``lapsed_value`` (sum of ``value_if_retained`` over
        the lapsed list). Sums over no customer are 0.

    Examples
    --------
    >>> risk = pd.DataFrame({"list": ["at risk", "at risk", "lapsed", ""],
    ...                      "value_if_retained": [500.0, 300.0, 800.0, 900.0],
    ...                      "expected_value": [200.0, 150.0, 80.0, 850.0]})
    >>> early_warning_summary(risk).to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'at_risk_customers': 2, 'revenue_at_risk': 800.0, 'at_risk_expected_value': 350.0,
     'lapsed_customers': 1, 'lapsed_value': 800.0}
    """
    need = {"list", "value_if_retained", "expected_value"}
    if not isinstance(at_risk_frame, pd.DataFrame) or not need <= set(at_risk_frame.columns):
        raise DataError("early_warning_summary expects the output of retainlib.at_risk "
                        "(columns 'list', 'value_if_retained', 'expected_value')")
    which = at_risk_frame["list"].astype("object")
    risk, gone = (which == LISTS[0]).to_numpy(), (which == LISTS[1]).to_numpy()
    value = at_risk_frame["value_if_retained"].to_numpy(dtype="float64")
    expected = at_risk_frame["expected_value"].to_numpy(dtype="float64")
    return pd.Series({
        "at_risk_customers": int(risk.sum()),
        "revenue_at_risk": float(np.nansum(value[risk])),
        "at_risk_expected_value": float(np.nansum(expected[risk])),
        "lapsed_customers": int(gone.sum()),
        "lapsed_value": float(np.nansum(value[gone])),
    }, dtype="object", name="early_warning")
