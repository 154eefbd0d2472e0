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
    (legend entries), all separated by ' | ' so that templates give every word."""
    title, *labels = text.split(" | ")
    return title, tuple(labels)
MERMAID = re.compile(r'<pre><code class="language-mermaid">.*?</code></pre>\n?', re.S)
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "toc", "fenced_code"]
# The Markdown the templates write: no images, reference links or inline HTML. Leaving their
# patterns out makes large calendars convert several times faster.
UNUSED_INLINE = ("reference", "image_link", "image_reference", "short_reference",
                 "short_image_ref", "autolink", "automail", "html")

STYLE = """
:root { --ink: #1f2933; --muted: #52606d; --line: #cbd2d9; --head: #e4e7eb; --accent: #1f4e79; }
html { font-family: "Segoe UI", "Noto Sans", "Helvetica Neue", Arial, "Microsoft YaHei",
       "Noto Sans CJK SC", sans-serif; color: var(--ink); line-height: 1.5; }
body { margin: 0 auto; max-width: 60rem; padding: 2rem 1.5rem 4rem; }
h1 { color: var(--accent); font-size: 2rem; margin: 0 0 1rem; }
h2 { color: var(--accent); border-bottom: 2px solid var(--line); padding-bottom: .2rem;
     margin-top: 2.5rem; }
h3 { margin-top: 1.8rem; }
h4 { margin-top: 1.4rem; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .8rem 0 1.2rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top;
         text-align: left; }
th { background: var(--head); }
nav.contents { border: 1px solid var(--line); padding: .8rem 1.2rem; margin: 1.5rem 0; }
nav.contents ul { margin: .2rem 0; padding-left: 1.2rem; }
nav.contents > p { font-weight: 600; margin: 0 0 .4rem; }
figure { margin: 1rem 0 1.5rem; } figure img { max-width: 100%; height: auto; }
a { color: var(--accent); }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; } h3, h4 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 18mm 16mm; }
"""


@dataclass
class Converted:
    """A document converted by the `markdown` package: the HTML, its headings (with ids) and
    its tree (for the Word writer)."""

    html: str
    headings: list[dict[str, Any]]
    tree: Node


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_MARKER = re.compile(r"<!-- (?:contents|chart): [^<>]*? -->\s*")


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


def _nav(tokens: list[dict[str, Any]], label: str) -> str:
    def items(level: list[dict[str, Any]]) -> str:
        if not level:
            return ""
        rows = "".join(f'<li><a href="#{t["id"]}">{t["name"]}</a>{items(t["children"])}</li>'
                       for t in level)
        return f"<ul>{rows}</ul>"

    # The document's title is the one h1; the contents list what comes under it.
    sections = [child for token in tokens for child in token["children"]] \
        if len(tokens) == 1 else tokens
    for section in sections:
        for sub in section["children"]:
            sub["children"] = []  # two levels are enough for a reader's overview
    return f'<nav class="contents"><p>{html.escape(label)}</p>{items(sections)}</nav>'


def _figure(context: RenderContext, name: str, title: str) -> str:
    import base64

    png = context.chart(name, title)
    if png is None:
        return ""
    title = chart_parts(title)[0]
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,{data}">'
            "</figure>")


def render_html(context: RenderContext, name: str) -> bytes:
    """A complete HTML page with inline CSS; the contents marker becomes a linked list."""
    converted = context.html(name)
    body, tokens = converted.html, converted.headings
    found = CONTENTS.search(body)
    if found:
        body = body[:found.start()] + _nav(tokens, html.unescape(found.group(1))) + \
            body[found.end():]
    body = MERMAID.sub("", body)  # the Markdown's Mermaid source; the picture replaces it
    body = CHART.sub(lambda found: _figure(context, found.group(1),
                                           html.unescape(found.group(2))), body)
    title = html.unescape(re.sub(r"<[^>]+>", "", tokens[0]["name"])) if tokens else ""
    lang = context.playbook.client.locale
    page = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")
    return page.encode("utf-8")
