"""Hebrew words for every column and metric name (the keys of :mod:`retainlib.i18n.en.labels`)."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "p_alive": "סיכוי שעדיין פעיל",
}
