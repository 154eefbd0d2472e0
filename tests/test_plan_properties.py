"""For any valid generated playbook: activities lie inside their phase and on a workday,
phases never overlap, the calendar is in order, and two builds give identical bytes."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gtmgen.plan import build_plan
from gtmgen.plan.calendar import CalendarEvent, EventKind
from gtmgen.render import RenderContext, build_stamp, render
from tests.builders import validated

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CADENCES = ["daily", "twice-weekly", "weekly", "biweekly", "monthly", "per-phase"]
EXAMPLES = int(os.environ.get("GTMGEN_PROPERTY_EXAMPLES", "60"))


@st.composite
def channels(draw: st.DrawFn, count: int) -> list[dict]:
    found = []
    for n in range(count):
        cadence = draw(st.sampled_from(CADENCES))
        channel = {"id": f"c{n}", "name": f"Channel {n}", "cadence": cadence, "owner": "lead",
                   "budget": draw(st.integers(0, 5000))}
        wanted = {"weekly": 1, "biweekly": 1, "twice-weekly": 2}.get(cadence)
        if wanted and draw(st.booleans()):
            channel["weekdays"] = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=wanted,
                                                max_size=wanted, unique=True))
        found.append(channel)
    return found


@st.composite
def playbooks(draw: st.DrawFn) -> dict:
    launch = draw(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)))
    workdays = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=7, unique=True))
    chans = draw(channels(draw(st.integers(1, 4))))
    ids = [c["id"] for c in chans]
    phases, start = [], launch
    for n in range(draw(st.integers(1, 5))):
        days = draw(st.integers(14, 21))
        phase = {"id": f"p{n}", "value_proposition": f"Promise number {n}.", "days": days,
                 "personas": ["buyer"],
                 "channels": draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))}
        if n and draw(st.booleans()):
            start += dt.timedelta(days=draw(st.integers(0, 6)))
            phase["start"] = start.isoformat()
        phases.append(phase)
        start += dt.timedelta(days=days)
    blackout = draw(st.lists(st.integers(0, 120), max_size=5, unique=True))
    return {
        "gtmgen": 1,
        "client": {"name": "Acme", "product": "Widgets",
                   "country": draw(st.sampled_from([None, "US", "NL", "DE", "JP", "GB"]))},
        "launch": {"date": launch.isoformat(), "workdays": workdays,
                   "blackout": [(launch + dt.timedelta(days=d)).isoformat() for d in blackout]},
        "segments": [{"id": "s", "name": "S"}],
        "icps": [{"id": "i", "name": "I", "segment": "s"}],
        "personas": [{"id": "buyer", "name": "Bea", "title": "Buyer", "icps": ["i"]}],
        "channels": [c for c in chans if any(c["id"] in p["channels"] for p in phases)],
        "messages": {"phases": phases},
        "roles": [{"id": "lead", "title": "Lead", "needed_by": phases[-1]["id"]}],
    }


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=playbooks())
def test_any_valid_playbook_gives_a_sound_and_reproducible_calendar(data: dict) -> None:
    result = validated(data)
    assume(result.ok)
    book = result.playbook
    plan = build_plan(book)
    spans = {span.phase.id: span for span in plan.spans}
    for before, after in zip(plan.spans, plan.spans[1:], strict=False):
        assert before.end < after.start
    for event in plan.calendar:
        if event.kind in (EventKind.ACTIVITY, EventKind.PHASE_START, EventKind.REVIEW,
                          EventKind.PARTNER):
            span = spans[event.phase]
            assert span.start <= event.date <= span.end
        assert plan.workdays.is_workday(event.date), event
    assert plan.calendar == sorted(plan.calendar, key=CalendarEvent.sort_key)
    formats = ["json", "csv", "ics"]
    first = render(RenderContext(book, plan, build_stamp(book, None)), formats)
    again = build_plan(validated(data).playbook)
    second = render(RenderContext(book, again, build_stamp(book, None)), formats)
    assert first == second
