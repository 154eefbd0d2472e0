"""Bytes of a results CSV → its rows of cells, each cell with the line and column it was written
at: the encoding decided, the separator taken from the header line, RFC 4180 quoting read by a
small scanner of our own (the csv module forgets where a cell started)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from gtmgen.diagnostics import excerpt

MAX_ROWS = 200_000
MAX_CELL = 200  # characters in one cell: no date, id or number comes near
COLUMNS = ("date", "channel", "phase", "persona", "spend", "leads", "customers", "resonance",
           "role")
SEPARATORS = {",": "','", ";": "';'", "\t": "a tab"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_EXCEL_SEPARATOR = re.compile("sep=([,;\t])", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TableProblem(Exception):
    """A problem at one place of a results file (1-based line and column)."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


class Cell(NamedTuple):
    """One value as written (trimmed; empty when not given), and where it starts (a tuple:
    an export has a million of them)."""

    text: str
    line: int
    column: int


@dataclass(frozen=True)
class RawRow:
    """One row of a results file: its place and its cells by column name."""

    line: int
    column: int
    cells: dict[str, Cell]

    def given(self, name: str) -> Cell | None:
        """The cell of a column when it holds a value, else None."""
        cell = self.cells.get(name)
        return cell if cell is not None and cell.text else None


@dataclass
class Table:
    """The rows read, and the problems found on the way (a bad row does not stop the rest)."""

    rows: list[RawRow]
    problems: list[TableProblem]


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with one; TableProblem at 1:1
    naming the encoding problem for anything else."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise TableProblem(1, 1, "the file is UTF-32, which gtmgen does not read; save it as "
                                 "CSV UTF-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")  # the byte-order mark says which end comes first
        except UnicodeDecodeError:
            raise TableProblem(1, 1, "the file starts like UTF-16 but does not decode as UTF-16 "
                                     "(is it cut short?); save it as CSV UTF-8") from None
    else:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
        if b"\x00" in raw[:4096]:  # valid UTF-8, but no text file holds NUL characters
            raise TableProblem(1, 1, "the file holds NUL bytes: it looks like UTF-16 without a "
                                     "byte-order mark; save it as CSV UTF-8 (or as Unicode "
                                     "text with its byte-order mark)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TableProblem(1, 1, _not_utf8(raw, exc.start)) from None
    bad = _CONTROL.search(text)
    if bad:
        before = _LINE_BREAK.split(text[: bad.start()])
        raise TableProblem(len(before), len(before[-1]) + 1,
                           f"the control character U+{ord(bad.group()):04X} has no place in a "
                           "CSV file; is this the right file?")
    return text


def _not_utf8(raw: bytes, index: int) -> str:
    line = len(_BYTE_LINE_BREAK.split(raw[:index]))  # a Mac export ends its lines with CR alone
    return (f"the file is not UTF-8: byte 0x{raw[index]:02X} on line {line} is not valid "
            "UTF-8 (a spreadsheet's ANSI or Latin-1 export?); save it as CSV UTF-8")


def split_line(line: str, number: int, separator: str) -> list[Cell]:
    """The cells of one line: unquoted text up to the separator, or a quoted cell in which
    `""` is a quote and the separator is text. Spaces around a quoted cell are allowed."""
    if '"' not in line:  # the common case, without the scanner
        return _plain_cells(line, number, separator)
    cells: list[Cell] = []
    at, end = 0, len(line)
    while True:
        start = at
        lead = at
        while lead < end and line[lead] in " \t" and line[lead] != separator:
            lead += 1
        if lead < end and line[lead] == '"':
            text, at = _quoted(line, number, lead, separator)
        else:
            stop = line.find(separator, at)
            stop = end if stop < 0 else stop
            text, at = line[at:stop], stop
        text = text.strip()
        if len(text) > MAX_CELL:
            _too_long(text, number, start + 1)
        cells.append(Cell(text, number, start + 1))
        if at >= end:
            return cells
        at += 1  # past the separator; a separator at the end leaves one more, empty, cell


def _plain_cells(line: str, number: int, separator: str) -> list[Cell]:
    cells, column = [], 1
    for text in line.split(separator):
        if len(text) > MAX_CELL and len(text.strip()) > MAX_CELL:
            _too_long(text.strip(), number, column)
        cells.append(Cell(text.strip(), number, column))
        column += len(text) + 1
    return cells


def _too_long(text: str, number: int, column: int) -> None:
    raise TableProblem(number, column, f"this cell is {len(text):,} characters long; a cell of "
                                       f"a results file holds at most {MAX_CELL} (is a quote "
                                       "missing its end?)")


def _quoted(line: str, number: int, opening: int, separator: str) -> tuple[str, int]:
    """The text of a quoted cell that opens at `opening`, and the index after it."""
    parts, at = [], opening + 1
    while True:
        close = line.find('"', at)
        if close < 0:
            raise TableProblem(number, opening + 1,
                               "this quoted cell is not closed before the end of its line; "
                               "close it with \" (a cell cannot run over two lines, and a quote "
                               "inside a cell is written twice: \"\")")
        parts.append(line[at:close])
        if line[close + 1: close + 2] != '"':
            break
        parts.append('"')
        at = close + 2
    after = close + 1
    while after < len(line) and line[after] in " \t" and line[after] != separator:
        after += 1
    if after < len(line) and line[after] != separator:
        raise TableProblem(number, after + 1, "text after the closing quote of a cell; put the "
                                              "whole cell inside the quotes")
    return "".join(parts), after


def _separator(header: str, number: int) -> str:
    found = [mark for mark in SEPARATORS if mark in header]
    if len(found) == 1:
        return found[0]
    if not found:
        raise TableProblem(number, 1, "the first line holds no ',', ';' or tab between column "
                                      "names; it names the columns, like date,channel,spend")
    marks = " and ".join(SEPARATORS[mark] for mark in found)
    raise TableProblem(number, 1, f"the first line holds both {marks}, so the separator is "
                                  "unclear; separate the column names with one of them")


def _columns(cells: list[Cell], problems: list[TableProblem]) -> list[str]:
    """The column names of the header cells; each bad one is added to `problems`."""
    from gtmgen.check import _unknown_ref

    names: list[str] = []
    first: dict[str, int] = {}
    for cell in cells:
        name = cell.text.casefold()
        if not name:
            problems.append(TableProblem(cell.line, cell.column, "this column has no name; "
                                         "name it or remove the empty column"))
        elif name not in COLUMNS:
            problems.append(TableProblem(cell.line, cell.column,
                                         _unknown_ref("column", excerpt(name), list(COLUMNS))))
        elif name in first:
            problems.append(TableProblem(cell.line, cell.column,
                                         f"the column '{name}' appears twice (first in column "
                                         f"{first[name]}); keep one of them"))
        else:
            first[name] = cell.column
        names.append(name)
    if "date" not in first:
        problems.append(TableProblem(cells[0].line, 1, "the file has no 'date' column; the "
                                     "first line names the columns, and every row needs its "
                                     "date"))
    return names


def read_table(text: str) -> Table:
    """The rows of a results CSV and every problem found in it; no rows when the header
    cannot be read (problems in single rows do not stop the others)."""
    lines = _LINE_BREAK.split(text)
    numbered = ((number, line) for number, line in enumerate(lines, start=1) if line.strip())
    header = next(numbered, None)
    table = Table([], [])
    try:
        stated = _EXCEL_SEPARATOR.fullmatch(header[1].strip()) if header else None
        if stated:  # Excel's `sep=;` line states the separator
            header = next(numbered, None)
        if header is None:
            raise TableProblem(1, 1, "the file is empty; its first line names the columns, "
                                     "like date,channel,spend,leads")
        separator = stated.group(1) if stated else _separator(header[1], header[0])
        names = _columns(split_line(header[1], header[0], separator), table.problems)
    except TableProblem as problem:
        table.problems.append(problem)
    if table.problems:
        return table
    for count, (number, line) in enumerate(numbered, start=1):
        if count > MAX_ROWS:
            return Table([], [TableProblem(number, 1, f"the file has more than {MAX_ROWS:,} "
                                                      "rows; split it or sum the rows by week")])
        if not line.strip(separator + ' \t"'):
            continue  # a row of empty cells, as a spreadsheet exports a blank row
        try:
            cells = split_line(line, number, separator)
        except TableProblem as problem:
            table.problems.append(problem)
            continue
        if len(cells) != len(names):
            table.problems.append(TableProblem(
                number, 1, f"this row has {len(cells)} cells and the header {len(names)}; "
                           "quote a value that holds the separator, like \"1,5\""))
            continue
        table.rows.append(RawRow(number, 1, dict(zip(names, cells, strict=True))))
    return table
