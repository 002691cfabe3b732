"""Charts in Hebrew (Agg backend): the words come from the catalogue and are DRAWN right to left.

matplotlib 3.11 lays text out with libraqm, which applies the Unicode bidi
algorithm itself; the catalogue strings stay in logical order. These tests
look at what is drawn: the ink of rendered strings (pixel columns) and the
glyph positions of matplotlib's own text layout, not only at the strings.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib._text_helpers import layout
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text

import retainlib as rl
from retainlib import plots
from retainlib._format import money
from retainlib.plots._theme import compact_money
from tests.support import five_customers

END = "2024-04-30"
_HEBREW_WORD = re.compile(r"[\u05d0-\u05ea'\u05f3]+")
_MARKS = "\u200e\u200f"  # left-to-right and right-to-left marks


def ink(s: str, **font) -> np.ndarray:
    """Dark pixels of ``s`` drawn alone, 30 pt, on a white 4 x 1 inch Agg canvas."""
    fig = Figure(figsize=(4, 1), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.05, 0.35, s, fontsize=30, **font)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., 0] < 128


def columns(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask.any(axis=0))


def drawn_order(s: str, bold: bool = False) -> list[str]:
    """Each line of ``s`` as its characters appear from left to right in matplotlib's layout."""
    font = get_font(findfont(FontProperties(family="DejaVu Sans",
                                            weight="bold" if bold else "normal")))
    font.set_size(10, 72)
    return ["".join(item.char for item in sorted(layout(line, font), key=lambda i: i.x)
                    if item.char not in _MARKS)
            for line in s.split("\n")]


def reads_right_to_left(s: str) -> bool:
    """Every Hebrew word of ``s`` is drawn mirrored, numbers are drawn as written, and the
    first Hebrew word of a line is drawn to the right of its last one."""
    for line, drawn in zip(s.split("\n"), drawn_order(s), strict=True):
        words = _HEBREW_WORD.findall(line)
        if not all(w[::-1] in drawn for w in words):
            return False
        if not all(d in drawn for d in re.findall(r"\d[\d,.]*\d|\d", line)):
            return False
        if len(set(words)) > 1 and drawn.find(words[0][::-1]) < drawn.find(words[-1][::-1]):
            return False
    return True


@pytest.mark.parametrize("font", [{}, {"fontweight": "bold"}])
def test_a_hebrew_word_is_drawn_with_its_first_letter_rightmost(font):
    # 'לקוח' (customer): lamed is the only letter rising above the others, qof the only one
    # going below the baseline; drawn right to left, lamed (first) is right of qof (second)
    a = ink("לקוח", **font)
    rows = np.flatnonzero(a.any(axis=1))
    top, bottom = rows.min(), rows.max()
    band = (bottom - top) // 6
    lamed = columns(a[top: top + band]).mean()
    qof = columns(a[bottom - band: bottom + 1]).mean()
    assert lamed > qof


def test_a_number_inside_hebrew_text_is_drawn_left_to_right():
    # 'מה 1,000': the comma is the only ink below the baseline. Drawn right to left with the
    # number left to right, the line reads '1,000 המ' from the left: the comma sits one digit
    # from the left edge (about 1/8 of the width). Reversed number ('000,1') or no bidi at
    # all would put it near the middle.
    a = ink("מה 1,000")
    rows = np.flatnonzero(a.any(axis=1))
    base = np.flatnonzero(ink("מה 1000").any(axis=1)).max()  # the baseline row without comma
    comma = columns(a[base + 1: rows.max() + 1]).mean()
    left, right = columns(a).min(), columns(a).max()
    assert (comma - left) / (right - left) < 0.25


def test_a_hebrew_line_is_laid_out_word_by_word_from_the_right():
    # the visual order written by hand, left to right: the last word leftmost, each word
    # mirrored, the year as written; matplotlib's layout gives exactly that
    assert drawn_order("שיעור שימור הלקוחות 2024") == ["2024 תוחוקלה רומיש רועיש"]
    assert drawn_order("סיווג ABC: שיעור", bold=True) == ["רועיש :ABC גוויס"]
    assert reads_right_to_left("שיעור שימור הלקוחות 2024")


def test_bidi_marks_of_hebrew_amounts_draw_nothing():
    # he_IL amounts carry right-to-left marks (U+200F); DejaVu Sans draws them as nothing,
    # so the ink is that of the amount without them, and no glyph is missing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for amount in (money(1234, "ILS", "he"), compact_money(-350_000, "ILS", "he")):
            assert "\u200f" in amount
            plain = amount.replace("\u200e", "").replace("\u200f", "")
            assert ink(amount).sum() == ink(plain).sum()


def test_hebrew_amounts_put_the_shekel_at_the_left_and_the_minus_before_the_digits():
    # drawn right to left, '-30 ₪' has the shekel leftmost and the minus just left of 30
    assert drawn_order(compact_money(-30, "ILS", "he")) == ["₪ -30"]
    assert drawn_order(compact_money(30, "ILS", "he")) == ["₪ 30"]
    assert drawn_order(compact_money(1_250_000, "ILS", "he")) == ["₪ ןוילימ 1.25"]


@pytest.fixture(scope="module")
def hebrew_charts(cdnow_tx):
    """Every chart in Hebrew, drawn on Agg with warnings as errors (no glyph missing)."""
    five = five_customers()
    ch = rl.calibration_holdout(cdnow_tx, calibration_end="1997-09-30",
                                observation_end="1998-06-30")
    model = rl.BetaGeoModel().fit(ch)
    rfm = rl.rfm_summary(cdnow_tx, observation_end="1997-09-30")
    evaluation = rl.evaluate_holdout(model, ch, transactions=cdnow_tx)
    revenue = pd.Series(100.0 * np.arange(1, 11), index=[f"c{i:02d}" for i in range(1, 11)])
    makers = {
        "heatmap": lambda: plots.plot_cohort_heatmap(
            rl.cohort_table(five, observation_end=END), lang="he"),
        "heatmap_revenue": lambda: plots.plot_cohort_heatmap(
            rl.cohort_table(five, value="revenue", normalize=False), currency="ILS", lang="he"),
        "curves": lambda: plots.plot_retention_curves(rl.cohort_table(five), lang="he"),
        "kpi": lambda: plots.plot_kpi_trends(rl.retention_kpis(five, active_window=2),
                                             secondary="revenue", currency="ILS", lang="he"),
        "pareto": lambda: plots.plot_pareto(revenue, lang="he"),
        "lorenz": lambda: plots.plot_lorenz(revenue, lang="he"),
        "abc": lambda: plots.plot_abc(rl.abc_classes(revenue), currency="ILS", lang="he"),
        "frequency": lambda: plots.plot_frequency_histogram(rfm, model=model, lang="he"),
        "calibration": lambda: plots.plot_calibration_holdout(evaluation, lang="he"),
        "tracking": lambda: plots.plot_cumulative_tracking(evaluation, lang="he"),
        "matrix": lambda: plots.plot_frequency_recency_matrix(rfm, model=model, t=3, lang="he"),
        "p_alive": lambda: plots.plot_probability_alive_matrix(rfm, model=model, lang="he"),
    }
    drawn = {}
    for name, make in makers.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ax = make()
            FigureCanvasAgg(ax.figure)
            ax.figure.canvas.draw()
        drawn[name] = ax
    return drawn


def texts(ax) -> list[Text]:
    return [t for t in ax.figure.findobj(Text) if t.get_visible() and t.get_text()]


def test_every_hebrew_chart_has_only_hebrew_words_and_the_accepted_abbreviations(hebrew_charts):
    latin = {name: sorted({w for t in texts(ax) for w in re.findall(r"[A-Za-z]+", t.get_text())}
                          - {"A", "B", "C", "ABC"})
             for name, ax in hebrew_charts.items()}
    assert latin == {name: [] for name in hebrew_charts}


def test_every_hebrew_text_of_every_chart_reads_right_to_left(hebrew_charts):
    # the texts are the catalogue's, in logical order (the tests below compare some of them
    # with the catalogue words); matplotlib must draw each Hebrew word mirrored, its numbers
    # as written, and its first word right of its last
    wrong = [(name, t.get_text()) for name, ax in hebrew_charts.items() for t in texts(ax)
             if not reads_right_to_left(t.get_text())]
    hebrew = [t for ax in hebrew_charts.values() for t in texts(ax)
              if _HEBREW_WORD.search(t.get_text())]
    assert wrong == [] and len(hebrew) > 60


def test_hebrew_chart_texts_carry_no_control_character_but_the_two_marks(hebrew_charts):
    controls = {(name, ch) for name, ax in hebrew_charts.items() for t in texts(ax)
                for ch in t.get_text() if unicodedata.category(ch) == "Cf" and ch not in _MARKS}
    assert controls == set()


def test_hebrew_titles_start_at_the_right_and_legends_put_the_marker_after_the_words(
        hebrew_charts):
    for name, ax in hebrew_charts.items():
        assert ax.get_title(loc="right") and not ax.get_title(loc="left"), name
    legend = hebrew_charts["pareto"].get_legend()
    renderer = legend.figure.canvas.get_renderer()
    for handle, label in zip(legend.legend_handles, legend.get_texts(), strict=True):
        assert (handle.get_window_extent(renderer).x0
                > label.get_window_extent(renderer).x1), label.get_text()


def test_english_titles_stay_at_the_left_with_the_marker_first():
    ax = plots.plot_pareto(pd.Series([100.0, 300.0]))
    assert ax.get_title(loc="left") == "Revenue concentration (Pareto curve)"
    legend = ax.get_legend()
    FigureCanvasAgg(ax.figure)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    handle, label = legend.legend_handles[0], legend.get_texts()[0]
    assert handle.get_window_extent(renderer).x1 < label.get_window_extent(renderer).x0


def test_hebrew_period_ticks_are_day_month_year(hebrew_charts):
    # five customers buy January to April 2024: months as mm.yyyy; cohort rows with their size
    kpi = hebrew_charts["kpi"]
    assert [t.get_text() for t in kpi.get_xticklabels()] == ["01.2024", "02.2024", "03.2024",
                                                             "04.2024"]
    rows = [t.get_text() for t in hebrew_charts["heatmap"].get_yticklabels()]
    assert rows == ["01.2024 (לקוחות: 2)", "02.2024 (לקוחות: 2)", "03.2024 (לקוחות: 1)"]
    # weekly cohorts by their first day: the week of 1-7 January 2024 starts on Monday the 1st
    weekly = rl.cohort_table(five_customers(), period="W", observation_end=END)
    ax = plots.plot_cohort_heatmap(weekly, lang="he")
    assert ax.get_yticklabels()[0].get_text().startswith("01.01.2024 ")


def test_hebrew_partial_period_and_calibration_end_are_dates_in_words(hebrew_charts):
    # April 2024 is partial (data end 15 April); the CDNOW calibration ends 30 September 1997
    assert hebrew_charts["heatmap_revenue"].get_xlabel() == (
        "חודשים מאז הרכישה הראשונה   (* תקופה חלקית: 04.2024)")
    legend = [t.get_text() for t in hebrew_charts["tracking"].get_legend().get_texts()]
    assert "סוף תקופת הכיול (30.09.1997)" in legend


def test_hebrew_abc_ticks_count_customers_and_amounts_in_hebrew(hebrew_charts):
    # classes of 100..1000: A = 6 customers, 4,500; B = 3, 900; C = 1 customer, 100
    labels = [t.get_text().replace("\u200f", "") for t in hebrew_charts["abc"].get_xticklabels()]
    assert labels == ["A\n6 לקוחות · 4.5 אלף ₪", "B\n3 לקוחות · 900 ₪", "C\nלקוח אחד · 100 ₪"]


def test_hebrew_pareto_point_and_gini(hebrew_charts):
    # revenue 100..1000 (5,500): the top 20% (1000 + 900) bring 1900 / 5500 = 35%
    ax = hebrew_charts["pareto"]
    assert "20% מהלקוחות המובילים\nמביאים 35% מההכנסות" in [t.get_text() for t in ax.texts]
    assert ax.get_legend().get_texts()[0].get_text() == "הלקוחות, מהגדול לקטן (מקדם ג׳יני 0.30)"


def test_hebrew_horizon_counts_its_units(hebrew_charts):
    # CDNOW summaries are in weeks; a 3-week horizon, and one week said as Hebrew says one
    scale = hebrew_charts["matrix"].figure.axes[-1].get_ylabel()
    assert scale == "רכישות צפויות באופק של 3 שבועות"
    assert hebrew_charts["matrix"].get_ylabel() == "מהרכישה הראשונה לאחרונה (שבועות)"
