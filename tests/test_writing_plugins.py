"""The plugin tutorial cannot rot: its code is the example's code, which installs and passes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).parent.parent
TUTORIAL = ROOT / "docs" / "writing_plugins.md"
EXAMPLE = ROOT / "docs" / "examples" / "acme_desk"


def shown_files() -> dict[str, str]:
    """Files the tutorial shows: ``# file: PATH`` blocks and blocks introduced by `PATH`:."""
    text = TUTORIAL.read_text(encoding="utf-8")
    found = dict(re.findall(r"```python\n# file: (\S+)\n(.*?)```", text, flags=re.S))
    found.update(
        re.findall(r"^`(docs/examples/\S+)`:\n\n```[\w+-]+\n(.*?)```", text, flags=re.S | re.M)
    )
    return found


def test_the_tutorial_shows_every_file_of_the_example_as_it_is():
    shown = shown_files()
    files = {
        str(p.relative_to(ROOT))
        for p in EXAMPLE.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and ".egg-info" not in str(p)
        and p.name != "__init__.py"
    }
    assert files == set(shown), (
        "docs/writing_plugins.md and docs/examples/acme_desk list different files"
    )
    for path, code in shown.items():
        assert (ROOT / path).read_text(encoding="utf-8") == code, (
            f"{path} differs from the tutorial"
        )


def test_the_example_installs_passes_its_tests_and_is_listed(tmp_path, child_venv):
    project = tmp_path / "acme_desk"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    installed = child_venv(project)
    tests = installed.pytest(project / "tests")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "5 passed" in tests.stdout
    (acme,) = installed.listed_plugins("acme_desk")
    assert acme["distribution"] == "corehub-acme-desk"
    assert set(acme["hooks"]) == {
        "register_forms",
        "score_review",
        "register_settings",
        "register_report_sections",
        "extra_stylesheets",
        "register_commands",
        "register_migrations",
        "review_submitted",
    }
