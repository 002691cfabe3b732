"""Plain-language executive summary, recommended actions and definitions, built from the numbers.

Every function takes the headline metrics of a report (the dict
:func:`retainlib.report.analysis.metrics_of` returns, the contents of
``metrics.json``) and returns plain text in the report's language
(``m["language"]``, English when absent); :func:`summary_html` renders them
for the report with every string HTML-escaped (client names, segment values
and period labels come from the client's data) and, in a right-to-left
language, every number, amount, date and file name isolated in ``<bdi>``
(:func:`sentence_html`).

Every sentence is a template of the language catalogue (``summary.*`` keys of
:mod:`retainlib.i18n`), one per grammatical case: a count of one, of two and
of many customers are different sentences where the language says them
differently, and counts come with their noun from
:func:`retainlib.i18n.count_of` ('the last 12 months', 'החודשיים האחרונים').

One headline retention figure
-----------------------------
The report has one retention rate, the customer retention rate of
:mod:`retainlib.analytics.kpis` (``crr``), defined for the reader by
:func:`retention_definition`. Every other share that looks like retention is
named for what it is wherever it appears (:func:`definitions`): "bought again
within 12 months" in the segment tables, "still active per the model" in
what more retention is worth, "share of a cohort buying in a given month" in
the cohort chart. :func:`retention_figures_note` says in one paragraph why
they differ.

Keys used (missing or null keys leave their sentence out):
``language``, ``client``, ``segment`` ({column, value}), ``currency``, ``customers``,
``revenue``, ``first_date``, ``last_date``, ``repeat_purchase_rate``,
``crr``, ``crr_period``, ``period_unit`` ('month', ...), ``crr_window``
(periods a customer stays in the base after a purchase), ``crr_previous``,
``crr_trend_window``, ``crr_trend_recent``, ``crr_trend_before``,
``crr_trend_change``, ``crr_trend_slope`` (change per year, fraction),
``crr_trend_slope_low``, ``crr_trend_slope_high``, ``crr_trend_direction``
('falling', 'rising', 'flat', 'n/a'), ``crr_record`` ('lowest', 'highest'
or None), ``crr_record_periods``, ``won_back``, ``won_back_year``,
``top20_revenue_share``, ``top10_revenue_share``, ``horizon_months``,
``expected_purchases``, ``expected_revenue``, ``clv_total``, ``clv_mean``,
``revenue_at_risk``, ``at_risk_customers``, ``at_risk_expected_value``,
``lapsed_customers``, ``lapsed_value``, ``model_note``, ``nps``,
``nps_low``, ``nps_high``, ``nps_responses``, ``detractors``,
``retention_roi``, ``campaign_cost``.
"""

from __future__ import annotations

import datetime
import html
import math
import re
from collections.abc import Mapping

from retainlib._format import date as fmt_date
from retainlib._format import format_value, money, percent, period_text, share
from retainlib._format import nps as signed_nps
from retainlib._units import PERIOD_NAMES, PERIODS_PER_YEAR
from retainlib.analytics.names import value_name
from retainlib.i18n import catalogue, count_of, direction, has_label, label, text

__all__ = [
    "DEFINITIONS", "NO_CAMPAIGN", "NO_SURVEY", "Html", "definitions", "executive_summary",
    "list_file", "no_campaign", "no_survey", "p_alive_note", "period_label",
    "recommended_actions", "retention_definition", "retention_figures_note", "segment_title",
    "sentence_html", "summary_html", "summary_paragraphs", "title_html", "trend_sentence",
    "window_span",
]

#: The period units the catalogue names ('period' stands for any other).
_UNITS = ("week", "month", "quarter", "year", "period")
#: The figures :func:`definitions` defines, in order.
_DEFINED = ("crr", "bought_again_12m", "model_retention", "cohort_share", "p_alive",
            "chance_still_active", "revenue_at_risk", "lapsed_value", "expected_value")


class Html(str):
    """A string of HTML that Jupyter displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)


def _get(m: Mapping, key: str) -> float | None:
    v = m.get(key)
    if v is None or isinstance(v, bool):
        return None
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _lang(m: Mapping) -> str:
    """The report's language of the metrics ('en' when they do not say)."""
    return str(m.get("language") or "en")


def _t(key: str, lang: str, /, **fields: object) -> str:
    """The catalogue's ``summary.<key>`` in ``lang``, its fields filled in."""
    return text(f"summary.{key}", lang, **fields)


def _unit(unit: object) -> str:
    """A period unit the catalogue names: 'week', 'month', 'quarter', 'year', else 'period'."""
    return str(unit) if unit in _UNITS else "period"


def _whole(n: float) -> int:
    """A count as a whole number, rounded as the sentences print it (half to even)."""
    return round(n)


def _points(fraction: float, lang: str = "en") -> str:
    """A difference of two shares in percentage points, one decimal: '2.3 points', '1.0 point'.

    The noun's form follows the shown number (the catalogue's ``point``).

    >>> _points(-0.023), _points(0.01), _points(0.0004)
    ('2.3 points', '1.0 point', '0.0 points')
    >>> _points(0.01, "he"), _points(-0.023, "he")
    ('נקודת אחוז אחת', '2.3 נקודות אחוז')
    """
    v = round(abs(100 * fraction), 1)
    forms = catalogue(lang).nouns["point"]
    form = forms["one"] if v == 1 else forms.get("two", forms["other"]) if v == 2 else \
        forms["other"]
    return form.format(n=f"{v:.1f}")


def period_label(label: object, lang: str = "en") -> str:
    """A period label of the KPI tables as a sentence writes it (``period_text``, in a sentence).

    >>> period_label("2025-12"), period_label("2025Q4"), period_label("2025")
    ('December 2025', 'Q4 2025', '2025')
    >>> period_label("2025-12-22/2025-12-28"), period_label("2025-12", "he")
    ('the week of 22 December 2025', 'דצמבר 2025')
    """
    return period_text(label, lang, in_sentence=True)


def _in_period(period: object, lang: str) -> str:
    """A period after the preposition 'in': 'in December 2025' (``summary.in_period``).

    A period written with a number first, such as a year, takes
    ``summary.in_period_number`` (Hebrew 'ב-2025', not 'ב2025'), a week
    (a label 'first day/last day') ``summary.in_week`` (Hebrew 'במהלך השבוע
    שמתחיל ב-...').

    >>> _in_period("2025-12", "en"), _in_period("2025-12", "he"), _in_period("2025", "he")
    ('in December 2025', 'בדצמבר 2025', 'ב-2025')
    >>> _in_period("2025-12-22/2025-12-28", "en")
    'in the week of 22 December 2025'
    """
    shown = period_label(period, lang)
    key = ("in_week" if "/" in str(period) else
           "in_period_number" if shown[:1].isdigit() else "in_period")
    return _t(key, lang, period=shown)


def _day(value: object, lang: str) -> str:
    """An ISO date of the metrics ('2025-12-31') in the language's date style; else as it is.

    >>> _day("2025-12-31", "en"), _day("2025-12-31", "he"), _day("soon", "he")
    ('2025-12-31', '31.12.2025', 'soon')
    """
    shown = "" if value is None else str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown):
        return fmt_date(datetime.date.fromisoformat(shown), lang)
    return shown


def _span(n: float | None, unit: str, lang: str = "en") -> str:
    """'12 months', 'year' for one year-period, 'months' without a number."""
    unit = _unit(unit)
    if n is None:
        return _t(f"units.{unit}", lang)
    return _t(f"unit.{unit}", lang) if n == 1 else count_of(_whole(n), unit, lang)


def _last(n: float, unit: str, lang: str) -> str:
    """'the last 12 months' ('החודשיים האחרונים')."""
    return count_of(_whole(n), f"last_{_unit(unit)}", lang)


def _prior(n: float, unit: str, lang: str) -> str:
    """'the 12 months before' ('12 החודשים הקודמים')."""
    return count_of(_whole(n), f"prior_{_unit(unit)}", lang)


def _over(m: Mapping, lang: str) -> str:
    """The forecast horizon in a sentence: 'the next 12 months', else 'the forecast horizon'."""
    h = _get(m, "horizon_months")
    return count_of(_whole(h), "next_month", lang) if h is not None else _t("horizon", lang)


# --------------------------------------------------------------------------- HTML
#: What a right-to-left sentence isolates: a number with its sign, its decimals, its percent
#: sign or its currency (Hebrew money is '\u200f1,234\xa0\u200f₪'), a date, a file name; never
#: the digits of an HTML entity (&#x27;) or of a word.
_ISOLATE = re.compile(
    r"(?<![\w#&;\u200f])"
    r"(?:\u200f?[-+]?\d(?:[\d,.:/]*\d)?(?:%|\u00d7|\xa0\u200f?[^\s<.,;:)]+)?"
    r"|[\w-]+\.(?:csv|xlsx|json|html|pdf)\b)")


def _isolated(escaped: str, lang: str) -> str:
    """Already escaped text, its numbers, amounts, dates and file names in ``<bdi>`` if RTL.

    Only in a language written right to left: there '+19' and '-6' keep their
    sign in front; left-to-right text is returned as it is. A token without
    letters is laid out left to right (``dir="ltr"``: an isolate without a
    strong letter would take the paragraph's right-to-left direction and print
    '19+'); a Hebrew amount keeps the direction its own marks give it.
    """
    if direction(lang) != "rtl":
        return escaped

    def isolate(found: re.Match) -> str:
        token = found[0]
        return f"<bdi>{token}</bdi>" if token.startswith("\u200f") else \
            f'<bdi dir="ltr">{token}</bdi>'

    return _ISOLATE.sub(isolate, escaped)


def sentence_html(sentence: str, lang: str = "en") -> Html:
    """One sentence of this module as HTML: escaped, numbers isolated in right-to-left languages.

    >>> sentence_html("Retention was 90.0% <b>")
    'Retention was 90.0% &lt;b&gt;'
    >>> sentence_html("מדד NPS עומד על +12 (רווח סמך 95%: -4 עד +20).", "he")
    'מדד NPS עומד על <bdi dir="ltr">+12</bdi> (רווח סמך <bdi dir="ltr">95%</bdi>: \
<bdi dir="ltr">-4</bdi> עד <bdi dir="ltr">+20</bdi>).'
    """
    return Html(_isolated(html.escape(sentence), lang))


# --------------------------------------------------------------------------- segments, lists
def segment_title(segment: Mapping | tuple | None, lang: str = "en") -> str:
    """A segment report's title: the value and the column name in words ('North region').

    In Hebrew the column's words then the value ('אזור: צפון'): the catalogue's
    label of a canonical column, a client's own column name as written.

    >>> segment_title({"column": "region", "value": "North"})
    'North region'
    >>> segment_title(("sales_channel", "Online")), segment_title(("Region", "South"))
    ('Online sales channel', 'South region')
    >>> segment_title(("VIP", "yes")), segment_title(None)
    ('yes VIP', '')
    >>> segment_title(("region", "צפון"), "he"), segment_title(("סניף", "חיפה"), "he")
    ('אזור: צפון', 'סניף: חיפה')
    """
    if not segment:
        return ""
    column, value = (segment["column"], segment["value"]) if isinstance(segment, Mapping) \
        else segment
    if lang == "en":  # English lowers a Title-case word: 'Region' -> 'region'
        words = " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w
                         for w in str(column).replace("_", " ").split())
    else:
        words = label(column, lang) if has_label(column, lang) else \
            " ".join(str(column).replace("_", " ").split())
    return _t("segment_title", lang, value=value, column=words).strip()


def list_file(m: Mapping, which: str) -> str:
    """Where the reader finds an early-warning list: its file, or the filter of the client's file.

    In a segment report: the client's customer file and the filter that gives
    the segment's part of the list.
    ``which`` is ``'at risk'`` (``at_risk.csv``) or ``'lapsed'`` (``win_back.csv``); a
    segment report has no files of its own, and the client's list files have no segment
    column, so it points to ``customers.csv``, which has both. In Hebrew the
    text is the form that follows the preposition ב ('קובץ at_risk.csv').

    >>> list_file({}, "at risk")
    'at_risk.csv'
    >>> list_file({"segment": {"column": "region", "value": "North"}}, "lapsed")
    "the client's customers.csv, filtered on Region = North and Early warning = lapsed"
    """
    lang = _lang(m)
    seg = m.get("segment")
    if not seg:
        name = "at_risk.csv" if which == "at risk" else "win_back.csv"
        return _t("list_file", lang, file=name)
    column, value = (seg["column"], seg["value"]) if isinstance(seg, Mapping) else seg
    return _t("list_file_segment", lang, file=m.get("customers_file") or "customers.csv",
              column=label(column, lang), value=value,
              early_warning=label("early_warning", lang),
              which=value_name("early_warning", which, lang))


# --------------------------------------------------------------------------- definitions
def _retention_core(unit: str, window: float | None, lang: str = "en") -> str:
    """The retention rate in words, for a period unit and the base's window in periods."""
    if window is None:
        window = {PERIOD_NAMES[k]: n for k, n in PERIODS_PER_YEAR.items()}.get(unit, 12)
    return _t("retention_core", lang, span=_span(window, unit, lang),
              the_unit=_t(f"the_unit.{_unit(unit)}", lang))


def definitions(lang: str = "en") -> dict[str, str]:
    """Every retention-like figure of the report, with the sentence that defines it.

    Keyed by the figure's name in metrics.json and the tables; the headline
    one is ``crr``.

    >>> definitions()["crr"][:52]
    'Retention rate of a month: of the customers who had '
    """
    out = {}
    for key in _DEFINED:
        fields = {"label": label(key, lang)}
        if key == "crr":
            fields["core"] = _retention_core("month", 12, lang)
        out[key] = _t(f"def_{key}", lang, **fields)
    return out


def no_campaign(lang: str = "en") -> str:
    """What the report says when the client gave no campaign costs."""
    return _t("no_campaign", lang)


def no_survey(lang: str = "en") -> str:
    """What the report says when the client gave no customer survey."""
    return _t("no_survey", lang)


#: The English texts of :func:`definitions`, :func:`no_campaign` and :func:`no_survey`.
DEFINITIONS: dict[str, str] = definitions("en")
NO_CAMPAIGN = no_campaign("en")
NO_SURVEY = no_survey("en")


def window_span(m: Mapping) -> str:
    """The customer base's window in words ('12 months'), from ``crr_window`` and ``period_unit``.

    >>> window_span({"period_unit": "month", "crr_window": 12})
    '12 months'
    >>> window_span({"period_unit": "month", "crr_window": 2, "language": "he"})
    'חודשיים'
    """
    unit = m.get("period_unit") or "month"
    window = _get(m, "crr_window")
    if window is None:
        window = {PERIOD_NAMES[k]: n for k, n in PERIODS_PER_YEAR.items()}.get(unit, 12)
    return _span(window, unit, _lang(m))


def retention_definition(m: Mapping) -> str:
    """The one sentence that defines the headline retention rate, in the report's period.

    >>> retention_definition({"period_unit": "month", "crr_window": 12})
    'Retention here is the share of customers kept through a month: of the customers who had \
bought in the 12 months before the month began, the share who had still bought within the 12 \
months up to its end (customers who come back after a longer gap are counted as won back).'
    """
    lang, unit = _lang(m), m.get("period_unit") or "month"
    return _t("retention_definition", lang, unit=_t(f"unit.{_unit(unit)}", lang),
              core=_retention_core(unit, _get(m, "crr_window"), lang))


# --------------------------------------------------------------------------- the trend
def trend_sentence(m: Mapping) -> str | None:
    """Retention in the last complete period, whether it is a record, and its trend; or None.

    The trend compares the mean retention of the last ``crr_trend_window``
    periods with the same number of periods before them, and gives the
    fitted yearly change with its interval when the direction is clear.

    >>> trend_sentence({"crr": 0.93, "crr_period": "2025-12", "period_unit": "month",
    ...     "crr_record": "lowest", "crr_record_periods": 36, "crr_trend_window": 12,
    ...     "crr_trend_recent": 0.941, "crr_trend_before": 0.964, "crr_trend_change": -0.023,
    ...     "crr_trend_slope": -0.012, "crr_trend_slope_low": -0.018,
    ...     "crr_trend_slope_high": -0.006, "crr_trend_direction": "falling"})
    'Retention was 93.0% in December 2025, the lowest of the last 36 months; over the last \
12 months it averaged 94.1%, 2.3 points below the 12 months before (96.4%), and it is falling \
by about 1.2 points a year (between 0.6 and 1.8).'
    """
    crr = _get(m, "crr")
    if crr is None:
        return None
    lang, unit = _lang(m), m.get("period_unit") or "month"
    text_ = _t("trend_level", lang, crr=percent(crr, 1),
               in_period=_in_period(m.get("crr_period"), lang))
    record, n_rec = m.get("crr_record"), _get(m, "crr_record_periods")
    if record in ("lowest", "highest") and n_rec is not None and n_rec > 1:
        text_ += _t(f"trend_record_{record}", lang, last=_last(n_rec, unit, lang))
    window = _get(m, "crr_trend_window")
    recent, before = _get(m, "crr_trend_recent"), _get(m, "crr_trend_before")
    direction_ = m.get("crr_trend_direction")
    if direction_ == "n/a" or window is None or recent is None:
        if direction_ == "n/a":  # too few complete periods for a trend
            return text_ + _t("trend_too_short", lang, units=_span(None, unit, lang))
        return text_ + "." + _previous_clause(m, crr)  # metrics without the trend keys
    text_ += _t("trend_average", lang, last=_last(window, unit, lang), recent=percent(recent, 1))
    if before is None or direction_ in (None, "n/a"):
        return text_ + _t("trend_no_before", lang, span=_span(2 * window, unit, lang))
    change = _get(m, "crr_trend_change")
    change = recent - before if change is None else change
    prior = _prior(window, unit, lang)
    key = "trend_same" if abs(change) < 0.0005 else "trend_below" if change < 0 else "trend_above"
    text_ += _t(key, lang, points=_points(change, lang), prior=prior, before=percent(before, 1))
    slope = _get(m, "crr_trend_slope")
    lo, hi = _get(m, "crr_trend_slope_low"), _get(m, "crr_trend_slope_high")
    if direction_ in ("falling", "rising") and slope is not None:
        text_ += _t(f"trend_{direction_}", lang, points=_points(slope, lang))
        if lo is not None and hi is not None:
            a, b = sorted((abs(100 * lo), abs(100 * hi)))
            text_ += _t("trend_slope_range", lang, low=f"{a:.1f}", high=f"{b:.1f}")
    elif direction_ == "flat":
        text_ += _t("trend_flat", lang)
        if lo is not None and hi is not None:
            text_ += _t("trend_flat_range", lang, low=f"{100 * lo:+.1f}", high=f"{100 * hi:+.1f}")
    return text_ + "."


def _previous_clause(m: Mapping, crr: float) -> str:
    """Without the trend keys: the change from the previous period, as a sentence ('' if none)."""
    prev = _get(m, "crr_previous")
    if prev is None:
        return ""
    lang, period = _lang(m), m.get("crr_previous_period")
    change = crr - prev
    if abs(change) < 0.005:
        return _t("previous_same", lang, period=period_label(period, lang))
    return _t("previous_down" if change < 0 else "previous_up", lang,
              points=_points(change, lang), previous=percent(prev, 1),
              in_period=_in_period(period, lang))


def _won_back_sentence(m: Mapping) -> str | None:
    """How many lapsed customers came back in the retention period (and its year), or None.

    >>> _won_back_sentence({"won_back": 35, "won_back_year": 410, "crr_period": "2025-12"})
    '35 customers who had stopped buying came back in December 2025 (410 in the year to \
December 2025); the retention rate counts only customers who kept buying, so they are not \
part of it.'
    """
    n, year, period = _get(m, "won_back"), _get(m, "won_back_year"), m.get("crr_period")
    if n is None or not period:
        return None
    lang = _lang(m)
    in_period = _in_period(period, lang)
    if n == 0 and not year:
        return _t("won_back_none", lang, in_period=in_period, year="") + "."
    year_ = "" if year is None else _t("won_back_year", lang, n=f"{year:,.0f}",
                                       period=period_label(period, lang))
    key = "won_back_none" if n == 0 else "won_back_one" if n == 1 else "won_back_many"
    who = count_of(_whole(n), "customer", lang)
    return (_t(key, lang, who=who, in_period=in_period, year=year_)
            + _t("won_back_not_counted", lang))


# --------------------------------------------------------------------------- the summary
def _who(m: Mapping, lang: str) -> str:
    if m.get("segment"):
        return _t("who_segment", lang, title=segment_title(m["segment"], lang))
    if m.get("client"):
        return _t("who_client", lang, client=m["client"])
    return _t("who_default", lang)


def executive_summary(m: Mapping) -> list[str]:
    """Sentences of the executive summary, in reading order.

    Parameters
    ----------
    m : mapping
        Headline metrics (see the module docstring for the keys).

    Returns
    -------
    list of str
        Customers and revenue; repeat purchases; retention in the last complete
        period, whether it is a record, its trend; what retention means; how many
        lapsed customers came back (won back: not part of the retention rate); what
        became of the previous report's at-risk list (when there is one); the
        80/20 statement; the forecast over the CLV horizon; CLV; revenue at risk and
        the lapsed valuable customers (or, in their place, why the purchase-forecast
        models were left out); NPS (or that no survey was provided).
    """
    return [sentence for block in summary_paragraphs(m) for sentence in block]


def summary_paragraphs(m: Mapping) -> list[list[str]]:
    """The sentences of :func:`executive_summary` grouped into paragraphs, one per question.

    Who the customers are; are we keeping them; where the value is and what it
    is worth; who needs action; what customers say (NPS). Empty paragraphs are
    left out.
    """
    cur, lang = m.get("currency"), _lang(m)
    who, keep, value = [], [], []
    customers, revenue = _get(m, "customers"), _get(m, "revenue")
    if customers is not None and revenue is not None:
        span = ""
        if m.get("first_date") and m.get("last_date"):
            span = _t("customers_span", lang, first=_day(m["first_date"], lang),
                      last=_day(m["last_date"], lang))
        n = _whole(customers)
        who.append(_t("customers_one" if n == 1 else "customers_many", lang, who=_who(m, lang),
                      customers=count_of(n, "customer", lang),
                      revenue=money(revenue, cur, lang), span=span))
    repeat = _get(m, "repeat_purchase_rate")
    if repeat is not None:
        who.append(_t("repeat", lang, repeat=share(repeat), once=share(1 - repeat)))
    trend = trend_sentence(m)
    if trend:
        keep += [trend, retention_definition(m)]
    back = _won_back_sentence(m)
    if back:
        keep.append(back)
    since = _since_last(m)
    if since:
        keep.append(since)
    top20, top10 = _get(m, "top20_revenue_share"), _get(m, "top10_revenue_share")
    if top20 is not None:
        value.append(_t("top20", lang, top20=share(top20)) if top10 is None else
                     _t("top20_top10", lang, top20=share(top20), top10=share(top10)))
    if m.get("model_note"):  # the forecast sentences below are missing: say why, once
        value.append(m["model_note"])
    over = _over(m, lang)
    purchases, exp_rev = _get(m, "expected_purchases"), _get(m, "expected_revenue")
    if _get(m, "horizon_months") is not None and purchases is not None and exp_rev is not None:
        value.append(_t("forecast", lang, over=over,
                        purchases=count_of(_whole(purchases), "purchase", lang),
                        revenue=money(exp_rev, cur, lang)))
    total, mean = _get(m, "clv_total"), _get(m, "clv_mean")
    if total is not None and mean is not None:
        value.append(_t("clv", lang, total=money(total, cur, lang), mean=money(mean, cur, lang)))
    blocks = [who, keep, value, _early_warning_sentences(m, over), [_nps_sentence(m)]]
    return [b for b in blocks if b]


def _since_last(m: Mapping) -> str:
    """What changed since the client's previous report ('' for a first report)."""
    return since_last_sentence(m, _lang(m))


def since_last_sentence(m: Mapping, lang: str | None = None) -> str:
    """The executive summary's sentence about the last report ('' without an earlier run).

    ``m`` is ``metrics.json`` (its ``since_last``); plain text.
    """
    lang = lang or m.get("language") or "en"
    s = m.get("since_last")
    if not s:
        return ""
    date = fmt_date(datetime.date.fromisoformat(str(s["observation_end"])[:10]), lang)
    crr = (s.get("changes") or {}).get("crr") or {}
    if s.get("at_risk_previous"):
        one = s["at_risk_came_back"] == 1
        fields = {"date": date, "came_back": f"{s['at_risk_came_back']:,}",
                  "previous": count_of(s["at_risk_previous"], "customer", lang)}
        if s.get("newly_at_risk") is None:  # no at-risk list this time (models left out)
            key = "followup.sentence_back_one" if one else "followup.sentence_back"
        else:
            key = "followup.sentence_one" if one else "followup.sentence"
            fields["newly"] = count_of(s["newly_at_risk"], "customer", lang)
        first = text(key, lang, **fields)
    else:
        first = text("followup.sentence_no_list", lang, date=date)
    if crr.get("previous") is not None and crr.get("current") is not None:
        first += " " + text("followup.sentence_crr", lang,
                            previous=format_value(crr["previous"], "rate"),
                            current=format_value(crr["current"], "rate"))
    return first


def _nps_sentence(m: Mapping) -> str:
    """The NPS with its interval and number of answers, or that no survey was provided."""
    lang, nps = _lang(m), _get(m, "nps")
    if nps is None:
        return no_survey(lang)
    lo, hi, n = _get(m, "nps_low"), _get(m, "nps_high"), _get(m, "nps_responses")
    if lo is None or hi is None:
        return _t("nps", lang, nps=signed_nps(nps))
    fields = {"nps": signed_nps(nps), "low": signed_nps(lo), "high": signed_nps(hi)}
    if n is None:
        return _t("nps_range", lang, **fields)
    return _t("nps_range_answers", lang, answers=count_of(_whole(n), "answer", lang), **fields)


def _floor(m: Mapping, lang: str) -> str:
    """The at-risk list's floor of chance still active, as a clause ('' when not given).

    The floor is ``lapsed_below`` (below it a customer is on the win-back list).

    >>> _floor({"lapsed_below": 0.2}, "en"), _floor({}, "en")
    (' (chance still active at least 20%)', '')
    """
    floor = _get(m, "lapsed_below")
    return "" if floor is None else _t("at_risk_floor", lang, chance=percent(floor))


def _early_warning_sentences(m: Mapping, over: str) -> list[str]:
    """Revenue at risk of the at-risk list, and the lapsed valuable customers (win-back list)."""
    cur, lang, out = m.get("currency"), _lang(m), []
    rar, n_risk = _get(m, "revenue_at_risk"), _get(m, "at_risk_customers")
    if rar is not None and n_risk is not None:
        if n_risk:
            out.append(_t("at_risk_one" if n_risk == 1 else "at_risk_many", lang,
                          n=f"{n_risk:,.0f}", floor=_floor(m, lang),
                          revenue=money(rar, cur, lang), over=over))
        else:
            out.append(_t("at_risk_none", lang))
    lapsed, value = _get(m, "lapsed_customers"), _get(m, "lapsed_value")
    if lapsed and value is not None:
        out.append(_t("lapsed_one" if lapsed == 1 else "lapsed_many", lang, n=f"{lapsed:,.0f}",
                      revenue=money(value, cur, lang), over=over))
    return out


def p_alive_note(m: Mapping) -> str:
    """Why one-time buyers show a 100% chance of still being active ('' without the models).

    For the place in the report where P(alive) first appears. Under the BG/NBD
    model a customer is seen to drop out only through a gap after repeat
    purchases, so a one-time buyer has shown no sign of leaving: the model
    gives them 100%. No recommendation of :func:`recommended_actions` uses it.

    >>> p_alive_note({"repeat_purchase_rate": 0.35, "bgnbd": {"r": 1.0}})[:64]
    'The chance still active (P(alive)) is 100% for every customer wh'
    """
    if not m.get("bgnbd") or m.get("model_note"):
        return ""
    lang, repeat = _lang(m), _get(m, "repeat_purchase_rate")
    ones = _t("p_alive_ones", lang, share=share(1 - repeat)) if repeat is not None else ""
    names = {k.lower(): value_name("rfm_segment", k, lang) for k in ("Lost", "New", "Promising")}
    return _t("p_alive_note", lang, ones=ones, **names)


def retention_figures_note(m: Mapping) -> str:
    """One paragraph saying why the report's retention-like shares differ from the retention rate.

    >>> retention_figures_note({"crr": 0.96})[:58]
    'The retention rate (96.0%) is the one retention figure of '
    """
    lang, crr = _lang(m), _get(m, "crr")
    shown = _t("figures_note_crr", lang, crr=percent(crr, 1)) if crr is not None else ""
    return _t("figures_note", lang, crr=shown)


# --------------------------------------------------------------------------- the actions
def recommended_actions(m: Mapping) -> list[str]:
    """Exactly three recommended actions, the most valuable first, each with its numbers.

    Candidate actions and when they apply (``m`` as in :func:`executive_summary`):

    1. Call the at-risk list, ranked by expected value, when it has customers
       (priority: the revenue at risk).
    2. Win back the lapsed valuable customers of the win-back list, when there
       are any (priority: a tenth of their value, since most will not return).
    3. Protect the most valuable customers, when the top 20% bring at least
       60% of revenue (priority: a tenth of their share of the expected revenue).
    4. Turn one-time buyers into repeat customers, when fewer than half buy
       again (priority: the share of one-time buyers times the expected revenue).
    5. Follow up detractors, when NPS < 30 and there are detractors
       (priority: detractors x mean CLV).
    6. Run the retention campaign, when its ROI is positive (priority: its
       net return), or rethink it when negative.
    7. Act on falling retention, when the trend is falling (or, without a
       trend, the rate fell by more than 2 points from the previous period;
       priority: expected revenue times the fall).

    No action is driven by the chance still active of one-time buyers (always
    100%, see :func:`p_alive_note`): the lists are of valuable customers
    flagged by the model, and action 4 by the repeat-purchase rate.

    Fallbacks (always applicable, lowest priority) fill up to three: track
    retention every period, and re-run the report with the next export.

    Returns
    -------
    list of str
        Three sentences.
    """
    cur, lang = m.get("currency"), _lang(m)
    over = _over(m, lang)
    cands: list[tuple[float, str]] = []
    rar, n_risk = _get(m, "revenue_at_risk") or 0.0, _get(m, "at_risk_customers") or 0.0
    exp_rev = _get(m, "expected_revenue") or 0.0
    if n_risk > 0:
        cands.append((rar, _t("act_at_risk_one" if n_risk == 1 else "act_at_risk_many", lang,
                              n=f"{n_risk:,.0f}", file=list_file(m, "at risk"),
                              revenue=money(rar, cur, lang), over=over)))
    lapsed, lapsed_value = _get(m, "lapsed_customers") or 0.0, _get(m, "lapsed_value") or 0.0
    if lapsed > 0:
        cands.append((0.1 * lapsed_value,
                      _t("act_lapsed_one" if lapsed == 1 else "act_lapsed_many", lang,
                         n=f"{lapsed:,.0f}", file=list_file(m, "lapsed"),
                         revenue=money(lapsed_value, cur, lang), over=over)))
    top20 = _get(m, "top20_revenue_share")
    if top20 is not None and top20 >= 0.6:
        cands.append((top20 * exp_rev * 0.1, _t("act_protect_top", lang, share=share(top20))))
    repeat = _get(m, "repeat_purchase_rate")
    if repeat is not None and repeat < 0.5:
        cands.append(((1 - repeat) * exp_rev,
                      _t("act_second_purchase", lang, share=share(1 - repeat))))
    nps, detractors = _get(m, "nps"), _get(m, "detractors") or 0.0
    if nps is not None and nps < 30 and detractors > 0:
        cands.append((detractors * (_get(m, "clv_mean") or 0.0),
                      _t("act_detractors_one" if detractors == 1 else "act_detractors_many",
                         lang, n=f"{detractors:,.0f}", nps=signed_nps(nps))))
    roi, cost = _get(m, "retention_roi"), _get(m, "campaign_cost")
    if roi is not None and cost is not None:
        key = "act_fund_campaign" if roi > 0 else "act_rework_campaign"
        cands.append((roi / 100 * cost if roi > 0 else 0.0,
                      _t(key, lang, roi=f"{roi:,.0f}", cost=money(cost, cur, lang))))
    falling = _falling_action(m, exp_rev)
    if falling:
        cands.append(falling)
    cands.sort(key=lambda c: -c[0])
    actions = [text_ for _, text_ in cands[:3]]
    return actions + _fallback_actions(m)[: 3 - len(actions)]


def _fallback_actions(m: Mapping) -> list[str]:
    """Track retention against this report's baseline; re-run; fix the rejected rows."""
    lang, crr = _lang(m), _get(m, "crr")
    base = ""
    if crr is not None:
        base = (_t("act_track_base_period", lang, crr=percent(crr, 1),
                   in_period=_in_period(m["crr_period"], lang)) if m.get("crr_period") else
                _t("act_track_base", lang, crr=percent(crr, 1)))
    unit = m.get("period_unit")
    return [_t("act_track", lang, unit=_t(f"unit.{_unit(unit)}", lang), base=base),
            _t("act_rerun", lang), _t("act_rejected_rows", lang)]


def _falling_action(m: Mapping, exp_rev: float) -> tuple[float, str] | None:
    """(priority, text) of the action on falling retention, or None."""
    lang, unit = _lang(m), m.get("period_unit") or "month"
    recent, before = _get(m, "crr_trend_recent"), _get(m, "crr_trend_before")
    window = _get(m, "crr_trend_window")
    if m.get("crr_trend_direction") == "falling" and recent is not None and before is not None:
        n, unit = (window, unit) if window is not None else (1, "year")
        return (exp_rev * max(before - recent, 0.0),
                _t("act_falling", lang, recent=percent(recent, 1), before=percent(before, 1),
                   last=_last(n, unit, lang), prior=_prior(n, unit, lang)))
    crr, prev = _get(m, "crr"), _get(m, "crr_previous")
    if m.get("crr_trend_direction") is None and crr is not None and prev is not None \
            and crr < prev - 0.02:
        return (exp_rev * (prev - crr),
                _t("act_fell", lang, previous=percent(prev, 1), crr=percent(crr, 1),
                   in_period=_in_period(m.get("crr_period"), lang)))
    return None


# --------------------------------------------------------------------------- HTML blocks
def title_html(m: Mapping) -> Html:
    """The report's title block, escaped, with the date.

    The client's name; in a segment report the segment's title ('North region')
    with the client's name in the subtitle.
    """
    lang = _lang(m)
    seg = segment_title(m.get("segment"), lang)
    client = str(m.get("client") or _t("default_client", lang))
    title = (seg[:1].upper() + seg[1:]) if seg else client  # 'app channel' -> 'App channel'
    day = _day(m.get("observation_end"), lang) if m.get("observation_end") else ""
    key = "subtitle" + ("_segment" if seg else "") + ("_date" if day else "")
    sub = _t(key, lang, client=client, date=day)
    return Html(f'<h1 class="report-title">{html.escape(title)}</h1>\n'
                f'<p class="report-subtitle">{sentence_html(sub, lang)}</p>')


def summary_html(m: Mapping) -> Html:
    """Executive summary and the three actions as escaped HTML."""
    lang = _lang(m)
    items = "".join(f"<li>{sentence_html(s, lang)}</li>" for s in recommended_actions(m))
    text_ = "\n".join("<p>" + " ".join(sentence_html(s, lang) for s in block) + "</p>"
                      for block in summary_paragraphs(m))
    return Html(f'<div class="executive-summary">{text_}\n'
                f"<p><strong>{html.escape(_t('actions_heading', lang))}</strong></p>"
                f"<ol>{items}</ol></div>")
