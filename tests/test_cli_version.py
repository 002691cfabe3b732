"""`retain --version` prints the package version (the one pyproject.toml declares) and exits 0."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from retainlib.cli import main

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_version_through_main(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"retain {VERSION}\n"


def test_retain_version_subprocess():
    exe = Path(sys.executable).parent / "retain"
    run = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout, run.stderr) == (0, f"retain {VERSION}\n", "")
