"""A Word document per document, built from the rendered Markdown (via the `markdown`
package's HTML) with python-docx: real headings, a filled table of contents, tables with
repeating header rows, Word-numbered lists, page numbers, and reproducible bytes."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from gtmgen.render.html import CONTENTS, to_html
from gtmgen.render.htmltree import Comment, Node, parse

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

# Markdown's h1 is the cover title; its sections become Word's Heading 1 to 3.
HEADINGS = {"h1": ("Title", 0), "h2": ("Heading 1", 1), "h3": ("Heading 2", 2),
            "h4": ("Heading 3", 3), "h5": ("Heading 3", 3), "h6": ("Heading 3", 3)}
TOC_LEVELS = 2
EAST_ASIAN_FONT = "Microsoft YaHei"
HEADER_FILL = "E4E7EB"
BULLETS = ("•", "◦", "▪")
TWIPS_PER_EMU = 1 / 635
CHAR_TWIPS = 100  # the width of an average bold character of 9-point table text
CELL_MARGINS_TWIPS = 230  # Word's default left and right cell margins
TABLE_FONT_HALF_POINTS = "18"


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    node = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        node.set(_w(key), value)
    return node


def _child(parent: Any, tag: str, **attrs: str) -> Any:
    node = _element(tag, **attrs)
    parent.append(node)
    return node


@dataclass
class _Style:
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None
    small: bool = False


@dataclass
class _Writer:
    """Walks the HTML tree and appends WordprocessingML to the document body."""

    document: Any
    styles: set[str]
    anchors: dict[str, str] = field(default_factory=dict)  # heading id → bookmark name
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # level, text, mark
    toc_at: Any = None
    toc_label: str = ""
    bookmark: int = 0
    lists: int = 0

    def __post_init__(self) -> None:
        self.body = self.document.element.body
        self.end = self.body.sectPr
        self.bullet_id, self.number_id = _numbering(self.document)

    # Blocks -------------------------------------------------------------------------
    def paragraph(self, style: str | None = None) -> Any:
        p = _element("p")
        if style and style in self.styles:
            _child(_child(p, "pPr"), "pStyle", val=self.document.styles[style].style_id)
        self.end.addprevious(p)
        return p

    def block(self, node: Node | str | Comment) -> None:
        if isinstance(node, Comment):
            found = CONTENTS.fullmatch(f"<!-- {node.text} -->")
            if found:
                self.toc_label = found.group(1)
                self.toc_at = self.paragraph()
            return
        if isinstance(node, str):
            if node.strip():
                self.inline(self.paragraph(), [node], _Style())
            return
        if node.tag in HEADINGS:
            self.heading(node)
        elif node.tag in ("ul", "ol"):
            self.items(node, 0)
        elif node.tag == "table":
            self.table(node)
        elif node.tag == "p":
            self.inline(self.paragraph(), node.children, _Style())
        elif node.tag == "hr":
            return
        else:
            for child in node.children:
                self.block(child)

    def heading(self, node: Node) -> None:
        style, level = HEADINGS[node.tag]
        p = self.paragraph(style if style in self.styles else "Heading 1")
        if level == 0:
            self.inline(p, node.children, _Style())
            return
        self.bookmark += 1
        mark = f"_Toc{self.bookmark:06d}"
        if "id" in node.attrs:
            self.anchors[node.attrs["id"]] = mark
        _child(p, "bookmarkStart", id=str(self.bookmark), name=mark)
        self.inline(p, node.children, _Style())
        _child(p, "bookmarkEnd", id=str(self.bookmark))
        self.headings.append((level, " ".join(node.text().split()), mark))

    def items(self, node: Node, depth: int) -> None:
        ordered = node.tag == "ol"
        num_id = self.bullet_id if not ordered else _restart(self.document, self.number_id)
        for item in node.elements("li"):
            p = self.paragraph("List Paragraph")
            ppr = p.find(_w("pPr"))
            if ppr is None:
                ppr = _element("pPr")
                p.insert(0, ppr)
            numpr = _child(ppr, "numPr")
            _child(numpr, "ilvl", val=str(min(depth, 2)))
            _child(numpr, "numId", val=num_id)
            inline = [c for c in item.children if not (isinstance(c, Node)
                                                       and c.tag in ("ul", "ol", "p"))]
            paragraphs = item.elements("p")
            self.inline(p, inline + [x for para in paragraphs for x in para.children],
                        _Style())
            for sub in item.elements("ul", "ol"):
                self.items(sub, depth + 1)

    def table(self, node: Node) -> None:
        rows = [(row, section.tag == "thead") for section in node.elements("thead", "tbody")
                for row in section.elements("tr")]
        if not rows:
            return
        columns = max(len(row.elements("th", "td")) for row, _ in rows)
        tbl = _element("tbl")
        tblpr = _child(tbl, "tblPr")
        if "Table Grid" in self.styles:
            _child(tblpr, "tblStyle", val=self.document.styles["Table Grid"].style_id)
        _child(tblpr, "tblW", w="5000", type="pct")
        borders = _child(tblpr, "tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _child(borders, side, val="single", sz="4", space="0", color="CBD2D9")
        _child(tblpr, "tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="0",
               lastColumn="0", noHBand="0", noVBand="1")
        grid = _child(tbl, "tblGrid")
        for width in _column_widths(rows, columns, _text_width(self.document)):
            _child(grid, "gridCol", w=str(width))
        for row, header in rows:
            tr = _child(tbl, "tr")
            if header:
                trpr = _child(tr, "trPr")
                _child(trpr, "tblHeader")
                _child(trpr, "cantSplit")
            cells = row.elements("th", "td")
            for index in range(columns):
                cell = cells[index] if index < len(cells) else Node("td")
                tc = _child(tr, "tc")
                tcpr = _child(tc, "tcPr")
                if header:
                    _child(tcpr, "shd", val="clear", color="auto", fill=HEADER_FILL)
                p = _child(tc, "p")
                if "right" in cell.attrs.get("style", ""):
                    _child(_child(p, "pPr"), "jc", val="right")
                self.inline(p, cell.children, _Style(bold=header, small=True))
        self.end.addprevious(tbl)
        self.end.addprevious(self.paragraph_spacer())

    def paragraph_spacer(self) -> Any:
        return _element("p")

    # Inline -------------------------------------------------------------------------
    def inline(self, p: Any, children: list[Any], style: _Style) -> None:
        after_break = False
        for child in children:
            if isinstance(child, str):
                self.text(p, child.lstrip() if after_break else child, style)
            elif isinstance(child, Node):
                if child.tag == "br":
                    _child(self.run(p, style), "br")
                elif child.tag in ("strong", "b"):
                    self.inline(p, child.children, replace(style, bold=True))
                elif child.tag in ("em", "i"):
                    self.inline(p, child.children, replace(style, italic=True))
                elif child.tag == "code":
                    self.inline(p, child.children, replace(style, code=True))
                elif child.tag == "a":
                    self.link(p, child, style)
                else:
                    self.inline(p, child.children, style)
            after_break = isinstance(child, Node) and child.tag == "br"

    def text(self, p: Any, text: str, style: _Style) -> None:
        text = re.sub(r"\s*\n\s*", " ", text)
        if not text:
            return
        r = self.run(p, style)
        t = _child(r, "t")
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def run(self, parent: Any, style: _Style) -> Any:
        r = _child(parent, "r")
        if style.bold or style.italic or style.code or style.link or style.small:
            rpr = _child(r, "rPr")
            if style.code:
                _child(rpr, "rFonts", ascii="Consolas", hAnsi="Consolas", cs="Consolas")
            if style.bold:
                _child(rpr, "b")
            if style.italic:
                _child(rpr, "i")
            if style.link:
                _child(rpr, "color", val="1F4E79")
            if style.small:
                _child(rpr, "sz", val=TABLE_FONT_HALF_POINTS)
                _child(rpr, "szCs", val=TABLE_FONT_HALF_POINTS)
            if style.link:
                _child(rpr, "u", val="single")
        return r

    def link(self, p: Any, node: Node, style: _Style) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        href = node.attrs.get("href", "")
        hyperlink = _child(p, "hyperlink")
        if href.startswith("#"):
            hyperlink.set(_w("anchor"), self.anchors.get(href[1:], href[1:]))
        else:
            r_id = self.document.part.relate_to(href, RT.HYPERLINK, is_external=True)
            hyperlink.set("{http://schemas.openxmlformats.org/officeDocument/2006/"
                          "relationships}id", r_id)
        self.inline(hyperlink, node.children, replace(style, link=href))

    # Table of contents ----------------------------------------------------------------
    def contents(self) -> None:
        """Fill the TOC field with the headings, each linked to its bookmark, so it reads
        right before any field update."""
        if self.toc_at is None:
            return
        entries = [(level, text, mark) for level, text, mark in self.headings
                   if level <= TOC_LEVELS]
        anchor = self.toc_at
        title = self.paragraph("TOC Heading" if "TOC Heading" in self.styles else "Heading 1")
        title_run = _child(title, "r")
        _child(title_run, "t").text = self.toc_label
        anchor.addprevious(title)
        paragraphs = []
        for level, text, mark in entries:
            p = self.paragraph(f"toc {level}")
            hyperlink = _child(p, "hyperlink", anchor=mark, history="1")
            _child(self.run(hyperlink, _Style()), "t").text = text
            paragraphs.append(p)
        if not paragraphs:
            paragraphs.append(self.paragraph())
        first, last = paragraphs[0], paragraphs[-1]
        _field_start(first, f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u')
        _child(_child(last, "r"), "fldChar", fldCharType="end")
        for p in paragraphs:
            anchor.addprevious(p)
        # The contents close the cover page; the body starts on a new page.
        _child(_child(anchor, "r"), "br", type="page")


def _field_start(p: Any, instruction: str) -> None:
    """Open a complex field at the start of a paragraph (after its properties)."""
    runs = [_element("r"), _element("r"), _element("r")]
    _child(runs[0], "fldChar", fldCharType="begin")
    instr = _child(runs[1], "instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    _child(runs[2], "fldChar", fldCharType="separate")
    ppr = p.find(_w("pPr"))
    at = 1 if ppr is not None else 0
    for offset, r in enumerate(runs):
        p.insert(at + offset, r)


def _text_width(document: Any) -> int:
    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    return int(width * TWIPS_PER_EMU)


def _column_widths(rows: list[tuple[Node, bool]], columns: int, total: int) -> list[int]:
    """Widths in twips: first room for each column's longest word (no word is broken), then
    the rest shared by how much text each column holds on average."""
    longest, amount = [1] * columns, [0.0] * columns
    for row, _ in rows:
        for index, cell in enumerate(row.elements("th", "td")[:columns]):
            text = cell.text()
            longest[index] = max([longest[index], *(len(word) for word in text.split())])
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


def _toc_styles(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    names = {s.name for s in document.styles}
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


def render_docx(context: RenderContext, text: str) -> bytes:
    """One document's Markdown → the bytes of a .docx."""
    body, tokens = to_html(text)
    document = _start_from(context.docx_template)
    _toc_styles(document)
    _fonts(document, EAST_ASIAN_FONT)
    writer = _Writer(document, {s.name for s in document.styles})
    for node in parse(body).children:
        writer.block(node)
    writer.contents()
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
