"""Reading a campaign file: who got the campaign (treatment) and who was held back (control).

The loading layer for campaigns (like :mod:`retainlib.load.survey` for NPS
answers): the consultant's CRM export in, canonical groups
(``customer_id``, ``group``: 'treatment' or 'control') and a report of every
rejected row out. The measurement itself is
:func:`retainlib.analytics.campaigns.measure_campaign`.

The columns are found under their own names (``customer_id``, ``group``),
else under the headers of retainlib's own ``at_risk.csv`` in either language
('Customer ID' / 'Group', 'מספר לקוח' / 'קבוצה'), so the at-risk list exported
with its suggested groups is a campaign file as it is; ``columns=`` maps
any other headers.

A group is written as the CRM writes it, in English or in Hebrew (a
consultant's Hebrew CRM exports Hebrew words, so they are accepted like the
English ones): *treatment* is ``treatment``, ``treated``, ``test``,
``טיפול`` or ``ניסוי``; *control* is ``control``, ``holdout`` (``hold out``,
``hold-out``), ``ביקורת`` or ``בקרה``; each also with its group word
(``treatment group``, ``קבוצת טיפול``, ``קבוצת הטיפול``, ``קבוצת בקרה``...).
Case, surrounding spaces, repeated inner spaces and ``-``/``_`` between words
do not matter. Any other value ('yes', '1', 'A') is rejected as 'unknown
group' rather than guessed. A customer listed twice in the same group counts
once (the later rows are rejected as 'repeated customer'); a customer listed
in both groups cannot be measured, so all their rows are rejected ('customer
in both groups'). Every row read is either kept or in the report's
``rejected`` with its file line and reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from retainlib._suggest import did_you_mean
from retainlib.errors import ConfigError, DataError
from retainlib.i18n import LANGUAGES, label
from retainlib.load._columns import _quoted, map_columns
from retainlib.load._loadreport import rejected_frame
from retainlib.load._rawread import read_raw
from retainlib.load.parsing import FORMULA_STARTS, TEXT, clean_ids, clean_text, normalize_header
from retainlib.load.transactions import LoadReport

__all__ = ["CAMPAIGN_REASONS", "GROUP_WORDS", "CampaignReport", "NoCampaignRows", "read_campaign"]

_ROLES = ("customer_id", "group")
CAMPAIGN_REASONS = (
    "too many fields",
    "blank customer id",
    "blank group",
    "unknown group",
    "customer in both groups",
    "repeated customer",
)
#: the words for each group, before the group word ('treatment group', 'קבוצת הטיפול') is added
_BASE_WORDS = {"treatment": ("treatment", "treated", "test", "טיפול", "ניסוי"),
               "control": ("control", "holdout", "hold out", "ביקורת", "בקרה")}


def _forms(word: str) -> tuple[str, ...]:
    """A group word as a CRM may write it: alone, or with 'group' ('קבוצת', 'קבוצת ה')."""
    if word.isascii():
        return word, f"{word} group"
    return word, f"קבוצת {word}", f"קבוצת ה{word}"


#: how a CRM writes each group (compared after :func:`_group_key`) -> the canonical group
GROUP_WORDS: dict[str, str] = {
    form: group for group, words in _BASE_WORDS.items() for w in words for form in _forms(w)}


def _group_key(words: pd.Series) -> pd.Series:
    """Group cells without case, ``-``/``_`` or repeated spaces ('Hold-Out ' -> 'hold out')."""
    return words.str.lower().str.replace(r"[-_\s]+", " ", regex=True).str.strip()

class NoCampaignRows(DataError):
    """A campaign file without one usable row: both groups are empty (``rows``: rows read)."""

    def __init__(self, message: str, rows: int) -> None:
        super().__init__(message)
        self.rows = rows


@dataclass
class CampaignReport(LoadReport):
    """What happened to every row of a campaign file (see :class:`retainlib.load.LoadReport`).

    Invariant: ``rows_read == rows_kept + rows_rejected``; ``rejected`` has the
    file ``line``, the ``reason`` and the raw text of each mapped column.
    """

    def summary(self) -> dict:
        """JSON-able summary: that of :meth:`LoadReport.summary` without dates and revenue."""
        s = super().summary()
        for key in ("revenue", "returns", "first_date", "last_date"):
            del s[key]
        return s


def _unprotected(ids: pd.Series) -> pd.Series:
    """Ids as they were before retainlib's CSVs protected them: ``'+972-5`` -> ``+972-5``.

    ``at_risk.csv`` puts a ``'`` before an id that a spreadsheet would run as a
    formula (one that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return: :func:`retainlib.output.cells.protect_formulas`), and a
    campaign file is usually that list with its ``Group`` column; the quote is
    taken off again so the id finds its customer.

    >>> _unprotected(pd.Series(["'+972-5", "'=A1", "'ok", "007"])).tolist()
    ['+972-5', '=A1', "'ok", '007']
    """
    quoted = ids.str.match("'[" + re.escape("".join(FORMULA_STARTS)) + "]",
                           na=False).to_numpy(dtype=bool)
    if not quoted.any():
        return ids
    out = ids.copy()
    out[quoted] = ids[quoted].str.slice(1)
    return out


def _header(headers: pd.Index, role: str) -> str:
    """The header of ``role``: its name, else at_risk.csv's header in a language (else its name).

    >>> _header(pd.Index(["מספר לקוח", "קבוצה"]), "group")
    'קבוצה'
    """
    present = {normalize_header(h).casefold() for h in headers}
    names = [role, *(label(role, lang) for lang in LANGUAGES)]
    return next((n for n in names if normalize_header(n).casefold() in present), role)


def read_campaign(source: str | Path | pd.DataFrame, *, columns: Mapping[str, str] | None = None,
                  encoding: str | None = None, sheet: str | int | None = None,
                  ) -> tuple[pd.Series, CampaignReport]:
    """Read a campaign's groups, accounting for every row like :func:`retainlib.read_transactions`.

    Business meaning: the CRM's list of who got the campaign and who was held
    back, cleaned, with every unusable row listed.

    Parameters
    ----------
    source : str, pathlib.Path or DataFrame
        CSV/TSV/semicolon, ``.xlsx`` or ``.parquet`` file (same reader as transactions).
    columns : mapping, optional
        Role -> file column for ``customer_id`` and ``group``; roles left out
        are looked up under their own name.
    encoding, sheet :
        As in :func:`retainlib.read_transactions`.

    Returns
    -------
    groups : pandas.Series
        ``'treatment'`` or ``'control'`` per customer id (index
        ``customer_id``, str, in file order), name ``group``.
    report : CampaignReport
        Reasons: too many fields, blank customer id, blank group, unknown
        group, customer in both groups, repeated customer.

    Raises
    ------
    DataError
        The file has no rows, or no usable row (both groups empty).

    Examples
    --------
    >>> raw = pd.DataFrame({"customer_id": ["1", "2", "3", "3", "4"],
    ...                     "group": ["Treatment", "ביקורת", "control", "treatment", "maybe"]})
    >>> groups, report = read_campaign(raw)
    >>> groups.to_dict(), report.rejected_counts()
    ({'1': 'treatment', '2': 'control'}, {'customer in both groups': 2, 'unknown group': 1})
    """
    columns = dict(columns or {})
    unknown = [k for k in columns if k not in _ROLES]
    if unknown:
        raise ConfigError(f"unknown column role {unknown[0]!r} for a campaign file; the roles "
                          f"are {_quoted(_ROLES)}.{did_you_mean(str(unknown[0]), _ROLES)}")
    raw = read_raw(source, encoding=encoding, sheet=sheet)
    wanted = {role: str(columns[role]) if role in columns else _header(raw.frame.columns, role)
              for role in _ROLES}
    hint = ("Map the campaign file's columns with columns={'customer_id': ..., 'group': ...} "
            "(the campaigns entry's columns: in the config).")
    found = map_columns(raw, wanted, hint=hint)
    frame, n = raw.frame, len(raw.frame)
    ids, r_id = clean_ids(frame[found["customer_id"]])
    ids = _unprotected(ids)
    words = clean_text(frame[found["group"]])
    group = _group_key(words).map(GROUP_WORDS).astype(object)
    codes = np.full(n, -1, dtype=np.int8)
    codes[(words.notna() & group.isna()).to_numpy()] = CAMPAIGN_REASONS.index("unknown group")
    codes[words.isna().to_numpy()] = CAMPAIGN_REASONS.index("blank group")
    codes[(r_id.cat.codes >= 0).to_numpy()] = CAMPAIGN_REASONS.index("blank customer id")
    if raw.too_many_fields is not None and raw.too_many_fields.any():
        codes[raw.too_many_fields] = CAMPAIGN_REASONS.index("too many fields")
    usable = codes < 0
    pairs = pd.DataFrame({"id": ids.astype(object), "group": group})[usable]
    both = pairs.groupby("id")["group"].nunique()
    both_ids = both.index[(both > 1).to_numpy()]
    in_both = usable & ids.astype(object).isin(both_ids).to_numpy()
    codes[in_both] = CAMPAIGN_REASONS.index("customer in both groups")
    usable = codes < 0
    repeated = np.zeros(n, dtype=bool)
    repeated[usable] = ids[usable].duplicated(keep="first").to_numpy()
    codes[repeated] = CAMPAIGN_REASONS.index("repeated customer")
    keep = codes < 0

    groups = pd.Series(group[keep].to_numpy(dtype=object),
                       index=pd.Index(ids[keep].astype(str).to_numpy(), name="customer_id"),
                       name="group", dtype=object)
    rej = np.flatnonzero(~keep)
    rejected = rejected_frame(raw.lines[rej], codes[rej], CAMPAIGN_REASONS, frame.iloc[rej],
                              found, TEXT)
    report = CampaignReport(
        source=raw.name, rows_read=n, rows_kept=len(groups), rows_rejected=len(rej),
        duplicates=int(repeated.sum()), encoding=raw.encoding, rejected=rejected,
        duplicates_dropped=True, blank_lines=raw.blank_lines, columns=found,
    )
    if not len(groups):
        if not n:
            raise NoCampaignRows(f"{raw.name} has no customers below its header: both groups "
                                 "of the campaign are empty; export the campaign's customers "
                                 "with their group (treatment or control)", 0)
        top = "; ".join(f"{k}: {c:,}" for k, c in list(report.rejected_counts().items())[:3])
        raise NoCampaignRows(f"no usable rows in {raw.name}: all {n:,} rows were rejected "
                             f"({top}), so both groups of the campaign are empty; check the "
                             "column mapping and that the group column says treatment or "
                             "control", n)
    report.customer_ids = groups.index.to_series()
    return groups, report
