"""Shared helpers: run the gtmgen command in-process, exactly as the console script does."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
# The crumb example is written in English and Dutch (client.locales); most tests read its
# English alone: CRUMB is that view, each text its English, on the same lines and columns.
CRUMB_BOTH = ROOT / "playbooks" / "crumb" / "playbook.yaml"
LEDGERLY = ROOT / "playbooks" / "ledgerly" / "playbook.yaml"


# The suite never writes into the user's home: the template and font caches go to a folder of
# the run (`make test` points them at .cache/ in the checkout; a bare pytest gets a temporary
# one). Subprocesses inherit the setting.
_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or tempfile.mkdtemp(prefix="gtmgen-test-cache-"))
os.environ["XDG_CACHE_HOME"] = str(_CACHE)
os.environ.setdefault("MPLCONFIGDIR", str(_CACHE / "matplotlib"))


def _english_crumb() -> Path:
    from tests.bilingual import write_one_locale

    folder = Path(tempfile.mkdtemp(prefix="gtmgen-crumb-en-"))  # one per run
    shutil.copy(CRUMB_BOTH.parent / "results.csv", folder / "results.csv")
    return write_one_locale(CRUMB_BOTH, folder / "playbook.yaml", "en")


CRUMB = _english_crumb()

# `ci` (what `make test` uses) draws the same examples on every run, so a red CI is reproducible
# and no failure database is kept between runs; `dev` explores afresh each time.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def gtmgen(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Call `gtmgen ARGS...` through its entry point; return exit code, stdout, stderr."""
    from gtmgen.cli import main

    def run(*args: str | Path) -> Run:
        monkeypatch.setattr(sys, "argv", ["gtmgen", *map(str, args)])
        code = 0
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def crumb(tmp_path: Path) -> Path:
    """A copy of the crumb example alone in a temporary folder."""
    folder = tmp_path / "crumb"
    folder.mkdir()
    shutil.copy(CRUMB, folder / "playbook.yaml")
    return folder / "playbook.yaml"
