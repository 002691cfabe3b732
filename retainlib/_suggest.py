"""One "did you mean" for every message that names something the user mistyped."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = ["closest", "did_you_mean"]

_WORD = r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^\W\d_]+"  # camelCase, snake_case and Hebrew words


def closest(wanted: object, names: Iterable[object]) -> str | None:
    """The name a user most likely meant by ``wanted``, or None when nothing is close.

    Candidates are names similar to ``wanted`` (difflib) or contained in it;
    a name equal to the last word of ``wanted`` wins ('InvoiceDate' -> 'Date'),
    then one of its words, then the most similar. Case is ignored.

    >>> closest("InvoiceDate", ["Invoice", "Date", "Customer"])
    'Date'
    >>> closest("horizon_month", ["horizon_months", "margin"])
    'horizon_months'
    >>> closest("zzz", ["client", "data"]) is None
    True
    """
    wanted = str(wanted)
    folded = {str(n).casefold(): str(n) for n in names}
    w = wanted.casefold()
    words = [t.casefold() for t in re.findall(_WORD, wanted)]
    cands = set(difflib.get_close_matches(w, list(folded), n=3, cutoff=0.6))
    cands |= {n for n in folded if n and (n in w or w in n)}
    if not cands:
        cands = set(difflib.get_close_matches(w, list(folded), n=1, cutoff=0.4))
    if not cands:
        return None

    def rank(n: str) -> tuple:
        ratio = difflib.SequenceMatcher(None, w, n).ratio()
        return (bool(words) and n == words[-1], n in words, ratio)

    return folded[max(sorted(cands), key=rank)]


def did_you_mean(wanted: object, names: Iterable[object]) -> str:
    """' Did you mean 'X'?' for the closest name (see :func:`closest`), or ''.

    >>> did_you_mean("amout", ["amount", "date"])
    " Did you mean 'amount'?"
    """
    name = closest(wanted, names)
    return "" if name is None else f" Did you mean {name!r}?"
