"""Placeholder for playbook discovery."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gtmgen.config import RepoConfig


def discover(paths: Sequence[Path], config: RepoConfig | None, cwd: Path) -> list[Path]:
    found: list[Path] = []
    for path in paths or [cwd]:
        if path.is_dir():
            found += sorted(p for p in path.rglob("playbook.yaml") if "build" not in p.parts)
        else:
            found.append(path)
    return found
