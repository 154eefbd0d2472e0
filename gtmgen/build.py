"""`build`: a playbook file → validated model → plan → rendered outputs → written folder.

The one function behind `gtmgen build`, for anyone who wants the same from Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gtmgen.diagnostics import Diagnostic
from gtmgen.validate import Validation, validate_path
from gtmgen.write import WriteReport

DEFAULT_FORMATS = ("md",)
TEMPLATES_FOLDER = "templates"


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


@dataclass(frozen=True)
class Options:
    """What to build, and from which templates."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    documents: tuple[str, ...] | None = None  # None: every document
    templates: Path | None = None  # None: templates/ beside the playbook, if there is one
    docx_template: Path | None = None  # None: client.docx_template, if set
    strict: bool = False
    source_date_epoch: int | None = None
    charts: bool = True
    pptx_template: Path | None = None  # None: client.pptx_template, if set
    theme: Path | None = None  # None: theme.yaml beside the playbook, if there is one
    csv_dialect: str | None = None  # "comma" or "semicolon"; None: by the client's locale


def user_templates(playbook: Path, options: Options) -> Path | None:
    """The folder of the user's templates: --templates, else templates/ beside the playbook."""
    if options.templates is not None:
        return options.templates
    beside = playbook.parent / TEMPLATES_FOLDER
    if not beside.is_dir():
        return None
    home = playbook.parent.resolve()
    if not beside.resolve().is_relative_to(home):
        from gtmgen.render.templates import TemplateProblem

        raise TemplateProblem(f"{beside}: the templates folder leads outside the playbook's "
                              f"folder (to {beside.resolve()}); use --templates to name it")
    return beside


def build(playbook: Path, out: Path | None = None, options: Options = Options(),
          *, file: str | None = None) -> BuildResult:
    """Validate, plan, render and write. Writes nothing when the playbook is invalid (or has
    warnings under `strict`); raises a GtmgenError (errors.py) for wrong usage, a template
    that fails or an output that cannot be written."""
    from gtmgen.plan import build_plan
    from gtmgen.render import RenderContext, build_stamp, render
    from gtmgen.render.templates import check_documents
    from gtmgen.write import write_outputs

    if options.documents:  # wrong usage is said before anything is read
        check_documents(user_templates(playbook, options), options.documents)
    validation = validate_path(playbook, file, options.theme)
    strict = options.strict
    if strict:
        validation.diagnostics = [d.as_error() for d in validation.diagnostics]
    result = BuildResult(validation, out if out is not None else default_out(playbook))
    if not validation.ok or validation.playbook is None:
        return result
    book, loaded = validation.playbook, validation.loaded
    assert loaded is not None  # a valid playbook was loaded
    docx_template = options.docx_template
    if docx_template is None and book.client.docx_template:
        docx_template = (loaded.folder_of(("client", "docx_template"), playbook.parent)
                         / book.client.docx_template)
    pptx_template = options.pptx_template
    if pptx_template is None and book.client.pptx_template:
        pptx_template = (loaded.folder_of(("client", "pptx_template"), playbook.parent)
                         / book.client.pptx_template)
    context = RenderContext(book, build_plan(book), build_stamp(book, options.source_date_epoch),
                            user_templates(playbook, options), options.documents, docx_template,
                            options.charts, theme=validation.theme,
                            pptx_template=pptx_template, csv_dialect=options.csv_dialect)
    files = render(context, list(dict.fromkeys(options.formats)))
    result.report = write_outputs(result.out, files)
    return result
