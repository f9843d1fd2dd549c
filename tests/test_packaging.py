"""pyproject's package list matches the folders: a package missing there is missing from `pip install .`."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "cpa_manager_desktop").rglob("__init__.py")
             if "__pyinstaller" not in p.parts}
    assert listed == found | {"cpa_manager_desktop.assets"}
