"""Hiring priorities: when each open role is needed, when to open the requisition, how much of
the launch depends on it, and in which order to hire."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gtmgen.model import Playbook, Role, RoleStatus, needed_by_target
from gtmgen.plan.phases import PhaseSpan

P2_WITHIN_DAYS = 90
POINTS_PER_PHASE = 5


@dataclass(frozen=True)
class HiringRow:
    """One open role in the hiring plan."""

    role: str
    title: str
    tier: str
    needed_by: dt.date
    needed_for: str  # why that date, in words
    needed_source: str  # "date", "phase", "channels" or "launch"
    needed_phase: str | None  # the phase behind a "phase" or "channels" date
    hire_by: dt.date
    budget_share: float
    phases: int
    score: float
    channels: tuple[str, ...]
    rationale: str


def owned_channels(playbook: Playbook, role_id: str) -> list[str]:
    """Ids of the channels a role owns, in playbook order."""
    return [channel.id for channel in playbook.channels if channel.owner == role_id]


def needed_by(role: Role, playbook: Playbook,
              spans: list[PhaseSpan]) -> tuple[dt.date, str, str | None]:
    """When the role must be working, and why: ("date", None) as set; ("phase", id) at that
    phase's start; ("channels", id) at the first phase using a channel it owns; else
    ("launch", None)."""
    by_id = {span.phase.id: span for span in spans}
    target = needed_by_target(role, by_id)
    if isinstance(target, dt.date):
        return target, "date", None
    if target is not None:
        return by_id[target].start, "phase", target
    owned = set(owned_channels(playbook, role.id))
    for span in spans:
        if owned & set(span.phase.channels):
            return span.start, "channels", span.phase.id
    return playbook.launch.date, "launch", None


_WHY = {"date": "as set in the playbook", "phase": "start of phase '{}'",
        "channels": "first phase using its channels, '{}'", "launch": "launch day"}


def _tier(role: Role, needed: dt.date, launch: dt.date) -> str:
    if role.priority is not None:
        return f"P{role.priority}"
    if needed <= launch:
        return "P1"
    if needed <= launch + dt.timedelta(days=P2_WITHIN_DAYS):
        return "P2"
    return "P3"


def _rationale(names: list[str], share: float, phases: int, needed: dt.date, why: str,
               role: Role) -> str:
    parts = []
    if names:
        parts.append(f"owns {', '.join(names)}, {share:.0f}% of the channel budget, used in "
                     f"{phases} phase{'' if phases == 1 else 's'}")
    else:
        parts.append("owns no channel")
    parts.append(f"needed by {needed.isoformat()} ({why})")
    if role.priority is not None:
        parts.append(f"priority set to {role.priority} in the playbook")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def hiring_rows(playbook: Playbook, spans: list[PhaseSpan]) -> list[HiringRow]:
    """The open roles, ranked: tier, then impact (high first), then hire-by date, then id."""
    total = sum(channel.budget for channel in playbook.channels)
    names = {channel.id: channel.name for channel in playbook.channels}
    lead = dt.timedelta(days=playbook.launch.hiring_lead_days)
    rows = []
    for role in playbook.roles:
        if role.status == RoleStatus.FILLED:
            continue
        owned = owned_channels(playbook, role.id)
        budget = sum(c.budget for c in playbook.channels if c.id in owned)
        share = 100 * budget / total if total else 0.0
        phases = sum(1 for span in spans if set(owned) & set(span.phase.channels))
        needed, source, phase = needed_by(role, playbook, spans)
        why = _WHY[source].format(phase)
        rows.append(HiringRow(
            role=role.id, title=role.title, tier=_tier(role, needed, playbook.launch.date),
            needed_by=needed, needed_for=why, needed_source=source, needed_phase=phase,
            hire_by=needed - lead, budget_share=share,
            phases=phases, score=share + POINTS_PER_PHASE * phases, channels=tuple(owned),
            rationale=_rationale([names[c] for c in owned], share, phases, needed, why, role)))
    return sorted(rows, key=lambda r: (r.tier, -round(r.score, 6), r.hire_by, r.role))
