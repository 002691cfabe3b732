r"""Text encodings of client files: which one a file is in, and its text as UTF-8 bytes.

Used by :mod:`retainlib.load._rawread`. A file whose encoding is not given
(``read.encoding`` / ``encoding=None``) is judged on all of its bytes, in this order:

1. A byte-order mark decides: UTF-8, UTF-32 or UTF-16 (little or big endian).
2. UTF-32 or UTF-16 without a BOM, told by where the NUL bytes sit in the
   first 4 kB (ASCII characters in UTF-16-LE are the byte, then NUL: NULs
   at odd positions; UTF-16-BE at even ones).
3. UTF-8 when the whole file decodes as UTF-8.
4. A file that holds valid UTF-8 multi-byte sequences (an ``é`` or ``א``
   written as UTF-8) but also bytes that are not UTF-8 is UTF-8 text with
   damage, not a legacy file: it is refused, naming the line and the byte.
5. A legacy Windows code page, only when it explains every byte of 0x80 or
   more: cp1255 when those bytes form Hebrew words and each decodes to a
   Hebrew letter or point, a letter, a currency sign or common punctuation;
   cp1252 when each decodes to a letter, a currency sign or common
   punctuation (é, ü, €, £, no-break space, quotes, dashes, ...) and every
   accented letter sits next to another letter. The generic sign ``¤``
   (byte 0xA4) is no currency of cp1252 text: it is cp1255's ``₪``. When only
   one of the two code pages explains every byte, that one is used, Hebrew
   words or not (a file whose only Hebrew is ``₪``, or single-letter codes).
6. Otherwise the file is refused, naming the first byte no code page
   explains and its line, and suggesting ``read.encoding``.

There is never a silent latin-1 reading of a whole file: latin-1 decodes any
byte, so a damaged file would be read wrongly without a word. An explicit
encoding is used as given; a byte it cannot decode is refused with its line.
Line numbers count ``\n``, ``\r\n`` and a lone ``\r`` as line ends, as the
reader does. A file that is not text at all (a workbook, a Parquet or zip or
PDF file named .csv, or mostly control bytes) is refused by
:func:`check_text_file`, naming what it really is.
"""

from __future__ import annotations

import codecs
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from retainlib.errors import DataError

__all__ = ["check_text_file", "line_of", "utf8_text"]

_CHUNK = 1 << 22  # bytes per step of the numpy scans: temporaries stay small
_BOMS = [  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# punctuation a legacy export plausibly holds besides letters and currency signs
_PUNCTUATION = set("\u00a0‘’‚“”„–—…•«»‹›¿¡°·×\u200e\u200f׳״־")
_ENCODING_FIX = ("set read.encoding (encoding= in Python) to the file's encoding, "
                 "e.g. 'cp1255' or 'latin-1'")


def _plausible_bytes(codepage: str) -> tuple[np.ndarray, np.ndarray]:
    """For each byte value: (plausible in ``codepage`` text, a letter); ASCII bytes are plausible.

    >>> ok, letter = _plausible_bytes("cp1252")
    >>> bool(ok[0xE9]), bool(letter[0xE9]), bool(ok[0x80]), bool(ok[0xA9]), bool(ok[0x81])
    (True, True, True, False, False)
    """
    ok = np.zeros(256, dtype=bool)
    letter = np.zeros(256, dtype=bool)
    ok[:0x80] = True
    for b in range(256):
        try:
            ch = bytes([b]).decode(codepage)
        except UnicodeDecodeError:
            continue  # a byte the code page does not define
        cat = unicodedata.category(ch)
        letter[b] = ch.isalpha()
        if b >= 0x80:
            hebrew_point = codepage == "cp1255" and cat == "Mn"
            currency = cat == "Sc" and ch != "\u00a4"  # '¤' names no currency: cp1255's ₪ byte
            ok[b] = letter[b] or currency or ch in _PUNCTUATION or hebrew_point
    return ok, letter


_CODEPAGES = {cp: _plausible_bytes(cp) for cp in ("cp1255", "cp1252")}


def _windows(n: int, after: int):
    """Steps over ``n`` bytes: (start, stop) of each step and (lo, hi) of the bytes to look at.

    A step judges the bytes start..stop-1 and may look one byte before and
    ``after`` bytes after them (a neighbour, a sequence's continuation).

    >>> list(_windows(10, 3))
    [(0, 10, 0, 10)]
    """
    for start in range(0, max(n, 1), _CHUNK):
        stop = min(n, start + _CHUNK)
        yield start, stop, max(start - 1, 0), min(n, stop + after)


def is_utf8(buf: pa.Buffer) -> bool:
    r"""Whether all of ``buf`` is valid UTF-8 (pyarrow's validator: fast, no copy).

    >>> is_utf8(pa.py_buffer("שלום".encode())), is_utf8(pa.py_buffer(b"caf\xe9"))
    (True, False)
    """
    offsets = pa.py_buffer(np.array([0, buf.size], dtype=np.int64))
    try:
        pa.LargeStringArray.from_buffers(1, offsets, buf).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


@dataclass
class HighBytes:
    r"""What the high bytes (0x80 or more) of a file say about its encoding.

    Attributes
    ----------
    utf8_sequences : bool
        Some are well-formed UTF-8 sequences of 2 to 4 bytes: a lead byte
        (0xC2-0xF4) followed by as many continuation bytes (0x80-0xBF) as it
        announces. Legacy text (``caf\xe9,``) practically never holds one.
    hebrew_letters, hebrew_paired : int
        Bytes 0xE0-0xFA (the cp1255 Hebrew letters), and those of them next to another.
    first_implausible : dict
        Code page -> position of the first byte that text in it would not hold
        (see :func:`_plausible_bytes`; in cp1252 also an accented letter with
        no letter beside it, such as ``3ÿ,``), or None.
    """

    utf8_sequences: bool = False
    hebrew_letters: int = 0
    hebrew_paired: int = 0
    first_implausible: dict = field(default_factory=lambda: {"cp1255": None, "cp1252": None})

    def looks_hebrew(self) -> bool:
        """Hebrew words are runs of such bytes; Western accented letters sit between ASCII ones."""
        return self.hebrew_letters > 0 and self.hebrew_paired >= 0.5 * self.hebrew_letters


def scan_high_bytes(b: np.ndarray) -> HighBytes:
    r"""Scan the bytes ``b`` of a file that is not UTF-8: see :class:`HighBytes`.

    Only the bytes of 0x80 or more are looked at (their positions and values,
    4 MB at a time), with their neighbours; the scan stops at the first
    UTF-8 sequence, which settles the question.

    >>> scan_high_bytes(np.frombuffer("café".encode(), np.uint8)).utf8_sequences
    True
    >>> facts = scan_high_bytes(np.frombuffer("שלום,עולם".encode("cp1255"), np.uint8))
    >>> facts.utf8_sequences, facts.looks_hebrew(), facts.first_implausible
    (False, True, {'cp1255': None, 'cp1252': None})
    >>> scan_high_bytes(np.frombuffer(b"C3\xff,Z\xfcrich", np.uint8)).first_implausible
    {'cp1255': 2, 'cp1252': 2}
    """
    facts = HighBytes()
    for start, stop, lo, hi in _windows(len(b), 3):
        c = b[lo:hi]
        pos = np.flatnonzero(c >= 0x80)
        vals = c[pos]
        own = (pos >= start - lo) & (pos < stop - lo)
        # next_high[i]: the byte right after pos[i] is high too, and it is pos[i + 1]
        next_high = np.zeros(len(pos), dtype=bool)
        next_high[:-1] = pos[1:] == pos[:-1] + 1
        if _has_sequence(vals, next_high, own):
            facts.utf8_sequences = True
            return facts
        hebrew = (vals - np.uint8(0xE0)) <= np.uint8(0xFA - 0xE0)  # 0xE0-0xFA, in one step
        beside = np.zeros(len(pos), dtype=bool)
        beside[:-1] |= next_high[:-1] & hebrew[1:]
        beside[1:] |= next_high[:-1] & hebrew[:-1]
        facts.hebrew_letters += int((hebrew & own).sum())
        facts.hebrew_paired += int((hebrew & beside & own).sum())
        for codepage in ("cp1255", "cp1252"):
            if facts.first_implausible[codepage] is None:
                bad = np.flatnonzero(_implausible(c, pos, vals, next_high, codepage) & own)
                if len(bad):
                    facts.first_implausible[codepage] = lo + int(pos[bad[0]])
    return facts


def _has_sequence(vals: np.ndarray, next_high: np.ndarray, own: np.ndarray) -> bool:
    """Whether a high byte (``own``) leads a UTF-8 sequence completed by the high bytes after it."""
    cont_next = np.zeros(len(vals), dtype=bool)  # the next byte is a continuation byte
    cont_next[:-1] = next_high[:-1] & ((vals[1:] & 0xC0) == 0x80)
    need = np.zeros(len(vals), dtype=np.int8)  # continuation bytes each lead byte announces
    need[(vals >= 0xC2) & (vals <= 0xDF)] = 1
    need[(vals & 0xF0) == 0xE0] = 2
    need[(vals >= 0xF0) & (vals <= 0xF4)] = 3
    ok = (need > 0) & own
    for k in range(3):  # the k-th byte after the lead must be a continuation when announced
        shifted = np.zeros(len(vals), dtype=bool)
        shifted[: len(vals) - k] = cont_next[k:]
        ok &= (need <= k) | shifted
    return bool(ok.any())


def _implausible(c: np.ndarray, pos: np.ndarray, vals: np.ndarray, next_high: np.ndarray,
                 codepage: str) -> np.ndarray:
    """For the high bytes at ``pos`` of ``c`` (values ``vals``): not plausible in ``codepage``.

    ``next_high[i]`` says the byte after ``pos[i]`` is ``pos[i + 1]``. A
    cp1252 letter needs a letter beside it: a high one next to it in ``pos``,
    else an ASCII one (looked up only for the letters without a high one).
    """
    ok, letter = _CODEPAGES[codepage]
    bad = ~np.take(ok, vals)
    if codepage == "cp1252":
        is_letter = np.take(letter, vals)
        beside = np.zeros(len(pos), dtype=bool)
        beside[:-1] |= next_high[:-1] & is_letter[1:]
        beside[1:] |= next_high[:-1] & is_letter[:-1]
        alone = np.flatnonzero(is_letter & ~beside)
        at = pos[alone]
        before = np.take(letter, c[np.maximum(at - 1, 0)]) & (at > 0)
        after = np.take(letter, c[np.minimum(at + 1, len(c) - 1)]) & (at + 1 < len(c))
        bad[alone[~before & ~after]] = True
    return bad


def _wide_without_bom(head: bytes) -> str | None:
    r"""'utf-32-le/be' or 'utf-16-le/be' when NULs in ``head`` sit where wide ASCII puts them.

    >>> _wide_without_bom("id,₪5\n".encode("utf-16-le")), _wide_without_bom(b"id,5\n")
    ('utf-16-le', None)
    """
    h = np.frombuffer(head[: len(head) // 4 * 4], dtype=np.uint8)
    if len(h) < 8:
        return None
    nul = [float(np.mean(h[k::4] == 0)) for k in range(4)]
    guesses = []
    if nul[2] > 0.9 and nul[3] > 0.9 and nul[0] < 0.02:
        guesses.append("utf-32-le")
    if nul[0] > 0.9 and nul[1] > 0.9 and nul[3] < 0.02:
        guesses.append("utf-32-be")
    even, odd = (nul[0] + nul[2]) / 2, (nul[1] + nul[3]) / 2
    if odd > 0.2 and even < 0.02:
        guesses.append("utf-16-le")
    if even > 0.2 and odd < 0.02:
        guesses.append("utf-16-be")
    for enc in guesses:
        try:
            codecs.getincrementaldecoder(enc)().decode(bytes(h), final=False)
            return enc
        except UnicodeDecodeError:
            continue
    return None


def line_of(data: bytes, pos: int) -> int:
    r"""The line (1-based) of byte ``pos``: ``\n``, ``\r\n`` and a lone ``\r`` end lines.

    >>> line_of(b"a\r\nb\rc\nd", 8)
    4
    """
    before = data[:pos]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _bom_encoding(head: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)


def _refuse_damaged_utf8(data: bytes, name: str) -> None:
    """Raise the DataError for UTF-8 text holding a byte that is not UTF-8 (its line and value)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{name} is UTF-8 text with a byte that is not UTF-8 "
            f"(0x{data[exc.start]:02x} on line {line_of(data, exc.start)}); fix or remove "
            "that line, or set read.encoding if the whole file is in another encoding"
        ) from None


def _legacy_encoding(buf: pa.Buffer, name: str) -> str:
    """cp1255 or cp1252 when it explains every high byte of a non-UTF-8 file, else a DataError."""
    data = buf.to_pybytes()
    facts = scan_high_bytes(np.frombuffer(data, dtype=np.uint8))
    if facts.utf8_sequences:
        _refuse_damaged_utf8(data, name)
    codepage = "cp1255" if facts.looks_hebrew() else "cp1252"
    pos = facts.first_implausible[codepage]
    if pos is None:
        return codepage
    other = "cp1252" if codepage == "cp1255" else "cp1255"
    if facts.first_implausible[other] is None:  # only the other code page explains every byte
        return other
    script = "Hebrew (cp1255)" if codepage == "cp1255" else "Western (cp1252)"
    raise DataError(
        f"{name} is not UTF-8 text, and its byte 0x{data[pos]:02x} on line {line_of(data, pos)} "
        f"makes no sense in the {script} code page either (not a letter within a word, a "
        f"currency sign or punctuation there); fix or remove that line, or {_ENCODING_FIX}"
    )


def utf8_text(buf: pa.Buffer, encoding: str | None, name: str) -> tuple[str, pa.Buffer]:
    r"""The file's encoding and its text as UTF-8 bytes without a BOM.

    ``encoding`` when given (looked up), else detected by the rule of this
    module's docstring. A UTF-8 file is checked in full and not copied; any
    other is decoded and encoded again as UTF-8.

    Raises
    ------
    DataError
        An unknown encoding name, a file no encoding explains (detected), or
        a byte the given encoding cannot decode (with its line).

    Examples
    --------
    >>> enc, text = utf8_text(pa.py_buffer("id\nשלום\n".encode("cp1255")), None, "a.csv")
    >>> enc, text.to_pybytes().decode()
    ('cp1255', 'id\nשלום\n')
    """
    head = buf.slice(0, min(buf.size, 4096)).to_pybytes()
    if encoding:
        try:
            enc = codecs.lookup(encoding).name
        except LookupError:
            raise DataError(
                f"unknown encoding {encoding!r} for {name}; use e.g. 'utf-8', 'cp1255' or 'latin-1'"
            ) from None
    else:
        enc = _bom_encoding(head) or _wide_without_bom(head) or ""
    if enc in ("", "utf-8", "utf-8-sig"):
        body = buf.slice(3) if head.startswith(codecs.BOM_UTF8) else buf
        if is_utf8(body):
            return enc or "utf-8", body
        if enc == "utf-8-sig" and not encoding:  # a UTF-8 mark, then bytes that are not UTF-8
            _refuse_damaged_utf8(body.to_pybytes(), name)
        enc = enc or _legacy_encoding(buf, name)
    return enc, _decoded(buf.to_pybytes(), enc, name)


def _decoded(data: bytes, enc: str, name: str) -> pa.Buffer:
    """``data`` decoded from ``enc``, as UTF-8 bytes without a BOM (DataError naming a bad byte)."""
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        if enc.startswith(("utf-16", "utf-32")):  # lines counted in the text before the damage
            before = data[: exc.start].decode(enc, "replace").encode("utf-8")
            raise DataError(
                f"{name} is {enc} text that is cut or damaged on line "
                f"{line_of(before, len(before))}; export it again, or {_ENCODING_FIX}"
            ) from None
        raise DataError(
            f"{name} is not valid {enc} text (byte 0x{data[exc.start]:02x} on line "
            f"{line_of(data, exc.start)}); set the encoding to 'cp1255' (Hebrew Windows exports) "
            "or 'latin-1' (Western Europe)"
        ) from None
    return pa.py_buffer(text.lstrip("\ufeff").encode("utf-8"))


# (magic bytes at the start, what the file is, the fix; {stem} is the file name without suffix)
_FORMATS = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook or a password-protected "
     "Excel file", "open it in Excel and save it as .xlsx without a password, or as CSV"),
    (b"PAR1", "a Parquet file", "rename it to {stem}.parquet"),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it first (gunzip) and give the CSV inside"),
    (b"%PDF", "a PDF document", "export the data from the source system as CSV"),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "decompress it first and give the CSV inside"),
    (b"(\xb5/\xfd", "a zstd-compressed file", "decompress it first and give the CSV inside"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unpack it and give the CSV inside"),
    (b"Rar!\x1a\x07", "a RAR archive", "unpack it and give the CSV inside"),
    (b"SQLite format 3\x00", "an SQLite database", "export the table as CSV"),
    (b"ARROW1", "an Arrow/Feather file", "export it as CSV or Parquet"),
    (b"\x89PNG", "a PNG image", "export the data from the source system as CSV"),
    (b"\xff\xd8\xff", "a JPEG image", "export the data from the source system as CSV"),
]


def _zip_kind(path: Path) -> tuple[str, str]:
    """What a zip file named like a text file holds: an Excel workbook, a Word file or else."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a damaged zip archive (perhaps an Excel workbook)", "export the data again as CSV"
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook", "rename it to {stem}.xlsx"
    if any(n.startswith("word/") for n in names):
        return "a Word document", "export the data as CSV"
    return "a zip archive", "unzip it and give the CSV file inside"


def check_text_file(path: Path, head: bytes) -> None:
    """Raise a DataError when the file ``path`` (first bytes ``head``) is not a text file.

    A known binary format (a workbook, Parquet, zip, gzip, PDF, ...) is named
    with its fix; any other file whose first 64 kB are more than a tenth
    control bytes (NUL and the like, outside UTF-16/32 text) is binary data.
    A few NULs in a text file are allowed: they reach the values.
    """
    found = next(((what, fix) for magic, what, fix in _FORMATS if head.startswith(magic)), None)
    if found is None and head[:3] == b"BZh" and head[4:10] == b"1AY&SY":
        found = "a bzip2-compressed file", "decompress it first and give the CSV inside"
    if found is None and head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        found = _zip_kind(path)
    if found is None:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
        if start.startswith((b"<!doctype html", b"<html", b"<table")):
            found = "an HTML page", "open it in Excel and save it as .xlsx or CSV"
    if found is None and not (_bom_encoding(head) or _wide_without_bom(head[:4096])):
        b = np.frombuffer(head[:65536], dtype=np.uint8)
        control = ((b < 0x20) & (b != 9) & (b != 10) & (b != 12) & (b != 13)) | (b == 0x7F)
        if len(b) and control.mean() > 0.1:
            found = "binary data, not text", "export the data from the source system as CSV"
    if found is not None:
        what, fix = found
        raise DataError(f"{path.name} is {what}, not a CSV text file; {fix.format(stem=path.stem)}")
