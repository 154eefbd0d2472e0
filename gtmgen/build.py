"""`build`: a playbook file → validated model → plan → rendered outputs → written folder.

The one function behind `gtmgen build`, for anyone who wants the same from Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gtmgen.errors import OutputError, UsageError
from gtmgen.manifest import MANIFEST, touch
from gtmgen.repository import trusted_folder
from gtmgen.write import WriteReport

if TYPE_CHECKING:
    from gtmgen.diagnostics import Diagnostic
    from gtmgen.manifest import Manifest
    from gtmgen.model import Playbook
    from gtmgen.render import RenderContext
    from gtmgen.validate import Validation

DEFAULT_FORMATS = ("md",)
TEMPLATES_FOLDER = "templates"



def default_out(playbook: Path) -> Path:
    """`build/<file name without .yaml>/` beside the playbook: one folder per playbook, and two
    playbooks never share one (same folder means different names)."""
    return playbook.parent / "build" / playbook.stem


def check_inside(out: Path, home: Path, what: str) -> None:
    """Refuse an output folder that a link leads out of `home` (a cloned repository's
    committed `build -> /etc`); OutputError naming where it leads."""
    if not out.resolve().is_relative_to(home.resolve()):
        raise OutputError(f"refusing to write into {out}: {what} leads to {out.resolve()}, "
                          f"outside {home}; remove the link, or name a folder with --out")


@dataclass
class BuildResult:
    """What a build did: the validation, and the files written or left unchanged."""

    validation: Validation
    out: Path
    report: WriteReport = field(default_factory=WriteReport)
    manifest: Manifest | None = None  # what the build read and made, when it wrote
    notes: list[str] = field(default_factory=list)  # lines for the end of the build

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
    repository: Repository | None = None  # gtmgen.toml's settings, for playbooks inside it
    final: bool = False  # build only a version that approvals sign
    results: Path | None = None  # None: results.csv, .yaml or .yml beside the playbook, if any
    locale: str | None = None  # with client.locales: build this one only (None: every one)

    def repository_for(self, playbook: Path) -> Repository | None:
        """The repository's settings when `playbook` is inside the repository's folder."""
        repo = self.repository
        return repo if repo is not None and playbook.resolve().is_relative_to(repo.root) \
            else None

    def as_data(self, playbook: Path) -> dict[str, Any]:
        """Everything in the options that shapes the outputs, as plain data for a manifest
        (the files they name are digested as inputs)."""
        def where(path: Path | None) -> str | None:
            return str(path.resolve()) if path is not None else None

        repo = self.repository_for(playbook)
        return {"formats": sorted(set(self.formats)), "documents": self.documents,
                "templates": where(self.templates), "docx_template": where(self.docx_template),
                "strict": self.strict, "pptx_template": where(self.pptx_template),
                "theme": where(self.theme), "source_date_epoch": self.source_date_epoch,
                "charts": self.charts, "csv_dialect": self.csv_dialect, "final": self.final,
                "results": where(self.results), "locale": self.locale,
                "repository": None if repo is None else {
                    "defaults": dict(repo.defaults), "theme": where(repo.theme),
                    "templates": where(repo.templates)}}


@dataclass(frozen=True)
class Repository:
    """What gtmgen.toml gives every playbook inside its folder: client defaults, a theme under
    the playbook's own, and templates for playbooks without a templates folder."""

    root: Path  # resolved
    defaults: tuple[tuple[str, str], ...] = ()
    theme: Path | None = None
    templates: Path | None = None


def user_templates(playbook: Path, options: Options) -> Path | None:
    """The folder of the user's templates: --templates, else templates/ beside the playbook,
    else the repository's templates."""
    if options.templates is not None:
        return options.templates
    beside = playbook.parent / TEMPLATES_FOLDER
    if not beside.is_dir():
        repo = options.repository_for(playbook)
        return repo.templates if repo is not None else None
    home = playbook.parent.resolve()
    if not beside.resolve().is_relative_to(home):
        from gtmgen.render.templates import TemplateProblem

        raise TemplateProblem(f"{beside}: the templates folder leads outside the playbook's "
                              f"folder (to {beside.resolve()}); use --templates to name it")
    return beside


def build(playbook: Path, out: Path | None = None, options: Options = Options(),
          *, file: str | None = None,
          early: Callable[[dict[str, bytes]], None] | None = None) -> BuildResult:
    """Validate, plan, render and write. Writes nothing when the playbook is invalid (or has
    warnings under `strict`); raises a GtmgenError (errors.py) for wrong usage, a template
    that fails or an output that cannot be written. `early` (the live preview's) is given the
    HTML pages as soon as they are rendered, before the other formats and the writing."""
    from gtmgen.plan import build_plan
    from gtmgen.render import RenderContext, build_stamp, render
    from gtmgen.render.templates import check_documents
    from gtmgen.results import find_results
    from gtmgen.validate import require_approval
    from gtmgen.write import write_outputs

    if options.documents:  # wrong usage is said before anything is read
        check_documents(user_templates(playbook, options), options.documents)
        if "board" in options.documents and "pptx" not in options.formats:
            raise UsageError("the board deck (--doc board) is a slide deck: add --format pptx")
    out, validation = validated(playbook, out, options, file)
    if options.final:
        require_approval(validation)
    result = BuildResult(validation, out)
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
    books = locale_books(validation, options.locale)
    primary = validation.playbook
    plans = {id(primary): build_plan(primary)}  # a plan once per playbook read
    results = find_results(playbook, options.results)
    figured = None  # the results reviewed once, in the primary locale
    if results is not None:
        from gtmgen.diagnostics import has_errors, sort_diagnostics
        from gtmgen.review import read_actuals

        figured, problems = read_actuals(results, primary, plans[id(primary)])
        validation.diagnostics = sort_diagnostics([*validation.diagnostics, *problems])
        if figured is None or has_errors(validation.diagnostics):
            return result
    templates = user_templates(playbook, options)  # refused before anything is read from it
    inputs = _inputs(playbook, options, validation, [docx_template, pptx_template, results])
    contexts: list[tuple[str, RenderContext]] = []
    for locale, book in books.items():
        plan = plans.get(id(book)) or build_plan(book)
        actuals = figured
        if figured is not None and book is not validation.playbook:
            from dataclasses import replace

            from gtmgen.plan.review import in_words_of

            actuals = replace(figured, review=in_words_of(figured.review, book))
        context = RenderContext(book, plan, build_stamp(book, options.source_date_epoch),
                                templates, options.documents,
                                docx_template, options.charts,
                                theme=validation.themes.get(locale or "", validation.theme),
                                pptx_template=pptx_template, csv_dialect=options.csv_dialect,
                                actuals=actuals, calendar_key=validation_key(validation))
        contexts.append((f"{locale}/" if locale is not None else "", context))
    formats = list(dict.fromkeys(options.formats))
    first = [name for name in formats if name == "html" and early is not None]
    files: dict[str, bytes] = {}
    for chosen in (first, [name for name in formats if name not in first]):
        for prefix, context in contexts:  # each context keeps what its formats share
            files.update({prefix + name: data for name, data in render(context, chosen).items()})
        if chosen and chosen is first and early is not None:
            early(dict(files))
    files = dict(sorted(files.items()))
    if validation.locales:
        result.notes = coverage_lines(validation, books)
    result.manifest = _manifest(playbook, options, validation, files, inputs)
    from gtmgen.manifest import read_manifest

    before = read_manifest(result.out)  # what an earlier build made here and this one does not
    dropped = set(before.outputs) - set(files) - {MANIFEST} if before is not None else set()
    result.report = write_outputs(result.out, {**files, MANIFEST: result.manifest.to_bytes()},
                                  dropped)
    touch(result.out)
    return result


def validated(playbook: Path, out: Path | None, options: Options,
              file: str | None) -> tuple[Path, Validation]:
    """The output folder (the default one beside the playbook, checked to stay inside its
    folder) and the playbook validated with the repository's defaults and theme; under
    `strict`, its warnings are errors."""
    from gtmgen.validate import validate_path

    if out is None:
        out = default_out(playbook)
        check_inside(out, trusted_folder(playbook), "the output folder beside the playbook")
    repo = options.repository_for(playbook)
    validation = validate_path(playbook, file, options.theme,
                               defaults=dict(repo.defaults) if repo else None,
                               repo_theme=repo.theme if repo else None)
    if options.strict:
        validation.diagnostics = [d.as_error() for d in validation.diagnostics]
    return out, validation


def locale_books(validation: Validation, locale: str | None) -> dict[str | None, Playbook]:
    """The playbook in each locale to build, by the folder it goes in: None (the output
    folder itself) for a playbook in one language; with client.locales, each locale (or the
    one --locale names) in OUT/<locale>/."""
    book = validation.playbook
    assert book is not None  # only a valid playbook is built
    if not validation.locales:
        if locale is not None and locale != book.client.locale:
            raise UsageError(f"--locale {locale}: this playbook is written in "
                             f"{book.client.locale} only (client.locales lists the languages "
                             "of a playbook in several)")
        return {None: book}
    if locale is None:
        return {name: book for name, book in validation.locales.items()}
    if locale not in validation.locales:
        raise UsageError(f"--locale {locale}: client.locales lists "
                         f"{', '.join(validation.locales)}")
    return {locale: validation.locales[locale]}


def validation_key(validation: Validation) -> str:
    """What keeps a playbook's calendar UIDs apart from another client's: the client's name as
    the primary locale writes it (the same in every locale's calendar)."""
    book = validation.playbook
    assert book is not None
    return book.client.name


def coverage_lines(validation: Validation, books: dict[str | None, Playbook]) -> list[str]:
    """One line per locale built other than the primary: its translations counted."""
    from gtmgen.translations import coverage

    assert validation.loaded is not None
    locales = tuple(validation.locales)
    lines = []
    for item in coverage(validation.loaded.data, locales, validation.texts):
        if item.locale in books:
            lines.append(f"{item.locale}: {item.translated} texts translated, {item.missing} "
                         f"missing (the {locales[0]} text shown), {item.identical} the same "
                         f"as {locales[0]}")
    return lines


def _inputs(playbook: Path, options: Options, validation: Validation,
            templates: list[Path | None]) -> dict[str, str | None]:
    """What this build reads (and relies on not being there), each with its digest taken
    before anything is rendered: the playbook's of the very bytes validated, so that a file
    saved again while the build runs is never taken for what was built."""
    from gtmgen.manifest import digests
    from gtmgen.results import NAMES as RESULTS_NAMES
    from gtmgen.theme import THEME_FILE

    # Every place a template or a theme could come from, there or not: one appearing later
    # changes the outputs too.
    repo = options.repository_for(playbook)
    inputs = [*validation.sources, *(path for path in templates if path is not None),
              playbook.parent / TEMPLATES_FOLDER, options.theme or playbook.parent / THEME_FILE,
              *(playbook.parent / name for name in RESULTS_NAMES)]
    for path in (options.templates, *((repo.theme, repo.templates) if repo else ())):
        if path is not None:
            inputs.append(path)
    theme = validation.theme
    if theme is not None and theme.logo is not None and theme.logo.path is not None:
        inputs.append(theme.logo.path)
    table = digests(inputs)
    if validation.digest is not None:
        table[str(playbook.resolve())] = validation.digest
    return table


def _manifest(playbook: Path, options: Options, validation: Validation, files: dict[str, bytes],
              inputs: dict[str, str | None]) -> Manifest:
    """What this build read (`inputs`, with their digests) and what it made."""
    from gtmgen.manifest import options_digest, record

    book = validation.playbook
    assert book is not None  # only a valid playbook is written
    about = {"client": book.client.name, "product": book.client.product,
             "locale": str(book.client.locale), "launch": book.launch.date.isoformat(),
             "playbook": str(playbook.resolve())}
    return record(inputs, options_digest(options.as_data(playbook)), files, about)
