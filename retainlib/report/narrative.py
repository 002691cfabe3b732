"""Plain-language executive summary and recommended actions, built from the numbers.

Every function takes the headline metrics of a report (the dict
:func:`retainlib.report.analysis.metrics_of` returns, the contents of
``metrics.json``) and returns plain text; :func:`summary_html` renders them
for the report with every string HTML-escaped (client names, segment values
and period labels come from the client's data).

Keys used (missing or null keys leave their sentence out):
``client``, ``segment``, ``currency``, ``customers``, ``revenue``,
``first_date``, ``last_date``, ``repeat_purchase_rate``, ``crr``,
``churn_rate``, ``crr_period``, ``crr_previous``, ``crr_previous_period``,
``crr_average``, ``won_back`` (customers who came back in ``crr_period``
after a lapse), ``won_back_year`` (in the year up to ``crr_period``),
``top20_revenue_share``, ``top10_revenue_share``,
``class_a_customer_share``, ``horizon_months``, ``expected_purchases``,
``expected_revenue``, ``clv_total``, ``clv_mean``, ``revenue_at_risk``,
``at_risk_customers``, ``nps``, ``nps_low``, ``nps_high``, ``nps_responses``,
``detractors``, ``retention_roi``, ``campaign_cost``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

from retainlib._format import money, percent

__all__ = ["Html", "executive_summary", "recommended_actions", "summary_html", "title_html"]


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


def executive_summary(m: Mapping) -> list[str]:
    """Sentences of the executive summary, in reading order.

    Parameters
    ----------
    m : mapping
        Headline metrics (see the module docstring for the keys).

    Returns
    -------
    list of str
        Customers and revenue; repeat purchases; retention and churn of the
        last complete period with its trend; how many lapsed customers came
        back (won back: not part of the retention rate); the 80/20 statement; the
        forecast over the CLV horizon; CLV; revenue at risk (or, in their place, why
        the purchase-forecast models were left out); NPS (or that no survey was given).
    """
    cur = m.get("currency")
    out = []
    customers, revenue = _get(m, "customers"), _get(m, "revenue")
    who = m.get("client") or "The client"
    if m.get("segment"):
        seg = m["segment"]
        who = f"In the {seg['column']} = {seg['value']} segment, {who}"
    if customers is not None and revenue is not None:
        span = ""
        if m.get("first_date") and m.get("last_date"):
            span = f" between {m['first_date']} and {m['last_date']}"
        out.append(f"{who} had {customers:,.0f} customers who spent {money(revenue, cur)} "
                   f"net of returns{span}.")
    repeat = _get(m, "repeat_purchase_rate")
    if repeat is not None:
        out.append(f"{percent(repeat)} of them bought more than once; {percent(1 - repeat)} bought "
                   "only once.")
    crr, churn = _get(m, "crr"), _get(m, "churn_rate")
    if crr is not None and churn is not None:
        text = (f"In {m.get('crr_period')} the customer retention rate was {percent(crr, 1)} "
                f"(churn {percent(churn, 1)})")
        prev = _get(m, "crr_previous")
        if prev is not None:
            change = 100 * (crr - prev)
            trend = ("about the same as" if abs(change) < 0.5 else
                     f"{'up' if change > 0 else 'down'} {abs(change):.1f} points from")
            text += f", {trend} {percent(prev, 1)} in {m.get('crr_previous_period')}"
        out.append(text + ".")
    back = _won_back_sentence(m)
    if back:
        out.append(back)
    top20, top10 = _get(m, "top20_revenue_share"), _get(m, "top10_revenue_share")
    if top20 is not None:
        text = f"The top 20% of customers bring {percent(top20)} of revenue"
        if top10 is not None:
            text += f"; the top 10% bring {percent(top10)}"
        out.append(text + ".")
    if m.get("model_note"):  # the forecast sentences below are missing: say why, once
        out.append(m["model_note"])
    h = _get(m, "horizon_months")
    purchases, exp_rev = _get(m, "expected_purchases"), _get(m, "expected_revenue")
    if h is not None and purchases is not None and exp_rev is not None:
        out.append(f"Over the next {h:.0f} months the model expects today's customers to make "
                   f"{purchases:,.0f} purchases worth {money(exp_rev, cur)}.")
    total, mean = _get(m, "clv_total"), _get(m, "clv_mean")
    if total is not None and mean is not None:
        out.append(f"Their customer lifetime value over that horizon (discounted margin) is "
                   f"{money(total, cur)} in total, {money(mean, cur)} per customer on average.")
    rar, n_risk = _get(m, "revenue_at_risk"), _get(m, "at_risk_customers")
    if rar is not None and n_risk is not None:
        if n_risk:
            over = f"the next {h:.0f} months" if h is not None else "the forecast horizon"
            out.append(f"{n_risk:,.0f} valuable customers show signs of leaving; "
                       f"{money(rar, cur)} of revenue over {over} is at risk if they go.")
        else:
            out.append("No valuable customer shows signs of leaving right now.")
    nps = _get(m, "nps")
    if nps is not None:
        text = f"The Net Promoter Score is {nps:+.0f}"
        lo, hi, n = _get(m, "nps_low"), _get(m, "nps_high"), _get(m, "nps_responses")
        if lo is not None and hi is not None:
            text += f" (95% interval {lo:+.0f} to {hi:+.0f}"
            text += f", {n:,.0f} answers)" if n is not None else ")"
        out.append(text + ".")
    else:
        out.append("No customer survey was provided, so there is no NPS in this report.")
    return out


def _won_back_sentence(m: Mapping) -> str | None:
    """How many lapsed customers came back in the retention period (and its year), or None.

    >>> _won_back_sentence({"won_back": 35, "won_back_year": 410, "crr_period": "2025-12"})
    '35 customers who had stopped buying came back in 2025-12 (410 in the year to 2025-12); \
the retention rate counts only customers who kept buying, so they are not part of it.'
    """
    n, year, period = _get(m, "won_back"), _get(m, "won_back_year"), m.get("crr_period")
    if n is None or not period:
        return None
    if n == 0 and not year:
        return f"No customer who had stopped buying came back in {period}."
    who = "No customer" if n == 0 else "1 customer" if n == 1 else f"{n:,.0f} customers"
    text = f"{who} who had stopped buying came back in {period}"
    if year is not None:
        text += f" ({year:,.0f} in the year to {period})"
    return text + ("; the retention rate counts only customers who kept buying, so they are "
                   "not part of it.")


def recommended_actions(m: Mapping) -> list[str]:
    """Exactly three recommended actions, the most valuable first, each with its numbers.

    Candidate actions and when they apply (``m`` as in :func:`executive_summary`):

    1. Win back the at-risk list, when there are at-risk customers (priority:
       the revenue at risk).
    2. Protect the most valuable customers, when the top 20% bring at least
       60% of revenue (priority: their share of the expected revenue).
    3. Turn one-time buyers into repeat customers, when fewer than half buy
       again (priority: the expected revenue those customers miss, estimated
       as the share of one-time buyers times the expected revenue).
    4. Follow up detractors, when NPS < 30 and there are detractors
       (priority: detractors x mean CLV).
    5. Run the retention campaign, when its ROI is positive (priority: its
       net return), or rethink it when negative.
    6. Act on falling retention, when CRR fell by more than 2 points.

    Fallbacks (always applicable, lowest priority) fill up to three: track
    retention every period, and re-run the report with the next export.

    Returns
    -------
    list of str
        Three sentences.
    """
    cur = m.get("currency")
    cands: list[tuple[float, str]] = []
    rar, n_risk = _get(m, "revenue_at_risk") or 0.0, _get(m, "at_risk_customers") or 0.0
    exp_rev = _get(m, "expected_revenue") or 0.0
    if n_risk > 0:
        cands.append((rar, f"Call the {n_risk:,.0f} at-risk customers in at_risk.csv, highest "
                           f"value first: {money(rar, cur)} of revenue is at stake if they "
                           "leave, and each row says why they were flagged."))
    top20 = _get(m, "top20_revenue_share")
    if top20 is not None and top20 >= 0.6:
        cands.append((top20 * exp_rev * 0.1,
                      f"Protect the top 20% of customers, who bring {percent(top20)} of revenue: "
                      "give them named account management or a loyalty tier, and watch their "
                      "activity every month."))
    repeat = _get(m, "repeat_purchase_rate")
    if repeat is not None and repeat < 0.5:
        cands.append(((1 - repeat) * exp_rev,
                      f"Turn one-time buyers into repeat customers: {percent(1 - repeat)} bought "
                      "only once, so a second-purchase offer soon after the first order is the "
                      "cheapest growth available."))
    nps, detractors = _get(m, "nps"), _get(m, "detractors") or 0.0
    if nps is not None and nps < 30 and detractors > 0:
        cands.append((detractors * (_get(m, "clv_mean") or 0.0),
                      f"Call back the {detractors:,.0f} detractors (NPS {nps:+.0f}), most "
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
    crr, prev = _get(m, "crr"), _get(m, "crr_previous")
    if crr is not None and prev is not None and crr < prev - 0.02:
        cands.append((exp_rev * (prev - crr),
                      f"Find out why retention fell from {percent(prev, 1)} to "
                      f"{percent(crr, 1)} in "
                      f"{m.get('crr_period')}: ask the customers who stopped buying."))
    cands.sort(key=lambda c: -c[0])
    actions = [text for _, text in cands[:3]]
    fallbacks = [
        "Track the retention rate and churn every period against this report's baseline"
        + (f" ({percent(crr, 1)} retention)" if crr is not None else "") + ".",
        "Re-run this report with the next data export to see whether the actions worked.",
        "Review the data-quality section with the client so rejected rows are fixed at source.",
    ]
    return actions + fallbacks[: 3 - len(actions)]


def title_html(m: Mapping) -> Html:
    """The report's title block (client, segment and date), escaped."""
    title = str(m.get("client") or "Client")
    if m.get("segment"):
        title += f": {m['segment']['column']} = {m['segment']['value']}"
    sub = f"Retention report as of {m.get('observation_end')}" if m.get("observation_end") \
        else "Retention report"
    return Html(f'<h1 class="report-title">{html.escape(title)}</h1>\n'
                f'<p class="report-subtitle">{html.escape(sub)}</p>')


def summary_html(m: Mapping) -> Html:
    """Executive summary and the three actions as escaped HTML."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in recommended_actions(m))
    text = " ".join(html.escape(s) for s in executive_summary(m))
    return Html(f'<div class="executive-summary"><p>{text}</p>\n'
                f"<p><strong>Recommended actions</strong></p><ol>{items}</ol></div>")
