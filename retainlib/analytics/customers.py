"""The customer table: one row per customer with everything known (written by retainlib.output).

Columns of :func:`customer_table` (stable names; groups appear when their inputs are given)
--------------------------------------------------------------------------------------------
Always (from the transactions):
``first_purchase``, ``last_purchase`` (dates of the first and last purchase row),
``orders``, ``revenue`` (net of returns), ``gross_revenue``, ``returns`` (see
:func:`retainlib.customer_value`); one column per segment column of the transactions
(e.g. ``region``: the customer's most frequent value, ties to the alphabetically first);
``R``, ``F``, ``M``, ``RFM``, ``rfm_segment`` (:func:`retainlib.rfm_scores` on the
transactions, :func:`retainlib.rfm_segments`); ``abc_class`` (:func:`retainlib.abc_classes`).

With ``purchases_model`` and ``spend_model`` (fitted on ``rfm``):
``frequency``, ``recency``, ``T`` (the model summary), ``p_alive``, ``expected_purchases``
(over ``horizon_weeks``), ``expected_spend``, ``value_if_retained`` (the revenue over the
horizon if the customer stays; every modelled customer), ``expected_value`` (value if retained
x p_alive), ``early_warning`` ('at risk', 'lapsed' or missing: which list of
:func:`retainlib.at_risk` the customer is on), ``revenue_at_risk`` (value if retained of the
customers on the 'at risk' list only, missing for everyone else, so the column sums to the
report's revenue at risk, :func:`retainlib.early_warning_summary`), ``early_warning_rank``
(rank within the customer's list), ``early_warning_reason`` (why the customer is on it; blank
off the lists), ``at_risk`` (on either list; kept for the survey follow-up and other
callers, not written to the client's customer file, where a yes for both lists would read as
that many customers at risk). Customers whose rows are all returns have no purchase occasion,
are not in the model summary and get missing values.

With ``clv``: ``clv``, ``clv_tier`` (:func:`retainlib.clv_tiers`).

With ``survey``: ``nps_score`` (latest answer), ``nps_date``, ``nps_group``
(Promoter, Passive, Detractor).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from retainlib._arrays import rows_where
from retainlib.errors import DataError

__all__ = ["customer_table"]

_CANONICAL = {"customer_id", "date", "amount", "order_id"}


def _most_frequent(tx: pd.DataFrame, col: str) -> pd.Series:
    """Each customer's most frequent value of ``col`` (ties: alphabetically first)."""
    counts = (tx[["customer_id", col]].dropna()
              .groupby(["customer_id", col], observed=True, sort=False).size()
              .rename("n").reset_index())
    counts = counts.sort_values(["customer_id", "n", col], ascending=[True, False, True],
                                kind="stable")
    top = counts.drop_duplicates("customer_id").set_index("customer_id")[col]
    return top


def customer_table(tx: pd.DataFrame | None, *, rfm: pd.DataFrame | None = None,
                   purchases_model=None,
                   spend_model=None, clv: pd.Series | None = None,
                   survey: pd.DataFrame | None = None, observation_end: object = None,
                   horizon_weeks: float = 52.0, margin: float = 1.0,
                   segments: Sequence[str] | None = None,
                   at_risk_options: Mapping[str, float] | None = None,
                   early_warning: pd.DataFrame | None = None,
                   value: pd.DataFrame | None = None,
                   segment_values: pd.DataFrame | None = None,
                   lang: str = "en") -> pd.DataFrame:
    """One row per customer with everything known about them.

    Business meaning: the file the client's CRM or account managers work from.

    Parameters
    ----------
    tx : DataFrame or None
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional
        ``order_id`` and segment columns). None with ``value`` (an engine's sums).
    rfm : DataFrame, optional
        Model summary (:func:`retainlib.rfm_summary`); built from ``tx`` in weeks when
        models are given without it.
    purchases_model, spend_model : fitted models, optional
        ``BetaGeoModel`` and ``GammaGammaModel`` (both or neither).
    clv : Series, optional
        CLV per customer (:func:`retainlib.customer_lifetime_value`).
    survey : DataFrame, optional
        NPS answers (:func:`retainlib.read_survey`); the latest answer of each customer is used.
    observation_end : date-like, optional
        Transactions after it are ignored; default the last transaction date.
    horizon_weeks : float, default 52
        Horizon of ``expected_purchases`` and ``value_if_retained``.
    margin : float, default 1.0
        Margin used for ``value_if_retained`` (and so ``revenue_at_risk``).
    segments : sequence of str, optional
        Segment columns of ``tx``; default every text or categorical column that is not
        canonical.
    at_risk_options : mapping, optional
        ``p_alive_threshold``, ``gap_multiple``, ``min_value_quantile``, ``lapsed_below``
        for :func:`retainlib.at_risk`.
    early_warning : DataFrame, optional
        :func:`retainlib.at_risk` of every customer (``only_flagged=False``)
        with these models, ``horizon_weeks``, ``margin``, ``at_risk_options``
        and ``lang``, when the caller has it already; computed otherwise.
    value : DataFrame, optional
        Instead of ``tx``: :func:`retainlib.analytics.pareto.customer_value` of
        the transactions up to ``observation_end`` (which must be given, and
        ``rfm`` with the models), e.g. :func:`retainlib.analytics.reduced.value_of`.
    segment_values : DataFrame, optional
        With ``value``: each customer's most frequent value of each segment
        column (the columns), indexed by ``customer_id``.
    lang : str, default 'en'
        Language of ``early_warning_reason`` (see :mod:`retainlib.i18n`); every other column
        keeps its canonical values (name them for the reader with
        :func:`retainlib.analytics.names.named`).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted), columns as in the module docstring;
        ``attrs['observation_end']`` records the end date.
    """
    from retainlib.analytics.pareto import abc_classes, customer_value
    from retainlib.analytics.segments import raw_of_value, rfm_segments, scored
    from retainlib.analytics.tiers import clv_tiers

    if (purchases_model is None) != (spend_model is None):
        raise DataError("give both purchases_model and spend_model (or neither) to customer_table")
    if tx is None:
        if value is None or observation_end is None or (purchases_model is not None
                                                        and rfm is None):
            raise DataError("customer_table without transactions needs value, observation_end "
                            "and (with the models) rfm")
        end = pd.Timestamp(observation_end)
        found = segment_values if segment_values is not None else pd.DataFrame(index=value.index)
        segments = list(found.columns) if segments is None else list(segments)
    else:
        if not isinstance(tx, pd.DataFrame) or not {"customer_id", "date", "amount"} <= set(tx):
            raise DataError("customer_table expects canonical transactions (columns "
                            "'customer_id', 'date', 'amount'); load them with "
                            "retainlib.read_transactions")
        end = pd.Timestamp(observation_end) if observation_end is not None else tx["date"].max()
        tx = rows_where(tx, (tx["date"] < end.normalize() + pd.Timedelta(days=1)).to_numpy())
        value = customer_value(tx)
        found = tx
    table = value[["first_purchase", "last_purchase", "orders", "revenue", "gross_revenue",
                   "returns"]]
    if segments is None:
        segments = [c for c in tx.columns if c not in _CANONICAL and (
            pd.api.types.is_string_dtype(tx[c]) or isinstance(tx[c].dtype, pd.CategoricalDtype))]
    for col in segments:
        if col not in found.columns:
            raise DataError(f"segment column {col!r} not in the transactions; columns are "
                            f"{', '.join(repr(str(c)) for c in found.columns)}")
        table[col] = (segment_values[col] if tx is None else _most_frequent(tx, col)).reindex(
            table.index)
    seg = rfm_segments(scored(raw_of_value(value, end)))  # rfm_scores(tx), from the same pass
    table = table.join(seg[["R", "F", "M", "RFM"]]).assign(rfm_segment=seg["segment"])
    table["abc_class"] = abc_classes(table[["revenue"]])["abc_class"]

    if purchases_model is not None:
        from retainlib.analytics.early_warning import at_risk
        from retainlib.analytics.rfm import rfm_summary

        if rfm is None:
            rfm = rfm_summary(tx, observation_end=end)
        risk = early_warning if early_warning is not None else at_risk(
            rfm, purchases_model, spend_model, horizon_weeks=horizon_weeks, margin=margin,
            only_flagged=False, lang=lang, **dict(at_risk_options or {}))
        table = table.join(rfm[["frequency", "recency", "T"]])
        table = table.join(risk[["p_alive", "expected_purchases", "expected_spend",
                                 "value_if_retained", "expected_value"]])
        on_list = risk["at_risk"].to_numpy(dtype=bool)
        which = risk["list"].where(on_list)
        table["early_warning"] = which.reindex(table.index)
        # the report's revenue at risk: value if retained over the 'at risk' list only
        table["revenue_at_risk"] = risk["value_if_retained"].where(
            (which == "at risk").to_numpy()).reindex(table.index)
        table["early_warning_rank"] = risk["rank"].where(on_list).reindex(
            table.index).astype("Int64")
        table["early_warning_reason"] = risk["reason"].where(on_list).reindex(
            table.index).fillna("")
        table["at_risk"] = risk["at_risk"].reindex(table.index).astype(
            "boolean")  # NA: customer not modelled
    if clv is not None:
        clv = pd.Series(clv).reindex(table.index)
        table["clv"] = clv
        known = clv.dropna()
        table["clv_tier"] = clv_tiers(known).reindex(table.index) if len(known) else np.nan
    if survey is not None:
        from retainlib.analytics.nps import latest_answers

        last = latest_answers(survey).set_index("customer_id")
        table["nps_score"] = last["score"].reindex(table.index).astype("Int64")
        table["nps_date"] = last["date"].reindex(table.index)
        table["nps_group"] = last["nps_group"].reindex(table.index)
    table.index.name = "customer_id"
    table.attrs["observation_end"] = str(end.date())
    return table
