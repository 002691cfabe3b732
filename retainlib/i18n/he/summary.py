"""Hebrew texts of the summary part of the report (keys start with 'summary.').

Written as an Israeli analyst writes a management summary: recommendations in
the infinitive ("ליצור קשר עם..."), every count agreeing with its noun (one,
two and many are separate sentences where the verb agrees), prepositions that
attach to a number written with a hyphen ("ב-2025", "ל-31.12.2025"), and the
glossary's terms ("שיעור שימור הלקוחות", "ערך חיי לקוח (CLV)", "מדד NPS",
"רשימת הלקוחות בסיכון").
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    # the words of a period unit (``period_unit`` of the metrics)
    "summary.unit.week": "שבוע",
    "summary.unit.month": "חודש",
    "summary.unit.quarter": "רבעון",
    "summary.unit.year": "שנה",
    "summary.unit.period": "תקופה",
    "summary.units.week": "שבועות",
    "summary.units.month": "חודשים",
    "summary.units.quarter": "רבעונים",
    "summary.units.year": "שנים",
    "summary.units.period": "תקופות",
    "summary.the_unit.week": "השבוע",
    "summary.the_unit.month": "החודש",
    "summary.the_unit.quarter": "הרבעון",
    "summary.the_unit.year": "השנה",
    "summary.the_unit.period": "התקופה",
    # a period in a sentence: "בדצמבר 2025", with a hyphen before a number ("ב-2025"), a week
    # with "במהלך" ("במהלך השבוע שמתחיל ב-21.12.2025")
    "summary.in_period": "ב{period}",
    "summary.in_period_number": "ב-{period}",
    "summary.in_week": "במהלך {period}",
    # what the report says when the client gave no campaign costs / no survey
    "summary.no_campaign": "לא נמסרו עלויות קמפיין, ולכן התשואה על קמפיין שימור אינה מוצגת.",
    "summary.no_survey": "לא נמסר סקר לקוחות, ולכן אין בדוח זה מדד NPS.",
    # the definitions of the retention-like figures
    "summary.retention_core": "מבין הלקוחות שקנו בטווח של {span} לפני תחילת {the_unit}, שיעור "
                              "הלקוחות שקנו גם בטווח של {span} שמסתיים בסוף {the_unit} (לקוחות "
                              "שחוזרים אחרי הפסקה ארוכה יותר נספרים כלקוחות שחזרו)",
    "summary.retention_definition": "שיעור השימור בדוח זה הוא שיעור הלקוחות שנשמרו לאורך {unit}: "
                                    "{core}.",
    "summary.def_crr": "שיעור השימור של חודש: {core}.",
    "summary.def_bought_again_12m": "{label}: מבין הלקוחות שרכישתם הראשונה הייתה יותר מ-12 "
                                    "חודשים לפני סוף הנתונים, שיעור הלקוחות שקנו ב-12 החודשים "
                                    "האחרונים.",
    "summary.def_model_retention": "{label}: מבין הלקוחות שמודל הרכישות מחשיב כפעילים היום, "
                                   "השיעור שהמודל צופה שיהיו עדיין פעילים בעוד 12 חודשים.",
    "summary.def_cohort_share": "שיעור הקונים מקוהורט בחודש נתון: מבין הלקוחות שקנו לראשונה "
                                "בחודש מסוים, שיעור הלקוחות שקנו בכל אחד מהחודשים שאחריו.",
    "summary.def_p_alive": "{label}: ההסתברות, לפי מודל הרכישות, שלקוח עדיין לא הפסיק לקנות.",
    "summary.def_chance_still_active": "{label}: הממוצע על פני לקוחות הקבוצה של ההסתברות, לפי "
                                       "מודל הרכישות, שלקוח עדיין לא הפסיק לקנות.",
    "summary.def_revenue_at_risk": "{label}: ההכנסות שהלקוחות ברשימת הלקוחות בסיכון (לקוחות "
                                   "יקרי ערך שמתרחקים אך ייתכן שעדיין קונים) יביאו במהלך אופק "
                                   "התחזית אם יישארו.",
    "summary.def_lapsed_value": "ערך הלקוחות שנטשו: ההכנסות שהלקוחות יקרי הערך שכנראה כבר "
                                "הפסיקו לקנות (הרשימה להחזרת לקוחות) יביאו במהלך אופק התחזית "
                                "אם יחזרו.",
    "summary.def_expected_value": "{label}: מה שלקוח יביא במהלך אופק התחזית אם יישאר, כפול "
                                  "הסיכוי שהוא עדיין פעיל.",
    # the trend sentence
    "summary.trend_level": "שיעור שימור הלקוחות היה {crr} {in_period}",
    "summary.trend_record_lowest": ", השיעור הנמוך ביותר מבין {last}",
    "summary.trend_record_highest": ", השיעור הגבוה ביותר מבין {last}",
    "summary.trend_too_short": "; עדיין אין מספיק {units} עם נתונים מלאים כדי להצביע על מגמה.",
    "summary.trend_average": "; במהלך {last} הוא עמד בממוצע על {recent}",
    "summary.trend_no_before": ", ועדיין אין {span} של נתונים כדי להצביע על מגמה.",
    "summary.trend_same": ", בדיוק כמו הממוצע של {prior} ({before})",
    "summary.trend_below": ", {points} מתחת לממוצע של {prior} ({before})",
    "summary.trend_above": ", {points} מעל הממוצע של {prior} ({before})",
    "summary.trend_falling": ", והוא יורד בקצב משוער של {points} בשנה",
    "summary.trend_rising": ", והוא עולה בקצב משוער של {points} בשנה",
    "summary.trend_slope_range": " (בין {low} ל-{high})",
    "summary.trend_flat": ", ללא מגמה ברורה של עלייה או ירידה",
    "summary.trend_flat_range": " (השינוי המשוער נע בין {low} לבין {high} נקודות אחוז בשנה)",
    "summary.previous_same": " זה בערך השיעור של {period}.",
    "summary.previous_down": " זו ירידה של {points} לעומת {previous} {in_period}.",
    "summary.previous_up": " זו עלייה של {points} לעומת {previous} {in_period}.",
    # lapsed customers who came back (won back)
    "summary.won_back_none": "אף לקוח שהפסיק לקנות לא חזר {in_period}{year}",
    "summary.won_back_one": "{who} שהפסיק לקנות חזר {in_period}{year}",
    "summary.won_back_many": "{who} שהפסיקו לקנות חזרו {in_period}{year}",
    "summary.won_back_year": " ({n} בשנה שעד סוף {period})",
    "summary.won_back_not_counted": "; שיעור השימור סופר רק לקוחות שהמשיכו לקנות, ולכן לקוחות "
                                    "שחזרו אינם נכללים בו.",
    # who the customers are
    "summary.who_client": "אצל {client}",
    "summary.who_default": "בחברה",
    "summary.who_segment": "בפלח \"{title}\"",
    "summary.customers_one": "{who} היה {customers}, שקנה בסך {revenue} נטו (אחרי החזרות){span}.",
    "summary.customers_many": "{who} היו {customers}, שקנו בסך {revenue} נטו (אחרי "
                              "החזרות){span}.",
    "summary.customers_span": " בין {first} ל-{last}",
    "summary.repeat": "{repeat} מהם קנו יותר מפעם אחת; {once} קנו פעם אחת בלבד.",
    # where the value is and what it is worth
    "summary.top20": "ה-20% המובילים מבין הלקוחות מביאים {top20} מההכנסות.",
    "summary.top20_top10": "ה-20% המובילים מבין הלקוחות מביאים {top20} מההכנסות, וה-10% "
                           "המובילים מביאים {top10}.",
    "summary.horizon": "אופק התחזית",
    "summary.forecast": "במהלך {over} המודל צופה שהלקוחות הנוכחיים יבצעו {purchases} בשווי "
                        "{revenue}.",
    "summary.clv": "ערך חיי הלקוח (CLV) שלהם לאורך אופק זה (רווח מהוון) הוא {total} בסך הכול, "
                   "{mean} ללקוח בממוצע.",
    # who needs action (early warning)
    "summary.at_risk_one": "לקוח יקר ערך אחד מראה סימני עזיבה, אך ייתכן שעדיין קונה{floor}: אם "
                           "יעזוב, יאבדו הכנסות של {revenue} במהלך {over}.",
    "summary.at_risk_many": "{n} לקוחות יקרי ערך מראים סימני עזיבה, אך ייתכן שעדיין "
                            "קונים{floor}: אם יעזבו, יאבדו הכנסות של {revenue} במהלך {over}.",
    "summary.at_risk_floor": " (הסיכוי שעדיין פעיל: {chance} לפחות)",
    "summary.at_risk_none": "כרגע אף לקוח יקר ערך אינו מראה סימני עזיבה.",
    "summary.lapsed_one": "לקוח יקר ערך נוסף כנראה כבר הפסיק לקנות; אם יחזור, הוא יביא {revenue} "
                          "במהלך {over}.",
    "summary.lapsed_many": "{n} לקוחות יקרי ערך נוספים כנראה כבר הפסיקו לקנות; אם יחזרו, הם "
                           "יביאו {revenue} במהלך {over}.",
    # what customers say
    "summary.nps": "מדד NPS עומד על {nps}.",
    "summary.nps_range": "מדד NPS עומד על {nps} (רווח סמך 95%: {low} עד {high}).",
    "summary.nps_range_answers": "מדד NPS עומד על {nps} (רווח סמך 95%: {low} עד {high}, "
                                 "{answers}).",
    # where the reader finds a list: the form that follows the preposition ב ('בקובץ ...')
    "summary.list_file": "קובץ {file}",
    "summary.list_file_segment": "קובץ {file} של החברה, בסינון {column} = {value} "
                                 "ו{early_warning} = {which}",
    # why one-time buyers show 100%; why the retention-like shares differ
    "summary.p_alive_note": "הסיכוי שעדיין פעיל הוא 100% לכל לקוח שקנה פעם אחת בלבד{ones}: מודל "
                            "הרכישות מסיק שלקוח הפסיק לקנות רק מהפסקה ארוכה ברכישות אחרי "
                            "רכישות חוזרות, ולכן לקוח שקנה פעם אחת עדיין לא הראה שום סימן "
                            "לעזיבה. אצל לקוח כזה, 100% פירושו שאין ראיה לכאן או לכאן, ולא "
                            "חזרה בטוחה; זו הסיבה שפלחים של קונים חד-פעמיים, כמו \"{lost}\", "
                            "\"{new}\" ו\"{promising}\", מראים 100%, ואף המלצה בדוח זה אינה "
                            "נשענת על נתון זה.",
    "summary.p_alive_ones": " ({share} מהלקוחות)",
    "summary.figures_note": "שיעור שימור הלקוחות{crr} הוא נתון השימור היחיד בדוח זה. השיעורים "
                            "האחרים מודדים דברים אחרים, ושמם אומר מה הם מודדים: בטבלאות "
                            "הפלחים, שיעור הלקוחות הוותיקים שקנו ב-12 החודשים האחרונים; בתרשים "
                            "הקוהורטים, שיעור הלקוחות מקוהורט שקנו בחודש נתון (נמוך בהרבה, כי "
                            "מעטים הלקוחות שקונים בכל חודש); ובפרק על השווי של שימור גבוה יותר, "
                            "שיעור הלקוחות הפעילים היום שהמודל צופה שיהיו עדיין פעילים בעוד 12 "
                            "חודשים.",
    "summary.figures_note_crr": " ({crr})",
    # the recommended actions
    "summary.actions_heading": "פעולות מומלצות",
    "summary.act_at_risk_one": "ליצור קשר עם הלקוח שבסיכון, שמופיע ב{file} (ערך צפוי = ערך אם "
                               "יישאר \u00d7 הסיכוי שעדיין פעיל): אם יעזוב, יאבדו הכנסות של "
                               "{revenue} במהלך {over}; בשורה שלו מפורטת הסיבה לסימון.",
    "summary.act_at_risk_many": "ליצור קשר עם {n} הלקוחות שבסיכון, שמופיעים ב{file}, לפי "
                                "הערך הצפוי מהגבוה לנמוך (ערך צפוי = ערך אם יישאר \u00d7 הסיכוי "
                                "שעדיין פעיל): אם יעזבו, יאבדו הכנסות של {revenue} במהלך "
                                "{over}; בכל שורה מפורטת הסיבה לסימון.",
    "summary.act_lapsed_one": "לשלוח הצעה לחזרה ללקוח יקר הערך שנטש, שמופיע ב{file}: הוא כנראה "
                              "הפסיק לקנות, אבל אם יחזור הוא יביא {revenue} במהלך {over}.",
    "summary.act_lapsed_many": "לשלוח הצעה לחזרה ל-{n} הלקוחות יקרי הערך שנטשו, שמופיעים "
                               "ב{file}, לפי הערך מהגבוה לנמוך: הם כנראה הפסיקו לקנות, אבל "
                               "אם יחזרו הם יביאו {revenue} במהלך {over}.",
    "summary.act_protect_top": "לשמור על ה-20% המובילים מבין הלקוחות, שמביאים {share} "
                               "מההכנסות: להצמיד להם מנהל לקוח ייעודי או לצרף אותם לדרגה "
                               "מועדפת במועדון הלקוחות, ולעקוב אחר הפעילות שלהם בכל חודש.",
    "summary.act_second_purchase": "להפוך קונים חד-פעמיים ללקוחות חוזרים: {share} קנו פעם אחת "
                                   "בלבד, ולכן הצעה לרכישה שנייה זמן קצר אחרי ההזמנה הראשונה "
                                   "היא הדרך הזולה ביותר לצמוח.",
    "summary.act_detractors_one": "לחזור אל המלעיז (מדד NPS: {nps}) כדי לתקן את מה שהשתבש לפני "
                                  "שיעזוב.",
    "summary.act_detractors_many": "לחזור אל {n} המלעיזים (מדד NPS: {nps}), לפי ערך הלקוח מהגבוה "
                                   "לנמוך, כדי לתקן את מה שהשתבש לפני שיעזבו.",
    "summary.act_fund_campaign": "לממן את קמפיין השימור: בהנחת השיפור המשוער, התשואה על "
                                 "הקמפיין (ROI) היא {roi}% על עלות של {cost}.",
    "summary.act_rework_campaign": "לתכנן מחדש את קמפיין השימור לפני שמממנים אותו: בהנחת השיפור "
                                   "המשוער, התשואה על הקמפיין (ROI) היא {roi}% על {cost}; כדאי "
                                   "למקד אותו בפחות לקוחות, יקרי ערך יותר.",
    "summary.act_falling": "לברר למה שיעור השימור יורד: במהלך {last} הוא עמד בממוצע על {recent}, "
                           "לעומת {before} במהלך {prior}; לשאול את הלקוחות שהפסיקו לקנות מה "
                           "גרם להם לעזוב.",
    "summary.act_fell": "לברר למה שיעור השימור ירד מ-{previous} ל-{crr} {in_period}: לשאול את "
                        "הלקוחות שהפסיקו לקנות.",
    "summary.act_track": "לעקוב אחר שיעור השימור בכל {unit} מול נקודת הבסיס של דוח זה{base}.",
    "summary.act_track_base": " (שיעור שימור של {crr})",
    "summary.act_track_base_period": " (שיעור שימור של {crr} {in_period})",
    "summary.act_rerun": "להריץ את הדוח שוב עם ייצוא הנתונים הבא, כדי לראות אם הפעולות עבדו.",
    "summary.act_rejected_rows": "לעבור עם החברה על השורות שנדחו (rejected_rows.csv) כדי "
                                 "שיתוקנו במקור.",
    # the title block
    "summary.default_client": "החברה",
    "summary.subtitle": "דוח שימור לקוחות",
    "summary.subtitle_segment": "דוח שימור לקוחות של {client}",
    "summary.subtitle_date": "דוח שימור לקוחות, נכון ל-{date}",
    "summary.subtitle_segment_date": "דוח שימור לקוחות של {client}, נכון ל-{date}",
    "summary.segment_title": "{column}: {value}",
    # the headline tiles of page one
    "summary.tile_customers_note": "קנו בין {first} ל-{last}",
    "summary.tile_revenue_note": "נטו, אחרי החזרות",
    "summary.tile_down": "ירידה של {points}{against}",
    "summary.tile_up": "עלייה של {points}{against}",
    "summary.tile_no_change": "ללא שינוי{against}",
    "summary.tile_against_previous": " לעומת התקופה הקודמת",
    "summary.tile_window.week": " בממוצע של {n} השבועות האחרונים לעומת {n} הקודמים",
    "summary.tile_window.month": " בממוצע של {n} החודשים האחרונים לעומת {n} הקודמים",
    "summary.tile_window.quarter": " בממוצע של {n} הרבעונים האחרונים לעומת {n} הקודמים",
    "summary.tile_window.year": " בממוצע של {n} השנים האחרונות לעומת {n} הקודמות",
    "summary.tile_window.period": " בממוצע של {n} התקופות האחרונות לעומת {n} הקודמות",
    "summary.tile_recent.week": " בממוצע של השבועות האחרונים לעומת אלה שלפניהם",
    "summary.tile_recent.month": " בממוצע של החודשים האחרונים לעומת אלה שלפניהם",
    "summary.tile_recent.quarter": " בממוצע של הרבעונים האחרונים לעומת אלה שלפניהם",
    "summary.tile_recent.year": " בממוצע של השנים האחרונות לעומת אלה שלפניהן",
    "summary.tile_recent.period": " בממוצע של התקופות האחרונות לעומת אלה שלפניהן",
    "summary.tile_record_lowest": "; הנמוך ביותר מזה {span}",
    "summary.tile_record_highest": "; הגבוה ביותר מזה {span}",
    "summary.tile_record_lowest_ever": "; הנמוך ביותר שנמדד",
    "summary.tile_record_highest_ever": "; הגבוה ביותר שנמדד",
    "summary.tile_top20": "נתח ההכנסות של 20% המובילים",
    "summary.tile_top20_note": "מההכנסות מגיעות מהחמישון העליון של הלקוחות",
    "summary.tile_clv": "ערך חיי לקוח (CLV)",
    "summary.tile_clv_note": "רווח מהוון",
    "summary.tile_clv_note_mean": "{mean} ללקוח, רווח מהוון",
    "summary.tile_clv_note_horizon": "במהלך {over}, רווח מהוון",
    "summary.tile_clv_note_mean_horizon": "{mean} ללקוח במהלך {over}, רווח מהוון",
    "summary.tile_at_risk_one": "מלקוח יקר ערך אחד שמתרחק",
    "summary.tile_at_risk_many": "מ-{n} לקוחות יקרי ערך שמתרחקים",
    "summary.tile_at_risk_none": "אף לקוח יקר ערך אינו מתרחק",
    "summary.tile_nps": "מדד NPS",
    "summary.tile_nps_note": "{answers} תשובות לסקר",
    "summary.tile_nps_note_one": "תשובה אחת לסקר",
}
