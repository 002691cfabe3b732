"""Executive summary and recommended actions from hand-made metrics."""

from __future__ import annotations

import pytest

from retainlib.report.narrative import (
    executive_summary,
    money,
    recommended_actions,
    summary_html,
    title_html,
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


def test_money_formats_by_size_and_currency():
    assert money(1_234_567, "ILS") == "₪1.2M"
    assert money(45_300.4, "USD") == "$45,300"
    assert money(-120, "EUR") == "-€120"


def test_summary_sentences_state_the_numbers():
    s = executive_summary(_metrics())
    text = " ".join(s)
    assert s[0] == ("Acme had 1,200 customers who spent ₪1.8M net of returns between "
                    "2023-01-01 and 2025-12-31.")
    assert "35% of them bought more than once; 65% bought only once." in text
    # 0.90 - 0.95 = -5.0 points
    assert ("In 2025-12 the customer retention rate was 90.0% (churn 10.0%), down 5.0 points "
            "from 95.0% in 2025-11.") in text
    assert "The top 20% of customers bring 74% of revenue; the top 10% bring 52%." in text
    assert "make 2,500 purchases worth ₪600,000" in text
    assert "₪250,000 in total, ₪208 per customer" in text
    assert ("140 valuable customers show signs of leaving; ₪90,000 of revenue over the next 12 "
            "months is at risk if they go.") in text
    assert "The Net Promoter Score is +12 (95% interval +4 to +20, 300 answers)." in text


def test_summary_says_how_many_lapsed_customers_came_back_after_the_retention_rate():
    s = executive_summary(_metrics(won_back=35, won_back_year=410))
    i = next(i for i, x in enumerate(s) if x.startswith("In 2025-12 the customer retention"))
    assert s[i + 1] == ("35 customers who had stopped buying came back in 2025-12 (410 in the "
                        "year to 2025-12); the retention rate counts only customers who kept "
                        "buying, so they are not part of it.")


@pytest.mark.parametrize(
    ("won_back", "year", "sentence"),
    [
        (1, None, "1 customer who had stopped buying came back in 2025-12; the retention rate "
                  "counts only customers who kept buying, so they are not part of it."),
        (0, 12, "No customer who had stopped buying came back in 2025-12 (12 in the year to "
                "2025-12); the retention rate counts only customers who kept buying, so they "
                "are not part of it."),
        (0, 0, "No customer who had stopped buying came back in 2025-12."),
        (0, None, "No customer who had stopped buying came back in 2025-12."),
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
    assert any("about the same as 95.0% in 2025-11" in x for x in s)


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
    assert a[0] == ("Track the retention rate and churn every period against this report's "
                    "baseline (80.0% retention).")


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


def test_portfolio_shows_shares_with_one_decimal_as_the_summary_does(tmp_path):
    # the executive summary says "95.9%"; the portfolio row must show the same figure
    import json

    from retainlib.report._portfolio import portfolio_html

    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "metrics.json").write_text(json.dumps(
        {"currency": "ILS", "customers": 2000, "revenue": 2_000_000.0, "crr": 0.9594,
         "repeat_purchase_rate": 0.8301, "top20_revenue_share": 0.6249, "nps": 12.4}))
    page = portfolio_html(tmp_path, [{"client": "Acme", "slug": "acme", "status": "ok",
                                      "report": "acme/report.html", "segments": []}])
    for text in ("<td>95.9%</td>", "<td>83.0%</td>", "<td>62.5%</td>", "<td>2,000</td>",
                 "<td>₪2.0M</td>", "<td>+12</td>"):
        assert text in page, text


def test_without_the_models_the_summary_says_why_in_their_place():
    note = ("The purchase-forecast models were left out of this report (no customer lifetime "
            "value, P(alive) or at-risk list): the data have only 12 customers.")
    s = executive_summary(_metrics(model_note=note, expected_purchases=None, expected_revenue=None,
                                   clv_total=None, clv_mean=None, revenue_at_risk=None,
                                   at_risk_customers=None))
    assert note in s and not any("lifetime value over that horizon" in x for x in s)
    top = next(i for i, x in enumerate(s) if x.startswith("The top 20%"))
    assert s[top + 1] == note  # where the forecast sentences would have been
