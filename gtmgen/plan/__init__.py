"""What a valid playbook implies: phase dates, the dated calendar, hiring priorities, budget.

Pure functions of the model: no files, no clock, no templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtmgen.model import Playbook
from gtmgen.plan.agendas import ReviewAgenda, review_agendas
from gtmgen.plan.budget import Budget, build_budget
from gtmgen.plan.calendar import CalendarEvent, build_calendar
from gtmgen.plan.engagement import EngagementCost, engagement_cost
from gtmgen.plan.hiring import HiringRow, hiring_rows
from gtmgen.plan.owners import find_owners
from gtmgen.plan.phases import PhaseSpan, phase_spans
from gtmgen.plan.roi import Roi, build_roi
from gtmgen.plan.scenarios import ScenarioResult, build_scenarios
from gtmgen.plan.workdays import WorkCalendar, work_calendar
from gtmgen.types import review_date


@dataclass(frozen=True)
class Plan:
    """Everything the build computes from a playbook."""

    spans: list[PhaseSpan]
    workdays: WorkCalendar
    calendar: list[CalendarEvent]
    hiring: list[HiringRow]
    budget: Budget
    engagement: EngagementCost | None = None  # the consultant's cost against in-house
    agendas: tuple[ReviewAgenda, ...] = ()  # one per operating review
    scenarios: list[ScenarioResult] = field(default_factory=list)  # with `scenarios:` only
    roi: Roi | None = None  # the return per channel and phase of the plan as written


def plan_years(playbook: Playbook, spans: list[PhaseSpan], hiring: list[HiringRow]) -> range:
    """Calendar years any event can fall in, with one more on each side for moves past New
    Year and the readiness work-back before the first phase."""
    launch = playbook.launch.date
    days = [launch, *(s.start for s in spans), *(s.end for s in spans),
            *(review_date(launch, offset) for offset in playbook.launch.reviews),
            *(row.opens for row in hiring), *(row.starts for row in hiring),
            *(row.needed_by for row in hiring)]
    return range(min(days).year - 1, max(days).year + 2)


def build_plan(playbook: Playbook) -> Plan:
    """The Plan of a valid playbook."""
    spans = phase_spans(playbook)
    hiring = hiring_rows(playbook, spans)
    workdays = work_calendar(playbook, plan_years(playbook, spans, hiring))
    owners = find_owners(playbook)
    calendar = build_calendar(playbook, spans, workdays, hiring, owners)
    budget = build_budget(playbook, spans, hiring)
    scenarios = build_scenarios(playbook, spans, hiring) if playbook.scenarios is not None else []
    return Plan(spans, workdays, calendar, hiring, budget, engagement_cost(playbook),
                review_agendas(playbook, spans, calendar, owners), scenarios,
                build_roi(playbook, budget))


__all__ = ["Plan", "build_plan", "plan_years", "CalendarEvent", "HiringRow", "Budget"]
