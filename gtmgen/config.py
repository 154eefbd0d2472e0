"""gtmgen.toml, the repository's settings: which files are playbooks, what a build makes and
where, and the defaults every playbook of the repository shares.

Every problem in the file is a Diagnostic at its line and column; a file with any problem is
refused whole (ConfigProblem, exit 1) so that nothing is built on half a configuration.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from gtmgen.diagnostics import Diagnostic, Severity, excerpt, path_text, sort_diagnostics
from gtmgen.errors import EXIT_INVALID, GtmgenError
from gtmgen.repository import CONFIG_FILE, repository_root
from gtmgen.safeio import resolved
from gtmgen.tomlplaces import Key, Places, locate, syntax_error

DEFAULT_PLAYBOOKS = ("**/playbook.yaml",)
DEFAULT_OUT = "build"
# The names of `--format`; a test keeps this equal to gtmgen.render.FORMATS (not imported
# here: it loads every renderer).
FORMAT_NAMES = ("md", "docx", "html", "json", "csv", "ics", "pdf", "pptx")
DEFAULT_KEYS = ("locale", "country", "currency")
MAX_BYTES = 1024 * 1024
MAX_JOBS = 256  # as --jobs: worker processes at once
KEYS = ("playbooks", "exclude", "formats", "out", "theme", "templates", "jobs", "defaults")


@dataclass(frozen=True)
class RepoConfig:
    """A repository's gtmgen.toml, checked: every path absolute, every name known."""

    root: Path  # the folder of gtmgen.toml, resolved
    file: Path  # gtmgen.toml itself
    playbooks: tuple[str, ...] = DEFAULT_PLAYBOOKS  # globs relative to root
    exclude: tuple[str, ...] = ()  # globs relative to root
    formats: tuple[str, ...] | None = None  # None: the build's own default
    out: Path = Path(DEFAULT_OUT)  # absolute once loaded
    theme: Path | None = None  # absolute
    templates: Path | None = None  # absolute
    jobs: int | None = None
    defaults: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def covers(self, path: Path) -> bool:
        """Whether `path` (a playbook or folder) lies in this repository, so that the
        settings apply to it."""
        return path.resolve().is_relative_to(self.root)


class ConfigProblem(GtmgenError):
    """gtmgen.toml has problems; `diagnostics` says each one at its line and column."""

    exit_code = EXIT_INVALID

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        count = len(diagnostics)
        file = diagnostics[0].file if diagnostics else CONFIG_FILE
        super().__init__(f"{file}: invalid: {count} error{'' if count == 1 else 's'}")
        self.diagnostics = diagnostics


def find_config(start: Path) -> RepoConfig | None:
    """The settings of the repository `start` (a folder or a file) is in: its gtmgen.toml,
    found by walking up to the nearest folder with gtmgen.toml or .git. None when that folder
    has no gtmgen.toml; ConfigProblem when the file has any problem."""
    root = repository_root(start)
    if root is None or not (root / CONFIG_FILE).is_file():
        return None
    here = start.resolve() if start.is_dir() else start.resolve().parent
    return load_config(root / CONFIG_FILE, os.path.relpath(root / CONFIG_FILE, here))


def load_config(file: Path, name: str | None = None) -> RepoConfig:
    """Read and check one gtmgen.toml; `name` is how messages call it (default: the path)."""
    name = name if name is not None else str(file)
    try:
        with file.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as problem:
        raise ConfigProblem([_at(name, (1, 1), f"cannot read it: {problem.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise ConfigProblem([_at(name, (1, 1), "larger than 1 MiB; a gtmgen.toml is a few lines "
                                               "(is this the right file?)")])
    text = _decode(raw, name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        line, column, words = syntax_error(problem, text)
        raise ConfigProblem([_at(name, (line, column), f"not valid TOML: {words}")]) from None
    except RecursionError:  # tomllib reads nested lists and tables by recursion
        raise ConfigProblem([_at(name, (1, 1), "lists or tables are nested too deeply to read; "
                                               "a gtmgen.toml nests at most a few levels")]) \
            from None
    try:
        places = locate(text)
    except (ValueError, IndexError, RecursionError):  # the locator missed a corner: say 1:1
        places = Places()
    return _Checker(data, places, file.parent.resolve(), file, name).config()


def _at(name: str, where: tuple[int, int], message: str, path: str = "") -> Diagnostic:
    return Diagnostic(name, where[0], where[1], Severity.ERROR, message, path)


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        before = raw[:problem.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        raise ConfigProblem([_at(name, (line, column), f"byte 0x{raw[problem.start]:02x} is "
                                 "not UTF-8 text; save the file as UTF-8")]) from None
    return text.removeprefix("\ufeff")


def _kind(value: Any) -> str:
    """A TOML value in words."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text '{excerpt(value)}'"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"the date or time {value}"


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(choices)}"


class _Checker:
    """Checks the parsed file key by key, gathering every problem before refusing."""

    def __init__(self, data: dict[str, Any], places: Places, root: Path, file: Path,
                 name: str) -> None:
        self.data, self.places, self.root, self.file, self.name = data, places, root, file, name
        self.problems: list[Diagnostic] = []

    def problem(self, path: Key, message: str, *, at_key: bool = False) -> None:
        where = self.places.key(path) if at_key else self.places.value(path)
        self.problems.append(_at(self.name, where, message, path_text(path)))

    def config(self) -> RepoConfig:
        for key in self.data:
            if key not in KEYS:
                what = "table" if isinstance(self.data[key], dict) else "key"
                self.problem((key,), f"unknown {what} '{excerpt(key)}'{_suggest(key, KEYS)}",
                             at_key=True)
        readers: dict[str, Callable[[Any], Any]] = {
            "playbooks": lambda v: self.globs("playbooks", v, empty_ok=False),
            "exclude": lambda v: self.globs("exclude", v, empty_ok=True),
            "formats": self.formats, "out": lambda v: self.path("out", v, None),
            "theme": lambda v: self.path("theme", v, "file"),
            "templates": lambda v: self.path("templates", v, "folder"),
            "jobs": self.jobs, "defaults": self.defaults}
        got = {key: read(self.data[key]) for key, read in readers.items() if key in self.data}
        if self.problems:
            raise ConfigProblem(sort_diagnostics(self.problems))
        return RepoConfig(self.root, self.file, got.get("playbooks") or DEFAULT_PLAYBOOKS,
                          got.get("exclude") or (), got.get("formats"),
                          got.get("out") or self.root / DEFAULT_OUT, got.get("theme"),
                          got.get("templates"), got.get("jobs"),
                          MappingProxyType(got.get("defaults") or {}))

    def texts(self, key: str, value: Any, example: str) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.problem((key,), f"'{key}' is a list, like {key} = {example}; found "
                                 f"{_kind(value)}")
            return None
        good = True
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem((key, index), f"entry {index + 1} of '{key}' should be a text in "
                                           f"quotes; found {_kind(item)}")
                good = False
        return tuple(value) if good else None

    def globs(self, key: str, value: Any, *, empty_ok: bool) -> tuple[str, ...] | None:
        example = '["**/playbook.yaml"]' if key == "playbooks" else '["archive/**"]'
        found = self.texts(key, value, example)
        if found is not None and not found and not empty_ok:
            self.problem((key,), f"'{key}' is empty, so no file would be a playbook; give at "
                                 f"least one glob, like {example}, or leave the key out")
        for index, glob in enumerate(found or ()):
            parts = PurePosixPath(glob.replace("\\", "/")).parts
            if glob.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", glob) or ".." in parts:
                self.problem((key, index), f"the glob '{excerpt(glob)}' leaves the folder of "
                                           f"{CONFIG_FILE}; globs are relative to that folder")
                found = None
        return found

    def formats(self, value: Any) -> tuple[str, ...] | None:
        found = self.texts("formats", value, '["md", "docx"]')
        if found is not None and not found:
            self.problem(("formats",), "'formats' is empty; give at least one, like "
                                       '["md"], or leave the key out for the default (md)')
        for index, name in enumerate(found or ()):
            if name not in FORMAT_NAMES:
                self.problem(("formats", index), f"unknown format '{excerpt(name)}'"
                                                 f"{_suggest(name, FORMAT_NAMES)}")
                found = None
        return tuple(dict.fromkeys(found)) if found else None

    def path(self, key: str, value: Any, kind: str | None) -> Path | None:
        if not isinstance(value, str) or not value.strip():
            self.problem((key,), f"'{key}' is a path in quotes, relative to the folder of "
                                 f"{CONFIG_FILE}; found {_kind(value)}")
            return None
        target = self.root / value
        try:
            real = resolved(target)
            target.exists()  # a name too long for the system fails here, not in resolve
        except (OSError, ValueError) as problem:  # a NUL character, a name too long, a loop
            why = problem.strerror if isinstance(problem, OSError) else "it holds U+0000"
            self.problem((key,), f"'{excerpt(value)}' cannot be a path here ({why or problem})")
            return None
        if Path(value).is_absolute() or not real.is_relative_to(self.root):
            self.problem((key,), f"'{excerpt(value)}' leads outside the folder of "
                                 f"{CONFIG_FILE} ({self.root}); give a path inside it")
        elif kind is None and real == self.root:
            self.problem((key,), f"'{key}' cannot be the folder of {CONFIG_FILE} itself; "
                                 f"name a folder inside it, like \"{DEFAULT_OUT}\"")
        elif kind == "file" and not target.is_file():
            self.problem((key,), f"no file '{excerpt(value)}' in {self.root}; the path is "
                                 f"relative to the folder of {CONFIG_FILE}")
        elif kind == "folder" and not target.is_dir():
            self.problem((key,), f"no folder '{excerpt(value)}' in {self.root}; the path is "
                                 f"relative to the folder of {CONFIG_FILE}")
        elif kind is None and target.exists() and not target.is_dir():
            self.problem((key,), f"'{excerpt(value)}' is a file; the output root is a folder")
        else:
            return Path(os.path.normpath(target))
        return None

    def jobs(self, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_JOBS:
            self.problem(("jobs",), "'jobs' is how many playbooks to build at once: a whole "
                                    f"number from 1 to {MAX_JOBS}, like jobs = 2; found "
                                    f"{_kind(value)}")
            return None
        return value

    def defaults(self, value: Any) -> dict[str, str] | None:
        if not isinstance(value, dict):
            self.problem(("defaults",), "'defaults' is a table: a line [defaults] and under it "
                                        f"lines like locale = \"nl\"; found {_kind(value)}")
            return None
        found = {}
        for key, item in value.items():
            path = ("defaults", key)
            if key not in DEFAULT_KEYS:
                self.problem(path, f"unknown key '{excerpt(key)}' in [defaults]"
                                   f"{_suggest(key, DEFAULT_KEYS)}", at_key=True)
            elif not isinstance(item, str):
                self.problem(path, f"defaults.{key} is a text in quotes, like "
                                   f"{key} = \"{_EXAMPLES[key]}\"; found {_kind(item)}")
            elif (wrong := _default_problem(key, item)) is not None:
                self.problem(path, f"defaults.{key}: {wrong}")
            else:
                found[key] = item
        return found


_EXAMPLES = {"locale": "nl", "country": "NL", "currency": "EUR"}


def _default_problem(key: str, value: str) -> str | None:
    """What is wrong with a default for client.KEY, in the playbook's own words; None if
    nothing is."""
    from pydantic import TypeAdapter, ValidationError

    from gtmgen.types import Country, Currency, Locale

    kind = {"locale": Locale, "country": Country, "currency": Currency}[key]
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError as error:
        return str(error.errors()[0]["msg"])
    return None
