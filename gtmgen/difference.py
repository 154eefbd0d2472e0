"""`gtmgen diff`: two sides (files, or REV:PATH from git) → validated playbooks → plans →
PlanDiff. The one function behind the command, as build.py is for `gtmgen build`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gtmgen.diagnostics import Diagnostic, Severity, sort_diagnostics
from gtmgen.discover import is_playbook
from gtmgen.errors import UsageError
from gtmgen.gitsource import Repository, Trees, changed_files, is_revision_side
from gtmgen.plandiff import PlanDiff, Side, compare

HEAD_BYTES = 1024 * 1024  # enough of a file to find its top-level `gtmgen:` key


class InvalidSide(UsageError):
    """A side is not a valid playbook; `diagnostics` say where and why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class PlanSummary:
    """The size of one plan: for a playbook that only one side has."""

    phases: int
    events: int
    hires: int
    start: dt.date
    end: dt.date
    total: float


def summarize(side: Side) -> PlanSummary:
    """The counts and span of a plan, and its planned budget."""
    spans = side.plan.spans
    return PlanSummary(len(spans), len(side.plan.calendar), len(side.plan.hiring),
                       spans[0].start, spans[-1].end, side.plan.budget.total)


@dataclass(frozen=True)
class Entry:
    """One playbook compared: changed (or equal), added or removed."""

    old_label: str | None  # None: the playbook is new
    new_label: str | None  # None: the playbook was removed
    old: Side | None
    new: Side | None
    diff: PlanDiff | None  # when both sides are there
    summary: PlanSummary | None  # of the one side there is, when only one is

    @property
    def status(self) -> str:
        """equal, changed, added or removed."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "equal" if self.diff is not None and self.diff.equal else "changed"

    @property
    def side(self) -> Side:
        """The side whose words the report uses: the new one, else the old."""
        side = self.new or self.old
        assert side is not None
        return side


def entry(old_label: str | None, new_label: str | None, old: Side | None,
          new: Side | None) -> Entry:
    """An Entry with its comparison made (or the summary of the one side there is)."""
    if old is not None and new is not None:
        return Entry(old_label, new_label, old, new, compare(old, new), None)
    present = new or old
    assert present is not None
    return Entry(old_label, new_label, old, new, None, summarize(present))


def _side(path: Path, label: str, rename: Callable[[str], str] | None = None) -> Side:
    """Validate and plan one playbook file; InvalidSide with located diagnostics if invalid.
    `rename` gives the files of an extracted tree back their REV:PATH names."""
    from gtmgen.config import ConfigProblem, find_config
    from gtmgen.plan import build_plan
    from gtmgen.validate import validate_path

    def renamed(found: list[Diagnostic]) -> list[Diagnostic]:
        return found if rename is None else sort_diagnostics(
            [dataclasses.replace(d, file=rename(d.file)) for d in found])

    try:  # the repository's defaults (a country's holidays, say) shape the plan too
        config = find_config(path.parent)
    except ConfigProblem as problem:
        raise InvalidSide(f"{label}: the repository's gtmgen.toml is invalid; nothing "
                          "compared", renamed(problem.diagnostics)) from None
    repo = config if config is not None and config.covers(path) else None
    validation = validate_path(path, label, defaults=repo.defaults if repo else None)
    found = renamed(validation.diagnostics)
    if not validation.ok or validation.playbook is None:
        errors = sum(d.severity == Severity.ERROR for d in found)
        raise InvalidSide(f"{label}: invalid playbook ({errors} "
                          f"error{'' if errors == 1 else 's'}); nothing compared", found)
    return Side(validation.playbook, build_plan(validation.playbook), tuple(found))


class Reader:
    """Reads sides, running git only when a side needs it, each revision's tree once."""

    def __init__(self) -> None:
        self._repo: Repository | None = None
        self._trees: Trees | None = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_: object) -> None:
        if self._trees is not None:
            self._trees.close()

    @property
    def repo(self) -> Repository:
        """The repository of the current folder (GitProblem when there is none)."""
        if self._repo is None:
            from gtmgen.gitsource import repository

            self._repo = repository()
        return self._repo

    @property
    def trees(self) -> Trees:
        """The extracted trees of this run."""
        if self._trees is None:
            self._trees = Trees(self.repo)
        return self._trees

    def at_revision(self, revision: str, commit: str, path: PurePosixPath, label: str) -> Side:
        """The playbook `path` (root-relative) as `commit` had it, named `label`."""
        from gtmgen.gitsource import GitProblem

        if not self.repo.has_file(commit, path):
            raise GitProblem(f"{label}: '{revision}' has no file {self.repo.shown(path)}")
        file = self.trees.extract(commit, path)

        def rename(name: str) -> str:
            # A file of the extracted tree (its theme, say) is named as REV:PATH, never by
            # the temporary folder that is gone when the command ends.
            inside = self.trees.relative(name)
            return name if inside is None else f"{revision}:{self.repo.shown(inside)}"

        return _side(file, label, rename)

    def read(self, name: str) -> Side:
        """A side as named on the command line: a file, or REV:PATH."""
        if not is_revision_side(name):
            return _side(Path(name), name)
        revision, _, path = name.partition(":")
        commit = self.repo.commit(revision)
        return self.at_revision(revision, commit, self.repo.inside(path), name)


def diff_sides(old: str, new: str) -> Entry:
    """OLD against NEW, each a playbook file or REV:PATH."""
    with Reader() as reader:
        return entry(old, new, reader.read(old), reader.read(new))


def _work_tree_playbook(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return path.is_file() and is_playbook(handle.read(HEAD_BYTES))
    except OSError:
        return False


def diff_changed(base: str) -> list[Entry]:
    """Every playbook that differs between revision `base` and the work tree, in path order:
    changed, added (new, untracked included) or removed."""
    with Reader() as reader:
        repo = reader.repo
        commit = repo.commit(base)
        found = []
        changed = changed_files(repo, commit)
        for path in [*changed, *_dependants(repo.root, changed)]:
            shown = repo.shown(path)
            before = repo.blob(commit, path)
            was = before is not None and is_playbook(before)
            now = _work_tree_playbook(repo.root / path)
            if not (was or now):
                continue
            old_label = f"{base}:{shown}" if was else None
            old = reader.at_revision(base, commit, path, f"{base}:{shown}") if was else None
            new = _side(repo.root / path, shown) if now else None
            found.append(entry(old_label, shown if now else None, old, new))
        return found


def _dependants(root: Path, changed: list[PurePosixPath]) -> list[PurePosixPath]:
    """Playbooks of the work tree that did not change themselves but read a file that did:
    a shared piece they include, or the repository's gtmgen.toml (its defaults)."""
    from gtmgen.config import CONFIG_FILE, find_config
    from gtmgen.discover import discover
    from gtmgen.include import load_playbook
    from gtmgen.load import read_bytes

    touched = {root / path for path in changed}
    everything = any(path.name == CONFIG_FILE for path in changed)
    found = []
    for playbook in discover([root], find_config(root), root):
        relative = PurePosixPath(playbook.resolve().relative_to(root).as_posix())
        if relative in changed:
            continue
        if not everything:
            _, _, sources = load_playbook(read_bytes(playbook), str(playbook), playbook)
            if not touched & set(sources[1:]):
                continue
        found.append(relative)
    return found
