"""Raw text files a client may send, read by retainlib.load._rawread.read_raw (issue #12).

Line ends of any kind, NUL bytes, a workbook or archive named .csv, very long
values and lines, a file without line breaks, any internal failure: each is
either read as written or refused with one sentence naming the file (and the
line where there is one). Every file is written in the test; the expected
rows and lines are counted by hand from it.
"""

from __future__ import annotations

import csv
import gzip
import time
import zipfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainlib.cli import main
from retainlib.errors import DataError
from retainlib.load import _rawread
from retainlib.load._rawread import read_raw
from retainlib.load.transactions import read_transactions

ROWS = [["C1", "2024-01-01", "10"], ["C2", "2024-01-02", "20"], ["C3", "2024-01-03", "30"]]


def _csv(rows, end="\n", header="customer_id,date,amount"):
    return "".join(line + end for line in [header, *(",".join(r) for r in rows)]).encode()


def _refused(path, **kwargs) -> str:
    with pytest.raises(DataError) as err:
        read_raw(path, **kwargs)
    message = str(err.value)
    assert "\n" not in message and len(message) < 400
    return message


# --- line ends ---------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_cr_only_crlf_and_lf_files_give_the_same_rows_and_lines(tmp_path, end):
    # old Mac exports end lines with a lone CR; before, they could not be read at all
    (tmp_path / "sales.csv").write_bytes(_csv(ROWS, end))
    raw = read_raw(tmp_path / "sales.csv")
    assert raw.frame.values.tolist() == ROWS and raw.lines.tolist() == [2, 3, 4]


def test_a_quoted_cr_stays_in_its_value_in_a_cr_only_file(tmp_path):
    data = b'customer_id,date,amount,note\rC1,2024-01-01,10,"two\rlines"\rC2,2024-01-02,20,x\r'
    (tmp_path / "sales.csv").write_bytes(data)
    raw = read_raw(tmp_path / "sales.csv")
    assert raw.frame["note"].tolist() == ["two\rlines", "x"]
    assert raw.lines.tolist() == [2, 4]  # the first record spans lines 2-3


_END = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["C1", "C2", "אבי"]), st.sampled_from(
    ["2024-01-01", "x"]), st.sampled_from(["1", "2.5", ""])), min_size=1, max_size=12),
    ends=st.lists(_END, min_size=14, max_size=14), blank=st.booleans())
def test_any_mix_of_line_ends_gives_the_same_rows(tmp_path_factory, rows, ends, blank):
    # each line ends with its own \n, \r\n or \r; a blank line after the header (blank=True)
    # sends the file through the csv module instead of pyarrow: both give the same rows
    # (the blank line ends with \r\n: after a line ending with \r, a blank line ending with \n
    # would make one \r\n, a single line end, as every reader sees it)
    lines = ["customer_id,date,amount", *([""] if blank else []), *(",".join(r) for r in rows)]
    data = "".join(line + (ends[i] if line else "\r\n") for i, line in enumerate(lines)).encode()
    path = tmp_path_factory.mktemp("ends") / "sales.csv"
    path.write_bytes(data)
    raw = read_raw(path)
    expected = [[v if v != "" else None for v in r] for r in rows]
    assert raw.frame.astype(object).where(raw.frame.notna(), None).values.tolist() == expected
    first = 3 if blank else 2
    assert raw.lines.tolist() == list(range(first, first + len(rows)))


# --- NUL bytes ---------------------------------------------------------------------------


@pytest.mark.parametrize("blank", [False, True], ids=["pyarrow", "csv module"])
def test_nul_bytes_reach_the_values_without_splitting_them(tmp_path, blank):
    data = b"customer_id,date,amount\n" + (b"\n" if blank else b"") + \
        b"C\x001,2024-01-01,10\nC2,2024-01-02,2\x000\n"
    (tmp_path / "sales.csv").write_bytes(data)
    raw = read_raw(tmp_path / "sales.csv")
    assert raw.frame.values.tolist() == [["C\x001", "2024-01-01", "10"],
                                         ["C2", "2024-01-02", "2\x000"]]
    assert raw.encoding == "utf-8"


@pytest.mark.parametrize("blank", [False, True], ids=["pyarrow", "csv module"])
def test_nul_bytes_in_ids_and_segments_are_removed_by_the_cleaners(tmp_path, blank):
    # the end result through read_transactions: the id and segment cleaners remove control
    # characters, so 'C\x001' is customer C1 and 'Nor\x00th' is North; both rows are kept
    data = b"customer_id,date,amount,region\n" + (b"\n" if blank else b"") + \
        b"C\x001,2024-01-01,10,Nor\x00th\nC2,2024-01-02,20,South\n"
    (tmp_path / "sales.csv").write_bytes(data)
    tx, report = read_transactions(tmp_path / "sales.csv", segments=["region"])
    assert tx["customer_id"].tolist() == ["C1", "C2"]
    assert tx["region"].tolist() == ["North", "South"]
    assert (report.rows_read, report.rows_kept) == (2, 2)


def test_a_file_mostly_of_control_bytes_is_refused_as_binary(tmp_path):
    (tmp_path / "sales.csv").write_bytes(b"id,date\n" + bytes(range(9)) * 50)
    assert _refused(tmp_path / "sales.csv") == (
        "sales.csv is binary data, not text, not a CSV text file; "
        "export the data from the source system as CSV")


# --- binary files named .csv -------------------------------------------------------------


def _xlsx_like(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")


def _zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("sales.csv", "customer_id,date,amount\n")


def _parquet(path):
    pq.write_table(pa.table({"customer_id": ["C1"]}), path)


@pytest.mark.parametrize(("write", "message"), [
    (_xlsx_like, "sales.csv is an Excel workbook, not a CSV text file; rename it to sales.xlsx"),
    (_zip, "sales.csv is a zip archive, not a CSV text file; unzip it and give the CSV file "
           "inside"),
    (lambda p: p.write_bytes(b"PK\x03\x04 cut off"), "sales.csv is a damaged zip archive "
     "(perhaps an Excel workbook), not a CSV text file; export the data again as CSV"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
     "sales.csv is an old Excel .xls workbook or a password-protected Excel file, not a CSV "
     "text file; open it in Excel and save it as .xlsx without a password, or as CSV"),
    (_parquet, "sales.csv is a Parquet file, not a CSV text file; rename it to sales.parquet"),
    (lambda p: p.write_bytes(gzip.compress(_csv(ROWS))), "sales.csv is a gzip-compressed file, "
     "not a CSV text file; decompress it first (gunzip) and give the CSV inside"),
    (lambda p: p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), "sales.csv is a PDF document, "
     "not a CSV text file; export the data from the source system as CSV"),
    (lambda p: p.write_bytes(b"<!DOCTYPE html><html><table><tr><td>1</td></tr></table>"),
     "sales.csv is an HTML page, not a CSV text file; open it in Excel and save it as .xlsx "
     "or CSV"),
])
def test_a_binary_file_named_csv_is_refused_naming_what_it_is(tmp_path, write, message):
    write(tmp_path / "sales.csv")
    assert _refused(tmp_path / "sales.csv") == message


# --- long values and lines ---------------------------------------------------------------


@pytest.mark.parametrize("blank", [False, True], ids=["pyarrow", "csv module"])
@pytest.mark.parametrize("column", ["customer_id", "segment"])
def test_a_200_kb_value_is_read(tmp_path, blank, column):
    # 200 kB is over pyarrow's and the csv module's usual limits (128 kB), under the 1 MB cap
    long = "X" * 200_000
    row = {"customer_id": "C9", "date": "2024-01-09", "amount": "9", "segment": "s"}
    row[column] = long
    rows = [["C1", "2024-01-01", "1", "s"], list(row.values())]
    data = _csv(rows, header="customer_id,date,amount,segment")
    if blank:
        data = data.replace(b"\n", b"\n\n", 1)  # a blank line 2: the csv module reads the file
    (tmp_path / "sales.csv").write_bytes(data)
    raw = read_raw(tmp_path / "sales.csv")
    assert raw.frame[column].tolist()[1] == long
    assert raw.lines.tolist() == ([3, 4] if blank else [2, 3])
    assert csv.field_size_limit() == 131072  # the csv module's setting is left as it was


@pytest.mark.parametrize("blank", [False, True], ids=["pyarrow", "csv module"])
def test_a_value_over_1_mb_is_refused_naming_its_line(tmp_path, blank):
    data = _csv([["C1", "2024-01-01", "1"], ["C2", "2024-01-02", "Y" * 1_100_000]])
    if blank:
        data = data.replace(b"\n", b"\n\n", 1)  # the long value moves to line 4
    (tmp_path / "sales.csv").write_bytes(data)
    assert _refused(tmp_path / "sales.csv").startswith(
        f"sales.csv has a value over 1 MB long on line {4 if blank else 3}")


def _long_line_file(path):
    # 100,000 short lines (about 2 MB) around one 2.5 MB line of ten 250 kB values
    short = "".join(f"C{i},2024-01-01,{i}\n" for i in range(50_000))
    long = ",".join(["Z" * 250_000] * 10)
    header = "customer_id,date,amount," + ",".join(f"c{i}" for i in range(7))
    path.write_text(header + "\n" + short + long + "\n" + short, encoding="utf-8")


def test_a_long_line_in_a_big_file_is_read_with_bigger_blocks(tmp_path):
    # pyarrow's 1 MB blocks cannot hold the long line ("straddling object"); 16 MB blocks can
    _long_line_file(tmp_path / "sales.csv")
    raw = read_raw(tmp_path / "sales.csv")
    assert len(raw.frame) == 100_001 and raw.lines[50_000] == 50_002
    assert raw.frame["customer_id"][50_000] == "Z" * 250_000


def test_a_line_longer_than_the_biggest_block_is_refused(tmp_path, monkeypatch):
    # with blocks of at most 1 MB (instead of 64 MB) the 2.5 MB line is too long
    _long_line_file(tmp_path / "sales.csv")
    monkeypatch.setattr(_rawread, "_BLOCK_SIZES", [None, 1 << 20])
    assert _refused(tmp_path / "sales.csv") == (
        "sales.csv has a line over 1 MB long; it is not a table of transactions: "
        "export it again as CSV")


def test_a_file_without_line_breaks_is_refused_quickly(tmp_path):
    (tmp_path / "sales.csv").write_bytes(b"a," * 25_000_000)  # 50 MB, one line
    start = time.perf_counter()
    message = _refused(tmp_path / "sales.csv")
    assert message == ("sales.csv is not a table: its first line is over 1 MB long "
                       "(no line breaks); export it again as CSV")
    assert time.perf_counter() - start < 10  # about 0.1 s; generous for a loaded machine


def test_a_header_of_more_columns_than_a_spreadsheet_holds_is_refused(tmp_path):
    (tmp_path / "sales.csv").write_bytes(b"a," * 20_000 + b"\n1\n")  # 20,001 names, 40 kB
    assert _refused(tmp_path / "sales.csv") == (
        "sales.csv is not a table: its first line has 20,001 columns (more than the 16,384 a "
        "spreadsheet holds); export it again as CSV")


def test_the_missing_column_message_lists_at_most_20_columns_of_40_characters(tmp_path):
    names = [f"{'n' * 45}{i}" for i in range(25)]  # 25 names of 46 characters
    (tmp_path / "sales.csv").write_text(",".join(names) + "\n" + ",".join("1" * 25) + "\n",
                                        encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_transactions(tmp_path / "sales.csv")
    listed = str(err.value).split("columns are: ")[1].split(" and 5 more")[0]
    assert listed == ", ".join([repr("n" * 39 + "…")] * 20)


# --- any other failure -------------------------------------------------------------------


def test_an_internal_failure_becomes_one_sentence_naming_the_data_file(tmp_path, monkeypatch):
    (tmp_path / "sales.csv").write_bytes(_csv(ROWS))

    def broken(*args, **kwargs):
        raise ValueError("tuple.index(x): x not in tuple\nsecond line")

    monkeypatch.setattr(_rawread, "_read_one_line_records", broken)
    assert _refused(tmp_path / "sales.csv") == (
        "data file sales.csv could not be read (ValueError: tuple.index(x): x not in tuple); "
        "check that it is a CSV, Excel or Parquet export and export it again")


def test_validate_of_a_config_names_the_broken_data_file_not_the_config(tmp_path, capsys,
                                                                       monkeypatch):
    (tmp_path / "client.yaml").write_text("client: Acme\ndata: sales.csv\n", encoding="utf-8")
    (tmp_path / "sales.csv").write_bytes(gzip.compress(_csv(ROWS)))
    assert main(["validate", str(tmp_path / "client.yaml")]) == 2
    err = capsys.readouterr().err
    assert "sales.csv is a gzip-compressed file" in err and "client.yaml" not in err

    (tmp_path / "sales.csv").write_bytes(_csv(ROWS))
    monkeypatch.setattr(_rawread, "_count_lines", lambda buf: 1 / 0)
    assert main(["validate", str(tmp_path / "client.yaml")]) == 2
    err = capsys.readouterr().err
    assert "data file sales.csv could not be read (ZeroDivisionError" in err
    assert "client.yaml" not in err and err.count("\n") == 1


def test_a_broken_line_in_the_csv_module_path_names_its_line(tmp_path):
    # a blank line 2 sends the file to the csv module; a value over 1 MB on line 4 stops it
    data = b"customer_id,date,amount\n\nC1,2024-01-01,1\nC2,2024-01-02," + b"9" * 1_100_000 + b"\n"
    (tmp_path / "sales.csv").write_bytes(data)
    assert "on line 4" in _refused(tmp_path / "sales.csv")


def test_a_csv_text_file_reads_with_pandas_equal_values(tmp_path):
    # the reference: what the reader gives for a plain file is what pandas reads as text
    (tmp_path / "sales.csv").write_bytes(_csv(ROWS, "\r"))
    raw = read_raw(tmp_path / "sales.csv")
    ref = pd.read_csv(tmp_path / "sales.csv", dtype=str, lineterminator="\r")
    assert raw.frame.values.tolist() == ref.values.tolist()


@pytest.mark.parametrize("lead", ["\n", "\r\n\r\n", " \n", "\ufeff\n"])
def test_blank_lines_before_the_header_are_not_a_row(tmp_path, lead):
    # the header is the first line with text; it was once read as a data row too ('unparseable
    # date' with the header's own cells) when blank lines came before it
    from retainlib import read_transactions

    path = tmp_path / "s.csv"
    path.write_text(lead + "customer_id,date,amount\na,2024-03-01,10\nb,2024-03-02,5\n",
                    encoding="utf-8")
    tx, report = read_transactions(path)
    assert (report.rows_read, report.rows_kept, report.rows_rejected) == (2, 2, 0)
    assert list(tx["customer_id"]) == ["a", "b"]
