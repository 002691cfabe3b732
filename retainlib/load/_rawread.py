"""Reading a client file as text: the raw layer under :mod:`retainlib.load.transactions`.

:func:`read_raw` opens CSV/TSV/semicolon files (encoding detected, delimiter
sniffed), Excel .xlsx and Parquet, and returns a :class:`RawTable`: every
column as text plus the file line of each row. Nothing is parsed here,
except clean ISO dates and plain numbers a caller asks pyarrow to convert
while reading (``typed``).

Reusable pieces for loaders of other tables (the NPS survey loader does this)::

    raw = read_raw(path, encoding=None, sheet=None)   # all-text frame + raw.lines
    found = map_columns(raw, {"customer_id": "id", "date": "when", "score": "NPS"})
    ids, why_id = clean_ids(raw.frame[found["customer_id"]])          # parsing
    dates, why_date = parse_dates(raw.frame[found["date"]], dayfirst=True)
    scores, why_score = parse_numbers(raw.frame[found["score"]],      # _numbers
                                      blank_reason="blank score", bad_reason="non-numeric score")

Each parser returns values and a categorical reason per row (missing when the
value parsed); ``raw.lines[i]`` is the file line of row ``i`` for the rejected list.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from retainlib.errors import DataError
from retainlib.load._encoding import _decode, _detect_encoding, _is_utf8, _legacy_encoding
from retainlib.load._table import RawTable, dedupe_headers, drop_blank_rows
from retainlib.load.parsing import TEXT

_DELIMITED = {".csv", ".tsv", ".tab", ".txt", ".dat"}
_EXCEL = {".xlsx", ".xlsm"}
_PARQUET = {".parquet", ".pq"}
_DELIMITERS = [",", ";", "\t", "|"]
# column kinds a caller may ask pyarrow to convert while reading (see read_raw's typed)
_KINDS = {"date": pa.timestamp("ns"), "number": pa.float64()}
_CONVERSION_ERROR = re.compile(r"In CSV column #(\d+): CSV conversion error")
Typed = Callable[[list[str], str], Mapping[str, str]]


def _to_text_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Every column as text (integral floats without '.0', dates in ISO form).

    Empty texts become missing, as empty cells of a CSV file do.
    """
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_float_dtype(s) and s.notna().any():
            finite = s.dropna()
            if (finite == np.round(finite)).all() and finite.abs().max() < 2**53:
                s = s.astype("Int64")
        text = s.astype(TEXT)
        out[col] = text.where(s.notna() & (text != ""))
    frame = pd.DataFrame(out)
    frame.columns = dedupe_headers(df.columns)
    return frame.astype(TEXT).reset_index(drop=True)


def _sniff(sample: str) -> str:
    """The delimiter that splits the first 50 lines most consistently into 2+ fields (else ',')."""
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


def _count_lines(buf: pa.Buffer) -> int:
    """Lines in ``buf``: newlines, plus one for a last line without one (numpy: GIL released)."""
    data = np.frombuffer(buf, dtype=np.uint8)
    if not len(data):
        return 0
    step = 1 << 20  # a megabyte at a time: the comparison stays in cache
    ends = sum(int(np.count_nonzero(data[i : i + step] == 10)) for i in range(0, len(data), step))
    return ends + int(data[-1] != 10)


def _parse(buf: pa.Buffer, names: list[str], sep: str, types: dict, header: bool = True
           ) -> pa.Table:
    """Read with pyarrow's CSV reader: columns of ``types`` converted, the others as text."""
    return pacsv.read_csv(
        pa.BufferReader(buf),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=int(header)),
        parse_options=pacsv.ParseOptions(delimiter=sep),
        convert_options=pacsv.ConvertOptions(
            column_types={n: types.get(n, pa.large_string()) for n in names},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def _failed_column(exc: pa.ArrowInvalid, names: list[str], types: dict) -> str | None:
    """The typed column named by a pyarrow conversion error, if any."""
    found = _CONVERSION_ERROR.search(str(exc))
    if found and int(found.group(1)) < len(names) and names[int(found.group(1))] in types:
        return names[int(found.group(1))]
    return None


def _samples(buf: pa.Buffer) -> list[tuple[pa.Buffer, bool]]:
    """The first and last 64 kB of ``buf`` cut at line ends: (piece, starts with the header)."""
    size, span = buf.size, 1 << 16
    if size <= 2 * span:
        return [(buf, True)]
    head = buf.slice(0, span).to_pybytes()
    tail = buf.slice(size - span, span).to_pybytes()
    return [
        (pa.py_buffer(head[: head.rfind(b"\n") + 1]), True),
        (pa.py_buffer(tail[tail.find(b"\n") + 1 :]), False),
    ]


def _parse_typed(buf: pa.Buffer, names: list[str], sep: str, kinds: dict[str, str]) -> pa.Table:
    """Parse ``buf``; columns of ``kinds`` converted by pyarrow when every value converts.

    A column with a value that does not convert (or a number that is not
    finite) is read as text instead, and left to the forgiving parsers. The
    first and last lines are tried first, where exports put their odd rows.
    """
    types = {n: _KINDS[k] for n, k in kinds.items()}
    for piece, header in _samples(buf) if types else []:
        while types:
            try:
                _parse(piece, names, sep, types, header)
                break
            except pa.ArrowInvalid as exc:
                col = _failed_column(exc, names, types)
                if col is None:  # a sample cut inside a quoted value: no verdict
                    break
                del types[col]
    while True:
        try:
            table = _parse(buf, names, sep, types)
        except pa.ArrowInvalid as exc:
            col = _failed_column(exc, names, types)
            if col is None:
                raise
            del types[col]
            continue
        odd = [n for n, t in types.items() if t == pa.float64()
               and pc.any(pc.invert(pc.is_finite(table.column(n)))).as_py()]
        if not odd:
            return table
        for n in odd:  # 'nan' or 'inf' texts: rejected as non-numeric by the text parsers
            del types[n]


def _read_delimited(path: Path, encoding: str | None, typed: Typed | None = None) -> RawTable:
    """Read a delimited text file (comma, semicolon, tab or pipe) into an all-text RawTable.

    The steps: find the encoding (``encoding`` if given, else detected) and
    get the text as UTF-8 bytes without a BOM; sniff the delimiter and read
    the header from the first 64 kB; parse the file with pyarrow, converting
    the columns ``typed`` asks for when every value converts. When every
    record is one line, that is the result (row ``i`` on line ``i + 2``);
    otherwise (blank lines, line breaks inside quotes, ragged rows, bad
    bytes) the file is read again with Python's csv module, which knows the
    line of each row and the rows with too many fields. A file guessed to be
    UTF-8 whose bytes turn out not to be is read again in the legacy encoding
    they suggest (cp1255 for Hebrew, else cp1252 or latin-1).
    """
    buf = pa.memory_map(str(path)).read_buffer()  # no copy into Python memory
    head = buf.slice(0, min(buf.size, 1 << 20)).to_pybytes()
    enc = _encoding_of(head, buf, encoding, path.name)
    buf = _utf8_without_bom(buf, head, enc, path.name)
    raw_sample = buf.slice(0, min(buf.size, 65536)).to_pybytes()
    if typed and not _is_utf8(raw_sample[: raw_sample.rfind(b"\n") + 1]):
        typed = None  # undecodable text: the encoding error comes first, from the text path
    sep, names = _delimiter_and_header(raw_sample.decode("utf-8", "ignore"), path)
    guessed_utf8 = encoding is None and enc == "utf-8"
    try:
        fast = _read_one_line_records(buf, names, sep, typed, path.name)
    except pa.ArrowInvalid as exc:
        if "utf8" in str(exc).lower() and guessed_utf8:
            return _read_delimited(path, _legacy_encoding(buf.to_pybytes()), typed)
        fast = None  # a record pyarrow cannot read: the csv module decides below
    if fast is None:  # blank lines, quoted line breaks, ragged rows or bad bytes: exact, slower
        data = buf.to_pybytes()
        if guessed_utf8 and not _is_utf8(data):
            return _read_delimited(path, _legacy_encoding(data), typed)
        text = _decode(data, "utf-8", path.name)
        frame, lines, extra, blank = _read_with_csv_module(text, sep, names)
    else:
        (frame, lines), extra, blank = fast, None, 0
    return drop_blank_rows(RawTable(frame, lines, path.name, enc, extra, blank))


def _encoding_of(head: bytes, buf: pa.Buffer, encoding: str | None, name: str) -> str:
    """The codec name of a file: ``encoding`` when given (checked), else detected from the bytes."""
    if not encoding:
        return _detect_encoding(head, buf)
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise DataError(
            f"unknown encoding {encoding!r} for {name}; use e.g. 'utf-8', 'cp1255' or 'latin-1'"
        ) from None


def _utf8_without_bom(buf: pa.Buffer, head: bytes, enc: str, name: str) -> pa.Buffer:
    """The file's text as UTF-8 bytes without a BOM; a UTF-8 file is not copied."""
    if enc in ("utf-8", "utf-8-sig"):
        return buf.slice(3) if head.startswith(codecs.BOM_UTF8) else buf
    text = _decode(buf.to_pybytes(), enc, name).lstrip("\ufeff")
    return pa.py_buffer(text.encode("utf-8"))


def _delimiter_and_header(sample: str, path: Path) -> tuple[str, list[str]]:
    """The delimiter (tab for .tsv/.tab, else sniffed) and the header names, made unique."""
    if not sample.strip():
        raise DataError(f"{path.name} is empty; export the data again with a header row")
    sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else _sniff(sample)
    header = next(r for r in csv.reader(io.StringIO(sample), delimiter=sep) if r)
    return sep, dedupe_headers(header)


def _read_one_line_records(
    buf: pa.Buffer, names: list[str], sep: str, typed: Typed | None, name: str
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """The file parsed by pyarrow and each row's line, or None when a record spans lines.

    The lines are counted in another thread while pyarrow parses: exactly one
    line more than records (the header) means one line per record, so row
    ``i`` is on line ``i + 2``. Raises pyarrow's ArrowInvalid when a record
    does not parse (bad UTF-8, a ragged row).
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        n_lines = pool.submit(_count_lines, buf)
        kinds = {n: k for n, k in (typed(names, name) if typed else {}).items()
                 if n in names and k in _KINDS}
        table = _parse_typed(buf, names, sep, kinds)
        if table.num_rows + 1 != n_lines.result():
            return None
        return table.to_pandas(), np.arange(2, table.num_rows + 2, dtype=np.int64)


def _read_with_csv_module(
    text: str, sep: str, names: list[str]
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, int]:
    """Read ``text`` with Python's csv module: (frame, line of each row, too many fields, blanks).

    The exact, slower path: the line of each row is where its record starts,
    blank lines are skipped and counted, and a row with more fields than the
    header (empty trailing fields aside) is flagged and cut to the header's width.
    """
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


def read_raw(
    source: str | Path | pd.DataFrame,
    *,
    encoding: str | None = None,
    sheet: str | int | None = None,
    typed: Typed | None = None,
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
    typed : callable, optional
        For delimited files: called with the (normalised) header names and the
        file name, returns ``{column: kind}`` for columns to convert while
        reading, kind ``'date'`` (ISO 8601 dates and times, to datetime64[ns])
        or ``'number'`` (to float64). A column converts only if every value
        does (and numbers are finite); otherwise it stays text. Converted
        columns hold missing values where cells are empty.

    Returns
    -------
    RawTable
    """
    if isinstance(source, pd.DataFrame):
        frame = _to_text_frame(source)
        return drop_blank_rows(
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
        from retainlib.load._excelread import read_excel  # openpyxl is imported only for Excel

        return read_excel(path, sheet)
    if suffix in _PARQUET or (suffix not in _DELIMITED and magic.startswith(b"PAR1")):
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises ArrowInvalid / OSError variants
            raise DataError(
                f"{path.name} could not be read as Parquet ({exc}); export it again"
            ) from None
        frame = _to_text_frame(df)
        return drop_blank_rows(
            RawTable(frame, np.arange(1, len(frame) + 1, dtype=np.int64), path.name)
        )
    if suffix in _DELIMITED or suffix == "":
        return _read_delimited(path, encoding, typed)
    raise DataError(
        f"{path.name} has an unsupported format {suffix!r}; "
        "save it as CSV (.csv, .tsv, .txt), Excel (.xlsx) or Parquet (.parquet)"
    )
