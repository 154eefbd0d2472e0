"""Checks of `scenarios:`: what each scenario names must exist, the plan it makes must be
valid, and the warnings of its plan and of the return per channel."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gtmgen.model import Playbook, RoleStatus, Scenario, decided, needed_by_target
from gtmgen.plan.budget import build_budget
from gtmgen.plan.hiring import hiring_rows
from gtmgen.plan.phases import phase_spans
from gtmgen.plan.roi import build_roi
from gtmgen.plan.scenarios import BASE
from gtmgen.types import DATE_PATTERN, FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from gtmgen.check import _Report as Report
    from gtmgen.load import Path_


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _check_ids(scenarios: list[Scenario], report: Report) -> None:
    first: dict[str, int] = {}
    for i, scenario in enumerate(scenarios):
        path: Path_ = ("scenarios", i, "id")
        if scenario.id in first:
            where = report.first_at(("scenarios", first[scenario.id], "id"), path)
            report.error(path, f"duplicate scenario id '{scenario.id}' (first at {where}); ids "
                               "must be unique")
        else:
            first[scenario.id] = i
        if scenario.id == BASE and scenario.changes:
            report.error(path, "the scenario 'base' is the playbook as written and may not "
                               "change anything; give a scenario that changes numbers "
                               "another id")


def _check_references(playbook: Playbook, i: int, scenario: Scenario, report: Report) -> None:
    from gtmgen.check import _unknown_ref

    channels = [c.id for c in playbook.channels]
    for channel in scenario.channels:
        if channel not in channels:
            report.error(("scenarios", i, "channels", channel),
                         _unknown_ref("channel", channel, channels), at_key=True)
    roles = {r.id: r for r in playbook.roles}
    phases = [p.id for p in playbook.messages.phases]
    for role_id, hire in scenario.hires.items():
        path: Path_ = ("scenarios", i, "hires", role_id)
        role = roles.get(role_id)
        if role is None:
            report.error(path, _unknown_ref("role", role_id, list(roles)), at_key=True)
        elif role.status == RoleStatus.FILLED:
            report.error(path, f"role '{role_id}' is filled: only open roles are hires that a "
                               "scenario can drop or move", at_key=True)
        elif hire.needed_by is not None and needed_by_target(
                role.model_copy(update={"needed_by": hire.needed_by}), phases) is None:
            report.error((*path, "needed_by"),
                         f"'{hire.needed_by}' is not a real date from {FIRST_YEAR} to "
                         f"{LAST_YEAR}, and no phase has this id"
                         if re.match(DATE_PATTERN, hire.needed_by)
                         else _unknown_ref("phase", hire.needed_by, phases))


def _check_rate(playbook: Playbook, i: int, scenario: Scenario, report: Report) -> None:
    rate = decided(playbook.kpis, "conversion_rate")
    if scenario.conversion is not None and rate is not None and rate * scenario.conversion > 1:
        report.error(("scenarios", i, "conversion"),
                     f"conversion {scenario.conversion:g} × kpis.conversion_rate {rate:g} is "
                     f"{rate * scenario.conversion:g}: a conversion rate is a share, at most 1")


def check_scenarios(playbook: Playbook, report: Report) -> None:
    """Errors in what the scenarios name: ids, channels, roles, days, the rate they make."""
    scenarios = playbook.scenarios or []
    _check_ids(scenarios, report)
    for i, scenario in enumerate(scenarios):
        _check_references(playbook, i, scenario, report)
        _check_rate(playbook, i, scenario, report)


def check_scenario_plans(playbook: Playbook, report: Report) -> None:
    """A warning for each channel expected to return less than it costs (the plan as
    written). Runs only on a playbook whose references all resolve. A scenario's own plan
    gives no warnings: a lean or an aggressive variant is explored on purpose, and the
    documents mark where it misses the target CAC or the approved budget."""
    spans = phase_spans(playbook)
    budget = build_budget(playbook, spans, hiring_rows(playbook, spans))
    index = {c.id: i for i, c in enumerate(playbook.channels)}
    for line in build_roi(playbook, budget).channels:
        if line.below_cost:
            assert line.revenue is not None and line.customers is not None
            report.warning(("channels", index[line.channel], "id"),
                           f"channel '{line.channel}' is expected to bring "
                           f"{_money(line.revenue)} ({line.customers:,.1f} customers) for a "
                           f"cost of {_money(line.cost)}: its return is below its cost")
