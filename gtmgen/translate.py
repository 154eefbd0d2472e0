"""The translator's round trip: export the texts a locale lacks (XLIFF 2.0 or CSV), and import
the translations back into the playbook as locale mappings, nothing else in it changed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gtmgen.diagnostics import Diagnostic, Severity, excerpt, path_text, plural
from gtmgen.errors import GtmgenError, UsageError
from gtmgen.load import Loaded, read_bytes
from gtmgen.model import Playbook
from gtmgen.safeio import read_regular
from gtmgen.texts import text_paths, value_at
from gtmgen.validate import declared_locales, validate_bytes, validate_path
from gtmgen.xliff import (
    MAX_BYTES,
    Exported,
    FormatProblem,
    Unit,
    read_csv,
    read_xliff,
    write_csv,
    write_xliff,
)
from gtmgen.yamledit import Edit, EditProblem, add_translations

SUFFIXES = {"xliff": ".xlf", "csv": ".csv"}
Path_ = tuple[str | int, ...]


class TranslationProblem(GtmgenError):
    """Input that cannot be used as it is: each problem at its line and column."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class Text:
    """One translatable text of a playbook: where it is, its primary text, the locale's."""

    path: Path_
    line: int
    source: str
    target: str


def _valid(result_ok: bool, diagnostics: list[Diagnostic], name: str) -> None:
    if not result_ok:
        errors = sum(d.severity == Severity.ERROR for d in diagnostics)
        raise TranslationProblem(f"{name}: invalid: {plural(errors, 'error')}; fix the playbook "
                                 "first", [d for d in diagnostics if d.severity == Severity.ERROR])


def _locales(data: object, locale: str, name: str) -> tuple[str, ...]:
    locales = declared_locales(data)
    if len(locales) < 2:
        raise UsageError(f"{name} has no client.locales: list the playbook's languages there, "
                         "the primary first (locales: [nl, en]), then export")
    if locale not in locales:
        raise UsageError(f"{name} does not list '{excerpt(locale)}' in client.locales "
                         f"({', '.join(locales)}); add it there first")
    if locale == locales[0]:
        raise UsageError(f"{locale} is the primary locale of {name}: its texts are the ones "
                         "translated; choose one of " + ", ".join(locales[1:]))
    return locales


def playbook_texts(loaded: Loaded, locales: tuple[str, ...], locale: str) -> list[Text]:
    """Every translatable text written in the playbook itself (not in a file it includes),
    with the `locale` text it has (empty when none), in the file's order."""
    primary, found = locales[0], []
    for path in text_paths(Playbook, loaded.data):
        if loaded.file_of(path):
            continue
        value = value_at(loaded.data, path)
        if isinstance(value, dict):
            source, target = value.get(primary) or "", value.get(locale) or ""
            line = loaded.position((*path, primary))[0]
        else:
            source, target, line = value, "", loaded.position(path)[0]
        if source:
            found.append(Text(path, line, source, target))
    return found


def export_name(playbook: Path, locale: str, form: str) -> Path:
    """Where an export goes by default: beside the playbook, `STEM.LOCALE.xlf` (or .csv)."""
    return playbook.with_name(f"{playbook.stem}.{locale}{SUFFIXES[form]}")


def export_translations(playbook: Path, locale: str, out: Path, *, every: bool = False,
                        form: str = "xliff") -> bytes | None:
    """The export file's bytes: the texts `locale` lacks (all with `every`), or None when it
    lacks none. UsageError for a playbook without that locale; TranslationProblem if invalid."""
    name = str(playbook)
    result = validate_path(playbook, name)
    _valid(result.ok, result.diagnostics, name)
    assert result.loaded is not None
    locales = _locales(result.loaded.data, locale, name)
    original = Path(os.path.relpath(playbook.resolve(), out.resolve().parent)).as_posix()
    units = [Unit(path_text(text.path), f"{original}:{text.line}", text.source, text.target)
             for text in playbook_texts(result.loaded, locales, locale)
             if every or not text.target]
    if not units:
        return None
    if form == "csv":
        return write_csv(units)
    return write_xliff(original, locales[0], locale, units)


def _read_export(file: Path, name: str) -> Exported:
    raw = read_regular(file, MAX_BYTES)
    if raw is None:
        size = file.stat().st_size if file.is_file() else 0
        if size > MAX_BYTES:
            raise TranslationProblem(f"{name}: refused", [Diagnostic(
                name, 1, 1, Severity.ERROR, f"the file is larger than {MAX_BYTES // 2**20} MiB; "
                "a playbook's export is far smaller (is this the right file?)")])
        raise UsageError(f"cannot read {name}: give the path of an exported file")
    try:
        if file.suffix.lower() == ".csv":
            stem_locale = Path(file.stem).suffix.lstrip(".") or None
            return read_csv(raw, stem_locale)
        return read_xliff(raw)
    except FormatProblem as problem:
        raise TranslationProblem(f"{name}: nothing imported", [Diagnostic(
            name, problem.line, problem.column, Severity.ERROR, str(problem))]) from None


def playbook_of(file: Path, exported: Exported) -> Path:
    """The playbook an export came from: XLIFF's <file original> (relative to the export),
    else, for a CSV named STEM.LOCALE.csv, STEM.yaml (or STEM.yml) beside it."""
    if exported.original:
        original = Path(exported.original)
        # gtmgen writes a relative path to a .yaml file; anything else is not to be written into
        if not original.is_absolute() and original.suffix.lower() in (".yaml", ".yml"):
            return file.parent / original
        raise UsageError(f"{file} names '{excerpt(exported.original)}' as its playbook, not a "
                         f"playbook gtmgen exported; name it: gtmgen translations import {file} "
                         "PLAYBOOK")
    stem = Path(file.stem).stem
    for suffix in (".yaml", ".yml"):
        if (file.parent / f"{stem}{suffix}").exists():
            return file.parent / f"{stem}{suffix}"
    raise UsageError(f"cannot tell which playbook {file} belongs to; name it: gtmgen "
                     f"translations import {file} PLAYBOOK")


def _check_units(exported: Exported, texts: dict[str, Text], name: str, book: str,
                 locales: tuple[str, ...]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []

    def problem(line: int, column: int, message: str) -> None:
        problems.append(Diagnostic(name, line, column, Severity.ERROR, message))

    locale, source_locale = exported.target_locale, exported.source_locale
    if not locale or locale not in locales[1:]:
        problem(*exported.position, f"the target locale is '{excerpt(locale or '')}'; {book} "
                                    f"translates into {', '.join(locales[1:])} (client.locales "
                                    f"lists {', '.join(locales)}, {locales[0]} the primary)")
    if source_locale is not None and source_locale != locales[0]:
        problem(*exported.position, f"the source locale is '{excerpt(source_locale)}', but "
                                    f"{book}'s primary locale is {locales[0]}")
    seen: set[str] = set()
    for unit in exported.units:
        text = texts.get(unit.path)
        if text is None:
            problem(unit.line, unit.column, f"no text of {book} is at '{excerpt(unit.path)}' "
                                            "(a path gtmgen translations export writes); "
                                            "export again")
        elif unit.path in seen:
            problem(unit.line, unit.column, f"'{excerpt(unit.path)}' a second time; keep one")
        elif unit.source != text.source:
            problem(unit.line, unit.column, f"the text at {book}:{text.line} changed since the "
                                            f"export (now '{excerpt(text.source, 40)}', the "
                                            f"export has '{excerpt(unit.source, 40)}'); "
                                            "export again")
        seen.add(unit.path)
    return problems


def import_translations(file: Path, playbook: Path | None = None) -> tuple[int, Path]:
    """Write each non-empty target of an export file into its playbook; (how many, which
    playbook). Nothing is written when any unit is wrong or the result would be invalid."""
    name = str(file)
    exported = _read_export(file, name)
    target = playbook if playbook is not None else playbook_of(file, exported)
    book = str(target)
    raw = read_bytes(target, book)
    before = validate_bytes(raw, book, target)
    _valid(before.ok, before.diagnostics, book)
    assert before.loaded is not None
    locales = declared_locales(before.loaded.data)
    if len(locales) < 2:
        raise UsageError(f"{book} has no client.locales: list its languages there, the primary "
                         "first (locales: [nl, en])")
    locale = exported.target_locale or ""
    texts = {path_text(t.path): t for t in playbook_texts(before.loaded, locales, locale)}
    problems = _check_units(exported, texts, name, target.name, locales)
    if problems:
        raise TranslationProblem(f"{name}: nothing imported: {plural(len(problems), 'error')}",
                                 problems)
    # Only what changes: a target the playbook already holds is left as it is (a second
    # import of the same file writes nothing and says so).
    edits = [Edit(texts[u.path].path, locale, u.target) for u in exported.units
             if u.target.strip() and u.target != texts[u.path].target]
    if not edits:
        return 0, target
    try:
        text = add_translations(raw.decode("utf-8"), locales[0], edits)
    except EditProblem as problem:
        raise UsageError(f"cannot write into {book}: {problem}") from None
    new = text.encode("utf-8")
    after = validate_bytes(new, book, target)
    if not after.ok:
        raise TranslationProblem(f"{book}: nothing imported: the translations would make it "
                                 "invalid", [d for d in after.diagnostics
                                             if d.severity == Severity.ERROR])
    assert after.loaded is not None
    for edit in edits:  # the edit put each text where the loader reads it, or nothing is written
        value = value_at(after.loaded.data, edit.path)
        if not isinstance(value, dict) or value.get(locale) != edit.text:
            raise RuntimeError(f"the translation at {path_text(edit.path)} did not land")
    from gtmgen.write import replace_file

    replace_file(target, new)
    return len(edits), target
