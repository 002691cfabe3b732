"""Campaign files: read with the same rules and row accounting as every input; config checks."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainlib.cli import main
from retainlib.config import load_config
from retainlib.errors import ConfigError, DataError
from retainlib.load.campaigns import NoCampaignRows, read_campaign


def test_every_row_is_kept_or_rejected_with_its_reason(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "customer_id,group\n"
        "1,treatment\n"       # line 2: kept
        "2,Control\n"         # line 3: kept (any case)
        ",treatment\n"        # line 4: blank customer id
        "3,\n"                # line 5: blank group
        "4,maybe\n"           # line 6: unknown group
        "5,treatment\n"       # line 7: customer in both groups (with line 8)
        "5,control\n"         # line 8
        "1,treatment\n"       # line 9: repeated customer (already in treatment)
        "6,טיפול\n",          # line 10: kept (Hebrew treatment)
        encoding="utf-8")
    groups, report = read_campaign(path)
    assert groups.to_dict() == {"1": "treatment", "2": "control", "6": "treatment"}
    assert report.rows_read == report.rows_kept + report.rows_rejected == 9
    assert dict(zip(report.rejected["line"], report.rejected["reason"], strict=True)) == {
        4: "blank customer id", 5: "blank group", 6: "unknown group",
        7: "customer in both groups", 8: "customer in both groups", 9: "repeated customer"}


def test_hebrew_headers_are_mapped_like_the_crm_exports_them(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("מספר לקוח,קבוצה\n007,ביקורת\n008,קבוצת טיפול\n", encoding="utf-8")
    groups, _ = read_campaign(path, columns={"customer_id": "מספר לקוח", "group": "קבוצה"})
    assert groups.to_dict() == {"007": "control", "008": "treatment"}  # leading zeros kept


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1", "2", "3", "", " "]),
                          st.sampled_from(["treatment", "control", "", "x", "ביקורת"])),
                min_size=1, max_size=12))
def test_rows_read_are_rows_kept_plus_rows_rejected(rows):
    raw = pd.DataFrame(rows, columns=["customer_id", "group"])
    try:
        groups, report = read_campaign(raw)
    except NoCampaignRows as exc:
        assert exc.rows <= len(rows)
        return
    # an entirely empty row is a blank line, not a row (as in every loader)
    assert report.rows_read == report.rows_kept + report.rows_rejected \
        == len(rows) - report.blank_lines
    assert groups.index.is_unique and set(groups) <= {"treatment", "control"}


def test_both_groups_empty_is_a_data_error_in_one_sentence(tmp_path):
    (tmp_path / "empty.csv").write_text("customer_id,group\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"empty.csv has no customers below its header: both "
                                        r"groups of the campaign are empty"):
        read_campaign(tmp_path / "empty.csv")
    (tmp_path / "bad.csv").write_text("customer_id,group\n1,yes\n2,no\n", encoding="utf-8")
    with pytest.raises(NoCampaignRows, match=r"all 2 rows were rejected \(unknown group: 2\)"):
        read_campaign(tmp_path / "bad.csv")


def _config(tmp_path, campaigns: str) -> str:
    (tmp_path / "sales.csv").write_text("customer_id,date,amount\n1,2025-01-01,10\n",
                                        encoding="utf-8")
    (tmp_path / "crm.csv").write_text("customer_id,group\n1,treatment\n", encoding="utf-8")
    path = tmp_path / "acme.yaml"
    path.write_text(f"client: Acme\ndata: sales.csv\n{campaigns}", encoding="utf-8")
    return str(path)


def test_campaigns_and_history_in_the_config(tmp_path):
    (tmp_path / "hist").mkdir()
    cfg = load_config(_config(tmp_path, "history: hist/acme.csv\n"
                                        "at_risk: {control_share: 0.1, seed: 7}\n"
                                        "campaigns:\n"
                                        "  - {name: Spring call, data: crm.csv, start: 2025-03-01,"
                                        " cost: 1500, margin: 0.4}\n"))
    c = cfg.campaigns[0]
    assert (c.name, c.data, c.start, c.end, c.cost, c.margin) == (
        "Spring call", (tmp_path / "crm.csv").resolve(), pd.Timestamp("2025-03-01"), None,
        1500, 0.4)
    assert cfg.history == (tmp_path / "hist" / "acme.csv").resolve()
    assert cfg.campaign_groups == {"control_share": 0.1, "seed": 7}
    assert "seed" not in cfg.at_risk  # at_risk stays the early-warning rule's thresholds
    copy = cfg.to_dict()  # as the report runner writes client_config.yaml
    copy.pop("source")
    again = load_config(copy, base_dir=tmp_path)
    assert again.campaigns == cfg.campaigns and again.history == cfg.history
    assert again.campaign_groups == cfg.campaign_groups


@pytest.mark.parametrize(("text", "message"), [
    ("campaigns:\n  - {name: A, data: nope.csv, start: 2025-03-01}\n",
     r"data file 'nope.csv' named by campaigns\[0\].data in acme.yaml not found"),
    ("campaigns:\n  - {name: A, data: crm.csv, start: 2025-03-01, end: 2025-02-01}\n",
     r"campaigns\[0\].end in acme.yaml \(2025-02-01\) is before its start"),
    ("campaigns:\n  - {name: A, data: crm.csv, start: 2025-03-01}\n"
     "  - {name: A, data: crm.csv, start: 2025-04-01}\n",
     r"campaigns\[1\].name in acme.yaml is 'A', the name of an earlier campaign"),
    ("campaigns:\n  - {name: A, data: crm.csv, strat: 2025-03-01}\n",
     r"unknown key 'campaigns\[0\].strat' in acme.yaml; did you mean 'campaigns\[0\].start'"),
    ("campaigns: {name: A}\n", r"campaigns in acme.yaml must be a list of campaigns"),
    ("history: nowhere/h.csv\n", r"the folder of history 'nowhere/h.csv' in acme.yaml does not "
                                 r"exist"),
    ("at_risk: {control_share: 0.95}\n", r"at_risk.control_share in acme.yaml must be a number "
                                         r"in \[0, 0.9\]"),
])
def test_config_mistakes_are_one_sentence(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_config(tmp_path, text))


def test_retain_report_exits_2_on_a_missing_campaign_file(tmp_path, capsys):
    path = _config(tmp_path, "campaigns:\n  - {name: A, data: gone.csv, start: 2025-03-01}\n")
    assert main(["report", path, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "gone.csv" in err and "campaigns[0].data" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "acme").exists()


def test_a_hebrew_crm_export_in_cp1255_with_hebrew_groups_needs_no_mapping(tmp_path):
    # the headers of at_risk.csv in Hebrew ('מספר לקוח', 'קבוצה') are found without columns=;
    # the group words as a Hebrew CRM writes them, with or without 'קבוצת (ה)'
    path = tmp_path / "crm.csv"
    path.write_bytes("מספר לקוח,קבוצה\n"
                     "1,טיפול\n"             # line 2
                     "2,קבוצת הביקורת\n"      # line 3
                     "3, קבוצת  הטיפול \n"    # line 4: spaces do not matter
                     "4,בקרה\n"              # line 5
                     "5,קבוצת ניסוי\n"        # line 6
                     "6,כן\n".encode("cp1255"))  # line 7: 'yes' is no group
    groups, report = read_campaign(path)
    assert report.encoding == "cp1255"
    assert groups.to_dict() == {"1": "treatment", "2": "control", "3": "treatment",
                                "4": "control", "5": "treatment"}
    assert report.rejected[["line", "reason", "group"]].values.tolist() == [
        [7, "unknown group", "כן"]]


@pytest.mark.parametrize(("word", "group"), [
    ("Treatment Group", "treatment"), ("HOLD-OUT", "control"), ("control_group", "control"),
    (" test ", "treatment"), ("Control  group", "control"), ("Treated", "treatment"),
    ("Hold out", "control"), ("ביקורת", "control")])
def test_group_words_in_any_case_or_spacing_and_with_the_word_group(word, group):
    groups, _ = read_campaign(pd.DataFrame({"customer_id": ["1"], "group": [word]}))
    assert groups.to_dict() == {"1": group}


@pytest.mark.parametrize("lang", ["en", "he"])
def test_retainlib_s_own_at_risk_export_is_a_campaign_file_as_it_is(tmp_path, lang):
    from retainlib.i18n import label
    from retainlib.report.followup import group_words

    words = group_words(pd.Series(["treatment", "control"], index=["7", "8"]), lang)
    raw = pd.DataFrame({label("customer_id", lang): ["7", "8"], label("rank", lang): ["1", "2"],
                        label("group", lang): words.to_numpy()})
    groups, report = read_campaign(raw)
    assert groups.to_dict() == {"7": "treatment", "8": "control"} and report.rows_rejected == 0


@pytest.mark.parametrize(("entry", "message"), [
    ("campaigns:\n  - {name: A, data: out/acme/at_risk.csv, start: 2025-03-01}\n",
     r"campaigns\[0\].data names .*at_risk.csv, inside the report folder .*acme that this run "
     r"replaces; copy at_risk.csv out of it"),
    ("history: out/acme/history.csv\n",
     r"history: names .*history.csv, inside the report folder .*acme that this run replaces; "
     r"remove history: from the config")])
def test_a_campaign_file_or_history_inside_the_report_folder_is_refused(tmp_path, capsys,
                                                                         entry, message):
    # last month's at_risk.csv used as it is would be replaced by this run's, and the history
    # with it: refused before anything runs
    (tmp_path / "out" / "acme").mkdir(parents=True)
    (tmp_path / "out" / "acme" / "at_risk.csv").write_text("customer_id,group\n1,treatment\n",
                                                           encoding="utf-8")
    path = _config(tmp_path, entry)
    assert main(["report", path, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and re.search(message, err)
    assert (tmp_path / "out" / "acme" / "at_risk.csv").is_file()


def test_a_history_file_retainlib_did_not_write_exits_2_before_the_report_runs(tmp_path, capsys):
    # history: names someone's own CSV: refused in one line, nothing run, the file unchanged
    (tmp_path / "hist").mkdir()
    (tmp_path / "hist" / "mine.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    path = _config(tmp_path, "history: hist/mine.csv\n")
    assert main(["report", path, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "mine.csv" in err
    assert "retainlib did not write" in err
    assert not (tmp_path / "out" / "acme").exists()
    assert (tmp_path / "hist" / "mine.csv").read_text(encoding="utf-8") == "a,b\n1,2\n"


def test_ids_protected_by_our_csv_find_their_customers_again(tmp_path):
    # at_risk.csv writes '+972-54-1 for the id +972-54-1 (a spreadsheet would run it as a
    # formula); the campaign file made from that list must give back the id itself
    import numpy as np

    from retainlib.output.tables import write_csv

    ids = ["+972-54-1", "=HYPERLINK(1)", "-7a", "@x", "007"]
    write_csv(pd.DataFrame({"Customer ID": ids, "Group": ["treatment", "control"] * 2 +
                            ["control"]}), tmp_path / "c.csv", index=False)
    text = (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
    assert "'+972-54-1" in text and "'=HYPERLINK(1)" in text  # protected in the file
    groups, report = read_campaign(tmp_path / "c.csv")
    assert sorted(groups.index) == sorted(ids) and report.rows_rejected == 0
    assert np.array_equal(groups.loc[ids].to_numpy(),
                          ["treatment", "control", "treatment", "control", "control"])
