"""Text encodings of client files: detection (BOM, UTF-8, Hebrew cp1255, cp1252) and decoding.

Used by :mod:`retainlib.load._rawread`; an undecodable file gets one sentence naming
the byte, its line and the encodings to try.
"""

from __future__ import annotations

import codecs

import numpy as np
import pyarrow as pa

from retainlib.errors import DataError


def _detect_encoding(head: bytes, whole: pa.Buffer) -> str:
    """BOM, else UTF-8 when the start of the file decodes, else a legacy code page.

    ``head`` is the first megabyte of ``whole``; the rest is only read for a legacy file.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.isascii():
        return "utf-8"  # the rest is checked while parsing
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if len(head) == 1 << 20 and exc.start >= len(head) - 3:  # a character cut at 1 MB
            return "utf-8"
    return _legacy_encoding(whole.to_pybytes())


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
