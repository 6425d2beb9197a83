"""Shared helpers for corehub's own tests (fixtures come from corehub.testing)."""

from __future__ import annotations

import textwrap
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
