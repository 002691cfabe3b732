"""Executive summary and recommended actions from hand-made metrics."""

from __future__ import annotations

import pytest

from retainlib.report.narrative import (
    DEFINITIONS,
    NO_CAMPAIGN,
    NO_SURVEY,
    executive_summary,
    list_file,
    p_alive_note,
    period_label,
    recommended_actions,
    retention_figures_note,
    segment_title,
    summary_html,
    summary_paragraphs,
    title_html,
    trend_sentence,
)


def _metrics(**over):
    m = {
        "client": "Acme", "segment": None, "currency": "ILS", "observation_end": "2025-12-31",
        "customers": 1200, "revenue": 1_800_000.0, "first_date": "2023-01-01",
        "last_date": "2025-12-31", "repeat_purchase_rate": 0.35, "crr": 0.90,
        "churn_rate": 0.10, "crr_period": "2025-12", "crr_previous": 0.95,
        "crr_previous_period": "2025-11", "top20_revenue_share": 0.74,
        "top10_revenue_share": 0.52, "horizon_months": 12, "expected_purchases": 2500.0,
        "expected_revenue": 600_000.0, "clv_total": 250_000.0, "clv_mean": 208.3,
        "revenue_at_risk": 90_000.0, "at_risk_customers": 140, "nps": 12.0, "nps_low": 4.0,
        "nps_high": 20.0, "nps_responses": 300, "detractors": 80, "retention_roi": 150.0,
        "campaign_cost": 20_000.0,
    }
    m.update(over)
    return m


def test_summary_sentences_state_the_numbers():
    s = executive_summary(_metrics())
    text = " ".join(s)
    assert s[0] == ("Acme had 1,200 customers who spent ₪1,800,000 net of returns between "
                    "2023-01-01 and 2025-12-31.")
    assert "35% of them bought more than once; 65% bought only once." in text
    # no trend keys: the change from the previous period, 0.90 - 0.95 = -5.0 points
    assert ("Retention was 90.0% in December 2025. That is 5.0 points down from 95.0% in "
            "November 2025.") in text
    assert "The top 20% of customers bring 74% of revenue; the top 10% bring 52%." in text
    assert "make 2,500 purchases worth ₪600,000" in text
    assert "₪250,000 in total, ₪208 per customer" in text
    assert ("140 valuable customers show signs of leaving but may still be buying: "
            "₪90,000 of revenue over the next 12 months is at risk if they go.") in text
    assert "The Net Promoter Score is +12 (95% interval +4 to +20, 300 answers)." in text


def test_summary_says_how_many_lapsed_customers_came_back_after_the_retention_rate():
    s = executive_summary(_metrics(won_back=35, won_back_year=410))
    i = next(i for i, x in enumerate(s) if x.startswith("Retention was"))
    assert s[i + 1].startswith("Retention here is")  # the definition, then the won-back count
    assert s[i + 2] == ("35 customers who had stopped buying came back in December 2025 (410 in "
                        "the year to December 2025); the retention rate counts only customers "
                        "who kept buying, so they are not part of it.")


@pytest.mark.parametrize(
    ("won_back", "year", "sentence"),
    [
        (1, None, "1 customer who had stopped buying came back in December 2025; the retention "
                  "rate counts only customers who kept buying, so they are not part of it."),
        (0, 12, "No customer who had stopped buying came back in December 2025 (12 in the year "
                "to December 2025); the retention rate counts only customers who kept buying, "
                "so they are not part of it."),
        (0, 0, "No customer who had stopped buying came back in December 2025."),
        (0, None, "No customer who had stopped buying came back in December 2025."),
    ],
)
def test_won_back_sentence_wording(won_back, year, sentence):
    assert sentence in executive_summary(_metrics(won_back=won_back, won_back_year=year))


def test_no_won_back_count_leaves_the_sentence_out():
    assert not any("stopped buying" in x for x in executive_summary(_metrics()))


def test_summary_without_survey_says_so_and_stable_trend():
    s = executive_summary(_metrics(nps=None, crr=0.951, crr_previous=0.95))
    assert s[-1] == "No customer survey was provided, so there is no NPS in this report."
    # 95.1 - 95.0 = 0.1 point: within half a point -> 'about the same'
    assert any("That is about the same as November 2025." in x for x in s)


def test_missing_numbers_leave_their_sentence_out():
    s = executive_summary({"client": "X", "customers": 10, "revenue": 100.0, "currency": "USD"})
    assert s == ["X had 10 customers who spent $100 net of returns.",
                 "No customer survey was provided, so there is no NPS in this report."]


def test_three_actions_ranked_by_money_at_stake():
    a = recommended_actions(_metrics())
    assert len(a) == 3
    # priorities by hand: one-time buyers (1-0.35)*600,000 = 390,000; at-risk 90,000;
    # falling CRR 600,000*(0.95-0.90) = 30,000; campaign 150% of 20,000 = 30,000;
    # detractors 80*208.3 = 16,664; top-20% 0.74*600,000*0.1 = 44,400
    assert a[0].startswith("Turn one-time buyers into repeat customers: 65% bought only once")
    assert a[1].startswith("Call the 140 at-risk customers in at_risk.csv")
    assert a[2].startswith("Protect the top 20% of customers, who bring 74% of revenue")


def test_actions_fall_back_when_little_applies():
    a = recommended_actions({"crr": 0.8, "currency": "ILS"})
    assert len(a) == 3
    assert a[0] == ("Track the retention rate every period against this report's baseline "
                    "(80.0% retention).")


def test_negative_roi_recommends_rework():
    a = recommended_actions({"retention_roi": -40.0, "campaign_cost": 50_000.0,
                             "currency": "ILS"})
    assert a[0].startswith("Rework the planned retention campaign before funding it")
    assert "-40% on ₪50,000" in a[0]


@pytest.mark.parametrize("evil", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_client_strings_are_escaped(evil):
    m = _metrics(client=evil, segment={"column": "region", "value": evil})
    for html_text in (summary_html(m), title_html(m)):
        assert "<script" not in html_text and "<img" not in html_text
        assert "&lt;" in html_text
    assert title_html(m)._repr_html_() == str(title_html(m))


def test_portfolio_shows_rates_and_shares_as_the_summary_does(tmp_path):
    # the executive summary says "95.9%" retention, "83%" bought more than once and "62%" of
    # revenue from the top 20%; the portfolio row must show the same figures
    import json

    from retainlib.report._portfolio import portfolio_html

    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "metrics.json").write_text(json.dumps(
        {"currency": "ILS", "customers": 2000, "revenue": 2_000_000.0, "crr": 0.9594,
         "repeat_purchase_rate": 0.8301, "top20_revenue_share": 0.6249, "nps": 12.4}))
    page = portfolio_html(tmp_path, [{"client": "Acme", "slug": "acme", "status": "ok",
                                      "report": "acme/report.html", "segments": []}])
    for text in ("<td>95.9%</td>", "<td>83%</td>", "<td>62%</td>", "<td>2,000</td>",
                 "<td>₪2,000,000</td>", "<td>+12</td>"):
        assert text in page, text


def test_without_the_models_the_summary_says_why_in_their_place():
    note = ("The purchase-forecast models were left out of this report (so there is no customer "
            "lifetime value, no chance that a customer is still active and no early-warning "
            "list): the data have only 12 customers.")
    s = executive_summary(_metrics(model_note=note, expected_purchases=None, expected_revenue=None,
                                   clv_total=None, clv_mean=None, revenue_at_risk=None,
                                   at_risk_customers=None))
    assert note in s and not any("lifetime value over that horizon" in x for x in s)
    top = next(i for i, x in enumerate(s) if x.startswith("The top 20%"))
    assert s[top + 1] == note  # where the forecast sentences would have been


# --------------------------------------------------------------------------- the trend
def _trend(**over):
    """Metrics of a monthly report with a 12-month trend window (values chosen by hand)."""
    return _metrics(**{"period_unit": "month", "crr_window": 12, "crr_trend_window": 12, **over})


def test_trend_falling_to_a_record_low_states_level_record_averages_and_slope():
    # recent 94.1% - before 96.4% = -2.3 points; slope -1.2 points a year, interval -1.8..-0.6
    m = _trend(crr=0.93, crr_record="lowest", crr_record_periods=36, crr_trend_recent=0.941,
               crr_trend_before=0.964, crr_trend_change=-0.023, crr_trend_slope=-0.012,
               crr_trend_slope_low=-0.018, crr_trend_slope_high=-0.006,
               crr_trend_direction="falling")
    assert trend_sentence(m) == (
        "Retention was 93.0% in December 2025, the lowest of the last 36 months; over the last "
        "12 months it averaged 94.1%, 2.3 points below the 12 months before (96.4%), and it is "
        "falling by about 1.2 points a year (between 0.6 and 1.8).")
    s = executive_summary(m)
    assert trend_sentence(m) in s and not any("unchanged" in x or "about the same" in x
                                              for x in s)
    # the falling trend is an action: expected revenue 600,000 x (0.964 - 0.941) = 13,800
    assert any(a.startswith("Find out why retention is falling: it averaged 94.1% over the last "
                            "12 months, against 96.4% in the 12 months before")
               for a in recommended_actions(dict(m, repeat_purchase_rate=0.9,
                                                 top20_revenue_share=0.5, revenue_at_risk=0.0,
                                                 at_risk_customers=0, nps=None)))


def test_trend_rising_to_a_record_high():
    # recent 95.0% - before 93.5% = +1.5 points; slope +0.9 points a year (0.4 to 1.4)
    m = _trend(crr=0.961, crr_record="highest", crr_record_periods=24, crr_trend_recent=0.95,
               crr_trend_before=0.935, crr_trend_change=0.015, crr_trend_slope=0.009,
               crr_trend_slope_low=0.004, crr_trend_slope_high=0.014,
               crr_trend_direction="rising")
    assert trend_sentence(m) == (
        "Retention was 96.1% in December 2025, the highest of the last 24 months; over the last "
        "12 months it averaged 95.0%, 1.5 points above the 12 months before (93.5%), and it is "
        "rising by about 0.9 points a year (between 0.4 and 1.4).")
    assert not any(a.startswith("Find out why retention") for a in recommended_actions(m))


def test_flat_trend_says_no_clear_trend_with_the_interval_across_zero():
    # recent 94.2% - before 94.0% = +0.2 points; the slope interval -0.4..+0.3 contains 0
    m = _trend(crr=0.94, crr_record=None, crr_record_periods=36, crr_trend_recent=0.942,
               crr_trend_before=0.94, crr_trend_change=0.002, crr_trend_slope=-0.0005,
               crr_trend_slope_low=-0.004, crr_trend_slope_high=0.003,
               crr_trend_direction="flat")
    assert trend_sentence(m) == (
        "Retention was 94.0% in December 2025; over the last 12 months it averaged 94.2%, "
        "0.2 points above the 12 months before (94.0%), with no clear trend up or down (the "
        "fitted change is between -0.4 and +0.3 points a year).")
    assert not any(a.startswith("Find out why retention") for a in recommended_actions(m))


def test_too_short_a_history_states_the_level_and_says_there_is_no_trend_yet():
    # 3 complete months: retention_summary gives no trend (window NaN, direction 'n/a')
    m = _trend(crr=0.94, crr_record=None, crr_record_periods=3, crr_trend_window=None,
               crr_trend_recent=None, crr_trend_before=None, crr_trend_change=None,
               crr_trend_slope=None, crr_trend_slope_low=None, crr_trend_slope_high=None,
               crr_trend_direction="n/a")
    assert trend_sentence(m) == ("Retention was 94.0% in December 2025; there are too few "
                                 "complete months yet to show a trend.")
    assert not any(a.startswith("Find out why retention") for a in recommended_actions(m))


def test_a_shorter_trend_window_on_short_data_is_named():
    # 15 complete months: retention_summary compares the last 7 with the 7 before
    m = _trend(crr=0.94, crr_record_periods=15, crr_trend_window=7, crr_trend_recent=0.95,
               crr_trend_before=0.96, crr_trend_change=-0.01, crr_trend_slope=-0.02,
               crr_trend_slope_low=-0.05, crr_trend_slope_high=0.01,
               crr_trend_direction="flat")
    assert trend_sentence(m).startswith("Retention was 94.0% in December 2025; over the last 7 "
                                        "months it averaged 95.0%, 1.0 point below the 7 months "
                                        "before (96.0%), with no clear trend")


def test_weekly_and_quarterly_periods_are_named_in_words():
    assert period_label("2025-12-22/2025-12-28") == "the week of 22 December 2025"
    m = _trend(crr=0.9, crr_period="2025Q4", period_unit="quarter", crr_trend_window=4,
               crr_record="lowest", crr_record_periods=12, crr_trend_recent=0.92,
               crr_trend_before=0.93, crr_trend_direction="flat")
    assert trend_sentence(m).startswith("Retention was 90.0% in Q4 2025, the lowest of the last "
                                        "12 quarters; over the last 4 quarters it averaged 92.0%")


def test_the_retention_rate_is_defined_once_in_the_summary():
    s = executive_summary(_trend())
    defs = [x for x in s if x.startswith("Retention here is")]
    assert defs == [("Retention here is the share of customers kept through a month: of the "
                     "customers who had bought in the 12 months before the month began, the share "
                     "who had still bought within the 12 months up to its end (customers who "
                     "come back after a longer gap are counted as won back).")]
    # the other retention-like shares are named for what they are
    assert {"crr", "bought_again_12m", "model_retention", "cohort_share"} <= set(DEFINITIONS)
    assert DEFINITIONS["crr"].startswith("Retention rate of a month: of the customers who had")
    assert "who bought in the last 12 months" in retention_figures_note(_trend())


# --------------------------------------------------------------------------- early warning
def test_lapsed_valuable_customers_get_their_own_sentence_and_win_back_action():
    m = _metrics(lapsed_customers=60, lapsed_value=2_000_000.0, repeat_purchase_rate=0.9)
    text = " ".join(executive_summary(m))
    assert ("60 more valuable customers have probably stopped buying already; won back, they "
            "would bring ₪2,000,000 over the next 12 months.") in text
    a = recommended_actions(m)
    # priorities: win-back 0.1 x 2,000,000 = 200,000; at-risk 90,000; top-20% 44,400
    assert a[0] == ("Send a win-back offer to the 60 lapsed valuable customers in win_back.csv, "
                    "most valuable first: they have probably stopped buying, but won back they "
                    "would bring ₪2,000,000 over the next 12 months.")
    assert a[1].startswith("Call the 140 at-risk customers in at_risk.csv, highest expected "
                           "value first (expected value = value if kept \u00d7 chance still "
                           "active): ₪90,000 of revenue")


def test_no_lapsed_customers_no_win_back_action():
    m = _metrics(lapsed_customers=0, lapsed_value=0.0)
    assert not any("win_back.csv" in a for a in recommended_actions(m))
    assert not any("probably stopped buying" in x for x in executive_summary(m))


def test_p_alive_note_explains_one_time_buyers_and_is_empty_without_the_models():
    note = p_alive_note(_metrics(bgnbd={"r": 0.2, "alpha": 4.0, "a": 0.5, "b": 2.0}))
    assert note.startswith("The chance still active (P(alive)) is 100% for every customer who "
                           "has bought only once (65% of customers)")  # 1 - 0.35
    assert "no recommendation in this report relies on it" in note
    assert p_alive_note(_metrics(bgnbd=None)) == ""
    assert p_alive_note(_metrics(bgnbd={"r": 1.0}, model_note="left out")) == ""


def test_no_action_is_about_the_chance_still_active():
    for a in recommended_actions(_metrics(lapsed_customers=5, lapsed_value=1e5)):
        # the one mention: expected value, by which the at-risk list is ranked, is defined
        a = a.replace("(expected value = value if kept \u00d7 chance still active)", "")
        assert "P(alive)" not in a and "chance still active" not in a


# --------------------------------------------------------------------------- segment titles
def test_segment_report_reads_like_a_title():
    m = _metrics(segment={"column": "region", "value": "North"})
    t = str(title_html(m))
    assert '<h1 class="report-title">North region</h1>' in t
    # a value in lower case starts the title with a capital, the sentence keeps it
    lower = _metrics(segment={"column": "channel", "value": "app"})
    assert '<h1 class="report-title">App channel</h1>' in str(title_html(lower))
    assert executive_summary(lower)[0].startswith("The app channel had")
    assert "Retention report for Acme as of 2025-12-31" in t
    assert executive_summary(m)[0].startswith("The North region had 1,200 customers")
    assert "=" not in " ".join(executive_summary(m))
    assert segment_title(("sales_channel", "Online")) == "Online sales channel"


def test_tool_wording_speaks_to_the_reader():
    assert NO_CAMPAIGN == ("No campaign costs were provided, so the return on a retention "
                           "campaign is not shown.")
    assert executive_summary(_metrics(nps=None))[-1] == NO_SURVEY


def test_the_summary_reads_as_one_paragraph_per_question():
    m = _trend(crr_trend_recent=0.941, crr_trend_before=0.964, crr_trend_direction="falling",
               crr_trend_slope=-0.012)
    blocks = summary_paragraphs(m)
    assert [b[0][:22] for b in blocks] == ["Acme had 1,200 custome", "Retention was 90.0% in",
                                           "The top 20% of custome", "140 valuable customers",
                                           "The Net Promoter Score"]
    assert executive_summary(m) == [x for b in blocks for x in b]
    assert str(summary_html(m)).count("<p>") == len(blocks) + 1  # + the actions' heading


def test_the_at_risk_sentence_gives_the_lists_floor_of_chance_still_active():
    text = " ".join(s for block in summary_paragraphs(_metrics(lapsed_below=0.2)) for s in block)
    assert ("140 valuable customers show signs of leaving but may still be buying (chance still "
            "active at least 20%): ₪90,000 of revenue over the next 12 months is at risk if "
            "they go.") in text
    assert "still likely" not in text
    assert DEFINITIONS["revenue_at_risk"].count("may still be buying") == 1


def test_the_bought_in_the_last_12_months_definition_starts_with_its_table_label():
    from retainlib.report.labels import label

    assert DEFINITIONS["bought_again_12m"].startswith(label("bought_again_12m") + ": ")
    assert label("bought_again_12m") == ("Bought in the last 12 months (customers older than a "
                                         "year)")
    assert DEFINITIONS["chance_still_active"].startswith(label("chance_still_active") + ": ")


def test_the_nps_sentence_signs_its_range_like_the_nps_table():
    from retainlib._format import nps as fmt_nps

    text = " ".join(s for block in summary_paragraphs(_metrics(nps=0.4, nps_low=-6.4,
                                                               nps_high=7.2)) for s in block)
    assert f"The Net Promoter Score is 0 (95% interval {fmt_nps(-6.4)} to +7" in text
    assert fmt_nps(-6.4) == "-6"  # one minus sign for every negative figure (_format)


def test_a_segment_reports_actions_point_to_the_clients_file_and_its_filter():
    m = _metrics(segment={"column": "region", "value": "North"}, lapsed_customers=60,
                 lapsed_value=2e6)
    actions = " ".join(recommended_actions(m))
    assert ("Call the 140 at-risk customers in the client's customers.csv, filtered on "
            "Region = North and Early warning = at risk, highest expected value first") in actions
    assert ("Send a win-back offer to the 60 lapsed valuable customers in the client's "
            "customers.csv, filtered on Region = North and Early warning = lapsed") in actions
    assert "at_risk.csv" not in actions and "win_back.csv" not in actions


def test_a_segment_list_points_to_the_clients_customer_file_by_its_name():
    seg = {"segment": {"column": "region", "value": "North"}}
    assert list_file(seg, "lapsed").startswith("the client's customers.csv, filtered")
    m = {**seg, "customers_file": "customers.parquet"}
    assert list_file(m, "lapsed").startswith("the client's customers.parquet, filtered")
    he = list_file({**m, "language": "he"}, "at risk")
    assert he.startswith("קובץ customers.parquet של החברה")
