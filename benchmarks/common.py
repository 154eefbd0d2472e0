"""Whole-process timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GTMGEN = [str(Path(sys.executable).parent / "gtmgen")]
# As on a user's machine: Python keeps compiled modules (some sandboxes switch that off).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_command(command: list[str], runs: int = 5) -> tuple[float, int]:
    """Median wall time in seconds of `runs` runs of a command, and its last exit code."""
    times, code = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        code = subprocess.run(command, capture_output=True, cwd=ROOT, env=ENV).returncode
        times.append(time.perf_counter() - started)
    return statistics.median(times), code


def run_once(command: list[str]) -> float:
    """Wall time in seconds of one run of a command, which must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, cwd=ROOT, env=ENV)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr.decode()}")
    return time.perf_counter() - started
