"""Cohort and KPI plots on the Agg backend: what is drawn, on which Axes, and input checks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import retainlib as rl
from retainlib.errors import DataError
from retainlib.plots import plot_cohort_heatmap, plot_kpi_trends, plot_retention_curves
from tests.support import five_customers

END = "2024-04-30"


def new_ax() -> Axes:
    return Figure().add_subplot()


def cell_texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_heatmap_annotates_every_observed_cell_as_percent():
    table = rl.cohort_table(five_customers(), observation_end=END)
    ax = new_ax()
    assert plot_cohort_heatmap(table, ax=ax) is ax
    # observed cells: Jan 4 + Feb 3 + Mar 2 = 9 annotations, rates from the hand-computed table
    # (Jan 100% 50% 0% 50%; Feb 100% 50% 50%; Mar 100% 0%)
    assert sorted(cell_texts(ax)) == sorted(
        ["100%", "50%", "0%", "50%", "100%", "50%", "50%", "100%", "0%"])
    assert len(ax.collections) == 1  # one QuadMesh
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["2024-01 (n=2)", "2024-02 (n=2)", "2024-03 (n=1)"]


def test_heatmap_marks_partial_cells_and_formats_currency():
    table = rl.cohort_table(five_customers(), value="revenue", normalize=False)
    ax = plot_cohort_heatmap(table, ax=new_ax(), currency="ILS")
    texts = cell_texts(ax)
    # April (partial, data end 2024-04-15) cells: Jan age 3 = 30, Feb age 2 = 70, Mar age 1 = 0
    assert sorted(t for t in texts if t.endswith("*")) == ["₪0*", "₪30*", "₪70*"]
    assert "₪110" in texts and "-₪20" in texts
    assert "partial period 2024-04" in ax.get_xlabel()


def test_heatmap_standalone_figure_without_pyplot():
    table = rl.cohort_table(five_customers(), observation_end=END)
    before = plt.get_fignums()
    ax = plot_cohort_heatmap(table)
    assert isinstance(ax, Axes) and ax.figure is not None
    assert plt.get_fignums() == before  # no pyplot figure was created


def test_heatmap_rejects_bad_input_before_drawing():
    ax = new_ax()
    seg = rl.cohort_table(five_customers(), by="region")
    with pytest.raises(DataError, match=r"table.loc\['<segment>'\]"):
        plot_cohort_heatmap(seg, ax=ax)
    with pytest.raises(DataError, match="expects a pandas DataFrame"):
        plot_cohort_heatmap([[1, 0.5]], ax=ax)
    with pytest.raises(DataError, match="cohort table"):
        plot_cohort_heatmap(pd.DataFrame({"size": [1], "x": ["a"]}), ax=ax)
    assert len(ax.collections) == 0 and len(ax.texts) == 0
    # one segment of a by= table draws fine
    plot_cohort_heatmap(seg.loc["North"], ax=ax)
    assert len(ax.texts) > 0


def test_retention_curves_one_line_per_cohort_plus_average():
    table = rl.cohort_table(five_customers(), observation_end=END)
    ax = new_ax()
    assert plot_retention_curves(table, ax=ax) is ax
    assert len(ax.lines) == 3 + 1  # three cohorts + the weighted average
    avg = ax.lines[-1]
    # weighted average from the hand computation in test_cohorts: 1, 0.4, 0.25, 0.5
    np.testing.assert_allclose(avg.get_ydata(), [1.0, 0.4, 0.25, 0.5])
    assert avg.get_linewidth() > ax.lines[0].get_linewidth()


def test_retention_curves_drop_partial_cells_by_default():
    table = rl.cohort_table(five_customers(), normalize=False)  # April partial
    ax = plot_retention_curves(table, ax=new_ax())
    jan = ax.lines[0].get_ydata()
    # Jan cohort: 1, 0.5, 0 observed in complete months; April (age 3) is partial -> NaN
    np.testing.assert_allclose(jan, [1.0, 0.5, 0.0, np.nan])
    np.testing.assert_allclose(ax.lines[-1].get_ydata(), [1.0, 0.5, 0.0])


def test_retention_curves_reject_revenue_table():
    ax = new_ax()
    with pytest.raises(DataError, match="value='customers'"):
        plot_retention_curves(rl.revenue_retention(five_customers()), ax=ax)
    assert len(ax.lines) == 0


def test_kpi_trends_line_bars_and_partial_marker():
    k = rl.retention_kpis(five_customers(), active_window=1)  # April partial
    ax = new_ax()
    assert plot_kpi_trends(k, ax=ax, secondary="revenue", currency="ILS") is ax
    assert len(ax.lines) == 1
    y = ax.lines[0].get_ydata()
    # CRR Jan NaN, Feb 0.5, Mar 1/3; the partial April point is not on the line
    np.testing.assert_allclose(y, [np.nan, 0.5, 1 / 3, np.nan])
    assert len(ax.collections) == 1  # hollow marker of the partial period
    twin = [a for a in ax.figure.axes if a is not ax]
    assert len(twin) == 1 and len(twin[0].patches) == 4  # one revenue bar per month
    assert twin[0].yaxis.get_major_formatter()(1_250_000, 0) == "₪1.25M"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024-01", "2024-02", "2024-03",
                                                            "2024-04"]


def test_kpi_trends_without_secondary_and_bad_input():
    k = rl.retention_kpis(five_customers(), active_window=1, observation_end=END)
    ax = new_ax()
    plot_kpi_trends(k, ax=ax, rate="churn_rate", secondary=None)
    assert len(ax.figure.axes) == 1 and len(ax.lines) == 1
    ax2 = new_ax()
    with pytest.raises(DataError, match="rate='revenue' is not a rate"):
        plot_kpi_trends(k, ax=ax2, rate="revenue")
    with pytest.raises(DataError, match="secondary='crr'"):
        plot_kpi_trends(k, ax=ax2, secondary="crr")
    with pytest.raises(DataError, match="needs column"):
        plot_kpi_trends(k.drop(columns="base_complete"), ax=ax2)
    with pytest.raises(DataError, match="one segment"):
        plot_kpi_trends(rl.retention_kpis(five_customers(), by="region"), ax=ax2)
    assert len(ax2.lines) == 0 and len(ax2.figure.axes) == 1


def test_heatmap_partial_marks_survive_column_slicing():
    table = rl.cohort_table(five_customers())  # April partial: Jan age 3, Feb age 2, Mar age 1
    ax = plot_cohort_heatmap(table.iloc[:, :3], ax=new_ax())  # size, ages 0 and 1
    # only the March cohort's age-1 cell is in April; the Jan/Feb age-1 cells are complete
    assert [t for t in cell_texts(ax) if t.endswith("*")] == ["0%*"]


def test_kpi_trend_labels_are_words_from_the_catalogue():
    # the legend and axes say "Customer retention rate" and "Active customers", not CRR or
    # active_customers; the bar axis counts with thousands separators
    kpis = pd.DataFrame({"crr": [0.5, 0.6], "active_customers": [1200, 5000],
                         "partial": [False, False], "base_complete": [True, True]},
                        index=pd.period_range("2024-01", periods=2, freq="M"))
    ax = plot_kpi_trends(kpis)
    twin = [a for a in ax.figure.axes if a is not ax][0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Customer retention rate"]
    assert ax.get_ylabel() == "Customer retention rate"
    assert twin.get_ylabel() == "Active customers"
    assert twin.yaxis.get_major_formatter()(5000, 0) == "5,000"


def test_kpi_trends_draws_no_rate_in_the_warm_up_but_keeps_its_band():
    # active_window=2: Jan and Feb are warm-up (base incomplete; Feb's CRR reads 100%),
    # Mar is complete (CRR 0.75), April is partial (CRR 1.0, hollow marker)
    k = rl.retention_kpis(five_customers(), active_window=2)
    assert k["base_complete"].tolist() == [False, False, True, True]
    ax = plot_kpi_trends(k, ax=new_ax(), secondary=None)
    y = ax.lines[0].get_ydata()
    np.testing.assert_allclose(y, [np.nan, np.nan, 0.75, np.nan])  # no point in Jan, Feb
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Warm-up (base incomplete)" in legend
    assert len(ax.patches) == 1  # the shaded band
    # drawn rates 0.75 and 1.0: bottom min(0.80, 0.70) = 0.70, top min(1, 1.05) = 1.0
    assert ax.get_ylim() == pytest.approx((0.70, 1.0))


def test_kpi_trends_y_axis_does_not_exaggerate_a_one_point_fall():
    # 96% falling to 95%: the axis starts at 80% (the lower of 80% and 95% - 5 points),
    # not just below 95%, and ends at 100%
    kpis = pd.DataFrame({"crr": [0.20, 0.96, 0.95], "partial": [False] * 3,
                         "base_complete": [False, True, True]},
                        index=pd.period_range("2024-01", periods=3, freq="M"))
    ax = plot_kpi_trends(kpis, ax=new_ax(), secondary=None)
    assert ax.get_ylim() == pytest.approx((0.80, 1.0))  # the warm-up 20% does not count
    # a lower series: 62% to 70% -> 57% rounded down to 55%, 75% on top
    kpis["crr"] = [np.nan, 0.62, 0.70]
    ax = plot_kpi_trends(kpis, ax=new_ax(), secondary=None)
    assert ax.get_ylim() == pytest.approx((0.55, 0.75))


def test_retention_curves_axis_names_a_share():
    table = rl.cohort_table(five_customers(), observation_end=END)
    ax = plot_retention_curves(table, ax=new_ax())
    assert ax.get_ylabel() == "Share of the cohort buying"
    assert ax.yaxis.get_major_formatter()(0.4, 0) == "40%"
