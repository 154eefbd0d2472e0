"""launch-calendar.ics: the calendar as all-day events any RFC 5545 client can import."""

from __future__ import annotations

import datetime as dt
import re

from gtmgen.plan.calendar import CalendarEvent
from gtmgen.render import RenderContext

PRODID = "-//gtmgen//Launch calendar//EN"


def slug(text: str) -> str:
    """Lowercase letters and digits joined by '-': "Crumb & Co." → "crumb-co"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "playbook"


def uid(context: RenderContext, event: CalendarEvent) -> str:
    """Stable across builds, and unique per client and product, so a re-import updates."""
    client = context.playbook.client
    return f"{event.key}/{slug(client.product)}@{slug(client.name)}.gtmgen"


def _description(context: RenderContext, event: CalendarEvent) -> str:
    lines = [f"Kind: {event.kind}"]
    for label, value in (("Phase", event.phase), ("Channel", event.channel),
                         ("Owner", event.owner)):
        if value:
            lines.append(f"{label}: {value}")
    if event.personas:
        lines.append(f"Personas: {', '.join(event.personas)}")
    if event.moved:
        reason = context.plan.workdays.day_off_reason(event.planned) or "not a workday"
        lines.append(f"Moved from {event.planned.isoformat()} ({reason})")
    return "\n".join(lines)


def render_ics(context: RenderContext) -> bytes:
    """The whole launch calendar as one VCALENDAR of all-day VEVENTs."""
    from icalendar import Calendar, Event

    client = context.playbook.client
    name = f"{client.name}: {client.product} launch"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    for event in context.plan.calendar:
        entry = Event()
        entry.add("uid", uid(context, event))
        entry.add("dtstamp", context.stamp)
        entry.add("dtstart", event.date)
        entry.add("dtend", event.date + dt.timedelta(days=1))
        entry.add("summary", event.title)
        entry.add("description", _description(context, event))
        entry.add("categories", [str(event.kind)])
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return bytes(calendar.to_ical())
