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
        ".retainlib.json", "at_risk.csv", "core.pkl", "customers.csv", "metrics.json",
        "rejected_rows.csv", "report.ipynb", "segment.ipynb"]


def test_a_failing_cell_raises_with_the_banner_notebook_kept(tmp_path):
    out = tmp_path / "failed.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as info:
        execute(rl.report.notebook_path("report"), out,
                {"config": str(tmp_path / "missing.yaml")}, cwd=tmp_path)
    assert info.value.ename == "ConfigError"
    nb = nbformat.read(out, as_version=4)
    assert any("papermill-error-cell" in c.source for c in nb.cells if c.cell_type == "markdown")
