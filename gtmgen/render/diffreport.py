"""The report of `gtmgen diff`: text for a terminal, Markdown for a pull-request comment (both
from templates/diff/, in the playbook's language), JSON for programs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtmgen.difference import Entry
    from gtmgen.plandiff import PlanDiff

TEMPLATES = {"text": "diff/plan-diff.txt.j2", "md": "diff/plan-diff.md.j2"}
LONG_TABLE = 10  # a Markdown table of more rows is folded into <details>
REPORT_FORMAT = 1  # raised when the JSON changes in a way a program reading it would notice


def headline(diff: PlanDiff | None) -> dict[str, int]:
    """How many things of each sort changed (events counted one by one)."""
    if diff is None:
        return {}
    return {"phases_added": len(diff.phases_added), "phases_removed": len(diff.phases_removed),
            "phases_moved": len(diff.phases_moved), "propositions": len(diff.propositions),
            "events_moved": diff.moved_count,
            "events_added": sum(g.count for g in diff.events_added),
            "events_dropped": sum(g.count for g in diff.events_dropped),
            "hires": len(diff.hires), "figures": len(diff.figures),
            "warnings_new": len(diff.warnings_new), "warnings_gone": len(diff.warnings_gone)}


def labels(entry: Entry) -> list[str]:
    """The sides' names for the report's heading: OLD and NEW, or the one side there is."""
    return [label for label in (entry.old_label, entry.new_label) if label is not None]


def _names(entry: Entry) -> dict[str, dict[str, Any]]:
    """Channels' names and roles' titles of both sides (the new one's where both have them),
    and the months the figures name."""
    sides = [side for side in (entry.old, entry.new) if side is not None]
    channels = {c.id: c.name for side in sides for c in side.playbook.channels}
    roles = {r.id: r.title for side in sides for r in side.playbook.roles}
    months = {}
    for figure in entry.diff.figures if entry.diff else ():
        if figure.section == "month":
            year, month = figure.item.split("-")
            months[figure.item] = dt.date(int(year), int(month), 1)
    return {"channels": channels, "roles": roles, "months": months}


def render_entry(entry: Entry, form: str) -> str:
    """One playbook's report in `form` (text or md), in its language (the new side's)."""
    from gtmgen.render.formats import Formats
    from gtmgen.render.templates import environment, render_template

    client = entry.side.playbook.client
    env = environment(None, Formats(client.locale, client.currency))
    return render_template(env, TEMPLATES[form], {
        "entry": entry, "labels": labels(entry), "counts": headline(entry.diff),
        "names": _names(entry), "long": LONG_TABLE})


def render_report(entries: list[Entry], form: str) -> str:
    """The whole report: each playbook's in turn, or the JSON of them all."""
    if form == "json":
        return json.dumps(report_data(entries), indent=2, sort_keys=True, ensure_ascii=False,
                          allow_nan=False) + "\n"
    return "\n".join(render_entry(entry, form) for entry in entries)


def _plain(value: Any) -> Any:
    """Dataclasses as mappings, dates as ISO text, numbers rounded to cents (as plan.json)."""
    from gtmgen.render.exports import plain

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return plain(value)


def entry_data(entry: Entry) -> dict[str, Any]:
    """One playbook's comparison as plain data."""
    data: dict[str, Any] = {"old": entry.old_label, "new": entry.new_label,
                            "status": entry.status, "summary": _plain(entry.summary)}
    diff = entry.diff
    if diff is None:
        return data
    data.update({
        "counts": headline(diff),
        "phases": {"added": _plain(diff.phases_added), "removed": _plain(diff.phases_removed),
                   "moved": [{**_plain(p), "start_shift": p.start_shift,
                              "end_shift": p.end_shift} for p in diff.phases_moved]},
        "value_propositions": _plain(diff.propositions),
        "events": {name: [{**_plain(g), "count": g.count} for g in groups]
                   for name, groups in (("moved", diff.events_moved),
                                        ("added", diff.events_added),
                                        ("dropped", diff.events_dropped))},
        "hiring": [{**_plain(h), "shift": h.shift} for h in diff.hires],
        "budget": {"horizon": _plain(diff.horizon),
                   "figures": [{**_plain(f), "change": _plain(f.change)}
                               for f in diff.figures]},
        "warnings": {"new": _plain(diff.warnings_new), "gone": _plain(diff.warnings_gone)},
    })
    return data


def report_data(entries: list[Entry]) -> dict[str, Any]:
    """Every playbook's comparison, with the report's format version."""
    return {"report_format": REPORT_FORMAT, "playbooks": [entry_data(e) for e in entries]}
