"""What the document templates read: the playbook and its plan arranged for reading — names
instead of ids, the calendar by phase and week, the messaging matrix, the reporting tree.
Computed here so that templates only speak."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from gtmgen.model import Playbook, Role
from gtmgen.plan import Plan
from gtmgen.plan.calendar import CalendarEvent, EventKind
from gtmgen.plan.phases import PhaseSpan


@dataclass(frozen=True)
class Entry:
    """One calendar event, described by names, for a reader."""

    date: dt.date
    kind: str
    subject: str  # channel, partner or role name; the phase's value proposition otherwise
    detail: str | None  # partner activity, resonance metric
    target: float | None  # resonance target
    offset: str | None  # after launch, for operating reviews: "90" (days) or "3m" (months)
    step: str | None  # hiring: open, start; readiness: brief, assets, setup
    owner: str | None  # the accountable role's title
    moved_from: dt.date | None
    reason: str | None  # why it moved: "holiday", "blackout" or "weekday"
    holiday: str | None  # the holiday's name, when that is the reason
    days: tuple[dt.date, ...] = ()  # a daily channel's dates in the week, on one line
    number: int | None = None  # the phase's number (from 1) the entry is about
    status: str | None = None  # with results: done or missed (plan/review.py event_status)
    promise: str | None = None  # that phase's value proposition
    channel: str | None = None  # the channel's name
    what: str | None = None  # what goes out on the channel (its format)
    cta: str | None = None  # the phase's call to action
    personas: tuple[str, ...] = ()  # names of the personas reached


@dataclass
class Week:
    start: dt.date
    entries: list[Entry] = field(default_factory=list)


@dataclass
class CalendarPart:
    """The calendar of one phase (or of the time before or after the sequence), by week."""

    span: PhaseSpan | None
    where: str  # "phase", "before" or "after"
    weeks: list[Week] = field(default_factory=list)


@dataclass(frozen=True)
class OrgLine:
    depth: int
    role: Role
    number: int = 0  # the line's place in the tree, from 1 (a name for diagrams)
    boss: int | None = None  # the number of the manager's line; None at the top


def week_start(day: dt.date, first_weekday: int) -> dt.date:
    """The first day of the week holding `day`, weeks starting on `first_weekday` (0 = Mon)."""
    return day - dt.timedelta(days=(day.weekday() - first_weekday) % 7)


class View:
    """Lookups and arrangements of one playbook and plan, for the templates."""

    def __init__(self, book: Playbook, plan: Plan, first_weekday: int,
                 status: Mapping[str, str] | None = None) -> None:
        self.book, self.plan, self.first_weekday = book, plan, first_weekday
        self.status = status or {}  # calendar event key → done or missed, from results
        self.roles = {r.id: r for r in book.roles}
        self.channels = {c.id: c for c in book.channels}
        self.personas = {p.id: p for p in book.personas}
        self.icps = {i.id: i for i in book.icps}
        self.segments = {s.id: s for s in book.segments}
        self.partners = {p.id: p for p in book.partners}
        self.spans = {s.phase.id: s for s in plan.spans}

    def role_title(self, role_id: str | None) -> str | None:
        """A role's title, or None."""
        return self.roles[role_id].title if role_id in self.roles else None

    def channel_names(self, ids: list[str]) -> list[str]:
        """Channel names for ids, in the given order."""
        return [self.channels[c].name for c in ids if c in self.channels]

    def persona_names(self, ids: list[str]) -> list[str]:
        """Persona names for ids, in the given order."""
        return [self.personas[p].name for p in ids if p in self.personas]

    def icp_names(self, ids: list[str]) -> list[str]:
        """ICP names for ids, in the given order."""
        return [self.icps[i].name for i in ids if i in self.icps]

    def audience_names(self, ids: list[str]) -> list[str]:
        """Names for ids that are a segment's, else an ICP's (whom a positioning is for, and
        the segments a competitor serves), in the given order."""
        found = [self.segments.get(i) or self.icps.get(i) for i in ids]
        return [item.name for item in found if item is not None]

    def icps_of(self, segment_id: str) -> list[Any]:
        """The ICPs of a segment."""
        return [icp for icp in self.book.icps if icp.segment == segment_id]

    def reached(self, persona_id: str, phase_id: str) -> list[str] | None:
        """Channel names on which a persona hears a phase, or None if the phase is not for them."""
        span, persona = self.spans[phase_id], self.personas[persona_id]
        if persona_id not in span.phase.personas:
            return None
        return self.channel_names([c for c in span.phase.channels
                                   if not persona.channels or c in persona.channels])

    def entry(self, event: CalendarEvent) -> Entry:
        """A calendar event in names: who, what goes out, for whom, and why it moved."""
        kind, detail, target = str(event.kind), None, None
        about = self.spans.get(event.ref) if event.kind in (
            EventKind.PHASE_START, EventKind.REVIEW, EventKind.READINESS) else \
            self.spans.get(event.phase or "")
        phase = about.phase if about else None
        subject = phase.value_proposition if phase else event.ref
        channel = self.channels.get(event.channel or "")
        if event.kind == EventKind.ACTIVITY and channel is not None:
            subject = channel.name
        elif event.kind == EventKind.PARTNER:
            partner = self.partners[event.ref]
            subject = partner.name
            detail = partner.moments[(event.moment or 1) - 1].activity
        elif event.kind == EventKind.REVIEW and phase is not None and phase.resonance:
            detail, target = phase.resonance.metric, phase.resonance.target
        elif event.kind == EventKind.HIRING:
            subject = self.roles[event.ref].title
        activity = event.kind == EventKind.ACTIVITY
        return Entry(
            event.date, kind, subject, detail, target, event.offset, event.step,
            self.role_title(event.owner), event.planned if event.moved else None,
            event.day_off, event.holiday,
            number=about.index + 1 if about else None,
            promise=phase.value_proposition if phase else None,
            channel=channel.name if channel else None,
            what=channel.format if channel and activity else None,
            cta=phase.call_to_action if phase and activity else None,
            personas=tuple(self.persona_names(list(event.personas))) if activity else (),
            status=self.status.get(event.key))

    def calendar(self) -> list[CalendarPart]:
        """The calendar in parts — before the first phase, each phase, after the last — each
        by week."""
        parts: dict[str, CalendarPart] = {"before": CalendarPart(None, "before")}
        for span in self.plan.spans:
            parts[span.phase.id] = CalendarPart(span, "phase")
        parts["after"] = CalendarPart(None, "after")
        first = self.plan.spans[0].start
        current: Week | None = None
        for event in self.plan.calendar:
            start = week_start(event.date, self.first_weekday)
            if current is None or current.start != start:
                # A week belongs to the part of its first entry: one heading per week, even
                # when a phase ends and the next begins inside it.
                key = event.phase or ("before" if event.date < first else "after")
                current = Week(start)
                parts[key].weeks.append(current)
            entry = self.entry(event)
            if not self._joined_daily(current, event, entry):
                current.entries.append(entry)
        return [part for part in parts.values() if part.weeks]

    def _joined_daily(self, week: Week, event: CalendarEvent, entry: Entry) -> bool:
        """A daily channel's activities of one week make one entry, listing its days."""
        channel = self.channels.get(event.channel or "")
        if channel is None or channel.cadence != "daily":
            return False
        for index, earlier in enumerate(week.entries):
            if earlier.kind == "activity" and earlier.subject == entry.subject and earlier.days:
                week.entries[index] = replace(earlier, days=(*earlier.days, entry.date))
                return True
        week.entries.append(replace(entry, days=(entry.date,)))
        return True

    def org_chart(self) -> list[OrgLine]:
        """Roles as a reporting tree, depth first in playbook order."""
        reports: dict[str | None, list[Role]] = {}
        for role in self.book.roles:
            boss = role.reports_to if role.reports_to in self.roles else None
            reports.setdefault(boss, []).append(role)
        lines: list[OrgLine] = []

        def walk(boss: str | None, depth: int, above: int | None) -> None:
            for role in reports.get(boss, []):
                lines.append(OrgLine(depth, role, len(lines) + 1, above))
                walk(role.id, depth + 1, len(lines))

        walk(None, 0, None)
        return lines

    @property
    def sequence_days(self) -> int:
        """Calendar days from the first phase's start to the last phase's end."""
        return (self.plan.spans[-1].end - self.plan.spans[0].start).days + 1

    def direct_reports(self, role_id: str) -> list[Role]:
        """The roles reporting to a role."""
        return [r for r in self.book.roles if r.reports_to == role_id]

    def review_dates(self) -> list[tuple[int, bool, dt.date]]:
        """Each operating review: how long after launch, whether that is in months (else
        days), and the date it is held."""
        offsets = [(e.ref.removeprefix("review-"), e.date) for e in self.plan.calendar
                   if e.kind == EventKind.MILESTONE and e.ref != "launch"]
        return [(int(offset.removesuffix("m")), offset.endswith("m"), day)
                for offset, day in offsets]

    def calendar_months(self) -> list[tuple[dt.date, list[Entry]]]:
        """The calendar's entries by month: each month's first day and its entries in date
        order (a daily channel's week on one line, as in the calendar by week)."""
        months: dict[dt.date, list[Entry]] = {}
        for part in self.calendar():
            for week in part.weeks:
                for entry in week.entries:
                    months.setdefault(entry.date.replace(day=1), []).append(entry)
        return [(month, sorted(entries, key=lambda e: e.date))
                for month, entries in sorted(months.items())]
