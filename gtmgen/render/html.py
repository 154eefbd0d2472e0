"""One self-contained, printable HTML page per document, from the same Markdown."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gtmgen.render.htmltree import Node, from_etree

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

CONTENTS = re.compile(r"<!-- contents: (.*?) -->")
CHART = re.compile(r"<!-- chart: ([\w-]+) \| (.*?) -->")


def chart_parts(text: str) -> tuple[str, tuple[str, ...]]:
    """A chart marker's text after its name: the title, then the labels the chart draws
    (legend entries), all separated by ' | ' so that templates give every word; after ' || ',
    the chart's text alternative (chart_alt), which the drawing does not use."""
    title, *labels = text.partition(" || ")[0].split(" | ")
    return title, tuple(labels)


def chart_alt(text: str) -> str:
    """What a chart shows, in words, for a reader who cannot see it: the text after ' || ' in
    its marker (the template writes it from the chart's data), else its title."""
    shown, _, described = text.partition(" || ")
    return described.strip() or shown.split(" | ")[0]
MERMAID = re.compile(r'<pre><code class="language-mermaid">.*?</code></pre>\n?', re.S)
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "toc", "fenced_code"]
# The Markdown the templates write: no images, reference links or inline HTML. Leaving their
# patterns out makes large calendars convert several times faster.
UNUSED_INLINE = ("reference", "image_link", "image_reference", "short_reference",
                 "short_image_ref", "autolink", "automail", "html")



@dataclass
class Converted:
    """A document converted by the `markdown` package: the HTML, its headings (with ids) and
    its tree (for the Word writer)."""

    html: str
    headings: list[dict[str, Any]]
    tree: Node


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_MARKER = re.compile(r"<!-- (?:contents|chart|table): [^<>]*? -->\s*")
TABLE_MARKER = re.compile(r"<!-- table: [^<>]*? -->\n?")


def safe_href(href: str) -> bool:
    """Whether a link may stay: web and mail addresses, anchors and relative paths; never
    `javascript:`, `data:` or any other scheme."""
    # As a browser reads it: character references decoded, control characters and spaces
    # (which browsers skip inside a scheme) removed.
    plain = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(html.unescape(href)))
    scheme, colon, _ = plain.partition(":")
    if not colon or "/" in scheme or "#" in scheme or "?" in scheme:
        return True  # no scheme: a relative path or an anchor
    return scheme.lower() in SAFE_SCHEMES


def _make_safe(root: Any, raw_blocks: list[Any], code_blocks: int) -> None:
    # Templates write Markdown, not HTML: a raw HTML block other than gtmgen's own markers is
    # shown as text, and a link with an unsafe scheme loses its address (its text stays). The
    # first `code_blocks` entries are fenced code, already escaped.
    for index, block in enumerate(raw_blocks[code_blocks:], start=code_blocks):
        if not _MARKER.fullmatch(str(block)):
            raw_blocks[index] = f"<p>{html.escape(str(block))}</p>"
    for link in root.iter("a"):
        if not safe_href(link.get("href", "")):
            del link.attrib["href"]


def to_html(text: str) -> Converted:
    """Markdown → HTML, headings and tree, by the `markdown` package."""
    import markdown
    from markdown.extensions.toc import slugify_unicode
    from markdown.preprocessors import Preprocessor
    from markdown.treeprocessors import Treeprocessor

    converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS,
                                 extension_configs={"toc": {"slugify": slugify_unicode}},
                                 output_format="html")
    for name in UNUSED_INLINE:
        if name in converter.inlinePatterns:
            converter.inlinePatterns.deregister(name)
    captured: list[Any] = []
    trusted = [0]

    class CountCodeBlocks(Preprocessor):
        # Runs after fenced code blocks are stashed (escaped, safe) and before raw HTML is.
        def run(self, lines: list[str]) -> list[str]:
            trusted[0] = len(converter.htmlStash.rawHtmlBlocks)
            return lines

    class Capture(Treeprocessor):
        def run(self, root: Any) -> None:
            _make_safe(root, converter.htmlStash.rawHtmlBlocks, trusted[0])
            captured.append(root)

    converter.preprocessors.register(CountCodeBlocks(converter), "gtmgen-count-code", 22)

    converter.treeprocessors.register(Capture(converter), "gtmgen-capture", -100)
    body = converter.convert(text)
    tree = from_etree(captured[0], converter.htmlStash.rawHtmlBlocks)
    return Converted(body, list(getattr(converter, "toc_tokens", [])), tree)


def _sections(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The document's title is the one h1; the contents list what comes under it.
    return [child for token in tokens for child in token["children"]] \
        if len(tokens) == 1 else tokens


def _nav(tokens: list[dict[str, Any]], label: str, depth: int = 2) -> str:
    """The contents as a linked list: the sections and, at depth 2, their subsections."""
    def items(level: list[dict[str, Any]], remaining: int) -> str:
        if not level or remaining == 0:
            return ""
        rows = "".join(f'<li><a href="#{t["id"]}">{t["name"]}</a>'
                       f'{items(t["children"], remaining - 1)}</li>' for t in level)
        return f"<ul>{rows}</ul>"

    return (f'<nav class="contents"><p>{html.escape(label)}</p>'
            f"{items(_sections(tokens), depth)}</nav>")


def _figure(context: RenderContext, name: str, title: str, table: int | None) -> str:
    """A chart as an SVG picture (sharp at any zoom and in print, a fraction of a 300-dpi
    PNG's size), captioned by its title and a link to `table`, the table of its figures."""
    from gtmgen.render.labels import figures_words

    svg = context.chart(name, title, "svg")
    if svg is None:
        return ""
    caption = html.escape(chart_parts(title)[0])
    if table is not None:
        caption += (f' <a href="#Table-{table}">'
                    f"{html.escape(figures_words(context, table))}</a>")
    return (f'<figure><img alt="{html.escape(chart_alt(title))}" '
            f'src="{data_uri(svg, "image/svg+xml")}"><figcaption>{caption}</figcaption>'
            "</figure>")


def _captioned(body: str, labels: list[str], pdf: bool) -> str:
    """The page's tables numbered (`id="Table-3"`, capitalised so that no heading's id can be
    the same) and captioned, in the order of `labels`; the Markdown's caption markers removed.
    In the PDF the caption is a paragraph just above its table: WeasyPrint's tagging fails on a
    table whose <caption> ends a page without the table."""
    number = 0

    def caption(found: re.Match[str]) -> str:
        nonlocal number
        number += 1
        if number > len(labels):
            return found.group()
        words = html.escape(labels[number - 1], quote=False)
        if pdf:
            return f'<p class="table-caption">{words}</p>\n<table id="Table-{number}">'
        return f'<table id="Table-{number}">\n<caption>{words}</caption>'

    return re.sub(r"<table>", caption, TABLE_MARKER.sub("", body))


# In print, the contents list the sections (one level, so that they fit one page); a document
# of fewer sections than this gets no cover page and no contents page.
SHORT_CONTENTS = 5
# "gtmgen CJK" is declared in the PDF's CSS for Chinese: the Noto Sans CJK of the dependencies.
FALLBACK_FONTS = ("Carlito", "Noto Sans", "DejaVu Sans", "Helvetica Neue", "Arial",
                  "gtmgen CJK", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif")


def font_stack(first: str) -> str:
    """A CSS font-family list: the theme's font, then faces most systems have."""
    names = [first, *(name for name in FALLBACK_FONTS if name != first)]
    return ", ".join(name if name == "sans-serif" else f'"{name}"' for name in names)


def contents_entries(tokens: list[dict[str, Any]]) -> int:
    """How many sections the document has (its level-2 headings, under the title)."""
    return len(_sections(tokens))


def data_uri(data: bytes, kind: str) -> str:
    """Bytes as a data: address, for a page that carries its own pictures."""
    import base64

    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def page_values(context: RenderContext, name: str, pdf: bool) -> dict[str, Any]:
    """What templates/html/page.html.j2 is given for one document."""
    from markupsafe import Markup

    from gtmgen.render.captions import read_captions
    from gtmgen.render.labels import caption_words, running_words

    converted = context.html(name)
    body, tokens = converted.html, converted.headings
    body = MERMAID.sub("", body)  # the Markdown's Mermaid source; the picture replaces it
    captions = read_captions(converted.tree)
    body = _captioned(body, caption_words(context, captions.tables), pdf)
    tables = iter(captions.charts)
    body = CHART.sub(lambda found: _figure(context, found.group(1),
                                           html.unescape(found.group(2)),
                                           next(tables, None)), body)
    cover, contents = "", ""
    found = CONTENTS.search(body)
    pages = contents_entries(tokens) >= SHORT_CONTENTS
    if found:
        cover = body[:found.start()]
        if not pdf or pages:
            contents = _nav(tokens, html.unescape(found.group(1)), 1 if pdf else 2)
        body = body[found.end():]
    title = html.unescape(re.sub(r"<[^>]+>", "", tokens[0]["name"])) if tokens else ""
    look, client = context.look, context.playbook.client
    width, height = look.page_mm
    logo = look.logo
    words = running_words(context)
    return {
        "lang": client.locale, "title": title, "author": client.prepared_by or "",
        "client": client.name, "document": name, "pdf": pdf, "pages": pdf and pages,
        "cover": Markup(cover), "contents": Markup(contents), "body": Markup(body),
        "theme": look, "fonts": font_stack, "page_css": f"{width:g}mm {height:g}mm",
        "logo": data_uri(logo.data, f"image/{logo.kind}") if logo else "",
        "header": look.header or "", "footer_lines": words,
        "cjk_font": cjk_font(client.locale) if pdf else "",
    }


def cjk_font(locale: str) -> str:
    """The address of the font that carries Chinese in the PDF (from the dependencies), or
    "" for other locales."""
    if locale != "zh":
        return ""
    from gtmgen.render.charts import font_file

    return font_file(locale).as_uri()


def render_page(context: RenderContext, name: str, pdf: bool = False) -> str:
    """A document's whole page, from templates/html/page.html.j2."""
    from gtmgen.render.templates import render_template

    return render_template(context.environment(), PAGE_TEMPLATE,
                           page_values(context, name, pdf), tidy=False)


PAGE_TEMPLATE = "html/page.html.j2"


def render_html(context: RenderContext, name: str) -> bytes:
    """A complete HTML page with its CSS and pictures inside; the contents marker becomes a
    linked list."""
    return render_page(context, name).encode("utf-8")
