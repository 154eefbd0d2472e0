"""Text measured with real font metrics, and a slide's blocks laid out in its body area:
what does not fit goes on to continuation slides, never cut and never below 14 pt.

The rule: every length is in points. Text is measured with DejaVu Sans (Noto Sans CJK for
Chinese), the fonts that ship with matplotlib, which are as wide as or wider than Calibri
(Carlito), Arial and Helvetica, so text measured to fit fits in those. A line is as high as
LINE times the font size (the line spacing the deck sets exactly). A slide's text is set at
18 pt, else 16 or 14 pt when that keeps the slide on one page; when even 14 pt does not, the
slide is split at 18 pt, paragraph by paragraph (a paragraph taller than a page by lines).
Tables are set at 14 pt and split by rows, the header repeated; a row taller than a page is
split by lines. A chart takes the width of the body, or less to fit the height left on the
page; with less than MIN_PICTURE of the body's height left it starts a new page."""

from __future__ import annotations

import functools
import importlib.util
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gtmgen.render.slidemarkup import Paragraph, Run, Table

BODY_SIZES = (18.0, 16.0, 14.0)
TABLE_SIZE = 14.0
MIN_SIZE = 14.0
LINE = 1.2  # line height, times the font size
CJK_LINE = 1.45  # CJK fonts are taller: Noto Sans CJK's ascent and descent
SPACE_BEFORE = 6.0  # between paragraphs
GAP = 12.0  # between blocks
INDENT = 20.0  # per bullet level
MARGIN_X, MARGIN_Y = 7.2, 3.6  # text frame and table cell insets (0.1 in, 0.05 in)
MIN_PICTURE = 0.4
PICTURE_SHARE = 0.62  # of the body's height, for a chart with more of the slide after it
SCALE = 8  # fonts are loaded at SCALE pixels per point, for precise widths


def _font_folder() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


def font_files(locale: str) -> tuple[Path, Path]:
    """The regular and bold fonts text is measured with."""
    if locale == "zh":
        spec = importlib.util.find_spec("notojp_matplotlib")
        if spec and spec.submodule_search_locations:
            folder = Path(list(spec.submodule_search_locations)[0]) / "fonts"
            found = sorted(folder.glob("NotoSansCJK*.otf"))
            if found:
                return found[0], found[0]
    folder = _font_folder()
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


class Measure:
    """Widths and wrapped lines of text, with the measuring fonts of a locale."""

    def __init__(self, locale: str) -> None:
        self.regular, self.bold = font_files(locale)
        self.line = CJK_LINE if locale == "zh" else LINE

    @functools.lru_cache(maxsize=16)  # noqa: B019 - one Measure per build
    def _font(self, bold: bool, size: float) -> Any:
        from PIL import ImageFont

        return ImageFont.truetype(str(self.bold if bold else self.regular),
                                  size=round(size * SCALE))

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one Measure per build
    def width(self, text: str, bold: bool, size: float) -> float:
        """The advance width of text, in points."""
        return float(self._font(bold, size).getlength(text)) / SCALE

    def _atoms(self, runs: tuple[Run, ...], size: float,
               limit: float) -> list[tuple[float, bool, list[Run]]]:
        """Unbreakable pieces: (width, space before, runs); a word wider than the line is
        broken into characters, CJK text at every character."""
        atoms: list[tuple[float, bool, list[Run]]] = []
        space = True
        current: list[Run] = []

        def close() -> None:
            nonlocal current, space
            if current:
                width = sum(self.width(r.text, r.bold, size) for r in current)
                if width > limit and sum(len(r.text) for r in current) > 1:
                    first = True
                    for run in current:
                        for char in run.text:
                            atoms.append((self.width(char, run.bold, size), space and first,
                                          [Run(char, run.bold, run.italic)]))
                            first = False
                else:
                    atoms.append((width, space, current))
                current = []
                space = False

        for run in runs:
            for char in run.text:
                if char.isspace():
                    close()
                    space = True
                elif _wide(char):
                    close()
                    atoms.append((self.width(char, run.bold, size), space,
                                  [Run(char, run.bold, run.italic)]))
                    space = False
                elif current and current[-1].bold == run.bold \
                        and current[-1].italic == run.italic:
                    current[-1] = Run(current[-1].text + char, run.bold, run.italic)
                else:
                    current.append(Run(char, run.bold, run.italic))
        close()
        return atoms

    def lines(self, runs: tuple[Run, ...], size: float, limit: float) -> list[tuple[Run, ...]]:
        """The runs wrapped greedily into lines no wider than `limit` points."""
        space = self.width(" ", False, size)
        lines: list[list[Run]] = []
        line: list[Run] = []
        used = 0.0
        for width, spaced, pieces in self._atoms(runs, size, limit):
            extra = width + (space if spaced and line else 0.0)
            if line and used + extra > limit:
                lines.append(line)
                line, used, extra = [], 0.0, width
            elif spaced and line:
                line.append(Run(" ", pieces[0].bold, pieces[0].italic))
            line.extend(pieces)
            used += extra
        if line or not lines:
            lines.append(line)
        return [_merge(item) for item in lines]


def _merge(pieces: list[Run]) -> tuple[Run, ...]:
    out: list[Run] = []
    for piece in pieces:
        if out and out[-1].bold == piece.bold and out[-1].italic == piece.italic:
            out[-1] = Run(out[-1].text + piece.text, piece.bold, piece.italic)
        else:
            out.append(piece)
    return tuple(out)


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in points."""

    left: float
    top: float
    width: float
    height: float


@dataclass
class TextItem:
    """Paragraphs placed in the body's text frame."""

    paragraphs: list[Paragraph]
    size: float
    box: Box


@dataclass
class TableItem:
    """Rows of a table placed on a page, the header first."""

    table: Table
    rows: list[tuple[tuple[Run, ...], ...]]
    widths: list[float]
    heights: list[float]  # the header's, then each row's
    box: Box


@dataclass
class PictureItem:
    """A chart's picture, scaled into its box."""

    png: bytes
    box: Box


Item = TextItem | TableItem | PictureItem


@dataclass
class Page:
    """What one slide holds."""

    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Picture:
    """A chart drawn: its PNG and its size in pixels."""

    png: bytes
    width: int
    height: int


def text_height(measure: Measure, paragraph: Paragraph, size: float, width: float,
                first: bool) -> float:
    """The height of one paragraph in a text frame `width` points wide."""
    count = len(measure.lines(paragraph.runs, size, text_width(paragraph, width)))
    return count * size * measure.line + (0.0 if first else SPACE_BEFORE)


def text_width(paragraph: Paragraph, width: float) -> float:
    """The width a paragraph's lines have in a frame `width` points wide."""
    indent = 0.0 if paragraph.level is None else INDENT * (paragraph.level + 1)
    return width - 2 * MARGIN_X - indent


def column_widths(measure: Measure, table: Table, total: float) -> list[float]:
    """Each column at least as wide as its longest word; the rest shared by text amount."""
    columns = len(table.header)
    longest = [0.0] * columns
    amount = [0.0] * columns
    for row_index, row in enumerate([table.header, *table.rows]):
        bold = row_index == 0
        for index, cell in enumerate(row):
            text = "".join(r.text for r in cell)
            for word in text.split():
                longest[index] = max(longest[index], measure.width(word, bold, TABLE_SIZE))
            amount[index] += min(measure.width(text, bold, TABLE_SIZE), total)
    need = [min(w, total / 2) + 2 * MARGIN_X + 1 for w in longest]
    if sum(need) >= total:
        return [n * total / sum(need) for n in need]
    spare, share = total - sum(need), sum(amount) or 1.0
    return [n + spare * a / share for n, a in zip(need, amount, strict=True)]


def _cell_lines(measure: Measure, row: tuple[tuple[Run, ...], ...], widths: list[float],
                bold: bool) -> list[list[tuple[Run, ...]]]:
    return [measure.lines(tuple(replace(r, bold=r.bold or bold) for r in cell), TABLE_SIZE,
                          width - 2 * MARGIN_X) for cell, width in zip(row, widths, strict=True)]


def row_height(measure: Measure, lines: list[list[tuple[Run, ...]]]) -> float:
    """A table row's height from its cells' lines."""
    return max(len(c) for c in lines) * TABLE_SIZE * measure.line + 2 * MARGIN_Y


class Layout:
    """Places a slide's blocks on pages of one body box."""

    def __init__(self, measure: Measure, body: Box) -> None:
        self.measure, self.body = measure, body
        self._rows: dict[tuple[Any, ...], list[list[tuple[Run, ...]]]] = {}

    def pages(self, blocks: list[Paragraph | Table | Picture]) -> list[Page]:
        """The pages a slide needs: one when its text fits at 18, 16 or 14 pt, else as many as
        18 pt takes."""
        if not any(isinstance(block, Paragraph) for block in blocks):
            return self._place(blocks, BODY_SIZES[0])
        for size in BODY_SIZES:
            pages = self._place(blocks, size)
            if len(pages) == 1:
                return pages
        return self._place(blocks, BODY_SIZES[0])

    def _place(self, blocks: list[Paragraph | Table | Picture], size: float) -> list[Page]:
        state = _State(self.body)
        for index, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                self._paragraph(state, block, size)
            elif isinstance(block, Table):
                self._table(state, block)
            else:
                self._picture(state, block, last=index == len(blocks) - 1)
        return [page for page in state.pages if page.items] or [Page()]

    def _paragraph(self, state: _State, paragraph: Paragraph, size: float) -> None:
        body, measure = self.body, self.measure
        item = state.text_item(size)
        first = item is None or not item.paragraphs
        height = text_height(measure, paragraph, size, body.width, first)
        room = state.room(item is None) - (2 * MARGIN_Y if item is None else 0.0)
        if height <= room:
            state.add_text(paragraph, size, height)
            return
        lines = measure.lines(paragraph.runs, size, text_width(paragraph, body.width))
        line = size * measure.line
        gap = 0.0 if first else SPACE_BEFORE
        fit = int((room - gap) // line) if room > gap else 0
        if fit < 1 or len(lines) * line <= body.height - 2 * MARGIN_Y:
            # Keep a paragraph whole when a page can hold it; else split it by lines.
            if state.blank():
                fit = max(fit, 1)
            else:
                state.new_page()
                self._paragraph(state, paragraph, size)
                return
        head = Paragraph(_joined(lines[:fit]), paragraph.level, paragraph.bullet)
        state.add_text(head, size, gap + fit * line)
        state.new_page()
        tail = Paragraph(_joined(lines[fit:]), paragraph.level, bullet=False)
        self._paragraph(state, tail, size)

    def _table(self, state: _State, table: Table) -> None:
        measure, body = self.measure, self.body
        widths = column_widths(measure, table, body.width)
        head_lines = self._lines(table.header, widths, True)
        head = row_height(measure, head_lines)
        pending = list(table.rows)
        cap = self._balanced(state, table, widths, head)
        item: TableItem | None = None
        while pending:
            row = pending[0]
            lines = self._lines(row, widths, False)
            height = row_height(measure, lines)
            if item is None:
                room = state.room(True) - head
                if height > room and not state.blank() and \
                        min(height, body.height - head) > room:
                    state.new_page()
                    continue
                item = TableItem(table, [], widths, [head], Box(body.left, state.y, body.width,
                                                                head))
                state.add(item, head)
            room = state.room(False)
            if cap is not None and item.rows:
                room = min(room, cap - (item.box.height - head))
            if height <= room:
                item.rows.append(row)
                item.heights.append(height)
                item.box = replace(item.box, height=item.box.height + height)
                state.take(height)
                pending.pop(0)
                continue
            fit = int((room - 2 * MARGIN_Y) // (TABLE_SIZE * measure.line))
            fresh = not item.rows and len(state.pages[-1].items) == 1
            if fresh or (fit >= 1 and height > body.height - head):
                fit = max(fit, 1)
                top = tuple(_joined(c[:fit]) for c in lines)
                rest = tuple(_joined(c[fit:]) for c in lines)
                pending[0] = rest
                part = row_height(measure, [[*c[:fit]] or [()] for c in lines])
                item.rows.append(top)
                item.heights.append(part)
                item.box = replace(item.box, height=item.box.height + part)
                state.take(part)
            if not item.rows:
                state.drop(item, head)
            state.new_page()
            item = None

    def _balanced(self, state: _State, table: Table, widths: list[float],
                  head: float) -> float | None:
        """For a table that starts a slide and needs several, whose every row fits one: the
        height of rows per slide that spreads them evenly, so that the last continuation is
        not a lone row. None: fill each slide as far as it goes."""
        if not state.blank() or not table.rows:
            return None
        heights = [row_height(self.measure, self._lines(row, widths, False))
                   for row in table.rows]
        capacity = state.room(True) - head
        if max(heights) > capacity:
            return None
        slides = _slides_needed(heights, capacity)
        if slides < 2:
            return None
        target = max(sum(heights) / slides, max(heights))
        while _slides_needed(heights, target) > slides:
            target = min(capacity, target + TABLE_SIZE)
        return target

    def _lines(self, row: tuple[tuple[Run, ...], ...], widths: list[float],
               bold: bool) -> list[list[tuple[Run, ...]]]:
        key = (row, tuple(widths), bold)
        if key not in self._rows:
            self._rows[key] = _cell_lines(self.measure, row, widths, bold)
        return self._rows[key]

    def _picture(self, state: _State, picture: Picture, last: bool) -> None:
        body = self.body
        room = min(state.room(True), body.height * (1.0 if last else PICTURE_SHARE))
        if room < body.height * MIN_PICTURE and not state.blank():
            state.new_page()
            room = min(state.room(True), body.height * (1.0 if last else PICTURE_SHARE))
        room = max(room, min(body.height, 72.0))  # a body too small still shows the chart
        width = min(body.width, room * picture.width / picture.height)
        height = width * picture.height / picture.width
        box = Box(body.left + (body.width - width) / 2, state.y, width, height)
        state.add(PictureItem(picture.png, box), height)


def _joined(lines: list[tuple[Run, ...]]) -> tuple[Run, ...]:
    return _merge([r for line in lines for r in (*line, Run(" "))][:-1])


def _slides_needed(heights: list[float], capacity: float) -> int:
    """How many slides rows of these heights fill, each slide taking rows up to `capacity`."""
    slides, used = 1, 0.0
    for height in heights:
        if used + height > capacity + 1e-6 and used > 0:
            slides, used = slides + 1, 0.0
        used += height
    return slides


class _State:
    """The page being filled: its items and the height used."""

    def __init__(self, body: Box) -> None:
        self.body = body
        self.pages = [Page()]
        self.y = body.top

    def blank(self) -> bool:
        return not self.pages[-1].items

    def room(self, new_block: bool) -> float:
        gap = GAP if new_block and not self.blank() else 0.0
        return self.body.top + self.body.height - self.y - gap

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.body.top

    def text_item(self, size: float) -> TextItem | None:
        items = self.pages[-1].items
        if items and isinstance(items[-1], TextItem) and items[-1].size == size:
            return items[-1]
        return None

    def add_text(self, paragraph: Paragraph, size: float, height: float) -> None:
        item = self.text_item(size)
        if item is None:
            if not self.blank():
                self.y += GAP
            # The frame's insets above and below the text are part of its height.
            item = TextItem([], size, Box(self.body.left, self.y, self.body.width,
                                          2 * MARGIN_Y))
            self.pages[-1].items.append(item)
            self.y += 2 * MARGIN_Y
        item.paragraphs.append(paragraph)
        item.box = replace(item.box, height=item.box.height + height)
        self.y += height

    def add(self, item: Item, height: float) -> None:
        if not self.blank():
            self.y += GAP
            item.box = replace(item.box, top=self.y)
        self.pages[-1].items.append(item)
        self.y += height

    def take(self, height: float) -> None:
        self.y += height

    def drop(self, item: Item, height: float) -> None:
        self.pages[-1].items.remove(item)
        self.y -= height
