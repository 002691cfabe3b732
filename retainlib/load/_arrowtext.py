"""Byte-level looks at arrow string arrays: cheap checks that let the loader skip work.

A pyarrow string array is an offsets buffer plus one UTF-8 data buffer, so
questions such as "does any value start or end with whitespace?", "what are the
first two bytes of each value?" or "which values may be equal?" can be answered with
a few numpy gathers instead of a compute kernel that copies every string.
Every function accepts a :class:`pyarrow.Array` or :class:`pyarrow.ChunkedArray`
and works chunk by chunk (no copy of the text); results are conservative where
the docstring says so.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "count_byte",
    "encode",
    "first_two_bytes",
    "may_hold_invisible",
    "needs_trim",
    "plain_ascii",
    "rows_with_pairs",
    "take",
    "text_hash",
    "zero_length",
]

# _KEEP[k]: mask of the low k bytes of a little-endian 64-bit word
_KEEP = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def _pieces(arr: pa.Array | pa.ChunkedArray) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray,
                                                               np.ndarray | None]]:
    """Per chunk: value starts, value ends, data bytes, validity (None when no nulls).

    Raises TypeError for arrays that are not (large) strings.
    """
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    for chunk in chunks:
        large = pa.types.is_large_string(chunk.type)
        if not (large or pa.types.is_string(chunk.type)):
            raise TypeError(f"not a string array: {chunk.type}")
        if not len(chunk):
            continue
        _, offsets, data = chunk.buffers()
        off = np.frombuffer(offsets, dtype=np.int64 if large else np.int32)
        off = off[chunk.offset : chunk.offset + len(chunk) + 1]
        raw = np.zeros(0, np.uint8) if data is None else np.frombuffer(data, dtype=np.uint8)
        if off[0] or off[-1] < len(raw):  # a slice: only its own bytes
            raw = raw[off[0] : off[-1]]
            off = off - off[0]
        valid = None
        if chunk.null_count:
            valid = np.asarray(chunk.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        yield off[:-1], off[1:], raw, valid


def first_two_bytes(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The first two UTF-8 bytes of every value as one number (first byte high), uint16.

    0 for empty or null values; a one-byte value has 0 as its second byte.
    """
    out = []
    for start, end, data, valid in _pieces(arr):
        length = end - start
        if not len(data):
            out.append(np.zeros(len(start), np.uint16))
            continue
        last = len(data) - 1
        key = data[np.minimum(start, last)].astype(np.uint16) << np.uint16(8)
        key |= data[np.minimum(start + 1, last)]
        key[length < 2] &= np.uint16(0xFF00)
        empty = length < 1 if valid is None else (length < 1) | ~valid
        key[empty] = 0
        out.append(key)
    return np.concatenate(out) if out else np.zeros(0, np.uint16)


def _wide(data: np.ndarray) -> bool:
    """Whether the bytes hold a C2, E1, E2, E3 or EF lead byte (no-break spaces, marks, BOM)."""
    if data.max(initial=0) < 0xC2:
        return False
    return bool(((data == 0xC2) | ((data >= 0xE1) & (data <= 0xE3)) | (data == 0xEF)).any())


def plain_ascii(arr: pa.Array | pa.ChunkedArray) -> bool:
    """True when every byte is printable ASCII other than space (33-127): nothing to strip.

    Two reductions of the bytes (their minimum and maximum), the cheapest test.
    """
    for _, _, data, _ in _pieces(arr):
        if len(data) and (data.min() <= 32 or data.max() >= 0x80):
            return False
    return True


def needs_trim(arr: pa.Array | pa.ChunkedArray) -> bool:
    """False when no value can start or end with whitespace or an invisible mark.

    Conservative: a value that begins or ends with a character encoded C2 A0
    (no-break space), E2 80 xx or E2 81 xx (the other spaces and the direction
    marks) or EF BB xx (BOM) counts as needing a trim (so may an empty value
    next to one); other characters with those lead bytes, such as ₪ (E2 82 AA),
    do not. Text without any byte <= 32 and without C2/E2/EF bytes is cleared
    by one scan of its bytes.
    """
    for start, end, data, _ in _pieces(arr):
        n = len(data)
        if not n:
            continue
        wide = _wide(data)
        if data.min() > 32 and not wide:
            continue
        first = data[np.minimum(start, n - 1)]
        last = data[np.clip(end - 1, 0, n - 1)]
        if (first <= 32).any() or (last <= 32).any():
            return True
        if wide:
            second = data[np.minimum(start + 1, n - 1)]
            if _space_or_mark(first, second).any():
                return True
            if ((last == 0xA0) & (data[np.clip(end - 2, 0, n - 1)] == 0xC2)).any():
                return True
            if _space_or_mark(data[np.clip(end - 3, 0, n - 1)],
                              data[np.clip(end - 2, 0, n - 1)]).any():
                return True
    return False


def _space_or_mark(lead: np.ndarray, follow: np.ndarray) -> np.ndarray:
    """Characters starting with these two bytes are no-break spaces, U+2000-U+207F or the BOM.

    Also U+1680 (ogham space) and U+3000 (ideographic space), with their neighbours.
    """
    nbsp = (lead == 0xC2) & (follow == 0xA0)
    general = (lead == 0xE2) & ((follow == 0x80) | (follow == 0x81))
    ogham_ideographic = ((lead == 0xE1) & (follow == 0x9A)) | ((lead == 0xE3) & (follow == 0x80))
    return nbsp | general | ogham_ideographic | ((lead == 0xEF) & (follow == 0xBB))


def may_hold_invisible(arr: pa.Array | pa.ChunkedArray) -> bool:
    """False when no invisible mark can be in ``arr``: a scan of its UTF-8 bytes.

    The marks are encoded E2 80 xx, E2 81 xx or EF BB BF; True does not mean one is there.
    """
    for _, _, data, _ in _pieces(arr):
        if not len(data) or data.max() < 0xE2:
            continue
        lead = np.flatnonzero(data[:-1] == 0xE2) + 1
        if ((data[lead] == 0x80) | (data[lead] == 0x81)).any():
            return True
        if ((data[:-2] == 0xEF) & (data[1:-1] == 0xBB) & (data[2:] == 0xBF)).any():
            return True
    return False


def count_byte(arr: pa.Array | pa.ChunkedArray, byte: int) -> int:
    r"""How many times one byte occurs in the UTF-8 text of all values (one scan of the bytes).

    Bytes below 0x80 are whole characters in UTF-8, so for them this counts characters.

    Examples
    --------
    >>> count_byte(pa.array(["a\x1fb", None, "\x1f\x1f"]), 0x1F)
    3
    """
    return sum(int(np.count_nonzero(data == byte)) for _, _, data, _ in _pieces(arr))


def zero_length(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """True where a value is present but empty ('')."""
    out = [(e == s) if v is None else (e == s) & v for s, e, _, v in _pieces(arr)]
    return np.concatenate(out) if out else np.zeros(0, bool)


def _mix(x: np.ndarray) -> np.ndarray:
    """Splitmix64 finaliser: a fast, well-spread 64-bit hash of 64-bit values (uint64 out)."""
    x = x.astype(np.uint64, copy=True)
    t = np.empty_like(x)
    for shift, mult in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
        np.right_shift(x, np.uint64(shift), out=t)
        np.bitwise_xor(x, t, out=x)
        np.multiply(x, np.uint64(mult), out=x)
    np.right_shift(x, np.uint64(31), out=t)
    np.bitwise_xor(x, t, out=x)
    return x


def text_hash(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit key per value: equal texts get equal keys (nulls all get one value).

    Made from the length and the first and last eight bytes: values shorter
    than eight bytes each get their own key, longer texts that differ only in
    their middle collide; callers compare colliding values in full. Not mixed:
    pass it through :func:`_mix` (with other keys) before using some of its
    bits. Gathers from the data buffer: no copy of the strings.
    """
    out = []
    for start, end, data, valid in _pieces(arr):
        length = end - start
        if len(data) < 8:  # a tiny buffer: padded, so that 8-byte windows fit
            data = np.concatenate([data, np.zeros(8, np.uint8)])
        # 8-byte windows at every byte of the buffer (no copy); the last 7 start positions
        # have no full window and read the final window shifted instead
        words = np.ndarray((len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
        at = np.minimum(start, len(data) - 8)
        h = words[at]  # the value's first 8 bytes (and what follows) ...
        tail = np.flatnonzero(at != start)
        if len(tail):
            h[tail] >>= ((start[tail] - at[tail]) * 8).astype(np.uint64)
        h &= _KEEP[np.minimum(length, 8)]  # ... cut to the value
        if length.max(initial=0) > 8:  # its last 8 bytes when longer (end - 8 >= start >= 0)
            last = words[np.maximum(end - 8, 0)]
            last *= length > 8
            last *= np.uint64(0x9E3779B97F4A7C15)
            h ^= last
        h ^= length.astype(np.uint64) << np.uint64(56)  # values under 8 bytes: one key each
        if valid is not None:
            h = np.where(valid, h, np.uint64(0x51ED270B27A5C0DE))
        out.append(h)
    return np.concatenate(out) if out else np.zeros(0, np.uint64)


def take(arr: pa.Array | pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """``arr[rows]`` as one array, gathering from each chunk only the rows it holds.

    pyarrow's ``ChunkedArray.take`` first concatenates every chunk, a copy of
    the whole column even for a handful of rows.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if not isinstance(arr, pa.ChunkedArray):
        return arr.take(pa.array(rows))
    if arr.num_chunks == 0:
        return pa.array([], type=arr.type).take(pa.array(rows))
    if arr.num_chunks == 1:
        return arr.chunk(0).take(pa.array(rows))
    bounds = np.cumsum([0] + [len(c) for c in arr.chunks])
    which = np.searchsorted(bounds, rows, side="right") - 1
    order = np.argsort(which, kind="stable")
    parts, sorted_which = [], which[order]
    for k in np.unique(which):
        lo, hi = np.searchsorted(sorted_which, [k, k + 1])
        parts.append(arr.chunk(int(k)).take(pa.array(rows[order[lo:hi]] - bounds[k])))
    gathered = pa.concat_arrays(parts) if parts else pa.array([], type=arr.type)
    back = np.empty(len(order), dtype=np.int64)
    back[order] = np.arange(len(order))
    return gathered.take(pa.array(back))


def _address(arr: pa.Array) -> int:
    """Where an array's last buffer (the text of a string array) lives; 0 when it has none."""
    buf = arr.buffers()[-1]
    return 0 if buf is None else buf.address


def encode(arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Distinct values and each row's index into them (``pyarrow.compute.dictionary_encode``).

    Returns ``(distinct, indices, nulls)``; ``indices`` is 0 where the value is
    null (``nulls`` True). A chunked column is encoded as it is: concatenating
    it first costs a copy and makes the hashing slower on large columns.
    """
    encoded = pc.dictionary_encode(arr)
    if isinstance(encoded, pa.ChunkedArray):
        if encoded.num_chunks == 0:
            return pa.array([], type=arr.type), np.zeros(0, np.int64), np.zeros(0, bool)
        last = encoded.chunk(encoded.num_chunks - 1).dictionary
        # pyarrow gives every chunk the final dictionary; should one differ, unify them
        if any(len(c.dictionary) != len(last) or _address(c.dictionary) != _address(last)
               for c in encoded.chunks):
            encoded = encoded.unify_dictionaries()
            last = encoded.chunk(encoded.num_chunks - 1).dictionary
        indices = pa.chunked_array([c.indices for c in encoded.chunks])
        distinct = last
    else:
        indices, distinct = encoded.indices, encoded.dictionary
    nulls = np.asarray(indices.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    idx = np.asarray(pc.fill_null(indices, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
    return distinct, idx, nulls


def rows_with_pairs(arr: pa.Array | pa.ChunkedArray, low: np.ndarray,
                    pairs: np.ndarray) -> np.ndarray:
    r"""The rows of ``arr`` holding a byte of ``low`` or a pair of ``pairs``.

    ``low`` has 256 entries (single bytes, e.g. tab), ``pairs`` 65536 indexed
    by (byte << 8 | next byte), looked up only where the byte is 0xC2 or more
    (the lead bytes of characters beyond ASCII). Returns sorted row positions
    (int64). Two spaces in a row are found too (``low`` of a space is not
    needed for that): a double space is at most one look at neighbouring bytes.

    >>> low, pairs = np.zeros(256, bool), np.zeros(1 << 16, bool)
    >>> low[9] = True; pairs[0xC2A0] = True
    >>> rows_with_pairs(pa.array(["a b", "a\tb", None, "a\u00a0b", "a  b", "שלום"]), low, pairs)
    array([1, 3, 4])
    """
    found, offset = [], 0
    for start, _, data, _ in _pieces(arr):
        offset, first = offset + len(start), offset
        if not len(data):
            continue
        head, tail = data[:-1], data[1:]
        hit = (head == 32) & (tail == 32)
        if data.min() < 32:
            hit |= np.take(low, head)
            hit[-1:] |= low[data[-1]]
        if data.max() >= 0xC2:
            lead = head >= 0xC2
            if not pairs[0xD790:0xD800].any():  # Hebrew letters, D7 90 up: skipped, the common case
                lead &= ~((head == 0xD7) & (tail >= 0x90))
            lead = np.flatnonzero(lead)
            hit[lead] |= pairs[(head[lead].astype(np.uint16) << 8) | tail[lead]]
        at = np.flatnonzero(hit)
        if len(at):
            found.append(np.unique(np.searchsorted(start, at, side="right") - 1) + first)
    return np.concatenate(found).astype(np.int64) if found else np.zeros(0, np.int64)
