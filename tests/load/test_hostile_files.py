"""Any file a client may send: `retain validate` answers with a report or one sentence, never a
traceback, and the rows it reports always add up (issue #12).

The files are generated: a valid export that hypothesis then damages (bytes replaced, inserted or
cut; line ends changed; cells made huge or strange), and arbitrary bytes.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retainlib.cli import main

GOOD = (
    "customer_id,date,amount,region\n"
    "לקוח 1,2024-01-05,100,צפון\n"
    "לקוח 2,05/01/2024,\"1,250.50\",דרום\n"
    "007,2024-02-01,(20.00),North\n"
    "008,45292,₪ 35,South\n"
    "לקוח 1,2024-03-01,12.5,צפון\n"
).encode()

HOSTILE_CELLS = [
    b"now", b"today", b"#N/A", b"NULL", b"\xe2\x80\x8c", b"\x00", b"1e309", b"nan", b"-inf",
    b"1899-12-30", b"2024", b"2024-01", b"01/02/68", b"9999-12-31", b"2024-01-01T10:00+02:00",
    b"\xff", b"\xf9\xe5", b'"', b"\r", b"\r\n", b";", b"x" * 300, b"12,5", b"1.234,56",
]


@st.composite
def damaged(draw):
    """A valid export with a few edits: a span replaced by hostile bytes or random bytes."""
    data = bytearray(draw(st.sampled_from([GOOD, GOOD.decode().encode("cp1255", "replace"),
                                           GOOD.replace(b",", b";")])))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 8))
        new = draw(st.one_of(st.sampled_from(HOSTILE_CELLS), st.binary(max_size=12)))
        data[at:at + cut] = new
    return bytes(data)


def _strict(text: str) -> dict:
    def refuse(name):
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=damaged())
def test_a_damaged_export_gets_a_report_or_one_sentence(tmp_path, capsys, data):
    path = tmp_path / "sales.csv"
    path.write_bytes(data)
    code = main(["validate", str(path), "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    answer = _strict(out)
    assert code in (0, 2), answer
    if code == 0:
        assert answer["rows_read"] == answer["rows_kept"] + answer["rows_rejected"]
        assert sum(answer["rejected"].values()) == answer["rows_rejected"]
    else:
        message = answer["error"]
        assert "\n" not in message and len(message) < 600, message
        assert "internal error" not in message, message


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_give_a_traceback(tmp_path, capsys, data):
    path = tmp_path / "sales.csv"
    path.write_bytes(data)
    code = main(["validate", str(path), "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code in (0, 2)
    answer = _strict(out)
    if code == 0:
        assert answer["rows_read"] == answer["rows_kept"] + answer["rows_rejected"]
