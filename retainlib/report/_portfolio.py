"""The portfolio page ``OUT/index.html``: one row per client with headline KPIs and links.

Every figure is read from the client's ``metrics.json`` and formatted as the
report formats it, so the portfolio and the report show the same number: the
retention rate (``crr``) with its trend, revenue at risk and the at-risk and
lapsed customers of :func:`retainlib.analytics.early_warning.early_warning_summary`.
The page is in the batch's language: every word from the catalogue
(``shell.portfolio_*``), ``<html lang dir>`` right to left for Hebrew.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import quote

from retainlib._format import money, percent, share
from retainlib._slug import slugify
from retainlib.i18n import text
from retainlib.output import folders as _outputs
from retainlib.report._html import bdi, check_offline, generated, page, rich
from retainlib.report.narrative import segment_title

__all__ = ["portfolio_html", "write_index"]

#: the columns (catalogue keys shell.portfolio_<column>), the last one only when a client failed
_HEAD = ("client", "report", "customers", "revenue", "repeat", "retention", "trend", "top20",
         "clv", "at_risk_revenue", "at_risk", "lapsed", "nps", "segments", "problem")
#: the run's statuses of a client, said in words (shell.portfolio_<status>)
_STATUS = ("ok", "partial", "failed")


def _trend(m: dict, lang: str = "en") -> str:
    """The retention trend in a few words: 'falling 1.2 points a year', 'flat', ''.

    >>> _trend({"crr_trend_direction": "falling", "crr_trend_slope": -0.0123})
    'falling 1.2 points a year'
    >>> _trend({"crr_trend_direction": "flat"}), _trend({"crr_trend_direction": "n/a"})
    ('flat', '')
    >>> _trend({"crr_trend_direction": "rising", "crr_trend_slope": 0.02}, "he")
    'עולה ב-<bdi>2.0</bdi> נקודות אחוז בשנה'
    """
    direction, slope = m.get("crr_trend_direction"), m.get("crr_trend_slope")
    if direction in ("falling", "rising") and slope is not None:
        points = bdi(f"{abs(100 * slope):.1f}", lang)
        return rich(f"shell.portfolio_{direction}", lang, points=points)
    return rich("shell.portfolio_flat", lang) if direction == "flat" else ""


def _value(shown: str, lang: str) -> str:
    """A figure of a cell ('' stays empty), kept in its own order in a right-to-left row."""
    return bdi(shown, lang) if shown else ""


def _share(m: dict, key: str, lang: str) -> str:
    """A share as the executive summary writes it ('64%')."""
    return "" if m.get(key) is None else _value(share(m[key]), lang)


def _count(m: dict, key: str, lang: str) -> str:
    return "" if m.get(key) is None else _value(f"{m[key]:,}", lang)


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(quote(href), quote=True)}">{html.escape(text)}</a>'


def _segment_names(m: dict, lang: str = "en") -> dict[str, str]:
    """Segment file name (without .html) -> its title in words, from the client's metrics.

    >>> _segment_names({"segments": {"region": ["North"], "sales_channel": ["Online"]}})
    {'region-north': 'North region', 'sales_channel-online': 'Online sales channel'}
    """
    return {slugify(f"{column}-{value}", "segment"): segment_title((column, value), lang)
            for column, values in (m.get("segments") or {}).items() for value in values}


def _metrics(out: Path, row: dict) -> dict:
    path = out / row.get("slug", "") / "metrics.json"
    if row.get("status") == "failed" or not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _money(m: dict, key: str, lang: str) -> str:
    return "" if m.get(key) is None else _value(money(m[key], m.get("currency"), lang), lang)


def _row(out: Path, row: dict, problems: bool, lang: str = "en") -> str:
    m = _metrics(out, row)
    status = row.get("status", "")
    if status == "failed":
        client = html.escape(str(row.get("client", "")))
        if row.get("report") and (out / row["report"]).is_file():
            client += " (" + _link(row["report"], text("shell.portfolio_notebook", lang)) + ")"
    else:
        client = _link(row["report"], str(row.get("client", "")))
    names = _segment_names(m, lang)
    segs = ", ".join(_link(s, names.get(Path(s).stem, Path(s).stem))
                     for s in row.get("segments") or [])
    said = rich(f"shell.portfolio_{status}", lang) if status in _STATUS else html.escape(status)
    cells = [
        client, said, _count(m, "customers", lang), _money(m, "revenue", lang),
        _share(m, "repeat_purchase_rate", lang), _value(percent(m.get("crr"), 1), lang),
        _trend(m, lang), _share(m, "top20_revenue_share", lang), _money(m, "clv_total", lang),
        _money(m, "revenue_at_risk", lang),
        _count(m, "at_risk_customers", lang), _count(m, "lapsed_customers", lang),
        "" if m.get("nps") is None else _value(f"{m['nps']:+.0f}", lang),
        segs, html.escape(str(row.get("error") or "")),
    ]
    if not problems:  # no client had a problem: no empty column
        cells = cells[:-1]
    cls = "failed" if status == "failed" else status
    return (f'<tr class="{html.escape(cls, quote=True)}">'
            + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")


def portfolio_html(out: str | Path, rows: list[dict], lang: str = "en") -> str:
    """The portfolio page for the clients of a batch in ``lang`` (every client string escaped)."""
    out = Path(out)
    ok = sum(r.get("status") == "ok" for r in rows)
    problems = any(r.get("error") for r in rows)
    head = "".join(f"<th>{rich(f'shell.portfolio_{h}', lang)}</th>"
                   for h in (_HEAD if problems else _HEAD[:-1]))
    body = "\n".join(_row(out, r, problems, lang) for r in rows)
    title, clients = text("shell.portfolio_title", lang), rich("shell.portfolio_clients", lang)
    rendered = rich("shell.portfolio_rendered", lang, ok=bdi(ok, lang), total=bdi(len(rows), lang),
                    summary=_link("batch_summary.csv", "batch_summary.csv"))
    main = (
        f'<h1 class="report-title">{html.escape(title)}</h1>\n'
        f'<p class="report-subtitle">{rendered}</p>\n'
        f'<h2 id="clients">{clients}</h2>\n'
        f'<div class="table-wrap"><table class="portfolio"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{body}\n</tbody></table></div>"
    )
    return page(main, title=title, toc=f'<ol><li><a href="#clients">{clients}</a></li></ol>',
                footer=generated(lang), lang=lang)


def write_index(out: str | Path, rows: list[dict], lang: str = "en") -> Path:
    """Write ``OUT/index.html`` atomically (refused when an index.html there is not ours).

    ``lang`` is the language of the page (the batch's; see ``run_batch``).
    """
    page_text = portfolio_html(out, rows, lang)
    check_offline(page_text, "index.html")
    return _outputs.write_text(Path(out) / "index.html", page_text)
