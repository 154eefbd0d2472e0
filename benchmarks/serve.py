"""Time the live preview against pandoc's cold `playbook.md -o out.docx` on the same machine, in
the same run (medians; the crumb example in English, four documents in md, docx and html):

1. cold `gtmgen build` as a whole process, with an empty chart cache and with the chart cache
   of an earlier build (pandoc interleaved; target with the warm cache: at most 2x);
2. the warm rebuild inside `gtmgen serve` after a one-line text edit (the time the server
   prints; target: at most pandoc's);
3. save to reloaded page, in Chromium driven by Playwright: from writing the file to the new
   words on the page (target: under 0.5 s).

Run: .venv/bin/python benchmarks/serve.py [--old TREE]
`--old TREE` also times the cold build of another checkout of gtmgen (its code and templates,
this venv's libraries), for a before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENV, GTMGEN, ROOT, run_once

sys.path.insert(0, str(ROOT))
RUNS = 7
FIRST = "Warm, bakery-quality cookies in 18 minutes from your freezer."
EDITS = ("Fresh cookies in ten minutes, straight from the freezer.", FIRST)


def english_crumb(folder: Path) -> Path:
    from tests.bilingual import write_one_locale

    return write_one_locale(ROOT / "playbooks" / "crumb" / "playbook.yaml",
                            folder / "crumb" / "playbook.yaml", "en")


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr.decode()}")
    return time.perf_counter() - started


def cold(playbook: Path, folder: Path, old: Path | None) -> None:
    out = folder / "out"
    build = [*GTMGEN, "build", str(playbook), "--out", str(out), "--format", "md,docx,html"]
    run_once(build)
    shutil.copy(out / "playbook.md", folder / "playbook.md")
    pandoc = ["pandoc", str(folder / "playbook.md"), "-o", str(folder / "pandoc.docx")]
    warm_cache = {**ENV, "XDG_CACHE_HOME": str(folder / "cache")}
    timed(build, warm_cache)  # draws the charts once into that cache
    kinds: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "pandoc": (pandoc, ENV), "cold, empty chart cache": (build, None),
        "cold, chart cache kept": (build, warm_cache)}
    if old is not None:
        before = [sys.executable, "-m", "gtmgen.cli", *build[1:]]
        kinds["before: cold, empty chart cache"] = (before, None)
        kinds["before: cold, chart cache kept"] = (before, {**warm_cache, "PYTHONPATH": str(old)})
    times: dict[str, list[float]] = {name: [] for name in kinds}
    for run in range(RUNS):
        for name, (command, env) in kinds.items():
            shutil.rmtree(out, ignore_errors=True)
            if env is None:  # an empty cache each run
                env = {**ENV, "XDG_CACHE_HOME": str(folder / f"empty-{len(name)}-{run}")}
                if name.startswith("before"):
                    env["PYTHONPATH"] = str(old)
            times[name].append(timed(command, env))
    pandoc_median = statistics.median(times["pandoc"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{median:6.3f} s  {name}" + ("" if name == "pandoc" else
                                             f"  ({median / pandoc_median:.2f}x pandoc)"))


def warm(playbook: Path) -> None:
    env = {**ENV, "PYTHONUNBUFFERED": "1", "XDG_CACHE_HOME": str(playbook.parent / "cache")}
    server = subprocess.Popen([*GTMGEN, "serve", str(playbook), "--port", "0"], env=env,
                              text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert server.stdout is not None
    try:
        port = 0
        while not port:
            line = server.stdout.readline()
            if not line:
                raise SystemExit(f"gtmgen serve stopped: {server.stderr.read()}")  # type: ignore[union-attr]
            found = re.search(r"localhost:(\d+)/", line)
            port = int(found.group(1)) if found else 0
        time.sleep(1.5)  # the watch begins
        text = playbook.read_text(encoding="utf-8")

        def edit(run: int) -> str:
            nonlocal text
            new = EDITS[run % 2]
            text = text.replace(EDITS[(run + 1) % 2], new, 1)
            playbook.write_text(text, encoding="utf-8")
            return new

        def rebuilt() -> float:
            line = server.stdout.readline()  # type: ignore[union-attr]
            found = re.search(r"rebuilt in ([\d.]+) s", line)
            assert found, line
            return float(found.group(1))

        # The rebuild alone, no browser drawing pages beside it on the same cores.
        rebuilds = []
        for run in range(RUNS * 2):
            edit(run)
            rebuilds.append(rebuilt())
            time.sleep(0.2)
        reloads = []
        from playwright.sync_api import sync_playwright

        from tests.browser import FLAGS

        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/playbook.html")
            for run in range(RUNS * 2):
                started = time.perf_counter()
                new = edit(run)
                page.wait_for_function("t => document.body.innerText.includes(t)", arg=new,
                                       polling=5, timeout=30_000)
                page.wait_for_load_state("load")
                reloads.append(time.perf_counter() - started)
                rebuilt()
                time.sleep(0.3)
            browser.close()
        print(f"{statistics.median(rebuilds):6.3f} s  warm rebuild in gtmgen serve, md, docx "
              f"and html after a one-line edit (median of {len(rebuilds)})")
        print(f"{statistics.median(reloads):6.3f} s  save to reloaded page in Chromium "
              f"(median of {len(reloads)}; slowest {max(reloads):.3f} s)")
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", type=Path, help="another checkout of gtmgen, for 'before'")
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        print("pandoc is not installed: apt-get install pandoc")
        return 1
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        playbook = english_crumb(folder)
        cold(playbook, folder, args.old.resolve() if args.old else None)
        warm(playbook)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    raise SystemExit(main())
