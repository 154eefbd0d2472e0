"""The slide deck: templates/slides/playbook.md.j2 rendered like the documents, read as
slides (slidemarkup.py), laid out with measured text (slidefit.py) and written with
python-pptx, on a client's .pptx masters and layouts or a clean 16:9 deck in the theme."""

from __future__ import annotations

import io
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
from gtmgen.render.slideparts import (
    add_slide,
    clean_package,
    first_slide_id,
    layout_boxes,
    next_id,
    pick_layouts,
    picture_size,
    place,
    placeholders,
    png_size,
    quick_partnames,
    set_text,
    start,
)
from gtmgen.render.slidexml import Cells, Look, emu, rule, table, text_body, text_box
from gtmgen.render.templates import from_client_file

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

SLIDES = "slides"
DECK = "playbook"
BOARD = "board"  # the board version: 8 to 10 slides, only when --doc board asks for it
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


def decks(documents: tuple[str, ...] | None) -> list[str]:
    """The slide decks --doc asks for: the playbook's by default, the board's only when named;
    NoPlaybookDocument when --doc names neither."""
    if documents is None:
        return [DECK]
    found = [name for name in (DECK, BOARD) if name in documents]
    if not found:
        raise NoPlaybookDocument("the slide deck (pptx) is made from the playbook document: "
                                 "add --doc playbook (or --doc board for the board deck), or "
                                 "leave --doc out")
    return found


def render_pptx(context: RenderContext, name: str = DECK) -> bytes:
    """The bytes of one deck (templates/slides/<name>.md.j2); TemplateProblem, naming the
    file, when a client's .pptx cannot carry it."""
    deck = parse(deck_text(context, name))
    return from_client_file(context.pptx_template, "a slide template",
                            lambda: _render(context, deck))


def deck_text(context: RenderContext, name: str = DECK) -> str:
    """The slide template rendered with the documents' environment and values."""
    from gtmgen.render.markdown import document_values
    from gtmgen.render.templates import SUFFIX, render_template

    env, values = document_values(context)
    return render_template(env, f"{SLIDES}/{name}{SUFFIX}", values)


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
        cover_body = self.fitted_body(True, slide.title) if slide.cover else content
        if slide.cover:
            # The cover holds what fits its own body; the rest goes on to content slides.
            pages = Layout(self.measure, cover_body).pages(blocks)
            rest = [b for page in pages[1:] for b in _page_blocks(page)]
            pages = [pages[0], *(Layout(self.measure, content).pages(rest) if rest else [])]
        else:
            pages = Layout(self.measure, content).pages(blocks)
        for index, page in enumerate(pages):
            cover = slide.cover and index == 0
            shape = self.add(self.cover_layout if cover else self.content_layout)
            title_ph, body_ph = placeholders(shape)
            title_box, _ = self.boxes(cover)
            self.title(title_ph, continued if index else slide.title, title_box, cover)
            self.fill(shape, body_ph, page)
            if index == 0:
                self.notes(shape, slide.notes)
            if cover:
                self.logo(shape)
            if self.clean:
                self.furniture(shape, cover, (cover_body if cover else content).top)

    def fitted_body(self, cover: bool, *titles: str) -> Box:
        """The body box below the title, lowered where a long title needs more room."""
        title_box, body = self.boxes(cover)
        for title in titles:
            body = _below(body, self.title(None, title, title_box, cover))
        return body

    def boxes(self, cover: bool) -> tuple[Box, Box]:
        if self.clean:
            return (COVER_TITLE, COVER_BODY) if cover else (TITLE_BOX, BODY_BOX)
        return layout_boxes(self.cover_layout if cover else self.content_layout)

    def add(self, layout: Any) -> Any:
        self.number += 1
        if self.number == 1:
            self.slide_id = first_slide_id(self.prs)
        self.slide_id += 1
        return add_slide(self.prs, layout, self.slide_id)

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
            place(shape, box)
            set_text(shape, text_body([Paragraph(run)], size, self.measure.line,
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
                    place(body, item.box)
                    set_text(body, xml)
                    text_used = True
                else:
                    tree.append(parse_xml(text_box(next_id(tree), item.box, xml)))
            elif isinstance(item, TableItem):
                tree.append(parse_xml(table(
                    next_id(tree), item.box, item.widths, item.heights,
                    [item.table.header, *item.rows], item.table.right, TABLE_SIZE,
                    self.measure.line, self.body_look, self.cells)))
            elif isinstance(item, PictureItem):
                b = item.box
                slide.shapes.add_picture(io.BytesIO(item.png), emu(b.left), emu(b.top),
                                         emu(b.width), emu(b.height))
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
        width, height = picture_size(logo.data, logo.kind)
        scale = min(LOGO_BOX.width / width, LOGO_BOX.height / height)
        box = LOGO_BOX if self.clean else Box(SIDE / 2, SIDE / 2, LOGO_BOX.width,
                                              LOGO_BOX.height)
        slide.shapes.add_picture(io.BytesIO(logo.data), emu(box.left), emu(box.top),
                                 emu(width * scale), emu(height * scale))

    def furniture(self, slide: Any, cover: bool, body_top: float) -> None:
        """The clean deck's accent rule between the title and the body, slide number and
        footer text."""
        from pptx.oxml import parse_xml

        tree = slide.shapes._spTree
        top = body_top - (6 if cover else 14)
        # Under the first letter of the title and body text, inside their frames' insets.
        tree.append(parse_xml(rule(next_id(tree), Box(SIDE + MARGIN_X, top, 72, 3),
                                   self.theme.accent)))
        line = self.measure.line
        if self.theme.footer:
            body = text_body([Paragraph((Run(self.theme.footer),))], SMALL, line,
                             self.small_look)
            tree.append(parse_xml(text_box(next_id(tree), FOOTER_BOX, body)))
        if not cover:
            body = text_body([Paragraph((Run(str(self.number)),))], SMALL, line,
                             self.small_look, right=True)
            tree.append(parse_xml(text_box(next_id(tree), NUMBER_BOX, body)))


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


def _below(body: Box, title: Box) -> Box:
    """The body, starting below a title that grew into it."""
    floor = title.top + title.height + 20  # room for the accent rule
    if body.top >= floor or body.top + body.height <= title.top:
        return body
    return Box(body.left, floor, body.width, max(body.top + body.height - floor, 72.0))


def _render(context: RenderContext, deck: Deck) -> bytes:
    from gtmgen.render.wordparts import reproducible_zip, set_core_properties

    prs = start(context.pptx_template, WIDTH, HEIGHT)
    quick_partnames(prs)
    writer = _Writer(context, prs, deck)
    for slide in deck.slides:
        writer.slide(slide)
    title = deck.slides[0].title if deck.slides else ""
    set_core_properties(prs, context, title)
    clean_package(prs)
    raw = io.BytesIO()
    prs.save(raw)
    return reproducible_zip(raw.getvalue(), context.stamp)


__all__ = ["render_pptx", "deck_text", "pick_layouts", "BODY_SIZES"]
