"""The one time-unit and period table."""

import pytest

from retainlib._units import check_period, convert, days_per, period_name
from retainlib.errors import ConfigError


def test_days_per_unit():
    assert [days_per(u) for u in "DWMY"] == [1.0, 7.0, 30.4375, 365.25]  # a month is 365.25 / 12


def test_convert_months_to_weeks():
    assert convert(12, "M", "W") == pytest.approx(365.25 / 7, abs=1e-12)
    assert convert(52, "W", "D") == 364.0


@pytest.mark.parametrize("unit", ["Q", "w", None])
def test_unknown_unit_is_a_config_error_naming_the_units(unit):
    with pytest.raises(ConfigError, match=r"use one of 'D', 'W', 'M', 'Y' \(days, weeks"):
        days_per(unit)


def test_periods_and_their_names():
    assert [period_name(p) for p in "wmqA"] == ["week", "month", "quarter", "year"]
    with pytest.raises(ConfigError, match="period 'D' is not supported"):
        check_period("D")
