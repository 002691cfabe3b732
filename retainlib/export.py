"""The customer table: one row per customer with everything known, and its CSV/Excel export.

Columns of :func:`customer_table` (stable names; groups appear when their inputs are given)
--------------------------------------------------------------------------------------------
Always (from the transactions):
``first_purchase``, ``last_purchase`` (dates of the first and last purchase row),
``orders``, ``revenue`` (net of returns), ``gross_revenue``, ``returns`` (see
:func:`retainlib.customer_value`); one column per segment column of the transactions
(e.g. ``region``: the customer's most frequent value, ties to the alphabetically first);
``R``, ``F``, ``M``, ``RFM``, ``rfm_segment`` (:func:`retainlib.rfm_scores` on the
transactions, :func:`retainlib.rfm_segments`); ``abc_class`` (:func:`retainlib.abc_classes`).

With ``purchases_model`` and ``spend_model`` (fitted on ``rfm``):
``frequency``, ``recency``, ``T`` (the model summary), ``p_alive``, ``expected_purchases``
(over ``horizon_weeks``), ``expected_spend``, ``revenue_at_risk``, ``at_risk``,
``at_risk_rank``, ``at_risk_reason`` (:func:`retainlib.at_risk`). Customers whose rows are
all returns have no purchase occasion, are not in the model summary and get missing values.

With ``clv``: ``clv``, ``clv_tier`` (:func:`retainlib.clv_tiers`).

With ``survey``: ``nps_score`` (latest answer), ``nps_date``, ``nps_group``
(Promoter, Passive, Detractor).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from retainlib._spreadsheet import formula_mask, write_csv
from retainlib.errors import DataError

__all__ = ["customer_table", "export_customers", "export_table"]

_CANONICAL = {"customer_id", "date", "amount", "order_id"}


def _most_frequent(tx: pd.DataFrame, col: str) -> pd.Series:
    """Each customer's most frequent value of ``col`` (ties: alphabetically first)."""
    counts = (tx[["customer_id", col]].dropna()
              .groupby(["customer_id", col], observed=True, sort=False).size()
              .rename("n").reset_index())
    counts = counts.sort_values(["customer_id", "n", col], ascending=[True, False, True],
                                kind="stable")
    top = counts.drop_duplicates("customer_id").set_index("customer_id")[col]
    return top


def customer_table(tx: pd.DataFrame, *, rfm: pd.DataFrame | None = None, purchases_model=None,
                   spend_model=None, clv: pd.Series | None = None,
                   survey: pd.DataFrame | None = None, observation_end: object = None,
                   horizon_weeks: float = 52.0, margin: float = 1.0,
                   segments: Sequence[str] | None = None,
                   at_risk_options: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per customer with everything known about them.

    Business meaning: the file the client's CRM or account managers work from.

    Parameters
    ----------
    tx : DataFrame
        Canonical transactions (``customer_id``, ``date``, ``amount``, optional
        ``order_id`` and segment columns).
    rfm : DataFrame, optional
        Model summary (:func:`retainlib.rfm_summary`); built from ``tx`` in weeks when
        models are given without it.
    purchases_model, spend_model : fitted models, optional
        ``BetaGeoModel`` and ``GammaGammaModel`` (both or neither).
    clv : Series, optional
        CLV per customer (:func:`retainlib.customer_lifetime_value`).
    survey : DataFrame, optional
        NPS answers (:func:`retainlib.read_survey`); the latest answer of each customer is used.
    observation_end : date-like, optional
        Transactions after it are ignored; default the last transaction date.
    horizon_weeks : float, default 52
        Horizon of ``expected_purchases`` and ``revenue_at_risk``.
    margin : float, default 1.0
        Margin used for ``revenue_at_risk``.
    segments : sequence of str, optional
        Segment columns of ``tx``; default every text or categorical column that is not
        canonical.
    at_risk_options : mapping, optional
        ``p_alive_threshold``, ``gap_multiple``, ``min_value_quantile`` for
        :func:`retainlib.at_risk`.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted), columns as in the module docstring;
        ``attrs['observation_end']`` records the end date.
    """
    from retainlib.pareto import abc_classes, customer_value
    from retainlib.segments import rfm_scores, rfm_segments
    from retainlib.tiers import clv_tiers

    if not isinstance(tx, pd.DataFrame) or not {"customer_id", "date", "amount"} <= set(tx):
        raise DataError("customer_table expects canonical transactions (columns 'customer_id', "
                        "'date', 'amount'); load them with retainlib.read_transactions")
    if (purchases_model is None) != (spend_model is None):
        raise DataError("give both purchases_model and spend_model (or neither) to customer_table")
    end = pd.Timestamp(observation_end) if observation_end is not None else tx["date"].max()
    tx = tx[tx["date"] < end.normalize() + pd.Timedelta(days=1)]
    table = customer_value(tx)
    table = table[["first_purchase", "last_purchase", "orders", "revenue", "gross_revenue",
                   "returns"]]
    if segments is None:
        segments = [c for c in tx.columns if c not in _CANONICAL and (
            pd.api.types.is_string_dtype(tx[c]) or isinstance(tx[c].dtype, pd.CategoricalDtype))]
    for col in segments:
        if col not in tx.columns:
            raise DataError(f"segment column {col!r} not in the transactions; columns are "
                            f"{', '.join(repr(str(c)) for c in tx.columns)}")
        table[col] = _most_frequent(tx, col).reindex(table.index)
    seg = rfm_segments(rfm_scores(tx, observation_end=end))
    table = table.join(seg[["R", "F", "M", "RFM"]]).assign(rfm_segment=seg["segment"])
    table["abc_class"] = abc_classes(table[["revenue"]])["abc_class"]

    if purchases_model is not None:
        from retainlib.early_warning import at_risk
        from retainlib.rfm import rfm_summary

        if rfm is None:
            rfm = rfm_summary(tx, observation_end=end)
        risk = at_risk(rfm, purchases_model, spend_model, horizon_weeks=horizon_weeks,
                       margin=margin, only_flagged=False, **dict(at_risk_options or {}))
        table = table.join(rfm[["frequency", "recency", "T"]])
        table = table.join(risk[["p_alive", "expected_purchases", "expected_spend",
                                 "revenue_at_risk", "at_risk"]])
        table["at_risk"] = table["at_risk"].astype("boolean")  # NA: customer not modelled
        table["at_risk_rank"] = risk["rank"].where(risk["at_risk"]).reindex(table.index)
        table["at_risk_rank"] = table["at_risk_rank"].astype("Int64")
        table["at_risk_reason"] = risk["reason"].reindex(table.index).fillna("")
    if clv is not None:
        clv = pd.Series(clv).reindex(table.index)
        table["clv"] = clv
        known = clv.dropna()
        table["clv_tier"] = clv_tiers(known).reindex(table.index) if len(known) else np.nan
    if survey is not None:
        from retainlib.survey import latest_answers

        last = latest_answers(survey).set_index("customer_id")
        table["nps_score"] = last["score"].reindex(table.index).astype("Int64")
        table["nps_date"] = last["date"].reindex(table.index)
        table["nps_group"] = last["nps_group"].reindex(table.index)
    table.index.name = "customer_id"
    table.attrs["observation_end"] = str(end.date())
    return table


def export_table(df: pd.DataFrame, path: str | Path, *, sheet_name: str = "Customers") -> Path:
    """Write a per-customer table as ``.csv`` (UTF-8 with BOM) or formatted ``.xlsx``.

    Business meaning: a file that opens cleanly in Excel, Hebrew included.

    The CSV has a byte-order mark so Excel detects UTF-8 (Hebrew names stay readable),
    CRLF line ends, dates as ``YYYY-MM-DD`` and the index as the first column. The workbook
    has a bold header row, the header row and the id column frozen, whole-day dates formatted
    ``YYYY-MM-DD`` and column widths fitted to the content (10 to 60 characters).

    No cell is ever a formula (CSV/formula injection): in the CSV, text that begins
    with ``=``, ``+``, ``-``, ``@``, tab or carriage return and is not a number gets a
    leading ``'`` (:func:`retainlib._spreadsheet.write_csv`); in the workbook
    every text is a text cell, and those texts keep their value and get Excel's
    quote-prefix style, so they stay text when a user edits the cell.

    Parameters
    ----------
    df : DataFrame
        Table to write; its index (e.g. ``customer_id``) becomes the first column.
    path : str or pathlib.Path
        Target; ``.csv`` or ``.xlsx``. Parent folders are created.
    sheet_name : str, default 'Customers'
        Worksheet name for ``.xlsx``.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise DataError(f"cannot export to {path.name}: use a .csv or .xlsx file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        return write_csv(df, path, date_format="%Y-%m-%d")
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype("object")
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    index_name = str(out.index.name or "id")
    frame = out.reset_index(names=index_name) if index_name not in out.columns else \
        out.reset_index(drop=True).rename_axis(None)
    widths = [max(len(str(c)), _text_width(frame[c])) for c in frame.columns]
    wb = Workbook(write_only=True)  # streams rows: fast and light on big customer tables
    ws = wb.create_sheet(title=sheet_name[:31])
    ws.freeze_panes = "B2"  # header row and id column stay in view
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 10), 60)
    bold = Font(bold=True)
    names = pd.Series([str(c) for c in frame.columns], dtype=object)
    header = []
    for name, quote in zip(names, _needs_text_cell(names), strict=True):
        cell = _text_cell(ws, name, quote=quote)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    columns = (_cell_values(frame.iloc[:, i], ws) for i in range(frame.shape[1]))
    for row in zip(*columns, strict=True):
        ws.append(row)
    wb.save(path)
    return path


def _cell_values(values: pd.Series, ws) -> list:
    """Python values for openpyxl: missing -> None, whole-day dates -> date (YYYY-MM-DD).

    Texts that openpyxl would write as a formula (``=...``) or an error value
    (``#N/A``), and the other formula texts, become text cells (:func:`_text_cell`).
    """
    missing = values.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dropna()
        whole_days = bool((stamps == stamps.dt.normalize()).all())
        cells = list(values.dt.date) if whole_days else values.astype("object").tolist()
    else:
        cells = values.astype("object").tolist()
    cells = [None if m else v for v, m in zip(cells, missing, strict=True)]
    for i in np.flatnonzero(_needs_text_cell(values)):
        cells[i] = _text_cell(ws, cells[i], quote=True)
    return cells


def _needs_text_cell(values: pd.Series) -> np.ndarray:
    """Where a value is formula text or one of Excel's error values (``#N/A``, ``#REF!``...)."""
    from openpyxl.cell.cell import ERROR_CODES

    mask = formula_mask(values)
    if pd.api.types.is_string_dtype(values.dtype):  # object, str or string
        mask |= values.isin(ERROR_CODES).to_numpy(dtype=bool)
    return mask


def _text_cell(ws, text: str, *, quote: bool):
    """A write-only cell that holds ``text`` as text, never as a formula.

    openpyxl turns a str that begins with ``=`` into a formula cell (and ``#N/A``
    into an error value); the cell's type is set back to text. ``quote`` adds the
    quote-prefix style (Excel's leading ``'``, not part of the value), so that
    the text stays text when a user edits the cell.
    """
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    if quote:
        cell.quotePrefix = True
    return cell


def _text_width(values: pd.Series) -> int:
    if len(values) == 0:
        return 0
    if pd.api.types.is_datetime64_any_dtype(values):
        return 10
    if pd.api.types.is_float_dtype(values):
        values = values.round(2)
    lengths = values.astype("str").str.len()
    return int(lengths.max()) if lengths.notna().any() else 0


def export_customers(table: pd.DataFrame, path: str | Path) -> Path:
    """Write the customer table to ``.csv`` (UTF-8 with BOM) or ``.xlsx`` (formatted).

    Business meaning: hands the client one row per customer with everything we know.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`customer_table`.
    path : str or pathlib.Path
        ``.csv`` or ``.xlsx`` target (see :func:`export_table` for the formatting).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    return export_table(table, path, sheet_name="Customers")
