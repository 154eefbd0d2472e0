"""A playbook file → a Playbook and every problem in it, each at its line and column."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gtmgen.check import check
from gtmgen.diagnostics import (
    Diagnostic,
    Severity,
    capped,
    has_errors,
    plural,
    sort_diagnostics,
)
from gtmgen.include import load_playbook
from gtmgen.load import Loaded, read_bytes
from gtmgen.model import Playbook
from gtmgen.modelerrors import MAX_REPORTED, model_diagnostics
from gtmgen.theme import Theme
from gtmgen.types import describe
from gtmgen.wordtemplate import slide_template_problem, word_template_problem


@dataclass
class Validation:
    """The outcome of reading one playbook: the model when valid, and every diagnostic.

    `sources` are the files read to make it, resolved: the playbook, then each file it
    includes in the order read (as far as reading went when it failed)."""

    file: str
    playbook: Playbook | None = None
    loaded: Loaded | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    theme: Theme | None = None  # the look, resolved once the playbook is valid
    sources: tuple[Path, ...] = ()  # every file read to make the playbook, the playbook first
    # With client.locales: the playbook read in each locale (its texts in that language, the
    # primary's where a translation is missing), the primary first.
    locales: dict[str, Playbook] = field(default_factory=dict)
    texts: dict[int, Any] = field(default_factory=dict)  # the texts in several languages, by id
    themes: dict[str, Theme | None] = field(default_factory=dict)  # other locales' themes
    digest: str | None = None  # SHA-256 of the playbook's bytes as read (from a file)

    @property
    def ok(self) -> bool:
        """Valid: a model was built and no diagnostic is an error."""
        return self.playbook is not None and not has_errors(self.diagnostics)


def _fill_client(data: Any, defaults: Mapping[str, str]) -> None:
    """Give the client section the repository's defaults for the keys it does not set."""
    client = data.get("client") if isinstance(data, dict) else None
    if isinstance(client, dict):
        for key, value in defaults.items():
            if client.get(key) is None:
                client[key] = value


def validate_bytes(raw: bytes, file: str, path: Path | None = None,
                   defaults: Mapping[str, str] | None = None) -> Validation:
    """Bytes of a playbook → Validation: load (with the files it includes, relative to `path`,
    else to `file`), model, then the checks across the model. `defaults` (gtmgen.toml's
    [defaults]) fill client keys the playbook leaves out."""
    result = Validation(file)
    loaded, problems, result.sources = load_playbook(raw, file, path or Path(file))
    if loaded is None:
        result.diagnostics = problems
        return result
    result.loaded = loaded
    if defaults:
        _fill_client(loaded.data, defaults)
    if not isinstance(loaded.data, dict):
        result.diagnostics = [Diagnostic(file, *loaded.position(()), Severity.ERROR,
                                         "a playbook is a mapping of sections (client:, launch:, "
                                         f"…), found {describe(loaded.data)}")]
        return result
    locales = declared_locales(loaded.data)
    context: dict[str, Any] = {"locales": locales}
    try:
        result.playbook = Playbook.model_validate(loaded.data, context=context)
    except ValidationError as error:
        result.diagnostics = sort_diagnostics(model_diagnostics(error, loaded, file))
        return result
    found = check(result.playbook, loaded, file)
    if len(locales) >= 2:
        from gtmgen.translations import missing_translations

        result.texts = context.get("texts", {})
        found += missing_translations(loaded, file, locales, result.texts)
        try:  # a rule across texts may hold in the primary's words and not in another's
            result.locales = {locale: Playbook.model_validate(loaded.data,
                                                              context={"locales": locales,
                                                                       "locale": locale})
                              for locale in locales}
        except ValidationError as error:
            result.playbook, result.locales = None, {}
            result.diagnostics = sort_diagnostics(model_diagnostics(error, loaded, file))
            return result
    result.diagnostics = capped(sort_diagnostics(found), MAX_REPORTED)
    return result


def declared_locales(data: Any) -> tuple[str, ...]:
    """client.locales as the raw playbook gives it, when it is a list of supported locales
    (else nothing: the model reports what is wrong with it)."""
    from gtmgen.types import SUPPORTED_LOCALES

    client = data.get("client") if isinstance(data, dict) else None
    found = client.get("locales") if isinstance(client, dict) else None
    if isinstance(found, list) and all(isinstance(x, str) and x in SUPPORTED_LOCALES
                                       for x in found):
        return tuple(dict.fromkeys(found))
    return ()


def _check_files(result: Validation, folder: Path) -> None:
    """Files a playbook names must be there and usable: client.docx_template and
    client.pptx_template, relative to the file that names them."""
    book, loaded = result.playbook, result.loaded
    if book is None or loaded is None:
        return
    found = []
    for key, problem_of in (("docx_template", word_template_problem),
                            ("pptx_template", slide_template_problem)):
        name = getattr(book.client, key)
        if not name:
            continue
        path = ("client", key)
        where = loaded.folder_of(path, folder)
        target = where / name
        if not target.exists():
            message = f"no file '{name}' in {where}; the path is relative to the file that names it"
        elif (problem := problem_of(target)) is not None:
            message = f"'{name}' {problem}"
        else:
            continue
        found.append(Diagnostic(loaded.file_of(path) or result.file, *loaded.position(path),
                                Severity.ERROR, message, f"client.{key}"))
    if found:
        result.diagnostics = sort_diagnostics([*result.diagnostics, *found])


def _check_theme(result: Validation, folder: Path, theme_file: Path | None,
                 repo_theme: Path | None = None) -> None:
    """The theme: gtmgen's own, then the repository's (gtmgen.toml's `theme`), then
    theme.yaml beside the playbook (or `theme_file`), then client.brand; problems in any of
    them are located in their own file."""
    from gtmgen.shipped import shipped_templates
    from gtmgen.theme import (
        THEME_FILE,
        ThemeProblem,
        ThemeSource,
        colour_places,
        load_theme_file,
        resolve,
    )

    book, loaded = result.playbook, result.loaded
    if book is None or loaded is None:
        return
    sources = [load_theme_file(shipped_templates() / THEME_FILE)]
    beside = theme_file if theme_file is not None else folder / THEME_FILE
    files = [repo_theme] if repo_theme is not None else []
    if theme_file is not None or beside.is_file():
        files.append(beside)
    for file in dict.fromkeys(files):  # the repository's theme may be the one beside
        try:
            sources.append(load_theme_file(file))
        except ThemeProblem as problem:
            result.diagnostics = sort_diagnostics([*result.diagnostics, *problem.diagnostics])
            return
    brand = book.client.brand
    if brand is not None:
        logo = ("client", "brand", "logo")
        at = loaded.position(logo) if brand.logo else (1, 1)
        colours = ("client", "brand", "colours")
        raw = loaded.data.get("client", {}).get("brand", {}) if isinstance(loaded.data,
                                                                        dict) else {}
        sources.append(ThemeSource(
            brand, loaded.folder_of(logo, folder), loaded.file_of(logo) or result.file, at,
            "client.brand.logo",
            colour_places(raw.get("colours") if isinstance(raw, dict) else None,
                          loaded.position, colours[:2])))
    theme, problems = resolve(sources, book.client.country, book.client.locale)
    result.diagnostics = sort_diagnostics([*result.diagnostics, *problems])
    result.theme = theme
    for locale in list(result.locales)[1:]:  # each language its fonts and, by default, paper
        result.themes[locale] = resolve(sources, book.client.country, locale)[0]


def validate_path(path: Path, file: str | None = None, theme_file: Path | None = None, *,
                  defaults: Mapping[str, str] | None = None,
                  repo_theme: Path | None = None) -> Validation:
    """Read a playbook file (at most 1 MiB + 1 bytes) and validate it, with the files it
    names and its theme. `defaults` fill the client keys the playbook leaves out and
    `repo_theme` lies under theme.yaml (or `theme_file`): both come from gtmgen.toml."""
    import hashlib

    name = file if file is not None else str(path)
    raw = read_bytes(path, name)
    result = validate_bytes(raw, name, path, defaults)
    result.digest = hashlib.sha256(raw).hexdigest()
    _check_files(result, path.parent)
    if result.ok:
        _check_theme(result, path.parent, theme_file, repo_theme)
    return result


def require_approval(validation: Validation) -> None:
    """For `--final`: add an error unless an approval signs the valid playbook's
    client.version (nothing to add to a playbook that is already invalid)."""
    if not validation.ok or validation.playbook is None or validation.loaded is None:
        return
    from gtmgen.checkowners import check_final

    validation.diagnostics = sort_diagnostics(
        [*validation.diagnostics,
         *check_final(validation.playbook, validation.loaded, validation.file)])


def summary(validation: Validation) -> str:
    """One line on a playbook: valid with what it holds, or invalid with its counts."""
    errors = sum(d.severity == Severity.ERROR for d in validation.diagnostics)
    warnings = len(validation.diagnostics) - errors
    book = validation.playbook
    if errors or book is None:
        return (f"{validation.file}: invalid: {plural(errors, 'error')}, "
                f"{plural(warnings, 'warning')}")
    counts = [plural(len(book.segments), "segment"), plural(len(book.personas), "persona"),
              plural(len(book.channels), "channel"),
              plural(len(book.messages.phases), "phase"), plural(len(book.roles), "role"),
              plural(warnings, "warning")]
    return f"{validation.file}: valid: {', '.join(counts)}"
