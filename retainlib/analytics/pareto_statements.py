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
from retainlib.i18n import count_of, text

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


def pareto_statements(data: object, currency: str | None = None, *,
                      top: Sequence[float] = (0.2, 0.1), n_largest: int = 10,
                      thresholds: Sequence[float] = (0.8, 0.95),
                      include_nonpositive: bool = True, lang: str = "en") -> list[str]:
    """Plain-language sentences about revenue concentration for the management report.

    Parameters
    ----------
    data : DataFrame or Series
        Transactions or per-customer revenue (see :func:`pareto_table`).
    currency : str, optional
        ISO code for amounts ('ILS' -> '₪').
    top, n_largest, thresholds, include_nonpositive
        As in :func:`concentration`.
    lang : str, default 'en'
        Language of the sentences (the catalogue's ``analytics.pareto_*`` texts; amounts in
        the language's money style).

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
    >>> print(pareto_statements(revenue, "ILS", n_largest=3, lang="he")[0])
    ... # doctest: +NORMALIZE_WHITESPACE
    ה-20% המובילים מבין הלקוחות (1 מתוך 5) מביאים 60% מההכנסות;
    ה-10% המובילים (לקוח אחד) מביאים 60%.
    """
    c = concentration(data, top=top, n_largest=n_largest, thresholds=thresholds,
                      include_nonpositive=include_nonpositive)
    n = c["customers"]

    def money(value: float) -> str:
        return format_money(value, currency, lang=lang)

    parts = []
    for i, q in enumerate(top):
        k, brought = c["top_counts"][q], share(c["top_shares"][q])
        if i == 0:
            parts.append(text("analytics.pareto_top_first", lang, share=share(q), k=f"{k:,}",
                              n=f"{n:,}", brought=brought))
        else:
            parts.append(text("analytics.pareto_top_next", lang, share=share(q),
                              customers=count_of(k, "customer", lang), brought=brought))
    out = []
    if parts:
        out.append(text("analytics.pareto_top_end", lang,
                        parts=text("analytics.pareto_top_join", lang).join(parts)))
    a = c["class_a_customers"]
    out.append(text("analytics.pareto_class_a_one" if a == 1 else "analytics.pareto_class_a", lang,
                    threshold=share(c["class_a_threshold"]),
                    customer_share=share(c["class_a_customer_share"]), a=f"{a:,}",
                    revenue_share=share(c["class_a_revenue_share"])))
    if n > c["n_largest"]:
        key = "analytics.pareto_largest_one" if c["n_largest"] == 1 else "analytics.pareto_largest"
        out.append(text(key, lang, n=f"{c['n_largest']:,}", share=share(c["largest_share"]),
                        largest=money(c["largest_share"] * c["revenue_positive"]),
                        total=money(c["revenue_positive"])))
    out.append(text("analytics.pareto_gini", lang, gini=f"{c['gini']:.2f}"))
    bad = c["customers_nonpositive"]
    if bad == 0:
        out.append(text("analytics.pareto_all_positive", lang))
    else:
        key = ("analytics.pareto_nonpositive" + ("_one" if bad == 1 else "")
               + ("_counted" if include_nonpositive else "_left_out"))
        total = "" if c["revenue_nonpositive"] == 0 else text(
            "analytics.pareto_net_total", lang, amount=money(c["revenue_net"]))
        out.append(text(key, lang, customers=count_of(bad, "customer", lang),
                        share=share(bad / (n if include_nonpositive else n + bad)),
                        amount=money(c["revenue_nonpositive"]),
                        positive=money(c["revenue_positive"]), total=total))
    return out
