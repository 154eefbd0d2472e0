"""Included files' data merged into the file that includes them, every value keeping the file,
line and column it was written at.

Lists concatenate (the included files' entries first, in include order, then the file's own);
mappings merge key by key; a value the including file writes itself wins over what it
includes, like YAML's `<<`; two included files may not both give one value.
"""

from __future__ import annotations

from typing import Any

from gtmgen.diagnostics import Diagnostic, Severity, path_text
from gtmgen.load import Loaded, Origin, Path_


def _decides(data: Any, path: Path_) -> bool:
    """Whether `data` gives a single value at `path`, which replaces whatever is included
    there (a mapping or a list would merge with the included values instead)."""
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return data is not None and not isinstance(data, dict | list)


class _Merger:
    """Builds one Loaded from the parts of a file, in order: its includes, then itself."""

    def __init__(self, own: Loaded, origin: Origin) -> None:
        self.own, self.origin = own, origin
        self.out = Loaded({}, {(): own.position(())})
        self.problems: list[Diagnostic] = []

    def into(self, acc: dict[str, Any], part: Loaded, values: dict[str, Any], path: Path_,
             origin: Origin, *, own: bool) -> None:
        """Merge the mapping `values` (at `path` in `part`) into `acc` (at `path` in out)."""
        for key, value in values.items():
            here = (*path, key)
            old = acc.get(key)
            if key not in acc or (old is None and value is not None):
                acc[key] = value
                self._copy(part, here, here, value, origin)
            elif value is None:
                continue  # an empty value is "not given": it takes nothing away
            elif isinstance(old, dict) and isinstance(value, dict):
                self.into(old, part, value, here, origin, own=own)
            elif isinstance(old, list) and isinstance(value, list):
                acc[key] = [*old, *value]
                for index, item in enumerate(value):
                    self._copy(part, (*here, index), (*here, len(old) + index), item, origin)
            elif own:
                acc[key] = value
                self._copy(part, here, here, value, origin)
            elif not _decides(self.own.data, here):
                self._conflict(part, here, origin, old, value)

    def _copy(self, part: Loaded, source: Path_, target: Path_, value: Any,
              origin: Origin) -> None:
        """Record the places of `value` (at `source` in `part`) at `target`, marked with its
        file so that diagnostics about it name that file."""
        out = self.out
        out.files[target] = part.origin_of(source) or origin
        stack = [(source, target, value)]
        while stack:
            here, there, item = stack.pop()
            if (position := part.positions.get(here)) is not None:
                out.positions[there] = position
            if (key_position := part.key_positions.get(here)) is not None:
                out.key_positions[there] = key_position
            if here != source and (mark := part.files.get(here)) is not None:
                out.files[there] = mark
            if isinstance(item, dict):
                stack.extend(((*here, k), (*there, k), v) for k, v in item.items())
            elif isinstance(item, list):
                stack.extend(((*here, i), (*there, i), v) for i, v in enumerate(item))

    def _conflict(self, part: Loaded, path: Path_, origin: Origin, old: Any, new: Any) -> None:
        first = f"{self.out.file_of(path) or self.origin.name}:{self.out.key_position(path)[0]}"
        second = part.file_of(path) or origin.name
        kinds = [_kind(value) for value in (new, old)]
        said = (f"is {kinds[0]} here but {kinds[1]} in {first}" if kinds[0] != kinds[1] else
                f"is given by two included files (first at {first})")
        self.problems.append(Diagnostic(
            second, *part.key_position(path), Severity.ERROR,
            f"'{path_text(path)}' {said}; give it in one of them, or in {self.origin.name} "
            "itself, whose own values win", path_text(path)))


def _kind(value: Any) -> str:
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) \
        else "a single value"


def merge(parts: list[tuple[Loaded, Origin]], own: Loaded,
          origin: Origin) -> tuple[Loaded, list[Diagnostic]]:
    """The parts a file includes (each a mapping, with the file it came from) and the file's own
    data (`own`, from `origin`), merged into one Loaded; conflicts between parts as errors."""
    merger = _Merger(own, origin)
    for part, part_origin in parts:
        merger.into(merger.out.data, part, part.data, (), part_origin, own=False)
    merger.into(merger.out.data, own, own.data, (), origin, own=True)
    return merger.out, merger.problems
