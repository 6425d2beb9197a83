"""Rendering a whole cycle: every packet, the team summaries and an optional binder.

Incremental: beside each PDF, a hidden ``.<name>.pdf.sha256`` holds the content hash of
what it was made from (section data, templates, CSS, fonts, plugin versions, variant)
and the state of the workspace it was last checked in (:mod:`corehub.render.freshness`).
When nothing changed since, a document is recognised as unchanged without gathering its
data; otherwise its data is gathered and only a document whose hash changed is rendered
again, so re-rendering a 1,000-person cycle after one late review renders one packet.
``force`` renders all.

With ``jobs > 1`` documents are rendered by worker processes, each opening its own Hub
on the same workspace, with the same plugins and the same clock as the caller.

Past one machine: ``shard=(i, n)`` renders only the i-th of n disjoint shares of the
packets (round-robin over the sorted person ids, so shares differ by at most one
packet), read from a snapshot that fixes who is in the cycle; ``finish=True`` then
renders the summaries and joins the binder from the packets the shares wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import multiprocessing
import re
import time
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
) -> CycleRun:
    """Render the packets of ``cycle`` (of one ``team``, if given), its summaries, a binder.

    ``shard=(i, n)`` renders only the i-th share of the packets, nothing else;
    ``finish=True`` renders no packet: the summaries, and the binder joined from the
    packets already in ``folder`` (an error naming those missing).
    """
    started = time.perf_counter()
    cycle = cycle if isinstance(cycle, Cycle) else hub.cycles.get(cycle)
    if jobs < 1:
        raise CorehubError("--jobs must be 1 or more")
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

    outcomes = _run_jobs(hub, cycle, work, jobs=jobs, force=force, variant=variant, state=state)
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
) -> Iterator[Outcome]:
    """The outcome of each job, rendered here or by ``jobs`` worker processes.

    ``state`` makes the run's state (:func:`corehub.render.freshness.run_state`). With
    workers it is made once they are started: they open their Hub and warm up while this
    process reads the workspace, rather than after it.
    """
    if jobs == 1 or len(work) < 2:
        renderer = renderer_for(hub)
        run = state()
        for job in work:
            yield render_job(renderer, cycle, job, force=force, variant=variant, state=run)
        return
    spec = worker_spec(hub)
    first = next((job for job in work if job.kind == "packet"), work[0])
    context = multiprocessing.get_context("spawn")
    with context.Pool(
        min(jobs, len(work)), initializer=_worker_init, initargs=(spec, cycle.id, first)
    ) as pool:
        run = state()
        tasks = [(cycle.id, job, force, variant, run) for job in work]
        yield from pool.imap_unordered(_worker_render, tasks, chunksize=1)


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


def _worker_render(task: tuple[int, Job, bool, str | None, str | None]) -> Outcome:
    cycle_id, job, force, variant, state = task
    hub = _worker["hub"]
    cycle = _worker.get("cycle")
    if cycle is None or cycle.id != cycle_id:
        cycle = _worker["cycle"] = hub.cycles.get(cycle_id)
    return render_job(_worker["renderer"], cycle, job, force=force, variant=variant, state=state)


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
