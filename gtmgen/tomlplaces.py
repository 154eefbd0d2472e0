"""Where each key and value of a TOML file was written, for messages about them.

tomllib gives the values but not their places. This reads the text of a file that tomllib
has already accepted and records, for every key path, the line and column of the key and of
its value: keys under table headers (`[defaults]`, `[a.b]`, `[[items]]`), dotted keys
(`defaults.locale = …`), inline tables (`{ locale = "nl" }`) and the entries of arrays.
Lines and columns count from 1; columns count characters.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field

Key = tuple[str | int, ...]
Position = tuple[int, int]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\",
            "e": "\x1b"}


@dataclass
class Places:
    """The place of every key and value of one TOML text."""

    keys: dict[Key, Position] = field(default_factory=dict)
    values: dict[Key, Position] = field(default_factory=dict)

    def key(self, path: Key) -> Position:
        """The place of the key that holds `path`, else of the nearest ancestor; (1, 1) for
        the whole file."""
        for end in range(len(path), 0, -1):
            found = self.keys.get(path[:end]) or self.values.get(path[:end])
            if found:
                return found
        return (1, 1)

    def value(self, path: Key) -> Position:
        """The place of the value at `path`, else of its key, else of the nearest ancestor."""
        return self.values.get(path) or self.key(path)


class _Scanner:
    """One pass over the text; assumes it is valid TOML (tomllib read it first)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.places = Places()
        self.tables: dict[Key, int] = {}  # arrays of tables: how many entries so far

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return (line, offset - self.starts[line - 1] + 1)

    def peek(self, count: int = 1) -> str:
        return self.text[self.at:self.at + count]

    def skip_blank(self, newlines: bool) -> None:
        """Spaces and tabs, comments, and with `newlines` line ends too."""
        while self.at < len(self.text):
            char = self.text[self.at]
            if char in " \t" or (newlines and char in "\r\n"):
                self.at += 1
            elif char == "#":
                end = self.text.find("\n", self.at)
                self.at = len(self.text) if end < 0 else end
            else:
                return

    def scan(self) -> Places:
        current: Key = ()
        while True:
            self.skip_blank(newlines=True)
            if self.at >= len(self.text):
                return self.places
            if self.peek(2) == "[[":
                self.at += 2
                path = self.dotted_key(())
                count = self.tables.get(path, 0)
                self.tables[path] = count + 1
                current = (*path, count)
                self.places.keys.setdefault(current, self.places.keys[path])
                self.at = self.text.index("]]", self.at) + 2
            elif self.peek() == "[":
                self.at += 1
                current = self.dotted_key(())
                self.at = self.text.index("]", self.at) + 1
            else:
                self.key_value(current)

    def dotted_key(self, base: Key) -> Key:
        """`a."b c".d` → base + (a, b c, d), recording where each part is written."""
        path = base
        while True:
            self.skip_blank(newlines=False)
            start = self.at
            path = (*path, self.key_part())
            self.places.keys.setdefault(path, self.position(start))
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return path
            self.at += 1

    def key_part(self) -> str:
        quote = self.peek()
        if quote in "\"'":
            return self.string()
        match = _BARE.match(self.text, self.at)
        if match is None:
            raise ValueError(f"no key at offset {self.at}")
        self.at = match.end()
        return match.group()

    def key_value(self, table: Key) -> None:
        path = self.dotted_key(table)
        self.skip_blank(newlines=False)
        self.at += 1  # the '='
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: Key) -> None:
        self.places.values.setdefault(path, self.position(self.at))
        char = self.peek()
        if char in "\"'":
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:  # a number, a boolean or a date: up to the next separator
            match = re.compile(r"[^,\]}#\r\n]*").match(self.text, self.at)
            assert match is not None
            self.at = match.end()

    def array(self, path: Key) -> None:
        self.at += 1
        index = 0
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "]":
                self.at += 1
                return
            if self.peek() == ",":
                self.at += 1
                continue
            self.value((*path, index))
            index += 1

    def inline_table(self, path: Key) -> None:
        self.at += 1
        while True:
            self.skip_blank(newlines=True)
            if self.peek() == "}":
                self.at += 1
                return
            if self.peek() == ",":
                self.at += 1
                continue
            self.key_value(path)

    def string(self) -> str:
        """A basic, literal or multi-line string; its text (escapes undone for keys)."""
        quote = self.peek()
        if self.peek(3) == quote * 3:
            start = end = self.at + 3
            while self.text[end:end + 3] != quote * 3:
                end += 2 if quote == '"' and self.text[end] == "\\" else 1
            while self.text[end + 3:end + 4] == quote:  # up to two quotes may end the text
                end += 1
            self.at = end + 3
            return self.text[start:end]
        start = self.at + 1
        self.at = start
        while self.text[self.at] != quote:
            self.at += 2 if quote == '"' and self.text[self.at] == "\\" else 1
        raw = self.text[start:self.at]
        self.at += 1
        return _unescape(raw) if quote == '"' else raw


def _unescape(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU":
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, raw)


def locate(text: str) -> Places:
    """The places of the keys and values of a TOML text that tomllib has accepted."""
    return _Scanner(text).scan()


# tomllib's words for the commonest slips, in plainer ones.
_SYNTAX_WORDS = {
    "Invalid value": "a value is missing or malformed here; text goes in quotes "
                     '(out = "build"), lists in brackets (formats = ["md", "docx"])',
    "Cannot overwrite a value": "this key is given twice; keep one",
    "Cannot declare": "this table is given twice; keep one [table] line",
    "Expected '=' after a key": "expected '=' after the key, like jobs = 2",
    "Unclosed array": "a list is not closed; end it with ]",
    "Illegal character '\\n'": "a text in quotes is not closed on its line; add the "
                               "closing quote",
}


def syntax_error(problem: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    """Where tomllib stopped reading `text`, and why in plain words: (line, column, words)."""
    message = str(problem)
    found = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        message = message[:found.start()]
    else:
        message = message.removesuffix(" (at end of document)")
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    for start, words in _SYNTAX_WORDS.items():
        if message.startswith(start):
            return line, column, words
    return line, column, message[:1].lower() + message[1:]
