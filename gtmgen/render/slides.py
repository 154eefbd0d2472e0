"""The slide deck: templates/slides/playbook.md.j2 rendered like the documents, read as
slides (slidemarkup.py), laid out with measured text (slidefit.py) and written with
python-pptx, on a client's .pptx masters and layouts or a clean 16:9 deck in the theme."""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING, Any

from gtmgen.errors import GtmgenError, UsageError
from gtmgen.render.slidefit import (
    BODY_SIZES,
    INDENT,
    MARGIN_X,
    MARGIN_Y,
    SPACE_BEFORE,
    TABLE_SIZE,
    Box,
    Layout,
    Measure,
    Page,
    Picture,
    PictureItem,
    TableItem,
    TextItem,
)
from gtmgen.render.slidemarkup import Block, Chart, Deck, Paragraph, Run, Slide, Table, parse
from gtmgen.render.templates import TemplateProblem

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

SLIDES = "slides"
DECK = "playbook"
EMU_PER_PT = 12700
# A clean deck, in points: 16:9 at 13.333 × 7.5 inches.
WIDTH, HEIGHT = 960.0, 540.0
SIDE = 43.2
TITLE_BOX = Box(SIDE, 22.0, WIDTH - 2 * SIDE, 70.0)
BODY_BOX = Box(SIDE, 112.0, WIDTH - 2 * SIDE, 380.0)
COVER_TITLE = Box(SIDE, 190.0, WIDTH - 2 * SIDE, 100.0)
COVER_BODY = Box(SIDE, 300.0, WIDTH - 2 * SIDE, 190.0)
LOGO_BOX = Box(SIDE, 43.2, 216.0, 90.0)
TITLE_SIZES = (28.0, 24.0, 20.0)
COVER_SIZES = (40.0, 34.0, 28.0)
SMALL = 10.0  # slide numbers and the footer
EAST_ASIAN_FONT = "Microsoft YaHei"


class NoPlaybookDocument(UsageError):
    """--format pptx with --doc naming other documents only."""


def _emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def _pt(emu: int) -> float:
    return emu / EMU_PER_PT


def render_pptx(context: RenderContext) -> bytes:
    """The deck's bytes; TemplateProblem, naming the file, when a client's .pptx cannot carry
    it."""
    if context.documents is not None and DECK not in context.documents:
        raise NoPlaybookDocument("the slide deck (pptx) is made from the playbook document: "
                                 "add --doc playbook, or leave --doc out")
    deck = parse(deck_text(context))
    if context.pptx_template is None:
        return _render(context, deck)
    try:
        return _render(context, deck)
    except GtmgenError:
        raise
    except Exception as problem:  # noqa: BLE001 - a client's file: checked, but not ours
        raise TemplateProblem(f"{context.pptx_template}: cannot be used as a slide template "
                              f"({type(problem).__name__}: {str(problem)[:200]})") from None


def deck_text(context: RenderContext) -> str:
    """The slide template rendered with the documents' environment and values."""
    from gtmgen.render.markdown import document_values
    from gtmgen.render.templates import SUFFIX, render_template

    env, values = document_values(context)
    return render_template(env, f"{SLIDES}/{DECK}{SUFFIX}", values)


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


class _Writer:
    """Adds slides to a presentation, each laid out on its layout's title and body."""

    def __init__(self, context: RenderContext, prs: Any, deck: Deck) -> None:
        self.context, self.prs, self.deck = context, prs, deck
        self.clean = context.pptx_template is None
        self.look = context.look
        self.locale = context.playbook.client.locale
        self.measure = Measure(self.locale)
        self.cover_layout, self.content_layout = pick_layouts(prs)
        self.number = 0

    def blocks(self, found: list[Block] | tuple[Block, ...]) -> list[Paragraph | Table | Picture]:
        out: list[Paragraph | Table | Picture] = []
        for block in found:
            if isinstance(block, Chart):
                png = self.context.chart(block.name, block.title)
                if png:
                    out.append(Picture(png, *png_size(png)))
                else:
                    out.extend(self.blocks(block.instead))
            else:
                out.append(block)
        return out

    def slide(self, slide: Slide) -> None:
        """One slide of the template, and the continuation slides it needs."""
        blocks = self.blocks(slide.blocks)
        continued = f"{slide.title} {self.deck.continued}".strip()
        content = self.fitted_body(False, slide.title, continued)
        if slide.cover:
            # The cover holds what fits its own body; the rest goes on to content slides.
            pages = Layout(self.measure, self.fitted_body(True, slide.title)).pages(blocks)
            rest = [b for page in pages[1:] for b in _page_blocks(page)]
            pages = [pages[0], *(Layout(self.measure, content).pages(rest) if rest else [])]
        else:
            pages = Layout(self.measure, content).pages(blocks)
        for index, page in enumerate(pages):
            cover = slide.cover and index == 0
            shape = self.add(self.cover_layout if cover else self.content_layout)
            title_ph, body_ph = _placeholders(shape)
            title_box, _ = self.boxes(cover)
            self.title(title_ph, continued if index else slide.title, title_box, cover)
            self.fill(shape, body_ph, page)
            if index == 0:
                self.notes(shape, slide.notes)
            if cover:
                self.logo(shape)
            if self.clean:
                self.furniture(shape, cover)

    def fitted_body(self, cover: bool, *titles: str) -> Box:
        """The body box below the title, lowered where a long title needs more room."""
        title_box, body = self.boxes(cover)
        for title in titles:
            body = _below(body, self.title(None, title, title_box, cover))
        return body

    def boxes(self, cover: bool) -> tuple[Box, Box]:
        if self.clean:
            return (COVER_TITLE, COVER_BODY) if cover else (TITLE_BOX, BODY_BOX)
        return _layout_boxes(self.cover_layout if cover else self.content_layout)

    def add(self, layout: Any) -> Any:
        self.number += 1
        return self.prs.slides.add_slide(layout)

    def title(self, shape: Any, text: str, box: Box, cover: bool) -> Box:
        """Set the title at the largest size whose lines fit the box; at the smallest, the
        box grows downward, so a title is never cut."""
        sizes = COVER_SIZES if cover else TITLE_SIZES
        run = (Run(text, True),)
        for size in sizes:
            lines = self.measure.lines(run, size, box.width - 2 * MARGIN_X)
            need = len(lines) * size * self.measure.line + 2 * MARGIN_Y
            if need <= box.height:
                break
        else:
            box = Box(box.left, box.top, box.width, need)
        if shape is None:
            return box
        _place(shape, box)
        frame = _frame(shape, "b" if self.clean else None)
        self.paragraphs(frame, [Paragraph(run)], size, heading=True)
        return box

    def paragraphs(self, frame: Any, paragraphs: list[Paragraph], size: float,
                   heading: bool = False) -> None:
        from pptx.enum.text import PP_ALIGN

        frame.clear()
        for index, paragraph in enumerate(paragraphs):
            p = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            _paragraph_format(p, paragraph, size, self.measure.line,
                              0.0 if index == 0 else SPACE_BEFORE)
            if self.clean:  # the clean deck lines up on the left, under the accent rule
                p.alignment = PP_ALIGN.LEFT
            for piece in paragraph.runs:
                self.run(p, piece, size, heading)

    def run(self, paragraph: Any, piece: Run, size: float, heading: bool,
            colour: str | None = None) -> None:
        from pptx.dml.color import RGBColor
        from pptx.util import Pt

        run = paragraph.add_run()
        run.text = piece.text
        font = run.font
        font.size = Pt(size)
        font.bold = piece.bold or None
        font.italic = piece.italic or None
        if self.clean:
            look = self.look
            font.name = look.heading_font if heading else look.body_font
            font.color.rgb = RGBColor.from_string((colour or (
                look.heading if heading else look.text)).lstrip("#").upper())
            if self.locale == "zh":
                rpr = run._r.get_or_add_rPr()
                _east_asian(rpr)

    def fill(self, slide: Any, body: Any, page: Page) -> None:
        text_used = False
        for item in page.items:
            if isinstance(item, TextItem):
                target = body if body is not None and not text_used else \
                    slide.shapes.add_textbox(0, 0, 1, 1)
                text_used = text_used or target is body
                _place(target, item.box)
                self.paragraphs(_frame(target, "t"), item.paragraphs, item.size)
            elif isinstance(item, TableItem):
                self.table(slide, item)
            elif isinstance(item, PictureItem):
                b = item.box
                slide.shapes.add_picture(io.BytesIO(item.png), _emu(b.left), _emu(b.top),
                                         _emu(b.width), _emu(b.height))
        if body is not None and not text_used:
            element = body._element
            element.getparent().remove(element)

    def table(self, slide: Any, item: TableItem) -> None:
        rows = [item.table.header, *item.rows]
        b = item.box
        frame = slide.shapes.add_table(len(rows), len(item.widths), _emu(b.left), _emu(b.top),
                                       _emu(b.width), _emu(b.height))
        table = frame.table
        table.first_row = True
        table.horz_banding = not self.clean
        for index, width in enumerate(item.widths):
            table.columns[index].width = _emu(width)
        for index, height in enumerate(item.heights):
            table.rows[index].height = _emu(height)
        for r, row in enumerate(rows):
            for c, cell_runs in enumerate(row):
                cell = table.cell(r, c)
                self.cell(cell, cell_runs, r == 0, item.table.right[c])

    def cell(self, cell: Any, runs: tuple[Run, ...], header: bool, right: bool) -> None:
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Pt

        cell.margin_left = cell.margin_right = Pt(MARGIN_X)
        cell.margin_top = cell.margin_bottom = Pt(MARGIN_Y)
        frame = cell.text_frame
        frame.word_wrap = True
        p = frame.paragraphs[0]
        _paragraph_format(p, Paragraph(runs), TABLE_SIZE, self.measure.line, 0.0)
        if right:
            p.alignment = PP_ALIGN.RIGHT
        colour = self.look.table_header_text if header and self.clean else None
        for piece in runs:
            self.run(p, Run(piece.text, piece.bold or header, piece.italic), TABLE_SIZE, False,
                     colour)
        if self.clean:
            _cell_look(cell, self.look.table_header if header else "#FFFFFF", self.look.line)

    def notes(self, slide: Any, lines: list[str]) -> None:
        if lines:
            slide.notes_slide.notes_text_frame.text = "\n".join(lines)

    def logo(self, slide: Any) -> None:
        logo = self.look.logo
        if logo is None:
            return
        width, height = _picture_size(logo.data, logo.kind)
        scale = min(LOGO_BOX.width / width, LOGO_BOX.height / height)
        box = LOGO_BOX if self.clean else Box(SIDE / 2, SIDE / 2, LOGO_BOX.width,
                                              LOGO_BOX.height)
        slide.shapes.add_picture(io.BytesIO(logo.data), _emu(box.left), _emu(box.top),
                                 _emu(width * scale), _emu(height * scale))

    def furniture(self, slide: Any, cover: bool) -> None:
        """The clean deck's accent rule under the title, slide number and footer text."""
        from pptx.dml.color import RGBColor
        from pptx.enum.shapes import MSO_SHAPE

        look = self.look
        top = (COVER_BODY.top - 6) if cover else BODY_BOX.top - 14
        rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(SIDE), _emu(top), _emu(72),
                                      _emu(3))
        rule.fill.solid()
        rule.fill.fore_color.rgb = RGBColor.from_string(look.accent.lstrip("#").upper())
        rule.line.fill.background()
        rule.shadow.inherit = False
        for text, box, right in ((str(self.number), Box(WIDTH - SIDE - 60, HEIGHT - 36, 60, 20),
                                  True),
                                 (look.footer or "", Box(SIDE, HEIGHT - 36, 600, 20), False)):
            if not text or (cover and right):
                continue
            shape = slide.shapes.add_textbox(0, 0, 1, 1)
            _place(shape, box)
            frame = _frame(shape, "t")
            p = frame.paragraphs[0]
            _paragraph_format(p, Paragraph(()), SMALL, self.measure.line, 0.0)
            if right:
                from pptx.enum.text import PP_ALIGN

                p.alignment = PP_ALIGN.RIGHT
            self.run(p, Run(text), SMALL, False, look.muted)


def _page_blocks(page: Page) -> list[Paragraph | Table | Picture]:
    out: list[Paragraph | Table | Picture] = []
    for item in page.items:
        if isinstance(item, TextItem):
            out.extend(item.paragraphs)
        elif isinstance(item, TableItem):
            out.append(Table(item.table.header, tuple(item.rows), item.table.right))
        else:
            out.append(Picture(item.png, *png_size(item.png)))
    return out


def _picture_size(data: bytes, kind: str) -> tuple[int, int]:
    if kind == "png":
        return png_size(data)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        return picture.size


def _below(body: Box, title: Box) -> Box:
    """The body, starting below a title that grew into it."""
    floor = title.top + title.height + 6
    if body.top >= floor or body.top + body.height <= title.top:
        return body
    return Box(body.left, floor, body.width, max(body.top + body.height - floor, 72.0))


def _box(shape: Any) -> Box:
    return Box(_pt(shape.left), _pt(shape.top), _pt(shape.width), _pt(shape.height))


def _place(shape: Any, box: Box) -> None:
    shape.left, shape.top = _emu(box.left), _emu(box.top)
    shape.width, shape.height = _emu(box.width), _emu(box.height)


def _frame(shape: Any, anchor: str | None) -> Any:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
    from pptx.util import Pt

    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Pt(MARGIN_X)
    frame.margin_top = frame.margin_bottom = Pt(MARGIN_Y)
    if anchor is not None:
        frame.vertical_anchor = MSO_ANCHOR.BOTTOM if anchor == "b" else MSO_ANCHOR.TOP
    return frame


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _a(tag: str) -> str:
    return f"{{{_A}}}{tag}"


def _paragraph_format(p: Any, paragraph: Paragraph, size: float, line: float,
                      before: float) -> None:
    """Exact line spacing, space before, and the bullet and indent of the paragraph's level
    (no bullet otherwise), so the text sits as it was measured whatever the layout says."""
    from lxml import etree

    ppr = p._p.get_or_add_pPr()
    for child in list(ppr):
        ppr.remove(child)
    level = paragraph.level
    indent = 0.0 if level is None else INDENT * (level + 1)
    ppr.set("marL", str(_emu(indent)))
    ppr.set("indent", str(-_emu(INDENT) if level is not None and paragraph.bullet else 0))
    ppr.set("lvl", str(level or 0))
    spacing = etree.SubElement(etree.SubElement(ppr, _a("lnSpc")), _a("spcPts"))
    spacing.set("val", str(int(round(size * line * 100))))
    etree.SubElement(etree.SubElement(ppr, _a("spcBef")), _a("spcPts")).set(
        "val", str(int(round(before * 100))))
    if level is not None and paragraph.bullet:
        etree.SubElement(ppr, _a("buFont")).set("typeface", "Arial")
        etree.SubElement(ppr, _a("buChar")).set("char", "•" if level == 0 else "–")
    else:
        etree.SubElement(ppr, _a("buNone"))


def _east_asian(rpr: Any) -> None:
    from lxml import etree

    latin = rpr.find(_a("latin"))
    node = etree.Element(_a("ea"))
    node.set("typeface", EAST_ASIAN_FONT)
    if latin is not None:
        latin.addnext(node)
    else:
        rpr.append(node)


def _cell_look(cell: Any, fill: str, line: str) -> None:
    """A cell's fill and a thin rule below it, written in the order the schema wants."""
    from lxml import etree

    tcpr = cell._tc.get_or_add_tcPr()
    for child in list(tcpr):
        tcpr.remove(child)
    for side in ("lnL", "lnR", "lnT", "lnB"):
        edge = etree.SubElement(tcpr, _a(side))
        if side == "lnB":
            edge.set("w", "9525")
            solid = etree.SubElement(edge, _a("solidFill"))
            etree.SubElement(solid, _a("srgbClr")).set("val", line.lstrip("#").upper())
        else:
            edge.set("w", "0")
            etree.SubElement(edge, _a("noFill"))
    solid = etree.SubElement(tcpr, _a("solidFill"))
    etree.SubElement(solid, _a("srgbClr")).set("val", fill.lstrip("#").upper())


def _placeholders(slide: Any) -> tuple[Any, Any]:
    """The slide's title placeholder and its body (or subtitle, or content) placeholder."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    title = body = None
    for shape in slide.placeholders:
        kind = shape.placeholder_format.type
        if kind in (PH.TITLE, PH.CENTER_TITLE) and title is None:
            title = shape
        elif kind in (PH.BODY, PH.OBJECT, PH.SUBTITLE) and body is None:
            body = shape
    return title, body


def _layout_boxes(layout: Any) -> tuple[Box, Box]:
    title, body = _placeholders(layout)
    return _box(title), _box(body)


def pick_layouts(prs: Any) -> tuple[Any, Any]:
    """The title layout (a centred title with a subtitle) and the content layout (a title
    and the largest body), chosen by their placeholders' types, not their names."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    content = cover = None
    best = -1
    for layout in prs.slide_layouts:
        kinds = {shape.placeholder_format.type for shape in layout.placeholders}
        _, body = _placeholders(layout)
        if PH.TITLE in kinds and body is not None and \
                body.placeholder_format.type in (PH.BODY, PH.OBJECT):
            area = int(body.width or 0) * int(body.height or 0)
            if area > best:
                content, best = layout, area
        if cover is None and PH.CENTER_TITLE in kinds and PH.SUBTITLE in kinds:
            cover = layout
    if content is None:
        raise TemplateProblem("the slide template has no layout with a title and a body "
                              "placeholder")
    return cover or content, content


def start(context: RenderContext) -> Any:
    """A presentation with the template's masters and layouts and no slides, or python-pptx's
    own widened to 16:9."""
    from pptx import Presentation

    if context.pptx_template is None:
        from pptx.util import Emu

        prs = Presentation()
        ratio = _emu(WIDTH) / (prs.slide_width or 1)
        prs.slide_width, prs.slide_height = Emu(_emu(WIDTH)), Emu(_emu(HEIGHT))
        for master in prs.slide_masters:
            for element in [master._element, *(layout._element
                                               for layout in master.slide_layouts)]:
                for xfrm in element.iter(_a("xfrm")):
                    for node, key in ((xfrm.find(_a("off")), "x"), (xfrm.find(_a("ext")), "cx")):
                        if node is not None:
                            node.set(key, str(int(int(node.get(key)) * ratio)))
        return prs
    prs = Presentation(str(context.pptx_template))
    listing = prs.slides._sldIdLst
    for entry in list(listing):
        prs.part.drop_rel(entry.rId)
        listing.remove(entry)
    return prs


def _clean_package(prs: Any) -> None:
    """No thumbnail or application name left from python-pptx's or the client's file."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    package = prs.part.package
    for r_id, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(r_id)
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'extended-properties"><Application>gtmgen</Application></Properties>')


def _render(context: RenderContext, deck: Deck) -> bytes:
    from gtmgen.render.wordparts import reproducible_zip, set_core_properties

    prs = start(context)
    writer = _Writer(context, prs, deck)
    for slide in deck.slides:
        writer.slide(slide)
    title = deck.slides[0].title if deck.slides else ""
    set_core_properties(prs, context, title)
    _clean_package(prs)
    raw = io.BytesIO()
    prs.save(raw)
    return reproducible_zip(raw.getvalue(), context.stamp)


__all__ = ["render_pptx", "deck_text", "pick_layouts", "BODY_SIZES"]
