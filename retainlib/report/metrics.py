"""Headline metrics of an analysis (``metrics.json``) and the report's data files.

:func:`metrics_of` gives the numbers the executive summary, the portfolio page
and ``metrics.json`` share, each computed in one place: the retention rate and
its trend come from :func:`retainlib.analytics.kpis.retention_summary`, revenue
at risk and the lapsed valuable customers from
:func:`retainlib.analytics.early_warning.early_warning_summary`, and
``definitions`` carries the sentence that defines each retention-like figure
(:data:`retainlib.report.narrative.DEFINITIONS`). :func:`write_outputs` writes
a report's data files.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from retainlib._units import period_name
from retainlib.analytics.campaigns import campaign_json
from retainlib.analytics.early_warning import early_warning_summary
from retainlib.errors import DataError
from retainlib.output import folders as _outputs
from retainlib.output.history import HISTORY, accept_edits, add_run, history_files
from retainlib.output.tables import (
    export_at_risk,
    export_customers,
    export_rejected,
    export_win_back,
)
from retainlib.report.followup import group_words, since_last, suggested_groups
from retainlib.report.narrative import definitions

__all__ = ["metrics_of", "write_outputs"]


def _num(x) -> float | None:
    """JSON-safe float (NaN/inf -> None)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _text(x) -> str | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


def _day(ts) -> str | None:
    return None if pd.isna(ts) else pd.Timestamp(ts).date().isoformat()


def _int(x) -> int | None:
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else int(x)


#: metrics.json key -> key of :func:`retainlib.analytics.kpis.retention_summary`
_TREND_KEYS = {
    "crr_trend_window": "trend_window", "crr_trend_recent": "trend_recent",
    "crr_trend_before": "trend_before", "crr_trend_change": "trend_change",
    "crr_trend_slope": "trend_slope", "crr_trend_slope_low": "trend_slope_low",
    "crr_trend_slope_high": "trend_slope_high",
}

#: the early-warning figures of :func:`early_warning_summary`, in metrics.json
_EARLY_WARNING_KEYS = ("at_risk_customers", "revenue_at_risk", "at_risk_expected_value",
                       "lapsed_customers", "lapsed_value")


def _trend(ks) -> dict:
    """The trend keys of metrics.json from a retention summary (None where it has none)."""
    out = {k: _num(ks.get(src)) for k, src in _TREND_KEYS.items()}
    out["crr_trend_window"] = _int(out["crr_trend_window"])
    out["crr_trend_direction"] = _text(ks.get("trend_direction"))
    out["crr_record"] = _text(ks.get("record"))
    out["crr_record_periods"] = _int(_num(ks.get("record_periods")))
    return out


def _early_warning(a, modelled: bool) -> dict:
    """Revenue at risk and the lapsed valuable customers: one definition, one number."""
    if not modelled:
        return dict.fromkeys(_EARLY_WARNING_KEYS)
    s = early_warning_summary(a.at_risk)
    return {k: (int(s[k]) if k.endswith("_customers") else _num(s[k]))
            for k in _EARLY_WARNING_KEYS}


def metrics_of(a) -> dict:
    """Headline numbers of an analysis, JSON-able (the contents of ``metrics.json``).

    Returns
    -------
    dict
        ``client``, ``segment`` (None or {column, value}), ``observation_end``,
        ``customers_file`` (the per-customer file's name),
        ``currency``, ``rows_read``, ``rows_kept``, ``rows_rejected``,
        ``rejected`` (reason -> rows), ``customers``, ``revenue``,
        ``first_date``, ``last_date``, ``repeat_purchase_rate``, ``crr`` (the
        retention rate of the last complete period), ``churn_rate``,
        ``crr_period``, ``period_unit`` ('month', 'week', ...), ``crr_window``
        (periods a customer stays in the base after a purchase),
        ``crr_previous``, ``crr_previous_period``, ``crr_average``,
        ``crr_trend_window`` (periods compared), ``crr_trend_recent`` (mean
        retention of the last ``crr_trend_window`` periods),
        ``crr_trend_before`` (of the same number of periods before them),
        ``crr_trend_change`` (recent - before), ``crr_trend_slope``,
        ``crr_trend_slope_low``, ``crr_trend_slope_high`` (fitted change a
        year with its interval), ``crr_trend_direction`` ('falling',
        'rising', 'flat' or 'n/a'), ``crr_record`` ('lowest', 'highest' or
        None: the last period against the last ``crr_record_periods``),
        ``crr_record_periods``, ``won_back``, ``won_back_year``, ``top20_revenue_share``,
        ``top10_revenue_share``, ``gini``, ``class_a_customer_share``,
        ``bgnbd`` {r, alpha, a, b}, ``gamma_gamma`` {p, q, v},
        ``bgnbd_penalizer``, ``gamma_gamma_penalizer`` (the penalizers the
        models were fitted with), ``model_note`` (why the models were left
        out, else None), ``expected_purchases``, ``expected_revenue``,
        ``clv_total``, ``clv_mean``, ``horizon_months``, ``holdout_error_pct``,
        ``at_risk_customers``, ``revenue_at_risk`` (what the at-risk list
        would bring over the horizon if they stay), ``at_risk_expected_value``,
        ``lapsed_customers``, ``lapsed_value`` (the win-back list; all five
        from :func:`early_warning_summary`): every model field is None
        when the models were left out; ``nps`` (None without a
        survey), ``nps_low``, ``nps_high``, ``nps_responses``, ``detractors``,
        ``retention_roi``, ``campaign_cost`` (None without economics inputs)
        ``segments`` (column -> values, by customers, most first),
        ``definitions`` (figure -> the sentence that defines it),
        ``since_last`` (None without an earlier run in the history, else
        ``observation_end`` of the previous run, ``days`` since it,
        ``at_risk_previous``, ``at_risk_came_back`` (bought after the
        previous ``observation_end``), ``at_risk_still``, ``at_risk_lapsed``,
        ``at_risk_unflagged``, ``newly_at_risk``, ``came_back_revenue`` and
        ``changes``: metric -> {previous, current, change}; see
        :mod:`retainlib.analytics.history`) and ``campaigns`` (one per
        campaign of the config: ``name``, ``file``, ``status``, ``treated``,
        ``control``, ``incremental_revenue`` with ``_low`` and ``_high`` (95%
        Welch's t interval), ``roi_pct`` (realised: (margin x incremental
        revenue - cost) / cost x 100) with ``roi_low``, ``roi_high``,
        ``forecast_roi_pct`` (``retention_roi``), ``groups`` (per group:
        customers, buyers, revenue, bought_share, revenue_per_customer,
        orders_per_customer), ``differences`` and the window; see
        :func:`retainlib.analytics.campaigns.measure_campaign`).
    """
    orders = a.customers["orders"]  # per customer, from the customer table
    repeat = float((orders >= 2).mean()) if len(orders) else None
    conc, ks = a.concentration, a.kpi_summary
    cs = a.clv_summary if a.clv_summary is not None else {}
    bg, gg = a.bgnbd, a.gamma_gamma
    modelled = bg is not None and gg is not None
    nps = None if a.nps is None else _num(a.nps["nps"].iloc[0])
    segs = {name: [str(v) for v in a.customers[name].value_counts().index]
            for name in a.config.segments if name in a.customers.columns}
    return {
        "client": a.config.client,
        "segment": None if a.segment is None else dict(zip(("column", "value"), a.segment,
                                                           strict=True)),
        "observation_end": a.observation_end.date().isoformat(),
        "currency": a.config.currency,
        "language": a.config.language,
        "customers_file": customers_file(a.config),
        "rows_read": int(a.load.rows_read),
        "rows_kept": int(a.load.rows_kept),
        "rows_rejected": int(a.load.rows_rejected),
        "rejected": a.load.rejected_counts(),
        "first_date": _day(a.first_date),
        "last_date": _day(a.last_date),
        "customers": int(len(orders)),
        "revenue": _num(a.customers["revenue"].sum()),
        "repeat_purchase_rate": _num(repeat),
        "crr": _num(ks.get("crr")),
        "churn_rate": _num(ks.get("churn_rate")),
        "crr_period": _text(ks.get("period")),
        "crr_previous": _num(ks.get("previous_crr")),
        "crr_previous_period": _text(ks.get("previous_period")),
        "crr_average": _num(ks.get("average_crr")),
        "period_unit": period_name(a.config.period),
        "crr_window": _int(a.kpis.attrs.get("active_window")),
        **_trend(ks),
        "won_back": _num(ks.get("won_back")),
        "won_back_year": _num(ks.get("won_back_year")),
        "top20_revenue_share": _num(conc["top_shares"].get(0.2)),
        "top10_revenue_share": _num(conc["top_shares"].get(0.1)),
        "gini": _num(conc["gini"]),
        "class_a_customer_share": _num(conc.get("class_a_customer_share")),
        "bgnbd": None if bg is None else {k: _num(v) for k, v in bg.params_.items()},
        "gamma_gamma": None if gg is None else {k: _num(v) for k, v in gg.params_.items()},
        "bgnbd_penalizer": None if bg is None else _num(bg.penalizer),
        "gamma_gamma_penalizer": None if gg is None else _num(gg.penalizer),
        "model_note": a.model_note or None,
        "horizon_months": int(a.config.clv.horizon_months),
        "expected_purchases": _num(cs.get("expected_purchases")),
        "expected_revenue": _num(cs.get("expected_revenue")),
        "clv_total": _num(cs.get("clv_total")),
        "clv_mean": _num(cs.get("clv_mean")),
        "holdout_error_pct": None if a.holdout is None else _num(a.holdout.metrics["error_pct"]),
        **_early_warning(a, modelled),
        "nps": nps,
        "nps_low": None if a.nps is None else _num(a.nps["nps_low"].iloc[0]),
        "nps_high": None if a.nps is None else _num(a.nps["nps_high"].iloc[0]),
        "nps_responses": None if a.nps is None else int(a.nps["responses"].iloc[0]),
        "detractors": None if a.nps is None else int(a.nps["detractors"].iloc[0]),
        "retention_roi": _num(a.economics.get("retention_roi")),
        "campaign_cost": _num(a.economics.get("campaign_cost")),
        "segments": segs,
        "definitions": definitions(a.lang),
        "since_last": getattr(a, "since_last", None),
        "campaigns": [_campaign(r, a) for r in getattr(a, "campaigns", None) or []],
    }


def _campaign(r: dict, a) -> dict:
    """One measured campaign as metrics.json keeps it."""
    out = {"name": r["name"], "file": r["file"], "status": r["status"]}
    load = r.get("load")
    if load is not None:  # every row of the file: kept, or rejected with its reason and line
        rej = load.rejected
        out.update(rows_read=load.rows_read, rows_kept=load.rows_kept,
                   rows_rejected=load.rows_rejected,
                   rejected_lines={k: [int(n) for n in rej["line"][rej["reason"] == k]]
                                   for k in load.rejected_counts()})
    if "groups" in r:
        out.update(campaign_json(r))
    else:  # the file could not be used: both groups empty, or unreadable
        out.update({"treated": None, "control": None, "incremental_revenue": None,
                    "incremental_revenue_low": None, "incremental_revenue_high": None,
                    "roi_pct": None, "error": r.get("error")})
    out["forecast_roi_pct"] = _num(a.economics.get("retention_roi"))
    return out


#: the files :func:`write_outputs` writes (and the history, when it is kept in the folder)
OUTPUT_FILES = ("metrics.json", "customers.csv", "customers.parquet", "at_risk.csv",
                "win_back.csv", "rejected_rows.csv")


def customers_file(config) -> str:
    """The per-customer file's name: ``customers.parquet`` for ``customers_file: parquet``.

    Else ``customers.csv``.
    """
    return f"customers.{getattr(config, 'customers_file', 'csv')}"


def _with_groups(a, groups) -> pd.DataFrame:
    """The early-warning lists with the at-risk list's ``list_date`` and suggested ``group``."""
    lists = a.at_risk.copy()
    lists["list_date"] = pd.Series(a.observation_end.normalize(), index=lists.index)
    lists["group"] = group_words(groups, a.lang).reindex(lists.index.astype(str)).to_numpy()
    return lists


def write_outputs(a, folder: object) -> list[Path]:
    """Write ``metrics.json``, ``customers.csv``, the two early-warning lists and rejected rows.

    The per-customer file is ``customers.parquet`` instead when the config says
    ``customers_file: parquet`` (millions of customers: Excel opens at most
    1,048,575 rows of a CSV, and Parquet keeps the numbers and dates typed).

    ``at_risk.csv`` is the at-risk list (the call list, highest expected value
    first, with its ``list_date`` and a suggested random ``group``,
    treatment or control: :func:`retainlib.report.followup.suggested_groups`)
    and ``win_back.csv`` the lapsed valuable customers (most value if won
    back first); ``rejected_rows.csv`` the rows the loader could not use.

    The client's history (:mod:`retainlib.output.history`) gets this run: the
    config's ``history:`` file, else ``history.csv`` in ``folder`` (read
    first, so ``a.since_last`` compares with the run before, when
    :func:`retainlib.report.analysis.analyse` has not already).

    The CSV files are safe to open in a spreadsheet: texts that would run as
    formulas start with ``'`` (:func:`retainlib.output.tables.write_csv`).

    Parameters
    ----------
    a : Analysis
    folder : str or pathlib.Path
        Existing folder; an empty string writes nothing (the notebooks'
        default when run by hand).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    OutputError
        One of these files exists in ``folder`` and retainlib did not write it
        (nothing is written).
    """
    if folder is None or str(folder) == "":
        return []
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"output folder {folder} does not exist; create it first")
    _outputs.check_writable(folder, OUTPUT_FILES)  # never overwrite a file of the client's
    history = getattr(a.config, "history", None) or folder / HISTORY
    if history.parent == folder:  # nor a history retainlib did not write (before writing any)
        accept_edits(folder, history)  # one retainlib wrote, corrected by hand, is still ours
        _outputs.check_writable(folder, history_files(history))
    if a.segment is None and getattr(a.config, "history", None) is None:
        a.since_last = since_last(a, history, metrics_of(a))
    groups = suggested_groups(a)
    metrics = folder / "metrics.json"
    m = metrics_of(a)
    metrics.write_text(json.dumps(m, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lang = a.lang  # the exports' headers, yes/no words and reasons are in the report's language
    out = [metrics, export_customers(a.customers, folder / customers_file(a.config), lang=lang),
           export_at_risk(_with_groups(a, groups), folder / "at_risk.csv", lang=lang),
           export_win_back(a.at_risk, folder / "win_back.csv", lang=lang)]
    rejected = export_rejected(a.load.rejected, folder / "rejected_rows.csv", lang=lang)
    _outputs.record(folder, [p.name for p in [*out, rejected]])
    kept = [] if a.segment is not None else add_run(history, m, groups)
    return [*out, rejected, *kept]
