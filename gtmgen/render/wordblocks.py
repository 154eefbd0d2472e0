"""The blocks of a Word body written as XML text: paragraphs with how they break across
pages, and tables with one column layout per kind of table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from gtmgen.render.wordparts import TABLE_TEXT

if TYPE_CHECKING:
    from gtmgen.theme import Theme

AFTER_TABLE_TWIPS = 200  # space above a paragraph that follows a table
SHORT_CELL_CHARS = 40  # a cell this short, with figures, gets room for two lines at most
# Keeps two adjacent tables apart (Word would join them); the only empty paragraph written.
GAP = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/>'
       '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')
CHAR_TWIPS = 100  # the width of an average bold character of 9-point table text
CELL_MARGINS_TWIPS = 230  # Word's default left and right cell margins


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


Part = Para | Table | str


def table_xml(table: Table, widths: list[int], look: Theme, style_ids: dict[str, str]) -> str:
    """A table: every row kept on one page, the header rows repeated on each."""
    grid_style = style_ids.get("Table Grid")
    line = look.line.lstrip("#")
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{line}"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = ["<w:tbl><w:tblPr>",
           f'<w:tblStyle w:val="{grid_style}"/>' if grid_style else "",
           f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblBorders>{borders}'
           '</w:tblBorders><w:tblLayout w:type="fixed"/>'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
           'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
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


def _char_units(char: str) -> float:
    """A character's width in average bold characters of table text: Chinese and Japanese
    characters count two, Cyrillic a little more than Latin."""
    import unicodedata

    if unicodedata.east_asian_width(char) in "WF":
        return 2.0
    if "\u0400" <= char <= "\u04ff" or char.isupper() or char.isdigit():
        return 1.15
    return 1.0


def _words(text: str) -> list[float]:
    """The widths of a text's words; a no-break space joins two words into one."""
    return [sum(_char_units(c) for c in word) for word in re.split(r"[ \t\r\n]+", text)
            if word]


def _two_lines(widths: list[float]) -> float:
    """The width a phrase needs to fit on two lines, split at its best word."""
    if len(widths) < 2:
        return sum(widths)
    return min(max(sum(widths[:k]) + k - 1, sum(widths[k:]) + len(widths) - k - 1)
               for k in range(1, len(widths)))


def _twips(units: float) -> int:
    return int((units + 1) * CHAR_TWIPS) + CELL_MARGINS_TWIPS


def layouts(tables: list[Table], total: int) -> dict[tuple[str, ...], list[int]]:
    """One set of column widths (twips) per kind of table, over all its tables: first room
    for each column's longest word (the header's are never broken), then for a short cell
    with figures on at most two lines (a date range, an amount), then the rest shared by how
    much text each column holds."""
    kinds: dict[tuple[str, ...], list[Table]] = {}
    for table in tables:
        kinds.setdefault(table.kind, []).append(table)
    layouts = {}
    for kind, group in kinds.items():
        columns = max(t.columns for t in group)
        hard, soft, amount = [0.0] * columns, [0.0] * columns, [0.0] * columns
        for table in group:
            for cells, header in table.texts:
                for index, text in enumerate(cells):
                    words = _words(text)
                    longest = max(words, default=0.0)
                    hard[index] = max(hard[index], longest if header else min(longest, 30.0))
                    if len(text) <= SHORT_CELL_CHARS and any(c.isdigit() for c in text):
                        soft[index] = max(soft[index], _two_lines(words))
                    if not header:
                        amount[index] += min(len(text), 60)
        need = [_twips(h) for h in hard]
        want = [max(_twips(s), n) for s, n in zip(soft, need, strict=True)]
        if sum(need) >= total:
            layouts[kind] = [int(n * total / sum(need)) for n in need]
            continue
        if sum(want) > total:
            share = (total - sum(need)) / (sum(want) - sum(need))
            layouts[kind] = [int(n + (w - n) * share) for n, w in zip(need, want, strict=True)]
            continue
        spare, whole = total - sum(want), sum(amount) or 1.0
        layouts[kind] = [int(w + spare * a / whole) for w, a in zip(want, amount, strict=True)]
    return layouts
