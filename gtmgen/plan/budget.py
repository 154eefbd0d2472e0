"""Budget, team cost and the funnel over the budget's horizon: what each month costs (channels,
team, one-off), what the client approved, and what the spend is expected to buy."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from gtmgen.model import Playbook, Role, RoleStatus, decided
from gtmgen.plan.hiring import HiringRow
from gtmgen.plan.phases import PhaseSpan

DAYS_PER_MONTH = 365.25 / 12  # an average Gregorian month: 30.4375 days


@dataclass(frozen=True)
class Horizon:
    """The days the budget covers: `budget.months` calendar months from launch day, else the
    message sequence."""

    start: dt.date
    end: dt.date  # the last day, included
    months: int | None  # budget.months when given

    @property
    def days(self) -> int:
        """Calendar days in the horizon."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class ChannelBudget:
    """One channel's spend: its monthly budget and share, and its total over the horizon."""

    channel: str
    name: str
    owner: str | None
    monthly: float
    share: float  # percent of the monthly channel budget
    spend: float  # the monthly budget over the horizon
    one_off: float  # one-off costs naming this channel, inside the horizon
    cpl: float | None  # the channel's own kpis.cpl, else the playbook's; None: not estimated
    leads: float | None
    customers: float | None


@dataclass(frozen=True)
class TeamCost:
    """One role's cost over the horizon."""

    role: str
    title: str
    status: str
    basis: str  # monthly, hourly, daily or project
    monthly: float  # per month (a project: its fee ÷ its months)
    fee: float | None  # a project's whole fee
    start: dt.date  # first day charged: the horizon's start, or the day an open role starts
    end: dt.date | None  # last day charged (None: charged to no day of the horizon)
    total: float  # charged within the horizon


@dataclass(frozen=True)
class OneOff:
    """A cost paid once, and whether it falls inside the horizon (else it is left out)."""

    name: str
    amount: float
    date: dt.date
    channel: str | None
    counted: bool


@dataclass(frozen=True)
class MonthCost:
    """One calendar month of the horizon: what it costs and what it is expected to buy."""

    month: dt.date  # the month's first day
    days: int  # days of the month inside the horizon
    channels: float
    team: float | None  # None: no role has a cost
    one_off: float
    total: float
    leads: float | None
    customers: float | None


@dataclass(frozen=True)
class PhaseFunnel:
    """What the budget of a phase's channels is expected to buy over the phase's days."""

    phase: str
    days: int
    spend: float
    leads: float | None
    customers: float | None


@dataclass(frozen=True)
class Budget:
    """The budget plan: monthly rows over the horizon, totals, approval and unit economics."""

    horizon: Horizon
    channels: list[ChannelBudget]
    channel_monthly: float
    team: list[TeamCost]
    team_monthly: float | None  # cost a month of every role with a cost; None: not given
    one_offs: list[OneOff]
    months: list[MonthCost]
    channel_total: float  # channel budgets over the horizon, without one-off costs
    team_total: float | None
    one_off_total: float
    total: float  # every row summed: channels + team + one-off
    approved: float | None  # budget.total
    headroom: float | None  # approved − total (negative: over budget)
    phases: list[PhaseFunnel]
    leads: float | None
    customers: float | None
    media_cac: float | None  # (channel spend + channel one-offs) ÷ customers
    loaded_cac: float | None  # every cost of the horizon ÷ customers
    target_cac: float | None
    ltv_cac: float | None  # the targets': ltv ÷ cac
    plan_ltv_cac: float | None  # the plan's: ltv ÷ fully loaded CAC
    payback_months: float | None  # fully loaded CAC ÷ mrr
    no_cpl: tuple[str, ...]  # channels with a budget and no CPL: their leads are not counted


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_end(start: dt.date, months: int) -> dt.date:
    """The last day of `months` calendar months from `start`: the day before the same day
    that many months later, or that month's last day when it has no such day (from
    2027-01-31, one month runs to 2027-02-28)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    size = calendar.monthrange(year, month)[1]
    if start.day > size:
        return dt.date(year, month, size)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


def horizon(playbook: Playbook, spans: list[PhaseSpan]) -> Horizon:
    """budget.months calendar months from launch.date, else the message sequence's days."""
    months = playbook.budget.months if playbook.budget else None
    if months is not None:
        start = playbook.launch.date
        return Horizon(start, months_end(start, months), months)
    return Horizon(min(s.start for s in spans), max(s.end for s in spans), None)


def month_starts(span: Horizon) -> list[dt.date]:
    """The first day of every calendar month the horizon touches."""
    found, day = [], span.start.replace(day=1)
    while day <= span.end:
        found.append(day)
        day = add_months(day, 1)
    return found


def _overlap(start: dt.date, end: dt.date, first: dt.date, last: dt.date) -> int:
    """Days shared by [start, end] and [first, last], ends included."""
    return max(0, (min(end, last) - max(start, first)).days + 1)


def _month_share(amount: float, start: dt.date, end: dt.date, month: dt.date) -> float:
    """A monthly amount charged for the days of `month` inside [start, end]."""
    size = calendar.monthrange(month.year, month.month)[1]
    last = month.replace(day=size)
    return amount * _overlap(start, end, month, last) / size


@dataclass(frozen=True)
class _Charge:
    """How one role is charged: a monthly amount over days, or a fee spread evenly over days."""

    start: dt.date
    end: dt.date  # may run past the horizon; only the days inside it are charged
    monthly: float | None
    per_day: float | None

    def in_month(self, month: dt.date, span: Horizon) -> float:
        size = calendar.monthrange(month.year, month.month)[1]
        first, last = max(month, span.start), min(month.replace(day=size), span.end)
        if self.monthly is not None:
            return _month_share(self.monthly, max(self.start, first), min(self.end, last),
                                month) if first <= last else 0.0
        assert self.per_day is not None
        return self.per_day * _overlap(self.start, self.end, first, last)


def _charge(role: Role, span: Horizon, starts: dict[str, dt.date]) -> _Charge:
    assert role.cost is not None
    start = span.start if role.status == RoleStatus.FILLED else starts.get(role.id, span.start)
    cost = role.cost
    if cost.project is not None and cost.months is not None:
        end = months_end(start, cost.months)
        return _Charge(start, end, None, cost.project / ((end - start).days + 1))
    return _Charge(start, span.end, cost.per_month, None)


def _team(playbook: Playbook, span: Horizon,
          hiring: list[HiringRow]) -> list[tuple[TeamCost, _Charge]]:
    starts = {row.role: row.starts for row in hiring}
    found = []
    for role in playbook.roles:
        if role.cost is None:
            continue
        charge = _charge(role, span, starts)
        total = sum(charge.in_month(m, span) for m in month_starts(span))
        first, last = max(charge.start, span.start), min(charge.end, span.end)
        found.append((TeamCost(role.id, role.title, str(role.status), role.cost.basis,
                               role.cost.per_month, role.cost.project, first,
                               last if first <= last else None, total), charge))
    return found


def _one_offs(playbook: Playbook, span: Horizon) -> list[OneOff]:
    items = playbook.budget.one_off if playbook.budget else []
    return [OneOff(item.name, item.amount, item.date, item.channel,
                   span.start <= item.date <= span.end) for item in items]


def _per(amount: float | None, unit: float | None) -> float | None:
    return amount / unit if amount is not None and unit else None


def _times(value: float | None, factor: float | None) -> float | None:
    return value * factor if value is not None and factor is not None else None


def _sum(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def build_budget(playbook: Playbook, spans: list[PhaseSpan],
                 hiring: list[HiringRow], until: dt.date | None = None) -> Budget:
    """The budget over its horizon: monthly rows, totals, approval, the funnel and CACs.
    With `until`, the same plan up to that day only (what was planned to date)."""
    span = horizon(playbook, spans)
    if until is not None:
        span = Horizon(span.start, max(min(span.end, until), span.start - dt.timedelta(days=1)),
                       span.months)
    kpis, rate = playbook.kpis, decided(playbook.kpis, "conversion_rate")
    monthly = sum(c.budget for c in playbook.channels)
    one_offs = _one_offs(playbook, span)
    months = month_starts(span)
    channels = []
    for c in playbook.channels:
        spend = sum(_month_share(c.budget, span.start, span.end, m) for m in months)
        # The channel's own CPL, else the playbook's; a channel's own `tbd` is not estimated.
        cpl = decided(c.kpis if "cpl" in c.kpis else kpis, "cpl")
        leads = _per(spend, cpl)
        channels.append(ChannelBudget(
            c.id, c.name, c.owner, c.budget, 100 * c.budget / monthly if monthly else 0.0,
            spend, sum(o.amount for o in one_offs if o.counted and o.channel == c.id), cpl,
            leads, _times(leads, rate)))
    team = _team(playbook, span, hiring)
    rows = []
    for month in months:
        size = calendar.monthrange(month.year, month.month)[1]
        shares = [(_month_share(c.monthly, span.start, span.end, month), c.cpl)
                  for c in channels]
        leads = _sum([_per(amount, cpl) for amount, cpl in shares])
        team_cost = sum(charge.in_month(month, span) for _, charge in team) if team else None
        extra = sum(o.amount for o in one_offs
                    if o.counted and (o.date.year, o.date.month) == (month.year, month.month))
        channel_cost = sum(amount for amount, _ in shares)
        rows.append(MonthCost(month, _overlap(span.start, span.end, month,
                                              month.replace(day=size)),
                              channel_cost, team_cost, extra,
                              channel_cost + (team_cost or 0.0) + extra, leads,
                              _times(leads, rate)))
    channel_total = sum(r.channels for r in rows)
    team_total = _sum([r.team for r in rows])
    one_off_total = sum(r.one_off for r in rows)
    total = sum(r.total for r in rows)
    leads_total = _sum([c.leads for c in channels])
    customers = _times(leads_total, rate)
    media = channel_total + sum(c.one_off for c in channels)
    loaded_cac = _per(total, customers)
    approved = playbook.budget.total if playbook.budget else None
    ltv, cac = decided(kpis, "ltv"), decided(kpis, "cac")
    by_id = {c.channel: c for c in channels}
    phases = []
    for s in spans:
        running = [by_id[cid] for cid in s.phase.channels if cid in by_id]
        phase_spend = sum(c.monthly for c in running) * s.days / DAYS_PER_MONTH
        phase_leads = _sum([_per(c.monthly * s.days / DAYS_PER_MONTH, c.cpl) for c in running])
        phases.append(PhaseFunnel(s.phase.id, s.days, phase_spend, phase_leads,
                                  _times(phase_leads, rate)))
    return Budget(
        horizon=span, channels=channels, channel_monthly=monthly,
        team=[cost for cost, _ in team],
        team_monthly=sum(cost.monthly for cost, _ in team) if team else None,
        one_offs=one_offs, months=rows, channel_total=channel_total, team_total=team_total,
        one_off_total=one_off_total, total=total, approved=approved,
        headroom=approved - total if approved is not None else None, phases=phases,
        leads=leads_total, customers=customers, media_cac=_per(media, customers),
        loaded_cac=loaded_cac, target_cac=cac, ltv_cac=_per(ltv, cac),
        plan_ltv_cac=_per(ltv, loaded_cac), payback_months=_per(loaded_cac,
                                                                 decided(kpis, "mrr")),
        no_cpl=tuple(c.channel for c in channels if c.monthly and c.cpl is None))
