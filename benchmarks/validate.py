"""Time `gtmgen validate` as a whole process: the examples, and every bad playbook of the test
corpus (each must fail with exit 1 well within a second).

Run: .venv/bin/python benchmarks/validate.py
"""

from __future__ import annotations

import sys

from common import GTMGEN, ROOT, time_command


def main() -> int:
    worst = 0.0
    for playbook in sorted((ROOT / "playbooks").glob("*/playbook.yaml")):
        seconds, code = time_command([*GTMGEN, "validate", str(playbook)], runs=7)
        print(f"{seconds:6.3f} s  exit {code}  {playbook.relative_to(ROOT)}")
    for case in sorted((ROOT / "tests" / "cases" / "bad").glob("*.yaml")):
        seconds, code = time_command([*GTMGEN, "validate", str(case)], runs=3)
        worst = max(worst, seconds)
        if code != 1:
            print(f"unexpected exit {code}: {case.name}")
            return 1
    print(f"{worst:6.3f} s  slowest bad playbook (median of 3 runs each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
