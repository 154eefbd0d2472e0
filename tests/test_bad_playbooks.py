"""The corpus of bad playbooks: each file's first line says where the error must be reported
and which words the message must contain (`# expect: LINE:COL | words | more words`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CASES

BAD = sorted((CASES / "bad").glob("*.yaml"))


def _expectation(path: Path) -> tuple[str, list[str]]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8-sig")
    assert first.startswith("# expect: "), path
    place, *words = (part.strip() for part in first[len("# expect: "):].split("|"))
    return place, words


def test_corpus_is_large_enough() -> None:
    assert len(BAD) >= 35


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_playbook_is_reported_at_its_place(path: Path, gtmgen) -> None:
    place, words = _expectation(path)
    run = gtmgen("validate", path)
    assert run.code == 1
    assert "Traceback" not in run.err
    prefix = f"{path}:{place}: error: "
    lines = [line for line in run.err.splitlines() if line.startswith(prefix)]
    assert lines, f"no error at {place}; got:\n{run.err}"
    assert any(all(word in line for word in words) for line in lines), run.err


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_playbook_builds_nothing_quickly(path: Path, gtmgen, tmp_path) -> None:
    out = tmp_path / "out"
    started = time.perf_counter()
    run = gtmgen("build", path, "--out", out, "--format", "md,docx,html,json,csv,ics")
    assert run.code == 1 and "internal error" not in run.err
    assert not out.exists()
    assert time.perf_counter() - started < 1


# Values that once crashed a build (dates past 9999, infinite numbers, a phase of a million
# days): as a whole process they stop with their error in well under 200 MB.
OUT_OF_RANGE = ["launch-date-year-9999", "launch-date-year-1", "client-date-year-9999",
                "phase-start-year-9999", "hiring-lead-days-huge", "review-offset-huge",
                "budget-1e309", "budget-1e308", "budget-5000-digits", "cac-tiny",
                "client-name-30000-characters", "phase-of-a-million-days"]


@pytest.mark.parametrize("name", OUT_OF_RANGE)
def test_out_of_range_values_stop_early_in_little_memory(name: str, tmp_path) -> None:
    path = CASES / "bad" / f"{name}.yaml"
    child = subprocess.Popen([sys.executable, "-m", "gtmgen.cli", "build", str(path), "--out",
                              str(tmp_path / "out"), "--format", "md,docx,html,json,csv,ics"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    assert child.stderr is not None
    err = child.stderr.read().decode()
    assert os.waitstatus_to_exitcode(status) == 1, err
    assert usage.ru_maxrss < 200 * 1024  # KiB
    assert len(err) < 2000  # a short message, never the value whole
