"""A client file read as text (RawTable), and the header and blank-row rules of every reader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from retainlib.load.parsing import normalize_header

__all__ = ["RawTable", "dedupe_headers", "drop_blank_rows"]


@dataclass
class RawTable:
    """A file read as text, before any parsing.

    Attributes
    ----------
    frame : pandas.DataFrame
        One string column per file column (headers normalised with
        :func:`retainlib.load.parsing.normalize_header`, duplicates suffixed
        ``' (2)'``), missing for empty cells; RangeIndex. Columns converted on
        request (``typed`` of :func:`read_raw`) are datetime64[ns] or float64.
    lines : numpy.ndarray
        For each row its line in the file (header = line 1), its Excel sheet
        row, or for Parquet and data frames its 1-based row number.
    name : str
        File name used in messages.
    encoding : str or None
        Text encoding used (None for Excel, Parquet and frames).
    too_many_fields : numpy.ndarray or None
        True for delimited-file rows with more values than the header has
        columns (Excel cells beyond the header become columns named 'column N').
    blank_lines : int
        Rows with no value at all; they are not rows of data and are not counted.
    numbers : dict
        Column -> float64 array: the value of each cell a workbook or a
        Parquet file (or frame) stored as a number, NaN for the other cells.
        Such a value is a number already, whatever text it is written as
        ('1.234' is 1.234, not one thousand), so the amount parser takes it
        as it is. Empty for delimited files.
    """

    frame: pd.DataFrame
    lines: np.ndarray
    name: str
    encoding: str | None = None
    too_many_fields: np.ndarray | None = None
    blank_lines: int = 0
    numbers: dict[str, np.ndarray] = field(default_factory=dict)


def dedupe_headers(names: Sequence[object]) -> list[str]:
    """Headers normalised, blanks named 'column N', repeats suffixed ' (2)', ' (3)'.

    >>> dedupe_headers(["Amount ", None, "amount", "Amount "])
    ['Amount', 'column 2', 'amount', 'Amount (2)']
    """
    out: list[str] = []
    taken: set[str] = set()
    next_k: dict[str, int] = {}  # base name -> the next suffix to try (no rescans: linear time)
    for i, raw in enumerate(names):
        name = normalize_header("" if raw is None else raw) or f"column {i + 1}"
        base, k = name, next_k.get(name, 2)
        while name in taken:
            name, k = f"{base} ({k})", k + 1
        if name != base:
            next_k[base] = k
        taken.add(name)
        out.append(name)
    return out


def drop_blank_rows(raw: RawTable) -> RawTable:
    """``raw`` without the rows that have no value at all (counted in ``blank_lines``)."""
    blank = None
    for col in raw.frame.columns:  # column by column: usually the first full column ends it
        missing = raw.frame[col].isna().to_numpy()
        blank = missing if blank is None else blank & missing
        if not blank.any():
            return raw
    if blank is not None and blank.any():
        keep = ~blank
        raw.frame = raw.frame[keep].reset_index(drop=True)
        raw.lines = raw.lines[keep]
        if raw.too_many_fields is not None:
            raw.too_many_fields = raw.too_many_fields[keep]
        raw.numbers = {c: v[keep] for c, v in raw.numbers.items()}
        raw.blank_lines += int(blank.sum())
    return raw
