"""Every command example in docs/ and the README runs, so a doc cannot drift from the code.

Each fenced ``sh`` block is run with bash (``set -e``) against a copy of the demo workspace
(made once per session with ``corehub demo --no-render``), one copy per document, the
blocks of a document in order: a later block sees what an earlier one did (``cd``
included). An HTML comment right above a block, invisible when the page is read, says
what the test does differently, so a skip is deliberate and visible in the source:

- ``<!-- docs-test: skip REASON -->``: not run (starts a server, builds the project...);
- ``<!-- docs-test: fails REASON -->``: the example shows a refusal; it must exit non-zero;
- ``<!-- docs-test: run COMMAND -->``: a setup command run first (a file the example reads);
- ``<!-- docs-test: sub OLD NEW -->``: OLD in the block is replaced with NEW first (an id
  that only exists in your workspace).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest

from tests.test_cli_output import REPR

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FILES = Path(__file__).parent / "docs_files"
FENCE = re.compile(r"^```sh\s*$")
MARK = re.compile(r"^<!-- docs-test: (skip|fails|run|sub) ?(.*?) -->$")


@attrs.frozen
class Block:
    doc: Path
    line: int
    code: str
    marks: tuple[tuple[str, str], ...]

    def mark(self, kind: str) -> list[str]:
        return [value for k, value in self.marks if k == kind]

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    lines = doc.read_text(encoding="utf-8").splitlines()
    found = []
    i = 0
    while i < len(lines):
        if FENCE.match(lines[i]):
            marks = []
            j = i - 1
            while j >= 0 and (MARK.match(lines[j]) or not lines[j].strip()):
                matched = MARK.match(lines[j])
                if matched:
                    marks.insert(0, (matched.group(1), matched.group(2)))
                j -= 1
            end = next(k for k in range(i + 1, len(lines)) if lines[k].startswith("```"))
            found.append(Block(doc, i + 1, "\n".join(lines[i + 1 : end]) + "\n", tuple(marks)))
            i = end
        i += 1
    return found


def test_the_docs_have_command_examples_and_every_mark_is_known() -> None:
    all_blocks = [b for doc in DOCS for b in blocks(doc)]
    assert len(all_blocks) >= 15
    for doc in DOCS:
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            if "docs-test" in line:
                assert MARK.match(line), f"{doc.name}:{number}: unknown mark {line!r}"
    skipped = [b for b in all_blocks if b.mark("skip")]
    assert all(reason for b in skipped for reason in b.mark("skip")), "a skip names its reason"
    assert len(skipped) <= len(all_blocks) // 3, [b.where for b in skipped]


@pytest.mark.parametrize("doc", [d for d in DOCS if blocks(d)], ids=lambda d: d.name)
def test_the_command_examples_run(doc: Path, demo_workspace: Path, tmp_path: Path) -> None:
    home = tmp_path / "desk"
    shutil.copytree(demo_workspace, home)
    # The README runs from a checkout: .venv/bin/corehub and demo-workspace are there.
    venv = Path(os.environ.get("VIRTUAL_ENV") or ROOT / ".venv")
    (tmp_path / ".venv").symlink_to(venv)
    (tmp_path / "demo-workspace").symlink_to(home)
    bin_dir = venv / "bin"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("COREHUB_")},
        "PATH": os.pathsep.join([str(bin_dir), str(FILES), os.environ.get("PATH", "")]),
        "DOCS_FILES": str(FILES),
        "DEMO_PEOPLE": str(ROOT / "corehub/demo/people.csv"),
        "COREHUB_STRICT_PLUGINS": "1",
    }
    where = home if doc.name != "README.md" else tmp_path
    for block in blocks(doc):
        if block.mark("skip"):
            continue
        code = block.code
        for sub in block.mark("sub"):
            old, new = shlex.split(sub)
            code = code.replace(old, new)
        state = tmp_path / "cwd"
        script = "\n".join(
            ["set -eo pipefail", f"cd {shlex.quote(str(where))}", *block.mark("run"), code]
        )
        script += f"\npwd > {shlex.quote(str(state))}\n"
        done = subprocess.run(
            ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=120
        )
        output = f"{block.where}\n{code}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        if block.mark("fails"):
            assert done.returncode != 0, f"expected a refusal: {output}"
            assert "Traceback" not in done.stderr, output
            continue
        assert done.returncode == 0, output
        assert "Traceback" not in done.stderr, output
        assert not REPR.search(done.stdout + done.stderr), output  # words, never reprs
        where = Path(state.read_text().strip())
