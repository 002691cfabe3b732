"""English texts of the analytics part of the report (keys start with 'analytics.').

The sentences the analytics return to the report (early-warning reasons, the 80/20
statements, the retention summary), the notes of :mod:`retainlib.report.analysis`, and the
reader's names of the canonical values in the data (RFM segments, CLV tiers, lists, NPS
groups; see :mod:`retainlib.analytics.names`). The English values of the names are the
canonical values themselves.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    # early warning (retainlib.analytics.early_warning): the reason of each flagged customer
    "analytics.reason_repeat": "usually buys every {gap}, silent for {silent}; "
                               "chance still active {chance}",
    "analytics.reason_once": "bought once, {silent} ago; chance still active {chance}",
    "analytics.one_day": "1 day",
    "analytics.one_week": "1 week",
    "analytics.one_month": "1 month",
    "analytics.one_year": "1 year",
    # the 80/20 statements (retainlib.analytics.pareto_statements)
    "analytics.pareto_top_first": "The top {share} of customers ({k} of {n}) bring {brought} of "
                                  "revenue",
    "analytics.pareto_top_next": "the top {share} ({customers}) bring {brought}",
    "analytics.pareto_top_join": "; ",
    "analytics.pareto_top_end": "{parts}.",
    "analytics.pareto_class_a": "{threshold} of revenue comes from {customer_share} of "
                                "customers: the {a} largest (class A) bring {revenue_share}.",
    "analytics.pareto_class_a_one": "{threshold} of revenue comes from {customer_share} of "
                                    "customers: the 1 largest (class A) bring {revenue_share}.",
    "analytics.pareto_largest": "The {n} largest customers bring {share} of revenue ({largest} of "
                                "{total}).",
    "analytics.pareto_largest_one": "The 1 largest customers bring {share} of revenue ({largest} "
                                    "of {total}).",
    "analytics.pareto_gini": "Revenue concentration (Gini coefficient) is {gini}, on a scale "
                             "where 0 means every customer brings the same and 1 means one "
                             "customer brings everything.",
    "analytics.pareto_all_positive": "Every customer has positive net revenue (purchases above "
                                     "returns).",
    "analytics.pareto_nonpositive_one_counted":
        "{customers} ({share}) has no positive net revenue (returns equal to or above purchases, "
        "or only zero amounts; together {amount}) and counts as a customer with no revenue in "
        "these shares; revenue shares are of the {positive} brought by customers with positive "
        "net revenue{total}.",
    "analytics.pareto_nonpositive_counted":
        "{customers} ({share}) have no positive net revenue (returns equal to or above "
        "purchases, or only zero amounts; together {amount}) and count as customers with no "
        "revenue in these shares; revenue shares are of the {positive} brought by customers "
        "with positive net revenue{total}.",
    "analytics.pareto_nonpositive_one_left_out":
        "{customers} ({share}) has no positive net revenue (returns equal to or above purchases, "
        "or only zero amounts; together {amount}) and is left out of these shares; revenue "
        "shares are of the {positive} brought by customers with positive net revenue{total}.",
    "analytics.pareto_nonpositive_left_out":
        "{customers} ({share}) have no positive net revenue (returns equal to or above "
        "purchases, or only zero amounts; together {amount}) and are left out of these shares; "
        "revenue shares are of the {positive} brought by customers with positive net "
        "revenue{total}.",
    "analytics.pareto_net_total": " (net revenue of all customers: {amount})",
    # the retention summary sentence (retainlib.analytics.kpis.retention_summary)
    "analytics.kpi_rate": "In {when} the customer retention rate was {crr} (churn {churn})",
    "analytics.kpi_same": ", about the same as {previous} ({previous_crr})",
    "analytics.kpi_up": ", up {points} points from {previous} ({previous_crr})",
    "analytics.kpi_down": ", down {points} points from {previous} ({previous_crr})",
    "analytics.kpi_average": "; the {periods} average is {average}",
    "analytics.kpi_average_periods_W": "{n}-week",
    "analytics.kpi_average_periods_M": "{n}-month",
    "analytics.kpi_average_periods_Q": "{n}-quarter",
    "analytics.kpi_average_periods_Y": "{n}-year",
    "analytics.kpi_periods_W": "{n} weeks",
    "analytics.kpi_periods_M": "{n} months",
    "analytics.kpi_periods_Q": "{n} quarters",
    "analytics.kpi_periods_Y": "{n} years",
    "analytics.kpi_last_periods_W": "{n} weeks",
    "analytics.kpi_last_periods_M": "{n} months",
    "analytics.kpi_last_periods_Q": "{n} quarters",
    "analytics.kpi_last_periods_Y": "{n} years",
    "analytics.kpi_before_periods_W": "{n} weeks",
    "analytics.kpi_before_periods_M": "{n} months",
    "analytics.kpi_before_periods_Q": "{n} quarters",
    "analytics.kpi_before_periods_Y": "{n} years",
    "analytics.kpi_trend": "; over the last {recent_periods} retention averaged {recent}, "
                           "{versus} ({fit})",
    "analytics.kpi_versus_same": "about the same as the {periods} before",
    "analytics.kpi_versus_below": "{points} points below the {periods} before",
    "analytics.kpi_versus_above": "{points} points above the {periods} before",
    "analytics.kpi_fit_flat": "no clear trend over these {periods}: {slope} points a year, 95% "
                              "interval {low} to {high}",
    "analytics.kpi_fit_falling": "falling by {slope} points a year over these {periods}, 95% "
                                 "interval {low} to {high}",
    "analytics.kpi_fit_rising": "rising by {slope} points a year over these {periods}, 95% "
                                "interval {low} to {high}",
    "analytics.kpi_record_lowest": ", and {crr} is the lowest of the {periods} measured",
    "analytics.kpi_record_highest": ", and {crr} is the highest of the {periods} measured",
    "analytics.kpi_none_back": "; no lapsed customer came back (won back, not part of the "
                               "retention rate).",
    "analytics.kpi_one_back": "; 1 lapsed customer came back (won back, not part of the "
                              "retention rate).",
    "analytics.kpi_back": "; {n} lapsed customers came back (won back, not part of the "
                          "retention rate).",
    "analytics.kpi_no_rate_W": "No retention rate yet: the data have no complete week with "
                               "customers at its start, so there is no week to measure "
                               "retention in.",
    "analytics.kpi_no_rate_M": "No retention rate yet: the data have no complete month with "
                               "customers at its start, so there is no month to measure "
                               "retention in.",
    "analytics.kpi_no_rate_Q": "No retention rate yet: the data have no complete quarter with "
                               "customers at its start, so there is no quarter to measure "
                               "retention in.",
    "analytics.kpi_no_rate_Y": "No retention rate yet: the data have no complete year with "
                               "customers at its start, so there is no year to measure "
                               "retention in.",
    # notes of the analysis (retainlib.report.analysis)
    "analytics.models_left_out": "The purchase-forecast models were left out of this report (so "
                                 "there is no customer lifetime value, no chance that a customer "
                                 "is still active and no early-warning list): {why}.",
    "analytics.penalizer_retried_purchase":
        "The purchase model (BG/NBD) did not converge with penalizer {start}, so it was refitted "
        "with penalizer {purchase}, which pulls the parameters slightly towards zero "
        "(clv.penalizer in the client config sets the first penalizer tried).",
    "analytics.penalizer_retried_spend":
        "The spend model (Gamma-Gamma) did not converge with penalizer {start}, so it was "
        "refitted with penalizer {spend}, which pulls the parameters slightly towards zero "
        "(clv.penalizer in the client config sets the first penalizer tried).",
    "analytics.penalizer_retried_both":
        "The purchase model (BG/NBD) and the spend model (Gamma-Gamma) did not converge with "
        "penalizer {start}, so they were refitted with penalizers {purchase} and {spend}, which "
        "pulls the parameters slightly towards zero (clv.penalizer in the client config sets "
        "the first penalizer tried).",
    "analytics.penalizer_fitted": "Both models were fitted with penalizer {start} (clv.penalizer "
                                  "in the client config), which pulls the parameters slightly "
                                  "towards zero.",
    "analytics.holdout_no_model": "it needs the purchase-forecast model, left out of this report",
    "analytics.holdout_bad_end": "the calibration end date {calibration_end} is not between the "
                                 "first purchase ({first}) and the end of the data ({end})",
    "analytics.holdout_too_little": "up to the calibration end {calibration_end}, {problem}",
    "analytics.holdout_no_converge": "the purchase model refitted on the data up to "
                                     "{calibration_end} did not converge, even with a penalizer "
                                     "of up to {top}",
    "analytics.economics_no_models": "What more retention is worth, the value of a new customer "
                                     "and the return on a retention campaign are not shown: they "
                                     "need the purchase-forecast models, left out of this report.",
    "analytics.scenarios_not_shown": "What more retention is worth is not shown: {error}.",
    "analytics.campaign_no_targeted": "The number of customers the campaign targets was not "
                                      "provided, so the return on a retention campaign is not "
                                      "shown.",
    "analytics.campaign_too_many": "The return on the retention campaign is not shown: it "
                                   "targets {targeted} customers, more than the {known} the "
                                   "client has.",
    "analytics.campaign_none_in_segment": "None of the {targeted} customers the retention "
                                          "campaign targets is in the {title}, so its return is "
                                          "not shown here.",
    "analytics.new_customer_row": "New customer",
    "analytics.new_customer_row_of": "New customer, {title}",
    # names of the canonical values (retainlib.analytics.names)
    "analytics.rfm.champions": "Champions",
    "analytics.rfm.loyal": "Loyal",
    "analytics.rfm.potential_loyalists": "Potential loyalists",
    "analytics.rfm.new": "New",
    "analytics.rfm.promising": "Promising",
    "analytics.rfm.need_attention": "Need attention",
    "analytics.rfm.about_to_sleep": "About to sleep",
    "analytics.rfm.at_risk": "At risk",
    "analytics.rfm.cant_lose_them": "Can't lose them",
    "analytics.rfm.hibernating": "Hibernating",
    "analytics.rfm.lost": "Lost",
    "analytics.tier.top": "Top {share}",
    "analytics.tier.next": "Next {share}",
    "analytics.tier.rest": "Rest {share}",
    "analytics.abc.A": "A",
    "analytics.abc.B": "B",
    "analytics.abc.C": "C",
    "analytics.list.at_risk": "at risk",
    "analytics.list.lapsed": "lapsed",
    "analytics.nps.promoter": "Promoter",
    "analytics.nps.passive": "Passive",
    "analytics.nps.detractor": "Detractor",
    "analytics.all_customers": "All customers",
    "analytics.all_respondents": "All respondents",
    "analytics.missing": "(missing)",
    "analytics.scenario.campaign": "campaign",
    "analytics.scenario.segment_part": "segment part",
    "analytics.new_customer": "new customer",
    # --- the exported files (retainlib.output.tables, #14 exports): the loader's reasons for a
    # rejected row (analytics.reason.<code>, the code is the reason with '_' for spaces) and
    # the sheet names of the workbooks
    "analytics.reason.too_many_fields": "too many fields",
    "analytics.reason.total_row": "total row",
    "analytics.reason.blank_customer_id": "blank customer id",
    "analytics.reason.blank_date": "blank date",
    "analytics.reason.unparseable_date": "unparseable date",
    "analytics.reason.relative_date": "relative date",
    "analytics.reason.incomplete_date": "incomplete date",
    "analytics.reason.impossible_date": "impossible date",
    "analytics.reason.date_out_of_range": "date out of range",
    "analytics.reason.date_in_the_future": "date in the future",
    "analytics.reason.blank_amount": "blank amount",
    "analytics.reason.non_numeric_amount": "non-numeric amount",
    "analytics.reason.amount_out_of_range": "amount out of range",
    "analytics.reason.duplicate_row": "duplicate row",
    "analytics.reason.blank_score": "blank score",
    "analytics.reason.non_numeric_score": "non-numeric score",
    "analytics.reason.non_integer_score": "non-integer score",
    "analytics.reason.score_out_of_range": "score out of range",
    "analytics.sheet.customers": "Customers",
    "analytics.sheet.at_risk": "At risk",
    "analytics.sheet.win_back": "Win back",
    "analytics.reason.blank_group": "blank group",
    "analytics.reason.unknown_group": "unknown group",
    "analytics.reason.customer_in_both_groups": "customer in both groups",
    "analytics.reason.repeated_customer": "repeated customer",
}
