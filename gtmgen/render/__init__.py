"""Playbook + Plan → {file name: bytes}, one module per output format. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmgen.model import Playbook
from gtmgen.plan import Plan
from gtmgen.theme import Theme


@dataclass
class RenderContext:
    """What every renderer receives: the playbook, its plan, the build's fixed timestamp, and
    the document options."""

    playbook: Playbook
    plan: Plan
    stamp: dt.datetime  # from SOURCE_DATE_EPOCH, client.date or launch.date; never the clock
    templates: Path | None = None  # the user's template folder, searched first
    documents: tuple[str, ...] | None = None  # None: every document
    docx_template: Path | None = None
    charts: bool = True  # pictures in the Word and HTML documents
    theme: Theme | None = None  # None: gtmgen's own theme
    pptx_template: Path | None = None
    csv_dialect: str | None = None  # "comma" or "semicolon"; None: by the client's locale
    review: Any = None  # a plan.review.Review: the documents are then the review alone
    actuals: Any = None  # results read by `build`: Actuals(review, status), for plan.json
    calendar_key: str | None = None  # what sets the client's calendar UIDs apart: its name
    _markdown: dict[str, str] | None = field(default=None, repr=False)
    _html: dict[str, Any] = field(default_factory=dict, repr=False)
    _charts: dict[tuple[str, str, str], bytes | None] = field(default_factory=dict, repr=False)
    _words: list[Any] | None = field(default=None, repr=False)
    _figures: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _environment: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.theme is None:
            from gtmgen.theme import plain_theme

            client = self.playbook.client
            self.theme = plain_theme(client.country, client.locale)

    @property
    def look(self) -> Theme:
        """The theme, resolved (never None)."""
        assert self.theme is not None
        return self.theme

    def environment(self) -> Any:
        """The build's Jinja environment (templates, catalog, filters), made once."""
        if self._environment is None:
            from gtmgen.render.templates import Formats, environment

            client = self.playbook.client
            self._environment = environment(self.templates,
                                            Formats(client.locale, client.currency))
        return self._environment

    def words(self) -> list[Any]:
        """The words of every calendar entry (title, description, names), made once for the
        JSON, CSV and ICS outputs."""
        if self._words is None:
            from gtmgen.render.labels import entry_words

            self._words = entry_words(self)
        return self._words

    def markdown(self) -> dict[str, str]:
        """Each document's Markdown, rendered once for all the formats built from it."""
        if self._markdown is None:
            from gtmgen.render.markdown import render_documents

            self._markdown = render_documents(self)
        return self._markdown

    def html(self, name: str) -> Any:
        """A document's Markdown as HTML with its headings, converted once for DOCX and
        HTML alike."""
        if name not in self._html:
            from gtmgen.render.html import to_html
            from gtmgen.render.templates import TemplateProblem

            try:
                self._html[name] = to_html(self.markdown()[name])
            except RecursionError:
                raise TemplateProblem(f"the document '{name}' nests its lists or quotes too "
                                      "deeply to convert; check its template") from None
        return self._html[name]


    def chart(self, name: str, title: str, kind: str = "png") -> bytes | None:
        """A chart as PNG (300 dpi, for Word and slides) or SVG (for HTML and PDF): kept from
        an earlier build when what it shows is the same (picturecache.py), else drawn (the
        figure laid out once for both kinds) and kept; None when charts are off, the name or
        kind is unknown, or the chart has nothing to show."""
        from gtmgen.render.charts import CHARTS, KINDS, chart_input, figure, save

        if not self.charts or name not in CHARTS or kind not in KINDS:
            return None
        if (name, title, kind) not in self._charts:
            from gtmgen.render.html import chart_parts
            from gtmgen.render.picturecache import keep, kept

            shown, labels = chart_parts(title)
            data = chart_input(self, name, shown, labels)
            key = data.key(kind)
            found = kept(key, kind)
            if found is None:
                if (name, title) not in self._figures:
                    self._figures[(name, title)] = figure(data)
                drawn = self._figures[(name, title)]
                if drawn is not None:
                    found = save(drawn, kind, name, shown)
                    keep(key, kind, found)
            self._charts[(name, title, kind)] = found
        return self._charts[(name, title, kind)]


def _json(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.exports import render_json

    return {"plan.json": render_json(context)}


def _csv(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.exports import render_csv

    return {"launch-calendar.csv": render_csv(context)}


def _ics(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.ical import render_ics

    return {"launch-calendar.ics": render_ics(context)}


def _md(context: RenderContext) -> dict[str, bytes]:
    return {f"{name}.md": text.encode("utf-8") for name, text in context.markdown().items()}


def _docx(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.docx import render_docx

    return {f"{name}.docx": render_docx(context, name) for name in context.markdown()}


def _html(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.html import render_html

    return {f"{name}.html": render_html(context, name) for name in context.markdown()}


def _pdf(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.pdf import render_pdf

    return {f"{name}.pdf": render_pdf(context, name) for name in context.markdown()}


def _pptx(context: RenderContext) -> dict[str, bytes]:
    from gtmgen.render.slides import decks, render_pptx

    return {f"{name}.pptx": render_pptx(context, name) for name in decks(context.documents)}


RENDERERS: dict[str, Callable[[RenderContext], dict[str, bytes]]] = {
    "md": _md, "docx": _docx, "html": _html, "json": _json, "csv": _csv, "ics": _ics,
    "pdf": _pdf, "pptx": _pptx}
FORMATS = tuple(RENDERERS)
DEFAULT_FORMATS = ("md",)


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
