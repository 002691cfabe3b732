"""Hebrew texts of the sections part of the report (keys start with 'sections.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
}
