"""English counted nouns: noun -> {'one': ..., 'other': ...} with the count as ``{n}``."""

from __future__ import annotations


def _regular(singular: str, plural: str | None = None) -> dict[str, str]:
    return {"one": f"{{n}} {singular}", "other": f"{{n}} {plural or singular + 's'}"}


NOUNS: dict[str, dict[str, str]] = {
    "customer": _regular("customer"),
    "order": _regular("order"),
    "purchase": _regular("purchase"),
    "row": _regular("row"),
    "segment": _regular("segment"),
    "day": _regular("day"),
    "week": _regular("week"),
    "month": _regular("month"),
    "quarter": _regular("quarter"),
    "year": _regular("year"),
    "point": _regular("point"),
    "answer": _regular("answer"),
    "campaign": _regular("campaign"),
    "client": _regular("client"),
    "report": _regular("report"),
    "line": _regular("line"),
    # a span of periods in a sentence (retainlib.report.narrative): 'the last 12 months',
    # 'the 12 months before', 'the next 12 months'
    "period": _regular("period"),
    **{f"last_{u}": {"one": f"the last {u}", "other": f"the last {{n}} {u}s"}
       for u in ("week", "month", "quarter", "year", "period")},
    **{f"prior_{u}": {"one": f"the {u} before", "other": f"the {{n}} {u}s before"}
       for u in ("week", "month", "quarter", "year", "period")},
    "next_month": {"one": "the next month", "other": "the next {n} months"},
}
