"""Time a repository of 100 playbooks (variants of the crumb and ledgerly examples: each its own
client name and channel budgets) as whole processes:

1. a cold `gtmgen build` of all of them in md, docx and html, with an empty output folder and
   an empty cache of pictures, against 100 runs of `pandoc playbook.md -o out.docx` (target:
   less time than pandoc's 100 runs);
2. the same build again with nothing changed (target: under 1 s);
3. one playbook changed, then built again (target: under 2× one playbook's build alone).

Run: .venv/bin/python benchmarks/repository.py [--playbooks N] [--runs N] [--no-cache]
(needs Debian's pandoc). `--no-cache` times the cold build with no cache folder at all, so
that no chart is read back, not even one two variants share.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import ENV, GTMGEN, ROOT

EXAMPLES = ("crumb", "ledgerly")
FORMATS = "md,docx,html"


def write_repository(root: Path, count: int) -> list[Path]:
    """`count` playbooks under root/clients/NN/, alternating the two examples; each renames its
    client and raises its channels' budgets, so no two build the same documents."""
    made = []
    for number in range(count):
        example = EXAMPLES[number % len(EXAMPLES)]
        text = (ROOT / "playbooks" / example / "playbook.yaml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(  name: ).*$", rf"\g<1>Client {number:03d}", text, count=1)
        text = re.sub(r"(?m)^(    budget: )(\d+)$",
                      lambda found, extra=10 * number:
                      f"{found.group(1)}{int(found.group(2)) + extra}", text)
        folder = root / "clients" / f"{number:03d}-{example}"
        folder.mkdir(parents=True)
        (folder / "playbook.yaml").write_text(text, encoding="utf-8")
        made.append(folder / "playbook.yaml")
    return made


def timed(command: list[str], cwd: Path, env: dict[str, str] = ENV) -> float:
    """Wall seconds of one run, which must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--playbooks", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-cache", action="store_true")
    arguments = parser.parse_args()
    count, runs = arguments.playbooks, arguments.runs
    if shutil.which("pandoc") is None:
        print("pandoc is not installed: apt-get install pandoc")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        playbooks = write_repository(root, count)
        build = [*GTMGEN, "build", "clients", "--format", FORMATS]
        cold = []
        cache = Path(folder) / "cache"
        env = {**ENV, "XDG_CACHE_HOME": str(cache)}
        if arguments.no_cache:  # a file where the cache folder would be: nothing is kept
            env["XDG_CACHE_HOME"] = str(Path(folder) / "no-cache")
            Path(env["XDG_CACHE_HOME"]).write_text("")
        for _ in range(runs):
            shutil.rmtree(root / "build", ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(timed(build, root, env))
        env["XDG_CACHE_HOME"] = str(cache)
        markdown = root / "build" / "clients" / playbooks[0].parent.name / "playbook" / \
            "playbook.md"
        pandoc = sum(timed(["pandoc", str(markdown), "-o", str(Path(folder) / "out.docx")],
                           root) for _ in range(count))
        again = statistics.median(timed(build, root, env) for _ in range(5))
        changed, alone = [], []
        for number in range(5):
            target = playbooks[number * 7 % count]
            target.write_text(target.read_text(encoding="utf-8").replace(
                "Client ", f"Client {number}-", 1), encoding="utf-8")
            changed.append(timed(build, root, env))
            alone.append(timed([*GTMGEN, "build", str(target), "--format", FORMATS, "--out",
                                str(Path(folder) / "alone"), "--force"], root, env))
    print(f"{count} playbooks, {FORMATS}:")
    print(f"  cold build            {statistics.median(cold):7.2f} s  (median of {runs}"
          f"{', no cache' if arguments.no_cache else ''})")
    print(f"  pandoc × {count}          {pandoc:7.2f} s  (ratio "
          f"{statistics.median(cold) / pandoc:.2f}, target < 1)")
    print(f"  nothing changed       {again:7.2f} s  (target < 1 s)")
    print(f"  one playbook changed  {statistics.median(changed):7.2f} s  against one playbook "
          f"alone {statistics.median(alone):.2f} s (ratio "
          f"{statistics.median(changed) / statistics.median(alone):.2f}, target < 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
