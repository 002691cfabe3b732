"""The one set of number formats: money, shares and counts (expected strings written by hand)."""

import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from retainlib._format import (
    DURATION_UNITS,
    chance,
    count,
    currency_symbol,
    duration,
    estimate,
    format_money,
    format_value,
    kind_of,
    money,
    nps,
    percent,
    rate,
    ratio,
    share,
    signed_percent,
    yes_no,
)


def test_share_wording():
    # whole percents from 10% up; one decimal below (0.58% -> 0.6%) unless already whole (5%),
    # and near 100% (99.6% is not "100%")
    assert [share(x) for x in (0.74, 0.1667, 0.0058, 0.05, 0.0909, 0.996, 1.0, 0.0)] == [
        "74%", "17%", "0.6%", "5%", "9.1%", "99.6%", "100%", "0%"]


def test_money_in_full_and_in_sentences():
    assert format_money(767_543.4, "ILS") == "₪767,543"
    assert format_money(-45.5, "USD", decimals=2) == "-$45.50"
    # one money style everywhere: in full, whole units (never ₪12.8M next to ₪767,543)
    assert money(12_800_000, "ILS") == "₪12,800,000" and money(999_999, "ILS") == "₪999,999"
    assert money(-0.4, "ILS") == "₪0" and money(float("nan"), "ILS") == ""
    assert currency_symbol("chf") == "CHF " and currency_symbol("XYZ") == "XYZ "


def test_percent_and_count():
    assert percent(0.96) == "96%" and percent(0.9604, 1) == "96.0%" and percent(None) == ""
    assert count(34694.0) == "34,694"


def test_every_kind_of_number_has_its_format():
    # counts whole with separators (34,694.4 expected purchases -> 34,694), NPS signed whole
    # (19.25 -> +19), a probability of one customer whole or 'below 1%', durations with units
    assert count(34_694.4) == "34,694" and count(None) == ""
    assert nps(19.25) == "+19" and nps(-27.45) == "-27" and nps(0.4) == "0"
    assert rate(0.46612) == "46.6%" and chance(0.3405) == "34%" and chance(0.001) == "below 1%"
    assert duration(13.0) == "13 weeks" and duration(1.0) == "1 week"
    assert duration(19.43) == "19.4 weeks" and duration(12, "M") == "12 months"
    assert signed_percent(75.65) == "+76%" and signed_percent(-57.2) == "-57%"
    assert ratio(2.1428) == "2.1×" and yes_no(True) == "yes" and yes_no(False) == "no"
    # a model estimate keeps 4 significant digits and never an exponent (3.93e-05)
    assert estimate(3.93e-05) == "0.00003930" and estimate(223.9644) == "224.0"


def test_the_kind_follows_the_column_name():
    # the "Forecast over the horizon" figures: customers and purchases are counts, the
    # horizon months, the amounts money
    assert [kind_of(n) for n in ("customers", "horizon_months", "expected_purchases",
                                 "clv_total", "crr", "p_alive", "nps", "roi_pct")] == [
        "count", "duration", "count", "money", "rate", "chance", "nps", "change"]
    assert format_value(20_000.0, "count") == "20,000"
    assert format_value(12, "duration", unit=DURATION_UNITS["horizon_months"]) == "12 months"
    assert format_value(34_694.4, "money", currency="ILS") == "₪34,694"
    # an unknown name goes by its dtype, then by words in it
    assert kind_of("store_revenue", np.dtype("float64")) == "money"
    assert kind_of("vip", np.dtype(bool)) == "flag" and kind_of("note", np.dtype(object)) == "text"


@given(st.floats(-1e12, 1e12, allow_nan=False))
def test_money_is_always_in_full_with_separators(value):
    text = money(value, "ILS")
    assert re.fullmatch(r"-?₪\d{1,3}(,\d{3})*", text)
    whole = int(text.lstrip("-").replace("₪", "").replace(",", ""))
    assert abs(whole - abs(value)) <= 0.5 + 1e-6  # the nearest whole unit, halves up
    assert text.startswith("-") == (value < 0 and whole > 0)


def test_the_same_amount_prints_the_same_however_it_was_summed():
    # 20,634,558.50 as the loader's total and as a sum of segment revenues with float noise
    assert money(20_634_558.5, "ILS") == money(20_634_558.499999996, "ILS") == "₪20,634,559"
    assert money(0.5, "ILS") == "₪1" and money(2.5, "ILS") == "₪3"  # halves up, not to even
