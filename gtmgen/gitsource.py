"""Playbooks as a git revision had them: `REV:PATH` → the playbook's folder tree of that
revision, extracted into a temporary folder, so that it is read with everything beside it (its
theme.yaml, templates, the files it names or includes) as they were then.

PATH is relative to the current folder, as `git show REV:./PATH` reads it. Only this module
runs git.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gtmgen.diagnostics import excerpt
from gtmgen.errors import UsageError
from gtmgen.repository import CONFIG_FILE

PLAYBOOK_SUFFIXES = (".yaml", ".yml")


class GitProblem(UsageError):
    """git is missing, the folder is no repository, a revision or a path in it is unknown."""


def is_revision_side(name: str) -> bool:
    """Whether a side names a file at a revision (REV:PATH) rather than a file: a name that is
    a file is always that file, as git itself decides."""
    return ":" in name and not Path(name).is_file()


def _git(args: list[str], cwd: Path | None = None, data: bytes | None = None) -> bytes:
    """git's output; GitProblem with git's own first line of complaint when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True,
                              check=False)
    except FileNotFoundError:
        raise GitProblem("git is not installed (REV:PATH and --git need it)") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitProblem(lines[0] if lines else f"git {args[0]} failed")
    return done.stdout


@dataclass(frozen=True)
class Repository:
    """The git work tree the current folder is in."""

    root: Path
    prefix: PurePosixPath  # the current folder, relative to the root

    def commit(self, revision: str) -> str:
        """The commit a revision names; GitProblem in plain words when none."""
        if not revision or revision.startswith("-"):
            raise GitProblem(f"'{excerpt(revision)}' is not a revision")
        try:
            return _git(["rev-parse", "--verify", "--quiet", "--end-of-options",
                         f"{revision}^{{commit}}"], self.root).decode().strip()
        except GitProblem:
            raise GitProblem(f"unknown revision '{excerpt(revision)}' in the repository at "
                             f"{self.root}") from None

    def inside(self, path: str) -> PurePosixPath:
        """A path relative to the current folder (or absolute) → relative to the root;
        GitProblem when it lies outside the repository."""
        joined = os.path.normpath(os.path.join(self.root, *self.prefix.parts, path))
        relative = os.path.relpath(joined, self.root)
        if relative == os.curdir or relative.startswith(os.pardir):
            raise GitProblem(f"'{excerpt(path)}' is not a file inside the repository at "
                             f"{self.root}")
        return PurePosixPath(Path(relative).as_posix())

    def shown(self, path: PurePosixPath) -> str:
        """A root-relative path as the user would write it from the current folder; a byte of a
        name that is not UTF-8 is shown as \\xff."""
        shown = Path(os.path.relpath(self.root / path, self.root / self.prefix)).as_posix()
        return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")

    def has_file(self, commit: str, path: PurePosixPath) -> bool:
        """Whether the commit has a file (not a folder) at `path`."""
        listing = _git(["ls-tree", "-z", "--full-tree", commit, "--", str(path)], self.root)
        entry = listing.split(b"\0")[0]
        return bool(entry) and b" blob " in entry.split(b"\t")[0]

    def blob(self, commit: str, path: PurePosixPath) -> bytes | None:
        """The file's bytes at a commit; None when the commit has no such file."""
        if not self.has_file(commit, path):
            return None
        return _git(["cat-file", "blob", f"{commit}:{path}"], self.root)


def repository() -> Repository:
    """The repository of the current folder; GitProblem when it is not in one."""
    try:
        found = os.fsdecode(_git(["rev-parse", "--show-toplevel", "--show-prefix"])).splitlines()
    except GitProblem:
        raise GitProblem(f"{Path.cwd()} is not in a git repository") from None
    return Repository(Path(found[0]), PurePosixPath(found[1] if len(found) > 1 else ""))


def _safe(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """The 'data' filter, leaving out (not failing on) what it refuses: a link out of the
    tree, a device."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def _extract(args: list[str], cwd: Path, target: Path) -> None:
    """git's tar output unpacked into `target` as it comes (a huge file in the tree is never
    held in memory); GitProblem as _git's when git fails."""
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(["git", *args], cwd=cwd, stdout=subprocess.PIPE,
                                       stderr=errors)
        except FileNotFoundError:
            raise GitProblem("git is not installed (REV:PATH and --git need it)") from None
        assert process.stdout is not None
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                archive.extractall(target, filter=_safe)
        except tarfile.TarError:
            pass  # git failed, and says why below
        finally:
            process.stdout.close()
            code = process.wait()
        if code != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise GitProblem(lines[0] if lines else f"git {args[0]} failed")


@dataclass
class Trees:
    """Revisions' trees extracted into one temporary folder, each folder once; removed by
    `close` (or leaving a `with`)."""

    repo: Repository
    _folder: tempfile.TemporaryDirectory[str] = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="gtmgen-diff-"))
    _done: dict[tuple[str, str], Path] = field(default_factory=dict)

    def __enter__(self) -> Trees:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove every extracted tree."""
        self._folder.cleanup()

    def _top(self, commit: str, path: PurePosixPath) -> PurePosixPath:
        """The folder to extract for a playbook: the nearest one above it with gtmgen.toml in
        that commit (its repository, as repository.py finds it), else the whole tree."""
        folders = list(path.parents)[:-1]  # nearest first, the root left out
        if not folders:
            return PurePosixPath()
        names = [str(folder / CONFIG_FILE) for folder in folders]
        listing = _git(["ls-tree", "-z", "--name-only", "--full-tree", commit, "--", *names],
                       self.repo.root)
        found = {PurePosixPath(os.fsdecode(name)) for name in listing.split(b"\0") if name}
        return next((folder for folder in folders if folder / CONFIG_FILE in found),
                    PurePosixPath())

    def extract(self, commit: str, path: PurePosixPath) -> Path:
        """The file `path` of `commit` in an extracted copy of its repository folder."""
        top = self._top(commit, path)
        key = (commit, str(top))
        if key not in self._done:
            target = Path(self._folder.name) / str(len(self._done))
            target.mkdir()
            spec = [] if top == PurePosixPath() else ["--", str(top)]
            _extract(["archive", "--format=tar", commit, *spec], self.repo.root, target)
            if top == PurePosixPath():
                # The tree's root stays a repository's root, the boundary of what a playbook
                # may include (repository.py), as in the work tree.
                (target / ".git").mkdir(exist_ok=True)
            self._done[key] = target
        return self._done[key] / path

    def relative(self, file: str) -> PurePosixPath | None:
        """A file inside an extracted tree → its path in the repository; None for any other
        file."""
        for folder in self._done.values():
            path = Path(file)
            if path.is_relative_to(folder):
                return PurePosixPath(path.relative_to(folder).as_posix())
        return None


def changed_files(repo: Repository, commit: str) -> list[PurePosixPath]:
    """YAML files and gtmgen.toml files that differ between `commit` and the work tree (staged
    or not, added, removed or renamed: both names), and new files git does not ignore,
    root-relative."""
    listed = _git(["diff", "--name-only", "--no-renames", "-z", commit, "--"], repo.root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name"],
                     repo.root)
    names = {name.decode("utf-8", "surrogateescape")
             for name in (listed + b"\0" + untracked).split(b"\0") if name}
    return sorted(PurePosixPath(n) for n in names
                  if n.lower().endswith(PLAYBOOK_SUFFIXES) or n.split("/")[-1] == CONFIG_FILE)
