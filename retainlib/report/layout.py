"""The report's page structure: the headline tiles of page one.

Presentation only: every value comes from the report's headline metrics
(``a.metrics``, the contents of ``metrics.json``) and is formatted by
:mod:`retainlib._format`, so a tile shows the same text as the sentence and
the table the figure appears in. Every string is HTML-escaped (client names
and period labels come from the client's data). The words are the
catalogue's (``summary.tile_*`` keys and the labels of :mod:`retainlib.i18n`)
in the report's language (``m["language"]``); in a right-to-left language the
numbers of a tile are isolated in ``<bdi>`` so their signs stay in front.

Page breaks for print are not set here: the notebooks tag the markdown cell
that opens each main section ``new-page`` (nbconvert turns the tag into the
class ``celltag_new-page``, which ``templates/report.css`` breaks before).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from retainlib._format import count, money, nps, rate, share
from retainlib.i18n import count_of, text
from retainlib.report.labels import label
from retainlib.report.narrative import (  # one wording
    Html,
    _day,
    _in_period,
    _lang,
    _points,
    _unit,
    sentence_html,
)
from retainlib.report.narrative import _get as _num  # a finite number of the metrics, or None

__all__ = ["headline_tiles", "tiles"]


def _t(key: str, lang: str, /, **fields: object) -> str:
    return text(f"summary.{key}", lang, **fields)


def _tile(title: str, value: str, note: str = "", kind: str = "", lang: str = "en") -> str:
    cls = f"tile tile-{kind}" if kind else "tile"
    out = (f'<div class="{cls}"><div class="tile-label">{html.escape(title)}</div>'
           f'<div class="tile-value">{sentence_html(value, lang)}</div>')
    if note:
        out += f'<div class="tile-note">{sentence_html(note, lang)}</div>'
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
    lang = _lang(m)
    change, direction = _num(m, "crr_trend_change"), m.get("crr_trend_direction")
    window, unit = _num(m, "crr_trend_window"), _unit(m.get("period_unit") or "period")
    if change is None:  # no trend over a window: the last period against the one before
        crr, prev = _num(m, "crr"), _num(m, "crr_previous")
        if crr is None or prev is None:
            return "", ""
        change, direction, against = crr - prev, None, _t("tile_against_previous", lang)
    elif window is not None:
        against = _t(f"tile_window.{unit}", lang, n=f"{window:,.0f}")
    else:
        against = _t(f"tile_recent.{unit}", lang)
    points = abs(100 * change)
    if direction not in ("falling", "rising", "flat"):
        direction = "flat" if points < 0.5 else ("rising" if change > 0 else "falling")
    word = {"falling": "down", "rising": "up"}.get(direction)
    text_ = (_t(f"tile_{word}", lang, points=_points(change, lang), against=against) if word
             else _t("tile_no_change", lang, against=against))
    record, periods = m.get("crr_record"), _num(m, "crr_record_periods")
    if record in ("lowest", "highest"):
        text_ += (_t(f"tile_record_{record}", lang, span=count_of(round(periods), unit, lang))
                  if periods else _t(f"tile_record_{record}_ever", lang))
    return text_, direction if word else ""


def headline_tiles(m: Mapping) -> Html:
    """The headline figures of page one as tiles; a figure the report lacks has no tile.

    Parameters
    ----------
    m : mapping
        Headline metrics (``metrics.json``): ``language``, ``customers``, ``revenue``,
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
    cur, lang = m.get("currency"), _lang(m)
    out = []
    customers, revenue = _num(m, "customers"), _num(m, "revenue")
    span = (_t("tile_customers_note", lang, first=_day(m["first_date"], lang),
               last=_day(m["last_date"], lang))
            if m.get("first_date") and m.get("last_date") else "")
    if customers is not None:
        out.append(_tile(label("customers", lang), count(customers), span, lang=lang))
    if revenue is not None:
        out.append(_tile(label("revenue", lang), money(revenue, cur, lang),
                         _t("tile_revenue_note", lang), lang=lang))
    crr = _num(m, "crr")
    if crr is not None:
        trend, kind = _retention_note(m)
        period = _in_period(m["crr_period"], lang) if m.get("crr_period") else ""
        out.append(_tile(label("crr", lang), rate(crr),
                         "; ".join(t for t in (period, trend) if t), kind, lang))
    top20 = _num(m, "top20_revenue_share")
    if top20 is not None:
        out.append(_tile(_t("tile_top20", lang), share(top20), _t("tile_top20_note", lang),
                         lang=lang))
    total, mean, h = _num(m, "clv_total"), _num(m, "clv_mean"), _num(m, "horizon_months")
    if total is not None:
        key = "tile_clv_note" + ("_mean" if mean is not None else "") + \
            ("_horizon" if h is not None else "")
        note = _t(key, lang, mean=money(mean, cur, lang),
                  over=count_of(round(h), "next_month", lang) if h is not None else "")
        out.append(_tile(_t("tile_clv", lang), money(total, cur, lang), note, lang=lang))
    rar, n_risk = _num(m, "revenue_at_risk"), _num(m, "at_risk_customers")
    if rar is not None:
        who = (_t("tile_at_risk_none", lang) if not n_risk else
               _t("tile_at_risk_one", lang) if round(n_risk) == 1 else
               _t("tile_at_risk_many", lang, n=count(n_risk)))
        out.append(_tile(label("revenue_at_risk", lang), money(rar, cur, lang), who, "risk",
                         lang))
    score, answers = _num(m, "nps"), _num(m, "nps_responses")
    if score is not None:
        note = ("" if answers is None else _t("tile_nps_note_one", lang)
                if round(answers) == 1 else _t("tile_nps_note", lang, answers=count(answers)))
        out.append(_tile(_t("tile_nps", lang), nps(score), note, lang=lang))
    return Html(f'<div class="tiles">{"".join(out)}</div>') if out else Html("")


def tiles(a) -> Html:
    """The headline tiles of an Analysis (see :func:`headline_tiles`)."""
    return headline_tiles(a.metrics)
