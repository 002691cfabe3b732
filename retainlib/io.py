"""Reading client exports: the only module that opens client data files.

:func:`read_transactions` turns a sales export (CSV/TSV/semicolon, Excel .xlsx,
Parquet; UTF-8, UTF-8 with BOM, UTF-16, cp1255, latin-1) into the canonical
transactions table plus a :class:`LoadReport` that accounts for every row.

Headers are matched after normalisation: surrounding whitespace stripped,
Unicode NFC, invisible marks removed (U+200E/U+200F direction marks, U+FEFF
BOM, U+202A-U+202E and U+2066-U+2069 embeddings), then case-insensitively; so
a Hebrew header exported as ``"\u200fמספר לקוח "`` matches ``"מספר לקוח"``.

Reusable pieces for loaders of other tables (the NPS survey loader does this)::

    raw = read_raw(path, encoding=None, sheet=None)   # all-text frame + raw.lines
    found = map_columns(raw, {"customer_id": "id", "date": "when", "score": "NPS"})
    ids, why_id = clean_ids(raw.frame[found["customer_id"]])          # _parsing
    dates, why_date = parse_dates(raw.frame[found["date"]], dayfirst=True)
    scores, why_score = parse_numbers(raw.frame[found["score"]],
                                      blank_reason="blank score", bad_reason="non-numeric score")

Each parser returns values and a categorical reason per row (missing when the
value parsed); ``raw.lines[i]`` is the file line of row ``i`` for the rejected list.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from retainlib._parsing import (
    TEXT,
    clean_ids,
    clean_text,
    normalize_header,
    parse_amounts,
    parse_dates,
)
from retainlib.errors import DataError

__all__ = [
    "DateOrderWarning",
    "LoadReport",
    "RawTable",
    "map_columns",
    "read_client",
    "read_raw",
    "read_transactions",
]

_DELIMITED = {".csv", ".tsv", ".tab", ".txt", ".dat"}
_EXCEL = {".xlsx", ".xlsm"}
_PARQUET = {".parquet", ".pq"}
_DELIMITERS = [",", ";", "\t", "|"]


@dataclass
class RawTable:
    """A file read as text, before any parsing.

    Attributes
    ----------
    frame : pandas.DataFrame
        One string column per file column (headers normalised with
        :func:`retainlib._parsing.normalize_header`, duplicates suffixed
        ``' (2)'``), missing for empty cells; RangeIndex.
    lines : numpy.ndarray
        For each row its line in the file (header = line 1), its Excel sheet
        row, or for Parquet and data frames its 1-based row number.
    name : str
        File name used in messages.
    encoding : str or None
        Text encoding used (None for Excel, Parquet and frames).
    too_many_fields : numpy.ndarray or None
        True for delimited-file rows with more values than the header has
        columns (Excel cells beyond the header become columns named 'column N').
    blank_lines : int
        Rows with no value at all; they are not rows of data and are not counted.
    """

    frame: pd.DataFrame
    lines: np.ndarray
    name: str
    encoding: str | None = None
    too_many_fields: np.ndarray | None = None
    blank_lines: int = 0


def _dedupe(names: Sequence[object]) -> list[str]:
    out: list[str] = []
    for i, raw in enumerate(names):
        name = normalize_header("" if raw is None else raw) or f"column {i + 1}"
        base, k = name, 2
        while name in out:
            name, k = f"{base} ({k})", k + 1
        out.append(name)
    return out


def _to_text_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Every column as text (integral floats without '.0', dates in ISO form)."""
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_float_dtype(s) and s.notna().any():
            finite = s.dropna()
            if (finite == np.round(finite)).all() and finite.abs().max() < 2**53:
                s = s.astype("Int64")
        text = s.astype(TEXT)
        out[col] = text.where(s.notna())
    frame = pd.DataFrame(out)
    frame.columns = _dedupe(df.columns)
    return frame.astype(TEXT).reset_index(drop=True)


def _detect_encoding(data: bytes) -> str:
    """BOM, else UTF-8 when the start of the file decodes, else a legacy code page."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[: 1 << 20]
    if head.isascii():
        return "utf-8"  # the rest is checked while parsing
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if len(head) == 1 << 20 and exc.start >= len(head) - 3:  # a character cut at 1 MB
            return "utf-8"
    return _legacy_encoding(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _legacy_encoding(data: bytes) -> str:
    """cp1255 when high bytes form Hebrew words, else cp1252, else latin-1."""
    b = np.frombuffer(data, dtype=np.uint8)
    hebrew = (b >= 0xE0) & (b <= 0xFA)
    # Hebrew words are runs of high bytes; Western accented letters sit between ASCII letters
    neighbours = np.zeros_like(hebrew)
    neighbours[1:] |= hebrew[:-1]
    neighbours[:-1] |= hebrew[1:]
    if hebrew.sum() and (hebrew & neighbours).sum() >= 0.5 * hebrew.sum():
        try:
            data.decode("cp1255")
            return "cp1255"
        except UnicodeDecodeError:
            pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{name} is not valid {encoding} text (byte 0x{data[exc.start]:02x} on line {line}); "
            "set the encoding to 'cp1255' (Hebrew Windows exports) or 'latin-1' (Western Europe)"
        ) from None
    except LookupError:
        raise DataError(
            f"unknown encoding {encoding!r} for {name}; use e.g. 'utf-8', 'cp1255' or 'latin-1'"
        ) from None


def _sniff(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    best, best_score = ",", (0, 0)
    for sep in _DELIMITERS:
        counts = [len(r) for r in csv.reader(lines, delimiter=sep)]
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts), counts[0])
        if score > best_score:
            best, best_score = sep, score
    return best


def _read_delimited(path: Path, encoding: str | None) -> RawTable:
    data = path.read_bytes()
    if encoding:
        try:
            enc = codecs.lookup(encoding).name
        except LookupError:
            raise DataError(
                f"unknown encoding {encoding!r} for {path.name}; use e.g. 'utf-8', 'cp1255' or "
                "'latin-1'"
            ) from None
    else:
        enc = _detect_encoding(data)
    if enc in ("utf-8", "utf-8-sig"):
        if data.startswith(codecs.BOM_UTF8):
            data = data[3:]
    else:
        data = _decode(data, enc, path.name).lstrip("\ufeff").encode("utf-8")
    sample = data[:65536].decode("utf-8", "ignore")
    if not sample.strip():
        raise DataError(f"{path.name} is empty; export the data again with a header row")
    sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else _sniff(sample)
    header = next(r for r in csv.reader(io.StringIO(sample), delimiter=sep) if r)
    names = _dedupe(header)
    n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    frame, blank, extra = None, 0, None
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=sep),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
        if table.num_rows + 1 == n_lines:  # one line per record: line numbers are exact
            frame = table.to_pandas()
            lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
    except pa.ArrowInvalid as exc:
        if "utf8" in str(exc).lower() and encoding is None and enc == "utf-8":
            return _read_delimited(path, _legacy_encoding(data))  # not UTF-8 after all
    if frame is None:  # blank lines, quoted line breaks, ragged rows or bad bytes: exact, slower
        if encoding is None and enc == "utf-8" and not _is_utf8(data):
            return _read_delimited(path, _legacy_encoding(data))
        text = _decode(data, "utf-8", path.name)
        frame, lines, extra, blank = _read_with_csv_module(text, sep, names)
    return _drop_blank_rows(RawTable(frame, lines, path.name, enc, extra, blank))


def _read_with_csv_module(
    text: str, sep: str, names: list[str]
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, lines, extra = [], [], []
    ncol, prev_end, blank, seen_header = len(names), 0, 0, False
    for rec in reader:
        start, prev_end = prev_end + 1, reader.line_num
        if not seen_header or not rec:  # the header is the first non-empty record
            blank += seen_header
            seen_header = seen_header or bool(rec)
            continue
        while len(rec) > ncol and rec[-1] == "":
            rec.pop()
        extra.append(len(rec) > ncol)
        rows.append([v if v != "" else None for v in (rec + [None] * ncol)[:ncol]])
        lines.append(start)
    frame = (
        pd.DataFrame(rows, columns=names, dtype=TEXT)
        if rows
        else pd.DataFrame({n: pd.Series([], dtype=TEXT) for n in names})
    )
    return frame, np.asarray(lines, dtype=np.int64), np.asarray(extra, dtype=bool), blank


def _drop_blank_rows(raw: RawTable) -> RawTable:
    blank = (
        raw.frame.isna().all(axis=1).to_numpy()
        if raw.frame.shape[1]
        else np.zeros(len(raw.frame), bool)
    )
    if blank.any():
        keep = ~blank
        raw.frame = raw.frame[keep].reset_index(drop=True)
        raw.lines = raw.lines[keep]
        if raw.too_many_fields is not None:
            raw.too_many_fields = raw.too_many_fields[keep]
        raw.blank_lines += int(blank.sum())
    return raw


def _cell_text(v: object) -> str | None:
    if v is None or (isinstance(v, str) and v == ""):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") and hasattr(v, "date") else v.isoformat()
    return str(v)


def _header_row(top: list[tuple]) -> int:
    """Index of the header among a sheet's top rows.

    The first row whose filled cells are all text and number at least 60% of the
    fullest top row; title rows above it (one or two cells) are skipped. Falls
    back to the first fullest row.
    """
    counts = [sum(v is not None and v != "" for v in r) for r in top]
    most = max(counts)
    for i, r in enumerate(top):
        filled = [v for v in r if v is not None and v != ""]
        if counts[i] >= 0.6 * most and all(isinstance(v, str) for v in filled):
            return i
    return counts.index(most)


def _read_excel(path: Path, sheet: str | int | None) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for damaged files
        raise DataError(
            f"{path.name} could not be opened as an Excel workbook ({exc}); "
            "open it in Excel and save it again as .xlsx or CSV"
        ) from None
    try:
        names = wb.sheetnames
        if sheet is None:
            ws = wb[names[0]]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise DataError(
                    f"{path.name} has no sheet number {sheet} (counting from 0); "
                    f"its sheets are: {_quoted(names)}"
                )
            ws = wb[names[sheet]]
        elif str(sheet) in names:
            ws = wb[str(sheet)]
        else:
            raise DataError(
                f"sheet {str(sheet)!r} not found in {path.name}; sheets are: "
                f"{_quoted(names)}.{_did_you_mean(str(sheet), names)}"
            )
        cells = list(ws.iter_rows(min_row=1, values_only=True))
    finally:
        wb.close()
    if not cells:
        raise DataError(
            f"the sheet of {path.name} is empty; choose another sheet with the sheet option"
        )
    h = _header_row(cells[:30])
    rows = [tuple(_cell_text(v) for v in r) for r in cells]
    del cells
    # every column that holds a value anywhere from the header down; unnamed ones get 'column N'
    ncol = max(
        (max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows[h:]),
        default=0,
    )
    header = (list(rows[h]) + [None] * ncol)[:ncol]
    data = [(list(r) + [None] * ncol)[:ncol] for r in rows[h + 1 :]]
    frame = (
        pd.DataFrame(data, columns=_dedupe(header), dtype=TEXT)
        if data
        else pd.DataFrame({n: pd.Series([], dtype=TEXT) for n in _dedupe(header)})
    )
    lines = np.arange(h + 2, h + 2 + len(data), dtype=np.int64)
    return _drop_blank_rows(RawTable(frame, lines, path.name, None))


def read_raw(
    source: str | Path | pd.DataFrame,
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> RawTable:
    """Read a supported file (or a data frame) into an all-text :class:`RawTable`.

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
        ``.csv``/``.txt``/``.tsv`` (delimiter sniffed among ``,`` ``;`` tab ``|``),
        ``.xlsx``/``.xlsm``, ``.parquet``; a data frame is converted to text.
    encoding : str, optional
        Text encoding of a delimited file. ``None`` detects it: a BOM, else
        UTF-8 if the bytes decode, else cp1255 when the text looks Hebrew,
        else cp1252 / latin-1.
    sheet : str or int, optional
        Excel sheet name or 0-based index (default: the first sheet).

    Returns
    -------
    RawTable
    """
    if isinstance(source, pd.DataFrame):
        frame = _to_text_frame(source)
        return _drop_blank_rows(
            RawTable(frame, np.arange(1, len(frame) + 1, dtype=np.int64), "the data frame")
        )
    path = Path(source).expanduser()
    if not path.exists():
        raise DataError(
            f"data file {path.name} not found (looked for {path.resolve()}); check the path"
        )
    if path.is_dir():
        raise DataError(
            f"{path} is a folder, not a data file; give the path of the CSV, Excel or Parquet file"
        )
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        magic = fh.read(8)
    if suffix == ".xls" or magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(
            f"{path.name} is an old Excel .xls workbook, which is not supported; "
            "open it in Excel and save it as .xlsx or CSV"
        )
    if suffix in _EXCEL or (suffix not in _DELIMITED and magic.startswith(b"PK")):
        return _read_excel(path, sheet)
    if suffix in _PARQUET or (suffix not in _DELIMITED and magic.startswith(b"PAR1")):
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises ArrowInvalid / OSError variants
            raise DataError(
                f"{path.name} could not be read as Parquet ({exc}); export it again"
            ) from None
        frame = _to_text_frame(df)
        return _drop_blank_rows(
            RawTable(frame, np.arange(1, len(frame) + 1, dtype=np.int64), path.name)
        )
    if suffix in _DELIMITED or suffix == "":
        return _read_delimited(path, encoding)
    raise DataError(
        f"{path.name} has an unsupported format {suffix!r}; "
        "save it as CSV (.csv, .tsv, .txt), Excel (.xlsx) or Parquet (.parquet)"
    )


def _quoted(names: Sequence[object]) -> str:
    return ", ".join(repr(str(n)) for n in names)


_WORD = r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^\W\d_]+"  # camelCase, snake_case and Hebrew words


def _did_you_mean(wanted: str, names: Sequence[str]) -> str:
    """' Did you mean X?' for the closest name, or ''.

    Candidates are names similar to ``wanted`` (difflib) or contained in it;
    a name equal to the last word of ``wanted`` wins ('InvoiceDate' -> 'Date'),
    then one of its words, then the most similar.
    """
    folded = {str(n).casefold(): str(n) for n in names}
    w = wanted.casefold()
    words = [t.casefold() for t in re.findall(_WORD, wanted)]
    cands = set(difflib.get_close_matches(w, list(folded), n=3, cutoff=0.6))
    cands |= {n for n in folded if n and (n in w or w in n)}
    if not cands:
        cands = set(difflib.get_close_matches(w, list(folded), n=1, cutoff=0.4))
    if not cands:
        return ""

    def rank(n: str) -> tuple:
        ratio = difflib.SequenceMatcher(None, w, n).ratio()
        return (bool(words) and n == words[-1], n in words, ratio)

    return f" Did you mean {folded[max(sorted(cands), key=rank)]!r}?"


def map_columns(
    raw: RawTable,
    wanted: Mapping[str, str],
    *,
    optional: Sequence[str] = (),
    hint: str | None = None,
) -> dict[str, str]:
    """Find the file column for each output name.

    Headers match after :func:`retainlib._parsing.normalize_header` (NFC,
    invisible RTL/LTR marks and BOMs removed, whitespace trimmed), then
    case-insensitively.

    Parameters
    ----------
    raw : RawTable
        The file as read by :func:`read_raw`.
    wanted : mapping
        Output name -> file column name.
    optional : sequence of str
        Output names that may be absent from the file (skipped silently).
    hint : str, optional
        Extra advice appended to the error message.

    Returns
    -------
    dict
        Output name -> column of ``raw.frame``.

    Raises
    ------
    DataError
        A required column is absent; lists the file's columns and the closest match.
    """
    cols = list(raw.frame.columns)
    folded: dict[str, list[str]] = {}
    for c in cols:
        folded.setdefault(c.casefold(), []).append(c)
    found: dict[str, str] = {}
    for out, name in wanted.items():
        key = normalize_header(name)
        if key in cols:
            found[out] = key
        elif len(folded.get(key.casefold(), [])) == 1:
            found[out] = folded[key.casefold()][0]
        elif out not in optional:
            raise DataError(
                f"column {str(name)!r} not found in {raw.name}; columns are: {_quoted(cols)}."
                f"{_did_you_mean(key, cols)}{' ' + hint if hint else ''}"
            )
    return found


# ----------------------------------------------------------------------------- transactions

CANONICAL = ("customer_id", "date", "amount", "order_id")
REASONS = (
    "too many fields",
    "total row",
    "blank customer id",
    "blank date",
    "unparseable date",
    "impossible date",
    "blank amount",
    "non-numeric amount",
    "duplicate row",
)
_TOTAL_LABEL = (
    r"^(?:(?:grand|sub)[\s-]*)?totals?\s*:?$|^sum\s*:?$"
    r"|^(?:סה[\"״'׳]?כ|סך[\s-]*ה?כו?ל)(?:\s+כללי)?\s*:?$"
)
_TOTAL_FIRST = ["t", "T", "g", "G", "s", "S", "ס"]  # first letters of the labels below


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


class DateOrderWarning(UserWarning):
    """Dates that are impossible in the requested day/month order would parse in the other."""


def _warn_date_order(reasons, texts, dayfirst: bool, name: str, column: str) -> None:
    bad = (reasons == "impossible date").to_numpy(dtype=bool, na_value=False)
    if not bad.any():
        return
    sub = texts[bad]
    _, other = parse_dates(sub, dayfirst=not dayfirst)
    fixed = other.isna().to_numpy()
    if fixed.sum() >= max(1, 0.5 * bad.sum()):
        now, alt = ("day", "month") if dayfirst else ("month", "day")
        warnings.warn(
            f"{int(fixed.sum()):,} dates in column {column!r} of {name} (e.g. "
            f"{sub[fixed].iloc[0]!r}) are impossible read {now} first but valid read {alt} first; "
            f"if the file writes {alt} first set dayfirst={not dayfirst} "
            f"(read: dayfirst: {str(not dayfirst).lower()} in a client config)",
            DateOrderWarning,
            stacklevel=3,
        )


def _wanted(columns: Mapping[str, str] | None, segments: Sequence[str] | Mapping[str, str] | str):
    if columns is None:
        wanted = {c: c for c in CANONICAL}
    else:
        if not isinstance(columns, Mapping):
            raise DataError(
                f"columns must map canonical names to file columns, e.g. "
                f"{{'customer_id': 'Customer'}}, not {type(columns).__name__}"
            )
        unknown = [k for k in columns if k not in CANONICAL]
        if unknown:
            raise DataError(
                f"unknown column role {unknown[0]!r} in columns; the roles are "
                f"{_quoted(CANONICAL)}.{_did_you_mean(str(unknown[0]), CANONICAL)}"
            )
        wanted = {c: str(columns.get(c, c)) for c in CANONICAL}
    optional = [] if columns is not None and "order_id" in columns else ["order_id"]
    if isinstance(segments, str):
        segments = [segments]
    segs = dict(segments) if isinstance(segments, Mapping) else {str(s): str(s) for s in segments}
    clash = [s for s in segs if s in CANONICAL]
    if clash:
        raise DataError(
            f"segment name {clash[0]!r} clashes with a canonical column; give the segment "
            f"another output name, e.g. {{'{clash[0]}_segment': {segs[clash[0]]!r}}}"
        )
    return wanted, optional, segs


def _total_label(values: pd.Series) -> np.ndarray:
    """True where a cleaned cell is a total label ('Total', 'Subtotal', 'סה"כ', ...)."""
    arr = pa.array(values, from_pandas=True)
    first = pc.utf8_slice_codeunits(arr, 0, 1)
    maybe = pc.is_in(first, value_set=pa.array(_TOTAL_FIRST, first.type))
    maybe = np.asarray(pc.fill_null(maybe, False).to_numpy(zero_copy_only=False), dtype=bool)
    out = np.zeros(len(arr), dtype=bool)
    if maybe.any():  # the full pattern only on the few cells that start like a label
        idx = np.flatnonzero(maybe)
        hit = pc.match_substring_regex(arr.take(pa.array(idx)), _TOTAL_LABEL, ignore_case=True)
        out[idx] = np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)
    return out


def _sum_rows(amounts: np.ndarray, blank_id: np.ndarray, data_row: np.ndarray) -> np.ndarray:
    """Blank-id rows whose amount equals the sum of the data rows of their block, above, or all."""
    cand = np.flatnonzero(blank_id & ~np.isnan(amounts))
    if not len(cand):
        return np.zeros(len(amounts), dtype=bool)
    prefix = np.concatenate([[0.0], np.cumsum(np.where(data_row, amounts, 0.0))])
    count = np.concatenate([[0], np.cumsum(data_row)])
    start = np.concatenate([[0], cand[:-1] + 1])
    targets = [  # (sum, number of rows summed)
        (prefix[cand] - prefix[start], count[cand] - count[start]),
        (prefix[cand], count[cand]),
        (np.full(len(cand), prefix[-1]), np.full(len(cand), count[-1])),
    ]
    a = amounts[cand]
    hit = np.zeros(len(cand), dtype=bool)
    for total, n in targets:
        hit |= (n >= 2) & (np.abs(a - total) <= 0.01 + 1e-9 * np.abs(total))
    out = np.zeros(len(amounts), dtype=bool)
    out[cand[hit]] = True
    return out


def _duplicates(frame: pd.DataFrame, valid: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
    """Valid rows that repeat an earlier valid row exactly (all file columns)."""
    idx = np.flatnonzero(valid)
    out = np.zeros(len(frame), dtype=bool)
    if len(idx) < 2:
        return out
    # cheap pre-filter on parsed values: equal rows have equal hashes, so only rows whose
    # hash repeats can be duplicates; they are then compared on their full text
    h = np.zeros(len(idx), dtype=np.uint64)
    for k in keys:
        h = h * np.uint64(1_000_003) ^ pd.util.hash_array(k[idx])
    cand = idx[pd.Series(h).duplicated(keep=False).to_numpy()]
    if not len(cand):
        return out
    take = pa.array(cand)
    cols = [
        pc.cast(pa.array(frame[c], from_pandas=True).take(take), pa.large_string())
        for c in frame.columns
    ]
    cols = [pc.fill_null(c, pa.scalar("\x00", pa.large_string())) for c in cols]
    sep = pa.scalar("\x1f", pa.large_string())
    joined = cols[0] if len(cols) == 1 else pc.binary_join_element_wise(*cols, sep)
    out[cand[pd.Series(joined.to_pandas()).duplicated(keep="first").to_numpy()]] = True
    return out


def _date_order(date_i8: np.ndarray) -> np.ndarray:
    """Stable order by date; a radix sort on day numbers when all dates are whole days."""
    day = 86_400 * 10**9
    lo = date_i8.min()
    if (date_i8.max() - lo) // day < 1 << 16 and not (date_i8 % day).any():
        return np.argsort(((date_i8 - lo) // day).astype(np.uint16), kind="stable")
    return np.argsort(date_i8, kind="stable")


def read_transactions(
    source: str | Path | pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    segments: Sequence[str] | Mapping[str, str] = (),
    encoding: str | None = None,
    dayfirst: bool = False,
    date_format: str | None = None,
    decimal: str = ".",
    thousands: str | None = None,
    sheet: str | int | None = None,
    duplicates: str = "keep",
) -> tuple[pd.DataFrame, LoadReport]:
    """Read a sales export into the canonical transactions table, accounting for every row.

    Parameters
    ----------
    source : str, pathlib.Path or pandas.DataFrame
        CSV/TSV/semicolon file (delimiter sniffed), ``.xlsx``, ``.parquet``, or a frame.
    columns : mapping, optional
        Canonical name -> file column, for ``customer_id``, ``date``, ``amount``
        and optionally ``order_id``; roles left out are looked up under their
        canonical name. Headers match after trimming, Unicode NFC and removing
        invisible RTL/LTR marks and BOMs, then ignoring case.
    segments : sequence or mapping
        File columns to keep as segments (under the same names), or a mapping
        output name -> file column.
    encoding : str, optional
        Text encoding; detected when None (UTF-8, UTF-8/16 with BOM, cp1255, cp1252/latin-1).
    dayfirst : bool, default False
        Read 01/02/2024 as 1 February.
    date_format : str, optional
        strptime format tried first, e.g. ``'%d.%m.%Y'``.
    decimal : {'.', ','}
        Decimal mark of amounts.
    thousands : str, optional
        Thousands separator; None accepts well-formed groups (see
        :func:`retainlib._parsing.parse_numbers`).
    sheet : str or int, optional
        Excel sheet name or 0-based index.
    duplicates : {'keep', 'drop'}
        What to do with rows that exactly repeat an earlier row; counted either way.

    Returns
    -------
    transactions : pandas.DataFrame
        ``customer_id`` (str, leading zeros kept), ``date`` (datetime64[ns]),
        ``amount`` (float64, negative = return), ``order_id`` (str, when
        mapped or present), then the segment columns (str). Sorted by date;
        rows with the same date keep the file's order. RangeIndex.
    report : LoadReport
        Counts, rejected rows with line numbers and reasons, date range, revenue.

    Raises
    ------
    DataError
        Missing file, unsupported format, undecodable text, absent column, or no usable row.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"Customer": ["007", "", "008"], "Date": ["31/01/2024"] * 3,
    ...                     "Total": ["₪1,200.50", "5", "(45.00)"]})
    >>> tx, report = read_transactions(raw, columns={"customer_id": "Customer",
    ...     "date": "Date", "amount": "Total"}, dayfirst=True)
    >>> tx["amount"].tolist(), report.rejected_counts()
    ([1200.5, -45.0], {'blank customer id': 1})
    """
    if duplicates not in ("keep", "drop"):
        raise DataError(f"duplicates must be 'keep' or 'drop', not {duplicates!r}")
    wanted, optional, segs = _wanted(columns, segments)
    raw = read_raw(source, encoding=encoding, sheet=sheet)
    hint = (
        None
        if columns is not None
        else (
            "Map the file's columns with columns={'customer_id': ..., 'date': ..., 'amount': ...} "
            "(the columns: key of a client config)."
        )
    )
    found = map_columns(raw, {**wanted, **segs}, optional=optional, hint=hint)
    frame, n = raw.frame, len(raw.frame)
    ids, r_id = clean_ids(frame[found["customer_id"]])
    dates, r_date = parse_dates(frame[found["date"]], dayfirst=dayfirst, date_format=date_format)
    if date_format is None:
        _warn_date_order(r_date, frame[found["date"]], dayfirst, raw.name, found["date"])
    amounts, r_amt = parse_amounts(frame[found["amount"]], decimal=decimal, thousands=thousands)

    codes = np.full(n, -1, dtype=np.int8)
    for reasons in (r_amt, r_date, r_id):  # lowest precedence first: later ones overwrite
        lut = np.array([REASONS.index(c) for c in reasons.cat.categories], dtype=np.int8)
        c = reasons.cat.codes.to_numpy()
        codes[c >= 0] = lut[c[c >= 0]]
    label = _total_label(ids)
    bad = np.flatnonzero((codes >= 0) & ~label)
    if len(bad):  # a rejected row is a total row if any cell says so, or a blank id sums rows
        sub = frame.iloc[bad]
        label[bad] = np.logical_or.reduce([_total_label(clean_text(sub[c])) for c in sub.columns])
        amt = amounts.to_numpy()
        blank_id = r_id.notna().to_numpy()
        label |= _sum_rows(amt, blank_id, ~blank_id & ~np.isnan(amt) & ~label)
    codes[label] = REASONS.index("total row")
    if raw.too_many_fields is not None and raw.too_many_fields.any():
        codes[raw.too_many_fields] = REASONS.index("too many fields")

    date_i8 = dates.to_numpy().view(np.int64)
    dup = _duplicates(frame, codes < 0, [date_i8, amounts.to_numpy().view(np.int64)])
    if duplicates == "drop":
        codes[dup] = REASONS.index("duplicate row")
    keep = codes < 0
    all_kept = bool(keep.all())

    out = {"customer_id": ids, "date": dates, "amount": amounts}
    if "order_id" in found:
        out["order_id"] = clean_text(frame[found["order_id"]])
    for name in segs:
        out[name] = clean_text(frame[found[name]])
    tx = pd.DataFrame(out)
    if not all_kept:
        tx = tx[keep]
        date_i8 = date_i8[keep]
    if len(tx) > 1 and not (np.diff(date_i8) >= 0).all():
        tx = tx.take(_date_order(date_i8))
    tx = tx.reset_index(drop=True)

    rej_idx = np.flatnonzero(~keep)
    rejected = pd.DataFrame(
        {
            "line": raw.lines[rej_idx],
            "reason": pd.array(np.asarray(REASONS, dtype=object)[codes[rej_idx]], dtype=TEXT),
        }
    )
    for name, col in found.items():
        rejected[name] = (
            frame[col].to_numpy()[rej_idx] if len(rej_idx) else pd.Series([], dtype=TEXT)
        )
    rejected = rejected.astype({c: TEXT for c in found})
    report = LoadReport(
        source=raw.name,
        rows_read=n,
        rows_kept=len(tx),
        rows_rejected=len(rej_idx),
        duplicates=int(dup.sum()),
        encoding=raw.encoding,
        rejected=rejected,
        duplicates_dropped=duplicates == "drop",
        blank_lines=raw.blank_lines,
        columns=found,
    )
    if not len(tx):
        if not n:
            raise DataError(f"{raw.name} has no data rows below its header; export the data again")
        top = "; ".join(f"{k}: {v:,}" for k, v in list(report.rejected_counts().items())[:3])
        raise DataError(
            f"no usable rows in {raw.name}: all {n:,} rows were rejected ({top}); "
            "check the column mapping and the read options (dayfirst, date_format, decimal)"
        )
    amt = tx["amount"].to_numpy()
    report.first_date, report.last_date = tx["date"].iloc[0], tx["date"].iloc[-1]
    report.revenue = float(amt.sum())
    report.returns = int((amt < 0).sum())
    report.customer_ids = tx["customer_id"]
    return tx, report


def read_client(cfg) -> tuple[pd.DataFrame, LoadReport]:
    """Read a client's transactions as its :class:`retainlib.config.ClientConfig` says.

    Parameters
    ----------
    cfg : ClientConfig
        From :func:`retainlib.load_config`.

    Returns
    -------
    transactions : pandas.DataFrame
    report : LoadReport
        See :func:`read_transactions`.
    """
    return read_transactions(cfg.data, columns=cfg.columns, segments=cfg.segments, **cfg.read)
