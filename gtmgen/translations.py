"""Texts in several languages: where each mapping of locale → text is in the playbook, which
translations it lacks, and how many each locale has."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gtmgen.diagnostics import Diagnostic, Severity, path_text
from gtmgen.load import Loaded

Path_ = tuple[str | int, ...]


def walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every mapping and list in plain data with its path, the outermost first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict | list):
                yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, dict | list):
                yield from walk(value, (*path, index))


def text_mappings(data: Any, texts: Mapping[int, Mapping[str, str]]) -> list[tuple[Path_,
                                                                                   Mapping[str, str]]]:
    """The mappings the model read as texts in several languages (`texts`, by id), each with
    its path in the playbook, in the file's order."""
    return [(path, node) for path, node in walk(data) if id(node) in texts]


def missing_translations(loaded: Loaded, file: str, locales: tuple[str, ...],
                         texts: Mapping[int, Mapping[str, str]]) -> list[Diagnostic]:
    """A warning at each text in several languages that lacks some of client.locales."""
    found = []
    for path, mapping in text_mappings(loaded.data, texts):
        lacking = [locale for locale in locales if not mapping.get(locale)]
        if lacking:
            names = ", ".join(lacking)
            found.append(Diagnostic(
                loaded.file_of(path) or file, *loaded.position(path), Severity.WARNING,
                f"no {names} text here: the {names} documents show the {locales[0]} text "
                f"(translate it, or run gtmgen translations export --locale {lacking[0]})",
                path_text(path)))
    return found


@dataclass(frozen=True)
class Coverage:
    """How one locale's texts stand against the primary's."""

    locale: str
    translated: int  # given, and not the primary text
    identical: int  # given, and the same as the primary text
    missing: int  # not given: the documents show the primary text


def coverage(data: Any, locales: tuple[str, ...],
             texts: Mapping[int, Mapping[str, str]]) -> list[Coverage]:
    """Per locale other than the primary, the counts of its translations."""
    mappings = [m for _, m in text_mappings(data, texts)]
    primary = locales[0]
    found = []
    for locale in locales[1:]:
        given = [m for m in mappings if m.get(locale)]
        same = sum(m[locale] == m[primary] for m in given)
        found.append(Coverage(locale, len(given) - same, same, len(mappings) - len(given)))
    return found
