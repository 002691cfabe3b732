"""Hebrew texts of the charts part of the report (keys start with 'charts.').

Written in logical order: matplotlib lays the lines out right to left itself
(see :mod:`retainlib.plots._theme`). Every line starts with a Hebrew word (or a
number followed by one), so the line reads right to left.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    # compact amounts on axes and in cells ({sign} is charts.minus or ''). As in CLDR he_IL,
    # a right-to-left mark (RLM, U+200F) makes the amount read right to left even with no
    # Hebrew word ('30 ₪' is drawn with ₪ at the left), and the minus sign is a
    # left-to-right mark and a hyphen, so it stays at the left of the digits. Both marks
    # draw nothing.
    "charts.minus": "\u200e-",
    "charts.money_units": "\u200f{sign}{number} {symbol}",
    "charts.money_thousands": "\u200f{sign}{number} אלף {symbol}",
    "charts.money_millions": "\u200f{sign}{number} מיליון {symbol}",
    "charts.money_billions": "\u200f{sign}{number} מיליארד {symbol}",
    # period ticks of the time axes
    "charts.month_tick": "{month}.{year}",
    "charts.week_tick": "{day}.{month}.{year}",
    "charts.quarter_tick": "רבעון {quarter}, {year}",
    # cohort heatmap
    "charts.heatmap_customers_share": "שימור לקוחות לפי קוהורט הצטרפות",
    "charts.heatmap_revenue_share": "שימור הכנסות נטו לפי קוהורט הצטרפות",
    "charts.heatmap_customers": "לקוחות פעילים לפי קוהורט הצטרפות",
    "charts.heatmap_revenue": "הכנסות נטו לפי קוהורט הצטרפות",
    "charts.heatmap_orders": "הזמנות לפי קוהורט הצטרפות",
    "charts.heatmap_other": "קוהורטים לפי מועד ההצטרפות",
    "charts.cohort": "קוהורט הצטרפות",
    "charts.cohort_row": "{cohort} (לקוחות: {size})",
    "charts.since_first_W": "שבועות מאז הרכישה הראשונה",
    "charts.since_first_M": "חודשים מאז הרכישה הראשונה",
    "charts.since_first_Q": "רבעונים מאז הרכישה הראשונה",
    "charts.since_first_Y": "שנים מאז הרכישה הראשונה",
    "charts.with_partial": "{axis}   (* תקופה חלקית: {period})",
    # retention curves
    "charts.curves_title": "שיעור הלקוחות שקנו שוב בכל קוהורט",
    "charts.curves_cohorts": "כל קוהורט בנפרד",
    "charts.curves_average": "ממוצע משוקלל",
    "charts.curves_share": "שיעור הרוכשים מהקוהורט",
    # KPI trends
    "charts.warm_up": "תקופת פתיחה (בסיס הלקוחות עדיין לא מלא)",
    "charts.partial_period": "תקופה חלקית",
    # Pareto and Lorenz curves
    "charts.pareto_title": "ריכוזיות ההכנסות (עקומת פארטו)",
    "charts.pareto_curve": "הלקוחות, מהגדול לקטן",
    "charts.pareto_curve_gini": "הלקוחות, מהגדול לקטן (מקדם ג׳יני {gini})",
    "charts.pareto_point": "{top} מהלקוחות המובילים\nמביאים {revenue} מההכנסות",
    "charts.pareto_x": "שיעור מהלקוחות (מהגדול לקטן)",
    "charts.equality": "שוויון (כל הלקוחות זהים)",
    "charts.revenue_share": "שיעור מההכנסות",
    "charts.lorenz_title": "עקומת לורנץ של הכנסות הלקוחות",
    "charts.lorenz_curve": "הלקוחות, מהקטן לגדול",
    "charts.lorenz_curve_gini": "הלקוחות, מהקטן לגדול (מקדם ג׳יני {gini}, פעמיים השטח המוצלל)",
    "charts.lorenz_x": "שיעור מהלקוחות (מהקטן לגדול)",
    # ABC classes
    "charts.abc_title": "סיווג ABC: שיעור מהלקוחות ומההכנסות",
    "charts.abc_customers": "שיעור מהלקוחות",
    "charts.abc_revenue": "שיעור מההכנסות",
    "charts.abc_tick": "{cls}\n{customers} · {revenue}",
    "charts.abc_share": "שיעור מהסך הכול",
    # CLV model diagnostics (calibration period: תקופת הכיול; holdout period: תקופת המבחן)
    "charts.actual": "בפועל",
    "charts.model": "לפי המודל",
    "charts.frequency_title": "רכישות חוזרות בתקופת הכיול",
    "charts.frequency_x": "מספר הרכישות החוזרות",
    "charts.frequency_y": "מספר הלקוחות",
    "charts.calibration_title": "רכישות בתקופת המבחן לפי הרכישות בתקופת הכיול",
    "charts.calibration_x": "רכישות חוזרות בתקופת הכיול",
    "charts.calibration_y": "ממוצע הרכישות בתקופת המבחן",
    "charts.tracking_title": "רכישות חוזרות: בפועל מול המודל",
    "charts.tracking_end": "סוף תקופת הכיול ({date})",
    "charts.tracking_x": "הזמן מאז הרכישה הראשונה של הקוהורט ({unit})",
    "charts.tracking_cumulative": "רכישות חוזרות מצטברות",
    "charts.tracking_per_period": "רכישות חוזרות",
    "charts.matrix_title": "רכישות צפויות לפי מספר הרכישות ומועד האחרונה שבהן",
    "charts.matrix_scale": "רכישות צפויות באופק של {span}",
    "charts.p_alive_title": "הסיכוי שלקוח עדיין פעיל",
    "charts.with_unit": "{name} ({unit})",
    # time units: plural (axis units) and one unit ("in the next week")
    "charts.units_D": "ימים",
    "charts.units_W": "שבועות",
    "charts.units_M": "חודשים",
    "charts.units_Y": "שנים",
    "charts.units_time": "יחידות זמן",
    "charts.units_periods": "תקופות",
    "charts.next_D": "יום אחד",
    "charts.next_W": "שבוע אחד",
    "charts.next_M": "חודש אחד",
    "charts.next_Y": "שנה אחת",
    "charts.next_time": "יחידת זמן אחת",
    "charts.next_many_time": "{n} יחידות זמן",
}
