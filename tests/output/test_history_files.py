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
