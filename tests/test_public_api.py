"""The public API: the lazy package root, its type stub, the result types and the error classes."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import tomllib
import typing
import warnings
from pathlib import Path

import pandas as pd
import pytest

import retainlib as rl
import retainlib.load.transactions  # noqa: F401 - rl.load.transactions below
from retainlib.errors import DataError, DateOrderWarning, RetainlibError, RetainlibWarning
from retainlib.load._numbers import parse_numbers

PACKAGE = Path(rl.__file__).resolve().parent
STUB = PACKAGE / "__init__.pyi"


def _stub_imports() -> dict[str, str]:
    """Name -> module of every ``from module import name as name`` in the stub."""
    out = {}
    for node in ast.parse(STUB.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                assert alias.asname == alias.name, f"{alias.name} is not re-exported 'as' itself"
                assert alias.name not in out, f"{alias.name} imported twice"
                out[alias.name] = node.module
    return out


def _stub_declared() -> set[str]:
    """Names the stub declares without importing them (``__version__: str``)."""
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    return {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)}


def test_the_stub_names_every_public_name_and_submodule():
    assert set(_stub_imports()) == set(rl.__all__) | rl._SUBMODULES
    assert _stub_declared() == {"__version__"}


def test_every_name_in_the_stub_is_the_object_the_package_root_returns():
    for name, module in _stub_imports().items():
        if name in rl._SUBMODULES:
            assert module == "retainlib"
            assert getattr(rl, name) is importlib.import_module(f"retainlib.{name}")
        else:
            assert getattr(importlib.import_module(module), name) is getattr(rl, name), name


def test_the_stub_and_the_lazy_map_name_the_same_module():
    stub = _stub_imports()
    assert {n: stub[n] for n in rl._LAZY} == rl._LAZY
    assert {stub[n] for n in rl.__all__ if n not in rl._LAZY} == {"retainlib.errors"}


def test_each_name_comes_from_its_defining_module_or_the_public_package_above_it():
    for name, module in _stub_imports().items():
        if name in rl._SUBMODULES:
            continue
        defining = getattr(rl, name).__module__
        parts = defining.split(".")
        while any(p.startswith("_") for p in parts):
            parts.pop()
        assert module == ".".join(parts), f"{name}: import it from {'.'.join(parts)}"


def test_dir_lists_every_public_name_and_submodule():
    assert set(rl.__all__) | rl._SUBMODULES <= set(dir(rl))


def test_the_stub_and_py_typed_ship_with_the_package():
    assert (PACKAGE / "py.typed").is_file()
    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]["retainlib"]
    assert {"*.pyi", "py.typed"} <= set(data)


@pytest.mark.parametrize("name", ["Analysis", "HoldoutResult", "LoadReport", "SurveyReport",
                                  "DemoData", "ClientConfig"])
def test_result_types_users_get_back_are_exported(name):
    assert name in rl.__all__
    assert isinstance(getattr(rl, name), type)


def test_every_analysis_field_has_a_real_type():
    hints = typing.get_type_hints(rl.Analysis)  # every annotation resolves
    fields = [f.name for f in dataclasses.fields(rl.Analysis)]
    assert set(hints) == set(fields)
    assert [f for f in fields if hints[f] is object] == []
    assert hints["config"] is rl.ClientConfig and hints["load"] is rl.LoadReport
    # None when the client is too small for the models (the report then leaves them out)
    assert hints["bgnbd"] == rl.BetaGeoModel | None
    assert hints["gamma_gamma"] == rl.GammaGammaModel | None
    assert hints["holdout"] == rl.HoldoutResult | None
    assert hints["survey_load"] == rl.SurveyReport | None
    documented = rl.Analysis.__doc__.split("Attributes")[1]
    missing = [f for f in fields if f"\n    {f} : " not in documented]
    assert missing == []


# ----------------------------------------------------------------------------- errors and warnings


def _warning_categories() -> list[tuple[str, int, object]]:
    """(file, line, category object) of every ``warnings.warn(...)`` call in retainlib."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "warn"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "warnings"):
                continue
            category = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "category"), None)
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            if not isinstance(category, ast.Name):
                out.append((where, node.lineno, None))  # no category: a plain UserWarning
                continue
            out.append((where, node.lineno,
                        getattr(importlib.import_module(module), category.id, None)))
    return out


def test_every_warning_retainlib_issues_is_a_retainlib_warning():
    found = _warning_categories()
    assert found, "the scan found no warnings.warn call"
    bad = [where for where, _, cat in found
           if not (isinstance(cat, type) and issubclass(cat, RetainlibWarning))]
    assert bad == []


def test_date_order_warning_is_a_retainlib_warning_everywhere_it_is_exported():
    exported = {rl.DateOrderWarning, rl.load.DateOrderWarning,
                rl.load.transactions.DateOrderWarning}
    assert exported == {DateOrderWarning}
    assert issubclass(DateOrderWarning, RetainlibWarning)


def test_filtering_retainlib_warning_turns_a_day_month_mix_up_into_an_error(tmp_path):
    path = tmp_path / "x.csv"
    # month first (the default): 13/01 and 25/12 have no month 13 or 25; day first both are fine
    path.write_text("customer_id,date,amount\nA,13/01/2024,1\nB,02/01/2024,2\nC,25/12/2023,3\n",
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RetainlibWarning)
        with pytest.raises(DateOrderWarning, match="set dayfirst=True"):
            rl.read_transactions(path)


def test_an_unknown_decimal_mark_is_a_data_error():
    with pytest.raises(DataError, match=r"decimal must be '\.' or ',', not ';'") as info:
        parse_numbers(pd.Series(["12,50"]), decimal=";")
    assert isinstance(info.value, RetainlibError) and isinstance(info.value, ValueError)
