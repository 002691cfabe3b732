"""Hebrew counted nouns: the noun then אחד / אחת for one, the dual, and the plural.

The dual is used where Hebrew has one (יומיים, שבועיים, חודשיים, שנתיים).
"""

from __future__ import annotations

NOUNS: dict[str, dict[str, str]] = {
    "customer": {"one": "לקוח אחד", "other": "{n} לקוחות"},
    "order": {"one": "הזמנה אחת", "other": "{n} הזמנות"},
    "purchase": {"one": "רכישה אחת", "other": "{n} רכישות"},
    "row": {"one": "שורה אחת", "other": "{n} שורות"},
    "segment": {"one": "פלח אחד", "other": "{n} פלחים"},
    "day": {"one": "יום אחד", "two": "יומיים", "other": "{n} ימים"},
    "week": {"one": "שבוע אחד", "two": "שבועיים", "other": "{n} שבועות"},
    "month": {"one": "חודש אחד", "two": "חודשיים", "other": "{n} חודשים"},
    "quarter": {"one": "רבעון אחד", "other": "{n} רבעונים"},
    "year": {"one": "שנה אחת", "two": "שנתיים", "other": "{n} שנים"},
    "point": {"one": "נקודת אחוז אחת", "other": "{n} נקודות אחוז"},
    "answer": {"one": "תשובה אחת", "other": "{n} תשובות"},
    "campaign": {"one": "קמפיין אחד", "other": "{n} קמפיינים"},
    "client": {"one": "לקוח עסקי אחד", "other": "{n} לקוחות עסקיים"},
    "report": {"one": "דוח אחד", "other": "{n} דוחות"},
    "line": {"one": "שורה אחת", "other": "{n} שורות"},
}
