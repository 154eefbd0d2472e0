"""The return on each channel and phase of the playbook as written (the base scenario): what
its expected customers bring against what it costs."""

from __future__ import annotations

from dataclasses import dataclass

from gtmgen.model import Playbook, decided
from gtmgen.plan.budget import DAYS_PER_MONTH, Budget


@dataclass(frozen=True)
class ChannelReturn:
    """One channel: its cost over the horizon, its expected customers and what they bring."""

    channel: str
    name: str
    cost: float  # its spend over the horizon + one-off costs naming it
    customers: float | None
    revenue: float | None  # customers × value per customer
    roi: float | None  # (revenue − cost) ÷ cost; None: not estimated, or no cost
    rank: int | None  # 1 = the best return; None: not estimated

    @property
    def below_cost(self) -> bool:
        """Whether it is expected to bring back less than it costs."""
        return self.revenue is not None and self.cost > 0 and self.revenue < self.cost


@dataclass(frozen=True)
class PhaseReturn:
    """One phase: its channels' spend over its days, and what their customers bring."""

    phase: str
    cost: float
    customers: float | None
    revenue: float | None
    roi: float | None


@dataclass(frozen=True)
class Roi:
    """The return per channel (ranked) and per phase, and the value of a customer used."""

    value: float | None  # revenue of one customer: kpis.ltv, else kpis.mrr × months
    basis: str | None  # "ltv" or "mrr"; None: neither is given
    months: float | None  # the months of mrr counted: the horizon's length
    channels: list[ChannelReturn]  # best return first; not estimated last, in playbook order
    phases: list[PhaseReturn]  # in sequence order


def _roi(revenue: float | None, cost: float) -> float | None:
    return (revenue - cost) / cost if revenue is not None and cost > 0 else None


def customer_value(playbook: Playbook, budget: Budget) -> tuple[float | None, str | None,
                                                                 float | None]:
    """What one customer brings: kpis.ltv; else kpis.mrr × the horizon's months (its
    `budget.months`, else its days ÷ 30.4375); else not estimated."""
    ltv = decided(playbook.kpis, "ltv")
    if ltv is not None:
        return ltv, "ltv", None
    mrr = decided(playbook.kpis, "mrr")
    if mrr is None:
        return None, None, None
    span = budget.horizon
    months = span.months if span.months is not None else span.days / DAYS_PER_MONTH
    return mrr * months, "mrr", months


def build_roi(playbook: Playbook, budget: Budget) -> Roi:
    """The return of every channel and phase of the plan as written."""
    value, basis, months = customer_value(playbook, budget)
    rows = []
    for line in budget.channels:
        cost = line.spend + line.one_off
        revenue = (line.customers * value
                   if line.customers is not None and value is not None else None)
        rows.append((line, cost, revenue, _roi(revenue, cost)))
    # Rounded, so that channels with the same CPL share one return and keep the playbook's
    # order instead of an order of rounding noise.
    ranked = sorted((r for r in rows if r[3] is not None), key=lambda r: -round(r[3] or 0.0, 9))
    order = {r[0].channel: n for n, r in enumerate(ranked, start=1)}
    channels = [ChannelReturn(line.channel, line.name, cost, line.customers, revenue, roi,
                              order.get(line.channel))
                for line, cost, revenue, roi in [*ranked, *(r for r in rows if r[3] is None)]]
    phases = []
    for phase in budget.phases:
        revenue = (phase.customers * value
                   if phase.customers is not None and value is not None else None)
        phases.append(PhaseReturn(phase.phase, phase.spend, phase.customers, revenue,
                                  _roi(revenue, phase.spend)))
    return Roi(value, basis, months, channels, phases)
