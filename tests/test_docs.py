"""The hook reference cannot rot: every hookspec is documented and tested, and nothing else is."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from corehub import hookspecs

ROOT = Path(__file__).parent.parent
REFERENCE = ROOT / "docs" / "plugin_hooks.md"


def hookspec_signatures() -> dict[str, str]:
    found = {}
    for module in hookspecs.MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and hasattr(fn, "corehub_spec"):
                found[name] = f"{name}({', '.join(inspect.signature(fn).parameters)})"
    return found


SPECS = hookspec_signatures()


def test_there_are_hookspecs():
    assert len(SPECS) >= 25


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hookspec_has_a_reference_section_with_its_exact_signature(name):
    headings = re.findall(r"^### (.+)$", REFERENCE.read_text(encoding="utf-8"), flags=re.M)
    assert SPECS[name] in headings, f"docs/plugin_hooks.md needs a section '### {SPECS[name]}'"


def test_the_reference_documents_no_hook_that_does_not_exist():
    headings = re.findall(r"^### (\w+)\((.*)\)$", REFERENCE.read_text(encoding="utf-8"), flags=re.M)
    stale = [f"{name}({args})" for name, args in headings if SPECS.get(name) != f"{name}({args})"]
    assert stale == []


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hookspec_has_a_docstring_saying_params_returns_and_when(name):
    module = next(m for m in hookspecs.MODULES if hasattr(m, name))
    doc = inspect.getdoc(getattr(module, name)) or ""
    assert ":param hub:" in doc or name == "register_commands"
    assert ":returns:" in doc
    assert "Called" in doc


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_has_a_test_of_its_own(name):
    """Some test (core or plugin) implements or calls the hook by name."""
    sources = [
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("plugins/*/tests/**/*.py"),
        *ROOT.glob("docs/examples/**/tests/**/*.py"),
    ]
    pattern = re.compile(rf"\b{name}\b")
    users = [
        p
        for p in sources
        if p.name != "test_docs.py" and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert users, f"no test mentions hook {name!r}: add a test that implements or calls it"


def python_blocks(path: Path) -> dict[str, str]:
    """Code blocks in a doc that start with a ``# file: NAME`` line, by file name."""
    blocks = re.findall(
        r"```python\n# file: (\S+)\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S
    )
    return dict(blocks)


def test_the_testing_guide_example_passes_as_written(tmp_path):
    import subprocess
    import sys

    blocks = python_blocks(ROOT / "docs" / "testing_plugins.md")
    assert {"overtime_watch.py", "test_overtime_watch.py"} <= set(blocks)
    for name, code in blocks.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout


def typed_signature(name: str) -> str:
    module = next(m for m in hookspecs.MODULES if hasattr(m, name))
    fn = getattr(module, name)
    params = ", ".join(
        f"{arg}: {p.annotation}" for arg, p in inspect.signature(fn).parameters.items()
    )
    return f"{name}({params}) -> {fn.__annotations__.get('return', 'None')}"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_hook_heading_shows_the_types_of_the_hookspec(name):
    """Under ``### name(arg, arg)`` the first lines are the typed signature, as in the code."""
    text = REFERENCE.read_text(encoding="utf-8")
    expected = f"### {SPECS[name]}\n\n```python\n{typed_signature(name)}\n```\n"
    assert expected in text, f"docs/plugin_hooks.md: under '### {SPECS[name]}' write:\n{expected}"
