"""English texts of the charts part of the report (keys start with 'charts.')."""

from __future__ import annotations

TEXT: dict[str, str] = {
}
