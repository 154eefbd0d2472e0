"""What a change to a playbook does to its plan: two (Playbook, Plan) pairs → a PlanDiff.

Pure: no files, no git, no words. Phases are matched by id, calendar events by their key
(the identity the ICS export's UIDs carry, never their date), hires by role id, budget figures
by what they are (a channel's spend, a month's total, the fully loaded CAC). A figure counts as
changed when it differs at the cent, as plan.json shows it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gtmgen.diagnostics import Diagnostic, Severity
from gtmgen.model import Playbook
from gtmgen.plan import Plan
from gtmgen.plan.budget import Budget
from gtmgen.plan.calendar import KIND_ORDER, CalendarEvent, EventKind
from gtmgen.plan.phases import PhaseSpan

FIGURE_DIGITS = 2  # plan.json rounds to cents: a difference below that is no change
TOTALS = ("channel_monthly", "channel_total", "team_monthly", "team_total", "one_off_total",
          "total", "approved", "headroom")
FUNNEL = ("leads", "customers", "media_cac", "loaded_cac", "target_cac", "ltv_cac",
          "plan_ltv_cac", "payback_months")


@dataclass(frozen=True)
class PhaseItem:
    """A phase only one side has, with its dates and value proposition."""

    phase: str
    start: dt.date
    end: dt.date
    value_proposition: str


@dataclass(frozen=True)
class PhaseMove:
    """A phase both sides have whose first or last day changed."""

    phase: str
    old_start: dt.date
    old_end: dt.date
    new_start: dt.date
    new_end: dt.date

    @property
    def start_shift(self) -> int:
        """Days the first day moved (negative: earlier)."""
        return (self.new_start - self.old_start).days

    @property
    def end_shift(self) -> int:
        """Days the last day moved (negative: earlier)."""
        return (self.new_end - self.old_end).days


@dataclass(frozen=True)
class PropositionChange:
    """A phase whose value proposition was reworded."""

    phase: str
    old: str
    new: str


@dataclass(frozen=True)
class EventGroup:
    """Calendar events of one kind on one channel (None: no channel) that moved by the same
    number of days (`shift`), or that were added or dropped (`shift` None). `first` and `last`
    are their dates in the plan that has them (the new dates for a move)."""

    kind: str
    channel: str | None
    shift: int | None
    keys: tuple[str, ...]
    first: dt.date
    last: dt.date

    @property
    def count(self) -> int:
        """How many events the group holds."""
        return len(self.keys)


@dataclass(frozen=True)
class HireChange:
    """An open role whose place in the hiring order or hire-by day changed, or that only one
    side hires (None on the other)."""

    role: str
    old_order: int | None  # 1 is hired first
    new_order: int | None
    old_hire_by: dt.date | None
    new_hire_by: dt.date | None

    @property
    def shift(self) -> int | None:
        """Days the hire-by day moved, when both sides hire the role."""
        if self.old_hire_by is None or self.new_hire_by is None:
            return None
        return (self.new_hire_by - self.old_hire_by).days


@dataclass(frozen=True)
class FigureChange:
    """One budget or funnel figure, old and new (None: that side has no such figure).

    section: channel, one-off, team, month, total or funnel; item: the channel or role id, the
    one-off's name, the month as YYYY-MM, or "" for totals and the funnel; measure: what the
    number is (monthly, spend, amount, total, or a name of TOTALS and FUNNEL)."""

    section: str
    item: str
    measure: str
    old: float | None
    new: float | None

    @property
    def change(self) -> float | None:
        """new − old, when both sides have the figure."""
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass(frozen=True)
class HorizonChange:
    """The budget's horizon moved: its first or last day."""

    old_start: dt.date
    old_end: dt.date
    new_start: dt.date
    new_end: dt.date


@dataclass(frozen=True)
class PlanDiff:
    """Everything that differs between two plans, each list in a stable order."""

    phases_added: tuple[PhaseItem, ...]
    phases_removed: tuple[PhaseItem, ...]
    phases_moved: tuple[PhaseMove, ...]
    propositions: tuple[PropositionChange, ...]
    events_moved: tuple[EventGroup, ...]
    events_added: tuple[EventGroup, ...]
    events_dropped: tuple[EventGroup, ...]
    hires: tuple[HireChange, ...]
    horizon: HorizonChange | None
    figures: tuple[FigureChange, ...]
    warnings_new: tuple[Diagnostic, ...]  # as NEW reports them, with NEW's lines
    warnings_gone: tuple[Diagnostic, ...]  # as OLD reported them

    @property
    def equal(self) -> bool:
        """Whether nothing at all differs."""
        return not any((self.phases_added, self.phases_removed, self.phases_moved,
                        self.propositions, self.events_moved, self.events_added,
                        self.events_dropped, self.hires, self.horizon, self.figures,
                        self.warnings_new, self.warnings_gone))

    @property
    def moved_count(self) -> int:
        """Calendar events that moved, over every group."""
        return sum(group.count for group in self.events_moved)


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a valid playbook, its plan and its diagnostics."""

    playbook: Playbook
    plan: Plan
    diagnostics: tuple[Diagnostic, ...] = ()


def _item(span: PhaseSpan) -> PhaseItem:
    return PhaseItem(span.phase.id, span.start, span.end, span.phase.value_proposition)


def _phases(old: Side, new: Side) -> tuple[tuple[PhaseItem, ...], tuple[PhaseItem, ...],
                                           tuple[PhaseMove, ...],
                                           tuple[PropositionChange, ...]]:
    before = {span.phase.id: span for span in old.plan.spans}
    after = {span.phase.id: span for span in new.plan.spans}
    added = tuple(_item(s) for pid, s in after.items() if pid not in before)
    removed = tuple(_item(s) for pid, s in before.items() if pid not in after)
    moved, reworded = [], []
    for pid, span in after.items():
        was = before.get(pid)
        if was is None:
            continue
        if (was.start, was.end) != (span.start, span.end):
            moved.append(PhaseMove(pid, was.start, was.end, span.start, span.end))
        if was.phase.value_proposition != span.phase.value_proposition:
            reworded.append(PropositionChange(pid, was.phase.value_proposition,
                                              span.phase.value_proposition))
    return added, removed, tuple(moved), tuple(reworded)


def _channel_rank(old: Side, new: Side) -> dict[str | None, int]:
    """Channels in the new playbook's order, then those only the old one has; None first."""
    ids = [None, *(c.id for c in new.playbook.channels), *(c.id for c in old.playbook.channels)]
    return {cid: rank for rank, cid in enumerate(dict.fromkeys(ids))}


def _groups(found: Iterable[tuple[CalendarEvent, int | None]],
            rank: dict[str | None, int]) -> tuple[EventGroup, ...]:
    """Events grouped by kind, channel and shift, in the calendar's kind order, the channels'
    order and by shift; each group's keys in date order."""
    buckets: dict[tuple[str, str | None, int | None], list[CalendarEvent]] = defaultdict(list)
    for event, shift in found:
        buckets[(str(event.kind), event.channel, shift)].append(event)
    groups = []
    for (kind, channel, shift), events in buckets.items():
        events.sort(key=CalendarEvent.sort_key)
        groups.append(EventGroup(kind, channel, shift, tuple(e.key for e in events),
                                 events[0].date, events[-1].date))
    groups.sort(key=lambda g: (KIND_ORDER[EventKind(g.kind)], rank.get(g.channel, len(rank)),
                               g.channel or "", g.shift or 0))
    return tuple(groups)


def _events(old: Side, new: Side) -> tuple[tuple[EventGroup, ...], tuple[EventGroup, ...],
                                           tuple[EventGroup, ...]]:
    before = {event.key: event for event in old.plan.calendar}
    after = {event.key: event for event in new.plan.calendar}
    rank = _channel_rank(old, new)
    moved = ((e, (e.date - before[k].date).days) for k, e in after.items()
             if k in before and before[k].date != e.date)
    added = ((e, None) for k, e in after.items() if k not in before)
    dropped = ((e, None) for k, e in before.items() if k not in after)
    return _groups(moved, rank), _groups(added, rank), _groups(dropped, rank)


def _hires(old: Side, new: Side) -> tuple[HireChange, ...]:
    before = {row.role: (n, row) for n, row in enumerate(old.plan.hiring, start=1)}
    after = {row.role: (n, row) for n, row in enumerate(new.plan.hiring, start=1)}
    found = []
    # The new hiring order first, then roles only the old plan hired, in its order.
    for role in dict.fromkeys([*after, *before]):
        was, now = before.get(role), after.get(role)
        change = HireChange(role, was[0] if was else None, now[0] if now else None,
                            was[1].hire_by if was else None, now[1].hire_by if now else None)
        if (change.old_order, change.old_hire_by) != (change.new_order, change.new_hire_by):
            found.append(change)
    return tuple(found)


def _figure_rows(budget: Budget) -> Iterator[tuple[str, str, str, float | None]]:
    """Every figure of a budget as (section, item, measure, value)."""
    for channel in budget.channels:
        yield "channel", channel.channel, "monthly", channel.monthly
        yield "channel", channel.channel, "spend", channel.spend
    one_offs: dict[str, float] = {}
    for item in budget.one_offs:  # by name; a cost outside the horizon counts as nothing
        one_offs[item.name] = one_offs.get(item.name, 0.0) + (item.amount if item.counted
                                                              else 0.0)
    for name, amount in one_offs.items():
        yield "one-off", name, "amount", amount
    for cost in budget.team:
        yield "team", cost.role, "total", cost.total
    for row in budget.months:
        yield "month", row.month.strftime("%Y-%m"), "total", row.total
    for measure in TOTALS:
        yield "total", "", measure, getattr(budget, measure)
    for measure in FUNNEL:
        yield "funnel", "", measure, getattr(budget, measure)


SECTION_ORDER = {name: n for n, name in enumerate(
    ("channel", "one-off", "team", "month", "total", "funnel"))}


def _same(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return old is new
    return round(old, FIGURE_DIGITS) == round(new, FIGURE_DIGITS)


def _figures(old: Side, new: Side) -> tuple[FigureChange, ...]:
    before = {row[:3]: row[3] for row in _figure_rows(old.plan.budget)}
    after = {row[:3]: row[3] for row in _figure_rows(new.plan.budget)}
    # Figures in the new plan's order, then those only the old plan has; a section's order
    # and, for months, the calendar's, decide where an old-only figure goes.
    order = {key: n for n, key in enumerate(dict.fromkeys([*after, *before]))}
    keys = sorted(order, key=lambda k: (SECTION_ORDER[k[0]],
                                        k[1] if k[0] == "month" else "", order[k]))
    return tuple(FigureChange(*key, before.get(key), after.get(key)) for key in keys
                 if not _same(before.get(key), after.get(key)))


def _horizon(old: Side, new: Side) -> HorizonChange | None:
    was, now = old.plan.budget.horizon, new.plan.budget.horizon
    if (was.start, was.end) == (now.start, now.end):
        return None
    return HorizonChange(was.start, was.end, now.start, now.end)


def _warnings(old: Side, new: Side) -> tuple[tuple[Diagnostic, ...], tuple[Diagnostic, ...]]:
    """Warnings compared by message and path: lines move with every edit above them."""
    def known(side: Side) -> dict[tuple[str, str], Diagnostic]:
        found: dict[tuple[str, str], Diagnostic] = {}
        for d in side.diagnostics:
            if d.severity == Severity.WARNING:
                found.setdefault((d.message, d.path), d)
        return found

    before, after = known(old), known(new)
    return (tuple(d for k, d in after.items() if k not in before),
            tuple(d for k, d in before.items() if k not in after))


def compare(old: Side, new: Side) -> PlanDiff:
    """What differs between the plan of `old` and that of `new`."""
    added, removed, moved, reworded = _phases(old, new)
    events_moved, events_added, events_dropped = _events(old, new)
    warnings_new, warnings_gone = _warnings(old, new)
    return PlanDiff(added, removed, moved, reworded, events_moved, events_added,
                    events_dropped, _hires(old, new), _horizon(old, new), _figures(old, new),
                    warnings_new, warnings_gone)
