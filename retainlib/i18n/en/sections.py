"""English texts of the sections part of the report (keys start with 'sections.').

The display blocks (:mod:`retainlib.report.display`): table captions, headings
written by code cells, notes, the names of the figures of the economics
tables and of the data-quality table, the empty-list messages and the
explanations of the CLV section. A field is a value already in its format
(a count, an amount, a file name), never formatted by the template.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    # any table shortened to its first rows
    "sections.first_rows": "first {shown} of {total} rows",
    "sections.caption_rows": "{caption} ({rows})",
    "sections.caption_rows_in_bracket": "{caption}; {rows})",
    # headings of the tables by one segment column
    "sections.by": "By {name}",
    "sections.nps_by": "NPS by {name}",
    # data quality
    "sections.dq_file": "File {source}",
    "sections.dq_rejected_caption": "Rejected rows (all of them are in {file})",
    "sections.dq_rows_read": "rows read",
    "sections.dq_rows_kept": "rows kept",
    "sections.dq_rows_rejected": "rows rejected",
    "sections.dq_rejected_reason": "  rejected: {reason}",
    "sections.dq_duplicates_dropped": "duplicate rows (dropped)",
    "sections.dq_duplicates_kept": "duplicate rows (kept)",
    "sections.dq_returns": "return rows (negative amount, kept)",
    "sections.dq_after_end": "kept rows dated after {date} (not analysed)",
    # cohorts and the retention table
    "sections.cohort_heatmap_title": "Share of each cohort buying again, by period",
    "sections.kpi_caption": (
        "{crr} = ({start} \u2212 {lost}) / {start}. {start}: the customers who bought in the "
        "{span} before the {unit} began; {lost}: those of them with no purchase in the {span} "
        "up to its end. Customers won back and new customers join the base during the period "
        "but are not in the rate."),
    "sections.unit_week": "week",
    "sections.unit_month": "month",
    "sections.unit_quarter": "quarter",
    "sections.unit_year": "year",
    # the CLV section
    "sections.model_intro": (
        "The BG/NBD model predicts each customer's future purchases and the probability that "
        "they are still a customer; the Gamma-Gamma model predicts their spend per purchase. "
        "Their product, discounted, is the customer lifetime value (CLV) over the horizon."),
    "sections.model_parameters_heading": "Model parameters and fit",
    "sections.holdout_heading": "Holdout check",
    "sections.holdout_intro": (
        "Does the model predict what customers really did? It is refitted on the earlier part "
        "of the data and its forecast for the later part is compared with the actual "
        "purchases."),
    "sections.p_alive_heading": "Who is still a customer",
    "sections.p_alive_intro": (
        "The chance that a customer is still active, by how often they bought (repeat "
        "purchases) and how recently."),
    "sections.clv_heading": "CLV forecast",
    "sections.bgnbd_parameters": "BG/NBD (purchases and dropout)",
    "sections.parameter_alpha": "alpha",  # the BG/NBD parameter named by a Greek letter
    "sections.gamma_gamma_parameters": "Gamma-Gamma (spend per purchase)",
    "sections.holdout_not_run": "The holdout check could not be run: {why}",
    "sections.holdout_result": (
        "Refitted on the data up to the calibration end, the model predicted {predicted} "
        "repeat purchases in the holdout period against {actual} actual ({error}); per "
        "customer, the mean absolute error is {mae} purchases and the correlation "
        "{correlation}."),
    "sections.no_tracking": "No tracking chart: the holdout check was not run.",
    "sections.clv_forecast_heading": "Forecast over the horizon",
    "sections.clv_tiers_heading": "Lifetime value tiers",
    # the early-warning lists
    "sections.no_list": (
        "There is no early-warning list: it is ranked by the purchase-forecast models, which "
        "this report leaves out (see Customer lifetime value)."),
    "sections.no_win_back_list": (
        "The win-back list of lapsed customers needs the newer early-warning analysis; this "
        "report shows every flagged customer as at risk."),
    "sections.at_risk_caption": (
        "Customers at risk, most expected value first (all of them are in {file})"),
    "sections.at_risk_empty": "No valuable customer is at risk right now.",
    "sections.win_back_caption": (
        "Lapsed valuable customers, most value if won back first (all of them are in {file})"),
    "sections.win_back_empty": "No valuable customer has lapsed.",
    # NPS
    "sections.nps_heading": "NPS",
    "sections.nps_range": "{low} to {high}",
    "sections.nps_behaviour_heading": "What customers bought after the survey",
    "sections.detractors_heading": "Detractors to call back",
    # economics
    "sections.yearly_heading": "Revenue per customer per year",
    "sections.new_customer": "New customer",
    "sections.new_customer_client_wide": "New customer (client-wide model)",
    "sections.clv_cac_heading": "New-customer lifetime value against the cost to win one",
    "sections.campaign_heading": "Retention campaign return",
    "sections.campaign_value_per_customer": "{label}, next {horizon} months",
    "sections.scenarios_heading": "What more retention is worth (model-based)",
    "sections.scenario_today": "As today",
    "sections.scenario_lift": "+{points} points of the model's {horizon}-month retention",
}
