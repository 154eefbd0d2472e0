"""`include:` — the shared pieces of a playbook: other YAML files of playbook sections, each read
behind the same guards as the playbook, kept inside its repository, and merged into it.

Each problem is located at the include entry that names the file, or in the included file
itself; the names are the paths as the user reaches them (the playbook's name as given, joined
with the include's relative path).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmgen.diagnostics import Diagnostic, Severity, excerpt, sort_diagnostics
from gtmgen.errors import ReadError
from gtmgen.load import EMPTY_FILE, MAX_NODES, Loaded, Origin, Path_, load_bytes, read_bytes
from gtmgen.merge import merge
from gtmgen.repository import repository_root, trusted_folder
from gtmgen.safeio import resolved
from gtmgen.types import describe

INCLUDE_KEY = "include"
PLAYBOOK_KEY = "gtmgen"  # marks a playbook; an included file is a piece of one
MAX_INCLUDE_DEPTH = 16  # includes within includes
MAX_INCLUDED_FILES = 100  # files included in all, at every depth


@dataclass
class _Reading:
    """One playbook's reading: the boundary its includes keep to, and what was read so far."""

    root: Path
    boundary: str  # words for the root in messages
    sources: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    included_at: dict[Path, str] = field(default_factory=dict)  # file → "name:line" of its entry
    values: int = 0

    def expand(self, loaded: Loaded, origin: Origin, reach: Path,
               chain: list[tuple[Path, str]]) -> Loaded:
        """The file's data with its includes merged in (`reach`: the path it was opened by,
        `chain`: the files from the playbook down to it, resolved and by name)."""
        data = loaded.data
        if not isinstance(data, dict) or INCLUDE_KEY not in data:
            return loaded
        parts = []
        for name, where in self._entries(loaded, origin):
            part = self._include(name, where, loaded, origin, reach, chain)
            if part is not None:
                parts.append(part)
        own = Loaded({k: v for k, v in data.items() if k != INCLUDE_KEY}, loaded.positions,
                     loaded.key_positions, loaded.files)
        if not parts:
            return own
        merged, problems = merge(parts, own, origin)
        self.problems += problems
        return merged

    def _entries(self, loaded: Loaded, origin: Origin) -> list[tuple[str, Path_]]:
        """The include entries, each with its path in the file; a wrong entry is an error."""
        value = loaded.data[INCLUDE_KEY]
        if value is None:
            return []
        if isinstance(value, str):
            return [(value, (INCLUDE_KEY,))]
        if not isinstance(value, list):
            self._refuse(loaded, origin, (INCLUDE_KEY,), "include takes the path of a YAML "
                         f"file, or a list of them; found {describe(value)}")
            return []
        entries: list[tuple[str, Path_]] = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                entries.append((item, (INCLUDE_KEY, index)))
            else:
                self._refuse(loaded, origin, (INCLUDE_KEY, index), "an include entry is the "
                             f"path of a YAML file (text); found {describe(item)}")
        return entries

    def _refuse(self, loaded: Loaded, origin: Origin, where: Path_, message: str) -> None:
        self.problems.append(Diagnostic(origin.name, *loaded.position(where), Severity.ERROR,
                                        message, ".".join(map(str, where))))

    def _include(self, entry: str, where: Path_, loaded: Loaded, origin: Origin, reach: Path,
                 chain: list[tuple[Path, str]]) -> tuple[Loaded, Origin] | None:
        """One included file, read, checked and expanded; None (with an error) when refused."""
        name = os.path.normpath(os.path.join(os.path.dirname(origin.name), entry))
        target = reach.parent / entry
        real = target
        try:
            real = resolved(target)  # after every symlink: a link may not lead outside
            problem = self._problem(entry, name, real, chain)
        except OSError as error:  # a name too long for the system, say
            problem = f"'{excerpt(entry)}' cannot be a path here ({error.strerror or error})"
        except ValueError:  # no path holds a NUL character
            problem = "an include path cannot hold the character U+0000; remove it"
        if problem is None:
            return self._read(entry, where, loaded, origin, (name, target, real), chain)
        self._refuse(loaded, origin, where, problem)
        return None

    def _problem(self, entry: str, name: str, real: Path,
                 chain: list[tuple[Path, str]]) -> str | None:
        """Why the file an entry names (`real`, resolved) may not be included, or None."""
        shown = excerpt(entry)
        if not entry.strip():
            return "an include entry is empty; give the path of a YAML file"
        if os.path.isabs(entry):
            return (f"'{shown}' is an absolute path; an include is relative to the file that "
                    f"names it, and stays inside {self.boundary}")
        if not real.is_relative_to(self.root):
            return f"'{shown}' resolves to {real}, outside {self.boundary}; includes stay inside it"
        files = [path for path, _ in chain]
        if real in files:
            names = [n for _, n in chain[files.index(real):]]
            return f"includes go round in a circle: {' → '.join([*names, name])}"
        if not real.exists():
            return (f"there is no file '{shown}' ({excerpt(name)}); an include is relative to "
                    "the file that names it")
        if real.is_dir():
            return f"'{shown}' is a folder; include a YAML file"
        if real in self.included_at:
            return (f"'{shown}' is already included (at {self.included_at[real]}); include each "
                    "file once")
        if len(chain) > MAX_INCLUDE_DEPTH:
            return (f"includes nest more than {MAX_INCLUDE_DEPTH} levels deep here; a playbook "
                    "never needs that many")
        if len(self.sources) > MAX_INCLUDED_FILES:
            return (f"a playbook includes at most {MAX_INCLUDED_FILES} files; this would be one "
                    "more")
        return None

    def _read(self, entry: str, where: Path_, loaded: Loaded, origin: Origin,
              file: tuple[str, Path, Path],
              chain: list[tuple[Path, str]]) -> tuple[Loaded, Origin] | None:
        name, target, real = file
        try:
            raw = read_bytes(real, name)
        except ReadError as problem:
            self._refuse(loaded, origin, where, str(problem))
            return None
        self.sources.append(real)
        self.included_at[real] = f"{origin.name}:{loaded.position(where)[0]}"
        part, problems = load_bytes(raw, name)
        if part is None:
            if [p.message for p in problems] != [EMPTY_FILE]:  # an empty file adds nothing
                self.problems += problems
            return None
        self.values += len(part.positions)
        if self.values > MAX_NODES:
            self._refuse(loaded, origin, where, f"'{excerpt(entry)}' brings the playbook past "
                         f"{MAX_NODES:,} values; a playbook never needs that many")
            return None
        own = Origin(name, real.parent)
        if not _is_piece(part, name, self.problems):
            return None
        return self.expand(part, own, target, [*chain, (real, name)]), own


def _is_piece(part: Loaded, name: str, problems: list[Diagnostic]) -> bool:
    """Whether an included file is a mapping of sections without `gtmgen:`; else an error."""
    data: Any = part.data
    if not isinstance(data, dict):
        problems.append(Diagnostic(name, *part.position(()), Severity.ERROR,
                                   "an included file is a mapping of playbook sections "
                                   f"(personas:, roles:, …); found {describe(data)}"))
        return False
    if PLAYBOOK_KEY in data:
        problems.append(Diagnostic(name, *part.key_position((PLAYBOOK_KEY,)), Severity.ERROR,
                                   f"an included file has no '{PLAYBOOK_KEY}:' key: that key "
                                   "marks a playbook, and gtmgen finds playbooks by it; remove "
                                   "it here", PLAYBOOK_KEY))
        return False
    return True


def load_playbook(raw: bytes, file: str,
                  path: Path) -> tuple[Loaded | None, list[Diagnostic], tuple[Path, ...]]:
    """Bytes of the playbook at `path` (named `file`) → (Loaded with every include merged in,
    [], the files read) or (None, the diagnostics that stopped reading, the files read so far).
    The files read are resolved, the playbook first, then each included file in reading order."""
    sources = [path.resolve()]
    loaded, problems = load_bytes(raw, file)
    if loaded is None or not isinstance(loaded.data, dict) or INCLUDE_KEY not in loaded.data:
        return loaded, problems, tuple(sources)
    root = trusted_folder(path)
    words = "the repository" if repository_root(path.parent) else "the playbook's folder"
    reading = _Reading(root, f"{words} {root}", sources, values=len(loaded.positions))
    merged = reading.expand(loaded, Origin(file, path.parent), path, [(sources[0], file)])
    if reading.problems:
        return None, sort_diagnostics(reading.problems), tuple(reading.sources)
    return merged, [], tuple(reading.sources)
