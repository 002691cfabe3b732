"""Matching file headers to output names, with did-you-mean suggestions for messages."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from retainlib._parsing import normalize_header
from retainlib.errors import DataError

if TYPE_CHECKING:  # _rawread imports this module for its messages
    from retainlib._rawread import RawTable


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
