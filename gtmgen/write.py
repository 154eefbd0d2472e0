"""Atomic writes of a whole build: every file goes to a temporary file beside its target and
is renamed into place only when all of them were written; unchanged files are left alone."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gtmgen.errors import OutputError


class WriteError(OutputError):
    """An output could not be written; nothing of this build was put in place."""


@dataclass
class WriteReport:
    """Which files a build replaced and which it left as they were (same bytes)."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def target_path(out: Path, name: str) -> Path:
    """Where an output named `name` goes inside `out`; WriteError if it would leave `out`."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise WriteError(f"refusing to write '{name}': outputs stay inside {out}")
    target = out.joinpath(*relative.parts)
    root = out.resolve()
    if not target.resolve().is_relative_to(root):
        raise WriteError(f"refusing to write '{name}': it leads outside {out}")
    return target


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_outputs(out: Path, files: dict[str, bytes]) -> WriteReport:
    """Write every file into `out` atomically; WriteError, with nothing replaced, on failure."""
    report, pending = WriteReport(), list[tuple[Path, Path]]()
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            target = target_path(out, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_file() and target.read_bytes() == data:
                report.unchanged.append(target)
                continue
            mode = target.stat().st_mode & 0o7777 if target.exists() else _new_file_mode()
            handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                                 suffix=".tmp")
            pending.append((Path(temp_name), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temp_name, mode)
        while pending:
            temp_path, target = pending[0]
            os.replace(temp_path, target)
            pending.pop(0)
            report.written.append(target)
    except OSError as problem:
        raise WriteError(f"cannot write {problem.filename or out}: "
                         f"{problem.strerror or problem}") from None
    finally:
        for leftover, _ in pending:
            leftover.unlink(missing_ok=True)
    return report
