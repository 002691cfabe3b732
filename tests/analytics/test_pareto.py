"""Pareto / 80-20 analysis: every expected number below is computed by hand in a comment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

import retainlib as rl
from retainlib.analytics.pareto import (
    abc_classes,
    abc_summary,
    customer_value,
    gini,
    lorenz_curve,
    pareto_table,
    top_share,
)
from retainlib.analytics.pareto_statements import concentration, pareto_statements
from retainlib.errors import DataError
from retainlib.load.parsing import TEXT


def ids(values):
    # TEXT: "str" on pandas 3, nullable "string" on pandas 2 (where "str" makes None 'None')
    return pd.Index(pd.array(values, dtype=TEXT), name="customer_id")


def tx_frame(rows, with_orders=True):
    """rows: (customer_id, date, amount, order_id)."""
    cust, date, amount, order = zip(*rows, strict=True)
    tx = pd.DataFrame({
        "customer_id": pd.array(cust, dtype=TEXT),
        "date": pd.to_datetime(list(date)),
        "amount": np.array(amount, dtype="float64"),
    })
    if with_orders:
        tx["order_id"] = pd.array(order, dtype=TEXT)
    return tx


@pytest.fixture
def ten():
    """10 customers c01..c10 buying 100, 200, ..., 1000 (one order each); c10 returns 100.

    Net revenue: c01 100, c02 200, ..., c08 800, c09 900, c10 1000 - 100 = 900; total 5400.
    """
    rows = [(f"c{i:02d}", f"2024-01-{i:02d}", 100.0 * i, f"o{i:02d}") for i in range(1, 11)]
    rows.append(("c10", "2024-02-01", -100.0, "r01"))
    return tx_frame(rows)


# --------------------------------------------------------------------------- customer_value
def messy_rows():
    return [
        # "007": order A1 has two lines (50 + 30), order A2 20, then returns 30
        ("007", "2024-01-05", 50.0, "A1"),
        ("007", "2024-01-05", 30.0, "A1"),
        ("007", "2024-03-01", 20.0, "A2"),
        ("007", "2024-03-10", -30.0, "R1"),
        # "010": buys 200, returns 250 -> net -50
        ("010", "2024-02-02", 200.0, "B1"),
        ("010", "2024-02-20", -250.0, "R2"),
        # "100": only a return of 40 (a purchase from before the data window)
        ("100", "2024-01-15", -40.0, "R3"),
        # "200": two purchases without order id (each is an order) and a zero-amount line
        ("200", "2024-04-01", 60.0, None),
        ("200", "2024-04-02", 40.0, None),
        ("200", "2024-04-03", 0.0, "C1"),
    ]


def test_customer_value_hand_computed_with_order_ids():
    tx = tx_frame(messy_rows())
    d = pd.to_datetime
    expected = pd.DataFrame(
        {
            # 007: 50+30+20-30 = 70; 010: 200-250 = -50; 100: -40; 200: 60+40+0 = 100
            "revenue": [70.0, -50.0, -40.0, 100.0],
            # 007: A1, A2 (R1 is a return) = 2; 010: B1 = 1; 100: 0; 200: two rows without id = 2
            "orders": np.array([2, 1, 0, 2], dtype="int64"),
            "gross_revenue": [100.0, 200.0, 0.0, 100.0],
            "returns": [30.0, 250.0, 40.0, 0.0],
            # purchase rows only: 100 has none -> NaT; 200's zero line on 04-03 is no purchase
            "first_purchase": d(["2024-01-05", "2024-02-02", None, "2024-04-01"]),
            "last_purchase": d(["2024-03-01", "2024-02-02", None, "2024-04-02"]),
        },
        index=ids(["007", "010", "100", "200"]),
    )
    assert_frame_equal(customer_value(tx), expected)


def test_customer_value_without_order_id_counts_purchase_rows():
    tx = tx_frame(messy_rows(), with_orders=False)
    # purchase rows (amount > 0): 007 three lines, 010 one, 100 none, 200 two
    assert customer_value(tx)["orders"].tolist() == [3, 1, 0, 2]


def test_customer_value_accounts_for_every_row(ten):
    cv = customer_value(ten)
    assert cv["revenue"].sum() == ten["amount"].sum() == 5400.0
    assert_series_equal(cv["revenue"], cv["gross_revenue"] - cv["returns"], check_names=False)
    assert cv.loc["c10", "returns"] == 100.0


def test_customer_value_errors_name_the_problem(ten):
    with pytest.raises(DataError, match="'date'"):
        customer_value(ten.drop(columns="date"))
    bad = ten.copy()
    bad.loc[3, "amount"] = np.nan
    with pytest.raises(DataError, match=r"'amount' has 1 empty value.*row 3"):
        customer_value(bad)
    bad.loc[3, "amount"] = np.inf
    with pytest.raises(DataError, match=r"'amount' has 1 infinite value.*row 3"):
        pareto_table(bad)
    with pytest.raises(DataError, match="must be numeric"):
        customer_value(ten.assign(amount=ten["amount"].astype(str)))
    with pytest.raises(DataError, match="empty"):
        customer_value(ten.iloc[:0])


# --------------------------------------------------------------------------- pareto_table
def test_pareto_table_hand_computed(ten):
    # ranked by net revenue, ties by id: c09 (900) before c10 (900), then c08 800 ... c01 100
    order = ["c09", "c10", "c08", "c07", "c06", "c05", "c04", "c03", "c02", "c01"]
    revenue = [900.0, 900.0, 800.0, 700.0, 600.0, 500.0, 400.0, 300.0, 200.0, 100.0]
    cum = [900, 1800, 2600, 3300, 3900, 4400, 4800, 5100, 5300, 5400]
    expected = pd.DataFrame(
        {
            "rank": np.arange(1, 11, dtype="int64"),
            "revenue": revenue,
            "revenue_share": [r / 5400 for r in revenue],
            "cum_customer_share": [k / 10 for k in range(1, 11)],
            "cum_revenue_share": [c / 5400 for c in cum],
        },
        index=ids(order),
    )
    table = pareto_table(ten)
    assert_frame_equal(table, expected)
    assert table["cum_revenue_share"].iloc[-1] == 1.0  # exactly
    # the same from the per-customer frame
    assert_frame_equal(pareto_table(customer_value(ten)), expected)


def test_nonpositive_customers_ranked_last_with_zero_share(ten):
    extra = tx_frame([("c11", "2024-03-01", 50.0, "o11"), ("c11", "2024-03-02", -80.0, "r11"),
                      ("c00", "2024-03-01", 10.0, "o00"), ("c00", "2024-03-02", -10.0, "r00")])
    tx = pd.concat([ten, extra], ignore_index=True)
    table = pareto_table(tx)
    # 12 customers: the 10 above, then c00 (net 0) and c11 (net -30, most negative last)
    assert table.index[-2:].tolist() == ["c00", "c11"]
    assert table["revenue"].iloc[-2:].tolist() == [0.0, -30.0]
    assert table["revenue_share"].iloc[-2:].tolist() == [0.0, 0.0]
    assert table["cum_revenue_share"].iloc[-3:].tolist() == [1.0, 1.0, 1.0]
    # shares are of the positive revenue 5400, over all 12 customers: top 2 = 1800 / 5400
    assert table["cum_revenue_share"].iloc[1] == pytest.approx(1800 / 5400)
    assert table["cum_customer_share"].iloc[1] == pytest.approx(2 / 12)
    # excluded: back to the 10-customer table
    assert_frame_equal(pareto_table(tx, include_nonpositive=False), pareto_table(ten))


def test_no_positive_revenue_is_a_clear_error():
    tx = tx_frame([("a", "2024-01-01", 10.0, "o1"), ("a", "2024-01-02", -10.0, "r1"),
                   ("b", "2024-01-01", -5.0, "r2")])
    for func in (pareto_table, gini, lorenz_curve, abc_classes, pareto_statements):
        with pytest.raises(DataError, match="no customer has positive net revenue"):
            func(tx)


def test_per_customer_input_errors():
    with pytest.raises(DataError, match="appears more than once"):
        pareto_table(pd.Series([1.0, 2.0], index=["a", "a"]))
    with pytest.raises(DataError, match="'revenue' column"):
        pareto_table(pd.DataFrame({"value": [1.0]}))
    with pytest.raises(DataError, match="'revenue' has 1 empty"):
        pareto_table(pd.DataFrame({"revenue": [1.0, np.nan]}, index=["a", "b"]))


# --------------------------------------------------------------------------- top_share
def test_top_share_hand_computed(ten):
    # ranked revenues 900, 900, 800, 700, 600, 500, 400, 300, 200, 100 (total 5400)
    assert top_share(ten, 0.2) == pytest.approx(1800 / 5400)  # exactly the top 2
    assert top_share(ten, 0.1) == pytest.approx(900 / 5400)
    # 0.7 * 10 = 7.000000000000001 in floats, still the top 7: 900+900+800+700+600+500+400
    assert top_share(ten, 0.7) == pytest.approx(4800 / 5400)
    assert top_share(ten, 0.25) == pytest.approx(2600 / 5400)  # 2.5 -> ceil -> top 3
    assert top_share(ten, 0.0) == 0.0
    assert top_share(ten, 1.0) == 1.0


def test_top_share_rounds_up_when_n_not_divisible():
    revenue = pd.Series([70.0, 10.0, 5.0, 5.0, 4.0, 3.0, 3.0], index=list("abcdefg"))  # total 100
    # 7 customers: top 20% = ceil(1.4) = 2 customers = 70 + 10 = 80%
    assert top_share(revenue, 0.2) == pytest.approx(0.80)
    # top 10% = ceil(0.7) = 1 customer = 70%; top 50% = ceil(3.5) = 4 = 90%
    assert top_share(revenue, 0.1) == pytest.approx(0.70)
    assert top_share(revenue, 0.5) == pytest.approx(0.90)


@pytest.mark.parametrize("q", [-0.1, 1.5, "0.2", True, float("nan")])
def test_top_share_rejects_bad_q(ten, q):
    with pytest.raises(DataError, match="q must be a fraction"):
        top_share(ten, q)


# --------------------------------------------------------------------------- Lorenz and Gini
def test_lorenz_curve_hand_computed():
    revenue = pd.Series([400.0, 100.0, 300.0, 200.0], index=list("abcd"))
    # ascending 100, 200, 300, 400: cumulative 100, 300, 600, 1000 of 1000
    expected = pd.DataFrame({"customer_share": [0.0, 0.25, 0.5, 0.75, 1.0],
                             "revenue_share": [0.0, 0.1, 0.3, 0.6, 1.0]})
    assert_frame_equal(lorenz_curve(revenue), expected)


def test_gini_hand_computed():
    # all equal -> 0
    assert gini(pd.Series([250.0] * 4, index=list("abcd"))) == pytest.approx(0.0, abs=1e-15)
    # one customer has everything among n = 5 -> (n - 1) / n = 0.8
    assert gini(pd.Series([0.0, 0.0, 0.0, 0.0, 500.0], index=list("abcde"))) == pytest.approx(0.8)
    # 100, 200, 300, 400: sum_i i*x_i = 100 + 400 + 900 + 1600 = 3000,
    # G = 2*3000 / (4*1000) - 5/4 = 1.5 - 1.25 = 0.25.
    # Check: sum over ordered pairs |x_i - x_j| = 2*(100+200+300+100+200+100) = 2000,
    # G = 2000 / (2 * n^2 * mean) = 2000 / (2 * 16 * 250) = 0.25.
    four = pd.Series([100.0, 200.0, 300.0, 400.0], index=list("abcd"))
    assert gini(four) == pytest.approx(0.25)
    # add a customer with net -50: counted as 0 -> values 0, 100, 200, 300, 400,
    # sum_i i*x_i = 0 + 200 + 600 + 1200 + 2000 = 4000, G = 2*4000/(5*1000) - 6/5 = 0.4
    with_negative = pd.concat([four, pd.Series([-50.0], index=["e"])])
    assert gini(with_negative) == pytest.approx(0.4)
    assert gini(with_negative, include_nonpositive=False) == pytest.approx(0.25)


def test_gini_is_twice_the_area_between_diagonal_and_lorenz(ten):
    curve = lorenz_curve(ten)
    x, y = curve["customer_share"].to_numpy(), curve["revenue_share"].to_numpy()
    area = np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2)  # trapezoids under the curve
    # ten: ascending 100..900, 900: sum_i i*x_i = 37500, G = 75000/54000 - 1.1 = 0.28889
    assert gini(ten) == pytest.approx(1 - 2 * area)
    assert gini(ten) == pytest.approx(75000 / 54000 - 1.1)


# --------------------------------------------------------------------------- ABC
def test_abc_classes_hand_computed(ten):
    classes = abc_classes(ten)
    # share brought by the customers ranked above: c09 0, c10 900/5400 = .167, c08 .333,
    # c07 .481, c06 .611, c05 .722 (< .8 -> A, and c05 takes the total to .815),
    # c04 .815 -> B, c03 .889 -> B, c02 .944 -> B (< .95), c01 .981 -> C
    assert classes["abc_class"].tolist() == ["A"] * 6 + ["B"] * 3 + ["C"]
    assert classes.index.tolist() == ["c09", "c10", "c08", "c07", "c06", "c05",
                                      "c04", "c03", "c02", "c01"]
    assert list(classes["abc_class"].cat.categories) == ["A", "B", "C"]
    assert classes["abc_class"].cat.ordered


def test_abc_customer_reaching_threshold_exactly_is_in_the_upper_class():
    # 50, 30, 15, 5 of 100: cumulative 50%, 80%, 95%, 100%.
    # x reaches exactly 80% -> last A; y's predecessors bring exactly 80% -> B;
    # y reaches exactly 95% -> last B; z -> C.
    revenue = pd.Series([50.0, 30.0, 15.0, 5.0], index=list("wxyz"))
    assert abc_classes(revenue)["abc_class"].tolist() == ["A", "A", "B", "C"]
    # 40, 45 of 100 -> w's 40 < 80, x reaches 85 -> both A
    assert abc_classes(pd.Series([40.0, 45.0, 15.0], index=list("wxy")))["abc_class"].tolist() \
        == ["A", "A", "B"]


def test_abc_boundary_survives_float_rounding():
    # 0.30, 0.30, 0.10, 0.05: exact cumulative shares 0.4, 0.8, 0.9333, 1, but in floating point
    # 0.6 / 0.75 = 0.7999999999999999; the third customer's predecessors still reach 80% -> B
    revenue = pd.Series([0.30, 0.30, 0.10, 0.05], index=list("abcd"))
    assert abc_classes(revenue)["abc_class"].tolist() == ["A", "A", "B", "B"]


def test_abc_nonpositive_customers_are_class_c_and_summary(ten):
    extra = tx_frame([("c11", "2024-03-01", 50.0, "o11"), ("c11", "2024-03-02", -80.0, "r11")])
    tx = pd.concat([ten, extra], ignore_index=True)
    classes = abc_classes(tx, thresholds=(0.8, 1.0))
    # with B up to 100%, C holds only the customer with net revenue -30
    assert classes["abc_class"].tolist() == ["A"] * 6 + ["B"] * 4 + ["C"]
    summary = abc_summary(classes)
    expected = pd.DataFrame(
        {
            "customers": np.array([6, 4, 1], dtype="int64"),
            "customer_share": [6 / 11, 4 / 11, 1 / 11],
            # A: 900+900+800+700+600+500 = 4400; B: 400+300+200+100 = 1000; C: -30 net
            "revenue": [4400.0, 1000.0, -30.0],
            "revenue_share": [4400 / 5400, 1000 / 5400, 0.0],
        },
        index=pd.CategoricalIndex(["A", "B", "C"], ordered=True, name="abc_class"),
    )
    assert_frame_equal(summary, expected)


@pytest.mark.parametrize("thresholds", [(0.95, 0.8), (0, 0.5), (0.8, 1.2), (0.8,), "ab"])
def test_abc_rejects_bad_thresholds(ten, thresholds):
    with pytest.raises(DataError, match="thresholds"):
        abc_classes(ten, thresholds)


# --------------------------------------------------------------------------- statements
def test_concentration_and_statements_hand_computed(ten):
    extra = tx_frame([("c11", "2024-03-01", 50.0, "o11"), ("c11", "2024-03-02", -80.0, "r11")])
    tx = pd.concat([ten, extra], ignore_index=True)
    c = concentration(tx, n_largest=3)
    # 11 customers; top 20% = ceil(2.2) = 3 -> 2600/5400; top 10% = ceil(1.1) = 2 -> 1800/5400
    assert c["customers"] == 11
    assert c["top_counts"] == {0.2: 3, 0.1: 2}
    assert c["top_shares"][0.2] == pytest.approx(2600 / 5400)
    assert c["top_shares"][0.1] == pytest.approx(1800 / 5400)
    assert (c["revenue_net"], c["revenue_positive"], c["revenue_nonpositive"]) == (5370.0, 5400.0,
                                                                                   -30.0)
    assert c["customers_nonpositive"] == 1
    assert c["largest_share"] == pytest.approx(2600 / 5400)
    assert (c["class_a_customers"], c["class_a_customer_share"]) == (6, pytest.approx(6 / 11))
    assert c["class_a_revenue_share"] == pytest.approx(4400 / 5400)
    # counted values ascending 0, 100, ..., 800, 900, 900: sum_i i*x_i = 37500 + 5400 = 42900
    # (each of the 10 positive customers moves up one place), G = 2*42900/(11*5400) - 12/11
    assert c["gini"] == pytest.approx(2 * 42900 / (11 * 5400) - 12 / 11)

    assert pareto_statements(tx, "ILS", n_largest=3) == [
        # 2600/5400 = 48.1%, 1800/5400 = 33.3%
        "The top 20% of customers (3 of 11) bring 48% of revenue; "
        "the top 10% (2 customers) bring 33%.",
        # 6/11 = 54.5%; class A brings 4400/5400 = 81.5%
        "80% of revenue comes from 55% of customers: the 6 largest (class A) bring 81%.",
        "The 3 largest customers bring 48% of revenue (₪2,600 of ₪5,400).",
        # 85800/59400 - 12/11 = 1.44444 - 1.09091 = 0.35354
        "Revenue concentration (Gini coefficient) is 0.35, on a scale where 0 means every "
        "customer brings the same and 1 means one customer brings everything.",
        # 1/11 = 9.1%
        "1 customer (9.1%) has no positive net revenue (returns equal to or above purchases, or "
        "only zero amounts; together -₪30) and counts as a customer with no revenue in these "
        "shares; revenue shares are of the ₪5,400 brought by customers with positive net "
        "revenue (net revenue of all customers: ₪5,370).",
    ]


def test_statements_all_positive_and_few_customers(ten):
    lines = pareto_statements(ten, "USD")
    # 10 customers, not more than n_largest=10: the "10 largest" sentence is left out
    assert len(lines) == 4
    assert lines[0] == ("The top 20% of customers (2 of 10) bring 33% of revenue; "
                        "the top 10% (1 customer) bring 17%.")
    assert lines[-1] == "Every customer has positive net revenue (purchases above returns)."


def test_public_names_are_exported():
    for name in ("customer_value", "pareto_table", "top_share", "lorenz_curve", "gini",
                 "abc_classes", "abc_summary", "concentration", "pareto_statements"):
        assert getattr(rl, name) is globals()[name]


# --------------------------------------------------------------------------- invariants
revenues = st.lists(
    st.one_of(st.floats(-1e6, 1e7, allow_nan=False), st.integers(-100, 10_000).map(float),
              st.just(0.0)),
    min_size=1, max_size=60,
).filter(lambda v: max(v) > 0)


def as_series(values):
    return pd.Series(values, index=[f"k{i:03d}" for i in range(len(values))])


@settings(max_examples=150, deadline=None)
@given(revenues, st.booleans())
def test_shares_monotone_and_end_at_one(values, include):
    table = pareto_table(as_series(values), include_nonpositive=include)
    for col in ("cum_revenue_share", "cum_customer_share"):
        share = table[col].to_numpy()
        assert np.all(np.diff(share) >= 0)
        assert share[-1] == 1.0
        assert share[0] >= 0
    assert np.all(np.diff(table["revenue"].to_numpy()) <= 0)  # ranked largest first
    curve = lorenz_curve(as_series(values), include_nonpositive=include)
    assert curve.iloc[0].tolist() == [0.0, 0.0] and curve.iloc[-1].tolist() == [1.0, 1.0]
    assert np.all(np.diff(curve["revenue_share"]) >= 0)
    assert np.all(curve["revenue_share"] <= curve["customer_share"] + 1e-12)


@settings(max_examples=150, deadline=None)
@given(revenues)
def test_gini_in_range_and_top_share_monotone(values):
    s = as_series(values)
    g = gini(s)
    assert 0.0 <= g <= (len(values) - 1) / len(values) + 1e-12
    qs = np.linspace(0, 1, 21)
    shares = [top_share(s, float(q)) for q in qs]
    assert np.all(np.diff(shares) >= 0)
    assert shares[0] == 0.0 and shares[-1] == 1.0
    # the top k of n customers bring at least k/n of revenue (their mean is >= the overall mean)
    for q, share in zip(qs, shares, strict=True):
        k = np.ceil(round(q * len(values), 9))
        assert share >= k / len(values) - 1e-12
    classes = abc_classes(s)["abc_class"].cat.codes.to_numpy()
    assert np.all(np.diff(classes) >= 0)  # A, then B, then C down the ranking
    summary = abc_summary(abc_classes(s))
    assert summary["customers"].sum() == len(values)
    assert summary["revenue_share"].sum() == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(-50, 200), st.integers(0, 5)),
                min_size=1, max_size=40))
def test_transactions_and_customer_frame_agree(rows):
    tx = pd.DataFrame({
        "customer_id": pd.array([f"c{c}" for c, _, _ in rows], dtype="str"),
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta([d for _, _, d in rows], unit="D"),
        "amount": [float(a) for _, a, _ in rows],
    })
    cv = customer_value(tx)
    # row accounting: every amount lands in exactly one customer
    assert cv["revenue"].sum() == pytest.approx(tx["amount"].sum())
    assert cv["orders"].sum() == (tx["amount"] > 0).sum()
    if (cv["revenue"] > 0).any():
        assert_frame_equal(pareto_table(tx), pareto_table(cv))
        assert gini(tx) == gini(cv)


def test_cdnow_matches_plain_pandas(cdnow_tx):
    # second implementation: groupby / sort_values / cumsum, written the obvious way
    net = cdnow_tx.groupby("customer_id")["amount"].sum()
    ranked = net.clip(lower=0).sort_values(ascending=False, kind="stable")
    cum = ranked.cumsum() / ranked.sum()
    n = len(ranked)
    assert top_share(cdnow_tx, 0.2) == pytest.approx(cum.iloc[int(np.ceil(0.2 * n)) - 1])
    assert n == 2357
    table = pareto_table(cdnow_tx)
    assert table["revenue"].sum() == pytest.approx(net.sum())
    x = np.sort(ranked.to_numpy())
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * x.mean())  # mean-difference Gini
    assert gini(cdnow_tx) == pytest.approx(mad)


def test_statements_when_nonpositive_customers_are_excluded(ten):
    extra = tx_frame([("c11", "2024-03-01", 50.0, "o11"), ("c11", "2024-03-02", -80.0, "r11")])
    tx = pd.concat([ten, extra], ignore_index=True)
    lines = pareto_statements(tx, "ILS", include_nonpositive=False)
    # back to the 10 positive customers: top 20% = 2 of 10 = 1800/5400 = 33%
    assert lines[0].startswith("The top 20% of customers (2 of 10) bring 33% of revenue")
    # 1 of the 11 customers = 9.1%
    assert lines[-1].startswith("1 customer (9.1%) has no positive net revenue")
    assert "and is left out of these shares;" in lines[-1]
    assert concentration(tx, include_nonpositive=False)["customers_nonpositive"] == 1


@pytest.mark.parametrize("n_largest", [0, 2.5, True])
def test_concentration_rejects_bad_n_largest(ten, n_largest):
    with pytest.raises(DataError, match="n_largest"):
        concentration(ten, n_largest=n_largest)


def test_customer_value_keeps_time_zone_and_unit():
    tx = tx_frame(messy_rows())
    tx["date"] = tx["date"].dt.tz_localize("Asia/Jerusalem")
    cv = customer_value(tx)
    assert cv["first_purchase"].dtype == tx["date"].dtype
    assert cv.loc["007", "last_purchase"] == pd.Timestamp("2024-03-01", tz="Asia/Jerusalem")


def test_order_id_shared_by_two_customers_counts_for_each():
    tx = tx_frame([
        ("a", "2024-01-01", 10.0, "X1"), ("a", "2024-01-01", 5.0, "X1"),  # a: X1 -> 1 order
        ("b", "2024-01-02", 20.0, "X1"), ("b", "2024-01-03", 20.0, "X2"),  # b: X1, X2 -> 2
        ("c", "2024-01-04", 7.0, "X3"), ("c", "2024-01-05", -7.0, "X4"),  # c: X3 -> 1
    ])
    assert customer_value(tx)["orders"].tolist() == [1, 2, 1]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(-20, 50), st.integers(0, 6)),
                min_size=1, max_size=40))
def test_orders_match_plain_pandas_nunique(rows):
    # order ids drawn from a small set, so some are shared between customers and some repeat
    tx = pd.DataFrame({
        "customer_id": pd.array([f"c{c}" for c, _, _ in rows], dtype="str"),
        "date": pd.Timestamp("2024-01-01"),
        "amount": [float(a) for _, a, _ in rows],
        "order_id": pd.array([f"o{o}" for _, _, o in rows], dtype="str"),
    })
    purchases = tx[tx["amount"] > 0]
    expected = purchases.groupby("customer_id")["order_id"].nunique()
    orders = customer_value(tx)["orders"]
    assert orders.reindex(expected.index).tolist() == expected.tolist()
    assert orders.drop(expected.index).eq(0).all()


def test_abc_summary_rejects_other_frames():
    with pytest.raises(DataError, match="output of abc_classes"):
        abc_summary(pd.DataFrame({"revenue": [1.0]}))
    classes = pd.DataFrame({"revenue": [0.0, -5.0], "abc_class": ["C", "C"]})
    with pytest.raises(DataError, match="no customer has positive net revenue"):
        abc_summary(classes)


# --------------------------------------------------------------------------- statements in Hebrew
def _shekels(digits: str) -> str:
    """An amount in the Hebrew money style (CLDR he_IL: RLM, number, no-break space, RLM, ₪).

    A negative amount's minus is he_IL's minus sign, a left-to-right mark and '-'.
    """
    return f"\u200f{digits.replace('-', chr(0x200E) + '-')}\xa0\u200f₪"


def test_hebrew_statements_hand_computed(ten):
    # the numbers of test_concentration_and_statements_hand_computed, in Hebrew sentences
    extra = tx_frame([("c11", "2024-03-01", 50.0, "o11"), ("c11", "2024-03-02", -80.0, "r11")])
    tx = pd.concat([ten, extra], ignore_index=True)
    assert pareto_statements(tx, "ILS", n_largest=3, lang="he") == [
        "ה-20% המובילים מבין הלקוחות (3 מתוך 11) מביאים 48% מההכנסות; "
        "ה-10% המובילים (2 לקוחות) מביאים 33%.",
        "80% מההכנסות מגיעות מ-55% מהלקוחות: 6 הלקוחות הגדולים ביותר (סיווג A) מביאים 81%.",
        f"3 הלקוחות הגדולים ביותר מביאים 48% מההכנסות ({_shekels('2,600')} מתוך "
        f"{_shekels('5,400')}).",
        "ריכוז ההכנסות (מקדם ג׳יני) הוא 0.35, בסולם שבו 0 פירושו שכל לקוח מביא אותו סכום "
        "ו-1 פירושו שלקוח אחד מביא את כל ההכנסות.",
        # c11: 50 - 80 = -30, one customer of 11 = 9.1%
        f"יש לקוח אחד (9.1%) בלי הכנסות נטו חיוביות (החזרות בגובה הרכישות או יותר, או סכומים "
        f"של אפס בלבד; יחד {_shekels('-30')}), והוא נספר בשיעורים האלה כלקוח בלי הכנסות; "
        f"שיעורי ההכנסות הם מתוך {_shekels('5,400')} שהביאו הלקוחות עם הכנסות נטו חיוביות "
        f"(הכנסות נטו של כל הלקוחות: {_shekels('5,370')}).",
    ]


def test_hebrew_statements_one_largest_customer_in_the_singular():
    # 900, 50, 50: the largest brings 900 / 1000 = 90% >= 80%, so class A is that one
    # customer (1 of 3 = 33%); top 20% and top 10% are ceil(0.6) = ceil(0.3) = 1 customer
    revenue = pd.Series([900.0, 50.0, 50.0], index=["x", "y", "z"])
    he = pareto_statements(revenue, "ILS", n_largest=1, lang="he")
    assert he[0] == ("ה-20% המובילים מבין הלקוחות (1 מתוך 3) מביאים 90% מההכנסות; "
                     "ה-10% המובילים (לקוח אחד) מביאים 90%.")
    assert he[1] == "80% מההכנסות מגיעות מ-33% מהלקוחות: הלקוח הגדול ביותר (סיווג A) מביא 90%."
    assert he[2] == (f"הלקוח הגדול ביותר מביא 90% מההכנסות ({_shekels('900')} מתוך "
                     f"{_shekels('1,000')}).")
    assert he[-1] == "לכל הלקוחות הכנסות נטו חיוביות (הרכישות גבוהות מההחזרות)."
    # English as it always was
    en = pareto_statements(revenue, "ILS", n_largest=1)
    assert en[1] == "80% of revenue comes from 33% of customers: the 1 largest (class A) bring 90%."
    assert en[2] == "The 1 largest customers bring 90% of revenue (₪900 of ₪1,000)."
    assert en == pareto_statements(revenue, "ILS", n_largest=1, lang="en")


def test_hebrew_statement_of_two_customers_left_out_in_the_plural():
    # w -10 and v 0 have no positive revenue; left out: 2 of the 2 + 2 customers = 50%,
    # together -10; the shares are of the 300 of x and y
    revenue = pd.Series([200.0, 100.0, 0.0, -10.0], index=["x", "y", "v", "w"])
    last = pareto_statements(revenue, "ILS", include_nonpositive=False, lang="he")[-1]
    assert last == (
        f"יש 2 לקוחות (50%) בלי הכנסות נטו חיוביות (החזרות בגובה הרכישות או יותר, או סכומים "
        f"של אפס בלבד; יחד {_shekels('-10')}), והם לא נכללים בשיעורים האלה; שיעורי ההכנסות הם "
        f"מתוך {_shekels('300')} שהביאו הלקוחות עם הכנסות נטו חיוביות (הכנסות נטו של כל "
        f"הלקוחות: {_shekels('290')}).")
