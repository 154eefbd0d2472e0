"""The words of each calendar entry for the data outputs (plan.json titles, CSV, ICS), from
the same template macros and catalogs as the documents: in the client's language, with
names, never ids."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtmgen.render import RenderContext
    from gtmgen.render.view import View

LABELS = "partials/labels.md.j2"


@dataclass(frozen=True)
class EntryWords:
    """One calendar event in words: its title, a description of several lines, and the names
    of its channel, owner and personas."""

    title: str
    description: str
    channel: str
    owner: str
    personas: str


def reading_view(context: RenderContext) -> View:
    """The View of the playbook and plan, with weeks starting where the client's do."""
    from gtmgen.render.markdown import first_weekday
    from gtmgen.render.view import View

    client = context.playbook.client
    return View(context.playbook, context.plan, first_weekday(client.locale, client.country))


def _labels(context: RenderContext) -> Any:
    return context.environment().get_template(LABELS).module


def calendar_name(context: RenderContext) -> str:
    """The calendar's name in the client's language ("Crumb & Co.: … launch")."""
    return str(_labels(context).calendar_name(context.playbook.client)).strip()  # type: ignore[attr-defined]


def confidential_line(context: RenderContext) -> str:
    """The footer's confidentiality line in the client's language."""
    return str(_labels(context).confidential(context.playbook.client)).strip()  # type: ignore[attr-defined]


def entry_words(context: RenderContext) -> list[EntryWords]:
    """Words for every event of the plan's calendar, in its order."""
    words = _labels(context)
    view = reading_view(context)
    found = []
    for event in context.plan.calendar:
        entry = view.entry(event)
        found.append(EntryWords(
            str(words.entry(entry)).strip(), str(words.description(entry)).strip(),  # type: ignore[attr-defined]
            entry.channel or "", entry.owner or "",
            "; ".join(view.persona_names(list(event.personas)))))
    return found


def running_words(context: RenderContext) -> list[str]:
    """The lines at the foot of every page: the theme's footer, then the confidentiality line
    in the client's language when the theme asks for it."""
    look = context.look
    lines = [look.footer] if look.footer else []
    if look.confidential:
        lines.append(confidential_line(context))
    return lines


def caption_words(context: RenderContext, captions: tuple[str, ...]) -> list[str]:
    """Each table's caption as readers see it, numbered, in the client's language ("Table 3:
    Budget by month")."""
    words = _labels(context)
    return [str(words.table_caption(number, text)).strip()  # type: ignore[attr-defined]
            for number, text in enumerate(captions, start=1)]


def figures_words(context: RenderContext, number: int) -> str:
    """The words of the link from a chart to the table of its figures ("Figures in table 3")."""
    return str(_labels(context).chart_figures(number)).strip()  # type: ignore[attr-defined]
