"""The analysis layer the notebooks display: numbers checked against the analytics functions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

import retainlib as rl
from retainlib.errors import ConfigError
from retainlib.report.analysis import analyse, load_client, metrics_of, write_outputs


@pytest.fixture(scope="module")
def demo_cfg(tmp_path_factory):
    return rl.write_demo(tmp_path_factory.mktemp("demo"), n_customers=400)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache") / "core.pkl"


@pytest.fixture(scope="module")
def full(demo_cfg, cache):
    return analyse(str(demo_cfg), cache=cache)


def test_metrics_agree_with_the_loader_and_analytics(full, demo_cfg):
    cfg = rl.load_config(demo_cfg)
    tx, report = rl.load.read_client(cfg)
    m = full.metrics
    assert m["rows_read"] == report.rows_read == m["rows_kept"] + m["rows_rejected"]
    # write_demo plants four bad rows: blank id, 31/02, '#VALUE!', total row
    assert m["rows_rejected"] == 4
    assert sum(m["rejected"].values()) == 4
    assert m["customers"] == tx["customer_id"].nunique()
    assert m["revenue"] == pytest.approx(tx["amount"].sum())
    assert m["top20_revenue_share"] == pytest.approx(rl.top_share(tx, 0.2))
    assert m["gini"] == pytest.approx(rl.gini(tx))
    value = rl.customer_value(tx)
    assert m["repeat_purchase_rate"] == pytest.approx((value["orders"] >= 2).mean())
    assert set(m["bgnbd"]) == {"r", "alpha", "a", "b"}
    assert set(m["gamma_gamma"]) == {"p", "q", "v"}
    assert m["clv_total"] == pytest.approx(full.clv.sum())
    assert m["revenue_at_risk"] == pytest.approx(full.at_risk["revenue_at_risk"].sum())
    assert m["at_risk_customers"] == int(full.customers["at_risk"].sum())
    assert m["nps"] is not None and -100 <= m["nps"] <= 100
    assert m["first_date"] == tx["date"].min().date().isoformat()
    json.dumps(m)  # JSON-able


def test_data_quality_table_accounts_for_every_row(full):
    dq = full.data_quality()
    assert dq.loc["rows read", "rows"] == dq.loc["rows kept", "rows"] + dq.loc[
        "rows rejected", "rows"]
    reasons = dq[dq.index.str.startswith("  rejected: ")]
    assert reasons["rows"].sum() == dq.loc["rows rejected", "rows"]


def test_segments_partition_the_customers_and_their_clv(full, demo_cfg, cache):
    # every customer has exactly one most-frequent region, so the region reports partition
    # the base, and the models are the client's, so segment CLVs add up to the total
    regions = full.metrics["segments"]["region"]
    parts = [analyse(str(demo_cfg), segment="region", value=v, cache=cache) for v in regions]
    assert sum(p.metrics["customers"] for p in parts) == full.metrics["customers"]
    assert sum(p.metrics["clv_total"] for p in parts) == pytest.approx(full.metrics["clv_total"])
    assert sum(p.metrics["revenue"] for p in parts) == pytest.approx(full.metrics["revenue"])
    first = parts[0]
    assert first.segment == ("region", regions[0])
    assert (first.customers["region"] == regions[0]).all()
    assert first.bgnbd.params_.equals(full.bgnbd.params_)
    assert "region" not in first.segment_tables  # the segment's own column is not sliced again


def test_cache_gives_the_same_numbers(full, demo_cfg, cache):
    assert cache.is_file()
    again = analyse(str(demo_cfg), cache=cache)
    assert again.metrics == full.metrics


def test_bad_segment_requests_are_config_errors(demo_cfg, cache):
    with pytest.raises(ConfigError, match="not one of the config's segments"):
        analyse(str(demo_cfg), segment="city", value="Haifa", cache=cache)
    with pytest.raises(ConfigError, match="no customer has region = 'Atlantis'"):
        analyse(str(demo_cfg), segment="region", value="Atlantis", cache=cache)
    with pytest.raises(ConfigError, match="both segment and value"):
        analyse(str(demo_cfg), segment="region", cache=cache)


def test_without_survey_nps_is_null(demo_cfg, tmp_path):
    raw = yaml.safe_load(demo_cfg.read_text(encoding="utf-8"))
    raw.pop("survey")
    raw["data"] = str(demo_cfg.parent / raw["data"])
    a = analyse(raw)
    assert a.nps is None and a.metrics["nps"] is None
    # the demo config targets 2,000 customers, more than this 400-customer client has
    assert a.economics["roi"] is None
    assert any("campaign ROI not computed" in n and "2000" in n for n in a.economics["notes"])
    written = write_outputs(a, tmp_path)
    assert json.loads((tmp_path / "metrics.json").read_text())["nps"] is None
    assert len(written) == 4


def test_campaign_roi_from_the_config(demo_cfg):
    raw = yaml.safe_load(demo_cfg.read_text(encoding="utf-8"))
    raw["data"] = str(demo_cfg.parent / raw["data"])
    raw.pop("survey")
    raw["economics"] = {"campaign_cost": 1000, "customers_targeted": 50, "expected_lift": 0.1}
    a = analyse(raw)
    roi = a.economics["roi"]
    # value per customer = mean revenue at risk of the 50 most valuable customers (margin 1
    # in the table), times the config margin 0.35; 50 * 0.1 = 5 customers retained
    top = a.customers["revenue_at_risk"].sort_values(ascending=False).head(50).mean()
    added = 5 * top * 0.35
    assert roi["roi_pct"].iloc[0] == pytest.approx((added - 1000) / 1000 * 100)
    assert a.metrics["retention_roi"] == pytest.approx(roi["roi_pct"].iloc[0])


def test_write_outputs_files(full, tmp_path):
    files = write_outputs(full, tmp_path)
    assert sorted(p.name for p in files) == ["at_risk.csv", "customers.csv", "metrics.json",
                                             "rejected_rows.csv"]
    m = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    for key in ("client", "rows_read", "rows_kept", "rows_rejected", "customers", "revenue",
                "repeat_purchase_rate", "top20_revenue_share", "gini", "bgnbd", "gamma_gamma",
                "clv_total", "revenue_at_risk", "nps"):
        assert key in m
    rejected = pd.read_csv(tmp_path / "rejected_rows.csv", encoding="utf-8-sig")
    assert len(rejected) == m["rows_rejected"]
    customers = pd.read_csv(tmp_path / "customers.csv", encoding="utf-8-sig",
                            dtype={"customer_id": str})
    assert len(customers) == m["customers"]
    assert customers["customer_id"].str.len().min() == 6  # leading zeros kept ('000236')
    assert write_outputs(full, "") == []  # the notebooks' default writes nothing


def test_metrics_json_has_no_nan(full):
    def walk(x):
        if isinstance(x, dict):
            return all(walk(v) for v in x.values())
        if isinstance(x, list):
            return all(walk(v) for v in x)
        return not (isinstance(x, float) and not np.isfinite(x))

    assert walk(metrics_of(full))


def test_load_client_demo_writes_into_the_given_folder(tmp_path):
    cfg = load_client("demo", demo_customers=60, workdir=tmp_path)
    assert cfg.client == "demo" and cfg.data.parent == tmp_path


def test_rows_after_the_observation_end_are_counted_not_lost(demo_cfg):
    raw = yaml.safe_load(demo_cfg.read_text(encoding="utf-8"))
    raw["data"] = str(demo_cfg.parent / raw["data"])
    raw.pop("survey")
    raw["observation_end"] = "2025-06-30"
    a = analyse(raw)
    cfg = rl.load_config(demo_cfg)
    tx, _ = rl.load.read_client(cfg)
    later = int((tx["date"] >= "2025-07-01").sum())
    assert later > 0 and a.rows_after_end == later
    assert a.tx["date"].max() < pd.Timestamp("2025-07-01")
    dq = a.data_quality()
    assert dq.loc["kept rows dated after 2025-06-30 (not analysed)", "rows"] == later


def test_demo_models_fit_without_a_penalizer_and_say_nothing_about_one(full):
    # the 400-customer demo converges with the config's default clv.penalizer 0
    assert full.has_models and full.model_note == "" and full.penalizer_note == ""
    assert full.bgnbd.penalizer == 0 and full.gamma_gamma.penalizer == 0
    m = full.metrics
    assert m["bgnbd_penalizer"] == 0 and m["gamma_gamma_penalizer"] == 0
    assert m["model_note"] is None
    # the won-back count of the retention statement reaches metrics.json
    assert m["won_back"] == full.kpi_summary["won_back"] and m["won_back"] >= 0
