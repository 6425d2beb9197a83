"""Shared helpers for corehub's own tests (fixtures come from corehub.testing)."""

from __future__ import annotations

import json
import subprocess
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

TESTS = Path(__file__).parent


@pytest.fixture
def write(tmp_path: Path):
    """``write("people.csv", text)``: a file under tmp_path with dedented text (or bytes)."""

    def make(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding=encoding)
        return path

    return make


class ChildEnv:
    """A virtualenv that sees everything installed here, plus one project installed in it alone."""

    def __init__(self, python: Path, env: dict[str, str], cwd: Path):
        self.python, self.env, self.cwd = python, env, cwd

    def pytest(self, folder: Path) -> subprocess.CompletedProcess[str]:
        """Run the project's tests as its author would, with corehub's pytest plugin."""
        args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", str(folder)]
        return subprocess.run(
            [self.python, *args], capture_output=True, text=True, env=self.env, cwd=folder
        )

    def listed_plugins(self, load: str) -> list[dict[str, object]]:
        """``corehub plugins --json`` with only ``load`` loaded."""
        result = subprocess.run(
            [self.python, "-m", "corehub", "plugins", "--json"],
            capture_output=True,
            text=True,
            env=self.env | {"COREHUB_LOAD_PLUGINS": load},
            cwd=self.cwd,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["plugins"]


@pytest.fixture
def child_venv(tmp_path: Path):
    """``env = child_venv(project)``: ``project`` installed (editable) in a fresh virtualenv
    that also sees everything installed here, as a user installs a plugin next to corehub."""

    def make(project: Path) -> ChildEnv:
        folder = tmp_path / "venv"
        venv.EnvBuilder(with_pip=False).create(folder)
        python = folder / "bin" / "python"
        purelib = subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        ours = sysconfig.get_paths()["purelib"]
        Path(purelib, "_corehub_parent_env.pth").write_text(
            f"import site; site.addsitedir({ours!r})\n"
        )
        env = {"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
        install = subprocess.run(
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "-e",
                str(project),
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        assert install.returncode == 0, install.stdout + install.stderr
        return ChildEnv(python, env, tmp_path)

    return make


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace (``corehub demo --no-render``), built once per test session; a test
    that changes it works on a copy (:func:`demo_copy`)."""
    import sys

    folder = tmp_path_factory.mktemp("demo") / "desk"
    run = subprocess.run(
        [sys.executable, "-m", "corehub", "demo", str(folder), "--no-render"],
        check=True,
        capture_output=True,
        env={**__import__("os").environ, "COREHUB_WORKSPACE": ""},
    )
    # what the demo printed, for the tests of its walkthrough
    (folder.parent / "demo-output.txt").write_bytes(run.stdout)
    return folder


@pytest.fixture
def demo_copy(demo_workspace: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace this test may change."""
    import shutil

    target = tmp_path / "desk"
    shutil.copytree(demo_workspace, target)
    return target
