"""Benchmark: per-customer predictions per row vs once per distinct summary row (#15), one run.

Usage::

    .venv/bin/python benchmarks/bench_predictions.py --customers 1000000   # full size
    .venv/bin/python benchmarks/bench_predictions.py --customers 50000     # quick

The customer summary is simulated as in bench_models.py (first purchases over three years,
times in whole days / 7, spend in cents); the BG/NBD and Gamma-Gamma are fitted once. Then,
side by side, each in a forked child (time and peak extra memory, see _measure.py):

* **predictions alone**: the three model calls at_risk makes, on every row, or P(alive) and
  expected purchases through ``predict_on_distinct_rows`` (as at_risk does);
* **at-risk scoring** (``rl.at_risk(..., only_flagged=False)``): P(alive), expected purchases
  over 52 weeks and expected spend. *Per row*: the models wrapped so they do not say which
  columns they read, so at_risk asks them about every customer; *distinct*: the fitted models
  (P(alive) and expected purchases once per distinct (frequency, recency, T) row; expected
  spend, one line of arithmetic, per customer on both sides);
* **CLV** over ``--months`` months: *per row* the same monthly sum written out on every
  customer's row; *distinct* ``rl.customer_lifetime_value``.

Each step runs ``--repeat`` times (the fastest run is shown: the machine is shared). It prints
the distinct row counts, both timings, the ratio and the largest difference of the
results (0 or rounding: the numbers are the same).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _measure import measure  # noqa: E402
from synthetic import make_summary  # noqa: E402

import retainlib as rl  # noqa: E402
from retainlib._arrays import distinct_rows, predict_on_distinct_rows  # noqa: E402
from retainlib.analytics.clv import month_length  # noqa: E402

ANNUAL_RATE = 0.10


class PerRow:
    """A fitted model without ``input_columns``: analytics then predict for every customer."""

    def __init__(self, model):
        self.model = model

    def __getattr__(self, name):
        if name == "input_columns":
            raise AttributeError(name)
        return getattr(self.model, name)


def risk_columns(frame):
    return frame[["p_alive", "expected_purchases", "expected_spend", "value_if_retained"]
                 ].to_numpy()


def clv_per_row(rfm, bg, gg, months):
    """The CLV sum of retainlib.analytics.clv, on every customer's row."""
    d = 1.0 / (1.0 + ANNUAL_RATE) ** (1.0 / 12.0)
    discounted, previous = np.zeros(len(rfm)), np.zeros(len(rfm))
    for m in range(1, months + 1):
        current = bg.expected_purchases(rfm, m * month_length("W")).to_numpy()
        discounted += (current - previous) * d**m
        previous = current
    return gg.expected_spend(rfm).to_numpy() * discounted


def best(func, repeat):
    """The fastest of ``repeat`` measured runs: (seconds, result, its peak extra MiB)."""
    return min((measure(func) for _ in range(max(1, repeat))), key=lambda run: run[0])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each step; the fastest is shown (the machine is shared)")
    args = parser.parse_args(argv)

    rfm = make_summary(args.customers, args.seed)
    bg = rl.BetaGeoModel().fit(rfm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gg = rl.GammaGammaModel().fit(rfm[rfm["frequency"] > 0])
    n_frt = len(distinct_rows(*(rfm[c].to_numpy() for c in bg.input_columns))[1][0])
    n_fm = len(distinct_rows(*(rfm[c].to_numpy() for c in gg.input_columns))[1][0])
    print(f"{len(rfm):,} customers; distinct (frequency, recency, T) rows {n_frt:,}, "
          f"distinct (frequency, monetary_value) rows {n_fm:,}")

    def three(rows):  # what at_risk asks the models: P(alive), E[X(52 weeks)], E[spend]
        return np.column_stack([bg.probability_alive(rows), bg.expected_purchases(rows, 52.0)])

    steps = {
        "predictions alone": (
            lambda: np.column_stack([three(rfm), gg.expected_spend(rfm)]),
            lambda: np.column_stack([
                predict_on_distinct_rows(lambda r: pd.DataFrame(three(r)), rfm,
                                         bg.input_columns).to_numpy(),
                gg.expected_spend(rfm)]),  # per row in at_risk too: cheaper than distinct rows
        ),
        "at-risk scoring": (
            lambda: risk_columns(rl.at_risk(rfm, PerRow(bg), PerRow(gg), only_flagged=False)
                                 .reindex(rfm.index)),
            lambda: risk_columns(rl.at_risk(rfm, bg, gg, only_flagged=False)
                                 .reindex(rfm.index)),
        ),
        f"CLV, {args.months} months": (
            lambda: clv_per_row(rfm, bg, gg, args.months),
            lambda: rl.customer_lifetime_value(
                rfm, bg, gg, horizon_months=args.months,
                annual_discount_rate=ANNUAL_RATE).to_numpy(),
        ),
    }
    print(f"{'step':<18} {'per row s':>10} {'MiB':>7} {'distinct s':>11} {'MiB':>7} "
          f"{'ratio':>6} {'max rel diff':>13}")
    for name, (per_row, distinct) in steps.items():
        t_row, v_row, mem_row = best(per_row, args.repeat)
        t_dis, v_dis, mem_dis = best(distinct, args.repeat)
        scale = np.maximum(np.abs(v_row), 1e-300)
        diff = float(np.max(np.abs(v_dis - v_row) / scale)) if v_row.size else 0.0
        print(f"{name:<18} {t_row:>10.2f} {mem_row:>7.0f} {t_dis:>11.2f} {mem_dis:>7.0f} "
              f"{t_row / t_dis:>5.1f}x {diff:>13.1e}")


if __name__ == "__main__":
    main()
