"""Which files are playbooks: the ones named, and the ones found in folders by the rules of
gtmgen.toml (or gtmgen's own rules where there is none).

A file is found when its path matches one of the `playbooks` globs, or when it is a .yaml or
.yml file whose top level has a `gtmgen:` key, and it matches none of the `exclude` globs. The
search never enters hidden folders, `build/` and `templates/` folders, the output root or the
configured templates folder, nor a symlinked folder that leads outside the repository.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

from gtmgen.config import DEFAULT_PLAYBOOKS, RepoConfig
from gtmgen.errors import UsageError
from gtmgen.repository import repository_root
from gtmgen.safeio import read_head, resolved

MARKER_BYTES = 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_FOLDERS = frozenset({"build", "templates", "node_modules", "__pycache__"})
# A top-level `gtmgen:` key: at the start of a line, bare or quoted, then a colon.
_MARKER = re.compile(rb"^(?:\xef\xbb\xbf)?(?:gtmgen|\"gtmgen\"|'gtmgen')[ \t]*:(?=[ \t\r\n#]|$)",
                     re.MULTILINE)


def is_playbook(raw: bytes) -> bool:
    """Whether a YAML file's bytes are a playbook's: a top-level `gtmgen:` key (no YAML is
    parsed)."""
    return _MARKER.search(raw) is not None


def has_marker(path: Path) -> bool:
    """Whether the file's first MiB has a top-level `gtmgen:` key."""
    head = read_head(path, MARKER_BYTES)  # a FIFO or a device is never waited on
    return head is not None and is_playbook(head)


@lru_cache(maxsize=256)
def _glob_parts(glob: str) -> tuple[str, ...]:
    """A glob's folder names; runs of `**` are one."""
    parts: list[str] = []
    for part in glob.strip("/").split("/"):
        if not (part == "**" and parts and parts[-1] == "**"):
            parts.append(part)
    return tuple(parts)


def _match_parts(globs: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Whether folder names match glob parts: `**` is any number of names (none included),
    any other part matches one name as fnmatch does (`*`, `?`, `[abc]`, `[!abc]`; a `**`
    inside a name is `*`). Each pair of positions is tried once, so no glob takes longer than
    its parts times the path's names."""
    failed: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        glob_at, name_at = stack.pop()
        if (glob_at, name_at) in failed:
            continue
        failed.add((glob_at, name_at))
        if glob_at == len(globs):
            if name_at == len(names):
                return True
            continue
        if globs[glob_at] == "**":
            stack.append((glob_at + 1, name_at))  # no more folders
            if name_at < len(names):
                stack.append((glob_at, name_at + 1))  # one more
        elif name_at < len(names) and fnmatchcase(names[name_at], globs[glob_at]):
            stack.append((glob_at + 1, name_at + 1))
    return False


def matches(relative: str, globs: Sequence[str]) -> bool:
    """Whether a '/'-separated relative path matches any of the globs."""
    names = tuple(relative.split("/"))
    return any(_match_parts(_glob_parts(glob), names) for glob in globs)


def excluded(relative: str, globs: Sequence[str]) -> bool:
    """Whether the path, or a folder it is in, matches an `exclude` glob."""
    parts = relative.split("/")
    return any(matches("/".join(parts[:end]), globs) for end in range(1, len(parts) + 1))


def discover(paths: Sequence[Path], config: RepoConfig | None, cwd: Path) -> list[Path]:
    """The playbooks to work on. Files given are taken as they are (any name); folders are
    searched; no paths means the configured repository, or `cwd` without a configuration.
    Sorted, each file once; files found are relative to `cwd` unless the folder was given as
    an absolute path.
    UsageError (exit 2) naming every path given that does not exist."""
    cwd = cwd.resolve()
    missing = [str(path) for path in paths if not (cwd / path).exists()]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        raise UsageError(f"{names} {'does' if len(missing) == 1 else 'do'} not exist")
    if not paths:
        paths = [Path(os.path.relpath(config.root if config is not None else cwd, cwd))]
    found: list[Path] = []
    for path in paths:
        full = cwd / path
        if not full.is_dir():
            found.append(path)
        elif path.is_absolute():  # named as the user named the folder
            found += _search(full, config)
        else:
            found += [Path(os.path.relpath(file, cwd)) for file in _search(full, config)]
    return _unique(found, cwd)


def _unique(found: list[Path], cwd: Path) -> list[Path]:
    seen, unique = set(), []
    for path in sorted(found, key=lambda p: p.parts):
        try:
            real = resolved(cwd / path)
        except OSError:  # a loop of links: kept, to be refused with its reason when read
            real = cwd / path
        if real not in seen:
            seen.add(real)
            unique.append(path)
    return unique


def _search(folder: Path, config: RepoConfig | None) -> Iterator[Path]:
    """The playbooks under `folder`, by the config's rules when it is in the config's
    repository, else by gtmgen's own."""
    inside = config is not None and config.covers(folder)
    if config is not None and inside:
        root, globs, exclude = config.root, config.playbooks, config.exclude
        never = {config.out.resolve()}
        if config.templates is not None:
            never.add(config.templates.resolve())
    else:
        root = repository_root(folder) or folder.resolve()
        globs, exclude, never = DEFAULT_PLAYBOOKS, (), set()
    base = folder.resolve()
    visited = {base}
    for here, folders, files in os.walk(base, followlinks=True):
        current = Path(here)
        keep = []
        for name in sorted(folders):
            child = current / name
            try:
                real = resolved(child)
            except OSError:
                continue
            if (name.startswith(".") or name in SKIPPED_FOLDERS or real in never
                    or real in visited or not real.is_relative_to(root)
                    or excluded(child.relative_to(root).as_posix(), exclude)):
                continue
            visited.add(real)
            keep.append(name)
        folders[:] = keep
        for name in files:
            if not name.endswith(YAML_SUFFIXES):
                continue
            path = current / name
            relative = path.relative_to(root).as_posix()
            try:
                real = resolved(path)
            except OSError:  # a loop of symbolic links is no file at all
                continue
            if excluded(relative, exclude) or not real.is_relative_to(root):
                continue
            if matches(relative, globs) or has_marker(path):
                yield folder / path.relative_to(base)

