"""Report runs that always finish: time limits on hanging notebooks, concurrent runs, isolation.

The hanging notebooks here really hang (``time.sleep`` in a kernel that ignores
Ctrl-C), so the time limit has to kill the kernel; they stand in for the report
notebook through ``notebook_path`` (in this process, or in a child process
started by :func:`_retain`).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import textwrap
import time

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook

import retainlib as rl
from retainlib.output import folders
from retainlib.report import _client, run_batch, run_report

pytestmark = pytest.mark.notebook

#: a stand-in for the report notebook: hangs (ignoring SIGINT) when the client is named Hang...,
#: sleeps a few seconds when named Slow..., and otherwise writes the outputs the runner reads
_CELLS = [
    'config: str = ""  # client config\noutput_dir: str = ""  # outputs\ncache: str = ""  # cache',
    "import pathlib, signal, time\nname = pathlib.Path(config).read_text(encoding='utf-8')\n"
    "print('started')",
    "if 'Hang' in name:\n    signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "    while True:\n        time.sleep(1)\nif 'Slow' in name:\n    time.sleep(8)",
    "pathlib.Path(output_dir, 'metrics.json').write_text('{\"segments\": {}}')\nprint('done')",
]


@pytest.fixture(scope="module")
def fake_report(tmp_path_factory):
    nb = new_notebook(cells=[new_code_cell(c) for c in _CELLS])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = tmp_path_factory.mktemp("nb") / "fake_report.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def use_fake_report(monkeypatch, fake_report):
    real = _client.notebook_path
    monkeypatch.setattr(_client, "notebook_path",
                        lambda name: fake_report if name == "report" else real(name))


def _data(root, name, **extra):
    """A tiny client (the fake notebook does not read its data)."""
    folder = root / name.lower().replace(" ", "-")
    folder.mkdir(parents=True)
    (folder / "sales.csv").write_text("customer_id,date,amount\nc1,2024-01-05,10\n",
                                      encoding="utf-8")
    (folder / "client.yaml").write_text(yaml.safe_dump({"client": name, "data": "sales.csv",
                                                        **extra}), encoding="utf-8")
    return folder / "client.yaml"


def test_a_hanging_client_times_out_and_the_batch_goes_on(tmp_path, use_fake_report):
    hang = _data(tmp_path, "Hang Shop", timeout=6)  # the limit from the client's config key
    quick = _data(tmp_path, "Quick Shop")
    out = tmp_path / "out"
    t0 = time.monotonic()
    code, rows = run_batch({"clients": [str(hang), str(quick)]}, out, workers=1,
                           segments=False)
    elapsed = time.monotonic() - t0
    assert code == 1
    hung, ok = rows
    assert hung["status"] == "failed" and hung["error"].startswith("timed out after 6 s")
    assert ok["status"] == "ok" and (out / "quick-shop" / "report.html").is_file()
    assert elapsed < 6 + 60  # the kernel was killed, not waited for
    # the partial notebook is kept, says it was stopped and marks the cell that was running
    nb = nbformat.read(out / "hang-shop" / "report.ipynb", as_version=4)
    assert nb.cells[0].cell_type == "markdown" and "timed out after 6 s" in nb.cells[0].source
    running = [c for c in nb.cells if c.cell_type == "code" and any(
        "retainlib stopped the kernel here" in o.get("text", "") for o in c.outputs)]
    assert len(running) == 1 and "while True" in running[0].source
    assert not (out / "hang-shop" / "report.html").exists()
    with (out / "batch_summary.csv").open(encoding="utf-8") as f:
        summary = {r["client"]: r for r in csv.DictReader(f)}
    assert summary["Hang Shop"]["status"] == "failed"
    assert "timed out after 6 s" in summary["Hang Shop"]["error"]
    assert "timed out after 6 s" in (out / "index.html").read_text(encoding="utf-8")


def _retain(fake_report, *args, **kwargs):
    """``retain ARGS`` in a child process whose report notebook is ``fake_report``."""
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        import retainlib.report._client as c
        real = c.notebook_path
        fake = Path({str(fake_report)!r})
        c.notebook_path = lambda name: fake if name == "report" else real(name)
        from retainlib.cli import main
        sys.exit(main(sys.argv[1:]))
    """)
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_retain_report_timeout_flag_is_one_line(tmp_path, fake_report):
    cfg = _data(tmp_path, "Hang Shop")
    proc = _retain(fake_report, "report", str(cfg), "--out", str(tmp_path / "out"),
                   "--timeout", "5")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Hang Shop failed: timed out after 5 s" in lines[0]
    assert "hang-shop/report.ipynb" in lines[0]  # where the partial notebook is


def test_two_runs_of_the_same_client_at_once(tmp_path, fake_report):
    cfg = _data(tmp_path, "Slow Shop")
    out = tmp_path / "out"
    first = _retain(fake_report, "report", str(cfg), "--out", str(out), "--max-segments", "0")
    deadline = time.monotonic() + 60
    while not [p for p in out.glob(".tmp.slow-shop.*") if p.is_dir()]:  # the first is running
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.1)
    second = _retain(fake_report, "report", str(cfg), "--out", str(out))
    _, err2 = second.communicate(timeout=120)
    _, err1 = first.communicate(timeout=120)
    assert first.returncode == 0, err1
    assert second.returncode == 2
    assert err2.strip().count("\n") == 0 and "another retain run is writing" in err2
    folder = out / "slow-shop"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".retainlib.json", "client_config.yaml", "metrics.json", "report.html", "report.ipynb"]
    assert not list(out.glob(".tmp.*")) and not list(out.glob(".old.*"))
    # and once the first has finished, the same client runs again into the same folder
    third = _retain(fake_report, "report", str(cfg), "--out", str(out))
    assert third.wait(timeout=120) == 0


def test_parallel_batch_with_prefix_sharing_names_and_a_broken_config(tmp_path):
    acme = rl.write_demo(tmp_path / "acme", n_customers=150, client="Acme")
    ltd = rl.write_demo(tmp_path / "acme-ltd", n_customers=150, seed=1, client="Acme Ltd")
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / "client.yaml").write_text("client: Deep\nx: " + "[" * 5000 + "]" * 5000 + "\n",
                                      encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    crashed = out / f".tmp.acme.{os.getpid()}.crashed"  # a crashed run of Acme left this
    crashed.mkdir()
    folders.write_manifest(crashed)
    batch = tmp_path / "batch.yaml"
    batch.write_text(yaml.safe_dump({"clients": ["acme/client.yaml", "deep/client.yaml",
                                                 "acme-ltd/client.yaml"]}), encoding="utf-8")
    code, rows = run_batch(batch, out, workers=2, max_segment_values=0)
    assert code == 1
    status = {r["client"]: (r["status"], r["error"]) for r in rows}
    assert status["Acme"] == ("ok", "") and status["Acme Ltd"] == ("ok", "")
    assert status["deep/client.yaml"][0] == "failed"
    assert "nested too deeply" in status["deep/client.yaml"][1]
    for slug in ("acme", "acme-ltd"):
        assert (out / slug / "report.html").is_file() and (out / slug / "customers.csv").is_file()
    assert not crashed.exists() and not list(out.glob(".tmp.*"))
    assert acme.is_file() and ltd.is_file()  # the inputs are untouched
    # a second run replaces both report folders (they are ours)
    code, rows = run_batch(batch, out, workers=2, max_segment_values=0)
    assert [r["status"] for r in rows] == ["ok", "failed", "ok"]


def test_an_internal_error_keeps_its_traceback_in_the_failed_folder(tmp_path, monkeypatch,
                                                                    use_fake_report):
    cfg = _data(tmp_path, "Odd Shop")

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(_client, "render_html", broken)  # fails after the notebook ran
    row = run_report(cfg, tmp_path / "out", segments=False)
    assert row["status"] == "failed"
    assert row["error"] == ("internal error: ZeroDivisionError: division by zero (full "
                            "traceback in odd-shop/traceback.txt)")
    text = (tmp_path / "out" / "odd-shop" / "traceback.txt").read_text(encoding="utf-8")
    assert "ZeroDivisionError" in text and "Traceback" in text
