"""Since the last report: the previous run, the metric changes, the previous at-risk list's fate."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from retainlib.analytics.history import list_outcomes, metric_changes, previous_run

JAN, FEB = "2025-01-31", "2025-02-28"


def _tx(rows):
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).assign(
        date=lambda d: pd.to_datetime(d["date"]))


def test_two_runs_a_month_apart_count_who_came_back_still_at_risk_lapsed_and_new():
    # previous list (31 Jan): a b c d e f
    # a bought on 10 Feb (came back, 40 + 10); b only returned something (-5: not a purchase)
    # c is on this month's at-risk list, d on the lapsed list, e and f nothing (unflagged)
    # g is on this month's list but not last month's (newly at risk)
    # h bought in February but was not on the previous list (not counted)
    # a bought on 31 Jan itself: before the window, so it is the 10 Feb purchase that counts
    tx = _tx([("a", "2025-01-31", 99.0), ("a", "2025-02-10", 40.0), ("a", "2025-02-20", 10.0),
              ("b", "2025-02-11", -5.0), ("h", "2025-02-12", 70.0),
              ("c", "2025-03-01", 80.0)])  # after this run's end: not seen
    lists = pd.DataFrame({"list": ["at risk", "lapsed", "at risk", "at risk"]},
                         index=["c", "d", "g", "b"])
    r = list_outcomes(["a", "b", "c", "d", "e", "f"], tx, lists, previous_end=JAN,
                      observation_end=FEB)
    assert {k: r[k] for k in ("previous", "came_back", "still_at_risk", "lapsed", "unflagged",
                              "newly_at_risk")} == {
        "previous": 6, "came_back": 1, "still_at_risk": 2, "lapsed": 1, "unflagged": 2,
        "newly_at_risk": 1}
    assert r["came_back_revenue"] == 50.0  # a's two February purchases
    assert list(r["came_back_ids"]) == ["a"]


def test_a_customer_who_came_back_counts_as_came_back_even_if_flagged_again():
    tx = _tx([("a", "2025-02-10", 40.0)])
    lists = pd.DataFrame({"list": ["at risk"]}, index=["a"])
    r = list_outcomes(["a"], tx, lists, previous_end=JAN, observation_end=FEB)
    assert (r["came_back"], r["still_at_risk"], r["newly_at_risk"]) == (1, 0, 0)


@settings(max_examples=60, deadline=None)
@given(prev=st.sets(st.sampled_from(list("abcdefgh"))),
       buyers=st.sets(st.sampled_from(list("abcdefgh"))),
       flags=st.dictionaries(st.sampled_from(list("abcdefgh")),
                             st.sampled_from(["at risk", "lapsed"])))
def test_the_four_outcomes_add_up_to_the_previous_list(prev, buyers, flags):
    tx = _tx([(c, "2025-02-10", 10.0) for c in sorted(buyers)] or [("zz", "2025-01-01", 1.0)])
    lists = pd.DataFrame({"list": list(flags.values())}, index=list(flags))
    r = list_outcomes(sorted(prev), tx, lists, previous_end=JAN, observation_end=FEB)
    assert r["came_back"] + r["still_at_risk"] + r["lapsed"] + r["unflagged"] == len(prev)
    assert r["came_back"] == len(prev & buyers)
    assert r["newly_at_risk"] == len({c for c, w in flags.items() if w == "at risk"} - prev)


def test_previous_run_is_the_latest_earlier_one_never_a_run_of_the_same_date():
    runs = pd.DataFrame({"observation_end": pd.to_datetime(["2025-02-28", "2025-01-31",
                                                            "2025-03-31"]),
                         "customers": [12, 10, 15]})
    assert previous_run(runs, "2025-03-31")["customers"] == 12
    assert previous_run(runs, "2025-02-28")["customers"] == 10
    assert previous_run(runs, "2025-01-31") is None
    assert previous_run(runs.iloc[:0], "2025-01-31") is None


def test_metric_changes_are_now_minus_then_with_missing_figures_left_blank():
    out = metric_changes({"customers": 100, "crr": 0.8, "nps": None},
                         {"customers": 110, "crr": 0.75, "nps": 12.0}, ["customers", "crr", "nps"])
    assert out["change"].round(6).tolist()[:2] == [10.0, -0.05]
    assert out.loc["nps"].isna().tolist() == [True, False, True]
