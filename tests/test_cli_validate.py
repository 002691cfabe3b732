"""`retain validate` through retainlib.cli.main and one real subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from retainlib.cli import main

CSV = (
    "customer_id,date,amount\n"  # 1
    "007,2024-01-05,100\n"  # 2
    "008,2024-01-06,(20.00)\n"  # 3 a return
    "007,2024-02-01,50.5\n"  # 4
    ",2024-02-02,9\n"  # 5 blank customer id
    "009,2024-13-01,5\n"  # 6 impossible date (month 13)
    "007,2024-02-01,50.5\n"  # 7 duplicate of line 4
)


@pytest.fixture
def sales(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_validate_json(sales, capsys):
    assert main(["validate", str(sales), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = {
        "rows_read": 6,
        "rows_kept": 4,  # lines 2, 3, 4, 7
        "rows_rejected": 2,
        "rejected": {"blank customer id": 1, "impossible date": 1},
        "duplicates": 1,
        "customers": 2,  # 007 and 008
        "first_date": "2024-01-05",
        "last_date": "2024-02-01",
        "revenue": 181.0,  # 100 - 20 + 50.5 + 50.5
        "returns": 1,
        "client": None,
        "source": "sales.csv",
    }
    assert {k: out[k] for k in expected} == expected


def test_validate_text(sales, capsys):
    assert main(["validate", str(sales)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^  rows rejected +2$", out, re.M)
    assert re.search(r"^    blank customer id +1$", out, re.M)
    assert re.search(r"^  revenue +181.00  \(net of returns\)$", out, re.M)
    assert "line 5: blank customer id" in out and "line 6: impossible date" in out


def test_validate_config(tmp_path, sales, capsys):
    cfg = tmp_path / "acme.yaml"
    cfg.write_text("client: Acme\ndata: sales.csv\nread: {duplicates: drop}\n", encoding="utf-8")
    assert main(["validate", str(cfg), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["client"], out["rows_kept"], out["rejected"]["duplicate row"]) == ("Acme", 3, 1)
    assert main(["validate", str(cfg)]) == 0
    assert capsys.readouterr().out.startswith("Acme: sales.csv")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Customer,Date,Amount\nA,2024-01-01,5\n", "column 'customer_id' not found in bad.csv"),
        ("customer_id,date,amount\nA,never,5\n", "no usable rows in bad.csv: all 1 rows"),
    ],
)
def test_validate_unusable_data_exit_2_one_line(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("retain validate: error: " + message)
    assert captured.err.count("\n") == 1
    assert main(["validate", str(bad), "--json"]) == 2  # the same message, as JSON on stdout
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.count("\n") == 1
    error = json.loads(captured.out)
    assert list(error) == ["error"] and error["error"].startswith(message)


def test_validate_bad_config_and_missing_file(tmp_path, capsys):
    cfg = tmp_path / "acme.yaml"
    cfg.write_text("client: Acme\ndata: sales.csv\nperiode: M\n", encoding="utf-8")
    assert main(["validate", str(cfg)]) == 2
    assert capsys.readouterr().err == (
        "retain validate: error: unknown key 'periode' in acme.yaml; did you mean 'period'?\n"
    )
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2
    assert "data file nope.csv not found" in capsys.readouterr().err


def test_validate_damaged_workbook_is_one_line(tmp_path, capsys):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("retain validate: error: broken.xlsx is not a complete Excel workbook")
    assert err.count("\n") == 1


def test_retain_validate_subprocess_no_traceback(tmp_path):
    exe = Path(sys.executable).parent / "retain"
    assert exe.exists(), "the retain entry point is installed in the venv"
    bad = tmp_path / "bad.csv"
    bad.write_text("Invoice,Date,Customer,Total\n1,2024-01-01,A,5\n", encoding="utf-8")
    run = subprocess.run(
        [str(exe), "validate", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        "retain validate: error: column 'customer_id' not found in bad.csv; columns are: "
        "'Invoice', 'Date', 'Customer', 'Total'. Did you mean 'Customer'? Map the file's "
        "columns with columns={'customer_id': ..., 'date': ..., 'amount': ...} "
        "(the columns: key of a client config)."
    ]


def test_validate_reports_a_day_month_mix_up_as_one_warning_line(tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_text("customer_id,date,amount\nA,13/01/2024,1\nB,02/01/2024,2\n", encoding="utf-8")
    assert main(["validate", str(path), "--json"]) == 0  # 02/01/2024 is still usable
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["rejected"] == {"impossible date": 1}
    assert len(out["warnings"]) == 1 and "set dayfirst=True" in out["warnings"][0]
    assert captured.err.startswith("retain validate: warning: 1 dates in column 'date' of x.csv")
    assert captured.err.count("\n") == 1


def test_validate_names_every_missing_file_in_one_message(tmp_path, capsys):
    cfg = tmp_path / "acme.yaml"
    cfg.write_text("client: Acme\ndata: sales.csv\nsurvey: {data: nps.csv}\n", encoding="utf-8")
    assert main(["validate", str(cfg)]) == 2
    assert capsys.readouterr().err == (
        "retain validate: error: data files of acme.yaml not found: 'sales.csv' named by data "
        f"(looked for {(tmp_path / 'sales.csv').resolve()}), 'nps.csv' named by survey.data "
        f"(looked for {(tmp_path / 'nps.csv').resolve()}); fix the paths, which are relative to "
        "the config file's folder\n"
    )
    (tmp_path / "nps.csv").write_text("customer_id,date,score\n", encoding="utf-8")
    assert main(["validate", str(cfg)]) == 2  # only the sales data missing: named alone
    assert capsys.readouterr().err.startswith(
        "retain validate: error: data file 'sales.csv' named by data in acme.yaml not found")


def _strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("client: Acme\ndata: sales.csv\nperiode: M\n",
         "unknown key 'periode' in acme.yaml; did you mean 'period'?"),
        ("client: Acme\ndata: nope.csv\nsurvey: {data: nps.csv}\n",
         "data files of acme.yaml not found: 'nope.csv' named by data"),
        ("client: [Acme\n", "acme.yaml is not valid YAML"),
    ],
)
def test_validate_json_config_errors_are_json(tmp_path, sales, capsys, config, message):
    cfg = tmp_path / "acme.yaml"
    cfg.write_text(config, encoding="utf-8")
    assert main(["validate", str(cfg), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ""
    assert _strict_json(captured.out)["error"].startswith(message)


def test_validate_json_missing_data_file_is_json(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.csv"), "--json"]) == 2
    error = _strict_json(capsys.readouterr().out)["error"]
    assert error.startswith("data file nope.csv not found")


def test_validate_json_is_strict_when_amounts_would_overflow(tmp_path, capsys):
    # 1e308 + 1e308 would overflow a float; such amounts are rejected rows ('amount out of
    # range'), so nothing is usable here and the answer is a strict JSON error
    path = tmp_path / "big.csv"
    path.write_text("customer_id,date,amount\nA,2024-01-01,1e308\nB,2024-01-02,1e308\n",
                    encoding="utf-8")
    assert main(["validate", str(path), "--json"]) == 2
    out = _strict_json(capsys.readouterr().out)
    assert "no usable rows" in out["error"] and "amount out of range" in out["error"]


SURVEY = (
    "customer_id,date,score,comment\n"  # 1
    "007,2024-01-10,9,great\n"  # 2
    "008,2024-01-11,11,\n"  # 3 score out of range
    ",2024-01-12,5,\n"  # 4 blank customer id
    "009,2024-01-13,7.5,\n"  # 5 non-integer score
    "008,2024-01-14,3,slow\n"  # 6
)


@pytest.fixture
def survey_config(tmp_path, sales):
    (tmp_path / "nps.csv").write_text(SURVEY, encoding="utf-8")
    cfg = tmp_path / "acme.yaml"
    cfg.write_text("client: Acme\ndata: sales.csv\nsurvey: {data: nps.csv}\n", encoding="utf-8")
    return cfg


def test_validate_json_reports_the_survey(survey_config, capsys):
    assert main(["validate", str(survey_config), "--json"]) == 0
    out = _strict_json(capsys.readouterr().out)
    assert out["rows_read"] == 6  # the sales file as in test_validate_json
    expected = {
        "source": "nps.csv",
        "rows_read": 5,
        "rows_kept": 2,  # lines 2 and 6
        "rows_rejected": 3,
        "rejected": {"score out of range": 1, "blank customer id": 1, "non-integer score": 1},
        "customers": 2,  # 007 and 008
        "first_date": "2024-01-10",
        "last_date": "2024-01-14",
    }
    assert {k: out["survey"][k] for k in expected} == expected


def test_validate_text_reports_the_survey(survey_config, capsys):
    assert main(["validate", str(survey_config)]) == 0
    out = capsys.readouterr().out
    sales, survey = out.split("\n\nnps.csv (survey)\n")
    assert sales.startswith("Acme: sales.csv") and re.search(r"^  rows read +6$", sales, re.M)
    assert re.search(r"^  rows read +5$", survey, re.M)
    assert re.search(r"^  rows kept +2$", survey, re.M)
    assert re.search(r"^  rows rejected +3$", survey, re.M)
    assert re.search(r"^    score out of range +1$", survey, re.M)
    assert "line 3: score out of range: customer_id=008" in survey
    assert "line 4: blank customer id" in survey and "line 5: non-integer score" in survey


def test_validate_data_file_has_no_survey(sales, capsys):
    assert main(["validate", str(sales), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["survey"] is None


def test_validate_unusable_survey_exit_2(tmp_path, sales, capsys):
    (tmp_path / "nps.csv").write_text("customer_id,date,score\nA,2024-01-01,12\n",
                                      encoding="utf-8")
    cfg = tmp_path / "acme.yaml"
    cfg.write_text("client: Acme\ndata: sales.csv\nsurvey: {data: nps.csv}\n", encoding="utf-8")
    assert main(["validate", str(cfg), "--json"]) == 2
    assert _strict_json(capsys.readouterr().out)["error"].startswith(
        "no usable answers in nps.csv: all 1 rows were rejected (score out of range: 1)")


def test_retain_validate_json_subprocess_prints_json_errors(tmp_path):
    exe = Path(sys.executable).parent / "retain"
    bad = tmp_path / "bad.csv"
    bad.write_text("Invoice,Date,Customer,Total\n1,2024-01-01,A,5\n", encoding="utf-8")
    run = subprocess.run([str(exe), "validate", str(bad), "--json"], capture_output=True,
                         text=True, timeout=60)
    assert (run.returncode, run.stderr) == (2, "")
    assert _strict_json(run.stdout)["error"].startswith(
        "column 'customer_id' not found in bad.csv")


def test_an_unexpected_failure_while_reading_names_the_data_file_not_the_config(
        tmp_path, capsys, monkeypatch):
    (tmp_path / "sales.csv").write_text("customer_id,date,amount\nA,2024-01-05,10\n",
                                        encoding="utf-8")
    (tmp_path / "client.yaml").write_text("client: A\ndata: sales.csv\n", encoding="utf-8")
    import retainlib.load.transactions as transactions

    def broken(*args, **kwargs):  # stands for a bug met while parsing this file
        raise TypeError("unexpected\nsecond line")

    monkeypatch.setattr(transactions, "read_client", broken)
    assert main(["validate", str(tmp_path / "client.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("retain validate: error: sales.csv could not be read (TypeError: "
                          "unexpected)") and err.count("\n") == 1
