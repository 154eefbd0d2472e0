"""Build many playbooks: skip the unchanged ones, build the others in worker processes that
import once and build many, and gather every outcome (one playbook's failure never stops the
others).

The parent process stays light: it reads manifests (manifest.py) and hands out work; the
renderers are imported in the workers only.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gtmgen.errors import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_OUTPUT, GtmgenError

if TYPE_CHECKING:
    from gtmgen.build import Options
    from gtmgen.config import RepoConfig
    from gtmgen.diagnostics import Diagnostic

BUILT, UNCHANGED, INVALID, FAILED = "built", "unchanged", "invalid", "failed"


@dataclass(frozen=True)
class Job:
    """One playbook to build: the file, its name as the user knows it, its output folder, and
    the folder a default output folder must stay inside (None: `--out` was given)."""

    playbook: Path
    file: str
    out: Path
    home: Path | None = None
    refused: str = ""  # why it may not be built at all (another playbook has its folder)


@dataclass
class Outcome:
    """What became of one job."""

    job: Job
    status: str  # BUILT, UNCHANGED, INVALID or FAILED
    code: int = EXIT_OK
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    message: str = ""  # why it failed, in plain words
    summary: str = ""  # the validation's one-line summary, for an invalid playbook
    notes: list[str] = field(default_factory=list)  # lines after the files (translations)


def build_job(job: Job, options: Options, force: bool = False,
              early: Callable[[dict[str, bytes]], None] | None = None) -> Outcome:
    """Build one playbook, or say it is unchanged; never raises (a failure is an Outcome).
    `early`: as for build.build."""
    if job.refused:
        return Outcome(job, FAILED, EXIT_OUTPUT, message=job.refused)
    try:
        if job.home is not None:
            from gtmgen.build import check_inside

            check_inside(job.out, job.home, "the output folder")
        if not force and is_current(job, options):
            return Outcome(job, UNCHANGED)
        from gtmgen.build import build
        from gtmgen.diagnostics import has_errors

        result = build(job.playbook, job.out, options, file=job.file, early=early)
    except GtmgenError as problem:
        return Outcome(job, FAILED, problem.exit_code, message=str(problem))
    except Exception as problem:  # noqa: BLE001 - one playbook's bug must not stop the others
        return Outcome(job, FAILED, EXIT_INTERNAL,
                       message=f"internal error ({type(problem).__name__}: {problem}); please "
                               "report this with the playbook that caused it")
    if not result.validation.ok:
        from gtmgen.validate import summary

        return Outcome(job, INVALID, EXIT_INVALID, result.diagnostics,
                       summary=summary(result.validation))
    assert not has_errors(result.diagnostics)
    return Outcome(job, BUILT, EXIT_OK, result.diagnostics, result.report.written,
                   result.report.unchanged, notes=result.notes)


def is_current(job: Job, options: Options) -> bool:
    """Whether the job's output folder already holds what a build would make."""
    from gtmgen.manifest import current, options_digest

    return current(job.out, options_digest(options.as_data(job.playbook))) is not None


def _warm(formats: Sequence[str]) -> None:
    """A worker's start: ignore Ctrl-C (the parent stops the workers) and import what every
    build will need, once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import gtmgen.build  # noqa: F401
    import gtmgen.plan  # noqa: F401
    import gtmgen.render  # noqa: F401
    import gtmgen.validate  # noqa: F401

    if "docx" in formats:
        import docx  # noqa: F401
    if {"docx", "html", "pdf", "pptx"} & set(formats):
        import gtmgen.render.charts  # noqa: F401


def _work(task: tuple[Job, Options, bool]) -> Outcome:
    return build_job(*task)


def run(jobs: Sequence[Job], options: Options, *, workers: int,
        force: bool) -> Iterator[Outcome]:
    """Every job's outcome, as each finishes: the unchanged first (checked here, cheaply),
    then the built ones from `workers` processes (in this process when one is enough)."""
    pending = []
    for job in jobs:
        skip = not force and _safe_current(job, options)
        if skip:
            yield Outcome(job, UNCHANGED)
        else:
            pending.append(job)
    if workers <= 1 or len(pending) <= 1:
        for job in pending:
            yield build_job(job, options, force=True)
        return
    # fork: the workers start with what this process has imported (little), without a new
    # interpreter each; elsewhere the platform's default.
    method = "fork" if sys.platform.startswith("linux") else None
    context: Any = multiprocessing.get_context(method)
    pool = context.Pool(min(workers, len(pending)), initializer=_warm,
                        initargs=(options.formats,))
    try:
        yield from pool.imap_unordered(_work, [(job, options, True) for job in pending])
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _safe_current(job: Job, options: Options) -> bool:
    # A job whose output folder is refused is built (and fails there, with its message).
    if job.refused:
        return False
    if job.home is not None and not job.out.resolve().is_relative_to(job.home.resolve()):
        return False
    return is_current(job, options)


def worst(outcomes: Sequence[Outcome]) -> int:
    """The exit code of a run: the worst of its outcomes (70 internal, 3 output, 2 usage or
    reading, 1 invalid, 0 fine)."""
    return max((outcome.code for outcome in outcomes), default=EXIT_OK)


def plan_jobs(playbooks: Sequence[Path], *, out: Path | None, out_root: Path | None,
              base: Path, home: Path) -> list[Job]:
    """A job per playbook, each writing to `<root>/<its folder under base>/<its name>/`.

    `out` (the user's `--out`) is followed as given; otherwise `out_root` (a repository's
    output root), which must stay inside `home`. Playbooks outside `base` are placed by
    their path under the folder all of them share.
    """
    root = out if out is not None else out_root
    assert root is not None
    folders = [playbook.resolve().parent for playbook in playbooks]
    if not all(folder.is_relative_to(base) for folder in folders):
        base = Path(os.path.commonpath([base, *folders]))
    jobs = [Job(playbook, str(playbook), root / folder.relative_to(base) / playbook.stem,
                None if out is not None else home)
            for playbook, folder in zip(playbooks, folders, strict=True)]
    return _refuse_shared_folders(jobs)


def _refuse_shared_folders(jobs: list[Job]) -> list[Job]:
    """Jobs whose output folders are one (a.yaml and a.yml beside each other) are refused,
    each naming the others: one build would overwrite the other's outputs."""
    import dataclasses

    sharing: dict[Path, list[Job]] = {}
    for job in jobs:
        sharing.setdefault(job.out, []).append(job)
    refused = []
    for job in jobs:
        others = [other.file for other in sharing[job.out] if other is not job]
        if others:
            job = dataclasses.replace(job, refused=(
                f"its output folder {os.path.relpath(job.out)} is also that of "
                f"{', '.join(others)}; rename one of them"))
        refused.append(job)
    return refused


@dataclass(frozen=True)
class Selection:
    """The playbooks of one `gtmgen build` and where their outputs go.

    `single`: one playbook file named and no repository config, so its outputs go where they
    always went (build/NAME/ beside it, or `--out` itself) and no index is written.
    """

    playbooks: tuple[Path, ...]
    single: bool
    base: Path  # outputs of many are placed by their folder under this one
    out_root: Path  # where the outputs of many go, and the index
    home: Path  # what a default output folder must stay inside

    def jobs(self, out: Path | None) -> list[Job]:
        """A job per playbook; `out` is the user's `--out`, followed as given."""
        if self.single:
            from gtmgen.build import default_out
            from gtmgen.repository import trusted_folder

            playbook = self.playbooks[0]
            if out is not None:
                return [Job(playbook, str(playbook), out)]
            return [Job(playbook, str(playbook), default_out(playbook),
                        trusted_folder(playbook))]
        return plan_jobs(self.playbooks, out=out, out_root=self.out_root, base=self.base,
                         home=self.home)

    def index_root(self, out: Path | None) -> Path | None:
        """Where the index page goes: the output root of many playbooks; None for one, and
        when the output root leads out of the repository (every job says so)."""
        if self.single:
            return None
        if out is not None:
            return out
        inside = self.out_root.resolve().is_relative_to(self.home.resolve())
        return self.out_root if inside else None


def select(paths: Sequence[Path], playbooks: Sequence[Path], config: RepoConfig | None,
           cwd: Path) -> Selection:
    """Where the outputs of `playbooks` (found from `paths`) go, with or without a config."""
    from gtmgen.repository import repository_root

    single = config is None and len(paths) == 1 and not paths[0].is_dir() \
        and len(playbooks) == 1
    if config is not None:
        return Selection(tuple(playbooks), single, config.root, config.out, config.root)
    home = repository_root(cwd) or cwd.resolve()
    return Selection(tuple(playbooks), single, cwd.resolve(), cwd.resolve() / "build", home)


def choose(paths: Sequence[Path], cwd: Path) -> tuple[RepoConfig | None, Selection]:
    """The repository's config (found from `cwd`) and the playbooks `paths` name (files,
    folders, or none: the repository's); UsageError when there is none."""
    from gtmgen.config import find_config
    from gtmgen.discover import discover
    from gtmgen.errors import UsageError

    config = find_config(cwd)
    playbooks = discover(paths, config, cwd)
    if not playbooks:
        where = ", ".join(map(str, paths)) if paths else str(config.file if config else cwd)
        raise UsageError(f"no playbook found in {where}; a playbook is a playbook.yaml, or a "
                         "YAML file whose first key is 'gtmgen: 1'")
    return config, select(paths, playbooks, config, cwd)


def write_index(root: Path, base: Path, outcomes: Sequence[Outcome], locale: str,
                templates: Path | None) -> Path | None:
    """index.html at the output root, every playbook built there linked (this run's invalid
    and failed ones marked); its path when it changed, else None."""
    from gtmgen.render.index import INDEX, index_entries, render_index
    from gtmgen.write import replace_file

    statuses = {outcome.job.out.resolve(): outcome.status for outcome in outcomes
                if outcome.status in (INVALID, FAILED)}
    page = render_index(index_entries(root, base, statuses), locale, templates)
    return root / INDEX if replace_file(root / INDEX, page) else None
