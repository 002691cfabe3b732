"""What the report notebooks display: escaped HTML tables, notes and figures of an Analysis.

One function per report block, so the notebooks stay one call per cell. Tables
are rendered with ``DataFrame.to_html(escape=True)`` (never a Styler, which
does not escape), notes with :func:`html.escape`: customer ids, segment values
and client names cannot inject markup into the report.

The CLV section's headings and explanations come from :func:`model_section`,
so a report whose models were left out (a small client: ``a.model_note``)
shows that one sentence under "Customer lifetime value" instead of empty
model sections; the model blocks (:func:`model_parameters`,
:func:`frequency_fit`, :func:`holdout_fit`, :func:`holdout_tracking`,
:func:`p_alive_matrix`, :func:`clv`) then show nothing.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from retainlib._format import money
from retainlib.errors import ReportError
from retainlib.report.narrative import Html, summary_html, title_html

__all__ = [
    "abc", "at_risk", "clv", "cohort_heatmap", "data_quality", "economics", "frequency_fit",
    "holdout_fit", "holdout_tracking", "kpi_table", "kpi_trends", "model_parameters",
    "model_section", "note",
    "nps", "p_alive_matrix", "pareto", "pareto_statements", "retention_curves",
    "segment_tables", "summary", "table", "title",
]

_PCT = ("share", "rate", "crr", "retention", "p_alive", "pct_")


def note(text: str) -> Html:
    """A short paragraph of plain text, escaped."""
    return Html(f'<p class="note">{html.escape(str(text))}</p>')


def _fmt_column(name: str, col: pd.Series, currency: str | None) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.dt.strftime("%Y-%m-%d").astype(object).where(col.notna(), "")
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return col.astype(object).where(col.notna(), "")
    if any(k in name for k in _PCT) and not name.startswith(("nps", "pct_")) \
            and col.dropna().between(-1, 1).all():
        return col.map(lambda v: "" if pd.isna(v) else f"{100 * v:.1f}%")
    if "_to_" in name or name.endswith(("multiplier", "lift")):  # ratios such as clv_to_cac
        return col.map(lambda v: "" if pd.isna(v) else f"{v:,.2f}")
    if name.startswith("pct_"):
        return col.map(lambda v: "" if pd.isna(v) else f"{v:.1f}%")
    if any(k in name for k in ("revenue", "clv", "spend", "aov", "value", "cost", "gain",
                               "monetary", "loss", "cac")) and "share" not in name:
        return col.map(lambda v: "" if pd.isna(v) else money(v, currency))
    if pd.api.types.is_integer_dtype(col):
        return col.map(lambda v: f"{v:,}")
    return col.map(lambda v: "" if pd.isna(v) else f"{v:,.2f}")


def table(df: pd.DataFrame | pd.Series, *, currency: str | None = None, rows: int | None = None,
          caption: str | None = None) -> Html:
    """Escaped HTML table with readable numbers (percent, money, thousands).

    Parameters
    ----------
    df : DataFrame or Series
    currency : str, optional
        ISO code for money columns (named like revenue, clv, spend, value, cost).
    rows : int, optional
        Show only the first rows (the caption says how many there are).
    caption : str, optional
        Text above the table.
    """
    if isinstance(df, pd.Series):
        df = df.to_frame()
    total = len(df)
    if rows is not None:
        df = df.head(int(rows))
    shown = pd.DataFrame({c: _fmt_column(str(c), df[c], currency) for c in df.columns},
                         index=df.index)
    if isinstance(shown.index, pd.DatetimeIndex):
        shown.index = shown.index.strftime("%Y-%m-%d")
    shown.index = shown.index.map(str)
    shown.index.names = [None if n is None else str(n).replace("_", " ")
                         for n in shown.index.names]
    shown.columns = [str(c).replace("_", " ") for c in shown.columns]
    body = shown.to_html(escape=True, border=0, classes="table")
    cap = caption or ""
    if rows is not None and total > len(df):
        cap = f"{cap} (first {len(df):,} of {total:,} rows)".strip()
    head = f'<p class="caption">{html.escape(cap)}</p>' if cap else ""
    return Html(f'<div class="table-wrap">{head}{body}</div>')


def _tables(blocks: Mapping[str, pd.DataFrame], currency: str | None) -> Html:
    return Html("\n".join(f"<h3>{html.escape(str(name))}</h3>\n{table(df, currency=currency)}"
                          for name, df in blocks.items()))


def title(a) -> Html:
    """Report title (client, segment, date)."""
    return title_html(a.metrics)


def summary(a) -> Html:
    """Executive summary and three recommended actions."""
    return summary_html(a.metrics)


def data_quality(a, rows: int = 10) -> Html:
    """Rows read/kept/rejected by reason, and the first rejected rows."""
    out = table(a.data_quality(), caption=f"File {a.load.source}")
    if len(a.load.rejected):
        out += table(a.load.rejected.set_index("line"), rows=rows,
                     caption="Rejected rows (all of them are in rejected_rows.csv)")
    return Html(out)


def _fig(ax):
    return ax.figure


def cohort_heatmap(a, last: int = 18):
    """Retention heatmap of the last ``last`` cohorts, first ``last`` periods."""
    from retainlib.plots import plot_cohort_heatmap

    t = a.cohorts.tail(last)
    t = t[[c for c in t.columns if c == "size" or (isinstance(c, int) and c < last)]]
    return _fig(plot_cohort_heatmap(t, title="Share of each cohort buying again, by period"))


def retention_curves(a):
    """Retention curve of every cohort and their weighted average."""
    from retainlib.plots import plot_retention_curves

    return _fig(plot_retention_curves(a.cohorts))


def kpi_trends(a):
    """CRR over time with active customers."""
    from retainlib.plots import plot_kpi_trends

    return _fig(plot_kpi_trends(a.kpis, currency=a.config.currency))


def kpi_table(a, last: int = 12) -> Html:
    """KPIs of the last periods, most recent first."""
    cols = ["active_customers", "new_customers", "returning_customers", "reactivated_customers",
            "crr", "churn_rate", "pop_retention", "revenue", "orders", "aov",
            "revenue_per_customer", "repeat_purchase_rate"]
    k = a.kpis[[c for c in cols if c in a.kpis.columns]].tail(last).iloc[::-1]
    return table(k, currency=a.config.currency)


def pareto(a):
    """Pareto curve with the 80/20 point."""
    from retainlib.plots import plot_pareto

    return _fig(plot_pareto(a.tx))


def pareto_statements(a) -> Html:
    """The 80/20 sentences as a list."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in a.pareto_statements)
    return Html(f"<ul>{items}</ul>")


def abc(a) -> Html:
    """ABC classes table."""
    return table(a.abc, currency=a.config.currency)


#: heading (h3, "" for none) and explanation of each part of the CLV section
_MODEL_PARTS = {
    "intro": ("", "The BG/NBD model predicts each customer's future purchases and the "
                  "probability that they are still a customer; the Gamma-Gamma model predicts "
                  "their spend per purchase. Their product, discounted, is the customer "
                  "lifetime value (CLV) over the horizon."),
    "parameters": ("Model parameters and fit", ""),
    "holdout": ("Holdout check", "Does the model predict what customers really did? It is "
                                 "refitted on the earlier part of the data and its forecast for "
                                 "the later part is compared with the actual purchases."),
    "p_alive": ("Who is still a customer", "The probability that a customer is still active, "
                                           "by how often they bought (frequency) and how "
                                           "recently (recency)."),
    "clv": ("CLV forecast", ""),
}


def model_section(a, part: str) -> Html:
    """Heading and explanation of one part of the CLV section; nothing without the models.

    Parameters
    ----------
    a : Analysis
    part : {'intro', 'parameters', 'holdout', 'p_alive', 'clv'}
        ``'intro'`` is the explanation of the models and the penalizer used
        (``a.penalizer_note``), or, when the models were left out, the one
        sentence why (``a.model_note``).
    """
    if part not in _MODEL_PARTS:
        raise ReportError(f"unknown part {part!r} of the CLV section; use one of "
                         f"{', '.join(_MODEL_PARTS)}")
    if not a.has_models:
        return note(a.model_note) if part == "intro" else Html("")
    heading, text = _MODEL_PARTS[part]
    out = f"<h3>{html.escape(heading)}</h3>" if heading else ""
    out += f"<p>{html.escape(text)}</p>" if text else ""
    if part == "intro" and a.penalizer_note:
        out += str(note(a.penalizer_note))
    return Html(out)


def model_parameters(a) -> Html:
    """BG/NBD and Gamma-Gamma parameters with standard errors and intervals (none without)."""
    if not a.has_models:
        return Html("")
    return _tables({"BG/NBD (purchases and dropout)": a.bgnbd.summary(),
                    "Gamma-Gamma (spend per purchase)": a.gamma_gamma.summary()}, None)


def frequency_fit(a):
    """Customers by repeat purchases, actual vs model (None without the models)."""
    from retainlib.plots import plot_frequency_histogram

    if not a.has_models:
        return None
    return _fig(plot_frequency_histogram(a.rfm, model=a.bgnbd))


def holdout_fit(a):
    """Holdout check: metrics table, or why it could not be run (nothing without the models)."""
    if not a.has_models:
        return Html("")
    if a.holdout is None:
        return note(f"The holdout check could not be run: {a.holdout_note}")
    m = a.holdout.metrics
    text = (f"Refitted on the data up to the calibration end, the model predicted "
            f"{m['predicted_total']:,.0f} repeat purchases in the holdout period against "
            f"{m['actual_total']:,.0f} actual ({m['error_pct']:+.1f}%); per customer, the "
            f"mean absolute error is {m['mae']:.2f} purchases and the correlation "
            f"{m['correlation']:.2f}.")
    return note(text)


def holdout_tracking(a):
    """Cumulative repeat purchases actual vs model (or a note)."""
    from retainlib.plots import plot_cumulative_tracking

    if not a.has_models:
        return None
    if a.holdout is None or a.holdout.tracking is None:
        return note("No tracking chart: the holdout check was not run.")
    return _fig(plot_cumulative_tracking(a.holdout))


def p_alive_matrix(a):
    """P(alive) over frequency x recency (None without the models)."""
    from retainlib.plots import plot_probability_alive_matrix

    if not a.has_models:
        return None
    return _fig(plot_probability_alive_matrix(a.rfm, model=a.bgnbd))


def _clv_figure(name: str, value: float, currency: str | None) -> str:
    """One figure of the CLV summary as text: counts whole, purchases with one decimal, money."""
    if pd.isna(value):
        return ""
    if name in ("customers", "horizon_months"):
        return f"{value:,.0f}"
    if name == "expected_purchases":
        return f"{value:,.1f}"
    return money(value, currency)


def clv(a) -> Html:
    """CLV totals and CLV tiers (nothing without the models)."""
    if not a.has_models:
        return Html("")
    s = a.clv_summary
    shown = pd.Series({name: _clv_figure(name, v, a.config.currency) for name, v in s.items()},
                      name="value")
    shown.index = [{"horizon_months": "horizon (months)"}.get(n, n.replace("_", " "))
                   for n in shown.index]
    blocks = {"Forecast over the horizon": shown.to_frame()}
    if "clv_tier" in a.segment_tables:
        blocks["CLV tiers"] = a.segment_tables["clv_tier"]
    return _tables(blocks, a.config.currency)


def segment_tables(a) -> Html:
    """One table per segment (config columns, RFM segment, CLV tier, ABC class)."""
    return _tables({k: v for k, v in a.segment_tables.items() if k != "clv_tier"},
                   a.config.currency)


def at_risk(a, rows: int = 15) -> Html:
    """The top of the at-risk list (or why there is none)."""
    if not a.has_models:
        return note("There is no at-risk list: it is ranked by the purchase-forecast models, "
                    "which this report leaves out (see Customer lifetime value).")
    if a.at_risk.empty:
        return note("No valuable customer is at risk right now.")
    cols = ["rank", "revenue_at_risk", "reason", "p_alive", "frequency", "expected_spend"]
    return table(a.at_risk[cols], currency=a.config.currency, rows=rows,
                 caption="At-risk customers, highest revenue at risk first (full list in "
                         "at_risk.csv)")


def nps(a, rows: int = 10) -> Html:
    """NPS overall, by segment, by behaviour, and the detractors to call."""
    if a.nps is None:
        return note("No customer survey was given in the config, so this report has no NPS.")
    cur = a.config.currency
    blocks = {"NPS": a.nps}
    if a.nps_by_segment is not None:
        blocks[f"NPS by {a.nps_by_segment.index.name}"] = a.nps_by_segment
    blocks["Behaviour after the survey"] = a.nps_behaviour
    out = _tables(blocks, cur)
    if a.detractors is not None and len(a.detractors):
        out += "<h3>Detractors to call back</h3>" + table(a.detractors, currency=cur, rows=rows)
    return Html(out)


def economics(a) -> Html:
    """Revenue per customer, CLV vs CAC, campaign ROI, retention scenarios."""
    e, cur = a.economics, a.config.currency
    blocks = {"Revenue per customer per year": e["yearly"]}
    if e.get("clv_cac") is not None:
        blocks["New-customer CLV against CAC"] = e["clv_cac"]
    if e.get("roi") is not None:
        blocks["Retention campaign return"] = e["roi"]
    if e.get("scenarios") is not None:
        blocks["What more retention is worth (model-based)"] = e["scenarios"]
    out = _tables(blocks, cur)
    out += "".join(str(note(n)) for n in e.get("notes", []))
    return Html(out)
