"""Hebrew texts of the shell part of the report (keys start with 'shell.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
    # formats (retainlib._format)
    "format.yes": "כן",
    "format.no": "לא",
    "format.below_1pct": "פחות מ-1%",
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
}
