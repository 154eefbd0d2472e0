"""How the numbers of a results CSV are spelled, read correctly or refused, never misread.

A number's own spelling decides its decimal mark when it can (`1.234,50`, `12,5`, `1,234,567`);
`1.234` and `1,234` are decided by the decimal mark the file's other numbers show. Currency
signs are allowed beside an amount of the client's currency, `%` beside a share.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from gtmgen.diagnostics import excerpt
from gtmgen.numbers import currency_codes, number_words, show
from gtmgen.resulttable import Cell, RawRow

GROUP_MARKS = (" ", "\u00a0", "\u202f", "'", "\u2019")  # thousands marks that are no decimal mark
_MARK_WORDS = {".": "a dot", ",": "a comma"}
_MINUS = "-\u2212\u2013\u2014"
_NOT_A_TAG = set("0123456789.,'()%\uff05" + _MINUS) | set(GROUP_MARKS) | {"\t"}
_NOT_FINITE = frozenset({"nan", "inf", "infinity", "\u221e"})
_PLAIN = re.compile(r"[0-9]{1,15}")  # most cells of an export: read at once
_NO_GROUP_MARKS = {ord(mark): None for mark in GROUP_MARKS}


class CellProblem(Exception):
    """Why a cell cannot be read as the number it should hold."""


@dataclass(frozen=True)
class Money:
    """The client's currency: its code and every sign that stands for it beside an amount."""

    code: str
    signs: frozenset[str]

    def accepts(self, tag: str) -> bool:
        """Whether `tag` (written before or after an amount) names this currency."""
        return (tag.upper() == self.code or tag in self.signs
                or (tag == "$" and any("$" in sign for sign in self.signs)))


@cache
def _signs_by_locale() -> dict[str, frozenset[str]]:
    """Currency sign → the codes it stands for, in the locales gtmgen writes."""
    from babel import Locale

    from gtmgen.types import SUPPORTED_LOCALES

    found: dict[str, set[str]] = {}
    for name in SUPPORTED_LOCALES:
        for code, sign in Locale.parse(name).currency_symbols.items():
            if sign != code:
                found.setdefault(sign, set()).add(code)
    return {sign: frozenset(codes) for sign, codes in found.items()}


def client_money(code: str, locale: str) -> Money:
    """The client's currency with its signs: Babel's symbol in the client's locale and in
    English, and any other locale's symbol that stands for it alone or among others."""
    from babel.numbers import get_currency_symbol

    signs = {get_currency_symbol(code, locale), get_currency_symbol(code, "en")}
    signs |= {sign for sign, codes in _signs_by_locale().items() if code in codes}
    return Money(code, frozenset(signs))


def _named_currency(tag: str) -> str | None:
    """The currency a tag beside a number stands for, in words; None when it is no currency
    (then the cell is no number: `12abc`, `4k`)."""
    if len(tag) == 3 and tag.isalpha() and tag.upper() in currency_codes():
        return tag.upper()
    codes = _signs_by_locale().get(tag, frozenset())
    if len(codes) == 1 and tag != "$":
        return f"{next(iter(codes))} ({tag})"
    if codes or any(unicodedata.category(char) == "Sc" for char in tag):
        return f"'{tag}'"
    return None


@dataclass(frozen=True)
class Spelling:
    """A number cell read as far as its own text allows. When `doubt` is set, the cell is
    `1.234` or `1,234`: `value` reads the mark as a thousands mark, `doubt` as a decimal mark,
    and the file's convention picks one. Otherwise `shows` is the decimal mark the spelling
    shows, if any, in words for messages (`with a decimal comma`)."""

    value: Decimal
    percent: bool
    mark: str | None = None  # the decimal mark shown, or the mark in doubt
    shows: str = ""
    doubt: Decimal | None = None


def _tags(text: str) -> tuple[str, str, str]:
    """A cell split into the non-numeric text before the number, the number, and after."""
    start = 0
    while start < len(text) and text[start] not in _NOT_A_TAG:
        start += 1
    end = len(text)
    while end > start and text[end - 1] not in _NOT_A_TAG:
        end -= 1
    return text[:start].strip(), text[start:end].strip(), text[end:].strip()


def spell(cell: Cell, column: str, money: Money) -> Spelling:
    """The number in a cell of `column`, as far as its spelling decides; CellProblem saying
    why it is refused and what to write instead."""
    text = cell.text
    if _PLAIN.fullmatch(text):
        return Spelling(Decimal(text), False)
    shown = f"'{excerpt(text)}'"
    if text.casefold().lstrip("+-") in _NOT_FINITE:
        raise CellProblem(f"{shown} is not a number; leave the cell empty when nothing was "
                          "measured")
    percent = text.endswith(("%", "\uff05"))
    body = text[:-1].rstrip() if percent else text
    before, core, after = _tags(body)
    if (core[:1] in _MINUS or (core.startswith("(") and core.endswith(")"))) \
            and any(char.isdigit() for char in core):
        raise CellProblem(f"{shown} is negative; {column} cannot be below 0 (correct the row "
                          "that counted too much instead)")
    if not any(char.isdigit() for char in core):
        raise CellProblem(f"expected a number in {column}, found {shown}; leave the cell empty "
                          "when nothing was measured")
    if before and after:
        raise CellProblem(f"expected a number in {column}, found {shown}; write the number "
                          "alone")
    tag = before or after
    if tag:
        _check_currency(tag, shown, column, money)
    if percent and column != "resonance":
        raise CellProblem(f"{shown} is a percentage; {column} is "
                          f"{'money' if column == 'spend' else 'a count'}, and only resonance "
                          "may be a percentage (of a metric that is a share)")
    return _digits(core, shown, column, percent)


def _check_currency(tag: str, shown: str, column: str, money: Money) -> None:
    named = _named_currency(tag)
    if named is None:
        raise CellProblem(f"expected a number in {column}, found {shown}; write the number "
                          "alone (a number with an exponent, a unit or a word is not read)")
    if column != "spend":
        raise CellProblem(f"{shown} is an amount of money, but {column} is "
                          f"{'a share or a count' if column == 'resonance' else 'a count'}; "
                          "only spend is money")
    if not money.accepts(tag):
        raise CellProblem(f"this file gives an amount in {named}; the playbook's money is in "
                          f"{money.code} (client.currency): convert it, or write the plain "
                          "number")


def _digits(core: str, shown: str, column: str, percent: bool) -> Spelling:
    """The digits and marks of a number (no sign, currency or %) read by their spelling."""
    if re.fullmatch(r"[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]{1,2}", core):
        value = Decimal(core.replace(",", "."))
        full = f" ({show(value)})" if value.adjusted() <= 12 else ""
        raise CellProblem(f"{shown} is written with an exponent; write the number in full"
                          f"{full}")
    if re.search(r"[^0-9.,]", core.translate(_NO_GROUP_MARKS)):
        raise CellProblem(f"expected a number in {column}, found {shown}; write the number "
                          "alone, with digits")
    if re.fullmatch(r"[.,][0-9]+|[0-9]+[.,]", core):
        plain = f"0.{core[1:]}" if core[0] in ".," else core[:-1]
        raise CellProblem(f"expected a number in {column}, found {shown}; write {plain}")
    groups = r"[1-9][0-9]{0,2}(?:%s[0-9]{3})+"
    wrong = CellProblem(f"expected a number in {column}, found {shown}; separate thousands in "
                        "groups of three digits (1.234.567 or 1,234,567) or not at all, and "
                        "write decimals after one mark (1234.5 or 1234,5)")
    space = next((mark for mark in GROUP_MARKS if mark in core), None)
    if space is not None:
        found = re.fullmatch(groups % re.escape(space) + r"(?:([.,])[0-9]+)?", core)
        if not found:
            raise wrong
        mark = found.group(1)
        plain = core.replace(space, "").replace(",", ".")
        return Spelling(Decimal(plain), percent, mark, _decimal_words(mark) if mark else "")
    dots, commas = core.count("."), core.count(",")
    if dots and commas:
        mark = "," if core.rfind(",") > core.rfind(".") else "."
        other = "." if mark == "," else ","
        if not re.fullmatch(groups % re.escape(other) + re.escape(mark) + r"[0-9]+", core):
            raise wrong
        plain = core.replace(other, "").replace(",", ".")
        return Spelling(Decimal(plain), percent, mark, _decimal_words(mark))
    if dots + commas == 0:
        if not re.fullmatch(r"[0-9]+", core):
            raise wrong
        return Spelling(Decimal(core), percent)
    written = "." if dots else ","
    other = "," if dots else "."
    if dots + commas > 1:
        if not re.fullmatch(groups % re.escape(written), core):
            raise wrong
        words = f"with thousands {'dots' if dots else 'commas'}"
        return Spelling(Decimal(core.replace(written, "")), percent, other, words)
    if re.fullmatch(groups % re.escape(written), core):  # 1.234: the file decides
        return Spelling(Decimal(core.replace(written, "")), percent, written,
                        doubt=Decimal(core.replace(",", ".")))
    if not re.fullmatch(r"[0-9]+[.,][0-9]+", core):
        raise wrong
    return Spelling(Decimal(core.replace(",", ".")), percent, written, _decimal_words(written))


def _decimal_words(mark: str) -> str:
    return "with a decimal comma" if mark == "," else "with a decimal point"


def decide(cells: list[tuple[Cell, Spelling]]) -> tuple[dict[Cell, Decimal], list[tuple[Cell, str]]]:
    """Each cell's value, the ambiguous ones read by the decimal mark that the file's other
    numbers show; problems for a file that shows both marks (at the first number that
    disagrees) or, when nothing shows one, at every ambiguous number."""
    values: dict[Cell, Decimal] = {}
    problems: list[tuple[Cell, str]] = []
    first: tuple[Cell, Spelling] | None = None
    for cell, spelling in cells:
        if spelling.doubt is not None or spelling.mark is None:
            continue
        if first is None:
            first = (cell, spelling)
        elif spelling.mark != first[1].mark:
            seen, shown = first
            problems.append((cell, f"'{excerpt(cell.text)}' is written {spelling.shows}, but "
                                   f"line {seen.line} writes '{excerpt(seen.text)}' "
                                   f"{shown.shows}; write every number of the file with the "
                                   "same decimal mark"))
            return values, problems
    convention = first[1].mark if first else None
    for cell, spelling in cells:
        if spelling.doubt is None:
            values[cell] = spelling.value
        elif convention is not None:
            values[cell] = spelling.doubt if spelling.mark == convention else spelling.value
        else:
            problems.append((cell, _ambiguous(cell.text, spelling)))
    return values, problems


def _ambiguous(text: str, spelling: Spelling) -> str:
    assert spelling.doubt is not None and spelling.mark is not None
    longer = f"{text}0"  # four digits after the mark: a decimal mark beyond doubt
    return (f"{text} could be {number_words(spelling.value)} or "
            f"{number_words(spelling.doubt)}, and no other number in this file shows whether "
            f"{_MARK_WORDS[spelling.mark]} is its decimal mark; write {show(spelling.value)} "
            f"for the first or {longer} for the second")


NUMBER_COLUMNS = ("spend", "leads", "customers", "resonance")
Reading = tuple[float, bool]  # the number, and whether it was written as a percentage


def read_numbers(rows: list[RawRow], money: Money) -> tuple[dict[Cell, Reading],
                                                            list[tuple[Cell, str]]]:
    """Every number of a results CSV (role rows hold none) read by its spelling and the
    file's decimal mark, and the problems with the cells that cannot be read."""
    spelled: list[tuple[Cell, Spelling]] = []
    problems: list[tuple[Cell, str]] = []
    for row in rows:
        if row.given("role"):
            continue
        for column in NUMBER_COLUMNS:
            cell = row.given(column)
            if cell is None:
                continue
            try:
                spelled.append((cell, spell(cell, column, money)))
            except CellProblem as problem:
                problems.append((cell, str(problem)))
    values, undecided = decide(spelled)
    percent = {cell: spelling.percent for cell, spelling in spelled}
    return ({cell: (float(value), percent[cell]) for cell, value in values.items()},
            problems + undecided)
