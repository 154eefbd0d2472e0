"""Pydantic's errors in a playbook (or a theme) as plain words at their file, line and column."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from gtmgen.diagnostics import Diagnostic, Severity, excerpt, path_text
from gtmgen.load import Loaded, Path_
from gtmgen.model import Playbook, Section
from gtmgen.numbers import Kind, advice, how_it_was_split, split_by_comma
from gtmgen.types import describe

# Words for the parts of a playbook, used to say where a problem is.
MAX_REPORTED = 100
_ITEM_NAMES = {"segments": "segment", "icps": "ICP", "personas": "persona",
               "partners": "partner", "channels": "channel", "phases": "phase",
               "roles": "role", "moments": "partner moment", "one_off": "one-off cost",
               "risks": "risk", "next_steps": "next step",
               "competitors": "competitor", "pillars": "brand pillar"}


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
        if model is not None and issubclass(model, Section) and str(path[-1]) in model.elsewhere:
            return model.elsewhere[str(path[-1])]
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
        least = ctx.get("min_length", 1)
        return f"'{path[-1]}' needs at least {least} {'entry' if least == 1 else 'entries'}"
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
    if error["type"] == "extra_forbidden" or "[key]" in error["loc"]:
        # A bad key of a mapping (an id that is not a slug) is shown at the key, not its value.
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
