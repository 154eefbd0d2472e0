"""Checks of what the plan would be: first its size (before anything is laid out, so that a
small file cannot make a huge calendar), then the warnings only the plan can tell."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from gtmgen.model import Playbook
from gtmgen.plan.budget import build_budget
from gtmgen.plan.hiring import hiring_rows
from gtmgen.plan.phases import phase_spans
from gtmgen.types import Cadence

if TYPE_CHECKING:
    from gtmgen.check import _Report as Report

MAX_EVENTS = 30_000  # calendar entries: a year of daily posts on 80 channels
MAX_SEQUENCE_DAYS = 3660  # ten years of message phases
MAX_MATRIX_CELLS = 10_000  # personas × phases in the messaging matrix (100 × 100)

_PER_WEEK = {Cadence.TWICE_WEEKLY: 2, Cadence.WEEKLY: 1}


def _most_events(cadence: Any, days: int) -> int:
    """At most how many activities one channel has in a phase of `days` days."""
    if cadence == Cadence.DAILY:
        return days
    if cadence in _PER_WEEK:
        return _PER_WEEK[cadence] * math.ceil(days / 7)
    if cadence == Cadence.BIWEEKLY:
        return math.ceil(days / 14)
    if cadence == Cadence.MONTHLY:
        return math.ceil(days / 28) + 1
    return 1


def check_size(playbook: Playbook, report: Report) -> bool:
    """Errors when the sequence or the calendar would be larger than gtmgen lays out; True when
    there were any (then nothing else may expand the plan)."""
    spans = phase_spans(playbook)
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    days = (end - start).days + 1
    if days > MAX_SEQUENCE_DAYS:
        report.error(("messages", "phases", len(spans) - 1, "id"),
                     f"the message sequence runs {days:,} days ({start} to {end}); gtmgen lays "
                     f"out at most {MAX_SEQUENCE_DAYS:,} (ten years)")
        return True
    cells = len(playbook.personas) * len(spans)
    if cells > MAX_MATRIX_CELLS:
        report.error(("personas",), f"{len(playbook.personas)} personas across {len(spans)} "
                                    f"phases make a messaging matrix of {cells:,} cells; "
                                    f"gtmgen builds at most {MAX_MATRIX_CELLS:,}")
        return True
    cadence = {channel.id: channel.cadence for channel in playbook.channels}
    moments = sum(len(partner.moments) for partner in playbook.partners)
    events = moments + 2 * len(spans) + len(playbook.launch.reviews) + 2 * len(playbook.roles)
    ready = playbook.launch.readiness
    per_channel = (1 if ready.assets else 0) + (1 if ready.setup else 0)
    for span in spans:
        channels = set(span.phase.channels)
        events += sum(_most_events(cadence.get(cid), span.days) for cid in channels)
        events += (1 if ready.brief else 0) + per_channel * len(channels)  # the work-back
    if events > MAX_EVENTS:
        report.error(("messages", "phases"),
                     f"the launch calendar would hold up to {events:,} entries; gtmgen builds "
                     f"at most {MAX_EVENTS:,} (use fewer daily channels or shorter phases)")
        return True
    return False


def _money(value: float) -> str:
    return f"{value:,.2f}"


def check_plan(playbook: Playbook, report: Report) -> None:
    """Warnings only the plan can tell: a hire that starts late, a one-off cost outside the
    horizon, a plan above the approved budget, a fully loaded CAC above its target."""
    spans = phase_spans(playbook)
    hiring = hiring_rows(playbook, spans)
    index = {role.id: i for i, role in enumerate(playbook.roles)}
    delivered = playbook.client.date
    for row in hiring:
        if row.overdue:
            report.warning(("roles", index[row.role], "id"),
                           f"'{row.role}': the vacancy should open on {row.opens}, before the "
                           f"document date {delivered} (client.date); it is overdue")
        if row.late:
            report.warning(("roles", index[row.role], "id"),
                           f"'{row.role}' starts on {row.starts}, after it is needed on "
                           f"{row.needed_by}: with launch.hires_in_parallel "
                           f"{playbook.launch.hires_in_parallel} its vacancy cannot open before "
                           f"{row.opens} ({row.lead_days} days of hiring)")
    budget = build_budget(playbook, spans, hiring)
    span = budget.horizon
    for i, item in enumerate(budget.one_offs):
        if not item.counted:
            report.warning(("budget", "one_off", i, "date"),
                           f"one-off cost '{item.name}' on {item.date} is outside the budget's "
                           f"horizon ({span.start} to {span.end}) and is left out")
    if budget.approved is not None and budget.total > budget.approved + 0.005:
        report.warning(("budget", "total"),
                       f"the plan costs {_money(budget.total)} from {span.start} to {span.end}, "
                       f"above the approved budget.total of {_money(budget.approved)}")
    if (budget.loaded_cac is not None and budget.target_cac is not None
            and budget.loaded_cac > budget.target_cac):
        report.warning(("kpis", "cac"),
                       f"the plan's fully loaded CAC is {_money(budget.loaded_cac)} (every cost "
                       f"÷ {budget.customers:,.1f} expected customers), above the target cac "
                       f"{_money(budget.target_cac)}: the budget, CPL and conversion rate given "
                       "cannot reach it")


