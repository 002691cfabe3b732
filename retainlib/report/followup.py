"""Follow-through: what changed since the last report, and did the campaign work.

Two parts, like the rest of the report layer:

* **Computing** (called by :func:`retainlib.report.analysis.analyse` and
  :func:`retainlib.report.metrics.write_outputs`): :func:`since_last` compares
  this run with the previous one of the client's history
  (:mod:`retainlib.analytics.history`, :mod:`retainlib.output.history`),
  :func:`measure_campaigns` measures each campaign of the config, treatment
  against control, with Welch's t interval
  (:mod:`retainlib.analytics.campaigns`), and :func:`suggested_groups` draws
  the treatment / control group of each customer of the at-risk list (the
  ``group`` column of ``at_risk.csv``).
* **Showing** (called by the notebook cells): :func:`since_last_section`
  ("Since the last report"), :func:`campaign_sections` (one section per
  campaign), and :func:`since_last_sentence`, the executive summary's one
  sentence. Every word comes from the catalogue (``followup.*``), in the
  report's language; values inside sentences are wrapped in ``<bdi>``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from retainlib._format import date as fmt_date
from retainlib._format import format_value, kind_of, money
from retainlib.analytics.campaigns import assign_groups, measure_campaign
from retainlib.analytics.history import HEADLINE, list_outcomes, metric_changes, previous_run
from retainlib.errors import DataError
from retainlib.i18n import count_of, direction, text
from retainlib.load.campaigns import NoCampaignRows, read_campaign
from retainlib.output.history import read_history
from retainlib.output.tables import early_warning_list
from retainlib.report._html import rich
from retainlib.report.narrative import Html, since_last_sentence

__all__ = ["campaign_sections", "group_words", "measure_campaigns", "since_last",
           "since_last_section", "since_last_sentence", "suggested_groups"]

# ----------------------------------------------------------------------------- computing


def suggested_groups(a) -> pd.Series:
    """Treatment / control for each customer of the at-risk list (config ``at_risk``).

    Seeded (config ``at_risk.seed``) and reproducible, ``at_risk.control_share`` of
    the list in the control group (:func:`retainlib.analytics.campaigns.assign_groups`).
    """
    options = getattr(a.config, "campaign_groups", None) or {}
    rows = early_warning_list(a.at_risk, "at risk")
    ids = pd.Index([]) if rows is None else rows.index
    return assign_groups(ids, control_share=float(options.get("control_share", 0.2)),
                         seed=int(options.get("seed", 0)))


def group_words(groups: pd.Series, lang: str) -> pd.Series:
    """The groups as the report's language writes them ('treatment' / 'טיפול')."""
    return groups.map(lambda g: text(f"followup.group.{g}", lang)).astype(object)


def since_last(a, history: str | Path | None, current: Mapping) -> dict | None:
    """The run against the previous run of the history file (None: no earlier run).

    ``current`` is this run's ``metrics.json`` (:func:`retainlib.report.metrics.metrics_of`).

    Returns
    -------
    dict or None
        ``observation_end`` (the previous run's), ``days`` since it,
        ``at_risk_previous``, ``at_risk_came_back``, ``at_risk_still``,
        ``at_risk_lapsed``, ``at_risk_unflagged``, ``newly_at_risk``,
        ``came_back_revenue`` (None when the previous run kept no list; all
        but ``at_risk_previous``, ``at_risk_came_back`` and
        ``came_back_revenue`` None when this run has no at-risk list) and
        ``changes`` (metric -> previous, current, change). With no earlier run
        but a run of the same date (the report made again) or later ones (a
        run for an older month), ``a.history_latest`` is set to the latest of
        them, for the section to say so.
    """
    if history is None or a.segment is not None:
        return None
    runs, lists = read_history(history)
    prev = previous_run(runs, a.observation_end)
    if prev is None:  # the history may hold this date again, or later runs (this run older)
        ends = runs["observation_end"]
        later = ends[(ends >= a.observation_end.normalize()).to_numpy()]
        a.history_latest = later.max() if len(later) else None
        return None
    prev_end = pd.Timestamp(prev["observation_end"])
    changes = metric_changes(prev.to_dict(), current)
    out: dict = {"observation_end": prev_end.date().isoformat(),
                 "days": int((a.observation_end.normalize() - prev_end).days),
                 "changes": {k: {c: _num(v) for c, v in row.items()}
                             for k, row in changes.to_dict("index").items()}}
    kept = lists[(lists["list_date"] == prev_end).to_numpy()]
    keys = ("at_risk_previous", "at_risk_came_back", "at_risk_still", "at_risk_lapsed",
            "at_risk_unflagged", "newly_at_risk", "came_back_revenue")
    listed = prev.get("at_risk_customers")
    if not len(kept) and listed is not None and listed == listed and listed > 0:
        return {**out, **dict.fromkeys(keys)}  # the previous run's list was not kept
    r = list_outcomes(kept["customer_id"], _lines_of(a, kept["customer_id"]), a.at_risk,
                      previous_end=prev_end,
                      observation_end=a.observation_end)
    values = (r["previous"], r["came_back"], r["still_at_risk"], r["lapsed"], r["unflagged"],
              r["newly_at_risk"], r["came_back_revenue"])
    found = dict(zip(keys, values, strict=True))
    if current.get("at_risk_customers") is None:  # no list this run (models left out): who
        found.update(dict.fromkeys(("at_risk_still", "at_risk_lapsed", "at_risk_unflagged",
                                    "newly_at_risk")))  # is still flagged is not known
    return {**out, **found}


def _lines_of(a, customers) -> pd.DataFrame:
    """The analysed lines of some customers (all of ``a.tx`` for an object without lines_of)."""
    return a.lines_of(customers) if hasattr(a, "lines_of") else a.tx


def _first_date(a) -> pd.Timestamp:
    """The first day of the analysed lines."""
    return a.first_date if hasattr(a, "first_date") else a.tx["date"].min()


def _num(v) -> float | None:
    return None if v is None or not math.isfinite(float(v)) else float(v)


def measure_campaigns(a) -> list[dict]:
    """Each campaign of the config measured over its window (client reports only).

    Returns
    -------
    list of dict
        Per campaign: ``name``, ``file`` (the file's name), ``load`` (its
        :class:`retainlib.load.campaigns.CampaignReport`, None when it could
        not be read) and the keys of
        :func:`retainlib.analytics.campaigns.measure_campaign`; ``status``
        'empty' (no usable row: both groups empty) or 'unreadable' (with
        ``error``) when the file could not be used.
    """
    if a.segment is not None:
        return []
    out = []
    for c in a.config.campaigns:
        r: dict = {"name": c.name, "file": Path(c.data).name, "load": None, "cost": c.cost}
        try:
            groups, report = read_campaign(c.data, columns=c.columns, **dict(c.read or {}))
        except NoCampaignRows as exc:
            out.append({**r, "status": "empty", "rows": exc.rows})
            continue
        except DataError as exc:
            out.append({**r, "status": "unreadable", "error": str(exc)})
            continue
        # no margin: the seeds' formula on revenue itself, (incremental revenue - cost) / cost
        margin = c.margin if c.margin is not None else 1.0
        result = measure_campaign(_lines_of(a, groups.index.astype(str)), groups, start=c.start,
                                  end=c.end, observation_end=a.observation_end, cost=c.cost,
                                  margin=margin, data_start=_first_date(a))
        out.append({**r, **result, "load": report})
    return out


# ----------------------------------------------------------------------------- showing

#: a number as the report writes it, with its sign and percent ('-1.6', '1,234', '97.0%')
_NUMBER = re.compile(r"[+\-−]?[0-9][0-9,.]*%?")


def _ltr_numbers(shown: str, lang: str) -> str:
    """Escaped text whose numbers keep their sign on the left in a right-to-left page."""
    if direction(lang) != "rtl":
        return shown
    return _NUMBER.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', shown)


def _v(value: object, lang: str) -> str:
    """A value inside a sentence, escaped; in Hebrew isolated, its signed numbers left to right.

    >>> _v("-₪5", "en"), _v("-5%", "he")
    ('-₪5', '<bdi><bdi dir="ltr">-5%</bdi></bdi>')
    """
    shown = html.escape(str(value))
    return shown if direction(lang) != "rtl" else f"<bdi>{_ltr_numbers(shown, lang)}</bdi>"


def _signed_money(v: float, currency: str | None, lang: str) -> str:
    """An amount with its sign, '+' too: '+₪1,234'; in Hebrew the sign after the leading mark."""
    shown = money(v, currency, lang)
    if not v > 0:
        return shown
    return "\u200f+" + shown[1:] if shown.startswith("\u200f") else "+" + shown


def _value(v, kind: str, currency: str | None, lang: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if kind in ("rate", "share"):
        return format_value(v, "rate", lang=lang)
    return format_value(v, kind, currency=currency, lang=lang)


def _signed(v: float, spec: str) -> str:
    """``v`` with its sign, none when it shows as zero: '+1.5', '-0.2', '0.0' (not '+0.0').

    >>> _signed(0.04, "+.1f"), _signed(-0.04, "+.1f"), _signed(-1.25, "+.1f")
    ('0.0', '0.0', '-1.2')
    """
    shown = format(v, spec)
    return shown[1:] if shown[1:].strip("0.,") == "" else shown


def _points(share: float, lang: str) -> str:
    """A change of a rate in percentage points: '+1.5 points', '0.0 points'."""
    return text("followup.points", lang, value=_signed(100 * share, "+.1f"))


def _change(v, kind: str, currency: str | None, lang: str) -> str:
    """A change, signed: '+12', '+₪1,234', '+1.5 points'; '' when unknown."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if kind in ("rate", "share"):
        return _points(v, lang)
    if kind == "money":
        return _signed_money(v, currency, lang)
    return f"{v:+,.0f}" if round(v) else "0"


def _table(head: list[str], rows: list[list[str]], lang: str) -> Html:
    """A small table of already-formatted texts (first column the row names), escaped."""
    esc = html.escape
    left = ' style="text-align:left"'
    nowrap = ' style="white-space:nowrap"'
    out = ['<div class="table-wrap">']
    out.append('<table class="table"><thead><tr>'
               + "".join(f"<th{left if i == 0 else ''}>{esc(h)}</th>" for i, h in enumerate(head))
               + "</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(
            f"<th{left}>{esc(c)}</th>" if i == 0
            else f"<td{nowrap}>{_ltr_numbers(esc(c), lang)}</td>"
            for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return Html("".join(out))


def _p(key: str, lang: str, **fields: str) -> str:
    return f'<p class="note">{rich(key, lang, **fields)}</p>'


def _heading(key: str, lang: str, anchor: str, **fields: str) -> str:
    """A heading as :func:`retainlib.report.sections.heading` writes it: one id in any language."""
    return f'<h2 class="section" id="{anchor}">{html.escape(text(key, lang, **fields))}</h2>'


def _since_kind(name: str) -> str:
    return "share" if name == "top20_revenue_share" else kind_of(name)


def since_last_section(a) -> Html:
    """The section "Since the last report": the headline figures then and now, the at-risk list.

    With no earlier run it says so in one line; a segment report shows nothing
    (the history is the client's).
    """
    lang, cur, s = a.lang, a.config.currency, getattr(a, "since_last", None)
    if getattr(a, "segment", None) is not None:
        return Html("")
    out = [_heading("followup.since_heading", lang, "Since-the-last-report")]
    latest = getattr(a, "history_latest", None)
    if s is None and latest is not None:  # the history holds this date or later ones only
        same = latest.normalize() == a.observation_end.normalize()
        out.append(_p("followup.since_same" if same else "followup.since_older", lang,
                      end=_v(fmt_date(a.observation_end, lang), lang),
                      latest=_v(fmt_date(latest, lang), lang)))
        return Html("".join(out))
    if s is None:  # without history: the report folder's own, which another --out does not see
        where = "" if getattr(a.config, "history", None) is not None else \
            " " + rich("followup.since_first_folder", lang)
        out.append(f'<p class="note">{rich("followup.since_first", lang)}{where}</p>')
        return Html("".join(out))
    prev = pd.Timestamp(s["observation_end"])
    out.append(_p("followup.since_intro", lang, date=_v(fmt_date(prev, lang), lang),
                  days=_v(count_of(s["days"], "day", lang), lang)))
    rows = []
    for name in HEADLINE:
        ch = s["changes"].get(name) or {}
        if ch.get("previous") is None and ch.get("current") is None:
            continue
        kind = _since_kind(name)
        rows.append([text(f"followup.metric.{name}", lang),
                     _value(ch.get("previous"), kind, cur, lang),
                     _value(ch.get("current"), kind, cur, lang),
                     _change(ch.get("change"), kind, cur, lang)])
    out.append(_table([text("followup.col.figure", lang), text("followup.col.previous", lang,
                                                               date=fmt_date(prev, lang)),
                       text("followup.col.now", lang, date=fmt_date(a.observation_end, lang)),
                       text("followup.col.change", lang)], rows, lang))
    if s.get("at_risk_previous") is None:
        out.append(_p("followup.since_no_list", lang))
        return Html("".join(out))
    n = s["at_risk_previous"]
    out.append(f"<h3>{html.escape(text('followup.list_heading', lang))}</h3>")
    out.append(_p("followup.list_intro", lang, n=_v(count_of(n, "customer", lang), lang),
                  date=_v(fmt_date(prev, lang), lang)))
    keys = ("came_back", "still", "lapsed", "unflagged")
    figures = [s[f"at_risk_{k}"] for k in keys]
    rows = [[text(f"followup.outcome.{k}", lang, date=fmt_date(prev, lang)),
             format_value(v, "count"), format_value(v / n if n and v is not None else None,
                                                    "share")]
            for k, v in zip(keys, figures, strict=True)]
    rows.append([text("followup.outcome.newly", lang), format_value(s["newly_at_risk"], "count"),
                 ""])
    out.append(_table([text("followup.col.customers_of_list", lang),
                       text("followup.col.customers", lang), text("followup.col.share", lang)],
                      rows, lang))
    if s["newly_at_risk"] is None:  # this run has no at-risk list to compare with
        out.append(_p("followup.list_no_current", lang))
    if s["at_risk_came_back"]:
        out.append(_p("followup.came_back_revenue", lang,
                      revenue=_v(money(s["came_back_revenue"], cur, lang), lang),
                      n=_v(count_of(s["at_risk_came_back"], "customer", lang), lang)))
    return Html("".join(out))


def _campaign_table(r: Mapping, lang: str, cur: str | None) -> Html:
    g, d = r["groups"], r["differences"]
    measured = d is not None

    def show(fig, v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if fig == "bought_share":
            return format_value(v, "rate", lang=lang)
        if fig == "revenue_per_customer":
            return money(v, cur, lang)
        return format_value(v, "number", lang=lang)

    def diff(fig, v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if fig == "bought_share":
            return _points(v, lang)
        if fig == "revenue_per_customer":
            return _signed_money(v, cur, lang)
        return _signed(v, "+.2f")

    head = [text("followup.col.figure", lang), text("followup.col.treatment", lang)]
    if measured:
        head += [text("followup.col.control", lang), text("followup.col.difference", lang),
                 text("followup.col.interval", lang)]
    rows = [[text("followup.col.group_customers", lang),
             format_value(g.loc["treatment", "customers"], "count")]
            + ([format_value(g.loc["control", "customers"], "count"), "", ""] if measured else [])]
    for fig in ("bought_share", "revenue_per_customer", "orders_per_customer"):
        row = [text(f"followup.figure.{fig}", lang), show(fig, g.loc["treatment", fig])]
        if measured:
            low, high = d.loc[fig, "low"], d.loc[fig, "high"]
            row += [show(fig, g.loc["control", fig]), diff(fig, d.loc[fig, "difference"]),
                    "" if math.isnan(low) else f"{diff(fig, low)} – {diff(fig, high)}"]
        rows.append(row)
    return _table(head, rows, lang)


#: the file lines shown per reason of rejection (the rest counted: 'lines 2, 5 and 3 more')
_LINES_SHOWN = 5


def _lines(lines: list[int], lang: str) -> str:
    """'line 4', 'lines 4, 9', 'lines 4, 9, 12, 15, 20 and 3 more' (in the report's language)."""
    shown = ", ".join(f"{n:,}" for n in lines[:_LINES_SHOWN])
    if len(lines) == 1:
        return text("followup.lines_one", lang, lines=shown)
    if len(lines) <= _LINES_SHOWN:
        return text("followup.lines", lang, lines=shown)
    return text("followup.lines_more", lang, lines=shown, more=f"{len(lines) - _LINES_SHOWN:,}")


def _reasons(report, lang: str) -> str:
    """Each reason of rejection with its count and the file lines: 'unknown group: 1, line 7'."""
    rej = report.rejected
    return "; ".join(
        f"{text('followup.reason.' + k.replace(' ', '_'), lang)}: {v:,}, "
        f"{_lines(sorted(int(n) for n in rej['line'][rej['reason'] == k]), lang)}"
        for k, v in report.rejected_counts().items())


def _campaign(r: Mapping, i: int, a) -> str:
    lang, cur = a.lang, a.config.currency
    out = [_heading("followup.campaign_heading", lang, f"Campaign-{i + 1}", name=r["name"])]
    file = f'<span dir="ltr">{html.escape(r["file"])}</span>'
    status = r["status"]
    if status == "empty":
        out.append(_p("followup.campaign_empty", lang, file=file,
                      rows=_v(f"{r['rows']:,}", lang)))
        return "".join(out)
    if status == "unreadable":
        out.append(_p("followup.campaign_unreadable", lang, file=file,
                      error=f'<span dir="ltr">{html.escape(r["error"].rstrip("."))}</span>',
                      entry=f'<span dir="ltr">campaigns[{i}]</span>'))
        return "".join(out)
    start, end = fmt_date(r["start"], lang), fmt_date(r["measured_to"], lang)
    rep = r["load"]
    if rep is not None and rep.rows_rejected:
        out.append(_p("followup.campaign_rejected", lang, file=file,
                      rows=_v(count_of(rep.rows_rejected, "row", lang), lang),
                      reasons=html.escape(_reasons(rep, lang))))
    if len(r["unknown"]):
        key = "followup.campaign_unknown_all" if status == "no_known_customers" else \
            "followup.campaign_unknown"
        unknown = count_of(len(r["unknown"]), "customer", lang)
        ids = ", ".join(map(str, r["unknown"][:_LINES_SHOWN]))
        ids += ", …" if len(r["unknown"]) > _LINES_SHOWN else ""  # the first ids, to look up
        out.append(_p(key, lang, file=file, n=f'{_v(unknown, lang)} '
                      f'(<span dir="ltr">{html.escape(ids)}</span>)'))
    if status == "no_known_customers":
        return "".join(out)
    if status == "not_started":
        out.append(_p("followup.campaign_not_started", lang, start=_v(start, lang),
                      end=_v(fmt_date(a.observation_end, lang), lang)))
        return "".join(out)
    if status == "before_data":
        out.append(_p("followup.campaign_before_data", lang, end=_v(fmt_date(r["end"], lang), lang),
                      first=_v(fmt_date(_first_date(a), lang), lang)))
        return "".join(out)
    if status == "no_treatment":
        out.append(_p("followup.campaign_no_treatment", lang,
                      n=_v(count_of(r["control"], "customer", lang), lang)))
        return "".join(out)
    out.append(_p("followup.campaign_window", lang, start=_v(start, lang), end=_v(end, lang),
                  treated=_v(count_of(r["treated"], "customer", lang), lang),
                  control=_v(count_of(r["control"], "customer", lang), lang)))
    if r["partial"]:
        out.append(_p("followup.campaign_partial", lang,
                      end=_v(fmt_date(r["end"], lang), lang), measured_to=_v(end, lang)))
    out.append(str(_campaign_table(r, lang, cur)))
    if status == "no_control":
        out.append(_p("followup.campaign_no_control", lang,
                      n=_v(count_of(r["treated"], "customer", lang), lang)))
        return "".join(out)
    m = lambda v: money(v, cur, lang)  # noqa: E731
    inc = r["incremental_revenue"]
    low, high = r["incremental_revenue_low"], r["incremental_revenue_high"]
    if low is None:  # Welch's interval needs two customers in each group
        sizes = {"treatment": r["treated"], "control": r["control"]}
        small = min(sizes, key=sizes.__getitem__)
        out.append(_p("followup.incremental_no_interval", lang, value=_v(m(inc), lang),
                      group=html.escape(text(f"followup.group_name.{small}", lang)),
                      n=_v(count_of(sizes[small], "customer", lang), lang)))
    else:
        out.append(_p("followup.incremental", lang, value=_v(m(inc), lang),
                      low=_v(m(low), lang), high=_v(m(high), lang)))
        if low <= 0 <= high:
            out.append(_p("followup.incremental_unclear", lang))
    out.append(_roi(r, a, m))
    return "".join(out)


def _roi(r: Mapping, a, m) -> str:
    lang = a.lang
    forecast = (a.economics or {}).get("retention_roi")
    pct = lambda v: f"{v:,.0f}%"  # noqa: E731
    fc = (_p("followup.roi_forecast", lang, forecast=_v(pct(forecast), lang))
          if forecast is not None else _p("followup.roi_no_forecast", lang))
    if r["cost"] is None:
        return _p("followup.roi_no_cost", lang) + fc
    if not r["cost"] > 0:
        return _p("followup.roi_zero_cost", lang) + fc
    margin = float(r["margin"])
    key = "followup.roi" if margin == 1 else "followup.roi_margin"
    fields = {"roi": _v(pct(r["roi_pct"]), lang), "cost": _v(m(r["cost"]), lang),
              "margin": _v(format_value(margin, "rate"), lang)}
    if margin == 1:
        del fields["margin"]
    out = _p(key, lang, **fields)
    if r["roi_low"] is not None:
        out += _p("followup.roi_interval", lang, low=_v(pct(r["roi_low"]), lang),
                  high=_v(pct(r["roi_high"]), lang))
    return out + fc


def campaign_sections(a) -> Html:
    """One section per campaign of the config: treatment against control, incremental revenue, ROI.

    Empty when the config has no campaigns (or in a segment report).
    """
    results = getattr(a, "campaigns", None) or []
    return Html("".join(_campaign(r, i, a) for i, r in enumerate(results)))
