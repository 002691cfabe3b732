"""Reading a client file as text: the raw layer under :mod:`retainlib.load.transactions`.

:func:`read_raw` opens CSV/TSV/semicolon files (encoding detected, delimiter
sniffed), Excel workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) and Parquet, and returns a
:class:`RawTable`: every column as text plus the file line of each row. Nothing is parsed here,
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

import csv
import decimal
import io
import re
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from retainlib.errors import DataError, RetainlibError
from retainlib.load._encoding import check_text_file, utf8_text
from retainlib.load._table import RawTable, dedupe_headers, drop_blank_rows
from retainlib.load.parsing import TEXT

_DELIMITED = {".csv", ".tsv", ".tab", ".txt", ".dat"}
_EXCEL = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
_PARQUET = {".parquet", ".pq"}
_DELIMITERS = [",", ";", "\t", "|"]
# column kinds a caller may ask pyarrow to convert while reading (see read_raw's typed)
_KINDS = {"date": pa.timestamp("ns"), "number": pa.float64()}
_CONVERSION_ERROR = re.compile(r"In CSV column #(\d+): CSV conversion error")
_MAX_FIELD = 1 << 20  # a value longer than 1 MB is not data: refused with its line
_MAX_FIRST_LINE = 1 << 20  # a header line longer than 1 MB: not a table
_MAX_COLUMNS = 16_384  # Excel's limit: a header with more columns is not a table
_BLOCK_SIZES = [None, 1 << 24, 1 << 26]  # pyarrow's default (1 MB), then room for long lines
Typed = Callable[[list[str], str], Mapping[str, str]]


def _to_text_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Every column as text (integral floats without '.0', dates in ISO form), and the numbers.

    Empty texts become missing, as empty cells of a CSV file do. The second
    result maps each (deduplicated) header of a numeric column to its values
    as float64 (:func:`_number_values`), for :attr:`RawTable.numbers`.
    """
    out = {}
    numbers = {}
    names = dedupe_headers(df.columns)
    for i, name in enumerate(names):
        s = df.iloc[:, i]
        x = _number_values(s)
        if x is not None:
            numbers[name] = x
        if pd.api.types.is_float_dtype(s) and s.notna().any():
            finite = s.dropna()
            if (finite == np.round(finite)).all() and finite.abs().max() < 2**53:
                s = s.astype("Int64")
        text = s.astype(TEXT)
        out[name] = text.where(s.notna() & (text != ""))
    frame = pd.DataFrame(out, columns=names)
    return frame.astype(TEXT).reset_index(drop=True), numbers


def _number_values(s: pd.Series) -> np.ndarray | None:
    """A numeric column (floats, integers, decimals) as float64, NaN where missing; else None.

    Booleans are not numbers here.

    >>> import decimal
    >>> _number_values(pd.Series([decimal.Decimal("1.234"), None])).tolist()
    [1.234, nan]
    >>> _number_values(pd.Series(["1.5"])) is None, _number_values(pd.Series([True])) is None
    (True, True)
    """
    if pd.api.types.is_bool_dtype(s.dtype):
        return None
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    if s.dtype == object:
        first = s.first_valid_index()
        if first is not None and isinstance(s[first], decimal.Decimal):
            try:
                return pd.to_numeric(s, errors="raise").to_numpy(dtype=np.float64,
                                                                   na_value=np.nan)
            except (TypeError, ValueError):
                return None
    return None


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
    r"""Lines in ``buf``: its line ends, plus one for a last line without one.

    A line ends with ``\n``, ``\r\n`` or a lone ``\r`` (numpy: GIL released).

    >>> _count_lines(pa.py_buffer(b"a\r\nb\rc\nd"))
    4
    """
    data = np.frombuffer(buf, dtype=np.uint8)
    if not len(data):
        return 0
    step = 1 << 20  # a megabyte at a time: the comparison stays in cache
    ends = 0
    for i in range(0, len(data), step):
        chunk = data[i : i + step + 1]  # one byte more: a \\r at the end may be half of \\r\\n
        own = chunk[:step]
        ends += int(np.count_nonzero(own == 10))
        cr = own == 13
        if cr.any():  # lone \\r ends a line too (old Mac exports); \\r\\n counts once, as \\n
            after = np.zeros(len(own), dtype=bool)
            after[: len(chunk) - 1] = chunk[1:] == 10
            ends += int(np.count_nonzero(cr & ~after))
    return ends + int(data[-1] not in (10, 13))


def _parse(buf: pa.Buffer, names: list[str], sep: str, types: dict, header: bool = True,
           block_size: int | None = None) -> pa.Table:
    """Read with pyarrow's CSV reader: columns of ``types`` converted, the others as text.

    The text was checked to be UTF-8 before (no second check here).
    """
    read_options = pacsv.ReadOptions(column_names=names, skip_rows=int(header))
    if block_size:
        read_options.block_size = block_size
    return pacsv.read_csv(
        pa.BufferReader(buf),
        read_options=read_options,
        parse_options=pacsv.ParseOptions(delimiter=sep),
        convert_options=pacsv.ConvertOptions(
            column_types={n: types.get(n, pa.large_string()) for n in names},
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            check_utf8=False,
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
    head_end = max(head.rfind(b"\n"), head.rfind(b"\r"))
    tail_start = min((i for i in (tail.find(b"\n"), tail.find(b"\r")) if i >= 0), default=-1)
    return [(pa.py_buffer(head[: head_end + 1]), True),
            (pa.py_buffer(tail[tail_start + 1 :]), False)]


def _parse_typed(buf: pa.Buffer, names: list[str], sep: str, kinds: dict[str, str],
                 block_size: int | None = None) -> pa.Table:
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
            table = _parse(buf, names, sep, types, block_size=block_size)
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
    r"""Read a delimited text file (comma, semicolon, tab or pipe) into an all-text RawTable.

    The steps: refuse a file that is not text (a workbook or archive named
    .csv); find the encoding (``encoding`` if given, else detected, see
    :mod:`retainlib.load._encoding`) and get the text as UTF-8 bytes without
    a BOM; sniff the delimiter and read the header from the first 64 kB (and
    the whole first line); parse the file with pyarrow, converting the
    columns ``typed`` asks for when every value converts. When every record
    is one line, that is the result (row ``i`` on line ``i + 2``); otherwise
    (blank lines, line breaks inside quotes, ragged rows) the file is read
    again with Python's csv module, which knows the line of each row and the
    rows with too many fields. Line ends may be ``\n``, ``\r\n`` or a lone
    ``\r``, mixed.
    """
    buf = pa.memory_map(str(path)).read_buffer()  # no copy into Python memory
    check_text_file(path, buf.slice(0, min(buf.size, 1 << 16)).to_pybytes())
    enc, buf = utf8_text(buf, encoding, path.name)
    sep, names = _delimiter_and_header(_header_sample(buf, path.name), path)
    fast = _read_one_line_records(buf, names, sep, typed, path.name)
    if fast is None:  # blank lines, quoted line breaks or ragged rows: exact, slower
        text = buf.to_pybytes().decode("utf-8")
        frame, lines, extra, blank = _read_with_csv_module(text, sep, names, path.name)
    else:
        (frame, lines), extra, blank = fast, None, 0
    return drop_blank_rows(RawTable(frame, lines, path.name, enc, extra, blank))


def _header_sample(buf: pa.Buffer, name: str) -> str:
    """The first 64 kB of the text, and at least its whole first line, for the delimiter and header.

    A first line longer than 1 MB (a file without line breaks) is not a
    table: a DataError, before thousands of column names are made.
    """
    sample = buf.slice(0, min(buf.size, 1 << 16)).to_pybytes()
    if b"\n" not in sample and b"\r" not in sample and buf.size > len(sample):
        sample = buf.slice(0, min(buf.size, _MAX_FIRST_LINE + 1)).to_pybytes()
        ends = [i for i in (sample.find(b"\n"), sample.find(b"\r")) if i >= 0]
        if not ends and len(sample) > _MAX_FIRST_LINE:
            raise DataError(
                f"{name} is not a table: its first line is over {_MAX_FIRST_LINE >> 20} MB long "
                "(no line breaks); export it again as CSV"
            )
        sample = sample[: min(ends) + 1] if ends else sample
    return sample.decode("utf-8", "ignore")


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Python's csv module accepts values up to ``limit`` characters while inside (default 128 kB).

    The limit is the csv module's own setting; it is restored on leaving.
    """
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _has_text(record: list[str]) -> bool:
    """Whether a csv record has a cell with more than spaces (a header line must)."""
    return any(cell.strip() for cell in record)


def _delimiter_and_header(sample: str, path: Path) -> tuple[str, list[str]]:
    """The delimiter (tab for .tsv/.tab, else sniffed) and the header names, made unique.

    A header of more than 16,384 columns (Excel's limit) is a DataError: not a table.
    """
    if not sample.strip():
        raise DataError(f"{path.name} is empty; export the data again with a header row")
    with _csv_field_limit(_MAX_FIELD):
        sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else _sniff(sample)
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=sep)
        header = next((r for r in reader if _has_text(r)), [])  # lines of spaces before it: none
    if len(header) > _MAX_COLUMNS:
        raise DataError(
            f"{path.name} is not a table: its first line has {len(header):,} columns (more than "
            f"the {_MAX_COLUMNS:,} a spreadsheet holds); export it again as CSV"
        )
    return sep, dedupe_headers(header)


def _read_one_line_records(
    buf: pa.Buffer, names: list[str], sep: str, typed: Typed | None, name: str
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """The file parsed by pyarrow and each row's line, or None when a record spans lines.

    The lines are counted in another thread while pyarrow parses: exactly one
    line more than records (the header) means one line per record, so row
    ``i`` is on line ``i + 2``. None too when pyarrow cannot read a record (a
    ragged row, a quoted line break): the csv module decides. A line longer
    than pyarrow's 1 MB block is read with a bigger block (up to 64 MB); a
    value over 1 MB is a DataError naming its line. None too when the file
    starts with a blank line: the header is the first line with text, which
    the csv module finds (pyarrow would read the header as a record).
    """
    head = memoryview(buf)[:4096].tobytes()
    if not head.split(b"\n", 1)[0].strip(b" \t\r\xef\xbb\xbf"):
        return None
    with ThreadPoolExecutor(max_workers=1) as pool:
        n_lines = pool.submit(_count_lines, buf)
        kinds = {n: k for n, k in (typed(names, name) if typed else {}).items()
                 if n in names and k in _KINDS}
        table = _parse_with_room(buf, names, sep, kinds, name)
        one_line_records = table is not None and table.num_rows + 1 == n_lines.result()
    if table is None:
        return None
    row, column = _first_long_value(table)
    if row is not None and one_line_records:
        raise DataError(_long_value_message(name, row + 2, column))
    if row is not None or not one_line_records:
        return None  # the csv module reads it, and names the line of a value over 1 MB
    return table.to_pandas(), np.arange(2, table.num_rows + 2, dtype=np.int64)


def _parse_with_room(buf: pa.Buffer, names: list[str], sep: str, kinds: dict[str, str],
                     name: str) -> pa.Table | None:
    """:func:`_parse_typed` with pyarrow's block size grown for long lines.

    pyarrow cuts the text into blocks of 1 MB and cannot read a line longer
    than a block ("straddling object"): the file is read again with blocks
    of 16, then 64 MB. A line over 64 MB is a DataError. None when pyarrow
    cannot read a record (the csv module decides then).
    """
    for block_size in _BLOCK_SIZES:
        try:
            return _parse_typed(buf, names, sep, kinds, block_size)
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc):
                return None  # a record pyarrow cannot read: the csv module decides
    raise DataError(
        f"{name} has a line over {_BLOCK_SIZES[-1] >> 20} MB long; it is not a table of "
        "transactions: export it again as CSV"
    )


def _first_long_value(table: pa.Table) -> tuple[int | None, str | None]:
    """(row, column) of the first text value over 1 MB in ``table``, or (None, None).

    Only a chunk holding more than 1 MB of text in one column can hold such a
    value, so the values' lengths are looked at only in those (usually none).
    """
    found = []
    for col_name, col in zip(table.column_names, table.columns, strict=True):
        if not pa.types.is_large_string(col.type):
            continue
        start = 0
        for chunk in col.chunks:
            if chunk.nbytes > _MAX_FIELD:
                offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)
                lengths = np.diff(offsets[chunk.offset : chunk.offset + len(chunk) + 1])
                rows = np.flatnonzero(lengths > _MAX_FIELD)
                if len(rows):
                    found.append((start + int(rows[0]), col_name))
                    break
            start += len(chunk)
    return min(found) if found else (None, None)


def _long_value_message(name: str, line: int, column: str | None) -> str:
    where = f" (column {column!r})" if column else ""
    return (f"{name} has a value over {_MAX_FIELD >> 20} MB long on line {line}{where}; "
            "that is not a customer, date or amount: fix or remove that line")


def _read_with_csv_module(
    text: str, sep: str, names: list[str], name: str
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, int]:
    """Read ``text`` with Python's csv module: (frame, line of each row, too many fields, blanks).

    The exact, slower path: the line of each row is where its record starts,
    blank lines are skipped and counted, and a row with more fields than the
    header (empty trailing fields aside) is flagged and cut to the header's
    width. A value over 1 MB, or a record the csv module cannot read, is a
    DataError naming its line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows, lines, extra = [], [], []
    ncol, prev_end, blank, seen_header = len(names), 0, 0, False
    with _csv_field_limit(_MAX_FIELD):
        try:
            for rec in reader:
                start, prev_end = prev_end + 1, reader.line_num
                if not seen_header or not rec:  # the header is the first record with text
                    blank += seen_header
                    seen_header = seen_header or _has_text(rec)
                    continue
                while len(rec) > ncol and rec[-1] == "":
                    rec.pop()
                extra.append(len(rec) > ncol)
                rows.append([v if v != "" else None for v in (rec + [None] * ncol)[:ncol]])
                lines.append(start)
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise DataError(_long_value_message(name, prev_end + 1, None)) from None
            raise DataError(
                f"{name} could not be read as CSV on line {prev_end + 1} ({exc}); "
                "fix that line or export the file again"
            ) from None
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
        ``.xlsx``/``.xlsm``/``.xlsb``/``.xls``/``.ods``, ``.parquet``; a data frame is
        converted to text.
    encoding : str, optional
        Text encoding of a delimited file. ``None`` detects it: a BOM, else
        UTF-16/32 told by its NUL bytes, else UTF-8 if the whole file
        decodes, else cp1255 or cp1252 when that code page explains every
        byte; otherwise the file is refused (see :mod:`retainlib.load._encoding`).
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
        frame, numbers = _to_text_frame(source)
        return drop_blank_rows(
            RawTable(frame, np.arange(1, len(frame) + 1, dtype=np.int64), "the data frame",
                     numbers=numbers)
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
    try:
        return _read_file(path, encoding, sheet, typed)
    except (RetainlibError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file gets one sentence, not a traceback
        detail = _first_line(exc)
        raise DataError(
            f"data file {path.name} could not be read ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}); check that it is a CSV, Excel or Parquet "
            "export and export it again"
        ) from exc


def _first_line(exc: Exception) -> str:
    """The first line of an exception's message, cut to 200 characters, for a one-line message."""
    lines = str(exc).splitlines()
    return lines[0][:200] if lines else ""


def _read_file(path: Path, encoding: str | None, sheet: str | int | None,
               typed: Typed | None) -> RawTable:
    """:func:`read_raw` of a file that exists: dispatched on its suffix (and first bytes).

    A text suffix (.csv, .tsv, .tab, .txt, .dat) is read as text, and a
    workbook or other binary file under such a name is refused, naming what
    it is. Other files go by suffix or, without one, by their first bytes.
    """
    suffix = path.suffix.lower()
    if suffix in _DELIMITED:
        return _read_delimited(path, encoding, typed)  # a workbook named .csv is refused there
    with path.open("rb") as fh:
        magic = fh.read(8)
    if suffix in _EXCEL or magic.startswith((b"PK", b"\xd0\xcf\x11\xe0")):
        # workbooks, old .xls and password-protected files (OLE) are told apart by their bytes there
        from retainlib.load._excelread import read_excel

        return read_excel(path, sheet)
    if suffix in _PARQUET or magic.startswith(b"PAR1"):
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises ArrowInvalid / OSError variants
            raise DataError(
                f"{path.name} could not be read as Parquet ({_first_line(exc)}); export it again"
            ) from None
        frame, numbers = _to_text_frame(df)
        return drop_blank_rows(
            RawTable(frame, np.arange(1, len(frame) + 1, dtype=np.int64), path.name,
                     numbers=numbers)
        )
    if suffix == "":  # no suffix and not a workbook or Parquet file by its bytes: text
        return _read_delimited(path, encoding, typed)
    raise DataError(
        f"{path.name} has an unsupported format {suffix!r}; "
        "save it as CSV (.csv, .tsv, .txt), Excel (.xlsx, .xls, .ods) or Parquet (.parquet)"
    )
