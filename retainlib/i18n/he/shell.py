"""Hebrew texts of the shell part of the report (keys start with 'shell.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
    # formats (retainlib._format)
    "format.yes": "כן",
    "format.no": "לא",
    "format.below_1pct": "פחות\u00a0מ-1%",  # a no-break space: a table cell never breaks it
    "format.month": "{month} {year}",
    "format.quarter": "רבעון {quarter} של {year}",
    "format.week": "השבוע שמתחיל ב-{date}",
    "format.week_in_sentence": "השבוע שמתחיל ב-{date}",
    "format.month_1": "ינואר",
    "format.month_2": "פברואר",
    "format.month_3": "מרץ",
    "format.month_4": "אפריל",
    "format.month_5": "מאי",
    "format.month_6": "יוני",
    "format.month_7": "יולי",
    "format.month_8": "אוגוסט",
    "format.month_9": "ספטמבר",
    "format.month_10": "אוקטובר",
    "format.month_11": "נובמבר",
    "format.month_12": "דצמבר",
    "shell.generated": "הופק ב-retainlib בתאריך {stamp}.",
    # the page shell (retainlib.report._html)
    "shell.page_title": "{client}: דוח שימור לקוחות",
    "shell.page_number": "עמוד {page} מתוך {pages}",
    "shell.segment_page_title": "{client} \u2013 {segment}",
    "shell.contents": "תוכן עניינים",
    "shell.data_warnings": "אזהרות על הנתונים",
    "shell.data_warnings_intro": "אזהרות שעלו בזמן חישוב הדוח; הן לא מנעו את הפקתו.",
    # section headings and their introductions (retainlib.report.sections)
    "shell.summary": "תקציר מנהלים",
    "shell.retention": "האם אנחנו שומרים על הלקוחות?",
    "shell.retention_intro": "כמה לקוחות נשארים מתקופה לתקופה, ולאן המגמה הולכת.",
    "shell.value": "איפה נמצא הערך?",
    "shell.value_intro": "כמה מההכנסות מגיעות מהלקוחות הטובים ביותר. עקומה תלולה פירושה "
                         "שמעט לקוחות נושאים את העסק, ואובדן של אחד מהם עולה ביוקר.",
    "shell.action": "מי דורש טיפול?",
    "shell.action_intro": "תחילה הלקוחות יקרי הערך שמתחילים להתרחק אבל עדיין אפשר לשמור "
                          "עליהם, מדורגים לפי ערכם; אחריהם הלקוחות יקרי הערך שכנראה כבר "
                          "נטשו, גם הם לפי ערכם, לפנייה להחזרתם. הרשימות המלאות נמצאות בקבצים "
                          "{at_risk} ו-{win_back}, מוכנות לטעינה ל-CRM.",
    "shell.worth": "כמה שווה שימור לקוחות?",
    "shell.worth_intro": "כמה הלקוחות צפויים להכניס לאורך אופק התחזית, כמה שווה לקוח בשנה, "
                         "ומה התשואה הצפויה מקמפיין שימור.",
    "shell.appendix": "נספחים",
    "shell.appendix_intro": "הפירוט שמאחורי הנתונים בדוח, לאנליסטים שרוצים לבדוק אותם: איך "
                            "נקראו הנתונים, איך השימור מתפתח בכל קוהורט, מודלי הרכישה וההוצאה "
                            "ועד כמה הם תואמים את הנתונים, טבלאות הפלחים המלאות, הסקר ושיטות "
                            "החישוב.",
    "shell.appendix_intro_segment": "הפירוט שמאחורי הנתונים בדוח, לאנליסטים שרוצים לבדוק "
                                    "אותם: איך השימור מתפתח בכל קוהורט, מודלי הרכישה וההוצאה "
                                    "ועד כמה הם תואמים את הנתונים, טבלאות הפלחים המלאות, הסקר "
                                    "ושיטות החישוב.",
    "shell.appendix_part": "נספח {letter}: {title}",
    "shell.appendix_letters": "א׳ ב׳ ג׳ ד׳ ה׳ ו׳ ז׳ ח׳",
    "shell.data_quality": "איכות הנתונים",
    "shell.data_quality_intro": "כל שורה בקובץ הנתונים נספרת: או שנכללה בניתוח, או שנדחתה, "
                                "עם מספר השורה והסיבה. שורות של החזרות (סכומים שליליים) נשמרות "
                                "ומקוזזות מול הרכישות.",
    "shell.cohorts": "קוהורטים ושימור לפי תקופה",
    "shell.cohorts_intro": "הלקוחות מקובצים לפי התקופה של הרכישה הראשונה שלהם. כל שורה עוקבת "
                           "אחרי קוהורט הצטרפות אחד: איזה חלק מהלקוחות שבו רכש בכל אחת "
                           "מהתקופות שאחריה.",
    "shell.cohorts_intro_segment": "לקוחות הפלח מקובצים לפי התקופה של הרכישה הראשונה שלהם. "
                                   "כל שורה עוקבת אחרי קוהורט הצטרפות אחד: איזה חלק מהלקוחות "
                                   "שבו רכש בכל אחת מהתקופות שאחריה.",
    "shell.models": "מודלי הרכישה וההוצאה",
    "shell.segments": "טבלאות הפלחים",
    "shell.segments_intro": "הנתונים של כל פלח: עמודות הפילוח שבנתוני החברה, פלחי RFM "
                            "(עדכניות, תדירות וערך כספי) וסיווג ABC של ניתוח 80/20.",
    "shell.segments_intro_segment": "אותם נתונים לקבוצות הלקוחות שבתוך הפלח הזה.",
    "shell.survey": "סקר לקוחות (NPS)",
    "shell.survey_intro": "מדד NPS מסקר הלקוחות, ומה עשו הממליצים, הנייטרלים והמלעיזים אחרי "
                          "שענו.",
    "shell.methods": "הערות מתודולוגיות",
    "shell.methods_intro_segment": "לקוחות הפלח הם הלקוחות שהערך הנפוץ ביותר שלהם בעמודת "
                                   "הפילוח הוא הערך הזה, עם כל הרכישות שלהם; מודלי הרכישה "
                                   "וההוצאה מותאמים על כל בסיס הלקוחות.",
    # the method notes, each a title and its text
    "shell.method_data_title": "נתונים.",
    "shell.method_data": "שורות שלא ניתן היה להשתמש בהן (מספר לקוח ריק, תאריך לא אפשרי, סכום "
                         "לא מספרי, שורות סיכום) נדחות עם מספר השורה ומפורטות בקובץ "
                         "{rejected_rows}; אף שורה לא נמחקת בשקט. הסכומים הם נטו אחרי החזרות "
                         "(החזרה היא סכום שלילי).",
    "shell.method_cohorts_title": "קוהורטים.",
    "shell.method_cohorts": "הקוהורט של לקוח הוא התקופה של הרכישה הראשונה שלו. השימור בתקופה "
                            "{k} הוא החלק מהקוהורט שרכש בתקופה ה-{k} שאחריה; תאים שהנתונים עוד "
                            "לא יכלו לכסות נשארים ריקים, והתקופה האחרונה, שעדיין לא הסתיימה, "
                            "מסומנת.",
    "shell.method_crr_title": "שיעור שימור הלקוחות.",
    "shell.method_crr_formula": "CRR = (S − L) / S",
    "shell.method_crr": "{crr_formula}, כאשר S הוא מספר הלקוחות בתחילת התקופה (אלה שרכשו "
                        "ב-12 החודשים שלפניה) ו-L הוא מספר הלקוחות מתוכם שלא רכשו דבר ב-12 "
                        "החודשים שעד סופה. זו הנוסחה המוכרת {textbook}, כאשר E הוא מספר "
                        "הלקוחות בסוף התקופה ו-N הוא מספר הלקוחות שהצטרפו לבסיס במהלכה: "
                        "לקוחות חדשים ולקוחות שחזרו אחרי הפסקה, שנספרים בנפרד ואינם נכללים "
                        "בשיעור. שיעור הנטישה = {churn}.",
    "shell.method_pareto_title": "80/20.",
    "shell.method_pareto": "הלקוחות מדורגים לפי ההכנסות נטו שלהם; השיעורים מחושבים מתוך ההכנסות "
                           "של הלקוחות שההכנסות נטו שלהם חיוביות. מקדם ג׳יני הוא 0 כשכל "
                           "הלקוחות מוציאים אותו סכום, וקרוב ל-1 כשלקוח אחד מביא את הכול.",
    "shell.method_clv_title": "ערך חיי לקוח (CLV).",
    "shell.method_clv": "מודל BG/NBD ({bgnbd_paper}) חוזה כמה רכישות יבצע כל לקוח ומה הסיכוי "
                        "שהוא עדיין פעיל; מודל Gamma-Gamma ({gamma_gamma_paper}) חוזה את "
                        "ההוצאה לרכישה. ערך חיי הלקוח הוא הרווח הצפוי לאורך אופק התחזית, "
                        "מהוון חודשית לפי שיעור ההיוון השנתי. שני המודלים מותאמים בשיטת "
                        "הנראות המרבית על כל בסיס הלקוחות, ביחידות של שבועות.",
    "shell.method_small_title": "כשיש מעט נתונים.",
    "shell.method_small": "המודלים דורשים לפחות 20 לקוחות, 4 שבועות מהרכישה הראשונה ועד סוף "
                          "תקופת הניתוח, ו-5 לקוחות שחזרו לקנות ביום מאוחר יותר (5 מהם עם "
                          "הוצאה חיובית). מודל שאינו מתכנס מותאם מחדש עם מקדם רגולריזציה של "
                          "0.001, 0.01 ו-0.1 בזה אחר זה (אחרי הערך {penalizer} שבקובץ "
                          "ההגדרות); הדוח מציין באיזה מקדם השתמש. כשהנתונים מעטים מדי, או "
                          "שאף מקדם לא עוזר, הפרקים על ערך חיי לקוח, על הסיכוי שעדיין פעיל "
                          "ועל הלקוחות בסיכון מושמטים, והדוח מסביר למה.",
    "shell.method_holdout_title": "בדיקה מול תקופת המבחן.",
    "shell.method_holdout": "מודל הרכישות מותאם מחדש על הנתונים עד סוף תקופת הכיול, והתחזיות "
                            "שלו לשאר התקופה מושוות למה שהלקוחות עשו בפועל.",
    "shell.method_at_risk_title": "לקוחות בסיכון.",
    "shell.method_at_risk": "לקוח יקר ערך (30% העליונים לפי ההכנסות הצפויות ממנו בשנה הבאה אם "
                            "יישאר פעיל) נחשב בסיכון כשהסיכוי שהוא עדיין פעיל יורד מתחת לסף, "
                            "או כשעבר מאז הרכישה האחרונה שלו זמן ארוך בהרבה מהפער הרגיל שלו "
                            "בין רכישות. ההכנסות בסיכון הן ההכנסות שהלקוחות האלה יביאו לאורך "
                            "אופק התחזית אם יישארו.",
    "shell.method_nps_title": "מדד NPS.",
    "shell.method_nps": "ממליצים עונים 9 או 10, נייטרלים 7 או 8 ומלעיזים 0 עד 6; מדד NPS הוא אחוז "
                        "הממליצים פחות אחוז המלעיזים, עם רווח סמך של 95%; לכל לקוח נספרת "
                        "התשובה האחרונה שלו.",
    "shell.method_economics_title": "כלכלת השימור.",
    "shell.method_economics": "תשואה על הקמפיין (ROI) = (הערך הנוסף − העלות) / העלות; השווי של "
                              "שימור גבוה יותר מחושב מהורדת שיעור הנטישה במודל המותאם, לא לפי "
                              "כלל אצבע.",
    # the portfolio page (retainlib.report._portfolio)
    "shell.portfolio_title": "תיק הלקוחות",
    "shell.portfolio_rendered": "דוחות שהופקו: {ok} מתוך {total}; הפרטים בקובץ "
                                "{summary}.",
    "shell.portfolio_clients": "הלקוחות העסקיים",
    "shell.portfolio_notebook": "המחברת שהורצה",
    "shell.portfolio_client": "לקוח עסקי",
    "shell.portfolio_report": "דוח",
    "shell.portfolio_customers": "לקוחות",
    "shell.portfolio_revenue": "הכנסות",
    "shell.portfolio_repeat": "קנו יותר מפעם אחת",
    "shell.portfolio_retention": "שיעור שימור הלקוחות",
    "shell.portfolio_trend": "מגמת השימור",
    "shell.portfolio_top20": "נתח ההכנסות של 20% המובילים",
    "shell.portfolio_clv": "ערך חיי לקוח",
    "shell.portfolio_at_risk_revenue": "הכנסות בסיכון",
    "shell.portfolio_at_risk": "לקוחות בסיכון",
    "shell.portfolio_lapsed": "לקוחות יקרי ערך שנטשו",
    "shell.portfolio_nps": "מדד NPS",
    "shell.portfolio_segments": "דוחות הפלחים",
    "shell.portfolio_problem": "מה השתבש",
    "shell.portfolio_ok": "מוכן",
    "shell.portfolio_partial": "מוכן, חלק מדוחות הפלחים נכשלו",
    "shell.portfolio_failed": "נכשל",
    "shell.portfolio_falling": "יורד ב-{points} נקודות אחוז בשנה",
    "shell.portfolio_rising": "עולה ב-{points} נקודות אחוז בשנה",
    "shell.portfolio_flat": "יציב",
}
