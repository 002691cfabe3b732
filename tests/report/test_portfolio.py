"""The portfolio page shows each client's headline figures as the client's report does (#13)."""

from __future__ import annotations

import html
import json
import re

from retainlib.report._portfolio import portfolio_html
from retainlib.report.narrative import executive_summary


def _page(tmp_path, metrics: dict) -> str:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return portfolio_html(tmp_path, [{"client": "Acme", "slug": "acme", "status": "ok",
                                      "report": "acme/report.html", "segments": []}])


METRICS = {"client": "Acme", "currency": "ILS", "customers": 2000, "revenue": 2_000_000.0,
           "crr": 0.93, "crr_period": "2025-12", "horizon_months": 12,
           "revenue_at_risk": 123_456.0, "at_risk_customers": 140, "lapsed_customers": 61,
           "lapsed_value": 98_000.0, "crr_trend_direction": "falling",
           "crr_trend_slope": -0.0123}


def test_revenue_at_risk_on_the_portfolio_is_the_summarys_figure(tmp_path):
    page = _page(tmp_path, METRICS)
    summary = " ".join(executive_summary(METRICS))
    # one definition, one number: the at-risk list's revenue, the same text in both
    assert "₪123,456 of revenue over the next 12 months is at risk" in summary
    assert "<td>₪123,456</td>" in page
    assert "<td>140</td>" in page and "<td>61</td>" in page


def test_portfolio_headers_are_words_and_show_the_retention_trend(tmp_path):
    page = _page(tmp_path, METRICS)
    # -0.0123 a year = 1.2 points a year
    assert "<td>falling 1.2 points a year</td>" in page
    assert "<td>93.0%</td>" in page
    for head in ("Retention", "Retention trend", "Revenue at risk", "Lapsed valuable customers",
                 "Customer lifetime value"):
        assert f"<th>{head}</th>" in page
    assert "CRR" not in page and "_" not in page.split("<tbody>")[0].split("<thead>")[1]


def test_a_client_without_a_trend_or_models_shows_empty_cells(tmp_path):
    page = _page(tmp_path, {"currency": "ILS", "customers": 30, "revenue": 3000.0,
                            "crr_trend_direction": "n/a", "revenue_at_risk": None,
                            "at_risk_customers": None, "lapsed_customers": None})
    row = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "None" not in row and "nan" not in row
    assert "<td>30</td>" in row


def test_the_status_is_in_words_and_a_problem_column_only_when_a_client_had_one(tmp_path):
    page = _page(tmp_path, METRICS)
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "<td>ready</td>" in page and "<th>Report</th>" in head
    assert "What went wrong" not in head and "Status" not in head
    failed = portfolio_html(tmp_path, [
        {"client": "Acme", "slug": "acme", "status": "ok", "report": "acme/report.html",
         "segments": []},
        {"client": "Beta", "slug": "beta", "status": "failed", "report": "",
         "error": "data file sales.csv not found"}])
    head = failed.split("<thead>")[1].split("</thead>")[0]
    assert "<th>What went wrong</th>" in head and "<td>failed</td>" in failed
    assert "<td>data file sales.csv not found</td>" in failed
    rows = failed.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:2]
    assert {r.count("<td>") for r in rows} == {head.count("<th>")}  # every row as wide as the head


def test_segment_report_links_are_named_like_their_titles(tmp_path):
    (tmp_path / "acme").mkdir()
    metrics = {**METRICS, "segments": {"region": ["North", "South"]}}
    (tmp_path / "acme" / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    page = portfolio_html(tmp_path, [{"client": "Acme", "slug": "acme", "status": "ok",
                                      "report": "acme/report.html",
                                      "segments": ["acme/segments/region-north.html",
                                                   "acme/segments/region-south.html"]}])
    assert '<a href="acme/segments/region-north.html">North region</a>' in page
    assert ">South region</a>" in page and ">region-north<" not in page


def _visible(page: str) -> str:
    """The words a reader sees: the page's body and title without markup or style (#14)."""
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_hebrew_portfolio_is_right_to_left_with_every_word_from_the_catalogue(tmp_path):
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "metrics.json").write_text(json.dumps(METRICS), encoding="utf-8")
    page = portfolio_html(tmp_path, [
        {"client": "Acme", "slug": "acme", "status": "ok", "report": "acme/report.html",
         "segments": []},
        {"client": "Beta", "slug": "beta", "status": "failed", "report": "", "error": "x"}],
        lang="he")
    assert '<html lang="he" dir="rtl">' in page
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "<th>הכנסות בסיכון</th>" in head and "<th>מה השתבש</th>" in head
    assert "<title>תיק הלקוחות</title>" in page and "תוכן עניינים" in page
    # the statuses in words; -0.0123 a year is 1.2 points a year, the number kept in its order
    assert "<td>מוכן</td>" in page and "<td>נכשל</td>" in page
    assert "<td>יורד ב-<bdi>1.2</bdi> נקודות אחוז בשנה</td>" in page
    assert "<td><bdi>140</bdi></td>" in page and "<td><bdi>93.0%</bdi></td>" in page
    # one of the two reports rendered, in a Hebrew sentence
    assert "דוחות שהופקו: <bdi>1</bdi> מתוך <bdi>2</bdi>" in page
    # Latin letters only in the clients' names, the error, the file name, UTC and abbreviations
    latin = set(re.findall(r"[A-Za-z_]+", _visible(page))) - {
        "Acme", "Beta", "x", "batch_summary", "csv", "retainlib", "UTC", "NPS"}
    assert latin == set()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", _visible(page))  # no ISO date in the footer


def test_the_english_portfolio_is_left_to_right(tmp_path):
    page = _page(tmp_path, METRICS)
    assert '<html lang="en" dir="ltr">' in page and "<title>Client portfolio</title>" in page
    assert "1 of 1 client reports rendered" in page and "<bdi>" not in page
