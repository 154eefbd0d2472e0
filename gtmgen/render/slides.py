"""The slide deck: templates/slides/playbook.md.j2 rendered like the documents, read as
slides (slidemarkup.py), laid out with measured text (slidefit.py) and written with
python-pptx, on a client's .pptx masters and layouts or a clean 16:9 deck in the theme."""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING, Any

from gtmgen.errors import UsageError
from gtmgen.render.slidefit import (
    BODY_SIZES,
    MARGIN_X,
    MARGIN_Y,
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
from gtmgen.render.slidexml import Cells, Look, rule, table, text_body, text_box
from gtmgen.render.templates import TemplateProblem, from_client_file

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
FOOTER_BOX = Box(SIDE, HEIGHT - 36, 600, 20)
NUMBER_BOX = Box(WIDTH - SIDE - 60, HEIGHT - 36, 60, 20)
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
    return from_client_file(context.pptx_template, "a slide template",
                            lambda: _render(context, deck))


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
        look = context.look
        self.theme = look
        self.locale = context.playbook.client.locale
        self.measure = Measure(self.locale)
        self.cover_layout, self.content_layout = pick_layouts(prs)
        self.number = 0
        self.slide_id = 255
        ea = EAST_ASIAN_FONT if self.locale == "zh" else None
        if self.clean:
            self.body_look = Look(look.body_font, look.text, ea, left=True)
            self.heading_look = Look(look.heading_font, look.heading, ea, left=True)
            self.small_look = Look(look.body_font, look.muted, ea)
            self.cells = Cells(look.table_header, look.table_header_text, look.line)
        else:
            self.body_look = self.heading_look = self.small_look = Look(east_asian=ea)
            self.cells = Cells()

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
        """python-pptx's add_slide, without its look through every slide already added for
        a free id and an existing relationship (time growing with the square of the slides):
        a new slide part is never related yet, and ids are counted."""
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.opc.packuri import PackURI
        from pptx.oxml.ns import qn
        from pptx.parts.slide import SlidePart

        self.number += 1
        part = self.prs.part
        listing = self.prs.slides._sldIdLst
        if self.number == 1:
            self.slide_id = max([255, *(int(e.get("id")) for e in listing)])
        self.slide_id += 1
        slide_part = SlidePart.new(PackURI(f"/ppt/slides/slide{len(listing) + 1}.xml"),
                                   part.package, layout.part)
        r_id = part.rels._add_relationship(RT.SLIDE, slide_part)
        slide = slide_part.slide
        slide.shapes.clone_layout_placeholders(layout)
        entry = listing.makeelement(qn("p:sldId"), {"id": str(self.slide_id)})
        entry.set(qn("r:id"), r_id)
        listing.append(entry)
        return slide

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
        if shape is not None:
            _place(shape, box)
            _set_text(shape, text_body([Paragraph(run)], size, self.measure.line,
                                       self.heading_look, "b" if self.clean else None))
        return box

    def fill(self, slide: Any, body: Any, page: Page) -> None:
        from pptx.oxml import parse_xml

        tree = slide.shapes._spTree
        text_used = False
        for item in page.items:
            if isinstance(item, TextItem):
                xml = text_body(item.paragraphs, item.size, self.measure.line, self.body_look)
                if body is not None and not text_used:
                    _place(body, item.box)
                    _set_text(body, xml)
                    text_used = True
                else:
                    tree.append(parse_xml(text_box(_next_id(tree), item.box, xml)))
            elif isinstance(item, TableItem):
                tree.append(parse_xml(table(
                    _next_id(tree), item.box, item.widths, item.heights,
                    [item.table.header, *item.rows], item.table.right, TABLE_SIZE,
                    self.measure.line, self.body_look, self.cells)))
            elif isinstance(item, PictureItem):
                b = item.box
                slide.shapes.add_picture(io.BytesIO(item.png), _emu(b.left), _emu(b.top),
                                         _emu(b.width), _emu(b.height))
        if body is not None and not text_used:
            element = body._element
            element.getparent().remove(element)

    def notes(self, slide: Any, lines: list[str]) -> None:
        if lines:
            slide.notes_slide.notes_text_frame.text = "\n".join(lines)

    def logo(self, slide: Any) -> None:
        logo = self.theme.logo
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
        from pptx.oxml import parse_xml

        tree = slide.shapes._spTree
        top = (COVER_BODY.top - 6) if cover else BODY_BOX.top - 14
        tree.append(parse_xml(rule(_next_id(tree), Box(SIDE, top, 72, 3), self.theme.accent)))
        line = self.measure.line
        if self.theme.footer:
            body = text_body([Paragraph((Run(self.theme.footer),))], SMALL, line,
                             self.small_look)
            tree.append(parse_xml(text_box(_next_id(tree), FOOTER_BOX, body)))
        if not cover:
            body = text_body([Paragraph((Run(str(self.number)),))], SMALL, line,
                             self.small_look, right=True)
            tree.append(parse_xml(text_box(_next_id(tree), NUMBER_BOX, body)))


def _set_text(shape: Any, xml: str) -> None:
    """Replace a shape's text body with one written as text."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import qn

    element = shape._element
    new = parse_xml(xml)
    old = element.find(qn("p:txBody"))
    if old is not None:
        element.replace(old, new)
    else:
        element.append(new)


def _next_id(tree: Any) -> int:
    """A shape id not yet used on the slide."""
    from pptx.oxml.ns import qn

    return max((int(e.get("id", "0")) for e in tree.iter(qn("p:cNvPr"))), default=1) + 1


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
        from pptx.oxml.ns import qn
        from pptx.util import Emu

        prs = Presentation()
        ratio = _emu(WIDTH) / (prs.slide_width or 1)
        prs.slide_width, prs.slide_height = Emu(_emu(WIDTH)), Emu(_emu(HEIGHT))
        for master in prs.slide_masters:
            for element in [master._element, *(layout._element
                                               for layout in master.slide_layouts)]:
                for xfrm in element.iter(qn("a:xfrm")):
                    for node, key in ((xfrm.find(qn("a:off")), "x"), (xfrm.find(qn("a:ext")), "cx")):
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

    from gtmgen.render.wordparts import name_application

    package = prs.part.package
    for r_id, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(r_id)
    name_application(package.iter_parts())


def _quick_partnames(prs: Any) -> None:
    """python-pptx looks through every part for each new notes slide's name, which takes
    time growing with the square of the slides; count instead, from the names in use."""
    from pptx.opc.packuri import PackURI

    package = prs.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    counters: dict[str, int] = {}

    def next_partname(template: str) -> PackURI:
        number = counters.get(template, 0) + 1
        while template % number in taken:
            number += 1
        counters[template] = number
        taken.add(template % number)
        return PackURI(template % number)

    package.next_partname = next_partname


def _render(context: RenderContext, deck: Deck) -> bytes:
    from gtmgen.render.wordparts import reproducible_zip, set_core_properties

    prs = start(context)
    _quick_partnames(prs)
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
