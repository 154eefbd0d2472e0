"""Time the charts as whole processes, interleaved, median of RUNS: `gtmgen build` of the crumb
example in md, docx and html with charts and with --no-charts, and md alone (no picture at
all). The difference between the first two is what drawing the charts costs a build.

Run: .venv/bin/python benchmarks/charts.py [RUNS] [OTHER_GTMGEN]
With OTHER_GTMGEN (another checkout's .venv/bin/gtmgen: before a change), both are timed on the
same playbook, their runs interleaved so that a busy machine slows both alike.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from common import GTMGEN, ROOT, run_once

RUNS = 11


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    programs = {"this": GTMGEN[0]}
    if len(sys.argv) > 2:
        programs["other"] = sys.argv[2]
    crumb = ROOT / "playbooks" / "crumb" / "playbook.yaml"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        commands = {}
        for who, program in programs.items():
            base = [program, "build", str(crumb), "--out", str(out), "--format"]
            commands.update({
                (who, "md,docx,html with charts"): [*base, "md,docx,html"],
                (who, "md,docx,html --no-charts"): [*base, "md,docx,html", "--no-charts"],
                (who, "md"): [*base, "md"]})
        for command in commands.values():
            run_once(command)  # warm caches (fonts, bytecode)
        times: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
        for _ in range(runs):
            for key, command in commands.items():
                shutil.rmtree(out, ignore_errors=True)  # every run writes every file
                times[key].append(run_once(command))
    median = {key: statistics.median(values) for key, values in times.items()}
    for who, program in programs.items():
        print(f"{who}: {program}  ({runs} runs, median)")
        for (whose, name), seconds in median.items():
            if whose == who:
                print(f"{seconds:6.3f} s  gtmgen build crumb --format {name}")
        cost = median[(who, "md,docx,html with charts")] - \
            median[(who, "md,docx,html --no-charts")]
        print(f"{cost:6.3f} s  the charts' share (with charts - without)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
