"""Shared helpers: run the gtmgen command in-process, exactly as the console script does."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
CRUMB = ROOT / "playbooks" / "crumb" / "playbook.yaml"
LEDGERLY = ROOT / "playbooks" / "ledgerly" / "playbook.yaml"


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
