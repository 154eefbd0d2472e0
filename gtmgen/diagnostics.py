"""Problems found in a playbook, as values, and the ways of printing them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


def excerpt(text: str, limit: int = 60) -> str:
    """At most `limit` characters of a text, on one line, for messages: a value is never
    echoed whole (it may be a megabyte)."""
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return f"{text[:limit]}…" if len(text) > limit else text


def plural(count: int, noun: str) -> str:
    """`1 error`, `2 errors`: a count and an English noun, for messages."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file; lines and columns count from 1."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    path: str = ""

    def as_error(self) -> Diagnostic:
        """The same problem reported as an error (for --strict)."""
        return Diagnostic(self.file, self.line, self.column, Severity.ERROR, self.message, self.path)


def path_text(path: tuple[str | int, ...]) -> str:
    """A path as people write it: `messages.phases[0].weeks`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sort by position, errors before warnings at one place, and drop exact repeats."""
    unique = set(diagnostics)
    return sorted(unique, key=lambda d: (d.file, d.line, d.column, d.severity != "error",
                                         d.message, d.path))


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    """Whether any of the diagnostics is an error."""
    return any(d.severity == Severity.ERROR for d in diagnostics)


def capped(found: list[Diagnostic], limit: int) -> list[Diagnostic]:
    """At most `limit` of the diagnostics, then one at the next place saying how many more
    there are (an error when any of them is one)."""
    if len(found) <= limit:
        return found
    rest = found[limit:]
    return [*found[:limit], Diagnostic(
        rest[0].file, rest[0].line, rest[0].column,
        Severity.ERROR if has_errors(found) else Severity.WARNING,
        f"{len(rest)} more problems from here on are not shown; fix the ones above first",
        rest[0].path)]


def format_text(diagnostics: list[Diagnostic]) -> str:
    """`FILE:LINE:COL: error: MESSAGE`, one per line."""
    return "".join(f"{d.file}:{d.line}:{d.column}: {d.severity}: {_one_line(d.message)}\n"
                   for d in diagnostics)


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def format_json(diagnostics: list[Diagnostic]) -> str:
    """A JSON list of objects with file, line, column, severity, message and path."""
    rows = [{"file": d.file, "line": d.line, "column": d.column, "severity": str(d.severity),
             "message": d.message, "path": d.path} for d in diagnostics]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, *, property_value: bool = False) -> str:
    # The workflow-command escaping rules: %, CR and LF always; ':' and ',' in properties.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions annotations: `::error file=F,line=L,col=C::MESSAGE`."""
    return "".join(
        f"::{d.severity} file={_github_escape(d.file, property_value=True)},line={d.line},"
        f"col={d.column}::{_github_escape(d.message)}\n"
        for d in diagnostics
    )


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
