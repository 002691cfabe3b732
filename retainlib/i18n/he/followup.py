"""Hebrew texts of the followup part of the report (keys start with 'followup.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
    # --- the groups of a campaign, as at_risk.csv writes them
    "followup.group.treatment": "טיפול",
    "followup.group.control": "ביקורת",
    # --- the groups inside a sentence
    "followup.group_name.treatment": "קבוצת הטיפול",
    "followup.group_name.control": "קבוצת הביקורת",
    "followup.points": "{value} נקודות אחוז",
    # --- since the last report
    "followup.since_heading": "מאז הדוח הקודם",
    "followup.since_first": "זהו הדוח הראשון שנשמר בהיסטוריה, כך שאין עדיין דוח קודם להשוואה; "
                            "הדוח הבא יראה מה השתנה מאז.",
    "followup.since_same": "בהיסטוריה אין דוח מוקדם יותר, רק הפקה קודמת של הדוח הזה עצמו, "
                           "נכון ל-{end} (הדוח הנוכחי מחליף את השורה שלה); הדוח הבא יראה מה "
                           "השתנה מאז.",
    "followup.since_older": "בהיסטוריה אין דוח מוקדם מזה: הנתונים בדוח הזה מסתיימים ב-{end}, "
                            "לפני הדוח האחרון בהיסטוריה ({latest}), ולכן אין למה להשוות; הדוח "
                            "נוסף להיסטוריה לפי סדר התאריכים.",
    "followup.since_first_folder": "ההיסטוריה נשמרת בקובץ history.csv בתיקיית הדוח, ולכן דוח "
                                   "שנכתב לתיקייה אחרת מתחיל היסטוריה חדשה; המפתח history "
                                   "בקובץ ההגדרות שומר היסטוריה אחת לדוחות שנכתבים "
                                   "לתיקיות נפרדות לפי תאריך.",
    "followup.since_intro": "בהשוואה לדוח הקודם, שנכון ל-{date} (לפני {days}).",
    "followup.since_no_list": "רשימת הלקוחות בסיכון של הדוח הקודם לא נשמרה בהיסטוריה, ולכן אי "
                              "אפשר להראות מה עלה בגורל הלקוחות שהיו בה.",
    "followup.metric.customers": "לקוחות",
    "followup.metric.revenue": "הכנסות",
    "followup.metric.crr": "שיעור שימור הלקוחות (CRR)",
    "followup.metric.churn_rate": "שיעור הנטישה",
    "followup.metric.repeat_purchase_rate": "קנו יותר מפעם אחת",
    "followup.metric.top20_revenue_share": "נתח ההכנסות של 20% המובילים",
    "followup.metric.clv_total": "ערך חיי לקוח (CLV) של כל הלקוחות",
    "followup.metric.revenue_at_risk": "הכנסות בסיכון",
    "followup.metric.at_risk_customers": "לקוחות בסיכון",
    "followup.metric.lapsed_customers": "לקוחות יקרי ערך שנטשו",
    "followup.metric.nps": "מדד NPS",
    "followup.col.figure": "מדד",
    "followup.col.previous": "בדוח הקודם ({date})",
    "followup.col.now": "בדוח זה ({date})",
    "followup.col.change": "שינוי",
    "followup.col.customers_of_list": "לקוחות הרשימה הקודמת",
    "followup.col.customers": "לקוחות",
    "followup.col.share": "חלק מהרשימה",
    "followup.list_heading": "מה קרה ללקוחות ברשימת הלקוחות בסיכון הקודמת",
    "followup.list_intro": "מספר הלקוחות ברשימת הלקוחות בסיכון של הדוח הקודם ({date}): {n}.",
    "followup.outcome.came_back": "חזרו לקנות (רכשו אחרי {date})",
    "followup.outcome.still": "עדיין בסיכון",
    "followup.outcome.lapsed": "נטשו מאז (עברו לרשימה להחזרת לקוחות)",
    "followup.outcome.unflagged": "כבר לא מסומנים (לא קנו, אבל כבר אינם בין הלקוחות יקרי הערך "
                                  "שהכלל מסמן)",
    "followup.outcome.newly": "נכנסו לרשימה עכשיו (לא היו ברשימה הקודמת)",
    "followup.list_no_current": "בדוח הזה אין רשימת לקוחות בסיכון (מודלי התחזית לא נכללו, ראו "
                                "את ההערה על המודלים), ולכן אפשר לספור רק את מי שחזר לקנות; "
                                "לא ידוע אם השאר עדיין בסיכון.",
    "followup.came_back_revenue": "סך הרכישות של הלקוחות שחזרו לקנות ({n}) מאז הדוח הקודם: "
                                  "{revenue}.",
    # --- the executive summary's sentence
    "followup.sentence": "מאז הדוח הקודם ({date}) חזרו לקנות {came_back} מתוך {previous} "
                         "שהיו ברשימת הלקוחות בסיכון; נוספו לרשימה: {newly}.",
    "followup.sentence_one": "מאז הדוח הקודם ({date}) חזר לקנות {came_back} מתוך {previous} "
                             "שהיו ברשימת הלקוחות בסיכון; נוספו לרשימה: {newly}.",
    "followup.sentence_back": "מאז הדוח הקודם ({date}) חזרו לקנות {came_back} מתוך {previous} "
                              "שהיו ברשימת הלקוחות בסיכון.",
    "followup.sentence_back_one": "מאז הדוח הקודם ({date}) חזר לקנות {came_back} מתוך "
                                  "{previous} שהיו ברשימת הלקוחות בסיכון.",
    "followup.sentence_no_list": "הפרק 'מאז הדוח הקודם' משווה את הדוח הזה לדוח הקודם, מ-{date}.",
    "followup.sentence_crr": "שיעור שימור הלקוחות (CRR) עבר מ-{previous} ל-{current}.",
    # --- campaigns
    "followup.campaign_heading": "קמפיין: {name}",
    "followup.col.treatment": "קבוצת הטיפול",
    "followup.col.control": "קבוצת הביקורת",
    "followup.col.difference": "ההפרש (טיפול פחות ביקורת)",
    "followup.col.interval": "רווח סמך 95% (שיטת Welch)",
    "followup.col.group_customers": "לקוחות",
    "followup.figure.bought_share": "קנו בתקופת הקמפיין",
    "followup.figure.revenue_per_customer": "הכנסות ללקוח",
    "followup.figure.orders_per_customer": "הזמנות ללקוח",
    "followup.reason.too_many_fields": "יותר מדי שדות",
    "followup.reason.blank_customer_id": "חסר מספר לקוח",
    "followup.reason.blank_group": "חסרה קבוצה",
    "followup.reason.unknown_group": "קבוצה לא מוכרת (לא טיפול ולא ביקורת)",
    "followup.reason.customer_in_both_groups": "לקוח בשתי הקבוצות",
    "followup.reason.repeated_customer": "לקוח שמופיע יותר מפעם אחת",
    "followup.campaign_empty": "בקובץ הקמפיין {file} אין אף שורה תקינה (שורות שנקראו: {rows}), "
                               "כך ששתי הקבוצות ריקות ואין מה למדוד; בדקו את מיפוי העמודות "
                               "ושעמודת הקבוצה מציינת טיפול או ביקורת.",
    "followup.campaign_unreadable": "לא ניתן היה להשתמש בקובץ הקמפיין {file}: {error}; תקנו "
                                    "את הקובץ, או את {entry} בקובץ ההגדרות (מיפוי העמודות "
                                    "וקידוד הקובץ).",
    "followup.lines_one": "שורה {lines}",
    "followup.lines": "שורות {lines}",
    "followup.lines_more": "שורות {lines} ועוד {more}",
    "followup.campaign_rejected": "שורות שנדחו מהקובץ {file} ולא נכללו: {rows} ({reasons}).",
    "followup.campaign_unknown": "לקוחות מהקובץ {file} שלא נמצאו בנתוני המכירות ולא נכללו "
                                 "במדידה: {n}.",
    "followup.campaign_unknown_all": "אף אחד מהלקוחות בקובץ {file} ({n}) לא נמצא בנתוני "
                                     "המכירות, ולכן אי אפשר למדוד את הקמפיין; בדקו שהקובץ "
                                     "משתמש באותם מספרי לקוח כמו קובץ המכירות.",
    "followup.campaign_not_started": "הקמפיין מתחיל ב-{start}, אחרי סוף הנתונים ({end}), ולכן "
                                     "אין עדיין מה למדוד.",
    "followup.campaign_before_data": "תקופת הקמפיין מסתיימת ב-{end}, לפני הרכישה הראשונה "
                                     "בנתונים ({first}), ולכן אין מה למדוד; בדקו את תאריכי "
                                     "ההתחלה והסיום של הקמפיין בקובץ ההגדרות.",
    "followup.campaign_no_treatment": "בקובץ מופיעה רק קבוצת הביקורת ({n}): אף לקוח לא קיבל את "
                                      "הקמפיין, ולכן אין מה למדוד.",
    "followup.campaign_window": "נמדד מ-{start} עד {end}: בקבוצת הטיפול {treated}, בקבוצת "
                                "הביקורת {control}.",
    "followup.campaign_partial": "תקופת הקמפיין נמשכת עד {end}, אחרי סוף הנתונים, ולכן היא "
                                 "נמדדה רק עד {measured_to}.",
    "followup.campaign_no_control": "אין קבוצת ביקורת: כל הלקוחות בקובץ ({n}) קיבלו את "
                                    "הקמפיין, ולכן אי אפשר לייחס לו אף הפרש כתוספת. בלי לקוחות "
                                    "שהושארו בחוץ באקראי אין דרך לדעת מה היו הלקוחות קונים גם "
                                    "בלי הקמפיין; בקמפיין הבא השאירו קבוצת ביקורת אקראית (עמודת "
                                    "הקבוצה בקובץ at_risk.csv מציעה חלוקה כזו).",
    "followup.incremental": "ההכנסות הנוספות מקבוצת הטיפול: {value} (רווח סמך 95%: {low} עד "
                            "{high}; רווח סמך בשיטת Welch להפרש בהכנסות ללקוח, כפול מספר "
                            "הלקוחות בקבוצת הטיפול).",
    "followup.incremental_no_interval": "ההכנסות הנוספות מקבוצת הטיפול: {value}, אומדן "
                                        "נקודתי בלבד: רווח סמך בשיטת Welch דורש לפחות 2 "
                                        "לקוחות בכל קבוצה, וב{group} יש {n}. עם מעט כל כך "
                                        "לקוחות אי אפשר להבחין בין השפעת הקמפיין לבין מקרה; "
                                        "בקמפיין הבא השאירו קבוצת ביקורת גדולה יותר.",
    "followup.incremental_unclear": "רווח הסמך כולל את האפס: לפי הנתונים אי אפשר להבחין בין "
                                    "השפעת הקמפיין לבין מקרה; קבוצות גדולות יותר או תקופה "
                                    "ארוכה יותר יאפשרו זאת.",
    "followup.roi": "התשואה בפועל על הקמפיין (ROI): {roi}, לפי (הכנסות נוספות − עלות) / עלות "
                    "× 100, בעלות של {cost}.",
    "followup.roi_margin": "התשואה בפועל על הקמפיין (ROI): {roi}, לפי (הכנסות נוספות × שיעור "
                           "הרווח − עלות) / עלות × 100, בשיעור רווח של {margin} ובעלות של "
                           "{cost}.",
    "followup.roi_interval": "רווח סמך 95% לתשואה בפועל: {low} עד {high}.",
    "followup.roi_forecast": "התשואה החזויה על קמפיין שימור (לפי השיפור המשוער, "
                             "economics.expected_lift): {forecast}.",
    "followup.roi_no_forecast": "אין תשואה חזויה להשוואה: בקובץ ההגדרות לא הוגדר "
                                "economics.campaign_cost.",
    "followup.roi_zero_cost": "אין תשואה בפועל: עלות הקמפיין בקובץ ההגדרות היא 0, ותשואה על "
                              "הוצאה של אפס אינה מוגדרת; ההכנסות הנוספות שלמעלה הן כל הרווח "
                              "מהקמפיין.",
    "followup.roi_no_cost": "אין תשואה בפועל: עלות הקמפיין לא הוגדרה בהגדרות הקמפיין.",
}
