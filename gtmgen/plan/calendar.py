"""The dated launch calendar: phase starts, channel activities by cadence, partner moments,
resonance reviews, milestones, hiring dates and each phase's readiness work-back, each on a
working day. Events are data (kinds, ids, dates, reason codes); the templates word them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from gtmgen.model import Channel, Playbook
from gtmgen.plan.hiring import HiringRow
from gtmgen.plan.owners import Owners
from gtmgen.plan.phases import PhaseSpan
from gtmgen.plan.workdays import WorkCalendar
from gtmgen.types import Cadence, Weekday, review_date


class EventKind(StrEnum):
    PHASE_START = "phase-start"
    ACTIVITY = "activity"
    PARTNER = "partner"
    REVIEW = "review"
    MILESTONE = "milestone"
    HIRING = "hiring"
    READINESS = "readiness"


KIND_ORDER = {kind: order for order, kind in enumerate(EventKind)}
READINESS_TASKS = ("brief", "assets", "setup")
_TWICE_WEEKLY_GAP = 3


@dataclass(frozen=True)
class CalendarEvent:
    """One dated entry of the launch calendar, as data."""

    date: dt.date
    kind: EventKind
    ref: str  # the id the event is about: phase, channel, partner, milestone or role
    key: str  # unique and stable within the playbook: the event's identity across builds
    phase: str | None  # the phase whose days hold the date
    channel: str | None
    personas: tuple[str, ...]
    owner: str | None  # the accountable role's id
    planned: dt.date  # the date the rules give before moving off a non-working day
    step: str | None = None  # hiring: open, start; readiness: brief, assets, setup
    moment: int | None = None  # a partner moment's number (from 1) within its partner
    offset: str | None = None  # an operating review's offset: "90" (days) or "3m" (months)
    day_off: str | None = None  # why it moved: weekday, holiday or blackout
    holiday: str | None = None  # the holiday's name in the client's language, when that

    @property
    def moved(self) -> bool:
        """Whether the event was moved off a non-working day."""
        return self.date != self.planned

    def sort_key(self) -> tuple[dt.date, int, str, str]:
        """Date, then kind in the format's order, then id, then the event's key."""
        return (self.date, KIND_ORDER[self.kind], self.ref, self.key)


def place(day: dt.date, span: PhaseSpan | None, workdays: WorkCalendar) -> dt.date | None:
    """A non-working day moves to the next workday; if that leaves its phase, to the previous
    workday of the phase. None when the phase has no workday at all."""
    limit = span.end if span else None
    moved = workdays.next_workday(day, limit)
    if moved is None and span is not None:
        moved = workdays.previous_workday(day, span.start)
    return moved


def _event(day: dt.date, planned: dt.date, workdays: WorkCalendar, **fields: object) -> \
        CalendarEvent:
    """An event on `day`, planned for `planned`, with the day-off reason when it moved."""
    reason = workdays.day_off(planned) if day != planned else None
    return CalendarEvent(day, planned=planned, day_off=reason[0] if reason else None,
                         holiday=reason[1] if reason else None, **fields)  # type: ignore[arg-type]


def _weekdays(channel: Channel, span: PhaseSpan) -> set[int]:
    if channel.weekdays:
        return {Weekday(day).number for day in channel.weekdays}
    first = span.start.weekday()
    if channel.cadence == Cadence.TWICE_WEEKLY:
        return {first, (first + _TWICE_WEEKLY_GAP) % 7}
    return {first}


def _activity_days(channel: Channel, span: PhaseSpan, workdays: WorkCalendar) -> list[dt.date]:
    """Planned dates of a channel's activities in one phase (monthly is handled apart)."""
    if channel.cadence == Cadence.DAILY:
        return workdays.workdays_between(span.start, span.end)
    if channel.cadence == Cadence.PER_PHASE:
        return [span.start]
    wanted = _weekdays(channel, span)
    days = [day for day in span.dates() if day.weekday() in wanted]
    return days[::2] if channel.cadence == Cadence.BIWEEKLY else days


def _monthly_days(channel: Channel, spans: list[PhaseSpan]) -> dict[int, list[dt.date]]:
    """Per phase index: the first date of each calendar month inside a phase running the
    channel."""
    seen: set[tuple[int, int]] = set()
    found: dict[int, list[dt.date]] = {}
    running = [span for span in spans if channel.id in span.phase.channels]
    for span in sorted(running, key=lambda s: s.start):
        for day in span.dates():
            if (day.year, day.month) not in seen:
                seen.add((day.year, day.month))
                found.setdefault(span.index, []).append(day)
    return found


def reached(reach: dict[str, set[str]], persona_ids: list[str],
            channel_id: str) -> tuple[str, ...]:
    """The phase's personas reached on a channel: those listing it, or listing no channel."""
    return tuple(pid for pid in persona_ids
                 if pid in reach and (not reach[pid] or channel_id in reach[pid]))


def _channel_events(playbook: Playbook, spans: list[PhaseSpan],
                    workdays: WorkCalendar) -> Iterator[CalendarEvent]:
    reach = {persona.id: set(persona.channels) for persona in playbook.personas}
    for channel in playbook.channels:
        monthly = _monthly_days(channel, spans) if channel.cadence == Cadence.MONTHLY else {}
        for span in spans:
            if channel.id not in span.phase.channels:
                continue
            planned = (monthly.get(span.index, []) if channel.cadence == Cadence.MONTHLY
                       else _activity_days(channel, span, workdays))
            placed: dict[dt.date, dt.date] = {}
            for day in planned:
                moved = day if channel.cadence == Cadence.DAILY else place(day, span, workdays)
                if moved is not None and moved not in placed:  # two moved onto one day: once
                    placed[moved] = day
            people = reached(reach, span.phase.personas, channel.id)
            for number, (day, nominal) in enumerate(sorted(placed.items()), start=1):
                yield _event(day, nominal, workdays, kind=EventKind.ACTIVITY, ref=channel.id,
                             key=f"activity/{span.phase.id}/{channel.id}/{number}",
                             phase=span.phase.id, channel=channel.id, personas=people,
                             owner=channel.owner)


def _phase_events(playbook: Playbook, spans: list[PhaseSpan], workdays: WorkCalendar,
                  owners: Owners) -> Iterator[CalendarEvent]:
    moments = [(partner, n, moment) for partner in playbook.partners
               for n, moment in enumerate(partner.moments, start=1)]
    for span in spans:
        phase, days = span.phase, workdays.workdays_between(span.start, span.end)
        if not days:
            continue
        people, owner = tuple(phase.personas), owners.phase(phase)
        yield _event(days[0], days[0], workdays, kind=EventKind.PHASE_START, ref=phase.id,
                     key=f"phase-start/{phase.id}", phase=phase.id, channel=None,
                     personas=people, owner=owner)
        for partner, number, moment in moments:
            if moment.phase == phase.id:
                yield _event(days[0], days[0], workdays, kind=EventKind.PARTNER,
                             ref=partner.id, key=f"partner/{partner.id}/{number}",
                             phase=phase.id, channel=None, personas=people,
                             owner=partner.owner, moment=number)
        yield _event(days[-1], days[-1], workdays, kind=EventKind.REVIEW, ref=phase.id,
                     key=f"review/{phase.id}", phase=phase.id, channel=None, personas=people,
                     owner=owner)


def containing(day: dt.date, spans: list[PhaseSpan]) -> PhaseSpan | None:
    """The phase whose days hold `day`, if any."""
    return next((span for span in spans if span.start <= day <= span.end), None)


def _dated(day: dt.date, spans: list[PhaseSpan], workdays: WorkCalendar,
           **fields: object) -> CalendarEvent | None:
    span = containing(day, spans)
    moved = place(day, span, workdays)
    if moved is None:
        return None
    return _event(moved, day, workdays, phase=span.phase.id if span else None, channel=None,
                  personas=(), **fields)


def _milestones_and_hires(playbook: Playbook, spans: list[PhaseSpan], workdays: WorkCalendar,
                          hiring: list[HiringRow],
                          owners: Owners) -> Iterator[CalendarEvent | None]:
    launch = playbook.launch.date
    yield _dated(launch, spans, workdays, kind=EventKind.MILESTONE, ref="launch",
                 key="milestone/launch", owner=owners.lead)
    for offset in playbook.launch.reviews:  # distinct: validation refuses a repeated one
        yield _dated(review_date(launch, offset), spans, workdays, kind=EventKind.MILESTONE,
                     ref=f"review-{offset}", key=f"milestone/review-{offset}",
                     owner=owners.reviews, offset=offset)
    # The role hired is the subject; its hiring manager owns the events (nobody fills the
    # role itself yet).
    for row in sorted(hiring, key=lambda r: r.role):
        yield _dated(row.opens, spans, workdays, kind=EventKind.HIRING, ref=row.role,
                     key=f"hiring/{row.role}/open", owner=row.hiring_manager, step="open")
        yield _dated(row.starts, spans, workdays, kind=EventKind.HIRING, ref=row.role,
                     key=f"hiring/{row.role}/start", owner=row.hiring_manager, step="start")


def _readiness(playbook: Playbook, spans: list[PhaseSpan], workdays: WorkCalendar,
               owners: Owners) -> Iterator[CalendarEvent]:
    """Each phase's work-back: the brief, then each channel's assets and set-up, due the
    given number of workdays before the phase's first day."""
    lead = playbook.launch.readiness
    owner_of = {channel.id: channel.owner for channel in playbook.channels}
    for span in spans:
        phase = span.phase
        for task in READINESS_TASKS:
            days = getattr(lead, task)
            if not days:
                continue
            due = workdays.workdays_before(span.start, days)
            where = containing(due, spans)
            common = {"phase": where.phase.id if where else None, "step": task}
            if task == "brief":
                yield _event(due, due, workdays, kind=EventKind.READINESS, ref=phase.id,
                             key=f"readiness/{phase.id}/brief", channel=None,
                             personas=tuple(phase.personas), owner=owners.phase(phase),
                             **common)
                continue
            for channel in dict.fromkeys(phase.channels):
                yield _event(due, due, workdays, kind=EventKind.READINESS, ref=phase.id,
                             key=f"readiness/{phase.id}/{channel}/{task}", channel=channel,
                             personas=(), owner=owner_of.get(channel), **common)


def build_calendar(playbook: Playbook, spans: list[PhaseSpan], workdays: WorkCalendar,
                   hiring: list[HiringRow], owners: Owners) -> list[CalendarEvent]:
    """Every event of the launch, sorted by date, kind, id and key: the same on every build."""
    events = [*_phase_events(playbook, spans, workdays, owners),
              *_channel_events(playbook, spans, workdays),
              *(e for e in _milestones_and_hires(playbook, spans, workdays, hiring, owners)
                if e),
              *_readiness(playbook, spans, workdays, owners)]
    return sorted(events, key=CalendarEvent.sort_key)
