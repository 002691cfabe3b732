"""`--pdf` on retain report, batch and demo: offered, documented, refused early without Chromium.

The PDFs themselves are tested in tests/report/test_pdf.py (they need a rendered report).
"""

from __future__ import annotations

import shutil

import pytest

import retainlib as rl
from retainlib.cli import _build_parser, main


@pytest.mark.parametrize("command", [["report", "client.yaml"], ["batch", "batch.yaml"],
                                     ["demo"]])
def test_pdf_is_an_option_of_the_rendering_commands(command):
    args = _build_parser().parse_args([*command, "--pdf"])
    assert args.pdf is True
    assert _build_parser().parse_args(command).pdf is False


def test_help_says_what_pdf_needs(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--pdf also write report.pdf beside each report.html" in text
    assert "sudo apt-get install chromium" in text


@pytest.fixture
def no_chromium(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)


def test_report_pdf_without_chromium_exits_2_and_runs_nothing(tmp_path, capsys, no_chromium):
    cfg = rl.write_demo(tmp_path / "data", n_customers=50)
    assert main(["report", str(cfg), "--out", str(tmp_path / "out"), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("retain report: error: --pdf prints")
    assert "install it with 'sudo apt-get install chromium'" in err
    assert not (tmp_path / "out").exists()


def test_batch_pdf_without_chromium_exits_2_and_runs_nothing(tmp_path, capsys, no_chromium):
    cfg = rl.write_demo(tmp_path / "data", n_customers=50)
    batch = tmp_path / "batch.yaml"
    batch.write_text(f"clients: [{cfg}]\n", encoding="utf-8")
    assert main(["batch", str(batch), "--out", str(tmp_path / "out"), "--pdf"]) == 2
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_batch_pdf_refuses_an_index_pdf_that_is_not_retainlib_s(tmp_path, capsys):
    cfg = rl.write_demo(tmp_path / "data", n_customers=50)
    batch = tmp_path / "batch.yaml"
    batch.write_text(f"clients: [{cfg}]\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.pdf").write_bytes(b"%PDF- the client's own")
    assert main(["batch", str(batch), "--out", str(tmp_path / "out"), "--pdf"]) == 2
    assert "index.pdf, which retainlib did not write" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["index.pdf"]
