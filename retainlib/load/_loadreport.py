"""The load report of :func:`retainlib.read_transactions`: what happened to every row."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LoadReport", "rejected_frame"]


def rejected_frame(lines, codes, reasons, frame: pd.DataFrame, found, text_dtype) -> pd.DataFrame:
    """The rejected rows of a loaded file: line, reason and each mapped column's cell as read.

    ``lines`` are the file line numbers of the rejected rows, ``codes`` their
    reason codes (positions in ``reasons``), ``found`` maps a role to its
    file column of ``frame``; ``text_dtype`` is the loader's text dtype
    (pandas' string dtype: a blank cell stays missing, never the text 'None').

    >>> import numpy as np
    >>> raw = pd.DataFrame({"Id": ["a", ""]})
    >>> rejected_frame(np.array([3]), np.array([0]), ("blank customer id",), raw.iloc[[1]],
    ...                {"customer_id": "Id"}, "string").to_dict("records")
    [{'line': 3, 'reason': 'blank customer id', 'customer_id': ''}]
    """
    import numpy as np

    out = pd.DataFrame({
        "line": lines,
        "reason": pd.array(np.asarray(reasons, dtype=object)[codes], dtype=text_dtype),
    })
    for role, col in found.items():
        out[role] = pd.array(frame[col].to_numpy(), dtype=text_dtype)
    return out


@dataclass
class LoadReport:
    """What happened to every row of a loaded file.

    Invariant: ``rows_read == rows_kept + rows_rejected``.

    Attributes
    ----------
    source : str
        File name.
    rows_read, rows_kept, rows_rejected : int
        Data rows in the file (lines that are entirely empty are not rows), rows
        in the returned table, rows rejected.
    duplicates : int
        Usable rows that exactly repeat an earlier row (every column of the
        file equal); dropped and rejected as 'duplicate row' when
        ``duplicates_dropped``, kept otherwise.
    encoding : str or None
        Text encoding used.
    rejected : pandas.DataFrame
        One row per rejected row: ``line`` (file line, header = line 1; the
        sheet row for Excel; row number for Parquet), ``reason``, then the raw
        text of each mapped column under its output name.
    duplicates_dropped : bool
        Whether duplicates were dropped.
    blank_lines : int
        Entirely empty lines skipped.
    columns : dict
        Output name -> file column used.
    first_date, last_date : pandas.Timestamp or None
        Date range of the kept rows.
    revenue : float
        Sum of kept amounts (net of returns).
    returns : int
        Kept rows with a negative amount.
    """

    source: str
    rows_read: int
    rows_kept: int
    rows_rejected: int
    duplicates: int
    encoding: str | None
    rejected: pd.DataFrame
    duplicates_dropped: bool = False
    blank_lines: int = 0
    columns: dict = field(default_factory=dict)
    first_date: pd.Timestamp | None = None
    last_date: pd.Timestamp | None = None
    revenue: float = 0.0
    returns: int = 0
    customer_ids: pd.Series | None = field(default=None, repr=False)
    _customers: int | None = field(default=None, repr=False)

    @property
    def customers(self) -> int:
        """Distinct customers among the kept rows (counted on first use)."""
        if self._customers is None:
            ids = self.customer_ids
            self._customers = 0 if ids is None else int(pc.count_distinct(pa.array(ids)).as_py())
        return self._customers

    def rejected_counts(self) -> dict[str, int]:
        """Rejected rows per reason, most frequent first."""
        counts = self.rejected["reason"].value_counts(sort=True)
        return {str(k): int(v) for k, v in counts.items() if v}

    def summary(self) -> dict:
        """JSON-able summary (dates as ISO strings)."""

        def iso(ts: pd.Timestamp | None) -> str | None:
            if ts is None or pd.isna(ts):
                return None
            return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()

        return {
            "source": self.source,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_rejected": self.rows_rejected,
            "rejected": self.rejected_counts(),
            "duplicates": self.duplicates,
            "duplicates_dropped": self.duplicates_dropped,
            "blank_lines": self.blank_lines,
            "customers": self.customers,
            "first_date": iso(self.first_date),
            "last_date": iso(self.last_date),
            "revenue": round(float(self.revenue), 2),
            "returns": self.returns,
        }

    def to_text(self, max_rows: int = 10) -> str:
        """Readable report: counts, reasons and the first rejected rows."""
        s = self.summary()

        def row(label: str, value: str, note: str = "") -> str:
            return f"  {label:<20}{value:>15}" + (f"  {note}" if note else "")

        out = [
            f"{self.source}" + (f" (encoding {self.encoding})" if self.encoding else ""),
            row("rows read", f"{s['rows_read']:,}"),
            row("rows kept", f"{s['rows_kept']:,}"),
            row("rows rejected", f"{s['rows_rejected']:,}"),
        ]
        out += [row("  " + reason, f"{count:,}") for reason, count in s["rejected"].items()]
        fate = "dropped" if self.duplicates_dropped else "kept"
        out.append(row("duplicate rows", f"{s['duplicates']:,}", f"({fate})"))
        if self.blank_lines:
            out.append(row("blank lines", f"{self.blank_lines:,}", "(skipped)"))
        out.append(row("customers", f"{s['customers']:,}"))
        out.append(row("first date", s["first_date"] or "-"))
        out.append(row("last date", s["last_date"] or "-"))
        out.append(row("revenue", f"{s['revenue']:,.2f}", "(net of returns)"))
        out.append(row("return rows", f"{s['returns']:,}", "(negative amount)"))
        if len(self.rejected):
            out.append(f"first rejected rows (of {len(self.rejected):,}):")
            for rec in self.rejected.head(max_rows).to_dict("records"):
                cells = ", ".join(
                    f"{k}={'' if pd.isna(v) else v!s}"
                    for k, v in rec.items()
                    if k not in ("line", "reason")
                )
                out.append(f"  line {rec['line']}: {rec['reason']}: {cells}")
        return "\n".join(out)
