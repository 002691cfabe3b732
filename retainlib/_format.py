"""One set of number formats for every text retainlib shows: money, shares and counts.

Plain string formatting, no matplotlib: the report's sentences, its tables,
the portfolio page and the plots' axis formatters all format through here.
"""

from __future__ import annotations

__all__ = ["CURRENCY_SYMBOLS", "count", "currency_symbol", "format_money", "money", "percent",
           "share"]

#: ISO 4217 code -> symbol shown in charts and tables.
CURRENCY_SYMBOLS: dict[str, str] = {
    "ILS": "₪",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CHF": "CHF ",
    "CAD": "C$",
    "AUD": "A$",
}


def currency_symbol(currency: str | None) -> str:
    """The symbol of an ISO currency code ('ILS' -> '₪'); unknown codes show as 'XYZ '.

    >>> currency_symbol("ILS"), currency_symbol("nok"), currency_symbol(None)
    ('₪', 'NOK ', '')
    """
    if not currency:
        return ""
    return CURRENCY_SYMBOLS.get(currency.upper(), f"{currency.upper()} ")


def format_money(value: float, currency: str | None = None, *, decimals: int = 0) -> str:
    """An amount with thousands separators and the currency symbol, in full.

    >>> format_money(1234567.891, "ILS")
    '₪1,234,568'
    >>> format_money(-45.5, "USD", decimals=2)
    '-$45.50'
    """
    sign = "-" if value < 0 else ""
    return f"{sign}{currency_symbol(currency)}{abs(value):,.{decimals}f}"


def money(value: float, currency: str | None = None) -> str:
    """An amount for a sentence: millions with one decimal ('₪1.2M'), else whole units.

    >>> money(1_234_567, "ILS"), money(45_300.4, "USD"), money(-120, "EUR")
    ('₪1.2M', '$45,300', '-€120')
    """
    sign, v = ("-" if value < 0 else ""), abs(value)
    text = f"{v / 1e6:,.1f}M" if v >= 1e6 else f"{v:,.0f}"
    return f"{sign}{currency_symbol(currency)}{text}"


def percent(share: float | None, digits: int = 0) -> str:
    """A share stored as a fraction, as a percentage ('' for a missing share).

    >>> percent(0.256), percent(0.256, 1), percent(None)
    ('26%', '25.6%', '')
    """
    return "" if share is None else f"{100 * share:.{digits}f}%"


def share(value: float) -> str:
    """A share in a sentence: whole percents, one decimal below 10% or where 100% would be wrong.

    >>> share(0.74), share(0.091), share(0.996), share(1.0)
    ('74%', '9.1%', '99.6%', '100%')
    """
    text = f"{value:.0%}"
    if (0 < value < 0.095 and value * 100 != round(value * 100)) or (text == "100%" and value < 1):
        text = f"{value:.1%}"
    return text


def count(n: int) -> str:
    """A count with thousands separators.

    >>> count(20000)
    '20,000'
    """
    return f"{int(n):,}"
