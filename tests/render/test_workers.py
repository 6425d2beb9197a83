"""``render cycle`` worker processes: recycled after N documents, named when one dies.

Run through the real command in a subprocess (worker processes, signals and exit codes
are what is tested), on a small workspace: two people, so four documents (two packets,
the team's summary and the summary of all teams).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "corehub"]

PEOPLE_CSV = """id,name,email,role,level,team,manager_id,hire_date,locale
lead,Mona Lead,mona@example.org,Team lead,supervisory,alpha,,2020-01-01,en
a1,Ann Agent,ann@example.org,Service desk agent,operational,alpha,lead,2021-02-03,da
"""

# Loaded by the command and by every worker process: each process that imports it adds
# its pid to the file named by TEST_PIDS; with TEST_KILL set, the process rendering the
# PDF whose name contains it is killed; with TEST_FAIL, it raises.
PROBE_PLUGIN = """
import os, signal
from corehub import hookimpl

if os.environ.get("TEST_PIDS"):
    with open(os.environ["TEST_PIDS"], "a") as handle:
        handle.write(f"{os.getpid()}\\n")


@hookimpl(tryfirst=True)
def render_pdf(hub, html, target, document):
    if os.environ.get("TEST_KILL") and os.environ["TEST_KILL"] in target.name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("TEST_FAIL") and os.environ["TEST_FAIL"] in target.name:
        raise ValueError("the probe cannot draw this packet")
    return None
"""

SLOW_PLUGIN = """
import os, time
from pathlib import Path
from corehub import hookimpl
from corehub.outputs import write_output


@hookimpl(tryfirst=True)
def render_pdf(hub, html, target, document):
    with write_output(hub, target) as tmp:
        tmp.write_bytes(b"%PDF-1.7 half a document")
        marker = Path(os.environ["MARKER"]) / f"{os.getpid()}"
        marker.with_name(marker.name + ".tmp").write_text(str(tmp))
        os.replace(marker.with_name(marker.name + ".tmp"), marker)
        time.sleep(60)
    return target
"""


def corehub(
    ws: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COREHUB_", "TEST_"))}
    return subprocess.run(
        [*CLI, "-w", str(ws), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**clean, **(env or {})},
        cwd=ws.parent,
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workers")
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
    copy = tmp_path / "ws"
    shutil.copytree(template, copy)
    return copy


@pytest.fixture
def probe(tmp_path: Path) -> Path:
    folder = tmp_path / "probe-plugins"
    folder.mkdir()
    (folder / "probe.py").write_text(PROBE_PLUGIN, encoding="utf-8")
    return folder


def render(
    ws: Path, plugins: Path, out: Path, *options: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return corehub(
        ws,
        "--plugins-dir",
        str(plugins),
        "render",
        "cycle",
        "H1",
        "--out",
        str(out),
        *options,
        env=env,
    )


def pids(path: Path) -> list[int]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [int(line) for line in text.split()]


def documents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.glob(".*.sha256"))}


@pytest.mark.parametrize(
    ("options", "workers_at_least"),
    [
        pytest.param(("--jobs", "2", "--recycle-after", "1"), 4, id="two-workers-one-each"),
        pytest.param(("--jobs", "2", "--recycle-after", "3"), 2, id="two-workers-three-each"),
        # one job renders its first document itself, then one worker per document
        pytest.param(("--jobs", "1", "--recycle-after", "1"), 3, id="one-job-above-the-limit"),
    ],
)
def test_recycled_workers_render_the_same_documents_as_one_process(
    ws, probe, tmp_path, pdf, options, workers_at_least
):
    alone = render(ws, probe, tmp_path / "alone", env={"TEST_PIDS": str(tmp_path / "alone.pids")})
    assert alone.returncode == 0, alone.stderr
    assert "Rendered 2 packets and 2 summaries, 0 unchanged" in alone.stdout
    assert len(pids(tmp_path / "alone.pids")) == 1  # four documents: rendered in the command

    log = tmp_path / "recycled.pids"
    recycled = render(ws, probe, tmp_path / "recycled", *options, env={"TEST_PIDS": str(log)})
    assert recycled.returncode == 0, recycled.stderr
    assert "Rendered 2 packets and 2 summaries, 0 unchanged" in recycled.stdout
    command, *workers = pids(log)
    # no process rendered more than N documents
    assert command not in workers
    assert len(set(workers)) >= workers_at_least

    one, many = documents(tmp_path / "alone"), documents(tmp_path / "recycled")
    assert sorted(many) == sorted(one) and len(one) == 4
    for name, data in one.items():
        assert many[name] == data, name
        assert len(pdf.reader(tmp_path / "recycled" / name).pages) >= 1
    assert hashes(tmp_path / "recycled") == hashes(tmp_path / "alone")


def test_with_recycling_off_one_job_renders_in_the_command(ws, probe, tmp_path):
    log = tmp_path / "pids"
    done = render(ws, probe, tmp_path / "out", "--recycle-after", "0", env={"TEST_PIDS": str(log)})
    assert done.returncode == 0, done.stderr
    assert len(pids(log)) == 1


def test_recycle_after_refuses_a_negative_number(ws, probe, tmp_path):
    done = render(ws, probe, tmp_path / "out", "--recycle-after", "-1")
    assert done.returncode == 2
    assert "--recycle-after" in done.stderr and "Traceback" not in done.stderr


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.mark.parametrize(
    ("options", "document", "label"),
    [
        pytest.param(("--jobs", "2"), "ann-agent_a1.pdf", "Ann Agent (a1)", id="jobs-2"),
        pytest.param(
            ("--jobs", "2", "--recycle-after", "1"),
            "summary-alpha.pdf",
            "summary of alpha",
            id="jobs-2-recycled",
        ),
        # the command renders Ann's packet itself, then hands the rest to a worker
        pytest.param(
            ("--jobs", "1", "--recycle-after", "1"),
            "mona-lead_lead.pdf",
            "Mona Lead (lead)",
            id="one-job-then-a-worker",
        ),
    ],
)
def test_a_worker_that_dies_is_named_with_its_document(
    ws, probe, tmp_path, options, document, label
):
    out = tmp_path / "out"
    killed = render(ws, probe, out, *options, env={"TEST_KILL": document})
    error = one_error(killed)
    assert label in error and document in error
    assert "SIGKILL" in error
    assert "run the command again" in error
    assert not (out / document).exists()

    # the next run renders what is missing and leaves no temporary file behind
    again = render(ws, probe, out, *options)
    assert again.returncode == 0, again.stderr
    assert (out / document).read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []


def test_a_plugin_failing_in_a_recycled_worker_is_named(ws, probe, tmp_path):
    failed = render(
        ws, probe, tmp_path / "out", "--jobs", "2", "--recycle-after", "1", env={"TEST_FAIL": "a1"}
    )
    error = one_error(failed)
    assert "probe" in error and "the probe cannot draw this packet" in error


def test_ctrl_c_with_workers_exits_130_and_leaves_nothing_half_written(ws, tmp_path):
    plugins = tmp_path / "slow-plugins"
    plugins.mkdir()
    (plugins / "slow.py").write_text(SLOW_PLUGIN, encoding="utf-8")
    markers = tmp_path / "writing"
    markers.mkdir()
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COREHUB_")}
    proc = subprocess.Popen(
        [
            *CLI,
            "-w",
            str(ws),
            "--plugins-dir",
            str(plugins),
            "render",
            "cycle",
            "H1",
            "--out",
            str(out),
            "--jobs",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "MARKER": str(markers)},
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
    )
    try:
        deadline = time.monotonic() + 120
        while len([p for p in markers.iterdir() if not p.name.endswith(".tmp")]) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the workers never started writing"
            time.sleep(0.05)
        parts = [Path(p.read_text()) for p in markers.iterdir() if not p.name.endswith(".tmp")]
        assert all(part.exists() for part in parts)
        os.killpg(proc.pid, signal.SIGINT)
        _out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "Interrupted: nothing was half-written."
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == [], err
    assert list(out.glob("*.pdf")) == []


def test_one_job_with_a_plugin_workers_cannot_load_renders_in_the_command(
    hub, cycle, cli, tmp_path
):
    # the fixture's task plugin is registered in this process only: no worker can load it,
    # so one job renders here even above the recycling limit (with --jobs 2 it is an error)
    assert "render_test_tasks" in hub.pm.infos
    result = cli("render", "cycle", "2026 H1", "--out", str(tmp_path / "x"), "--recycle-after", "1")
    assert result.exit_code == 0, result.output
    assert "Rendered 4 packets and 2 summaries, 0 unchanged" in result.stdout
