"""Checks of canonical transactions shared by the analytics (one-sentence DataErrors)."""

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
