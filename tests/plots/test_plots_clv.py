"""CLV diagnostic plots (Agg backend, set in conftest): what is drawn equals the tables."""

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


def new_ax():
    return Figure().add_subplot()


@pytest.fixture(scope="module")
def cdnow(cdnow_tx):
    ch = rl.calibration_holdout(cdnow_tx, calibration_end="1997-09-30",
                                observation_end="1998-06-30")
    model = rl.BetaGeoModel().fit(ch)
    rfm = rl.rfm_summary(cdnow_tx, observation_end="1997-09-30")
    return rfm, model, rl.evaluate_holdout(model, ch, transactions=cdnow_tx)


def _bar_heights(ax):
    return np.array([p.get_height() for p in ax.patches])


def test_frequency_histogram_draws_actual_and_model_bars(cdnow):
    rfm, model, _ = cdnow
    ax = new_ax()
    assert plots.plot_frequency_histogram(rfm, model=model, ax=ax) is ax
    table = rl.frequency_table(rfm, model)
    heights = _bar_heights(ax)
    # 8 actual bars then 8 model bars; FHL (2005) Figure 1 counts 1411, 439, ..., 64
    np.testing.assert_allclose(heights[:8], [1411, 439, 214, 100, 62, 38, 29, 64])
    np.testing.assert_allclose(heights[8:], table["expected"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2", "3", "4", "5", "6",
                                                            "7+"]
    # the precomputed table draws the same
    ax2 = plots.plot_frequency_histogram(table, ax=new_ax())
    np.testing.assert_allclose(_bar_heights(ax2), heights)


def test_calibration_holdout_plot_from_result(cdnow):
    _, _, res = cdnow
    ax = plots.plot_calibration_holdout(res, ax=new_ax(), max_frequency=5)
    table = rl.holdout_by_frequency(res, max_frequency=5)
    actual, model = ax.lines
    np.testing.assert_allclose(actual.get_ydata(), table["actual"])
    np.testing.assert_allclose(model.get_ydata(), table["predicted"])
    # customers with no calibration repeat purchase bought 0.237 times each in the holdout
    # (counted in the data: 334 holdout purchases by the 1,411 customers with x = 0)
    assert actual.get_ydata()[0] == pytest.approx(334 / 1411)
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "5+"


def test_cumulative_tracking_marks_the_calibration_end(cdnow):
    _, _, res = cdnow
    before = plt.get_fignums()
    ax = plots.plot_cumulative_tracking(res)
    assert isinstance(ax, Axes) and isinstance(ax.figure, Figure)
    assert plt.get_fignums() == before  # no pyplot figure created
    actual, model, cal = ax.lines
    assert actual.get_ydata()[-1] == 4339
    assert model.get_ydata()[-1] == pytest.approx(4166, abs=1)
    np.testing.assert_allclose(cal.get_xdata(), [39.0, 39.0])
    assert "End of calibration (1997-09-30)" in [t.get_text() for t in ax.get_legend().get_texts()]
    weekly = plots.plot_cumulative_tracking(res.tracking, cumulative=False, ax=new_ax())
    np.testing.assert_allclose(weekly.lines[0].get_ydata(), res.tracking["actual"])
    assert weekly.get_xlabel() == "Time since the cohort's first purchase (weeks)"


def test_frequency_recency_heatmaps(cdnow):
    rfm, model, _ = cdnow
    ax = plots.plot_frequency_recency_matrix(rfm, model=model, ax=new_ax())
    grid = ax.images[0].get_array()
    # default grid: frequency 0..max, recency 0..floor(max T) at T = max T (38.86 weeks)
    expected = rl.frequency_recency_matrix(model, max_frequency=int(rfm["frequency"].max()),
                                           max_recency=rfm["T"].max())
    np.testing.assert_allclose(grid, expected.to_numpy())
    assert grid.shape == (39, int(rfm["frequency"].max()) + 1)
    assert ax.figure.axes[-1].get_ylabel() == "Expected purchases in the next week"
    pa = plots.plot_probability_alive_matrix(rfm, model=model, max_frequency=10, ax=new_ax())
    values = pa.images[0].get_array()
    assert values.shape == (39, 11) and values.min() >= 0 and values.max() <= 1
    assert pa.images[0].get_clim() == (0.0, 1.0)


def test_plot_arguments_checked_before_drawing(cdnow):
    rfm, model, res = cdnow
    ax = new_ax()
    with pytest.raises(DataError, match="needs a fitted model with probability_of_purchases"):
        plots.plot_frequency_histogram(rfm, ax=ax)
    with pytest.raises(DataError, match="needs column"):
        plots.plot_frequency_recency_matrix(rfm.drop(columns="T"), model=model, ax=ax)
    no_tracking = rl.HoldoutResult(res.per_customer, res.metrics)
    with pytest.raises(DataError, match="has no tracking"):
        plots.plot_cumulative_tracking(no_tracking, ax=ax)
    with pytest.raises(DataError, match="needs column"):
        plots.plot_cumulative_tracking(pd.DataFrame({"x": [1]}), ax=ax)
    ep = rl.frequency_recency_matrix(model, max_frequency=3, max_recency=5)
    with pytest.raises(DataError, match="got a matrix of 'expected_purchases'"):
        plots.plot_probability_alive_matrix(ep, ax=ax)
    with pytest.raises(DataError, match="ax must be a matplotlib Axes"):
        plots.plot_calibration_holdout(res, ax="left")
    # nothing was drawn on the Axes by the failed calls
    assert not ax.lines and not ax.patches and not ax.images
