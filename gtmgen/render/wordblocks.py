"""The blocks of a Word body written as XML text: paragraphs with how they break across
pages, and tables with one column layout per kind of table."""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from gtmgen.render.wordparts import CAPTION, TABLE_TEXT

if TYPE_CHECKING:
    from gtmgen.theme import Theme

AFTER_TABLE_TWIPS = 200  # space above a paragraph that follows a table
SHORT_CELL_CHARS = 40  # a cell this short, with figures, gets room for two lines at most
# The width of an average character of 9-point table text, bold (a header) and regular, a
# little over what LibreOffice lays out in Carlito (Calibri's widths): 84 and 75 twips.
HEADER_CHAR_TWIPS = 90
CHAR_TWIPS = 82
CELL_MARGIN_TWIPS = 72  # a cell's left and right margins, each (Word's default is 108)
CELL_MARGINS = ('<w:tblCellMar><w:top w:w="29" w:type="dxa"/><w:left w:w="72" w:type="dxa"/>'
                '<w:bottom w:w="29" w:type="dxa"/><w:right w:w="72" w:type="dxa"/>'
                "</w:tblCellMar>")


def text_xml(text: str) -> str:
    """A w:t element; spaces at either end are kept."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


@dataclass
class Para:
    """A paragraph to write: its style, its runs, and how it breaks across pages."""

    style: str | None
    runs: str
    keep_next: bool = False
    page_break: bool = False
    numbering: str = ""
    space_before: int | None = None  # twips
    jc: str | None = None

    def xml(self, style_ids: dict[str, str]) -> str:
        style_id = style_ids.get(self.style or "")
        # CT_PPr's order: pStyle, keepNext, pageBreakBefore, numPr, spacing, jc.
        inner = ((f'<w:pStyle w:val="{style_id}"/>' if style_id else "")
                 + ("<w:keepNext/>" if self.keep_next else "")
                 + ("<w:pageBreakBefore/>" if self.page_break else "") + self.numbering
                 + (f'<w:spacing w:before="{self.space_before}"/>'
                    if self.space_before is not None else "")
                 + (f'<w:jc w:val="{self.jc}"/>' if self.jc else ""))
        return f"<w:p>{f'<w:pPr>{inner}</w:pPr>' if inner else ''}{self.runs}</w:p>"


@dataclass
class Table:
    """A table to write once every table is known: its kind (the header's words) shares one
    set of column widths across the document."""

    kind: tuple[str, ...]
    rows: list[tuple[list[tuple[str, bool]], bool]]  # cells (runs, right-aligned), header?
    texts: list[tuple[list[str], bool]]  # the cells' text, to measure
    columns: int
    page_break: bool = False
    caption: str = ""  # the caption paragraph's text, also the table's own title in Word


Part = Para | Table | str


def body_xml(parts: list[Part], total: int, look: Theme, style_ids: dict[str, str]) -> str:
    """The body's XML: the tables with a column layout per kind. A paragraph after a table
    gets space above it (a caption has its style's); no empty paragraph is written, as a
    caption stands above every table."""
    widths = layouts([p for p in parts if isinstance(p, Table)], total)
    out: list[str] = []
    before: Part | None = None
    for part in parts:
        if not part:
            continue
        if isinstance(part, Table):
            out.append(table_xml(part, widths[part.kind], look, style_ids))
        else:
            if isinstance(before, Table) and isinstance(part, Para) \
                    and part.space_before is None and part.style != CAPTION:
                part.space_before = AFTER_TABLE_TWIPS
            out.append(part.xml(style_ids) if isinstance(part, Para) else part)
        before = part
    return "".join(out)


def table_xml(table: Table, widths: list[int], look: Theme, style_ids: dict[str, str]) -> str:
    """A table: every row kept on one page, the header rows repeated on each (and marked as
    headers for screen readers), its caption as the table's title."""
    grid_style = style_ids.get("Table Grid")
    line = look.line.lstrip("#")
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{line}"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = ["<w:tbl><w:tblPr>",
           f'<w:tblStyle w:val="{grid_style}"/>' if grid_style else "",
           f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}'
           f'</w:tblBorders><w:tblLayout w:type="fixed"/>{CELL_MARGINS}'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
           'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>',
           f"<w:tblCaption w:val={quoteattr(table.caption)}/>" if table.caption else "",
           "</w:tblPr><w:tblGrid>"]
    out += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    out.append("</w:tblGrid>")
    text_id = style_ids.get(TABLE_TEXT, "")
    fill = look.table_header.lstrip("#")
    for number, (cells, header) in enumerate(table.rows):
        out.append("<w:tr><w:trPr><w:cantSplit/>"
                   + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        for index, (runs, right) in enumerate(cells):
            shade = (f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
                     if header else "")
            ppr = (f'<w:pPr><w:pStyle w:val="{text_id}"/>'
                   + ("<w:pageBreakBefore/>" if table.page_break and number == 0 else "")
                   + ('<w:jc w:val="right"/>' if right else "") + "</w:pPr>")
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[index]}" w:type="dxa"/>{shade}'
                       f"</w:tcPr><w:p>{ppr}{runs}</w:p></w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


@functools.cache
def _char_units(char: str) -> float:
    """A character's width in average bold characters of table text: Chinese and Japanese
    characters count two, Cyrillic a little more than Latin."""
    import unicodedata

    if unicodedata.east_asian_width(char) in "WF":
        return 2.0
    if "\u0400" <= char <= "\u04ff" or char.isupper() or char.isdigit():
        return 1.15
    return 1.0


def _words(text: str, hyphens: bool = False) -> list[float]:
    """The widths of a text's words; a no-break space joins two words into one. With
    `hyphens`, a word also breaks after a hyphen, as Word and LibreOffice break it."""
    pattern = r"[ \t\r\n]+|(?<=-)(?=.)" if hyphens else r"[ \t\r\n]+"
    return [sum(_char_units(c) for c in word) for word in re.split(pattern, text) if word]


def _two_lines(widths: list[float]) -> float:
    """The width a phrase needs to fit on two lines, split at its best word."""
    if len(widths) < 2:
        return sum(widths)
    return min(max(sum(widths[:k]) + k - 1, sum(widths[k:]) + len(widths) - k - 1)
               for k in range(1, len(widths)))


def _twips(units: float, per_char: int = CHAR_TWIPS) -> int:
    return int((units + 0.5) * per_char) + 2 * CELL_MARGIN_TWIPS


def _fit(levels: list[list[int]], total: int) -> list[int]:
    """The widest of the levels (each column at least as wide as in the level before) that
    fits, with the next level's extra room shared out as far as it goes; below the first
    level, the first scaled down."""
    first = levels[0]
    if sum(first) >= total:
        return [int(w * total / sum(first)) for w in first]
    for low, high in itertools.pairwise(levels):
        if sum(high) > total:
            share = (total - sum(low)) / (sum(high) - sum(low))
            return [int(a + (b - a) * share) for a, b in zip(low, high, strict=True)]
    return levels[-1]


def layouts(tables: list[Table], total: int) -> dict[tuple[str, ...], list[int]]:
    """One set of column widths (twips) per kind of table, over all its tables: first room
    for the header's words (never broken), then for a short cell with figures on at most two
    lines (a date range, an amount), then for the longest word of each column, then the rest
    shared by how much text each column holds."""
    kinds: dict[tuple[str, ...], list[Table]] = {}
    for table in tables:
        kinds.setdefault(table.kind, []).append(table)
    found = {}
    for kind, group in kinds.items():
        columns = max(t.columns for t in group)
        head, word, short, amount = ([0.0] * columns for _ in range(4))
        for table in group:
            for cells, header in table.texts:
                for index, text in enumerate(cells):
                    if header:
                        head[index] = max([head[index], *_words(text)])
                        continue
                    word[index] = max([word[index], *(min(w, 30.0) for w in
                                                      _words(text, hyphens=True))])
                    if len(text) <= SHORT_CELL_CHARS and any(c.isdigit() for c in text):
                        short[index] = max(short[index], _two_lines(_words(text)))
                    amount[index] += min(len(text), 60)
        heads = [_twips(h, HEADER_CHAR_TWIPS) for h in head]
        words = [max(_twips(w), h) for w, h in zip(word, heads, strict=True)]
        shorts = [max(_twips(s), h) for s, h in zip(short, heads, strict=True)]
        both = [max(s, w) for s, w in zip(shorts, words, strict=True)]
        widths = _fit([heads, shorts, both], total)
        spare, whole = total - sum(widths), sum(amount) or 1.0
        if spare > 0:
            widths = [int(w + spare * a / whole) for w, a in zip(widths, amount, strict=True)]
        found[kind] = widths
    return found
