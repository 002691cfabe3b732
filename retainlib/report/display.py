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
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from retainlib._format import DURATION_UNITS, count, format_value, kind_of, number, period_text
from retainlib._format import date as fmt_date
from retainlib._format import nps as fmt_nps
from retainlib.analytics.names import named as _names
from retainlib.errors import ReportError
from retainlib.i18n import direction, has_text, text
from retainlib.output.tables import early_warning_list, reason_text
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


#: a character written right to left (Hebrew letters, the right-to-left mark of Hebrew amounts)
_RTL_CHAR = re.compile("[\u0590-\u05ff\u0600-\u06ff\u200f\ufb1d-\ufb4f]")


def _escape(value: object) -> str:
    """``value`` as HTML: escaped, unless it is already :class:`Html`."""
    return value if isinstance(value, Html) else html.escape(str(value))


def _isolate(value: object, lang: str) -> str:
    """One value inside a sentence or a cell, escaped; isolated in right-to-left languages.

    In a right-to-left page a number, an amount, a date or a file name keeps
    its own order in a ``<bdi>``; one with no right-to-left letter (``+19``,
    ``5%``, ``at_risk.csv``) is laid out left to right (``dir="ltr"``), so a
    sign stays before its number. Left-to-right languages get the escaped
    value unchanged; :class:`Html` (already isolated where needed) as it is.

    >>> _isolate("+19", "en"), _isolate("+19", "he"), _isolate("שנה", "he")
    ('+19', '<bdi dir="ltr">+19</bdi>', '<bdi>שנה</bdi>')
    """
    shown = _escape(value)
    if direction(lang) != "rtl" or not str(value) or isinstance(value, Html):
        return shown
    if _RTL_CHAR.search(str(value)):
        return f"<bdi>{shown}</bdi>"
    return f'<bdi dir="ltr">{shown}</bdi>'


#: a signed number in a right-to-left cell ('+19', '-27', '+5%'), not a Hebrew amount's sign
_SIGNED = re.compile("(?<![\\w\u200e\u200f])[+\\-\u2212]\\d[\\d,.]*%?")


def _isolate_cell(value: str, lang: str) -> str:
    """One table cell, escaped; in a right-to-left language its numbers keep their order.

    A cell without right-to-left letters (a number, a date, an id) is
    isolated left to right as a whole; in a cell with words, each signed
    number is (a sign would otherwise move to the number's right). An amount
    in the Hebrew style (:func:`retainlib._format.money`) is left as it is: its
    direction marks place the sign and the ₪.

    >>> _isolate_cell("+10 עד +25", "he")
    '<bdi dir="ltr">+10</bdi> עד <bdi dir="ltr">+25</bdi>'
    >>> _isolate_cell("-27", "he"), _isolate_cell("-27", "en")
    ('<bdi dir="ltr">-27</bdi>', '-27')
    """
    if direction(lang) != "rtl" or not _RTL_CHAR.search(value):
        return _isolate(value, lang)
    return _SIGNED.sub(lambda m: f'<bdi dir="ltr">{m[0]}</bdi>', html.escape(value))


def _t(key: str, lang: str, **fields: object) -> str:
    """The plain text of the catalogue message ``sections.<key>`` (for a chart, an index)."""
    return text(f"sections.{key}", lang, **fields)


def _say(key: str, lang: str, **fields: object) -> Html:
    """The catalogue message ``sections.<key>`` as HTML, each field isolated (:func:`_isolate`).

    The template's own words are escaped; a field that is :class:`Html`
    already is put in as it is. In English the result is the escaped sentence.

    >>> _say("first_rows", "en", shown="5", total="762")
    'first 5 of 762 rows'
    """
    template = html.escape(text(f"sections.{key}", lang))
    return Html(template.format_map({k: _isolate(v, lang) for k, v in fields.items()}))


def note(text: str) -> Html:
    """A short paragraph of plain text, escaped (:class:`Html` is put in as it is)."""
    return Html(f'<p class="note">{_escape(text)}</p>')


def _note(sentence: str, lang: str) -> Html:
    """A note of a sentence written elsewhere (the narrative, the analysis), in ``lang``.

    Escaped, with its numbers, amounts, dates and file names isolated in a
    right-to-left language (:func:`retainlib.report.narrative.sentence_html`).
    """
    return note(narrative.sentence_html(str(sentence), lang))


def _fmt_column(name: str, col: pd.Series, currency: str | None, unit: str = "W",
                lang: str = "en") -> pd.Series:
    """The cells of one column as text, in the format of the column's kind of number."""
    kind = kind_of(name, col.dtype)
    unit = DURATION_UNITS.get(str(name), unit)
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(col):
        return col.astype(object).map(lambda v: fmt_date(v, lang)).where(col.notna(), "")
    return col.astype(object).map(lambda v: format_value(v, kind, currency=currency, unit=unit,
                                                          lang=lang))


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
        Text above the table (:class:`Html` is put in as it is).
    unit : str, default 'W'
        Time unit of the duration columns (the customer summary's).
    lang : str, default 'en'
        Language of the labels and of the formats; in a right-to-left language
        the text cells align right and a cell without right-to-left letters
        (a number, a signed NPS, a date, an id) is isolated left to right
        (:func:`_isolate`).
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
    cells = [_fmt_column(n, frame.iloc[:, i], currency, unit, lang).tolist()
             for i, n in enumerate(names)]
    left = [kind_of(n, frame.iloc[:, i].dtype) in ("text", "date") for i, n in enumerate(names)]
    if not header:  # a list of figures: the names left, the values (already text) right
        left = [True] + [False] * (len(names) - 1)
    rtl = direction(lang) == "rtl"
    start = ' style="text-align:right"' if rtl else _LEFT  # text cells: at the line's start
    out = ['<table class="table">']
    if header:
        heads = "".join(f"<th{start if i == 0 or left[i] else ''}>"
                        f"{html.escape(label(n, lang) if n else '')}</th>"
                        for i, n in enumerate(names))
        out.append(f"<thead><tr>{heads}</tr></thead>")
    out.append("<tbody>")
    for r in range(len(frame)):
        row = []
        for i in range(len(names)):
            tag = "th" if i == 0 else "td"
            style = start if i == 0 or left[i] else _NOWRAP
            shown = _isolate_cell(cells[i][r], lang) if rtl else html.escape(cells[i][r])
            row.append(f"<{tag}{style}>{shown}</{tag}>")
        out.append(f"<tr>{''.join(row)}</tr>")
    out.append("</tbody></table>")
    cap = _escape(caption or "")
    if rows is not None and total > len(df):
        shown = _say("first_rows", lang, shown=count(len(df)), total=count(total))
        # one bracket: 'Customers at risk (all of them are in at_risk.csv; first 15 of 762 rows)'
        cap = (_say("caption_rows_in_bracket", lang, caption=Html(cap[:-1]), rows=shown)
               if cap.endswith(")") else
               Html(_say("caption_rows", lang, caption=Html(cap), rows=shown).strip()))
    head = f'<p class="caption">{cap}</p>' if cap else ""
    return Html(f'<div class="table-wrap">{head}{"".join(out)}</div>')


def _figures(values: Mapping[str, object], currency: str | None, unit: str = "W",
             lang: str = "en") -> Html:
    """A list of figures (name in words, value in its format) as a two-column table."""
    frame = pd.DataFrame({"figure": [label(k, lang) for k in values],
                          "value": [format_value(v, kind_of(k), currency=currency,
                                                 unit=DURATION_UNITS.get(k, unit), lang=lang)
                                    for k, v in values.items()]})
    return table(frame.set_index("figure"), header=False, lang=lang)


def _tables(blocks: Mapping[str, pd.DataFrame], currency: str | None, lang: str = "en") -> Html:
    return Html("\n".join(f"<h3>{_escape(name)}</h3>\n{table(df, currency=currency, lang=lang)}"
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


def _quality_rows(a) -> pd.DataFrame:
    """Rows read, kept and rejected by reason (the figures of ``a.data_quality()``), in words."""
    lang, s = a.lang, a.load.summary()
    dup = "dq_duplicates_dropped" if s["duplicates_dropped"] else "dq_duplicates_kept"
    rows = [(_t("dq_rows_read", lang), s["rows_read"]), (_t("dq_rows_kept", lang), s["rows_kept"]),
            (_t("dq_rows_rejected", lang), s["rows_rejected"])]
    rows += [(_t("dq_rejected_reason", lang, reason=reason_text(reason, lang)), n)
             for reason, n in s["rejected"].items()]
    rows += [(_t(dup, lang), s["duplicates"]), (_t("dq_returns", lang), s["returns"]),
             (_t("dq_after_end", lang, date=fmt_date(a.observation_end, lang)),
              a.rows_after_end)]
    return pd.DataFrame(rows, columns=["", "rows"]).set_index("")


def data_quality(a, rows: int = 10) -> Html:
    """Rows read/kept/rejected by reason, and the first rejected rows."""
    lang = a.lang
    out = table(_quality_rows(a), caption=_say("dq_file", lang, source=a.load.source),
                header=False, lang=lang)
    if len(a.load.rejected):
        rejected = a.load.rejected.set_index("line")
        if "reason" in rejected.columns:
            rejected = rejected.assign(reason=rejected["reason"].map(
                lambda r: reason_text(r, lang)))
        out += table(rejected, rows=rows, lang=lang,
                     caption=_say("dq_rejected_caption", lang, file="rejected_rows.csv"))
    return Html(out)


def _fig(ax):
    return ax.figure


def cohort_heatmap(a, last: int = 18):
    """Retention heatmap of the last ``last`` cohorts, first ``last`` periods."""
    from retainlib.plots import plot_cohort_heatmap

    t = a.cohorts.tail(last)
    t = t[[c for c in t.columns if c == "size" or (isinstance(c, int) and c < last)]]
    return _fig(plot_cohort_heatmap(t, title=_t("cohort_heatmap_title", a.lang), lang=a.lang))


def retention_curves(a):
    """Retention curve of every cohort and their weighted average."""
    from retainlib.plots import plot_retention_curves

    return _fig(plot_retention_curves(a.cohorts, lang=a.lang))


def kpi_trends(a):
    """The customer retention rate over time with active customers."""
    from retainlib.plots import plot_kpi_trends

    return _fig(plot_kpi_trends(a.kpis, currency=a.config.currency, lang=a.lang))


def kpi_table(a, last: int = 12) -> Html:
    """The retention figures of the last periods, most recent first (7 columns).

    The columns reproduce the rate: retention rate = (customers at the start
    - customers lost) / customers at the start; the customers won back and the
    new customers join the base during the period but are not in the rate. The
    caption says so, with the base's window.
    """
    lang = a.lang
    cols = ["customers_start", "lost", "crr", "won_back", "new_customers", "revenue"]
    k = _pick(a.kpis, cols).tail(last).iloc[::-1]
    # the period as the reader writes it ('דצמבר 2025'); English keeps the table's '2025-12'
    k.index = k.index.map(str if lang == "en" else lambda p: period_text(p, lang))
    m = a.metrics
    unit = m.get("period_unit") or "month"
    unit = _t(f"unit_{unit}", lang) if has_text(f"sections.unit_{unit}", lang) else unit
    cap = _say("kpi_caption", lang, crr=label("crr", lang), start=label("customers_start", lang),
               lost=label("lost", lang), span=narrative.window_span(m), unit=unit)
    return table(k.rename_axis("period"), currency=a.config.currency, caption=cap, lang=lang)


def pareto(a):
    """Pareto curve with the 80/20 point."""
    from retainlib.plots import plot_pareto

    return _fig(plot_pareto(a.customers["revenue"], lang=a.lang))


def pareto_statements(a) -> Html:
    """The 80/20 sentences as a list."""
    items = "".join(f"<li>{narrative.sentence_html(str(s), a.lang)}</li>"
                    for s in a.pareto_statements)
    return Html(f"<ul>{items}</ul>")


def abc(a) -> Html:
    """ABC classes table."""
    return table(_names(a.abc, a.lang), currency=a.config.currency, lang=a.lang)


#: catalogue keys of the heading (h3, "" for none) and explanation of each part of the CLV
#: section
_MODEL_PARTS = {
    "intro": ("", "model_intro"),
    "parameters": ("model_parameters_heading", ""),
    "holdout": ("holdout_heading", "holdout_intro"),
    "p_alive": ("p_alive_heading", "p_alive_intro"),
    "clv": ("clv_heading", ""),
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
        return _note(a.model_note, a.lang) if part == "intro" else Html("")
    heading, intro = _MODEL_PARTS[part]
    out = f"<h3>{_say(heading, a.lang)}</h3>" if heading else ""
    out += f"<p>{_say(intro, a.lang)}</p>" if intro else ""
    if part == "intro" and a.penalizer_note:
        out += str(_note(a.penalizer_note, a.lang))
    return Html(out)


def model_parameters(a) -> Html:
    """BG/NBD and Gamma-Gamma parameters: estimate, standard error, 95% bounds (appendix)."""
    if not a.has_models:
        return Html("")
    return _tables({_t("bgnbd_parameters", a.lang): _symbols(a.bgnbd.summary(), a.lang),
                    _t("gamma_gamma_parameters", a.lang): _symbols(a.gamma_gamma.summary(),
                                                                    a.lang)}, None, a.lang)


def _symbols(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A model summary with its parameters named as ``lang`` writes them ('alpha' or 'α')."""
    names = [_t(f"parameter_{p}", lang) if has_text(f"sections.parameter_{p}", lang) else p
             for p in summary.index]
    return summary.set_axis(pd.Index(names, name=summary.index.name), axis=0)


def frequency_fit(a):
    """Customers by repeat purchases, actual vs model (None without the models)."""
    from retainlib.plots import plot_frequency_histogram

    if not a.has_models:
        return None
    return _fig(plot_frequency_histogram(a.rfm, model=a.bgnbd, lang=a.lang))


def holdout_fit(a):
    """Holdout check: metrics table, or why it could not be run (nothing without the models)."""
    if not a.has_models:
        return Html("")
    lang = a.lang
    if a.holdout is None:
        return note(_say("holdout_not_run", lang, why=a.holdout_note))
    m = a.holdout.metrics
    return note(_say("holdout_result", lang, predicted=count(m["predicted_total"]),
                     actual=count(m["actual_total"]), error=f"{m['error_pct']:+.1f}%",
                     mae=f"{m['mae']:.2f}", correlation=f"{m['correlation']:.2f}"))


def holdout_tracking(a):
    """Cumulative repeat purchases actual vs model (or a note)."""
    from retainlib.plots import plot_cumulative_tracking

    if not a.has_models:
        return None
    if a.holdout is None or a.holdout.tracking is None:
        return note(_t("no_tracking", a.lang))
    return _fig(plot_cumulative_tracking(a.holdout, lang=a.lang))


def p_alive_matrix(a):
    """Chance still active over repeat purchases x recency (None without the models)."""
    from retainlib.plots import plot_probability_alive_matrix

    if not a.has_models:
        return None
    return _fig(plot_probability_alive_matrix(a.rfm, model=a.bgnbd, lang=a.lang))


def clv(a) -> Html:
    """The CLV forecast over the horizon, and the CLV tiers (nothing without the models).

    Each figure in its format: customers and expected purchases as counts,
    the horizon in months, the amounts in the client's currency.
    """
    if not a.has_models:
        return Html("")
    cur, lang = a.config.currency, a.lang
    out = (f"<h3>{_say('clv_forecast_heading', lang)}</h3>"
           + _figures(dict(a.clv_summary.items()), cur, lang=lang))
    if "clv_tier" in a.segment_tables:
        out += (f"<h3>{_say('clv_tiers_heading', lang)}</h3>"
                + _overview_table(_names(a.segment_tables["clv_tier"], lang), cur, lang))
    return Html(out)


#: the columns of a segment table in the main body (``a|b``: the first one present)
OVERVIEW_COLUMNS = ("customers", "revenue_share", "bought_again_12m|retention_12m", "mean_clv",
                    "revenue_at_risk", "at_risk_customers|customer_share")



def _overview_table(df: pd.DataFrame, currency: str | None, lang: str = "en") -> Html:
    return table(_pick(df, OVERVIEW_COLUMNS), currency=currency, lang=lang)


def _definitions(columns, lang: str = "en") -> Html:
    """The definition of each figure among ``columns`` that :func:`narrative.definitions` has.

    One line each, in the order of the columns, printed once under the tables
    that show them.
    """
    defined = narrative.definitions(lang)
    keys = {"retention_12m": "bought_again_12m", "mean_p_alive": "chance_still_active"}
    seen = []
    for c in columns:
        key = keys.get(str(c), str(c))
        if defined.get(key) and key not in seen:
            seen.append(key)
    return Html("".join(str(_note(defined[k], lang)) for k in seen))


def _in_sentence(words: str, lang: str) -> str:
    """A label inside a sentence: English lowers its first letter ('Region' -> 'region')."""
    return f"{words[:1].lower()}{words[1:]}" if lang == "en" else words


def _by(name: object, lang: str = "en") -> str:
    """'By region', 'By value class (ABC)': the heading of a table by one segment column."""
    return _t("by", lang, name=_in_sentence(label(name, lang), lang))


def segment_overview(a) -> Html:
    """One small table per segment column (at most 7 columns), for the main body.

    The segment, its customers, share of revenue, bought again within 12
    months, lifetime value per customer, revenue at risk and the customers at
    risk (the share of customers while the segment tables have no count of
    them). The full tables are :func:`segment_tables` (appendix).
    """
    cur, lang = a.config.currency, a.lang
    shown = {name: _pick(_names(df, lang), OVERVIEW_COLUMNS)
             for name, df in a.segment_tables.items() if name != "clv_tier"}
    cols = [c for df in shown.values() for c in df.columns]
    return Html("\n".join(f"<h3>{html.escape(_by(name, lang))}</h3>\n"
                          f"{table(df, currency=cur, lang=lang)}"
                          for name, df in shown.items()) + _definitions(cols, lang))


def segment_tables(a) -> Html:
    """The full table of every segment column (config columns, RFM group, CLV tier, ABC class).

    Preceded by the definitions of the figures they show and the one explanation of why
    one-time buyers show a 100% chance still active
    (:func:`retainlib.report.narrative.p_alive_note`), so the notes print with the heading and
    the wide tables fill the landscape pages after it.
    """
    lang = a.lang
    tables = _tables({_by(k, lang): _names(v, lang) for k, v in a.segment_tables.items()},
                     a.config.currency, lang)
    why = narrative.p_alive_note(a.metrics)
    cols = [c for df in a.segment_tables.values() for c in df.columns]
    return Html(_definitions(cols, lang) + (_note(why, lang) if why else "") + tables)


def retention_statement(a) -> Html:
    """The retention rate with its trend, and why the report's other retention shares differ.

    The same sentences as the executive summary (:func:`retainlib.report.narrative.trend_sentence`),
    then :func:`retainlib.report.narrative.retention_figures_note`.
    """
    m, lang = a.metrics, a.lang
    trend = narrative.trend_sentence(m)
    if not trend:  # no retention rate yet: the KPI summary says why
        return _note(a.kpi_summary.get("text", ""), lang)
    return Html(_note(trend, lang) + _note(narrative.retention_figures_note(m), lang))


#: columns of the two early-warning lists on screen (7 with the customer id)
_LIST_COLUMNS = {"at risk": ("rank", "expected_value", "value_if_retained|revenue_at_risk",
                             "p_alive", "silent_for", "reason"),
                 "lapsed": ("rank", "value_if_won_back", "p_alive",
                            "silent_for", "frequency", "reason")}


def _no_list(a) -> Html | None:
    if not a.has_models:
        return note(_t("no_list", a.lang))
    return None


def _list_table(a, which: str, rows: int, caption: str, empty: str) -> Html:
    gone = _no_list(a)
    if gone is not None:
        return gone
    shown = early_warning_list(a.at_risk, which)
    if shown is None:
        return note(_t("no_win_back_list", a.lang))
    if shown.empty:
        return note(empty)
    unit = a.at_risk.attrs.get("time_unit", "W")
    value = "value_if_retained" if "value_if_retained" in shown.columns else "revenue_at_risk"
    shown = shown.assign(value_if_won_back=shown[value])  # the same number, in win-back words
    return table(_pick(shown, _LIST_COLUMNS[which]).set_index("rank"), currency=a.config.currency,
                 rows=rows, caption=caption, unit=unit, lang=a.lang)


def _list_file(a, which: str) -> Html:
    """Where the whole list is (:func:`retainlib.report.narrative.list_file`), as HTML."""
    return narrative.sentence_html(narrative.list_file(a.metrics, which), a.lang)


def at_risk(a, rows: int = 15) -> Html:
    """The top of the at-risk list: valuable customers slipping now, who may still be buying.

    Ranked by expected value (value if kept x chance still active), at most
    7 columns; the whole list is in ``at_risk.csv``.
    """
    caption = _say("at_risk_caption", a.lang, file=_list_file(a, "at risk"))
    return _list_table(a, "at risk", rows, caption, _t("at_risk_empty", a.lang))


def win_back(a, rows: int = 15) -> Html:
    """The top of the win-back list: valuable customers who have probably already left.

    Ranked by value if won back, at most 7 columns; the whole list is in
    ``win_back.csv``. Without the newer early-warning columns, a note.
    """
    caption = _say("win_back_caption", a.lang, file=_list_file(a, "lapsed"))
    return _list_table(a, "lapsed", rows, caption, _t("win_back_empty", a.lang))


def _nps_view(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """NPS table on screen: answers, the three shares, NPS and its plausible range."""
    out = _pick(_names(df, lang),
                ("responses", "pct_promoters", "pct_passives", "pct_detractors", "nps"))
    if {"nps_low", "nps_high"} <= set(df.columns):
        out = out.assign(nps_range=[_t("nps_range", lang, low=fmt_nps(lo), high=fmt_nps(hi))
                                    for lo, hi in zip(df["nps_low"], df["nps_high"], strict=True)])
    return out


def nps(a, rows: int = 10) -> Html:
    """NPS overall, by segment, by behaviour, and the detractors to call."""
    if a.nps is None:
        return _note(narrative.no_survey(a.lang), a.lang)
    cur, lang = a.config.currency, a.lang
    blocks = {_t("nps_heading", lang): _nps_view(a.nps, lang)}
    if a.nps_by_segment is not None:
        column = _in_sentence(label(a.nps_by_segment.index.name, lang), lang)
        blocks[_t("nps_by", lang, name=column)] = _nps_view(a.nps_by_segment, lang)
    blocks[_t("nps_behaviour_heading", lang)] = _pick(
        _names(a.nps_behaviour, lang), ("respondents", "repeat_rate", "purchase_days_after",
                                        "revenue_after", "retention", "mean_clv"))
    out = _tables(blocks, cur, lang)
    if a.detractors is not None and len(a.detractors):
        view = _pick(a.detractors, ("date", "score", "comment", "clv", "p_alive", "at_risk"))
        out += (f"<h3>{_say('detractors_heading', lang)}</h3>"
                + table(view, currency=cur, rows=rows, lang=lang))
    return Html(out)


def _expected_count(value: float) -> str:
    """An expected number of customers: whole when it is, else one decimal (0.6 is not '1').

    >>> _expected_count(5.0), _expected_count(0.6)
    ('5', '0.6')
    """
    return number(value, 0 if float(value).is_integer() else 1)


def _campaign_rows(roi: pd.Series, margin: float, segment: bool, currency: str | None,
                   horizon: int, lang: str = "en") -> list[tuple[str, str]]:
    """The campaign's figures in the order they multiply up, each in words and its format.

    Customers kept x revenue per customer kept x margin = margin from the
    customers kept; minus the cost, the net gain. The share of the campaign
    is shown only for a segment's part of it.
    """
    def fmt(key, value=None, kind=None):
        return format_value(roi[key] if value is None else value, kind or kind_of(key),
                            currency=currency, lang=lang)

    per_customer = _t("campaign_value_per_customer", lang,
                      label=label("value_per_customer", lang), horizon=str(horizon))
    rows = [(label("campaign_cost", lang), fmt("campaign_cost")),
            (label("customers_targeted", lang), fmt("customers_targeted")),
            (label("kept_share", lang), fmt("expected_lift", kind="share")),
            (label("customers_retained", lang), _expected_count(roi["customers_retained"])),
            (per_customer, fmt("value_per_customer")),
            (label("margin", lang), fmt("margin", margin, "share")),
            (label("additional_value", lang), fmt("additional_value")),
            (label("net_gain", lang), fmt("net_gain")),
            (label("roi_pct", lang), fmt("roi_pct"))]
    if segment:
        rows.insert(2, (label("campaign_share", lang), fmt("campaign_share", kind="share")))
    return rows


def _scenarios(sc: pd.DataFrame, horizon: int, lang: str = "en") -> pd.DataFrame:
    """The retention scenarios named in words, without the dropout multiplier.

    'As today', '+5 points of the model's 12-month retention'.
    """
    names = [_t("scenario_today", lang) if not lift else
             _t("scenario_lift", lang, points=f"{lift * 100:g}", horizon=str(horizon))
             for lift in sc.index]
    out = sc.rename(columns={"retention": "model_retention"}).drop(
        columns=["dropout_multiplier", "lift"], errors="ignore")
    return out.set_axis(pd.Index(names, name="scenario"), axis=0)


def economics(a) -> Html:
    """Revenue per customer, CLV vs CAC, campaign return, retention scenarios."""
    e, cur, lang = a.economics, a.config.currency, a.lang
    segment = a.segment is not None
    out = []
    yearly = e["yearly"]
    if yearly.index.name == "year_end":  # From, To, then the figures
        yearly = _frame(yearly).set_index("year_start")
    else:  # the year, the days the data cover, the figures, whether the year is partial
        yearly = _pick(yearly, ("observed_from", "observed_to", "customers", "revenue",
                                "revenue_per_customer", "partial|full_year"))
    out.append(f"<h3>{_say('yearly_heading', lang)}</h3>"
               + str(table(yearly, currency=cur, lang=lang)))
    if e.get("clv_cac") is not None:
        cc = e["clv_cac"].drop(columns=["customers"], errors="ignore")
        name = _t("new_customer_client_wide" if segment else "new_customer", lang)
        cc = cc.set_axis(pd.Index([name] * len(cc), name=""), axis=0)
        out.append(f"<h3>{_say('clv_cac_heading', lang)}</h3>"
                   + str(table(cc, currency=cur, lang=lang)))
    if e.get("roi") is not None:
        rows = _campaign_rows(e["roi"].iloc[0], a.config.clv.margin, segment, cur,
                              int(a.config.clv.horizon_months), lang)
        frame = pd.DataFrame({"value": [v for _, v in rows]},
                             index=pd.Index([k for k, _ in rows], name="figure"))
        out.append(f"<h3>{_say('campaign_heading', lang)}</h3>"
                   + str(table(frame, header=False, lang=lang)))
    if e.get("scenarios") is not None:
        sc = _scenarios(e["scenarios"], int(a.config.clv.horizon_months), lang)
        # the definition first, so it prints with the heading, never alone on a page
        out.append(f'<div class="keep-together"><h3>{_say("scenarios_heading", lang)}'
                   "</h3>" + _definitions(sc.columns, lang)
                   + str(table(sc, currency=cur, lang=lang)) + "</div>")
    out += [str(_note(n, lang)) for n in e.get("notes", [])]
    return Html("".join(out))
