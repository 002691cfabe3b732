"""English texts of the summary part of the report (keys start with 'summary.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
}
