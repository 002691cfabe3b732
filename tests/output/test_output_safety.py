"""Outputs never delete or overwrite what retainlib did not write (no notebook runs here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import yaml

import retainlib as rl
from retainlib._slug import slugify
from retainlib.cli import main
from retainlib.errors import OutputError
from retainlib.output import folders as _outputs
from retainlib.report import _batch, _client, parse_batch, run_batch
from retainlib.report.metrics import write_outputs


def _client_folder(root):
    """A consultant's client folder: the export, the survey and the config, none of them ours."""
    folder = root / "acme"
    folder.mkdir(parents=True)
    (folder / "sales.csv").write_text("customer_id,date,amount\nc1,2024-01-05,10\n",
                                      encoding="utf-8")
    (folder / "survey.csv").write_text("customer_id,date,score\nc1,2024-01-06,9\n",
                                       encoding="utf-8")
    (folder / "client.yaml").write_text(
        "client: Acme\ndata: sales.csv\nsurvey: {data: survey.csv}\n", encoding="utf-8")
    return folder


def _contents(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_report_into_the_folder_that_holds_the_client_files_is_refused(tmp_path, capsys):
    # the README's first example once deleted ~/clients/acme/{sales,survey}.csv and client.yaml
    folder = _client_folder(tmp_path / "clients")
    before = _contents(folder)
    code = main(["report", str(folder / "client.yaml"), "--out", str(tmp_path / "clients")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(folder) in err and "client.yaml" in err and "choose another --out" in err
    assert _contents(folder) == before


def test_a_folder_named_like_the_client_that_is_not_ours_is_refused(tmp_path, capsys):
    data = _client_folder(tmp_path / "clients")
    out = tmp_path / "reports"
    (out / "acme").mkdir(parents=True)
    (out / "acme" / "notes.txt").write_text("the consultant's own notes", encoding="utf-8")
    assert main(["report", str(data / "client.yaml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "notes.txt" in err and str(out / "acme") in err
    assert (out / "acme" / "notes.txt").read_text(encoding="utf-8") == "the consultant's own notes"
    # nothing was started: no lock, no temporary folder
    assert sorted(p.name for p in out.iterdir()) == ["acme"]


@pytest.mark.parametrize("setup, allowed", [
    ("absent", True),
    ("empty", True),
    ("report", True),           # everything listed in a client-report manifest
    ("report+user-file", False),
    ("report+user-subfile", False),
    ("demo-data", False),       # ours, but the data a report reads: never replaced by a report
    ("no-manifest", False),
    ("file", False),
    ("symlink", False),
])
def test_which_folders_a_report_may_replace(tmp_path, setup, allowed):
    folder = tmp_path / "acme"
    if setup == "empty":
        folder.mkdir()
    elif setup.startswith("report"):
        (folder / "segments").mkdir(parents=True)
        (folder / "report.html").write_text("x", encoding="utf-8")
        (folder / "segments" / "region-north.html").write_text("x", encoding="utf-8")
        _outputs.write_manifest(folder)
        if setup == "report+user-file":
            (folder / "todo.txt").write_text("mine", encoding="utf-8")
        if setup == "report+user-subfile":
            (folder / "segments" / "mine.xlsx").write_text("mine", encoding="utf-8")
    elif setup == "demo-data":
        rl.write_demo(folder, n_customers=20)
    elif setup == "no-manifest":
        folder.mkdir()
        (folder / "report.html").write_text("x", encoding="utf-8")
    elif setup == "file":
        folder.write_text("x", encoding="utf-8")
    elif setup == "symlink":
        (tmp_path / "elsewhere").mkdir()
        folder.symlink_to(tmp_path / "elsewhere")
    if allowed:
        _outputs.check_replaceable(folder)
    else:
        with pytest.raises(OutputError, match="acme"):
            _outputs.check_replaceable(folder)


def test_the_refusal_names_what_is_not_ours(tmp_path):
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "report.html").write_text("x", encoding="utf-8")
    _outputs.write_manifest(folder)
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        _outputs.check_replaceable(folder)
    message = str(info.value)
    assert "a.txt, b.txt" in message and "report.html" not in message


def test_write_text_overwrites_only_its_own_files(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("the client's own page", encoding="utf-8")
    with pytest.raises(OutputError, match="index.html"):
        _outputs.write_text(page, "<p>portfolio</p>")
    assert page.read_text(encoding="utf-8") == "the client's own page"
    ours = tmp_path / "batch_summary.csv"
    _outputs.write_text(ours, "first\n")
    _outputs.write_text(ours, "second\n")  # ours: may be replaced
    assert ours.read_text(encoding="utf-8") == "second\n"
    assert _outputs.owned_files(tmp_path) == ["batch_summary.csv"]


def test_batch_refuses_an_index_or_summary_it_did_not_write_before_running(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("the intranet's front page", encoding="utf-8")
    cfg = rl.write_demo(tmp_path / "data", n_customers=20)
    with pytest.raises(OutputError, match="index.html"):
        run_batch({"clients": [str(cfg)]}, out, workers=1)
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]  # nothing ran


def test_write_outputs_and_write_demo_never_overwrite_a_clients_file(tmp_path):
    (tmp_path / "customers.csv").write_text("the client's own customer list", encoding="utf-8")
    with pytest.raises(OutputError, match="customers.csv"):
        write_outputs(object(), tmp_path)  # refused before anything is computed
    assert (tmp_path / "customers.csv").read_text(encoding="utf-8") == \
        "the client's own customer list"
    (tmp_path / "sales.csv").write_text("real sales", encoding="utf-8")
    with pytest.raises(OutputError, match="sales.csv"):
        rl.write_demo(tmp_path, n_customers=20)
    assert (tmp_path / "sales.csv").read_text(encoding="utf-8") == "real sales"
    demo = tmp_path / "demo"
    first = rl.write_demo(demo, n_customers=20).read_bytes()
    assert rl.write_demo(demo, n_customers=20).read_bytes() == first  # its own files: rewritten


def test_stale_cleanup_matches_the_exact_client_only(tmp_path):
    out = tmp_path
    def made(name, ours=True):
        p = out / name
        p.mkdir()
        (p / "report.ipynb").write_text("{}", encoding="utf-8")
        if ours:
            _outputs.write_manifest(p)
        return p

    crashed = made(".tmp.acme.99999.deadbeef")
    replaced = made(".old.acme.99999.deadbeef")
    other_client = made(".tmp.acme-ltd.12345.cafe0001")  # a live run of "Acme Ltd"
    not_ours = made(".tmp.acme.1.userfolder", ours=False)
    _client._clean_stale(out, "acme")
    assert not crashed.exists() and not replaced.exists()
    assert other_client.is_dir() and not_ours.is_dir()


def test_work_folders_have_unique_names_and_the_umask_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        a = _client._work_folder(tmp_path, "acme")
        b = _client._work_folder(tmp_path, "acme")
        page = _outputs.write_text(a / "report.html", "x")
        root = _outputs.output_root(tmp_path / "new" / "out")
    finally:
        os.umask(old)
    assert a != b and a.name.startswith(f".tmp.acme.{os.getpid()}.")
    assert (a.stat().st_mode & 0o777) == 0o750 and (root.stat().st_mode & 0o777) == 0o750
    assert (page.stat().st_mode & 0o777) == 0o640
    old = os.umask(0o022)
    try:
        page = _outputs.write_text(a / "report.html", "y")
        folder = _client._work_folder(tmp_path, "beta")
    finally:
        os.umask(old)
    assert (page.stat().st_mode & 0o777) == 0o644 and (folder.stat().st_mode & 0o777) == 0o755


def test_a_second_run_of_the_same_client_folder_is_refused_while_the_first_holds_it(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from retainlib.output import folders as _outputs
            with _outputs.folder_lock(Path({str(tmp_path)!r}), "acme", "acme"):
                print("locked", flush=True)
                sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputError, match="another retain run is writing"), \
                _outputs.folder_lock(tmp_path, "acme", "acme"):
            pass
        with _outputs.folder_lock(tmp_path, "acme-ltd", "acme-ltd"):  # another client: free
            pass
    finally:
        holder.communicate("\n", timeout=30)
    with _outputs.folder_lock(tmp_path, "acme", "acme"):  # released with its process
        pass


def _deep_yaml(depth):
    return "client: Deep\ndata: sales.csv\nx: " + "[" * depth + "]" * depth + "\n"


def test_a_config_that_is_not_a_config_error_still_fails_alone(tmp_path):
    good = rl.write_demo(tmp_path / "good", n_customers=20, client="Good")
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / "sales.csv").write_text("customer_id,date,amount\n", encoding="utf-8")
    (deep / "client.yaml").write_text(_deep_yaml(5000), encoding="utf-8")
    loop = tmp_path / "loop"
    loop.mkdir()
    os.symlink(loop / "b.csv", loop / "a.csv")
    os.symlink(loop / "a.csv", loop / "b.csv")
    (loop / "client.yaml").write_text("client: Loop\ndata: a.csv\n", encoding="utf-8")
    batch = tmp_path / "batch.yaml"
    batch.write_text(yaml.safe_dump({"clients": [
        "deep/client.yaml", str(good.relative_to(tmp_path)), "loop/client.yaml"]}),
        encoding="utf-8")
    configs, failed = parse_batch(batch)
    assert [c.client for c in configs] == ["Good"]
    reasons = {f["client"]: f["error"] for f in failed}
    assert set(reasons) == {"deep/client.yaml", "Loop"}  # unreadable: named by its path
    assert all("\n" not in r and "Traceback" not in r for r in reasons.values())
    assert "nested too deeply" in reasons["deep/client.yaml"]
    assert "symlink loop" in reasons["Loop"]
    assert [f["position"] for f in failed] == [0, 2]


def test_retain_report_on_a_deep_or_looping_config_is_one_line(tmp_path, capsys):
    (tmp_path / "deep.yaml").write_text(_deep_yaml(5000), encoding="utf-8")
    assert main(["report", str(tmp_path / "deep.yaml"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "nested too deeply" in err
    os.symlink(tmp_path / "y.csv", tmp_path / "x.csv")
    os.symlink(tmp_path / "x.csv", tmp_path / "y.csv")
    (tmp_path / "loop.yaml").write_text("client: Loop\ndata: x.csv\n", encoding="utf-8")
    assert main(["report", str(tmp_path / "loop.yaml"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "symlink loop" in err


def test_an_unexpected_error_in_one_client_is_a_failed_row(tmp_path, monkeypatch):
    cfg = rl.config.load_config(rl.write_demo(tmp_path / "data", n_customers=20))

    def broken(*args, **kwargs):
        raise RuntimeError("something retainlib did not foresee\nsecond line")

    monkeypatch.setattr(_batch, "run_client", broken)
    row = _batch._run_one(cfg, tmp_path / "out", {"timeout": None})
    assert row["status"] == "failed" and row["client"] == "demo"
    # the whole message, on one line (the line break shown as \n)
    assert row["error"] == ("internal error: RuntimeError: something retainlib did not foresee"
                            "\\nsecond line")


def test_internal_error_prints_one_line_and_saves_the_traceback(tmp_path, monkeypatch, capsys):
    import retainlib.cli

    def broken(*args, **kwargs):
        raise KeyError("unexpected")

    monkeypatch.setattr(retainlib.cli, "report_command", broken)
    assert main(["report", "x.yaml", "--out", str(tmp_path)]) == 3
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "internal error: KeyError" in err
    saved = err.split("the full traceback is in ")[1].split(";")[0]
    text = open(saved, encoding="utf-8").read()
    os.unlink(saved)
    assert text.startswith("Traceback") and "KeyError: 'unexpected'" in text


def test_out_that_is_a_file_is_one_sentence(tmp_path, capsys):
    cfg = rl.write_demo(tmp_path / "data", n_customers=20)
    target = tmp_path / "reports.csv"
    target.write_text("a,b\n", encoding="utf-8")
    for command in (["report", str(cfg)], ["batch", str(tmp_path / "b.yaml")]):
        (tmp_path / "b.yaml").write_text(yaml.safe_dump({"clients": [str(cfg)]}),
                                         encoding="utf-8")
        assert main([*command, "--out", str(target)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and "is a file, not a folder" in err
    assert target.read_text(encoding="utf-8") == "a,b\n"


@pytest.mark.parametrize("value", ["0", "-5", "soon", "inf"])
def test_timeout_must_be_positive_seconds(value, capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "x.yaml", "--timeout", value])
    assert info.value.code == 2
    assert "must be a number of seconds > 0" in capsys.readouterr().err


def test_timeout_config_key_and_batch_level_timeout(tmp_path):
    cfg = rl.write_demo(tmp_path / "data", n_customers=20)
    raw = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    assert rl.config.load_config({**raw, "data": str(cfg.parent / "sales.csv"),
                                  "survey": None, "timeout": 90}).timeout == 90
    with pytest.raises(rl.ConfigError, match="timeout"):
        rl.config.load_config({**raw, "data": str(cfg.parent / "sales.csv"), "survey": None,
                               "timeout": -1})
    configs, _ = parse_batch({"timeout": 120, "clients": [str(cfg)]})
    assert configs[0].timeout == 120
    configs, _ = parse_batch({"timeout": 120, "defaults": {"timeout": 60}, "clients": [str(cfg)]})
    assert configs[0].timeout == 60  # defaults win over the batch-wide value, the client over both


def test_batch_summary_cells_are_safe_from_spreadsheets():
    rows = [{"client": '=HYPERLINK("http://x/?q="&A1,"open")', "status": "failed",
             "seconds": 0.0, "error": "@SUM(1+1)"},
            {"client": "+cmd|\"/c calc\"!A1", "status": "ok", "seconds": -1.5, "error": ""}]
    text = _batch.summary_csv(rows)
    lines = text.split("\r\n")
    assert lines[0] == "client,status,seconds,error"
    assert lines[1] == '"\'=HYPERLINK(""http://x/?q=""&A1,""open"")",failed,0.0,\'@SUM(1+1)'
    assert lines[2] == '"\'+cmd|""/c calc""!A1",ok,-1.5,'  # a number stays a number


def test_manifest_is_json_naming_retainlib(tmp_path):
    _outputs.write_text(tmp_path / "a.txt", "x")
    data = json.loads((tmp_path / ".retainlib.json").read_text(encoding="utf-8"))
    assert data["written_by"] == "retainlib" and list(data["files"]) == ["a.txt"]
    # the stamp that proves later the file is still the one written: "x" has this SHA-256
    assert data["files"]["a.txt"]["size"] == 1
    assert data["files"]["a.txt"]["sha256"] == (
        "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881")
    assert data["version"] == rl.__version__


def test_a_file_retainlib_wrote_but_someone_changed_is_not_overwritten(tmp_path):
    _outputs.write_text(tmp_path / "index.html", "<p>portfolio</p>")
    (tmp_path / "index.html").write_text("<h1>my landing page</h1>", encoding="utf-8")
    with pytest.raises(OutputError, match=r"index.html \(changed since retainlib wrote it\)"):
        _outputs.write_text(tmp_path / "index.html", "<p>portfolio</p>")
    report = tmp_path / "acme"
    report.mkdir()
    (report / "customers.csv").write_text("id\n1\n", encoding="utf-8")
    _outputs.write_manifest(report, client="Acme")
    _outputs.check_replaceable(report, client="Acme")
    (report / "customers.csv").write_text("id\n2\n", encoding="utf-8")  # same size, new text
    with pytest.raises(OutputError, match="customers.csv"):
        _outputs.check_replaceable(report, client="Acme")


def test_a_copied_report_folder_with_the_same_content_is_still_ours(tmp_path):
    import shutil

    report = tmp_path / "acme"
    report.mkdir()
    (report / "report.html").write_text("<p>x</p>", encoding="utf-8")
    _outputs.write_manifest(report, client="Acme")
    copy = tmp_path / "copy"
    shutil.copytree(report, copy, copy_function=shutil.copy)  # new times, same bytes
    assert (copy / "report.html").stat().st_mtime_ns != (report / "report.html").stat().st_mtime_ns
    _outputs.check_replaceable(copy, client="Acme")


def test_the_report_of_another_client_with_the_same_folder_name_is_not_replaced(tmp_path):
    folder = tmp_path / "cohen-sons"
    folder.mkdir()
    (folder / "report.html").write_text("x", encoding="utf-8")
    _outputs.write_manifest(folder, client="Cohen & Sons")
    _outputs.check_replaceable(folder, client="Cohen & Sons")
    with pytest.raises(OutputError, match="'Cohen & Sons', not 'Cohen Sons'"):
        _outputs.check_replaceable(folder, client="Cohen Sons")


def test_retain_demo_refuses_before_writing_its_data(tmp_path, capsys):
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<h1>site</h1>", encoding="utf-8")
    assert main(["demo", "--out", str(web)]) == 2
    assert "index.html" in capsys.readouterr().err
    assert sorted(p.name for p in web.iterdir()) == ["index.html"]  # no _data written


@pytest.mark.parametrize("make", ["manifest-too-deep", "locks-is-a-file", "locks-is-a-link",
                                  "out-is-a-symlink-loop", "newline-in-a-file-name"])
def test_odd_output_folders_are_one_line_and_exit_2(tmp_path, capsys, make):
    cfg = rl.write_demo(tmp_path / "data", n_customers=20, client="Acme")
    out = tmp_path / "out"
    out.mkdir()
    if make == "manifest-too-deep":
        (out / "acme").mkdir()
        (out / "acme" / ".retainlib.json").write_text("[" * 100_000 + "]" * 100_000)
        (out / "acme" / "x").write_text("mine", encoding="utf-8")
    elif make == "locks-is-a-file":
        (out / ".retainlib-locks").write_text("", encoding="utf-8")
    elif make == "locks-is-a-link":
        (tmp_path / "elsewhere").mkdir()
        (out / ".retainlib-locks").symlink_to(tmp_path / "elsewhere")
    elif make == "out-is-a-symlink-loop":
        out.rmdir()
        os.symlink(tmp_path / "loop2", out)
        os.symlink(out, tmp_path / "loop2")
    elif make == "newline-in-a-file-name":
        (out / "acme").mkdir()
        (out / "acme" / "evil\nname").write_text("mine", encoding="utf-8")
    assert main(["report", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("retain report: error: ")
    assert "Traceback" not in err
    if make == "locks-is-a-link":
        assert not list((tmp_path / "elsewhere").iterdir())  # no lock written outside OUT


def test_long_non_latin_names_give_folder_names_within_the_limits(tmp_path):
    for name in ("漢" * 90, "\U00020000" * 90, "א" * 300):
        slug = slugify(name)
        assert 0 < len(slug.encode("utf-8")) <= 120 and slug == slug.strip("-")
        work = _client._work_folder(tmp_path, slug)  # the longest name retainlib makes
        with _outputs.folder_lock(tmp_path, slug, slug):
            pass
        assert work.is_dir()


def test_a_huge_time_limit_starts_a_working_watchdog():
    import threading

    caught = []
    old, threading.excepthook = threading.excepthook, caught.append
    try:
        deadline = _client._Deadline(1e300)
        timer = deadline.watch(km=None)
        assert timer.is_alive()
        timer.cancel()
        timer.join(5)
    finally:
        threading.excepthook = old
    assert caught == [] and not deadline.expired


@pytest.mark.parametrize("value", [-5, "abc", 0, float("inf")])
def test_an_invalid_batch_timeout_makes_the_batch_invalid(tmp_path, value):
    cfg = rl.write_demo(tmp_path / "data", n_customers=20)
    with pytest.raises(rl.ReportError, match="'timeout:' .* must be a number of seconds > 0"):
        parse_batch({"timeout": value, "clients": [str(cfg)]})


def test_a_yaml_alias_inside_itself_is_a_failed_client_with_a_reason(tmp_path):
    cfg = rl.write_demo(tmp_path / "data", n_customers=20)
    (tmp_path / "loop.yaml").write_text(
        f"client: Loop\ndata: {cfg.parent / 'sales.csv'}\nread: &r {{dayfirst: true, x: *r}}\n",
        encoding="utf-8")
    batch = {"defaults": {"read": {"x": {"y": 1}}}, "clients": [str(tmp_path / "loop.yaml")]}
    configs, failed = parse_batch(batch)
    assert configs == [] and len(failed) == 1
    assert "internal error" not in failed[0]["error"]


def test_usage_errors(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", "--json"])
    assert info.value.code == 2
    out = capsys.readouterr().out
    assert json.loads(out) == {"error": "the following arguments are required: CONFIG_OR_DATA"}
    with pytest.raises(SystemExit):
        main(["batch", "b.yaml", "--workers", "0"])
    assert "--workers: must be a whole number >= 1" in capsys.readouterr().err
