"""Input checks shared by the analytics (one-sentence DataErrors)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from retainlib.errors import DataError

REQUIRED = ("customer_id", "date", "amount")


def check_transactions(
    tx: object, by: str | None = None, *, dates: bool = False, action: str = "first"
) -> None:
    """Raise a DataError when ``tx`` is not usable canonical transactions.

    Parameters
    ----------
    tx : object
        Should be a DataFrame with ``customer_id``, ``date`` and ``amount``.
    by : str, optional
        Segment column that must be present too.
    dates : bool, default False
        Also require ``date`` to have a datetime dtype (checked before ``amount``).
    action : str, default 'first'
        End of the advice for missing values: "drop or fill those rows <action>".

    Raises
    ------
    DataError
        Not a DataFrame, a column missing, no rows, missing values in a required
        column, dates not datetime (``dates=True``) or amounts not numeric.
    """
    if not isinstance(tx, pd.DataFrame):
        raise DataError(f"transactions must be a pandas DataFrame, got {type(tx).__name__}")
    needed = REQUIRED + ((by,) if by is not None else ())
    missing = [c for c in needed if c not in tx.columns]
    if missing:
        hint = (
            "pass by= one of the columns" if missing[0] == by
            else "load the file with retainlib.read_transactions or rename the columns to "
            "customer_id, date, amount"
        )
        raise DataError(
            f"column {missing[0]!r} not found in the transactions; columns are "
            f"{', '.join(repr(str(c)) for c in tx.columns)}; {hint}"
        )
    if len(tx) == 0:
        raise DataError("the transactions are empty; check the file and the date filters")
    for col in REQUIRED:
        bad = tx[col].isna().to_numpy()
        if bad.any():
            row = tx.index[np.flatnonzero(bad)[0]]
            raise DataError(
                f"column {col!r} is missing in {int(bad.sum())} transaction rows (first at row "
                f"{row!r}); drop or fill those rows {action}"
            )
    if dates and not pd.api.types.is_datetime64_any_dtype(tx["date"]):
        raise DataError(
            f"column 'date' has dtype {tx['date'].dtype}, not datetime; convert it with "
            "pd.to_datetime (use dayfirst=True for day-first dates)"
        )
    if not pd.api.types.is_numeric_dtype(tx["amount"]):
        raise DataError(
            f"column 'amount' has dtype {tx['amount'].dtype}, not numeric; convert it with "
            "pd.to_numeric after removing currency signs and thousands separators"
        )


def check_frame(tx: object, required: tuple[str, ...], func: str) -> None:
    """Raise a DataError naming ``func`` unless ``tx`` is usable for a value analysis.

    ``tx`` must be a non-empty DataFrame with the ``required`` columns, no empty values in
    them and a numeric ``amount`` (used by :mod:`retainlib.analytics.pareto`).
    """
    if not isinstance(tx, pd.DataFrame):
        raise DataError(
            f"{func} expects a pandas DataFrame of transactions, got {type(tx).__name__}"
        )
    missing = [c for c in required if c not in tx.columns]
    if missing:
        raise DataError(
            f"{func} needs column(s) {', '.join(map(repr, missing))}; the frame has "
            f"{', '.join(repr(str(c)) for c in tx.columns)}; load the data with "
            "retainlib.read_transactions, which renames the client's columns"
        )
    if len(tx) == 0:
        raise DataError(f"{func} got an empty transactions frame; there is nothing to analyse")
    if not pd.api.types.is_numeric_dtype(tx["amount"]) or pd.api.types.is_bool_dtype(tx["amount"]):
        raise DataError(
            f"column 'amount' must be numeric, got dtype {tx['amount'].dtype}; convert it with "
            "pandas.to_numeric or load the file with retainlib.read_transactions"
        )
    for col in required:
        check_no_missing(tx[col], col)


def check_no_missing(values: pd.Series, col: str) -> None:
    """DataError for empty values in ``col`` (and infinite ones in amount or revenue)."""
    missing = values.isna().to_numpy()
    if missing.any():
        first = values.index[np.argmax(missing)]
        raise DataError(
            f"column {col!r} has {int(missing.sum())} empty value(s) (first at row {first!r}); "
            "drop or fill them before the analysis (read_transactions reports such rows)"
        )
    if col in ("amount", "revenue"):
        infinite = np.isinf(values.to_numpy(dtype="float64"))
        if infinite.any():
            first = values.index[np.argmax(infinite)]
            raise DataError(
                f"column {col!r} has {int(infinite.sum())} infinite value(s) (first at row "
                f"{first!r}); fix or drop them before the analysis"
            )
