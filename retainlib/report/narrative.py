"""Plain-language executive summary, recommended actions and definitions, built from the numbers.

Every function takes the headline metrics of a report (the dict
:func:`retainlib.report.analysis.metrics_of` returns, the contents of
``metrics.json``) and returns plain text; :func:`summary_html` renders them
for the report with every string HTML-escaped (client names, segment values
and period labels come from the client's data).

One headline retention figure
-----------------------------
The report has one retention rate, the customer retention rate of
:mod:`retainlib.analytics.kpis` (``crr``), defined for the reader by
:func:`retention_definition`. Every other share that looks like retention is
named for what it is wherever it appears (:data:`DEFINITIONS`): "bought again
within 12 months" in the segment tables, "still active per the model" in
what more retention is worth, "share of a cohort buying in a given month" in
the cohort chart. :func:`retention_figures_note` says in one paragraph why
they differ.

Keys used (missing or null keys leave their sentence out):
``client``, ``segment`` ({column, value}), ``currency``, ``customers``,
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

import html
import math
import re
from collections.abc import Mapping

from retainlib._format import money, percent, share
from retainlib._format import nps as signed_nps
from retainlib._labels import label
from retainlib._units import PERIOD_NAMES, PERIODS_PER_YEAR

__all__ = [
    "DEFINITIONS", "NO_CAMPAIGN", "NO_SURVEY", "Html", "executive_summary", "list_file",
    "p_alive_note",
    "period_label", "recommended_actions", "retention_definition", "retention_figures_note",
    "segment_title", "summary_html", "summary_paragraphs", "title_html", "trend_sentence",
    "window_span",
]

#: What the report says when the client gave no campaign costs / no survey.
NO_CAMPAIGN = "No campaign costs were provided, so the return on a retention campaign is not shown."
NO_SURVEY = "No customer survey was provided, so there is no NPS in this report."

#: Every retention-like figure of the report, by the name it has in metrics.json and the
#: tables, with the sentence that defines it for a manager (the headline one is ``crr``).
DEFINITIONS: dict[str, str] = {
    "crr": "",  # filled below from _retention_core, the one wording
    "bought_again_12m": ("Bought in the last 12 months (customers older than a year): of the "
                         "customers whose first purchase was more than 12 months before the end "
                         "of the data, the share who bought in the last 12 months."),
    "model_retention": ("Still active per the model: of the customers the purchase model "
                        "counts as active today, the share it expects to be still active 12 "
                        "months from now."),
    "cohort_share": ("Share of a cohort buying in a given month: of the customers who first "
                     "bought in one month, the share who bought in each later month."),
    "p_alive": ("Chance still active (P(alive)): the purchase model's probability that a "
                "customer has not stopped buying."),
    "chance_still_active": ("Chance still active, average: the mean over the group's customers "
                            "of the purchase model's probability that a customer has not "
                            "stopped buying."),
    "revenue_at_risk": ("Revenue at risk: what the customers on the at-risk list (valuable "
                        "customers slipping away who may still be buying) would "
                        "bring over the forecast horizon if they stay."),
    "lapsed_value": ("Lapsed value: what the valuable customers who have probably already "
                     "stopped buying (the win-back list) would bring over the forecast horizon "
                     "if they were won back."),
    "expected_value": ("Expected value: what a customer would bring over the forecast horizon "
                       "if they stay, times the chance that they are still active."),
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


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


def _points(fraction: float) -> str:
    """A difference of two shares in percentage points: '2.3 points', '1 point'.

    >>> _points(-0.023), _points(0.01), _points(0.0004)
    ('2.3 points', '1.0 point', '0.0 points')
    """
    v = abs(100 * fraction)
    return f"{v:.1f} {'point' if round(v, 1) == 1 else 'points'}"


def period_label(label: object) -> str:
    """A period label of the KPI tables as a reader writes it.

    >>> period_label("2025-12"), period_label("2025Q4"), period_label("2025")
    ('December 2025', 'Q4 2025', '2025')
    >>> period_label("2025-12-22/2025-12-28")
    'the week of 22 December 2025'
    """
    text = "" if label is None else str(label)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return f"{_MONTHS[int(m[2]) - 1]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})Q([1-4])", text):
        return f"Q{m[2]} {m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})/.*", text):
        return f"the week of {int(m[3])} {_MONTHS[int(m[2]) - 1]} {m[1]}"
    return text


def _span(n: float | None, unit: str) -> str:
    """'12 months', 'year' for one year-period, '4 quarters'."""
    if n is None:
        return f"{unit}s"
    return unit if n == 1 else f"{n:,.0f} {unit}s"


def segment_title(segment: Mapping | tuple | None) -> str:
    """A segment report's title: the value and the column name in words ('North region').

    >>> segment_title({"column": "region", "value": "North"})
    'North region'
    >>> segment_title(("sales_channel", "Online")), segment_title(("Region", "South"))
    ('Online sales channel', 'South region')
    >>> segment_title(("VIP", "yes")), segment_title(None)
    ('yes VIP', '')
    """
    if not segment:
        return ""
    column, value = (segment["column"], segment["value"]) if isinstance(segment, Mapping) \
        else segment
    words = " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w
                     for w in str(column).replace("_", " ").split())
    return f"{value} {words}".strip()


def _retention_core(unit: str, window: float | None) -> str:
    """The retention rate in words, for a period unit and the base's window in periods."""
    if window is None:
        window = {PERIOD_NAMES[k]: n for k, n in PERIODS_PER_YEAR.items()}.get(unit, 12)
    span = _span(window, unit)
    return (f"of the customers who had bought in the {span} before the {unit} began, the share "
            f"who had still bought within the {span} up to its end (customers who come back "
            "after a longer gap are counted as won back)")


def window_span(m: Mapping) -> str:
    """The customer base's window in words ('12 months'), from ``crr_window`` and ``period_unit``.

    >>> window_span({"period_unit": "month", "crr_window": 12})
    '12 months'
    """
    unit = m.get("period_unit") or "month"
    window = _get(m, "crr_window")
    if window is None:
        window = {PERIOD_NAMES[k]: n for k, n in PERIODS_PER_YEAR.items()}.get(unit, 12)
    return _span(window, unit)


def retention_definition(m: Mapping) -> str:
    """The one sentence that defines the headline retention rate, in the report's period.

    >>> retention_definition({"period_unit": "month", "crr_window": 12})
    'Retention here is the share of customers kept through a month: of the customers who had \
bought in the 12 months before the month began, the share who had still bought within the 12 \
months up to its end (customers who come back after a longer gap are counted as won back).'
    """
    unit = m.get("period_unit") or "month"
    return (f"Retention here is the share of customers kept through a {unit}: "
            f"{_retention_core(unit, _get(m, 'crr_window'))}.")


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
    unit = m.get("period_unit") or "month"
    text = f"Retention was {percent(crr, 1)} in {period_label(m.get('crr_period'))}"
    record, n_rec = m.get("crr_record"), _get(m, "crr_record_periods")
    if record in ("lowest", "highest") and n_rec is not None and n_rec > 1:
        text += f", the {record} of the last {_span(n_rec, unit)}"
    window = _get(m, "crr_trend_window")
    recent, before = _get(m, "crr_trend_recent"), _get(m, "crr_trend_before")
    direction = m.get("crr_trend_direction")
    if direction == "n/a" or window is None or recent is None:
        if direction == "n/a":  # too few complete periods for a trend
            return text + f"; there are too few complete {unit}s yet to show a trend."
        return text + "." + _previous_clause(m, crr)  # metrics without the trend keys
    last = f"the last {_span(window, unit)}"
    text += f"; over {last} it averaged {percent(recent, 1)}"
    if before is None or direction in (None, "n/a"):
        return (text + f", and there are not yet {_span(2 * window, unit)} of data to show a "
                "trend.")
    change = _get(m, "crr_trend_change")
    change = recent - before if change is None else change
    ago = f"the {_span(window, unit)} before"
    if abs(change) < 0.0005:
        text += f", the same as {ago}"
    else:
        text += f", {_points(change)} {'below' if change < 0 else 'above'} {ago}"
    text += f" ({percent(before, 1)})"
    slope = _get(m, "crr_trend_slope")
    lo, hi = _get(m, "crr_trend_slope_low"), _get(m, "crr_trend_slope_high")
    if direction in ("falling", "rising") and slope is not None:
        text += f", and it is {direction} by about {_points(slope)} a year"
        if lo is not None and hi is not None:
            a, b = sorted((abs(100 * lo), abs(100 * hi)))
            text += f" (between {a:.1f} and {b:.1f})"
    elif direction == "flat":
        text += ", with no clear trend up or down"
        if lo is not None and hi is not None:
            text += f" (the fitted change is between {100 * lo:+.1f} and {100 * hi:+.1f} " \
                    "points a year)"
    return text + "."


def _previous_clause(m: Mapping, crr: float) -> str:
    """Without the trend keys: the change from the previous period, as a sentence ('' if none)."""
    prev = _get(m, "crr_previous")
    if prev is None:
        return ""
    change = crr - prev
    if abs(change) < 0.005:
        return f" That is about the same as {period_label(m.get('crr_previous_period'))}."
    return (f" That is {_points(change)} {'down' if change < 0 else 'up'} from "
            f"{percent(prev, 1)} in {period_label(m.get('crr_previous_period'))}.")


DEFINITIONS["crr"] = f"Retention rate of a month: {_retention_core('month', 12)}."


def _who(m: Mapping) -> str:
    if m.get("segment"):
        return f"The {segment_title(m['segment'])}"
    return str(m.get("client") or "The client")


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
        lapsed customers came back (won back: not part of the retention rate); the
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
    cur = m.get("currency")
    who, keep, value = [], [], []
    customers, revenue = _get(m, "customers"), _get(m, "revenue")
    if customers is not None and revenue is not None:
        span = ""
        if m.get("first_date") and m.get("last_date"):
            span = f" between {m['first_date']} and {m['last_date']}"
        who.append(f"{_who(m)} had {customers:,.0f} customers who spent {money(revenue, cur)} "
                   f"net of returns{span}.")
    repeat = _get(m, "repeat_purchase_rate")
    if repeat is not None:
        who.append(f"{share(repeat)} of them bought more than once; {share(1 - repeat)} bought "
                   "only once.")
    trend = trend_sentence(m)
    if trend:
        keep += [trend, retention_definition(m)]
    back = _won_back_sentence(m)
    if back:
        keep.append(back)
    top20, top10 = _get(m, "top20_revenue_share"), _get(m, "top10_revenue_share")
    if top20 is not None:
        text = f"The top 20% of customers bring {share(top20)} of revenue"
        if top10 is not None:
            text += f"; the top 10% bring {share(top10)}"
        value.append(text + ".")
    if m.get("model_note"):  # the forecast sentences below are missing: say why, once
        value.append(m["model_note"])
    h = _get(m, "horizon_months")
    over = f"the next {h:.0f} months" if h is not None else "the forecast horizon"
    purchases, exp_rev = _get(m, "expected_purchases"), _get(m, "expected_revenue")
    if h is not None and purchases is not None and exp_rev is not None:
        value.append(f"Over {over} the model expects today's customers to make "
                     f"{purchases:,.0f} purchases worth {money(exp_rev, cur)}.")
    total, mean = _get(m, "clv_total"), _get(m, "clv_mean")
    if total is not None and mean is not None:
        value.append(f"Their customer lifetime value over that horizon (discounted margin) is "
                     f"{money(total, cur)} in total, {money(mean, cur)} per customer on "
                     "average.")
    nps = _get(m, "nps")
    if nps is not None:
        text = f"The Net Promoter Score is {signed_nps(nps)}"
        lo, hi, n = _get(m, "nps_low"), _get(m, "nps_high"), _get(m, "nps_responses")
        if lo is not None and hi is not None:
            text += f" (95% interval {signed_nps(lo)} to {signed_nps(hi)}"
            text += f", {n:,.0f} answers)" if n is not None else ")"
        said = text + "."
    else:
        said = NO_SURVEY
    blocks = [who, keep, value, _early_warning_sentences(m, over), [said]]
    return [b for b in blocks if b]


def list_file(m: Mapping, which: str) -> str:
    """Where the reader finds an early-warning list: its file, or the filter of the client's file.

    In a segment report: the client's customer file and the filter that gives
    the segment's part of the list.
    ``which`` is ``'at risk'`` (``at_risk.csv``) or ``'lapsed'`` (``win_back.csv``); a
    segment report has no files of its own, and the client's list files have no segment
    column, so it points to ``customers.csv``, which has both.

    >>> list_file({}, "at risk")
    'at_risk.csv'
    >>> list_file({"segment": {"column": "region", "value": "North"}}, "lapsed")
    "the client's customers.csv, filtered on Region = North and Early warning = lapsed"
    """
    seg = m.get("segment")
    if not seg:
        return "at_risk.csv" if which == "at risk" else "win_back.csv"
    column, value = (seg["column"], seg["value"]) if isinstance(seg, Mapping) else seg
    return (f"the client's customers.csv, filtered on {label(column)} = {value} and "
            f"{label('early_warning')} = {which}")


def _may_still_buy(m: Mapping) -> str:
    """What the at-risk list's chance still active says, with its floor when the metrics give it.

    The floor is ``lapsed_below`` (below it a customer is on the win-back list).

    >>> _may_still_buy({"lapsed_below": 0.2})
    'may still be buying (chance still active at least 20%)'
    >>> _may_still_buy({})
    'may still be buying'
    """
    floor = _get(m, "lapsed_below")
    return ("may still be buying" if floor is None else
            f"may still be buying (chance still active at least {percent(floor)})")


def _early_warning_sentences(m: Mapping, over: str) -> list[str]:
    """Revenue at risk of the at-risk list, and the lapsed valuable customers (win-back list)."""
    cur, out = m.get("currency"), []
    rar, n_risk = _get(m, "revenue_at_risk"), _get(m, "at_risk_customers")
    if rar is not None and n_risk is not None:
        if n_risk:
            who = "1 valuable customer shows" if n_risk == 1 else \
                f"{n_risk:,.0f} valuable customers show"
            out.append(f"{who} signs of leaving but {_may_still_buy(m)}: "
                       f"{money(rar, cur)} of revenue over {over} is at risk if they go.")
        else:
            out.append("No valuable customer shows signs of leaving right now.")
    lapsed, value = _get(m, "lapsed_customers"), _get(m, "lapsed_value")
    if lapsed and value is not None:
        who = "1 more valuable customer has" if lapsed == 1 else \
            f"{lapsed:,.0f} more valuable customers have"
        out.append(f"{who} probably stopped buying already; won back, they would bring "
                   f"{money(value, cur)} over {over}.")
    return out


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
    period = period_label(period)
    if n == 0 and not year:
        return f"No customer who had stopped buying came back in {period}."
    who = "No customer" if n == 0 else "1 customer" if n == 1 else f"{n:,.0f} customers"
    text = f"{who} who had stopped buying came back in {period}"
    if year is not None:
        text += f" ({year:,.0f} in the year to {period})"
    return text + ("; the retention rate counts only customers who kept buying, so they are "
                   "not part of it.")


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
    repeat = _get(m, "repeat_purchase_rate")
    ones = f" ({share(1 - repeat)} of customers)" if repeat is not None else ""
    return ("The chance still active (P(alive)) is 100% for every customer who has bought only "
            f"once{ones}: the purchase model learns that a customer has stopped buying only from "
            "a long silence after repeat purchases, so a one-time buyer has shown no sign of "
            "leaving yet. For them 100% means no evidence either way, not a sure return; that is "
            "why segments of one-time buyers such as Lost, New and Promising show 100%, and no "
            "recommendation in this report relies on it.")


def retention_figures_note(m: Mapping) -> str:
    """One paragraph saying why the report's retention-like shares differ from the retention rate.

    >>> retention_figures_note({"crr": 0.96})[:58]
    'The retention rate (96.0%) is the one retention figure of '
    """
    crr = _get(m, "crr")
    head = f"The retention rate ({percent(crr, 1)})" if crr is not None else "The retention rate"
    return (f"{head} is the one retention figure of this report. Other shares measure different "
            "things and are named for what they are: in the segment tables, the share of older "
            "customers who bought in the last 12 months; in the cohort chart, the "
            "share of a cohort buying in one given month (much lower, since few customers buy "
            "every month); in what more retention is worth, the share of today's active "
            "customers the model expects to be still active in 12 months.")


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
    cur = m.get("currency")
    h = _get(m, "horizon_months")
    over = f"the next {h:.0f} months" if h is not None else "the forecast horizon"
    cands: list[tuple[float, str]] = []
    rar, n_risk = _get(m, "revenue_at_risk") or 0.0, _get(m, "at_risk_customers") or 0.0
    exp_rev = _get(m, "expected_revenue") or 0.0
    if n_risk > 0:
        who = "the at-risk customer" if n_risk == 1 else f"the {n_risk:,.0f} at-risk customers"
        cands.append((rar, f"Call {who} in {list_file(m, 'at risk')}, highest expected "
                           "value first "
                           "(expected value = value if kept \u00d7 chance still active): "
                           f"{money(rar, cur)} of revenue over {over} is at stake if they "
                           "leave, and each row says why they were flagged."))
    lapsed, lapsed_value = _get(m, "lapsed_customers") or 0.0, _get(m, "lapsed_value") or 0.0
    if lapsed > 0:
        who = "the lapsed valuable customer" if lapsed == 1 else \
            f"the {lapsed:,.0f} lapsed valuable customers"
        cands.append((0.1 * lapsed_value,
                      f"Send a win-back offer to {who} in {list_file(m, 'lapsed')}, most valuable "
                      "first: they "
                      f"have probably stopped buying, but won back they would bring "
                      f"{money(lapsed_value, cur)} over {over}."))
    top20 = _get(m, "top20_revenue_share")
    if top20 is not None and top20 >= 0.6:
        cands.append((top20 * exp_rev * 0.1,
                      f"Protect the top 20% of customers, who bring {share(top20)} of revenue: "
                      "give them named account management or a loyalty tier, and watch their "
                      "activity every month."))
    repeat = _get(m, "repeat_purchase_rate")
    if repeat is not None and repeat < 0.5:
        cands.append(((1 - repeat) * exp_rev,
                      f"Turn one-time buyers into repeat customers: {share(1 - repeat)} bought "
                      "only once, so a second-purchase offer soon after the first order is the "
                      "cheapest growth available."))
    nps, detractors = _get(m, "nps"), _get(m, "detractors") or 0.0
    if nps is not None and nps < 30 and detractors > 0:
        cands.append((detractors * (_get(m, "clv_mean") or 0.0),
                      f"Call back the {detractors:,.0f} detractors (NPS {signed_nps(nps)}), most "
                      "valuable first, to fix what went wrong before they leave."))
    roi, cost = _get(m, "retention_roi"), _get(m, "campaign_cost")
    if roi is not None and cost is not None:
        if roi > 0:
            cands.append((roi / 100 * cost,
                          f"Fund the retention campaign: at the assumed lift it returns "
                          f"{roi:,.0f}% on its cost of {money(cost, cur)}."))
        else:
            cands.append((0.0, f"Rework the planned retention campaign before funding it: at "
                               f"the assumed lift its return is {roi:,.0f}% on "
                               f"{money(cost, cur)}; target fewer, more valuable customers."))
    falling = _falling_action(m, exp_rev)
    if falling:
        cands.append(falling)
    cands.sort(key=lambda c: -c[0])
    actions = [text for _, text in cands[:3]]
    crr = _get(m, "crr")
    base = ""
    if crr is not None:
        base = f" ({percent(crr, 1)} retention"
        base += f" in {period_label(m['crr_period'])})" if m.get("crr_period") else ")"
    fallbacks = [
        f"Track the retention rate every {m.get('period_unit') or 'period'} against this "
        f"report's baseline{base}.",
        "Re-run this report with the next data export to see whether the actions worked.",
        "Go through the rejected rows (rejected_rows.csv) with the client so they are fixed at "
        "source.",
    ]
    return actions + fallbacks[: 3 - len(actions)]


def _falling_action(m: Mapping, exp_rev: float) -> tuple[float, str] | None:
    """(priority, text) of the action on falling retention, or None."""
    unit = m.get("period_unit") or "month"
    recent, before = _get(m, "crr_trend_recent"), _get(m, "crr_trend_before")
    window = _get(m, "crr_trend_window")
    if m.get("crr_trend_direction") == "falling" and recent is not None and before is not None:
        last = _span(window, unit) if window is not None else "year"
        return (exp_rev * max(before - recent, 0.0),
                f"Find out why retention is falling: it averaged {percent(recent, 1)} over the "
                f"last {last}, against {percent(before, 1)} in the {last} before; ask the "
                "customers who stopped buying what made them go.")
    crr, prev = _get(m, "crr"), _get(m, "crr_previous")
    if m.get("crr_trend_direction") is None and crr is not None and prev is not None \
            and crr < prev - 0.02:
        return (exp_rev * (prev - crr),
                f"Find out why retention fell from {percent(prev, 1)} to {percent(crr, 1)} in "
                f"{period_label(m.get('crr_period'))}: ask the customers who stopped buying.")
    return None


def title_html(m: Mapping) -> Html:
    """The report's title block, escaped, with the date.

    The client's name; in a segment report the segment's title ('North region')
    with the client's name in the subtitle.
    """
    seg = segment_title(m.get("segment"))
    client = str(m.get("client") or "Client")
    title = (seg[:1].upper() + seg[1:]) if seg else client  # 'app channel' -> 'App channel'
    sub = "Retention report"
    if seg:
        sub += f" for {client}"
    if m.get("observation_end"):
        sub += f" as of {m['observation_end']}"
    return Html(f'<h1 class="report-title">{html.escape(title)}</h1>\n'
                f'<p class="report-subtitle">{html.escape(sub)}</p>')


def summary_html(m: Mapping) -> Html:
    """Executive summary and the three actions as escaped HTML."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in recommended_actions(m))
    text = "\n".join("<p>" + " ".join(html.escape(s) for s in block) + "</p>"
                     for block in summary_paragraphs(m))
    return Html(f'<div class="executive-summary">{text}\n'
                f"<p><strong>Recommended actions</strong></p><ol>{items}</ol></div>")
