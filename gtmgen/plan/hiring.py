"""Hiring priorities: when each open role is needed, when its vacancy opens and the hire
starts, how much of the launch depends on it, and in which order to hire."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gtmgen.model import Playbook, Role, RoleStatus, needed_by_target
from gtmgen.plan.engagement import handover_of
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
    needed_source: str  # "date", "phase", "handover", "channels" or "launch"
    needed_phase: str | None  # the phase behind a "phase" or "channels" date
    lead_days: int  # requisition to start: the role's own, else the launch's
    hire_by: dt.date  # needed_by − lead_days: the latest day the vacancy may open
    opens: dt.date  # the day the vacancy opens: hire_by unless hires_in_parallel delays it
    starts: dt.date  # opens + lead_days
    hiring_manager: str | None  # the role it reports to: the owner of its hiring events
    overdue: bool  # the vacancy should open before client.date, the document's date
    budget_share: float
    phases: int
    score: float
    channels: tuple[str, ...]

    @property
    def late(self) -> bool:
        """Whether the hire starts after the day it is needed."""
        return self.starts > self.needed_by


def owned_channels(playbook: Playbook, role_id: str) -> list[str]:
    """Ids of the channels a role owns, in playbook order."""
    return [channel.id for channel in playbook.channels if channel.owner == role_id]


def needed_by(role: Role, playbook: Playbook,
              spans: list[PhaseSpan]) -> tuple[dt.date, str, str | None]:
    """When the role must be working, and why: ("date", None) as set; ("phase", id) at that
    phase's start; ("handover", None) on the engagement's handover to it; ("channels", id)
    at the first phase using a channel it owns; else
    ("launch", None)."""
    by_id = {span.phase.id: span for span in spans}
    target = needed_by_target(role, by_id)
    if isinstance(target, dt.date):
        return target, "date", None
    if target is not None:
        return by_id[target].start, "phase", target
    handover = handover_of(playbook, role.id)
    if handover is not None:
        return handover, "handover", None
    owned = set(owned_channels(playbook, role.id))
    for span in spans:
        if owned & set(span.phase.channels):
            return span.start, "channels", span.phase.id
    return playbook.launch.date, "launch", None


def _tier(role: Role, needed: dt.date, launch: dt.date) -> str:
    if role.priority is not None:
        return f"P{role.priority}"
    if needed <= launch:
        return "P1"
    if needed <= launch + dt.timedelta(days=P2_WITHIN_DAYS):
        return "P2"
    return "P3"


def _open_at(spans: list[tuple[dt.date, dt.date]], day: dt.date) -> int:
    """How many requisitions are open on `day` (each open from its opening day up to, not
    including, its start day)."""
    return sum(1 for opens, starts in spans if opens <= day < starts)


def _fits(spans: list[tuple[dt.date, dt.date]], opens: dt.date, starts: dt.date,
          limit: int) -> bool:
    # The count only rises where a requisition opens, so checking the first day and every
    # opening inside the span finds its busiest moment.
    moments = [opens, *(o for o, _ in spans if opens < o < starts)]
    return opens == starts or all(_open_at(spans, day) < limit for day in moments)


def schedule(rows: list[tuple[dt.date, int]],
             limit: int | None) -> list[tuple[dt.date, dt.date]]:
    """(opens, starts) for requisitions given in hiring order as (hire_by, lead days): each
    opens on its hire_by, or, when that would put more than `limit` open at once, on the
    earliest later start day of one already scheduled where it fits."""
    placed: list[tuple[dt.date, dt.date]] = []
    for hire_by, lead in rows:
        lead_time = dt.timedelta(days=lead)
        candidates = [hire_by, *sorted({s for _, s in placed if s > hire_by})]
        opens = hire_by
        if limit is not None:
            opens = next(day for day in candidates
                         if _fits(placed, day, day + lead_time, limit))
        placed.append((opens, opens + lead_time))
    return placed


def hiring_rows(playbook: Playbook, spans: list[PhaseSpan]) -> list[HiringRow]:
    """The open roles, ranked (tier, then impact high first, then hire-by date, then id), with
    the day each vacancy opens and each hire starts."""
    total = sum(channel.budget for channel in playbook.channels)
    ranked = []
    for role in playbook.roles:
        if role.status == RoleStatus.FILLED:
            continue
        owned = owned_channels(playbook, role.id)
        budget = sum(c.budget for c in playbook.channels if c.id in owned)
        share = 100 * budget / total if total else 0.0
        phases = sum(1 for span in spans if set(owned) & set(span.phase.channels))
        needed, source, phase = needed_by(role, playbook, spans)
        lead = (role.hiring_lead_days if role.hiring_lead_days is not None
                else playbook.launch.hiring_lead_days)
        score = share + POINTS_PER_PHASE * phases
        hire_by = needed - dt.timedelta(days=lead)
        tier = _tier(role, needed, playbook.launch.date)
        ranked.append(((tier, -round(score, 6), hire_by, role.id),
                       (role, tier, needed, source, phase, lead, hire_by, share, phases, score,
                        tuple(owned))))
    ranked.sort(key=lambda item: item[0])
    dates = schedule([(item[1][6], item[1][5]) for item in ranked],
                     playbook.launch.hires_in_parallel)
    delivered = playbook.client.date
    return [HiringRow(role=role.id, title=role.title, tier=tier, needed_by=needed,
                      needed_source=source, needed_phase=phase, lead_days=lead, hire_by=hire_by,
                      opens=opens, starts=starts, hiring_manager=role.reports_to,
                      overdue=delivered is not None and opens < delivered,
                      budget_share=share, phases=phases, score=score, channels=owned)
            for (_, (role, tier, needed, source, phase, lead, hire_by, share, phases, score,
                     owned)), (opens, starts) in zip(ranked, dates, strict=True)]
