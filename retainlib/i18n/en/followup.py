"""English texts of the followup part of the report (keys start with 'followup.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
    # --- the groups of a campaign, as at_risk.csv writes them
    "followup.group.treatment": "treatment",
    "followup.group.control": "control",
    # --- the groups inside a sentence
    "followup.group_name.treatment": "treatment group",
    "followup.group_name.control": "control group",
    "followup.points": "{value} points",
    # --- since the last report
    "followup.since_heading": "Since the last report",
    "followup.since_first": "This is the first report in the history, so there is no earlier "
                            "report to compare with yet; the next report will show what changed "
                            "since this one.",
    "followup.since_same": "The history holds no report earlier than this one, only this "
                           "report made before, of {end} (it replaces that report's row); the "
                           "next report will show what changed since.",
    "followup.since_older": "The history holds no report earlier than this one: its data "
                            "ends on {end}, before the latest report in the history ({latest}), "
                            "so there is nothing to compare with; this report was added to the "
                            "history in date order.",
    "followup.since_first_folder": "The history is kept in history.csv of the report folder, "
                                   "so a report written into another --out starts a new one; "
                                   "history: in the client config keeps one history for "
                                   "reports in dated folders.",
    "followup.since_intro": "Compared with the previous report, as of {date} ({days} earlier).",
    "followup.since_no_list": "The previous report's at-risk list was not kept in the history, "
                              "so what became of its customers cannot be shown.",
    "followup.metric.customers": "Customers",
    "followup.metric.revenue": "Revenue",
    "followup.metric.crr": "Customer retention rate",
    "followup.metric.churn_rate": "Churn rate",
    "followup.metric.repeat_purchase_rate": "Bought more than once",
    "followup.metric.top20_revenue_share": "Share of revenue from the top 20% of customers",
    "followup.metric.clv_total": "Lifetime value of all customers",
    "followup.metric.revenue_at_risk": "Revenue at risk",
    "followup.metric.at_risk_customers": "Customers at risk",
    "followup.metric.lapsed_customers": "Lapsed valuable customers",
    "followup.metric.nps": "NPS",
    "followup.col.figure": "Figure",
    "followup.col.previous": "Previous report ({date})",
    "followup.col.now": "This report ({date})",
    "followup.col.change": "Change",
    "followup.col.customers_of_list": "Customers of the previous list",
    "followup.col.customers": "Customers",
    "followup.col.share": "Share of the list",
    "followup.list_heading": "What became of the previous at-risk list",
    "followup.list_intro": "Customers on the at-risk list of the previous report ({date}): {n}.",
    "followup.outcome.came_back": "Came back (bought after {date})",
    "followup.outcome.still": "Still at risk",
    "followup.outcome.lapsed": "Now lapsed (on the win-back list)",
    "followup.outcome.unflagged": "No longer flagged (no purchase, but no longer among the "
                                  "valuable customers the rule flags)",
    "followup.outcome.newly": "Newly at risk (not on the previous list)",
    "followup.list_no_current": "This report has no at-risk list (the purchase-forecast models "
                                "were left out, see the note on the models), so only who came "
                                "back can be counted; whether the others are still at risk is "
                                "not known.",
    "followup.came_back_revenue": "What the customers who came back ({n}) spent since the "
                                  "previous report: {revenue}.",
    # --- the executive summary's sentence
    "followup.sentence": "Since the last report ({date}), {came_back} of the {previous} on the "
                         "at-risk list came back to buy, and {newly} joined the list.",
    "followup.sentence_one": "Since the last report ({date}), {came_back} of the {previous} on "
                             "the at-risk list came back to buy, and {newly} joined the list.",
    "followup.sentence_back": "Since the last report ({date}), {came_back} of the {previous} "
                              "on the at-risk list came back to buy.",
    "followup.sentence_back_one": "Since the last report ({date}), {came_back} of the "
                                  "{previous} on the at-risk list came back to buy.",
    "followup.sentence_no_list": "The section Since the last report compares this report with "
                                 "the previous one, of {date}.",
    "followup.sentence_crr": "The customer retention rate went from {previous} to {current}.",
    # --- campaigns
    "followup.campaign_heading": "Campaign: {name}",
    "followup.col.treatment": "Treatment group",
    "followup.col.control": "Control group",
    "followup.col.difference": "Difference (treatment − control)",
    "followup.col.interval": "95% interval (Welch's t)",
    "followup.col.group_customers": "Customers",
    "followup.figure.bought_share": "Bought in the campaign window",
    "followup.figure.revenue_per_customer": "Revenue per customer",
    "followup.figure.orders_per_customer": "Orders per customer",
    "followup.reason.too_many_fields": "too many fields",
    "followup.reason.blank_customer_id": "blank customer id",
    "followup.reason.blank_group": "blank group",
    "followup.reason.unknown_group": "unknown group (neither treatment nor control)",
    "followup.reason.customer_in_both_groups": "customer in both groups",
    "followup.reason.repeated_customer": "repeated customer",
    "followup.campaign_empty": "The campaign file {file} has no usable row (rows read: {rows}), "
                               "so both groups are empty and there is nothing to measure; check "
                               "the column mapping and that the group column says treatment or "
                               "control.",
    "followup.campaign_unreadable": "The campaign file {file} could not be used: {error}; fix "
                                    "it, or {entry} in the client config (its columns: and "
                                    "read:).",
    "followup.lines_one": "line {lines}",
    "followup.lines": "lines {lines}",
    "followup.lines_more": "lines {lines} and {more} more",
    "followup.campaign_rejected": "Rows of {file} rejected and left out: {rows} ({reasons}).",
    "followup.campaign_unknown": "Customers of {file} not found in the sales data, left out of "
                                 "the measurement: {n}.",
    "followup.campaign_unknown_all": "None of the customers of {file} ({n}) is in the sales "
                                     "data, so the campaign cannot be measured; check that the "
                                     "file uses the same customer ids as the sales export.",
    "followup.campaign_not_started": "The campaign starts on {start}, after the end of the data "
                                     "({end}), so there is nothing to measure yet.",
    "followup.campaign_before_data": "The campaign window ends on {end}, before the first "
                                     "purchase in the data ({first}), so there is nothing to "
                                     "measure; check the campaign's start and end in the client "
                                     "config.",
    "followup.campaign_no_treatment": "The file lists only the control group ({n}): nobody got "
                                      "the campaign, so there is nothing to measure.",
    "followup.campaign_window": "Measured from {start} to {end}: treatment group {treated}, "
                                "control group {control}.",
    "followup.campaign_partial": "The campaign window runs to {end}, past the end of the data, "
                                 "so it is measured up to {measured_to} only.",
    "followup.campaign_no_control": "There is no control group: all the customers in the file "
                                    "({n}) got the campaign, so no difference here can be "
                                    "called incremental. Without customers held back at random "
                                    "there is no telling what the treated customers would have "
                                    "bought anyway; hold back a random control group next time "
                                    "(the group column of at_risk.csv suggests one).",
    "followup.incremental": "Incremental revenue from the treatment group: {value} (95% "
                            "interval {low} to {high}: Welch's t interval of the difference in "
                            "revenue per customer, times the customers treated).",
    "followup.incremental_no_interval": "Incremental revenue from the treatment group: "
                                        "{value}, a point estimate only: Welch's t interval "
                                        "needs at least 2 customers in each group, and the "
                                        "{group} has {n}. So few customers cannot tell the "
                                        "campaign's effect apart from chance; hold back a "
                                        "larger control group next time.",
    "followup.incremental_unclear": "The interval includes zero: the data cannot tell the "
                                    "campaign's effect apart from chance; larger groups or a "
                                    "longer window would.",
    "followup.roi": "Realised return on the campaign (ROI): {roi}, by (incremental revenue − "
                    "cost) / cost × 100, with a cost of {cost}.",
    "followup.roi_margin": "Realised return on the campaign (ROI): {roi}, by (incremental "
                           "revenue × margin − cost) / cost × 100, with a margin of {margin} "
                           "and a cost of {cost}.",
    "followup.roi_interval": "95% interval of the realised ROI: {low} to {high}.",
    "followup.roi_forecast": "Forecast ROI of a retention campaign (from the assumed lift, "
                             "economics.expected_lift): {forecast}.",
    "followup.roi_no_forecast": "No forecast ROI to compare with: the client config gives no "
                                "economics.campaign_cost.",
    "followup.roi_zero_cost": "No realised ROI: the campaign's cost in the client config is "
                              "0, and a return on nothing spent is not defined; the incremental "
                              "revenue above is the campaign's whole gain.",
    "followup.roi_no_cost": "No realised ROI: the campaign's cost is not given in its entry of "
                            "the client config.",
}
