"""Why a file cannot be read as a playbook, in plain words: YAML syntax errors with a hint
for the common ones, and characters YAML does not allow."""

from __future__ import annotations

import re
from typing import Any

import yaml

from gtmgen.errors import GtmgenError


class LoadProblem(GtmgenError):
    """A reason the file cannot be read as a playbook, with its 1-based place (the loader
    turns it into a Diagnostic; it never reaches the CLI on its own)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def at(mark: Any) -> tuple[int, int]:
    """A YAML mark as a 1-based (line, column)."""
    return mark.line + 1, mark.column + 1


_HINTS = (
    ("tab character", "a tab character: indent with spaces, not tabs"),
    ("mapping values are not allowed", "a ': ' inside a value starts a new key; quote this "
                                       "text, or check the indentation of the line above"),
    ("block sequence entries are not allowed", "a list with '- ' starts on the line after "
                                               "its key, indented"),
    ("expected ',' or ']'", "inside [...] quote this text if it holds ': ' or '?', and "
                            "close the list with ']'"),
    ("expected ',' or '}'", "inside {...} quote this text if it holds ': ' or '?', and "
                            "close the mapping with '}'"),
    ("but got '?'", "a '?' inside [...] or {...} ends the item; quote this text"),
    ("but got ':'", "a ':' inside [...] or {...} ends the item; quote this text"),
    ("could not find expected ':'", "a key needs a ':' after it; check this line and the one "
                                    "above (a text that runs over several lines needs quotes)"),
    ("unexpected end of stream", "the file ends inside a quoted text; close the quote"),
    ("invalid Unicode character escape", "this \\u escape is not a character; write the "
                                         "character itself"),
    ("unknown escape character", "inside double quotes a backslash starts an escape; "
                                 "use single quotes or write \\\\"),
    ("expected '-' indicator", "this line does not continue the list above: start it with "
                               "'- ' or line it up with the key above"),
    ("expected key", "text after a closing quote or bracket, or an indentation that does not "
                     "line up; quote the whole value or fix the indentation"),
    ("expected <block end>", "the indentation does not line up with the lines above"),
    ("expected the node content", "a value is missing here, or the line needs quotes"),
    ("expected node content", "a value is missing here, or the line needs quotes"),
)


# The characters YAML allows in a file (YAML 1.1, section 5.1).
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd"
                            "\U00010000-\U0010ffff]")


def _line_text(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _char_at(text: str, line: int, column: int) -> str:
    return _line_text(text, line)[column - 1: column]


def _ends_at(text: str, line: int, column: int) -> bool:
    """Whether (line, column) is the end of the text (nothing but blanks after it)."""
    lines = text.split("\n")
    rest = "\n".join([lines[line - 1][column - 1:], *lines[line:]]) if line <= len(lines) else ""
    return not rest.strip()


def syntax_problem(error: yaml.MarkedYAMLError, text: str) -> LoadProblem:
    """A YAML parser's error as a LoadProblem at its place, with a hint in plain words."""
    mark = error.problem_mark or error.context_mark
    line, column = at(mark) if mark else (1, 1)
    problem = (error.problem or error.context or "invalid YAML").strip()
    if "cannot start any token" in problem:
        char = _char_at(text, line, column)
        hint = ("a tab character: indent with spaces, not tabs" if char == "\t" else
                f"'{char}' cannot start a plain value; quote this text")
        return LoadProblem(line, column, f"YAML syntax: {hint}")
    if "escape" in problem:
        # Point at the backslash that starts the escape, not inside it.
        start = _line_text(text, line).rfind("\\", 0, column)
        column = start + 1 if start >= 0 else column
    if "expected ','" in problem and _ends_at(text, line, column):
        return LoadProblem(line, column, "YAML syntax: the file ends inside a [...] or {...}; "
                                         "close the bracket")
    for needle, hint in _HINTS:
        if needle in problem:
            return LoadProblem(line, column, f"YAML syntax: {hint} ({problem})")
    return LoadProblem(line, column, f"YAML syntax: {problem}")


def check_printable(text: str) -> None:
    """LoadProblem at the first character YAML does not allow in a file."""
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, column = _place(text, bad.start())
        raise LoadProblem(line, column, f"the character U+{ord(bad.group()):04X} is not allowed "
                                        "in a YAML file; remove it")
    odd = _ODD_BREAK.search(text)
    if odd:
        # YAML counts these as line breaks and most editors do not, so every place after one
        # would be reported on the wrong line.
        line, column = _place(text, odd.start())
        raise LoadProblem(line, column, f"the character U+{ord(odd.group()):04X} "
                                        f"({_ODD_BREAKS[odd.group()]}) breaks lines in YAML but "
                                        "not in most editors; use a plain line break or a space")


_ODD_BREAKS = {"\x85": "next line", "\u2028": "line separator",
               "\u2029": "paragraph separator"}
_ODD_BREAK = re.compile("[\x85\u2028\u2029]")


def _place(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a character, counting only line feeds as breaks."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1
