"""`retain demo --language he --pdf`, end to end: the whole report in Hebrew, right to left (#14).

One demo client (a smaller retailer than the real demo's 20,000 customers, the
same report shape) is rendered once for the module, with its segment reports,
the portfolio page and the PDFs; every test reads that one render. The visible
text is the page's text nodes without style sheets or scripts, as a reader sees
it; the client's own data values (its name, its segment values, the rows of
its file shown in the data-quality table) are the client's words, not the
report's, and are left out before counting letters.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser

import pytest

from retainlib.cli import main
from tests.test_i18n import LATIN_ALLOWED

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.browser

HEBREW = re.compile(r"[\u0590-\u05FF]")
LATIN = re.compile(r"[A-Za-z]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Latin words a Hebrew page may show besides the catalogue's (tests/test_i18n.py): the time
#: zone of the footer, the authors of the models' papers, the config key a reader types
#: (clv.penalizer), and one-letter symbols (the cohort formula's k, the models' parameters
#: r, a, b, p, q, v as their papers name them)
PAGE_LATIN = LATIN_ALLOWED | {"UTC", "Fader", "Hardie", "Lee", "and", "clv", "penalizer"} | {
    chr(c) for c in range(ord("a"), ord("z") + 1)}
#: names, not words: file names and the program's name are left out of the letter count
NAMES = re.compile(r"\b[\w.-]+\.(?:csv|xlsx|json|pdf|html)\b|\bretainlib\b")


class _Visible(HTMLParser):
    """The text a reader sees: text nodes outside <style>, <script> and <head>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def demo_he(tmp_path_factory):
    import retainlib.datasets

    real = retainlib.datasets.write_demo
    mp = pytest.MonkeyPatch()
    mp.setattr(retainlib.datasets, "write_demo",
               lambda folder, **kw: real(folder, n_customers=1500, **kw))
    out = tmp_path_factory.mktemp("hebrew") / "demo-out"
    try:
        code = main(["demo", "--out", str(out), "--language", "he", "--pdf"])
    finally:
        mp.undo()
    assert code == 0
    return out


def _client_words(folder) -> set[str]:
    """The client's own data shown in its reports: its name, its segment values, the name of
    its sales file and the cells of its rejected rows (as the file had them: '#VALUE!')."""
    m = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    words = {str(m.get("client") or "")}
    words |= {str(v) for values in (m.get("segments") or {}).values() for v in values}
    config = (folder / "client_config.yaml").read_text(encoding="utf-8")
    words |= set(re.findall(r"^data: .*/([^/.]+)\.\w+$", config, flags=re.M))
    with (folder / "rejected_rows.csv").open(encoding="utf-8-sig", newline="") as f:
        words |= {cell for row in list(csv.reader(f))[1:] for cell in row[2:]}
    return {w for w in words if w}


def _without(text: str, words: set[str]) -> str:
    for w in sorted(words, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", " ", text)
    return text


def _pages(out):
    folder = out / "demo"
    return [folder / "report.html", *sorted((folder / "segments").glob("*.html")),
            out / "index.html"]


def test_every_page_is_hebrew_right_to_left(demo_he):
    pages = _pages(demo_he)
    assert len(pages) >= 3  # the report, at least one segment report, the portfolio
    for path in pages:
        head = path.read_text(encoding="utf-8")[:200]
        assert '<html lang="he" dir="rtl">' in head, path.name


def test_hebrew_letters_far_outweigh_latin_letters(demo_he):
    words = _client_words(demo_he / "demo")
    for path in _pages(demo_he):
        text = NAMES.sub(" ", _without(visible(path.read_text(encoding="utf-8")), words))
        hebrew, latin = len(HEBREW.findall(text)), len(LATIN.findall(text))
        assert hebrew >= 10 * latin, (path.name, hebrew, latin)


def test_only_the_accepted_latin_words_are_shown(demo_he):
    words = _client_words(demo_he / "demo")
    found: dict[str, set[str]] = {}
    for path in _pages(demo_he):
        text = NAMES.sub(" ", _without(visible(path.read_text(encoding="utf-8")), words))
        others = set(LATIN_WORD.findall(text)) - PAGE_LATIN
        if others:
            found[path.name] = others
    assert found == {}


def test_no_iso_dates_in_the_visible_text(demo_he):
    found = {path.name: ISO_DATE.findall(visible(path.read_text(encoding="utf-8")))
             for path in _pages(demo_he)}
    assert {name: dates for name, dates in found.items() if dates} == {}


def test_page_titles_and_headings_are_hebrew(demo_he):
    page = (demo_he / "demo" / "report.html").read_text(encoding="utf-8")
    assert "<title>demo: דוח שימור לקוחות</title>" in page
    assert "<h2>תוכן עניינים</h2>" in page
    # the sections keep their ids in every language; their headings are the catalogue's
    assert '<h2 class="section" id="Are-we-keeping-our-customers?">האם אנחנו שומרים על ' \
           "הלקוחות?</h2>" in page
    assert 'href="#Appendix-F:-Method-notes">נספח ו׳: הערות מתודולוגיות</a>' in page
    for seg in (demo_he / "demo" / "segments").glob("*.html"):
        title = re.search(r"<title>(.*?)</title>", seg.read_text(encoding="utf-8")).group(1)
        assert title.startswith("demo – ") and HEBREW.search(title), title


def test_the_pdf_is_hebrew(demo_he):
    pages = pypdf.PdfReader(str(demo_he / "demo" / "report.pdf")).pages
    assert 5 <= len(pages) <= 16
    words = _client_words(demo_he / "demo")
    text = NAMES.sub(" ", _without(" ".join(p.extract_text() for p in pages), words))
    hebrew, latin = len(HEBREW.findall(text)), len(LATIN.findall(text))
    assert hebrew >= 10 * latin, (hebrew, latin)
    first = pages[0].extract_text()
    assert "מנהלים" in first  # page one holds the executive summary (תקציר מנהלים)
    assert "עמוד" in first  # the page number in words ('עמוד 1 מתוך 12')


@pytest.mark.parametrize("name", ["customers.csv", "at_risk.csv", "win_back.csv",
                                  "rejected_rows.csv"])
def test_the_exported_column_headers_are_hebrew(demo_he, name):
    path = demo_he / "demo" / name
    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    # every header is Hebrew words or an accepted abbreviation (the demo's segment columns,
    # region and channel, have Hebrew labels in the catalogue)
    latin = [h for h in header if not HEBREW.search(h)
             and not set(LATIN_WORD.findall(h)) <= LATIN_ALLOWED]
    assert latin == [], header


# --- the section headings (retainlib.report.sections), without a render ---

def _analysis(lang, segment=None):
    from types import SimpleNamespace

    return SimpleNamespace(lang=lang, segment=segment)


@pytest.mark.parametrize("segment", [None, ("region", "North")])
def test_section_ids_are_the_same_in_every_language(segment):
    from retainlib.report import sections

    parts = sections.APPENDIX[1:] if segment else sections.APPENDIX
    for name in (*sections.MAIN, *parts):
        ids = {re.search(r'id="([^"]+)"', sections.heading(_analysis(lang, segment), name))[1]
               for lang in ("en", "he")}
        assert len(ids) == 1, (name, ids)


def test_appendix_parts_are_lettered_in_each_language_and_a_segment_starts_at_cohorts():
    from retainlib.report import sections

    assert sections.title("cohorts") == "Appendix B: Cohorts and retention by period"
    assert sections.title("cohorts", segment=True).startswith("Appendix A:")
    assert sections.title("methods", "he") == "נספח ו׳: הערות מתודולוגיות"
    assert sections.title("methods", "he", segment=True).startswith("נספח ה׳:")
    with pytest.raises(ValueError, match="no 'data_quality' part"):
        sections.heading(_analysis("en", ("region", "North")), "data_quality")
    with pytest.raises(ValueError, match="unknown report section"):
        sections.heading(_analysis("en"), "intro")


def test_file_names_and_formulas_keep_their_order_in_a_hebrew_intro():
    from retainlib.report import sections

    action = sections.heading(_analysis("he"), "action")
    assert "<code>at_risk.csv</code> ו-<code>win_back.csv</code>" in action
    notes = sections.method_notes(_analysis("he"))
    assert '<bdi dir="ltr">(E − N) / S</bdi>' in notes and '<bdi dir="ltr">1 − CRR</bdi>' in notes
    # the segment report's method notes say first who the segment's customers are
    assert "לקוחות הפלח הם" in sections.method_notes(_analysis("he", ("region", "North")))
    assert "לקוחות הפלח הם" not in notes
