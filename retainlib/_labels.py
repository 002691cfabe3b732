"""The words shown for every column and metric name, per language (the one catalogue).

Tables, CSV headers and chart axes show a canonical snake_case name
(``expected_purchases``, ``p_alive``) through :func:`label`, never the name
itself. The catalogue :data:`LABELS` is keyed by language, then by canonical
name; a new language is one more dictionary with the same keys
(``tests/report/test_display.py`` checks that every name the report shows
has a label). :mod:`retainlib.report.labels` is the public face of this
module; it lives at the bottom of the package so that the output files and
the plots (below the report layer) use the same words.

Kinds of number (how each column is formatted) are in :mod:`retainlib._format`.
"""

from __future__ import annotations

__all__ = ["LABELS", "LANGUAGES", "has_label", "label", "labels"]

_EN: dict[str, str] = {
    # customers and money
    "customer_id": "Customer ID",
    "customers": "Customers",
    "orders": "Orders",
    "purchases": "Purchases",
    "amount": "Amount",
    "revenue": "Revenue",
    "gross_revenue": "Revenue before returns",
    "returns": "Returns",
    "aov": "Average order value",
    "revenue_per_customer": "Revenue per customer",
    "annual_revenue_per_customer": "Revenue per customer per year",
    "first_purchase": "First purchase",
    "last_purchase": "Last purchase",
    "date": "Date",
    # retention over time
    "period": "Period",
    "active_customers": "Active customers",
    "new_customers": "New customers",
    "returning_customers": "Returning customers",
    "reactivated_customers": "Back after a break",
    "customers_start": "Customers at the start",
    "customers_end": "Customers at the end",
    "lost": "Customers lost",
    "won_back": "Won back",
    "won_back_year": "Won back in the last year",
    "joined": "Joined",
    "crr": "Customer retention rate",
    "previous_crr": "Customer retention rate, period before",
    "average_crr": "Customer retention rate, average",
    "churn_rate": "Churn rate",
    "pop_retention": "Active again from the period before",
    "repeat_purchase_rate": "Bought more than once",
    "purchase_frequency": "Orders per active customer",
    "partial": "Partial period",
    "base_complete": "Customer base complete",
    "cohort": "Cohort",
    "size": "Cohort size",
    # value concentration and segments
    "abc_class": "Value class (ABC)",
    "customer_share": "Share of customers",
    "revenue_share": "Share of revenue",
    "clv_share": "Share of lifetime value",
    "repeat_rate": "Bought more than once",
    "retention_12m": "Bought in the last 12 months (customers older than a year)",
    "bought_again_12m": "Bought in the last 12 months (customers older than a year)",
    "one_time_share": "Bought only once",
    "rfm_segment": "Customer group (RFM)",
    "clv_tier": "Lifetime value tier",
    "segment": "Segment",
    "group": "Group",
    "R": "Recency score",
    "F": "Frequency score",
    "M": "Spend score",
    "RFM": "RFM score",
    "region": "Region",
    "channel": "Channel",
    # models, lifetime value and the early-warning lists
    "frequency": "Repeat purchases",
    "recency": "First to last purchase",
    "T": "Customer for",
    "monetary_value": "Average repeat purchase",
    "monetary": "Revenue",
    "p_alive": "Chance still active",
    "mean_p_alive": "Still active per the model",
    "chance_still_active": "Chance still active, average",
    "chance_still_active_repeat": "Chance still active, repeat buyers",
    "expected_purchases": "Expected purchases",
    "expected_spend": "Expected spend per purchase",
    "expected_revenue": "Expected revenue",
    "expected_margin": "Expected margin",
    "clv": "Lifetime value (CLV)",
    "clv_total": "Lifetime value of all customers",
    "clv_mean": "Lifetime value per customer, average",
    "clv_median": "Lifetime value per customer, median",
    "mean_clv": "Lifetime value per customer",
    "new_customer_clv": "Lifetime value of a new customer",
    "horizon_months": "Forecast horizon",
    "revenue_at_risk": "Revenue at risk",
    "at_risk_customers": "Customers at risk",
    "at_risk_expected_value": "Expected value at risk",
    "lapsed_customers": "Lapsed valuable customers",
    "lapsed_value": "Value of the lapsed customers",
    "value_if_retained": "Value if kept",
    "value_if_won_back": "Value if won back",
    "expected_value": "Expected value",
    "expected_loss": "Expected loss",
    "purchases_if_active": "Purchases expected if still active",
    "rank": "Rank",
    "reason": "Why",
    "usual_gap": "Usually buys every",
    "silent_for": "Silent for",
    "low_p_alive": "Low chance still active",
    "long_silence": "Silent much longer than usual",
    "valuable": "Valuable",
    "at_risk": "At risk",
    "at_risk_rank": "At-risk rank",
    "at_risk_reason": "Why at risk",
    "early_warning": "Early warning",
    "early_warning_rank": "Early warning rank",
    "early_warning_reason": "Early warning reason",
    "list": "List",
    "parameter": "Parameter",
    "coef": "Estimate",
    "se": "Standard error",
    "lower 95%": "Lower 95% bound",
    "upper 95%": "Upper 95% bound",
    # survey
    "score": "Score",
    "comment": "Comment",
    "nps_score": "Survey score",
    "nps_date": "Survey date",
    "nps_group": "Survey answer",
    "responses": "Answers",
    "respondents": "Customers who answered",
    "promoters": "Promoters",
    "passives": "Passives",
    "detractors": "Detractors",
    "pct_promoters": "Share of promoters",
    "pct_passives": "Share of passives",
    "pct_detractors": "Share of detractors",
    "nps": "NPS",
    "nps_low": "NPS, lowest plausible",
    "nps_high": "NPS, highest plausible",
    "nps_range": "NPS, plausible range (95%)",
    "purchase_days_after": "Days with a purchase after the survey",
    "revenue_after": "Revenue after the survey",
    "retention_base": "Answered a year or more ago",
    "retention": "Bought again within a year",
    # economics
    "year": "Year",
    "year_start": "From",
    "year_end": "To",
    "observed_from": "Data from",
    "observed_to": "Data to",
    "full_year": "Full year",
    "cac": "Cost to win a customer",
    "clv_to_cac": "Lifetime value / cost to win",
    "cac_to_clv": "Cost to win / lifetime value",
    "scenario": "Scenario",
    "campaign_cost": "Campaign cost",
    "customers_targeted": "Customers targeted (the most valuable)",
    "expected_lift": "Retention gain expected",
    "customers_retained": "Customers kept",
    "kept_share": "Customers kept by the campaign, share of those targeted",
    "value_per_customer": "Revenue per customer kept",
    "margin": "Margin (share of revenue kept as profit)",
    "additional_value": "Margin from the customers kept",
    "net_gain": "Net gain (margin minus campaign cost)",
    "campaign_share": "Share of the campaign in this segment",
    "roi_pct": "Return on the campaign",
    "lift": "Retention gain",
    "dropout_multiplier": "Dropout rate multiplier",
    "model_retention": "Still active per the model",
    "added_clv": "Lifetime value added",
    "added_clv_per_customer": "Lifetime value added per customer",
    # files
    "rows": "Rows",
    "line": "Line",
}

#: language code -> canonical name -> label
LABELS: dict[str, dict[str, str]] = {"en": _EN}
#: the languages of the catalogue
LANGUAGES: tuple[str, ...] = tuple(LABELS)


def has_label(name: object, lang: str = "en") -> bool:
    """Whether the catalogue has words for ``name`` in ``lang``.

    >>> has_label("p_alive"), has_label("frobnicate")
    (True, False)
    """
    return str(name) in LABELS.get(lang, _EN)


def label(name: object, lang: str = "en") -> str:
    """The words shown for a column or metric name.

    A name the catalogue does not know (a client's own segment column) is
    shown as written, its underscores as spaces and its first letter upper
    case, so no identifier reaches the reader; an unknown language falls
    back to English.

    >>> label("expected_purchases"), label("p_alive"), label("customer_id")
    ('Expected purchases', 'Chance still active', 'Customer ID')
    >>> label("store_size"), label("Region")
    ('Store size', 'Region')
    """
    key = str(name)
    words = LABELS.get(lang, _EN).get(key) or _EN.get(key)
    if words:
        return words
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def labels(names, lang: str = "en") -> list[str]:
    """:func:`label` of each name, in order.

    >>> labels(["customers", "revenue_share"])
    ['Customers', 'Share of revenue']
    """
    return [label(n, lang) for n in names]
