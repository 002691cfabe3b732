"""The rendered reports opened in real headless Chromium (Debian's /usr/bin/chromium).

`make test` installs chromium first (`make browser`); Playwright only drives it
(its own browser download does not work offline and is never used).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import retainlib as rl
from retainlib.report.narrative import segment_title

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
EVIL = "Shop <b>&</b> Co"
DEMO_SEGMENTS = {"region": ("North", "South", "Center", "Jerusalem"),
                 "channel": ("app", "store", "web")}


@pytest.fixture(scope="module")
def batch_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    cfg = rl.write_demo(root / "data", n_customers=300, client=EVIL)
    code, rows = rl.run_batch({"clients": [str(cfg)]}, root / "out", workers=1,
                              max_segment_values=1)
    assert code == 0, rows
    return root / "out", rows[0]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), "chromium not installed: run `make browser`"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, path: Path, shot: Path):
    """Load a page; return (page, console errors, requested urls). Saves a screenshot."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.screenshot(path=str(shot), full_page=True)
    return page, errors, requests


def _check_page(page, errors, requests):
    assert errors == []
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert outside == []
    assert not page.query_selector("#papermill-error-cell")
    text = page.inner_text("body")
    assert "An Exception was encountered" not in text
    # no code: no input areas, no source lines of the notebooks
    assert page.query_selector_all(".jp-InputArea, .input_area, .jp-CodeCell .jp-Editor") == []
    for source in ("analyse(", "show.", "import retainlib", "demo_customers"):
        assert source not in text
    # every image loaded
    sizes = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
    assert all(done and width > 0 for done, width in sizes), sizes
    # every table-of-contents link lands on an element of the page
    targets = page.eval_on_selector_all(
        "nav.toc a", "els => els.map(a => [a.getAttribute('href'), "
        "!!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))])")
    assert targets and all(href.startswith("#") and found for href, found in targets), targets
    return text, sizes


def test_client_report_in_chromium(browser, batch_out, tmp_path):
    out, row = batch_out
    page, errors, requests = _open(browser, out / row["report"], tmp_path / "report.png")
    text, sizes = _check_page(page, errors, requests)
    # cohort heatmap, retention curves, KPI trend, Pareto, frequency fit, tracking, P(alive)
    assert len(sizes) == 7
    alts = page.eval_on_selector_all("img", "els => els.map(e => e.alt)")
    assert all(alt and "No description" not in alt for alt in alts), alts
    toc = page.eval_on_selector_all("nav.toc a", "els => els.map(a => a.textContent)")
    sections = ["Executive summary", "Are we keeping our customers?", "Where is the value?",
                "Who needs action?", "What is retention worth?", "Since the last report",
                "Appendix", "Appendix A: Data quality",
                "Appendix B: Cohorts and retention by period",
                "Appendix C: The purchase and spend models", "Appendix D: Segment tables",
                "Appendix E: Customer survey (NPS)", "Appendix F: Method notes"]
    assert toc in (sections, [*sections, "Data warnings"])
    assert "Recommended actions" in text
    # the client's name is shown as text, never as markup
    assert page.inner_text("h1.report-title") == EVIL
    assert page.query_selector_all("h1.report-title b") == []
    assert page.title() == f"{EVIL}: retention report"
    assert (tmp_path / "report.png").stat().st_size > 10_000


#: the cells of the management part: everything before the appendix's first cell
_MAIN_CELLS = ("els => { const out = []; for (const c of els) { "
               "if (c.classList.contains('celltag_appendix')) break; out.push(c); } return out; }")


def _main_tables(page) -> list[tuple[int, bool]]:
    """(columns, fits without scrolling) of each table before the appendix."""
    return page.eval_on_selector_all(
        "main .cell", f"els => ({_MAIN_CELLS})(els).flatMap(c => [...c.querySelectorAll("
        "'.table-wrap')]).map(w => [w.querySelector('tr').children.length, "
        "w.scrollWidth <= w.clientWidth + 1])")


def test_first_screen_is_the_executive_summary_with_its_tiles(browser, batch_out, tmp_path):
    out, row = batch_out
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((out / row["report"]).resolve().as_uri(), wait_until="load")
    shot = tmp_path / "first-screen.png"
    page.screenshot(path=str(shot))  # the first screen only, as a reader opens the report
    assert shot.stat().st_size > 20_000
    box = page.eval_on_selector(
        "main", "m => { const r = s => m.querySelector(s).getBoundingClientRect(); "
        "return {title: r('h1.report-title').bottom, summary: r('#Executive-summary').top, "
        "tiles: r('.tiles').bottom, actions: r('.executive-summary').top}; }")
    assert box["title"] < box["summary"] < box["tiles"] <= box["actions"] < 900, box
    tiles = page.eval_on_selector_all(".tile", "els => els.map(e => [e.querySelector("
                                      "'.tile-label').innerText, e.querySelector('.tile-value')"
                                      ".innerText, e.getBoundingClientRect().bottom])")
    labels = [label.lower() for label, _, _ in tiles]
    assert labels[:3] == ["customers", "revenue", "customer retention rate"], labels
    assert "net promoter score" in labels and len(tiles) >= 6
    assert all(value.strip() and bottom < 900 for _, value, bottom in tiles), tiles
    # the management part: small tables that fit the screen without scrolling
    tables = _main_tables(page)
    assert tables and all(cols <= 7 and fits for cols, fits in tables), tables
    # on paper: no table of contents, and the summary is the first thing after the title
    page.emulate_media(media="print")
    assert page.eval_on_selector("nav.toc", "n => getComputedStyle(n).display") == "none"
    breaks = page.eval_on_selector_all(
        "main .cell", "els => els.filter(c => getComputedStyle(c).breakBefore === 'page')"
        ".map(c => c.querySelector('h2').innerText)")
    assert breaks == ["Are we keeping our customers?", "Where is the value?", "Who needs action?",
                      "What is retention worth?", "Appendix"]
    page.close()


def test_segment_report_and_index_in_chromium(browser, batch_out, tmp_path):
    out, row = batch_out
    seg = out / row["segments"][0]
    page, errors, requests = _open(browser, seg, tmp_path / "segment.png")
    _check_page(page, errors, requests)
    # a title, not 'demo: region = North': the segment in words, the client in the page title
    title = page.inner_text("h1.report-title")
    assert title.lower() in {segment_title((column, v)).lower()
                             for column, values in DEMO_SEGMENTS.items() for v in values}
    assert page.title() == f"{EVIL}: {title}"
    assert all(cols <= 7 and fits for cols, fits in _main_tables(page))
    page, errors, requests = _open(browser, out / "index.html", tmp_path / "index.png")
    assert errors == [] and all(u.startswith("file://") for u in requests)
    link = page.query_selector("table.portfolio a")
    assert link.inner_text() == EVIL
    href = link.get_attribute("href")
    assert (out / href).is_file()
    assert page.query_selector_all("table.portfolio b") == []


@pytest.fixture(scope="module")
def hebrew_out(tmp_path_factory):
    """A small demo client with a Hebrew name, rendered in Hebrew (no segment reports)."""
    root = tmp_path_factory.mktemp("browser-he")
    cfg = rl.write_demo(root / "data", n_customers=300, client="רשת הדגמה")
    code, rows = rl.run_batch({"clients": [str(cfg)]}, root / "out", workers=1, segments=False,
                              language="he")
    assert code == 0, rows
    return root / "out", rows[0]


def test_hebrew_first_screen_reads_right_to_left(browser, hebrew_out, tmp_path):
    out, row = hebrew_out
    page, errors, requests = _open(browser, out / row["report"], tmp_path / "report-he.png")
    text, _ = _check_page(page, errors, requests)
    assert page.eval_on_selector("html", "h => [h.lang, h.dir, getComputedStyle(h).direction]") \
        == ["he", "rtl", "rtl"]
    assert "תקציר מנהלים" in text and page.title() == "רשת הדגמה: דוח שימור לקוחות"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "first-screen-he.png"
    page.screenshot(path=str(shot))  # the first screen, as a reader opens the report
    assert shot.stat().st_size > 20_000
    box = page.evaluate(
        "() => { const r = e => e.getBoundingClientRect();"
        " const m = document.querySelector('main');"
        " const pad = parseFloat(getComputedStyle(m).paddingRight), t = document.createRange();"
        " t.selectNodeContents(document.querySelector('h1.report-title'));"
        " const tiles = [...document.querySelectorAll('.tile')].map(e => r(e).right);"
        " return {main_left: r(m).left, main_right: r(m).right - pad, title: r(t),"
        " toc_left: r(document.querySelector('nav.toc')).left, tiles: tiles}; }")
    # the title ends at the right edge of the text column, far from its left edge
    assert abs(box["title"]["right"] - box["main_right"]) <= 2, box
    assert box["title"]["left"] - box["main_left"] > 200, box
    # the table of contents on the right of the text; the first tile is the rightmost
    assert box["toc_left"] >= box["main_right"], box
    assert box["tiles"][0] > box["tiles"][1] and abs(box["tiles"][0] - box["main_right"]) <= 2
    # table headers and the text of the tables start on the right
    aligns = page.eval_on_selector_all("main table th", "els => els.map(e => "
                                       "getComputedStyle(e).textAlign)")
    assert aligns and set(aligns) <= {"right", "start"}, set(aligns)
    # a signed number inside a Hebrew sentence keeps its sign in front, as laid out on screen:
    # the x position of each character of the first '+'/'-' number of the executive summary
    drawn = page.evaluate(
        "() => { for (const b of document.querySelectorAll('.executive-summary p bdi')) {"
        " const t = b.firstChild; if (!t || !/^[+-]\\d/.test(t.data)) continue;"
        " const r = document.createRange(); const xs = [];"
        " for (let i = 0; i < t.length; i++) { r.setStart(t, i); r.setEnd(t, i + 1);"
        " xs.push([t.data[i], r.getBoundingClientRect().x]); } return xs; } return null; }")
    assert drawn and drawn == sorted(drawn, key=lambda c: c[1]), drawn  # left to right: '+19'
    page.close()
