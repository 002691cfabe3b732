"""Benchmark: 12-month CLV of many customers, retainlib vs lifetimes, same params and data, one run.

Usage::

    .venv/bin/python benchmarks/bench_clv.py --customers 1000000   # full size
    .venv/bin/python benchmarks/bench_clv.py --customers 20000     # quick

The customer summary is simulated from the BG/NBD and Gamma-Gamma models
(retainlib's exact simulators) on a day grid: first purchases spread over three
years, times in whole days / 7 (weeks), spend in cents. Both models are fitted
once with retainlib and the same parameters are given to lifetimes'
BetaGeoFitter and GammaGammaFitter, so only the CLV computation is timed:
``rl.customer_lifetime_value`` against ``GammaGammaFitter.customer_lifetime_value``
(``freq='W'``, ``discount_rate=0.01`` a month = ``1.01**12 - 1`` a year). Each
side runs in a forked child process so time and peak memory (high-water mark
of resident memory above the level at the start) are measured separately.

The conventions differ by design: a month is 365.25 / 12 / 7 = 4.348 weeks in
retainlib and 4.345 weeks in lifetimes (``freq='W'``), so values differ by
about 0.06%; with lifetimes' month length plugged in (an adapter, not timed)
the two agree to rounding, which is printed as the check of equal maths.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _measure import measure  # noqa: E402
from synthetic import make_summary  # noqa: E402

import retainlib as rl  # noqa: E402
from retainlib.analytics.clv import month_length  # noqa: E402

MONTHLY_RATE = 0.01


class RescaledMonth:
    """Adapter: months of ``weeks`` weeks (to replay lifetimes' convention for the check)."""

    def __init__(self, model, weeks):
        self.model, self.scale = model, weeks / month_length("W")

    def expected_purchases(self, rfm, t):
        return self.model.expected_purchases(rfm, t * self.scale)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    rfm = make_summary(args.customers, args.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bg = rl.BetaGeoModel().fit(rfm)
        gg = rl.GammaGammaModel().fit(rfm[rfm["frequency"] > 0])
    annual = (1 + MONTHLY_RATE) ** 12 - 1
    print(f"customers: {len(rfm):,}  repeat customers: {(rfm['frequency'] > 0).sum():,}  "
          f"horizon: {args.months} months  discount: {MONTHLY_RATE:.0%} a month")
    print(f"BG/NBD {bg.params_.round(4).to_dict()}  Gamma-Gamma {gg.params_.round(4).to_dict()}")

    def ours():
        return rl.customer_lifetime_value(
            rfm, bg, gg, horizon_months=args.months, annual_discount_rate=annual
        ).to_numpy()

    def theirs():
        from lifetimes import BetaGeoFitter, GammaGammaFitter

        lt_bg, lt_gg = BetaGeoFitter(), GammaGammaFitter()
        lt_bg.params_, lt_gg.params_ = bg.params_.copy(), gg.params_.copy()
        lt_bg.predict = lt_bg.conditional_expected_number_of_purchases_up_to_time  # set by fit()
        clv = lt_gg.customer_lifetime_value(
            lt_bg, rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"],
            time=args.months, discount_rate=MONTHLY_RATE, freq="W",
        )
        return clv.to_numpy()

    (t1, c1, m1), (t2, c2, m2) = measure(ours), measure(theirs)
    same_convention = rl.customer_lifetime_value(
        rfm, RescaledMonth(bg, 4.345), gg, horizon_months=args.months,
        annual_discount_rate=annual,
    ).to_numpy()
    print("\ncustomer_lifetime_value")
    print(f"  retainlib: {t1:8.2f} s   peak +{m1:8.1f} MiB")
    print(f"  lifetimes: {t2:8.2f} s   peak +{m2:8.1f} MiB")
    print(f"  speed-up:  {t2 / t1:8.1f}x")
    print(f"  total CLV: retainlib {c1.sum():,.0f}  lifetimes {c2.sum():,.0f}  "
          f"(month 4.348 vs 4.345 weeks: {c1.sum() / c2.sum() - 1:+.3%})")
    rel = np.abs(same_convention - c2) / np.maximum(np.abs(c2), 1e-12)
    print(f"  with lifetimes' 4.345-week month: largest relative difference {rel.max():.1e}")


if __name__ == "__main__":
    main()
