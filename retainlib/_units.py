"""Time units and calendar periods: how long each one is and what it is called (the one table).

Two families of codes are used across retainlib:

* **time units** of the customer summaries and the CLV models ('D', 'W', 'M',
  'Y'): times are calendar days divided by the unit's length in days, with a
  month a twelfth of a Julian year (365.25 / 12 = 30.4375 days);
* **calendar periods** of cohorts and KPIs ('W' = weeks, Monday to Sunday or
  Sunday to Saturday by the week start, 'M' = calendar months, 'Q' = calendar
  quarters, 'Y' = calendar years), with the pandas frequency of each and its
  mean length in days.

Every length, name and frequency of these codes is defined here and nowhere
else; the analytics, the report and the plots import them.
"""

from __future__ import annotations

from retainlib.errors import ConfigError

__all__ = [
    "DAYS_PER_MONTH",
    "DAYS_PER_YEAR",
    "PERIOD_DAYS",
    "PERIOD_FREQ",
    "PERIOD_NAMES",
    "PERIODS_PER_YEAR",
    "TIME_UNITS",
    "UNIT_NOUNS",
    "UNIT_WORDS",
    "WEEK_ORDINAL",
    "WEEK_STARTS",
    "check_period",
    "check_week_start",
    "convert",
    "days_per",
    "period_freq",
    "period_name",
]

#: Days in a Julian year, the year of every time unit and period.
DAYS_PER_YEAR = 365.25
#: Length of one month in days (a Julian year / 12).
DAYS_PER_MONTH = DAYS_PER_YEAR / 12.0

#: Length in days of each time unit of the customer summaries.
TIME_UNITS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": DAYS_PER_MONTH, "Y": DAYS_PER_YEAR}
#: Plural words of the time units, for labels ("every 3 weeks").
UNIT_WORDS: dict[str, str] = {"D": "days", "W": "weeks", "M": "months", "Y": "years"}
#: The catalogue's counted noun of each time unit (``retainlib.i18n.count_of(3, 'week')``).
UNIT_NOUNS: dict[str, str] = {"D": "day", "W": "week", "M": "month", "Y": "year"}

#: Supported calendar periods and their pandas frequency.
PERIOD_FREQ: dict[str, str] = {"W": "W-SUN", "M": "M", "Q": "Q-DEC", "Y": "Y-DEC"}
#: First day of a week -> pandas frequency of the weeks (a week is named by its last day).
WEEK_STARTS: dict[str, str] = {"monday": "W-SUN", "sunday": "W-SAT"}
#: Week start -> (shift, offset): a week's ordinal is (day + shift) // 7 + offset (day: days
#: since 1970-01-01, a Thursday), as pandas numbers W-SUN and W-SAT periods.
WEEK_ORDINAL: dict[str, tuple[int, int]] = {"monday": (3, 1), "sunday": (4, 0)}
#: Periods in one year (used to express a one-year window in periods).
PERIODS_PER_YEAR: dict[str, int] = {"W": 52, "M": 12, "Q": 4, "Y": 1}
#: Mean length of a period in days (converts day-based windows to periods).
PERIOD_DAYS: dict[str, float] = {
    "W": 7.0, "M": DAYS_PER_MONTH, "Q": DAYS_PER_YEAR / 4, "Y": DAYS_PER_YEAR,
}
#: Plain-language name of each period.
PERIOD_NAMES: dict[str, str] = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def days_per(unit: object, name: str = "time_unit") -> float:
    """Length of one time unit in days, or a ConfigError naming the valid units.

    ``name`` says where the unit came from, for the message.

    Examples
    --------
    >>> days_per("W")
    7.0
    >>> days_per("M")
    30.4375
    >>> days_per("Q")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    retainlib.errors.ConfigError: time_unit 'Q' is not supported; use one of 'D', 'W', 'M', 'Y' ...
    """
    if not isinstance(unit, str) or unit not in TIME_UNITS:
        raise ConfigError(
            f"{name} {unit!r} is not supported; use one of "
            f"{', '.join(repr(u) for u in TIME_UNITS)} (days, weeks, months, years)"
        )
    return TIME_UNITS[unit]


def convert(amount: float, unit: str, to: str) -> float:
    """``amount`` time units of ``unit`` expressed in units of ``to``.

    Examples
    --------
    >>> convert(2, "W", "D")
    14.0
    >>> convert(1, "M", "D")
    30.4375
    >>> round(convert(12, "M", "W"), 4)  # 12 months = 365.25 / 7 weeks
    52.1786
    """
    return amount * days_per(unit) / days_per(to)


def check_period(period: object) -> str:
    """Return the period code, or raise a ConfigError listing the valid ones.

    Lower case and pandas' older alias 'A' for years are accepted.

    Examples
    --------
    >>> check_period("m")
    'M'
    >>> check_period("A")
    'Y'
    """
    code = period.upper() if isinstance(period, str) else period
    if code == "A":  # pandas' older alias for years
        code = "Y"
    if code not in PERIOD_FREQ:
        raise ConfigError(
            f"period {period!r} is not supported; use 'W' (weeks), 'M' (months), "
            "'Q' (quarters) or 'Y' (years)"
        )
    return code


def period_name(period: str) -> str:
    """Plain-language name of a period code.

    Examples
    --------
    >>> period_name("M")
    'month'
    >>> period_name("q")
    'quarter'
    """
    return PERIOD_NAMES[check_period(period)]


def check_week_start(week_start: object) -> str:
    """The first day of a week ('monday', 'sunday'), or a ConfigError naming both.

    >>> check_week_start("Sunday")
    'sunday'
    """
    day = week_start.lower() if isinstance(week_start, str) else week_start
    if day not in WEEK_STARTS:
        raise ConfigError(f"week_start {week_start!r} is not supported; use 'monday' or 'sunday'")
    return day


def period_freq(period: str, week_start: str = "monday") -> str:
    """The pandas frequency of a period; weeks start on ``week_start``.

    >>> period_freq("W"), period_freq("W", "sunday"), period_freq("M", "sunday")
    ('W-SUN', 'W-SAT', 'M')
    """
    code = check_period(period)
    return WEEK_STARTS[check_week_start(week_start)] if code == "W" else PERIOD_FREQ[code]
