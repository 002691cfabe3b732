"""Period ordinals, boundaries, labels and window conversion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from retainlib.analytics import periods as P
from retainlib.errors import ConfigError


def days(*dates: str) -> np.ndarray:
    return np.array(dates, dtype="datetime64[D]").astype(np.int64)


@pytest.mark.parametrize("period", ["W", "M", "Q", "Y"])
def test_ordinals_match_pandas_period(period):
    # pandas' own Period ordinals are the reference, over ten years of days
    d = np.arange(days("2019-12-25")[0], days("2030-01-05")[0])
    dates = pd.to_datetime(d.astype("datetime64[D]"))
    expected = dates.to_period(P.PERIOD_FREQ[period]).asi8
    np.testing.assert_array_equal(P.ordinals(d, period), expected)
    o = np.unique(expected)
    starts = pd.PeriodIndex.from_ordinals(o, freq=P.PERIOD_FREQ[period]).start_time
    np.testing.assert_array_equal(P.start_day(o, period),
                                  starts.to_numpy().astype("datetime64[D]").astype(np.int64))
    # each period ends the day before the next one starts
    np.testing.assert_array_equal(P.end_day(o, period), P.start_day(o + 1, period) - 1)


def test_boundaries_by_hand():
    # February 2024 has 29 days; Q1 2024 ends on March 31; the week of Wed 2024-01-03 runs
    # Monday Jan 1 - Sunday Jan 7
    feb = P.ordinals(days("2024-02-10"), "M")
    assert P.end_day(feb, "M")[0] == days("2024-02-29")[0]
    q1 = P.ordinals(days("2024-02-10"), "Q")
    assert P.end_day(q1, "Q")[0] == days("2024-03-31")[0]
    wk = P.ordinals(days("2024-01-03"), "W")
    assert P.start_day(wk, "W")[0] == days("2024-01-01")[0]
    assert P.end_day(wk, "W")[0] == days("2024-01-07")[0]
    # period arithmetic: March 2024 is 14 months after January 2023
    assert (P.ordinals(days("2024-03-31"), "M") - P.ordinals(days("2023-01-01"), "M"))[0] == 14


def test_labels():
    o = P.ordinals(days("2024-01-15", "2024-04-01"), "Q")
    assert [str(p) for p in P.labels(o, "Q")] == ["2024Q1", "2024Q2"]
    w = P.labels(P.ordinals(days("2024-01-03"), "W"), "W")
    assert P.short_label(w[0]) == "2024-01-01"
    assert P.short_label(P.labels(P.ordinals(days("2024-05-03"), "M"), "M")[0]) == "2024-05"


@pytest.mark.parametrize("week_start", ["monday", "sunday"])
def test_week_ordinals_match_pandas_weeks_of_that_start(week_start):
    # pandas names a week by its last day: Monday weeks are W-SUN, Sunday weeks W-SAT
    freq = {"monday": "W-SUN", "sunday": "W-SAT"}[week_start]
    d = np.arange(days("2019-12-25")[0], days("2030-01-05")[0])
    expected = pd.to_datetime(d.astype("datetime64[D]")).to_period(freq).asi8
    np.testing.assert_array_equal(P.ordinals(d, "W", week_start=week_start), expected)
    o = np.unique(expected)
    starts = pd.PeriodIndex.from_ordinals(o, freq=freq).start_time
    np.testing.assert_array_equal(P.start_day(o, "W", week_start=week_start),
                                  starts.to_numpy().astype("datetime64[D]").astype(np.int64))
    np.testing.assert_array_equal(P.end_day(o, "W", week_start=week_start),
                                  P.start_day(o + 1, "W", week_start=week_start) - 1)


def test_saturday_and_sunday_share_a_monday_week_but_not_a_sunday_week():
    # 2025-01-04 is a Saturday, 2025-01-05 a Sunday (checked on a calendar).
    # Monday weeks: both fall in Mon 2024-12-30 .. Sun 2025-01-05.
    # Sunday weeks: Saturday ends Sun 2024-12-29 .. Sat 2025-01-04, Sunday starts the next.
    sat_sun = days("2025-01-04", "2025-01-05")
    monday = P.ordinals(sat_sun, "W")
    sunday = P.ordinals(sat_sun, "W", week_start="sunday")
    assert monday[0] == monday[1]
    assert sunday[1] == sunday[0] + 1
    # the label names the week's first day
    assert [str(p) for p in P.labels(monday, "W")] == ["2024-12-30/2025-01-05"] * 2
    assert [str(p) for p in P.labels(sunday, "W", week_start="sunday")] == \
        ["2024-12-29/2025-01-04", "2025-01-05/2025-01-11"]
    assert [P.short_label(p) for p in P.labels(sunday, "W", week_start="sunday")] == \
        ["2024-12-29", "2025-01-05"]
    assert P.start_day(sunday[1], "W", week_start="sunday") == days("2025-01-05")[0]


@pytest.mark.parametrize("period", ["M", "Q", "Y"])
def test_the_week_start_leaves_months_quarters_and_years_alone(period):
    d = np.arange(days("2024-12-01")[0], days("2025-03-01")[0])
    np.testing.assert_array_equal(P.ordinals(d, period, week_start="sunday"), P.ordinals(d, period))
    o = np.unique(P.ordinals(d, period))
    assert P.labels(o, period, week_start="sunday").equals(P.labels(o, period))
    np.testing.assert_array_equal(P.start_day(o, period, week_start="sunday"),
                                  P.start_day(o, period))


def test_an_unknown_week_start_is_a_config_error():
    with pytest.raises(ConfigError, match="week_start 'friday' is not supported; use 'monday' or"):
        P.ordinals(days("2025-01-04"), "W", week_start="friday")


def test_check_period():
    assert P.check_period("q") == "Q"
    with pytest.raises(ConfigError, match="period 'D' is not supported; use 'W'"):
        P.check_period("D")
    with pytest.raises(ConfigError):
        P.check_period(None)


def test_window_periods():
    # default one year; 90 days in months = 90 / 30.44 = 2.96 -> 3; 6 months offset -> 6
    assert [P.window_periods(None, p) for p in "WMQY"] == [52, 12, 4, 1]
    assert P.window_periods("90D", "M") == 3
    assert P.window_periods(pd.Timedelta(weeks=4), "W") == 4
    assert P.window_periods(pd.DateOffset(months=6), "M") == 6
    with pytest.raises(ConfigError, match="shorter than one month"):
        P.window_periods("5D", "M")
    with pytest.raises(ConfigError, match="not a duration"):
        P.window_periods("soon", "M")
    with pytest.raises(ConfigError, match="not a window"):
        P.window_periods(True, "M")


@pytest.mark.parametrize("module", ["retainlib.analytics.periods", "retainlib.analytics.cohorts",
                                    "retainlib.analytics.kpis"])
def test_docstring_examples_run(module):
    # the worked examples in the docstrings (CRR example, cohort table) are part of the docs
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
