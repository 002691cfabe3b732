"""Executed notebook -> one offline, self-contained HTML page with a table of contents.

nbconvert's ``basic`` template gives the notebook body only (no require.js or
MathJax from a CDN); code inputs and prompts are excluded, cells tagged
``remove-cell`` are dropped, images stay embedded as data URIs. The body goes
into retainlib's own page template (``retainlib/templates/report.html``) with
its print-friendly CSS. The page is in the report's language: ``<html lang
dir>`` (right to left for Hebrew), and its own words (the table of contents'
title, the data warnings, the footer) come from the catalogue (``shell.*``).
The finished page is checked: nothing may load from the network.
"""

from __future__ import annotations

import functools
import html
import re
import string
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from string import Template

from retainlib._format import date
from retainlib.errors import ReportError
from retainlib.i18n import direction, text
from retainlib.output import folders as _outputs

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: attributes that make a browser fetch something, pointing outside the page
_REMOTE = re.compile(
    r"""<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"""
    r"""\b(?:src|href|data)\s*=\s*["']?\s*(?:https?:|//)""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""url\(\s*["']?\s*(?:https?:|//)|@import""", re.IGNORECASE)


def bdi(value: object, lang: str) -> str:
    """A value (number, amount, date, name) as HTML, escaped, in its own order in ``lang``.

    In a right-to-left page the value is isolated in a ``<bdi>``, so it keeps
    its order inside a Hebrew sentence ('-5%', '01.12.2026 10:30'); in a
    left-to-right page it is only escaped.

    >>> bdi("A&B -5%", "he"), bdi("A&B -5%", "en")
    ('<bdi>A&amp;B -5%</bdi>', 'A&amp;B -5%')
    """
    shown = html.escape(str(value))
    return f"<bdi>{shown}</bdi>" if direction(lang) == "rtl" else shown


def rich(key: str, lang: str, /, **fields: str) -> str:
    """The catalogue's text ``key`` as HTML: its words escaped, its fields HTML already.

    >>> rich("shell.generated", "he", stamp=bdi("01.12.2026", "he"))
    'הופק ב-retainlib בתאריך <bdi>01.12.2026</bdi>.'
    """
    template = html.escape(text(key, lang), quote=False)
    return template.format_map(fields) if fields else template


class _Headings(HTMLParser):
    """Collect (level, id, text) of the h2 headings that have an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._current: tuple[str, list[str]] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h2" and a.get("id"):
            self._current = (a["id"], [])
        elif self._current is not None and tag == "a" and "anchor-link" in (a.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag == "h2" and self._current is not None:
            hid, parts = self._current
            self.found.append((hid, "".join(parts).strip()))
            self._current = None

    def handle_data(self, data):
        if self._current is not None and not self._skip:
            self._current[1].append(data)


def table_of_contents(body: str) -> str:
    """An ordered list of links to the body's ``<h2 id=...>`` sections."""
    parser = _Headings()
    parser.feed(body)
    items = "".join(f'<li><a href="#{html.escape(hid, quote=True)}">{html.escape(text)}</a></li>'
                    for hid, text in parser.found)
    return f"<ol>{items}</ol>"


def check_offline(page: str, name: str = "report") -> None:
    """Raise ReportError when the page would load anything from the network."""
    m = _REMOTE.search(page) or _CSS_URL.search(page)
    if m:
        raise ReportError(f"{name} would load a remote resource ({m.group(0)[:80]!r}); "
                          "reports must be self-contained")


@functools.lru_cache(maxsize=1)
def _exporter():
    """One configured HTMLExporter per process (its templates load once)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    return HTMLExporter(config=c, template_name="basic", exclude_input=True,
                        exclude_input_prompt=True, exclude_output_prompt=True)


_WARNING = re.compile(r"^\S*:\d+: (\w*Warning): (.*)$")


def _pop_warnings(notebook) -> list[str]:
    """Remove stderr streams from the outputs; return the warnings they held, in order.

    Raw stderr (file paths, source lines) is not for a management report; the
    warning messages themselves are listed, escaped, in a 'Data warnings'
    section at the end.
    """
    found: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        keep = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                for line in str(out.get("text", "")).splitlines():
                    m = _WARNING.match(line.strip())
                    if m and m.group(2) not in found:
                        found.append(m.group(2))
            else:
                keep.append(out)
        cell.outputs = keep
    return found


def _body(notebook, lang: str = "en") -> str:
    warnings = _pop_warnings(notebook)
    body, _ = _exporter().from_notebook_node(notebook)
    if warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
        body += (f'\n<h2 id="Data-warnings">{rich("shell.data_warnings", lang)}</h2>\n'
                 f'<p>{rich("shell.data_warnings_intro", lang)}</p><ul>{items}</ul>')
    return body


def generated(lang: str = "en", when: datetime | None = None) -> str:
    """The footer line, 'Generated by retainlib on 2026-12-01 10:30 UTC.', as HTML.

    >>> generated("he", datetime(2026, 12, 1, 10, 30, tzinfo=UTC))
    'הופק ב-retainlib בתאריך <bdi>01.12.2026 10:30 UTC</bdi>.'
    >>> generated("en", datetime(2026, 12, 1, 10, 30, tzinfo=UTC))
    'Generated by retainlib on 2026-12-01 10:30 UTC.'
    """
    when = when or datetime.now(UTC)
    return rich("shell.generated", lang, stamp=bdi(f"{date(when, lang)} {when:%H:%M} UTC", lang))


def _css_string(words: str) -> str:
    return '"' + words.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_numbers(lang: str = "en") -> str:
    """The print style of the page numbers in ``lang`` (the catalogue's ``shell.page_number``).

    The numbers sit in the bottom corner where the language's lines end
    (right in English, left in Hebrew); Hebrew says them in words ('עמוד 2
    מתוך 9'), as '2 / 9' would be laid out right to left and read backwards.

    >>> page_numbers("en")[:69]
    '@page { @bottom-right { content: counter(page) " / " counter(pages); '
    >>> page_numbers("he")[:40]
    '@page { @bottom-left { content: "עמוד " '

    """
    parts = []
    for literal, field, _, _ in string.Formatter().parse(text("shell.page_number", lang)):
        if literal:
            parts.append(_css_string(literal))
        if field:
            parts.append(f"counter({field})")
    corner = "left" if direction(lang) == "rtl" else "right"
    return (f"@page {{ @bottom-{corner} {{ content: {' '.join(parts)}; font-size: 8pt; "
            "color: #5b6770; } }")


def page(body: str, *, title: str, toc: str, footer: str = "", lang: str = "en") -> str:
    """Fill retainlib's page template in the language ``lang``.

    ``title`` is text (escaped here); ``body``, ``toc`` and ``footer`` are HTML.
    """
    import retainlib

    template = Template((TEMPLATES / "report.html").read_text(encoding="utf-8"))
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8") + "\n" + page_numbers(lang)
    return template.substitute(
        lang=lang, dir=direction(lang), contents=rich("shell.contents", lang),
        title=html.escape(title), css=css,
        toc=toc, body=body, footer=footer, version=retainlib.__version__)


def render_html(notebook: str | Path, output: str | Path, *, title: str,
                lang: str = "en") -> Path:
    """Render an executed notebook to a self-contained HTML report.

    Parameters
    ----------
    notebook : path
        Executed ``.ipynb``.
    output : path
        HTML file to write (atomically).
    title : str
        Page title (client-provided text: escaped).
    lang : {'en', 'he'}, default 'en'
        The report's language (``cfg.language``): the page's ``lang`` and
        ``dir``, and the words of the page shell.

    Returns
    -------
    pathlib.Path
        ``output``.

    Raises
    ------
    ReportError
        The page would load a remote resource.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    body = _body(nb, lang)
    out = page(body, title=title, toc=table_of_contents(body), footer=generated(lang),
               lang=lang)
    check_offline(out, Path(output).name)
    return _outputs.write_text(output, out)
