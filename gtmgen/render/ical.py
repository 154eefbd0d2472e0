"""launch-calendar.ics: the calendar as all-day events any RFC 5545 client can import."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from gtmgen.plan.calendar import CalendarEvent
from gtmgen.render import RenderContext

PRODID = "-//gtmgen//Launch calendar//EN"


def _latin(word: str) -> str | None:
    """A word in ASCII with its accents dropped ("café" → "cafe"); None when it has a letter
    that is not a Latin letter with marks (Cyrillic, Chinese, "ß" is folded to "ss" before)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word)
                    if not unicodedata.combining(c))
    return plain if plain.isascii() else None


def client_domain(name: str) -> str:
    """The UID's domain part for a client: its name's words in lowercase ASCII joined by '-'
    when the name is written in Latin letters ("Crumb & Co." → "crumb-co", "Café Noir" →
    "cafe-noir"), else its words in their own script written as IDNA writes a domain label,
    "xn--" and Punycode, so that names without Latin letters stay apart ("Ромашка" →
    "xn--80aa3agjl3d")."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", name).casefold())
    if not words:
        return "playbook"
    latin = [_latin(word) for word in words]
    if all(latin):
        return "-".join(word for word in latin if word)
    return "xn--" + "-".join(words).encode("punycode").decode("ascii")


def uid(context: RenderContext, event: CalendarEvent) -> str:
    """The event's key at the client's domain: stable across builds, the same when the
    product is renamed or a date moves, and different for another client."""
    name = context.calendar_key or context.playbook.client.name
    return f"{event.key}@{client_domain(name)}.gtmgen"


SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def sequence(stamp: dt.datetime) -> int:
    """The events' SEQUENCE: whole minutes from 2000-01-01 to the build's stamp, so a build
    with a later stamp (a later client.date or SOURCE_DATE_EPOCH) has a higher SEQUENCE and a
    calendar that imports it takes its events as updates (RFC 5546, 2.1.4)."""
    return max(0, int((stamp - SEQUENCE_EPOCH).total_seconds()) // 60)


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
    revision = str(sequence(context.stamp)).encode("ascii")
    lines = [b"BEGIN:VCALENDAR", b"VERSION:2.0", b"PRODID:" + vText(PRODID).to_ical(),
             b"CALSCALE:GREGORIAN", b"METHOD:PUBLISH", b"NAME:" + name,
             b"X-WR-CALNAME:" + name]
    for event, words in zip(context.plan.calendar, context.words(), strict=True):
        lines += [
            b"BEGIN:VEVENT",
            b"UID:" + vText(uid(context, event)).to_ical(),
            b"DTSTAMP:" + stamp,
            b"SEQUENCE:" + revision,
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
