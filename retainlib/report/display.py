"""What the report notebooks display: escaped HTML tables, notes and figures of an Analysis.

One function per report block, so the notebooks stay one call per cell.
Every cell is escaped (:func:`html.escape`): customer ids, segment values and
client names cannot inject markup into the report.

Tables speak to a manager: one header row whose words come from
:mod:`retainlib.report.labels` (the row names, e.g. the segments, are the
first column, headed by the index's label), and every number in the format
of its kind, decided from the column name by
:func:`retainlib._format.kind_of` (counts whole, money in the client's
currency in full, rates with one decimal, NPS signed, durations with their
unit, flags as yes/no).

Main body and appendix: :func:`segment_overview`, :func:`at_risk` and
:func:`win_back` are small tables (at most 7 columns) for the sections a
manager reads; :func:`segment_tables` and :func:`model_parameters` are the
full tables for the appendix.

The CLV section's headings and explanations come from :func:`model_section`,
so a report whose models were left out (a small client: ``a.model_note``)
shows that one sentence under "Customer lifetime value" instead of empty
model sections; the model blocks (:func:`model_parameters`,
:func:`frequency_fit`, :func:`holdout_fit`, :func:`holdout_tracking`,
:func:`p_alive_matrix`, :func:`clv`) then show nothing.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd

from retainlib._format import DURATION_UNITS, format_value, kind_of, number
from retainlib._format import nps as fmt_nps
from retainlib.errors import ReportError
from retainlib.output.tables import early_warning_list
from retainlib.report import narrative
from retainlib.report.labels import label
from retainlib.report.narrative import Html, summary_html, title_html

__all__ = [
    "abc", "at_risk", "clv", "cohort_heatmap", "data_quality", "economics", "frequency_fit",
    "holdout_fit", "holdout_tracking", "kpi_table", "kpi_trends", "model_parameters",
    "model_section", "note", "nps", "p_alive_matrix", "pareto", "pareto_statements",
    "retention_curves", "retention_statement", "segment_overview", "segment_tables", "summary",
    "table", "title", "win_back",
]

#: the most columns a table in the main body shows
MAX_COLUMNS = 7
_LEFT = ' style="text-align:left"'
_NOWRAP = ' style="white-space:nowrap"'  # '13.1 weeks', '₪12,621' never break


def note(text: str) -> Html:
    """A short paragraph of plain text, escaped."""
    return Html(f'<p class="note">{html.escape(str(text))}</p>')


def _fmt_column(name: str, col: pd.Series, currency: str | None, unit: str = "W") -> pd.Series:
    """The cells of one column as text, in the format of the column's kind of number."""
    kind = kind_of(name, col.dtype)
    unit = DURATION_UNITS.get(str(name), unit)
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(col):
        return col.dt.strftime("%Y-%m-%d").astype(object).where(col.notna(), "")
    return col.astype(object).map(lambda v: format_value(v, kind, currency=currency, unit=unit))


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its index as the first column(s); an unnamed range index is left out."""
    if isinstance(df.index, pd.RangeIndex) and df.index.name is None:
        return df.reset_index(drop=True)
    names = [("" if n is None else n) for n in df.index.names]
    out = df.copy()
    out.index = out.index.set_names(names)
    if any(n in out.columns for n in names):
        return out.reset_index(drop=True)
    return out.reset_index()


def table(df: pd.DataFrame | pd.Series, *, currency: str | None = None, rows: int | None = None,
          caption: str | None = None, unit: str = "W", lang: str = "en",
          header: bool = True) -> Html:
    """Escaped HTML table: one header row in words, every number in its format.

    Parameters
    ----------
    df : DataFrame or Series
        Columns and index named by canonical names (``customers``,
        ``p_alive``...): the headers are their labels, the formats their kinds.
        A named index becomes the first column.
    currency : str, optional
        ISO code of the money columns.
    rows : int, optional
        Show only the first rows (the caption says how many there are).
    caption : str, optional
        Text above the table.
    unit : str, default 'W'
        Time unit of the duration columns (the customer summary's).
    lang : str, default 'en'
        Language of the labels.
    header : bool, default True
        False for a list of figures (first column the names, second the values).

    Examples
    --------
    >>> df = pd.DataFrame({"customers": [1200], "revenue": [34694.4], "partial": [True]},
    ...                   index=pd.Index(["North"], name="region"))
    >>> import re
    >>> re.findall(r"<t[hd](?: [^>]*)?>([^<]*)<", table(df, currency="ILS"))
    ['Region', 'Customers', 'Revenue', 'Partial period', 'North', '1,200', '₪34,694', 'yes']
    """
    if isinstance(df, pd.Series):
        df = df.to_frame()
    total = len(df)
    if rows is not None:
        df = df.head(int(rows))
    frame = _frame(df)
    names = [str(c) for c in frame.columns]
    cells = [_fmt_column(n, frame.iloc[:, i], currency, unit).tolist()
             for i, n in enumerate(names)]
    left = [kind_of(n, frame.iloc[:, i].dtype) in ("text", "date") for i, n in enumerate(names)]
    if not header:  # a list of figures: the names left, the values (already text) right
        left = [True] + [False] * (len(names) - 1)
    out = ['<table class="table">']
    if header:
        heads = "".join(f"<th{_LEFT if i == 0 or left[i] else ''}>"
                        f"{html.escape(label(n, lang) if n else '')}</th>"
                        for i, n in enumerate(names))
        out.append(f"<thead><tr>{heads}</tr></thead>")
    out.append("<tbody>")
    for r in range(len(frame)):
        row = []
        for i in range(len(names)):
            tag = "th" if i == 0 else "td"
            style = _LEFT if i == 0 or left[i] else _NOWRAP
            row.append(f"<{tag}{style}>{html.escape(cells[i][r])}</{tag}>")
        out.append(f"<tr>{''.join(row)}</tr>")
    out.append("</tbody></table>")
    cap = caption or ""
    if rows is not None and total > len(df):
        shown = f"first {len(df):,} of {total:,} rows"
        # one bracket: 'Customers at risk (all of them are in at_risk.csv; first 15 of 762 rows)'
        cap = f"{cap[:-1]}; {shown})" if cap.endswith(")") else f"{cap} ({shown})".strip()
    head = f'<p class="caption">{html.escape(cap)}</p>' if cap else ""
    return Html(f'<div class="table-wrap">{head}{"".join(out)}</div>')


def _figures(values: Mapping[str, object], currency: str | None, unit: str = "W") -> Html:
    """A list of figures (name in words, value in its format) as a two-column table."""
    frame = pd.DataFrame({"figure": [label(k) for k in values],
                          "value": [format_value(v, kind_of(k), currency=currency,
                                                 unit=DURATION_UNITS.get(k, unit))
                                    for k, v in values.items()]})
    return table(frame.set_index("figure"), header=False)


def _tables(blocks: Mapping[str, pd.DataFrame], currency: str | None) -> Html:
    return Html("\n".join(f"<h3>{html.escape(str(name))}</h3>\n{table(df, currency=currency)}"
                          for name, df in blocks.items()))


def _pick(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The columns of ``df`` among ``columns`` (the first of each ``a|b`` alternative), in order."""
    keep = []
    for spec in columns:
        found = [c for c in spec.split("|") if c in df.columns]
        if found:
            keep.append(found[0])
    return df[keep]


def title(a) -> Html:
    """Report title (client, segment, date)."""
    return title_html(a.metrics)


def _summary_metrics(a) -> Mapping:
    """``a.metrics`` with the at-risk list's floor of chance still active (``lapsed_below``)."""
    floor = getattr(a.at_risk, "attrs", {}).get("lapsed_below") if a.at_risk is not None else None
    if floor is None or a.metrics.get("lapsed_below") is not None:
        return a.metrics
    return {**a.metrics, "lapsed_below": floor}


def summary(a) -> Html:
    """Executive summary and three recommended actions."""
    return summary_html(_summary_metrics(a))


def data_quality(a, rows: int = 10) -> Html:
    """Rows read/kept/rejected by reason, and the first rejected rows."""
    out = table(a.data_quality(), caption=f"File {a.load.source}", header=False)
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
    """The customer retention rate over time with active customers."""
    from retainlib.plots import plot_kpi_trends

    return _fig(plot_kpi_trends(a.kpis, currency=a.config.currency))


def kpi_table(a, last: int = 12) -> Html:
    """The retention figures of the last periods, most recent first (7 columns).

    The columns reproduce the rate: retention rate = (customers at the start
    - customers lost) / customers at the start; the customers won back and the
    new customers join the base during the period but are not in the rate. The
    caption says so, with the base's window.
    """
    cols = ["customers_start", "lost", "crr", "won_back", "new_customers", "revenue"]
    k = _pick(a.kpis, cols).tail(last).iloc[::-1]
    k.index = k.index.map(str)
    m = a.metrics
    unit = m.get("period_unit") or "month"
    span = narrative.window_span(m)
    cap = (f"{label('crr')} = ({label('customers_start')} \u2212 {label('lost')}) / "
           f"{label('customers_start')}. {label('customers_start')}: the customers who bought "
           f"in the {span} before the {unit} began; {label('lost')}: those of them with no "
           f"purchase in the {span} up to its end. Customers won back and new customers join "
           "the base during the period but are not in the rate.")
    return table(k.rename_axis("period"), currency=a.config.currency, caption=cap)


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
    "p_alive": ("Who is still a customer", "The chance that a customer is still active, "
                                           "by how often they bought (repeat purchases) and "
                                           "how recently."),
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
    """BG/NBD and Gamma-Gamma parameters: estimate, standard error, 95% bounds (appendix)."""
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
            f"{format_value(m['predicted_total'], 'count')} repeat purchases in the holdout "
            f"period against {format_value(m['actual_total'], 'count')} actual "
            f"({m['error_pct']:+.1f}%); per customer, the mean absolute error is "
            f"{m['mae']:.2f} purchases and the correlation {m['correlation']:.2f}.")
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
    """Chance still active over repeat purchases x recency (None without the models)."""
    from retainlib.plots import plot_probability_alive_matrix

    if not a.has_models:
        return None
    return _fig(plot_probability_alive_matrix(a.rfm, model=a.bgnbd))


def clv(a) -> Html:
    """The CLV forecast over the horizon, and the CLV tiers (nothing without the models).

    Each figure in its format: customers and expected purchases as counts,
    the horizon in months, the amounts in the client's currency.
    """
    if not a.has_models:
        return Html("")
    cur = a.config.currency
    out = "<h3>Forecast over the horizon</h3>" + _figures(dict(a.clv_summary.items()), cur)
    if "clv_tier" in a.segment_tables:
        out += "<h3>Lifetime value tiers</h3>" + _overview_table(a.segment_tables["clv_tier"],
                                                                 cur)
    return Html(out)


#: the columns of a segment table in the main body (``a|b``: the first one present)
OVERVIEW_COLUMNS = ("customers", "revenue_share", "bought_again_12m|retention_12m", "mean_clv",
                    "revenue_at_risk", "at_risk_customers|customer_share")



def _overview_table(df: pd.DataFrame, currency: str | None) -> Html:
    return table(_pick(df, OVERVIEW_COLUMNS), currency=currency)


def _definitions(columns) -> Html:
    """The definition of each figure among ``columns`` that :data:`narrative.DEFINITIONS` has.

    One line each, in the order of the columns, printed once under the tables
    that show them.
    """
    keys = {"retention_12m": "bought_again_12m", "mean_p_alive": "chance_still_active"}
    seen = []
    for c in columns:
        key = keys.get(str(c), str(c))
        if narrative.DEFINITIONS.get(key) and key not in seen:
            seen.append(key)
    return Html("".join(str(note(narrative.DEFINITIONS[k])) for k in seen))


def _by(name: object) -> str:
    """'By region', 'By value class (ABC)': the heading of a table by one segment column."""
    words = label(name)
    return f"By {words[:1].lower()}{words[1:]}"


def segment_overview(a) -> Html:
    """One small table per segment column (at most 7 columns), for the main body.

    The segment, its customers, share of revenue, bought again within 12
    months, lifetime value per customer, revenue at risk and the customers at
    risk (the share of customers while the segment tables have no count of
    them). The full tables are :func:`segment_tables` (appendix).
    """
    cur = a.config.currency
    shown = {name: _pick(df, OVERVIEW_COLUMNS) for name, df in a.segment_tables.items()
             if name != "clv_tier"}
    cols = [c for df in shown.values() for c in df.columns]
    return Html("\n".join(f"<h3>{html.escape(_by(name))}</h3>\n{table(df, currency=cur)}"
                          for name, df in shown.items()) + _definitions(cols))


def segment_tables(a) -> Html:
    """The full table of every segment column (config columns, RFM group, CLV tier, ABC class).

    Preceded by the definitions of the figures they show and the one explanation of why
    one-time buyers show a 100% chance still active
    (:func:`retainlib.report.narrative.p_alive_note`), so the notes print with the heading and
    the wide tables fill the landscape pages after it.
    """
    tables = _tables({_by(k): v for k, v in a.segment_tables.items()}, a.config.currency)
    why = narrative.p_alive_note(a.metrics)
    cols = [c for df in a.segment_tables.values() for c in df.columns]
    return Html(_definitions(cols) + (note(why) if why else "") + tables)


def retention_statement(a) -> Html:
    """The retention rate with its trend, and why the report's other retention shares differ.

    The same sentences as the executive summary (:func:`retainlib.report.narrative.trend_sentence`),
    then :func:`retainlib.report.narrative.retention_figures_note`.
    """
    m = a.metrics
    trend = narrative.trend_sentence(m)
    if not trend:  # no retention rate yet: the KPI summary says why
        return note(a.kpi_summary.get("text", ""))
    return Html(note(trend) + note(narrative.retention_figures_note(m)))


#: columns of the two early-warning lists on screen (7 with the customer id)
_LIST_COLUMNS = {"at risk": ("rank", "expected_value", "value_if_retained|revenue_at_risk",
                             "p_alive", "silent_for", "reason"),
                 "lapsed": ("rank", "value_if_won_back", "p_alive",
                            "silent_for", "frequency", "reason")}


def _no_list(a) -> Html | None:
    if not a.has_models:
        return note("There is no early-warning list: it is ranked by the purchase-forecast "
                    "models, which this report leaves out (see Customer lifetime value).")
    return None


def _list_table(a, which: str, rows: int, caption: str, empty: str) -> Html:
    gone = _no_list(a)
    if gone is not None:
        return gone
    shown = early_warning_list(a.at_risk, which)
    if shown is None:
        return note("The win-back list of lapsed customers needs the newer early-warning "
                    "analysis; this report shows every flagged customer as at risk.")
    if shown.empty:
        return note(empty)
    unit = a.at_risk.attrs.get("time_unit", "W")
    value = "value_if_retained" if "value_if_retained" in shown.columns else "revenue_at_risk"
    shown = shown.assign(value_if_won_back=shown[value])  # the same number, in win-back words
    return table(_pick(shown, _LIST_COLUMNS[which]).set_index("rank"), currency=a.config.currency,
                 rows=rows, caption=caption, unit=unit)


def at_risk(a, rows: int = 15) -> Html:
    """The top of the at-risk list: valuable customers slipping now, who may still be buying.

    Ranked by expected value (value if kept x chance still active), at most
    7 columns; the whole list is in ``at_risk.csv``.
    """
    return _list_table(a, "at risk", rows,
                       "Customers at risk, most expected value first (all of them are in "
                       f"{narrative.list_file(a.metrics, 'at risk')})",
                       "No valuable customer is at risk right now.")


def win_back(a, rows: int = 15) -> Html:
    """The top of the win-back list: valuable customers who have probably already left.

    Ranked by value if won back, at most 7 columns; the whole list is in
    ``win_back.csv``. Without the newer early-warning columns, a note.
    """
    return _list_table(a, "lapsed", rows,
                       "Lapsed valuable customers, most value if won back first (all of them "
                       f"are in {narrative.list_file(a.metrics, 'lapsed')})",
                       "No valuable customer has lapsed.")


def _nps_view(df: pd.DataFrame) -> pd.DataFrame:
    """NPS table on screen: answers, the three shares, NPS and its plausible range."""
    out = _pick(df, ("responses", "pct_promoters", "pct_passives", "pct_detractors", "nps"))
    if {"nps_low", "nps_high"} <= set(df.columns):
        out = out.assign(nps_range=[f"{fmt_nps(lo)} to {fmt_nps(hi)}" for lo, hi
                                    in zip(df["nps_low"], df["nps_high"], strict=True)])
    return out


def nps(a, rows: int = 10) -> Html:
    """NPS overall, by segment, by behaviour, and the detractors to call."""
    if a.nps is None:
        return note(narrative.NO_SURVEY)
    cur = a.config.currency
    blocks = {"NPS": _nps_view(a.nps)}
    if a.nps_by_segment is not None:
        blocks[f"NPS {_by(a.nps_by_segment.index.name)[:1].lower()}"
               f"{_by(a.nps_by_segment.index.name)[1:]}"] = _nps_view(a.nps_by_segment)
    blocks["What customers bought after the survey"] = _pick(
        a.nps_behaviour, ("respondents", "repeat_rate", "purchase_days_after", "revenue_after",
                          "retention", "mean_clv"))
    out = _tables(blocks, cur)
    if a.detractors is not None and len(a.detractors):
        view = _pick(a.detractors, ("date", "score", "comment", "clv", "p_alive", "at_risk"))
        out += "<h3>Detractors to call back</h3>" + table(view, currency=cur, rows=rows)
    return Html(out)


def _expected_count(value: float) -> str:
    """An expected number of customers: whole when it is, else one decimal (0.6 is not '1').

    >>> _expected_count(5.0), _expected_count(0.6)
    ('5', '0.6')
    """
    return number(value, 0 if float(value).is_integer() else 1)


def _campaign_rows(roi: pd.Series, margin: float, segment: bool, currency: str | None,
                   horizon: int) -> list[tuple[str, str]]:
    """The campaign's figures in the order they multiply up, each in words and its format.

    Customers kept x revenue per customer kept x margin = margin from the
    customers kept; minus the cost, the net gain. The share of the campaign
    is shown only for a segment's part of it.
    """
    def fmt(key, value=None, kind=None):
        return format_value(roi[key] if value is None else value, kind or kind_of(key),
                            currency=currency)

    rows = [(label("campaign_cost"), fmt("campaign_cost")),
            (label("customers_targeted"), fmt("customers_targeted")),
            (label("kept_share"), fmt("expected_lift", kind="share")),
            (label("customers_retained"), _expected_count(roi["customers_retained"])),
            (f"{label('value_per_customer')}, next {horizon} months", fmt("value_per_customer")),
            (label("margin"), fmt("margin", margin, "share")),
            (label("additional_value"), fmt("additional_value")),
            (label("net_gain"), fmt("net_gain")),
            (label("roi_pct"), fmt("roi_pct"))]
    if segment:
        rows.insert(2, (label("campaign_share"), fmt("campaign_share", kind="share")))
    return rows


def _scenarios(sc: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """The retention scenarios named in words, without the dropout multiplier.

    'As today', '+5 points of the model's 12-month retention'.
    """
    names = ["As today" if not lift else
             f"+{lift * 100:g} points of the model's {horizon}-month retention"
             for lift in sc.index]
    out = sc.rename(columns={"retention": "model_retention"}).drop(
        columns=["dropout_multiplier", "lift"], errors="ignore")
    return out.set_axis(pd.Index(names, name="scenario"), axis=0)


def economics(a) -> Html:
    """Revenue per customer, CLV vs CAC, campaign return, retention scenarios."""
    e, cur = a.economics, a.config.currency
    segment = a.segment is not None
    out = []
    yearly = e["yearly"]
    if yearly.index.name == "year_end":  # From, To, then the figures
        yearly = _frame(yearly).set_index("year_start")
    else:  # the year, the days the data cover, the figures, whether the year is partial
        yearly = _pick(yearly, ("observed_from", "observed_to", "customers", "revenue",
                                "revenue_per_customer", "partial|full_year"))
    out.append("<h3>Revenue per customer per year</h3>" + str(table(yearly, currency=cur)))
    if e.get("clv_cac") is not None:
        cc = e["clv_cac"].drop(columns=["customers"], errors="ignore")
        name = "New customer (client-wide model)" if segment else "New customer"
        cc = cc.set_axis(pd.Index([name] * len(cc), name=""), axis=0)
        out.append("<h3>New-customer lifetime value against the cost to win one</h3>"
                   + str(table(cc, currency=cur)))
    if e.get("roi") is not None:
        rows = _campaign_rows(e["roi"].iloc[0], a.config.clv.margin, segment, cur,
                              int(a.config.clv.horizon_months))
        frame = pd.DataFrame({"value": [v for _, v in rows]},
                             index=pd.Index([k for k, _ in rows], name="figure"))
        out.append("<h3>Retention campaign return</h3>" + str(table(frame, header=False)))
    if e.get("scenarios") is not None:
        sc = _scenarios(e["scenarios"], int(a.config.clv.horizon_months))
        # the definition first, so it prints with the heading, never alone on a page
        out.append('<div class="keep-together"><h3>What more retention is worth (model-based)'
                   "</h3>" + _definitions(sc.columns) + str(table(sc, currency=cur)) + "</div>")
    out += [str(note(n)) for n in e.get("notes", [])]
    return Html("".join(out))
