"""What a manager reads: every display block of the demo report in words and in its format.

The demo Analysis is built once for the module (400 customers, as in test_analysis.py);
every display function is rendered, tags are stripped, and the visible text is searched
for code-style names, True/False, nan and currency signs on counts.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import retainlib as rl
from retainlib.report import display as show
from retainlib.report.analysis import analyse
from retainlib.report.labels import has_label

#: display blocks and their arguments ('model_section' once per part)
PARTS = ("intro", "parameters", "holdout", "p_alive", "clv")
#: a code-style identifier: lower-case words joined by '_' (file names such as at_risk.csv
#: are names the reader opens, and allowed)
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.csv)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    cfg = rl.write_demo(tmp_path_factory.mktemp("demo"), n_customers=400)
    return analyse(str(cfg), cache=tmp_path_factory.mktemp("cache") / "core.pkl")


def _visible(block) -> str:
    """The text a reader sees: HTML without tags, or every text of a figure."""
    if block is None:
        return ""
    if hasattr(block, "savefig"):
        from matplotlib.text import Text

        return " ".join(t.get_text() for t in block.findobj(Text))
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", str(block))))


def every_block(a) -> dict:
    """Every display block of an Analysis, by name ('model_section:<part>' per part)."""
    out = {}
    for name in show.__all__:
        if name in ("note", "table"):
            continue
        fn = getattr(show, name)
        if name == "model_section":
            for part in PARTS:
                out[f"model_section:{part}"] = fn(a, part)
        else:
            out[name] = fn(a)
    return out


@pytest.fixture(scope="module")
def rendered(demo):
    return {name: _visible(block) for name, block in every_block(demo).items()}


def test_every_display_block_reads_in_words(rendered):
    for name, text in rendered.items():
        assert SNAKE.findall(text) == [], name
        assert re.search(r"\b(True|False|nan|NaN|None)\b", text) is None, name
        for code in ("pop retention", "mean p alive", "roi pct", " aov ", " se "):
            assert code not in f" {text.lower()} ", (name, code)


def test_no_table_shows_an_empty_index_row_or_a_second_header_row(demo):
    for name in ("kpi_table", "abc", "segment_overview", "segment_tables", "at_risk",
                 "win_back", "nps", "economics", "model_parameters", "clv"):
        block = str(getattr(show, name)(demo))
        for thead in re.findall(r"<thead>(.*?)</thead>", block, flags=re.S):
            assert thead.count("<tr>") == 1, name
        assert "<th></th>" not in block.replace(" ", "") or name == "data_quality", name


def _table_cells(block: str) -> list[dict[str, str]]:
    """Each row of each table in ``block`` as {header: cell}."""
    rows = []
    for tbl in re.findall(r"<table.*?</table>", block, flags=re.S):
        heads = [html.unescape(h) for h in re.findall(r"<thead>.*?</thead>", tbl, re.S)
                 for h in re.findall(r"<th(?: [^>]*)?>(.*?)</th>", h)]
        body = re.search(r"<tbody>(.*?)</tbody>", tbl, re.S).group(1)
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = [html.unescape(c) for c in re.findall(r"<t[hd](?: [^>]*)?>(.*?)</t[hd]>", tr)]
            rows.append(dict(zip(heads, cells, strict=False)))
    return rows


def test_no_currency_sign_on_a_count_and_counts_are_whole(demo):
    counts = ("Customers", "Active customers", "New customers", "Customers lost", "Won back",
              "Orders", "Answers", "Expected purchases", "Repeat purchases", "Rank")
    for name in ("kpi_table", "abc", "segment_overview", "segment_tables", "at_risk",
                 "win_back", "nps", "economics"):
        for row in _table_cells(str(getattr(show, name)(demo))):
            for head in counts:
                if row.get(head):
                    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*", row[head]), (name, head, row)


def test_the_clv_forecast_prints_counts_as_counts_and_the_horizon_in_months(demo):
    text = _visible(show.clv(demo))
    s = demo.clv_summary
    assert f"Customers {s['customers']:,.0f} " in text  # not ₪400
    assert "Forecast horizon 12 months" in text
    assert f"Expected purchases {s['expected_purchases']:,.0f} " in text
    assert f"Lifetime value of all customers ₪{s['clv_total']:,.0f}" in text


def test_the_two_early_warning_lists_on_screen(demo):
    risk, lapsed = (demo.at_risk[demo.at_risk["list"] == w] for w in ("at risk", "lapsed"))
    at = _table_cells(str(show.at_risk(demo, rows=5)))
    back = _table_cells(str(show.win_back(demo, rows=5)))
    assert len(at) == min(5, len(risk)) and len(back) == min(5, len(lapsed))
    assert all(len(r) <= show.MAX_COLUMNS for r in at + back)
    # ranked, with the chance in words: whole percent as in the reason
    assert [r["Rank"] for r in at] == [str(i) for i in range(1, len(at) + 1)]
    first = risk.iloc[0]
    assert at[0]["Expected value"] == f"₪{first['expected_value']:,.0f}"
    assert at[0]["Chance still active"] in first["reason"]
    assert back[0]["Value if won back"] == f"₪{lapsed.iloc[0]['value_if_retained']:,.0f}"


def test_segment_overview_is_small_and_the_full_tables_stay_for_the_appendix(demo):
    small = str(show.segment_overview(demo))
    for tbl in re.findall(r"<thead>(.*?)</thead>", small, re.S):
        assert tbl.count("<th") <= show.MAX_COLUMNS
    assert "By region" in small and "By customer group (RFM)" in small
    full = _visible(show.segment_tables(demo))
    assert "Bought in the last 12 months (customers older than a year)" in full
    assert "Lifetime value (CLV)" in full


def test_model_parameters_are_labelled_in_words(demo):
    text = _visible(show.model_parameters(demo))
    assert "Estimate" in text and "Standard error" in text and "coef" not in text


def test_every_column_the_report_shows_has_a_label(demo):
    frames = [demo.kpis, demo.abc, demo.at_risk, demo.nps, demo.nps_behaviour, demo.detractors,
              *demo.segment_tables.values(), demo.economics["yearly"],
              demo.economics["scenarios"], demo.economics["roi"]]
    frames = [f for f in frames if f is not None]
    names = {str(c) for f in frames for c in f.columns} | {
        str(f.index.name) for f in frames if f.index.name}
    names |= set(demo.clv_summary.index)
    names -= {"region", "channel"}  # the client's own segment columns, shown as written
    assert sorted(n for n in names if not has_label(n)) == []


def test_table_renders_one_header_row_with_the_index_label_first():
    df = pd.DataFrame({"customers": [3, 1200], "p_alive": [0.004, 0.5]},
                      index=pd.Index(["a", "b"], name="customer_id"))
    rows = _table_cells(str(show.table(df)))
    assert rows == [{"Customer ID": "a", "Customers": "3", "Chance still active": "below 1%"},
                    {"Customer ID": "b", "Customers": "1,200", "Chance still active": "50%"}]


def test_the_retention_section_states_the_summarys_trend_sentence_word_for_word(demo):
    from retainlib.report.narrative import executive_summary, trend_sentence

    trend = trend_sentence(demo.metrics)
    assert trend and trend in executive_summary(demo.metrics)  # one wording of one figure
    text = _visible(show.retention_statement(demo))
    assert trend in text and "is the one retention figure of this report" in text


def test_the_segment_tables_explain_once_why_one_time_buyers_show_100_percent(demo):
    text = _visible(show.segment_tables(demo))
    assert text.count("is 100% for every customer who has bought only once") == 1
    assert text.index("bought only once") < text.index("By region")  # before the tables


def test_the_retention_table_reproduces_its_rate_from_its_own_columns(demo):
    block = str(show.kpi_table(demo))
    rows = _table_cells(block)
    assert list(rows[0]) == ["Period", "Customers at the start", "Customers lost",
                             "Customer retention rate", "Won back", "New customers", "Revenue"]
    assert len(rows[0]) <= show.MAX_COLUMNS and "Active customers" not in rows[0]
    for r in rows:  # e.g. 2025-12: (255 - 10) / 255 = 96.1%
        start, lost = (int(r[h].replace(",", "")) for h in ("Customers at the start",
                                                           "Customers lost"))
        assert r["Customer retention rate"] == f"{(start - lost) / start:.1%}", r
    text = _visible(block)
    assert ("Customer retention rate = (Customers at the start \u2212 Customers lost) / "
            "Customers at the start.") in text
    assert "bought in the 12 months before the month began" in text


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    """The demo with a campaign it can afford (the top 100 of its 400 customers), and its
    North region's report."""
    cfg = rl.write_demo(tmp_path_factory.mktemp("campaign"), n_customers=400)
    text = cfg.read_text(encoding="utf-8").replace("customers_targeted: 2000",
                                                   "customers_targeted: 100")
    assert "customers_targeted: 100" in text
    cfg.write_text(text, encoding="utf-8")
    cache = tmp_path_factory.mktemp("cache") / "core.pkl"
    return analyse(str(cfg), cache=cache), analyse(str(cfg), segment="region", value="North",
                                                   cache=cache)


def test_the_campaign_table_multiplies_up_and_labels_revenue_and_margin(campaign):
    a, _ = campaign
    block = str(show.economics(a))
    part = block[block.index("Retention campaign return"):block.index("What more retention")]
    rows = [tuple(re.findall(r"<t[hd](?: [^>]*)?>(.*?)</t[hd]>", tr))
            for tr in re.findall(r"<tr>(.*?)</tr>", part, re.S)]
    fig = {html.unescape(k): html.unescape(v) for k, v in rows}
    assert list(fig) == ["Campaign cost", "Customers targeted (the most valuable)",
                         "Customers kept by the campaign, share of those targeted",
                         "Customers kept", "Revenue per customer kept, next 12 months",
                         "Margin (share of revenue kept as profit)",
                         "Margin from the customers kept",
                         "Net gain (margin minus campaign cost)", "Return on the campaign"]
    roi = a.economics["roi"].iloc[0]
    # 100 targeted x 5% = 5 kept; 5 x revenue per customer kept x 35% margin = the margin row
    assert fig["Customers kept by the campaign, share of those targeted"] == "5%"
    assert fig["Customers kept"] == "5" and fig["Margin (share of revenue kept as profit)"] == "35%"
    assert fig["Revenue per customer kept, next 12 months"] == f"₪{roi.value_per_customer:,.0f}"
    assert fig["Margin from the customers kept"] == f"₪{5 * roi.value_per_customer * 0.35:,.0f}"
    assert "Campaign share" not in _visible(block) and "in this segment" not in _visible(block)


def test_the_retention_scenarios_are_named_in_points_of_the_models_retention(campaign):
    text = _visible(show.economics(campaign[0]))
    scen = text[text.index("What more retention is worth"):]
    assert "Scenario Still active per the model" in scen and "As today 75.5%" in scen
    assert "+5 points of the model's 12-month retention" in scen
    assert "Retention gain" not in text


def test_the_new_customer_value_table_has_no_customers_column(campaign):
    a, north = campaign
    for an, name in ((a, "New customer"), (north, "New customer (client-wide model)")):
        block = str(show.economics(an))
        part = block[block.index("New-customer lifetime value"):]
        first = _table_cells(part)[0]
        assert "Customers" not in first, first
        assert list(first.values())[0] == name


def test_a_segment_report_shows_its_share_of_the_campaign_in_words(campaign):
    text = _visible(show.economics(campaign[1]))
    assert re.search(r"Share of the campaign in this segment \d+%", text), text


def test_the_retention_like_figures_are_defined_once_under_the_tables_that_show_them(demo,
                                                                                     campaign):
    overview, full = _visible(show.segment_overview(demo)), _visible(show.segment_tables(demo))
    scen = _visible(show.economics(campaign[0]))
    bought = ("Bought in the last 12 months (customers older than a year): of the customers "
              "whose first purchase was more than 12 months before the end of the data, the "
              "share who bought in the last 12 months.")
    assert overview.count(bought) == 1 and full.count(bought) == 1
    assert overview.index(bought) > overview.rindex("By ")  # under the tables
    assert full.count("Chance still active, average: the mean over the group's customers") == 1
    assert scen.count("Still active per the model: of the customers the purchase model counts "
                      "as active today, the share it expects to be still active 12 months") == 1
    assert "Bought again within 12 months" not in overview + full


def test_a_shortened_list_has_one_bracket_in_its_caption(demo):
    text = _visible(show.at_risk(demo, rows=5))
    n = int((demo.at_risk["list"] == "at risk").sum())
    assert (f"Customers at risk, most expected value first (all of them are in at_risk.csv; "
            f"first 5 of {n:,} rows)") in text
    assert ") (" not in text


def test_the_summary_says_at_risk_customers_may_still_be_buying_above_the_lists_floor(demo):
    text = _visible(show.summary(demo))
    assert "signs of leaving but may still be buying (chance still active at least 20%)" in text
    assert "still likely to be buying" not in text
    assert ("highest expected value first (expected value = value if kept \u00d7 chance still "
            "active)") in text


def test_a_segment_reports_lists_say_where_the_client_file_has_them(campaign):
    north = campaign[1]
    text = _visible(show.at_risk(north)) + _visible(show.win_back(north))
    for which in ("at risk", "lapsed"):
        assert (f"(all of them are in the client's customers.csv, filtered on Region = North "
                f"and Early warning = {which})") in text
    # the filter gives the segment's list: as many customers as the report counts
    ew = north.customers["early_warning"].value_counts()
    assert ew["at risk"] == north.metrics["at_risk_customers"]
    assert ew["lapsed"] == north.metrics["lapsed_customers"]


def test_a_fractional_number_of_customers_kept_is_not_rounded_to_a_whole_customer(campaign):
    _, north = campaign
    roi = north.economics["roi"].iloc[0]
    kept = float(roi.customers_retained)  # the region's targeted customers x 5%
    assert not kept.is_integer()  # e.g. 12 x 5% = 0.6: the case this test is about
    block = str(show.economics(north))
    part = block[block.index("Retention campaign return"):block.index("What more retention")]
    fig = {html.unescape(k): html.unescape(v) for k, v in _table_cells_pairs(part)}
    shown = f"{kept:,.0f}" if kept.is_integer() else f"{kept:,.1f}"
    assert fig["Customers kept"] == shown
    # the margin row multiplies the same number, not a rounded one
    margin = kept * roi.value_per_customer * 0.35
    assert fig["Margin from the customers kept"] == f"₪{margin:,.0f}"


def _table_cells_pairs(part: str) -> list[tuple[str, str]]:
    return [tuple(re.findall(r"<t[hd](?: [^>]*)?>(.*?)</t[hd]>", tr))
            for tr in re.findall(r"<tr>(.*?)</tr>", part, re.S)]
