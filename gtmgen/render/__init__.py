"""Playbook + Plan → {file name: bytes}, one module per output format. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from gtmgen.model import Playbook
from gtmgen.plan import Plan


@dataclass(frozen=True)
class RenderContext:
    """What every renderer receives: the playbook, its plan, and the build's fixed timestamp."""

    playbook: Playbook
    plan: Plan
    stamp: dt.datetime  # from SOURCE_DATE_EPOCH, client.date or launch.date; never the clock


def _json(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.exports import render_json

    return {"plan.json": render_json(context)}


def _csv(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.exports import render_csv

    return {"launch-calendar.csv": render_csv(context)}


def _ics(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.ical import render_ics

    return {"launch-calendar.ics": render_ics(context)}


RENDERERS: dict[str, Callable[[RenderContext], dict[str, bytes]]] = {
    "json": _json, "csv": _csv, "ics": _ics}
FORMATS = tuple(RENDERERS)


def build_stamp(playbook: Playbook, source_date_epoch: int | None) -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH when set, else the cover date, else launch."""
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, dt.UTC)
    day = playbook.client.date or playbook.launch.date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def render(context: RenderContext, formats: list[str]) -> dict[str, bytes]:
    """Every output of the asked formats, in memory, in a stable order."""
    files: dict[str, bytes] = {}
    for name in formats:
        files.update(RENDERERS[name](context))
    return dict(sorted(files.items()))
