"""Time the slide deck as whole processes, interleaved, median of 5: `gtmgen build` of the crumb
example in pptx against md (the Markdown alone) and docx (the four Word documents), with and
without charts, and with a client's template; then the large playbook in pptx (median of 3).

Run: .venv/bin/python benchmarks/slides.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from common import GTMGEN, ROOT, run_once, time_command
from large_playbook import write_large_playbook

RUNS = 5


def _template(path: Path) -> Path:
    """A client's template: python-pptx's own, saved as a file of the client's."""
    from pptx import Presentation

    Presentation().save(str(path))
    return path


def main() -> int:
    crumb = ROOT / "playbooks" / "crumb" / "playbook.yaml"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        base = [*GTMGEN, "build", str(crumb), "--out", str(out / "ours"), "--format"]
        cases = {
            "md": [*base, "md"],
            "docx": [*base, "docx"],
            "pptx": [*base, "pptx"],
            "pptx --no-charts": [*base, "pptx", "--no-charts"],
            "pptx --pptx-template": [*base, "pptx", "--pptx-template",
                                     str(_template(out / "brand.pptx"))],
        }
        for command in cases.values():
            run_once(command)  # warm the template and font caches
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(RUNS):
            for name, command in cases.items():
                # A fresh output folder each time, so every run renders and writes its files.
                shutil.rmtree(out / "ours", ignore_errors=True)
                times[name].append(run_once(command))
        for name, values in times.items():
            print(f"{statistics.median(values):6.3f} s  gtmgen build crumb --format {name}")
        large = write_large_playbook(out / "large.yaml")
        seconds, code = time_command([*GTMGEN, "build", str(large), "--out", str(out / "large"),
                                      "--format", "pptx"], runs=3)
        print(f"{seconds:6.3f} s  large playbook, pptx (exit {code})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
