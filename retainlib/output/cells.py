r"""Spreadsheet-safe text: cells that Excel or LibreOffice would run as formulas.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is read by spreadsheet programs as a formula when a CSV file is opened
(CSV or formula injection, OWASP): a customer id ``=HYPERLINK(...)`` becomes a
live link, ``+cmd|"/c calc"!A1`` asks to start a program. Such cells get a
leading ``'``, which spreadsheets read as "this is text". Plain numbers such as
``-45.5``, ``+3`` or ``-1,234.50`` stay as they are: nothing made of digits,
signs, separators and an exponent can call a function.

Every CSV retainlib writes goes through :func:`protect_formulas` (or
:func:`retainlib.output.tables.write_csv`, which also quotes every text that
holds a line break, so that a carriage return inside a text cannot start a row
of its own whose first cell is a formula); ``.xlsx`` files need no quote (they
mark each cell's type) and
use :func:`formula_mask` to give such texts Excel's quote-prefix style instead.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from retainlib.load.parsing import FORMULA_STARTS  # public here too: the rule's home

__all__ = ["CSV_LINE_END", "FORMULA_STARTS", "formula_mask", "is_formula_text",
           "protect_formulas", "protect_text"]

#: Line end of the CSV files: Python's csv module quotes a field that holds a character
#: of the line end, so with CRLF a text holding a lone CR is quoted too (with LF it is not).
CSV_LINE_END = "\r\n"

# a plain number: sign, digits (optionally grouped by commas), decimals, exponent.
# [0-9] rather than \d: Python's \d also matches other scripts' digits, pyarrow's does not.
_NUMBER = r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(_NUMBER)


def is_formula_text(value: object) -> bool:
    r"""Whether ``value`` is text that a spreadsheet would read as a formula.

    Parameters
    ----------
    value : object
        Any cell value; only ``str`` can be formula text.

    Returns
    -------
    bool
        True for text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage
        return that is not a plain number.

    Examples
    --------
    >>> [is_formula_text(v) for v in ["=1+1", "-cmd", "+972-54-1234567", "-45.5", "A-1", -3]]
    [True, True, True, False, False, False]
    """
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and _NUMBER_RE.fullmatch(value) is None)


def protect_text(value: object) -> object:
    """``value`` with a leading ``'`` when it is formula text, else unchanged.

    For rows written one at a time (``csv.DictWriter``):
    ``{k: protect_text(v) for k, v in row.items()}``.

    Examples
    --------
    >>> protect_text("@SUM(1+1)"), protect_text("-45.5"), protect_text(7)
    ("'@SUM(1+1)", '-45.5', 7)
    """
    return "'" + value if is_formula_text(value) else value


def formula_mask(values: pd.Series | pd.Index) -> np.ndarray:
    r"""Where the cells of ``values`` are formula text (see :func:`is_formula_text`).

    Vectorised: the first characters are checked with pandas' string methods,
    and only the cells that pass are matched against the number pattern.
    Columns that are not text (numbers, dates, booleans) are not looked at.

    Parameters
    ----------
    values : Series or Index
        Object, ``str``/``string`` or categorical values; other values, missing
        cells and non-text cells of an object column count as False.

    Returns
    -------
    numpy.ndarray
        Boolean, one entry per cell.

    Examples
    --------
    >>> formula_mask(pd.Series(["=1+1", "ok", None, "-2", "\t=A1"], dtype="string"))
    array([ True, False, False, False,  True])
    """
    values = pd.Series(values.array, copy=False)  # a RangeIndex: the labels are not needed
    n = len(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = formula_mask(values.cat.categories)
        codes = values.cat.codes.to_numpy()
        return (codes >= 0) & cats[np.maximum(codes, 0)] if len(cats) else np.zeros(n, bool)
    if n == 0 or not pd.api.types.is_string_dtype(values.dtype):  # object, str, string
        return np.zeros(n, dtype=bool)
    try:
        starts = values.str.startswith(FORMULA_STARTS)
    except (AttributeError, TypeError):  # an object column without text (dates, bytes)
        return np.zeros(n, dtype=bool)
    mask = starts.to_numpy(dtype=bool, na_value=False).copy()  # may be a read-only view
    candidates = np.flatnonzero(mask)
    if len(candidates):
        number = values.iloc[candidates].str.fullmatch(_NUMBER)
        mask[candidates[number.to_numpy(dtype=bool, na_value=False)]] = False
    return mask


def _quoted(values: pd.Series, mask: np.ndarray) -> pd.Series:
    """``values`` with ``'`` put in front of the cells where ``mask`` is True."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        new = ["'" + c if m else c for c, m in zip(cats, formula_mask(cats), strict=True)]
        if pd.Index(new).is_unique:  # "'=x" may already be a category beside "=x"
            return values.cat.rename_categories(new)
        values = values.astype(object)
    cells = values.to_numpy(dtype=object, copy=True)
    at = np.flatnonzero(mask)
    cells[at] = ["'" + v for v in cells[at]]
    return pd.Series(cells, index=values.index, name=values.name, dtype=values.dtype)


def _protected_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        levels = [_protected_index(index.get_level_values(i)) for i in range(index.nlevels)]
        new = pd.MultiIndex.from_arrays(levels)
    else:
        mask = formula_mask(index)
        new = pd.Index(_quoted(pd.Series(index, copy=False), mask)) if mask.any() else index
    return new.set_names([protect_text(name) for name in index.names])


def protect_formulas(df: pd.DataFrame) -> pd.DataFrame:
    r"""A copy of ``df`` whose formula texts start with ``'``: safe to write as CSV.

    Every text cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage
    return and is not a plain number (see :func:`is_formula_text`) gets a
    leading ``'``, in the columns, the index (e.g. ``customer_id``) and the
    column and index names. Numbers, dates, missing cells and the other texts
    are unchanged, and so are the dtypes (a categorical's categories are
    renamed). Only text columns are scanned, with vectorised string methods.

    Parameters
    ----------
    df : DataFrame
        Any table, e.g. the customer table or the rejected rows of a load.

    Returns
    -------
    DataFrame
        Same shape, index and dtypes as ``df``.

    Examples
    --------
    >>> df = pd.DataFrame({"name": ["=1+1", "Dana", "+972-54-1234567"],
    ...                    "amount": [-45.5, 10.0, 3.0], "note": ["-45.5", "@SUM(A1)", ""]},
    ...                   index=pd.Index(["-cmd", "002", "003"], name="customer_id"))
    >>> safe = protect_formulas(df)
    >>> safe.index.tolist()
    ["'-cmd", '002', '003']
    >>> safe["name"].tolist(), safe["amount"].tolist(), safe["note"].tolist()
    (["'=1+1", 'Dana', "'+972-54-1234567"], [-45.5, 10.0, 3.0], ['-45.5', "'@SUM(A1)", ''])
    """
    out = df.copy()
    for i in range(out.shape[1]):  # by position: column names may repeat
        column = out.iloc[:, i]
        mask = formula_mask(column)
        if mask.any():
            out.isetitem(i, _quoted(column, mask))
    out.index = _protected_index(out.index)
    out.columns = _protected_index(out.columns)
    return out
