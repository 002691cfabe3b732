"""The exported files in the report's language: Hebrew headers and words, English unchanged.

Every header of every export is the catalogue's label of its column (with the '(%)' or
unit suffix of :func:`retainlib.output.tables.client_table`); in Hebrew no header keeps an
English word, the flags are כן / לא, and the numbers are the same numbers as in English.
"""

from __future__ import annotations

import re

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

import retainlib as rl
from retainlib._units import UNIT_WORDS
from retainlib.analytics.names import value_name
from retainlib.i18n import has_text, label, text
from retainlib.load.survey import SURVEY_REASONS
from retainlib.load.transactions import REASONS
from retainlib.output.tables import (
    EARLY_WARNING_EXPORT,
    export_at_risk,
    export_customers,
    export_rejected,
    export_win_back,
    reason_text,
    unit_words,
    write_csv,
)
from retainlib.report.analysis import analyse, write_outputs
from tests.support import FakePurchases, FakeSpend
from tests.test_i18n import LATIN_ALLOWED

BOM = b"\xef\xbb\xbf"
NORTH, SOUTH = "צפון", "דרום"


@pytest.fixture
def tables():
    """Three customers with models, lifetime value and a survey (test_customer_file's case).

    001 is on the 'at risk' list (chance still active 0.3), 003 on the lapsed list (0.1),
    002 on neither, so at_risk.csv and win_back.csv have one row each.
    """
    tx = pd.DataFrame({
        "customer_id": pd.array(["001", "001", "002", "003"], dtype="str"),
        "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-15", "2024-03-10"]),
        "amount": [100.0, 50.0, 30.0, 200.0],
        "region": pd.array([NORTH, NORTH, SOUTH, SOUTH], dtype="str"),
    })
    rfm = rl.rfm_summary(tx, observation_end="2024-03-31")
    purchases = FakePurchases({"001": 0.3, "002": 0.9, "003": 0.1},
                              {"001": 0.1, "002": 0.01, "003": 0.5})
    spend = FakeSpend({"001": 60.0, "002": 30.0, "003": 105.0})
    survey = pd.DataFrame({"customer_id": pd.array(["001", "003"], dtype="str"),
                           "date": pd.to_datetime(["2024-01-10", "2024-03-15"]),
                           "score": np.array([3, 9], dtype="int64")})
    table = rl.customer_table(tx, rfm=rfm, purchases_model=purchases, spend_model=spend,
                              clv=pd.Series({"001": 100.0, "002": 5.0, "003": 500.0}),
                              survey=survey, observation_end="2024-03-31",
                              at_risk_options={"min_value_quantile": 0.3})
    risk = rl.at_risk(rfm, purchases, spend, min_value_quantile=0.3)
    return table, risk


def rejected_rows():
    """One rejected row per reason the loaders give, as LoadReport.rejected holds them."""
    reasons = list(dict.fromkeys([*REASONS, *SURVEY_REASONS]))
    return pd.DataFrame({
        "line": np.arange(2, 2 + len(reasons), dtype="int64"),
        "reason": pd.array(reasons, dtype="str"),
        "customer_id": pd.array(["=1+1"] + ["007"] * (len(reasons) - 1), dtype="str"),
        "date": pd.array(["31/02/2024"] * len(reasons), dtype="str"),
        "amount": pd.array(["#VALUE!"] * len(reasons), dtype="str"),
        "order_id": pd.array(["A-1"] * len(reasons), dtype="str"),
    })


def header(path) -> list[str]:
    raw = path.read_bytes()
    assert raw.startswith(BOM)  # UTF-8 with a byte-order mark: Excel reads the Hebrew right
    return raw[len(BOM):].decode("utf-8").split("\r\n", 1)[0].split(",")


def headers_of(names, lang) -> list[set[str]]:
    """Each column's possible headers: its label, with a '(%)' or a time-unit suffix."""
    units = {unit_words(u, lang) for u in UNIT_WORDS}
    return [{label(n, lang), f"{label(n, lang)} (%)", *(f"{label(n, lang)} ({u})" for u in units)}
            for n in names]


def english_words(head: str) -> list[str]:
    """The Latin words of a header that are not an accepted abbreviation (CLV, RFM, ABC...)."""
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]*", head) if w not in LATIN_ALLOWED]


def exports(tables, folder, lang):
    table, risk = tables
    folder.mkdir()
    return {
        "customers": (export_customers(table, folder / "customers.csv", lang=lang),
                      ["customer_id", *(c for c in table.columns if c != "at_risk")]),
        "at_risk": (export_at_risk(risk, folder / "at_risk.csv", lang=lang),
                    ["customer_id", *EARLY_WARNING_EXPORT]),
        "win_back": (export_win_back(risk, folder / "win_back.csv", lang=lang),
                     ["customer_id", *EARLY_WARNING_EXPORT]),
        "rejected_rows": (export_rejected(rejected_rows(), folder / "rejected_rows.csv",
                                          lang=lang), list(rejected_rows().columns)),
    }


def test_every_header_of_every_hebrew_export_is_the_catalogues_hebrew_label(tables, tmp_path):
    for name, (path, columns) in exports(tables, tmp_path / "he", "he").items():
        heads = header(path)
        assert len(heads) == len(columns), name
        wrong = [(c, h) for c, h, ok in zip(columns, heads, headers_of(columns, "he"),
                                            strict=True) if h not in ok]
        assert wrong == [], name
        # no English header is left: no Latin word but the accepted abbreviations
        assert {h: english_words(h) for h in heads if english_words(h)} == {}, name
        assert not set(heads) & {h for c in columns for h in headers_of([c], "en")[0]}, name


def test_hebrew_headers_read_as_the_catalogue_writes_them(tables, tmp_path):
    files = exports(tables, tmp_path / "he", "he")
    at_risk = header(files["at_risk"][0])
    # the id, a percentage and a duration in weeks (the catalogue's plural of 'week')
    assert at_risk[0] == "מספר לקוח"
    assert "סיכוי שעדיין פעיל (%)" in at_risk
    assert "לא קנה כבר (שבועות)" in at_risk
    assert header(files["rejected_rows"][0])[:3] == ["שורה", "סיבה", "מספר לקוח"]


def test_hebrew_flags_are_ken_and_lo_and_the_numbers_are_the_english_numbers(tables, tmp_path):
    en = exports(tables, tmp_path / "en", "en")
    he = exports(tables, tmp_path / "he", "he")
    for name in ("customers", "at_risk", "win_back"):
        read = {lang: pd.read_csv(files[name][0], encoding="utf-8-sig", dtype=str,
                                  keep_default_na=False)
                for lang, files in (("en", en), ("he", he))}
        e, h = read["en"], read["he"]
        assert e.shape == h.shape
        for i, head in enumerate(e.columns):
            words = {"yes": "כן", "no": "לא", "": ""}
            if set(e.iloc[:, i]) <= set(words) and set(e.iloc[:, i]) & {"yes", "no"}:
                # a flag: yes/no in English, כן/לא in Hebrew, row by row
                assert h.iloc[:, i].tolist() == [words[v] for v in e.iloc[:, i]], head
            elif pd.to_numeric(e.iloc[:, i], errors="coerce").notna().sum():
                # a number: the same text in both files (2 decimals of money, never 1e-05)
                assert h.iloc[:, i].tolist() == e.iloc[:, i].tolist(), head
                assert not e.iloc[:, i].str.contains("e", case=False).any(), head
    at_risk = pd.read_csv(he["at_risk"][0], encoding="utf-8-sig", dtype=str)
    assert at_risk[label("low_p_alive", "he")].tolist() == ["כן"]  # 001: chance 0.3 < 0.5


def test_english_exports_are_unchanged(tables, tmp_path):
    en = exports(tables, tmp_path / "en", "en")
    # the at-risk list's header line, word for word as the English files have always had it
    assert header(en["at_risk"][0]) == [
        "Customer ID", "Rank", "Value if kept", "Expected value", "Why",
        "Chance still active (%)", "Usually buys every (weeks)", "Silent for (weeks)",
        "Repeat purchases", "Purchases expected if still active", "Expected spend per purchase",
        "Expected purchases", "Expected loss", "Low chance still active",
        "Silent much longer than usual"]
    # the default language is English: the same bytes
    table, risk = tables
    default = tmp_path / "default"
    default.mkdir()
    assert export_customers(table, default / "c.csv").read_bytes() == \
        en["customers"][0].read_bytes()
    assert export_at_risk(risk, default / "a.csv").read_bytes() == en["at_risk"][0].read_bytes()
    # rejected_rows.csv: the loader's column names and reasons, as write_csv has always written
    assert en["rejected_rows"][0].read_bytes() == \
        write_csv(rejected_rows(), default / "r.csv", index=False).read_bytes()
    # the English unit words of the duration headers are the ones of _units
    assert {u: unit_words(u) for u in UNIT_WORDS} == UNIT_WORDS


def test_every_loader_reason_has_words_in_each_language_and_english_is_the_code():
    for reason in {*REASONS, *SURVEY_REASONS}:
        key = "analytics.reason." + reason.replace(" ", "_").replace("-", "_")
        assert has_text(key, "en") and has_text(key, "he"), reason
        assert reason_text(reason) == reason == text(key, "en")
        assert reason_text(reason, "he") == text(key, "he")
        assert english_words(reason_text(reason, "he")) == [], reason


def test_rejected_rows_in_hebrew_give_the_reason_in_hebrew_and_keep_the_cells(tmp_path):
    rows = rejected_rows()
    back = pd.read_csv(export_rejected(rows, tmp_path / "r.csv", lang="he"),
                       encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back[label("reason", "he")].tolist() == [reason_text(r, "he") for r in rows["reason"]]
    assert back[label("reason", "he")].iloc[0] == "יותר שדות מבשורת הכותרת"  # too many fields
    # the client's own cells stay as written, a formula made text
    assert back[label("customer_id", "he")].iloc[0] == "'=1+1"
    assert back[label("amount", "he")].unique().tolist() == ["#VALUE!"]
    assert back[label("line", "he")].tolist() == rows["line"].astype(str).tolist()


def test_hebrew_workbook_reads_right_to_left_with_hebrew_sheet_and_headers(tables, tmp_path):
    table, risk = tables
    he = openpyxl.load_workbook(export_customers(table, tmp_path / "he.xlsx", lang="he"))
    en = openpyxl.load_workbook(export_customers(table, tmp_path / "en.xlsx"))
    assert he.sheetnames == ["לקוחות"] and en.sheetnames == ["Customers"]
    assert he.active.sheet_view.rightToLeft and not en.active.sheet_view.rightToLeft
    heads = [c.value for c in next(he.active.iter_rows(max_row=1))]
    columns = ["customer_id", *(c for c in table.columns if c != "at_risk")]
    assert all(h in ok for h, ok in zip(heads, headers_of(columns, "he"), strict=True))
    # every number and date cell is the English cell, of the same type; flags in Hebrew words
    words = {"yes": "כן", "no": "לא"}
    for he_row, en_row in zip(he.active.iter_rows(min_row=2), en.active.iter_rows(min_row=2),
                              strict=True):
        for h, e in zip(he_row, en_row, strict=True):
            assert h.data_type == e.data_type
            if e.data_type in ("n", "d") or e.value in words:
                assert h.value == words.get(e.value, e.value)
    # dates stay date cells, shown as the Hebrew report writes them (31.12.2025)
    first = he.active.cell(row=2, column=heads.index(label("first_purchase", "he")) + 1)
    assert first.is_date and first.number_format == "dd.mm.yyyy"
    assert first.value == en.active.cell(row=2, column=2).value  # 001 first bought 2024-01-01
    assert en.active.cell(row=2, column=2).number_format == "yyyy-mm-dd"
    orders = heads.index(label("orders", "he")) + 1
    assert [c.value for c in next(he.active.iter_cols(min_col=orders, max_col=orders,
                                                      min_row=2))] == [2, 1, 1]  # as tx has
    lists = openpyxl.load_workbook(export_win_back(risk, tmp_path / "w.xlsx", lang="he"))
    assert lists.sheetnames == ["החזרת לקוחות"]
    assert openpyxl.load_workbook(export_at_risk(risk, tmp_path / "a.xlsx", lang="he")
                                  ).sheetnames == ["לקוחות בסיכון"]


def test_hebrew_files_name_the_segments_and_lists_in_hebrew(tables, tmp_path):
    table, _ = tables
    he = exports(tables, tmp_path / "he", "he")
    back = pd.read_csv(he["customers"][0], encoding="utf-8-sig", dtype=str,
                       keep_default_na=False).set_index(label("customer_id", "he"))
    # the lists of the fixture: 001 at risk, 002 none, 003 lapsed
    assert back[label("early_warning", "he")].tolist() == [
        value_name("early_warning", "at risk", "he"), "",
        value_name("early_warning", "lapsed", "he")]
    for column in ("rfm_segment", "clv_tier", "nps_group"):
        expected = [value_name(column, v, "he") for v in table[column]]
        assert back[label(column, "he")].tolist() == expected, column
    # the client's own region values stay as written (Hebrew already)
    assert set(back[label("region", "he")]) == {NORTH, SOUTH}


@pytest.fixture(scope="module")
def hebrew_weekly_demo(tmp_path_factory):
    """The 400-customer demo in Hebrew with weekly periods, analysed, its files written."""
    folder = tmp_path_factory.mktemp("he")
    cfg = rl.write_demo(folder / "demo", n_customers=400, language="he")
    data = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    cfg.write_text(yaml.safe_dump({**data, "period": "W"}, allow_unicode=True), encoding="utf-8")
    a = analyse(str(cfg))
    out = folder / "out"
    out.mkdir()
    return a, {p.name: p for p in write_outputs(a, out)}


def test_write_outputs_of_a_hebrew_report_writes_hebrew_headers(hebrew_weekly_demo):
    a, files = hebrew_weekly_demo
    assert a.lang == "he"
    for name in ("customers.csv", "at_risk.csv", "win_back.csv", "rejected_rows.csv"):
        heads = header(files[name])
        assert {h: english_words(h) for h in heads if english_words(h)} == {}, name
    # the demo's four bad rows, each reason in Hebrew
    reasons = pd.read_csv(files["rejected_rows.csv"], encoding="utf-8-sig", dtype=str)[
        label("reason", "he")]
    assert reasons.tolist() == [reason_text(r, "he") for r in a.load.rejected["reason"]]
    assert reasons.map(english_words).map(len).sum() == 0


def test_a_hebrew_report_counts_weeks_from_sunday(hebrew_weekly_demo):
    a, _ = hebrew_weekly_demo
    # no week_start in the config: Sunday, as the language is Hebrew
    assert a.config.first_weekday == "sunday"
    for index in (a.kpis.index, a.cohorts.index):
        assert {p.start_time.day_name() for p in index} == {"Sunday"}
