"""The analysis layer the notebooks display: numbers checked against the analytics functions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

import retainlib as rl
from retainlib._units import convert
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
    on = full.at_risk[full.at_risk["list"] == "at risk"]
    gone = full.at_risk[full.at_risk["list"] == "lapsed"]
    assert m["revenue_at_risk"] == pytest.approx(on["value_if_retained"].sum())
    assert m["at_risk_expected_value"] == pytest.approx(on["expected_value"].sum())
    assert m["at_risk_customers"] == len(on) and m["lapsed_customers"] == len(gone)
    assert m["lapsed_value"] == pytest.approx(gone["value_if_retained"].sum())
    # both lists are the customer table's flagged customers
    assert m["at_risk_customers"] + m["lapsed_customers"] == int(full.customers["at_risk"].sum())
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
    assert ("The return on the retention campaign is not shown: it targets 2,000 customers, more "
            f"than the {a.metrics['customers']:,} the client has.") in a.economics["notes"]
    written = write_outputs(a, tmp_path)
    assert json.loads((tmp_path / "metrics.json").read_text())["nps"] is None
    assert len(written) == 7  # the 5 files of the report and the 2 history files (#16)


def test_campaign_roi_from_the_config(demo_cfg):
    raw = yaml.safe_load(demo_cfg.read_text(encoding="utf-8"))
    raw["data"] = str(demo_cfg.parent / raw["data"])
    raw.pop("survey")
    raw["economics"] = {"campaign_cost": 1000, "customers_targeted": 50, "expected_lift": 0.1}
    a = analyse(raw)
    roi = a.economics["roi"]
    # value per customer = mean value if retained of the 50 most valuable customers (margin 1
    # in the table), times the config margin 0.35; 50 * 0.1 = 5 customers retained
    top = a.customers["value_if_retained"].sort_values(ascending=False).head(50).mean()
    added = 5 * top * 0.35
    assert roi["roi_pct"].iloc[0] == pytest.approx((added - 1000) / 1000 * 100)
    assert a.metrics["retention_roi"] == pytest.approx(roi["roi_pct"].iloc[0])


def test_write_outputs_files(full, tmp_path):
    files = write_outputs(full, tmp_path)
    assert sorted(p.name for p in files) == ["at_risk.csv", "customers.csv", "history.csv",
                                             "history_at_risk.csv", "metrics.json",
                                             "rejected_rows.csv", "win_back.csv"]
    m = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    for key in ("client", "rows_read", "rows_kept", "rows_rejected", "customers", "revenue",
                "repeat_purchase_rate", "top20_revenue_share", "gini", "bgnbd", "gamma_gamma",
                "clv_total", "revenue_at_risk", "nps"):
        assert key in m
    # the two early-warning files hold the two lists of metrics.json
    at_risk = pd.read_csv(tmp_path / "at_risk.csv", encoding="utf-8-sig", dtype=str)
    win_back = pd.read_csv(tmp_path / "win_back.csv", encoding="utf-8-sig", dtype=str)
    assert len(at_risk) == m["at_risk_customers"] and len(win_back) == m["lapsed_customers"]
    rejected = pd.read_csv(tmp_path / "rejected_rows.csv", encoding="utf-8-sig")
    assert len(rejected) == m["rows_rejected"]
    customers = pd.read_csv(tmp_path / "customers.csv", encoding="utf-8-sig", dtype=str)
    assert len(customers) == m["customers"]
    ids = customers.iloc[:, 0]  # the id column comes first, whatever its header says
    assert ids.str.len().min() == 6  # leading zeros kept ('000236')
    assert write_outputs(full, "") == []  # the notebooks' default writes nothing


def test_customers_file_parquet_holds_the_csv_rows_typed(full, tmp_path):
    import dataclasses

    csv_dir, pq_dir = tmp_path / "csv", tmp_path / "parquet"
    csv_dir.mkdir(), pq_dir.mkdir()
    write_outputs(full, csv_dir)
    big = dataclasses.replace(full, config=dataclasses.replace(full.config,
                                                               customers_file="parquet"))
    files = {p.name for p in write_outputs(big, pq_dir)}
    assert "customers.parquet" in files and "customers.csv" not in files
    assert not (pq_dir / "customers.csv").exists()
    table = pd.read_parquet(pq_dir / "customers.parquet")
    text = pd.read_csv(csv_dir / "customers.csv", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)
    assert list(table.columns) == list(text.columns)  # the same headers in words
    assert len(table) == len(text) == full.metrics["customers"]
    assert table.iloc[:, 0].tolist() == text.iloc[:, 0].tolist()  # ids as text, zeros kept
    money = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    assert money  # numbers stay numbers
    for c in money:
        np.testing.assert_allclose(table[c].to_numpy(),
                                   pd.to_numeric(text[c].replace("", np.nan)).to_numpy())
    m = json.loads((pq_dir / "metrics.json").read_text(encoding="utf-8"))
    assert m["customers_file"] == "customers.parquet"


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


# --------------------------------------------------------------------------- #13: one number
def test_revenue_at_risk_is_one_number_in_metrics_and_every_segment_table(full):
    # the segment tables sum the value if retained of the customers on the at-risk list only,
    # so their 'All customers' row is the headline figure, and the groups add up to it
    m = full.metrics
    assert m["revenue_at_risk"] > 0
    for name, t in full.segment_tables.items():
        total = t.loc["All customers", "revenue_at_risk"]
        assert total == pytest.approx(m["revenue_at_risk"]), name
        groups = t.drop(index="All customers")["revenue_at_risk"].sum()
        assert groups == pytest.approx(m["revenue_at_risk"]), name


def test_segment_reports_show_the_clients_lists_restricted_and_ranked_again(full, demo_cfg,
                                                                            cache):
    regions = full.metrics["segments"]["region"]
    parts = [analyse(str(demo_cfg), segment="region", value=v, cache=cache) for v in regions]
    # a customer is flagged by the same rule in every report: the segment lists partition
    # the client's, and so do their figures
    flagged = sorted(i for p in parts for i in p.at_risk.index)
    assert flagged == sorted(full.at_risk.index)
    for key in ("revenue_at_risk", "at_risk_customers", "lapsed_customers", "lapsed_value"):
        assert sum(p.metrics[key] for p in parts) == pytest.approx(full.metrics[key]), key
    for p in parts:
        for name in ("at risk", "lapsed"):
            ranks = p.at_risk.loc[p.at_risk["list"] == name, "rank"].tolist()
            assert ranks == list(range(1, len(ranks) + 1))
        assert p.title == f"{p.segment[1]} region"
        t = p.segment_tables["rfm_segment"]
        assert t.loc["All customers", "revenue_at_risk"] == pytest.approx(
            p.metrics["revenue_at_risk"])


def test_one_time_buyers_are_not_flagged_for_their_100_percent_chance_still_active(full):
    # BG/NBD gives every customer without a repeat purchase P(alive) = 1: no evidence of
    # dropping out, so none of them can be on a list because of it
    once = full.customers[full.customers["frequency"] == 0]
    assert len(once) > 0 and (once["p_alive"] == 1).all()
    risk = full.at_risk
    assert not (risk["low_p_alive"] & (risk["frequency"] == 0)).any()
    from retainlib.report.narrative import p_alive_note
    assert "100% for every customer who has bought only once" in p_alive_note(full.metrics)


def test_metrics_carry_the_trend_keys_and_the_definitions(full):
    m = full.metrics
    for key in ("crr_trend_window", "crr_trend_recent", "crr_trend_before", "crr_trend_change",
                "crr_trend_slope", "crr_trend_slope_low", "crr_trend_slope_high",
                "crr_trend_direction", "crr_record", "crr_record_periods"):
        assert key in m, key
    assert m["period_unit"] == "month" and m["crr_window"] == 12
    assert m["definitions"]["crr"].startswith("Retention rate of a month: of the customers")
    assert {"bought_again_12m", "model_retention", "cohort_share"} <= set(m["definitions"])


def _raw(demo_cfg, **over):
    raw = yaml.safe_load(demo_cfg.read_text(encoding="utf-8"))
    raw["data"] = str(demo_cfg.parent / raw["data"])
    raw.pop("survey")
    raw.update(over)
    return raw


def test_a_segment_shows_its_part_of_the_clients_campaign(demo_cfg, tmp_path):
    eco = {"campaign_cost": 1000, "customers_targeted": 50, "expected_lift": 0.1, "cac": 40}
    raw = _raw(demo_cfg, economics=eco)
    cache = tmp_path / "core.pkl"
    whole = analyse(raw, cache=cache)
    regions = whole.metrics["segments"]["region"]
    parts = [analyse(raw, segment="region", value=v, cache=cache) for v in regions]
    # the campaign targets the client's 50 most valuable customers (value if retained); a
    # region's part is those of them in the region, at their share of the 1,000 cost
    top = whole.customers["value_if_retained"].sort_values(ascending=False, kind="stable")
    top = top.head(50)
    rois = [p.economics["roi"] for p in parts if p.economics["roi"] is not None]
    assert sum(int(r["customers_targeted"].iloc[0]) for r in rois) == 50
    assert sum(float(r["campaign_cost"].iloc[0]) for r in rois) == pytest.approx(1000)
    for p in parts:
        mine = top[top.index.isin(p.customers.index)]
        if p.economics["roi"] is None:
            assert len(mine) == 0
            assert any(n.startswith("None of the 50 customers the retention campaign targets "
                                    f"is in the {p.title}") for n in p.economics["notes"])
            continue
        roi = p.economics["roi"].iloc[0]
        assert roi["customers_targeted"] == len(mine)
        assert roi["campaign_cost"] == pytest.approx(1000 * len(mine) / 50)
        added = len(mine) * 0.1 * mine.mean() * 0.35  # margin 0.35 of the demo config
        assert roi["additional_value"] == pytest.approx(added)
        assert p.metrics["campaign_cost"] == pytest.approx(roi["campaign_cost"])
    # the new-customer CLV against CAC is labelled for the report it is in
    assert whole.economics["clv_cac"].index.tolist() == ["New customer"]
    assert parts[0].economics["clv_cac"].index.tolist() == [f"New customer, {regions[0]} region"]


def test_economics_notes_speak_to_the_reader(demo_cfg):
    a = analyse(_raw(demo_cfg, economics={}))
    assert a.economics["roi"] is None
    assert a.economics["notes"] == ["No campaign costs were provided, so the return on a "
                                    "retention campaign is not shown."]
    b = analyse(_raw(demo_cfg, economics={"campaign_cost": 500}))
    assert b.economics["notes"] == ["The number of customers the campaign targets was not "
                                    "provided, so the return on a retention campaign is not "
                                    "shown."]
    for note in a.economics["notes"] + b.economics["notes"]:
        assert "config" not in note and "_" not in note


def test_the_lists_and_the_customer_file_come_from_one_early_warning_scoring(full):
    # the analysis scores every customer once (at_risk(..., only_flagged=False)); its lists must
    # be exactly at_risk's flagged output, and the customer table its columns
    cfg = full.config
    weeks = convert(cfg.clv.horizon_months, "M", "W")
    want = rl.at_risk(full.rfm, full.bgnbd, full.gamma_gamma, horizon_weeks=weeks, margin=1.0,
                      lang=cfg.language, **cfg.at_risk)
    pd.testing.assert_frame_equal(full.at_risk, want)
    assert full.at_risk.attrs == want.attrs
    every = rl.at_risk(full.rfm, full.bgnbd, full.gamma_gamma, horizon_weeks=weeks, margin=1.0,
                       lang=cfg.language, only_flagged=False, **cfg.at_risk)
    table = full.customers
    np.testing.assert_allclose(table["value_if_retained"].to_numpy(),
                               every["value_if_retained"].reindex(table.index).to_numpy())
    assert (table["early_warning"].fillna("") == every["list"].reindex(table.index)).all()
