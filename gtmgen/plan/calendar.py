"""The dated launch calendar: phase starts, channel activities by cadence, partner moments,
resonance reviews, milestones and hiring dates, each on a working day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from gtmgen.model import Channel, Playbook
from gtmgen.plan.hiring import HiringRow
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


KIND_ORDER = {kind: order for order, kind in enumerate(EventKind)}
_TWICE_WEEKLY_GAP = 3


@dataclass(frozen=True)
class CalendarEvent:
    """One dated entry of the launch calendar."""

    date: dt.date
    kind: EventKind
    ref: str  # the id the event is about: phase, channel, partner, milestone or role
    key: str  # unique and stable within the playbook: the event's identity across builds
    title: str
    phase: str | None
    channel: str | None
    personas: tuple[str, ...]
    owner: str | None
    planned: dt.date  # the date the rules give before moving off a non-working day (phase
    # starts, partner moments and reviews are defined on workdays, so they never move)

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


def _reached(reach: dict[str, set[str]], persona_ids: list[str],
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
            people = _reached(reach, span.phase.personas, channel.id)
            for number, (day, nominal) in enumerate(sorted(placed.items()), start=1):
                yield CalendarEvent(
                    day, EventKind.ACTIVITY, channel.id,
                    f"activity/{span.phase.id}/{channel.id}/{number}",
                    f"{channel.name}: {span.phase.value_proposition}", span.phase.id,
                    channel.id, people, channel.owner, nominal)


def _phase_events(playbook: Playbook, spans: list[PhaseSpan],
                  workdays: WorkCalendar) -> Iterator[CalendarEvent]:
    moments = [(partner, n, moment) for partner in playbook.partners
               for n, moment in enumerate(partner.moments, start=1)]
    for span in spans:
        phase, days = span.phase, workdays.workdays_between(span.start, span.end)
        if not days:
            continue
        people = tuple(phase.personas)
        yield CalendarEvent(days[0], EventKind.PHASE_START, phase.id, f"phase-start/{phase.id}",
                            f"Phase '{phase.id}' goes live: {phase.value_proposition}",
                            phase.id, None, people, None, days[0])
        for partner, number, moment in moments:
            if moment.phase == phase.id:
                yield CalendarEvent(days[0], EventKind.PARTNER, partner.id,
                                    f"partner/{partner.id}/{number}",
                                    f"{partner.name}: {moment.activity}", phase.id, None,
                                    people, partner.owner, days[0])
        if phase.resonance is not None:
            title = (f"Resonance review of '{phase.id}': {phase.resonance.metric} against a "
                     f"target of {phase.resonance.target:g}; keep, iterate or drop")
        else:
            title = f"Resonance review of '{phase.id}': keep, iterate or drop"
        yield CalendarEvent(days[-1], EventKind.REVIEW, phase.id, f"review/{phase.id}", title,
                            phase.id, None, people, None, days[-1])


def _containing(day: dt.date, spans: list[PhaseSpan]) -> PhaseSpan | None:
    return next((span for span in spans if span.start <= day <= span.end), None)


def _dated(day: dt.date, spans: list[PhaseSpan], workdays: WorkCalendar, kind: EventKind,
           ref: str, key: str, title: str, owner: str | None) -> CalendarEvent | None:
    span = _containing(day, spans)
    moved = place(day, span, workdays)
    if moved is None:
        return None
    return CalendarEvent(moved, kind, ref, key, title, span.phase.id if span else None, None,
                         (), owner, day)


def _milestones_and_hires(playbook: Playbook, spans: list[PhaseSpan], workdays: WorkCalendar,
                          hiring: list[HiringRow]) -> Iterator[CalendarEvent | None]:
    launch = playbook.launch.date
    yield _dated(launch, spans, workdays, EventKind.MILESTONE, "launch", "milestone/launch",
                 "Launch day: the first value proposition goes live", None)
    for offset in playbook.launch.reviews:  # distinct: validation refuses a repeated one
        months = offset.endswith("m")
        after = f"{offset.removesuffix('m')} {'months' if months else 'days'}"
        yield _dated(review_date(launch, offset), spans, workdays, EventKind.MILESTONE,
                     f"review-{offset}", f"milestone/review-{offset}",
                     f"Operating review, {after} after launch", None)
    # The role hired is the subject; its hiring manager owns the events (nobody fills the
    # role itself yet).
    for row in sorted(hiring, key=lambda r: r.role):
        yield _dated(row.opens, spans, workdays, EventKind.HIRING, row.role,
                     f"hiring/{row.role}/open", f"Open the vacancy: {row.title}",
                     row.hiring_manager)
        yield _dated(row.starts, spans, workdays, EventKind.HIRING, row.role,
                     f"hiring/{row.role}/start", f"{row.title} starts", row.hiring_manager)


def build_calendar(playbook: Playbook, spans: list[PhaseSpan], workdays: WorkCalendar,
                   hiring: list[HiringRow]) -> list[CalendarEvent]:
    """Every event of the launch, sorted by date, kind, id and key: the same on every build."""
    events = [*_phase_events(playbook, spans, workdays),
              *_channel_events(playbook, spans, workdays),
              *(e for e in _milestones_and_hires(playbook, spans, workdays, hiring) if e)]
    return sorted(events, key=CalendarEvent.sort_key)
