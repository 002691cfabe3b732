"""Hebrew texts of the followup part of the report (keys start with 'followup.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
}
