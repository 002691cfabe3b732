"""Segment reports beyond --max-segments are named, not dropped silently."""

import pytest

import retainlib.report as report
from retainlib.cli import main
from retainlib.report._client import _segments


def test_values_beyond_the_limit_are_listed_as_skipped(tmp_path):
    # limit 0: no notebook runs, every value is listed (most customers first, as given)
    values = {"region": ["North", "South"], "channel": ["web"]}
    errors, skipped = _segments(None, tmp_path, {}, values, 0, 60, {}, None)
    assert errors == []
    assert skipped == ["region=North", "region=South", "channel=web"]


def test_cli_passes_the_limit_and_names_the_skipped_segments(monkeypatch, capsys, tmp_path):
    seen = {}

    def fake_run_report(config, out, *, max_segment_values, timeout, pdf, **more):
        seen["limit"], seen["timeout"], seen["pdf"] = max_segment_values, timeout, pdf
        seen.update(more)
        return {"client": "Acme", "status": "ok", "error": "", "report": "acme/report.html",
                "segments_skipped": ["region=North", "region=South"]}

    monkeypatch.setattr(report, "run_report", fake_run_report)
    assert main(["report", "acme.yaml", "--out", str(tmp_path), "--max-segments", "3",
                 "--timeout", "90"]) == 0
    err = capsys.readouterr().err
    assert seen["limit"] == 3 and seen["timeout"] == 90.0 and seen["pdf"] is False
    # no --language / --engine: the config's own keys decide
    assert seen.get("language") is None and seen.get("engine") is None
    assert "no report for region=North, region=South" in err and "--max-segments" in err


def test_cli_rejects_a_negative_limit(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["report", "acme.yaml", "--max-segments", "-1"])
    assert stop.value.code == 2
    assert "must be a whole number >= 0" in capsys.readouterr().err
