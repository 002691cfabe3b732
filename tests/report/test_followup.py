"""The follow-up sections: since the last report, one section per campaign, in both languages."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from retainlib.analytics.campaigns import measure_campaign
from retainlib.report.followup import campaign_sections, since_last_section, since_last_sentence

END = pd.Timestamp("2025-02-28")
SINCE = {"observation_end": "2025-01-31", "days": 28,
         "at_risk_previous": 40, "at_risk_came_back": 5, "at_risk_still": 20,
         "at_risk_lapsed": 10, "at_risk_unflagged": 5, "newly_at_risk": 12,
         "came_back_revenue": 1234.0,
         "changes": {"customers": {"previous": 100.0, "current": 110.0, "change": 10.0},
                     "crr": {"previous": 0.8, "current": 0.75, "change": -0.05},
                     "revenue": {"previous": 5000.0, "current": 5500.0, "change": 500.0}}}


def _analysis(lang="en", since=None, campaigns=(), forecast=None):
    return SimpleNamespace(lang=lang, since_last=since, campaigns=list(campaigns),
                           observation_end=END, segment=None,
                           economics={"retention_roi": forecast},
                           config=SimpleNamespace(currency="ILS"))


def _words(h: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", h))


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "This is the first report in the history"),
    ("he", "זהו הדוח הראשון שנשמר בהיסטוריה")])
def test_without_an_earlier_run_the_section_says_so_in_one_line(lang, line):
    out = since_last_section(_analysis(lang))
    assert out.count("<p") == 1 and line in out
    assert 'id="Since-the-last-report"' in out  # the same id in every language
    assert since_last_sentence({"since_last": None, "language": lang}) == ""


def test_a_segment_report_has_no_since_the_last_report_section():
    a = _analysis(since=SINCE)
    a.segment = ("region", "North")
    assert since_last_section(a) == ""


def test_since_the_last_report_shows_the_changes_and_the_previous_list():
    out = _words(since_last_section(_analysis(since=SINCE)))
    assert "Compared with the previous report, as of 2025-01-31 (28 days earlier)." in out
    assert "Customers100110+10" in out.replace(",", "")
    assert "Customer retention rate80.0%75.0%-5.0 points" in out
    assert "Came back (bought after 2025-01-31)512%" in out  # 5 of 40 = 12.5%, shown 12%
    assert "Newly at risk (not on the previous list)12" in out
    assert "What the customers who came back (5 customers) spent since the previous report: " \
           "₪1,234." in out


def test_the_summary_sentence_in_both_languages():
    m = {"since_last": SINCE, "language": "en"}
    assert since_last_sentence(m) == (
        "Since the last report (2025-01-31), 5 of the 40 customers on the at-risk list came "
        "back to buy, and 12 customers joined the list. The customer retention rate went from "
        "80.0% to 75.0%.")
    he = since_last_sentence(m, "he")
    assert he.startswith("מאז הדוח הקודם (31.01.2025) חזרו לקנות 5 מתוך 40 לקוחות")
    assert "עבר מ-80.0% ל-75.0%" in he
    one = since_last_sentence({"since_last": {**SINCE, "at_risk_came_back": 1}}, "he")
    assert "חזר לקנות 1 מתוך" in one


def test_hebrew_numbers_keep_their_sign_on_the_left():
    out = since_last_section(_analysis("he", since=SINCE))
    assert '<bdi dir="ltr">-5.0</bdi> נקודות אחוז' in out
    assert '<bdi dir="ltr">+10</bdi>' in out
    assert "מה קרה ללקוחות ברשימת הלקוחות בסיכון הקודמת" in out


def _measured(cost=1000.0, control=True, n=400):
    rng = np.random.default_rng(0)
    ids = [f"c{i}" for i in range(n)]
    groups = pd.Series(np.where(np.arange(n) % 2 == 0, "treatment",
                                "control" if control else "treatment"), index=ids, dtype=object)
    tx = pd.DataFrame({"customer_id": ids, "date": pd.Timestamp("2025-02-10"),
                       "amount": rng.uniform(20, 100, n) + np.where(groups == "treatment",
                                                                    40.0, 0.0)})
    r = measure_campaign(tx, groups, start="2025-02-01", end="2025-02-28", cost=cost)
    return {"name": "Winter <call>", "file": "crm.csv", "load": None, **r}


def test_a_measured_campaign_says_welch_and_shows_incremental_revenue_and_both_rois():
    r = _measured()
    out = campaign_sections(_analysis(campaigns=[r], forecast=35.0))
    words = _words(out)
    assert '<h2 class="section" id="Campaign-1">Campaign: Winter &lt;call&gt;</h2>' in out
    assert "Welch's t interval" in words and "95% interval (Welch's t)" in words
    inc = r["incremental_revenue"]
    assert f"Incremental revenue from the treatment group: ₪{inc:,.0f}" in words
    assert f"Realised return on the campaign (ROI): {r['roi_pct']:,.0f}%" in words
    assert "(incremental revenue − cost) / cost × 100" in words
    assert "Forecast ROI of a retention campaign" in words and "35%" in words


def test_without_a_control_group_nothing_is_called_incremental_and_the_report_says_why():
    out = _words(campaign_sections(_analysis(campaigns=[_measured(control=False)])))
    assert "There is no control group" in out and "hold back a random control group" in out
    assert "Incremental revenue" not in out and "Realised return" not in out


@pytest.mark.parametrize(("r", "en", "he"), [
    ({"status": "empty", "rows": 3}, "has no usable row (rows read: 3)", "אין אף שורה תקינה"),
    ({"status": "unreadable", "error": "boom."},
     "could not be used: boom; fix it, or campaigns[0] in the client config (its columns: and "
     "read:).", "לא ניתן היה להשתמש בקובץ הקמפיין crm.csv: boom; תקנו את הקובץ, או את "
                "campaigns[0] בקובץ ההגדרות"),
])
def test_a_campaign_file_that_cannot_be_used_gets_one_sentence(r, en, he):
    r = {"name": "X", "file": "crm.csv", "load": None, **r}
    for lang, want in (("en", en), ("he", he)):
        out = campaign_sections(_analysis(lang, campaigns=[r]))
        assert out.count('<p class="note">') == 1 and want in _words(out)


def test_a_window_after_the_data_and_unknown_customers_get_one_sentence_each():
    tx = pd.DataFrame({"customer_id": ["a", "b"], "date": pd.Timestamp("2025-01-10"),
                       "amount": [5.0, 6.0]})
    g = pd.Series(["treatment", "control", "treatment"], index=["a", "b", "ghost"])
    late = {"name": "Y", "file": "y.csv", "load": None,
            **measure_campaign(tx, g, start="2025-03-01", observation_end=END)}
    out = _words(campaign_sections(_analysis(campaigns=[late])))
    assert "Customers of y.csv not found in the sales data, left out of the measurement: " \
           "1 customer (ghost)." in out  # the ids, to look them up in the CRM
    assert "The campaign starts on 2025-03-01, after the end of the data (2025-02-28)" in out


def test_a_hebrew_campaign_section_reads_as_hebrew():
    out = campaign_sections(_analysis("he", campaigns=[_measured()], forecast=None))
    words = _words(out)
    assert "קמפיין: Winter <call>" in words
    assert "ההכנסות הנוספות מקבוצת הטיפול" in words and "שיטת Welch" in words
    assert "קבוצת הביקורת" in words and "אין תשואה חזויה להשוואה" in words
    assert "Incremental" not in words and "points" not in words


def _tiny(cost, control=("c",)):
    # treated a, b spend 30 and 50; control c spends 10 (and d 10 when it is in the file)
    tx = pd.DataFrame({"customer_id": list("abcd"), "amount": [30.0, 50.0, 10.0, 10.0],
                       "date": pd.to_datetime(["2025-02-05"] * 4)})
    g = pd.Series(["treatment", "treatment", *["control"] * len(control)],
                  index=["a", "b", *control])
    r = measure_campaign(tx, g, start="2025-02-01", end="2025-02-28", cost=cost)
    return {"name": "Tiny", "file": "crm.csv", "load": None, **r}


@pytest.mark.parametrize(("lang", "want"), [
    ("en", "₪60, a point estimate only: Welch's t interval needs at least 2 customers in each "
           "group, and the control group has 1 customer."),
    ("he", "רווח סמך בשיטת Welch דורש לפחות 2 לקוחות בכל קבוצה, ובקבוצת הביקורת יש לקוח אחד.")])
def test_a_control_group_of_one_customer_has_no_interval_and_the_report_says_which(lang, want):
    # 2 treated x (40 - 10) = 60; one control customer has no variance, so no Welch interval
    r = _tiny(20.0)
    assert r["incremental_revenue"] == 60.0 and r["incremental_revenue_low"] is None
    words = _words(campaign_sections(_analysis(lang, campaigns=[r])))
    assert want in words


def test_a_campaign_that_cost_nothing_has_no_roi_and_says_so_rather_than_no_cost_given():
    words = _words(campaign_sections(_analysis(campaigns=[_tiny(0.0, control=("c", "d"))])))
    assert "the campaign's cost in the client config is 0" in words
    assert "cost is not given" not in words
    assert "cost is not given" in _words(campaign_sections(_analysis(
        campaigns=[_tiny(None, control=("c", "d"))])))


@pytest.mark.parametrize("lang", ["en", "he"])
def test_a_window_before_the_data_gets_one_sentence(lang):
    tx = pd.DataFrame({"customer_id": ["a", "b"], "date": pd.Timestamp("2025-01-10"),
                       "amount": [5.0, 6.0]})
    g = pd.Series(["treatment", "control"], index=["a", "b"])
    r = {"name": "Old", "file": "old.csv", "load": None,
         **measure_campaign(tx, g, start="2020-01-01", end="2020-02-01", observation_end=END)}
    a = _analysis(lang, campaigns=[r])
    a.tx = tx
    out = _words(campaign_sections(a))
    want = {"en": "The campaign window ends on 2020-02-01, before the first purchase in the data "
                  "(2025-01-10), so there is nothing to measure",
            "he": "תקופת הקמפיין מסתיימת ב-01.02.2020, לפני הרכישה הראשונה בנתונים (10.01.2025)"}
    assert want[lang] in out and "Incremental" not in out


@pytest.mark.parametrize(("lang", "want"), [
    ("en", "its data ends on 2025-02-28, before the latest report in the history (2025-03-31)"),
    ("he", "הנתונים בדוח הזה מסתיימים ב-28.02.2025, לפני הדוח האחרון בהיסטוריה (31.03.2025)")])
def test_a_run_older_than_the_whole_history_does_not_call_itself_the_first(tmp_path, lang, want):
    from retainlib.output.history import add_run
    from retainlib.report.followup import since_last

    history = tmp_path / "history.csv"
    add_run(history, {"observation_end": "2025-03-31", "customers": 5}, pd.Series(dtype=object))
    a = _analysis(lang)
    assert since_last(a, history, {"customers": 4}) is None  # no earlier run to compare with
    out = _words(since_last_section(a))
    assert want in out and "first report" not in out and "הדוח הראשון" not in out


@pytest.mark.parametrize(("lang", "want"), [
    ("en", "Rows of crm.csv rejected and left out: 8 rows (unknown group (neither treatment nor "
           "control): 7, lines 3, 4, 5, 6, 7 "
           "and 2 more; blank customer id: 1, line 11)."),
    ("he", "שורות שנדחו מהקובץ crm.csv ולא נכללו: 8 שורות (קבוצה לא מוכרת (לא טיפול ולא ביקורת): "
           "7, שורות 3, 4, 5, 6, 7 ועוד 2; חסר מספר לקוח: 1, שורה 11).")])
def test_every_rejected_row_of_a_campaign_file_is_counted_with_its_lines(tmp_path, lang, want):
    from retainlib.load.campaigns import read_campaign
    from retainlib.report.metrics import _campaign

    # line 2 kept; lines 3-9 say 'maybe' (7 rows); line 10 kept; line 11 has no customer id
    path = tmp_path / "crm.csv"
    path.write_text("customer_id,group\na,treatment\n" + "".join(
        f"x{i},maybe\n" for i in range(7)) + "b,control\n,control\n", encoding="utf-8")
    groups, report = read_campaign(path)
    tx = pd.DataFrame({"customer_id": ["a", "b"], "date": pd.Timestamp("2025-02-10"),
                       "amount": [5.0, 6.0]})
    r = {"name": "X", "file": "crm.csv", "load": report,
         **measure_campaign(tx, groups, start="2025-02-01", observation_end=END)}
    out = _words(campaign_sections(_analysis(lang, campaigns=[r])))
    assert want in out
    m = _campaign(r, _analysis(lang))
    assert (m["rows_read"], m["rows_kept"], m["rows_rejected"]) == (10, 2, 8)
    assert m["rejected_lines"] == {"unknown group": [3, 4, 5, 6, 7, 8, 9],
                                   "blank customer id": [11]}


@pytest.mark.parametrize(("lang", "want"), [
    ("en", "only this report made before, of 2025-02-28 (it replaces that report's row)"),
    ("he", "רק הפקה קודמת של הדוח הזה עצמו, נכון ל-28.02.2025")])
def test_the_same_report_made_again_does_not_call_itself_the_first(tmp_path, lang, want):
    # retain report twice into the same --out with the same observation_end: the history holds
    # the first run's row, which this run replaces; there is still nothing earlier to compare
    from retainlib.output.history import add_run
    from retainlib.report.followup import since_last

    history = tmp_path / "history.csv"
    add_run(history, {"observation_end": str(END.date()), "customers": 5},
            pd.Series(dtype=object))
    a = _analysis(lang)
    assert since_last(a, history, {"customers": 5}) is None
    out = _words(since_last_section(a))
    assert want in out and "first report" not in out and "הדוח הראשון" not in out


def test_the_first_report_says_where_the_history_is_kept_unless_the_config_names_it():
    # a consultant who writes each month into a new --out gets a new history each time: the
    # first-report line says why, and how history: keeps one
    out = _words(since_last_section(_analysis()))
    assert "history.csv of the report folder, so a report written into another --out starts " \
           "a new one" in out
    a = _analysis()
    a.config.history = "/clients/acme/history.csv"
    assert "another --out" not in _words(since_last_section(a))


def test_a_difference_that_shows_as_zero_has_no_sign():
    # both groups bought (share 1.0 - 1.0 = 0): '0.0 points', not '+0.0 points'
    words = _words(campaign_sections(_analysis(campaigns=[_tiny(20.0)])))
    assert "Bought in the campaign window100.0%100.0%0.0 points" in words
    assert "+0.0" not in words


def test_without_an_at_risk_list_this_time_only_who_came_back_is_counted(tmp_path):
    # the previous run flagged a and b; this run's models were left out (no at-risk list), so
    # 'still at risk 0, no longer flagged 2' would be invented: only a's purchase is known
    from retainlib.output.history import add_run
    from retainlib.report.followup import since_last

    history = tmp_path / "history.csv"
    add_run(history, {"observation_end": "2025-01-31", "customers": 5, "at_risk_customers": 2},
            pd.Series(["treatment", "control"], index=["a", "b"]))
    a = _analysis()
    a.tx = pd.DataFrame({"customer_id": ["a"], "date": pd.Timestamp("2025-02-10"),
                         "amount": [40.0]})
    a.at_risk = pd.DataFrame({"list": pd.Series(dtype=object)})
    s = since_last(a, history, {"customers": 6, "at_risk_customers": None})
    assert (s["at_risk_previous"], s["at_risk_came_back"], s["came_back_revenue"]) == (2, 1, 40.0)
    assert s["at_risk_still"] is s["at_risk_unflagged"] is s["newly_at_risk"] is None
    a.since_last = s
    out = _words(since_last_section(a))
    assert "This report has no at-risk list" in out
    assert "Still at risk0%" not in out and "Still at risk" in out  # the row, left blank
    assert "Came back (bought after 2025-01-31)150%" in out  # 1 of 2
