"""Placeholder for the repository config (gtmgen.toml)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RepoConfig:
    root: Path
    file: Path
    playbooks: tuple[str, ...] = ("**/playbook.yaml",)
    exclude: tuple[str, ...] = ()
    formats: tuple[str, ...] | None = None
    out: Path = Path("build")
    theme: Path | None = None
    templates: Path | None = None
    jobs: int | None = None
    defaults: Mapping[str, str] = field(default_factory=dict)


def find_config(start: Path) -> RepoConfig | None:
    return None
