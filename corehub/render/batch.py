"""Rendering a whole cycle: every packet, the team summaries and an optional binder.

Incremental: beside each PDF, a hidden ``.<name>.pdf.sha256`` holds the content hash of
what it was made from (section data, templates, CSS, fonts, plugin versions, variant)
and the state of the workspace it was last checked in (:mod:`corehub.render.freshness`).
When nothing changed since, a document is recognised as unchanged without gathering its
data; otherwise its data is gathered and only a document whose hash changed is rendered
again, so re-rendering a 1,000-person cycle after one late review renders one packet.
``force`` renders all.

With ``jobs > 1`` documents are rendered by worker processes, each opening its own Hub
on the same workspace, with the same plugins and the same clock as the caller. A worker
renders at most ``recycle_after`` documents (:data:`RECYCLE_AFTER`), then a fresh one,
started and warmed up while the old one finishes its last document, takes its place:
WeasyPrint and the C libraries under it (Pango, fontconfig, HarfBuzz) keep a little
memory for every document they lay out, which only the end of the process gives back.
A run of one job renders its first ``recycle_after`` documents itself, then hands the
rest to one such worker.

Past one machine: ``shard=(i, n)`` renders only the i-th of n disjoint shares of the
packets (round-robin over the sorted person ids, so shares differ by at most one
packet), read from a snapshot that fixes who is in the cycle; ``finish=True`` then
renders the summaries and joins the binder from the packets the shares wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib
import importlib.util
import multiprocessing
import re
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import CorehubError
from corehub.models import Cycle, Person
from corehub.render.documents import HASH_SUFFIX, Renderer, renderer_for, slug
from corehub.render.freshness import document_state, run_state
from corehub.render.pdf import atomic_write, write_text_atomic

if TYPE_CHECKING:
    from corehub.hub import Hub


RECYCLE_AFTER = 100
"""Documents a worker process renders before a fresh one takes its place (0: never).

Measured on a 1,000-person organization: WeasyPrint (through Pango) keeps 20 to 50 KiB
of C memory for every packet whose tables use tabular figures, as corehub's do, and
gives it back only when the process ends; a worker's peak stayed within 5% of its peak
after 100 packets, while starting and warming up a new worker costs about what one
packet does."""


@attrs.frozen
class Job:
    """One document of a cycle run."""

    kind: str
    """``packet`` or ``summary``."""
    key: str | None
    """The person's id (packet), or the team (summary; None for all teams)."""
    target: Path
    label: str


@attrs.frozen
class Outcome:
    job: Job
    status: str
    """``rendered`` or ``unchanged``."""
    content_hash: str
    seconds: float


@attrs.define
class CycleRun:
    """What ``render_cycle`` did."""

    cycle: Cycle
    folder: Path
    outcomes: list[Outcome] = attrs.field(factory=list)
    binder: Path | None = None
    binder_status: str | None = None
    seconds: float = 0.0

    def count(self, kind: str, status: str) -> int:
        return sum(1 for o in self.outcomes if o.job.kind == kind and o.status == status)

    def summary_line(self) -> str:
        """``Rendered 38 packets (2 unchanged) and 4 summaries in 12.3 s into out/``."""
        packets = self.count("packet", "rendered")
        summaries = self.count("summary", "rendered")
        unchanged = self.count("packet", "unchanged") + self.count("summary", "unchanged")
        parts = [f"{packets} packet{'s' if packets != 1 else ''}"]
        parts.append(f"{summaries} summar{'ies' if summaries != 1 else 'y'}")
        line = f"Rendered {' and '.join(parts)}, {unchanged} unchanged"
        if self.binder is not None:
            line += f", binder {self.binder_status}"
        return f"{line} in {self.seconds:.1f} s into {self.folder}"


def hash_file(target: Path) -> Path:
    """Where the content hash of ``target`` is kept."""
    return target.parent / f".{target.name}{HASH_SUFFIX}"


def packet_label(person: Person) -> str:
    """How a packet is named in progress and in the binder's bookmarks."""
    return f"{person.name} ({person.id})"


def packet_filename(person: Person) -> str:
    return f"{slug(person.name)}_{slug(person.id)}.pdf"


def summary_filename(team: str | None) -> str:
    return f"summary-{slug(team)}.pdf" if team else "summary.pdf"


def ensure_writable_folder(folder: Path, hub: Hub | None = None) -> Path:
    """``folder``, created if needed; a clear error when it cannot or may not be written to."""
    from corehub.outputs import check_output_folder

    return check_output_folder(hub, folder)


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/3"`` as ``(2, 3)``: the second of three shares; an error for anything else."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text, re.ASCII)
    if match is None:
        raise CorehubError(
            f"--shard {text!r}: expected I/N, two whole numbers, e.g. --shard 2/3 "
            "(the second of three shares)"
        )
    i, n = int(match.group(1)), int(match.group(2))
    if n < 1:
        raise CorehubError(f"--shard {text!r}: the number of shares N must be 1 or more")
    if not 1 <= i <= n:
        raise CorehubError(f"--shard {text!r}: I must be between 1 and {n}, the number of shares")
    return i, n


def shard_of(members: Sequence[Person], shard: tuple[int, int]) -> list[Person]:
    """The members whose packets share ``shard = (i, n)`` renders, in ``members``' order.

    Round-robin over the sorted person ids: every person is in exactly one share, the
    shares differ by at most one person, and each share is spread over every team (ids
    of a team tend to sort together). The same set of people always gives the same
    shares, which is why shards read one snapshot.
    """
    index, count = shard
    ids = sorted(p.id for p in members)
    mine = {pid for position, pid in enumerate(ids) if position % count == index - 1}
    return [p for p in members if p.id in mine]


def plan(
    hub: Hub,
    cycle: Cycle,
    folder: Path,
    *,
    team: str | None = None,
    summaries: bool = True,
    shard: tuple[int, int] | None = None,
    packets: bool = True,
) -> tuple[list[Job], list[Person]]:
    """The documents of a cycle run, and the people whose packets they are (binder order).

    ``shard`` keeps only that share of the packets; ``packets=False`` plans none (the
    finishing step of a sharded run); the people returned are always all of them.
    """
    members = hub.cycles.members(cycle, team=team)
    rendered = shard_of(members, shard) if shard is not None else members
    jobs = (
        [Job("packet", p.id, folder / packet_filename(p), packet_label(p)) for p in rendered]
        if packets
        else []
    )
    if summaries:
        teams_here = sorted({p.team for p in members if p.team})
        for name in teams_here:
            jobs.append(Job("summary", name, folder / summary_filename(name), f"summary of {name}"))
        if team is None:
            jobs.append(
                Job("summary", None, folder / summary_filename(None), "summary of all teams")
            )
    return jobs, members


def render_job(
    renderer: Renderer,
    cycle: Cycle,
    job: Job,
    *,
    force: bool,
    variant: str | None,
    state: str | None = None,
) -> Outcome:
    """Render one document unless its PDF is up to date.

    ``state`` is the run's :func:`corehub.render.freshness.run_state`: when the PDF was
    rendered or checked in that same state, it is unchanged without gathering its data.
    """
    started = time.perf_counter()
    stored = hash_file(job.target)
    recorded = _read_lines(stored) if not force and job.target.is_file() else []
    line = document_state(state, job.kind, job.key, job.target) if state else None
    if line is not None and len(recorded) >= 2 and recorded[0] and recorded[1] == line:
        return Outcome(job, "unchanged", recorded[0], time.perf_counter() - started)
    if job.kind == "packet":
        assert job.key is not None
        report = renderer.packet_report(cycle, job.key)
    else:
        report = renderer.summary_report(cycle, job.key)
    gathered = renderer.gather(report)
    content_hash = renderer.content_hash(gathered, variant)
    record = content_hash + "\n" + (f"{line}\n" if line else "")
    if recorded and recorded[0] == content_hash:
        if recorded[1:2] != ([line] if line else []):
            write_text_atomic(stored, record)  # checked in this state: cheap next time
        return Outcome(job, "unchanged", content_hash, time.perf_counter() - started)
    document = renderer.render_html(gathered, variant=variant, content_hash=content_hash)
    renderer.write(document, job.target)
    write_text_atomic(stored, record)
    return Outcome(job, "rendered", content_hash, time.perf_counter() - started)


def _read(path: Path) -> str | None:
    lines = _read_lines(path)
    return lines[0] if lines else None


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def render_cycle(
    hub: Hub,
    cycle: Cycle | str | int,
    folder: Path | str,
    *,
    team: str | None = None,
    jobs: int = 1,
    force: bool = False,
    binder: bool = False,
    summaries: bool = True,
    variant: str | None = None,
    progress: Callable[[Outcome], Any] | None = None,
    on_plan: Callable[[int], Any] | None = None,
    shard: tuple[int, int] | None = None,
    finish: bool = False,
    recycle_after: int | None = None,
) -> CycleRun:
    """Render the packets of ``cycle`` (of one ``team``, if given), its summaries, a binder.

    ``shard=(i, n)`` renders only the i-th share of the packets, nothing else;
    ``finish=True`` renders no packet: the summaries, and the binder joined from the
    packets already in ``folder`` (an error naming those missing). ``recycle_after``
    (default :data:`RECYCLE_AFTER`; 0: never) is how many documents a worker process
    renders before a fresh one replaces it.
    """
    started = time.perf_counter()
    cycle = cycle if isinstance(cycle, Cycle) else hub.cycles.get(cycle)
    if jobs < 1:
        raise CorehubError("--jobs must be 1 or more")
    if recycle_after is None:
        recycle_after = RECYCLE_AFTER
    if recycle_after < 0:
        raise CorehubError("--recycle-after must be 0 (never) or more")
    if shard is not None:
        if finish or binder:
            raise CorehubError(
                "a shard renders packets only: join the binder once every shard is done, "
                "with --finish --binder"
            )
        summaries = False  # the finishing step renders them, once
    folder = ensure_writable_folder(Path(folder), hub)
    if binder:
        _require_pypdf()
    work, members = plan(
        hub, cycle, folder, team=team, summaries=summaries, shard=shard, packets=not finish
    )
    present: list[tuple[str, Path, str]] = []
    if finish and binder:
        present = packets_present(members, folder)
    if on_plan is not None:
        on_plan(len(work))
    run = CycleRun(cycle=cycle, folder=folder)

    def state() -> str:
        return run_state(renderer_for(hub), variant=variant, skip=[folder])

    outcomes = _run_jobs(
        hub,
        cycle,
        work,
        jobs=jobs,
        force=force,
        variant=variant,
        state=state,
        recycle_after=recycle_after,
    )
    for outcome in outcomes:
        run.outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    if binder:
        if not finish:
            order = {p.id: i for i, p in enumerate(members)}
            packets = sorted(
                (o for o in run.outcomes if o.job.kind == "packet"),
                key=lambda o: order[o.job.key or ""],
            )
            present = [(p.job.label, p.job.target, p.content_hash) for p in packets]
        target = folder / (f"binder-{slug(team)}.pdf" if team else "binder.pdf")
        run.binder, run.binder_status = join_binder(present, target, force=force, hub=hub)
    run.seconds = time.perf_counter() - started
    return run


def packets_present(members: Sequence[Person], folder: Path) -> list[tuple[str, Path, str]]:
    """(label, PDF, content hash) of every member's packet in ``folder``, in binder order.

    A packet counts once its content hash is beside it (written after the PDF). Missing
    packets (a shard that failed or has not run) are one error naming them, so a binder
    never silently lacks a person.
    """
    found: list[tuple[str, Path, str]] = []
    missing: list[str] = []
    for person in members:
        target = folder / packet_filename(person)
        content_hash = _read(hash_file(target)) if target.is_file() else None
        if content_hash:
            found.append((packet_label(person), target, content_hash))
        else:
            missing.append(target.name)
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        raise CorehubError(
            f"{len(missing)} of {len(members)} packets are not in {folder} ({shown}): "
            "run the shards that failed again (packets already there are skipped), "
            "then --finish"
        )
    return found


def _run_jobs(
    hub: Hub,
    cycle: Cycle,
    work: Sequence[Job],
    *,
    jobs: int,
    force: bool,
    variant: str | None,
    state: Callable[[], str | None] = lambda: None,
    recycle_after: int = RECYCLE_AFTER,
) -> Iterator[Outcome]:
    """The outcome of each job, rendered here or by ``jobs`` worker processes.

    ``state`` makes the run's state (:func:`corehub.render.freshness.run_state`). With
    workers it is made once they are started: they open their Hub and warm up while this
    process reads the workspace, rather than after it. One job renders here until it has
    rendered ``recycle_after`` documents (unchanged ones do not count), then hands the
    rest to one worker process, recycled the same way; if a worker cannot load the
    plugins (one registered only in this process), the rest is rendered here too.
    """
    if jobs == 1 or len(work) < 2:
        renderer = renderer_for(hub)
        run = state()
        rendered = 0
        for index, job in enumerate(work):
            if recycle_after and rendered >= recycle_after:
                try:
                    spec = worker_spec(hub)
                except CorehubError:
                    recycle_after = 0  # no worker can render these: carry on here
                else:
                    rest = [(cycle.id, later, force, variant, run) for later in work[index:]]
                    with Workers(spec, cycle.id, job, count=1, recycle_after=recycle_after) as pool:
                        yield from pool.run(rest)
                    return
            outcome = render_job(renderer, cycle, job, force=force, variant=variant, state=run)
            rendered += outcome.status == "rendered"
            yield outcome
        return
    spec = worker_spec(hub)
    first = next((job for job in work if job.kind == "packet"), work[0])
    with Workers(
        spec, cycle.id, first, count=min(jobs, len(work)), recycle_after=recycle_after
    ) as pool:
        run = state()
        yield from pool.run([(cycle.id, job, force, variant, run) for job in work])


# -- worker processes -------------------------------------------------------------------


@attrs.frozen
class WorkerSpec:
    """How a worker process rebuilds the caller's Hub."""

    workspace: str
    plugin_folders: tuple[str, ...]
    entry_points: tuple[str, ...]
    modules: tuple[tuple[str, str], ...]
    names: tuple[str, ...]
    disabled: tuple[str, ...]
    now: str
    timezone: str
    actor: str
    snapshot: str | None = None


def worker_spec(hub: Hub) -> WorkerSpec:
    """What a worker needs to open the same Hub; an error if a plugin cannot be re-created."""
    entry_points, modules = [], []
    for name, info in hub.pm.infos.items():
        if info.source == "entry point":
            entry_points.append(name)
        elif info.source == "registered":
            plugin = hub.pm.get_plugin(name)
            importable = (
                getattr(plugin, "__name__", None) == info.module
                and importlib.util.find_spec(info.module) is not None
            )
            if not importable:
                raise CorehubError(
                    f"plugin {name!r} was registered in this process and cannot be loaded by "
                    "worker processes; render with --jobs 1"
                )
            modules.append((name, info.module))
    workspace = hub.require_workspace()
    return WorkerSpec(
        workspace=str(workspace),
        plugin_folders=tuple(str(folder) for folder in hub.plugin_folders()),
        entry_points=tuple(entry_points),
        modules=tuple(modules),
        names=tuple(hub.pm.infos),
        disabled=tuple(hub.config.plugins.disabled),
        now=hub.clock.now().isoformat(),
        timezone=hub.config.organization.timezone,
        actor=hub.actor,
        snapshot=str(hub.snapshot) if hub.snapshot is not None else None,
    )


_worker: dict[str, Any] = {}


def _worker_init(spec: WorkerSpec, cycle_id: int | None = None, first: Job | None = None) -> None:
    """Open the caller's Hub in this worker and warm it up on the run's first document."""
    from corehub.clock import FixedClock
    from corehub.hub import Hub
    from corehub.plugins import make_plugin_manager

    env = {"COREHUB_LOAD_PLUGINS": ",".join(spec.entry_points)}
    pm = make_plugin_manager(
        disabled=spec.disabled,
        plugins_dirs=[Path(folder) for folder in spec.plugin_folders],
        load_entry_points=bool(spec.entry_points),
        env=env,
    )
    for name in list(pm.infos):
        if name not in spec.names:
            pm.unregister_named(name)
    for name, module in spec.modules:
        if pm.get_plugin(name) is None:
            pm.register_named(importlib.import_module(module), name)
    clock = FixedClock(dt.datetime.fromisoformat(spec.now))
    hub = Hub(spec.workspace, clock=clock, plugin_manager=pm, actor=spec.actor)
    if spec.snapshot is not None:
        hub.use_snapshot(spec.snapshot)
    _worker["hub"] = hub
    renderer = _worker["renderer"] = renderer_for(hub)
    report = None
    if cycle_id is not None and first is not None:
        cycle = _worker["cycle"] = hub.cycles.get(cycle_id)
        try:
            report = (
                renderer.packet_report(cycle, first.key or "")
                if first.kind == "packet"
                else renderer.summary_report(cycle, first.key)
            )
        except CorehubError:
            report = None  # the document itself will say what is wrong
    renderer.warm_up(report)


Task = tuple[int, Job, bool, str | None, str | None]
"""What a worker renders: (cycle id, job, force, variant, the run's state)."""


def _worker_render(task: Task) -> Outcome:
    cycle_id, job, force, variant, state = task
    hub = _worker["hub"]
    cycle = _worker.get("cycle")
    if cycle is None or cycle.id != cycle_id:
        cycle = _worker["cycle"] = hub.cycles.get(cycle_id)
    return render_job(_worker["renderer"], cycle, job, force=force, variant=variant, state=state)


def _stop_worker(_signum: int, _frame: Any) -> None:
    raise SystemExit(0)  # the document being written removes its temporary file


def _worker_main(
    conn: Any, spec: WorkerSpec, cycle_id: int, first: Job, recycle_after: int
) -> None:
    """A worker process: warm up, then render the tasks the parent sends, one at a time,
    answering ``("done", outcome)`` or ``("error", exception)``; it ends after
    ``recycle_after`` documents (never with 0), when told to (``None``) or when the
    parent is gone."""
    signal.signal(signal.SIGTERM, _stop_worker)

    def send_error(exc: BaseException) -> None:
        import pickle
        import traceback

        text = "".join(traceback.format_exception(exc))
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # an exception that cannot travel: its words and traceback do
            exc = CorehubError(f"{type(exc).__name__}: {exc}")
        conn.send(("error", (exc, text)))

    try:
        try:
            _worker_init(spec, cycle_id, first)
        except Exception as exc:
            send_error(exc)
            return
        served = 0
        while not recycle_after or served < recycle_after:
            task = conn.recv()
            if task is None:
                return
            try:
                outcome = _worker_render(task)
            except Exception as exc:
                send_error(exc)
                return
            conn.send(("done", outcome))
            served += 1
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        return  # Ctrl-C (the parent says so) or the parent is gone
    finally:
        hub = _worker.pop("hub", None)
        if hub is not None:
            hub.close()
        _worker.clear()


class WorkerTraceback(Exception):
    """Where in a worker process an error was raised (its traceback, as text)."""

    def __str__(self) -> str:
        return f'\n"""\n{self.args[0]}"""'


class WorkerDied(CorehubError):
    """A worker process ended before it finished a document."""


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGKILL":
            return "was killed (SIGKILL; the system may have run out of memory)"
        return f"was stopped by {name}"
    return f"exited with status {exitcode}"


@attrs.define
class _Slot:
    process: Any
    conn: Any
    sent: int = 0
    task: Job | None = None


class Workers:
    """``count`` worker processes rendering tasks, each replaced after ``recycle_after``.

    A replacement is started (and warms up) as soon as its predecessor is handed its last
    document, so no document waits for a cold process. A worker that dies while rendering
    is named, with the document, as one error; on any error the others finish the
    document they are rendering and end, and on Ctrl-C they stop at once, each removing
    the temporary file it was writing.
    """

    def __init__(
        self, spec: WorkerSpec, cycle_id: int, first: Job, *, count: int, recycle_after: int
    ):
        self.context = multiprocessing.get_context("spawn")
        self.args = (spec, cycle_id, first, recycle_after)
        self.recycle_after = recycle_after
        self.started = 0
        self.slots: list[_Slot] = []
        self.spares: deque[_Slot] = deque()
        self.retired: list[_Slot] = []
        for _ in range(count):
            self.slots.append(self._start())

    def _start(self) -> _Slot:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=_worker_main, args=(child, *self.args), name="corehub-render", daemon=True
        )
        process.start()
        child.close()
        self.started += 1
        return _Slot(process, parent)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(interrupted=kind is not None and issubclass(kind, KeyboardInterrupt))

    def _send(self, slot: _Slot, task: Task, left: int) -> None:
        slot.task = task[1]
        slot.sent += 1
        slot.conn.send(task)
        if self.recycle_after and slot.sent == self.recycle_after and left > len(self.spares):
            self.spares.append(self._start())  # warms up while this one renders its last

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        from multiprocessing.connection import wait

        pending = deque(tasks)
        for slot in self.slots:
            if pending:
                self._send(slot, pending.popleft(), len(pending))
        while any(slot.task is not None for slot in self.slots):
            busy = [slot for slot in self.slots if slot.task is not None]
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy])
            for slot in busy:
                if slot.conn not in ready and slot.process.sentinel not in ready:
                    continue
                try:
                    message = slot.conn.recv() if slot.conn.poll() else None
                except (EOFError, OSError):
                    message = None
                if message is None:
                    raise self._died(slot)
                kind, value = message
                if kind == "error":
                    error, text = value
                    error.__cause__ = WorkerTraceback(text)  # shown with --debug
                    raise error
                slot.task = None
                yield value
                if self.recycle_after and slot.sent >= self.recycle_after:
                    self.retired.append(slot)
                    if not pending:
                        continue
                    index = self.slots.index(slot)
                    slot = self.slots[index] = (
                        self.spares.popleft() if self.spares else self._start()
                    )
                if pending:
                    self._send(slot, pending.popleft(), len(pending))

    def _died(self, slot: _Slot) -> WorkerDied:
        slot.process.join(5)
        job = slot.task
        assert job is not None
        return WorkerDied(
            f"the worker process rendering {job.label} ({job.target.name}) "
            f"{_how_it_ended(slot.process.exitcode)} before finishing it; the documents "
            "already written are kept: run the command again to render the rest"
        )

    def close(self, *, interrupted: bool = False) -> None:
        """Stop every worker; none is left running. Each is told to end once it has
        finished the document it is rendering (an error elsewhere does not cut a document
        short). After Ctrl-C, which reached the workers too, they stop at once and remove
        the temporary file they were writing; one still running after a grace period is
        stopped (and removes it too)."""
        slots = self.slots + list(self.spares) + self.retired
        for slot in slots:
            with contextlib.suppress(OSError):  # it has ended already
                slot.conn.send(None)
        deadline = time.monotonic() + (10 if interrupted else 300)
        for slot in slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
        for slot in slots:
            if slot.process.is_alive():
                slot.process.terminate()
                slot.process.join(30)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()


# -- binder -------------------------------------------------------------------------------


def _require_pypdf() -> None:
    if importlib.util.find_spec("pypdf") is None:
        raise CorehubError("--binder needs the pypdf package: pip install pypdf")


def join_binder(
    packets: Sequence[tuple[str, Path, str]],
    target: Path,
    *,
    force: bool = False,
    hub: Hub | None = None,
) -> tuple[Path, str]:
    """Join packet PDFs into one, a bookmark per person; returns (path, rendered|unchanged).

    Each packet keeps its own pages, so page numbers restart with every person.
    """
    digest = hashlib.sha256()
    for label, path, content_hash in packets:
        digest.update(f"{label}\0{path.name}\0{content_hash}\n".encode())
    combined = digest.hexdigest()
    stored = hash_file(target)
    if not force and target.is_file() and _read(stored) == combined:
        return target, "unchanged"
    from pypdf import PdfWriter

    writer = PdfWriter()
    for label, path, _hash in packets:
        writer.append(str(path), outline_item=label, import_outline=True)
    writer.page_mode = "/UseOutlines"
    with atomic_write(target, hub) as tmp, open(tmp, "wb") as handle:
        writer.write(handle)
    write_text_atomic(stored, combined + "\n")
    return target, "rendered"
