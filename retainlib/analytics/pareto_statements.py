"""Report numbers of the Pareto analysis, and the sentences the management report shows.

:func:`concentration` computes them in one pass; :func:`pareto_statements` words them
(percent and customer-count wording).

Revenue is ranked and shared as in :mod:`retainlib.analytics.pareto` (customers with net revenue
<= 0 count as customers with no revenue and are totalled separately).
"""

from __future__ import annotations

from collections.abc import Sequence

from retainlib._format import format_money, share
from retainlib.analytics.pareto import (
    _abc_codes,
    _check_thresholds,
    _cumulative_share,
    _gini,
    _net_revenue,
    _rank_revenue,
    _top_count,
)
from retainlib.errors import DataError

__all__ = ["concentration", "pareto_statements"]


def concentration(data: object, *, top: Sequence[float] = (0.2, 0.1), n_largest: int = 10,
                  thresholds: Sequence[float] = (0.8, 0.95),
                  include_nonpositive: bool = True) -> dict[str, object]:
    """The numbers behind the report's 80/20 statements, computed in one pass.

    Returns
    -------
    dict
        ``customers`` (customers in the base), ``customers_nonpositive`` (customers with net
        revenue <= 0, counted even when excluded), ``revenue_net`` (net revenue of all
        customers), ``revenue_positive`` (sum of the positive net revenues, the denominator of
        every share), ``revenue_nonpositive`` (net revenue of the customers with net revenue
        <= 0, a number <= 0), ``top_shares`` and ``top_counts`` (dicts ``q -> share`` and
        ``q -> ceil(q * n)`` for each ``q`` in ``top``), ``n_largest`` (``min(n_largest, n)``),
        ``largest_share`` (share of the ``n_largest`` largest customers), ``gini``,
        ``class_a_threshold``, ``class_a_customers``, ``class_a_customer_share`` and
        ``class_a_revenue_share`` (class A: the fewest largest customers who together bring at
        least ``thresholds[0]`` of revenue, and the share they bring).
    """
    if isinstance(n_largest, bool) or not isinstance(n_largest, int) or n_largest < 1:
        raise DataError(
            f"n_largest must be a positive whole number of customers, got {n_largest!r}"
        )
    t1, t2 = _check_thresholds(thresholds)
    revenue = _net_revenue(data, "concentration")
    _, net, counted = _rank_revenue(revenue, include_nonpositive)
    cum = _cumulative_share(counted)
    n = len(cum)
    values = revenue.to_numpy()
    nonpositive = values <= 0
    counts = {q: _top_count(q, n) for q in top}
    k_largest = min(n_largest, n)
    a_customers = int((_abc_codes(net, cum, t1, t2) == 0).sum())
    return {
        "customers": n,
        "customers_nonpositive": int(nonpositive.sum()),
        "revenue_net": float(values.sum()),
        "revenue_positive": float(values[~nonpositive].sum()),
        "revenue_nonpositive": float(values[nonpositive].sum()),
        "top_shares": {q: (0.0 if k == 0 else float(cum[k - 1])) for q, k in counts.items()},
        "top_counts": counts,
        "n_largest": k_largest,
        "largest_share": float(cum[k_largest - 1]),
        "gini": _gini(counted),
        "class_a_threshold": t1,
        "class_a_customers": a_customers,
        "class_a_customer_share": a_customers / n,
        "class_a_revenue_share": float(cum[a_customers - 1]) if a_customers else 0.0,
    }


def _customers(k: int) -> str:
    return f"{k:,} customer" + ("" if k == 1 else "s")


def pareto_statements(data: object, currency: str | None = None, *,
                      top: Sequence[float] = (0.2, 0.1), n_largest: int = 10,
                      thresholds: Sequence[float] = (0.8, 0.95),
                      include_nonpositive: bool = True) -> list[str]:
    """Plain-language sentences about revenue concentration for the management report.

    Parameters
    ----------
    data : DataFrame or Series
        Transactions or per-customer revenue (see :func:`pareto_table`).
    currency : str, optional
        ISO code for amounts ('ILS' -> '₪').
    top, n_largest, thresholds, include_nonpositive
        As in :func:`concentration`.

    Returns
    -------
    list of str
        The top-``q`` shares; how few customers bring 80% of revenue; the share of the
        ``n_largest`` largest customers (left out when there are no more customers than
        that); the Gini coefficient; and the customers with net revenue <= 0.

    Examples
    --------
    >>> import pandas as pd
    >>> revenue = pd.Series([600.0, 200.0, 100.0, 100.0, 0.0], index=list("abcde"))
    >>> pareto_statements(revenue, "ILS", n_largest=3)[0]
    'The top 20% of customers (1 of 5) bring 60% of revenue; the top 10% (1 customer) bring 60%.'
    """
    c = concentration(data, top=top, n_largest=n_largest, thresholds=thresholds,
                      include_nonpositive=include_nonpositive)
    n = c["customers"]
    parts = []
    for i, q in enumerate(top):
        k, brought = c["top_counts"][q], share(c["top_shares"][q])
        if i == 0:
            parts.append(
                f"the top {share(q)} of customers ({k:,} of {n:,}) bring {brought} of revenue"
            )
        else:
            parts.append(f"the top {share(q)} ({_customers(k)}) bring {brought}")
    out = []
    if parts:
        text = "; ".join(parts)
        out.append(text[0].upper() + text[1:] + ".")
    a = c["class_a_customers"]
    out.append(
        f"{share(c['class_a_threshold'])} of revenue comes from "
        f"{share(c['class_a_customer_share'])}"
        f" of customers: the {a:,} largest (class A) bring {share(c['class_a_revenue_share'])}."
    )
    if n > c["n_largest"]:
        largest = format_money(c["largest_share"] * c["revenue_positive"], currency)
        out.append(
            f"The {c['n_largest']:,} largest customers bring {share(c['largest_share'])} of "
            "revenue "
            f"({largest} of {format_money(c['revenue_positive'], currency)})."
        )
    out.append(
        f"Revenue concentration (Gini coefficient) is {c['gini']:.2f}, on a scale where 0 means "
        "every customer brings the same and 1 means one customer brings everything."
    )
    bad = c["customers_nonpositive"]
    if bad == 0:
        out.append("Every customer has positive net revenue (purchases above returns).")
    else:
        one = bad == 1
        treated = (("counts as a customer" if one else "count as customers")
                   + " with no revenue in these shares" if include_nonpositive
                   else ("is" if one else "are") + " left out of these shares")
        total = ""
        if c["revenue_nonpositive"] != 0:
            total = f" (net revenue of all customers: {format_money(c['revenue_net'], currency)})"
        out.append(
            f"{_customers(bad)} ({share(bad / (n if include_nonpositive else n + bad))}) "
            f"{'has' if one else 'have'} no positive net revenue (returns equal to or above "
            "purchases, or only zero "
            f"amounts; together {format_money(c['revenue_nonpositive'], currency)}) and {treated}; "
            f"revenue shares are of the {format_money(c['revenue_positive'], currency)} brought by "
            f"customers with positive net revenue{total}."
        )
    return out
