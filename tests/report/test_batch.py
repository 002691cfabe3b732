"""Batch runs: batch file validation, defaults, parallel clients, one failing client."""

from __future__ import annotations

import csv
import shutil

import pytest
import yaml

import retainlib as rl
from retainlib.cli import main
from retainlib.config.batch import merge
from retainlib.errors import ReportError
from retainlib.report import parse_batch, run_batch


def test_merge_is_deep_and_client_wins():
    d = {"currency": "ILS", "clv": {"horizon_months": 12, "margin": 0.3}}
    c = {"clv": {"margin": 0.5}, "client": "x"}
    assert merge(d, c) == {"currency": "ILS", "clv": {"horizon_months": 12, "margin": 0.5},
                           "client": "x"}


@pytest.mark.parametrize("text, message", [
    ("clients: [a.yaml", "not valid YAML at line"),
    ("- a.yaml\n", "must be a mapping with 'clients:'"),
    ("client: [a.yaml]\n", "unknown key 'client'.*did you mean 'clients'"),
    ("clients: []\n", "needs 'clients:', a non-empty list"),
    ("clients: [3]\n", "item 1 of 'clients:'.*must be a config file path or an inline config"),
    ("clients: [a.yaml]\ndefaults: 3\n", "'defaults:' .* must be a mapping"),
])
def test_invalid_batch_files(tmp_path, text, message):
    path = tmp_path / "batch.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError, match=message):
        parse_batch(path)


def test_a_client_with_a_bad_config_fails_in_its_place(tmp_path):
    (tmp_path / "bad.yaml").write_text("client: Bad\ndata: nowhere.csv\n", encoding="utf-8")
    code, rows = run_batch({"clients": [str(tmp_path / "bad.yaml")]}, tmp_path / "out")
    assert code == 1
    assert [(r["client"], r["status"], r["position"]) for r in rows] == [("Bad", "failed", 0)]
    assert "nowhere.csv" in rows[0]["error"]
    summary = (tmp_path / "out" / "batch_summary.csv").read_text(encoding="utf-8")
    assert summary.splitlines()[1].startswith("Bad,failed,0.0,")
    assert "Bad" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_invalid_batch_exits_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "batch.yaml"
    path.write_text("clients: nope\n", encoding="utf-8")
    assert main(["batch", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("retain batch: error: ")
    assert not (tmp_path / "out").exists()
    assert main(["batch", str(tmp_path / "missing.yaml")]) == 2


def test_clients_sharing_a_folder_are_refused(tmp_path):
    cfg = rl.write_demo(tmp_path / "d", n_customers=50)
    with pytest.raises(ReportError, match="would share the folder 'demo'"):
        parse_batch({"clients": [str(cfg), {"client": "Demo", "data": str(cfg.parent /
                                                                          "sales.csv")}]})


def test_defaults_and_paths_relative_to_the_batch_file(tmp_path):
    cfg = rl.write_demo(tmp_path / "acme", n_customers=50, client="Acme")
    (tmp_path / "batch.yaml").write_text(yaml.safe_dump({
        "defaults": {"currency": "USD", "clv": {"horizon_months": 6}},
        "clients": ["acme/client.yaml",
                    {"client": "Inline", "data": "acme/sales.csv", "currency": "EUR",
                     "columns": yaml.safe_load(cfg.read_text(encoding="utf-8"))["columns"]},
                    "nowhere/client.yaml"],
    }), encoding="utf-8")
    configs, failed = parse_batch(tmp_path / "batch.yaml")
    acme, inline = configs
    # the client file sets currency ILS and horizon 12, which win over the defaults
    assert (acme.currency, acme.clv.horizon_months, acme.clv.margin) == ("ILS", 12, 0.35)
    assert (inline.currency, inline.clv.horizon_months) == ("EUR", 6)
    assert inline.data == (tmp_path / "acme" / "sales.csv").resolve()
    assert [f["client"] for f in failed] == ["nowhere/client.yaml"]
    assert "not found" in failed[0]["error"]


@pytest.fixture(scope="module")
def three_clients(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    a = rl.write_demo(root / "north", n_customers=250, client="North Shop")
    b = rl.write_demo(root / "south", n_customers=250, seed=1, client="South Shop")
    broken = root / "broken"
    shutil.copytree(root / "south", broken)
    raw = yaml.safe_load((broken / "client.yaml").read_text(encoding="utf-8"))
    raw["client"] = "Broken Shop"
    (broken / "client.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True),
                                        encoding="utf-8")
    (broken / "sales.csv").write_bytes(b"this is not the export you are looking for\n\x00\x01")
    batch = root / "batch.yaml"
    batch.write_text(yaml.safe_dump({"clients": [str(a.relative_to(root)),
                                                 "broken/client.yaml",
                                                 str(b.relative_to(root))]}), encoding="utf-8")
    out = root / "out"
    code, rows = run_batch(batch, out, workers=2, max_segment_values=1)
    return code, rows, out


def test_one_broken_client_fails_alone(three_clients):
    code, rows, out = three_clients
    assert code == 1
    status = {r["client"]: r["status"] for r in rows}
    assert status == {"North Shop": "ok", "Broken Shop": "failed", "South Shop": "ok"}
    assert (out / "north-shop" / "report.html").is_file()
    assert (out / "south-shop" / "report.html").is_file()
    assert not (out / "broken-shop" / "report.html").exists()
    assert (out / "broken-shop" / "report.ipynb").is_file()  # kept for the audit


def test_batch_summary_and_index(three_clients):
    _, rows, out = three_clients
    with (out / "batch_summary.csv").open(encoding="utf-8") as f:
        summary = list(csv.DictReader(f))
    assert [r["client"] for r in summary] == ["North Shop", "Broken Shop", "South Shop"]
    assert list(summary[0]) == ["client", "status", "seconds", "error"]
    broken = summary[1]
    assert broken["status"] == "failed"
    assert broken["error"].startswith("cell ") and "Error" in broken["error"]
    assert float(summary[0]["seconds"]) > 0 and summary[0]["error"] == ""
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="north-shop/report.html"' in index
    assert 'href="south-shop/report.html"' in index
    assert "broken-shop/report.html" not in index
    assert 'href="broken-shop/report.ipynb"' in index
    assert "2 of 3 client reports rendered" in index
    assert sorted(p.name for p in out.iterdir()) == [
        ".retainlib-locks", ".retainlib.json", "batch_summary.csv", "broken-shop", "index.html",
        "north-shop", "south-shop"]


def test_retain_demo_renders_index_and_demo_report(tmp_path, monkeypatch, capsys):
    import retainlib.datasets

    real = retainlib.datasets.write_demo
    monkeypatch.setattr(retainlib.datasets, "write_demo",  # small for the suite
                        lambda folder, **kw: real(folder, n_customers=200, **kw))
    out = tmp_path / "demo-out"
    assert main(["demo", "--out", str(out)]) == 0
    assert (out / "index.html").is_file() and (out / "demo" / "report.html").is_file()
    assert (out / "demo" / "segments").is_dir()
    assert sorted(p.name for p in out.iterdir()) == [
        ".retainlib-locks", ".retainlib.json", "_data", "batch_summary.csv", "demo", "index.html"]
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / "index.html"), str(out / "demo" / "report.html")]


def test_retain_report_exit_codes(tmp_path, capsys):
    bad = tmp_path / "client.yaml"
    (tmp_path / "sales.csv").write_text("customer_id,date,amount\n", encoding="utf-8")
    bad.write_text("client: Empty\ndata: sales.csv\n", encoding="utf-8")
    assert main(["report", str(bad), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "Empty failed: cell " in err and "report.ipynb" in err
    assert not (tmp_path / "out" / "empty" / "report.html").exists()
    bad.write_text("client: Empty\ndata: sales.csv\nperiod: fortnight\n", encoding="utf-8")
    assert main(["report", str(bad), "--out", str(tmp_path / "out")]) == 2
