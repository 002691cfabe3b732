"""Hebrew texts of the sections part of the report (keys start with 'sections.').

The display blocks (:mod:`retainlib.report.display`), written as an Israeli
analyst writes a management report. Every field is a value already in its
format; the display isolates it in a ``<bdi>`` so numbers, amounts, dates
and file names keep their order inside right-to-left sentences.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    # any table shortened to its first rows
    "sections.first_rows": "{shown} השורות הראשונות מתוך {total}",
    "sections.caption_rows": "{caption} ({rows})",
    "sections.caption_rows_in_bracket": "{caption}; {rows})",
    # headings of the tables by one segment column
    "sections.by": "לפי {name}",
    "sections.nps_by": "מדד NPS לפי {name}",
    # data quality
    "sections.dq_file": "קובץ {source}",
    "sections.dq_rejected_caption": "שורות שנדחו (כולן בקובץ {file})",
    "sections.dq_rows_read": "שורות שנקראו",
    "sections.dq_rows_kept": "שורות שנקלטו",
    "sections.dq_rows_rejected": "שורות שנדחו",
    "sections.dq_rejected_reason": "  נדחו: {reason}",
    "sections.dq_duplicates_dropped": "שורות כפולות (הוסרו)",
    "sections.dq_duplicates_kept": "שורות כפולות (נקלטו)",
    "sections.dq_returns": "שורות החזרה (סכום שלילי, נקלטו)",
    "sections.dq_after_end": "שורות שנקלטו ותאריכן אחרי {date} (לא נותחו)",
    # cohorts and the retention table
    "sections.cohort_heatmap_title": "שיעור הלקוחות בכל קוהורט שרכשו שוב, לפי תקופה",
    "sections.kpi_caption": (
        "{crr} = ({start} \u2212 {lost}) / {start}. {start}: הלקוחות שרכשו בטווח של {span} לפני "
        "תחילת {unit}; {lost}: אלה מהם שלא רכשו דבר בטווח של {span} שמסתיים בסוף {unit}. "
        "לקוחות שחזרו ולקוחות חדשים מצטרפים לבסיס במהלך התקופה, אבל אינם נכללים בשיעור."),
    "sections.unit_week": "השבוע",
    "sections.unit_month": "החודש",
    "sections.unit_quarter": "הרבעון",
    "sections.unit_year": "השנה",
    # the CLV section
    "sections.model_intro": (
        "מודל BG/NBD חוזה לכל לקוח כמה רכישות יבצע בעתיד ומה ההסתברות שהוא עדיין פעיל; מודל "
        "Gamma-Gamma חוזה כמה הוא מוציא ברכישה. המכפלה שלהם, מהוונת, היא ערך חיי הלקוח (CLV) "
        "לאורך אופק התחזית."),
    "sections.model_parameters_heading": "פרמטרי המודלים ואיכות ההתאמה",
    "sections.holdout_heading": "בדיקה מול תקופת המבחן",
    "sections.holdout_intro": (
        "האם המודל צופה נכון את מה שהלקוחות עשו בפועל? המודל מותאם מחדש על החלק המוקדם של "
        "הנתונים, והתחזית שלו לחלק המאוחר מושווית לרכישות שבוצעו בפועל."),
    "sections.p_alive_heading": "מי עדיין פעיל",
    "sections.p_alive_intro": (
        "הסיכוי שלקוח עדיין פעיל, לפי מספר הרכישות החוזרות שלו ולפי כמה זמן עבר מהרכישה "
        "האחרונה."),
    "sections.clv_heading": "תחזית ערך חיי לקוח (CLV)",
    "sections.bgnbd_parameters": "BG/NBD (רכישות ונטישה)",
    "sections.parameter_alpha": "α",  # the BG/NBD parameter named by a Greek letter
    "sections.gamma_gamma_parameters": "Gamma-Gamma (סכום לרכישה)",
    "sections.holdout_not_run": "לא ניתן היה לבצע את הבדיקה מול תקופת המבחן: {why}",
    "sections.holdout_result": (
        "לאחר התאמה מחדש על הנתונים עד סוף תקופת הכיול, המודל צפה {predicted} רכישות חוזרות "
        "בתקופת המבחן, לעומת {actual} בפועל ({error}); ברמת הלקוח, השגיאה המוחלטת הממוצעת היא "
        "{mae} רכישות והמתאם הוא {correlation}."),
    "sections.no_tracking": "אין תרשים מעקב: הבדיקה מול תקופת המבחן לא בוצעה.",
    "sections.clv_forecast_heading": "סיכום התחזית",
    "sections.clv_tiers_heading": "דרגות ערך חיי לקוח",
    # the early-warning lists
    "sections.no_list": (
        "אין רשימת התרעה מוקדמת: הרשימה מדורגת לפי מודלי חיזוי הרכישות, שאינם כלולים בדוח "
        "הזה (ראו ערך חיי לקוח)."),
    "sections.no_win_back_list": (
        "הרשימה להחזרת לקוחות שנטשו דורשת את הגרסה החדשה של ניתוח ההתרעה המוקדמת; בדוח הזה כל "
        "לקוח שסומן מוצג כלקוח בסיכון."),
    "sections.at_risk_caption": (
        "לקוחות בסיכון, לפי הערך הצפוי מהגבוה לנמוך (כולם ב{file})"),
    "sections.at_risk_empty": "כרגע אין לקוחות יקרי ערך בסיכון.",
    "sections.win_back_caption": (
        "לקוחות יקרי ערך שנטשו, לפי הערך אם יחזרו מהגבוה לנמוך (כולם ב{file})"),
    "sections.win_back_empty": "אין לקוחות יקרי ערך שנטשו.",
    # NPS
    "sections.nps_heading": "מדד NPS",
    "sections.nps_range": "{low} עד {high}",
    "sections.nps_behaviour_heading": "מה הלקוחות רכשו אחרי הסקר",
    "sections.detractors_heading": "מלעיזים שכדאי לחזור אליהם",
    # economics
    "sections.yearly_heading": "הכנסות ללקוח בשנה",
    "sections.new_customer": "לקוח חדש",
    "sections.new_customer_client_wide": "לקוח חדש (לפי המודל של כלל הלקוחות)",
    "sections.clv_cac_heading": "ערך חיי לקוח חדש מול עלות גיוס לקוח (CAC)",
    "sections.campaign_heading": "התשואה על קמפיין שימור",
    "sections.campaign_value_per_customer": "{label}, ב-{horizon} החודשים הבאים",
    "sections.scenarios_heading": "כמה שווה שימור גבוה יותר (לפי המודל)",
    "sections.scenario_today": "כמו היום",
    "sections.scenario_lift": "שימור גבוה ב-{points} נקודות אחוז (לפי המודל, ל-{horizon} חודשים)",
}
