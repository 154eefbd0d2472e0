"""A Word document per document, built from the rendered Markdown (via the `markdown`
package's HTML) with python-docx: real headings, a filled table of contents, tables with
repeating header rows, Word-numbered lists, page numbers, and reproducible bytes."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gtmgen.manifest import digest_file
from gtmgen.render.html import CHART, CONTENTS, SHORT_CONTENTS, chart_alt, chart_parts
from gtmgen.render.htmltree import Comment, Node
from gtmgen.render.templates import from_client_file
from gtmgen.render.wordblocks import (
    Para,
    Part,
    Table,
    body_xml,
    text_xml,
)
from gtmgen.render.wordinline import InlineWriter, Style
from gtmgen.render.wordlook import (
    add_running_text,
    apply_theme_styles,
    field_runs,
    language_tag,
    picture,
    set_language,
    set_page,
)
from gtmgen.render.wordparts import (
    CAPTION,
    COVER_TEXT,
    TOC_LEVELS,
    add_list_numbering,
    add_own_styles,
    clean_package,
    reproducible_zip,
    restart_numbering,
    set_core_properties,
    set_east_asian_font,
    start_document,
    text_width,
)

if TYPE_CHECKING:
    from pathlib import Path

    from gtmgen.render import RenderContext
    from gtmgen.theme import Theme

# Markdown's h1 is the cover title; its sections become Word's Heading 1 to 4.
HEADINGS = {"h1": ("Title", 0), "h2": ("Heading 1", 1), "h3": ("Heading 2", 2),
            "h4": ("Heading 3", 3), "h5": ("Heading 4", 4), "h6": ("Heading 4", 4)}
HEADING_STYLES = frozenset(style for style, _ in HEADINGS.values())
# Chinese and Japanese text, in any locale, gets this font; Word's default Latin fonts carry
# Cyrillic and Vietnamese.
EAST_ASIAN_FONT = "Microsoft YaHei"
COVER_TOP_TWIPS = 2880  # the title of a cover page starts 5 cm down
LEAD_IN_CHARS = 200  # a paragraph right under a heading this short stays with what follows



@dataclass
class _Writer:
    """Walks the HTML tree and writes WordprocessingML as text, parsed once at the end (far
    quicker than building a large calendar element by element)."""

    document: Any
    context: Any
    parts: list[Part] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)  # heading id → bookmark name
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, text, mark
    toc_index: int | None = None
    toc_label: str = ""
    title_index: int | None = None
    bookmark: int = 0
    pictures: int = 0
    captions: list[str] = field(default_factory=list)  # each table's, in order (captions.py)
    tables: int = 0

    def __post_init__(self) -> None:
        self.style_ids = {style.name: style.style_id for style in self.document.styles}
        self.bullet_id, self.number_id = add_list_numbering(self.document)
        self.runs = InlineWriter(self.document, self.context, self.anchors)

    def paragraph(self, style: str | None, runs: str, **how: Any) -> Para:
        para = Para(style, runs, **how)
        self.parts.append(para)
        return para

    def previous(self) -> Part | None:
        return self.parts[-1] if self.parts else None

    # Blocks -------------------------------------------------------------------------
    def block(self, node: Node | str | Comment) -> None:
        if isinstance(node, Comment):
            found = CONTENTS.fullmatch(f"<!-- {node.text} -->")
            chart = CHART.fullmatch(f"<!-- {node.text} -->")
            if found:
                self.toc_label = found.group(1)
                self.toc_index = len(self.parts)
                self.parts.append("")
            elif chart:
                self.picture(chart.group(1), chart.group(2))
            return
        if isinstance(node, str):
            if node.strip():
                self.paragraph(None, self.runs.inline([node], Style()))
            return
        if node.tag in HEADINGS:
            self.heading(node)
        elif node.tag in ("ul", "ol"):
            self.keep_with_next()
            self.items(node, 0)
        elif node.tag == "table":
            self.table(node)
        elif node.tag == "p" and all(isinstance(c, Comment) or (isinstance(c, Node)
                                                                and c.tag == "pre")
                                     or (isinstance(c, str) and not c.strip())
                                     for c in node.children):
            for child in node.children:
                self.block(child)  # a paragraph that only wraps a stashed block
        elif node.tag == "p":
            self.text_paragraph(node)
        elif node.tag == "pre":
            code = node.elements("code")
            if code and "mermaid" in code[0].attrs.get("class", ""):
                return  # the Markdown's Mermaid source; the picture stands for it
            for line in node.text().rstrip("\n").split("\n"):
                self.paragraph(None, self.runs.run(line, Style(code=True)) if line else "")
        elif node.tag != "hr":
            for child in node.children:
                self.block(child)

    def text_paragraph(self, node: Node) -> None:
        """A paragraph; on the cover in the cover's style. A bold line alone (a label) and a
        short line right under a heading (a phase's dates) stay with what follows."""
        before = self.previous()
        on_cover = self.title_index is not None and self.toc_index is None
        label = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
        alone = len(label) == 1 and isinstance(label[0], Node) and label[0].tag == "strong"
        lead = (isinstance(before, Para) and before.style in HEADING_STYLES
                and len(node.text()) <= LEAD_IN_CHARS)
        self.paragraph(COVER_TEXT if on_cover else None, self.runs.inline(node.children, Style()),
                       keep_next=alone or lead)

    def picture(self, name: str, title: str) -> None:
        """A chart as an inline picture as wide as the text, kept with its heading."""
        from lxml import etree

        png = self.context.chart(name, title)
        if png is None:
            return
        r_id, image = self.document.part.get_or_add_image(io.BytesIO(png))
        width = text_width(self.document) * 635  # twips → EMU
        height = int(width * image.px_height / image.px_width)
        inline = self.document.part.new_pic_inline(io.BytesIO(png), width, height)
        self.pictures += 1
        for doc_pr in inline.iter("{*}docPr"):
            doc_pr.set("id", str(1000 + self.pictures))
            doc_pr.set("name", f"{name} {self.pictures}")
            doc_pr.set("title", chart_parts(title)[0])  # Word's alt text: title, description
            doc_pr.set("descr", chart_alt(title))
        xml = etree.tostring(inline, encoding="unicode")
        self.paragraph(None, f"<w:r><w:drawing>{xml}</w:drawing></w:r>")

    def heading(self, node: Node) -> None:
        style, level = HEADINGS[node.tag]
        if style not in self.style_ids:
            style = "Heading 1"
        runs = self.runs.inline(node.children, Style())
        if level == 0:
            self.title_index = len(self.parts)
            self.paragraph(style, runs, keep_next=True)
            return
        self.bookmark += 1
        mark = f"_Toc{self.bookmark:06d}"
        if "id" in node.attrs:
            self.anchors[node.attrs["id"]] = mark
        self.paragraph(style, f'<w:bookmarkStart w:id="{self.bookmark}" w:name="{mark}"/>'
                              f'{runs}<w:bookmarkEnd w:id="{self.bookmark}"/>', keep_next=True)
        self.headings.append((level, " ".join(node.text().split()), mark))

    def items(self, node: Node, depth: int) -> None:
        ordered = node.tag == "ol"
        num_id = restart_numbering(self.document, self.number_id) if ordered else self.bullet_id
        numbering = (f'<w:numPr><w:ilvl w:val="{min(depth, 2)}"/>'
                     f'<w:numId w:val="{num_id}"/></w:numPr>')
        for item in node.elements("li"):
            inline = [c for c in item.children
                      if not (isinstance(c, Node) and c.tag in ("ul", "ol", "p"))]
            inline += [x for para in item.elements("p") for x in para.children]
            self.paragraph("List Paragraph", self.runs.inline(inline, Style()), numbering=numbering)
            for sub in item.elements("ul", "ol"):
                self.items(sub, depth + 1)

    def keep_with_next(self) -> None:
        """Keep the paragraph before a table or list on its page (an intro, a label)."""
        before = self.previous()
        if isinstance(before, Para) and before.style != "List Paragraph":
            before.keep_next = True

    def table(self, node: Node) -> None:
        """A table under its caption, a paragraph in the Caption style kept with it."""
        self.tables += 1
        caption = self.captions[self.tables - 1] if self.tables <= len(self.captions) else ""
        rows = [(row, section.tag == "thead") for section in node.elements("thead", "tbody")
                for row in section.elements("tr")]
        if not rows:
            return
        self.keep_with_next()
        if caption:
            self.paragraph(CAPTION, f"<w:r>{text_xml(caption)}</w:r>", keep_next=True)
        columns = max(len(row.elements("th", "td")) for row, _ in rows)
        written, texts = [], []
        for row, header in rows:
            cells = row.elements("th", "td")
            padded = [cells[i] if i < len(cells) else Node("td") for i in range(columns)]
            written.append(([(self.runs.inline(cell.children, Style(bold=header, header=header)),
                              "right" in cell.attrs.get("style", "")) for cell in padded],
                             header))
            texts.append(([cell.text() for cell in padded], header))
        kind = tuple(text for cells, header in texts[:1] if header for text in cells)
        self.parts.append(Table(kind or (f"{columns} columns",), written, texts, columns,
                                caption=caption))

    # Cover and contents ---------------------------------------------------------------
    def cover(self) -> bool:
        """The cover and the contents. With SHORT_CONTENTS entries or more, the title block
        fills page 1 and the contents page 2, and the body starts on page 3; else the title
        block heads page 1, the body follows it, and there is no contents. True for a cover
        page."""
        if self.toc_index is None:
            return False
        entries = [entry for entry in self.headings if entry[0] <= TOC_LEVELS]
        logo = self.context.look.logo
        if self.title_index is not None and logo is not None:
            self.pictures += 1
            runs = picture(self.document.part, logo, 18.0 if len(entries) >= SHORT_CONTENTS
                           else 12.0, 60.0, 1000 + self.pictures)
            self.parts.insert(self.title_index, Para(None, runs, keep_next=True))
            self.toc_index += 1
        if len(entries) < SHORT_CONTENTS:
            self.parts[self.toc_index] = ""
            return False
        title = self.parts[self.title_index] if self.title_index is not None else None
        if isinstance(title, Para):
            title.space_before = COVER_TOP_TWIPS
        out = [Para("TOC Heading" if "TOC Heading" in self.style_ids else "Heading 1",
                     f"<w:r>{text_xml(self.toc_label)}</w:r>", page_break=True)]
        for level, text, mark in entries:
            runs = (f'<w:hyperlink w:anchor="{mark}" w:history="1"><w:r>{text_xml(text)}</w:r>'
                    f"</w:hyperlink><w:r><w:tab/></w:r>"
                    + field_runs(f"PAGEREF {mark} \\h", cached=""))
            out.append(Para(f"toc {level}", runs))
        after = next((p for p in self.parts[self.toc_index + 1:] if p), None)
        if isinstance(after, (Para, Table)):
            after.page_break = True
        self.parts[self.toc_index:self.toc_index + 1] = out
        return True

    def finish(self) -> None:
        """Parse the written XML once and put it into the document's body."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        xml = body_xml(self.parts, text_width(self.document), self.context.look,
                       self.style_ids)
        written = parse_xml(f'<w:body {nsdecls("w", "r", "wp", "a", "pic")}>{xml}</w:body>')
        end = self.document.element.body.sectPr
        for child in list(written):
            end.addprevious(child)


@functools.lru_cache(maxsize=8)
def _base_document(template: Path | None, _digest: str | None, look: Theme, tag: str) -> bytes:
    """An empty document with the page, styles and language every document of one look and
    language shares, made once for them all and kept for the process (the live preview's
    rebuilds), by the template's digest: an edited template makes a new one."""
    document = start_document(template)
    if template is None:
        set_page(document, look)
        apply_theme_styles(document, look, EAST_ASIAN_FONT)
    add_own_styles(document)
    set_east_asian_font(document, EAST_ASIAN_FONT)
    set_language(document, tag)
    saved = io.BytesIO()
    document.save(saved)
    return saved.getvalue()


def render_docx(context: RenderContext, name: str) -> bytes:
    """One document's Markdown → the bytes of a .docx; TemplateProblem, naming the file, when
    a client's Word template cannot carry it (no page setup, odd numbering, …)."""
    return from_client_file(context.docx_template, "a Word template",
                            lambda: _render_docx(context, name))


def _render_docx(context: RenderContext, name: str) -> bytes:
    from docx import Document

    from gtmgen.render.captions import read_captions
    from gtmgen.render.labels import caption_words, confidential_line

    converted = context.html(name)
    look = context.look
    client = context.playbook.client
    template = context.docx_template
    document = Document(io.BytesIO(_base_document(
        template, digest_file(template) if template is not None else None, look,
        language_tag(client.locale, client.country))))
    writer = _Writer(document, context,
                     captions=caption_words(context, read_captions(converted.tree).tables))
    for node in converted.tree.children:
        writer.block(node)
    cover = writer.cover()
    writer.finish()
    add_running_text(document, look, confidential_line(context) if look.confidential else None,
                     cover and context.docx_template is None)
    # The title as the cover writes it (the contents' copy has its spaces made plain).
    title = next((node.text() for node in converted.tree.elements("h1")), "")
    set_core_properties(document, context, title)
    clean_package(document)
    raw = io.BytesIO()
    document.save(raw)
    return reproducible_zip(raw.getvalue(), context.stamp)

