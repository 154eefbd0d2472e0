"""A results file written as YAML (`results.yaml`): `rows:`, a list of mappings with the CSV's
column names as keys, read with the playbook's loader so every key and value has its place."""

from __future__ import annotations

from gtmgen.diagnostics import excerpt
from gtmgen.load import Loaded, decode, parse
from gtmgen.resulttable import COLUMNS, Cell, RawRow, Table, TableProblem
from gtmgen.types import describe
from gtmgen.yamlerrors import LoadProblem

_AUTHOR_KEYS = ("notes",)


def _author_key(key: str) -> bool:
    return key in _AUTHOR_KEYS or key.startswith("x-")


def _loaded(raw: bytes) -> Loaded:
    """The YAML of a results file behind the playbook's guards; TableProblem when unreadable."""
    try:
        text = decode(raw)
        if not text.strip():
            raise LoadProblem(1, 1, "the file is empty; a results file holds 'rows:', a list of "
                                    "rows like {date: 2027-03-15, channel: email, spend: 120}")
        return parse(text)
    except LoadProblem as problem:
        # The loader speaks of a playbook; this file is a results file.
        message = problem.message.replace("a playbook", "a results file").replace(
            "the playbook", "the results file")
        raise TableProblem(problem.line, problem.column, message) from None


def read_yaml_table(raw: bytes) -> Table:
    """The rows of a results YAML file, each cell placed at its value (or its key when the
    key itself is wrong); problems are collected, a bad row does not stop the others."""
    from gtmgen.check import _unknown_ref

    table = Table([], [])
    try:
        loaded = _loaded(raw)
    except TableProblem as problem:
        return Table([], [problem])
    data = loaded.data
    if not isinstance(data, dict):
        table.problems.append(TableProblem(*loaded.position(()), "a results file is a mapping "
                                           f"with 'rows:', found {describe(data)}"))
        return table
    for key in data:
        if key != "rows" and not _author_key(key):
            table.problems.append(TableProblem(*loaded.key_position((key,)),
                                               _unknown_ref("key", excerpt(key), ["rows"])))
    rows = data.get("rows")
    if "rows" not in data:
        table.problems.append(TableProblem(1, 1, "the file has no 'rows:'; a results file "
                                                 "lists its rows under 'rows:'"))
    elif rows is not None and not isinstance(rows, list):
        table.problems.append(TableProblem(*loaded.position(("rows",)), "'rows' is a list of "
                                           f"rows (each starting with '- '), found "
                                           f"{describe(rows)}"))
    elif rows:
        for index, row in enumerate(rows):
            _row(loaded, index, row, table)
    return table


def _row(loaded: Loaded, index: int, row: object, table: Table) -> None:
    from gtmgen.check import _unknown_ref

    line, column = loaded.position(("rows", index))
    if not isinstance(row, dict):
        table.problems.append(TableProblem(line, column, "each row is a mapping of date, "
                                           f"channel, spend…, found {describe(row)}"))
        return
    cells: dict[str, Cell] = {}
    bad = False
    for key, value in row.items():
        path = ("rows", index, key)
        if _author_key(key):
            continue
        if key not in COLUMNS:
            table.problems.append(TableProblem(*loaded.key_position(path),
                                               _unknown_ref("key", excerpt(key), list(COLUMNS))))
            bad = True
        elif value is not None and not isinstance(value, str):
            table.problems.append(TableProblem(*loaded.position(path), f"{key} is one value, "
                                               f"found {describe(value)}"))
            bad = True
        else:
            cells[key] = Cell((value or "").strip(), *loaded.position(path))
    if "date" not in cells and not bad:
        table.problems.append(TableProblem(line, column, "this row has no date; every row "
                                                         "needs its date"))
    elif not bad:
        table.rows.append(RawRow(line, column, cells))
