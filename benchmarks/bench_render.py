"""Rendering benchmarks: ratios measured in one run, printed (never asserted).

- packets per second through corehub against WeasyPrint alone rendering the same HTML;
- ``--jobs 2`` against ``--jobs 1`` for a whole cycle;
- peak memory (max RSS) sampled while rendering many packets: it should stay flat;
- re-rendering an unchanged cycle against a full render;
- whether WeasyPrint subsets fonts with HarfBuzz (fast) or fontTools (about 1.7x slower).

Run: ``python benchmarks/bench_render.py [N]`` (default N=100 packets, or
``COREHUB_BENCH_RENDER_N=1000``). The workspace holds corehub's built-in sections only,
so the figures measure the pipeline, not a plugin.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import tempfile
import time
import types
from pathlib import Path

DEFAULT_N = 100


def _workspace(folder: Path, n: int):  # type: ignore[no-untyped-def]
    from corehub import hookimpl
    from corehub.clock import FixedClock
    from corehub.hub import Hub
    from corehub.models import Level, Person, TaskSpec
    from corehub.plugins import make_plugin_manager
    from corehub.workspace import init_workspace

    init_workspace(folder, organization="Nordlys & Sol Service Desk").close()
    tasks = types.ModuleType("bench_tasks")

    @hookimpl
    def cycle_tasks(hub, cycle, person):  # type: ignore[no-untyped-def]
        specs = [TaskSpec(kind="self", assignee_id=person.id)]
        if person.manager_id:
            specs.append(TaskSpec(kind="manager", assignee_id=person.manager_id))
        return specs

    tasks.cycle_tasks = cycle_tasks  # type: ignore[attr-defined]
    pm = make_plugin_manager(load_entry_points=False, env={})
    hub = Hub(folder, clock=FixedClock("2026-12-10T09:00:00+00:00"), plugin_manager=pm)
    teams = ["Madrid", "København", "Stockholm"]
    people = [
        Person(
            id=f"sup-{i}",
            name=f"Åsa Núñez Ødegård {i}",
            role="Service desk supervisor",
            level=Level.SUPERVISORY,
            team=team,
        )
        for i, team in enumerate(teams)
    ]
    people += [
        Person(
            id=f"agt-{i:04d}",
            name=f"María Jørgensen Äkerlund {i}",
            role="Service desk agent",
            team=teams[i % 3],
            manager_id=f"sup-{i % 3}",
            locale=("es", "da", "sv")[i % 3],
        )
        for i in range(n - len(people))
    ]
    hub.people.save(people)
    hub.pm.register_named(tasks, "bench_tasks")
    cycle = hub.cycles.create("2026 H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31))
    hub.cycles.open(cycle.name)
    hub.pm.unregister_named("bench_tasks")  # tasks exist; workers need no unimportable plugin
    return hub, hub.cycles.get(cycle.id)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    n = int(args[0]) if args else int(os.environ.get("COREHUB_BENCH_RENDER_N", DEFAULT_N))
    from corehub.render import pdf as engine
    from corehub.render.batch import plan, render_cycle, render_job
    from corehub.render.documents import renderer_for

    print(f"render: {n} packets, corehub's own sections, one process unless said")
    print(
        f"render: WeasyPrint subsets fonts with "
        f"{'harfbuzz-subset' if engine.uses_harfbuzz_subset() else 'fontTools (slow)'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        hub, cycle = _workspace(Path(tmp) / "ws", n)
        renderer = renderer_for(hub)
        out = Path(tmp) / "out"
        jobs, _members = plan(hub, cycle, out, summaries=False)
        # warm up: fonts, parsed CSS, template compilation
        render_job(renderer, cycle, jobs[0], force=True, variant=None)

        documents = [
            renderer.render_html(renderer.gather(renderer.packet_report(cycle, job.key)))
            for job in jobs
        ]
        weasyprint = engine._weasyprint()
        fetcher = engine.fetcher_for(hub, renderer.packages)
        started = time.perf_counter()
        for i, document in enumerate(documents):
            weasyprint.HTML(
                string=document.html, url_fetcher=fetcher, base_url=engine.ASSET_SCHEME
            ).write_pdf(out / f"floor-{i}.pdf", font_config=engine.font_config())
        floor = time.perf_counter() - started
        # the tightest floor: WeasyPrint given the same pre-parsed stylesheets corehub uses
        css = [engine.parsed_css(text, fetcher) for text in documents[0].stylesheets]
        started = time.perf_counter()
        for i, document in enumerate(documents):
            weasyprint.HTML(
                string=document.body_html, url_fetcher=fetcher, base_url=engine.ASSET_SCHEME
            ).write_pdf(out / f"floor-{i}.pdf", font_config=engine.font_config(), stylesheets=css)
        tight = time.perf_counter() - started

        samples = {}
        checkpoints = {max(1, n // 10), max(1, n // 2), n}
        started = time.perf_counter()
        for i, job in enumerate(jobs, start=1):
            render_job(renderer, cycle, job, force=True, variant=None)
            if i in checkpoints:
                samples[i] = _rss_mib()
        full = time.perf_counter() - started
        print(
            f"render: WeasyPrint alone {n / floor:6.1f} packets/s (CSS in <style>), "
            f"{n / tight:6.1f} packets/s (CSS pre-parsed) | corehub {n / full:6.1f} packets/s"
        )
        print(
            f"render: corehub overhead {100 * (full - tight) / tight:+.1f}% over the pre-parsed "
            f"floor, {100 * (full - floor) / floor:+.1f}% over plain WeasyPrint (target < 10%)"
        )
        print(
            "render: max RSS "
            + ", ".join(f"{mib:.0f} MiB after {i}" for i, mib in sorted(samples.items()))
            + " (should stay flat)"
        )

        started = time.perf_counter()
        unchanged = render_cycle(hub, cycle, out, summaries=False)
        again = time.perf_counter() - started
        assert unchanged.count("packet", "unchanged") == n
        print(
            f"render: re-render of the unchanged cycle {again:.2f} s vs full {full:.2f} s = "
            f"{100 * again / full:.1f}% (target < 2%)"
        )

        timings = {}
        for workers in (1, 2):
            started = time.perf_counter()
            render_cycle(
                hub, cycle, Path(tmp) / f"jobs{workers}", jobs=workers, force=True, summaries=False
            )
            timings[workers] = time.perf_counter() - started
        print(
            f"render: --jobs 1 {timings[1]:.1f} s, --jobs 2 {timings[2]:.1f} s = "
            f"{timings[1] / timings[2]:.2f}x on {os.cpu_count()} CPUs (aim: 1.7x on 2 cores)"
        )
        hub.close()


if __name__ == "__main__":
    main()
