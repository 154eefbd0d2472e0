"""A Word document per document, built from the rendered Markdown (via the `markdown`
package's HTML) with python-docx: real headings, a filled table of contents, tables with
repeating header rows, Word-numbered lists, page numbers, and reproducible bytes."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from gtmgen.render.html import CHART, CONTENTS
from gtmgen.render.htmltree import Comment, Node

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

# Markdown's h1 is the cover title; its sections become Word's Heading 1 to 3.
HEADINGS = {"h1": ("Title", 0), "h2": ("Heading 1", 1), "h3": ("Heading 2", 2),
            "h4": ("Heading 3", 3), "h5": ("Heading 3", 3), "h6": ("Heading 3", 3)}
TOC_LEVELS = 2
# The East Asian font of each language (Chinese needs one; the others keep Word's default,
# whose Latin fonts carry Cyrillic and Vietnamese).
EAST_ASIAN_FONTS = {"zh": "Microsoft YaHei"}
EAST_ASIAN_FONT = "Microsoft YaHei"
HEADER_FILL = "E4E7EB"
BULLETS = ("•", "◦", "▪")
TWIPS_PER_EMU = 1 / 635
CHAR_TWIPS = 100  # the width of an average bold character of 9-point table text
CELL_MARGINS_TWIPS = 230  # Word's default left and right cell margins
TABLE_TEXT = "Table Text"


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@functools.cache
def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    node = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        node.set(_w(key), value)
    return node


def _child(parent: Any, tag: str, **attrs: str) -> Any:
    # lxml's SubElement is far quicker than building and appending; python-docx's element
    # classes still apply, as the parent's document carries python-docx's class lookup.
    from lxml import etree

    return etree.SubElement(parent, _w(tag), {_w(k): v for k, v in attrs.items()})


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
        self.bullet_id, self.number_id = _numbering(self.document)

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
        width = _text_width(self.document) * 635  # twips → EMU
        height = int(width * image.px_height / image.px_width)
        inline = self.document.part.new_pic_inline(io.BytesIO(png), width, height)
        self.pictures += 1
        for doc_pr in inline.iter("{*}docPr"):
            doc_pr.set("id", str(1000 + self.pictures))
            doc_pr.set("name", f"{name} {self.pictures}")
            doc_pr.set("descr", title)
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
        num_id = _restart(self.document, self.number_id) if ordered else self.bullet_id
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
                _column_widths(rows, columns, _text_width(self.document))]
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


def _text_width(document: Any) -> int:
    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    return int(width * TWIPS_PER_EMU)


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


def _numbering(document: Any) -> tuple[str, str]:
    """Add a bullet and a decimal list definition; return the num ids that use them."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(_w("abstractNumId"))) for a in numbering.findall(_w("abstractNum"))]
    next_abstract = max(abstract_ids, default=-1) + 1
    ids = []
    for offset, kind in enumerate(("bullet", "decimal")):
        abstract = _element("abstractNum", abstractNumId=str(next_abstract + offset))
        _child(abstract, "multiLevelType", val="hybridMultilevel")
        for level in range(3):
            lvl = _child(abstract, "lvl", ilvl=str(level))
            _child(lvl, "start", val="1")
            _child(lvl, "numFmt", val=kind)
            text = BULLETS[level] if kind == "bullet" else f"%{level + 1}."
            _child(lvl, "lvlText", val=text)
            _child(lvl, "lvlJc", val="left")
            ppr = _child(lvl, "pPr")
            _child(ppr, "ind", left=str(360 * (level + 2)), hanging="360")
        first_num = numbering.find(_w("num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        ids.append(_add_num(numbering, next_abstract + offset))
    return ids[0], ids[1]


def _add_num(numbering: Any, abstract_id: int, restart: bool = False) -> str:
    num_ids = [int(n.get(_w("numId"))) for n in numbering.findall(_w("num"))]
    num_id = str(max(num_ids, default=0) + 1)
    num = _child(numbering, "num", numId=num_id)
    _child(num, "abstractNumId", val=str(abstract_id))
    if restart:
        override = _child(num, "lvlOverride", ilvl="0")
        _child(override, "startOverride", val="1")
    return num_id


def _restart(document: Any, number_id: str) -> str:
    """A new numbering instance of the decimal list, so each numbered list starts at 1."""
    numbering = document.part.numbering_part.element
    for num in numbering.findall(_w("num")):
        if num.get(_w("numId")) == number_id:
            abstract = int(num.find(_w("abstractNumId")).get(_w("val")))
            return _add_num(numbering, abstract, restart=True)
    return number_id


def _own_styles(document: Any) -> None:
    """The paragraph styles gtmgen needs: compact table text and two TOC levels."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    names = {s.name for s in document.styles}
    if TABLE_TEXT not in names:
        style = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(9)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
    for level in range(1, TOC_LEVELS + 1):
        if f"toc {level}" not in names:
            style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
            style.paragraph_format.left_indent = Pt(12 * (level - 1))
            style.paragraph_format.space_after = Pt(2)


def _fonts(document: Any, east_asian: str) -> None:
    """Give every style an East Asian font, so Chinese and Japanese text renders."""
    styles = document.styles.element
    defaults = styles.find(_w("docDefaults"))
    if defaults is None:
        defaults = _element("docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(_w("rPrDefault"))
    if rpr_default is None:
        rpr_default = _child(defaults, "rPrDefault")
    rpr = rpr_default.find(_w("rPr"))
    if rpr is None:
        rpr = _child(rpr_default, "rPr")
    holders = [rpr, *styles.iter(_w("rPr"))]
    for holder in holders:
        fonts = holder.find(_w("rFonts"))
        if fonts is None:
            if holder is not rpr:
                continue
            fonts = _element("rFonts")
            holder.insert(0, fonts)
        fonts.attrib.pop(_w("eastAsiaTheme"), None)
        fonts.set(_w("eastAsia"), east_asian)


def _page_numbers(document: Any) -> None:
    """PAGE / NUMPAGES centred in the footer, unless the document already has a footer."""
    footer = document.sections[0].footer
    if not footer.is_linked_to_previous:
        return
    p = footer.paragraphs[0]._p
    _child(_child(p, "pPr"), "jc", val="center")
    for index, instruction in enumerate(("PAGE", "NUMPAGES")):
        if index:
            _child(_child(p, "r"), "t", **{}).text = " / "
        _field_start_run(p, instruction)


def _field_start_run(p: Any, instruction: str) -> None:
    begin = _child(p, "r")
    _child(begin, "fldChar", fldCharType="begin")
    instr = _child(_child(p, "r"), "instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    _child(_child(p, "r"), "fldChar", fldCharType="separate")
    _child(_child(p, "r"), "t").text = "1"
    _child(_child(p, "r"), "fldChar", fldCharType="end")


def _clean_package(document: Any) -> None:
    """Drop what python-docx's own template carries: its thumbnail, custom XML, the
    application that wrote it, the preview setting."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = document.part.package
    for rels in (package.rels, document.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype in (RT.THUMBNAIL, RT.CUSTOM_XML):
                del rels[r_id]
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'extended-properties"><Application>gtmgen</Application></Properties>')
    settings = document.settings.element
    for tag in ("savePreviewPicture", "rsids", "attachedTemplate", "updateFields"):
        for node in settings.findall(_w(tag)):
            settings.remove(node)


def _start_from(template: Any) -> Any:
    """A document with the template's styles, headers and page setup, and an empty body."""
    from docx import Document

    document = Document(template) if template else Document()
    body = document.element.body
    for child in list(body):
        if child is not body.sectPr:
            body.remove(child)
    return document


def _properties(document: Any, context: RenderContext, title: str) -> None:
    client = context.playbook.client
    stamp = context.stamp.replace(tzinfo=None)
    props = document.core_properties
    props.title = title
    props.subject = client.product
    props.author = client.prepared_by or ""
    props.last_modified_by = client.prepared_by or ""
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = client.version or ""
    props.language = client.locale
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def reproducible_zip(raw: bytes, stamp: Any) -> bytes:
    """The same package with fixed entry times and a fixed entry order."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml",
                                                     n != "_rels/.rels", n))
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def render_docx(context: RenderContext, name: str) -> bytes:
    """One document's Markdown → the bytes of a .docx."""
    converted = context.html(name)
    tokens = converted.headings
    document = _start_from(context.docx_template)
    _own_styles(document)
    _fonts(document, EAST_ASIAN_FONTS.get(context.playbook.client.locale, EAST_ASIAN_FONT))
    writer = _Writer(document, context)
    for node in converted.tree.children:
        writer.block(node)
    writer.contents()
    writer.finish()
    _page_numbers(document)
    title = re.sub(r"<[^>]+>", "", tokens[0]["name"]) if tokens else ""
    _properties(document, context, _unescape(title))
    _clean_package(document)
    raw = io.BytesIO()
    document.save(raw)
    return reproducible_zip(raw.getvalue(), context.stamp)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
