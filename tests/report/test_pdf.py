"""report.pdf: printed by headless Chromium beside each report.html, read back with pypdf.

`make test` installs chromium first (`make browser`). One demo client is rendered once for
the module with `retain demo --pdf` (a smaller retailer than the real demo's 20,000
customers, same report shape: tables are cut at the same number of rows).
"""

from __future__ import annotations

import json
import re
import shutil
import stat

import pytest

from retainlib.cli import main
from retainlib.errors import OutputError, ReportError
from retainlib.report import pdf as report_pdf
from retainlib.report._html import page

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.browser

A4 = (595, 842)  # points, portrait


def _pages(path):
    return pypdf.PdfReader(str(path)).pages


def _text(p) -> str:
    return " ".join(p.extract_text().split())


def _body(p) -> str:
    """A page's text without its page number ('3 / 13', printed in the bottom margin)."""
    return re.sub(r"^\d+ / \d+ ", "", _text(p))


def _size(p) -> tuple[int, int]:
    box = p.mediabox
    return round(float(box.width)), round(float(box.height))


def _toy_page(tmp_path):
    """A report page of two sections; the second one's cell is tagged new-page."""
    body = ('<div class="cell text_cell celltag_x"><h1 class="report-title">Toy &amp; Co</h1>'
            '<h2 id="Executive-summary">Executive summary</h2><p>First page.</p></div>'
            '<div class="cell text_cell celltag_new-page"><h2 id="Two">Second section</h2>'
            "<p>Second page.</p></div>")
    path = tmp_path / "toy.html"
    path.write_text(page(body, title="Toy", toc='<ol><li><a href="#Two">Two</a></li></ol>'),
                    encoding="utf-8")
    return path


def test_print_pdf_gives_a4_pages_breaking_before_a_new_page_section(tmp_path):
    out = report_pdf.print_pdf(_toy_page(tmp_path), tmp_path / "toy.pdf")
    pages = _pages(out)
    assert len(pages) == 2 and {_size(p) for p in pages} == {A4}
    first, second = _text(pages[0]), _text(pages[1])
    # the title and the summary share page one; the table of contents is not printed
    assert "Toy & Co" in first and "Executive summary" in first and "Contents" not in first
    assert "Second section" in second and "First page" not in second
    assert "1 / 2" in first  # page numbers in the bottom margin
    # written the safe way: recorded in the folder's manifest, no temporary file left
    manifest = json.loads((tmp_path / ".retainlib.json").read_text(encoding="utf-8"))
    assert "toy.pdf" in manifest["files"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".retainlib.json", "toy.html",
                                                           "toy.pdf"]


def test_print_pdf_never_replaces_a_pdf_retainlib_did_not_write(tmp_path):
    (tmp_path / "toy.pdf").write_bytes(b"the client's own file")
    with pytest.raises(OutputError, match="toy.pdf, which retainlib did not write"):
        report_pdf.print_pdf(_toy_page(tmp_path), tmp_path / "toy.pdf")
    assert (tmp_path / "toy.pdf").read_bytes() == b"the client's own file"


def test_missing_chromium_is_one_sentence_with_the_install_command(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReportError) as info:
        report_pdf.find_chromium()
    message = str(info.value)
    assert "\n" not in message and "sudo apt-get install chromium" in message
    assert "leave out --pdf" in message


def test_retain_demo_pdf_without_chromium_exits_2_before_writing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["demo", "--out", str(tmp_path / "out"), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "apt-get install chromium" in err
    assert not (tmp_path / "out").exists()


def test_a_browser_that_fails_leaves_no_pdf_and_says_why(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'ERROR: cannot open display' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(ReportError, match=r"exit code 3: ERROR: cannot open display"):
        report_pdf.print_pdf(_toy_page(tmp_path), tmp_path / "toy.pdf", chromium=str(fake))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chromium", "toy.html"]


def test_a_browser_that_hangs_is_stopped_at_the_time_limit(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(ReportError, match="did not finish printing within 1 s"):
        report_pdf.print_pdf(_toy_page(tmp_path), tmp_path / "toy.pdf", chromium=str(fake),
                             timeout=1)
    assert not (tmp_path / "toy.pdf").exists()


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory):
    import retainlib.datasets

    real = retainlib.datasets.write_demo
    mp = pytest.MonkeyPatch()
    mp.setattr(retainlib.datasets, "write_demo",
               lambda folder, **kw: real(folder, n_customers=1500, **kw))
    out = tmp_path_factory.mktemp("pdf") / "demo-out"
    try:
        code = main(["demo", "--out", str(out), "--pdf"])
    finally:
        mp.undo()
    assert code == 0
    return out


def test_demo_pdf_is_short_and_opens_on_the_executive_summary(demo_pdf):
    pages = _pages(demo_pdf / "demo" / "report.pdf")
    assert 5 <= len(pages) <= 14
    # A4; the appendix's full segment tables on landscape pages
    assert {_size(p) for p in pages} <= {A4, A4[::-1]}
    first = _body(pages[0])
    assert first.startswith("demo")  # the title, not a table of contents
    assert "Executive summary" in first and "Recommended actions" in first
    assert "Contents" not in first
    # each question starts a page of its own, in the order of the report
    heads = ["Are we keeping our customers?", "Where is the value?", "Who needs action?",
             "What is retention worth?", "Appendix"]
    starts = [next(i for i, p in enumerate(pages) if _body(p).startswith(h)) for h in heads]
    assert starts == sorted(starts) and starts[0] == 1
    assert {_size(p) for p in pages[:starts[-1]]} == {A4}  # the management part: portrait
    wide = [i for i, p in enumerate(pages) if _size(p) == A4[::-1]]
    assert all(_body(pages[i]).startswith(("Appendix D: Segment tables", "By ")) for i in wide)


def test_every_report_html_gets_its_pdf_recorded_as_retainlib_s(demo_pdf):
    folder = demo_pdf / "demo"
    htmls = sorted(p.relative_to(folder) for p in folder.rglob("*.html"))
    pdfs = sorted(p.relative_to(folder) for p in folder.rglob("*.pdf"))
    assert [h.with_suffix(".pdf") for h in htmls] == pdfs and len(pdfs) >= 2
    manifest = json.loads((folder / ".retainlib.json").read_text(encoding="utf-8"))
    assert {str(p) for p in pdfs} <= set(manifest["files"])
    assert not [p for p in folder.rglob("*") if p.name.endswith(".part")]
    for seg in (folder / "segments").glob("*.pdf"):
        assert len(_pages(seg)) <= 14


def test_portfolio_pdf_is_one_landscape_page(demo_pdf):
    pages = _pages(demo_pdf / "index.pdf")
    assert len(pages) == 1 and _size(pages[0]) == A4[::-1]
    assert "Client portfolio" in _text(pages[0]) and "demo" in _text(pages[0])
    manifest = json.loads((demo_pdf / ".retainlib.json").read_text(encoding="utf-8"))
    assert "index.pdf" in manifest["files"]



def test_a_hebrew_page_prints_right_to_left_with_page_numbers_in_words(tmp_path):
    body = ('<div class="cell text_cell"><h1 class="report-title">רשת הדגמה</h1>'
            '<h2 id="Executive-summary">תקציר מנהלים</h2><p>עמוד ראשון.</p></div>'
            '<div class="cell text_cell celltag_new-page"><h2 id="Two">האם אנחנו שומרים על '
            "הלקוחות?</h2><p>עמוד שני.</p></div>")
    path = tmp_path / "toy.html"
    path.write_text(page(body, title="דוח", toc="", lang="he"), encoding="utf-8")
    pages = _pages(report_pdf.print_pdf(path, tmp_path / "toy.pdf"))
    assert len(pages) == 2 and {_size(p) for p in pages} == {A4}
    first, second = _text(pages[0]), _text(pages[1])
    # the Hebrew glyphs are in the PDF (a font with Hebrew letters), each section on its page
    assert re.search(r"[\u05d0-\u05ea]{3}", first) and "תוכן עניינים" not in first
    assert "שני" in second and "ראשון" not in second
    # 'עמוד 1 מתוך 2' (pypdf may give a right-to-left line in either order), not '1 / 2'
    assert "עמוד" in first and "מתוך" in first and "1 / 2" not in first
