"""The documents as Markdown, rendered from the Jinja templates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gtmgen.render.templates import (
    check_documents,
    document_names,
    render_document,
    render_template,
)
from gtmgen.render.view import View

REVIEW = "review/review.md.j2"  # the review document's template (`gtmgen review`)

if TYPE_CHECKING:
    from jinja2 import Environment

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


def document_values(context: RenderContext) -> tuple[Environment, dict[str, Any]]:
    """The Jinja environment and the values every template of a build renders with."""
    book = context.playbook
    env = context.environment()
    view = View(book, context.plan, first_weekday(book.client.locale, book.client.country),
                context.actuals.status if context.actuals is not None else None)
    return env, {"book": book, "plan": context.plan, "view": view}


def render_documents(context: RenderContext) -> dict[str, str]:
    """{document name: Markdown} for the asked documents (all by default)."""
    env, values = document_values(context)
    if context.review is not None:
        name = f"review-{context.review.as_of.isoformat()}"
        return {name: render_template(env, REVIEW, {**values, "review": context.review})}
    wanted = check_documents(context.templates, context.documents, env)
    # A slide-only name (the board deck) has no document, unless the user's folder adds one.
    documents = set(document_names(env))
    return {name: render_document(env, name, values) for name in wanted if name in documents}
