"""Time `gtmgen build --format json,csv,ics` as a whole process (median of 5 runs) on the
crumb example and on a large generated playbook (target: under 2 s here).

Run: .venv/bin/python benchmarks/build_data.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from common import GTMGEN, ROOT, time_command
from large_playbook import write_large_playbook


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        large = write_large_playbook(Path(folder) / "large.yaml")
        for playbook in (ROOT / "playbooks" / "crumb" / "playbook.yaml", large):
            command = [*GTMGEN, "build", str(playbook), "--out", str(Path(folder) / "out"),
                       "--format", "json,csv,ics"]
            seconds, code = time_command(command, runs=5)
            size = playbook.stat().st_size
            print(f"{seconds:6.3f} s  exit {code}  {playbook.name} ({size:,} bytes)")
            if code != 0:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
