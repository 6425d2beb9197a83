"""``corehub --help`` start-up against ``python -c pass``, measured in the same run.

Runs the console script the way a user does: every installed plugin loaded, outside a
workspace and inside one (which also reads ``corehub.toml`` and its plugins folder), named
with ``--workspace`` or found from the current folder, and with no plugin at all (the
core's own share). The runs are interleaved, so a machine
that gets busier during the benchmark slows every case alike; each figure is the median
of ``COREHUB_BENCH_CLI_RUNS`` runs (default 15), as wall-clock and as CPU time. Python
writes its bytecode caches during a warm-up run first, as an installed package has them.

The goal is 0.2 s for ``corehub --help`` with every shipped plugin.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("COREHUB_BENCH_CLI_RUNS", "15"))
GOAL_S = 0.2


def _command() -> list[str]:
    script = Path(sys.executable).with_name("corehub")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "corehub"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COREHUB_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
    env.update(extra)
    return env


def _once(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def bench(runs: int = RUNS) -> dict[str, dict[str, float]]:
    corehub = _command()
    with tempfile.TemporaryDirectory(prefix="corehub-bench-cli-") as tmp:
        folder = Path(tmp)
        subprocess.run(
            [*corehub, "init", "desk"], check=True, env=_env(), cwd=folder, capture_output=True
        )
        desk = folder / "desk"
        cases: dict[str, tuple[list[str], dict[str, str], Path]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], _env(), folder),
            "corehub --help": ([*corehub, "--help"], _env(), folder),
            "corehub --help in a workspace": (
                [*corehub, "--workspace", str(desk), "--help"],
                _env(),
                folder,
            ),
            "corehub --help in its folder": ([*corehub, "--help"], _env(), desk),
            "corehub --help, no plugins": (
                [*corehub, "--help"],
                _env(COREHUB_LOAD_PLUGINS=""),
                folder,
            ),
        }
        for args, env, cwd in cases.values():  # warm-up: bytecode caches, disk cache
            _once(args, env, cwd)
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, (args, env, cwd) in cases.items():
                wall, cpu = _once(args, env, cwd)
                walls[name].append(wall)
                cpus[name].append(cpu)
        shutil.rmtree(folder / "desk", ignore_errors=True)
    return {
        name: {"wall_s": statistics.median(walls[name]), "cpu_s": statistics.median(cpus[name])}
        for name in cases
    }


def main() -> None:
    print(f"corehub --help start-up vs python -c pass (median of {RUNS}, interleaved)")
    results = bench()
    base = results["python -c pass"]
    for name, r in results.items():
        ratio = "" if r is base else f"  ratio {r['wall_s'] / base['wall_s']:.1f}x"
        print(
            f"  {name:<31} {r['wall_s'] * 1000:6.0f} ms wall, {r['cpu_s'] * 1000:6.0f} ms CPU{ratio}"
        )
    helps = [
        results["corehub --help"],
        results["corehub --help in a workspace"],
        results["corehub --help in its folder"],
    ]
    for measure, label in (("wall_s", "wall-clock"), ("cpu_s", "CPU time")):
        worst = max(r[measure] for r in helps)
        verdict = "within" if worst <= GOAL_S else "OVER"
        print(
            f"  goal corehub --help <= {GOAL_S * 1000:.0f} ms, {label}: {verdict} ({worst * 1000:.0f} ms)"
        )
    if base["wall_s"] > 1.5 * base["cpu_s"]:
        print("  (this machine is busy: wall-clock times include waiting for a CPU)")


if __name__ == "__main__":
    main()
