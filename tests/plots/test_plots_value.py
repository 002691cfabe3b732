"""Pareto, Lorenz and ABC charts (Agg backend, set in conftest)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import retainlib as rl
from retainlib import plots
from retainlib.errors import DataError


@pytest.fixture
def revenue():
    """10 customers with net revenue 100, 200, ..., 1000 (total 5500)."""
    return pd.Series(100.0 * np.arange(1, 11), index=[f"c{i:02d}" for i in range(1, 11)])


def new_ax():
    return Figure().add_subplot()


def test_plot_pareto_draws_curve_diagonal_and_80_20_point(revenue):
    table = rl.pareto_table(revenue)
    ax = new_ax()
    out = plots.plot_pareto(table, ax=ax)
    assert out is ax
    curve, diagonal = ax.lines[0], ax.lines[1]
    # curve starts at (0, 0) and runs through every customer: (k/10, cumulative share)
    np.testing.assert_allclose(curve.get_xdata(), np.arange(11) / 10)
    np.testing.assert_allclose(curve.get_ydata()[1:], table["cum_revenue_share"])
    np.testing.assert_allclose(diagonal.get_xydata(), [[0, 0], [1, 1]])
    # top 20% = 2 customers = (1000 + 900) / 5500 = 34.5%
    point = ax.collections[0].get_offsets()[0]
    np.testing.assert_allclose(point, [0.2, 1900 / 5500])
    assert "Top 20% of customers\nbring 35% of revenue" in [t.get_text() for t in ax.texts]
    # Gini of 100..1000: sum_i i*x_i = 100*(1+4+9+...+100) = 38500, G = 77000/55000 - 1.1 = 0.3
    assert ax.get_legend().get_texts()[0].get_text() == "Customers, largest first (Gini 0.30)"


def test_plot_pareto_from_transactions_without_ax_uses_no_pyplot(revenue):
    tx = pd.DataFrame({"customer_id": pd.array(list(revenue.index), dtype="str"),
                       "amount": revenue.to_numpy(),
                       "date": pd.Timestamp("2024-01-01")})
    before = plt.get_fignums()
    ax = plots.plot_pareto(tx, mark=0.5)
    assert isinstance(ax, Axes) and isinstance(ax.figure, Figure)
    assert plt.get_fignums() == before
    # top 50% = 5 customers = (1000+900+800+700+600) / 5500 = 4000/5500
    np.testing.assert_allclose(ax.collections[0].get_offsets()[0], [0.5, 4000 / 5500])


def test_plot_pareto_thins_long_curves_but_keeps_both_ends():
    big = pd.Series(np.arange(1.0, 20_001.0), index=[f"k{i:05d}" for i in range(20_000)])
    ax = plots.plot_pareto(big, ax=new_ax(), show_gini=False)
    x, y = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    assert len(x) <= 4000
    assert (x[0], y[0], x[-1], y[-1]) == (0.0, 0.0, 1.0, 1.0)


@pytest.mark.parametrize("mark", [0, 1, 1.5, "0.2", True])
def test_plot_pareto_checks_arguments_before_drawing(revenue, mark):
    ax = new_ax()
    with pytest.raises(DataError, match="mark"):
        plots.plot_pareto(rl.pareto_table(revenue), ax=ax, mark=mark)
    assert not ax.lines and not ax.collections


def test_plot_pareto_bad_data_and_ax(revenue):
    ax = new_ax()
    with pytest.raises(DataError, match="'revenue' column"):
        plots.plot_pareto(pd.DataFrame({"x": [1.0]}), ax=ax)
    with pytest.raises(DataError, match="needs column"):
        plots.plot_pareto(rl.pareto_table(revenue).drop(columns="revenue"), ax=ax)
    assert not ax.lines
    with pytest.raises(DataError, match="ax must be a matplotlib Axes"):
        plots.plot_pareto(revenue, ax="not an axes")


def test_plot_lorenz_matches_curve_and_gini(revenue):
    ax = new_ax()
    assert plots.plot_lorenz(revenue, ax=ax) is ax
    curve = rl.lorenz_curve(revenue)
    np.testing.assert_allclose(ax.lines[0].get_xydata(), curve.to_numpy())
    # Gini from twice the shaded area equals rl.gini: 0.30 (see the Pareto test)
    assert "Gini 0.30" in ax.get_legend().get_texts()[0].get_text()
    assert rl.gini(revenue) == pytest.approx(0.3)
    with pytest.raises(DataError, match="Lorenz curve"):
        plots.plot_lorenz(curve.iloc[::-1], ax=new_ax())


def test_plot_abc_bars_are_the_class_shares(revenue):
    classes = rl.abc_classes(revenue)
    # ranked 1000, 900, ..., 100 of 5500. Share brought by the customers ranked above:
    # 1000: 0, 900: .182, 800: .345, 700: .491, 600: .618, 500: .727 -> A (6 customers, 4500);
    # 400: .818, 300: .891, 200: .945 -> B (3 customers, 900); 100: .982 -> C (1 customer, 100)
    summary = rl.abc_summary(classes)
    assert summary["customers"].tolist() == [6, 3, 1]
    ax = new_ax()
    assert plots.plot_abc(classes, ax=ax, currency="ILS") is ax
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, [0.6, 0.3, 0.1, 4500 / 5500, 900 / 5500, 100 / 5500])
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["A\n6 customers · ₪4.5K", "B\n3 customers · ₪900", "C\n1 customer · ₪100"]
    # the summary itself is accepted too, with the same bars
    ax2 = plots.plot_abc(summary, ax=new_ax())
    assert [p.get_height() for p in ax2.patches] == heights


def test_plot_abc_rejects_other_frames():
    ax = new_ax()
    with pytest.raises(DataError, match="plot_abc needs column"):
        plots.plot_abc(pd.DataFrame({"share": [0.5]}), ax=ax)
    assert not ax.patches
