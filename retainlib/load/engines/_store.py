"""The purchase lines an engine kept, left on disk as Parquet and read back by customer.

The engines write their grouping (:func:`._sql.reduction`: the purchase lines
and the rejected rows by reason) to a Parquet file or folder instead of
bringing it to this process. The reduced tables are computed from it by the
engine (:mod:`._facts`); the few analyses that need lines (a campaign's
treatment and control groups, the previous at-risk list, the surveyed
customers, one segment's report) read just their customers' lines with
:meth:`PurchaseLines.of`, which pyarrow filters while reading.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from retainlib.load.parsing import TEXT

__all__ = ["PurchaseLines", "lines_frame", "work_folder"]


def work_folder(near: str | Path | None = None) -> tuple[Path, object]:
    """A new folder for an engine's lines and what removes it (None when a caller owns ``near``).

    With ``near`` (a file the caller will remove, such as the report's
    analysis cache) the folder is ``<near>.lines`` beside it, which the caller
    removes too; else a new temporary folder, removed when the returned
    :class:`PurchaseLines` is garbage-collected.
    """
    if near not in (None, ""):
        folder = Path(str(near) + ".lines")
        folder.mkdir(parents=True, exist_ok=False)
        return folder, None
    folder = Path(tempfile.mkdtemp(prefix="retain-lines-"))
    return folder, folder


class PurchaseLines:
    """The purchase lines of a client up to the observation end, in a Parquet file or folder.

    Parameters
    ----------
    path : pathlib.Path
        What the engine wrote: the kept lines (``reason`` NULL) and the
        rejected groups (see :func:`._sql.reduction`).
    segments : sequence of str
        The segment columns.
    end : datetime.date
        The observation end: later lines are not read.
    has_orders : bool
        Whether the source has an order id.
    owned : pathlib.Path, optional
        A temporary folder of ours to remove when this object goes.
    """

    def __init__(self, path: Path, segments: Sequence[str], end, has_orders: bool,
                 owned: Path | None = None) -> None:
        self.path, self.segments, self.end = Path(path), list(segments), end
        self.has_orders = has_orders
        self._remove = None if owned is None else weakref.finalize(
            self, shutil.rmtree, str(owned), ignore_errors=True)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_remove"] = None  # a copy (the report's cache) does not remove our folder
        return state

    def _where(self):
        """The filter of the kept lines up to the end (the rejected groups have a reason)."""
        return pc.is_null(pc.field("reason")) & (
            pc.field("date") <= pa.scalar(self.end, pa.date32()))

    def _kept(self, extra=None) -> pa.Table:
        data = ds.dataset(str(self.path), format="parquet")
        where = self._where() if extra is None else self._where() & extra
        return data.to_table(filter=where, columns=["customer_id", "date", "order_id",
                                                    *self.segments, "amount"])

    def of(self, customers: Iterable) -> pd.DataFrame:
        """The purchase lines of ``customers`` (ids) as canonical transactions, sorted."""
        ids = pa.array([str(c) for c in pd.Index(customers).unique()], pa.string())
        return lines_frame(self._kept(pc.field("customer_id").isin(ids)), self.segments,
                           self.has_orders)

    def all(self) -> pd.DataFrame:
        """Every purchase line (the whole client in memory: for small clients and tests)."""
        return lines_frame(self._kept(), self.segments, self.has_orders)

    def __len__(self) -> int:
        return ds.dataset(str(self.path), format="parquet").count_rows(filter=self._where())


def lines_frame(lines: pa.Table, segments: list[str], has_orders: bool = True) -> pd.DataFrame:
    """Purchase lines as the canonical transactions table (the loader's dtypes), sorted.

    Sorted by customer, day, order id and amount, as the engine's query sorts them.
    """
    lines = lines.sort_by([("customer_id", "ascending"), ("date", "ascending"),
                           ("order_id", "ascending"), ("amount", "ascending")])
    text = ["customer_id", "order_id", *segments]
    out = pd.DataFrame({
        "customer_id": lines.column("customer_id").to_pandas().astype(TEXT),
        "date": pd.Series(lines.column("date").cast(pa.timestamp("ns")).to_numpy(),
                          dtype="datetime64[ns]"),
        "amount": lines.column("amount").to_numpy().astype("float64"),
        **{c: lines.column(c).to_pandas().astype(TEXT) for c in text[1:]},
    })
    if not has_orders:  # the source has no order id
        out = out.drop(columns="order_id")
    return out
