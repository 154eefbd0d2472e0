"""The rows of a results file checked against the playbook and its plan: ids known, dates
inside the plan, numbers that fit their column, resonance measured against its phase."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from gtmgen.diagnostics import Diagnostic, Severity, excerpt
from gtmgen.model import Phase, Playbook, RoleStatus
from gtmgen.numbers import Kind, is_fraction, is_share, show
from gtmgen.plan import Plan
from gtmgen.resultcells import CellProblem, Reading
from gtmgen.resulttable import Cell, RawRow
from gtmgen.types import FIRST_YEAR, LAST_YEAR, MAX_MAGNITUDE, review_date

_NOT_ON_ROLE_ROWS = ("channel", "spend", "leads", "customers", "resonance")
_WEEK = re.compile(r"^(\d{4})-[Ww](\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ResultRow:
    """One measured row: a day (a week's Monday), what it is about, and what was counted."""

    line: int  # 1-based line of the row in the file
    day: dt.date  # the row's date; a week row: its Monday
    channel: str | None  # a channel id of the playbook
    phase: str | None  # given phase id, else the phase whose days hold `day`, else None
    persona: str | None  # a persona id
    spend: float | None  # money in client.currency; None = not given (never 0 for empty)
    leads: float | None
    customers: float | None
    resonance: float | None  # value of its phase's resonance metric (a % value already ÷ 100)


# A number cell of a column, read as the kind of number it holds: the reading, or None when
# its problem was reported already; CellProblem for a problem to report.
NumberReader = Callable[[Cell, str, Kind], Reading | None]


def parse_day(text: str) -> tuple[dt.date, bool]:
    """A row's day and whether the row is a week's (`2027-W11` counts on that Monday)."""
    week = _WEEK.match(text)
    if week:
        year, number = int(week.group(1)), int(week.group(2))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CellProblem(f"'{text}' is outside the years gtmgen plans for")
        weeks = dt.date(year, 12, 28).isocalendar().week
        if not 1 <= number <= weeks:
            raise CellProblem(f"'{text}' is not a week of {year}: its weeks run from "
                              f"{year}-W01 to {year}-W{weeks}")
        return dt.date.fromisocalendar(year, number, 1), True
    if not _DATE.match(text):
        raise CellProblem(f"expected a date as YYYY-MM-DD (like 2027-03-15) or a week as "
                          f"YYYY-Www (like 2027-W11), found '{excerpt(text)}'")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise CellProblem(f"'{text}' is not a real date") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellProblem(f"'{text}' is outside the years gtmgen plans for")
    return day, False


def _last_day(playbook: Playbook, plan: Plan) -> tuple[dt.date, str]:
    """The plan's last day, with words for it: the last operating review or the budget
    horizon's end, whichever is later."""
    end = plan.budget.horizon.end
    reviews = [review_date(playbook.launch.date, offset) for offset in playbook.launch.reviews]
    if reviews and max(reviews) >= end:
        return max(reviews), "the last operating review"
    return end, "the end of the budget horizon"


class Rules:
    """The rows of a results file checked against the playbook and its plan."""

    def __init__(self, file: str, playbook: Playbook, plan: Plan,
                 numbers: NumberReader) -> None:
        self.file, self.plan, self.numbers = file, plan, numbers
        self.found: list[Diagnostic] = []
        self.hires: dict[str, tuple[dt.date, int]] = {}
        self.channels = [channel.id for channel in playbook.channels]
        self.names: dict[str, list[str]] = {}
        for channel in playbook.channels:
            self.names.setdefault(channel.name.strip().casefold(), []).append(channel.id)
        self.phases = {span.phase.id: span.phase for span in plan.spans}
        self.personas = [persona.id for persona in playbook.personas]
        self.roles = {role.id: role for role in playbook.roles}
        self.launch = playbook.launch.date
        self.last, self.last_words = _last_day(playbook, plan)
        opens = min(plan.hiring, key=lambda row: (row.opens, row.role), default=None)
        self.hires_from = (opens.opens, opens.role) if opens else None

    def error(self, where: Cell | RawRow, message: str) -> None:
        """An error at a cell, or at the start of a row."""
        self.found.append(Diagnostic(self.file, where.line, where.column, Severity.ERROR,
                                     message))

    def row(self, raw: RawRow) -> ResultRow | None:
        """The ResultRow of a measured row (None for a hire, or when the row has an error)."""
        before = len(self.found)
        day = self._day(raw)
        if raw.given("role"):
            self._hire(raw, day)
            return None
        channel = self._channel(raw)
        phase = self._phase(raw, day)
        persona = self._id(raw, "persona", self.personas)
        spend = self._number(raw, "spend", Kind.AMOUNT)
        leads = self._number(raw, "leads", Kind.WHOLE)
        customers = self._number(raw, "customers", Kind.WHOLE)
        resonance = self._resonance(raw, day, phase)
        if not raw.given("channel") and not raw.given("resonance"):
            self.error(raw, "this row names no channel or role and gives no resonance, so it "
                            "says nothing the review can count; give its channel (or a role, "
                            "or a resonance value)")
        if day is not None:
            self._within(raw, day, self.launch, f"launch day ({self.launch})")
        if day is None or len(self.found) > before:
            return None
        return ResultRow(raw.line, day[0], channel, phase, persona, spend, leads, customers,
                         resonance)

    def _day(self, raw: RawRow) -> tuple[dt.date, bool] | None:
        cell = raw.given("date")
        if cell is None:
            self.error(raw.cells.get("date") or raw, "this row has no date; every row needs "
                                                     "its date (YYYY-MM-DD or YYYY-Www)")
            return None
        try:
            return parse_day(cell.text)
        except CellProblem as problem:
            self.error(cell, str(problem))
            return None

    def _within(self, raw: RawRow, day: tuple[dt.date, bool], first: dt.date,
                first_words: str) -> None:
        """An error when the row's day (or week) lies outside first … the plan's last day."""
        cell = raw.cells["date"]
        start, week = day
        end = start + dt.timedelta(days=6) if week else start
        what = f"'{cell.text}' (the week from {start})" if week else str(start)
        if end < first:
            self.error(cell, f"{what} is before {first_words}; results count from then on")
        elif start > self.last:
            self.error(cell, f"{what} is after the plan's last day ({self.last}, "
                             f"{self.last_words}); results count up to it")

    def _hire(self, raw: RawRow, day: tuple[dt.date, bool] | None) -> None:
        from gtmgen.check import _unknown_ref

        cell = raw.given("role")
        assert cell is not None
        role_id = cell.text.casefold()
        role = self.roles.get(role_id)
        for name in _NOT_ON_ROLE_ROWS:
            given = raw.given(name)
            if given is not None:
                self.error(given, f"a role row records the day a hire started; it cannot give "
                                  f"{name} too (put {name} on a row of its own)")
        if role is None:
            self.error(cell, _unknown_ref("role", excerpt(cell.text), list(self.roles)))
        elif role.status is RoleStatus.FILLED:
            self.error(cell, f"role '{role_id}' is filled (status: filled), so there is no "
                             "hire to record; a role row gives the day an open role's hire "
                             "started")
        elif role_id in self.hires:
            self.error(cell, f"role '{role_id}' already has its hire on line "
                             f"{self.hires[role_id][1]}; a hire starts once, so keep one row")
        elif day is not None and self.hires_from is not None:
            before = len(self.found)
            opens, first_role = self.hires_from
            self._within(raw, day, opens, f"the first requisition opens ({opens}, {first_role})")
            if len(self.found) == before:
                self.hires[role_id] = (day[0], raw.line)

    def _id(self, raw: RawRow, noun: str, known: list[str]) -> str | None:
        from gtmgen.check import _unknown_ref

        cell = raw.given(noun)
        if cell is None:
            return None
        if cell.text.casefold() in known:
            return cell.text.casefold()
        self.error(cell, _unknown_ref(noun, excerpt(cell.text), known))
        return None

    def _channel(self, raw: RawRow) -> str | None:
        cell = raw.given("channel")
        if cell is None:
            return None
        key = cell.text.casefold()
        if key in self.channels:
            return key
        named = self.names.get(key, [])
        if len(named) == 1:
            return named[0]
        if named:
            self.error(cell, f"'{excerpt(cell.text)}' is the name of the channels "
                             f"{', '.join(named)}; name the one meant by its id")
            return None
        self._id(raw, "channel", self.channels)
        return None

    def _phase(self, raw: RawRow, day: tuple[dt.date, bool] | None) -> str | None:
        if raw.given("phase"):
            return self._id(raw, "phase", list(self.phases))
        if day is None:
            return None
        return next((span.phase.id for span in self.plan.spans
                     if span.start <= day[0] <= span.end), None)

    def _number(self, raw: RawRow, column: str, kind: Kind) -> float | None:
        cell = raw.given(column)
        reading = self._reading(cell, column, kind) if cell is not None else None
        return reading[0] if reading is not None else None

    def _reading(self, cell: Cell, column: str, kind: Kind) -> Reading | None:
        """A number cell's reading, or None after reporting why it cannot be used."""
        try:
            reading = self.numbers(cell, column, kind)
        except CellProblem as problem:
            self.error(cell, str(problem))
            return None
        if reading is None:
            return None
        value = reading[0]
        if value < 0:
            self.error(cell, f"'{excerpt(cell.text)}' is negative; {column} cannot be below 0")
        elif value > MAX_MAGNITUDE:
            self.error(cell, f"'{excerpt(cell.text)}' is too large a number to compute with (at "
                             f"most {MAX_MAGNITUDE:,.0f})")
        elif kind is Kind.WHOLE and value != int(value):
            self.error(cell, f"{column} are whole numbers; '{excerpt(cell.text)}' is not one")
        else:
            return reading
        return None

    def _resonance(self, raw: RawRow, day: tuple[dt.date, bool] | None,
                   phase_id: str | None) -> float | None:
        cell = raw.given("resonance")
        if cell is None or (raw.given("phase") and phase_id is None):
            return None  # an unknown phase was reported already
        phase = self.phases.get(phase_id) if phase_id else None
        if phase is None:
            if day is not None:
                self.error(cell, f"{day[0]} falls in no phase, so this resonance value belongs "
                                 "to none; name its phase in the phase column")
            return None
        if phase.resonance is None:
            self.error(cell, f"phase '{phase.id}' sets no resonance metric to measure; leave "
                             "resonance empty, or give the phase its resonance")
            return None
        return self._resonance_value(cell, phase)

    def _resonance_value(self, cell: Cell, phase: Phase) -> float | None:
        assert phase.resonance is not None
        metric, target = phase.resonance.metric, phase.resonance.target
        share = is_share(target, metric)
        kind = Kind.RATE if share else Kind.NUMBER if is_fraction(metric) else Kind.AMOUNT
        reading = self._reading(cell, "resonance", kind)
        if reading is None:
            return None
        value, percent = reading
        text = excerpt(cell.text)
        if percent and not share:
            self.error(cell, f"'{text}' is a percentage, but phase '{phase.id}' measures "
                             f"{metric}, a number (target {show_number(target)}), not a share; "
                             "write the number itself")
            return None
        if percent:
            return value / 100
        if share and value > 1:
            self.error(cell, f"phase '{phase.id}' measures {metric} as a share (target "
                             f"{show_number(target)}); '{text}' is more than 1: write "
                             f"{show_number(value / 100)}, the share as a fraction of 1")
            return None
        return value


def show_number(value: float) -> str:
    """A number as a playbook writes it (0.065, 800), for messages."""
    return show(Decimal(repr(value)))
