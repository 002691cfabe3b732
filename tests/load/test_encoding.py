"""Which text encoding a client file is read in (retainlib.load._encoding), issue #12.

The rule: a BOM; UTF-16/32 told by their NUL bytes; UTF-8 when the whole file
decodes; UTF-8 with a byte that is not UTF-8 is refused (line and byte); cp1255
or cp1252 only when that code page explains every byte of 0x80 or more;
otherwise refused. Every file is written byte by byte in the test, so the line
and byte in each expected message can be counted by hand.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retainlib.errors import DataError
from retainlib.load import _encoding
from retainlib.load._rawread import read_raw

HEADER = "customer_id,date,amount,segment\n"
# ten rows, lines 2-11: customers C0..C9, a Hebrew segment on each
HEBREW_ROWS = "".join(f"C{i},2024-01-{i + 1:02d},{10 + i},לקוח חדש\n" for i in range(10))
IDS = [f"C{i}" for i in range(10)]


def _ids(raw):
    return raw.frame["customer_id"].tolist()


def _refused(path) -> str:
    with pytest.raises(DataError) as err:
        read_raw(path)
    return str(err.value)


def test_utf8_hebrew_file_with_one_cp1255_line_is_refused_naming_line_and_byte(tmp_path):
    # lines 2-6 UTF-8, line 7 written in cp1255 ('ש' is 0xf9 there), then lines 8-12 UTF-8:
    # before, the whole file was decoded as cp1255 and every Hebrew text garbled
    rows = HEBREW_ROWS.splitlines(keepends=True)
    data = ((HEADER + "".join(rows[:5])).encode() + "C99,2024-02-01,5,שלום\n".encode("cp1255")
            + "".join(rows[5:]).encode())
    (tmp_path / "sales.csv").write_bytes(data)
    assert _refused(tmp_path / "sales.csv") == (
        "sales.csv is UTF-8 text with a byte that is not UTF-8 (0xf9 on line 7); fix or remove "
        "that line, or set read.encoding if the whole file is in another encoding")


def test_damage_beyond_the_first_megabyte_is_found(tmp_path):
    # 40,000 UTF-8 lines (about 1.3 MB) and one Latin-1 'é' (0xe9) on the last line, 40,002
    body = "".join(f"C{i},2024-01-01,5,צפון\n" for i in range(40_000)).encode()
    (tmp_path / "big.csv").write_bytes(HEADER.encode() + body + b"C9,2024-01-01,5,caf\xe9\n")
    assert "(0xe9 on line 40002)" in _refused(tmp_path / "big.csv")


def test_ascii_file_with_one_stray_byte_is_refused_not_read_as_cp1252(tmp_path):
    # line 5 is 'C3\xff,2024-01-04,13': 0xff would be 'ÿ' in cp1252, but a letter after a digit
    # and before a comma is not a word
    text = "customer_id,date,amount\n" + "".join(
        f"C{i},2024-01-{i + 1:02d},{10 + i}\n" for i in range(10))
    (tmp_path / "sales.csv").write_bytes(text.encode().replace(b"C3,", b"C3\xff,"))
    msg = _refused(tmp_path / "sales.csv")
    assert msg.startswith("sales.csv is not UTF-8 text, and its byte 0xff on line 5 ")
    assert "set read.encoding" in msg and "\n" not in msg


def test_hebrew_cp1255_file_is_read_as_cp1255(tmp_path):
    (tmp_path / "sales.csv").write_bytes((HEADER + HEBREW_ROWS + "C10,2024-02-01,₪5,דרום\n")
                                         .encode("cp1255"))
    raw = read_raw(tmp_path / "sales.csv")
    assert raw.encoding == "cp1255"
    assert _ids(raw) == IDS + ["C10"]  # 11 rows as written: none garbled, none split
    assert raw.frame["segment"].tolist() == ["לקוח חדש"] * 10 + ["דרום"]
    assert raw.frame["amount"].tolist()[-1] == "₪5"


def test_cp1255_file_with_a_byte_cp1255_does_not_define_is_refused(tmp_path):
    # 0xff is not a cp1255 character; before, such a file fell back to cp1252 and was garbled
    data = (HEADER + HEBREW_ROWS).encode("cp1255").replace(b"C4,", b"C4\xff,")
    (tmp_path / "sales.csv").write_bytes(data)
    msg = _refused(tmp_path / "sales.csv")
    assert msg.startswith("sales.csv is not UTF-8 text, and its byte 0xff on line 6 ")
    assert "Hebrew (cp1255)" in msg


def test_western_cp1252_file_with_accents_currency_and_punctuation_is_read(tmp_path):
    rows = ["Zürich,2024-01-01,€5,café crème", "Søren,2024-01-02,£7,“quoted” – dash…",
            "Ñandú,2024-01-03,5\u00a0000,naïve"]
    (tmp_path / "sales.csv").write_bytes(("\n".join([HEADER.strip(), *rows]) + "\n")
                                         .encode("cp1252"))
    raw = read_raw(tmp_path / "sales.csv")
    assert raw.encoding == "cp1252"
    assert raw.frame.values.tolist() == [r.split(",") for r in rows]


@pytest.mark.parametrize(("byte", "line"), [(b"\xa9", 3), (b"\x81", 3), (b"\xbc", 3)])
def test_cp1252_symbol_that_is_no_letter_currency_or_punctuation_is_refused(tmp_path, byte, line):
    # '©', an undefined byte and '¼' are not what a sales export holds: refused, not guessed
    data = b"customer_id,date,amount\nZ\xfcrich,2024-01-01,5\nA" + byte + b"B,2024-01-01,5\n"
    (tmp_path / "sales.csv").write_bytes(data)
    assert (f"its byte 0x{byte[0]:02x} on line {line} makes no sense in the Western (cp1252)"
            in _refused(tmp_path / "sales.csv"))


def test_explicit_encoding_is_used_as_given(tmp_path):
    data = "customer_id,date,amount,city\nA,2024-01-01,1,Zürich\n".encode("latin-1")
    (tmp_path / "sales.csv").write_bytes(data)
    raw = read_raw(tmp_path / "sales.csv", encoding="latin-1")
    assert raw.encoding == "iso8859-1" and raw.frame["city"].tolist() == ["Zürich"]
    with pytest.raises(DataError, match=r"not valid utf-8 text \(byte 0xfc on line 2\)"):
        read_raw(tmp_path / "sales.csv", encoding="utf-8")


@pytest.mark.parametrize(("codec", "reported"), [
    ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-32", "utf-32"),
    ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),  # no BOM: told by the NULs
    ("utf-32-le", "utf-32-le"), ("utf-32-be", "utf-32-be"),
])
def test_wide_and_bom_encodings_are_read_and_reported(tmp_path, codec, reported):
    (tmp_path / "sales.csv").write_bytes((HEADER + HEBREW_ROWS).encode(codec))
    raw = read_raw(tmp_path / "sales.csv")
    assert raw.encoding == reported
    assert list(raw.frame.columns) == ["customer_id", "date", "amount", "segment"]
    assert _ids(raw) == IDS and raw.frame["segment"].tolist() == ["לקוח חדש"] * 10


def test_utf8_file_is_reported_as_utf8_and_not_copied(tmp_path):
    (tmp_path / "sales.csv").write_bytes((HEADER + HEBREW_ROWS).encode())
    raw = read_raw(tmp_path / "sales.csv")
    assert raw.encoding == "utf-8" and _ids(raw) == IDS


_TEXT = st.text(st.sampled_from(list("abc XYZ019.-") + ["é", "א", "ש", "₪", "ü"]), max_size=12)


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(_TEXT, min_size=3, max_size=30), where=st.integers(0, 10**6),
       byte=st.integers(0x80, 0xFF))
def test_any_utf8_file_with_one_invalid_byte_is_refused_naming_its_line(cells, where, byte):
    # one cell per line under a header; two non-ASCII characters, so one is left whole
    lines = ["name", "é", "א", *cells]
    data = "\n".join(lines).encode() + b"\n"
    # insert the byte at a character boundary (or inside a character: same line either way)
    at = where % (len(data) + 1)
    damaged = data[:at] + bytes([byte]) + data[at:]
    assert not _encoding.is_utf8(_pa_buffer(damaged))  # a stray lead or continuation byte
    line = data[:at].count(b"\n") + 1
    with pytest.raises(DataError, match=rf"is UTF-8 text with a byte that is not UTF-8 "
                                        rf"\(0x[0-9a-f]{{2}} on line {line}\)"):
        _encoding.utf8_text(_pa_buffer(damaged), None, "x.csv")


def _pa_buffer(data: bytes):
    import pyarrow as pa

    return pa.py_buffer(data)


def _reference_scan(data: bytes) -> tuple:
    """The facts of scan_high_bytes, the slow plain way: byte by byte, with Python's codecs."""
    def decodes_as_sequence(i):
        n = 2 if 0xC2 <= data[i] <= 0xDF else 3 if data[i] >> 4 == 0xE else (
            4 if 0xF0 <= data[i] <= 0xF4 else 0)
        return n and len(data) >= i + n and all(0x80 <= x <= 0xBF for x in data[i + 1:i + n])

    sequences = any(decodes_as_sequence(i) for i in range(len(data)))
    hebrew = [0xE0 <= x <= 0xFA for x in data]
    letters = sum(hebrew)
    paired = sum(h and ((i > 0 and hebrew[i - 1]) or (i + 1 < len(data) and hebrew[i + 1]))
                 for i, h in enumerate(hebrew))

    def plausible(i, codepage):
        try:
            ch = bytes([data[i]]).decode(codepage)
        except UnicodeDecodeError:
            return False
        if ch.isalpha() and codepage == "cp1252":
            near = [bytes([data[j]]).decode("cp1252", "replace") for j in (i - 1, i + 1)
                    if 0 <= j < len(data)]
            return any(n.isalpha() for n in near)
        # '¤' (0xA4 in cp1252) names no currency: in a client's export that byte is cp1255's ₪
        currency = unicodedata.category(ch) == "Sc" and ch != "\u00a4"
        return ch.isalpha() or currency or ch in _encoding._PUNCTUATION \
            or (codepage == "cp1255" and unicodedata.category(ch) == "Mn")

    first = {cp: next((i for i, x in enumerate(data) if x >= 0x80 and not plausible(i, cp)), None)
             for cp in ("cp1255", "cp1252")}
    return (True,) if sequences else (False, letters, paired, first)


def _facts(data: bytes) -> tuple:
    f = _encoding.scan_high_bytes(np.frombuffer(data, dtype=np.uint8))
    return (True,) if f.utf8_sequences else (False, f.hebrew_letters, f.hebrew_paired,
                                             f.first_implausible)


_BYTES = st.lists(st.one_of(st.integers(0, 255), st.sampled_from([0xD7, 0x90, 0xE9, 0x41, 0x2C])),
                  max_size=60).map(bytes)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # set and undone per input
@given(data=_BYTES, chunk=st.integers(1, 9))
def test_the_high_byte_scan_agrees_with_a_byte_by_byte_reading(monkeypatch, data, chunk):
    # the scan looks at 4 MB at a time; with steps of 1 to 9 bytes every boundary case is met
    with monkeypatch.context() as m:
        m.setattr(_encoding, "_CHUNK", chunk)
        steps = _facts(data)
    assert _facts(data) == steps == _reference_scan(data)


@given(text=st.text(st.sampled_from("ab\r\n"), max_size=40))
def test_line_of_counts_lf_crlf_and_lone_cr_as_line_ends(text):
    data = text.encode()
    assert _encoding.line_of(data, len(data)) == len(re.findall(r"\r\n|\r|\n", text)) + 1


def test_utf8_with_bom_and_a_bad_byte_is_refused_as_damaged_utf8(tmp_path):
    data = b"\xef\xbb\xbf" + (HEADER + "C1,2024-01-01,5,צפון\n").encode() + b"C2,x,5,caf\xe9\n"
    (tmp_path / "sales.csv").write_bytes(data)
    assert "(0xe9 on line 3)" in _refused(tmp_path / "sales.csv")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_a_cut_utf16_file_is_refused_naming_the_line(tmp_path, codec):
    # the last byte cut off: half a character at the end of line 12 (header + 10 rows + 1)
    data = (HEADER + HEBREW_ROWS + "C10,2024-02-01,5,x").encode(codec)[:-1]
    (tmp_path / "sales.csv").write_bytes(data)
    msg = _refused(tmp_path / "sales.csv")
    assert msg.startswith(f"sales.csv is {codec} text that is cut or damaged on line 12; ")
