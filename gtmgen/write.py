"""Writes a whole build at once: the new output set is assembled in a staging folder beside the
output folder and swapped in with one atomic exchange, so a reader sees the old set or the new
one, never a mix. Files whose bytes did not change keep their inode and modification time;
files of earlier builds that this build does not make are kept. Staging folders left by an
interrupted build are removed by the next one."""

from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gtmgen.errors import OutputError

STAGING = ".gtmgen-staging-"  # sibling folders: .NAME.gtmgen-staging-XXXX
OLD = "old"  # inside one: an old set moved aside where no atomic exchange exists
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


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


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    try:
        rename = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                  _RENAME_EXCHANGE)
    if done == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this file system
        return False
    raise OSError(errno, os.strerror(errno), str(second))


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One build at a time into the folders of `folder` (a lock on the folder itself)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _remove(folder: Path) -> None:
    """Remove a staging folder, even one whose folders were made read-only."""
    for root, dirs, _files in os.walk(folder):
        for name in dirs:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                try:
                    os.chmod(path, 0o700)
                except OSError:
                    pass
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass
    shutil.rmtree(folder, ignore_errors=True)


def _clear_stale(parent: Path, name: str) -> None:
    """Remove staging folders an interrupted build left beside the output folder; an old set
    that an interrupted swap had moved aside goes back in place first."""
    for stale in sorted(parent.glob(f".{name}{STAGING}*")):
        if not stale.is_dir() or stale.is_symlink():
            continue
        old = stale / OLD
        if old.is_dir() and not (parent / name).exists():
            os.rename(old, parent / name)
        _remove(stale)


def _carry(source: Path, target: Path) -> None:
    """Put a file of the old set into the new one unchanged: a hard link, else a copy."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _carry_over(old: Path, staging: Path, new_names: set[PurePosixPath]) -> None:
    """Everything in the old folder that this build does not make, kept as it is."""
    for root, dirs, files in os.walk(old, onerror=_raise):
        here = Path(root)
        relative = here.relative_to(old)
        (staging / relative).mkdir(parents=True, exist_ok=True)
        for entry in [*files, *(d for d in dirs if (here / d).is_symlink())]:
            path = PurePosixPath(*relative.parts, entry)
            if path in new_names:
                continue
            source = here / entry
            if source.is_symlink():
                os.symlink(os.readlink(source), staging / relative / entry)
            elif source.is_file():
                _carry(source, staging / relative / entry)
            else:
                raise WriteError(f"refusing to replace {old}: it holds {source}, "
                                 "which is not a file or a folder (a pipe, socket or device); "
                                 "move it out, the folder is replaced as a whole")
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]


def _raise(problem: OSError) -> None:
    # A folder that cannot be read is never dropped: the build stops instead.
    raise problem


def _copy_folder_modes(old: Path, staging: Path) -> None:
    """The old folders' modes on the new ones (a 0700 folder stays private), deepest first;
    called once everything is staged, so a read-only folder is filled before it closes."""
    for root, dirs, _files in sorted(os.walk(old, onerror=_raise),
                                     key=lambda item: -len(item[0])):
        for name in dirs:
            source = Path(root) / name
            target = staging / source.relative_to(old)
            if not source.is_symlink() and target.is_dir():
                shutil.copymode(source, target)


def _stage(out: Path, staging: Path, files: dict[str, bytes], report: WriteReport) -> None:
    for name, data in files.items():
        final = target_path(out, name)
        old = final if out.is_dir() else None
        staged = staging / final.relative_to(out)
        staged.parent.mkdir(parents=True, exist_ok=True)
        if old is not None and old.is_file() and not old.is_symlink() \
                and old.stat().st_size == len(data) and old.read_bytes() == data:
            _carry(old, staged)
            report.unchanged.append(final)
            continue
        mode = (old.stat().st_mode & 0o7777 if old is not None and old.is_file()
                else _new_file_mode())
        with open(staged, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(staged, mode)
        report.written.append(final)


def write_outputs(out: Path, files: dict[str, bytes],
                  dropped: Iterable[str] = ()) -> WriteReport:
    """Replace the output set in `out` with `files`, all at once; WriteError, with the old set
    left in place, when that cannot be done. `dropped`: files of an earlier build that this
    one no longer makes (a playbook now built in two languages writes into en/ and nl/): they
    are left out of the new folder; every other file in it is kept."""
    report = WriteReport()
    out = Path(os.path.abspath(out))
    if out.is_symlink():
        out = out.resolve()  # swap the folder the link points to, and keep the link
    names = {PurePosixPath(name) for name in files}
    gone = names | {PurePosixPath(name) for name in dropped}
    staging: Path | None = None
    try:
        for name in files:  # refuse a bad name before anything is touched
            target_path(out, name)
        if out.exists() and not out.is_dir():
            raise WriteError(f"cannot write into {out}: it is a file, not a folder")
        _check_own_folder(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out.parent):
            _clear_stale(out.parent, out.name)
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}{STAGING}", dir=out.parent))
            if out.is_dir():
                _carry_over(out, staging, gone)
            _stage(out, staging, files, report)
            # The folder's own mode last: a read-only output folder stays read-only, and the
            # staging folder stays writable until everything is in it.
            if out.is_dir():
                _copy_folder_modes(out, staging)
                shutil.copymode(out, staging)
            else:
                os.chmod(staging, 0o777 & ~os.umask(os.umask(0)))
            if not out.exists():
                os.rename(staging, out)
                staging = None
            elif _exchange(staging, out):
                pass  # staging now holds the old set, removed below
            else:
                # No atomic exchange here: the old set steps aside for an instant, and comes
                # back if the new one cannot take its place (or the next build brings it back).
                aside = Path(tempfile.mkdtemp(prefix=f".{out.name}{STAGING}", dir=out.parent))
                os.rename(out, aside / OLD)
                try:
                    os.rename(staging, out)
                except OSError:
                    os.rename(aside / OLD, out)
                    _remove(aside)
                    raise
                staging = aside
            _sync(out.parent)
    except OSError as problem:
        raise WriteError(f"cannot write {problem.filename or out}: "
                         f"{problem.strerror or problem}") from None
    finally:
        if staging is not None:
            _remove(staging)
    return report


def _check_own_folder(out: Path) -> None:
    # The whole folder is replaced at once, so it must be a folder of outputs, not the
    # folder you work in or a repository.
    here = Path.cwd().resolve()
    if out.resolve() == here or out.resolve() in here.parents:
        raise WriteError(f"refusing to write into {out}: it holds the current folder; give "
                         "the outputs a folder of their own (like build/)")
    if (out / ".git").exists():
        raise WriteError(f"refusing to write into {out}: it is a git repository; give the "
                         "outputs a folder of their own (like build/)")


def create_files(folder: Path, files: dict[str, bytes]) -> WriteReport:
    """Create new files in `folder`, never replacing one: WriteError naming those that exist,
    with nothing written. Each file appears whole (written aside, then linked into place)."""
    report, made = WriteReport(), list[Path]()
    try:
        targets = {name: target_path(folder, name) for name in files}
        taken = [str(path) for path in targets.values() if path.exists() or path.is_symlink()]
        if taken:
            raise WriteError(f"not overwriting {', '.join(taken)}; choose an empty folder")
        for name, data in files.items():
            target = targets[name]
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.chmod(temp, _new_file_mode())
                os.link(temp, target)  # fails, rather than replaces, if it appeared meanwhile
            finally:
                os.unlink(temp)
            made.append(target)
            report.written.append(target)
    except OSError as problem:
        for path in made:
            path.unlink(missing_ok=True)
        raise WriteError(f"cannot write {problem.filename or folder}: "
                         f"{problem.strerror or problem}") from None
    return report


def replace_file(path: Path, data: bytes) -> bool:
    """Replace one file whole: written aside, then renamed over the old one, so a reader sees
    the old bytes or the new. False (and nothing touched) when it already holds `data`."""
    try:
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, _new_file_mode())
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as problem:
        raise WriteError(f"cannot write {problem.filename or path}: "
                         f"{problem.strerror or problem}") from None
    return True


def _sync(folder: Path) -> None:
    """Make the folder's new entries durable (the swap survives a power cut)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
