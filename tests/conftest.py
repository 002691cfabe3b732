"""Shared test set-up: headless plotting and small fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

import retainlib as rl  # noqa: E402


@pytest.fixture(scope="session")
def cdnow_tx():
    """The CDNOW sample transactions (6,919 lines, 2,357 customers)."""
    return rl.load_cdnow()


@pytest.fixture(scope="session")
def cdnow_rfm(cdnow_tx):
    """CDNOW calibration summary in weeks (Fader, Hardie and Lee 2005): data to 1997-09-30."""
    return rl.rfm_summary(cdnow_tx, observation_end="1997-09-30")
