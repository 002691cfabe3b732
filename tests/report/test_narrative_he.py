"""The executive summary, actions and headline tiles in Hebrew, from hand-made metrics.

Amounts are CLDR he_IL (the number, a no-break space, the ₪, each led by a
right-to-left mark: RLM + '1,800,000' + NBSP + RLM + '₪'), dates dd.mm.yyyy,
counts agree with their noun (one / the dual / many), and the only Latin
letters are the accepted abbreviations and file names.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retainlib.report.layout import headline_tiles
from retainlib.report.narrative import (
    definitions,
    executive_summary,
    no_campaign,
    no_survey,
    p_alive_note,
    recommended_actions,
    retention_definition,
    retention_figures_note,
    segment_title,
    sentence_html,
    summary_html,
    summary_paragraphs,
    title_html,
    trend_sentence,
    window_span,
)

RLM, NBSP = "\u200f", "\xa0"
#: the Latin words a Hebrew summary may show: abbreviations and the files the reader opens
LATIN_ALLOWED = {"CLV", "NPS", "ROI", "customers", "csv", "at_risk", "win_back", "rejected_rows"}


def shekels(digits: str) -> str:
    """A he_IL amount in shekels, written out: RLM, the digits, NBSP, RLM, ₪."""
    return f"{RLM}{digits}{NBSP}{RLM}₪"


def _he(**over):
    """Metrics of a Hebrew monthly report (a Hebrew client name, so no Latin comes from data)."""
    m = {
        "language": "he", "client": "אקמי", "segment": None, "currency": "ILS",
        "observation_end": "2025-12-31", "customers": 1200, "revenue": 1_800_000.0,
        "first_date": "2023-01-01", "last_date": "2025-12-31", "repeat_purchase_rate": 0.35,
        "crr": 0.90, "crr_period": "2025-12", "crr_previous": 0.95,
        "crr_previous_period": "2025-11", "period_unit": "month", "crr_window": 12,
        "top20_revenue_share": 0.74, "top10_revenue_share": 0.52, "horizon_months": 12,
        "expected_purchases": 2500.0, "expected_revenue": 600_000.0, "clv_total": 250_000.0,
        "clv_mean": 208.3, "revenue_at_risk": 90_000.0, "at_risk_customers": 140,
        "nps": 12.0, "nps_low": -4.0, "nps_high": 20.0, "nps_responses": 300,
        "detractors": 80, "retention_roi": 150.0, "campaign_cost": 20_000.0,
    }
    m.update(over)
    return m


def _latin(texts) -> set[str]:
    words = set()
    for t in texts:
        words |= set(re.findall(r"[A-Za-z][A-Za-z_]*", t))
    return words - LATIN_ALLOWED


def test_the_first_sentence_gives_count_shekels_and_israeli_dates():
    s = executive_summary(_he())
    # 1,200 customers, ₪1,800,000 in he_IL, 2023-01-01 -> 01.01.2023, 2025-12-31 -> 31.12.2025
    assert s[0] == (f"אצל אקמי היו 1,200 לקוחות, שקנו בסך {shekels('1,800,000')} נטו (אחרי "
                    "החזרות) בין 01.01.2023 ל-31.12.2025.")
    assert "35% מהם קנו יותר מפעם אחת; 65% קנו פעם אחת בלבד." in s  # 1 - 0.35 = 65%


@pytest.mark.parametrize(("n", "sentence"), [
    (1, "אצל אקמי היה לקוח אחד, שקנה בסך"),  # singular noun and verb, "one" after the noun
    (2, "אצל אקמי היו 2 לקוחות, שקנו בסך"),
    (5, "אצל אקמי היו 5 לקוחות, שקנו בסך"),
])
def test_the_customer_count_agrees_with_its_verb(n, sentence):
    assert executive_summary(_he(customers=n))[0].startswith(sentence)


def test_the_trend_without_a_window_gives_the_previous_month_in_hebrew():
    # 0.90 - 0.95 = -5.0 points, against November 2025
    assert trend_sentence(_he()) == ("שיעור שימור הלקוחות היה 90.0% בדצמבר 2025. זו ירידה של "
                                     "5.0 נקודות אחוז לעומת 95.0% בנובמבר 2025.")


def test_the_falling_trend_with_record_and_slope_in_hebrew():
    # recent 94.1% - before 96.4% = -2.3 points; slope -1.2 points a year, -1.8..-0.6
    m = _he(crr=0.93, crr_record="lowest", crr_record_periods=36, crr_trend_window=12,
            crr_trend_recent=0.941, crr_trend_before=0.964, crr_trend_change=-0.023,
            crr_trend_slope=-0.012, crr_trend_slope_low=-0.018, crr_trend_slope_high=-0.006,
            crr_trend_direction="falling")
    assert trend_sentence(m) == (
        "שיעור שימור הלקוחות היה 93.0% בדצמבר 2025, השיעור הנמוך ביותר מבין 36 החודשים "
        "האחרונים; במהלך 12 החודשים האחרונים הוא עמד בממוצע על 94.1%, 2.3 נקודות אחוז מתחת "
        "לממוצע של 12 החודשים הקודמים (96.4%), והוא יורד בקצב משוער של 1.2 נקודות אחוז בשנה "
        "(בין 0.6 ל-1.8).")


def test_weeks_quarters_and_years_take_their_own_preposition():
    from retainlib._format import period_text

    week = "2025-12-21/2025-12-27"
    m = _he(crr_period=week, period_unit="week", crr_trend_direction="n/a")
    assert trend_sentence(m) == (f"שיעור שימור הלקוחות היה 90.0% במהלך "
                                 f"{period_text(week, 'he', in_sentence=True)}; עדיין אין מספיק "
                                 "שבועות עם נתונים מלאים כדי להצביע על מגמה.")
    quarter = trend_sentence(_he(crr_period="2025Q4", period_unit="quarter"))
    assert quarter.startswith(f"שיעור שימור הלקוחות היה 90.0% ב{period_text('2025Q4', 'he')}.")
    # a year is written with digits first: the preposition takes a hyphen; two years are the dual
    m = _he(crr_period="2025", period_unit="year", crr_record="highest", crr_record_periods=2,
            crr_trend_window=2, crr_trend_recent=0.9, crr_trend_before=0.88,
            crr_trend_direction="rising", crr_trend_slope=0.02)
    assert trend_sentence(m) == (
        "שיעור שימור הלקוחות היה 90.0% ב-2025, השיעור הגבוה ביותר מבין השנתיים האחרונות; "
        "במהלך השנתיים האחרונות הוא עמד בממוצע על 90.0%, 2.0 נקודות אחוז מעל הממוצע של "
        "השנתיים הקודמות (88.0%), והוא עולה בקצב משוער של 2.0 נקודות אחוז בשנה.")


@pytest.mark.parametrize(("window", "last", "prior"), [
    (1, "במהלך החודש האחרון", "של החודש הקודם"),
    (2, "במהלך החודשיים האחרונים", "של החודשיים הקודמים"),  # the dual
    (5, "במהלך 5 החודשים האחרונים", "של 5 החודשים הקודמים"),
])
def test_trend_windows_of_one_two_and_five_months(window, last, prior):
    # recent 95.0% - before 96.0% = -1.0 point: the singular "נקודת אחוז אחת"
    m = _he(crr_trend_window=window, crr_trend_recent=0.95, crr_trend_before=0.96,
            crr_trend_change=-0.01, crr_trend_direction="flat")
    s = trend_sentence(m)
    assert f"; {last} הוא עמד בממוצע על 95.0%, נקודת אחוז אחת מתחת לממוצע {prior} (96.0%)" in s
    assert "ללא מגמה ברורה" in s


@pytest.mark.parametrize(("months", "over"), [
    (1, "במהלך החודש הבא"), (2, "במהלך החודשיים הבאים"), (5, "במהלך 5 החודשים הבאים")])
def test_the_forecast_horizon_of_one_two_and_five_months(months, over):
    s = executive_summary(_he(horizon_months=months))
    forecast = next(x for x in s if "המודל צופה" in x)
    # 2,500 expected purchases worth ₪600,000
    assert forecast == (f"{over} המודל צופה שהלקוחות הנוכחיים יבצעו 2,500 רכישות בשווי "
                        f"{shekels('600,000')}.")


@pytest.mark.parametrize(("n", "start"), [
    (1, "לקוח יקר ערך אחד מראה סימני עזיבה, אך ייתכן שעדיין קונה:"),
    (2, "2 לקוחות יקרי ערך מראים סימני עזיבה, אך ייתכן שעדיין קונים:"),
    (5, "5 לקוחות יקרי ערך מראים סימני עזיבה, אך ייתכן שעדיין קונים:"),
])
def test_the_at_risk_sentence_agrees_with_the_number_of_customers(n, start):
    s = " ".join(executive_summary(_he(at_risk_customers=n)))
    assert start in s
    one = "אם יעזוב" if n == 1 else "אם יעזבו"
    assert f"{one}, יאבדו הכנסות של {shekels('90,000')} במהלך 12 החודשים הבאים." in s


@pytest.mark.parametrize(("n", "sentence"), [
    (1, "לקוח אחד שהפסיק לקנות חזר בדצמבר 2025 (410 בשנה שעד סוף דצמבר 2025)"),
    (2, "2 לקוחות שהפסיקו לקנות חזרו בדצמבר 2025 (410 בשנה שעד סוף דצמבר 2025)"),
    (5, "5 לקוחות שהפסיקו לקנות חזרו בדצמבר 2025 (410 בשנה שעד סוף דצמבר 2025)"),
    (0, "אף לקוח שהפסיק לקנות לא חזר בדצמבר 2025 (410 בשנה שעד סוף דצמבר 2025)"),
])
def test_won_back_customers_agree_with_their_verbs(n, sentence):
    s = executive_summary(_he(won_back=n, won_back_year=410))
    assert any(x.startswith(sentence) and x.endswith("אינם נכללים בו.") for x in s)


def test_the_retention_window_reads_as_a_counted_span():
    assert [window_span(_he(crr_window=n)) for n in (1, 2, 5, 12)] == \
        ["חודש", "חודשיים", "5 חודשים", "12 חודשים"]
    assert retention_definition(_he()).startswith(
        "שיעור השימור בדוח זה הוא שיעור הלקוחות שנשמרו לאורך חודש: מבין הלקוחות שקנו בטווח של 12 "
        "חודשים לפני תחילת החודש")


def test_nps_clv_and_the_abbreviations_with_their_hebrew_terms():
    text = " ".join(executive_summary(_he()))
    assert "מדד NPS עומד על +12 (רווח סמך 95%: -4 עד +20, 300 תשובות)." in text
    # ₪250,000 in total, 208.3 -> ₪208 per customer
    assert (f"ערך חיי הלקוח (CLV) שלהם לאורך אופק זה (רווח מהוון) הוא {shekels('250,000')} "
            f"בסך הכול, {shekels('208')} ללקוח בממוצע.") in text
    assert executive_summary(_he(nps=None))[-1] == no_survey("he")
    assert no_survey("he") == "לא נמסר סקר לקוחות, ולכן אין בדוח זה מדד NPS."


def test_three_hebrew_actions_ranked_by_money_at_stake():
    # the same priorities as in English: one-time buyers 390,000; at-risk 90,000; top 20% 44,400
    a = recommended_actions(_he())
    assert len(a) == 3
    assert a[0].startswith("להפוך קונים חד-פעמיים ללקוחות חוזרים: 65% קנו פעם אחת בלבד")
    assert a[1].startswith("ליצור קשר עם 140 הלקוחות שבסיכון, שמופיעים בקובץ at_risk.csv")
    assert f"יאבדו הכנסות של {shekels('90,000')} במהלך 12 החודשים הבאים" in a[1]
    assert a[2].startswith("לשמור על ה-20% המובילים מבין הלקוחות, שמביאים 74% מההכנסות")


def test_hebrew_actions_for_one_customer_are_in_the_singular():
    a = recommended_actions(_he(at_risk_customers=1, lapsed_customers=1, lapsed_value=5e6,
                                repeat_purchase_rate=0.9))
    # win-back 0.1 x 5,000,000 = 500,000 first, then at-risk 90,000
    assert a[0].startswith("לשלוח הצעה לחזרה ללקוח יקר הערך שנטש, שמופיע בקובץ win_back.csv: "
                           "הוא כנראה הפסיק לקנות, אבל אם יחזור")
    assert a[1].startswith("ליצור קשר עם הלקוח שבסיכון, שמופיע בקובץ at_risk.csv")


def test_fallback_actions_and_the_campaign_in_hebrew():
    a = recommended_actions({"language": "he", "crr": 0.8, "crr_period": "2025Q4",
                             "period_unit": "quarter", "currency": "ILS"})
    assert a[0] == ("לעקוב אחר שיעור השימור בכל רבעון מול נקודת הבסיס של דוח זה (שיעור שימור של "
                    "80.0% ברבעון 4 של 2025).")
    assert a[2] == "לעבור עם החברה על השורות שנדחו (rejected_rows.csv) כדי שיתוקנו במקור."
    a = recommended_actions({"language": "he", "retention_roi": -40.0,
                             "campaign_cost": 50_000.0, "currency": "ILS"})
    assert f"התשואה על הקמפיין (ROI) היא -40% על {shekels('50,000')}" in a[0]
    assert no_campaign("he").startswith("לא נמסרו עלויות קמפיין")


def test_a_hebrew_segment_reads_column_then_value():
    assert segment_title(("region", "צפון"), "he") == "אזור: צפון"  # the catalogue's label
    assert segment_title(("סניף", "חיפה"), "he") == "סניף: חיפה"  # the client's own column
    m = _he(segment={"column": "region", "value": "צפון"})
    assert executive_summary(m)[0].startswith('בפלח "אזור: צפון" היו 1,200 לקוחות')
    t = str(title_html(m))
    assert '<h1 class="report-title">אזור: צפון</h1>' in t
    assert f"דוח שימור לקוחות של אקמי, נכון ל-{L}31.12.2025</bdi>" in t
    actions = " ".join(recommended_actions(m))
    assert ("בקובץ customers.csv של החברה, בסינון אזור = צפון והתרעה מוקדמת = בסיכון"
            in actions)


#: how a number, date or file name without letters is isolated in a Hebrew sentence
L = '<bdi dir="ltr">'


def test_no_latin_letters_beyond_the_abbreviations():
    m = _he(won_back=3, won_back_year=40, lapsed_customers=4, lapsed_value=1e5,
            lapsed_below=0.2, bgnbd={"r": 1.0}, crr_trend_window=12, crr_trend_recent=0.9,
            crr_trend_before=0.92, crr_trend_direction="falling", crr_trend_slope=-0.01)
    texts = [*executive_summary(m), *recommended_actions(m), p_alive_note(m),
             retention_figures_note(m), *definitions("he").values(), no_campaign("he"),
             re.sub(r"<[^>]*>", " ", headline_tiles(m))]  # the tiles' words, not their tags
    assert p_alive_note(m) and _latin(texts) == set()


def test_hebrew_html_isolates_numbers_amounts_and_dates():
    page = str(summary_html(_he()))
    assert f"<bdi>{shekels('1,800,000')}</bdi>" in page
    assert f"בין {L}01.01.2023</bdi> ל-{L}31.12.2025</bdi>" in page
    assert f"(רווח סמך {L}95%</bdi>: {L}-4</bdi> עד {L}+20</bdi>" in page
    assert f"{L}at_risk.csv</bdi>" in page
    assert "<p><strong>פעולות מומלצות</strong></p>" in page
    # the same blocks as the sentences, plus the actions' heading
    assert page.count("<p>") == len(summary_paragraphs(_he())) + 1


def test_hebrew_tiles_titles_notes_and_isolated_values():
    m = _he(crr_period="2025-12", crr_trend_window=12, crr_trend_change=-0.008,
            crr_trend_direction="falling", crr_record="lowest", crr_record_periods=24,
            nps_responses=1)
    t = str(headline_tiles(m))
    found = dict(re.findall(r'<div class="tile-label">(.*?)</div><div class="tile-value">.*?'
                            r'<div class="tile-note">(.*?)</div>', t))
    assert found["לקוחות"] == f"קנו בין {L}01.01.2023</bdi> ל-{L}31.12.2025</bdi>"
    # -0.008: 0.8 points down, last 12 months against the 12 before; lowest in 24 months
    assert found["שיעור שימור הלקוחות"] == (
        f"בדצמבר {L}2025</bdi>; ירידה של {L}0.8</bdi> נקודות אחוז בממוצע של {L}12</bdi> החודשים "
        f"האחרונים לעומת {L}12</bdi> הקודמים; הנמוך ביותר מזה {L}24</bdi> חודשים")
    # 208.3 -> ₪208 per customer over the next 12 months
    assert found["ערך חיי לקוח (CLV)"] == (f"<bdi>{shekels('208')}</bdi> ללקוח במהלך {L}12</bdi> "
                                          "החודשים הבאים, רווח מהוון")
    assert found["מדד NPS"] == "תשובה אחת לסקר"
    assert f'<div class="tile-value">{L}+12</bdi></div>' in t  # the sign stays in front


def test_the_language_key_leaves_english_as_it_was():
    english = {k: v for k, v in _he(client="Acme").items() if k != "language"}
    assert executive_summary(dict(english, language="en")) == executive_summary(english)
    assert executive_summary(english)[0] == ("Acme had 1,200 customers who spent ₪1,800,000 net "
                                             "of returns between 2023-01-01 and 2025-12-31.")
    assert "<bdi" not in str(summary_html(english)) + str(headline_tiles(english))


@given(st.text(alphabet=st.sampled_from("אב 0123456789,.%+-₪\u200f\xa0()<>&'\"_csv"),
               max_size=40))
def test_isolating_numbers_only_adds_bdi_tags(sentence):
    shown = str(sentence_html(sentence, "he"))
    bare = shown.replace(L, "").replace("<bdi>", "").replace("</bdi>", "")
    assert bare == html.escape(sentence)
    assert shown.count("<bdi") == shown.count("</bdi>")
    assert "<bdi><bdi>" not in shown and f'{L}<bdi' not in shown
    assert str(sentence_html(sentence, "en")) == html.escape(sentence)


@given(st.integers(min_value=0, max_value=10_000_000))
def test_every_hebrew_customer_count_is_a_whole_hebrew_sentence(n):
    s = executive_summary(_he(customers=n))[0]
    assert s.startswith("אצל אקמי " + ("היה לקוח אחד, שקנה" if n == 1 else
                                       f"היו {n:,} לקוחות, שקנו"))
    assert _latin([s]) == set()
