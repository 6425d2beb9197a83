"""Nothing the operator types can destroy data: every command that writes a file, against
every path it must refuse; full disks and read-only places; untrusted YAML."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import itertools
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import corehub_self_assessment.plugin
import corehub_training_tracker.plugin
from corehub import hookimpl
from corehub.hub import Hub
from corehub.safe_yaml import (
    MAX_ALIASES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    UnsafeYamlError,
    load_yaml,
)
from corehub.testing import run_cli


@pytest.fixture
def cycle(hub: Hub, register_plugin: Callable[..., Any], make_people: Callable[..., Any]) -> str:
    """Self-assessment and training plugins registered; team alpha in the open cycle 'H1'."""
    register_plugin(corehub_self_assessment.plugin, name="self_assessment")
    register_plugin(corehub_training_tracker.plugin, name="training_tracker")
    make_people(team="alpha", agents=2)
    hub.cycles.create("H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    hub.cycles.open("H1")
    return "H1"


def _fingerprint(hub: Hub) -> dict[str, str]:
    """A hash of every file of the workspace, to prove a refused command changed nothing."""
    assert hub.workspace is not None
    hub.close()
    found = {}
    for path in sorted(hub.workspace.rglob("*")):
        if path.is_file() and not path.name.endswith(("-wal", "-shm")):
            found[str(path.relative_to(hub.workspace))] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return found


# Commands that write a file the operator names, as (label, arguments for a target FILE).
FILE_COMMANDS: list[tuple[str, Callable[[str], list[str]]]] = [
    (
        "render packet",
        lambda p: ["render", "packet", "--cycle", "H1", "--person", "alpha-01", "-o", p],
    ),
    ("render summary", lambda p: ["render", "summary", "--cycle", "H1", "-o", p]),
    ("db backup", lambda p: ["db", "backup", p]),
    ("db backup --force", lambda p: ["db", "backup", "--force", p]),
    ("review export", lambda p: ["--as", "alpha-01", "review", "export", "--cycle", "H1", "-o", p]),
]
# Commands that write into a folder the operator names.
FOLDER_COMMANDS: list[tuple[str, Callable[[str], list[str]]]] = [
    ("render cycle", lambda p: ["render", "cycle", "H1", "--out", p]),
    ("render cycle --binder", lambda p: ["render", "cycle", "H1", "--binder", "--out", p]),
    ("plugin new", lambda p: ["plugin", "new", "acme_forms", "--dir", p]),
]

# Paths no file may be written to, relative to the workspace, and what the error says.
FORBIDDEN_FILES = [
    ("corehub.db", "live workspace database"),
    ("corehub.db-wal", "live workspace database"),
    ("corehub.db-shm", "live workspace database"),
    ("corehub.db-journal", "live workspace database"),
    ("corehub.toml", "workspace configuration"),
    (".", "is a folder|is a directory"),
    ("output", "is a folder|is a directory"),
    ("forms/agent.yaml", "forms folder"),
    ("templates/packet.html", "templates folder"),
    ("courses/extra.yaml", "courses folder"),
    ("plugins/mine.py", "plugins folder"),
    ("evidence/training/cert.pdf", "plugin's data"),
    (".corehub-web-secret", "hidden files"),
    ("link-to-db", "live workspace database"),
    ("../other/corehub.db", "a database"),
]
FORBIDDEN_FOLDERS = [
    ("forms", "forms folder"),
    ("templates/mine", "templates folder"),
    ("courses", "courses folder"),
    ("plugins", "plugins folder"),
    ("evidence/training", "plugin's data"),
    ("corehub.toml", "is a file"),
]


def _prepare(hub: Hub) -> None:
    """Things the forbidden paths point at: a symlink to the database, another workspace."""
    ws = hub.workspace
    assert ws is not None
    (ws / "link-to-db").symlink_to(ws / "corehub.db")
    (ws / "evidence" / "training").mkdir(parents=True)
    (ws / "evidence" / "training" / "cert.pdf").write_bytes(b"%PDF a certificate")
    (ws / ".corehub-web-secret").write_text("secret\n")
    other = ws.parent / "other"
    other.mkdir()
    (other / "corehub.toml").write_text("")
    sqlite3.connect(other / "corehub.db").execute("CREATE TABLE t (x)").connection.close()


@pytest.mark.parametrize(("relative", "says"), FORBIDDEN_FILES, ids=[f[0] for f in FORBIDDEN_FILES])
@pytest.mark.parametrize(("label", "command"), FILE_COMMANDS, ids=[c[0] for c in FILE_COMMANDS])
def test_every_file_writing_command_refuses_every_forbidden_path(
    hub, cycle, label, command, relative, says
):
    _prepare(hub)
    before = _fingerprint(hub)
    result = run_cli(hub, *command(str(hub.workspace / relative)))
    assert result.exit_code in (1, 2), result.output  # 2: click refused the option's value
    assert result.exception is None, result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    assert any(word in errors[0] for word in says.split("|")), result.stderr
    assert _fingerprint(hub) == before


@pytest.mark.parametrize(
    ("relative", "says"), FORBIDDEN_FOLDERS, ids=[f[0] for f in FORBIDDEN_FOLDERS]
)
@pytest.mark.parametrize(("label", "command"), FOLDER_COMMANDS, ids=[c[0] for c in FOLDER_COMMANDS])
def test_every_folder_writing_command_refuses_every_forbidden_folder(
    hub, cycle, label, command, relative, says
):
    _prepare(hub)
    before = _fingerprint(hub)
    result = run_cli(hub, *command(str(hub.workspace / relative)))
    assert result.exit_code in (1, 2), result.output  # 2: click refused the option's value
    assert result.exception is None, result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and says in errors[0], result.stderr
    assert _fingerprint(hub) == before


def test_demo_never_replaces_a_real_workspace_even_with_force(hub, cycle):
    before = _fingerprint(hub)
    result = run_cli(hub, "demo", str(hub.workspace), "--force", "--no-render")
    assert result.exit_code == 1 and "is not a demo workspace" in result.stderr
    assert _fingerprint(hub) == before


def test_backup_onto_an_existing_file_needs_force(hub, cycle, tmp_path):
    target = tmp_path / "backups" / "desk.db"
    assert run_cli(hub, "db", "backup", str(target)).exit_code == 0
    again = run_cli(hub, "db", "backup", str(target))
    assert again.exit_code == 1 and "exists; pass --force" in again.stderr
    forced = run_cli(hub, "db", "backup", "--force", str(target))
    assert forced.exit_code == 0, forced.output
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert [p.name for p in target.parent.iterdir()] == ["desk.db"]


def test_a_plugin_protects_its_own_data_with_extra_protected_paths(hub, register_plugin):
    class Archive:
        @hookimpl
        def extra_protected_paths(self, hub):
            return ["archive", "ledger.csv"]

    register_plugin(Archive(), name="archive")
    (hub.workspace / "archive").mkdir()
    (hub.workspace / "ledger.csv").write_text("kept\n")
    for target in ("archive/x.db", "ledger.csv"):
        result = run_cli(hub, "db", "backup", str(hub.workspace / target))
        assert result.exit_code == 1 and "plugin's data" in result.stderr, result.output
    assert (hub.workspace / "ledger.csv").read_text() == "kept\n"
    assert list((hub.workspace / "archive").iterdir()) == []
    assert run_cli(hub, "db", "backup", str(hub.workspace / "backup.db")).exit_code == 0


# -- full disks, read-only places ------------------------------------------------------


def _fail_writes(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Every write of corehub's temporary output files fails with ``code`` (ENOSPC, EROFS)."""
    real_open = os.open

    def failing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".part"):
            raise OSError(code, os.strerror(code))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr("corehub.outputs.os.open", failing_open)


def _disk_full_while_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file opens, then the disk fills up half-way through writing it."""
    real_write_text = Path.write_text

    def full(self: Path, *args: Any, **kwargs: Any) -> int:
        if self.name.endswith(".part"):
            real_write_text(self, "half")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)


@pytest.mark.parametrize(
    ("code", "says"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")],
    ids=["ENOSPC", "EROFS", "EACCES"],
)
@pytest.mark.parametrize(
    "command",
    [
        ["render", "packet", "--cycle", "H1", "--person", "alpha-01", "-o", "{out}/p.pdf"],
        ["db", "backup", "{out}/b.db"],
        ["--as", "alpha-01", "review", "export", "--cycle", "H1", "-o", "{out}/f.yaml"],
    ],
    ids=["render", "backup", "export"],
)
def test_a_full_disk_or_read_only_folder_is_one_sentence_and_leaves_nothing(
    hub, cycle, tmp_path, monkeypatch, code, says, command
):
    out = tmp_path / "out"
    out.mkdir()
    _fail_writes(monkeypatch, code)
    result = run_cli(hub, *(arg.format(out=out) for arg in command))
    assert result.exit_code == 1 and result.exception is None, result.output
    assert result.stderr.startswith(f"Error: cannot write {out}/") and says in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(out.iterdir()) == []


def test_a_disk_filling_up_mid_write_keeps_the_old_file(hub, cycle, tmp_path, monkeypatch):
    target = tmp_path / "mine" / "fill.yaml"
    target.parent.mkdir()
    target.write_text("my answers so far\n")
    _disk_full_while_writing(monkeypatch)
    result = run_cli(
        hub, "--as", "alpha-01", "review", "export", "--cycle", "H1", "-o", str(target)
    )
    assert result.exit_code == 1 and result.exception is None, result.output
    assert "the disk is full" in result.stderr and str(target) in result.stderr
    assert target.read_text() == "my answers so far\n"
    assert [p.name for p in target.parent.iterdir()] == ["fill.yaml"]


def test_a_read_only_database_is_one_sentence(hub, cycle, monkeypatch):
    """Root ignores file modes, so the database is opened read-only the way SQLite does it
    for a file it may not write (``mode=ro``)."""
    import corehub.storage.db as storage

    real_connect = sqlite3.connect

    def read_only(path: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    hub.close()
    monkeypatch.setattr(storage.sqlite3, "connect", read_only)
    fresh = Hub(hub.workspace, plugin_manager=hub.pm, clock=hub.clock, actor=hub.actor)
    result = run_cli(fresh, "cycle", "create", "H2", "--start", "2026-07-01", "--end", "2026-12-31")
    fresh.close()
    assert result.exit_code == 1 and result.exception is None, result.output
    assert result.stderr.startswith(f"Error: cannot write to database {hub.db_path}")
    assert "read-only" in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_unexpected_error_is_one_line_calling_it_a_bug(hub, register_plugin, capsys):
    """main() ends every fault in a sentence, even a plugin's bug; run() lets tests see it."""
    from corehub.cli import report_fault

    code = report_fault(ZeroDivisionError("division by zero"), hub)
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        "Error: unexpected ZeroDivisionError: division by zero; this is a bug: run again with "
        "--debug and report the traceback"
    ]


# -- untrusted YAML -----------------------------------------------------------------------


def alias_bomb(levels: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for prev, name in itertools.pairwise(names[:levels]):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HUGE = "title: " + "x" * 50_000_000 + "\n"


def _form(text: str) -> None:
    from corehub_self_assessment.forms import parse_form

    parse_form(text, source="bomb.yaml")


def _fillin(text: str) -> None:
    from corehub_self_assessment.fillin import parse_fillin

    parse_fillin(text, "bomb.yaml")


def _courses(text: str, tmp: Path) -> None:
    from corehub_training_tracker.catalogue import read_files

    path = tmp / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    read_files([path])


@pytest.mark.parametrize("reader", ["form", "fill-in", "courses"])
@pytest.mark.parametrize(
    ("document", "says"),
    [
        (alias_bomb(), f"expands to more than {MAX_NODES:,} values"),
        (alias_bomb(6), f"expands to more than {MAX_NODES:,} values"),
        (HUGE, f"50.0 MB; corehub reads YAML files of at most {MAX_BYTES // 1024} KB"),
        ("a: " + "[" * 5000 + "]" * 5000, f"more than {MAX_DEPTH} levels"),
        ("a: &a [1, *a]", "refers to a value that contains it"),
        ("due: 2027-02-30", "'2027-02-30' is not a real date"),
    ],
    ids=["billion laughs", "small bomb", "50 MB", "deep", "self-alias", "impossible date"],
)
def test_every_yaml_reader_refuses_bombs_by_a_limit_naming_the_file(
    reader, document, says, tmp_path
):
    """Each bomb is refused by the limit it breaks (named in the message), before it is
    expanded. How fast is measured in benchmarks/, not here: the timeout only turns a
    reader that expands the bomb (and never ends) into a failure instead of a hang."""
    from corehub.errors import ValidationError

    read = {
        "form": _form,
        "fill-in": _fillin,
        "courses": lambda text: _courses(text, tmp_path),
    }[reader]
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            read(document)
        except BaseException as exc:  # handed to the test's thread below
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert outcome, "the reader did not finish: the bomb was expanded instead of refused"
    [refused] = outcome
    assert isinstance(refused, ValidationError), refused
    message = str(refused)
    assert "bomb.yaml" in message and says in message, message


def test_the_safe_loader_reads_ordinary_yaml_with_a_few_anchors():
    text = "scale: &s [1, 2, 3]\nq1: {scale: *s}\nq2: {scale: *s}\nwhen: 2026-03-01\n"
    assert load_yaml(text) == {
        "scale": [1, 2, 3],
        "q1": {"scale": [1, 2, 3]},
        "q2": {"scale": [1, 2, 3]},
        "when": dt.date(2026, 3, 1),
    }
    too_many = "a: &a 1\n" + "".join(f"k{i}: *a\n" for i in range(MAX_ALIASES + 1))
    with pytest.raises(UnsafeYamlError, match="aliases"):
        load_yaml(too_many, source="f.yaml")
    with pytest.raises(UnsafeYamlError, match=r"^f\.yaml, line \d+, more than"):
        load_yaml(too_many, source="f.yaml")
    many_values = "".join(f"k{i}: [a, b, {{c: d}}]\n" for i in range(15_000))
    assert len(many_values) < 512 * 1024
    with pytest.raises(UnsafeYamlError, match="more than 100,000 values"):
        load_yaml(many_values, source="f.yaml")


def test_no_module_reads_yaml_around_the_safe_loader():
    """Every YAML corehub and its plugins read goes through corehub.safe_yaml."""
    root = Path(__file__).resolve().parents[1]
    sources = [*root.glob("corehub/**/*.py"), *root.glob("plugins/*/corehub_*/**/*.py")]
    offenders = [
        str(p.relative_to(root))
        for p in sources
        if p.name != "safe_yaml.py"
        and any(
            call in p.read_text(encoding="utf-8")
            for call in ("yaml.safe_load", "yaml.load(", "yaml.full_load", "yaml.unsafe_load")
        )
    ]
    assert offenders == []


def test_plugin_new_removes_a_folder_left_by_an_interrupted_run(tmp_path):
    stale = tmp_path / ".corehub-acme-forms.999999999-0123abcd.part"
    (stale / "corehub_acme_forms").mkdir(parents=True)
    result = run_cli(Hub(None), "plugin", "new", "acme_forms", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corehub-acme-forms"]


def test_the_library_never_creates_a_database_it_was_not_asked_to(workspace, tmp_path):
    from corehub.storage.db import DatabaseUnavailableError

    (workspace / "corehub.db").unlink()
    hub = Hub(workspace)
    with pytest.raises(DatabaseUnavailableError, match="not found"):
        hub.people.list()
    assert not (workspace / "corehub.db").exists()
    hub.create_database()  # what corehub init does
    assert (workspace / "corehub.db").is_file() and hub.people.list() == []
    hub.close()


def test_a_protected_folder_that_does_not_exist_yet_is_not_created_by_an_output(hub):
    courses = hub.workspace / "courses"
    courses.rmdir()
    result = run_cli(hub, "db", "backup", str(courses / "copy.db"))
    assert result.exit_code == 1 and "courses folder" in result.stderr, result.output
    assert not courses.exists()


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        (sqlite3.OperationalError("database is locked"), "another corehub process is writing"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
        (sqlite3.OperationalError("unable to open database file"), "cannot open database"),
        (sqlite3.DatabaseError("file is not a database"), "damaged or not a corehub database"),
        (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        (OSError(errno.EACCES, "Permission denied", "/srv/desk/x.pdf"), "/srv/desk/x.pdf"),
        (OSError(errno.EROFS, "Read-only file system", "/mnt/ro/x"), "read-only"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "not UTF-8"),
        (KeyboardInterrupt(), "Interrupted: nothing was half-written."),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else None,
)
def test_each_kind_of_fault_has_its_sentence(hub, fault, says):
    from zoneinfo import ZoneInfoNotFoundError

    from corehub.cli import fault_message

    message = fault_message(fault, hub)
    assert message is not None and says in message and "\n" not in message
    if isinstance(fault, sqlite3.Error):
        assert str(hub.db_path) in message
    zone = fault_message(ZoneInfoNotFoundError("No time zone found with key Mars/Olympus"), hub)
    assert zone is not None and "Mars/Olympus" in zone
    assert fault_message(ZeroDivisionError("x"), hub) is None  # a bug: main() says so
