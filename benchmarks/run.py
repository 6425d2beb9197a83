"""``make bench``: every benchmark, each printing ratios against a baseline measured in the same run."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

SUITES = [
    "bench_core",
    "bench_cli",
    "bench_render",
    "bench_web",
    "bench_quality",
    "bench_calibration",
    "bench_import",
]


def main() -> None:
    for name in SUITES:
        if not (Path(__file__).parent / f"{name}.py").exists():
            continue
        print(f"== {name}")
        start = time.perf_counter()
        importlib.import_module(name).main()
        print(f"   ({time.perf_counter() - start:.0f}s)")


if __name__ == "__main__":
    main()
