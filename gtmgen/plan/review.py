"""What happened against what was planned, at one day: the resonance of each value proposition
and its verdict, the operating review due, spend, leads and customers against the plan, the
hires made, and what the numbers recommend. Pure: results and a plan in, values out."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from gtmgen.model import Playbook, decided
from gtmgen.numbers import is_share
from gtmgen.plan.budget import DAYS_PER_MONTH, Budget, build_budget

if TYPE_CHECKING:
    from gtmgen.plan import Plan
    from gtmgen.results import ResultRow

OVERSPEND = 1.10  # a channel that spent more than 110% of its plan to date is overspent
SHIFT = 0.25  # the share of a cut channel's monthly budget the re-allocation moves
STALE = 7  # results that end more than a week before the review day leave its last days out


@dataclass(frozen=True)
class PhaseResult:
    """One phase's value proposition at the review day: how it resonated and the verdict."""

    phase: str
    index: int  # its place in the sequence, from 0
    status: str  # finished, running or upcoming
    metric: str | None
    target: float | None
    measured: float | None  # None: not measured (never a zero)
    ratio: float | None  # measured ÷ target
    verdict: str | None  # keep, iterate or drop; None: not measured, or not finished
    rank: int | None  # 1 = resonated best; None: not measured
    planned_spend: float  # every channel's budget over its days up to the review day, and the
    # one-off costs dated in them
    spend: float | None  # spend of the results rows in this phase (its days, or naming it)
    leads: float | None
    customers: float | None


@dataclass(frozen=True)
class Slice:
    """The value propositions ranked within one persona or one channel."""

    ref: str  # the persona or channel id
    phases: tuple[tuple[str, float], ...]  # (phase id, measured ÷ target), best first


@dataclass(frozen=True)
class Measures:
    """Spend, leads, customers and the unit economics of one stretch of time."""

    spend: float | None
    leads: float | None
    customers: float | None
    team: float | None  # the team's cost over the same days
    cpl: float | None
    conversion: float | None
    media_cac: float | None
    loaded_cac: float | None
    ltv_cac: float | None
    payback_months: float | None


@dataclass(frozen=True)
class OperatingReview:
    """The operating review due at the review day, and the review before it."""

    offset: str  # as launch.reviews writes it: 90, 3m
    date: dt.date
    previous_offset: str | None
    previous_date: dt.date | None
    planned: Measures  # the plan up to the review day
    actual: Measures  # the results up to the review day
    before: Measures | None  # the results up to the review before
    since: Measures | None  # the results since the review before


@dataclass(frozen=True)
class ChannelResult:
    """One channel's spend, leads and customers against its plan to date."""

    channel: str
    name: str
    monthly: float  # its monthly budget in the playbook
    planned: float  # its budget up to the review day, with the one-off costs naming it
    spend: float | None  # None: no row gives its spend
    variance: float | None  # spend − planned
    planned_leads: float | None
    leads: float | None
    planned_customers: float | None
    customers: float | None
    cost_per_customer: float | None  # spend ÷ customers
    action: str | None  # scale or cut; None: not enough data to say

    @property
    def overspent(self) -> bool:
        """Whether it spent more than OVERSPEND × its plan to date."""
        return self.spend is not None and self.planned > 0 and \
            self.spend > self.planned * OVERSPEND


@dataclass(frozen=True)
class MonthResult:
    """One calendar month up to the review day: planned and actual spend, and their sums."""

    month: dt.date
    planned: float
    spend: float | None
    planned_total: float  # from the first month up to this one
    spend_total: float | None


@dataclass(frozen=True)
class HireResult:
    """One open role: the start planned against the start made."""

    role: str
    title: str
    starts: dt.date  # as planned
    needed_by: dt.date
    started: dt.date | None  # from the results
    status: str  # on-time, late, missing or not-due
    days_late: int | None  # started − needed_by, or the review day − needed_by when missing


@dataclass(frozen=True)
class Move:
    """A channel's monthly budget before and after the proposed re-allocation."""

    channel: str
    monthly: float
    proposed: float


@dataclass(frozen=True)
class Recommendation:
    """One thing the numbers recommend; `kind` says which, the other fields why."""

    kind: str  # carry, iterate, drop, scale, cut, cap, reallocate, hire
    ref: str | None = None  # the phase, channel or role it is about
    value: float | None = None  # the ratio, the cost per customer or the share of the plan
    against: float | None = None  # what the value is set against (target CAC)
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class Gap:
    """Something the results do not say: a phase not measured, a channel with no rows."""

    kind: str  # phase, channel, spend, leads, customers, or stale (the rows end early)
    ref: str | None = None


@dataclass(frozen=True)
class Review:
    """Everything `gtmgen review` reports at one day."""

    as_of: dt.date
    first: dt.date | None  # the first and last day of the results read
    last: dt.date | None
    phases: tuple[PhaseResult, ...]  # in sequence order
    ranking: tuple[str, ...]  # phase ids, the best resonance first
    personas: tuple[Slice, ...]
    channels_ranked: tuple[Slice, ...]
    operating: OperatingReview | None  # None: no operating review is due yet
    channels: tuple[ChannelResult, ...]
    months: tuple[MonthResult, ...]
    hires: tuple[HireResult, ...]
    recommendations: tuple[Recommendation, ...]
    gaps: tuple[Gap, ...]


def _sum(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return math.fsum(known) if known else None


def _per(amount: float | None, unit: float | None) -> float | None:
    return amount / unit if amount is not None and unit else None


def resonance(rows: Sequence[ResultRow], target: float, metric: str) -> float | None:
    """The measured value of a phase's metric: a count sums its rows; a share (a target that
    is a share of a whole) is the mean of its rows, weighted by their leads when every row
    gives leads, else the plain mean. None when no row measures it."""
    values = [(r.resonance, r.leads) for r in rows if r.resonance is not None]
    if not values:
        return None
    if not is_share(target, metric):
        return math.fsum(v for v, _ in values)
    weights = [w for _, w in values]
    if all(w is not None and w > 0 for w in weights):
        return math.fsum(v * (w or 0) for v, w in values) / math.fsum(w or 0 for w in weights)
    return math.fsum(v for v, _ in values) / len(values)


def verdict(ratio: float, keep: float, iterate: float) -> str:
    """keep at or above `keep` × target, iterate from `iterate` × target, else drop."""
    return "keep" if ratio >= keep else "iterate" if ratio >= iterate else "drop"


def _phases(playbook: Playbook, plan: Plan, rows: Sequence[ResultRow],
            as_of: dt.date) -> list[PhaseResult]:
    rules = playbook.messages.verdicts
    # Spend by phase is the spend on the phase's days: every channel's budget runs then.
    monthly = math.fsum(c.budget for c in playbook.channels)
    one_offs = playbook.budget.one_off if playbook.budget else []
    found = []
    for span in plan.spans:
        phase = span.phase
        mine = [r for r in rows if r.phase == phase.id]
        status = ("finished" if span.end <= as_of else
                  "running" if span.start <= as_of else "upcoming")
        metric = phase.resonance.metric if phase.resonance else None
        target = phase.resonance.target if phase.resonance else None
        measured = resonance(mine, target, metric) \
            if target is not None and metric is not None else None
        ratio = measured / target if measured is not None and target else None
        said = verdict(ratio, rules.keep, rules.iterate) \
            if ratio is not None and status == "finished" else None
        last = min(span.end, as_of)
        elapsed = max(0, (last - span.start).days + 1)
        once = math.fsum(o.amount for o in one_offs if span.start <= o.date <= last)
        found.append(PhaseResult(
            phase.id, span.index, status, metric, target, measured, ratio, said, None,
            monthly * elapsed / DAYS_PER_MONTH + once, _sum(r.spend for r in mine),
            _sum(r.leads for r in mine), _sum(r.customers for r in mine)))
    ranked = sorted((p for p in found if p.ratio is not None),
                    key=lambda p: (-round(p.ratio or 0.0, 9), p.index))
    order = {p.phase: n for n, p in enumerate(ranked, start=1)}
    return [replace(p, rank=order.get(p.phase)) for p in found]


def _slices(playbook: Playbook, rows: Sequence[ResultRow], field: str,
            ids: Iterable[str]) -> list[Slice]:
    targets = {p.id: p.resonance for p in playbook.messages.phases if p.resonance}
    order = {p.id: n for n, p in enumerate(playbook.messages.phases)}
    found = []
    for ref in ids:
        scores = []
        for phase, aim in targets.items():
            mine = [r for r in rows if getattr(r, field) == ref and r.phase == phase]
            measured = resonance(mine, aim.target, aim.metric)
            if measured is not None and aim.target:
                scores.append((phase, measured / aim.target))
        scores.sort(key=lambda s: (-round(s[1], 9), order[s[0]]))
        if len(scores) >= 2:  # a ranking needs two value propositions
            found.append(Slice(ref, tuple(scores)))
    return found


def measures(playbook: Playbook, rows: Sequence[ResultRow], team: float | None) -> Measures:
    """The unit economics of some results rows, from their totals."""
    spend = _sum(r.spend for r in rows)
    leads = _sum(r.leads for r in rows)
    customers = _sum(r.customers for r in rows)
    loaded = _per((spend or 0.0) + (team or 0.0), customers) if spend is not None else None
    return Measures(spend, leads, customers, team, _per(spend, leads), _per(customers, leads),
                    _per(spend, customers), loaded,
                    _per(decided(playbook.kpis, "ltv"), loaded),
                    _per(loaded, decided(playbook.kpis, "mrr")))


def _planned(playbook: Playbook, budget: Budget) -> Measures:
    spend = budget.channel_total + budget.one_off_total
    return Measures(spend, budget.leads, budget.customers, budget.team_total,
                    _per(budget.channel_total, budget.leads),
                    decided(playbook.kpis, "conversion_rate"), budget.media_cac,
                    budget.loaded_cac, budget.plan_ltv_cac, budget.payback_months)


def _team_to(playbook: Playbook, plan: Plan, hires: Mapping[str, dt.date],
             day: dt.date) -> float | None:
    """The team's cost up to `day`, each open role charged from the day its hire started
    (nothing for a role not hired by then)."""
    after = day + dt.timedelta(days=1)
    actual = [replace(row, starts=hires.get(row.role, after)) for row in plan.hiring]
    return build_budget(playbook, plan.spans, actual, until=day).team_total


def _operating(playbook: Playbook, plan: Plan, rows: Sequence[ResultRow],
               hires: Mapping[str, dt.date], as_of: dt.date,
               planned: Budget) -> OperatingReview | None:
    due = [a for a in plan.agendas if a.date <= as_of]
    if not due:
        return None
    now = due[-1]
    before = due[-2] if len(due) >= 2 else None
    team = _team_to(playbook, plan, hires, as_of)
    actual = measures(playbook, rows, team)
    if before is None:
        return OperatingReview(now.offset, now.date, None, None, _planned(playbook, planned),
                               actual, None, None)
    team_before = _team_to(playbook, plan, hires, before.date)
    earlier = [r for r in rows if r.day <= before.date]
    later = [r for r in rows if r.day > before.date]
    since_team = team - team_before if team is not None and team_before is not None else team
    return OperatingReview(now.offset, now.date, before.offset, before.date,
                           _planned(playbook, planned), actual,
                           measures(playbook, earlier, team_before),
                           measures(playbook, later, since_team))


def _channels(playbook: Playbook, rows: Sequence[ResultRow],
              planned: Budget) -> list[ChannelResult]:
    target = decided(playbook.kpis, "cac")
    found = []
    for line in planned.channels:
        mine = [r for r in rows if r.channel == line.channel]
        spend = _sum(r.spend for r in mine)
        customers = _sum(r.customers for r in mine)
        cost = _per(spend, customers)
        found.append(ChannelResult(
            line.channel, line.name, line.monthly, line.spend + line.one_off, spend,
            spend - (line.spend + line.one_off) if spend is not None else None,
            line.leads, _sum(r.leads for r in mine), line.customers, customers, cost, None))
    # Scale or cut by the cost of a customer: against kpis.cac, else against the cost of a
    # customer over every channel together.
    spent = _sum(c.spend for c in found if c.customers is not None)
    bar = target if target is not None else _per(spent, _sum(c.customers for c in found))
    result = []
    for c in found:
        action = None
        if c.spend and c.customers is not None and bar is not None:
            cost = c.cost_per_customer
            action = "cut" if cost is None or cost > bar else "scale"
        result.append(replace(c, action=action))
    return result


def reallocate(channels: Sequence[ChannelResult]) -> tuple[Move, ...]:
    """Move SHIFT of each cut channel's monthly budget to the channels to scale, in proportion
    to the customers each brings per unit spent; whole currency units, the total kept (the
    rounding's remainder goes to the most efficient channel)."""
    cut = [c for c in channels if c.action == "cut" and c.monthly > 0]
    scale = [c for c in channels if c.action == "scale" and c.cost_per_customer]
    if not cut or not scale:
        return ()
    taken = {c.channel: float(round(c.monthly * SHIFT)) for c in cut}
    freed = math.fsum(taken.values())
    weights = {c.channel: 1 / (c.cost_per_customer or 1) for c in scale}
    whole = math.fsum(weights.values())
    given = {ref: float(round(freed * w / whole)) for ref, w in weights.items()}
    best = max(scale, key=lambda c: weights[c.channel]).channel
    given[best] += freed - math.fsum(given.values())
    return tuple(Move(c.channel, c.monthly,
                      c.monthly - taken.get(c.channel, 0.0) + given.get(c.channel, 0.0))
                 for c in channels if c.channel in taken or c.channel in given)


def _months(rows: Sequence[ResultRow], planned: Budget) -> list[MonthResult]:
    found, plan_sum, spend_sum = [], 0.0, None
    for row in planned.months:
        if row.days == 0:
            continue
        mine = [r.spend for r in rows if (r.day.year, r.day.month) == (row.month.year,
                                                                        row.month.month)]
        spend = _sum(mine)
        plan_sum += row.channels + row.one_off
        if spend is not None:
            spend_sum = (spend_sum or 0.0) + spend
        found.append(MonthResult(row.month, row.channels + row.one_off, spend, plan_sum,
                                 spend_sum))
    return found


def _hires(plan: Plan, hires: Mapping[str, dt.date], as_of: dt.date) -> list[HireResult]:
    found = []
    for row in plan.hiring:
        started = hires.get(row.role)
        if started is not None and started <= as_of:
            late = (started - row.needed_by).days
            found.append(HireResult(row.role, row.title, row.starts, row.needed_by, started,
                                    "late" if late > 0 else "on-time", late if late > 0 else None))
        elif row.needed_by < as_of:
            found.append(HireResult(row.role, row.title, row.starts, row.needed_by, None,
                                    "missing", (as_of - row.needed_by).days))
        else:
            found.append(HireResult(row.role, row.title, row.starts, row.needed_by, None,
                                    "not-due", None))
    return found


def _recommend(playbook: Playbook, phases: Sequence[PhaseResult],
               channels: Sequence[ChannelResult],
               hires: Sequence[HireResult]) -> list[Recommendation]:
    found = []
    judged = sorted((p for p in phases if p.verdict is not None), key=lambda p: p.rank or 0)
    keep = [p for p in judged if p.verdict == "keep"]
    if keep:
        found.append(Recommendation("carry", keep[0].phase, keep[0].ratio))
    elif judged and judged[0].verdict == "iterate":
        found.append(Recommendation("iterate", judged[0].phase, judged[0].ratio))
    found += [Recommendation("drop", p.phase, p.ratio) for p in judged if p.verdict == "drop"]
    target = decided(playbook.kpis, "cac")
    for c in sorted(channels, key=lambda c: (c.cost_per_customer is None,
                                             c.cost_per_customer or 0.0)):
        if c.action is not None:
            found.append(Recommendation(c.action, c.channel, c.cost_per_customer, target))
    moves = reallocate(channels)
    if moves:
        found.append(Recommendation("reallocate", moves=moves))
    found += [Recommendation("cap", c.channel, (c.spend or 0.0) / c.planned)
              for c in channels if c.overspent]
    found += [Recommendation("hire", h.role, float(h.days_late or 0))
              for h in hires if h.status == "missing"]
    return found


def _gaps(phases: Sequence[PhaseResult], channels: Sequence[ChannelResult],
          rows: Sequence[ResultRow]) -> list[Gap]:
    found = [Gap("phase", p.phase) for p in phases
             if p.status != "upcoming" and p.metric is not None and p.measured is None]
    found += [Gap("channel", c.channel) for c in channels
              if c.planned > 0 and c.spend is None and c.leads is None and c.customers is None]
    for field in ("spend", "leads", "customers"):
        if rows and all(getattr(r, field) is None for r in rows if r.channel is not None):
            found.append(Gap(field))
    return found


def build_review(playbook: Playbook, plan: Plan, rows: Sequence[ResultRow],
                 hires: Mapping[str, dt.date], as_of: dt.date) -> Review:
    """The review at `as_of`: only results rows dated on or before it count."""
    counted = [r for r in rows if r.day <= as_of]
    planned = build_budget(playbook, plan.spans, plan.hiring, until=as_of)
    phases = _phases(playbook, plan, counted, as_of)
    channels = _channels(playbook, counted, planned)
    hired = _hires(plan, hires, as_of)
    days = [r.day for r in rows]
    gaps = _gaps(phases, channels, counted)
    if days and (as_of - max(d for d in days if d <= as_of) if counted else dt.timedelta(0)
                 ).days > STALE:
        gaps.append(Gap("stale"))
    return Review(
        as_of, min(days) if days else None, max(days) if days else None, tuple(phases),
        tuple(p.phase for p in sorted((p for p in phases if p.rank), key=lambda p: p.rank or 0)),
        tuple(_slices(playbook, counted, "persona", [p.id for p in playbook.personas])),
        tuple(_slices(playbook, counted, "channel", [c.id for c in playbook.channels])),
        _operating(playbook, plan, counted, {k: v for k, v in hires.items() if v <= as_of},
                   as_of, planned),
        tuple(channels), tuple(_months(counted, planned)), tuple(hired),
        tuple(_recommend(playbook, phases, channels, hired)), tuple(gaps))


def in_words_of(review: Review, playbook: Playbook) -> Review:
    """The same review named as `playbook` (the same playbook read in another locale) names
    its channels and metrics. The figures and verdicts stay those worked out once, in the
    primary locale: whether a metric is a share is read from its primary name, so a verdict
    never depends on the language it is printed in."""
    names = {c.id: c.name for c in playbook.channels}
    metrics = {p.id: p.resonance.metric for p in playbook.messages.phases if p.resonance}
    return replace(review,
                   channels=tuple(replace(c, name=names.get(c.channel, c.name))
                                  for c in review.channels),
                   phases=tuple(replace(p, metric=metrics.get(p.phase, p.metric))
                                for p in review.phases))


def event_status(plan: Plan, rows: Sequence[ResultRow], hires: Mapping[str, dt.date],
                 as_of: dt.date) -> dict[str, str]:
    """{calendar event key: done or missed} for the events on or before `as_of` that the
    results speak to: an activity by its channel's rows in the same Monday-to-Sunday week, a
    resonance review by its phase's measurement, a hire's start by the role's start."""
    from gtmgen.plan.calendar import EventKind

    weeks: dict[str, set[tuple[int, int]]] = {}
    measured = set()
    for row in rows:
        if row.day > as_of:
            continue
        if row.channel is not None:
            weeks.setdefault(row.channel, set()).add(row.day.isocalendar()[:2])
        if row.phase is not None and row.resonance is not None:
            measured.add(row.phase)
    found = {}
    for event in plan.calendar:
        if event.date > as_of:
            continue
        if event.kind == EventKind.ACTIVITY and event.channel in weeks:
            done = event.date.isocalendar()[:2] in weeks[event.channel]
        elif event.kind == EventKind.REVIEW:
            done = event.ref in measured
        elif event.kind == EventKind.HIRING and event.step == "start":
            done = event.ref in hires and hires[event.ref] <= as_of
        else:
            continue
        found[event.key] = "done" if done else "missed"
    return found


def default_as_of(rows: Sequence[ResultRow], hires: Mapping[str, dt.date]) -> dt.date | None:
    """The review day when none is given: the last day the results cover (None: they are
    empty)."""
    days = [r.day for r in rows] + list(hires.values())
    return max(days) if days else None


__all__ = ["Review", "build_review", "default_as_of"]
