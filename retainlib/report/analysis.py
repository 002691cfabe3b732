"""The whole retention analysis of one client (or one segment of it) in one call.

The report notebooks stay thin: a notebook calls :func:`analyse` once and
displays the attributes of the :class:`Analysis` it returns. Everything a
report shows is computed here, by the analytics functions of retainlib, so it
can be tested without running a notebook.

Segment reports
---------------
A segment report (``segment='region', value='north'``) covers the customers
whose most frequent value of that column is ``value`` (the customer table's
rule), with all of their transactions. The BG/NBD and Gamma-Gamma models are
fitted on the whole client base (more data, stabler parameters) and predict
for the segment's customers, so segment CLVs add up to the client's.

Small clients
-------------
The models are fitted with the config's ``clv.penalizer`` (default 0); when a
fit does not converge it is retried with the penalizers 0.001, 0.01 and 0.1
(:func:`retainlib.models.fitting.fit_with_penalizer`), and
``Analysis.penalizer_note`` says which penalizer was used. When the data are
too few for the models (:func:`retainlib.models.fitting.too_little_data`:
fewer than 20 customers, under 4 weeks from the first purchase to the end,
fewer than 5 repeat buyers, or fewer than 5 of them with a positive spend) or
no penalizer makes them converge, the analysis goes on without them: the
models, CLV, P(alive), the at-risk list, the holdout check and the model-based
economics are left out (``None``; the at-risk list is empty) and
``Analysis.model_note`` says why in one sentence.

One figure, one number
----------------------
The early-warning lists (the at-risk list and the lapsed win-back list,
:func:`retainlib.analytics.early_warning.at_risk`) are computed once for the
whole client; a segment report shows the client's lists restricted to the
segment's customers (ranked again within the segment), so a customer is
flagged by the same rule in every report and segment figures add up to the
client's. Revenue at risk is :func:`early_warning_summary` of the lists
everywhere: in ``metrics.json``, the executive summary, the portfolio page
and the segment tables (``segment_summary(..., at_risk_list=)``: each group's
customers on the at-risk list, not every customer).

A segment report's retention campaign is the segment's part of the client's
campaign (:func:`retainlib.analytics.economics.retention_roi` with
``within=``): the campaign targets the client's ``customers_targeted`` most
valuable customers; the segment's part is those of them in the segment, at
their share of the cost, so the parts of all segments add up to the client's
campaign. A segment with none of the targeted customers shows no ROI (a note
says why). The new-customer CLV against CAC is labelled for the segment (the
models are the client's, so its value is the client's).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from retainlib._arrays import member_of, rows_where
from retainlib._format import date
from retainlib._units import convert
from retainlib.analytics.clv import clv_summary, customer_lifetime_value
from retainlib.analytics.cohorts import cohort_table, retention_curve, revenue_retention
from retainlib.analytics.customers import customer_table
from retainlib.analytics.early_warning import AT_RISK_COLUMNS, LISTS, at_risk
from retainlib.analytics.economics import (
    clv_cac,
    new_customer_clv,
    retention_roi,
    retention_scenarios,
    yearly_of,
    yearly_revenue_per_customer,
)
from retainlib.analytics.holdout import HoldoutResult, evaluate_holdout
from retainlib.analytics.kpis import retention_kpis, retention_summary
from retainlib.analytics.nps import detractor_followup, nps, nps_behaviour
from retainlib.analytics.pareto import abc_classes, abc_summary
from retainlib.analytics.pareto_statements import concentration, pareto_statements
from retainlib.analytics.periods import activity_of_cells
from retainlib.analytics.reduced import calibration_of, rfm_of, tracking_from, value_of
from retainlib.analytics.rfm import calibration_holdout, rfm_summary
from retainlib.analytics.segments import segment_summary
from retainlib.config.client import ClientConfig, load_config
from retainlib.datasets import write_demo
from retainlib.errors import ConfigError, ConvergenceError, DataError, RetainlibError
from retainlib.i18n import text
from retainlib.load.engines import Facts, PurchaseLines, reduce_client
from retainlib.load.survey import SurveyReport, read_survey
from retainlib.load.transactions import LoadReport, read_client
from retainlib.models import BetaGeoModel, GammaGammaModel
from retainlib.models.fitting import (
    PENALIZER_LADDER,
    fit_clv_models,
    fit_with_penalizer,
    too_little_data,
)
from retainlib.report.followup import measure_campaigns, since_last
from retainlib.report.metrics import metrics_of, write_outputs  # re-exported for the notebooks
from retainlib.report.narrative import no_campaign, segment_title

__all__ = ["Analysis", "analyse", "load_client", "metrics_of", "write_outputs"]

@dataclass
class Analysis:
    """Everything one report shows; produced by :func:`analyse`.

    Attributes
    ----------
    config : ClientConfig
        The validated client config.
    load : LoadReport
        Rows read, kept and rejected (with reasons) of the transactions file.
    tx : pandas.DataFrame or None
        Canonical transactions analysed (the segment's customers only in a
        segment report), up to ``observation_end``. None in the client report
        of the duckdb and spark engines, which keep their purchase lines on
        disk (``lines``; :meth:`lines_of`, :meth:`transactions`) and give
        their sums (``facts``).
    segment : tuple of (str, str) or None
        ``(column, value)`` of a segment report.
    observation_end : pandas.Timestamp
        Date the analysis is as of.
    cohorts : pandas.DataFrame
        :func:`retainlib.cohort_table`: customer retention by acquisition cohort.
    revenue_cohorts : pandas.DataFrame
        :func:`retainlib.revenue_retention`: net revenue retention by acquisition cohort.
    curve : pandas.DataFrame
        :func:`retainlib.retention_curve`: size-weighted average retention curve.
    kpis : pandas.DataFrame
        :func:`retainlib.retention_kpis`, one row per period.
    kpi_summary : pandas.Series
        :func:`retainlib.retention_summary` of ``kpis``; when no period is
        complete yet (a few weeks of data), the numbers are NaN and ``text``
        says so.
    concentration : dict
        :func:`retainlib.concentration` (top shares, Gini, class A).
    pareto_statements : list of str
        Plain-language 80/20 sentences.
    abc : pandas.DataFrame
        :func:`retainlib.abc_summary`.
    rfm : pandas.DataFrame
        :func:`retainlib.rfm_summary` of the analysed customers (weeks).
    bgnbd : BetaGeoModel or None
        Purchase model, fitted on the whole client base (None when left out:
        see ``model_note``); its ``penalizer`` is the one used.
    gamma_gamma : GammaGammaModel or None
        Spend model, fitted on the whole client base's repeat customers (None
        when left out).
    clv : pandas.Series or None
        CLV per analysed customer (None without the models).
    clv_summary : pandas.Series or None
        :func:`retainlib.clv_summary` over the analysed customers (None
        without the models).
    holdout : HoldoutResult or None
        Calibration/holdout check of the purchase model (None when it could
        not be run).
    holdout_note : str
        Why ``holdout`` is None; empty when it ran.
    customers : pandas.DataFrame
        :func:`retainlib.customer_table` of the analysed customers.
    at_risk : pandas.DataFrame
        :func:`retainlib.at_risk`: the flagged customers of both lists (column
        ``list``: 'at risk', ranked by expected value, and 'lapsed', the
        win-back list, ranked by value if retained), computed for the whole
        client and restricted to the segment in a segment report (ranks
        restart at 1 in each list). Empty, with the same columns, without the
        models: the lists are ranked by the model's values, so they are left
        out rather than guessed.
    segment_tables : dict of str to pandas.DataFrame
        Segment name -> :func:`retainlib.segment_summary` (config segments,
        RFM segment, CLV tier, ABC class), with the early-warning figures of
        each group (``at_risk_list=``), so the 'All customers' row's revenue
        at risk is the report's.
    survey : pandas.DataFrame or None
        NPS answers of the analysed customers (None without a survey).
    survey_load : SurveyReport or None
        The survey's load report (None without a survey).
    nps : pandas.DataFrame or None
        :func:`retainlib.nps` of the answers.
    nps_by_segment : pandas.DataFrame or None
        NPS by the first config segment (None without one).
    nps_behaviour : pandas.DataFrame or None
        :func:`retainlib.nps_behaviour`: what promoters and detractors bought.
    detractors : pandas.DataFrame or None
        :func:`retainlib.detractor_followup`: detractors to call back.
    economics : dict
        Retention economics: ``yearly`` revenue per customer, retention
        ``scenarios``, ``new_customer_clv``, ``clv_cac`` (one row, labelled
        'New customer' or 'New customer, North region'), campaign ``roi``
        (the segment's part of the client's campaign in a segment report,
        with its ``campaign_share``; ``None`` when not computed),
        ``expected_lift`` and ``notes``: sentences for the reader saying
        what is not shown and why.
    rows_after_end : int
        Kept rows dated after ``observation_end``, left out of the analysis.
    model_note : str
        One sentence saying why the models (and everything built on them)
        are left out; empty when they were fitted.
    penalizer_note : str
        One sentence saying which penalizer the models were fitted with, when
        one was used (the config's ``clv.penalizer``, or a retry); else empty.
    since_last : dict or None
        :func:`retainlib.report.followup.since_last`: the headline figures and
        the previous at-risk list against the previous run of the history
        (None without an earlier run, and in a segment report).
    history_latest : Timestamp or None
        Set by the same function when there is no earlier run but the history
        holds later ones: the latest ``observation_end`` in it.
    campaigns : list of dict
        :func:`retainlib.report.followup.measure_campaigns`: each campaign of
        the config, treatment against control (empty in a segment report).
    facts : Facts or None
        The duckdb and spark engines' sums (per customer, per customer and
        period, per calibration split, per year) the client report's figures
        come from; None for the pandas engine and in a segment report.
    lines : PurchaseLines or None
        The duckdb and spark engines' purchase lines, on disk and read back
        by customer (campaigns, the previous at-risk list, the survey, a
        segment report); None for the pandas engine.
    """

    config: ClientConfig  # the validated client config
    load: LoadReport  # rows read, kept, rejected of the transactions file
    tx: pd.DataFrame | None  # canonical transactions analysed (None: an engine's sums)
    segment: tuple[str, str] | None  # (column, value) of a segment report
    observation_end: pd.Timestamp  # date the analysis is as of
    cohorts: pd.DataFrame  # customer retention by cohort
    revenue_cohorts: pd.DataFrame  # net revenue retention by cohort
    curve: pd.DataFrame  # average retention curve
    kpis: pd.DataFrame  # retention KPIs per period
    kpi_summary: pd.Series  # summary of the recent KPI periods
    concentration: dict[str, object]  # numbers behind the 80/20 statements
    pareto_statements: list[str]  # plain-language 80/20 sentences
    abc: pd.DataFrame  # ABC classes summary
    rfm: pd.DataFrame  # model summary per customer (weeks)
    bgnbd: BetaGeoModel | None  # fitted purchase model (whole client), None when left out
    gamma_gamma: GammaGammaModel | None  # fitted spend model (whole client), None when left out
    clv: pd.Series | None  # CLV per analysed customer (None without the models)
    clv_summary: pd.Series | None  # CLV totals and averages (None without the models)
    holdout: HoldoutResult | None  # calibration/holdout check, or None
    holdout_note: str  # why holdout is None ("" when it ran)
    customers: pd.DataFrame  # the customer table
    at_risk: pd.DataFrame  # the at-risk list
    segment_tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # name -> summary
    survey: pd.DataFrame | None = None  # NPS answers of the analysed customers
    survey_load: SurveyReport | None = None  # the survey's load report
    nps: pd.DataFrame | None = None  # NPS of the answers
    nps_by_segment: pd.DataFrame | None = None  # NPS by the first config segment
    nps_behaviour: pd.DataFrame | None = None  # purchases of promoters vs detractors
    detractors: pd.DataFrame | None = None  # detractors to follow up
    economics: dict[str, object] = field(default_factory=dict)  # retention economics
    rows_after_end: int = 0  # kept rows after observation_end, not analysed
    model_note: str = ""  # why the models are left out ("" when fitted)
    penalizer_note: str = ""  # which penalizer the models were fitted with ("" for none)
    since_last: dict | None = None  # this run against the previous one (None: no earlier run)
    history_latest: pd.Timestamp | None = None  # no earlier run, but later ones: the latest
    campaigns: list[dict] = field(default_factory=list)  # the config's campaigns, measured
    facts: Facts | None = None  # an engine's sums (client report of duckdb/spark), else None
    lines: PurchaseLines | None = None  # an engine's purchase lines on disk, else None

    @property
    def first_date(self) -> pd.Timestamp:
        """The first day with a line analysed (purchase or return)."""
        return self.tx["date"].min() if self.tx is not None else self.facts.first_date

    @property
    def last_date(self) -> pd.Timestamp:
        """The last day with a line analysed, up to ``observation_end``."""
        return self.tx["date"].max() if self.tx is not None else self.facts.last_date

    def lines_of(self, customers) -> pd.DataFrame:
        """The analysed lines of some customers (ids): from ``tx``, or an engine's lines on disk."""
        if self.tx is not None:
            return self.tx[member_of(self.tx["customer_id"], pd.Index(customers))]
        return self.lines.of(customers)

    def transactions(self) -> pd.DataFrame:
        """Every analysed line in memory (an engine's purchase lines read whole: small clients)."""
        return self.tx if self.tx is not None else self.lines.all()

    @property
    def has_models(self) -> bool:
        """Whether the purchase and spend models were fitted (else see ``model_note``)."""
        return self.bgnbd is not None and self.gamma_gamma is not None

    @property
    def lang(self) -> str:
        """The language of the report ('en', 'he'): the config's ``language``."""
        return self.config.language

    @property
    def title(self) -> str:
        """The client's name, or the segment's title ('North region'); raw text: escape it."""
        if self.segment is None:
            return self.config.client
        return segment_title(self.segment, self.lang)

    @property
    def metrics(self) -> dict:
        """Headline numbers (see :func:`metrics_of`)."""
        return metrics_of(self)

    def data_quality(self) -> pd.DataFrame:
        """Rows read, kept and rejected by reason, as a two-column table."""
        s = self.load.summary()
        rows = [("rows read", s["rows_read"]), ("rows kept", s["rows_kept"]),
                ("rows rejected", s["rows_rejected"])]
        rows += [(f"  rejected: {reason}", n) for reason, n in s["rejected"].items()]
        rows += [(f"duplicate rows ({'dropped' if s['duplicates_dropped'] else 'kept'})",
                  s["duplicates"]), ("return rows (negative amount, kept)", s["returns"]),
                 (f"kept rows dated after {self.observation_end.date()} (not analysed)",
                  self.rows_after_end)]
        return pd.DataFrame(rows, columns=["", "rows"]).set_index("")


def load_client(config: str | Path | Mapping | ClientConfig, *, demo_customers: int = 20_000,
                workdir: str | Path | None = None) -> ClientConfig:
    """Validated config for a report: a YAML path, a mapping, or 'demo'.

    Parameters
    ----------
    config : str, pathlib.Path, mapping or ClientConfig
        ``'demo'`` (or an empty string) writes the built-in demo retailer
        (:func:`retainlib.write_demo`) into ``workdir`` and uses its config.
    demo_customers : int, default 20000
        Size of the demo retailer.
    workdir : path, optional
        Folder for the demo files; default a new temporary folder.

    Returns
    -------
    ClientConfig
    """
    if isinstance(config, ClientConfig):
        return config
    if isinstance(config, str) and config.strip() in ("", "demo"):
        folder = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="retain-"))
        config = write_demo(folder, n_customers=int(demo_customers))
    return load_config(config)


def _holdout(tx, penalizer, clv_cfg, end, lang="en", facts=None):
    """Calibration/holdout check; (result, note in ``lang``). Never fails the report.

    From the transactions ``tx``, or from an engine's ``facts`` (its sums for
    the calibration end of the config's rule, :meth:`ClvSettings.calibration_end_for`).
    """
    first = tx["date"].min() if facts is None else facts.first_date
    calibration_end = clv_cfg.calibration_end_for(first, end)
    if not first < calibration_end < end:
        return None, text("analytics.holdout_bad_end", lang, calibration_end=date(
            calibration_end, lang), first=date(first, lang), end=date(end, lang))
    try:
        if facts is None:
            cal = calibration_holdout(tx, calibration_end=calibration_end, observation_end=end)
        else:
            cal = calibration_of(facts.holdout, calibration_end=calibration_end,
                                 observation_end=end, returns=facts.holdout_returns)
        problem = too_little_data(cal)
        if problem:
            return None, text("analytics.holdout_too_little", lang, problem=problem,
                              calibration_end=date(calibration_end, lang))
        model = fit_with_penalizer(BetaGeoModel(penalizer=penalizer), cal)
        if facts is None:
            return evaluate_holdout(model, cal, transactions=tx), ""
        outside = int((facts.customers["purchase_days"].to_numpy() > 0).sum()) - len(cal)
        tracking = tracking_from(model, facts.holdout, facts.repeat_days,
                                 calibration_end=calibration_end, observation_end=end,
                                 outside=outside)
        return evaluate_holdout(model, cal, tracking=tracking), ""
    except ConvergenceError:
        top = max(penalizer, *PENALIZER_LADDER)
        return None, text("analytics.holdout_no_converge", lang, top=f"{top:g}",
                          calibration_end=date(calibration_end, lang))
    except RetainlibError as exc:
        return None, str(exc)


def _penalizer(cfg) -> float:
    """The config's ``clv.penalizer``, the first penalizer tried."""
    return float(cfg.clv.penalizer)


def _left_out(why: str, lang: str = "en") -> str:
    """The one sentence saying the models are left out, and why."""
    return text("analytics.models_left_out", lang, why=why)


def _penalizer_note(start: float, bgnbd, gg, lang: str = "en") -> str:
    """Which penalizer the models were fitted with, in one sentence ('' for none)."""
    if bgnbd is None or gg is None:
        return ""
    retried = [name for name, m in (("purchase", bgnbd), ("spend", gg)) if m.penalizer != start]
    if retried:
        which = retried[0] if len(retried) == 1 else "both"
        return text(f"analytics.penalizer_retried_{which}", lang, start=f"{start:g}",
                    purchase=f"{bgnbd.penalizer:g}", spend=f"{gg.penalizer:g}")
    if start > 0:
        return text("analytics.penalizer_fitted", lang, start=f"{start:g}")
    return ""


def _survey(cfg, customers_index):
    """The config's survey, answers of the given customers only, and its load report."""
    s = cfg.survey
    survey, report = read_survey(s.data, columns=s.columns, **s.read)
    return survey[member_of(survey["customer_id"], customers_index)].reset_index(drop=True), report


def _core(cfg, near=None) -> dict:
    """Client-level part of the analysis, shared by the client report and its segments.

    The pandas engine reads every line (``tx``); duckdb and spark return their
    sums (``facts``) and leave the purchase lines on disk (``lines``, beside
    ``near`` when given: see :func:`retainlib.load.engines.reduce_client`).
    """
    facts = lines = None
    if cfg.engine == "pandas":
        tx, load = read_client(cfg)
        end = pd.Timestamp(cfg.observation_end) if cfg.observation_end is not None \
            else tx["date"].max().normalize()
        in_window = (tx["date"] < end + pd.Timedelta(days=1)).to_numpy()
        after_end = int((~in_window).sum())
        tx = rows_where(tx, in_window)
        ids = tx["customer_id"].unique()
    else:  # the sums of the engine; the lines stay on disk (#15)
        r = reduce_client(cfg, near=near)
        tx, facts, lines, load = None, r.facts, r.lines, r.load
        end, after_end = r.observation_end, r.rows_after_end
        ids = facts.customers.index
    survey, survey_load = _survey(cfg, ids) if cfg.survey else (None, None)
    clv_cfg = cfg.clv
    rfm = rfm_summary(tx, observation_end=end) if facts is None else rfm_of(
        facts.customers, observation_end=end, return_days=facts.return_days)
    bgnbd, gg, why = fit_clv_models(rfm, penalizer=_penalizer(cfg))
    model_note = _left_out(why, cfg.language) if why else ""
    clv = None if bgnbd is None else customer_lifetime_value(
        rfm, bgnbd, gg, horizon_months=clv_cfg.horizon_months,
        annual_discount_rate=clv_cfg.annual_discount_rate, margin=clv_cfg.margin)
    # the early-warning scores of every customer (revenue at risk is revenue: margin 1), once
    everyone = None if bgnbd is None else at_risk(
        rfm, bgnbd, gg, horizon_weeks=convert(clv_cfg.horizon_months, "M", "W"), margin=1.0,
        lang=cfg.language, only_flagged=False, **(cfg.at_risk or {}))
    sums = {} if facts is None else {
        "value": value_of(facts.customers),
        "segment_values": facts.customers[[c for c in cfg.segments
                                           if c in facts.customers.columns]]}
    customers = customer_table(
        tx, rfm=rfm, purchases_model=bgnbd, spend_model=gg, clv=clv, survey=survey,
        observation_end=end, horizon_weeks=convert(clv_cfg.horizon_months, "M", "W"),
        margin=1.0, segments=list(cfg.segments), at_risk_options=cfg.at_risk or None,
        early_warning=everyone, lang=cfg.language, **sums)
    # the early-warning lists of the whole client: the flagged customers, in list order
    risk = _no_at_risk(rfm) if everyone is None else _flagged(everyone)
    return {"config": cfg, "tx": tx, "facts": facts, "lines": lines, "load": load,
            "survey": survey, "survey_load": survey_load,
            "end": end, "after_end": after_end, "rfm": rfm, "bgnbd": bgnbd, "gg": gg, "clv": clv,
            "customers": customers, "model_note": model_note, "risk": risk}


def _flagged(everyone: pd.DataFrame) -> pd.DataFrame:
    """The two early-warning lists: :func:`at_risk`'s flagged rows (its ``only_flagged`` output)."""
    out = everyone[everyone["at_risk"].to_numpy(dtype=bool)]
    out.attrs = dict(everyone.attrs)
    return out


def _cached_core(config, demo_customers: int, cache: object) -> dict:
    """The client-level part, read from / written to a pickle when ``cache`` names one."""
    path = Path(cache) if cache not in (None, "") else None
    if path is not None and path.is_file():
        with path.open("rb") as f:
            return pickle.load(f)  # our own file, written below by the same report run
    with tempfile.TemporaryDirectory(prefix="retain-demo-") as tmp:
        cfg = load_client(config, demo_customers=demo_customers, workdir=tmp)
        core = _core(cfg, near=path)
    if path is not None:
        tmp_path = path.with_name(path.name + ".part")
        with tmp_path.open("wb") as f:
            pickle.dump(core, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp_path.replace(path)
    return core


def analyse(config: object, *, segment: str | None = None, value: str | None = None,
            demo_customers: int = 20_000, cache: object = None) -> Analysis:
    """Run the whole retention analysis of a client, or of one segment of it.

    Parameters
    ----------
    config : str, pathlib.Path, mapping or ClientConfig
        Client config (see :func:`load_client`; ``'demo'`` = the demo retailer).
    segment, value : str, optional
        Restrict the report to the customers whose ``segment`` column value is
        ``value`` (see the module docstring). Both or neither.
    demo_customers : int, default 20000
        Size of the demo retailer when ``config='demo'``.
    cache : str or pathlib.Path, optional
        A pickle file of the client-level results (data, models, customer
        table): read when it exists, written otherwise. The report runner uses
        it so segment reports do not refit the models. Only give a file that
        a previous call wrote.

    Returns
    -------
    Analysis

    Raises
    ------
    ConfigError
        Unknown segment column, or a value no customer has.
    DataError
        Data the analysis cannot use (from the loader and analytics).
    """
    segment = segment or None
    value = None if value in (None, "") else str(value)
    if (segment is None) != (value is None):
        raise ConfigError("give both segment and value for a segment report, or neither")
    core = _cached_core(config, demo_customers, cache)
    cfg, end, clv_cfg = core["config"], core["end"], core["config"].clv
    tx, rfm, customers, survey = core["tx"], core["rfm"], core["customers"], core["survey"]
    bgnbd, gg, risk = core["bgnbd"], core["gg"], core["risk"]
    facts, lines = core.get("facts"), core.get("lines")
    seg_names = list(cfg.segments)
    if segment is not None:
        if segment not in seg_names or segment not in customers.columns:
            raise ConfigError(f"segment {segment!r} is not one of the config's segments "
                              f"{seg_names}; use one of them")
        keep = (customers[segment].astype(str) == value).to_numpy()
        if not keep.any():
            known = sorted(customers[segment].dropna().astype(str).unique())[:20]
            raise ConfigError(f"no customer has {segment} = {value!r}; values are {known}")
        ids = customers.index[keep]
        # a segment's lines: from memory, or (an engine's) read from disk for its customers
        tx = tx[member_of(tx["customer_id"], ids)] if facts is None else lines.of(ids)
        facts = None  # the segment's figures come from its lines
        rfm = rfm[member_of(rfm.index, ids)]
        customers = customers.loc[keep]
        risk = _rerank(risk[member_of(risk.index, ids)])
        if survey is not None:
            survey = survey[member_of(survey["customer_id"], ids)].reset_index(drop=True)
    penalizer, model_note = _penalizer(cfg), core.get("model_note", "")
    if bgnbd is None or gg is None:
        clv, clv_sum = None, None
        holdout, note = None, text("analytics.holdout_no_model", cfg.language)
    else:
        clv = core["clv"].reindex(rfm.index)
        clv_sum = clv_summary(
            rfm, bgnbd, gg, horizon_months=clv_cfg.horizon_months,
            annual_discount_rate=clv_cfg.annual_discount_rate, margin=clv_cfg.margin)
        holdout, note = _holdout(tx, penalizer, clv_cfg, end, cfg.language, facts=facts)
    weeks = {"week_start": cfg.first_weekday}  # weekly periods start on the configured day
    # the cohort tables and KPIs: from the lines, or from an engine's customer-period sums
    periods = tx if facts is None else activity_of_cells(
        facts.cells, facts.customers["first_day"].to_numpy(dtype=float), facts.customers.index,
        period=cfg.period, observation_end=end, first_date=facts.first_date, **weeks)
    kpis = retention_kpis(periods, period=cfg.period, observation_end=end, **weeks)
    lists = risk if bgnbd is not None else None
    tables = {name: segment_summary(customers, name, at_risk_list=lists) for name in seg_names
              if name in customers.columns and name != segment}
    for name in ("rfm_segment", "clv_tier", "abc_class"):
        if name in customers.columns:
            tables[name] = segment_summary(customers, name, at_risk_list=lists)

    revenue = customers["revenue"]  # net revenue per customer, from the customer table
    result = Analysis(
        config=cfg, load=core["load"], tx=tx,
        segment=None if segment is None else (segment, value), observation_end=end,
        cohorts=cohort_table(periods, period=cfg.period, observation_end=end, **weeks),
        revenue_cohorts=revenue_retention(periods, period=cfg.period, observation_end=end,
                                          **weeks),
        curve=retention_curve(periods, period=cfg.period, observation_end=end, **weeks),
        kpis=kpis, kpi_summary=_kpi_summary(kpis, cfg.period, cfg.language),
        concentration=concentration(revenue),
        pareto_statements=pareto_statements(revenue, cfg.currency, lang=cfg.language),
        abc=abc_summary(abc_classes(revenue)), rfm=rfm, bgnbd=bgnbd, gamma_gamma=gg, clv=clv,
        clv_summary=clv_sum, holdout=holdout, holdout_note=note, customers=customers,
        at_risk=risk, rows_after_end=core.get("after_end", 0), segment_tables=tables,
        model_note=model_note, penalizer_note=_penalizer_note(penalizer, bgnbd, gg, cfg.language),
        facts=facts, lines=lines,
    )
    if survey is not None:
        _add_nps(result, survey, core["survey_load"], seg_names)
    client_values = core["customers"].get("value_if_retained", core["customers"].get(
        "revenue_at_risk"))
    result.economics = _economics(result, client_values)
    result.campaigns = measure_campaigns(result)
    if cfg.history is not None:  # else write_outputs reads the report folder's history
        result.since_last = since_last(result, cfg.history, metrics_of(result))
    return result


def _rerank(risk: pd.DataFrame) -> pd.DataFrame:
    """Some rows of an at-risk frame (kept in its order) with ranks 1, 2, ... again in each list."""
    risk = risk.copy()
    on = risk["list"].isin(LISTS).to_numpy()
    risk.loc[on, "rank"] = risk[on].groupby("list", sort=False).cumcount().to_numpy() + 1
    return risk


def _kpi_summary(kpis, period: str, lang: str = "en") -> pd.Series:
    """:func:`retainlib.retention_summary`, or NaNs and a sentence when no period is complete."""
    try:
        return retention_summary(kpis, lang=lang)
    except DataError:
        return pd.Series({
            "period": None, "crr": float("nan"), "churn_rate": float("nan"),
            "customers_start": None, "lost": None, "won_back": None, "won_back_year": None,
            "previous_period": None, "previous_crr": float("nan"), "change": float("nan"),
            "average_crr": float("nan"), "trend": "n/a", "trend_window": float("nan"),
            "trend_recent": float("nan"), "trend_before": float("nan"),
            "trend_change": float("nan"), "trend_slope": float("nan"),
            "trend_slope_low": float("nan"), "trend_slope_high": float("nan"),
            "trend_direction": "n/a", "record": None, "record_periods": 0,
            "text": text(f"analytics.kpi_no_rate_{period}", lang),
        }, name="retention_summary")


def _no_at_risk(rfm) -> pd.DataFrame:
    """The at-risk list without the models: no rows, the columns of :func:`retainlib.at_risk`."""
    out = pd.DataFrame({c: pd.Series(dtype="float64")
                        for c in (*AT_RISK_COLUMNS, "revenue_at_risk")},
                       index=pd.Index([], dtype=rfm.index.dtype, name="customer_id"))
    out["rank"], out["reason"] = out["rank"].astype("int64"), out["reason"].astype("str")
    out["list"] = out["list"].astype("str")
    for flag in ("low_p_alive", "long_silence", "valuable", "at_risk"):
        out[flag] = out[flag].astype("bool")
    return out


def _economics(a: Analysis, client_values: pd.Series) -> dict[str, object]:
    """Retention economics: yearly revenue per customer, CLV vs CAC, campaign ROI, scenarios.

    ``client_values``: every client customer's value if retained (the
    campaign targets the client's most valuable customers; a segment report
    shows the segment's part of it, see the module docstring). ``notes`` are
    sentences for the reader.
    """
    clv_cfg, eco = a.config.clv, dict(a.config.economics or {})
    terms = {"horizon_months": clv_cfg.horizon_months,
             "annual_discount_rate": clv_cfg.annual_discount_rate, "margin": clv_cfg.margin}
    lift = float(eco.get("expected_lift") or 0.05)
    out: dict = {"notes": [], "expected_lift": lift, "yearly": _yearly(a)}
    if not a.has_models:
        out.update(scenarios=None, new_customer_clv=None, clv_cac=None, roi=None)
        out["notes"].append(text("analytics.economics_no_models", a.lang))
        return out
    try:
        out["scenarios"] = retention_scenarios(
            a.rfm, a.bgnbd, a.gamma_gamma, lifts=sorted({0.05, lift} - {0.0}), **terms)
    except RetainlibError as exc:
        out["scenarios"] = None
        out["notes"].append(text("analytics.scenarios_not_shown", a.lang, error=exc))
    out["new_customer_clv"] = new_customer_clv(a.bgnbd, a.gamma_gamma, **terms)
    out["clv_cac"] = None
    if eco.get("cac"):
        label = (text("analytics.new_customer_row", a.lang) if a.segment is None
                 else text("analytics.new_customer_row_of", a.lang, title=a.title))
        out["clv_cac"] = clv_cac(out["new_customer_clv"], float(eco["cac"])).set_axis(
            pd.Index([label], name=""), axis=0)
    out["roi"] = None
    out["notes"] += _campaign(a, out, eco, lift, client_values)
    return out


def _yearly(a: Analysis) -> pd.DataFrame:
    """Revenue per customer per (fiscal) year: from the lines, or an engine's sums per year."""
    start = a.config.fiscal_year_start
    if a.facts is None:
        return yearly_revenue_per_customer(a.tx, observation_end=a.observation_end,
                                           fiscal_year_start=start)
    years = a.facts.years.set_index("year")
    return yearly_of(years["revenue"], years["customers"], first=a.facts.first_date,
                     observation_end=a.observation_end, fiscal_year_start=start)


def _campaign(a: Analysis, out: dict, eco: dict, lift: float, values: pd.Series) -> list[str]:
    """Fill ``out['roi']`` (and ``retention_roi``, ``campaign_cost``); the notes for the reader."""
    cost, targeted = eco.get("campaign_cost"), eco.get("customers_targeted")
    if not cost:
        return [no_campaign(a.lang)]
    if not targeted:
        return [text("analytics.campaign_no_targeted", a.lang)]
    known = int(values.notna().sum())
    if int(targeted) > known:
        return [text("analytics.campaign_too_many", a.lang, targeted=f"{int(targeted):,}",
                     known=f"{known:,}")]
    within = None if a.segment is None else a.customers.index
    roi = retention_roi(campaign_cost=float(cost), customers_targeted=int(targeted),
                        expected_lift=lift, value_per_customer=values, margin=a.config.clv.margin,
                        within=within)
    if within is not None and int(roi["customers_targeted"].iloc[0]) == 0:
        return [text("analytics.campaign_none_in_segment", a.lang, targeted=f"{int(targeted):,}",
                     title=a.title)]
    out["roi"] = roi
    out["retention_roi"] = float(roi["roi_pct"].iloc[0])
    out["campaign_cost"] = float(roi["campaign_cost"].iloc[0])
    return []


def _add_nps(result: Analysis, survey, survey_load, seg_names) -> None:
    """Fill the NPS attributes of ``result`` from the analysed customers' answers."""
    result.survey, result.survey_load = survey, survey_load
    if survey.empty:
        return
    result.nps = nps(survey)
    names = [n for n in seg_names if result.segment is None or n != result.segment[0]]
    if names:
        by = result.customers[names[0]].reindex(survey["customer_id"]).to_numpy()
        result.nps_by_segment = nps(survey.assign(**{names[0]: by}), by=names[0])
    result.nps_behaviour = nps_behaviour(survey, result.lines_of(survey["customer_id"]),
                                         clv=result.clv,
                                         observation_end=result.observation_end)
    result.detractors = detractor_followup(survey, result.customers)
