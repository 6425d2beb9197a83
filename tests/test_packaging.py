"""What the wheels carry: every file a package reads at run time is in its package data.

An editable install reads the source tree, so a template or a stylesheet left out of
``[tool.setuptools.package-data]`` goes unnoticed until someone installs the wheel (and
the web app cannot find its pages). This checks the globs without building anything."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = [ROOT, *sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))]


def _package_files(package: Path) -> set[Path]:
    return {
        p
        for p in package.rglob("*")
        if p.is_file()
        and p.suffix not in {".py", ".pyc"}
        and "__pycache__" not in p.parts
        and not p.name.startswith(".")
    }


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_data_file_of_a_package_is_in_its_wheel(project: Path) -> None:
    settings = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = settings["tool"]["setuptools"]["package-data"]
    missing = []
    for package, patterns in package_data.items():
        folder = project / package
        included = {p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}
        missing += [str(p.relative_to(project)) for p in _package_files(folder) - included]
    assert sorted(missing) == []
