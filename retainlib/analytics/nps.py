"""Net Promoter Score: reading survey answers, NPS with its uncertainty, and links to behaviour.

(The module is named ``survey`` rather than ``nps`` so that the function
``retainlib.nps`` is never shadowed by a submodule of the same name.)

Definitions
-----------
- Groups by the answer to "how likely are you to recommend us" (0-10): promoters 9-10,
  passives 7-8, detractors 0-6.
- ``NPS = 100 * (P - D)`` with ``P`` and ``D`` the shares of promoters and detractors
  (-100 to 100).
- 95% interval: the answers are one multinomial draw of (promoter, passive, detractor), so
  NPS/100 is a difference of two shares of the same sample and
  ``Var(P - D) = (P + D - (P - D)^2) / n``; the interval is
  ``NPS +/- 1.96 * 100 * sqrt(Var)``, clipped to [-100, 100] (normal approximation; for
  fewer than about 30 answers treat it as a rough guide).
- A customer who answered several times counts once: their **latest** answer (by date; on
  the same date the later row of the file). With ``period``, the latest answer in each period.
- Behaviour after the survey counts only purchases on days **after** the survey day (a
  purchase on the survey day may be what triggered the survey).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from retainlib._arrays import member_of
from retainlib.errors import DataError

# public names of retainlib.analytics.nps (in __all__), imported from here by analysis.py and tests
from retainlib.load.survey import SURVEY_REASONS, SurveyReport, read_survey

__all__ = [
    "SURVEY_REASONS",
    "SurveyReport",
    "detractor_followup",
    "latest_answers",
    "nps",
    "nps_behaviour",
    "nps_group",
    "read_survey",
    "referral_leads",
]

GROUPS = ("Promoter", "Passive", "Detractor")
_Z95 = 1.959963984540054


# --------------------------------------------------------------------------- NPS
def nps_group(scores: pd.Series) -> pd.Series:
    """Promoter (9-10), Passive (7-8) or Detractor (0-6) for each score.

    Business meaning: the three NPS groups of an answer.

    Returns
    -------
    Series
        ``nps_group``, ordered categorical ``Promoter > Passive > Detractor`` (categories in
        that order), indexed like ``scores``.
    """
    s = pd.to_numeric(pd.Series(scores), errors="coerce")
    code = np.select([s >= 9, s >= 7, s >= 0], [0, 1, 2], default=-1)
    cat = pd.Categorical.from_codes(code, categories=list(GROUPS), ordered=True)
    return pd.Series(cat, index=s.index, name="nps_group")


def _check_survey(survey: object) -> pd.DataFrame:
    if not isinstance(survey, pd.DataFrame) or not {"customer_id", "date", "score"} <= set(survey):
        raise DataError("expected survey answers with columns 'customer_id', 'date', 'score' "
                        "(load them with retainlib.read_survey)")
    if len(survey) == 0:
        raise DataError("the survey has no answers; check the survey file and the customer filter")
    s = survey["score"]
    if s.isna().any() or (s < 0).any() or (s > 10).any():
        raise DataError("survey scores must be whole numbers 0-10; load the file with "
                        "retainlib.read_survey, which rejects the others with reasons")
    return survey


def latest_answers(survey: pd.DataFrame, *, period: str | None = None) -> pd.DataFrame:
    """Each customer's latest answer (per period when ``period`` is given).

    Business meaning: one voice per customer, the most recent one.

    Returns
    -------
    DataFrame
        The kept rows of ``survey`` plus ``nps_group`` (and ``period`` when given), sorted
        by date, RangeIndex.
    """
    survey = _check_survey(survey)
    df = survey.reset_index(drop=True)
    keys = ["customer_id"]
    if period is not None:
        df = df.assign(period=df["date"].dt.to_period(period))
        keys.append("period")
    df = df.iloc[np.argsort(df["date"].to_numpy(), kind="stable")]
    df = df.drop_duplicates(keys, keep="last").reset_index(drop=True)
    df["nps_group"] = nps_group(df["score"])
    return df


def _nps_columns(g) -> pd.DataFrame:
    n = g["_one"].sum()
    p, q, d = g["_p"].sum(), g["_q"].sum(), g["_d"].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        sp, sq, sd = p / n, q / n, d / n
        diff = sp - sd
        se = 100 * np.sqrt((sp + sd - diff**2) / n)
    out = pd.DataFrame({"responses": n.astype("int64"), "promoters": p.astype("int64"),
                        "passives": q.astype("int64"), "detractors": d.astype("int64"),
                        "pct_promoters": 100 * sp, "pct_passives": 100 * sq,
                        "pct_detractors": 100 * sd, "nps": 100 * diff, "se": se})
    out["nps_low"] = (out["nps"] - _Z95 * se).clip(-100, 100)
    out["nps_high"] = (out["nps"] + _Z95 * se).clip(-100, 100)
    return out


def nps(survey: pd.DataFrame, *, by: str | pd.Series | None = None, period: str | None = None,
        latest: bool = True) -> pd.DataFrame:
    """NPS with its 95% interval, overall, by segment and/or over time.

    Business meaning: how many customers would recommend the business, net of critics,
    and how sure we are of that number.

    Parameters
    ----------
    survey : DataFrame
        Answers from :func:`read_survey`.
    by : str or Series, optional
        A column of ``survey``, or a Series mapping ``customer_id`` to a segment (e.g. the
        customer table's ``region`` or ``rfm_segment``); respondents without a value form
        ``'(missing)'``. An ``'All respondents'`` row is appended.
    period : {'M', 'Q', 'Y', 'W'}, optional
        Group by the period of the answer date.
    latest : bool, default True
        Count each customer once (latest answer; per period with ``period``). False counts
        every answer.

    Returns
    -------
    DataFrame
        Indexed by segment and/or period (one row ``'All respondents'`` without either):
        ``responses``, ``promoters``, ``passives``, ``detractors``, ``pct_promoters``,
        ``pct_passives``, ``pct_detractors`` (percent), ``nps``, ``se`` (points), ``nps_low``,
        ``nps_high`` (95% interval). Definitions in the module docstring.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": list("abcd"), "score": [10, 9, 7, 3],
    ...                   "date": pd.to_datetime(["2024-01-01"] * 4)})
    >>> float(nps(s)["nps"].iloc[0])
    25.0
    """
    df = latest_answers(survey, period=period) if latest else _check_survey(survey).assign(
        nps_group=lambda d: nps_group(d["score"]))
    if not latest and period is not None:
        df = df.assign(period=df["date"].dt.to_period(period))
    df = df.assign(_one=1, _p=(df["nps_group"] == "Promoter").astype("int64"),
                   _q=(df["nps_group"] == "Passive").astype("int64"),
                   _d=(df["nps_group"] == "Detractor").astype("int64"))
    keys = []
    if period is not None:
        keys.append("period")
    if by is not None:
        if isinstance(by, str):
            if by not in df.columns:
                raise DataError(f"column {by!r} not in the survey; pass a Series mapping "
                                "customer_id to the segment instead (e.g. customers['region'])")
            seg = df[by]
            name = by
        else:
            seg = df["customer_id"].map(pd.Series(by))
            name = by.name if getattr(by, "name", None) is not None else "segment"
        df["_seg"] = seg.astype("object").where(seg.notna(), "(missing)").astype("str")
        keys.append("_seg")
    if not keys:
        out = _nps_columns(df.groupby(np.zeros(len(df), dtype=int)))
        out.index = pd.Index(["All respondents"], name="group")
        return out
    out = _nps_columns(df.groupby(keys, sort=True))
    if by is not None:
        out.index = out.index.rename(name, level="_seg") if period is not None else \
            out.index.rename(name)
        if period is None:
            total = _nps_columns(df.groupby(np.zeros(len(df), dtype=int)))
            total.index = pd.Index(["All respondents"], name=name)
            out = pd.concat([out, total])
    return out


# --------------------------------------------------------------------------- contacts
_VALUE_COLUMNS = ("clv", "revenue", "p_alive", "rfm_segment", "abc_class", "early_warning")


def _contacts(survey, customers, group: str, value: str | None) -> pd.DataFrame:
    last = latest_answers(survey)
    keep = ["customer_id", "date", "score"] + (["comment"] if "comment" in last else [])
    rows = last.loc[last["nps_group"] == group, keep].set_index("customer_id")
    if customers is None:
        return rows.sort_values(["score", "date"], ascending=[group == "Detractor", False])
    if value is None:
        value = next((c for c in ("clv", "revenue") if c in customers.columns), None)
        if value is None:
            raise DataError("the customer table has neither 'clv' nor 'revenue'; pass value=")
    if value not in customers.columns:
        raise DataError(f"value column {value!r} not in the customer table")
    extra = [c for c in dict.fromkeys([value, *_VALUE_COLUMNS]) if c in customers.columns]
    out = rows.join(customers[extra])
    out = out.iloc[np.lexsort((np.asarray(out.index.astype("str")),
                               -out[value].fillna(-np.inf).to_numpy(dtype="float64")))]
    out.index.name = "customer_id"
    return out


def detractor_followup(survey: pd.DataFrame, customers: pd.DataFrame | None = None, *,
                       value: str | None = None) -> pd.DataFrame:
    """Detractors (latest answer 0-6) to call back, most valuable first.

    Business meaning: unhappy customers ranked by what they are worth.

    Parameters
    ----------
    survey : DataFrame
        Answers from :func:`read_survey`.
    customers : DataFrame, optional
        Customer table (:func:`retainlib.customer_table`); without it the list is ordered
        by score (lowest first), then most recent.
    value : str, optional
        Column to rank by (default ``clv``, else ``revenue``); customers without a value last.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``: ``date``, ``score``, ``comment`` (when present), then
        the ``value`` column and those of ``clv``, ``revenue``, ``p_alive``,
        ``rfm_segment``, ``abc_class``, ``early_warning`` (the list: at risk or lapsed)
        the customer table has.
    """
    return _contacts(survey, customers, "Detractor", value)


def referral_leads(survey: pd.DataFrame, customers: pd.DataFrame | None = None, *,
                   value: str | None = None) -> pd.DataFrame:
    """Promoters (latest answer 9-10) to ask for referrals, most valuable first.

    Business meaning: happy customers who are most worth asking to recommend the business.

    Parameters and columns as in :func:`detractor_followup` (without a customer table:
    highest score first, then most recent).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id``.
    """
    return _contacts(survey, customers, "Promoter", value)


# --------------------------------------------------------------------------- behaviour
def nps_behaviour(survey: pd.DataFrame, tx: pd.DataFrame, *, clv: pd.Series | None = None,
                  window_days: int = 365, observation_end: object = None) -> pd.DataFrame:
    """Repeat rate, retention, revenue and CLV of promoters, passives and detractors.

    Business meaning: whether what customers say predicts what they do next.

    Each respondent's latest answer is used, and only purchases (rows with a positive
    amount) on days after the survey day count.

    Parameters
    ----------
    survey : DataFrame
        Answers from :func:`read_survey`.
    tx : DataFrame
        Canonical transactions.
    clv : Series, optional
        CLV per customer, for ``mean_clv``.
    window_days : int, default 365
        Window of ``retention``.
    observation_end : date-like, optional
        End of the data; default the last transaction date.

    Returns
    -------
    DataFrame
        Indexed by ``nps_group`` (Promoter, Passive, Detractor, All respondents):
        ``respondents``; ``repeat_rate`` (share who bought at least once after the survey);
        ``purchase_days_after`` and ``revenue_after`` (per respondent, net of returns after
        the survey); ``retention_base`` (respondents surveyed at least ``window_days``
        before the end) and ``retention`` (of those, the share who bought within
        ``window_days`` after the survey); ``mean_clv`` with ``clv``.
    """
    last = latest_answers(survey)[["customer_id", "date", "nps_group"]]
    end = pd.Timestamp(observation_end) if observation_end is not None else tx["date"].max()
    end = end.normalize()
    sday = last["date"].dt.normalize()
    m = tx.loc[tx["date"] < end + pd.Timedelta(days=1), ["customer_id", "date", "amount"]]
    m = m.merge(pd.DataFrame({"customer_id": last["customer_id"], "_s": sday}), on="customer_id")
    m = m[m["date"].dt.normalize() > m["_s"]]
    buy = m[m["amount"] > 0]
    days = buy.assign(_d=buy["date"].dt.normalize()).drop_duplicates(["customer_id", "_d"])
    n_days = days.groupby("customer_id").size()
    within = days[days["_d"] <= days["_s"] + pd.Timedelta(days=window_days)]
    per = pd.DataFrame({
        "nps_group": last["nps_group"].array,
        "_one": 1,
        "_repeat": member_of(last["customer_id"], n_days.index).astype("float64"),
        "_days": last["customer_id"].map(n_days).fillna(0).to_numpy(dtype="float64"),
        "_rev": last["customer_id"].map(m.groupby("customer_id")["amount"].sum())
        .fillna(0.0).to_numpy(dtype="float64"),
    })
    base = (sday + pd.Timedelta(days=window_days) <= end).to_numpy()
    per["_base"] = base.astype("float64")
    per["_kept"] = (base & member_of(last["customer_id"], within["customer_id"])
                    ).astype("float64")
    if clv is not None:
        per["_clv"] = last["customer_id"].map(pd.Series(clv)).to_numpy(dtype="float64")
    parts = []
    for g in (per.groupby("nps_group", observed=False), per.groupby(np.zeros(len(per), int))):
        cols = {"respondents": g["_one"].sum().astype("int64"), "repeat_rate": g["_repeat"].mean(),
                "purchase_days_after": g["_days"].mean(), "revenue_after": g["_rev"].mean(),
                "retention_base": g["_base"].sum().astype("int64"),
                "retention": g["_kept"].sum() / g["_base"].sum().replace(0, np.nan)}
        if clv is not None:
            cols["mean_clv"] = g["_clv"].mean()
        parts.append(pd.DataFrame(cols))
    out = pd.concat(parts)
    out.index = pd.Index([*GROUPS, "All respondents"], name="nps_group")
    out.attrs.update(window_days=window_days, observation_end=str(end.date()))
    return out
