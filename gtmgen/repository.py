"""Where a playbook's repository begins: the boundary its includes and default outputs keep to."""

from __future__ import annotations

from pathlib import Path

CONFIG_FILE = "gtmgen.toml"


def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` (a file's folder, or a folder) that holds
    gtmgen.toml or .git, resolved; None when there is none."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_FILE).is_file() or (candidate / ".git").exists():
            return candidate
    return None


def trusted_folder(playbook: Path) -> Path:
    """What a playbook may reach: its repository, or its own folder when there is none."""
    return repository_root(playbook.parent) or playbook.parent.resolve()
