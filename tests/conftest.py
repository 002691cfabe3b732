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
