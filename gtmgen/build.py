"""`build`: a playbook file → validated model → plan → rendered outputs → written folder.

The one function behind `gtmgen build`, for anyone who wants the same from Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gtmgen.diagnostics import Diagnostic
from gtmgen.validate import Validation, validate_path
from gtmgen.write import WriteReport

DEFAULT_FORMATS = ("json",)


def default_out(playbook: Path) -> Path:
    """`build/<file name without .yaml>/` beside the playbook: one folder per playbook, and two
    playbooks never share one (same folder means different names)."""
    return playbook.parent / "build" / playbook.stem


@dataclass
class BuildResult:
    """What a build did: the validation, and the files written or left unchanged."""

    validation: Validation
    out: Path
    report: WriteReport = field(default_factory=WriteReport)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every problem found in the playbook."""
        return self.validation.diagnostics


def build(playbook: Path, out: Path | None = None, formats: tuple[str, ...] = DEFAULT_FORMATS,
          *, file: str | None = None, strict: bool = False,
          source_date_epoch: int | None = None) -> BuildResult:
    """Validate, plan, render and write. Writes nothing when the playbook is invalid (or has
    warnings under `strict`); raises write.WriteError when an output cannot be written."""
    from gtmgen.plan import build_plan
    from gtmgen.render import RenderContext, build_stamp, render
    from gtmgen.write import write_outputs

    validation = validate_path(playbook, file)
    if strict:
        validation.diagnostics = [d.as_error() for d in validation.diagnostics]
    result = BuildResult(validation, out if out is not None else default_out(playbook))
    if not validation.ok or validation.playbook is None:
        return result
    book = validation.playbook
    plan = build_plan(book)
    context = RenderContext(book, plan, build_stamp(book, source_date_epoch))
    files = render(context, list(dict.fromkeys(formats)))
    result.report = write_outputs(result.out, files)
    return result
