"""The report runner: parameter check, kernel, HTML rendering, one client's output folder."""

from __future__ import annotations

import errno
import json
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import retainlib as rl
from retainlib.errors import ReportError
from retainlib.report import check_parameters, kernel_name, notebook_path, render_html, slugify
from retainlib.report._html import check_offline, table_of_contents
from retainlib.report._runner import _is_start_race

PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU"
           "5ErkJggg==")


def test_unknown_parameter_is_an_error_with_did_you_mean():
    with pytest.raises(ReportError, match=r"no parameter 'confg'.*Did you mean 'config'\?"):
        check_parameters(notebook_path("report"), {"confg": "x.yaml"})


def test_mistyped_parameter_value_is_an_error():
    with pytest.raises(ReportError, match="'table_rows' .* must be int, got str"):
        check_parameters(notebook_path("report"), {"table_rows": "15"})
    with pytest.raises(ReportError, match="must be int, got bool"):
        check_parameters(notebook_path("report"), {"table_rows": True})
    check_parameters(notebook_path("report"), {"config": "a.yaml", "table_rows": 5})


def test_kernel_runs_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(kernel_name())
    assert spec.argv[0] == sys.executable or spec.argv[0] == sys.executable.replace("//", "/")


def test_kernel_start_races_are_recognised():
    import zmq

    assert _is_start_race(zmq.error.ZMQError(errno.EADDRINUSE))
    assert _is_start_race(RuntimeError("Kernel died before replying to kernel_info"))
    assert not _is_start_race(ValueError("bad value"))


def test_slugify_is_safe():
    assert slugify("Acme Ltd. / North") == "acme-ltd-north"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("<script>") == "script"
    assert slugify("...") == "item"
    assert slugify("חנות הכרמל") == "חנות-הכרמל"


def _toy_notebook():
    nb = new_notebook()
    img = new_code_cell("plot()", outputs=[new_output("display_data",
                                                      data={"image/png": PNG_1PX})])
    html_out = new_code_cell("tbl()", outputs=[new_output(
        "execute_result", data={"text/html": "<p>table &lt;b&gt;</p>"}, execution_count=1)])
    nb.cells = [new_markdown_cell("# Intro"), new_markdown_cell("## Section one"), img,
                new_markdown_cell("## Section (two)"), html_out]
    nb.cells[0].metadata["tags"] = ["remove-cell"]
    return nb


def test_render_html_hides_code_embeds_images_and_links_the_toc(tmp_path):
    nb_path = tmp_path / "toy.ipynb"
    nbformat.write(_toy_notebook(), nb_path)
    out = render_html(nb_path, tmp_path / "toy.html", title="A & B <Ltd>")
    page = out.read_text(encoding="utf-8")
    assert "plot()" not in page and "tbl()" not in page  # inputs excluded
    assert "Intro" not in page  # remove-cell tag
    assert f"data:image/png;base64,{PNG_1PX}" in page
    assert "<title>A &amp; B &lt;Ltd&gt;</title>" in page
    assert 'href="#Section-one"' in page and 'id="Section-one"' in page
    assert "http://" not in page.lower().replace("http://www.w3.org", "")
    assert "<script" not in page.lower()
    assert "@media print" in page


def test_stderr_warnings_become_an_escaped_section(tmp_path):
    nb = _toy_notebook()
    nb.cells[2].outputs.append(new_output(
        "stream", name="stderr",
        text="/x/retainlib/cohorts.py:341: RetainlibWarning: 1 cohort <b>bad</b>\n  return f()\n"))
    nbformat.write(nb, tmp_path / "w.ipynb")
    page = render_html(tmp_path / "w.ipynb", tmp_path / "w.html", title="t").read_text()
    assert "cohorts.py" not in page and "return f()" not in page  # no raw stderr
    assert "<li>1 cohort &lt;b&gt;bad&lt;/b&gt;</li>" in page
    assert '<a href="#Data-warnings">Data warnings</a>' in page


def test_toc_lists_h2_sections_in_order():
    body = ('<h2 id="a">First<a class="anchor-link" href="#a">¶</a></h2><h3 id="x">no</h3>'
            '<h2 id="b&amp;c">Second &amp; more</h2>')
    assert table_of_contents(body) == ('<ol><li><a href="#a">First</a></li>'
                                       '<li><a href="#b&amp;c">Second &amp; more</a></li></ol>')


@pytest.mark.parametrize("bad", [
    '<script src="https://cdn.example.com/require.js"></script>',
    '<link rel="stylesheet" href="//fonts.example.com/x.css">',
    '<img src="http://example.com/a.png">',
    "<style>@import 'x.css';</style>",
])
def test_remote_resources_are_refused(bad):
    with pytest.raises(ReportError, match="remote resource"):
        check_offline(f"<html><body>{bad}</body></html>")


@pytest.fixture(scope="module")
def client_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("runner")
    cfg = rl.write_demo(root / "data", n_customers=300, client="Acme <b>& Co")
    out = root / "out"
    crashed = out / ".tmp.acme-b-co.1.crashed"  # a crashed run's leftovers, with its manifest
    (crashed / "segments").mkdir(parents=True)
    (crashed / ".retainlib.json").write_text('{"written_by": "retainlib", "files": []}')
    row = rl.run_report(cfg, out, max_segment_values=1)
    return row, out, root


def test_run_report_writes_the_client_folder(client_report):
    row, out, _ = client_report
    assert row["status"] == "ok", row["error"]
    assert row["slug"] == "acme-b-co" and row["report"] == "acme-b-co/report.html"
    folder = out / "acme-b-co"
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        ".retainlib.json", "at_risk.csv", "client_config.yaml", "customers.csv", "history.csv",
        "history_at_risk.csv", "metrics.json", "rejected_rows.csv", "report.html", "report.ipynb",
        "segments", "win_back.csv"])
    # the manifest lists every file the run wrote, so the next run may replace the folder
    written = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                     if p.is_file() and p.name != ".retainlib.json")
    manifest = json.loads((folder / ".retainlib.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == written and manifest["kind"] == "client report"
    assert manifest["client"] == "Acme <b>& Co"
    # one value per segment column: the most common region and channel
    assert sorted(p.name for p in (folder / "segments").iterdir()) == sorted([".retainlib.json", *(
        f"{c}-{slugify(v)}.html" for c, v in (
            ("region", json.loads((folder / "metrics.json").read_text())["segments"]["region"][0]),
            ("channel",
             json.loads((folder / "metrics.json").read_text())["segments"]["channel"][0])))])
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "Acme &lt;b&gt;&amp; Co" in page and "Acme <b>" not in page
    assert "analyse(" not in page  # no code


def test_nothing_written_outside_out(client_report):
    _, out, root = client_report
    assert sorted(p.name for p in root.iterdir()) == ["data", "out"]
    assert sorted(p.name for p in (root / "data").iterdir()) == [
        ".retainlib.json", "client.yaml", "sales.csv", "survey.csv"]
    # no temporary folder left (the crashed run's one was removed); only the lock folder
    assert sorted(p.name for p in out.iterdir()) == [".retainlib-locks", "acme-b-co"]


def test_failed_report_replaces_the_old_folder_without_html(client_report, tmp_path):
    row, out, root = client_report
    # same client name, data file that has no usable row: the notebook fails in the analysis
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_id,date,amount\n,,\n", encoding="utf-8")
    failed = rl.run_report({"client": "Acme <b>& Co", "data": str(bad)}, out, segments=False)
    assert failed["status"] == "failed"
    assert failed["error"].startswith("cell ") and "DataError" in failed["error"]
    folder = out / "acme-b-co"
    # the history of the earlier successful run is carried over, not lost with the failed run
    assert sorted(p.name for p in folder.iterdir()) == [
        ".retainlib.json", "client_config.yaml", "history.csv", "history_at_risk.csv",
        "report.ipynb"]
    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    assert any("papermill-error-cell" in c.source for c in nb.cells)


def test_display_table_escapes_ids_and_formats_numbers():
    import pandas as pd

    from retainlib.report.display import note, table

    df = pd.DataFrame({"date": pd.to_datetime(["2024-01-02", None]),
                       "revenue": [1234.5, None], "crr": [0.5, 0.25],
                       "customer_id": ["<b>x</b>", "0012"]}).set_index("customer_id")
    html_text = table(df, currency="ILS", rows=1, caption="Top <1>")
    assert '>&lt;b&gt;x&lt;/b&gt;</th>' in html_text and "<b>x" not in html_text
    # money in full, whole shekels (1234.5 rounds half up to 1,235); a rate with one decimal
    assert '>2024-01-02</td>' in html_text and '>₪1,235</td>' in html_text
    assert '>50.0%</td>' in html_text
    assert "0012" not in html_text  # rows=1 shows the first row only
    assert "Top &lt;1&gt; (first 1 of 2 rows)" in html_text
    assert note("a <script>") == '<p class="note">a &lt;script&gt;</p>'
