"""The demo retailer written as a client would send it.

:func:`write_demo` (public as :func:`retainlib.datasets.write_demo`) writes a cp1255
bookkeeping export, a survey file and a client config.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from retainlib.datasets.demo import make_demo
from retainlib.i18n import check_language
from retainlib.output import folders as _outputs

SALES_COLUMNS = {  # canonical name -> Hebrew header of the bookkeeping export
    "date": "תאריך",
    "order_id": "מספר חשבונית",
    "customer_id": "מספר לקוח",
    "region": "אזור",
    "channel": "ערוץ",
    "amount": "סכום",
}
#: the demo's region and channel values as a Hebrew export writes them (``language='he'``)
HEBREW_VALUES = {
    "region": {"Center": "מרכז", "Jerusalem": "ירושלים", "North": "צפון", "South": "דרום"},
    "channel": {"store": "חנות", "web": "אתר", "app": "אפליקציה"},
}
SURVEY_COLUMNS = {"customer_id": "מספר לקוח", "date": "תאריך מענה", "score": "ציון",
                  "comment": "הערות"}


def _format_ils(values: np.ndarray, *, accounting: np.ndarray | None = None) -> np.ndarray:
    """Format amounts like an Israeli bookkeeping export: '₪1,234.50', '-₪45.00' or '(45.00)'."""
    cents = np.round(np.abs(values) * 100).astype(np.int64)
    whole, frac = cents // 100, cents % 100
    def group(x: np.ndarray) -> pd.Series:  # last three digits, zero-padded below a higher group
        digits = pd.Series(x % 1000).astype(str)
        return pd.Series(np.where(x >= 1000, digits.str.zfill(3), digits))

    text, rest = group(whole), whole // 1000
    while (rest > 0).any():  # one pass per group of three digits, not per row
        text = pd.Series(np.where(rest > 0, group(rest) + "," + text, text))
        rest = rest // 1000
    number = (text + "." + pd.Series(frac).astype(str).str.zfill(2)).to_numpy(dtype=object)
    neg = values < 0
    acc = neg & (accounting if accounting is not None else False)
    out = np.where(neg, "-₪" + number, "₪" + number)
    return np.where(acc, "(" + number + ")", out).astype(object)


#: the files :func:`write_demo` writes
DEMO_FILES = ("sales.csv", "survey.csv", "client.yaml")


def write_demo(
    folder: str | Path, *, seed: int = 0, n_customers: int = 20_000, client: str = "demo",
    language: str = "en",
) -> Path:
    """Write the demo retailer as a client would send it, with a client config next to it.

    Files written into ``folder`` (created if missing):

    - ``sales.csv``: a bookkeeping export in cp1255 with Hebrew headers
      (:data:`SALES_COLUMNS`), day-first dates (31/12/2025), amounts such as
      '₪1,234.50', returns as '-₪45.00' (store returns in accounting style
      '(45.00)'), Windows line ends, and four rows a loader must reject: a blank
      customer id, an impossible date (31/02), a non-numeric amount ('#VALUE!')
      and a 'סה"כ' total row at the bottom. Every other row is one row of
      ``make_demo(seed, n_customers=n_customers).transactions``, in its order.
    - ``survey.csv``: the NPS answers in UTF-8 with Hebrew headers
      (:data:`SURVEY_COLUMNS`), day-first dates, plus two answers out of the
      0-10 range (11 and -1) to be rejected.
    - ``client.yaml``: the client config (columns, segments, read options,
      currency ILS, monthly periods, CLV, survey, economics and at-risk blocks).

    Parameters
    ----------
    folder : str or pathlib.Path
        Output folder.
    seed, n_customers : int
        Passed to :func:`retainlib.datasets.make_demo`.
    client : str, default 'demo'
        Client name written in the config.
    language : {'en', 'he'}, default 'en'
        The config's ``language:``. A Hebrew demo is also a Hebrew client's
        data: its region and channel values are written in Hebrew
        (:data:`HEBREW_VALUES`: 'צפון', 'חנות'), as an Israeli bookkeeping
        export writes them; the numbers are the same.

    Returns
    -------
    pathlib.Path
        Path of ``client.yaml``.

    Examples
    --------
    >>> import tempfile
    >>> cfg = write_demo(tempfile.mkdtemp(), n_customers=50)
    >>> sorted(p.name for p in cfg.parent.iterdir())
    ['.retainlib.json', 'client.yaml', 'sales.csv', 'survey.csv']

    Raises
    ------
    OutputError
        One of the three files exists in ``folder`` and retainlib did not
        write it (nothing is written).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _outputs.check_writable(folder, DEMO_FILES)
    demo = make_demo(seed, n_customers=n_customers)
    tx = demo.transactions
    rng = np.random.default_rng([seed, 2024])
    amount = tx["amount"].to_numpy()
    region, channel = tx["region"], tx["channel"]
    if check_language(language) == "he":
        region = region.map(HEBREW_VALUES["region"])
        channel = channel.map(HEBREW_VALUES["channel"])
    sales = pd.DataFrame(
        {
            SALES_COLUMNS["date"]: tx["date"].dt.strftime("%d/%m/%Y"),
            SALES_COLUMNS["order_id"]: tx["order_id"],
            SALES_COLUMNS["customer_id"]: tx["customer_id"],
            SALES_COLUMNS["region"]: region,
            SALES_COLUMNS["channel"]: channel,
            SALES_COLUMNS["amount"]: _format_ils(amount, accounting=(tx["channel"] == "store")
                                                 .to_numpy()),
        }
    ).astype(str)

    # three bad rows at random places in the body (dated and owned like their neighbours),
    # then a total row at the bottom
    where = np.sort(rng.integers(len(tx) // 10, len(tx) + 1, size=3))
    near = np.minimum(where, len(tx) - 1)
    year = demo.observation_end.year - (1 if demo.observation_end.month < 3 else 0)
    first_bad = int(tx["order_id"].astype("int64").max()) + 1
    bad = sales.iloc[near].reset_index(drop=True)
    bad[SALES_COLUMNS["order_id"]] = [str(first_bad + i) for i in range(3)]
    bad.loc[0, [SALES_COLUMNS["customer_id"], SALES_COLUMNS["amount"]]] = ["", "₪89.90"]
    bad.loc[1, [SALES_COLUMNS["date"], SALES_COLUMNS["amount"]]] = [f"31/02/{year}", "₪120.00"]
    bad.loc[2, SALES_COLUMNS["amount"]] = "#VALUE!"
    key = np.concatenate([np.arange(len(tx), dtype=float), where - 0.5])
    body = pd.concat([sales, bad], ignore_index=True).iloc[np.argsort(key, kind="stable")]
    total = pd.DataFrame([{SALES_COLUMNS["customer_id"]: 'סה"כ',
                           SALES_COLUMNS["amount"]: _format_ils(np.array([amount.sum()]))[0]}])
    out = pd.concat([body, total], ignore_index=True).fillna("")
    out.to_csv(folder / "sales.csv", index=False, encoding="cp1255", lineterminator="\r\n")

    survey = demo.survey
    answers = pd.DataFrame(
        {
            SURVEY_COLUMNS["customer_id"]: survey["customer_id"],
            SURVEY_COLUMNS["date"]: survey["date"].dt.strftime("%d/%m/%Y"),
            SURVEY_COLUMNS["score"]: survey["score"].astype(str),
            SURVEY_COLUMNS["comment"]: survey["comment"].fillna(""),
        }
    )
    # two answers out of the 0-10 range, from customers not in the survey when there are some
    everyone = demo.customers.index.to_numpy()
    others = everyone[~pd.Index(everyone).isin(survey["customer_id"])]
    where = np.sort(rng.integers(0, len(answers) + 1, size=2))
    dates = answers[SURVEY_COLUMNS["date"]].to_numpy()
    extra = pd.DataFrame(
        {
            SURVEY_COLUMNS["customer_id"]: rng.choice(others if len(others) else everyone, size=2),
            SURVEY_COLUMNS["date"]: dates[np.minimum(where, len(dates) - 1)] if len(dates)
            else demo.observation_end.strftime("%d/%m/%Y"),
            SURVEY_COLUMNS["score"]: ["11", "-1"],
            SURVEY_COLUMNS["comment"]: ["", ""],
        }
    )
    key = np.concatenate([np.arange(len(answers), dtype=float), where - 0.5])
    answers = pd.concat([answers, extra], ignore_index=True).iloc[np.argsort(key, kind="stable")]
    answers.to_csv(folder / "survey.csv", index=False, encoding="utf-8")

    config = {
        "client": client,
        "data": "sales.csv",
        "columns": {k: SALES_COLUMNS[k] for k in ("customer_id", "date", "amount", "order_id")},
        "segments": {"region": SALES_COLUMNS["region"], "channel": SALES_COLUMNS["channel"]},
        "read": {"encoding": "cp1255", "dayfirst": True, "date_format": None, "decimal": ".",
                 "thousands": ",", "sheet": None, "duplicates": "keep"},
        "currency": "ILS",
        "period": "M",
        "language": language,
        "observation_end": demo.observation_end.date().isoformat(),
        "clv": {"horizon_months": 12, "annual_discount_rate": 0.10, "margin": 0.35,
                "calibration_end": None},
        "survey": {"data": "survey.csv", "columns": dict(SURVEY_COLUMNS),
                   "read": {"encoding": "utf-8", "dayfirst": True}},
        "economics": {"cac": 120, "campaign_cost": 50000, "customers_targeted": 2000,
                      "expected_lift": 0.05},
        "at_risk": {"p_alive_threshold": 0.5, "gap_multiple": 3.0, "min_value_quantile": 0.7},
    }
    path = folder / "client.yaml"
    header = (f"# Demo retailer written by retainlib.datasets.write_demo(seed={seed}, "
              f"n_customers={n_customers}).\n# Paths are relative to this file's folder.\n")
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(header + text, encoding="utf-8")
    _outputs.record(folder, DEMO_FILES, kind="demo data")
    return path
