"""A Word document per document, built from the rendered Markdown (via the `markdown`
package's HTML) with python-docx: real headings, a filled table of contents, tables with
repeating header rows, Word-numbered lists, page numbers, and reproducible bytes."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from gtmgen.render.html import CHART, CONTENTS, chart_parts
from gtmgen.render.htmltree import Comment, Node
from gtmgen.render.templates import from_client_file
from gtmgen.render.wordparts import (
    TABLE_TEXT,
    TOC_LEVELS,
    add_list_numbering,
    add_own_styles,
    add_page_numbers,
    clean_package,
    reproducible_zip,
    restart_numbering,
    set_core_properties,
    set_east_asian_font,
    start_document,
    text_width,
)

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

# Markdown's h1 is the cover title; its sections become Word's Heading 1 to 3.
HEADINGS = {"h1": ("Title", 0), "h2": ("Heading 1", 1), "h3": ("Heading 2", 2),
            "h4": ("Heading 3", 3), "h5": ("Heading 3", 3), "h6": ("Heading 3", 3)}
# Chinese and Japanese text, in any locale, gets this font; Word's default Latin fonts carry
# Cyrillic and Vietnamese.
EAST_ASIAN_FONT = "Microsoft YaHei"
HEADER_FILL = "E4E7EB"
CHAR_TWIPS = 100  # the width of an average bold character of 9-point table text
CELL_MARGINS_TWIPS = 230  # Word's default left and right cell margins


@dataclass(frozen=True)
class _Style:
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: bool = False


def _text(text: str) -> str:
    """A w:t element; spaces at either end are kept."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


@dataclass
class _Writer:
    """Walks the HTML tree and writes WordprocessingML as text, parsed once at the end (far
    quicker than building a large calendar element by element)."""

    document: Any
    context: Any
    parts: list[str] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)  # heading id → bookmark name
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, text, mark
    toc_index: int | None = None
    toc_label: str = ""
    bookmark: int = 0
    pictures: int = 0

    def __post_init__(self) -> None:
        self.style_ids = {style.name: style.style_id for style in self.document.styles}
        self.bullet_id, self.number_id = add_list_numbering(self.document)

    def ppr(self, style: str | None, extra: str = "") -> str:
        style_id = self.style_ids.get(style or "")
        inner = (f'<w:pStyle w:val="{style_id}"/>' if style_id else "") + extra
        return f"<w:pPr>{inner}</w:pPr>" if inner else ""

    def paragraph(self, style: str | None, runs: str, extra: str = "") -> None:
        self.parts.append(f"<w:p>{self.ppr(style, extra)}{runs}</w:p>")

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
                self.paragraph(None, self.inline([node], _Style()))
            return
        if node.tag in HEADINGS:
            self.heading(node)
        elif node.tag in ("ul", "ol"):
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
            self.paragraph(None, self.inline(node.children, _Style()))
        elif node.tag == "pre":
            code = node.elements("code")
            if code and "mermaid" in code[0].attrs.get("class", ""):
                return  # the Markdown's Mermaid source; the picture stands for it
            for line in node.text().rstrip("\n").split("\n"):
                self.paragraph(None, self.run(line, _Style(code=True)) if line else "")
        elif node.tag != "hr":
            for child in node.children:
                self.block(child)

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
            doc_pr.set("descr", chart_parts(title)[0])
        xml = etree.tostring(inline, encoding="unicode")
        self.paragraph(None, f"<w:r><w:drawing>{xml}</w:drawing></w:r>")

    def heading(self, node: Node) -> None:
        style, level = HEADINGS[node.tag]
        if style not in self.style_ids:
            style = "Heading 1"
        runs = self.inline(node.children, _Style())
        if level == 0:
            self.paragraph(style, runs)
            return
        self.bookmark += 1
        mark = f"_Toc{self.bookmark:06d}"
        if "id" in node.attrs:
            self.anchors[node.attrs["id"]] = mark
        self.paragraph(style, f'<w:bookmarkStart w:id="{self.bookmark}" w:name="{mark}"/>'
                              f'{runs}<w:bookmarkEnd w:id="{self.bookmark}"/>')
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
            self.paragraph("List Paragraph", self.inline(inline, _Style()), numbering)
            for sub in item.elements("ul", "ol"):
                self.items(sub, depth + 1)

    def keep_with_next(self) -> None:
        """Keep the paragraph before a table on the table's page (an intro, a label)."""
        if not self.parts or not self.parts[-1].startswith("<w:p>"):
            return
        last = self.parts[-1]
        if last.startswith("<w:p><w:pPr><w:pStyle"):
            end = last.index("/>", len("<w:p><w:pPr>")) + 2
            self.parts[-1] = last[:end] + "<w:keepNext/>" + last[end:]
        elif last.startswith("<w:p><w:pPr>"):
            self.parts[-1] = "<w:p><w:pPr><w:keepNext/>" + last[len("<w:p><w:pPr>"):]
        else:
            self.parts[-1] = "<w:p><w:pPr><w:keepNext/></w:pPr>" + last[len("<w:p>"):]

    def table(self, node: Node) -> None:
        rows = [(row, section.tag == "thead") for section in node.elements("thead", "tbody")
                for row in section.elements("tr")]
        if not rows:
            return
        self.keep_with_next()
        columns = max(len(row.elements("th", "td")) for row, _ in rows)
        grid_style = self.style_ids.get("Table Grid")
        borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="CBD2D9"/>'
                          for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        out = ["<w:tbl><w:tblPr>",
               f'<w:tblStyle w:val="{grid_style}"/>' if grid_style else "",
               f'<w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{borders}</w:tblBorders>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
               'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{w}"/>' for w in
                _column_widths(rows, columns, text_width(self.document))]
        out.append("</w:tblGrid>")
        text_style = self.ppr(TABLE_TEXT)
        right_style = self.ppr(TABLE_TEXT, '<w:jc w:val="right"/>')
        shade = (f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
                 "</w:tcPr>")
        for row, header in rows:
            out.append("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if header
                       else "<w:tr>")
            cells = row.elements("th", "td")
            for index in range(columns):
                cell = cells[index] if index < len(cells) else Node("td")
                ppr = right_style if "right" in cell.attrs.get("style", "") else text_style
                runs = self.inline(cell.children, _Style(bold=header))
                out.append(f"<w:tc>{shade if header else ''}<w:p>{ppr}{runs}</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl><w:p/>")
        self.parts.append("".join(out))

    # Inline -------------------------------------------------------------------------
    def inline(self, children: list[Any], style: _Style) -> str:
        out, after_break = [], False
        for child in children:
            if isinstance(child, str):
                out.append(self.run(child.lstrip() if after_break else child, style))
            elif isinstance(child, Node):
                if child.tag == "br":
                    out.append(f"<w:r>{self.rpr(style)}<w:br/></w:r>")
                elif child.tag in ("strong", "b"):
                    out.append(self.inline(child.children, replace(style, bold=True)))
                elif child.tag in ("em", "i"):
                    out.append(self.inline(child.children, replace(style, italic=True)))
                elif child.tag == "code":
                    out.append(self.inline(child.children, replace(style, code=True)))
                elif child.tag == "a":
                    out.append(self.link(child, style))
                else:
                    out.append(self.inline(child.children, style))
            after_break = isinstance(child, Node) and child.tag == "br"
        return "".join(out)

    @staticmethod
    def rpr(style: _Style) -> str:
        if not (style.bold or style.italic or style.code or style.link):
            return ""
        return ("<w:rPr>"
                + ('<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>'
                   if style.code else "")
                + ("<w:b/>" if style.bold else "") + ("<w:i/>" if style.italic else "")
                + ('<w:color w:val="1F4E79"/><w:u w:val="single"/>' if style.link else "")
                + "</w:rPr>")

    def run(self, text: str, style: _Style) -> str:
        text = re.sub(r"\s*\n\s*", " ", text)
        return f"<w:r>{self.rpr(style)}{_text(text)}</w:r>" if text else ""

    def link(self, node: Node, style: _Style) -> str:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        href = node.attrs.get("href", "")
        runs = self.inline(node.children, replace(style, link=True))
        if href.startswith("#"):
            anchor = quoteattr(self.anchors.get(href[1:], href[1:]))
            return f"<w:hyperlink w:anchor={anchor}>{runs}</w:hyperlink>"
        r_id = self.document.part.relate_to(href, RT.HYPERLINK, is_external=True)
        return f'<w:hyperlink r:id="{r_id}">{runs}</w:hyperlink>'

    # Table of contents ----------------------------------------------------------------
    def contents(self) -> None:
        """Fill the TOC field with the headings, each linked to its bookmark, so it reads
        right before any field update; a page break ends the cover."""
        if self.toc_index is None:
            return
        heading = "TOC Heading" if "TOC Heading" in self.style_ids else "Heading 1"
        out = [f"<w:p>{self.ppr(heading)}<w:r>{_text(self.toc_label)}</w:r></w:p>"]
        entries = [(level, text, mark) for level, text, mark in self.headings
                   if level <= TOC_LEVELS] or [(1, "", "")]
        instruction = f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u '
        for number, (level, text, mark) in enumerate(entries):
            begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                     f'xml:space="preserve">{escape(instruction)}</w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>') if number == 0 else ""
            end = ('<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                   if number == len(entries) - 1 else "")
            link = (f'<w:hyperlink w:anchor="{mark}" w:history="1"><w:r>{_text(text)}</w:r>'
                    "</w:hyperlink>") if mark else ""
            out.append(f"<w:p>{self.ppr(f'toc {level}')}{begin}{link}{end}</w:p>")
        out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        self.parts[self.toc_index] = "".join(out)

    def finish(self) -> None:
        """Parse the written XML once and put it into the document's body."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        body = self.document.element.body
        spaces = nsdecls("w", "r", "wp", "a", "pic")
        written = parse_xml(f'<w:body {spaces}>{"".join(self.parts)}</w:body>')
        end = body.sectPr
        for child in list(written):
            end.addprevious(child)


def _width(word: str) -> int:
    """A word's width in average characters; Chinese and Japanese characters count two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word)


def _column_widths(rows: list[tuple[Node, bool]], columns: int, total: int) -> list[int]:
    """Widths in twips: first room for each column's longest word (no word is broken), then
    the rest shared by how much text each column holds on average."""
    longest, amount = [1] * columns, [0.0] * columns
    for row, _ in rows:
        for index, cell in enumerate(row.elements("th", "td")[:columns]):
            text = cell.text()
            longest[index] = max([longest[index], *(_width(word) for word in text.split())])
            amount[index] += min(len(text), 60)
    need = [(word + 1) * CHAR_TWIPS + CELL_MARGINS_TWIPS for word in longest]
    if sum(need) >= total:
        return [int(n * total / sum(need)) for n in need]
    spare, share = total - sum(need), sum(amount) or 1.0
    return [int(n + spare * a / share) for n, a in zip(need, amount, strict=True)]


def render_docx(context: RenderContext, name: str) -> bytes:
    """One document's Markdown → the bytes of a .docx; TemplateProblem, naming the file, when
    a client's Word template cannot carry it (no page setup, odd numbering, …)."""
    return from_client_file(context.docx_template, "a Word template",
                            lambda: _render_docx(context, name))


def _render_docx(context: RenderContext, name: str) -> bytes:
    converted = context.html(name)
    tokens = converted.headings
    document = start_document(context.docx_template)
    add_own_styles(document)
    set_east_asian_font(document, EAST_ASIAN_FONT)
    writer = _Writer(document, context)
    for node in converted.tree.children:
        writer.block(node)
    writer.contents()
    writer.finish()
    add_page_numbers(document)
    title = re.sub(r"<[^>]+>", "", tokens[0]["name"]) if tokens else ""
    set_core_properties(document, context, _unescape(title))
    clean_package(document)
    raw = io.BytesIO()
    document.save(raw)
    return reproducible_zip(raw.getvalue(), context.stamp)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
