"""Tests for the survey loader, NPS with its interval, contact lists, behaviour after a survey."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

import retainlib as rl
from retainlib.analytics.nps import (
    detractor_followup,
    latest_answers,
    nps_behaviour,
    nps_group,
    referral_leads,
)
from retainlib.errors import ConfigError, DataError
from retainlib.load.parsing import TEXT


def _survey(ids, dates, scores, **extra):
    return pd.DataFrame({"customer_id": pd.array(ids, dtype="str"),
                         "date": pd.to_datetime(dates), "score": np.array(scores, dtype="int64"),
                         **extra})


# --------------------------------------------------------------------------- loading
def test_read_survey_hebrew_cp1255_with_rejects(tmp_path):
    text = (
        "מספר לקוח,תאריך,ציון,הערה\n"
        "007,05/02/2024,9,מצוין\n"         # line 2 ok (5 February, day first)
        ",06/02/2024,8,\n"                  # line 3 blank id
        "008,31/02/2024,7,\n"               # line 4 impossible date
        "009,07/02/2024,11,\n"              # line 5 out of range
        "010,07/02/2024,7.5,\n"             # line 6 non-integer
        "011,07/02/2024,טוב,\n"             # line 7 non-numeric
        "012,08/02/2024,,\n"                # line 8 blank score
        "013,01/02/2024,0,גרוע\n"           # line 9 ok, earliest date
        "014,09/02/2024,10.0,\n"            # line 10 ok: 10.0 is the whole number 10
    )
    path = tmp_path / "survey.csv"
    path.write_bytes(text.encode("cp1255"))
    survey, report = rl.read_survey(
        path, columns={"customer_id": "מספר לקוח", "date": "תאריך", "score": "ציון",
                       "comment": "הערה"}, dayfirst=True)
    expected = pd.DataFrame({
        "customer_id": pd.array(["013", "007", "014"], dtype=TEXT),
        "date": pd.to_datetime(["2024-02-01", "2024-02-05", "2024-02-09"]).astype("datetime64[ns]"),
        "score": np.array([0, 9, 10], dtype="int64"),
        "comment": pd.array(["גרוע", "מצוין", None], dtype=TEXT),
    })
    assert_frame_equal(survey, expected)
    assert report.encoding == "cp1255"
    assert (report.rows_read, report.rows_kept, report.rows_rejected) == (9, 3, 6)
    assert report.rejected[["line", "reason"]].to_dict("list") == {
        "line": [3, 4, 5, 6, 7, 8],
        "reason": ["blank customer id", "impossible date", "score out of range",
                   "non-integer score", "non-numeric score", "blank score"]}
    assert report.rejected["score"].tolist()[2] == "11"
    # blank cells stay missing in the rejected rows (line 3's id, line 8's score), not 'None'
    assert report.rejected["customer_id"].isna().tolist() == [True] + [False] * 5
    assert report.rejected["score"].isna().tolist() == [False] * 5 + [True]
    assert report.summary()["customers"] == 3
    assert "line 5: score out of range" in report.to_text()


def test_read_survey_excel_default_names_and_errors(tmp_path):
    raw = pd.DataFrame({"customer_id": ["1", "1", "2"], "date": ["2024-01-01"] * 3,
                        "score": [5, 5, 9]})
    path = tmp_path / "s.xlsx"
    raw.to_excel(path, index=False)
    survey, report = rl.read_survey(path, duplicates="drop")
    assert survey["score"].tolist() == [5, 9]
    assert report.duplicates == 1 and report.rejected_counts() == {"duplicate row": 1}
    with pytest.raises(DataError, match="'scores' not found in s.xlsx.*Did you mean 'score'"):
        rl.read_survey(path, columns={"score": "scores"})
    with pytest.raises(ConfigError, match="unknown column role 'scor'.*Did you mean 'score'"):
        rl.read_survey(path, columns={"scor": "score"})


def test_read_survey_rejects_placeholder_dates_as_out_of_range():
    # 9999-12-31 (a common "no date" placeholder) is beyond what datetime64[ns] holds
    raw = pd.DataFrame({"customer_id": ["1", "2"], "date": ["2024-01-01", "9999-12-31"],
                        "score": ["9", "3"]})
    survey, report = rl.read_survey(raw)
    assert survey["customer_id"].tolist() == ["1"]
    assert report.rejected_counts() == {"date out of range": 1}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "7", "x"]),
                          st.sampled_from(["2024-01-01", "bad", ""]),
                          st.sampled_from(["0", "10", "11", "-1", "5.5", "", "abc", "9"])),
                min_size=1, max_size=25))
def test_survey_row_accounting(rows):
    raw = pd.DataFrame(rows, columns=["customer_id", "date", "score"])
    blank = sum(not any(r) for r in rows)  # rows of empty cells are blank lines, not answers
    try:
        survey, report = rl.read_survey(raw)
    except DataError as exc:  # nothing usable: the message says so
        assert "no usable answers" in str(exc) or "no survey answers below" in str(exc)
        return
    assert report.rows_read == report.rows_kept + report.rows_rejected == len(rows) - blank
    assert len(report.rejected) == report.rows_rejected
    assert survey["score"].between(0, 10).all()


# --------------------------------------------------------------------------- NPS
def test_nps_hand_computed_with_interval():
    scores = [10, 9, 8, 7, 6, 0, 10, 3, 9, 10]
    s = _survey([f"c{i}" for i in range(10)], ["2024-01-01"] * 10, scores)
    got = rl.nps(s)
    # promoters 10,9,10,9,10 = 5; passives 8,7 = 2; detractors 6,0,3 = 3; n = 10
    # NPS = 100 (0.5 - 0.3) = 20; var = (0.5 + 0.3 - 0.2^2) / 10 = 0.076; se = 27.5681 points
    se = 100 * math.sqrt(0.076)
    expected = pd.DataFrame({
        "responses": [10], "promoters": [5], "passives": [2], "detractors": [3],
        "pct_promoters": [50.0], "pct_passives": [20.0], "pct_detractors": [30.0],
        "nps": [20.0], "se": [se], "nps_low": [20 - 1.959963984540054 * se],
        "nps_high": [20 + 1.959963984540054 * se],
    }, index=pd.Index(["All respondents"], name="group"))
    expected = expected.astype({c: "int64" for c in ("responses", "promoters", "passives",
                                                     "detractors")})
    assert_frame_equal(got, expected)
    assert se == pytest.approx(27.5681, abs=1e-4)


def test_latest_answer_per_customer_and_by_segment():
    s = _survey(["a", "a", "b", "c", "d"],
                ["2024-01-01", "2024-03-01", "2024-02-01", "2024-02-01", "2024-02-02"],
                [2, 10, 9, 5, 8])
    # a counts once with the later 10: promoters a, b; detractor c; passive d -> NPS 25
    assert rl.nps(s)["nps"].iloc[0] == pytest.approx(25.0)
    assert rl.nps(s, latest=False)["responses"].iloc[0] == 5
    region = pd.Series({"a": "N", "b": "N", "c": "S"}, name="region")
    got = rl.nps(s, by=region)
    # N: a 10, b 9 -> 100; S: c 5 -> -100; missing: d 8 -> 0; all -> 25
    assert got.index.tolist() == ["(missing)", "N", "S", "All respondents"]
    assert got.index.name == "region"
    assert got["nps"].tolist() == [0.0, 100.0, -100.0, 25.0]
    assert got.loc["N", "se"] == 0.0  # var = (1 + 0 - 1) / 2


def test_nps_over_time_counts_latest_answer_per_period():
    s = _survey(["a", "a", "b", "a"], ["2024-01-05", "2024-01-20", "2024-01-10", "2024-02-01"],
                [0, 10, 7, 3])
    got = rl.nps(s, period="M")
    # January: a's latest is 10 (promoter), b 7 (passive) -> 50; February: a 3 -> -100
    assert [str(p) for p in got.index] == ["2024-01", "2024-02"]
    assert got["nps"].tolist() == [50.0, -100.0]
    assert got["responses"].tolist() == [2, 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=60))
def test_nps_bounds(scores):
    n = len(scores)
    s = _survey([f"c{i}" for i in range(n)], ["2024-01-01"] * n, scores)
    got = rl.nps(s).iloc[0]
    assert -100 <= got["nps_low"] <= got["nps"] <= got["nps_high"] <= 100
    assert got["promoters"] + got["passives"] + got["detractors"] == n


def test_nps_group_boundaries():
    assert nps_group(pd.Series([0, 6, 7, 8, 9, 10])).tolist() == [
        "Detractor", "Detractor", "Passive", "Passive", "Promoter", "Promoter"]


# --------------------------------------------------------------------------- contacts
def test_detractor_followup_and_referral_leads_by_value():
    s = _survey(["a", "b", "c", "d", "e"], ["2024-01-01"] * 5, [3, 6, 10, 9, 0],
                comment=pd.array(["slow", None, "great", None, "rude"], dtype=TEXT))
    customers = pd.DataFrame({"clv": [50.0, 200.0, 10.0, 80.0, np.nan],
                              "revenue": [1.0, 2.0, 30.0, 4.0, 5.0]},
                             index=pd.Index(list("abcde"), name="customer_id"))
    det = detractor_followup(s, customers)
    assert det.index.tolist() == ["b", "a", "e"]  # clv 200, 50, unknown last
    assert det.columns.tolist() == ["date", "score", "comment", "clv", "revenue"]
    assert referral_leads(s, customers).index.tolist() == ["d", "c"]  # clv 80, 10
    assert referral_leads(s, customers, value="revenue").index.tolist() == ["c", "d"]  # 30, 4
    assert detractor_followup(s).index.tolist() == ["e", "a", "b"]  # lowest score first


# --------------------------------------------------------------------------- behaviour
def test_nps_behaviour_counts_only_purchases_after_the_survey():
    s = _survey(["a", "b", "c", "d"], ["2024-01-10", "2024-01-10", "2024-01-10", "2024-06-01"],
                [10, 10, 3, 8])
    tx = pd.DataFrame({
        "customer_id": pd.array(["a", "a", "a", "b", "c", "c", "d"], dtype="str"),
        "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2025-03-01", "2024-01-10",
                                "2024-03-01", "2024-03-05", "2024-07-01"]),
        "amount": [100.0, 20.0, 30.0, 50.0, 40.0, -10.0, 15.0],
    })
    got = nps_behaviour(s, tx, clv=pd.Series({"a": 100.0, "b": 20.0, "c": 5.0, "d": 1.0}),
                        observation_end="2025-03-31")
    # a: after 01-10 buys 02-01 and 2025-03-01 -> 2 days, revenue 50, within 365 days: yes
    # b: only a purchase on the survey day -> nothing after; c: buys 03-01 (40), returns 10
    # -> 1 purchase day, revenue 30; d: 07-01 (15). Base (surveyed by 2024-03-31): a, b, c.
    expected = pd.DataFrame({
        "respondents": np.array([2, 1, 1, 4], dtype="int64"),
        "repeat_rate": [0.5, 1.0, 1.0, 0.75],
        "purchase_days_after": [1.0, 1.0, 1.0, 1.0],
        "revenue_after": [25.0, 15.0, 30.0, 23.75],
        "retention_base": np.array([2, 0, 1, 3], dtype="int64"),
        "retention": [0.5, np.nan, 1.0, 2 / 3],
        "mean_clv": [60.0, 1.0, 5.0, 31.5],
    }, index=pd.Index(["Promoter", "Passive", "Detractor", "All respondents"], name="nps_group"))
    assert_frame_equal(got, expected)


def test_latest_answers_ties_on_date_keep_the_later_row():
    s = _survey(["a", "a"], ["2024-01-01", "2024-01-01"], [3, 9])
    assert latest_answers(s)["score"].tolist() == [9]


def test_read_survey_round_trips_the_demo_survey_file_through_the_client_config(tmp_path):
    cfg = rl.load_config(rl.datasets.write_demo(tmp_path, n_customers=300))
    survey, report = rl.read_survey(cfg.survey.data, columns=cfg.survey.columns,
                                    **cfg.survey.read)
    # write_demo adds two answers out of range (11 and -1) to make_demo's answers
    assert report.rejected_counts() == {"score out of range": 2}
    assert sorted(report.rejected["score"]) == ["-1", "11"]
    assert report.rows_read == report.rows_kept + 2
    expected = rl.make_demo(n_customers=300).survey
    assert_frame_equal(survey, expected, check_dtype=False)


def test_nps_by_segment_and_period_together():
    s = _survey(["a", "b", "a", "b"], ["2024-01-05", "2024-01-06", "2024-02-01", "2024-02-02"],
                [10, 0, 8, 9], region=["N", "S", "N", "S"])
    got = rl.nps(s, by="region", period="M")
    # Jan: N a 10 -> 100, S b 0 -> -100; Feb: N a 8 -> 0, S b 9 -> 100
    assert got.index.names == ["period", "region"]
    assert got["nps"].tolist() == [100.0, -100.0, 0.0, 100.0]


def test_nps_of_no_answers_is_a_clear_error():
    with pytest.raises(DataError, match="the survey has no answers"):
        rl.nps(_survey([], [], []))


def test_survey_scores_that_mix_decimal_marks_are_refused_naming_the_file_and_lines(tmp_path):
    # '7,5' can only be 7.5 with ',' as the mark and '8.5' only 8.5 with '.': both in one column
    path = tmp_path / "survey.csv"
    path.write_text("customer_id;date;score\nA;2024-01-05;7,5\nB;2024-01-06;8.5\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"column 'score' of survey.csv use both ',' and '\.' .*"
                                        r"line 2.*line 3"):
        rl.read_survey(path)
