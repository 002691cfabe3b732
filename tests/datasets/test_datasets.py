"""The simulated demo retailer: sizes, determinism, canonical types, returns, survey, truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import hyp2f1

import retainlib as rl
from retainlib.datasets import (
    SALES_COLUMNS,
    SURVEY_COLUMNS,
    DemoData,
    make_demo,
    write_demo,
)
from retainlib.datasets._demo_export import _format_ils
from retainlib.errors import DataError
from retainlib.load.parsing import TEXT


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return make_demo()


def expected_repeat_purchases(t, r, alpha, a, b):
    """E[X(t)], eq. 9 of Fader, Hardie and Lee (2005)."""
    return (a + b - 1) / (a - 1) * (
        1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t))
    )


def test_make_demo_is_deterministic_per_seed():
    one, two = make_demo(5, n_customers=500), make_demo(5, n_customers=500)
    pd.testing.assert_frame_equal(one.transactions, two.transactions)
    pd.testing.assert_frame_equal(one.survey, two.survey)
    pd.testing.assert_frame_equal(one.truth, two.truth)
    other = make_demo(6, n_customers=500)
    assert not other.transactions["amount"].equals(one.transactions["amount"])


def test_default_demo_has_documented_size_and_canonical_types(demo):
    tx = demo.transactions
    assert list(tx.columns) == ["customer_id", "date", "amount", "order_id", "region", "channel"]
    assert tx["customer_id"].nunique() == 20_000  # everybody buys at least once
    assert 85_000 <= len(tx) <= 115_000
    assert pd.api.types.is_string_dtype(tx["customer_id"])
    assert pd.api.types.is_string_dtype(tx["order_id"])
    assert pd.api.types.is_datetime64_dtype(tx["date"])
    assert tx["amount"].dtype == np.float64
    # leading zeros kept: ids are '000001' .. '020000'
    assert tx["customer_id"].str.fullmatch(r"\d{6}").all()
    assert tx["customer_id"].min() == "000001" and tx["customer_id"].max() == "020000"
    assert tx["date"].min() >= pd.Timestamp("2023-01-01")
    assert tx["date"].max() <= pd.Timestamp("2025-12-31") == demo.observation_end
    assert tx["date"].is_monotonic_increasing
    cents = tx["amount"].to_numpy() * 100
    np.testing.assert_allclose(cents, np.round(cents), atol=1e-6)
    assert (tx["amount"] != 0).all()
    assert set(tx["region"]) == {"Center", "Jerusalem", "North", "South"}
    assert set(tx["channel"]) == {"store", "web", "app"}


def test_demo_and_cdnow_text_columns_use_the_loaders_text_dtype(demo):
    # TEXT is "str" on pandas 3 and the nullable "string" on pandas 2 (object there would let
    # a missing value turn into the text 'None'); read_transactions returns the same dtype
    from retainlib.datasets import load_cdnow

    for col in ("customer_id", "order_id", "region", "channel"):
        assert demo.transactions[col].dtype == TEXT, col
    assert demo.survey["customer_id"].dtype == TEXT
    assert demo.survey["comment"].dtype == TEXT
    assert demo.survey["comment"].isna().any()  # answers without a comment stay missing
    assert demo.customers.index.dtype == TEXT
    assert demo.customers["region"].dtype == TEXT
    assert load_cdnow()["customer_id"].dtype == TEXT


def test_about_three_percent_returns_refer_to_earlier_purchases(demo):
    tx = demo.transactions
    ret = tx[tx["amount"] < 0]
    assert 0.02 <= len(ret) / len(tx) <= 0.04
    buys = tx[tx["amount"] > 0]
    assert buys["order_id"].is_unique  # one purchase row per invoice
    assert ret["order_id"].is_unique  # at most one return per invoice
    matched = ret.merge(buys, on="order_id", suffixes=("_ret", "_buy"), validate="one_to_one")
    assert len(matched) == len(ret)
    assert (matched["customer_id_ret"] == matched["customer_id_buy"]).all()
    assert (matched["date_ret"] > matched["date_buy"]).all()
    assert (-matched["amount_ret"] <= matched["amount_buy"] + 1e-9).all()
    assert (matched["region_ret"] == matched["region_buy"]).all()


def test_purchases_follow_bgnbd_in_every_segment(demo):
    # every customer: 1 first purchase + `frequency` repeat purchases, none lost on the calendar
    buys = demo.transactions[demo.transactions["amount"] > 0]
    counts = buys.groupby("customer_id").size()
    cust = demo.customers
    pd.testing.assert_series_equal(
        counts - 1, cust["frequency"].astype(counts.dtype), check_names=False
    )
    # per segment, sum of simulated repeat purchases vs sum of E[X(T_i)] (eq. 9) with each
    # customer's cell parameters and window T_i (weeks of the seasonal clock). Tolerance 4 SE
    # with SE^2 = sum (x_i - E_i)^2, an unbiased estimate of sum Var(X_i) (customers independent).
    params = demo.truth.loc[list(zip(cust["region"], cust["channel"], strict=True))]
    expected = expected_repeat_purchases(
        cust["T"].to_numpy(), *(params[c].to_numpy() for c in ["r", "alpha", "a", "b"])
    )
    cust = cust.assign(expected=expected, sq=(cust["frequency"] - expected) ** 2)
    for segment in ("region", "channel"):
        g = cust.groupby(segment)
        diff = (g["frequency"].sum() - g["expected"].sum()).abs()
        tol = 4 * np.sqrt(g["sq"].sum())
        assert (diff < tol).all(), (segment, diff, tol)
    # directions: loyal, frequent Center ahead of Jerusalem, North, South (r falls, churn rises)
    by_region = cust.groupby("region")["frequency"].mean()
    assert list(by_region.sort_values(ascending=False).index) == [
        "Center", "Jerusalem", "North", "South"
    ]
    # the app channel has the smallest alpha (highest purchase rate)
    by_channel = cust.groupby("channel")["frequency"].mean()
    assert by_channel.idxmax() == "app"


def test_spend_follows_gamma_gamma_per_channel(demo):
    buys = demo.transactions[demo.transactions["amount"] > 0]
    truth = demo.truth.assign(mean_value=lambda t: t["p"] * t["v"] / (t["q"] - 1))
    cell = buys.groupby(["region", "channel"]).agg(n=("amount", "size"))
    cell = cell.join(truth["mean_value"])
    per_customer = buys.groupby(["channel", "customer_id"])["amount"].agg(["sum", "size"])
    for channel, rows in per_customer.groupby(level="channel"):
        observed = rows["sum"].sum() / rows["size"].sum()
        c = cell.xs(channel, level="channel")
        expected = (c["n"] * c["mean_value"]).sum() / c["n"].sum()
        # cluster-robust SE of a ratio mean: values of one customer share nu
        resid = rows["sum"] - observed * rows["size"]
        se = np.sqrt((resid**2).sum()) / rows["size"].sum()
        assert abs(observed - expected) < 4 * se, (channel, observed, expected, se)
    means = buys.groupby("channel")["amount"].mean()
    assert means["web"] > means["store"] > means["app"]  # truth: 266, 238, 93 ILS roughly


def test_seasonality_is_visible(demo):
    tx = demo.transactions
    per_day = tx.groupby("date").size().reindex(
        pd.date_range("2023-01-01", "2025-12-31"), fill_value=0
    )
    month = per_day.index.month
    assert per_day[month >= 11].mean() > 1.3 * per_day[month <= 2].mean()
    saturday = per_day.index.day_of_week == 5
    assert per_day[saturday].mean() < 0.6 * per_day[~saturday].mean()


def test_truth_lists_known_parameters_per_segment(demo):
    truth = demo.truth
    assert truth.index.names == ["region", "channel"]
    assert list(truth.columns) == ["r", "alpha", "a", "b", "p", "q", "v", "customers"]
    assert len(truth) == 12 and truth["customers"].sum() == 20_000
    assert len(truth[["r", "alpha", "a", "b"]].drop_duplicates()) == 12
    assert (truth.drop(columns="customers") > 0).all().all()
    counts = demo.customers.groupby(["region", "channel"]).size()
    pd.testing.assert_series_equal(
        counts.reindex(truth.index), truth["customers"], check_names=False, check_dtype=False
    )


def test_survey_answers(demo):
    survey, tx = demo.survey, demo.transactions
    assert list(survey.columns) == ["customer_id", "date", "score", "comment"]
    assert 0.13 <= len(survey) / 20_000 <= 0.17
    assert survey["customer_id"].is_unique
    assert survey["score"].dtype == np.int64
    assert survey["score"].between(0, 10).all()
    assert survey["score"].nunique() == 11  # the whole scale is used
    first = tx.groupby("customer_id")["date"].min()
    assert (survey["date"].to_numpy() > first.loc[survey["customer_id"]].to_numpy()).all()
    assert survey["date"].max() <= demo.observation_end
    has_comment = survey["comment"].notna()
    assert 0.2 < has_comment.mean() < 0.5
    assert (survey.loc[has_comment, "comment"].str.len() > 0).all()
    # loyal, frequent buyers answer higher: rank correlation with the number of purchases
    n_buys = tx[tx["amount"] > 0].groupby("customer_id").size()
    rho = survey["score"].corr(n_buys.loc[survey["customer_id"]].reset_index(drop=True),
                               method="spearman")
    assert rho > 0.1
    nps = (survey["score"] >= 9).mean() - (survey["score"] <= 6).mean()
    assert 0.0 < nps < 0.5


@pytest.mark.parametrize("n", [1, 7, 500])
def test_small_demos_work(n):
    demo = make_demo(2, n_customers=n)
    assert demo.transactions["customer_id"].nunique() == n
    assert demo.truth["customers"].sum() == n
    assert len(demo.customers) == n


def test_short_custom_period():
    demo = make_demo(0, n_customers=200, start="2024-03-01", end="2024-05-31")
    assert demo.transactions["date"].between("2024-03-01", "2024-05-31").all()
    assert demo.observation_end == pd.Timestamp("2024-05-31")


def test_bad_arguments_raise_data_error():
    with pytest.raises(DataError, match="n_customers"):
        make_demo(n_customers=0)
    with pytest.raises(DataError, match="at least 28 days"):
        make_demo(start="2024-01-01", end="2024-01-10")


# --- write_demo: the client-style export ------------------------------------------------------


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo_export")
    return write_demo(folder, seed=4, n_customers=300), make_demo(4, n_customers=300)


def test_write_demo_writes_a_cp1255_bookkeeping_export(export):
    cfg_path, demo = export
    raw = (cfg_path.parent / "sales.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # Hebrew and the shekel sign in cp1255, as Windows exports them
    text = raw.decode("cp1255")
    lines = text.split("\r\n")
    assert lines[-1] == ""  # Windows line ends, final newline
    lines = lines[:-1]
    assert lines[0] == "תאריך,מספר חשבונית,מספר לקוח,אזור,ערוץ,סכום"
    assert len(lines) == 1 + len(demo.transactions) + 4  # header, rows, 3 bad rows, total
    assert lines[-1].startswith(',,"סה""כ",,,"₪')  # the total row, last
    total = float(lines[-1].split('"₪')[1].rstrip('"').replace(",", ""))
    assert total == pytest.approx(demo.transactions["amount"].sum(), abs=0.005)
    body = "\n".join(lines[1:-1])
    assert ",31/12/2025," not in lines[1] and "/2023," in lines[1]  # dd/mm/yyyy, oldest first
    assert '"₪1,' in body  # thousands separators (quoted, since the file is comma-separated)
    assert ",-₪" in body and ",(" in body  # returns: -₪45.00 and, from the stores, (45.00)
    assert "31/02/" in body and ",#VALUE!" in body and "\n,10" not in body
    assert ",000001," in body  # leading zeros as text


def test_write_demo_reads_back_exactly_with_the_loader(export):
    from retainlib.load.transactions import read_transactions

    cfg_path, demo = export
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    tx, report = read_transactions(
        cfg_path.parent / cfg["data"], columns=cfg["columns"], segments=cfg["segments"],
        **cfg["read"],
    )
    # same dtypes too: the demo uses the loader's text dtype on pandas 2 and 3
    pd.testing.assert_frame_equal(tx, demo.transactions)
    assert tx["date"].dtype.kind == "M"
    assert report.rows_read == len(demo.transactions) + 4
    assert report.rejected_counts() == {
        "blank customer id": 1, "impossible date": 1, "non-numeric amount": 1, "total row": 1
    }
    assert report.rejected["line"].iloc[-1] == len(demo.transactions) + 5  # last line of file
    assert report.returns == (demo.transactions["amount"] < 0).sum()


def test_write_demo_config_loads_and_read_client_gives_back_the_demo(export):
    from retainlib.config.client import load_config
    from retainlib.load.transactions import read_client

    cfg_path, demo = export
    cfg = load_config(cfg_path)
    assert cfg.client == "demo" and cfg.currency == "ILS" and cfg.period == "M"
    assert cfg.data == cfg_path.parent / "sales.csv"
    assert cfg.observation_end == demo.observation_end
    assert cfg.survey is not None and cfg.survey.data == cfg_path.parent / "survey.csv"
    assert cfg.survey.columns == SURVEY_COLUMNS
    assert cfg.clv.margin == 0.35 and cfg.economics["cac"] == 120
    tx, report = read_client(cfg)
    pd.testing.assert_frame_equal(tx, demo.transactions)
    assert report.rows_read == len(demo.transactions) + 4
    assert report.rows_kept == len(demo.transactions)
    assert report.rejected_counts() == {
        "blank customer id": 1, "impossible date": 1, "non-numeric amount": 1, "total row": 1
    }


def test_write_demo_survey_has_the_answers_and_two_out_of_range_scores(export):
    cfg_path, demo = export
    raw = pd.read_csv(cfg_path.parent / "survey.csv", dtype=str, encoding="utf-8",
                      keep_default_na=False)
    assert list(raw.columns) == list(SURVEY_COLUMNS.values())
    score = raw[SURVEY_COLUMNS["score"]].astype(int)
    bad = ~score.between(0, 10)
    assert sorted(score[bad]) == [-1, 11]
    good = raw[~bad]
    back = pd.DataFrame(
        {
            "customer_id": pd.array(good[SURVEY_COLUMNS["customer_id"]].to_numpy(), dtype=TEXT),
            "date": pd.to_datetime(good[SURVEY_COLUMNS["date"]], format="%d/%m/%Y").to_numpy(),
            "score": score[~bad].to_numpy(),
            "comment": pd.array(good[SURVEY_COLUMNS["comment"]].replace("", np.nan).to_numpy(),
                                dtype=TEXT),
        }
    )
    pd.testing.assert_frame_equal(back, demo.survey, check_dtype=False)


def test_write_demo_config_follows_the_client_schema(export):
    cfg_path, _ = export
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    assert cfg["client"] == "demo" and cfg["data"] == "sales.csv"
    assert cfg["columns"] == {"customer_id": "מספר לקוח", "date": "תאריך", "amount": "סכום",
                              "order_id": "מספר חשבונית"}
    assert cfg["segments"] == {"region": "אזור", "channel": "ערוץ"}
    assert cfg["read"]["encoding"] == "cp1255" and cfg["read"]["dayfirst"] is True
    assert cfg["read"]["thousands"] == ","
    assert cfg["currency"] == "ILS" and cfg["period"] == "M"
    assert cfg["observation_end"] == "2025-12-31"
    assert cfg["clv"] == {"horizon_months": 12, "annual_discount_rate": 0.1, "margin": 0.35,
                          "calibration_end": None}
    assert cfg["survey"]["data"] == "survey.csv"
    assert cfg["survey"]["columns"] == SURVEY_COLUMNS
    assert set(SALES_COLUMNS.values()) >= set(cfg["columns"].values())


def test_write_demo_is_deterministic_and_works_for_tiny_demos(tmp_path):
    a = write_demo(tmp_path / "a", seed=9, n_customers=40)
    b = write_demo(tmp_path / "b", seed=9, n_customers=40)
    for name in ("sales.csv", "survey.csv", "client.yaml"):
        assert (a.parent / name).read_bytes() == (b.parent / name).read_bytes()
    tiny = write_demo(tmp_path / "tiny", seed=1, n_customers=1)
    lines = (tiny.parent / "sales.csv").read_bytes().decode("cp1255").split("\r\n")
    assert len(lines) - 2 == len(make_demo(1, n_customers=1).transactions) + 4


def test_format_ils_by_hand():
    values = np.array([0.01, 12.5, 999.99, 1000.0, 1234.5, -45.0, -45.0, -1234567.891])
    accounting = np.array([False] * 6 + [True, False])
    assert _format_ils(values, accounting=accounting).tolist() == [
        "₪0.01", "₪12.50", "₪999.99", "₪1,000.00", "₪1,234.50", "-₪45.00", "(45.00)",
        "-₪1,234,567.89",
    ]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-10**11, 10**11).filter(bool), min_size=1, max_size=30),
       st.booleans())
def test_format_ils_round_trips_through_the_loader_parser(cents, accounting):
    from retainlib.load._numbers import parse_amounts

    values = np.array(cents, dtype=np.int64) / 100
    text = _format_ils(values, accounting=np.full(len(values), accounting))
    parsed, reasons = parse_amounts(pd.Series(text, dtype="str"), thousands=",")
    assert reasons.isna().all()
    np.testing.assert_allclose(parsed.to_numpy(), values, rtol=0, atol=1e-6)


def test_hebrew_demo_writes_hebrew_values_and_the_same_numbers(tmp_path):
    # the same seed in both languages: the same rows, only the region/channel words differ
    en = rl.write_demo(tmp_path / "en", n_customers=60)
    he = rl.write_demo(tmp_path / "he", n_customers=60, language="he")
    a = pd.read_csv(en.parent / "sales.csv", encoding="cp1255", dtype=str)
    b = pd.read_csv(he.parent / "sales.csv", encoding="cp1255", dtype=str)
    body = a["אזור"].notna()
    assert set(b.loc[body, "אזור"]) <= {"מרכז", "ירושלים", "צפון", "דרום"}
    assert set(b.loc[body, "ערוץ"]) <= {"חנות", "אתר", "אפליקציה"}
    assert (a.loc[body, "אזור"].map({"Center": "מרכז", "Jerusalem": "ירושלים", "North": "צפון",
                                    "South": "דרום"}) == b.loc[body, "אזור"]).all()
    assert a["סכום"].equals(b["סכום"])
    assert rl.load_config(he).language == "he"
    assert rl.load_config(en).language == "en"
