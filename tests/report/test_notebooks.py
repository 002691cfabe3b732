"""The notebooks: stripped, thin, documented parameters, and each one runs end to end."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import papermill
import pytest

import retainlib as rl
from retainlib.report import execute, notebook_parameters

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
MAX_LINES = 4  # "a few lines at most per cell"


def test_the_three_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["explore.ipynb", "retention_report.ipynb",
                                           "segment_report.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name}: outputs not stripped"
            assert cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = [ln for ln in cell.source.splitlines() if ln.strip()]
        is_params = "parameters" in cell.metadata.get("tags", [])
        assert is_params or len(lines) <= MAX_LINES, f"{path.name}: long cell {cell.source!r}"
        code = "\n".join(ln for ln in lines if not ln.lstrip().startswith("%"))
        for node in ast.walk(ast.parse(code)):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef |
                                  ast.For | ast.AsyncFor | ast.While | ast.Lambda |
                                  ast.ListComp | ast.DictComp | ast.SetComp |
                                  ast.GeneratorExp), f"{path.name}: logic in {cell.source!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_first_annotated_literals_with_comments(path):
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    first = code_cells[0]
    assert first.metadata.get("tags") == ["parameters"]
    lines = first.source.splitlines()
    tree = ast.parse(first.source)
    assert len(tree.body) == len(lines)
    for stmt, line in zip(tree.body, lines, strict=True):
        assert isinstance(stmt, ast.AnnAssign) and isinstance(stmt.value, ast.Constant), line
        assert "  # " in line, f"no comment: {line}"
    params = notebook_parameters(path)  # what papermill --help-notebook shows
    assert all(p["help"] and p["type"] in ("str", "int", "float", "bool")
               for p in params.values()), params
    assert params["config"]["default"] == '"demo"'


def test_explore_runs_with_its_defaults_on_small_demo(tmp_path):
    out = tmp_path / "explore.ipynb"
    execute(rl.report.notebook_path("explore"), out, {"demo_customers": 300}, cwd=tmp_path)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert not [p for p in tmp_path.iterdir() if p != out]  # nothing else written


def test_report_and_segment_notebooks_run_end_to_end(tmp_path):
    cfg = rl.write_demo(tmp_path / "data", n_customers=300)
    work = tmp_path / "out"
    work.mkdir()
    cache = str(work / "core.pkl")
    execute(rl.report.notebook_path("report"), work / "report.ipynb",
            {"config": str(cfg), "output_dir": str(work), "cache": cache}, cwd=work)
    metrics = json.loads((work / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["client"] == "demo" and metrics["customers"] > 0
    value = metrics["segments"]["channel"][0]
    execute(rl.report.notebook_path("segment"), work / "segment.ipynb",
            {"config": str(cfg), "segment": "channel", "value": value, "cache": cache}, cwd=work)
    for name in ("report.ipynb", "segment.ipynb"):
        nb = nbformat.read(work / name, as_version=4)
        images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if "image/png" in o.get("data", {})]
        assert len(images) >= 3, name
    assert sorted(p.name for p in work.iterdir()) == [
        ".retainlib.json", "at_risk.csv", "core.pkl", "customers.csv", "history.csv",
        "history_at_risk.csv", "metrics.json", "rejected_rows.csv", "report.ipynb",
        "segment.ipynb", "win_back.csv"]


def test_a_failing_cell_raises_with_the_banner_notebook_kept(tmp_path):
    out = tmp_path / "failed.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as info:
        execute(rl.report.notebook_path("report"), out,
                {"config": str(tmp_path / "missing.yaml")}, cwd=tmp_path)
    assert info.value.ename == "ConfigError"
    nb = nbformat.read(out, as_version=4)
    assert any("papermill-error-cell" in c.source for c in nb.cells if c.cell_type == "markdown")


QUESTIONS = ["Are we keeping our customers?", "Where is the value?", "Who needs action?",
             "What is retention worth?"]
#: what only analysts read: it belongs in the appendix
ANALYST_CALLS = ("show.model_parameters", "show.frequency_fit", "show.holdout_tracking",
                 "show.p_alive_matrix", "show.segment_tables", "show.data_quality",
                 "show.model_section", "show.holdout_fit", "show.retention_curves")


def _heading(cell, segment: bool) -> str | None:
    """The English heading a cell writes: a '## ' markdown cell, or a sections call (#14)."""
    from retainlib.report import sections as sec

    if cell.cell_type == "markdown" and cell.source.startswith("## "):
        return cell.source.splitlines()[0][3:]
    if cell.cell_type == "code" and cell.source == "sec.method_notes(a)":
        return sec.title("methods", segment=segment)
    if cell.cell_type == "code" and cell.source.startswith("sec.heading(a, "):
        return sec.title(ast.literal_eval(cell.source[len("sec.heading(a, "):-1]),
                         segment=segment)
    return None


def _sections(path):
    """(heading, tags, code sources) of each section of a notebook, in order."""
    nb = nbformat.read(path, as_version=4)
    sections = []
    for cell in nb.cells:
        heading = _heading(cell, segment=Path(path).stem == "segment_report")
        if heading is not None:
            sections.append((heading, cell.metadata.get("tags", []), []))
        elif cell.cell_type == "code" and sections:
            sections[-1][2].append(cell.source)
    return sections


@pytest.mark.parametrize("name", ["retention_report", "segment_report"])
def test_report_opens_with_the_summary_then_one_section_per_question(name):
    sections = _sections(NOTEBOOKS[0].parent / f"{name}.ipynb")
    heads = [h for h, _, _ in sections]
    assert heads[:5] == ["Executive summary", *QUESTIONS]
    assert all(h.startswith("Appendix") for h in heads[5:]) and heads[-1].endswith("Method notes")
    summary = sections[0][2]
    assert summary == ["layout.tiles(a)", "show.summary(a)"]
    # every question and the appendix start a printed page; the summary shares page one
    breaks = [h for h, tags, _ in sections if "new-page" in tags]
    assert breaks == [*QUESTIONS, "Appendix"]
    assert [h for h, tags, _ in sections if "appendix" in tags] == ["Appendix"]


@pytest.mark.parametrize("name", ["retention_report", "segment_report"])
def test_model_detail_and_full_tables_are_in_the_appendix_only(name):
    sections = _sections(NOTEBOOKS[0].parent / f"{name}.ipynb")
    main = [src for _, _, code in sections[:5] for src in code]
    appendix = [src for _, _, code in sections[5:] for src in code]
    assert not [s for s in main if s.startswith(ANALYST_CALLS)]
    assert "show.segment_tables(a)" in appendix
    # each question: at most one chart, and its small tables (display keeps them <= 7 columns)
    charts = ("show.kpi_trends", "show.pareto(", "show.cohort_heatmap", "show.frequency_fit")
    for head, _, code in sections[1:5]:
        assert sum(s.startswith(charts) for s in code) <= 1, head


@pytest.mark.parametrize("name", ["retention_report", "segment_report"])
def test_every_appendix_part_has_a_heading_lettered_from_a(name):
    sections = _sections(NOTEBOOKS[0].parent / f"{name}.ipynb")
    appendix = sections[5:]
    assert appendix[0][0] == "Appendix" and appendix[0][2] == []  # the intro holds no output
    letters = [h.split(":")[0].removeprefix("Appendix ") for h, _, _ in appendix[1:]]
    assert letters == list("ABCDEF"[:len(letters)])
    assert all(code for _, _, code in appendix[1:-1])  # each part shows something


def test_segment_report_appendix_reads_a_to_e():
    heads = [h for h, _, _ in _sections(NOTEBOOKS[0].parent / "segment_report.ipynb")][6:]
    assert heads == ["Appendix A: Cohorts and retention by period",
                     "Appendix B: The purchase and spend models", "Appendix C: Segment tables",
                     "Appendix D: Customer survey (NPS)", "Appendix E: Method notes"]


@pytest.mark.browser
def test_a_heading_printed_by_a_code_cell_stays_with_its_note_and_chart(tmp_path):
    # the models' sections (show.model_section: "Holdout check") are code-cell outputs, not
    # markdown; in print their heading, the note and the chart after it share a page
    pypdf = pytest.importorskip("pypdf")
    from retainlib.report import pdf as report_pdf
    from retainlib.report._html import page

    try:
        report_pdf.find_chromium()
    except rl.errors.ReportError:
        pytest.skip("chromium is not installed (make browser)")

    def cell(html):
        return (f'<div class="cell border-box-sizing code_cell rendered"><div class="output">'
                f'<div class="output_area">{html}</div></div></div>')

    svg = ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='400' "
           "height='300'><rect width='400' height='300' fill='grey'/></svg>")
    body = (cell('<div style="height:215mm">A long table above.</div>')
            + cell('<div class="output_html rendered_html"><h3>Holdout check</h3>'
                   "<p>Does the model predict what customers really did?</p></div>")
            + cell('<div class="output_html rendered_html"><p class="note">Predicted 10 '
                   "against 9 actual.</p></div>")
            + cell(f'<div class="output_png output_subarea"><img style="height:80mm" '
                   f'src="{svg}"/></div>'))
    path = tmp_path / "toy.html"
    path.write_text(page(body, title="Toy", toc=""), encoding="utf-8")
    pages = pypdf.PdfReader(str(report_pdf.print_pdf(path, tmp_path / "toy.pdf"))).pages
    texts = [" ".join(p.extract_text().split()) for p in pages]
    assert len(texts) == 2
    assert "Holdout check" not in texts[0]
    assert "Holdout check" in texts[1] and "Predicted 10 against 9 actual." in texts[1]
