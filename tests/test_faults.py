"""Every fault is one sentence, not a traceback: the real console script over a table of faults.

Each case breaks a copy of a small workspace (three installed plugins loaded, as an
operator has them) the way a disk, an editor or a slip of the keyboard would, runs
``corehub`` in a subprocess and checks the error: no traceback, one ``Error:`` line
naming the file or value; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "corehub"]

PEOPLE_CSV = """id,name,email,role,level,team,manager_id,hire_date,locale
lead,Mona Lead,mona@example.org,Team lead,supervisory,alpha,,2020-01-01,en
a1,Ann Agent,ann@example.org,Service desk agent,operational,alpha,lead,2021-02-03,en
"""


def corehub(ws: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COREHUB_")}
    return subprocess.run(
        [*CLI, "-w", str(ws), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ws.parent,
    )


def assert_one_sentence(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The command failed with one ``Error:`` line naming ``needles``, and no traceback.

    Besides that line, only click's usage hint (for a bad option value) and the
    ``  - problem`` lines of a file with several problems may appear.
    """
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    others = [
        line
        for line in lines
        if line not in errors and not line.startswith(("Usage: ", "Try '", "  - "))
    ]
    assert not others, result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)
    return errors[0]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with two people and an open cycle 'H1', made by the real CLI once."""
    root = tmp_path_factory.mktemp("faults")
    ws = root / "ws"
    assert corehub(ws, "init", str(ws)).returncode == 0
    (root / "people.csv").write_text(PEOPLE_CSV, encoding="utf-8")
    for args in (
        ("people", "import", str(root / "people.csv")),
        ("cycle", "create", "H1", "--start", "2026-01-01", "--end", "2026-06-30"),
        ("cycle", "open", "H1"),
    ):
        done = corehub(ws, *args)
        assert done.returncode == 0, done.stderr
    return ws


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template workspace for one test."""
    copy = tmp_path / "ws"
    shutil.copytree(template, copy)
    return copy


def _config(ws: Path, old: str, new: str) -> None:
    path = ws / "corehub.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each case: (id, setup(ws) -> command arguments, words the error must contain,
#             check(ws) run afterwards or None).
Setup = Callable[[Path], list[str]]


def config_not_utf8(ws: Path) -> list[str]:
    with open(ws / "corehub.toml", "ab") as handle:
        handle.write(b"\n# caf\xe9 in Latin-1\n")
    return ["people", "list"]


def unknown_time_zone(ws: Path) -> list[str]:
    _config(ws, 'timezone = "UTC"', 'timezone = "Mars/Olympus"')
    return ["cycle", "list"]


def mistyped_database_path(ws: Path) -> list[str]:
    _config(ws, 'path = "corehub.db"', 'path = "corehbu.db"')
    return ["people", "list"]


def database_path_in_a_missing_folder(ws: Path) -> list[str]:
    _config(ws, 'path = "corehub.db"', 'path = "data/corehub.db"')
    return ["cycle", "list"]


def database_vanished(ws: Path) -> list[str]:
    for name in ("corehub.db", "corehub.db-wal", "corehub.db-shm"):
        (ws / name).unlink(missing_ok=True)
    return ["people", "list"]


def database_garbage(ws: Path) -> list[str]:
    (ws / "corehub.db").write_bytes(b"this is not a database\n" * 300)
    return ["people", "list"]


def database_truncated(ws: Path) -> list[str]:
    db = ws / "corehub.db"
    db.write_bytes(db.read_bytes()[:5000])
    return ["cycle", "list"]


def database_emptied(ws: Path) -> list[str]:
    (ws / "corehub.db").write_bytes(b"")
    return ["people", "list"]


def impossible_date_in_people_csv(ws: Path) -> list[str]:
    csv = ws.parent / "people.csv"
    csv.write_text(PEOPLE_CSV.replace("2021-02-03", "2027-02-30"), encoding="utf-8")
    return ["people", "import", str(csv)]


def impossible_due_date(ws: Path) -> list[str]:
    return [
        "cycle",
        "create",
        "H2",
        "--start",
        "2026-07-01",
        "--end",
        "2026-12-31",
        "--due",
        "self=2027-02-30",
    ]


def impossible_end_date(ws: Path) -> list[str]:
    return ["cycle", "create", "H2", "--start", "2026-07-01", "--end", "2026-02-30"]


def impossible_date_in_fill_in_file(ws: Path) -> list[str]:
    fill = ws.parent / "fill.yaml"
    fill.write_text(
        textwrap.dedent(
            """\
            cycle: H1
            person: a1
            kind: self
            answers:
              goals_next:
              - objective: Faster first answers
                result: Median first reply under 2 hours
                due: 2027-02-30
            """
        ),
        encoding="utf-8",
    )
    return ["--as", "a1", "review", "import", str(fill)]


def alias_bomb_in_a_form(ws: Path) -> list[str]:
    (ws / "forms" / "bomb.yaml").write_text(alias_bomb(), encoding="utf-8")
    return ["forms", "check", str(ws / "forms" / "bomb.yaml")]


def text_where_a_list_belongs(ws: Path) -> list[str]:
    _config(ws, "hr = []", 'hr = "hr-01"')
    return ["people", "list"]


def text_where_the_disabled_list_belongs(ws: Path) -> list[str]:
    _config(ws, "disabled = []", 'disabled = "quality"')
    return ["cycle", "list"]


def alias_bomb_in_courses(ws: Path) -> list[str]:
    (ws / "courses" / "bomb.yaml").write_text(alias_bomb(), encoding="utf-8")
    return ["training", "courses"]


def huge_fill_in_file(ws: Path) -> list[str]:
    fill = ws.parent / "huge.yaml"
    fill.write_text("cycle: H1\nnote: " + "x" * 50_000_000 + "\n", encoding="utf-8")
    return ["--as", "a1", "review", "import", str(fill)]


def output_folder_is_a_file(ws: Path) -> list[str]:
    (ws.parent / "blocker").write_text("a file, not a folder")
    return ["render", "cycle", "H1", "--out", str(ws.parent / "blocker" / "pdfs")]


FAULTS: list[tuple[str, Setup, tuple[str, ...]]] = [
    ("config not UTF-8", config_not_utf8, ("corehub.toml", "UTF-8")),
    ("unknown time zone", unknown_time_zone, ("corehub.toml", "Mars/Olympus")),
    ("text for a list", text_where_a_list_belongs, ("organization.hr", "expected a list")),
    ("text for [plugins] disabled", text_where_the_disabled_list_belongs, ("disabled", "list")),
    ("mistyped database.path", mistyped_database_path, ("corehbu.db", "not found")),
    ("database in a missing folder", database_path_in_a_missing_folder, ("data", "not found")),
    ("database vanished", database_vanished, ("corehub.db", "not found", "backup")),
    ("database is garbage", database_garbage, ("corehub.db", "not a corehub database")),
    ("database truncated", database_truncated, ("corehub.db", "damaged")),
    ("database emptied", database_emptied, ("corehub.db", "empty")),
    ("impossible date in people CSV", impossible_date_in_people_csv, ("people.csv", "2027-02-30")),
    ("impossible --due", impossible_due_date, ("--due", "2027-02-30")),
    ("impossible --end", impossible_end_date, ("--end", "2026-02-30")),
    ("impossible date in fill-in", impossible_date_in_fill_in_file, ("fill.yaml", "2027-02-30")),
    ("alias bomb in a form", alias_bomb_in_a_form, ("bomb.yaml", "aliases")),
    ("alias bomb in courses", alias_bomb_in_courses, ("bomb.yaml", "aliases")),
    ("50 MB fill-in file", huge_fill_in_file, ("huge.yaml", "MB")),
    ("output folder is a file", output_folder_is_a_file, ("blocker",)),
]


def alias_bomb() -> str:
    """A 'billion laughs': nine lines that expand to 9**9 strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in itertools.pairwise("abcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("setup", "needles"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
def test_each_fault_is_one_sentence_naming_the_file_or_value(ws, setup, needles):
    args = setup(ws)
    assert_one_sentence(corehub(ws, *args), *needles)


@pytest.mark.parametrize(
    "setup", [config_not_utf8, database_garbage], ids=["config not UTF-8", "database garbage"]
)
def test_debug_shows_the_traceback(ws, setup):
    result = corehub(ws, "--debug", *setup(ws))
    assert result.returncode != 0
    assert "Traceback" in result.stderr


@pytest.mark.parametrize(
    "setup",
    [mistyped_database_path, database_path_in_a_missing_folder, database_vanished],
    ids=["mistyped", "missing folder", "vanished"],
)
def test_a_missing_database_is_never_replaced_by_a_new_empty_one(ws, setup):
    before = sorted(p.name for p in ws.iterdir())
    setup(ws)
    for args in (
        ["people", "list"],
        ["cycle", "create", "X", "--start", "2026-01-01", "--end", "2026-02-01"],
        ["db", "migrate"],
    ):
        assert_one_sentence(corehub(ws, *args), "not found")
    after = sorted(p.name for p in ws.iterdir())
    assert set(after) <= set(before)  # no new database, no new folder
    assert not (ws / "data").exists() and not (ws / "corehbu.db").exists()


@pytest.mark.parametrize(
    "setup",
    [database_garbage, database_truncated, database_emptied, database_vanished],
    ids=["garbage", "truncated", "emptied", "vanished"],
)
def test_db_check_reports_a_broken_database_instead_of_crashing(ws, setup):
    setup(ws)
    result = corehub(ws, "db", "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "problem: database" in result.stdout and "corehub.db" in result.stdout


def test_a_database_locked_by_another_writer_is_retried_then_named(ws):
    _config(ws, "auto_migrate = true", "auto_migrate = true\nbusy_timeout_ms = 100")
    holder = sqlite3.connect(ws / "corehub.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = corehub(
            ws, "cycle", "create", "H2", "--start", "2026-07-01", "--end", "2026-12-31"
        )
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_one_sentence(result, "corehub.db", "locked", "another corehub process is writing")
    assert waited >= 0.3 + 0.6  # three waits of the busy timeout, with pauses between
    assert (
        corehub(
            ws, "cycle", "create", "H2", "--start", "2026-07-01", "--end", "2026-12-31"
        ).returncode
        == 0
    )


SIGNAL_RETRYING = """
import sys, time
from corehub.cli import main

pause = time.sleep


def retrying(seconds):
    # corehub's pause between two attempts to write: say so once, and go on only when
    # the test has released its lock
    if sys._getframe(1).f_code.co_name == "retry_when_locked" and not retrying.said:
        retrying.said = True
        print("corehub test: retrying", file=sys.stderr, flush=True)
        sys.stdin.readline()
    pause(seconds)


retrying.said = False
time.sleep = retrying
main(sys.argv[1:])
"""


def test_a_lock_released_while_retrying_lets_the_write_through(ws):
    _config(ws, "auto_migrate = true", "auto_migrate = true\nbusy_timeout_ms = 100")
    holder = sqlite3.connect(ws / "corehub.db", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COREHUB_")}
    command = ["cycle", "create", "H2", "--start", "2026-07-01", "--end", "2026-12-31"]
    proc = subprocess.Popen(
        [sys.executable, "-c", SIGNAL_RETRYING, "-w", str(ws), *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None and proc.stdin is not None
        # the writer found the database locked past its busy timeout and is retrying
        said = proc.stderr.readline()
        assert said == "corehub test: retrying\n", said + proc.stderr.read()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    proc.stdin.write("go\n")
    proc.stdin.flush()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Created cycle 'H2'" in out


# -- Ctrl-C and killed runs -----------------------------------------------------------

SLOW_RENDERER = """
import os, time
from pathlib import Path
from corehub import hookimpl
from corehub.outputs import write_output


@hookimpl(tryfirst=True)
def render_pdf(hub, html, target, document):
    with write_output(hub, target) as tmp:
        tmp.write_bytes(b"%PDF-1.7 half a document")
        # Named in one step: the test waits for the marker to exist, then reads it, and
        # must never read it half-written.
        marker = Path(os.environ["MARKER"])
        marker.with_name(marker.name + ".tmp").write_text(str(tmp))
        os.replace(marker.with_name(marker.name + ".tmp"), marker)
        time.sleep(60)
    return target
"""


def _start_slow_render(ws: Path, target: Path) -> tuple[subprocess.Popen[str], Path]:
    plugins = ws.parent / "slow-plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "slow_renderer.py").write_text(SLOW_RENDERER, encoding="utf-8")
    marker = ws.parent / "writing"
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            *CLI,
            "-w",
            str(ws),
            "--plugins-dir",
            str(plugins),
            "render",
            "packet",
            "--cycle",
            "H1",
            "--person",
            "a1",
            "-o",
            str(target),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MARKER": str(marker)},
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the render never started writing"
        time.sleep(0.05)
    return proc, Path(marker.read_text())


def test_ctrl_c_during_a_render_exits_130_and_leaves_nothing_half_written(ws):
    target = ws.parent / "out" / "packet.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF the previous packet")
    proc, part = _start_slow_render(ws, target)
    assert part.exists() and part.parent == target.parent
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in out + err
    assert err.strip().splitlines() == ["Interrupted: nothing was half-written."]
    assert target.read_bytes() == b"%PDF the previous packet"
    assert sorted(p.name for p in target.parent.iterdir()) == ["packet.pdf"]


def test_a_part_file_left_by_a_killed_render_is_removed_by_the_next_run(ws):
    target = ws.parent / "out" / "packet.pdf"
    proc, part = _start_slow_render(ws, target)
    proc.kill()  # as `kill -9` or a power cut would: no clean-up runs
    proc.communicate(timeout=60)
    assert part.exists()
    result = corehub(ws, "render", "packet", "--cycle", "H1", "--person", "a1", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert not part.exists()
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".part")] == []


def test_a_part_file_of_a_running_process_is_left_alone(ws, tmp_path):
    from corehub.outputs import clean_stale_parts

    folder = tmp_path / "shared"
    folder.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = folder / f".a.pdf.{sleeper.pid}-0123abcd.part"
        live.write_bytes(b"being written")
        dead = folder / ".b.pdf.999999999-0123abcd.part"
        dead.write_bytes(b"left over")
        mine = folder / "notes.part"  # not corehub's naming: never touched
        mine.write_bytes(b"someone's file")
        assert clean_stale_parts(folder) == [dead]
        assert live.exists() and mine.exists() and not dead.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


BUGGY_PLUGIN = '''
import click
from corehub import hookimpl


@hookimpl
def register_commands(cli):
    @cli.command()
    def crash():
        """A command with a bug."""
        1 / 0
'''


def test_a_bug_in_a_plugin_command_is_one_line_too(ws):
    plugins = ws.parent / "buggy"
    plugins.mkdir()
    (plugins / "buggy.py").write_text(BUGGY_PLUGIN, encoding="utf-8")
    result = corehub(ws, "--plugins-dir", str(plugins), "crash")
    line = assert_one_sentence(result, "ZeroDivisionError", "--debug")
    assert "this is a bug" in line
    debug = corehub(ws, "--plugins-dir", str(plugins), "--debug", "crash")
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_help_lists_the_commands_when_corehub_toml_has_a_refused_value(ws):
    """``corehub --help`` needs only which plugins load; every command (a command's own
    --help too) still reports the refused value before it runs."""
    unknown_time_zone(ws)
    _config(ws, "disabled = []", 'disabled = ["quality"]')
    listed = corehub(ws, "--help")
    assert listed.returncode == 0, listed.stderr
    assert "\n  review " in listed.stdout and "\n  cycle " in listed.stdout
    assert "\n  quality " not in listed.stdout  # [plugins] disabled is honoured
    for args in (["cycle", "list"], ["plugins"], ["cycle", "--help"], ["people", "list"]):
        assert_one_sentence(corehub(ws, *args), "corehub.toml", "Mars/Olympus")


@pytest.mark.parametrize(
    ("broken", "needles"),
    [
        (b"\n# caf\xe9 in Latin-1\n", ("corehub.toml", "UTF-8")),
        (b"\n[plugins\n", ("corehub.toml", "not valid TOML")),
    ],
    ids=["not UTF-8", "not TOML"],
)
def test_help_names_the_file_when_it_cannot_tell_which_plugins_load(ws, broken, needles):
    with open(ws / "corehub.toml", "ab") as handle:
        handle.write(broken)
    assert_one_sentence(corehub(ws, "--help"), *needles)
