"""The agenda of each operating review: the KPIs with their owners, the phases that ended
since the review before, and the stakeholders responsible and accountable for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gtmgen.model import Playbook
from gtmgen.plan.calendar import CalendarEvent, EventKind
from gtmgen.plan.owners import Owners
from gtmgen.plan.phases import PhaseSpan
from gtmgen.types import RaciLetter

REVIEW_REF = "review-"  # the calendar's milestone of review 3m is review-3m


@dataclass(frozen=True)
class AgendaItem:
    """One KPI to review: its target and the role that answers for it."""

    metric: str
    target: float | str  # a number, or "tbd"
    owner: str | None  # a role id
    channel: str | None  # the channel whose KPI it is; None: the playbook's own


@dataclass(frozen=True)
class ReviewAgenda:
    """One operating review and what it goes through."""

    offset: str  # as launch.reviews writes it: 90, 3m
    date: dt.date
    items: tuple[AgendaItem, ...]
    phases: tuple[str, ...]  # ids of the phases that ended since the review before
    responsible: tuple[str, ...]  # stakeholder ids with R for this review
    accountable: tuple[str, ...]  # stakeholder ids with A for this review


def agenda_items(playbook: Playbook, owners: Owners) -> tuple[AgendaItem, ...]:
    """The playbook's KPIs, owned by whoever runs the reviews, then each channel's KPIs, owned
    by the channel's owner (else whoever runs the reviews)."""
    items = [AgendaItem(metric, target, owners.reviews, None)
             for metric, target in playbook.kpis.items()]
    items += [AgendaItem(metric, target, channel.owner or owners.reviews, channel.id)
              for channel in playbook.channels for metric, target in channel.kpis.items()]
    return tuple(items)


def review_agendas(playbook: Playbook, spans: list[PhaseSpan], calendar: list[CalendarEvent],
                   owners: Owners) -> tuple[ReviewAgenda, ...]:
    """An agenda for each operating review, on the calendar's day for it (moved off a
    non-working day), in date order."""
    items = agenda_items(playbook, owners)
    reviews = sorted((event.date, event.ref.removeprefix(REVIEW_REF))
                     for event in calendar
                     if event.kind == EventKind.MILESTONE and event.ref.startswith(REVIEW_REF))
    agendas, before = [], dt.date.min
    for day, offset in reviews:
        def holding(letter: RaciLetter, review: str = offset) -> tuple[str, ...]:
            return tuple(person.id for person in playbook.stakeholders
                         if person.raci.reviews.get(review) == letter)

        ended = tuple(span.phase.id for span in spans if before < span.end <= day)
        agendas.append(ReviewAgenda(offset, day, items, ended,
                                    holding(RaciLetter.RESPONSIBLE),
                                    holding(RaciLetter.ACCOUNTABLE)))
        before = day
    return tuple(agendas)
