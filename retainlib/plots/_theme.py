"""One shared look for every retainlib plot: theme, colours and axis formatters.

Nothing here touches matplotlib's global state: the theme is applied per Axes,
and a new figure is created only when the caller gives no ``ax``.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.ticker as mticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from retainlib._format import CURRENCY_SYMBOLS, currency_symbol, format_money  # noqa: F401
from retainlib.errors import DataError

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


def _compact(value: float) -> str:
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.4g}"


def currency_formatter(currency: str | None = None) -> mticker.FuncFormatter:
    """Axis formatter showing compact money values (₪1.2M, ₪350K).

    Examples
    --------
    >>> currency_formatter("ILS")(1_250_000, 0)
    '₪1.25M'
    """
    symbol = currency_symbol(currency)

    def fmt(value: float, _pos: int | None = None) -> str:
        sign = "-" if value < 0 else ""
        return f"{sign}{symbol}{_compact(abs(value))}"

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


def style_ax(ax: Axes, *, title: str | None = None, xlabel: str | None = None,
             ylabel: str | None = None, grid_axis: str = "y") -> Axes:
    """Apply the shared theme to one Axes: light grid, no top/right spines, left-aligned title."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    ax.tick_params(colors="#333333", labelsize=9)
    if grid_axis:
        ax.grid(True, axis=grid_axis, color="#e6e6e6", linewidth=0.8)
        ax.set_axisbelow(True)
    if title is not None:
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold", color="#222222")
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
