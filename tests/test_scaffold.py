"""``corehub plugin new``: the generated plugin installs, passes its tests and is listed."""

from __future__ import annotations

import os

import pytest

from corehub import Hub
from corehub.testing import run_cli


def test_a_new_plugin_installs_passes_its_tests_and_is_listed(tmp_path, child_venv):
    result = run_cli(Hub(None), "plugin", "new", "acme_forms", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    project = tmp_path / "corehub-acme-forms"
    assert (
        project / "corehub_acme_forms" / "templates" / "corehub_acme_forms" / "checkin.html"
    ).is_file()
    # Ready for translations: words marked in the template, the extraction config beside it.
    template = (
        project / "corehub_acme_forms/templates/corehub_acme_forms/checkin.html"
    ).read_text()
    assert '_("Goals check-in due %(day)s.", day=due|date)' in template
    assert "[python: **.py]" in (project / "babel.cfg").read_text()
    # `pip install -e X[test] && pytest X` works in a fresh virtualenv: pytest comes with it.
    import tomllib

    meta = tomllib.loads((project / "pyproject.toml").read_text())
    assert any(r.startswith("pytest>=") for r in meta["project"]["optional-dependencies"]["test"])
    assert f"pip install -e '{project}[test]' && pytest {project}" in result.stdout

    installed = child_venv(project)
    tests = installed.pytest(project / "tests")
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout
    (plugin,) = installed.listed_plugins("acme_forms")
    assert plugin["name"] == "acme_forms"
    assert plugin["distribution"] == "corehub-acme-forms"
    assert plugin["entry_point"] == "corehub_acme_forms.plugin"
    assert plugin["hooks"] == ["cycle_tasks", "register_report_sections", "register_task_kinds"]


@pytest.mark.parametrize("name", ["Acme", "1st", "a", "acme-forms", "x" * 41])
def test_bad_names_are_refused_and_nothing_is_written(tmp_path, name):
    result = run_cli(Hub(None), "plugin", "new", name, "--dir", str(tmp_path))
    assert result.exit_code == 1 and "use 2 to 40 lowercase letters" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "corehub-acme").mkdir()
    (tmp_path / "corehub-acme" / "mine.txt").write_text("keep")
    result = run_cli(Hub(None), "plugin", "new", "acme", "--dir", str(tmp_path))
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert (tmp_path / "corehub-acme" / "mine.txt").read_text() == "keep"
    assert os.listdir(tmp_path / "corehub-acme") == ["mine.txt"]
