"""The portfolio page ``OUT/index.html``: one row per client with headline KPIs and links.

Every figure is read from the client's ``metrics.json`` and formatted as the
report formats it, so the portfolio and the report show the same number: the
retention rate (``crr``) with its trend, revenue at risk and the at-risk and
lapsed customers of :func:`retainlib.analytics.early_warning.early_warning_summary`.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from retainlib._format import money, percent, share
from retainlib._slug import slugify
from retainlib.output import folders as _outputs
from retainlib.report._html import check_offline, page
from retainlib.report.narrative import segment_title

__all__ = ["portfolio_html", "write_index"]

_HEAD = ("Client", "Report", "Customers", "Revenue", "Bought more than once", "Retention",
         "Retention trend", "Top 20% share of revenue", "Customer lifetime value",
         "Revenue at risk", "At-risk customers", "Lapsed valuable customers", "NPS",
         "Segment reports", "What went wrong")
#: the run's status of a client in words
_STATUS = {"ok": "ready", "partial": "ready, some segment reports failed", "failed": "failed"}


def _trend(m: dict) -> str:
    """The retention trend in a few words: 'falling 1.2 points a year', 'flat', ''.

    >>> _trend({"crr_trend_direction": "falling", "crr_trend_slope": -0.0123})
    'falling 1.2 points a year'
    >>> _trend({"crr_trend_direction": "flat"}), _trend({"crr_trend_direction": "n/a"})
    ('flat', '')
    """
    direction, slope = m.get("crr_trend_direction"), m.get("crr_trend_slope")
    if direction in ("falling", "rising") and slope is not None:
        return f"{direction} {abs(100 * slope):.1f} points a year"
    return "flat" if direction == "flat" else ""


def _share(m: dict, key: str) -> str:
    """A share as the executive summary writes it ('64%')."""
    return "" if m.get(key) is None else share(m[key])


def _count(m: dict, key: str) -> str:
    return "" if m.get(key) is None else f"{m[key]:,}"


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(quote(href), quote=True)}">{html.escape(text)}</a>'


def _segment_names(m: dict) -> dict[str, str]:
    """Segment file name (without .html) -> its title in words, from the client's metrics.

    >>> _segment_names({"segments": {"region": ["North"], "sales_channel": ["Online"]}})
    {'region-north': 'North region', 'sales_channel-online': 'Online sales channel'}
    """
    return {slugify(f"{column}-{value}", "segment"): segment_title((column, value))
            for column, values in (m.get("segments") or {}).items() for value in values}


def _metrics(out: Path, row: dict) -> dict:
    path = out / row.get("slug", "") / "metrics.json"
    if row.get("status") == "failed" or not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _row(out: Path, row: dict, problems: bool) -> str:
    m = _metrics(out, row)
    cur = m.get("currency")
    status = row.get("status", "")
    if status == "failed":
        client = html.escape(str(row.get("client", "")))
        if row.get("report") and (out / row["report"]).is_file():
            client += " (" + _link(row["report"], "executed notebook") + ")"
    else:
        client = _link(row["report"], str(row.get("client", "")))
    names = _segment_names(m)
    segs = ", ".join(_link(s, names.get(Path(s).stem, Path(s).stem))
                     for s in row.get("segments") or [])
    cells = [
        client, html.escape(_STATUS.get(status, status)), _count(m, "customers"),
        "" if m.get("revenue") is None else html.escape(money(m["revenue"], cur)),
        _share(m, "repeat_purchase_rate"), percent(m.get("crr"), 1), _trend(m),
        _share(m, "top20_revenue_share"),
        "" if m.get("clv_total") is None else html.escape(money(m["clv_total"], cur)),
        "" if m.get("revenue_at_risk") is None else html.escape(money(m["revenue_at_risk"], cur)),
        _count(m, "at_risk_customers"), _count(m, "lapsed_customers"),
        "" if m.get("nps") is None else f"{m['nps']:+.0f}",
        segs, html.escape(str(row.get("error") or "")),
    ]
    if not problems:  # no client had a problem: no empty column
        cells = cells[:-1]
    cls = "failed" if status == "failed" else status
    return (f'<tr class="{html.escape(cls, quote=True)}">'
            + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")


def portfolio_html(out: str | Path, rows: list[dict]) -> str:
    """The portfolio page for the clients of a batch (every client string escaped)."""
    out = Path(out)
    ok = sum(r.get("status") == "ok" for r in rows)
    problems = any(r.get("error") for r in rows)
    head = "".join(f"<th>{h}</th>" for h in (_HEAD if problems else _HEAD[:-1]))
    body = "\n".join(_row(out, r, problems) for r in rows)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    main = (
        '<h1 class="report-title">Client portfolio</h1>\n'
        f'<p class="report-subtitle">{ok} of {len(rows)} client reports rendered; details in '
        f'{_link("batch_summary.csv", "batch_summary.csv")}.</p>\n'
        '<h2 id="clients">Clients</h2>\n'
        f'<div class="table-wrap"><table class="portfolio"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{body}\n</tbody></table></div>"
    )
    return page(main, title="Client portfolio", toc='<ol><li><a href="#clients">Clients</a>'
                "</li></ol>", footer=f"Generated by retainlib on {stamp}.")


def write_index(out: str | Path, rows: list[dict]) -> Path:
    """Write ``OUT/index.html`` atomically (refused when an index.html there is not ours)."""
    text = portfolio_html(out, rows)
    check_offline(text, "index.html")
    return _outputs.write_text(Path(out) / "index.html", text)
