"""Matching file headers to output names, with did-you-mean suggestions for messages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from retainlib._suggest import did_you_mean
from retainlib.errors import DataError
from retainlib.load.parsing import normalize_header

if TYPE_CHECKING:
    from retainlib.load._table import RawTable


def _quoted(names: Sequence[object]) -> str:
    return ", ".join(repr(str(n)) for n in names)


_LISTED_NAMES = 20  # a message lists at most this many of a file's columns
_LISTED_CHARS = 40  # and cuts a longer name to this many characters


def _listed(names: Sequence[object]) -> str:
    """The file's columns for a message: the first 20 quoted, each cut to 40 characters.

    >>> _listed(["id", "x" * 50])
    "'id', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'"
    >>> _listed([f"c{i}" for i in range(23)])[-23:]
    "'c18', 'c19' and 3 more"
    """
    shown = [_cut(n) for n in names[:_LISTED_NAMES]]
    more = len(names) - len(shown)
    return _quoted(shown) + (f" and {more} more" if more > 0 else "")


def _cut(name: object) -> str:
    """``name`` as text, cut to 40 characters with '…' when longer."""
    text = str(name)
    return text if len(text) <= _LISTED_CHARS else text[: _LISTED_CHARS - 1] + "…"


def map_columns(
    raw: RawTable,
    wanted: Mapping[str, str],
    *,
    optional: Sequence[str] = (),
    hint: str | None = None,
) -> dict[str, str]:
    """Find the file column for each output name.

    Headers match after :func:`retainlib.load.parsing.normalize_header` (NFC,
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
        A required column is absent (lists the file's columns and the closest
        match); a wanted name matches two file columns (``amount`` twice, or
        ``amount`` and ``Amount``); two output names map to one file column.
    """
    cols = list(raw.frame.columns)
    folded: dict[str, list[str]] = {}
    for c in cols:
        folded.setdefault(_base(c).casefold(), []).append(c)
    found: dict[str, str] = {}
    for out, name in wanted.items():
        key = normalize_header(name)
        same = folded.get(key.casefold()) or [c for c in cols if c.casefold() == key.casefold()]
        if len(same) > 1:  # 'amount' twice, or 'amount' and 'Amount ': which one is meant?
            raise DataError(
                f"{raw.name} has {len(same)} columns named like {str(name)!r}: "
                f"{_quoted(same)}; rename or remove all but one of them and export again"
            )
        if same:
            found[out] = same[0]
        elif out not in optional:
            raise DataError(
                f"column {str(name)!r} not found in {raw.name}; columns are: {_listed(cols)}."
                f"{did_you_mean(key, [_cut(c) for c in cols])}{' ' + hint if hint else ''}"
            )
    roles: dict[str, str] = {}
    for out, col in found.items():
        if col in roles:
            raise DataError(
                f"{roles[col]} and {out} both name the column {col!r} of {raw.name}; each role "
                "needs its own column (check columns: and segments: in the config)"
            )
        roles[col] = out
    return found


_REPEAT = re.compile(r"^(.*) \((\d+)\)$")


def _base(column: str) -> str:
    """The header a column had before a repeat was numbered ('amount (2)' -> 'amount')."""
    m = _REPEAT.match(column)
    return m.group(1) if m and int(m.group(2)) >= 2 else column
