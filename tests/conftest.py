"""Shared helpers for corehub's own tests (fixtures come from corehub.testing)."""

from __future__ import annotations

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


@pytest.fixture
def child_venv(tmp_path: Path):
    """``python, env = child_venv(project)``: a virtualenv that sees everything installed
    here, with ``project`` installed (editable) in it alone, as a user installs a plugin."""

    def make(project: Path) -> tuple[Path, dict[str, str]]:
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
        return python, env

    return make
