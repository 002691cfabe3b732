"""Safe folder and file names from client and segment names (one rule for every folder)."""

from __future__ import annotations

import re

__all__ = ["slugify"]

#: file names are limited in bytes (255 on most systems); room is kept for ".tmp.<slug>.<pid>..."
_SLUG_BYTES = 120


def slugify(text: object, fallback: str = "item") -> str:
    """Folder- and file-safe name: lower case letters, digits and '-' (Unicode letters kept).

    Examples
    --------
    >>> slugify("Acme Ltd. / North")
    'acme-ltd-north'
    >>> slugify("../../etc")
    'etc'
    >>> len(slugify("漢" * 90).encode())  # at most 80 characters and 120 bytes
    120
    """
    s = re.sub(r"[^\w]+", "-", str(text).casefold()).strip("-_")[:80]
    # file names are limited in bytes (255 on most systems); keep room for ".tmp.<slug>.<pid>..."
    s = s.encode("utf-8")[:_SLUG_BYTES].decode("utf-8", errors="ignore")
    return s.strip("-_") or fallback
