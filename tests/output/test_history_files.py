"""history.csv and history_at_risk.csv: appended per run, kept across runs, never a foreign file."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from retainlib.errors import OutputError
from retainlib.output import folders
from retainlib.output.history import add_run, lists_path, read_history


def _metrics(end, customers, crr=0.8):
    return {"observation_end": end, "client": "Acme", "currency": "ILS",
            "customers": customers, "crr": crr, "nps": None}


def test_each_run_adds_one_row_and_its_at_risk_list(tmp_path):
    history = tmp_path / "history.csv"
    add_run(history, _metrics("2025-01-31", 10), pd.Series(["treatment", "control"],
                                                           index=["a", "b"]))
    add_run(history, _metrics("2025-02-28", 12), pd.Series(["treatment"], index=["c"]))
    runs, lists = read_history(history)
    assert runs["observation_end"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-31",
                                                                       "2025-02-28"]
    assert runs["customers"].tolist() == [10, 12] and runs["nps"].isna().all()
    assert lists.assign(list_date=lists["list_date"].dt.strftime("%Y-%m-%d")).values.tolist() \
        == [["2025-01-31", "a", "treatment"], ["2025-01-31", "b", "control"],
            ["2025-02-28", "c", "treatment"]]
    assert folders.owned_files(tmp_path) == ["history.csv", "history_at_risk.csv"]


def test_the_same_report_made_again_replaces_its_row(tmp_path):
    history = tmp_path / "history.csv"
    add_run(history, _metrics("2025-01-31", 10), pd.Series(["treatment"], index=["a"]))
    add_run(history, _metrics("2025-02-28", 12), pd.Series(["treatment"], index=["b"]))
    add_run(history, _metrics("2025-01-31", 11), pd.Series(["control"], index=["z"]))
    runs, lists = read_history(history)
    assert runs["customers"].tolist() == [11, 12]  # sorted by date, January replaced
    assert sorted(lists["customer_id"]) == ["b", "z"]


def test_ids_that_look_like_formulas_are_safe_in_the_file_and_read_back_unchanged(tmp_path):
    history = tmp_path / "history.csv"
    add_run(history, _metrics("2025-01-31", 1), pd.Series(["treatment"] * 3,
                                                          index=["=1+1", "'quoted", "-5"]))
    text = lists_path(history).read_bytes().decode("utf-8-sig")
    assert "\r\n2025-01-31,'=1+1,treatment" in text
    assert sorted(read_history(history)[1]["customer_id"]) == ["'quoted", "-5", "=1+1"]


def test_a_history_file_retainlib_did_not_write_is_never_overwritten(tmp_path):
    history = tmp_path / "history.csv"
    history.write_text("observation_end,customers\n2024-12-31,3\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"holds history.csv, which retainlib did not write"):
        add_run(history, _metrics("2025-01-31", 10), pd.Series(dtype=object))
    assert history.read_text(encoding="utf-8") == "observation_end,customers\n2024-12-31,3\n"
    assert not lists_path(history).exists()


def test_no_history_yet_reads_as_empty(tmp_path):
    runs, lists = read_history(tmp_path / "history.csv")
    assert runs.empty and lists.empty and "customers" in runs.columns


def test_the_runner_carries_the_history_into_the_next_report_folder(tmp_path):
    from retainlib.config import load_config
    from retainlib.report._client import _carry_history, _work_folder

    (tmp_path / "sales.csv").write_text("customer_id,date,amount\n1,2025-01-01,5\n",
                                        encoding="utf-8")
    cfg = load_config({"client": "Acme", "data": "sales.csv"}, base_dir=tmp_path)
    out = tmp_path / "out"
    final = out / "acme"
    final.mkdir(parents=True)
    add_run(final / "history.csv", _metrics("2025-01-31", 10), pd.Series(["treatment"],
                                                                          index=["a"]))
    folders.write_manifest(final, client="Acme")
    work = _work_folder(out, "acme")
    _carry_history(cfg, final, work)
    assert (work / "history.csv").read_bytes() == (final / "history.csv").read_bytes()
    assert {"history.csv", "history_at_risk.csv"} <= set(folders.owned_files(work))
    # the next run appends to the carried copy (retainlib's, so it may)
    add_run(work / "history.csv", _metrics("2025-02-28", 12), pd.Series(dtype=object))
    assert len(read_history(work / "history.csv")[0]) == 2
    manifest = json.loads((work / folders.MANIFEST).read_text(encoding="utf-8"))
    assert "history.csv" in manifest["files"]


def test_a_history_corrected_by_hand_and_saved_by_excel_is_read_and_kept(tmp_path):
    # the consultant deletes the row of a wrong run and saves in Excel: cp1255, no BOM, dates
    # day first; the next run reads it, accepts it as retainlib's history and adds its row
    history = tmp_path / "history.csv"
    for end, n in (("2025-01-31", 10), ("2025-02-28", 99), ("2025-03-31", 12)):
        add_run(history, {**_metrics(end, n), "client": "אקמה"}, pd.Series(dtype=object))
    lines = history.read_text(encoding="utf-8-sig").splitlines()
    edited = [lines[0], lines[1].replace("2025-01-31", "31/01/2025"), lines[3]]  # Feb deleted
    history.write_bytes("\r\n".join(edited).encode("cp1255"))
    add_run(history, _metrics("2025-04-30", 13), pd.Series(dtype=object))
    runs, _ = read_history(history)
    assert runs["observation_end"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-31", "2025-03-31", "2025-04-30"]
    assert runs["customers"].tolist() == [10, 12, 13]


def test_a_hand_edit_that_breaks_a_line_is_named_with_its_line_and_nothing_is_lost(tmp_path):
    from retainlib.errors import DataError

    history = tmp_path / "history.csv"
    add_run(history, _metrics("2025-01-31", 10), pd.Series(dtype=object))
    add_run(history, _metrics("2025-02-28", 12), pd.Series(dtype=object))
    text = history.read_text(encoding="utf-8-sig")
    history.write_text(text.replace("2025-02-28", "Feb 2025"), encoding="utf-8-sig")
    with pytest.raises(DataError, match=r"^line 3 of the history file .*history.csv: "
                                        r"observation_end 'Feb 2025' is not a date such as "
                                        r"2025-10-31; correct it or delete the line$"):
        add_run(history, _metrics("2025-03-31", 13), pd.Series(dtype=object))
    assert "Feb 2025" in history.read_text(encoding="utf-8-sig")  # left as the consultant has it
    history.write_text(text.replace(",10,", ",ten,"), encoding="utf-8-sig")
    with pytest.raises(DataError, match=r"line 2 .*: customers 'ten' is not a number"):
        read_history(history)


def test_a_published_report_folder_with_a_history_edited_by_hand_can_be_replaced(tmp_path):
    # retain report refuses to replace a folder holding a file changed since retainlib wrote
    # it; the history is meant to be corrected by hand, so it is taken back when it reads
    from retainlib.output.history import accept_edits

    final = tmp_path / "acme"
    final.mkdir()
    add_run(final / "history.csv", _metrics("2025-01-31", 10), pd.Series(dtype=object))
    (final / "report.html").write_text("<p>report</p>", encoding="utf-8")
    folders.write_manifest(final, client="Acme")
    edited = (final / "history.csv").read_text(encoding="utf-8-sig").replace(",10,", ",11,")
    (final / "history.csv").write_text(edited, encoding="utf-8")
    with pytest.raises(OutputError, match=r"history.csv \(changed since retainlib wrote it\)"):
        folders.check_replaceable(final, client="Acme")
    assert accept_edits(final) == ["history.csv", "history_at_risk.csv"]
    folders.check_replaceable(final, client="Acme")  # no longer refused
    (final / "report.html").write_text("<p>mine</p>", encoding="utf-8")  # any other file: still
    with pytest.raises(OutputError, match=r"report.html \(changed since retainlib wrote it\)"):
        folders.check_replaceable(final, client="Acme")


def test_a_history_file_retainlib_never_wrote_is_not_taken_as_an_edit(tmp_path):
    from retainlib.output.history import accept_edits

    (tmp_path / "history.csv").write_text("observation_end,customers\n2024-12-31,3\n",
                                          encoding="utf-8")
    assert accept_edits(tmp_path) == []
    with pytest.raises(OutputError, match=r"holds history.csv, which retainlib did not write"):
        add_run(tmp_path / "history.csv", _metrics("2025-01-31", 10), pd.Series(dtype=object))
