"""The reader's names of the canonical values in the data, in each language of the catalogue.

The analytics keep one canonical (English) value per group in every language: the RFM
segments of :func:`retainlib.rfm_segments` ('Champions', 'At risk', ...), the CLV tiers of
:func:`retainlib.clv_tiers` ('Top 10%', 'Next 20%', 'Rest 70%'), the ABC classes ('A',
'B', 'C'), the early-warning lists ('at risk', 'lapsed'), the NPS groups ('Promoter',
'Passive', 'Detractor'), the campaign scenarios and the rows the tables add ('All
customers', 'All respondents', '(missing)'). Filters, tests and the report's own logic
compare with those values; what the reader sees (table cells and indices, exported CSV
files, sentences) names them here, with the catalogue's ``analytics.*`` texts.

:func:`value_name` names one value, :func:`named` every canonical value of a table (its
columns and index) at once, keeping the order of ordered categories. English names are the
canonical values themselves; a value with no name (a client's own region 'North') is shown
as it is. ABC classes keep their letters in every language ('סיווג ABC': A, B, C).

Examples
--------
>>> value_name("rfm_segment", "Champions", "he"), value_name("clv_tier", "Top 10%", "he")
('אלופים', '10% העליונים')
>>> value_name("early_warning", "lapsed", "he"), value_name("region", "North", "he")
('נטשו', 'North')
>>> value_name("rfm_segment", "Can't lose them")
"Can't lose them"
"""

from __future__ import annotations

import re

import pandas as pd

from retainlib.i18n import text

__all__ = ["NAMED_COLUMNS", "named", "value_name"]

_RFM = {"Champions": "champions", "Loyal": "loyal", "Potential loyalists": "potential_loyalists",
        "New": "new", "Promising": "promising", "Need attention": "need_attention",
        "About to sleep": "about_to_sleep", "At risk": "at_risk",
        "Can't lose them": "cant_lose_them", "Hibernating": "hibernating", "Lost": "lost"}
_LISTS = {"at risk": "at_risk", "lapsed": "lapsed"}
_NPS = {"Promoter": "promoter", "Passive": "passive", "Detractor": "detractor",
        "All respondents": None}
_SCENARIOS = {"campaign": "scenario.campaign", "segment part": "scenario.segment_part"}
#: rows the tables add to any grouping column
_ROWS = {"All customers": "all_customers", "All respondents": "all_respondents",
         "(missing)": "missing"}
_TIER = re.compile(r"(Top|Next|Rest) (\d+(?:\.\d+)?%)")

#: Columns (or index names) whose values are canonical names, with the catalogue key of each.
_KEYS: dict[str, dict[str, str | None]] = {
    "rfm_segment": {k: f"rfm.{v}" for k, v in _RFM.items()},
    "abc_class": {c: f"abc.{c}" for c in "ABC"},
    "list": {k: f"list.{v}" for k, v in _LISTS.items()},
    "early_warning": {k: f"list.{v}" for k, v in _LISTS.items()},
    "nps_group": {k: f"nps.{v}" for k, v in _NPS.items() if v},
    "scenario": dict(_SCENARIOS),
}
#: The columns :func:`named` translates (their values are canonical names).
NAMED_COLUMNS: tuple[str, ...] = (*_KEYS, "clv_tier")


def value_name(column: object, value: object, lang: str = "en") -> str:
    """The reader's name of one canonical value of ``column`` in ``lang``.

    Parameters
    ----------
    column : str
        The column (or table index) the value is from: ``rfm_segment``, ``clv_tier``,
        ``abc_class``, ``list`` / ``early_warning``, ``nps_group``, ``scenario``; any column
        for the rows the tables add ('All customers', 'All respondents', '(missing)').
    value : object
        The canonical value.
    lang : str, default 'en'
        A language of :mod:`retainlib.i18n`.

    Returns
    -------
    str
        The name in ``lang``; ``''`` for a missing value; the value as text when it has no
        name (a client's own segment value, an empty list cell).

    Examples
    --------
    >>> value_name("clv_tier", "Next 20%", "he"), value_name("abc_class", "A", "he")
    ('20% הבאים', 'A')
    >>> value_name("nps_group", "Detractor", "he"), value_name("region", "All customers", "he")
    ('מלעיז', 'כל הלקוחות')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    shown = str(value)
    key = _KEYS.get(str(column), {}).get(shown) or _ROWS.get(shown)
    if key is not None:
        return text(f"analytics.{key}", lang)
    if str(column) == "clv_tier" and (m := _TIER.fullmatch(shown)):
        return text(f"analytics.tier.{m[1].lower()}", lang, share=m[2])
    return shown


def _names(values: pd.Series | pd.Index, column: object, lang: str) -> pd.Series | pd.Index:
    """``values`` with each canonical value named (categories renamed, their order kept)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.dtype.categories
        new = [value_name(column, c, lang) for c in cats]
        if len(set(new)) == len(new):
            if isinstance(values, pd.Index):
                return pd.CategoricalIndex(values).rename_categories(new)
            return values.cat.rename_categories(new)
        values = values.astype("object")
    mapping = {v: value_name(column, v, lang) for v in pd.unique(values.dropna())}
    return values.map(mapping)  # a missing value stays missing


def named(frame: pd.DataFrame | pd.Series, lang: str = "en") -> pd.DataFrame | pd.Series:
    """A copy of ``frame`` whose canonical values are named in ``lang``, for the reader.

    Translates the values of the :data:`NAMED_COLUMNS` columns (a Series by its name) and of
    the index (by the index's name; the rows the tables add, 'All customers', by any
    name). Column headers are not touched (they are :func:`retainlib.i18n.label`'s job);
    in English the frame is returned unchanged (a copy).

    Examples
    --------
    >>> df = pd.DataFrame({"rfm_segment": ["Champions", "Lost"],
    ...                    "early_warning": ["at risk", None]},
    ...                   index=pd.Index(["c1", "c2"], name="customer_id"))
    >>> named(df, "he").to_dict("list")
    {'rfm_segment': ['אלופים', 'אבודים'], 'early_warning': ['בסיכון', nan]}
    """
    out = frame.copy()
    if lang == "en":
        return out
    if isinstance(out, pd.Series):
        if out.name in NAMED_COLUMNS:
            out = _names(out, out.name, lang)
    else:
        for col in out.columns:
            if col in NAMED_COLUMNS:
                out[col] = _names(out[col], col, lang)
    if out.index.nlevels == 1 and (out.index.dtype == object or isinstance(
            out.index.dtype, (pd.CategoricalDtype, pd.StringDtype))):
        out.index = pd.Index(_names(out.index, out.index.name, lang), name=out.index.name)
    return out
