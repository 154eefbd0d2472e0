"""Time the documents as whole processes, interleaved, median of 5: `gtmgen build` of the crumb
example in md, docx and html (four documents each) against `pandoc playbook.md -o out.docx` on
the same rendered Markdown; the PDFs of the crumb example; then the large playbook in every
format but pdf (target: under 5 s).

Run: .venv/bin/python benchmarks/documents.py   (needs Debian's pandoc for the comparison)
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


def main() -> int:
    crumb = ROOT / "playbooks" / "crumb" / "playbook.yaml"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        ours = [*GTMGEN, "build", str(crumb), "--out", str(out / "ours"), "--format",
                "md,docx,html"]
        run_once(ours)
        theirs = ["pandoc", str(out / "ours" / "playbook.md"), "-o", str(out / "pandoc.docx")]
        if shutil.which("pandoc") is None:
            print("pandoc is not installed: apt-get install pandoc")
            return 1
        times: dict[str, list[float]] = {"gtmgen": [], "pandoc": []}
        for _ in range(RUNS):
            # A fresh output folder each time, so every run renders and writes every file.
            shutil.rmtree(out / "ours")
            times["gtmgen"].append(run_once(ours))
            times["pandoc"].append(run_once(theirs))
        median = {name: statistics.median(values) for name, values in times.items()}
        print(f"{median['gtmgen']:6.3f} s  gtmgen build crumb --format md,docx,html "
              "(4 documents x 3 formats)")
        print(f"{median['pandoc']:6.3f} s  pandoc playbook.md -o out.docx (1 document)")
        print(f"{median['gtmgen'] / median['pandoc']:6.2f} x  ratio")
        charts = {"md": [*ours[:-1], "md"], "md,docx,html --no-charts": [*ours, "--no-charts"],
                  "md,docx,html with charts": ours}
        chart_times: dict[str, list[float]] = {name: [] for name in charts}
        for _ in range(RUNS):
            for name, command in charts.items():
                shutil.rmtree(out / "ours", ignore_errors=True)
                chart_times[name].append(run_once(command))
        for name, values in chart_times.items():
            print(f"{statistics.median(values):6.3f} s  gtmgen build crumb --format {name}")
        ratio = (statistics.median(chart_times["md,docx,html with charts"])
                 / statistics.median(chart_times["md,docx,html --no-charts"]))
        print(f"{ratio:6.2f} x  charts on / charts off (target under 3)")
        # PDF (the pdf extra) of the crumb documents: WeasyPrint lays out every page twice
        # (the contents need the page numbers).
        pdf = [*ours[:-1], "pdf"]
        pdf_times = []
        for _ in range(3):
            shutil.rmtree(out / "ours", ignore_errors=True)
            pdf_times.append(run_once(pdf))
        print(f"{statistics.median(pdf_times):6.3f} s  gtmgen build crumb --format pdf "
              "(4 documents)")
        large = write_large_playbook(out / "large.yaml")
        seconds, code = time_command([*GTMGEN, "build", str(large), "--out", str(out / "large"),
                                      "--format", "md,docx,html,json,csv,ics"], runs=3)
        print(f"{seconds:6.3f} s  large playbook, every format (exit {code})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
