"""The runs of a Word paragraph from the inline HTML the `markdown` package makes: bold,
italic, code, line breaks and links (to a heading's bookmark or to the web)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import quoteattr

from gtmgen.render.htmltree import Node
from gtmgen.render.wordblocks import text_xml


@dataclass(frozen=True)
class Style:
    """How a run looks."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: bool = False
    header: bool = False  # a table's header cell, in the theme's header colour


@dataclass
class InlineWriter:
    """Writes runs; the document receives external links' relationships, `anchors` maps a
    heading's id to its bookmark."""

    document: Any
    context: Any
    anchors: dict[str, str]

    def inline(self, children: list[Any], style: Style) -> str:
        out, after_break = [], False
        for child in children:
            if isinstance(child, str):
                out.append(self.run(child.lstrip(" \t\n") if after_break else child, style))
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

    def rpr(self, style: Style) -> str:
        if not (style.bold or style.italic or style.code or style.link or style.header):
            return ""
        colour = self.context.look.accent.lstrip("#")
        header = self.context.look.table_header_text.lstrip("#")
        return ("<w:rPr>"
                + ('<w:rFonts w:ascii="Consolas" w:hAnsi="Consolas" w:cs="Consolas"/>'
                   if style.code else "")
                + ("<w:b/>" if style.bold else "") + ("<w:i/>" if style.italic else "")
                + (f'<w:color w:val="{header}"/>' if style.header and not style.link else "")
                + (f'<w:color w:val="{colour}"/><w:u w:val="single"/>' if style.link else "")
                + "</w:rPr>")

    def run(self, text: str, style: Style) -> str:
        text = re.sub(r"[ \t\r]*\n[ \t\r]*", " ", text)
        return f"<w:r>{self.rpr(style)}{text_xml(text)}</w:r>" if text else ""

    def link(self, node: Node, style: Style) -> str:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        href = node.attrs.get("href", "")
        runs = self.inline(node.children, replace(style, link=True))
        if href.startswith("#"):
            anchor = quoteattr(self.anchors.get(href[1:], href[1:]))
            return f"<w:hyperlink w:anchor={anchor}>{runs}</w:hyperlink>"
        r_id = self.document.part.relate_to(href, RT.HYPERLINK, is_external=True)
        return f'<w:hyperlink r:id="{r_id}">{runs}</w:hyperlink>'

