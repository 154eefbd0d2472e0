"""Budget and team cost: monthly channel spend and shares, monthly team cost, totals over the
message sequence, and the unit economics the KPIs allow."""

from __future__ import annotations

from dataclasses import dataclass

from gtmgen.model import Playbook, decided
from gtmgen.plan.phases import PhaseSpan

DAYS_PER_MONTH = 365.25 / 12  # an average Gregorian month


@dataclass(frozen=True)
class ChannelBudget:
    channel: str
    name: str
    owner: str | None
    monthly: float
    share: float  # percent of the monthly channel budget


@dataclass(frozen=True)
class TeamCost:
    role: str
    title: str
    status: str
    basis: str  # monthly, hourly or project
    monthly: float
    months: float  # months paid within the sequence
    total: float


@dataclass(frozen=True)
class Budget:
    channels: list[ChannelBudget]
    channel_monthly: float
    team: list[TeamCost]
    team_monthly: float
    sequence_days: int
    sequence_months: float
    channel_total: float
    team_total: float
    total: float
    ltv_cac: float | None
    payback_months: float | None
    customers_per_month: float | None  # channel budget ÷ target CAC
    leads_per_month: float | None  # channel budget ÷ target CPL


def sequence_days(spans: list[PhaseSpan]) -> int:
    """Calendar days from the first phase's start to the last phase's end."""
    return (max(s.end for s in spans) - min(s.start for s in spans)).days + 1


def _per(amount: float, unit: float | None) -> float | None:
    return amount / unit if unit else None


def build_budget(playbook: Playbook, spans: list[PhaseSpan]) -> Budget:
    """Channel budget with shares, team cost, totals over the sequence and unit economics."""
    monthly = sum(c.budget for c in playbook.channels)
    channels = [ChannelBudget(c.id, c.name, c.owner, c.budget,
                              100 * c.budget / monthly if monthly else 0.0)
                for c in playbook.channels]
    days = sequence_days(spans)
    months = days / DAYS_PER_MONTH
    team = []
    for role in playbook.roles:
        if role.cost is None:
            continue
        cost = role.cost
        basis = cost.basis
        # A project is paid for its own months at most, however long the sequence runs.
        paid = min(months, cost.months) if cost.months is not None else months
        team.append(TeamCost(role.id, role.title, role.status, basis, cost.per_month, paid,
                             cost.per_month * paid))
    team_monthly = sum(t.monthly for t in team)
    kpis = playbook.kpis
    ltv, cac = decided(kpis, "ltv"), decided(kpis, "cac")
    channel_total, team_total = monthly * months, sum(t.total for t in team)
    return Budget(
        channels=channels, channel_monthly=monthly, team=team, team_monthly=team_monthly,
        sequence_days=days, sequence_months=months, channel_total=channel_total,
        team_total=team_total, total=channel_total + team_total,
        ltv_cac=_per(ltv, cac) if ltv is not None else None,
        payback_months=decided(kpis, "payback_months"),
        customers_per_month=_per(monthly, cac),
        leads_per_month=_per(monthly, decided(kpis, "cpl")))
