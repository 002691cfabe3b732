"""Reading NPS survey answers: :func:`read_survey` and its :class:`SurveyReport`.

The loading layer for surveys (like :mod:`retainlib.load.transactions` for sales): a client file in,
canonical answers (``customer_id``, ``date``, ``score``, optional ``comment``) and a
report of every rejected row out. NPS itself is computed in :mod:`retainlib.analytics.nps`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from retainlib._suggest import did_you_mean
from retainlib.errors import ConfigError, DataError
from retainlib.load._columns import _quoted, map_columns
from retainlib.load._dates import DATE_REASONS
from retainlib.load._loadreport import rejected_frame
from retainlib.load._numbers import DecimalMarkUnclear, parse_numbers
from retainlib.load._rawread import read_raw
from retainlib.load.parsing import TEXT, clean_ids, clean_text, parse_dates
from retainlib.load.transactions import LoadReport

__all__ = ["SURVEY_REASONS", "SurveyReport", "read_survey"]

_ROLES = ("customer_id", "date", "score", "comment")
SURVEY_REASONS = (
    "too many fields",
    "blank customer id",
    *DATE_REASONS,  # blank, unparseable, relative, incomplete, impossible, out of range, future
    "blank score",
    "non-numeric score",
    "non-integer score",
    "score out of range",
    "duplicate row",
)


@dataclass
class SurveyReport(LoadReport):
    """What happened to every row of a survey file (see :class:`retainlib.load.LoadReport`).

    Invariant: ``rows_read == rows_kept + rows_rejected``; ``rejected`` has the file
    ``line``, the ``reason`` and the raw text of each mapped column.
    """

    def summary(self) -> dict:
        """JSON-able summary: that of :meth:`LoadReport.summary` without revenue and returns."""
        s = super().summary()
        del s["revenue"], s["returns"]
        return s

    def to_text(self, max_rows: int = 10) -> str:
        """Readable report: counts, reasons and the first rejected rows."""
        s = self.summary()
        out = [f"{self.source} (survey)", f"  rows read      {s['rows_read']:>10,}",
               f"  rows kept      {s['rows_kept']:>10,}",
               f"  rows rejected  {s['rows_rejected']:>10,}"]
        out += [f"    {reason:<22}{count:>8,}" for reason, count in s["rejected"].items()]
        out.append(f"  duplicate rows {s['duplicates']:>10,}  "
                   f"({'dropped' if self.duplicates_dropped else 'kept'})")
        out.append(f"  customers      {s['customers']:>10,}")
        out.append(f"  dates          {s['first_date'] or '-'} to {s['last_date'] or '-'}")
        for rec in self.rejected.head(max_rows).to_dict("records"):
            cells = ", ".join(f"{k}={'' if pd.isna(v) else v!s}" for k, v in rec.items()
                              if k not in ("line", "reason"))
            out.append(f"  line {rec['line']}: {rec['reason']}: {cells}")
        return "\n".join(out)


# --------------------------------------------------------------------------- loading
def read_survey(source: str | Path | pd.DataFrame, *, columns: Mapping[str, str] | None = None,
                encoding: str | None = None, dayfirst: bool = False,
                date_format: str | None = None, sheet: str | int | None = None,
                decimal: str | None = None, thousands: str | None = None, duplicates: str = "keep"
                ) -> tuple[pd.DataFrame, SurveyReport]:
    """Read NPS survey answers, accounting for every row like :func:`retainlib.read_transactions`.

    Business meaning: the client's survey export, cleaned, with every unusable answer listed.

    Parameters
    ----------
    source : str, pathlib.Path or DataFrame
        CSV/TSV/semicolon, ``.xlsx`` or ``.parquet`` file (same reader as transactions).
    columns : mapping, optional
        Role -> file column for ``customer_id``, ``date``, ``score`` and optionally
        ``comment``; roles left out are looked up under their own name (``comment`` only
        if present).
    encoding, dayfirst, date_format, sheet, decimal, thousands :
        As in :func:`retainlib.read_transactions` (the ``read`` keys of a client config).
    duplicates : {'keep', 'drop'}
        Rows that exactly repeat an earlier usable row; counted either way.

    Returns
    -------
    survey : DataFrame
        ``customer_id`` (str), ``date`` (datetime64[ns]), ``score`` (int64, 0-10),
        ``comment`` (str, when mapped or present); sorted by date (file order within a
        date), RangeIndex.
    report : SurveyReport
        Reasons: blank customer id (also a placeholder such as ``#N/A``), blank, unparseable,
        relative, incomplete, impossible, out-of-range or future date, blank score,
        non-numeric score, non-integer score (8.5), score out of range (not 0-10), too many
        fields, duplicate row (when dropped).

    Examples
    --------
    >>> raw = pd.DataFrame({"customer_id": ["1", "2", "3"], "date": ["2024-01-05"] * 3,
    ...                     "score": ["9", "11", "7.5"]})
    >>> survey, report = read_survey(raw)
    >>> survey["score"].tolist(), report.rejected_counts()
    ([9], {'score out of range': 1, 'non-integer score': 1})
    """
    if duplicates not in ("keep", "drop"):
        raise ConfigError(f"duplicates must be 'keep' or 'drop', not {duplicates!r}")
    columns = dict(columns or {})
    unknown = [k for k in columns if k not in _ROLES]
    if unknown:
        raise ConfigError(f"unknown column role {unknown[0]!r} for the survey; the roles are "
                          f"{_quoted(_ROLES)}.{did_you_mean(str(unknown[0]), _ROLES)}")
    wanted = {role: str(columns.get(role, role)) for role in _ROLES}
    optional = [] if "comment" in columns else ["comment"]
    raw = read_raw(source, encoding=encoding, sheet=sheet)
    hint = "Map the survey's columns with columns={'customer_id': ..., 'date': ..., 'score': ...}."
    found = map_columns(raw, wanted, optional=optional, hint=hint)
    frame, n = raw.frame, len(raw.frame)
    ids, r_id = clean_ids(frame[found["customer_id"]])
    dates, r_date = parse_dates(frame[found["date"]], dayfirst=dayfirst, date_format=date_format)
    try:
        scores, r_score = parse_numbers(frame[found["score"]], decimal=decimal,
                                        thousands=thousands, blank_reason="blank score",
                                        bad_reason="non-numeric score",
                                        numbers=raw.numbers.get(found["score"]))
    except DecimalMarkUnclear as exc:  # reworded with the file, the column and the lines
        raise DataError(exc.sentence(f"column {found['score']!r} of {raw.name}", raw.lines)
                        ) from None
    codes = np.full(n, -1, dtype=np.int8)
    v = scores.to_numpy()
    whole = v == np.round(v)  # False for NaN
    codes[~whole & ~np.isnan(v)] = SURVEY_REASONS.index("non-integer score")
    codes[whole & ((v < 0) | (v > 10))] = SURVEY_REASONS.index("score out of range")
    for reasons in (r_score, r_date, r_id):  # lowest precedence first: later ones overwrite
        lut = np.array([SURVEY_REASONS.index(c) for c in reasons.cat.categories], dtype=np.int8)
        c = reasons.cat.codes.to_numpy()
        codes[c >= 0] = lut[c[c >= 0]]
    if raw.too_many_fields is not None and raw.too_many_fields.any():
        codes[raw.too_many_fields] = SURVEY_REASONS.index("too many fields")
    valid = codes < 0
    dup = np.zeros(n, dtype=bool)
    if valid.sum() > 1:
        dup[valid] = frame[valid].duplicated(keep="first").to_numpy()
    if duplicates == "drop":
        codes[dup] = SURVEY_REASONS.index("duplicate row")
    keep = codes < 0

    out = {"customer_id": ids, "date": dates,
           "score": pd.Series(np.where(keep, v, 0).astype("int64"), index=frame.index)}
    if "comment" in found:
        out["comment"] = clean_text(frame[found["comment"]])
    survey = pd.DataFrame(out)[keep]
    survey = survey.iloc[np.argsort(survey["date"].to_numpy(), kind="stable")]
    survey = survey.reset_index(drop=True)
    rej = np.flatnonzero(~keep)
    rejected = rejected_frame(raw.lines[rej], codes[rej], SURVEY_REASONS, frame.iloc[rej], found,
                              TEXT)
    report = SurveyReport(
        source=raw.name, rows_read=n, rows_kept=len(survey), rows_rejected=len(rej),
        duplicates=int(dup.sum()), encoding=raw.encoding, rejected=rejected,
        duplicates_dropped=duplicates == "drop", blank_lines=raw.blank_lines, columns=found,
    )
    if not len(survey):
        if not n:
            raise DataError(f"{raw.name} has no survey answers below its header")
        top = "; ".join(f"{k}: {c:,}" for k, c in list(report.rejected_counts().items())[:3])
        raise DataError(f"no usable answers in {raw.name}: all {n:,} rows were rejected ({top}); "
                        "check the column mapping and the read options (dayfirst, date_format)")
    report.first_date, report.last_date = survey["date"].iloc[0], survey["date"].iloc[-1]
    report.customer_ids = survey["customer_id"]
    return survey, report
