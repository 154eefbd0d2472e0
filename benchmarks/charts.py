"""Time the charts as whole processes, interleaved, median of RUNS: `gtmgen build` of the crumb
example in md, docx and html with charts and with --no-charts, and md alone (no picture at
all). The difference between the first two is what drawing the charts costs a build.

Run: .venv/bin/python benchmarks/charts.py [RUNS]
Another checkout's interpreter times that checkout's gtmgen on the same playbook (before and
after a change): /other/.venv/bin/python benchmarks/charts.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENV, GTMGEN, ROOT

RUNS = 11


def _once(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, cwd=ROOT, env=ENV)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr.decode()}")
    return time.perf_counter() - started


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    crumb = ROOT / "playbooks" / "crumb" / "playbook.yaml"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        base = [*GTMGEN, "build", str(crumb), "--out", str(out), "--format"]
        commands = {"md,docx,html with charts": [*base, "md,docx,html"],
                    "md,docx,html --no-charts": [*base, "md,docx,html", "--no-charts"],
                    "md": [*base, "md"]}
        _once(commands["md,docx,html with charts"])  # warm caches (fonts, bytecode)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                shutil.rmtree(out, ignore_errors=True)  # every run writes every file
                times[name].append(_once(command))
    print(f"gtmgen: {GTMGEN[0]}  ({runs} runs, median)")
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, seconds in median.items():
        print(f"{seconds:6.3f} s  gtmgen build crumb --format {name}")
    cost = median["md,docx,html with charts"] - median["md,docx,html --no-charts"]
    print(f"{cost:6.3f} s  the charts' share (with charts - without)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
