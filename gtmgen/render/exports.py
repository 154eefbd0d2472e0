"""Data exports of the plan: plan.json for programs, launch-calendar.csv for spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import asdict
from typing import Any

from gtmgen.model import FORMAT_VERSION
from gtmgen.plan.calendar import CalendarEvent
from gtmgen.planschema import PLAN_FORMAT
from gtmgen.render import RenderContext

# The first seven columns as before (ids, for programs); names for people after them.
CSV_HEADER = ["date", "kind", "phase", "channel", "personas", "owner", "title",
              "channel_name", "persona_names", "owner_name"]


def plain(value: Any) -> Any:
    """Dates as ISO text, whole numbers as integers, other floats rounded to 2 places."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 2)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def event_row(event: CalendarEvent, title: str, status: str | None = None) -> dict[str, Any]:
    """One calendar event as plain data: ids and codes for programs, its title in words, and
    (with results) done or missed."""
    row = {"date": event.date, "kind": str(event.kind), "phase": event.phase,
            "channel": event.channel, "personas": list(event.personas), "owner": event.owner,
            "title": title, "key": event.key, "planned": event.planned,
            "moved": event.moved, "step": event.step, "moment": event.moment,
            "offset": event.offset, "day_off": event.day_off, "holiday": event.holiday}
    if status is not None:
        row["status"] = status
    return row


def _summary(context: RenderContext) -> dict[str, Any]:
    book, plan = context.playbook, context.plan
    client = book.client
    return {
        "format": FORMAT_VERSION, "client": client.name, "product": client.product,
        "prepared_by": client.prepared_by, "version": client.version, "date": client.date,
        "locale": client.locale, "currency": client.currency, "country": client.country,
        "holiday_data": plan.workdays.holiday_data, "launch_date": book.launch.date,
        "pillar": book.messages.pillar,
        "sequence": {"start": plan.spans[0].start, "end": plan.spans[-1].end,
                     "days": (plan.spans[-1].end - plan.spans[0].start).days + 1},
        "counts": {"segments": len(book.segments), "icps": len(book.icps),
                   "personas": len(book.personas), "partners": len(book.partners),
                   "channels": len(book.channels), "phases": len(book.messages.phases),
                   "roles": len(book.roles)},
        "phases": [{"id": s.phase.id, "value_proposition": s.phase.value_proposition,
                    "facet": s.phase.facet, "start": s.start, "end": s.end, "days": s.days,
                    "personas": s.phase.personas, "channels": s.phase.channels,
                    "resonance": s.phase.resonance.model_dump(exclude={"notes"})
                    if s.phase.resonance else None}
                   for s in plan.spans],
    }


def plan_data(context: RenderContext) -> dict[str, Any]:
    """The whole plan as plain data: playbook summary, calendar, hiring, budget."""
    plan = context.plan
    status = context.actuals.status if context.actuals is not None else {}
    hiring = [{**asdict(row), "order": n, "late": row.late}
              for n, row in enumerate(plan.hiring, start=1)]
    budget = asdict(plan.budget)
    budget["horizon"]["days"] = plan.budget.horizon.days
    data = {"plan_format": PLAN_FORMAT, "playbook": _summary(context),
            "calendar": [event_row(e, w.title, status.get(e.key))
                         for e, w in zip(plan.calendar, context.words(), strict=True)],
            "hiring": hiring, "budget": budget}
    if plan.scenarios:  # only a playbook with `scenarios:` has this key
        data["scenarios"] = [asdict(s) for s in plan.scenarios]
    if context.actuals is not None:  # only a build with results has this key
        data["review"] = asdict(context.actuals.review)
    if plan.roi is not None:
        data["roi"] = {**asdict(plan.roi), "channels": [
            {**asdict(line), "below_cost": line.below_cost} for line in plan.roi.channels]}
    return plain(data)


def render_json(context: RenderContext) -> bytes:
    """plan.json: keys sorted, UTF-8, a final newline; two-space indents, except that each
    calendar event takes one line, so a moved date is a one-line diff."""
    data = plan_data(context)
    events = data.pop("calendar")
    placeholder = "\u0000calendar\u0000"
    data["calendar"] = placeholder
    # allow_nan=False: a number JSON cannot hold is a bug to see, never "Infinity" in a file.
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    rows = ",\n".join("    " + json.dumps(event, sort_keys=True, ensure_ascii=False,
                                          allow_nan=False)
                      for event in events)
    listing = f"[\n{rows}\n  ]" if events else "[]"
    return (text.replace(json.dumps(placeholder), listing, 1) + "\n").encode("utf-8")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal number, signed or not: a spreadsheet reads it as that number, never as a
# formula, so it is written as it is ("-20" stays the number -20).
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
CSV_DIALECTS = {"comma": ",", "semicolon": ";"}
BOM = "\ufeff"


def cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula (= + - @, a
    tab or a carriage return first) gets a leading apostrophe (OWASP's advice against CSV
    injection), except a plain number such as -20 or +1.5, which stays a number."""
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


def csv_dialect(context: RenderContext) -> str:
    """The CSV's delimiter: the one asked for, else the one a spreadsheet of the client's
    locale expects: ';' where the locale writes decimals with a comma (Excel's list separator
    there), ',' elsewhere. The locale with the client's country when Babel knows the pair
    (en_NL writes 1,5), else the language alone."""
    if context.csv_dialect is not None:
        return CSV_DIALECTS[context.csv_dialect]
    from babel import localedata
    from babel.numbers import get_decimal_symbol

    client = context.playbook.client
    name = f"{client.locale}_{client.country}" if client.country else client.locale
    if not localedata.exists(name):
        name = client.locale
    return ";" if get_decimal_symbol(name) == "," else ","


def render_csv(context: RenderContext) -> bytes:
    """launch-calendar.csv: RFC 4180 (CRLF line ends, quotes where needed), UTF-8 with a
    byte-order mark (how Excel knows it is UTF-8), delimited as `csv_dialect` says; text
    cells never start a formula."""
    buffer = io.StringIO(newline="")
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=csv_dialect(context), lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for event, words in zip(context.plan.calendar, context.words(), strict=True):
        writer.writerow([event.date.isoformat(), str(event.kind), event.phase or "",
                         event.channel or "", ";".join(event.personas), event.owner or "",
                         *(cell(text) for text in (words.title, words.channel, words.personas,
                                                   words.owner))])
    return buffer.getvalue().encode("utf-8")
