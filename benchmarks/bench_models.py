"""Benchmark: retainlib's BG/NBD, Gamma-Gamma and rfm_summary against lifetimes, same data, one run.

Usage::

    .venv/bin/python benchmarks/bench_models.py --customers 1000000 --transactions 10000000
    .venv/bin/python benchmarks/bench_models.py --customers 50000 --transactions 500000   # quick

The customer summary is simulated from the BG/NBD and Gamma-Gamma models with
known parameters (retainlib's exact simulators), on a day grid like a real
summary: first purchases spread over three years, times in whole days / 7,
spend in cents. Each fit runs in a forked child process so its time and peak
memory (high-water mark of resident memory above the level at the start of the
fit) are measured separately. Goals (issue 4): fits >= 10x faster with
parameters equal to 1e-4 relative; rfm_summary >= 3x faster.
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
from synthetic import TRUE_BG, TRUE_GG, make_summary, make_transactions  # noqa: E402

import retainlib as rl  # noqa: E402


def bg_retainlib(rfm):
    return lambda: rl.BetaGeoModel().fit(rfm).params_.to_numpy()


def bg_lifetimes(rfm):
    def run():
        from lifetimes import BetaGeoFitter

        return BetaGeoFitter().fit(rfm["frequency"], rfm["recency"], rfm["T"]).params_.to_numpy()

    return run


def gg_retainlib(rep):
    return lambda: rl.GammaGammaModel().fit(rep).params_.to_numpy()


def gg_lifetimes(rep):
    def run():
        from lifetimes import GammaGammaFitter

        f = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
        return f.params_.to_numpy()

    return run


def rfm_retainlib(tx):
    return lambda: rl.rfm_summary(tx, time_unit="D")[["frequency", "recency", "T"]]


def rfm_lifetimes(tx):
    def run():
        from lifetimes.utils import summary_data_from_transaction_data

        obj = tx[["customer_id", "date", "amount"]].assign(
            customer_id=tx["customer_id"].astype(object)
        )
        s = summary_data_from_transaction_data(obj, "customer_id", "date", freq="D")
        return s[["frequency", "recency", "T"]]

    return run


def report(name, ours, ref, compare):
    (t1, r1, m1), (t2, r2, m2) = ours, ref
    print(f"\n{name}")
    print(f"  retainlib: {t1:8.2f} s   peak +{m1:8.1f} MiB")
    print(f"  lifetimes: {t2:8.2f} s   peak +{m2:8.1f} MiB")
    print(f"  speed-up:  {t2 / t1:8.1f}x")
    print(f"  {compare(r1, r2)}")


def rel_diff(a, b):
    return f"largest relative parameter difference: {np.max(np.abs(a / b - 1)):.2e}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--transactions", type=int, default=10_000_000)
    ap.add_argument("--skip-rfm", action="store_true", help="skip the rfm_summary comparison")
    args = ap.parse_args(argv)
    with warnings.catch_warnings():  # import both libraries before timing anything
        warnings.simplefilter("ignore")
        import lifetimes  # noqa: F401
        import lifetimes.utils  # noqa: F401
    rl.BetaGeoModel, rl.GammaGammaModel  # noqa: B018  (resolve the lazy imports)

    rfm = make_summary(args.customers)
    rep = rfm[rfm["frequency"] > 0]
    n_rows = len(np.unique(rfm[["frequency", "recency", "T"]].to_numpy(), axis=0))
    print(f"BG/NBD: {len(rfm):,} customers ({n_rows:,} distinct rows); true {TRUE_BG}")
    ours = measure(bg_retainlib(rfm))
    print(f"  retainlib estimates: {np.round(ours[1], 4)}")
    report("BG/NBD fit", ours, measure(bg_lifetimes(rfm)), rel_diff)
    print(f"\nGamma-Gamma: {len(rep):,} repeat customers; true {TRUE_GG}")
    report("Gamma-Gamma fit", measure(gg_retainlib(rep)), measure(gg_lifetimes(rep)), rel_diff)

    if not args.skip_rfm:
        n_cust = max(args.transactions // 10, 1)
        tx = make_transactions(args.transactions, n_cust)
        # lifetimes counts return days as purchases; with positive amounts both must agree exactly
        tx["amount"] = tx["amount"].abs()
        print(f"\nrfm_summary: {len(tx):,} transactions, {n_cust:,} customers")

        def same(a, b):
            b = b.set_axis(b.index.astype(str)).reindex(a.index.astype(str))
            ok = np.isclose(a.to_numpy(float), b.to_numpy(float)).all(axis=1).mean()
            return f"customers with identical frequency, recency, T: {ok:.2%}"

        report("rfm_summary", measure(rfm_retainlib(tx)), measure(rfm_lifetimes(tx)), same)


if __name__ == "__main__":
    main()
