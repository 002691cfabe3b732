"""The executive summary says what became of the previous report's at-risk list (#16)."""

from __future__ import annotations

from retainlib.report.narrative import executive_summary

# a previous report on 2025-11-30 listed 40 customers at risk; 12 of them bought since,
# and 7 customers are newly on the list; retention went from 61.2% to 63.0%
SINCE = {"observation_end": "2025-11-30", "at_risk_previous": 40, "at_risk_came_back": 12,
         "at_risk_still": 15, "at_risk_lapsed": 9, "newly_at_risk": 7,
         "changes": {"crr": {"previous": 0.612, "current": 0.630}}}
BASE = {"customers": 500, "revenue": 125_000.0, "currency": "ILS"}


def test_first_report_has_no_since_last_sentence():
    assert not any("last report" in s for s in executive_summary(BASE))


def test_summary_counts_the_previous_at_risk_list_in_english():
    text = " ".join(executive_summary({**BASE, "since_last": SINCE}))
    assert ("Since the last report (2025-11-30), 12 of the 40 customers on the at-risk list "
            "came back to buy, and 7 customers joined the list.") in text
    assert "The customer retention rate went from 61.2% to 63.0%." in text


def test_summary_counts_the_previous_at_risk_list_in_hebrew():
    text = " ".join(executive_summary({**BASE, "language": "he", "since_last": SINCE}))
    assert "מאז הדוח הקודם (30.11.2025) חזרו לקנות 12 מתוך 40 לקוחות" in text
    assert "נוספו לרשימה: 7 לקוחות" in text
    assert "מ-61.2% ל-63.0%" in text


def test_without_a_list_this_time_the_sentence_counts_only_who_came_back():
    # the models were left out this run: no at-risk list, so nothing is "newly at risk"
    since = {**SINCE, "at_risk_still": None, "at_risk_lapsed": None, "newly_at_risk": None}
    for lang in ("en", "he"):
        text = " ".join(executive_summary({**BASE, "language": lang, "since_last": since}))
        assert "12" in text and "40" in text
        assert "joined the list" not in text and "נוספו לרשימה" not in text
