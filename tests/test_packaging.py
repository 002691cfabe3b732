"""The package installs as documented and both install routes name the same packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

import retainlib as rl

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = set(), set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip |= {_name(d) for d in dep["pip"] if not d.startswith("-e")}
        else:
            conda.add(_name(dep))
    conda -= {"python", "pip"}
    assert conda | pip == wanted


def test_every_public_name_imports_from_the_package_root():
    missing = [name for name in rl.__all__ if not hasattr(rl, name)]
    assert missing == []


def test_cdnow_sample_has_the_published_size(cdnow_tx):
    # Fader, Hardie and Lee (2005): 2,357 customers, 6,919 transaction lines, Jan 1997 - Jun 1998
    assert len(cdnow_tx) == 6919
    assert cdnow_tx["customer_id"].nunique() == 2357
    assert cdnow_tx["date"].min() == __import__("pandas").Timestamp("1997-01-01")
    assert cdnow_tx["date"].max() == __import__("pandas").Timestamp("1998-06-30")
