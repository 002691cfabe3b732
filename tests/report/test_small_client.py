"""A small client still gets a report: without the model sections and why, or with a penalizer.

Clients are generated here, one purchase row per line, so every count below
can be checked by reading the generator. Two tests run the report notebook
end to end (papermill, slow); the others call :func:`analyse`, the Python API
the notebook uses.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import retainlib as rl
from retainlib.errors import ConvergenceError
from retainlib.report import display as show
from retainlib.report.analysis import analyse, write_outputs

START = pd.Timestamp("2024-03-01")
#: the blocks of the CLV section that only exist with the models
MODEL_HEADINGS = ("Model parameters and fit", "BG/NBD (purchases and dropout)", "Holdout check",
                  "Who is still a customer", "CLV forecast")


def _write(folder, rows, **config) -> dict:
    """Write rows (customer, day offset from START, amount[, region]) as sales.csv; the config."""
    tx = pd.DataFrame(rows, columns=["customer_id", "day", "amount", "region"][:len(rows[0])])
    tx["date"] = (START + pd.to_timedelta(tx.pop("day"), unit="D")).dt.strftime("%Y-%m-%d")
    tx.to_csv(folder / "sales.csv", index=False)
    return {"client": "Small Shop", "data": str(folder / "sales.csv"), **config}


def thirty_customers_three_repeat(folder) -> dict:
    """30 customers, one joining every 2 days (days 0-58); customers 0-2 buy again 10 days later.

    Even customers are in region South, odd ones in North.
    """
    region = ["South", "North"]
    rows = [(f"C{i:02d}", 2 * i, 100 + i, region[i % 2]) for i in range(30)]
    rows += [(f"C{i:02d}", 2 * i + 10, 50, region[i % 2]) for i in range(3)]
    return _write(folder, rows, segments=["region"])


def penalizer_client(folder) -> dict:
    """30 customers joining on days 0-29; customers 0-5 come back every 7 days from day i + 7.

    Even customers come back once, odd ones three times (12 repeat purchases in all), up to
    observation_end 2024-04-30 (day 60): 6 repeat buyers, enough for the models, but the
    BG/NBD likelihood is flat without a penalty.
    """
    rows = [(f"C{i:02d}", i, 100 + 7 * i) for i in range(30)]
    rows += [(f"C{i:02d}", i + 7 * (k + 1) + i, 60 + 11 * i)
             for i in range(6) for k in range(1 + 2 * (i % 2))]
    return _write(folder, rows, observation_end="2024-04-30")


def _strict_json(path):
    def refuse(name):
        raise AssertionError(f"{path.name} holds {name}")
    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def test_thirty_customer_client_gets_a_report_without_model_sections(tmp_path):
    (tmp_path / "data").mkdir()
    cfg = thirty_customers_three_repeat(tmp_path / "data")
    row = rl.run_report(cfg, tmp_path / "out", max_segment_values=1)
    assert row["status"] == "ok", row["error"]
    folder = tmp_path / "out" / row["slug"]
    page = (folder / "report.html").read_text(encoding="utf-8")
    segment_page = (tmp_path / "out" / row["segments"][0]).read_text(encoding="utf-8")
    sentence = ("The purchase-forecast models were left out of this report (so there is no "
                "customer lifetime value, no chance that a customer is still active and no "
                "early-warning list): only 3 of the 30 customers came back to buy on a later "
                "day, too few to estimate how often customers buy (at least 5 are needed).")
    assert sentence in page and sentence in segment_page  # the segment uses the client's models
    assert "Customer lifetime value" in page  # the section stays, with the sentence in it
    for heading in MODEL_HEADINGS:
        assert f"<h3>{heading}</h3>" not in page
    # the models' own appendix keeps its heading but holds no chart and no table
    section = page[page.index('id="Appendix-C'):page.index('id="Appendix-D')]
    assert "<img" not in section and "<table" not in section  # no chart, no model table
    assert "There is no early-warning list" in page
    m = _strict_json(folder / "metrics.json")
    assert m["customers"] == 30 and m["model_note"] == sentence
    for key in ("bgnbd", "gamma_gamma", "bgnbd_penalizer", "gamma_gamma_penalizer", "clv_total",
                "clv_mean", "expected_purchases", "revenue_at_risk", "at_risk_customers",
                "holdout_error_pct"):
        assert m[key] is None, key
    # the at-risk file keeps its columns for the CRM import, with no rows
    at_risk = pd.read_csv(folder / "at_risk.csv", encoding="utf-8-sig")
    assert at_risk.empty
    assert list(at_risk.columns)[:3] == ["Customer ID", "Rank", "Value if kept"]


def test_client_fitted_only_with_a_penalizer_says_which_in_the_report(tmp_path):
    (tmp_path / "data").mkdir()
    cfg = penalizer_client(tmp_path / "data")
    a = analyse(cfg)
    with pytest.raises(ConvergenceError):  # the plain fit fails on these data
        rl.BetaGeoModel().fit(a.rfm)
    assert a.has_models and a.model_note == ""
    assert a.bgnbd.penalizer == 0.001 and a.gamma_gamma.penalizer == 0
    note = ("The purchase model (BG/NBD) did not converge with penalizer 0, so it was refitted "
            "with penalizer 0.001, which pulls the parameters slightly towards zero "
            "(clv.penalizer in the client config sets the first penalizer tried).")
    assert a.penalizer_note == note
    row = rl.run_report(cfg, tmp_path / "out", segments=False)
    assert row["status"] == "ok", row["error"]
    folder = tmp_path / "out" / row["slug"]
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert note in page and "<h3>Model parameters and fit</h3>" in page
    m = _strict_json(folder / "metrics.json")
    assert m["bgnbd_penalizer"] == 0.001 and m["gamma_gamma_penalizer"] == 0
    assert m["model_note"] is None and set(m["bgnbd"]) == {"r", "alpha", "a", "b"}


def test_penalizer_from_the_config_is_used_and_reported(tmp_path):
    cfg = penalizer_client(tmp_path)
    a = analyse({**cfg, "clv": {"penalizer": 0.01}})
    assert a.bgnbd.penalizer == 0.01 and a.gamma_gamma.penalizer == 0.01
    assert a.penalizer_note == ("Both models were fitted with penalizer 0.01 (clv.penalizer in "
                                "the client config), which pulls the parameters slightly towards "
                                "zero.")
    assert a.metrics["bgnbd_penalizer"] == 0.01


def test_client_with_no_repeat_buyer_gets_an_analysis_without_models(tmp_path):
    # 30 customers, one purchase each, one every 2 days over two months
    cfg = _write(tmp_path, [(f"C{i:02d}", 2 * i, 80 + i) for i in range(30)])
    a = analyse(cfg)
    assert not a.has_models and a.bgnbd is None and a.clv is None
    assert a.model_note.endswith(": none of the 30 customers came back to buy on a later day, "
                                 "so there is nothing to estimate how often customers buy from.")
    assert a.at_risk.empty and a.holdout is None
    assert show.model_parameters(a) == "" and show.p_alive_matrix(a) is None
    assert str(show.model_section(a, "intro")) == str(show.note(a.model_note))
    assert any("need the purchase-forecast models" in n for n in a.economics["notes"])
    written = write_outputs(a, tmp_path)
    m = _strict_json(tmp_path / "metrics.json")
    # five files: win_back.csv too (empty)
    assert len(written) == 7 and m["bgnbd"] is None and m["repeat_purchase_rate"] == 0
    assert "No customer survey" in show.summary(a)  # the executive summary still renders


def test_one_week_client_is_told_the_span_is_too_short(tmp_path):
    # 30 customers on days 0-5 (five a day), each buying again 1 day later; the last purchase
    # is on day 6, so the window from the first purchase (day 0) to the end is 6 days
    rows = [(f"C{i:02d}", i // 5, 40) for i in range(30)]
    rows += [(f"C{i:02d}", i // 5 + 1, 30) for i in range(30)]
    a = analyse(_write(tmp_path, rows))
    assert not a.has_models
    assert ("the data cover only 6 days from the first purchase to the end of the analysis, too "
            "short to see how often customers come back (at least 4 weeks are needed)"
            ) in a.model_note
    # a week holds no complete month either: the retention summary says so instead of failing
    assert math.isnan(a.kpi_summary["crr"]) and "No retention rate yet" in a.kpi_summary["text"]
    assert a.metrics["crr"] is None
