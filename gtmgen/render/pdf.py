"""A PDF per document, laid out by WeasyPrint from the same page as the HTML output, in its
print form: the theme's paper, a cover page, a contents page with page numbers, a running
header and footer, and page numbers. WeasyPrint is the `pdf` extra; it needs Pango."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from gtmgen.errors import UsageError

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

EXTRA_MESSAGE = ("PDF output needs the pdf extra: pip install 'gtmgen[pdf]' (WeasyPrint), and "
                 "Pango on the system (Debian and Ubuntu: apt install libpango-1.0-0 "
                 "libpangoft2-1.0-0; macOS: brew install pango)")


class MissingExtra(UsageError):
    """An output was asked for whose optional libraries are not installed."""


def weasyprint() -> Any:
    """The weasyprint module, or MissingExtra saying how to install it."""
    try:
        import weasyprint as module
    except ImportError as problem:
        raise MissingExtra(f"{EXTRA_MESSAGE} ({str(problem)[:120]})") from None
    except OSError as problem:  # the library is there, Pango is not
        raise MissingExtra(f"{EXTRA_MESSAGE} ({str(problem)[:120]})") from None
    return module


def _inside_only(module: Any, allowed: frozenset[str] = frozenset()) -> Any:
    """A URL fetcher that reads data: addresses only, and the files in `allowed` (gtmgen's own
    CJK font): the page carries its pictures and fonts inside, so a page template's file: or
    web address is never read (nothing leaves the machine, and the same input gives the same
    bytes)."""
    def permitted(url: str) -> bool:
        return url.startswith("data:") or url in allowed

    if hasattr(module, "URLFetcher"):  # newer WeasyPrint; older ones take a function
        class InsideOnly(module.URLFetcher):  # type: ignore[misc,name-defined]
            def fetch(self, url: str, headers: Any = None) -> Any:
                if not permitted(url):
                    raise ValueError(f"the PDF reads only what the page holds, not "
                                     f"'{url[:60]}'")
                return super().fetch(url, headers)

        return InsideOnly()

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        if not permitted(url):
            raise ValueError(f"the PDF reads only what the page holds, not '{url[:60]}'")
        return module.default_url_fetcher(url, *args, **kwargs)

    return fetch


def render_pdf(context: RenderContext, name: str) -> bytes:
    """One document as PDF bytes; the same playbook gives the same bytes (no dates, a fixed
    identifier)."""
    from gtmgen.render.html import cjk_font, render_page

    module = weasyprint()
    page = render_page(context, name, pdf=True)
    font = cjk_font(context.playbook.client.locale)
    for logger in ("weasyprint", "fontTools"):
        logging.getLogger(logger).setLevel(logging.ERROR)  # unknown CSS for screens, font notes
    fetcher = _inside_only(module, frozenset({font} if font else set()))
    document = module.HTML(string=page, base_url=None, url_fetcher=fetcher)
    pdf = document.write_pdf(pdf_identifier=f"gtmgen-{name}".encode(), custom_metadata=False,
                             uncompressed_pdf=False)
    return bytes(pdf)
