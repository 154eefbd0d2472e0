"""How a full build grows with the calendar: the large playbook with 1×, 2× and 4× its phases
and at the largest size gtmgen accepts (MAX_EVENTS), every format, as whole processes. Prints
the median time, the time per calendar event beyond a small build's, and peak memory.

Run: .venv/bin/python benchmarks/scale.py [runs]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENV, GTMGEN, ROOT
from large_playbook import write_large_playbook

FORMATS = "md,docx,html,json,csv,ics"
# 40 daily channels: a phase of two weeks may hold 40 × 14 = 560 activities (10 of its days
# are workdays, so 400 are made) and a work-back of 1 + 2 × 40 = 81 tasks. 44 phases come to
# 28,204 + starts, reviews and hires: under the 30,000 entries gtmgen accepts; 46 phases are
# the largest it accepts (29,711 counted), 47 are refused.
SIZES = [("1x", 11), ("2x", 22), ("4x", 44), ("largest", 46)]
LARGEST_REFUSED = 47


def run(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak memory (MiB) of one whole process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             cwd=ROOT, env=ENV)
    _, status, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - started, os.waitstatus_to_exitcode(status), \
        usage.ru_maxrss // 1024


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as folder:
        base = ROOT / "playbooks" / "crumb" / "playbook.yaml"
        rows = []
        for label, phases in [("crumb", 0), *SIZES]:
            playbook = base if not phases else write_large_playbook(
                Path(folder) / f"large-{label}.yaml", phases)
            out = Path(folder) / f"out-{label}"
            measured = [run([*GTMGEN, "build", str(playbook), "--out", str(out),
                             "--format", FORMATS]) for _ in range(runs)]
            if any(code != 0 for _, code, _ in measured):
                print(f"{label}: build failed")
                return 1
            events = len(json.loads((out / "plan.json").read_text())["calendar"])
            rows.append((label, events, statistics.median(t for t, _, _ in measured),
                         max(m for _, _, m in measured)))
        small = rows[0]
        print(f"{'size':>6} {'events':>8} {'median s':>9} {'ms/event':>9} {'peak MiB':>9}")
        for label, events, seconds, memory in rows:
            per = (seconds - small[2]) * 1000 / (events - small[1]) if label != "crumb" else 0
            print(f"{label:>6} {events:>8,} {seconds:>9.2f} {per:>9.3f} {memory:>9,}")
        refused = write_large_playbook(Path(folder) / "too-large.yaml", LARGEST_REFUSED)
        seconds, code, memory = run([*GTMGEN, "build", str(refused), "--out",
                                     str(Path(folder) / "refused"), "--format", FORMATS])
        print(f"{LARGEST_REFUSED} phases: exit {code} in {seconds:.2f} s, {memory} MiB "
              "(refused: over the calendar limit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
