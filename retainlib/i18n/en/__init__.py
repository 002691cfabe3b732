"""The English catalogue: labels, texts and counted nouns (see :mod:`retainlib.i18n`)."""

from __future__ import annotations

from retainlib.i18n import merge
from retainlib.i18n.en import analytics, charts, followup, sections, shell, summary
from retainlib.i18n.en.labels import LABELS
from retainlib.i18n.en.nouns import NOUNS

TEXT: dict[str, str] = merge(summary.TEXT, sections.TEXT, shell.TEXT, analytics.TEXT,
                             charts.TEXT, followup.TEXT)

__all__ = ["LABELS", "NOUNS", "TEXT"]
