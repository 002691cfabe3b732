"""Two monthly runs of the demo client: the history, the previous list's fate, a campaign."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
import yaml

from retainlib.datasets import write_demo
from retainlib.output.history import read_history
from retainlib.report.analysis import analyse, write_outputs
from retainlib.report.followup import since_last_sentence

OCT, NOV = "2025-10-31", "2025-11-30"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    cfg = yaml.safe_load(write_demo(folder, n_customers=700).read_text(encoding="utf-8"))
    cfg["data"] = str(folder / "sales.csv")
    cfg["survey"]["data"] = str(folder / "survey.csv")
    return folder, cfg


def test_two_runs_a_month_apart_follow_the_at_risk_list_and_measure_the_campaign(demo, tmp_path):
    folder, cfg = demo
    out = tmp_path / "acme"
    out.mkdir()
    a1 = analyse({**cfg, "observation_end": OCT})
    write_outputs(a1, out)
    m1 = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert m1["since_last"] is None and m1["campaigns"] == []

    # the consultant's export: at_risk.csv with its list date and suggested groups
    export = pd.read_csv(out / "at_risk.csv", dtype=str, encoding="utf-8-sig")
    assert list(export.columns[-2:]) == ["List date", "Group"]
    assert set(export["List date"]) == {OCT}
    n = len(export)
    assert n > 20 and (export["Group"] == "control").sum() == round(0.2 * n)
    campaign = folder / "october_call.csv"
    shutil.copy(out / "at_risk.csv", campaign)

    entry = {"name": "October call list", "data": str(campaign), "start": "2025-11-01",
             "cost": 2000, "columns": {"customer_id": "Customer ID", "group": "Group"}}
    a2 = analyse({**cfg, "observation_end": NOV, "campaigns": [entry]})
    assert a2.since_last is None  # without history: the folder's history is read on writing
    write_outputs(a2, out)
    m2 = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    s = m2["since_last"]
    assert s["observation_end"] == OCT and s["days"] == 30

    # the counts, checked against the data
    previous = set(export["Customer ID"])
    tx = a2.tx[(a2.tx["date"] > OCT) & (a2.tx["amount"] > 0)]
    came_back = previous & set(tx["customer_id"])
    now = a2.at_risk["list"]
    at_risk_now, lapsed_now = set(now.index[now == "at risk"]), set(now.index[now == "lapsed"])
    assert s["at_risk_previous"] == n
    assert s["at_risk_came_back"] == len(came_back)
    assert s["at_risk_still"] == len((previous - came_back) & at_risk_now)
    assert s["at_risk_lapsed"] == len((previous - came_back - at_risk_now) & lapsed_now)
    assert s["newly_at_risk"] == len(at_risk_now - previous)
    assert s["changes"]["customers"]["previous"] == m1["customers"]
    assert s["changes"]["customers"]["current"] == m2["customers"]
    assert since_last_sentence(m2).startswith("Since the last report (2025-10-31), "
                                              f"{len(came_back)} of the {n} customers")

    c = m2["campaigns"][0]
    assert (c["name"], c["status"], c["treated"] + c["control"]) == (
        "October call list", "measured", n)
    assert c["incremental_revenue_low"] <= c["incremental_revenue"] <= \
        c["incremental_revenue_high"]
    # the campaign gives no margin: the seeds' formula on revenue, (incremental - cost) / cost
    assert c["roi_pct"] == pytest.approx((c["incremental_revenue"] - 2000) / 2000 * 100)
    assert set(c["groups"]) == {"treatment", "control"}
    assert "forecast_roi_pct" in c and c["interval"] == "Welch's t interval, 95%"

    runs, lists = read_history(out / "history.csv")
    assert runs["observation_end"].dt.strftime("%Y-%m-%d").tolist() == [OCT, NOV]
    assert set(lists.loc[lists["list_date"] == OCT, "customer_id"]) == previous


def test_a_history_key_shares_one_history_between_dated_folders(demo, tmp_path):
    _, cfg = demo
    shared = tmp_path / "acme-history"
    shared.mkdir()
    dated = {}
    for end in (OCT, NOV):
        dated[end] = tmp_path / end
        dated[end].mkdir()
        a = analyse({**cfg, "observation_end": end, "history": str(shared / "history.csv")})
        write_outputs(a, dated[end])
    assert a.since_last["observation_end"] == OCT  # computed by analyse from the shared file
    assert not (dated[OCT] / "history.csv").exists() and not (dated[NOV] / "history.csv").exists()
    assert len(read_history(shared / "history.csv")[0]) == 2
    m = json.loads((dated[NOV] / "metrics.json").read_text(encoding="utf-8"))
    assert m["since_last"]["observation_end"] == OCT
