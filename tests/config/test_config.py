"""Client config: loading, defaults, and one-sentence errors naming file and key."""

from __future__ import annotations

import json
import re
import textwrap

import pandas as pd
import pytest

from retainlib.config.client import ClientConfig, ClvSettings, config_reference, load_config
from retainlib.errors import ConfigError, RetainlibError
from retainlib.load.transactions import read_client, read_transactions

FULL = """\
client: Acme Ltd
data: data/sales.csv
columns: {customer_id: "מספר לקוח", date: "תאריך", amount: "סכום", order_id: "חשבונית"}
segments: [אזור]
read: {dayfirst: true, duplicates: drop}
currency: usd
period: Q
observation_end: 2024-06-30
clv: {horizon_months: 24, annual_discount_rate: 0.08, margin: 0.3, calibration_end: 2024-03-31}
survey: {data: nps.csv, columns: {customer_id: id, score: ציון}}
economics: {cac: 120, campaign_cost: 5000, customers_targeted: 400}
at_risk: {p_alive_threshold: 0.4}
"""

SALES = "מספר לקוח,תאריך,סכום,אזור,חשבונית\n007,02/01/2024,10,צפון,A1\n008,03/01/2024,5,דרום,A2\n"


def write(tmp_path, text, name="acme.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sales.csv").write_text(SALES, encoding="utf-8")
    (tmp_path / "nps.csv").write_text("id,ציון\n007,9\n", encoding="utf-8")
    return tmp_path


def minimal(tmp_path, extra=""):
    (tmp_path / "sales.csv").write_text(
        "customer_id,date,amount\nA,2024-01-01,1\n", encoding="utf-8"
    )
    return write(tmp_path, "client: Acme\ndata: sales.csv\n" + extra)


def test_full_config(files):
    cfg = load_config(write(files, FULL))
    assert cfg.client == "Acme Ltd" and cfg.slug == "acme-ltd"
    assert cfg.data == (files / "data" / "sales.csv").resolve() and cfg.data.is_absolute()
    assert cfg.columns == {
        "customer_id": "מספר לקוח",
        "date": "תאריך",
        "amount": "סכום",
        "order_id": "חשבונית",
    }
    assert cfg.segments == {"אזור": "אזור"}
    assert cfg.read == {
        "encoding": None,
        "dayfirst": True,
        "date_format": None,
        "decimal": None,
        "thousands": None,
        "sheet": None,
        "duplicates": "drop",
    }
    assert cfg.currency == "USD" and cfg.period == "Q"
    assert cfg.observation_end == pd.Timestamp("2024-06-30")
    assert cfg.clv == ClvSettings(24, 0.08, 0.3, pd.Timestamp("2024-03-31"))
    assert cfg.survey.data == (files / "nps.csv").resolve()
    assert cfg.survey.columns == {"customer_id": "id", "score": "ציון"}
    assert cfg.survey.read["dayfirst"] is False  # survey read options have their own defaults
    assert cfg.economics == {
        "cac": 120,
        "campaign_cost": 5000,
        "customers_targeted": 400,
        "expected_lift": 0.05,
    }
    assert cfg.at_risk == {"p_alive_threshold": 0.4, "gap_multiple": 3.0, "min_value_quantile": 0.7,
                           "lapsed_below": 0.2}
    assert cfg.fiscal_year_start == 1
    assert cfg.source == (files / "acme.yaml").resolve()
    d = cfg.to_dict()
    assert json.loads(json.dumps(d)) == d  # JSON-able
    assert d["observation_end"] == "2024-06-30" and d["clv"]["calibration_end"] == "2024-03-31"
    assert d["data"] == str(cfg.data)


def test_defaults(tmp_path):
    cfg = load_config(minimal(tmp_path))
    assert isinstance(cfg, ClientConfig)
    assert (cfg.columns, cfg.segments, cfg.currency, cfg.period) == (None, {}, "ILS", "M")
    assert cfg.observation_end is None and cfg.survey is None
    assert cfg.clv == ClvSettings(12, 0.10, 1.0, None)
    assert cfg.read["duplicates"] == "keep" and cfg.read["decimal"] is None  # inferred
    assert cfg.economics["expected_lift"] == 0.05 and cfg.economics["cac"] is None
    assert cfg.customers_file == "csv"
    assert load_config(minimal(tmp_path, "customers_file: parquet\n")).customers_file == "parquet"


def test_read_client_uses_the_config(files):
    cfg = load_config(write(files, FULL))
    tx, report = read_client(cfg)
    expected, _ = read_transactions(
        files / "data" / "sales.csv", columns=cfg.columns, segments=["אזור"], dayfirst=True
    )
    pd.testing.assert_frame_equal(tx, expected)
    # dayfirst from the config: 02/01/2024 is 2 January
    assert tx["date"].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-03")]
    assert report.duplicates_dropped


def test_inline_mapping_resolves_against_base_dir(files):
    cfg = load_config(
        {"client": "Beta", "data": "data/sales.csv", "read": {"dayfirst": True}}, base_dir=files
    )
    assert cfg.data == (files / "data" / "sales.csv").resolve() and cfg.source is None
    with pytest.raises(
        ConfigError,
        match=r"unknown key 'perod' in the config of 'Beta'; "
        r"did you mean 'period'\?",
    ):
        load_config({"client": "Beta", "data": "data/sales.csv", "perod": "M"}, base_dir=files)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("colums: {}\n", "unknown key 'colums' in acme.yaml; did you mean 'columns'?"),
        (
            "read: {dayfrist: true}\n",
            "unknown key 'read.dayfrist' in acme.yaml; did you mean 'read.dayfirst'?",
        ),
        (
            "read: {dayfirst: maybe}\n",
            "read.dayfirst in acme.yaml must be true or false, not 'maybe'",
        ),
        ("period: month\n", "period in acme.yaml must be one of 'W', 'M', 'Q', 'Y', not 'month'"),
        (
            "currency: shekel\n",
            "currency in acme.yaml must be an ISO 4217 currency code such as ILS, "
            "USD or EUR, not 'shekel'",
        ),
        (
            "observation_end: next year\n",
            "observation_end in acme.yaml must be an ISO date such as 2024-12-31, not 'next year'",
        ),
        (
            "clv: {annual_discount_rate: 1.5}\n",
            "clv.annual_discount_rate in acme.yaml must be a number in [0, 1), not 1.5",
        ),
        (
            "clv: {horizon_months: 0}\n",
            "clv.horizon_months in acme.yaml must be a whole number in [1, 600], not 0",
        ),
        ("clv: {margin: true}\n", "clv.margin in acme.yaml must be a number, not True"),
        (
            "read: {encoding: klingon}\n",
            "read.encoding in acme.yaml must be an encoding name such as "
            "utf-8, cp1255 or latin-1, not 'klingon'",
        ),
        ("read: {decimal: ';'}\n", "read.decimal in acme.yaml must be one of '.', ',', not ';'"),
        ("customers_file: xlsx\n",
         "customers_file in acme.yaml must be one of 'csv', 'parquet', not 'xlsx'"),
        (
            "columns: {customer: Kunde}\n",
            "columns in acme.yaml has an unknown role 'customer' (did you "
            "mean 'customer_id'?); roles are customer_id, date, amount, order_id",
        ),
        (
            "segments: 5\n",
            "segments in acme.yaml must be a list of file columns or a mapping of output "
            "name to file column, not 5",
        ),
        (
            "read: [dayfirst]\n",
            "read in acme.yaml must be a mapping of keys to values, not ['dayfirst']",
        ),
    ],
)
def test_bad_values_are_named(tmp_path, extra, message):
    with pytest.raises(ConfigError) as err:
        load_config(minimal(tmp_path, extra))
    assert str(err.value) == message


def test_missing_required_key(tmp_path):
    with pytest.raises(ConfigError, match=r"^acme.yaml has no 'client' key; add it \(client name"):
        load_config(write(tmp_path, "data: sales.csv\n"))


def test_missing_data_file(tmp_path):
    path = write(tmp_path, "client: Acme\ndata: sales.csv\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        f"data file 'sales.csv' named by data in acme.yaml not found (looked for "
        f"{(tmp_path / 'sales.csv').resolve()}); fix the path, which is relative to the config "
        "file's folder"
    )


def test_missing_survey_file(tmp_path):
    with pytest.raises(ConfigError, match=r"data file 'nps.csv' named by survey.data in acme.yaml"):
        load_config(minimal(tmp_path, "survey: {data: nps.csv}\n"))


def test_invalid_yaml_and_missing_config(tmp_path):
    # the parser notices the unclosed list at the end of the text, line 3
    with pytest.raises(ConfigError, match=r"acme.yaml is not valid YAML at line 3, column 1 \("):
        load_config(write(tmp_path, "client: Acme\ndata: [sales.csv\n"))
    with pytest.raises(ConfigError, match=r"acme.yaml must be a mapping of keys"):
        load_config(write(tmp_path, "- client\n- data\n"))
    with pytest.raises(RetainlibError, match=r"config file .*nope.yaml not found"):
        load_config(tmp_path / "nope.yaml")


def test_reference_table_lists_every_key():
    table = config_reference()
    for key in [
        "client",
        "data",
        "read.dayfirst",
        "clv.calibration_end",
        "survey.columns",
        "economics.expected_lift",
        "at_risk.gap_multiple",
        "observation_end",
    ]:
        assert f"| `{key}` |" in table
    assert "| `read.dayfirst` | `false` |" in table


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_numbers_must_be_finite(tmp_path, value):
    # YAML reads .nan and .inf as floats; a time limit or a margin of NaN would be silently wrong
    (tmp_path / "sales.csv").write_text("customer_id,date,amount\n", encoding="utf-8")
    for key in ("timeout", "clv: {margin"):
        text = f"{key}: {value}" + ("}" if "{" in key else "")
        (tmp_path / "c.yaml").write_text(f"client: A\ndata: sales.csv\n{text}\n",
                                         encoding="utf-8")
        with pytest.raises(ConfigError, match="must be a number"):
            load_config(tmp_path / "c.yaml")


def test_a_key_given_twice_is_an_error_not_the_last_wins(tmp_path):
    (tmp_path / "sales.csv").write_text("customer_id,date,amount\n", encoding="utf-8")
    for text, line in [("client: A\ndata: sales.csv\ncurrency: ILS\ncurrency: USD\n", 4),
                       ("client: A\ndata: sales.csv\nclv:\n  margin: 0.3\n  margin: 0.5\n", 5)]:
        (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"at line {line}, column \d+ \(key '\w+' is given "
                                              r"twice\)"):
            load_config(tmp_path / "c.yaml")
    # a YAML merge key may still be overridden on purpose
    from retainlib.config._yaml import load_yaml

    merged = load_yaml("b: &b {m: 0.3, h: 6}\nclv:\n  <<: *b\n  m: 0.5\n")["clv"]
    assert merged == {"m": 0.5, "h": 6}


def test_a_batch_file_with_a_client_listed_under_a_repeated_key_is_refused(tmp_path):
    from retainlib.config.batch import parse_batch
    from retainlib.errors import ReportError

    (tmp_path / "batch.yaml").write_text("clients: [a.yaml]\nclients: [b.yaml]\n",
                                         encoding="utf-8")
    with pytest.raises(ReportError, match="not valid YAML at line 2"):
        parse_batch(tmp_path / "batch.yaml")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        # a three-letter code that ISO 4217 does not list, and the "no currency" code
        ("currency: XYZ\n", "currency in acme.yaml must be an ISO 4217 currency code such as ILS, "
                            "USD or EUR, not 'XYZ'"),
        ("currency: XXX\n", "currency in acme.yaml must be an ISO 4217 currency code such as ILS, "
                            "USD or EUR, not 'XXX'"),
        # a horizon of 100 million months made the report hang; 600 months = 50 years is the cap
        ("clv: {horizon_months: 100000000}\n",
         "clv.horizon_months in acme.yaml must be a whole number in [1, 600], not 100000000"),
        ("clv: {penalizer: -1}\n",
         "clv.penalizer in acme.yaml must be a number in [0, 10], not -1"),
    ],
)
def test_values_that_used_to_pass_and_then_break_are_refused(tmp_path, extra, message):
    with pytest.raises(ConfigError) as err:
        load_config(minimal(tmp_path, extra))
    assert str(err.value) == message


def test_observation_end_must_be_a_plain_date_up_to_today(tmp_path):
    today = pd.Timestamp.now().normalize().date()
    for text, problem in [
        ("9999-12-31", f"must be a date between 1900-01-01 and today ({today}), not 9999-12-31"),
        ("1066-10-14", f"must be a date between 1900-01-01 and today ({today}), not 1066-10-14"),
        ("2024-01-01T00:00:00+02:00", "must be a date without a time zone such as 2024-12-31"),
        ("'2024-01-01T00:00:00Z'", "must be a date without a time zone such as 2024-12-31"),
    ]:
        for key in ("observation_end", "clv: {calibration_end"):
            extra = f"{key}: {text}" + ("}" if "{" in key else "") + "\n"
            with pytest.raises(ConfigError, match=re.escape(problem)):
                load_config(minimal(tmp_path, extra))
    cfg = load_config(minimal(tmp_path, "observation_end: 2024-06-30\n"))
    assert cfg.observation_end == pd.Timestamp("2024-06-30")


def test_lower_case_currency_and_penalizer_are_accepted(tmp_path):
    cfg = load_config(minimal(tmp_path, "currency: usd\nclv: {penalizer: 0.01}\n"))
    assert (cfg.currency, cfg.clv.penalizer) == ("USD", 0.01)
    assert load_config(minimal(tmp_path, "")).clv.penalizer == 0.0


def test_an_alias_bomb_is_quoted_as_a_short_excerpt(tmp_path):
    # nine lists of nine, eight levels deep: 43 million strings once expanded
    value = '&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    prev = "a"
    for name in "bcdefgh":
        value = f"[{value}, &{name} [" + ",".join(["*" + prev] * 9) + "]]"
        prev = name
    with pytest.raises(ConfigError) as err:
        load_config(minimal(tmp_path, f"currency: {value}\n"))
    assert len(str(err.value)) < 200 and "[...]" in str(err.value)
