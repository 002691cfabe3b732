"""Pareto (80/20) analysis of customer value: who brings the revenue, and how concentrated it is.

Every function takes either canonical transactions (``customer_id``, ``amount`` and, for
:func:`customer_value`, ``date``; optional ``order_id``) or a per-customer frame with a
``revenue`` column indexed by ``customer_id`` (for example the output of
:func:`customer_value` or :func:`pareto_table`), so the expensive aggregation is done once.

How returns are handled
-----------------------
A customer's *net revenue* is the sum of their amounts, returns (negative amounts) included.
A customer whose returns equal or exceed their purchases (net revenue <= 0) brought no revenue:

- in every share, curve, Gini coefficient and class they count as a customer with revenue 0
  (their negative balance is not allowed to cancel other customers' revenue);
- revenue shares are shares of the *positive revenue*, the sum of the positive net revenues,
  so shares lie in [0, 1], are non-decreasing down the ranking and end at exactly 1;
- they are ranked last (most negative last), are always in class C, and are counted and
  totalled separately in the report numbers of :mod:`retainlib.analytics.pareto_statements`;
- ``include_nonpositive=False`` removes them from the customer base instead (shares of
  "customers with positive net revenue").

Ties in revenue are ranked by ``customer_id`` (ascending), so every result is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real

import numpy as np
import pandas as pd

from retainlib._arrays import factorized
from retainlib.analytics._checks import check_frame, check_no_missing
from retainlib.errors import DataError

__all__ = [
    "abc_classes",
    "abc_summary",
    "customer_value",
    "gini",
    "lorenz_curve",
    "pareto_table",
    "top_share",
]

#: Shares closer than this to a threshold count as reaching it (rounding in sums of cents).
_TOL = 1e-9
_CLASSES = ("A", "B", "C")


# --------------------------------------------------------------------------- helpers
def _customer_codes(tx: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """Factorize ``customer_id``: codes per row and the sorted unique ids."""
    codes, uniques = factorized(tx["customer_id"], sort=True)
    return codes, pd.Index(uniques, name="customer_id")


# --------------------------------------------------------------------------- customer value
def customer_value(tx: pd.DataFrame) -> pd.DataFrame:
    """Revenue, orders and first and last purchase of every customer.

    Parameters
    ----------
    tx : DataFrame
        Canonical transactions: ``customer_id``, ``date``, ``amount`` (negative = return),
        optional ``order_id``. No value of these columns may be missing.

    Returns
    -------
    DataFrame
        One row per customer, indexed by ``customer_id`` (sorted), with columns

        - ``revenue``: net revenue, the sum of all amounts (returns subtracted);
        - ``orders``: number of purchases. With an ``order_id`` column, the distinct order ids
          among the customer's purchase rows (``amount > 0``), a purchase row without an order
          id counting as one order; without it, the number of purchase rows. Return rows and
          zero-amount rows are never orders;
        - ``gross_revenue``: sum of the positive amounts;
        - ``returns``: sum of the negative amounts as a positive number
          (``revenue = gross_revenue - returns``);
        - ``first_purchase``, ``last_purchase``: dates of the first and last purchase row
          (``amount > 0``); NaT for a customer with returns only.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [100.0, -30.0, 50.0],
    ...                    "date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-01-10"])})
    >>> customer_value(tx)[["revenue", "orders", "returns"]]  # doctest: +NORMALIZE_WHITESPACE
                 revenue  orders  returns
    customer_id
    a               70.0       1     30.0
    b               50.0       1      0.0
    """
    check_frame(tx, ("customer_id", "date", "amount"), "customer_value")
    if not pd.api.types.is_datetime64_any_dtype(tx["date"]):
        raise DataError(
            f"column 'date' must hold dates (datetime64), got dtype {tx['date'].dtype}; convert "
            "it with pandas.to_datetime(dayfirst=True) or load the file with read_transactions"
        )
    codes, index = _customer_codes(tx)
    n = len(index)
    amount = tx["amount"].to_numpy(dtype="float64")
    purchase = amount > 0
    gross = np.bincount(codes, weights=np.where(purchase, amount, 0.0), minlength=n)
    returns = -np.bincount(codes, weights=np.where(amount < 0, amount, 0.0), minlength=n)
    revenue = np.bincount(codes, weights=amount, minlength=n)

    p_codes = codes[purchase]
    if "order_id" in tx.columns:
        orders = _count_orders(p_codes, pd.factorize(tx["order_id"])[0][purchase], n)
    else:
        orders = np.bincount(p_codes, minlength=n)

    dates = pd.Series(tx["date"].array[purchase])  # .array keeps the unit and any time zone
    groups = pd.Categorical.from_codes(p_codes, categories=pd.RangeIndex(n))  # no re-hashing
    span = dates.groupby(groups, observed=False).agg(["min", "max"])
    return pd.DataFrame(
        {
            "revenue": revenue,
            "orders": orders.astype("int64"),
            "gross_revenue": gross,
            "returns": returns + 0.0,  # -0.0 -> 0.0
            "first_purchase": span["min"].array,
            "last_purchase": span["max"].array,
        },
        index=index,
    )


def _count_orders(cust: np.ndarray, order: np.ndarray, n: int) -> np.ndarray:
    """Distinct orders per customer from per-row customer and order codes (-1 = no order id)."""
    order = order.astype("int64")  # a copy
    no_id = order < 0  # a purchase row without an order id is an order of its own
    k = int(order.max(initial=-1)) + 1
    order[no_id] = k + np.arange(int(no_id.sum()))
    m = k + int(no_id.sum())
    owner = np.full(m, -1, dtype="int64")
    owner[order] = cust  # with repeated orders, one of their rows' customers is kept
    if np.array_equal(owner[order], cust):  # usual case: every order id has a single customer
        return np.bincount(owner[owner >= 0], minlength=n)
    # an order id shared by customers counts once for each: distinct (customer, order) pairs
    pairs = pd.unique(cust.astype("int64") * m + order)
    return np.bincount(pairs // m, minlength=n)


# --------------------------------------------------------------------------- ranking core
def _net_revenue(data: object, func: str) -> pd.Series:
    """Net revenue per customer, indexed by sorted ``customer_id``, from any accepted input."""
    if isinstance(data, pd.DataFrame) and {"amount", "customer_id"} <= set(data.columns):
        check_frame(data, ("customer_id", "amount"), func)
        codes, index = _customer_codes(data)
        values = np.bincount(codes, weights=data["amount"].to_numpy(dtype="float64"),
                             minlength=len(index))
        return pd.Series(values, index=index, name="revenue")
    if isinstance(data, pd.DataFrame) and "revenue" in data.columns:
        revenue = data["revenue"]
    elif isinstance(data, pd.Series):
        revenue = data
    else:
        kind = type(data).__name__
        if isinstance(data, pd.DataFrame):
            kind = f"a DataFrame with columns {', '.join(repr(str(c)) for c in data.columns)}"
        raise DataError(
            f"{func} expects transactions (columns 'customer_id' and 'amount') or a per-customer "
            f"frame with a 'revenue' column (see customer_value), got {kind}"
        )
    if len(revenue) == 0:
        raise DataError(f"{func} got no customers; there is nothing to analyse")
    if not pd.api.types.is_numeric_dtype(revenue) or pd.api.types.is_bool_dtype(revenue):
        raise DataError(f"customer revenue must be numeric, got dtype {revenue.dtype}")
    check_no_missing(revenue, "revenue")
    if not revenue.index.is_unique:
        dup = revenue.index[revenue.index.duplicated()][0]
        raise DataError(
            f"customer {dup!r} appears more than once in the per-customer frame; aggregate the "
            "transactions with customer_value first"
        )
    revenue = revenue.astype("float64").rename("revenue")
    if not revenue.index.is_monotonic_increasing:
        revenue = revenue.sort_index()
    return revenue.rename_axis("customer_id")


def _ranked(data: object, func: str, include_nonpositive: bool = True
            ) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    """Customers ranked by net revenue (desc, ties by id): ids, net revenue, counted revenue.

    The counted revenue is ``max(net revenue, 0)``, non-increasing down the ranking.
    """
    return _rank_revenue(_net_revenue(data, func), include_nonpositive)


def _rank_revenue(revenue: pd.Series, include_nonpositive: bool
                  ) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    values = revenue.to_numpy()
    _check_positive(values)
    order = np.argsort(-values, kind="stable")  # index is sorted, so ties stay in id order
    if not include_nonpositive:
        order = order[values[order] > 0]
    net = values[order]
    return revenue.index[order], net, np.maximum(net, 0.0)


def _check_positive(values: np.ndarray) -> None:
    if values.max() <= 0:
        raise DataError(
            f"no customer has positive net revenue ({len(values)} customer(s), net total "
            f"{values.sum():,.2f}), so revenue shares are undefined; check that 'amount' holds "
            "sales as positive numbers and returns as negative ones"
        )


def _cumulative_share(counted: np.ndarray) -> np.ndarray:
    """Cumulative share of ``counted`` (>= 0): non-decreasing, ending at exactly 1."""
    cum = np.cumsum(counted)
    return cum / cum[-1]  # x / x == 1 exactly; adding zeros keeps the tail at exactly 1


def _top_count(q: object, n: int) -> int:
    if isinstance(q, bool) or not isinstance(q, Real) or not 0 <= float(q) <= 1:
        raise DataError(
            f"q must be a fraction of customers between 0 and 1 (0.2 = top 20%), got {q!r}"
        )
    # ceil of q*n, after rounding away float noise (0.7 * 10 = 7.000000000000001 -> 7)
    return math.ceil(round(float(q) * n, 9))


# --------------------------------------------------------------------------- public API
def pareto_table(data: object, *, include_nonpositive: bool = True) -> pd.DataFrame:
    """Customers ranked by revenue, largest first, with cumulative shares.

    Parameters
    ----------
    data : DataFrame or Series
        Transactions, or per-customer revenue (a frame with a ``revenue`` column, or a Series)
        indexed by ``customer_id``.
    include_nonpositive : bool, default True
        Keep customers whose net revenue is <= 0 (ranked last, counted with revenue 0).
        False drops them from the customer base.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` in rank order (ties by ``customer_id``), with columns

        - ``rank``: 1 for the largest customer;
        - ``revenue``: net revenue;
        - ``revenue_share``: ``max(revenue, 0)`` over the positive revenue;
        - ``cum_customer_share``: ``rank / number of customers``;
        - ``cum_revenue_share``: share of positive revenue brought by customers ranked 1..rank
          (non-decreasing, exactly 1 at the last customer).

    Raises
    ------
    DataError
        If no customer has positive net revenue.
    """
    index, net, counted = _ranked(data, "pareto_table", include_nonpositive)
    n = len(net)
    rank = np.arange(1, n + 1, dtype="int64")
    return pd.DataFrame(
        {
            "rank": rank,
            "revenue": net,
            "revenue_share": counted / counted.sum(),
            "cum_customer_share": rank / n,
            "cum_revenue_share": _cumulative_share(counted),
        },
        index=index,
    )


def top_share(data: object, q: float, *, include_nonpositive: bool = True) -> float:
    """Share of revenue brought by the top ``q`` fraction of customers.

    The top ``q`` fraction is the ``ceil(q * n)`` largest customers out of ``n``: with 10
    customers ``q=0.2`` is exactly the top 2; with 7 customers it is the top 2 (1.4 rounded
    up, the fewest whole customers making up at least 20% of the base). ``q=0`` gives 0 and
    ``q=1`` gives 1. See :func:`pareto_table` for the parameters and how returns count.

    Examples
    --------
    >>> top_share(pd.Series([500.0, 300.0, 100.0, 100.0], index=list("abcd")), 0.5)
    0.8
    """
    index, net, counted = _ranked(data, "top_share", include_nonpositive)
    k = _top_count(q, len(net))
    return 0.0 if k == 0 else float(_cumulative_share(counted)[k - 1])


def lorenz_curve(data: object, *, include_nonpositive: bool = True) -> pd.DataFrame:
    """Lorenz curve of customer revenue: smallest customers first, from (0, 0) to (1, 1).

    Returns
    -------
    DataFrame
        ``n + 1`` rows (a RangeIndex), columns ``customer_share`` (k / n) and
        ``revenue_share`` (share of positive revenue brought by the k smallest customers),
        both non-decreasing, first row (0, 0), last row exactly (1, 1). The curve lies on or
        below the diagonal; the Gini coefficient is twice the area between them.
    """
    _, _, counted = _ranked(data, "lorenz_curve", include_nonpositive)
    ascending = counted[::-1]
    n = len(ascending)
    return pd.DataFrame(
        {
            "customer_share": np.arange(n + 1) / n,
            "revenue_share": np.concatenate([[0.0], _cumulative_share(ascending)]),
        }
    )


def gini(data: object, *, include_nonpositive: bool = True) -> float:
    """Gini coefficient of customer revenue (0 = all equal, (n-1)/n = one customer has all).

    With the counted revenues sorted ascending, ``x_1 <= ... <= x_n``,
    ``G = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n``, which equals the mean absolute
    difference between all pairs of customers divided by twice the mean, and one minus twice
    the area under the (piecewise linear) Lorenz curve. Customers with net revenue <= 0
    count with revenue 0.

    Examples
    --------
    >>> gini(pd.Series([100.0, 200.0, 300.0, 400.0], index=list("abcd")))
    0.25
    """
    values = _net_revenue(data, "gini").to_numpy()
    _check_positive(values)
    x = np.sort(np.maximum(values if include_nonpositive else values[values > 0], 0.0))
    return _gini(x[::-1])


def _gini(counted: np.ndarray) -> float:
    """Gini coefficient of counted revenue sorted largest first."""
    x = counted[::-1]  # ascending
    n = len(x)
    g = 2.0 * np.dot(np.arange(1, n + 1, dtype="float64"), x) / (n * x.sum()) - (n + 1) / n
    return float(min(max(g, 0.0), 1.0))  # clamp float noise only: exact G is in [0, (n-1)/n]


def _check_thresholds(thresholds: object) -> tuple[float, float]:
    try:
        t1, t2 = (float(t) for t in thresholds)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise DataError(
            f"thresholds must be two fractions like (0.8, 0.95), got {thresholds!r}"
        ) from None
    if not 0 < t1 < t2 <= 1:
        raise DataError(
            f"thresholds must satisfy 0 < A < B <= 1 (for example (0.8, 0.95)), got {thresholds!r}"
        )
    return t1, t2


def abc_classes(data: object, thresholds: Sequence[float] = (0.8, 0.95), *,
                include_nonpositive: bool = True) -> pd.DataFrame:
    """ABC classes: A brings the first 80% of revenue, B up to 95%, C the rest.

    Going down the ranking, a customer is in A if the customers ranked above them bring less
    than ``thresholds[0]`` of revenue, so the customer whose cumulative share first reaches or
    passes 80% is the last A customer; likewise for B with ``thresholds[1]``; everyone else is
    C. Customers with net revenue <= 0 are always C. Shares within 1e-9 of a threshold count
    as reaching it.

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` in rank order, columns ``rank``, ``revenue`` (net),
        ``cum_revenue_share`` (as in :func:`pareto_table`) and ``abc_class`` (ordered
        categorical 'A' < 'B' < 'C').

    Examples
    --------
    >>> abc_classes(pd.Series([50.0, 30.0, 15.0, 5.0], index=list("wxyz")))["abc_class"].tolist()
    ['A', 'A', 'B', 'C']
    """
    t1, t2 = _check_thresholds(thresholds)
    index, net, counted = _ranked(data, "abc_classes", include_nonpositive)
    cum = _cumulative_share(counted)
    codes = _abc_codes(net, cum, t1, t2)
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(net) + 1, dtype="int64"),
            "revenue": net,
            "cum_revenue_share": cum,
            "abc_class": pd.Categorical.from_codes(
                codes, categories=list(_CLASSES), ordered=True),
        },
        index=index,
    )


def _abc_codes(net: np.ndarray, cum: np.ndarray, t1: float, t2: float) -> np.ndarray:
    """0 (A), 1 (B) or 2 (C) for customers ranked largest first."""
    before = np.concatenate([[0.0], cum[:-1]])  # share brought by the customers ranked above
    codes = np.where(before < t1 - _TOL, 0, np.where(before < t2 - _TOL, 1, 2))
    codes[net <= 0] = 2
    return codes


def abc_summary(classes: pd.DataFrame) -> pd.DataFrame:
    """Customers and revenue per ABC class, from the output of :func:`abc_classes`.

    Returns
    -------
    DataFrame
        Indexed by ``abc_class`` ('A', 'B', 'C', always all three), columns ``customers``,
        ``customer_share``, ``revenue`` (net revenue of the class) and ``revenue_share``
        (share of positive revenue; the three shares sum to 1).
    """
    if not (isinstance(classes, pd.DataFrame) and {"abc_class", "revenue"} <= set(classes.columns)):
        raise DataError(
            "abc_summary expects the output of abc_classes (columns 'abc_class' and 'revenue')"
        )
    cls = pd.Categorical(classes["abc_class"], categories=list(_CLASSES), ordered=True)
    revenue = classes["revenue"].to_numpy(dtype="float64")
    frame = pd.DataFrame({"abc_class": cls, "customers": 1, "revenue": revenue,
                          "counted": np.maximum(revenue, 0.0)})
    out = frame.groupby("abc_class", observed=False)[["customers", "revenue", "counted"]].sum()
    out["customers"] = out["customers"].astype("int64")
    out.insert(1, "customer_share", out["customers"] / len(classes))
    total = frame["counted"].sum()
    if not total > 0:
        raise DataError("abc_summary got classes in which no customer has positive net revenue")
    out["revenue_share"] = out.pop("counted") / total
    out.index = pd.CategoricalIndex(out.index, categories=list(_CLASSES), ordered=True,
                                    name="abc_class")
    return out
