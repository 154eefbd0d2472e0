"""The documents as Markdown, rendered from the Jinja templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gtmgen.render.templates import (
    Formats,
    check_documents,
    environment,
    render_document,
)
from gtmgen.render.view import View

if TYPE_CHECKING:
    from gtmgen.render import RenderContext


def first_weekday(locale: str, country: str | None) -> int:
    """The day weeks start on (0 = Monday) where the client is: the locale with the client's
    country if CLDR knows that pair, else the locale alone."""
    from babel import Locale, UnknownLocaleError

    for name in ([f"{locale}_{country}"] if country else []) + [locale]:
        try:
            return int(Locale.parse(name).first_week_day)
        except (UnknownLocaleError, ValueError):
            continue
    return 0


def render_documents(context: RenderContext) -> dict[str, str]:
    """{document name: Markdown} for the asked documents (all by default)."""
    book = context.playbook
    formats = Formats(book.client.locale, book.client.currency)
    env = environment(context.templates, formats)
    wanted = check_documents(context.templates, context.documents, env)
    view = View(book, context.plan, first_weekday(book.client.locale, book.client.country))
    values = {"book": book, "plan": context.plan, "view": view}
    return {name: render_document(env, name, values) for name in wanted}
