"""What happened after launch, read from the consultant's export: a results file (CSV, or the
same rows as YAML) beside the playbook, each row checked against the playbook and its plan.

Every problem is located at its line and column; a file with any error gives no Results.
The file format is described in docs/results.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic_core import PydanticCustomError

from gtmgen.diagnostics import Diagnostic, Severity, capped, sort_diagnostics
from gtmgen.errors import GtmgenError
from gtmgen.model import Playbook
from gtmgen.modelerrors import MAX_REPORTED
from gtmgen.numbers import Kind
from gtmgen.plan import Plan
from gtmgen.resultcells import CellProblem, Reading, client_money, read_numbers
from gtmgen.resultrows import NumberReader, ResultRow, Rules, parse_day
from gtmgen.resulttable import Cell, Table, TableProblem, decode_csv, read_table
from gtmgen.resultyaml import read_yaml_table
from gtmgen.safeio import open_regular
from gtmgen.types import read_number

MAX_BYTES = 16 * 1024 * 1024
NAMES = ("results.csv", "results.yaml", "results.yml")
YAML_SUFFIXES = (".yaml", ".yml")

__all__ = ["ResultRow", "Results", "ResultsProblem", "find_results", "parse_day", "read_results"]


@dataclass(frozen=True)
class Results:
    """A results file read against a playbook: its measured rows and the hires that started."""

    file: str  # the path as shown in messages
    rows: tuple[ResultRow, ...]  # every non-hire row, in file order
    hires: dict[str, tuple[dt.date, int]]  # role id → (the day its hire started, line)


class ResultsProblem(GtmgenError):
    """Which results file to read cannot be decided; carries the located problem."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: "
                         f"{diagnostic.message}")
        self.diagnostic = diagnostic


def find_results(playbook_path: Path, named: Path | None) -> Path | None:
    """The results file to read: `named` (--results) when given, else results.csv,
    results.yaml or results.yml beside the playbook; ResultsProblem when two are there."""
    if named is not None:
        return named
    found = [playbook_path.parent / name for name in NAMES
             if (playbook_path.parent / name).exists()]
    if len(found) > 1:
        raise ResultsProblem(Diagnostic(
            str(found[1]), 1, 1, Severity.ERROR,
            f"both {found[0].name} and {found[1].name} are beside the playbook, so which one "
            "holds the results is unclear; keep one, or name it with --results"))
    return found[0] if found else None


def _read_bytes(path: Path, file: str) -> bytes:
    """At most MAX_BYTES of a regular file (a FIFO or a device is refused unread)."""
    try:
        with open(open_regular(path), "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except (OSError, ValueError) as problem:
        reason = getattr(problem, "strerror", None) or str(problem)
        raise TableProblem(1, 1, f"cannot read {file}: {reason}") from None
    if len(raw) > MAX_BYTES:
        raise TableProblem(1, 1, "the file is larger than 16 MiB; a results file sums its rows "
                                 "by day or week and stays far smaller (is this the right file?)")
    return raw


def read_results(path: Path, playbook: Playbook,
                 plan: Plan) -> tuple[Results | None, list[Diagnostic]]:
    """A results file read against a valid playbook and its plan: Results and no errors, or
    None and every problem (at most MAX_REPORTED, then one line saying how many more)."""
    file = str(path)
    try:
        raw = _read_bytes(path, file)
        yaml = path.suffix.casefold() in YAML_SUFFIXES
        table = read_yaml_table(raw) if yaml else read_table(decode_csv(raw))
    except TableProblem as problem:
        table, yaml = Table([], [problem]), False
    found = [Diagnostic(file, p.line, p.column, Severity.ERROR, p.message)
             for p in table.problems]
    if yaml:
        numbers: NumberReader = _yaml_number
    else:
        readings, problems = read_numbers(table.rows, client_money(playbook.client.currency,
                                                                   playbook.client.locale))
        found += [_at(file, cell, message) for cell, message in problems]
        numbers = _csv_numbers(readings)
    rules = Rules(file, playbook, plan, numbers)
    rows = [row for raw_row in table.rows if (row := rules.row(raw_row)) is not None]
    found = sort_diagnostics(found + rules.found)
    if found:
        return None, capped(found, MAX_REPORTED)
    return Results(file, tuple(rows), rules.hires), []


def _at(file: str, cell: Cell, message: str) -> Diagnostic:
    return Diagnostic(file, cell.line, cell.column, Severity.ERROR, message)


def _csv_numbers(readings: dict[Cell, Reading]) -> NumberReader:
    def number(cell: Cell, column: str, kind: Kind) -> Reading | None:
        return readings.get(cell)  # a cell left out had its problem reported
    return number


def _yaml_number(cell: Cell, column: str, kind: Kind) -> Reading | None:
    """A number of the YAML form, read by the playbook's rules (a dot is a decimal point;
    thousands dots in an amount or a count are refused with what to write)."""
    expected = "a whole number" if kind is Kind.WHOLE else "a number"
    try:
        return read_number(cell.text, kind, expected), False
    except PydanticCustomError as problem:
        raise CellProblem(problem.message()) from None


