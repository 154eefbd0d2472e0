"""Time `gtmgen diff` as a whole process: two revisions of the large playbook (a launch moved
by a week: every one of its ~12,000 calendar events moves) in a temporary git repository,
compared in every output format. The target is under 2 s.

Run: .venv/bin/python benchmarks/diff.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from common import GTMGEN, time_command
from large_playbook import write_large_playbook

TARGET_SECONDS = 2.0


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=folder, check=True,
                   capture_output=True)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="gtmgen-bench-diff-") as name:
        folder = Path(name)
        playbook = write_large_playbook(folder / "playbook.yaml")
        _git(folder, "init", "-q")
        _git(folder, "add", "-A")
        _git(folder, "commit", "-q", "-m", "large")
        text = playbook.read_text(encoding="utf-8")
        playbook.write_text(text.replace("date: '2027-01-04'", "date: '2027-01-11'"),
                            encoding="utf-8")
        _git(folder, "commit", "-q", "-am", "a week later")
        slowest = 0.0
        for form in ("text", "md", "json"):
            command = [*GTMGEN, "diff", "HEAD~1:playbook.yaml", "HEAD:playbook.yaml",
                       "--format", form]
            seconds, code = time_command(["sh", "-c", f'cd "{folder}" && "$@"', "sh",
                                          *command], runs=5)
            slowest = max(slowest, seconds)
            print(f"{seconds:6.3f} s  exit {code}  diff --format {form} (median of 5 runs)")
            if code != 1:
                print(f"unexpected exit {code}: the plans differ")
                return 1
    print(f"{slowest:6.3f} s  slowest; target {TARGET_SECONDS:.1f} s")
    return 0 if slowest < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
