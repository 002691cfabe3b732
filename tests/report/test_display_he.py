"""The display blocks of a Hebrew report: every word in Hebrew, every number in its order.

The Hebrew demo (400 customers; ``write_demo(language="he")`` writes its export with Hebrew
regions and channels and ``language: he``) is analysed once for the module; every display
block is rendered and its visible text searched for Latin words beyond the accepted
abbreviations (:data:`tests.test_i18n.LATIN_ALLOWED`), the models' parameter symbols and the
client's own data. Small hand-made tables check the right-to-left layout of the cells.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import retainlib as rl
from retainlib._format import money
from retainlib.analytics.names import value_name
from retainlib.i18n import label, text
from retainlib.output.tables import reason_text
from retainlib.report import display as show
from retainlib.report.analysis import analyse
from tests.report.test_display import _table_cells, _visible, every_block
from tests.test_i18n import LATIN_ALLOWED

_LATIN = re.compile(r"[A-Za-z][A-Za-z_]*")
_HEBREW = re.compile(r"[\u05d0-\u05ea]")


@pytest.fixture(scope="module")
def demo_he(tmp_path_factory):
    cfg = rl.write_demo(tmp_path_factory.mktemp("demo_he"), n_customers=400, language="he")
    return analyse(str(cfg), cache=tmp_path_factory.mktemp("cache") / "core.pkl")


@pytest.fixture(scope="module")
def blocks(demo_he):
    """Every display block of the Hebrew demo, by name ('model_section:<part>' per part)."""
    return every_block(demo_he)


def _client_words(a) -> set[str]:
    """Latin words of the client's own data: its name, its file, the raw rejected rows, the
    survey's comments; the report shows them as they are."""
    own = [a.config.client, str(a.load.source)]
    own += [str(v) for v in a.load.rejected.to_numpy().ravel() if not pd.isna(v)]
    if a.detractors is not None and "comment" in a.detractors.columns:
        own += [str(v) for v in a.detractors["comment"].dropna()]
    return {w for s in own for w in _LATIN.findall(s)}


def _symbols(a) -> set[str]:
    """The purchase and spend models' parameter symbols (r, a, b; p, q, v), as in the papers."""
    return {str(p) for m in (a.bgnbd, a.gamma_gamma) for p in m.summary().index if len(p) == 1}


def test_a_hebrew_report_is_in_hebrew(demo_he):
    assert demo_he.lang == "he"


def test_every_display_block_of_a_hebrew_report_has_no_english_words(demo_he, blocks):
    allowed = LATIN_ALLOWED | _client_words(demo_he) | _symbols(demo_he)
    left = {name: sorted(set(_LATIN.findall(_visible(b))) - allowed) for name, b in blocks.items()}
    assert {name: words for name, words in left.items() if words} == {}


def test_hebrew_far_outweighs_latin_in_the_text_blocks(blocks):
    html_blocks = [b for b in blocks.values() if b is not None and not hasattr(b, "savefig")]
    text_ = " ".join(_visible(b) for b in html_blocks)
    assert len(_HEBREW.findall(text_)) > 10 * len(re.findall(r"[A-Za-z]", text_))


def test_no_iso_date_is_shown_in_a_hebrew_block(blocks):
    for name, b in blocks.items():
        assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", _visible(b)) is None, name


def test_the_retention_table_names_its_periods_in_hebrew_months(demo_he):
    rows = _table_cells(str(show.kpi_table(demo_he)))
    last = str(demo_he.kpis.index[-1])  # e.g. '2025-12' -> 'דצמבר 2025'
    month = text(f"format.month_{int(last[5:7])}", "he")
    assert rows[0][label("period", "he")] == f"{month} {last[:4]}"


def test_segment_tables_name_the_rfm_segments_and_the_total_row_in_hebrew(demo_he):
    text_ = _visible(show.segment_overview(demo_he))
    assert value_name("rfm_segment", "Champions", "he") in text_
    assert value_name("rfm_segment", "All customers", "he") in text_
    assert "Champions" not in text_ and "All customers" not in text_


def test_the_campaign_and_scenario_rows_are_hebrew_sentences(demo_he):
    text_ = _visible(show.economics(demo_he))
    assert text("sections.scenarios_heading", "he") in text_
    assert text("sections.scenario_today", "he") in text_
    lifts = [lift for lift in demo_he.economics["scenarios"].index if lift]  # e.g. 0.05
    assert lifts
    for lift in lifts:  # 0.05 -> 'שימור גבוה ב-5 נקודות אחוז (לפי המודל, ל-12 חודשים)'
        assert text("sections.scenario_lift", "he", points=f"{lift * 100:g}",
                    horizon="12") in text_


def test_data_quality_names_the_rejected_rows_reasons_in_hebrew(demo_he):
    text_ = _visible(show.data_quality(demo_he))
    # the demo's file has a few bad rows: a blank id, an impossible date, a total row...
    reasons = set(demo_he.load.rejected["reason"])
    assert reasons
    for reason in reasons:
        # the words of rejected_rows.csv (retainlib.output.tables.reason_text)
        assert reason_text(reason, "he") in text_ and reason not in text_, reason
    assert "שורות שנקראו" in text_ and "rows read" not in text_


# ------------------------------------------------------------------ hand-made tables


def test_a_hebrew_table_aligns_text_right_and_keeps_signed_numbers_left_to_right():
    df = pd.DataFrame({"customers": [1200], "nps": [-27.4], "revenue": [-1234.4],
                       "first_purchase": [pd.Timestamp("2025-01-05")]},
                      index=pd.Index(["צפון"], name="region"))
    block = str(show.table(df, currency="ILS", lang="he"))
    heads = re.findall(r"<th(?: [^>]*)?>([^<]*)</th>", block.split("<tbody>")[0])
    assert heads == [label(c, "he") for c in ("region", *df.columns)]
    assert '<th style="text-align:right">צפון</th>' in block  # the row name at the start
    assert '<bdi dir="ltr">1,200</bdi>' in block
    assert '<bdi dir="ltr">-27</bdi>' in block  # -27.4 rounds to -27, its sign before it
    # a Hebrew amount keeps the direction marks that place its sign and ₪ (CLDR he_IL)
    assert f'<td style="white-space:nowrap">{money(-1234.4, "ILS", "he")}</td>' in block
    assert '<bdi dir="ltr">05.01.2025</bdi>' in block  # dd.mm.yyyy, not 2025-01-05
    assert "text-align:left" not in block


def test_a_signed_number_inside_a_hebrew_cell_keeps_its_sign_in_front():
    df = pd.DataFrame({"nps_range": ["+3 עד +40", "-59 עד +37"]})
    block = str(show.table(df, lang="he"))
    assert '<bdi dir="ltr">+3</bdi> עד <bdi dir="ltr">+40</bdi>' in block
    assert '<bdi dir="ltr">-59</bdi> עד <bdi dir="ltr">+37</bdi>' in block


def test_a_shortened_hebrew_table_says_how_many_rows_it_shows_in_hebrew():
    df = pd.DataFrame({"customers": [1, 2, 3]}, index=pd.Index(list("abc"), name="customer_id"))
    block = str(show.table(df, rows=2, caption="לקוחות (כולם בקובץ at_risk.csv)", lang="he"))
    # 3 rows, 2 shown: one bracket, the counts isolated
    assert ('<p class="caption">לקוחות (כולם בקובץ at_risk.csv; <bdi dir="ltr">2</bdi> השורות '
            'הראשונות מתוך <bdi dir="ltr">3</bdi>)</p>') in block


def test_an_english_table_has_no_isolation_marks():
    df = pd.DataFrame({"nps": [-27.4], "revenue": [-1234.4]}, index=pd.Index(["North"],
                                                                                name="region"))
    block = str(show.table(df, currency="ILS"))
    assert "<bdi" not in block and "text-align:right" not in block
    assert "<td style=\"white-space:nowrap\">-27</td>" in block
