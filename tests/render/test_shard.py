"""Rendering past one machine: ``db snapshot``, ``render cycle --snapshot --shard I/N``
and ``--finish``, as separate processes the way a Kubernetes Indexed Job or a Slurm job
array runs them."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corehub.errors import CorehubError
from corehub.models import Person
from corehub.render.batch import parse_shard, shard_of

PEOPLE = """\
id,name,email,role,level,team,manager_id,locale
lead-a,Ana Lead,ana@example.test,Team lead,supervisory,Alpha,,en
a-1,Bo Agent,bo@example.test,Service desk agent,operational,Alpha,lead-a,da
a-2,Cy Agent,cy@example.test,Service desk agent,operational,Alpha,lead-a,en
a-3,Di Agent,di@example.test,Service desk agent,operational,Alpha,lead-a,es
lead-b,Ed Lead,ed@example.test,Team lead,supervisory,Beta,,sv
b-1,Fa Agent,fa@example.test,Service desk agent,operational,Beta,lead-b,en
b-2,Gu Agent,gu@example.test,Service desk agent,operational,Beta,lead-b,en
"""
LATE_JOINER = "b-3,Hu Agent,hu@example.test,Service desk agent,operational,Beta,lead-b,en\n"
CYCLE = "2026 H2"


def corehub(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "corehub", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
    )


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COREHUB_")}
    return env


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def org(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A workspace of seven people (every installed plugin) in an open cycle, its snapshot
    in a read-only folder, and then a person who joins the live cycle after the snapshot."""
    ok(corehub("init", "ws", "--name", "Shard Desk", cwd=tmp_path))
    workspace = tmp_path / "ws"
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    ok(corehub("people", "import", "../people.csv", cwd=workspace))
    ok(
        corehub(
            "cycle", "create", CYCLE, "--start", "2026-07-01", "--end", "2026-12-31", cwd=workspace
        )
    )
    ok(corehub("cycle", "open", CYCLE, cwd=workspace))
    ok(
        corehub(
            "--as", "a-1", "feedback", "give", "--kind", "praise", "--to", "a-2",
            "--text", "Calm & clear with an <angry> customer", cwd=workspace,
        )
    )  # fmt: skip
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    snapshot = frozen / "cycle.db"
    out = ok(corehub("db", "snapshot", str(snapshot), cwd=workspace))
    assert f"written to {snapshot}" in out
    # The organization moves on: a late joiner enters the live cycle.
    (tmp_path / "people.csv").write_text(PEOPLE + LATE_JOINER, encoding="utf-8")
    ok(corehub("people", "import", "../people.csv", cwd=workspace))
    ok(corehub("cycle", "open", CYCLE, cwd=workspace))
    snapshot.chmod(0o444)
    frozen.chmod(0o555)
    try:
        yield workspace, snapshot
    finally:
        frozen.chmod(0o755)


def test_three_shards_and_a_finish_equal_one_render(org, tmp_path):
    workspace, snapshot = org
    before = digest(snapshot)
    single, shared = tmp_path / "single", tmp_path / "shared"
    render = ["render", "cycle", CYCLE, "--snapshot", str(snapshot)]

    whole = ok(corehub(*render, "--out", str(single), "--binder", cwd=workspace))
    assert re.search(r"Rendered 7 packets and 3 summaries, 0 unchanged, binder rendered", whole)

    shards = [
        subprocess.Popen(
            [sys.executable, "-m", "corehub", *render, "--shard", f"{i}/3", "--out", str(shared)]
            + (["--jobs", "2"] if i == 1 else []),  # worker processes read the snapshot too
            cwd=workspace,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for i in (1, 2, 3)
    ]
    rendered = []
    for process in shards:
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stdout + stderr
        match = re.search(r"Rendered (\d+) packets? and 0 summaries, 0 unchanged", stdout)
        assert match, stdout
        rendered.append(int(match.group(1)))
    assert sorted(rendered) == [2, 2, 3]  # balanced; 7 in all: none twice, none missing
    packets = sorted(p.name for p in shared.glob("*.pdf"))
    assert len(packets) == 7
    assert not any(name.startswith("hu-agent") for name in packets)  # joined after the snapshot
    assert not list(shared.glob("summary*.pdf")) and not (shared / "binder.pdf").exists()

    finished = ok(corehub(*render, "--finish", "--binder", "--out", str(shared), cwd=workspace))
    assert re.search(r"Rendered 0 packets and 3 summaries, 0 unchanged, binder rendered", finished)

    names = sorted(p.name for p in single.glob("*.pdf"))
    assert names == sorted(p.name for p in shared.glob("*.pdf"))
    assert {"summary.pdf", "summary-alpha.pdf", "summary-beta.pdf", "binder.pdf"} <= set(names)
    for name in names:
        assert page_count(single / name) == page_count(shared / name), name
        assert pdftotext(single / name) == pdftotext(shared / name), name
    for name in packets:  # the same content hash beside each: the same data went in
        assert (single / f".{name}.sha256").read_text() == (shared / f".{name}.sha256").read_text()
    assert page_count(shared / "binder.pdf") == sum(page_count(shared / n) for n in packets)
    assert "Calm & clear with an <angry> customer" in pdftotext(shared / "binder.pdf")

    # Read-only, immutable: the snapshot is unchanged and nothing appeared beside it.
    assert sorted(os.listdir(snapshot.parent)) == ["cycle.db"]
    assert digest(snapshot) == before

    # Run again: every shard finds its packets up to date.
    again = ok(corehub(*render, "--shard", "2/3", "--out", str(shared), cwd=workspace))
    assert re.search(r"Rendered 0 packets and 0 summaries, \d unchanged", again)


def test_finish_names_the_packets_a_failed_shard_left_out(org, tmp_path):
    workspace, snapshot = org
    out = tmp_path / "out"
    render = ["render", "cycle", CYCLE, "--snapshot", str(snapshot), "--out", str(out)]
    ok(corehub(*render, "--shard", "1/3", cwd=workspace))
    ok(corehub(*render, "--shard", "3/3", cwd=workspace))  # 2/3 never ran
    result = corehub(*render, "--finish", "--binder", cwd=workspace)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert re.match(r"Error: 2 of 7 packets are not in .*\(.+\.pdf, .+\.pdf\)", lines[0])
    assert not (out / "binder.pdf").exists() and not (out / "summary.pdf").exists()


# -- bad input, in one process ---------------------------------------------------------


@pytest.fixture
def snapshot_of(hub, make_people, tmp_path, cli):
    make_people(team="alpha", agents=2)
    hub.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    hub.cycles.open("2026 H1")
    path = tmp_path / "snap.db"
    result = cli("db", "snapshot", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard", "3/2"], "--shard '3/2': I must be between 1 and 2, the number of shares"),
        (["--shard", "0/2"], "--shard '0/2': I must be between 1 and 2, the number of shares"),
        (["--shard", "a/b"], "--shard 'a/b': expected I/N, two whole numbers"),
        (["--shard", "2"], "--shard '2': expected I/N, two whole numbers"),
        (["--shard", "-1/2"], "--shard '-1/2': expected I/N, two whole numbers"),
        (["--shard", "1/0"], "--shard '1/0': the number of shares N must be 1 or more"),
        (["--shard", "1/2", "--finish"], "--shard and --finish go in separate runs"),
        (["--shard", "1/2", "--binder"], "--binder joins every packet: add it to the --finish"),
        (["--shard", "1/2", "--person", "alpha-01"], "No such option '--person'"),
        (["--finish", "--no-summaries"], "has nothing to do"),
    ],
)
def test_bad_shard_options_are_one_clear_error(hub, cli, snapshot_of, tmp_path, args, message):
    result = cli(
        "render", "cycle", "2026 H1", "--snapshot", str(snapshot_of), "--out", str(tmp_path / "o"), *args
    )  # fmt: skip
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_a_shard_needs_a_snapshot(hub, cli, snapshot_of, tmp_path):
    result = cli("render", "cycle", "2026 H1", "--shard", "1/2", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "--shard needs --snapshot FILE" in result.stderr


def test_snapshot_is_refused_over_an_existing_file_and_the_workspace_files(
    hub, cli, snapshot_of, workspace
):
    before = snapshot_of.read_bytes()
    exists = cli("db", "snapshot", str(snapshot_of))
    assert exists.exit_code == 1
    assert exists.stderr.strip() == (
        f"Error: {snapshot_of} exists: choose a new name, or pass --force to replace it"
    )
    assert snapshot_of.read_bytes() == before
    for own in ("corehub.db", "corehub.toml"):
        refused = cli("db", "snapshot", str(workspace / own))
        assert refused.exit_code == 1
        assert "refusing to write" in refused.stderr, refused.output
    replaced = cli("db", "snapshot", str(snapshot_of), "--force")
    assert replaced.exit_code == 0, replaced.output
    assert not [p for p in snapshot_of.parent.iterdir() if p.name.endswith(".part")]


def test_snapshot_is_one_file_with_the_data_of_the_moment(hub, cli, snapshot_of):
    assert not snapshot_of.with_name(snapshot_of.name + "-wal").exists()
    conn = sqlite3.connect(snapshot_of)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 3
    finally:
        conn.close()


def test_render_refuses_the_live_database_and_what_is_no_snapshot(
    hub, cli, snapshot_of, workspace, tmp_path
):
    live = cli("render", "cycle", "2026 H1", "--snapshot", str(workspace / "corehub.db"))
    assert live.exit_code == 1
    assert "is the workspace's own database, not a snapshot" in live.stderr
    missing = cli("render", "cycle", "2026 H1", "--snapshot", str(tmp_path / "nope.db"))
    assert missing.exit_code == 1
    assert "snapshot" in missing.stderr and "not found" in missing.stderr
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    garbage = cli("render", "cycle", "2026 H1", "--snapshot", str(text))
    assert garbage.exit_code == 1
    assert "is damaged or not a corehub database" in garbage.stderr


def test_a_snapshot_missing_migrations_is_refused(hub, cli, snapshot_of, tmp_path):
    conn = sqlite3.connect(snapshot_of)
    with conn:
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE rowid = "
            "(SELECT max(rowid) FROM _sqlite_migrations WHERE migration_set = 'corehub')"
        )
    conn.close()
    result = cli("render", "cycle", "2026 H1", "--snapshot", str(snapshot_of))
    assert result.exit_code == 1
    assert "lacks migrations" in result.stderr and "make a new snapshot" in result.stderr


def test_a_live_database_next_to_its_wal_is_no_snapshot(hub, cli, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(hub.db_path.read_bytes())
    copy.with_name("copy.db-wal").write_bytes(b"")
    result = cli("render", "cycle", "2026 H1", "--snapshot", str(copy))
    assert result.exit_code == 1
    assert "write-ahead log beside it" in result.stderr


# -- the shares ------------------------------------------------------------------------


def _people(ids: list[str]) -> list[Person]:
    return [Person(id=i, name=f"Person {i}") for i in ids]


# No clock in a test: a loaded machine can take seconds to draw one example.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    numbers=st.sets(st.integers(min_value=0, max_value=10_000), max_size=60),
    count=st.integers(min_value=1, max_value=9),
)
def test_shares_partition_the_people_evenly_and_deterministically(numbers, count):
    ids = [f"p-{n}" for n in numbers]
    members = _people(ids)
    shares = [shard_of(members, (i, count)) for i in range(1, count + 1)]
    chosen = [p.id for share in shares for p in share]
    assert sorted(chosen) == sorted(ids)  # everyone once
    sizes = [len(share) for share in shares]
    assert max(sizes) - min(sizes) <= 1
    # The order people are listed in (team, name) does not change who is in which share.
    shuffled = list(reversed(members))
    assert [{p.id for p in shard_of(shuffled, (i, count))} for i in range(1, count + 1)] == [
        {p.id for p in share} for share in shares
    ]


@pytest.mark.parametrize("text", ["", "/", "1/", "/2", "1/2/3", "one/two", "1.5/2", "½/2", "²/3"])
def test_parse_shard_refuses_what_is_not_i_of_n(text):
    with pytest.raises(CorehubError, match="expected I/N"):
        parse_shard(text)


def test_parse_shard_reads_i_of_n():
    assert parse_shard("2/3") == (2, 3)
    assert parse_shard(" 1 / 1 ") == (1, 1)


# -- a shared output folder ------------------------------------------------------------


def test_a_part_file_another_machine_is_writing_is_left_alone(monkeypatch, tmp_path):
    """Shards on several machines write into one shared folder: a process id means
    something only on the machine that has it, so another machine's ``.part`` file is
    never taken for a dead process's leftover while it may still be being written."""
    import socket

    from corehub.outputs import part_name, write_text_output

    folder = tmp_path / "shared"
    folder.mkdir()
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(socket, "gethostname", lambda: "render-node-2.cluster.local")
        elsewhere.setattr(os, "getpid", lambda: 999_999_999)  # not a process here
        theirs = part_name(folder / "a.pdf")
    theirs.write_bytes(b"being written on render-node-2")
    with monkeypatch.context() as here:
        here.setattr(os, "getpid", lambda: 999_999_998)
        ours = part_name(folder / "b.pdf")  # this machine, a process that is gone
    ours.write_bytes(b"left over")

    write_text_output(None, folder / "c.txt", "hello\n")

    assert theirs.exists(), "another machine's file in progress was removed"
    assert not ours.exists()
    assert (folder / "c.txt").read_text() == "hello\n"


def test_a_part_file_another_machine_left_a_day_ago_is_removed(monkeypatch, tmp_path):
    import socket

    from corehub.outputs import clean_stale_parts, part_name

    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(socket, "gethostname", lambda: "render-node-2")
        old = part_name(tmp_path / "a.pdf")
    old.write_bytes(b"left over")
    two_days_ago = old.stat().st_mtime - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    assert clean_stale_parts(tmp_path) == [old]


def test_only_hr_and_the_operator_take_a_snapshot(hub, cli, snapshot_of, tmp_path):
    agent = cli("--as", "alpha-01", "db", "snapshot", str(tmp_path / "mine.db"))
    assert agent.exit_code != 0
    assert "may not see every team: only HR can" in agent.stderr
    assert not (tmp_path / "mine.db").exists()
    lead = cli("--as", "alpha-lead", "db", "snapshot", str(tmp_path / "mine.db"))
    assert lead.exit_code != 0 and not (tmp_path / "mine.db").exists()
