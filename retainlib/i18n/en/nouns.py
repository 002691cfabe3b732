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
}
