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
    """One document as tagged PDF (PDF/UA-1): its structure, language and title for a screen
    reader, bookmarks from its headings; the same playbook gives the same bytes (no dates, a
    fixed identifier, numbered table header ids)."""
    from gtmgen.render.html import cjk_font, render_page
    from gtmgen.render.wordlook import language_tag

    module = weasyprint()
    page = render_page(context, name, pdf=True)
    client = context.playbook.client
    font = cjk_font(client.locale)
    for logger in ("weasyprint", "fontTools"):
        logging.getLogger(logger).setLevel(logging.ERROR)  # unknown CSS for screens, font notes
    fetcher = _inside_only(module, frozenset({font} if font else set()))
    options = {"pdf_variant": PDF_VARIANT, "pdf_identifier": f"gtmgen-{name}".encode(),
               "custom_metadata": False, "uncompressed_pdf": False}
    document = module.HTML(string=page, base_url=None, url_fetcher=fetcher).render(**options)
    # The page says `lang="en"` (what the layout and its fonts go by); the catalog gets the
    # full tag the Word document has (en-US, zh-CN), as a screen reader picks its voice by it.
    document.metadata.lang = language_tag(client.locale, client.country)
    pdf = document.write_pdf(finisher=numbered_header_ids, **options)
    return bytes(pdf)


# Tagged, with the language, the title shown instead of the file name, and alternatives for
# pictures: WeasyPrint writes the structure from the page's elements (h1-h6, tables, img alt).
PDF_VARIANT = "pdf/ua-1"


def numbered_header_ids(document: Any, pdf: Any) -> None:
    """Give the table header cells of the structure tree the ids TH1, TH2 … in the order
    they are written, and point the data cells' /Headers at them. WeasyPrint names them
    by the memory address of the layout box, which differs from run to run (so the bytes
    would too)."""
    import pydyf

    numbers: dict[str, str] = {}
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("S") == "/TH" and "ID" in item:
            new = numbers.setdefault(item["ID"].string, f"TH{len(numbers) + 1}")
            item["ID"] = pydyf.String(new)
    for item in pdf.objects:
        attributes = item.get("A") if isinstance(item, dict) else None
        if isinstance(attributes, dict) and "Headers" in attributes:
            attributes["Headers"][:] = [pydyf.String(numbers.get(header.string, header.string))
                                        for header in attributes["Headers"]]
