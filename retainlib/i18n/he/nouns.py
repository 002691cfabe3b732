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
    # a span of periods in a sentence (retainlib.report.narrative): '12 החודשים האחרונים',
    # '12 החודשים הקודמים', '12 החודשים הבאים'
    "period": {"one": "תקופה אחת", "other": "{n} תקופות"},
    "last_week": {"one": "השבוע האחרון", "two": "השבועיים האחרונים",
                  "other": "{n} השבועות האחרונים"},
    "last_month": {"one": "החודש האחרון", "two": "החודשיים האחרונים",
                   "other": "{n} החודשים האחרונים"},
    "last_quarter": {"one": "הרבעון האחרון", "other": "{n} הרבעונים האחרונים"},
    "last_year": {"one": "השנה האחרונה", "two": "השנתיים האחרונות", "other": "{n} השנים האחרונות"},
    "last_period": {"one": "התקופה האחרונה", "other": "{n} התקופות האחרונות"},
    "prior_week": {"one": "השבוע הקודם", "two": "השבועיים הקודמים", "other": "{n} השבועות הקודמים"},
    "prior_month": {"one": "החודש הקודם", "two": "החודשיים הקודמים",
                    "other": "{n} החודשים הקודמים"},
    "prior_quarter": {"one": "הרבעון הקודם", "other": "{n} הרבעונים הקודמים"},
    "prior_year": {"one": "השנה הקודמת", "two": "השנתיים הקודמות", "other": "{n} השנים הקודמות"},
    "prior_period": {"one": "התקופה הקודמת", "other": "{n} התקופות הקודמות"},
    "next_month": {"one": "החודש הבא", "two": "החודשיים הבאים", "other": "{n} החודשים הבאים"},
}
