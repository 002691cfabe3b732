"""Hebrew texts of the analytics part of the report (keys start with 'analytics.').

The keys of :mod:`retainlib.i18n.en.analytics`: the sentences the analytics return to the
report, the notes of the analysis, and the Hebrew names of the canonical values (RFM
segments, CLV tiers, lists, NPS groups).
"""

from __future__ import annotations

_BACK = "(חזרה אחרי נטישה אינה נכללת בשיעור השימור)."
_PENALIZER_FIRST = "(המקדם הראשון שנוסה נקבע בקובץ ההגדרות)."

TEXT: dict[str, str] = {
    # early warning: the reason of each flagged customer
    "analytics.reason_repeat": "קונה בדרך כלל כל {gap}, לא קנה כבר {silent}; "
                               "הסיכוי שעדיין פעיל {chance}",
    "analytics.reason_once": "קנה פעם אחת, לפני {silent}; הסיכוי שעדיין פעיל {chance}",
    "analytics.one_day": "יום",
    "analytics.one_week": "שבוע",
    "analytics.one_month": "חודש",
    "analytics.one_year": "שנה",
    # the 80/20 statements
    "analytics.pareto_top_first": "ה-{share} המובילים מבין הלקוחות ({k} מתוך {n}) מביאים "
                                  "{brought} מההכנסות",
    "analytics.pareto_top_next": "ה-{share} המובילים ({customers}) מביאים {brought}",
    "analytics.pareto_top_join": "; ",
    "analytics.pareto_top_end": "{parts}.",
    "analytics.pareto_class_a": "{threshold} מההכנסות מגיעות מ-{customer_share} מהלקוחות: "
                                "{a} הלקוחות הגדולים ביותר (סיווג A) מביאים {revenue_share}.",
    "analytics.pareto_class_a_one": "{threshold} מההכנסות מגיעות מ-{customer_share} מהלקוחות: "
                                    "הלקוח הגדול ביותר (סיווג A) מביא {revenue_share}.",
    "analytics.pareto_largest": "{n} הלקוחות הגדולים ביותר מביאים {share} מההכנסות ({largest} "
                                "מתוך {total}).",
    "analytics.pareto_largest_one": "הלקוח הגדול ביותר מביא {share} מההכנסות ({largest} מתוך "
                                    "{total}).",
    "analytics.pareto_gini": "ריכוז ההכנסות (מקדם ג׳יני) הוא {gini}, בסולם שבו 0 פירושו שכל "
                             "לקוח מביא אותו סכום ו-1 פירושו שלקוח אחד מביא את כל ההכנסות.",
    "analytics.pareto_all_positive": "לכל הלקוחות הכנסות נטו חיוביות (הרכישות גבוהות "
                                     "מההחזרות).",
    "analytics.pareto_nonpositive_one_counted":
        "יש {customers} ({share}) בלי הכנסות נטו חיוביות (החזרות בגובה הרכישות או יותר, או "
        "סכומים של אפס בלבד; יחד {amount}), והוא נספר בשיעורים האלה כלקוח בלי הכנסות; "
        "שיעורי ההכנסות הם מתוך {positive} שהביאו הלקוחות עם הכנסות נטו חיוביות{total}.",
    "analytics.pareto_nonpositive_counted":
        "יש {customers} ({share}) בלי הכנסות נטו חיוביות (החזרות בגובה הרכישות או יותר, או "
        "סכומים של אפס בלבד; יחד {amount}), והם נספרים בשיעורים האלה כלקוחות בלי הכנסות; "
        "שיעורי ההכנסות הם מתוך {positive} שהביאו הלקוחות עם הכנסות נטו חיוביות{total}.",
    "analytics.pareto_nonpositive_one_left_out":
        "יש {customers} ({share}) בלי הכנסות נטו חיוביות (החזרות בגובה הרכישות או יותר, או "
        "סכומים של אפס בלבד; יחד {amount}), והוא לא נכלל בשיעורים האלה; שיעורי ההכנסות הם "
        "מתוך {positive} שהביאו הלקוחות עם הכנסות נטו חיוביות{total}.",
    "analytics.pareto_nonpositive_left_out":
        "יש {customers} ({share}) בלי הכנסות נטו חיוביות (החזרות בגובה הרכישות או יותר, או "
        "סכומים של אפס בלבד; יחד {amount}), והם לא נכללים בשיעורים האלה; שיעורי ההכנסות הם "
        "מתוך {positive} שהביאו הלקוחות עם הכנסות נטו חיוביות{total}.",
    "analytics.pareto_net_total": " (הכנסות נטו של כל הלקוחות: {amount})",
    # the retention summary sentence ({when} comes with its preposition: 'בדצמבר 2025')
    "analytics.kpi_rate": "{when} שיעור שימור הלקוחות היה {crr} (נטישה {churn})",
    "analytics.kpi_same": ", כמעט ללא שינוי לעומת {previous} ({previous_crr})",
    "analytics.kpi_up": ", עלייה של {points} נקודות אחוז לעומת {previous} ({previous_crr})",
    "analytics.kpi_down": ", ירידה של {points} נקודות אחוז לעומת {previous} ({previous_crr})",
    "analytics.kpi_average": "; הממוצע של {periods} הוא {average}",
    "analytics.kpi_average_periods_W": "{n} השבועות האחרונים",
    "analytics.kpi_average_periods_M": "{n} החודשים האחרונים",
    "analytics.kpi_average_periods_Q": "{n} הרבעונים האחרונים",
    "analytics.kpi_average_periods_Y": "{n} השנים האחרונות",
    "analytics.kpi_periods_W": "{n} השבועות",
    "analytics.kpi_periods_M": "{n} החודשים",
    "analytics.kpi_periods_Q": "{n} הרבעונים",
    "analytics.kpi_periods_Y": "{n} השנים",
    "analytics.kpi_last_periods_W": "{n} השבועות האחרונים",
    "analytics.kpi_last_periods_M": "{n} החודשים האחרונים",
    "analytics.kpi_last_periods_Q": "{n} הרבעונים האחרונים",
    "analytics.kpi_last_periods_Y": "{n} השנים האחרונות",
    "analytics.kpi_before_periods_W": "{n} השבועות שלפניהם",
    "analytics.kpi_before_periods_M": "{n} החודשים שלפניהם",
    "analytics.kpi_before_periods_Q": "{n} הרבעונים שלפניהם",
    "analytics.kpi_before_periods_Y": "{n} השנים שלפניהן",
    "analytics.kpi_trend": "; ב-{recent_periods} השימור היה בממוצע {recent}, {versus} ({fit})",
    "analytics.kpi_versus_same": "כמעט כמו ב-{periods}",
    "analytics.kpi_versus_below": "{points} נקודות אחוז פחות מאשר ב-{periods}",
    "analytics.kpi_versus_above": "{points} נקודות אחוז יותר מאשר ב-{periods}",
    "analytics.kpi_fit_flat": "אין מגמה ברורה ב-{periods} האלה: {slope} נקודות אחוז בשנה, "
                              "רווח סמך 95%: {low} עד {high}",
    "analytics.kpi_fit_falling": "ירידה של {slope} נקודות אחוז בשנה ב-{periods} האלה, "
                                 "רווח סמך 95%: {low} עד {high}",
    "analytics.kpi_fit_rising": "עלייה של {slope} נקודות אחוז בשנה ב-{periods} האלה, "
                                "רווח סמך 95%: {low} עד {high}",
    "analytics.kpi_record_lowest": ", ו-{crr} הוא השיעור הנמוך ביותר מבין {periods} שנמדדו",
    "analytics.kpi_record_highest": ", ו-{crr} הוא השיעור הגבוה ביותר מבין {periods} שנמדדו",
    "analytics.kpi_none_back": "; אף לקוח שנטש לא חזר " + _BACK,
    "analytics.kpi_one_back": "; לקוח אחד שנטש חזר " + _BACK,
    "analytics.kpi_back": "; {n} לקוחות שנטשו חזרו " + _BACK,
    "analytics.kpi_no_rate_W": "עדיין אין שיעור שימור: אין בנתונים שבוע שלם שבתחילתו היו "
                               "לקוחות, ולכן אין שבוע שבו אפשר למדוד שימור.",
    "analytics.kpi_no_rate_M": "עדיין אין שיעור שימור: אין בנתונים חודש שלם שבתחילתו היו "
                               "לקוחות, ולכן אין חודש שבו אפשר למדוד שימור.",
    "analytics.kpi_no_rate_Q": "עדיין אין שיעור שימור: אין בנתונים רבעון שלם שבתחילתו היו "
                               "לקוחות, ולכן אין רבעון שבו אפשר למדוד שימור.",
    "analytics.kpi_no_rate_Y": "עדיין אין שיעור שימור: אין בנתונים שנה שלמה שבתחילתה היו "
                               "לקוחות, ולכן אין שנה שבה אפשר למדוד שימור.",
    # notes of the analysis
    "analytics.models_left_out": "מודלי התחזית של הרכישות לא נכללו בדוח הזה (ולכן אין בו ערך "
                                 "חיי לקוח, סיכוי שלקוח עדיין פעיל או רשימת התרעה מוקדמת): "
                                 "{why}.",
    "analytics.penalizer_retried_purchase":
        "מודל הרכישות (BG/NBD) לא התכנס עם מקדם רגולריזציה {start}, ולכן הותאם מחדש עם מקדם "
        "{purchase}, שמקרב את הפרמטרים מעט לאפס " + _PENALIZER_FIRST,
    "analytics.penalizer_retried_spend":
        "מודל ההוצאה (Gamma-Gamma) לא התכנס עם מקדם רגולריזציה {start}, ולכן הותאם מחדש עם "
        "מקדם {spend}, שמקרב את הפרמטרים מעט לאפס " + _PENALIZER_FIRST,
    "analytics.penalizer_retried_both":
        "מודל הרכישות (BG/NBD) ומודל ההוצאה (Gamma-Gamma) לא התכנסו עם מקדם רגולריזציה "
        "{start}, ולכן הותאמו מחדש עם המקדמים {purchase} ו-{spend}, שמקרבים את הפרמטרים מעט "
        "לאפס " + _PENALIZER_FIRST,
    "analytics.penalizer_fitted": "שני המודלים הותאמו עם מקדם רגולריזציה {start} (לפי קובץ "
                                  "ההגדרות), שמקרב את הפרמטרים מעט לאפס.",
    "analytics.holdout_no_model": "היא דורשת את מודל התחזית של הרכישות, שלא נכלל בדוח הזה",
    "analytics.holdout_bad_end": "תאריך סוף תקופת הכיול, {calibration_end}, אינו בין הרכישה "
                                 "הראשונה ({first}) לסוף הנתונים ({end})",
    "analytics.holdout_too_little": "בנתונים עד סוף תקופת הכיול, {calibration_end}: {problem}",
    "analytics.holdout_no_converge": "מודל הרכישות שהותאם מחדש לנתונים עד {calibration_end} לא "
                                     "התכנס, גם עם מקדם רגולריזציה של עד {top}",
    "analytics.economics_no_models": "השווי של שיפור בשימור, הערך של לקוח חדש והתשואה על קמפיין "
                                     "שימור לא מוצגים: הם דורשים את מודלי התחזית של הרכישות, "
                                     "שלא נכללו בדוח הזה.",
    "analytics.scenarios_not_shown": "השווי של שיפור בשימור לא מוצג: {error}.",
    "analytics.campaign_no_targeted": "מספר הלקוחות שהקמפיין פונה אליהם לא נמסר, ולכן התשואה על "
                                      "קמפיין שימור לא מוצגת.",
    "analytics.campaign_too_many": "התשואה על קמפיין השימור לא מוצגת: הוא פונה אל {targeted} "
                                   "לקוחות, יותר מ-{known} הלקוחות שיש לעסק.",
    "analytics.campaign_none_in_segment": "{title}: אף אחד מ-{targeted} הלקוחות שקמפיין השימור "
                                          "פונה אליהם אינו בפלח הזה, ולכן התשואה עליו לא מוצגת "
                                          "כאן.",
    "analytics.new_customer_row": "לקוח חדש",
    "analytics.new_customer_row_of": "לקוח חדש, {title}",
    # names of the canonical values
    "analytics.rfm.champions": "אלופים",
    "analytics.rfm.loyal": "נאמנים",
    "analytics.rfm.potential_loyalists": "נאמנים בפוטנציה",
    "analytics.rfm.new": "חדשים",
    "analytics.rfm.promising": "מבטיחים",
    "analytics.rfm.need_attention": "דורשים תשומת לב",
    "analytics.rfm.about_to_sleep": "עומדים להירדם",
    "analytics.rfm.at_risk": "בסיכון",
    "analytics.rfm.cant_lose_them": "אסור לאבד",
    "analytics.rfm.hibernating": "רדומים",
    "analytics.rfm.lost": "אבודים",
    "analytics.tier.top": "{share} העליונים",
    "analytics.tier.next": "{share} הבאים",
    "analytics.tier.rest": "{share} הנותרים",
    "analytics.abc.A": "A",
    "analytics.abc.B": "B",
    "analytics.abc.C": "C",
    "analytics.list.at_risk": "בסיכון",
    "analytics.list.lapsed": "נטשו",
    "analytics.nps.promoter": "ממליץ",
    "analytics.nps.passive": "נייטרלי",
    "analytics.nps.detractor": "מלעיז",
    "analytics.all_customers": "כל הלקוחות",
    "analytics.all_respondents": "כל המשיבים",
    "analytics.missing": "(חסר)",
    "analytics.scenario.campaign": "קמפיין",
    "analytics.scenario.segment_part": "חלק הפלח",
    "analytics.new_customer": "לקוח חדש",
    # --- the exported files (retainlib.output.tables, #14 exports): the loader's reasons for a
    # rejected row (analytics.reason.<code>) and the sheet names of the workbooks
    "analytics.reason.too_many_fields": "יותר שדות מבשורת הכותרת",
    "analytics.reason.total_row": "שורת סיכום",
    "analytics.reason.blank_customer_id": "חסר מספר לקוח",
    "analytics.reason.blank_date": "חסר תאריך",
    "analytics.reason.unparseable_date": "תאריך לא מזוהה",
    "analytics.reason.relative_date": "תאריך יחסי (למשל 'אתמול')",
    "analytics.reason.incomplete_date": "תאריך חלקי",
    "analytics.reason.impossible_date": "תאריך שאינו קיים בלוח השנה",
    "analytics.reason.date_out_of_range": "תאריך מחוץ לטווח הסביר",
    "analytics.reason.date_in_the_future": "תאריך עתידי",
    "analytics.reason.blank_amount": "חסר סכום",
    "analytics.reason.non_numeric_amount": "הסכום אינו מספר",
    "analytics.reason.amount_out_of_range": "סכום מחוץ לטווח הסביר",
    "analytics.reason.duplicate_row": "שורה כפולה",
    "analytics.reason.blank_score": "חסר ציון",
    "analytics.reason.non_numeric_score": "הציון אינו מספר",
    "analytics.reason.non_integer_score": "הציון אינו מספר שלם",
    "analytics.reason.score_out_of_range": "ציון מחוץ לסולם 0 עד 10",
    "analytics.sheet.customers": "לקוחות",
    "analytics.sheet.at_risk": "לקוחות בסיכון",
    "analytics.sheet.win_back": "החזרת לקוחות",
    "analytics.reason.blank_group": "חסרה קבוצה",
    "analytics.reason.unknown_group": "קבוצה לא מוכרת",
    "analytics.reason.customer_in_both_groups": "לקוח בשתי הקבוצות",
    "analytics.reason.repeated_customer": "לקוח שמופיע יותר מפעם אחת",
}
