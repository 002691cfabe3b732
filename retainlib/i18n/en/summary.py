"""English texts of the summary part of the report (keys start with 'summary.').

The executive summary, the recommended actions, the definitions of the
retention-like figures and the headline tiles of page one
(:mod:`retainlib.report.narrative`, :mod:`retainlib.report.layout`). Each key
is a whole sentence or a clause that each language writes in its own
grammar; counts come with their noun from ``count_of`` (``{last}`` is
'the last 12 months', ``{prior}`` 'the 12 months before', ``{over}`` 'the
next 12 months'), amounts and percentages are already formatted.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    # the words of a period unit (``period_unit`` of the metrics)
    "summary.unit.week": "week",
    "summary.unit.month": "month",
    "summary.unit.quarter": "quarter",
    "summary.unit.year": "year",
    "summary.unit.period": "period",
    "summary.units.week": "weeks",
    "summary.units.month": "months",
    "summary.units.quarter": "quarters",
    "summary.units.year": "years",
    "summary.units.period": "periods",
    "summary.the_unit.week": "the week",
    "summary.the_unit.month": "the month",
    "summary.the_unit.quarter": "the quarter",
    "summary.the_unit.year": "the year",
    "summary.the_unit.period": "the period",
    # a period in a sentence: 'in December 2025' (a period written with a number first, such
    # as a year, may take another form of the preposition in some languages)
    "summary.in_period": "in {period}",
    "summary.in_period_number": "in {period}",
    "summary.in_week": "in {period}",
    # what the report says when the client gave no campaign costs / no survey
    "summary.no_campaign": "No campaign costs were provided, so the return on a retention "
                           "campaign is not shown.",
    "summary.no_survey": "No customer survey was provided, so there is no NPS in this report.",
    # the definitions of the retention-like figures
    "summary.retention_core": "of the customers who had bought in the {span} before {the_unit} "
                              "began, the share who had still bought within the {span} up to "
                              "its end (customers who come back after a longer gap are counted "
                              "as won back)",
    "summary.retention_definition": "Retention here is the share of customers kept through a "
                                    "{unit}: {core}.",
    "summary.def_crr": "Retention rate of a month: {core}.",
    "summary.def_bought_again_12m": "{label}: of the customers whose first purchase was more "
                                    "than 12 months before the end of the data, the share who "
                                    "bought in the last 12 months.",
    "summary.def_model_retention": "{label}: of the customers the purchase model counts as "
                                   "active today, the share it expects to be still active 12 "
                                   "months from now.",
    "summary.def_cohort_share": "Share of a cohort buying in a given month: of the customers who "
                                "first bought in one month, the share who bought in each later "
                                "month.",
    "summary.def_p_alive": "{label} (P(alive)): the purchase model's probability that a customer "
                           "has not stopped buying.",
    "summary.def_chance_still_active": "{label}: the mean over the group's customers of the "
                                       "purchase model's probability that a customer has not "
                                       "stopped buying.",
    "summary.def_revenue_at_risk": "{label}: what the customers on the at-risk list (valuable "
                                   "customers slipping away who may still be buying) would bring "
                                   "over the forecast horizon if they stay.",
    "summary.def_lapsed_value": "Lapsed value: what the valuable customers who have probably "
                                "already stopped buying (the win-back list) would bring over the "
                                "forecast horizon if they were won back.",
    "summary.def_expected_value": "{label}: what a customer would bring over the forecast "
                                  "horizon if they stay, times the chance that they are still "
                                  "active.",
    # the trend sentence
    "summary.trend_level": "Retention was {crr} {in_period}",
    "summary.trend_record_lowest": ", the lowest of {last}",
    "summary.trend_record_highest": ", the highest of {last}",
    "summary.trend_too_short": "; there are too few complete {units} yet to show a trend.",
    "summary.trend_average": "; over {last} it averaged {recent}",
    "summary.trend_no_before": ", and there are not yet {span} of data to show a trend.",
    "summary.trend_same": ", the same as {prior} ({before})",
    "summary.trend_below": ", {points} below {prior} ({before})",
    "summary.trend_above": ", {points} above {prior} ({before})",
    "summary.trend_falling": ", and it is falling by about {points} a year",
    "summary.trend_rising": ", and it is rising by about {points} a year",
    "summary.trend_slope_range": " (between {low} and {high})",
    "summary.trend_flat": ", with no clear trend up or down",
    "summary.trend_flat_range": " (the fitted change is between {low} and {high} points a year)",
    "summary.previous_same": " That is about the same as {period}.",
    "summary.previous_down": " That is {points} down from {previous} {in_period}.",
    "summary.previous_up": " That is {points} up from {previous} {in_period}.",
    # lapsed customers who came back (won back)
    "summary.won_back_none": "No customer who had stopped buying came back {in_period}{year}",
    "summary.won_back_one": "{who} who had stopped buying came back {in_period}{year}",
    "summary.won_back_many": "{who} who had stopped buying came back {in_period}{year}",
    "summary.won_back_year": " ({n} in the year to {period})",
    "summary.won_back_not_counted": "; the retention rate counts only customers who kept buying, "
                                    "so they are not part of it.",
    # who the customers are
    "summary.who_client": "{client}",
    "summary.who_default": "The client",
    "summary.who_segment": "The {title}",
    "summary.customers_one": "{who} had {customers} who spent {revenue} net of returns{span}.",
    "summary.customers_many": "{who} had {customers} who spent {revenue} net of returns{span}.",
    "summary.customers_span": " between {first} and {last}",
    "summary.repeat": "{repeat} of them bought more than once; {once} bought only once.",
    # where the value is and what it is worth
    "summary.top20": "The top 20% of customers bring {top20} of revenue.",
    "summary.top20_top10": "The top 20% of customers bring {top20} of revenue; the top 10% bring "
                           "{top10}.",
    "summary.horizon": "the forecast horizon",
    "summary.forecast": "Over {over} the model expects today's customers to make {purchases} "
                        "worth {revenue}.",
    "summary.clv": "Their customer lifetime value over that horizon (discounted margin) is "
                   "{total} in total, {mean} per customer on average.",
    # who needs action (early warning)
    "summary.at_risk_one": "1 valuable customer shows signs of leaving but may still be "
                           "buying{floor}: {revenue} of revenue over {over} is at risk if they "
                           "go.",
    "summary.at_risk_many": "{n} valuable customers show signs of leaving but may still be "
                            "buying{floor}: {revenue} of revenue over {over} is at risk if they "
                            "go.",
    "summary.at_risk_floor": " (chance still active at least {chance})",
    "summary.at_risk_none": "No valuable customer shows signs of leaving right now.",
    "summary.lapsed_one": "1 more valuable customer has probably stopped buying already; won "
                          "back, they would bring {revenue} over {over}.",
    "summary.lapsed_many": "{n} more valuable customers have probably stopped buying already; "
                           "won back, they would bring {revenue} over {over}.",
    # what customers say
    "summary.nps": "The Net Promoter Score is {nps}.",
    "summary.nps_range": "The Net Promoter Score is {nps} (95% interval {low} to {high}).",
    "summary.nps_range_answers": "The Net Promoter Score is {nps} (95% interval {low} to {high}, "
                                 "{answers}).",
    # where the reader finds a list
    "summary.list_file": "{file}",
    "summary.list_file_segment": "the client's {file}, filtered on {column} = {value} and "
                                 "{early_warning} = {which}",
    # why one-time buyers show 100%; why the retention-like shares differ
    "summary.p_alive_note": "The chance still active (P(alive)) is 100% for every customer who "
                            "has bought only once{ones}: the purchase model learns that a "
                            "customer has stopped buying only from a long silence after repeat "
                            "purchases, so a one-time buyer has shown no sign of leaving yet. "
                            "For them 100% means no evidence either way, not a sure return; that "
                            "is why segments of one-time buyers such as {lost}, {new} and "
                            "{promising} show 100%, and no recommendation in this report relies "
                            "on it.",
    "summary.p_alive_ones": " ({share} of customers)",
    "summary.figures_note": "The retention rate{crr} is the one retention figure of this report. "
                            "Other shares measure different things and are named for what they "
                            "are: in the segment tables, the share of older customers who bought "
                            "in the last 12 months; in the cohort chart, the share of a cohort "
                            "buying in one given month (much lower, since few customers buy "
                            "every month); in what more retention is worth, the share of today's "
                            "active customers the model expects to be still active in 12 months.",
    "summary.figures_note_crr": " ({crr})",
    # the recommended actions
    "summary.actions_heading": "Recommended actions",
    "summary.act_at_risk_one": "Call the at-risk customer in {file}, highest expected value first "
                               "(expected value = value if kept \u00d7 chance still active): "
                               "{revenue} of revenue over {over} is at stake if they leave, and "
                               "each row says why they were flagged.",
    "summary.act_at_risk_many": "Call the {n} at-risk customers in {file}, highest expected value "
                                "first (expected value = value if kept \u00d7 chance still "
                                "active): {revenue} of revenue over {over} is at stake if they "
                                "leave, and each row says why they were flagged.",
    "summary.act_lapsed_one": "Send a win-back offer to the lapsed valuable customer in {file}, "
                              "most valuable first: they have probably stopped buying, but won "
                              "back they would bring {revenue} over {over}.",
    "summary.act_lapsed_many": "Send a win-back offer to the {n} lapsed valuable customers in "
                               "{file}, most valuable first: they have probably stopped buying, "
                               "but won back they would bring {revenue} over {over}.",
    "summary.act_protect_top": "Protect the top 20% of customers, who bring {share} of revenue: "
                               "give them named account management or a loyalty tier, and watch "
                               "their activity every month.",
    "summary.act_second_purchase": "Turn one-time buyers into repeat customers: {share} bought "
                                   "only once, so a second-purchase offer soon after the first "
                                   "order is the cheapest growth available.",
    "summary.act_detractors_one": "Call back the detractor (NPS {nps}) to fix what went wrong "
                                  "before they leave.",
    "summary.act_detractors_many": "Call back the {n} detractors (NPS {nps}), most valuable "
                                   "first, to fix what went wrong before they leave.",
    "summary.act_fund_campaign": "Fund the retention campaign: at the assumed lift it returns "
                                 "{roi}% on its cost of {cost}.",
    "summary.act_rework_campaign": "Rework the planned retention campaign before funding it: at "
                                   "the assumed lift its return is {roi}% on {cost}; target "
                                   "fewer, more valuable customers.",
    "summary.act_falling": "Find out why retention is falling: it averaged {recent} over {last}, "
                           "against {before} in {prior}; ask the customers who stopped buying "
                           "what made them go.",
    "summary.act_fell": "Find out why retention fell from {previous} to {crr} {in_period}: ask "
                        "the customers who stopped buying.",
    "summary.act_track": "Track the retention rate every {unit} against this report's "
                         "baseline{base}.",
    "summary.act_track_base": " ({crr} retention)",
    "summary.act_track_base_period": " ({crr} retention {in_period})",
    "summary.act_rerun": "Re-run this report with the next data export to see whether the "
                         "actions worked.",
    "summary.act_rejected_rows": "Go through the rejected rows (rejected_rows.csv) with the "
                                 "client so they are fixed at source.",
    # the title block
    "summary.default_client": "Client",
    "summary.subtitle": "Retention report",
    "summary.subtitle_segment": "Retention report for {client}",
    "summary.subtitle_date": "Retention report as of {date}",
    "summary.subtitle_segment_date": "Retention report for {client} as of {date}",
    "summary.segment_title": "{value} {column}",
    # the headline tiles of page one
    "summary.tile_customers_note": "bought {first} to {last}",
    "summary.tile_revenue_note": "net of returns",
    "summary.tile_down": "down {points}{against}",
    "summary.tile_up": "up {points}{against}",
    "summary.tile_no_change": "no change{against}",
    "summary.tile_against_previous": " from the period before",
    "summary.tile_window.week": ", last {n} weeks against the {n} before",
    "summary.tile_window.month": ", last {n} months against the {n} before",
    "summary.tile_window.quarter": ", last {n} quarters against the {n} before",
    "summary.tile_window.year": ", last {n} years against the {n} before",
    "summary.tile_window.period": ", last {n} periods against the {n} before",
    "summary.tile_recent.week": ", last recent weeks against the recent before",
    "summary.tile_recent.month": ", last recent months against the recent before",
    "summary.tile_recent.quarter": ", last recent quarters against the recent before",
    "summary.tile_recent.year": ", last recent years against the recent before",
    "summary.tile_recent.period": ", last recent periods against the recent before",
    "summary.tile_record_lowest": "; the lowest in {span}",
    "summary.tile_record_highest": "; the highest in {span}",
    "summary.tile_record_lowest_ever": "; lowest on record",
    "summary.tile_record_highest_ever": "; highest on record",
    "summary.tile_top20": "Revenue from the top 20%",
    "summary.tile_top20_note": "of revenue comes from the best fifth of customers",
    "summary.tile_clv": "Customer lifetime value",
    "summary.tile_clv_note": "discounted margin",
    "summary.tile_clv_note_mean": "{mean} per customer, discounted margin",
    "summary.tile_clv_note_horizon": "over {over}, discounted margin",
    "summary.tile_clv_note_mean_horizon": "{mean} per customer over {over}, discounted margin",
    "summary.tile_at_risk_one": "from 1 valuable customer slipping away",
    "summary.tile_at_risk_many": "from {n} valuable customers slipping away",
    "summary.tile_at_risk_none": "no valuable customer is slipping away",
    "summary.tile_nps": "Net Promoter Score",
    "summary.tile_nps_note": "{answers} survey answers",
    "summary.tile_nps_note_one": "1 survey answer",
}
