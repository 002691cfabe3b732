"""Hebrew texts of the analytics part of the report (keys start with 'analytics.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
}
