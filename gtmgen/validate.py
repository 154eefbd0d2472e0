"""A playbook file → a Playbook and every problem in it, each at its line and column."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from gtmgen.check import check
from gtmgen.diagnostics import (
    Diagnostic,
    Severity,
    excerpt,
    has_errors,
    path_text,
    plural,
    sort_diagnostics,
)
from gtmgen.include import load_playbook
from gtmgen.load import Loaded, Path_, read_bytes
from gtmgen.model import Playbook
from gtmgen.numbers import Kind, advice, how_it_was_split, split_by_comma
from gtmgen.theme import Theme
from gtmgen.types import describe
from gtmgen.wordtemplate import slide_template_problem, word_template_problem

# Words for the parts of a playbook, used to say where a problem is.
MAX_REPORTED = 100
_ITEM_NAMES = {"segments": "segment", "icps": "ICP", "personas": "persona",
               "partners": "partner", "channels": "channel", "phases": "phase",
               "roles": "role", "moments": "partner moment", "one_off": "one-off cost",
               "risks": "risk", "next_steps": "next step"}


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

    @property
    def ok(self) -> bool:
        """Valid: a model was built and no diagnostic is an error."""
        return self.playbook is not None and not has_errors(self.diagnostics)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Annotated / Optional / Union."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def model_at(path: Path_, root: type[BaseModel] = Playbook) -> type[BaseModel] | None:
    """The model class that describes the mapping at `path`, if that is a model."""
    current: list[Any] = [root]
    for part in path:
        following: list[Any] = []
        for kind in current:
            origin = typing.get_origin(kind)
            if isinstance(kind, type) and issubclass(kind, BaseModel) and isinstance(part, str):
                info = kind.model_fields.get(part)
                if info is not None:
                    following += _unwrap(info.annotation)
            elif origin is list and isinstance(part, int):
                following += _unwrap(typing.get_args(kind)[0])
            elif origin is dict and isinstance(part, str):
                following += _unwrap(typing.get_args(kind)[1])
        current = following
    for kind in current:
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind
    return None


def place_name(data: Any, path: Path_) -> str:
    """Words for the thing at `path`: "channel 'email'", "the client section", "the playbook"."""
    if not path:
        return "the playbook"
    last = path[-1]
    if isinstance(last, int) and len(path) >= 2:
        noun = _ITEM_NAMES.get(str(path[-2]), "entry")
        item = _value_at(data, path)
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"{noun} '{item['id']}'"
        return f"{noun} {last + 1}"
    return f"the {last} section" if len(path) == 1 else f"'{last}'"


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _split_number(data: Any, path: Path_) -> str | None:
    """Words for a key that is the tail of a number cut by a comma inside { }: YAML reads
    `{monthly: 4,500}` as monthly: 4 and a key 500 with no value."""
    mapping, key = _value_at(data, path[:-1]), path[-1]
    if not (isinstance(mapping, dict) and isinstance(key, str) and key.isdigit()
            and key.isascii() and mapping.get(key) is None):
        return None
    def cut(name: Any) -> bool:
        return isinstance(name, str) and name.isascii() and name.isdigit() \
            and mapping.get(name) is None

    keys = list(mapping)
    start = end = keys.index(key)
    while start > 0 and cut(keys[start]):
        start -= 1
    while end + 1 < len(keys) and cut(keys[end + 1]):
        end += 1
    before, value = keys[start], mapping[keys[start]]
    if cut(before) or not isinstance(value, str) or not value.strip().isdigit():
        return None
    text = split_by_comma(value, keys[start + 1:end + 1])
    hint = advice(text, Kind.NUMBER) or "is not one number"
    return f"{describe(text)} {hint}; " + how_it_was_split(before, value, keys[start + 1:end + 1])


def _expected_words(error: Any) -> str:
    expected = (error.get("ctx") or {}).get("expected", "")
    return expected.replace("'", "").replace(" or ", ", ")


def _message(error: Any, data: Any, path: Path_, root: type[BaseModel] = Playbook) -> str:
    """Plain words for one pydantic error."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "gtmgen":
        return str(error["msg"])
    if kind == "missing":
        return f"{place_name(data, path[:-1])} is missing the required key '{path[-1]}'"
    if kind == "extra_forbidden":
        split = _split_number(data, path)
        if split:
            return split
        model = model_at(path[:-1], root)
        known = sorted(model.model_fields) if model else []
        hint = _suggest(str(path[-1]), known) or (
            f"; known keys: {', '.join(known)}" if known else "")
        return f"unknown key '{excerpt(str(path[-1]))}' in {place_name(data, path[:-1])}{hint}"
    closed = re.fullmatch(r"\^\(([\w|]+)\)\$", str(ctx.get("pattern", "")))
    if kind == "string_pattern_mismatch" and closed:  # a closed list written as a pattern
        choices = closed.group(1).split("|")
        return (f"{describe(value)} is not one of: {', '.join(choices)}"
                f"{_suggest(str(value), choices)}")
    if kind in ("bool_type", "bool_parsing"):
        return f"expected yes or no (true or false), found {describe(value)}"
    if kind in ("enum", "literal_error"):
        expected = _expected_words(error)
        return (f"{describe(value)} is not one of: {expected}"
                f"{_suggest(str(value), expected.split(', '))}")
    if value is None and kind.endswith("_type"):
        if isinstance(path[-1], int) and len(path) > 1:
            return f"entry {path[-1] + 1} of '{path[-2]}' needs a value here"
        return f"'{path[-1]}' needs a value here"
    if kind == "string_type":
        extra = (" (a ': ' inside a value makes it a key; quote the text)"
                 if isinstance(value, dict) and len(value) == 1 else "")
        return f"expected text, found {describe(value)}{extra}"
    if kind == "list_type":
        return f"expected a list (like [a, b] or lines starting with '- '), found {describe(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys and values here, found {describe(value)}"
    if kind == "too_short":
        return f"'{path[-1]}' needs at least {ctx.get('min_length', 1)} entry"
    if kind == "too_long":
        return (f"'{path[-1]}' has {ctx.get('actual_length', 'too many')} entries; gtmgen "
                f"takes at most {ctx.get('max_length')} (is this the right file?)")
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        limit = next(iter(ctx.values()), "")
        return f"'{path[-1]}' must be {words} {limit}; found {describe(value)}"
    return f"{error['msg']} (found {describe(value)})"


def _place(error: Any, loaded: Loaded, path: Path_, file: str) -> tuple[str, int, int]:
    """The file, line and column to report a pydantic error at."""
    if error["type"] == "missing":
        return loaded.file_of(path[:-1]) or file, *loaded.position(path[:-1])
    if error["type"] == "extra_forbidden":
        return loaded.file_of(path) or file, *loaded.key_position(path)
    return loaded.file_of(path) or file, *loaded.position(path)


def _clean_loc(loc: tuple[Any, ...]) -> Path_:
    # Pydantic adds "[key]" for errors in dict keys, and union member names; drop them.
    return tuple(part for part in loc if part != "[key]" and not (
        isinstance(part, str) and ("[" in part or part.startswith("function-"))))


def model_diagnostics(error: ValidationError, loaded: Loaded, file: str,
                      root: type[BaseModel] = Playbook) -> list[Diagnostic]:
    """Pydantic's errors as located Diagnostics, the first MAX_REPORTED of them in words."""
    placed = []
    for item in error.errors():
        path = _clean_loc(item["loc"])
        placed.append((_place(item, loaded, path, file), path, item))
    placed.sort(key=lambda entry: entry[0])
    found = [Diagnostic(where, line, column, Severity.ERROR,
                        _message(item, loaded.data, path, root),
                        path_text(path))
             for (where, line, column), path, item in placed[:MAX_REPORTED]]
    return found + _more(placed[MAX_REPORTED:])


def _more(rest: list[Any]) -> list[Diagnostic]:
    if not rest:
        return []
    (file, line, column), path, _ = rest[0]
    return [Diagnostic(file, line, column, Severity.ERROR,
                       f"{len(rest)} more problems from here on are not shown; fix the ones "
                       "above first", path_text(path))]


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
    try:
        result.playbook = Playbook.model_validate(loaded.data)
    except ValidationError as error:
        result.diagnostics = sort_diagnostics(model_diagnostics(error, loaded, file))
        return result
    found = sort_diagnostics(check(result.playbook, loaded, file))
    if len(found) > MAX_REPORTED:
        rest = found[MAX_REPORTED:]
        found = [*found[:MAX_REPORTED], Diagnostic(
            rest[0].file, rest[0].line, rest[0].column, Severity.ERROR if has_errors(found)
            else Severity.WARNING, f"{len(rest)} more problems from here on are not shown; fix "
                                   "the ones above first", rest[0].path)]
    result.diagnostics = found
    return result


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
    from gtmgen.theme import THEME_FILE, ThemeProblem, ThemeSource, load_theme_file, resolve

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
        sources.append(ThemeSource(brand, loaded.folder_of(logo, folder),
                                   loaded.file_of(logo) or result.file, at, "client.brand.logo"))
    theme, problems = resolve(sources, book.client.country, book.client.locale)
    result.diagnostics = sort_diagnostics([*result.diagnostics, *problems])
    result.theme = theme


def validate_path(path: Path, file: str | None = None, theme_file: Path | None = None, *,
                  defaults: Mapping[str, str] | None = None,
                  repo_theme: Path | None = None) -> Validation:
    """Read a playbook file (at most 1 MiB + 1 bytes) and validate it, with the files it
    names and its theme. `defaults` fill the client keys the playbook leaves out and
    `repo_theme` lies under theme.yaml (or `theme_file`): both come from gtmgen.toml."""
    name = file if file is not None else str(path)
    result = validate_bytes(read_bytes(path, name), name, path, defaults)
    _check_files(result, path.parent)
    if result.ok:
        _check_theme(result, path.parent, theme_file, repo_theme)
    return result


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
