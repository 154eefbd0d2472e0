"""Scenarios: the playbook as written with some numbers changed (budgets, costs per lead, the
conversion rate, hires), each run through the same hiring and budget plan as the playbook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gtmgen.model import Channel, Playbook, Scenario, decided
from gtmgen.plan.budget import Budget, build_budget
from gtmgen.plan.hiring import HiringRow, hiring_rows
from gtmgen.plan.phases import PhaseSpan

BASE = "base"  # the id of the scenario that is the playbook as written


@dataclass(frozen=True)
class HireMove:
    """An open role whose hire starts on another day in a scenario, or is not made at all."""

    role: str
    title: str
    starts: dt.date  # in the playbook as written
    moved_to: dt.date | None  # in the scenario; None: not hired


@dataclass(frozen=True)
class ScenarioResult:
    """What one scenario's plan comes to: the funnel, the costs and the unit economics."""

    id: str
    name: str
    base: bool  # the playbook as written: listed as `base`, or added first (name "") when not
    channel_monthly: float
    channel_total: float
    team_total: float | None
    total: float
    conversion_rate: float | None
    leads: float | None
    customers: float | None
    media_cac: float | None
    loaded_cac: float | None
    plan_ltv_cac: float | None
    payback_months: float | None
    hires: list[HireMove]


def _times(value: float | None, factor: float | None) -> float | None:
    return value * factor if value is not None and factor is not None else None


def _channel(channel: Channel, scenario: Scenario) -> Channel:
    # A channel without a CPL of its own uses the playbook's, which the scenario changes once.
    change = scenario.channels.get(channel.id)
    budget = channel.budget if scenario.budget is None else channel.budget * scenario.budget
    kpis = dict(channel.kpis)
    if change is not None and change.budget is not None:
        budget = change.budget
    if change is not None and change.cpl is not None:
        kpis["cpl"] = change.cpl
    elif scenario.cpl is not None and "cpl" in kpis:
        own = _times(decided(kpis, "cpl"), scenario.cpl)
        if own is not None:  # a channel's own `tbd` stays to be decided
            kpis["cpl"] = own
    return channel.model_copy(update={"budget": budget, "kpis": kpis})


def scenario_playbook(playbook: Playbook, scenario: Scenario) -> Playbook:
    """The playbook as the scenario changes it: the same model, so that the same plan functions
    run on it and no formula is written twice."""
    kpis = dict(playbook.kpis)
    cpl = _times(decided(kpis, "cpl"), scenario.cpl)
    if cpl is not None:
        kpis["cpl"] = cpl
    rate = (scenario.conversion_rate if scenario.conversion_rate is not None
            else _times(decided(kpis, "conversion_rate"), scenario.conversion))
    if rate is not None:
        kpis["conversion_rate"] = rate
    roles = []
    for role in playbook.roles:
        hire = scenario.hires.get(role.id)
        if hire is not None and hire.drop:
            continue
        roles.append(role if hire is None
                     else role.model_copy(update={"needed_by": hire.needed_by}))
    channels = [_channel(c, scenario) for c in playbook.channels]
    return playbook.model_copy(update={"kpis": kpis, "roles": roles, "channels": channels})


def _moves(base: list[HiringRow], hiring: list[HiringRow]) -> list[HireMove]:
    starts = {row.role: row.starts for row in hiring}
    return [HireMove(row.role, row.title, row.starts, starts.get(row.role)) for row in base
            if starts.get(row.role) != row.starts]


def _result(scenario: Scenario, book: Playbook, budget: Budget, moves: list[HireMove],
            base: bool) -> ScenarioResult:
    return ScenarioResult(
        scenario.id, scenario.name, base, budget.channel_monthly, budget.channel_total,
        budget.team_total, budget.total, decided(book.kpis, "conversion_rate"), budget.leads,
        budget.customers, budget.media_cac, budget.loaded_cac, budget.plan_ltv_cac,
        budget.payback_months, moves)


def run_scenario(playbook: Playbook, scenario: Scenario, spans: list[PhaseSpan],
                 base_hiring: list[HiringRow]) -> tuple[ScenarioResult, Budget]:
    """One scenario through the playbook's hiring and budget plan, and the hires it moves."""
    book = scenario_playbook(playbook, scenario)
    hiring = hiring_rows(book, spans)
    budget = build_budget(book, spans, hiring)
    return _result(scenario, book, budget, _moves(base_hiring, hiring),
                   scenario.id == BASE), budget


def build_scenarios(playbook: Playbook, spans: list[PhaseSpan],
                    hiring: list[HiringRow]) -> list[ScenarioResult]:
    """Every listed scenario in order; the playbook as written first when no scenario is
    `base`. Empty when the playbook lists none."""
    listed = playbook.scenarios or []
    if not listed:
        return []
    found = [run_scenario(playbook, s, spans, hiring)[0] for s in listed]
    if any(s.id == BASE for s in listed):
        return found
    written = Scenario(id=BASE, name="")
    return [run_scenario(playbook, written, spans, hiring)[0], *found]
