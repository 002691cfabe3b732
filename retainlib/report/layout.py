"""The report's page structure: the headline tiles of page one.

Presentation only: every value comes from the report's headline metrics
(``a.metrics``, the contents of ``metrics.json``) and is formatted by
:mod:`retainlib._format`, so a tile shows the same text as the sentence and
the table the figure appears in. Every string is HTML-escaped (client names
and period labels come from the client's data).

Page breaks for print are not set here: the notebooks tag the markdown cell
that opens each main section ``new-page`` (nbconvert turns the tag into the
class ``celltag_new-page``, which ``templates/report.css`` breaks before).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from retainlib._format import count, money, nps, rate, share
from retainlib.report.labels import label
from retainlib.report.narrative import Html, period_label
from retainlib.report.narrative import _get as _num  # a finite number of the metrics, or None

__all__ = ["headline_tiles", "tiles"]


def _tile(title: str, value: str, note: str = "", kind: str = "") -> str:
    cls = f"tile tile-{kind}" if kind else "tile"
    out = (f'<div class="{cls}"><div class="tile-label">{html.escape(title)}</div>'
           f'<div class="tile-value">{html.escape(value)}</div>')
    if note:
        out += f'<div class="tile-note">{html.escape(note)}</div>'
    return out + "</div>"


def _retention_note(m: Mapping) -> tuple[str, str]:
    """The trend under the retention tile, and its kind ('falling', 'rising', '').

    >>> _retention_note({"crr_trend_direction": "falling", "crr_trend_change": -0.023,
    ...                  "crr_trend_window": 12, "period_unit": "month",
    ...                  "crr_record": "lowest", "crr_record_periods": 36})
    ('down 2.3 points, last 12 months against the 12 before; the lowest in 36 months', 'falling')
    >>> _retention_note({"crr_period": "2025-12", "crr_previous": 0.95, "crr": 0.96})
    ('up 1.0 point from the period before', 'rising')
    >>> _retention_note({})
    ('', '')
    """
    change, direction = _num(m, "crr_trend_change"), m.get("crr_trend_direction")
    window, unit = _num(m, "crr_trend_window"), str(m.get("period_unit") or "period")
    if change is None:  # no trend over a window: the last period against the one before
        crr, prev = _num(m, "crr"), _num(m, "crr_previous")
        if crr is None or prev is None:
            return "", ""
        change, direction, against = crr - prev, None, " from the period before"
    else:
        n = f"{window:,.0f}" if window is not None else "recent"
        against = f", last {n} {unit}s against the {n} before"
    points = abs(100 * change)
    if direction not in ("falling", "rising", "flat"):
        direction = "flat" if points < 0.5 else ("rising" if change > 0 else "falling")
    word = {"falling": "down", "rising": "up"}.get(direction)
    text = (f"{word} {points:.1f} point{'' if round(points, 1) == 1 else 's'}{against}"
            if word else f"no change{against}")
    record, periods = m.get("crr_record"), _num(m, "crr_record_periods")
    if record in ("lowest", "highest"):
        text += f"; the {record} in {periods:,.0f} {unit}s" if periods else f"; {record} on record"
    return text, direction if word else ""


def headline_tiles(m: Mapping) -> Html:
    """The headline figures of page one as tiles; a figure the report lacks has no tile.

    Parameters
    ----------
    m : mapping
        Headline metrics (``metrics.json``): ``customers``, ``revenue``,
        ``first_date``, ``last_date``, ``currency``, ``crr``, ``crr_period``
        and the trend keys (``crr_trend_change``, ``crr_trend_direction``,
        ``crr_trend_window``, ``period_unit``, ``crr_record``; else
        ``crr_previous``), ``top20_revenue_share``, ``clv_total``,
        ``clv_mean``, ``horizon_months``, ``revenue_at_risk``,
        ``at_risk_customers``, ``nps``, ``nps_responses``.

    Returns
    -------
    Html
        ``<div class="tiles">`` holding one ``<div class="tile">`` per figure:
        customers, revenue, retention and its trend, top-20% share, CLV,
        revenue at risk, NPS.

    Examples
    --------
    >>> t = headline_tiles({"customers": 20000, "revenue": 1988266.4, "currency": "ILS",
    ...                     "nps": 19.25, "nps_responses": 812})
    >>> t.count('class="tile"'), "20,000" in t, "+19" in t
    (3, True, True)
    """
    cur = m.get("currency")
    out = []
    customers, revenue = _num(m, "customers"), _num(m, "revenue")
    span = (f"bought {m['first_date']} to {m['last_date']}"
            if m.get("first_date") and m.get("last_date") else "")
    if customers is not None:
        out.append(_tile(label("customers"), count(customers), span))
    if revenue is not None:
        out.append(_tile(label("revenue"), money(revenue, cur), "net of returns"))
    crr = _num(m, "crr")
    if crr is not None:
        trend, kind = _retention_note(m)
        period = f"in {period_label(m['crr_period'])}" if m.get("crr_period") else ""
        out.append(_tile(label("crr"), rate(crr), "; ".join(t for t in (period, trend) if t),
                         kind))
    top20 = _num(m, "top20_revenue_share")
    if top20 is not None:
        out.append(_tile("Revenue from the top 20%", share(top20),
                         "of revenue comes from the best fifth of customers"))
    total, mean, h = _num(m, "clv_total"), _num(m, "clv_mean"), _num(m, "horizon_months")
    if total is not None:
        over = f" over the next {h:,.0f} months" if h is not None else ""
        each = f"{money(mean, cur)} per customer" if mean is not None else ""
        out.append(_tile("Customer lifetime value", money(total, cur),
                         f"{each}{over}, discounted margin".lstrip(", ")))
    rar, n_risk = _num(m, "revenue_at_risk"), _num(m, "at_risk_customers")
    if rar is not None:
        who = f"from {count(n_risk)} valuable customers slipping away" if n_risk else \
            "no valuable customer is slipping away"
        out.append(_tile(label("revenue_at_risk"), money(rar, cur), who, "risk"))
    score, answers = _num(m, "nps"), _num(m, "nps_responses")
    if score is not None:
        out.append(_tile("Net Promoter Score", nps(score),
                         f"{count(answers)} survey answers" if answers is not None else ""))
    return Html(f'<div class="tiles">{"".join(out)}</div>') if out else Html("")


def tiles(a) -> Html:
    """The headline tiles of an Analysis (see :func:`headline_tiles`)."""
    return headline_tiles(a.metrics)

