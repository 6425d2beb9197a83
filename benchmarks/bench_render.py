"""Rendering at the size of real organizations: ratios measured in one run, printed (never asserted).

For organizations of 1,000 and 10,000 people (``COREHUB_BENCH_RENDER_SIZES``), with every
shipped plugin installed and realistic data in each (reviews, training, CSAT, feedback,
quality grades), this prints:

- per packet, over a fixed sample of 50 people (the same positions at every size): the
  time to gather its data, corehub's whole render, and WeasyPrint alone on the same HTML,
  the two renders interleaved; their ratio (goal: corehub >= 0.95x WeasyPrint alone);
- the same for a sample of team summaries (their data should follow the team's size);
- a whole-cycle render of the 1,000-person organization in a process of its own (what
  ``corehub render cycle`` runs): peak memory after 100 and after 1,000 packets (goal:
  within 5%), then re-rendering it unchanged (goal: <= 2% of the full render);
- ``corehub render cycle --jobs 1`` against ``--jobs 2`` on 100 packets, each a fresh
  command (goal: >= 1.8x on 2 idle cores: compare with the machine's load, printed).

The organizations are built by ``build_render_org`` below (self-contained: the people
file, a cycle opened by the installed plugins, then each plugin's own demo data, made by
its ``prepare_demo`` code at the organization's size). Building one takes minutes, so
each is kept in ``build/bench-orgs/`` and reused while ``ORG_FORMAT`` is unchanged; a
run works on a copy. Rendering goes through the same code users run: the installed
plugins, the Renderer, ``render_cycle`` and the CLI.

Run: ``python benchmarks/bench_render.py`` (``COREHUB_BENCH_RENDER_SIZES=1000`` for one
size; ``COREHUB_BENCH_RENDER_FULL=0`` skips the whole-cycle render).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ORG_FORMAT = 1
"""Raise when ``build_render_org`` changes: organizations kept from before are rebuilt."""
SIZES = (1_000, 10_000)
SAMPLE = 50
TEAM_SIZE = 13
ORGS = Path(__file__).resolve().parent.parent / "build" / "bench-orgs"

CITIES = (("Madrid", "es"), ("København", "da"), ("Stockholm", "sv"))
FIRST = {
    "es": ["Lucía", "Javier", "María", "Carmen", "Pablo", "Sofía", "Diego", "Elena"],
    "da": ["Mette", "Søren", "Freja", "Anders", "Ida", "Mads", "Sofie", "Jens"],
    "sv": ["Åsa", "Erik", "Linnéa", "Johan", "Karin", "Oskar", "Elsa", "Björn"],
}
LAST = {
    "es": ["García Núñez", "Fernández", "López Ruiz", "Martínez", "Sánchez Gil", "Romero"],
    "da": ["Kjærgaard", "Jørgensen", "Nielsen", "Søndergaard", "Hansen", "Møller"],
    "sv": ["Lindqvist", "Åkerlund", "Johansson", "Öberg", "Nyström", "Bergström"],
}


# -- the organization ----------------------------------------------------------------------


def render_org_people(n: int, rng: random.Random) -> list[dict[str, str]]:
    """``n`` people: directors, one supervisor per team of about 13, agents; 5% hired lately."""
    teams = max(3, round(n / TEAM_SIZE))
    regions = max(1, round(teams / 12))

    def name(locale: str) -> str:
        return f"{rng.choice(FIRST[locale])} {rng.choice(LAST[locale])}"

    rows = [
        {
            "id": f"dir-{r:04d}",
            "name": "Isabel Fernández Ruiz" if r == 0 else name(CITIES[r % 3][1]),
            "role": "Service desk director",
            "level": "directive",
            "team": "Management",
            "manager_id": "" if r == 0 else "dir-0000",
            "hire_date": "2012-03-01",
            "locale": CITIES[r % 3][1],
        }
        for r in range(regions)
    ]
    team_names = []
    for t in range(teams):
        city, locale = CITIES[t % 3]
        team = city if t < 3 else f"{city} {t // 3 + 1}"
        team_names.append((team, locale))
        hired = dt.date(2013, 1, 7) + dt.timedelta(days=rng.randint(0, 2500))
        rows.append(
            {
                "id": f"sup-{t:04d}",
                "name": name(locale),
                "role": "Service desk supervisor",
                "level": "supervisory",
                "team": team,
                "manager_id": f"dir-{t % regions:04d}",
                "hire_date": hired.isoformat(),
                "locale": locale,
            }
        )
    agent = 0
    while len(rows) < n:
        team, locale = team_names[agent % teams]
        if rng.random() < 0.05:  # hired during the cycle: induction, no review yet
            hired = dt.date(2026, 9, 14) + dt.timedelta(days=rng.randint(0, 80))
        else:
            hired = dt.date(2015, 1, 5) + dt.timedelta(days=rng.randint(0, 4000))
        rows.append(
            {
                "id": f"agt-{agent:05d}",
                "name": name(locale),
                "role": "Senior service desk agent" if agent % 11 == 0 else "Service desk agent",
                "level": "operational",
                "team": team,
                "manager_id": f"sup-{agent % teams:04d}",
                "hire_date": hired.isoformat(),
                "locale": locale,
            }
        )
        agent += 1
    for row in rows:
        row["email"] = f"{row['id']}@example.org"
    return rows


def build_render_org(folder: Path, n: int, echo: Any = print) -> None:
    """A workspace of ``n`` people in a closed cycle, with every installed plugin's data.

    As ``corehub demo`` does it, at another size: the people file is imported, the cycle
    created (with calibration) and opened by the installed plugins, each plugin fills in
    its data with its own demo code (reviews submitted, calibrated, released; training
    completed, assigned and rated; praise, suggestions, CSAT, pulse, peer and upward
    feedback; tickets imported, sampled and graded), and the cycle is closed.
    """
    from corehub.clock import FixedClock
    from corehub.demo import DEMO_CYCLE, DEMO_DUE, DEMO_END, DEMO_START, DEMO_TODAY
    from corehub.hub import Hub
    from corehub.workspace import init_workspace

    init_workspace(
        folder, organization="Nordlys & Sol Service Desk", locale="en", timezone="Europe/Madrid"
    ).close()
    people = folder / "imports" / "people.csv"
    people.parent.mkdir(exist_ok=True)
    with people.open("w", newline="", encoding="utf-8") as handle:
        fields = ["id", "name", "email", "role", "level", "team", "manager_id", "hire_date"]
        writer = csv.DictWriter(handle, fieldnames=[*fields, "locale"], delimiter=";")
        writer.writeheader()
        writer.writerows(render_org_people(n, random.Random(f"org {n}")))
    clock = FixedClock(DEMO_START)
    hub = Hub(folder, clock=clock, actor="bench")
    hub.people.import_csv(people)
    kinds = hub.cycles.task_kinds()
    due = {kind: day for kind, day in DEMO_DUE.items() if kind in kinds}
    cycle = hub.cycles.create(DEMO_CYCLE, start=DEMO_START, end=DEMO_END, due=due, calibrate=True)
    opened = hub.cycles.open(cycle.name)
    clock.set(DEMO_TODAY)
    arguments = {
        "hub": hub,
        "cycle": opened.cycle,
        "transaction": hub.atomic,
        "on_refusal": lambda plugin, exc: echo(f"  {plugin}: demo data refused: {exc}"),
    }
    for impl in reversed(hub.hook.prepare_demo.get_hookimpls()):
        started = time.perf_counter()
        if impl.plugin_name == "training_tracker":
            # its KCS sign-offs are dated for a 40-person demo; the training data scales
            from corehub_training_tracker import demo as training_demo

            with hub.atomic():
                training_demo.prepare(hub, opened.cycle)
        else:
            impl.function(**{k: v for k, v in arguments.items() if k in impl.argnames})
        echo(f"  {n} people: {impl.plugin_name} data in {time.perf_counter() - started:.0f} s")
    hub.cycles.close(cycle.name, force=True, reason="end of the cycle: open tasks cancelled")
    hub.close()


def render_org(n: int, echo: Any = print) -> Path:
    """The kept workspace of ``n`` people, built first if needed."""
    folder = ORGS / f"org-{n}-v{ORG_FORMAT}"
    if (folder / ".complete").is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    echo(f"render: building the {n}-person organization (kept in {folder})")
    started = time.perf_counter()
    build_render_org(partial, n, echo)
    (partial / ".complete").write_text(f"{time.perf_counter() - started:.0f} s\n")
    partial.rename(folder)
    return folder


def _copy(folder: Path, into: Path) -> Path:
    target = into / folder.name
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("output"))
    (target / "output").mkdir(exist_ok=True)
    return target


# -- measuring -----------------------------------------------------------------------------


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def sample_packets(workspace: Path, out: Path, n: int) -> None:
    """Per packet: gather, corehub's render, WeasyPrint alone on the same HTML, interleaved."""
    from corehub.hub import Hub
    from corehub.render import pdf as engine
    from corehub.render.batch import plan, render_job
    from corehub.render.documents import renderer_for

    hub = Hub(workspace, actor="bench")
    cycle = hub.cycles.list()[0]
    renderer = renderer_for(hub)
    jobs, _members = plan(hub, cycle, out)
    packets = [j for j in jobs if j.kind == "packet"]
    step = len(packets) / SAMPLE
    sample = [packets[int(i * step)] for i in range(SAMPLE)]
    summaries = [j for j in jobs if j.kind == "summary" and j.key is not None]
    team_sample = summaries[:: max(1, len(summaries) // 5)][:5]
    weasyprint = engine._weasyprint()
    fetcher = engine.fetcher_for(hub, renderer.packages)
    render_job(renderer, cycle, sample[0], force=True, variant=None)  # fonts, templates, CSS

    def bare(html: str, target: Path, css: list[Any] | None = None) -> None:
        document = weasyprint.HTML(string=html, url_fetcher=fetcher, base_url=engine.ASSET_SCHEME)
        document.write_pdf(str(target), font_config=engine.font_config(), stylesheets=css)

    for label, chosen in (("packets", sample), ("team summaries", team_sample)):
        gather: list[float] = []
        times: dict[str, list[float]] = {"corehub": [], "alone": [], "parsed": []}
        for i, job in enumerate(chosen):
            started = time.perf_counter()
            report = (
                renderer.packet_report(cycle, job.key or "")
                if job.kind == "packet"
                else renderer.summary_report(cycle, job.key)
            )
            gathered = renderer.gather(report)
            gather.append(time.perf_counter() - started)
            document = renderer.render_html(gathered)
            css = [engine.parsed_css(text, fetcher) for text in document.stylesheets]
            runs = [
                ("corehub", lambda j=job: render_job(renderer, cycle, j, force=True, variant=None)),
                ("alone", lambda h=document.html: bare(h, out / "alone.pdf")),
                ("parsed", lambda h=document.body_html, c=css: bare(h, out / "alone.pdf", c)),
            ]
            for name, run in runs if i % 2 == 0 else runs[::-1]:
                started = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - started)
        ours = sum(times["corehub"])
        print(
            f"render: {n:>6} people, {len(chosen)} {label}: gather {1000 * _median(gather):.0f} ms "
            f"(median; max {1000 * max(gather):.0f} ms); a document takes corehub "
            f"{_median(times['corehub']):.2f} s, WeasyPrint alone {_median(times['alone']):.2f} s "
            f"(CSS in <style>), {_median(times['parsed']):.2f} s (CSS parsed once, as corehub)"
        )
        print(
            f"render: {n:>6} people, {label}: corehub at {sum(times['alone']) / ours:.2f}x "
            f"WeasyPrint alone, {sum(times['parsed']) / ours:.2f}x WeasyPrint with the CSS "
            "parsed once (goal >= 0.95x)"
        )
    hub.close()


def whole_cycle(workspace: Path, out: Path) -> dict[str, Any]:
    """Run in a process of its own: render every packet, then again unchanged."""
    from corehub.hub import Hub
    from corehub.render.batch import render_cycle

    hub = Hub(workspace, actor="bench")
    cycle = hub.cycles.list()[0]
    peaks: dict[int, float] = {}
    done = [0]

    def progress(outcome: Any) -> None:
        done[0] += 1
        if done[0] == 100 or done[0] % 250 == 0 or done[0] == total[0]:
            peaks[done[0]] = _rss_mib()

    total = [0]

    def planned(count: int) -> None:
        total[0] = count

    full = render_cycle(hub, cycle, out, summaries=False, progress=progress, on_plan=planned)
    started = time.perf_counter()
    again = render_cycle(hub, cycle, out, summaries=False)
    unchanged = time.perf_counter() - started
    hub.close()
    return {
        "packets": len(full.outcomes),
        "full": full.seconds,
        "unchanged": unchanged,
        "unchanged_count": again.count("packet", "unchanged"),
        "peaks": peaks,
    }


def _child(function: str, *args: str) -> dict[str, Any]:
    here = str(Path(__file__).parent)
    code = (
        f"import json, sys, pathlib; sys.path.insert(0, {here!r}); import bench_render as b; "
        f"print('RESULT ' + json.dumps(b.{function}(*map(pathlib.Path, sys.argv[1:]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT ") :])
            return result
    raise RuntimeError(f"{function} failed:\n{done.stdout}\n{done.stderr}")


def jobs_compared(workspace: Path, out: Path) -> None:
    """``corehub render cycle --jobs 1`` against ``--jobs 2``, each a fresh command."""
    corehub = Path(sys.executable).with_name("corehub")
    timings = {}
    for workers in (1, 2):
        started = time.perf_counter()
        subprocess.run(
            [
                str(corehub),
                "--workspace",
                str(workspace),
                "render",
                "cycle",
                "2026 H2",
                "--out",
                str(out / f"jobs{workers}"),
                "--jobs",
                str(workers),
                "--force",
                "--no-summaries",
            ],
            check=True,
            capture_output=True,
        )
        timings[workers] = time.perf_counter() - started
    load = os.getloadavg()[0]
    print(
        f"render: 100 packets, --jobs 1 {timings[1]:.1f} s, --jobs 2 {timings[2]:.1f} s = "
        f"{timings[1] / timings[2]:.2f}x on {os.cpu_count()} CPUs, load average {load:.1f} "
        "(goal >= 1.8x on 2 idle cores)"
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    sizes_text = ",".join(args) or os.environ.get("COREHUB_BENCH_RENDER_SIZES", "")
    sizes = [int(s) for s in sizes_text.split(",") if s.strip()] or list(SIZES)
    full = os.environ.get("COREHUB_BENCH_RENDER_FULL", "1") != "0"
    from corehub.render import pdf as engine

    print(
        f"render: WeasyPrint subsets fonts with "
        f"{'harfbuzz-subset' if engine.uses_harfbuzz_subset() else 'fontTools (slow)'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            workspace = _copy(render_org(n), Path(tmp) / f"n{n}")
            out = Path(tmp) / f"out{n}"
            out.mkdir()
            sample_packets(workspace, out, n)
            if full and n <= 1_000:
                result = _child("whole_cycle", str(workspace), str(out / "cycle"))
                peaks = {int(k): v for k, v in result["peaks"].items()}
                first, last = peaks[min(peaks)], peaks[max(peaks)]
                print(
                    f"render: {n:>6} people, whole cycle: {result['packets']} packets in "
                    f"{result['full']:.0f} s; peak memory {first:.0f} MiB after {min(peaks)} "
                    f"packets, {last:.0f} MiB after {max(peaks)} "
                    f"({100 * (last - first) / first:+.1f}%, goal within 5%)"
                )
                print(
                    f"render: {n:>6} people, unchanged re-render {result['unchanged']:.1f} s "
                    f"({result['unchanged_count']} unchanged) = "
                    f"{100 * result['unchanged'] / result['full']:.1f}% of the full render "
                    "(goal <= 2%)"
                )
            shutil.rmtree(workspace, ignore_errors=True)
        workspace = _copy(render_org(100), Path(tmp) / "n100")
        jobs_compared(workspace, Path(tmp) / "jobs")


if __name__ == "__main__":
    main()
