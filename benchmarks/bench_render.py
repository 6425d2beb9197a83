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
  command, in interleaved rounds (goal: >= 1.8x on 2 idle cores: compare with the
  machine's load, printed).

The organizations are built by ``orgs.build`` (the benchmarks' one builder: corehub's
import paths and bulk rows of every plugin);
each is kept in ``build/bench-orgs/`` and reused while ``orgs.ORG_FORMAT`` is unchanged;
a run works on a copy. Rendering goes through the same code users run: the installed
plugins, the Renderer, ``render_cycle`` and the CLI.

It ends with a summary: cost per person (a packet's gather and render) at each size
against WeasyPrint alone, the peak-memory ratio (after 1,000 packets / after 100) and
the ``--jobs 2`` speed-up.

Run: ``python benchmarks/bench_render.py``. Environment: ``COREHUB_BENCH_RENDER_SIZES=1000``
for one size (default 1,000 and 10,000); ``COREHUB_BENCH_RENDER_FULL=0`` skips the
whole-cycle render; ``COREHUB_BENCH_RENDER_WHOLE_MAX`` (1000) is the largest organization
rendered whole (10,000 packets take hours on one core); ``COREHUB_BENCH_JOBS_ROUNDS`` (3)
rounds of ``--jobs 1`` against ``--jobs 2``; ``COREHUB_BENCH_RECYCLE_AFTER`` (200) documents
per worker process in the whole-cycle render (``render cycle --recycle-after``; 0 renders
every packet in one process, as before workers were recycled). Memory is the peak RSS of
the largest process (the command or one of its workers) and the RSS of all of them at once.
``COREHUB_BENCH_RENDER_ONLY=summaries`` measures the team summaries only (no packets, no
whole-cycle render, no ``--jobs`` rounds); ``COREHUB_BENCH_RENDER_OPEN=1`` renders from the
organizations whose cycle is still open (``orgs.kept(size, keep_open=True)``), as on a
working day. A team summary's gather is printed as the median, and apart for the run's
first summary, which also works out what every summary of the run shares (a month's
eNPS by team, the organization's suggestions).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import orgs

SIZES = (1_000, 10_000)
SAMPLE = 50
ONLY = os.environ.get("COREHUB_BENCH_RENDER_ONLY", "")
"""``summaries``: only the sample of team summaries."""
OPEN = os.environ.get("COREHUB_BENCH_RENDER_OPEN", "0") == "1"
"""Render from the organizations whose cycle is still open."""


def _copy(folder: Path, into: Path) -> Path:
    target = into / folder.name
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("output"))
    (target / "output").mkdir(exist_ok=True)
    return target


# -- measuring -----------------------------------------------------------------------------


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mib(pid: int, field: str) -> float:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(child) for child in task.read_text().split()]
    return found


def _tree_mib() -> tuple[float, float]:
    """(the peak RSS of the largest process, the RSS of all processes now): this process
    and the worker processes rendering for it (``render cycle`` recycles them), those
    already ended included in the first figure."""
    me = os.getpid()
    pids = [me, *_children(me)]
    ended = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    largest = max([ended, *(_status_mib(pid, "VmHWM") for pid in pids)])
    return largest, sum(_status_mib(pid, "VmRSS") for pid in pids)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def sample_packets(workspace: Path, out: Path, n: int) -> dict[str, dict[str, float]]:
    """Per packet: gather, corehub's render, WeasyPrint alone on the same HTML, interleaved.

    Returns, for ``packets`` and ``team summaries``: the median seconds to gather and to
    render a document (corehub, WeasyPrint alone) and corehub's ratio to WeasyPrint alone."""
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

    figures: dict[str, dict[str, float]] = {}
    chosen_kinds = (("packets", sample), ("team summaries", team_sample))
    for label, chosen in chosen_kinds[1:] if ONLY == "summaries" else chosen_kinds:
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
            f"(median; max {1000 * max(gather):.0f} ms; the first {1000 * gather[0]:.0f} ms, "
            f"the others {1000 * _median(gather[1:] or gather):.0f} ms median); a document takes corehub "
            f"{_median(times['corehub']):.2f} s, WeasyPrint alone {_median(times['alone']):.2f} s "
            f"(CSS in <style>), {_median(times['parsed']):.2f} s (CSS parsed once, as corehub)"
        )
        print(
            f"render: {n:>6} people, {label}: corehub at {sum(times['alone']) / ours:.2f}x "
            f"WeasyPrint alone, {sum(times['parsed']) / ours:.2f}x WeasyPrint with the CSS "
            "parsed once (goal >= 0.95x)"
        )
        figures[label] = {
            "gather": _median(gather),
            "gather_first": gather[0],
            "gather_rest": _median(gather[1:] or gather),
            "corehub": _median(times["corehub"]),
            "alone": _median(times["alone"]),
            "ratio": sum(times["alone"]) / ours,
        }
    hub.close()
    return figures


def whole_cycle(workspace: Path, out: Path) -> dict[str, Any]:
    """Run in a process of its own: render every packet, then again unchanged."""
    from corehub.hub import Hub
    from corehub.render.batch import render_cycle

    hub = Hub(workspace, actor="bench")
    cycle = hub.cycles.list()[0]
    peaks: dict[int, float] = {}
    done = [0]

    everyone: dict[int, float] = {}

    def progress(outcome: Any) -> None:
        done[0] += 1
        if done[0] == 100 or done[0] % 250 == 0 or done[0] == total[0]:
            peaks[done[0]], everyone[done[0]] = _tree_mib()

    total = [0]

    def planned(count: int) -> None:
        total[0] = count

    full = render_cycle(
        hub,
        cycle,
        out,
        summaries=False,
        progress=progress,
        on_plan=planned,
        recycle_after=RECYCLE_AFTER,
    )
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
        "everyone": everyone,
        "recycle_after": RECYCLE_AFTER,
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


JOBS_ROUNDS = int(os.environ.get("COREHUB_BENCH_JOBS_ROUNDS", "3"))
"""Rounds of ``--jobs 1`` against ``--jobs 2`` (interleaved; the median ratio counts)."""

RECYCLE_AFTER = int(os.environ.get("COREHUB_BENCH_RECYCLE_AFTER", "200"))
"""Documents per worker process in the whole-cycle render (``--recycle-after``; 0: never,
every packet in one process, to see what recycling saves)."""
"""Rounds of ``--jobs 1`` against ``--jobs 2`` (interleaved; the median ratio counts)."""


def jobs_compared(workspace: Path, out: Path) -> dict[str, Any]:
    """``corehub render cycle --jobs 1`` against ``--jobs 2``, each a fresh command, in
    ``JOBS_ROUNDS`` interleaved rounds (the order alternates), with the machine's load."""
    corehub = Path(sys.executable).with_name("corehub")

    def run(workers: int) -> float:
        started = time.perf_counter()
        subprocess.run(
            [
                str(corehub),
                "--workspace",
                str(workspace),
                "render",
                "cycle",
                orgs.CYCLE[0],
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
        return time.perf_counter() - started

    rounds: list[dict[int, float]] = []
    loads = [os.getloadavg()[0]]
    for n in range(JOBS_ROUNDS):
        timings = {}
        for workers in (1, 2) if n % 2 == 0 else (2, 1):
            timings[workers] = run(workers)
        rounds.append(timings)
        loads.append(os.getloadavg()[0])
    ratios = sorted(r[1] / r[2] for r in rounds)
    ratio = ratios[len(ratios) // 2]
    print(
        f"render: 100 packets, --jobs 1 {_median([r[1] for r in rounds]):.1f} s, --jobs 2 "
        f"{_median([r[2] for r in rounds]):.1f} s (medians of {len(rounds)} interleaved rounds) "
        f"= {ratio:.2f}x (rounds: {', '.join(f'{x:.2f}x' for x in ratios)}) on "
        f"{os.cpu_count()} CPUs, load average {min(loads):.1f} to {max(loads):.1f} "
        "(goal >= 1.8x on 2 idle cores)"
    )
    return {"ratio": ratio, "rounds": rounds, "loads": loads}


def _print_summaries(per_size: dict[int, dict[str, dict[str, float]]]) -> None:
    print("render: team summaries (ratios against baselines measured in this run)")
    print(
        f"  {'people':>8} {'gather':>9} {'first':>9} {'others':>9} {'summary':>9} "
        f"{'WeasyPrint alone':>17} {'ratio':>6}"
    )
    for n, figures in per_size.items():
        team = figures["team summaries"]
        print(
            f"  {n:>8,} {1000 * team['gather']:>6.0f} ms {1000 * team['gather_first']:>6.0f} ms "
            f"{1000 * team['gather_rest']:>6.0f} ms {team['corehub']:>7.2f} s "
            f"{team['alone']:>15.2f} s {team['ratio']:>5.2f}x"
        )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    sizes_text = ",".join(args) or os.environ.get("COREHUB_BENCH_RENDER_SIZES", "")
    sizes = [int(s) for s in sizes_text.split(",") if s.strip()] or list(SIZES)
    full = os.environ.get("COREHUB_BENCH_RENDER_FULL", "1") != "0"
    whole_max = int(os.environ.get("COREHUB_BENCH_RENDER_WHOLE_MAX", "1000"))
    from corehub.render import pdf as engine

    print(
        f"render: WeasyPrint subsets fonts with "
        f"{'harfbuzz-subset' if engine.uses_harfbuzz_subset() else 'fontTools (slow)'}"
    )
    per_size: dict[int, dict[str, dict[str, float]]] = {}
    memory: tuple[int, float, int, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            workspace = _copy(orgs.kept(n, keep_open=OPEN), Path(tmp) / f"n{n}")
            out = Path(tmp) / f"out{n}"
            out.mkdir()
            per_size[n] = sample_packets(workspace, out, n)
            if full and n <= whole_max and ONLY != "summaries":
                result = _child("whole_cycle", str(workspace), str(out / "cycle"))
                peaks = {int(k): v for k, v in result["peaks"].items()}
                first, last = peaks[min(peaks)], peaks[max(peaks)]
                memory = (min(peaks), first, max(peaks), last)
                everyone = {int(k): v for k, v in result["everyone"].items()}
                print(
                    f"render: {n:>6} people, whole cycle: {result['packets']} packets in "
                    f"{result['full']:.0f} s (workers recycled after "
                    f"{result['recycle_after'] or 'never'}); peak memory of the largest process "
                    f"{first:.1f} MiB after {min(peaks)} packets, {last:.1f} MiB after "
                    f"{max(peaks)} ({100 * (last - first) / first:+.1f}%, goal within 5%); "
                    "all processes at once: "
                    + ", ".join(f"{v:.0f} MiB after {k}" for k, v in sorted(everyone.items()))
                )
                print(
                    f"render: {n:>6} people, unchanged re-render {result['unchanged']:.1f} s "
                    f"({result['unchanged_count']} unchanged) = "
                    f"{100 * result['unchanged'] / result['full']:.1f}% of the full render "
                    "(goal <= 2%)"
                )
            shutil.rmtree(workspace, ignore_errors=True)
        if ONLY == "summaries":
            _print_summaries(per_size)
            return
        workspace = _copy(orgs.kept(100), Path(tmp) / "n100")
        jobs = jobs_compared(workspace, Path(tmp) / "jobs")
    print("render: summary (ratios against baselines measured in this run)")
    print(
        f"  {'people':>8} {'gather/person':>14} {'packet/person':>14} {'WeasyPrint alone':>17} "
        f"{'ratio':>6}"
    )
    for n, figures in per_size.items():
        packet = figures["packets"]
        print(
            f"  {n:>8,} {1000 * packet['gather']:>11.0f} ms {packet['corehub']:>12.2f} s "
            f"{packet['alone']:>15.2f} s {packet['ratio']:>5.2f}x"
        )
    if memory is not None:
        at, first, at_end, last = memory
        print(
            f"  peak memory after {at_end:,} packets / after {at:,}: {last / first:.3f}x "
            f"({last:.0f} / {first:.0f} MiB; goal <= 1.05x)"
        )
    print(f"  --jobs 2 / --jobs 1 on 100 packets: {jobs['ratio']:.2f}x (goal >= 1.8x)")


if __name__ == "__main__":
    main()
