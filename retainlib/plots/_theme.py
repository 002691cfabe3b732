"""One shared look for every retainlib plot: theme, colours, axis formatters, direction.

Nothing here touches matplotlib's global state: the theme is applied per Axes,
and a new figure is created only when the caller gives no ``ax``.

Hebrew text is handed to matplotlib in logical order, as the catalogue writes
it: matplotlib 3.11 lays text out with libraqm (HarfBuzz + SheenBidi), which
applies the Unicode bidirectional algorithm itself, so a Hebrew word is drawn
right to left and a number inside it left to right. Reordering it again
(python-bidi's ``get_display``) would reverse it back; ``tests/plots/
test_plots_hebrew.py`` checks the drawn glyph order. A line's direction is
that of its first strong letter, so every Hebrew line of the catalogue starts
with a Hebrew word.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.ticker as mticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from retainlib._format import CURRENCY_SYMBOLS, currency_symbol, format_money  # noqa: F401
from retainlib.errors import DataError
from retainlib.i18n import direction, text

#: Colour palette shared by all charts (colour-blind safe, prints well in grey).
PALETTE: tuple[str, ...] = (
    "#1f5a8a",  # primary: deep blue
    "#e08a2c",  # accent: orange
    "#4d9a6a",  # good: green
    "#c0392b",  # risk: red
    "#7f6aa6",  # purple
    "#8c8c8c",  # neutral grey
)
PRIMARY, ACCENT, GOOD, RISK = PALETTE[:4]
HEATMAP_CMAP = "Blues"


#: catalogue key of a compact amount, by its size (the first limit it reaches)
_COMPACT_KEYS = ((1e9, "charts.money_billions"), (1e6, "charts.money_millions"),
                 (1e3, "charts.money_thousands"), (0.0, "charts.money_units"))


def compact_money(value: float, currency: str | None = None, lang: str = "en") -> str:
    """A compact amount for ticks and cells: '₪1.25M', '-₪350K'; '1.25 מיליון ₪' in Hebrew.

    Three significant digits above a thousand, four below; the words, the
    minus sign and the place of the currency symbol come from the catalogue.
    A Hebrew amount starts with a right-to-left mark and its minus sign is
    a left-to-right mark and a hyphen, as CLDR he_IL writes them: drawn
    right to left it reads '30 ₪' and '-30 ₪' (the marks draw nothing).

    >>> compact_money(1_250_000, "ILS"), compact_money(-350_000, "ILS"), compact_money(90, "ILS")
    ('₪1.25M', '-₪350K', '₪90')
    >>> compact_money(-350_000, "ILS", "he").strip("\u200e\u200f").replace("\u200e", "")
    '-350 אלף ₪'
    """
    size = abs(value)
    limit, key = next((lim, k) for lim, k in _COMPACT_KEYS if size >= lim or lim == 0.0)
    number = f"{size / limit:.3g}" if limit else f"{size:.4g}"
    return text(key, lang, sign=text("charts.minus", lang) if value < 0 else "",
                symbol=currency_symbol(currency), number=number)


def currency_formatter(currency: str | None = None, lang: str = "en") -> mticker.FuncFormatter:
    """Axis formatter showing compact money values (₪1.2M, ₪350K; see :func:`compact_money`).

    Examples
    --------
    >>> currency_formatter("ILS")(1_250_000, 0)
    '₪1.25M'
    """

    def fmt(value: float, _pos: int | None = None) -> str:
        return compact_money(value, currency, lang)

    return mticker.FuncFormatter(fmt)


def count_formatter() -> mticker.StrMethodFormatter:
    """Axis formatter for counts: whole numbers with thousands separators (5,000).

    >>> count_formatter()(60000, 0)
    '60,000'
    """
    return mticker.StrMethodFormatter("{x:,.0f}")


def percent_formatter(decimals: int = 0) -> mticker.PercentFormatter:
    """Axis formatter for shares stored as fractions in [0, 1] (0.25 -> '25%')."""
    return mticker.PercentFormatter(xmax=1.0, decimals=decimals)


def get_ax(ax: Axes | None, *, figsize: tuple[float, float] = (8.0, 4.5)) -> Axes:
    """Return ``ax``, or the Axes of a new standalone Figure (no pyplot global state)."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise DataError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
        return ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def default_title(title: str | None, key: str, lang: str = "en") -> str | None:
    """The caller's title; the catalogue's text ``key`` when none is given; no title for ''.

    >>> default_title(None, "charts.p_alive_title"), default_title("", "charts.p_alive_title")
    ('Chance a customer is still active', None)
    """
    if title is None:
        return text(key, lang)
    return title or None


def is_rtl(lang: str) -> bool:
    """Whether charts in ``lang`` align their titles and legends to the right (Hebrew)."""
    return direction(lang) == "rtl"


def legend(ax: Axes, lang: str = "en", **kwargs: object):
    """``ax.legend`` in the theme: no frame; right to left (marker after the words) in Hebrew."""
    return ax.legend(frameon=False, markerfirst=not is_rtl(lang), **kwargs)


def style_ax(ax: Axes, *, title: str | None = None, xlabel: str | None = None,
             ylabel: str | None = None, grid_axis: str = "y", lang: str = "en") -> Axes:
    """Apply the shared theme to one Axes: light grid, no top/right spines, title at the start.

    The title starts where the language starts a line: at the left in
    English, at the right in Hebrew. The axes themselves keep their
    direction (see :mod:`retainlib.plots`).
    """
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    ax.tick_params(colors="#333333", labelsize=9)
    if grid_axis:
        ax.grid(True, axis=grid_axis, color="#e6e6e6", linewidth=0.8)
        ax.set_axisbelow(True)
    if title is not None:
        ax.set_title(title, loc="right" if is_rtl(lang) else "left", fontsize=12,
                     fontweight="bold", color="#222222")
    if xlabel is not None:
        ax.set_xlabel(xlabel, fontsize=10, color="#333333")
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=10, color="#333333")
    return ax


def check_columns(data: object, required: tuple[str, ...], func: str) -> None:
    """Raise a DataError naming the missing columns before anything is drawn."""
    columns = getattr(data, "columns", None)
    if columns is None:
        raise DataError(f"{func} expects a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataError(
            f"{func} needs column(s) {', '.join(map(repr, missing))}; the frame has "
            f"{', '.join(map(repr, map(str, columns)))}"
        )


Formatter = Callable[[float, int | None], str]
