"""The one set of number formats: money, shares and counts (expected strings written by hand)."""

from retainlib._format import count, currency_symbol, format_money, money, percent, share


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
