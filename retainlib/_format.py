"""One set of number formats for every text retainlib shows, and which format each column takes.

Plain string formatting, no matplotlib: the report's sentences, its tables,
the portfolio page and the plots format through here, so the same figure
prints the same everywhere.

The formats follow the kind of number:

========  ==============================================  =====================
kind      rule                                            example
========  ==============================================  =====================
count     whole number, thousands separators              ``20,000``
money     currency symbol, whole units, separators, in    ``₪1,988,266``
          full (never ₪1.2M), in tables and sentences
rate      percent with one decimal (retention, churn:     ``46.6%``
          a point of difference matters)
share     whole percent; one decimal below 10% and near   ``74%``, ``9.1%``
          100% (:func:`share`)
chance    one customer's probability: whole percent,      ``34%``, ``below 1%``
          ``below 1%`` under 0.5%
points    a number already in percent, whole              ``37%``
change    a signed number already in percent, whole       ``-57%``, ``+76%``
nps       signed whole number                             ``+19``, ``-27``, ``0``
duration  one decimal (none when whole), with its unit    ``13 weeks``, ``19.4 weeks``
number    one decimal                                     ``1.5``
ratio     two significant decimals with a times sign      ``2.1×``
estimate  four significant digits, never an exponent      ``0.04407``, ``224.0``
score     whole number without separators                 ``7``
date      ISO date                                        ``2025-12-31``
flag      ``yes`` / ``no``                                ``yes``
text      as it is                                        ``North``
========  ==============================================  =====================

Money has one style in the whole report: amounts in full, whole currency
units. A table's figures add up, and an amount in a sentence or a headline
tile is the same text as in the table it comes from. Only chart axes use
compact ticks (₪1.2M), as a scale rather than a figure.

:data:`COLUMN_KINDS` gives the kind of each canonical column name and
:func:`kind_of` decides for any other name; missing values print as ``''``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from retainlib._units import UNIT_NOUNS
from retainlib.i18n import count_of, text

__all__ = ["COLUMN_KINDS", "CURRENCY_SYMBOLS", "DURATION_UNITS", "KINDS", "chance", "count",
           "currency_symbol", "date", "duration", "estimate", "format_money", "format_value",
           "kind_of", "period_text", "money", "nps", "number", "percent", "rate", "ratio", "share",
           "signed_percent", "yes_no"]

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


def _missing(value: object) -> bool:
    """Whether ``value`` is None, NaN, NaT or pandas' NA (no pandas import needed)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT; pandas.NA raises in bool()
    except TypeError:
        return True


def currency_symbol(currency: str | None) -> str:
    """The symbol of an ISO currency code ('ILS' -> '₪'); unknown codes show as 'XYZ '.

    >>> currency_symbol("ILS"), currency_symbol("nok"), currency_symbol(None)
    ('₪', 'NOK ', '')
    """
    if not currency:
        return ""
    return CURRENCY_SYMBOLS.get(currency.upper(), f"{currency.upper()} ")


def format_money(value: float, currency: str | None = None, *, decimals: int = 0,
                 lang: str = "en") -> str:
    r"""An amount with thousands separators and the currency symbol, in full.

    English puts the symbol first ('₪1,234,568', '-$45.50'); Hebrew follows
    CLDR ``he_IL`` (Babel): the number, a no-break space, then the symbol,
    each part led by a right-to-left mark so the sign and the ₪ stay in place
    inside right-to-left text.

    >>> format_money(1234567.891, "ILS")
    '₪1,234,568'
    >>> format_money(-45.5, "USD", decimals=2), format_money(20_634_558.4999999, "ILS")
    ('-$45.50', '₪20,634,559')
    >>> format_money(-1234.4, "ILS", lang="he")
    '\u200f\u200e-1,234\xa0\u200f₪'
    """
    if _missing(value):
        return ""
    # halves round up, after float noise is cut at 6 decimals: 20,634,558.5 summed two ways
    # (…558.4999999 and …558.5000001) prints ₪20,634,559 both times
    exact = Decimal(repr(round(abs(float(value)), 6)))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    negative = value < 0 and rounded != 0  # -0.4 is "₪0", not "-₪0"
    if lang == "he":
        return _cldr_money(-rounded if negative else rounded, currency, decimals, "he_IL")
    text = f"{rounded:,.{decimals}f}"
    return f"{'-' if negative else ''}{currency_symbol(currency)}{text}"


def _cldr_money(amount: Decimal, currency: str | None, decimals: int, locale: str) -> str:
    """An already rounded amount in the locale's CLDR currency pattern, with ``decimals`` digits.

    The locale's own pattern (Babel) with its fraction part set to
    ``decimals`` digits: he_IL puts the symbol after the number. The minus is
    the locale's minus sign (he_IL: a left-to-right mark and '-', so the sign
    stays left of the digits inside right-to-left text). Without a currency
    the symbol and the space before it are left out.
    """
    from babel.numbers import format_currency, format_decimal, get_minus_sign_symbol

    minus = get_minus_sign_symbol(locale)

    fraction = "." + "0" * decimals if decimals else ""
    pattern = _currency_pattern(locale).replace(".00", fraction)
    if not currency:
        plain = re.sub(r"[\s\u200f]*¤", "", pattern.split(";")[0])
        return format_decimal(amount, format=plain, locale=locale).replace("-", minus, 1)
    code = currency.upper()
    if code in CURRENCY_SYMBOLS:  # the report's symbols (₪, $), not the locale's (US$)
        pattern = pattern.replace("¤", "'" + CURRENCY_SYMBOLS[code].strip() + "'")
    shown = format_currency(amount, code, format=pattern, locale=locale, currency_digits=False)
    return shown.replace("-", minus, 1)


@functools.cache
def _currency_pattern(locale: str) -> str:
    """The CLDR standard currency pattern of a locale (Babel's ``currency_formats['standard']``)."""
    from babel import Locale

    return Locale.parse(locale).currency_formats["standard"].pattern


def money(value: float, currency: str | None = None, lang: str = "en") -> str:
    """An amount as the report shows it everywhere: in full, whole units ('₪1,234,567').

    The one money style of tables, sentences and headline tiles (see the
    module docstring); ``''`` for a missing amount.

    >>> money(1_234_567, "ILS"), money(45_300.4, "USD"), money(-120, "EUR"), money(None)
    ('₪1,234,567', '$45,300', '-€120', '')
    """
    return format_money(value, currency, lang=lang)


def percent(share: float | None, digits: int = 0) -> str:
    """A share stored as a fraction, as a percentage ('' for a missing share).

    >>> percent(0.256), percent(0.256, 1), percent(None)
    ('26%', '25.6%', '')
    """
    if _missing(share):
        return ""
    text = f"{100 * share:.{digits}f}"
    if text.strip("-0.") == "":  # -0.0% is 0.0%
        text = text.lstrip("-")
    return f"{text}%"


def rate(value: float | None) -> str:
    """A rate where one point matters (retention, churn), with one decimal.

    >>> rate(0.4661), rate(0.96), rate(float("nan"))
    ('46.6%', '96.0%', '')
    """
    return percent(value, 1)


def share(value: float) -> str:
    """A share in a sentence: whole percents, one decimal below 10% or where 100% would be wrong.

    >>> share(0.74), share(0.091), share(0.996), share(1.0), share(None)
    ('74%', '9.1%', '99.6%', '100%', '')
    """
    if _missing(value):
        return ""
    text = f"{value:.0%}"
    if (0 < value < 0.095 and value * 100 != round(value * 100)) or (text == "100%" and value < 1):
        text = f"{value:.1%}"
    return text


def chance(value: float | None, lang: str = "en") -> str:
    r"""A probability of one customer (chance still active): whole percent, 'below 1%' under 0.5%.

    >>> chance(0.3405), chance(0.004), chance(0.006), chance(1.0), chance(None)
    ('34%', 'below 1%', '1%', '100%', '')
    >>> chance(0.004, "he")
    'פחות\xa0מ-1%'
    """
    if _missing(value):
        return ""
    return text("format.below_1pct", lang) if value < 0.005 else f"{round(100 * value)}%"


def signed_percent(points: float | None) -> str:
    """A change already in percent points, signed and whole ('+76%', '-57%', '0%').

    >>> signed_percent(75.65), signed_percent(-57.2), signed_percent(0.3)
    ('+76%', '-57%', '0%')
    """
    if _missing(points):
        return ""
    n = round(points)
    return f"{n:+d}%" if n else "0%"


def nps(value: float | None) -> str:
    """A Net Promoter Score: a signed whole number ('+19', '-27', '0').

    >>> nps(19.25), nps(-27.45), nps(0.4), nps(None)
    ('+19', '-27', '0', '')
    """
    if _missing(value):
        return ""
    n = round(value)
    return f"{n:+d}" if n else "0"


def count(n: int | float | None) -> str:
    """A count with thousands separators ('' when missing).

    >>> count(20000), count(34694.4), count(None)
    ('20,000', '34,694', '')
    """
    if _missing(n):
        return ""
    return f"{round(n):,}"


def number(value: float | None, decimals: int = 1) -> str:
    """A plain number with thousands separators and ``decimals`` decimals.

    >>> number(1.4807), number(1234.5, 0), number(None)
    ('1.5', '1,234', '')
    """
    if _missing(value):
        return ""
    text = f"{value:,.{decimals}f}"
    return text.lstrip("-") if text.strip("-0.,") == "" else text


def ratio(value: float | None) -> str:
    """How many times one figure is another ('2.1×').

    >>> ratio(2.14276), ratio(0.4667), ratio(None)
    ('2.1×', '0.47×', '')
    """
    if _missing(value):
        return ""
    return f"{value:,.1f}×" if abs(value) >= 1 else f"{value:.2f}×"


def estimate(value: float | None, digits: int = 4) -> str:
    """A model estimate with ``digits`` significant digits, never in scientific notation.

    >>> estimate(0.0440651), estimate(223.964438), estimate(3.93e-05), estimate(12345.6)
    ('0.04407', '224.0', '0.00003930', '12,346')
    """
    if _missing(value):
        return ""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:,.{decimals}f}"


def duration(value: float | None, unit: str = "W", lang: str = "en") -> str:
    """A length of time with its unit: one decimal, none when whole ('13 weeks', '19.4 weeks').

    >>> duration(13.0), duration(19.43), duration(1.0), duration(12, "M"), duration(None)
    ('13 weeks', '19.4 weeks', '1 week', '12 months', '')
    >>> duration(13.0, "W", "he"), duration(2, "M", "he"), duration(1, "Y", "he")
    ('13 שבועות', 'חודשיים', 'שנה אחת')
    """
    if _missing(value):
        return ""
    shown = round(float(value), 1)
    return count_of(int(shown) if shown.is_integer() else shown, UNIT_NOUNS.get(unit, "day"),
                    lang)


def yes_no(value: object, lang: str = "en") -> str:
    """A flag in words ('yes' / 'no'; '' when missing).

    >>> yes_no(True), yes_no(False), yes_no(None), yes_no(True, "he")
    ('yes', 'no', '', 'כן')
    """
    if _missing(value):
        return ""
    return text("format.yes" if bool(value) else "format.no", lang)


def date(value: object, lang: str = "en") -> str:
    """A calendar day: ISO in English ('2025-12-31'), day.month.year in Hebrew ('31.12.2025').

    Hebrew reports write every date one way, dd.mm.yyyy (the short date of
    Israeli business documents; CLDR he_IL writes the same order).

    >>> import datetime
    >>> date(datetime.date(2025, 1, 5)), date(datetime.date(2025, 1, 5), "he"), date(None)
    ('2025-01-05', '05.01.2025', '')
    """
    if _missing(value):
        return ""
    if not hasattr(value, "strftime"):
        return str(value)
    return value.strftime("%d.%m.%Y" if lang == "he" else "%Y-%m-%d")


def period_text(period: object, lang: str = "en", *, in_sentence: bool = False) -> str:
    """A period label of the KPI tables ('2025-12', '2025Q4', '2025', a week) as a reader writes it.

    ``in_sentence`` gives the form that follows "in" in a sentence (a week
    is 'the week of 22 December 2025'); tables use the short form.

    >>> period_text("2025-12"), period_text("2025Q4"), period_text("2025")
    ('December 2025', 'Q4 2025', '2025')
    >>> period_text("2025-12-22/2025-12-28"), period_text("2025-12-22/2025-12-28", in_sentence=True)
    ('week of 22 December 2025', 'the week of 22 December 2025')
    >>> period_text("2025-12", "he"), period_text("2025Q4", "he")
    ('דצמבר 2025', 'רבעון 4 של 2025')
    >>> period_text("2025-12-21/2025-12-27", "he")
    'השבוע שמתחיל ב-21.12.2025'
    """
    shown = "" if _missing(period) else str(period)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", shown):
        return text("format.month", lang, month=text(f"format.month_{int(m[2])}", lang), year=m[1])
    if m := re.fullmatch(r"(\d{4})Q([1-4])", shown):
        return text("format.quarter", lang, quarter=m[2], year=m[1])
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})/.*", shown):
        key = "format.week_in_sentence" if in_sentence else "format.week"
        return text(key, lang, day=int(m[3]), month=text(f"format.month_{int(m[2])}", lang),
                    year=m[1], date=f"{m[3]}.{m[2]}.{m[1]}")
    return shown


def _date(value: object, lang: str = "en") -> str:
    return date(value, lang)


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _whole(value: object) -> str:
    return "" if _missing(value) else f"{round(value):d}"


#: kind -> formatter of one value (money takes the currency, duration its unit)
KINDS: dict[str, Callable[..., str]] = {
    "count": count, "money": money, "rate": rate, "share": share, "chance": chance,
    "points": lambda v: "" if _missing(v) else f"{v:.0f}%", "change": signed_percent,
    "nps": nps, "duration": duration, "number": number, "ratio": ratio, "estimate": estimate,
    "score": _whole, "date": _date, "flag": yes_no, "text": _text,
}


#: kinds whose text has words or a style of the language (they take ``lang``)
_WORDED = frozenset({"chance", "flag", "date"})


def _names(kind: str, names: str) -> dict[str, str]:
    return dict.fromkeys(names.split(), kind)


#: The kind of number of every canonical column name (see the module docstring).
COLUMN_KINDS: dict[str, str] = {
    **_names("count", """customers orders purchases expected_purchases active_customers
             new_customers returning_customers reactivated_customers customers_start
             customers_end lost won_back won_back_year joined responses promoters passives
             detractors respondents retention_base customers_targeted customers_retained rank
             at_risk_rank at_risk_customers lapsed_customers frequency rows size"""),
    **_names("money", """revenue gross_revenue returns aov revenue_per_customer
             annual_revenue_per_customer clv mean_clv clv_total clv_mean clv_median
             expected_revenue expected_margin revenue_at_risk expected_spend expected_loss
             value_if_retained value_if_won_back expected_value revenue_after campaign_cost
             value_per_customer
             additional_value net_gain cac added_clv added_clv_per_customer monetary_value
             monetary new_customer_clv amount at_risk_expected_value lapsed_value"""),
    **_names("rate", """crr churn_rate pop_retention repeat_purchase_rate repeat_rate
             retention_12m bought_again_12m retention model_retention mean_p_alive expected_lift
             lift previous_crr average_crr chance_still_active chance_still_active_repeat"""),
    **_names("share", "customer_share revenue_share clv_share one_time_share "
                      "top20_revenue_share"),
    "p_alive": "chance",
    **_names("points", "pct_promoters pct_passives pct_detractors"),
    **_names("change", "roi_pct error_pct"),
    **_names("nps", "nps nps_low nps_high"),
    **_names("duration", "usual_gap silent_for recency T horizon_months"),
    **_names("number", "purchase_frequency purchases_if_active purchase_days_after "
                       "dropout_multiplier"),
    **_names("ratio", "clv_to_cac cac_to_clv"),
    **_names("estimate", "coef se lower_95 upper_95"),
    **_names("score", "score nps_score R F M line"),
    **_names("date", "date first_purchase last_purchase nps_date year_start year_end "
                     "observed_from observed_to"),
    **_names("flag", "partial base_complete full_year at_risk low_p_alive long_silence "
                     "valuable"),
    **_names("text", "reason at_risk_reason comment list RFM rfm_segment abc_class clv_tier "
                     "nps_group segment group scenario parameter period customer_id nps_range "
                     "year"),
    "lower 95%": "estimate", "upper 95%": "estimate",
}

#: Time unit of the duration columns that are not in the customer summary's unit.
DURATION_UNITS: dict[str, str] = {"horizon_months": "M"}

_MONEY_WORDS = ("revenue", "clv", "spend", "value", "cost", "gain", "loss", "cac", "amount")


def kind_of(name: object, dtype: object = None) -> str:
    """The kind of number of a column, from its name (and its dtype for unknown names).

    Parameters
    ----------
    name : object
        Column name; the canonical names are in :data:`COLUMN_KINDS`.
    dtype : numpy or pandas dtype, optional
        Used for names not in the table: booleans are flags, dates dates, text
        text, whole numbers counts; other numbers go by words in the name
        (``share``, ``rate``, ``revenue``...), else ``number``.

    Returns
    -------
    str
        A key of :data:`KINDS`.

    Examples
    --------
    >>> kind_of("expected_purchases"), kind_of("horizon_months"), kind_of("p_alive")
    ('count', 'duration', 'chance')
    >>> import numpy as np
    >>> kind_of("north_revenue", np.dtype("float64")), kind_of("flagged", np.dtype(bool))
    ('money', 'flag')
    """
    key = str(name)
    if key in COLUMN_KINDS:
        return COLUMN_KINDS[key]
    kind = getattr(dtype, "kind", None)
    text = str(dtype) if dtype is not None else ""
    if kind == "b" or text == "boolean":
        return "flag"
    if kind == "M" or text.startswith("datetime64"):
        return "date"
    if dtype is not None and kind not in ("i", "u", "f") and not text.startswith(("Int", "UInt",
                                                                                 "Float")):
        return "text"
    low = key.lower()
    if "share" in low:
        return "share"
    if low.startswith("pct_") or low.endswith("_pct"):
        return "points"
    if any(w in low for w in _MONEY_WORDS):
        return "money"
    if any(w in low for w in ("rate", "retention", "crr", "p_alive")):
        return "rate"
    if low.endswith("customers") or kind in ("i", "u") or text.startswith(("Int", "UInt")):
        return "count"
    return "number"


def format_value(value: object, kind: str, *, currency: str | None = None,
                 unit: str = "W", lang: str = "en") -> str:
    """One value as text in the format of its kind (see :data:`KINDS`).

    Parameters
    ----------
    value : object
        The value; missing values give ``''``.
    kind : str
        A key of :data:`KINDS` (e.g. from :func:`kind_of`).
    currency : str, optional
        ISO code of money.
    unit : str, default 'W'
        Time unit of a duration ('D', 'W', 'M', 'Y').
    lang : str, default 'en'
        Language of the words (durations, flags, 'below 1%') and of the
        money and date styles.

    Examples
    --------
    >>> format_value(20000.0, "count"), format_value(12, "duration", unit="M")
    ('20,000', '12 months')
    >>> format_value(34694.4, "money", currency="ILS"), format_value(True, "flag")
    ('₪34,694', 'yes')
    """
    if isinstance(value, str) and kind not in ("text", "date"):
        return value  # a raw text where a number was expected (a rejected row's amount)
    if kind == "money":
        return money(value, currency, lang)
    if kind == "duration":
        return duration(value, unit, lang)
    if kind in _WORDED:
        return KINDS[kind](value, lang)
    return KINDS[kind](value)
