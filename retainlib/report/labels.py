"""Every visible label of a column or metric name, per language: the report's catalogue.

Use :func:`label` for any header, axis or tile title built from a canonical
name (``label("p_alive") == "Chance still active"``). The words live in
the catalogue of each language (:mod:`retainlib.i18n`); adding a
language is adding one package with the same keys. The catalogue itself
is kept in :mod:`retainlib.i18n`, below every layer, so that the CSV
headers (:mod:`retainlib.output`) and the chart axes (:mod:`retainlib.plots`)
print the same words as the report.

Examples
--------
>>> label("expected_purchases"), label("rfm_segment")
('Expected purchases', 'Customer group (RFM)')
>>> sorted(LANGUAGES)
['en', 'he']
"""

from __future__ import annotations

from retainlib.i18n import LANGUAGES, has_label, label, labels

__all__ = ["LANGUAGES", "has_label", "label", "labels"]
