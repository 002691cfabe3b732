"""Every visible label of a column or metric name, per language: the report's catalogue.

Use :func:`label` for any header, axis or tile title built from a canonical
name (``label("p_alive") == "Chance still active"``). The words live in
:data:`LABELS` (language -> canonical snake_case name -> words); adding a
language is adding one dictionary with the same keys. The catalogue itself
is kept in :mod:`retainlib._labels`, below every layer, so that the CSV
headers (:mod:`retainlib.output`) and the chart axes (:mod:`retainlib.plots`)
print the same words as the report.

Examples
--------
>>> label("expected_purchases"), label("rfm_segment")
('Expected purchases', 'Customer group (RFM)')
>>> sorted(LANGUAGES)
['en']
"""

from __future__ import annotations

from retainlib._labels import LABELS, LANGUAGES, has_label, label, labels

__all__ = ["LABELS", "LANGUAGES", "has_label", "label", "labels"]
