"""Matching file headers to output names, with did-you-mean suggestions for messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from retainlib._suggest import did_you_mean
from retainlib.errors import DataError
from retainlib.load.parsing import normalize_header

if TYPE_CHECKING:
    from retainlib.load._table import RawTable


def _quoted(names: Sequence[object]) -> str:
    return ", ".join(repr(str(n)) for n in names)


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
                f"{did_you_mean(key, cols)}{' ' + hint if hint else ''}"
            )
    return found
