"""The report's section headings and their introductions, in the report's language.

The notebooks call these instead of holding markdown, so every heading and
introduction comes from the catalogue (``shell.*`` keys of
:mod:`retainlib.i18n`). A heading keeps the same ``id`` in every language
(the English heading with its spaces as dashes, as nbconvert names a markdown
heading: ``Are-we-keeping-our-customers?``), so links into a report and the
table of contents (:func:`retainlib.report._html.table_of_contents`, built
from the ``<h2 id>`` headings) do not depend on the language.

The appendix's parts are lettered in the order of the report: the client
report has the data quality part, a segment report does not, so its parts
start one letter earlier ('Appendix A: Cohorts and retention by period').

Examples
--------
>>> from types import SimpleNamespace
>>> client = SimpleNamespace(lang="en", segment=None)
>>> heading(client, "retention")[:55]
'<h2 class="section" id="Are-we-keeping-our-customers?">'
>>> heading(client, "survey").split(">")[1]
'Appendix E: Customer survey (NPS)</h2'
>>> segment = SimpleNamespace(lang="he", segment=("region", "North"))
>>> heading(segment, "survey")[:59]
'<h2 class="section" id="Appendix-D:-Customer-survey-(NPS)">'
>>> heading(segment, "survey").split(">")[1]
'נספח ד׳: סקר לקוחות (NPS)</h2'
"""

from __future__ import annotations

import html

from retainlib.i18n import has_text, text
from retainlib.report._html import rich
from retainlib.report.narrative import Html

__all__ = ["APPENDIX", "MAIN", "METHOD_NOTES", "heading", "method_notes", "title"]

#: the management part's sections, in the order of the report
MAIN = ("summary", "retention", "value", "action", "worth", "appendix")
#: the appendix's parts, in the order of the report (a segment report has no data quality part)
APPENDIX = ("data_quality", "cohorts", "models", "segments", "survey", "methods")
#: the method notes of the last appendix part, in order
METHOD_NOTES = ("data", "cohorts", "crr", "pareto", "clv", "small", "holdout", "at_risk",
                "nps", "economics")
#: the papers the models are from (a reference is not translated)
PAPERS = {"bgnbd_paper": "Fader, Hardie & Lee 2005",
          "gamma_gamma_paper": 'Fader, Hardie & Lee 2005, "RFM and CLV"'}


def _code(name: str) -> str:
    """A file or config key as the reader types it (left to right in any page)."""
    return f"<code>{html.escape(name)}</code>"


def _ltr(value: str) -> str:
    """A formula that keeps its left-to-right order inside a right-to-left sentence."""
    return f'<bdi dir="ltr">{html.escape(value)}</bdi>'


#: the HTML of the fields the texts of this module name
_FIELDS = {"at_risk": _code("at_risk.csv"), "win_back": _code("win_back.csv"),
           "rejected_rows": _code("rejected_rows.csv"), "penalizer": _code("clv.penalizer"),
           "k": "<em>k</em>", "churn": _ltr("1 − CRR"), "textbook": _ltr("(E − N) / S"),
           **{key: _ltr(value) for key, value in PAPERS.items()}}


def _is_segment(a) -> bool:
    return getattr(a, "segment", None) is not None


def title(section: str, lang: str = "en", *, segment: bool = False) -> str:
    """A section's heading as text, in a client report or (``segment``) a segment report.

    >>> title("retention"), title("cohorts"), title("cohorts", segment=True)
    ('Are we keeping our customers?', 'Appendix B: Cohorts and retention by period', \
'Appendix A: Cohorts and retention by period')
    >>> title("cohorts", "he")
    'נספח ב׳: קוהורטים ושימור לפי תקופה'
    """
    return _title(section, lang, APPENDIX[1:] if segment else APPENDIX)


def _title(section: str, lang: str, parts: tuple[str, ...]) -> str:
    if section not in MAIN and section not in APPENDIX:
        raise ValueError(f"unknown report section {section!r}; sections are "
                         f"{', '.join(MAIN + APPENDIX)}")
    words = text(f"shell.{section}", lang)
    if section in MAIN:
        return words
    if section not in parts:
        raise ValueError(f"a segment report has no {section!r} part in its appendix")
    letter = text("shell.appendix_letters", lang).split()[parts.index(section)]
    return text("shell.appendix_part", lang, letter=letter, title=words)


def _intro(section: str, a) -> str:
    """The introduction's key of a section ('' for none); a segment's own wording first."""
    for key in (f"shell.{section}_intro_segment" if _is_segment(a) else "",
                f"shell.{section}_intro"):
        if key and has_text(key, a.lang):
            return key
    return ""


def heading(a, section: str) -> Html:
    """A section's ``<h2 id>`` heading and its introduction, in the report's language.

    Parameters
    ----------
    a : Analysis
        The report's analysis: its language (``a.lang``) and whether it is a
        segment report (``a.segment``).
    section : str
        One of :data:`MAIN` or :data:`APPENDIX`.

    Returns
    -------
    Html
        ``<h2 class="section" id="...">heading</h2>`` and a ``<p>`` with the
        introduction when the section has one; the id is the same in every
        language.

    Raises
    ------
    ValueError
        An unknown section, or the data quality part in a segment report.
    """
    parts = APPENDIX[1:] if _is_segment(a) else APPENDIX
    hid = _title(section, "en", parts).replace(" ", "-")
    out = (f'<h2 class="section" id="{html.escape(hid, quote=True)}">'
           f"{html.escape(_title(section, a.lang, parts))}</h2>")
    key = _intro(section, a)
    if key:
        out += f"<p>{rich(key, a.lang, **_FIELDS)}</p>"
    return Html(out)


def method_notes(a) -> Html:
    """The last appendix part: its heading and the method notes, one list item each."""
    fields = {**_FIELDS, "crr_formula": _ltr(text("shell.method_crr_formula", a.lang))}
    items = "".join(
        f"<li><strong>{rich(f'shell.method_{name}_title', a.lang)}</strong> "
        f"{rich(f'shell.method_{name}', a.lang, **fields)}</li>" for name in METHOD_NOTES)
    return Html(f"{heading(a, 'methods')}<ul>{items}</ul>")
