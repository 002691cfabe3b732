"""The headline tiles of page one: which figures, in which format, escaped, and only those known."""

from __future__ import annotations

import re

from retainlib.report.layout import headline_tiles

#: the demo's headline figures, rounded (metrics.json of `retain demo`)
DEMO = {
    "client": "demo", "currency": "ILS", "customers": 20000, "revenue": 20634558.4,
    "first_date": "2023-01-01", "last_date": "2025-12-31",
    "crr": 0.9509, "crr_period": "2025-12", "crr_previous": 0.957, "period_unit": "month",
    "crr_trend_window": 12, "crr_trend_change": -0.008, "crr_trend_direction": "falling",
    "crr_record": "lowest", "crr_record_periods": 24,
    "top20_revenue_share": 0.6412, "clv_total": 2619311.2, "clv_mean": 130.97,
    "horizon_months": 12, "revenue_at_risk": 987406.3, "at_risk_customers": 762,
    "nps": 19.25, "nps_responses": 2945,
}


def _tiles(html: str) -> list[tuple[str, str, str]]:
    """(label, value, note) of each tile."""
    found = re.findall(r'<div class="tile-label">(.*?)</div><div class="tile-value">(.*?)</div>'
                       r'(?:<div class="tile-note">(.*?)</div>)?', html)
    return [tuple(t) for t in found]


def test_the_seven_headline_figures_each_in_its_format():
    tiles = _tiles(headline_tiles(DEMO))
    assert [(label, value) for label, value, _ in tiles] == [
        ("Customers", "20,000"),  # a count: whole, never money
        ("Revenue", "₪20,634,558"),  # money in full, whole shekels
        ("Customer retention rate", "95.1%"),  # a rate: one decimal
        ("Revenue from the top 20%", "64%"),  # a share: whole percent
        ("Customer lifetime value", "₪2,619,311"),
        ("Revenue at risk", "₪987,406"),
        ("Net Promoter Score", "+19"),  # signed whole number, not 19.25
    ]
    notes = dict((label, note) for label, _, note in tiles)
    # -0.008 is 0.8 points down over the last 12 months against the 12 before
    assert notes["Customer retention rate"] == ("in December 2025; down 0.8 points, last 12 "
                                                "months against the 12 before; the lowest in "
                                                "24 months")
    assert notes["Customer lifetime value"] == ("₪131 per customer over the next 12 months, "
                                                "discounted margin")
    assert notes["Revenue at risk"] == "from 762 valuable customers slipping away"
    assert notes["Net Promoter Score"] == "2,945 survey answers"


def test_a_falling_retention_tile_is_marked_and_risk_is_marked():
    html = headline_tiles(DEMO)
    assert 'class="tile tile-falling"><div class="tile-label">Customer retention rate' in html
    assert 'class="tile tile-risk"><div class="tile-label">Revenue at risk' in html


def test_without_a_trend_window_the_tile_compares_with_the_period_before():
    m = {k: v for k, v in DEMO.items() if not k.startswith("crr_trend") and k != "crr_record"}
    notes = {label: note for label, _, note in _tiles(headline_tiles(m))}
    # 0.9509 - 0.957 = -0.0061: 0.6 points down
    assert notes["Customer retention rate"] == ("in December 2025; down 0.6 points from the "
                                                "period before")


def test_figures_the_report_lacks_have_no_tile():
    # a small client: no models (no CLV, no revenue at risk) and no survey
    small = {k: v for k, v in DEMO.items()
             if k not in ("clv_total", "clv_mean", "revenue_at_risk", "at_risk_customers",
                          "nps", "nps_responses")}
    small["nps"] = None
    assert [label for label, _, _ in _tiles(headline_tiles(small))] == [
        "Customers", "Revenue", "Customer retention rate", "Revenue from the top 20%"]
    assert headline_tiles({}) == ""
    assert headline_tiles({"customers": float("nan"), "revenue": True}) == ""


def test_client_text_is_escaped():
    html = headline_tiles({"customers": 3, "crr": 0.5, "crr_period": "<b>2025</b>"})
    assert "<b>" not in html and "&lt;b&gt;2025&lt;/b&gt;" in html
