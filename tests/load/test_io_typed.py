"""Clean date and amount columns converted by pyarrow while reading (read_raw's typed).

The result must be the same as when every cell goes through the text parsers;
a column with one value pyarrow cannot convert stays text.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainlib.load._rawread import read_raw
from retainlib.load.transactions import read_transactions


def _write(path, rows, header="customer_id,date,amount"):
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _kinds(names, name):
    return {"date": "date", "amount": "number"}


def test_clean_columns_are_converted_and_rejected_rows_show_their_values(tmp_path):
    path = _write(tmp_path / "x.csv", [
        ("A", "2024-01-31", "10.50"),   # line 2
        ("", "2024-02-01", "5"),        # line 3: blank customer id
        ("B", "2024-02-01 10:30", "-3"),  # line 4
        ("Total", "", "12.5"),          # line 5: total row (not the sum of all rows: 10.5+5-3)
    ])
    raw = read_raw(path, typed=_kinds)
    assert str(raw.frame["date"].dtype) == "datetime64[ns]"
    assert raw.frame["amount"].dtype == np.float64
    tx, report = read_transactions(path, decimal=".")  # a known mark: converted while reading
    assert tx["customer_id"].tolist() == ["A", "B"]
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-02-01 10:30")]
    assert tx["amount"].tolist() == [10.5, -3.0]
    rej = report.rejected
    assert rej["line"].tolist() == [3, 5]
    assert rej["reason"].tolist() == ["blank customer id", "total row"]
    # converted columns are written back as text: ISO dates (times only when some are not
    # midnight), numbers as read by the parser
    assert rej["date"].iloc[0] == "2024-02-01" and pd.isna(rej["date"].iloc[1])
    assert rej["amount"].tolist() == ["5.0", "12.5"]


def test_a_bad_value_in_the_middle_leaves_the_column_as_text(tmp_path):
    # more than 2 x 64 kB, so the bad line is in neither sample: the full read fails and the
    # columns are read again as text
    rows = [(f"C{i}", "2024-03-01", "1.25") for i in range(12_000)]
    rows[6_000] = ("X", "31/02/2024", "\"₪1,000\"")  # line 6002
    rows[7_000] = ("Y", "9999-12-31", "nan")  # line 7002
    path = _write(tmp_path / "big.csv", rows)
    assert path.stat().st_size > 2 * 65536
    raw = read_raw(path, typed=_kinds)
    assert raw.frame["date"].dtype == raw.frame["customer_id"].dtype  # text
    assert raw.frame["amount"].dtype == raw.frame["customer_id"].dtype
    tx, report = read_transactions(path, dayfirst=True)
    assert report.rows_read == 12_000 and report.rows_kept == 11_998
    rej = report.rejected
    assert rej["line"].tolist() == [6002, 7002]
    assert rej["reason"].tolist() == ["impossible date", "date out of range"]
    assert rej["amount"].tolist() == ["₪1,000", "nan"]  # text, exactly as in the file


@pytest.mark.parametrize("tail", [("Total", "", "\"2,361.00\""), ("Z", "2024-01-01", "inf")])
def test_odd_last_line_is_found_in_the_tail_sample(tmp_path, tail):
    rows = [(f"C{i}", "2024-03-01", "2.5") for i in range(10_000)] + [tail]
    path = _write(tmp_path / "t.csv", rows)
    raw = read_raw(path, typed=_kinds)
    assert str(raw.frame["date"].dtype) == "datetime64[ns]"
    assert raw.frame["amount"].dtype == raw.frame["customer_id"].dtype  # the amount stays text
    tx, report = read_transactions(path)
    assert report.rows_kept == 10_000 and report.rejected["line"].tolist() == [10_002]


def test_no_conversion_with_a_date_format_or_decimal_comma(tmp_path):
    path = _write(tmp_path / "x.csv", [("A", "2024-01-31", "10")])
    seen = {}

    def spy(names, name):
        seen["names"] = names
        return {}

    read_raw(path, typed=spy)
    assert seen["names"] == ["customer_id", "date", "amount"]
    tx, _ = read_transactions(path, date_format="%Y-%m-%d", decimal=",")
    assert tx["amount"].tolist() == [10.0]


_ids = st.sampled_from(["A", "00042", "", "Total", "x1"])
_dates = st.sampled_from(["2024-01-31", "2024-01-31 10:00", "", "2024-02-30", "9999-12-31",
                          "31/01/2024"])
_amounts = st.sampled_from(["10", "-3.5", "", "1e3", "nan", "(5.00)", "₪7", ".5"])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(_ids, _dates, _amounts), min_size=1, max_size=25))
@pytest.mark.filterwarnings("ignore::retainlib.load.transactions.DateOrderWarning")
def test_converted_or_not_the_result_is_the_same(tmp_path_factory, rows):
    path = _write(tmp_path_factory.mktemp("h") / "x.csv", rows)
    as_text = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    results = []
    for source in (path, as_text):  # the frame goes through the text parsers only
        try:
            results.append(read_transactions(source))
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            results.append(str(exc).replace("the data frame", "x.csv"))
    (a, b) = results
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    pd.testing.assert_frame_equal(a[0], b[0])
    ra, rb = a[1].rejected, b[1].rejected
    assert ra["reason"].tolist() == rb["reason"].tolist()
    assert (ra["line"] - 1).tolist() == rb["line"].tolist()  # file lines count the header
    assert a[1].duplicates == b[1].duplicates
