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


LINE_OCTETS = 75  # RFC 5545, 3.1: longer lines are folded with CRLF and one space


def fold(line: bytes) -> bytes:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    parts, limit = [], LINE_OCTETS
    while len(line) > limit:
        cut = limit
        while line[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its start
            cut -= 1
        parts.append(line[:cut])
        line, limit = line[cut:], LINE_OCTETS - 1  # the leading space counts
    parts.append(line)
    return b"\r\n ".join(parts)


def render_ics(context: RenderContext) -> bytes:
    """The whole launch calendar as one VCALENDAR of all-day VEVENTs. Values are encoded by
    the icalendar package's types; lines are assembled here, which keeps a calendar of ten
    thousand events fast."""
    from icalendar import vCategory, vDate, vDatetime, vText

    from gtmgen.render.labels import calendar_name

    name = vText(calendar_name(context)).to_ical()
    stamp = vDatetime(context.stamp).to_ical()
    lines = [b"BEGIN:VCALENDAR", b"VERSION:2.0", b"PRODID:" + vText(PRODID).to_ical(),
             b"CALSCALE:GREGORIAN", b"METHOD:PUBLISH", b"NAME:" + name,
             b"X-WR-CALNAME:" + name]
    for event, words in zip(context.plan.calendar, context.words(), strict=True):
        lines += [
            b"BEGIN:VEVENT",
            b"UID:" + vText(uid(context, event)).to_ical(),
            b"DTSTAMP:" + stamp,
            b"DTSTART;VALUE=DATE:" + vDate(event.date).to_ical(),
            b"DTEND;VALUE=DATE:" + vDate(event.date + dt.timedelta(days=1)).to_ical(),
            b"SUMMARY:" + vText(words.title).to_ical(),
            b"DESCRIPTION:" + vText(words.description).to_ical(),
            b"CATEGORIES:" + vCategory([str(event.kind)]).to_ical(),
            b"TRANSP:TRANSPARENT",
            b"END:VEVENT",
        ]
    lines.append(b"END:VCALENDAR")
    return b"".join(fold(line) + b"\r\n" for line in lines)
