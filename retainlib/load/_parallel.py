"""Parsing the columns of a sales export in parallel threads, the slowest column first.

The pyarrow kernels behind the column parsers release the GIL, so the amounts,
dates, customer ids and text columns of one file are parsed at the same time
on several cores. :func:`parse_columns` is the only place in the loader that
starts threads; :func:`retainlib.load.transactions.read_transactions` calls it
once per file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from retainlib.load._numbers import parse_amounts
from retainlib.load._rows import _candidates, _column_key, _total_label
from retainlib.load.parsing import clean_ids, clean_text, parse_dates


@dataclass
class ParsedColumns:
    """The parsed columns of one file; a reason is missing on the rows that parsed."""

    ids: pd.Series  # customer ids, cleaned (leading zeros kept)
    id_reasons: pd.Series  # categorical: 'blank customer id' or missing
    id_is_total: np.ndarray  # bool: the id cell is a total label ('Total', 'סה"כ', ...)
    dates: pd.Series  # datetime64[ns], NaT where the date did not parse
    date_reasons: pd.Series  # categorical: 'blank date', 'unparseable date', ...
    amounts: pd.Series  # float64, NaN where the amount did not parse
    amount_reasons: pd.Series  # categorical: 'blank amount', 'non-numeric amount'
    texts: dict[str, pd.Series]  # order_id and the segment columns, cleaned
    candidates: np.ndarray  # rows that may exactly repeat another row (see _rows._candidates)


def parse_columns(
    frame: pd.DataFrame,
    found: Mapping[str, str],
    texts: Sequence[str],
    *,
    dayfirst: bool,
    date_format: str | None,
    decimal: str,
    thousands: str | None,
    on_dates: Callable[[pd.Series], None] | None = None,
    numbers: np.ndarray | None = None,
) -> ParsedColumns:
    """Parse the customer ids, dates, amounts and text columns of ``frame`` in parallel.

    Parameters
    ----------
    frame : pandas.DataFrame
        The file as read (:attr:`RawTable.frame`): text, or dates and numbers
        that pyarrow converted while reading.
    found : mapping
        Output name -> file column, with at least ``customer_id``, ``date`` and ``amount``.
    texts : sequence of str
        Output names of the columns that are only cleaned (``order_id``, segments).
    dayfirst, date_format, decimal, thousands
        As in :func:`retainlib.load.transactions.read_transactions`.
    on_dates : callable, optional
        Called in the calling thread with the date reasons as soon as the
        dates are parsed, while the other threads are still working.
    numbers : numpy.ndarray, optional
        The amounts the file stored as numbers (NaN for other cells), see
        :func:`retainlib.load._numbers.parse_numbers`.

    Returns
    -------
    ParsedColumns
        Each parsed column with its reasons, and the rows that may be exact duplicates.

    Notes
    -----
    Up to four threads (fewer on fewer cores). The slowest task is submitted
    first (amounts with currency signs, then day-first dates), so that another
    worker meanwhile takes the rest: the key of the customer ids for the
    duplicate check, the ids themselves, the text columns, and last the
    duplicate candidates, which wait for the keys they need: submitted last,
    every task they wait for is already running or done, even with one worker.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["007", " "], "day": ["31/01/2024", "2024-02-30"],
    ...                       "total": ["₪5.50", "(6)"]})
    >>> cols = parse_columns(frame, {"customer_id": "id", "date": "day", "amount": "total"}, [],
    ...                      dayfirst=True, date_format=None, decimal=".", thousands=None)
    >>> cols.ids[0], cols.id_reasons[1], cols.date_reasons[1], cols.amounts.tolist()
    ('007', 'blank customer id', 'impossible date', [5.5, -6.0])
    """
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        f_amounts = pool.submit(
            parse_amounts, frame[found["amount"]], decimal=decimal, thousands=thousands,
            numbers=numbers,
        )
        f_dates = pool.submit(
            parse_dates, frame[found["date"]], dayfirst=dayfirst, date_format=date_format
        )
        f_key = pool.submit(_column_key, frame[found["customer_id"]])
        f_ids = pool.submit(_ids_and_total_label, frame[found["customer_id"]])
        f_texts = {name: pool.submit(clean_text, frame[found[name]]) for name in texts}
        f_candidates = pool.submit(_duplicate_candidates, frame, found, f_key, f_dates, f_amounts)
        ids, id_reasons, id_is_total = f_ids.result()
        dates, date_reasons = f_dates.result()
        if on_dates is not None:
            on_dates(date_reasons)
        amounts, amount_reasons = f_amounts.result()
        cleaned = {name: f.result() for name, f in f_texts.items()}
    return ParsedColumns(ids, id_reasons, id_is_total, dates, date_reasons, amounts,
                         amount_reasons, cleaned, f_candidates.result())


def _ids_and_total_label(raw: pd.Series) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Clean customer ids: values, reasons, and True where the id is a total label."""
    ids, reasons = clean_ids(raw)
    return ids, reasons, _total_label(ids)


def _duplicate_candidates(
    frame: pd.DataFrame, found: Mapping[str, str], id_key: Future, dates: Future, amounts: Future
) -> np.ndarray:
    """Rows that may exactly repeat another row: their (id, date, amount) hashes alike.

    The keys are the raw customer-id text (``id_key``: a future of
    :func:`_column_key`) and the dates and amounts as parsed (futures of
    their parsers), or as read when pyarrow converted the column while
    reading, in which case this does not wait for the parser. Equal rows
    have equal keys; the exact comparison of the candidates comes later
    (:func:`retainlib.load._rows._duplicates`).
    """
    keys = [id_key.result()]
    for col, parsed in ((found["date"], dates), (found["amount"], amounts)):
        dtype = frame[col].dtype
        converted = isinstance(dtype, np.dtype) and dtype.kind in ("f", "M")
        values = frame[col] if converted else parsed.result()[0]
        keys.append(values.to_numpy().view(np.uint64))
    return _candidates(keys)
