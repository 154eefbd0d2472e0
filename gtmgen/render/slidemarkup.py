"""The slide template's text → slides: a small Markdown-like form, read line by line.

`# ` starts the title slide and `## ` a content slide (its title); `### ` is a bold line;
`- ` a bullet (four spaces of indent per level, two levels deep); any other line a paragraph;
`| … |` lines a pipe table (header, `---` line, rows; `---:` aligns right);
`<!-- chart: NAME | TITLE | LABELS… -->` a chart, and the lines up to `<!-- /chart -->` what
shows instead when the chart is not drawn; `<!-- notes -->` makes the rest of the slide its
speaker notes; `<!-- continued: LABEL -->` is the label of continuation slides' titles.
Text is the Markdown the `md` and `cell` filters write: backslash escapes, entities,
`**bold**` and `*italic*`."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_CHART = re.compile(r"^<!--\s*chart:\s*(\w+)\s*\|?\s*(.*?)\s*-->$")
_CHART_END = re.compile(r"^<!--\s*/chart\s*-->$")
_NOTES = re.compile(r"^<!--\s*notes\s*-->$")
_CONTINUED = re.compile(r"^<!--\s*continued:\s*(.*?)\s*-->$")
_COMMENT = re.compile(r"^<!--.*-->$")
_BULLET = re.compile(r"^( *)[-+] (.*)$")
_SEPARATOR = re.compile(r"^:?-{3,}:?$")
MAX_LEVEL = 2


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its runs, its bullet level (None: no bullet)."""

    runs: tuple[Run, ...]
    level: int | None = None
    bullet: bool = True  # False: a bullet's text continued from the slide before

    @property
    def text(self) -> str:
        """The paragraph's plain text."""
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Table:
    """A pipe table: header cells, rows of cells, right-aligned columns."""

    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    right: tuple[bool, ...]


@dataclass(frozen=True)
class Chart:
    """A chart by name; `instead` is shown when it is not drawn."""

    name: str
    title: str
    instead: tuple[Block, ...] = ()


Block = Paragraph | Table | Chart


@dataclass
class Slide:
    """One slide as written: a title slide or a content slide, its blocks and notes."""

    title: str
    cover: bool
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Deck:
    """The slides, and the label continuation slides add to their title."""

    slides: list[Slide] = field(default_factory=list)
    continued: str = ""


def runs(text: str) -> tuple[Run, ...]:
    """Markdown inline text → runs: escapes and entities read, `**` and `*` as styles."""
    out: list[Run] = []
    bold = italic = False
    buffer: list[str] = []
    literal: list[str] = []

    def flush() -> None:
        if buffer:
            text = "".join(buffer)
            if out and out[-1].bold == bold and out[-1].italic == italic:
                out[-1] = Run(out[-1].text + text, bold, italic)
            else:
                out.append(Run(text, bold, italic))
            buffer.clear()

    def take_literal() -> None:
        if literal:
            buffer.append(html.unescape("".join(literal)))
            literal.clear()

    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            take_literal()
            buffer.append(text[index + 1])
            index += 2
            continue
        if char == "*":
            take_literal()
            flush()
            if text.startswith("**", index):
                bold = not bold
                index += 2
            else:
                italic = not italic
                index += 1
            continue
        literal.append(char)
        index += 1
    take_literal()
    flush()
    return tuple(out)


def plain(text: str) -> str:
    """Markdown inline text → its plain text."""
    return "".join(run.text for run in runs(text))


def _cells(line: str) -> list[str]:
    # Split on '|' that no backslash escapes; the outer pipes, where written, are dropped.
    cells: list[str] = []
    current: list[str] = []
    index, closed = 0, False
    body = line.strip()
    while index < len(body):
        char = body[index]
        closed = False
        if char == "\\" and index + 1 < len(body):
            current.append(body[index:index + 2])
            index += 2
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current, closed = [], True
        else:
            current.append(char)
        index += 1
    if not closed:
        cells.append("".join(current).strip())
    return cells[1:] if body.startswith("|") else cells


def _table(lines: list[str]) -> Table | None:
    header = _cells(lines[0])
    rest = lines[1:]
    marks = _cells(rest[0]) if rest and all(_SEPARATOR.match(c) for c in _cells(rest[0])) \
        else []
    if marks:
        rest = rest[1:]
    # A row with more cells than the header widens the table: no cell is dropped.
    width = max([len(header), *(len(_cells(line)) for line in rest)])
    if width == 0:
        return None
    header = (header + [""] * width)[:width]
    right = tuple(index < len(marks) and marks[index].endswith(":") for index in range(width))
    rows = tuple(tuple(runs(c) for c in (_cells(line) + [""] * width)[:width]) for line in rest)
    return Table(tuple(runs(c) for c in header), rows, right)


def blocks(lines: list[str]) -> list[Block]:
    """The blocks of a slide's lines (without its notes)."""
    found: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        stripped = line.strip()
        index += 1
        if not stripped:
            continue
        if chart := _CHART.match(stripped):
            end = next((i for i in range(index, len(lines))
                        if _CHART_END.match(lines[i].strip())), None)
            instead: tuple[Block, ...] = ()
            if end is not None:
                instead = tuple(blocks(lines[index:end]))
                index = end + 1
            found.append(Chart(chart.group(1), chart.group(2), instead))
        elif _COMMENT.match(stripped):
            continue
        elif stripped.startswith("|"):
            start = index - 1
            while index < len(lines) and lines[index].strip().startswith("|"):
                index += 1
            table = _table([item.strip() for item in lines[start:index]])
            if table is not None:
                found.append(table)
        elif bullet := _BULLET.match(line):
            level = min((len(bullet.group(1)) + 2) // 4, MAX_LEVEL)
            found.append(Paragraph(runs(bullet.group(2).strip()), level))
        elif stripped.startswith("#"):
            found.append(Paragraph(tuple(Run(r.text, True, r.italic)
                                         for r in runs(stripped.lstrip("#").strip()))))
        else:
            found.append(Paragraph(runs(stripped)))
    return found


def note_lines(lines: list[str]) -> list[str]:
    """Speaker notes: each line as plain text; bullets keep a bullet, table rows their cells
    separated by ' · ', table rules and markers are dropped."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if out and out[-1]:
                out.append("")
            continue
        if _COMMENT.match(stripped):
            continue
        if stripped.startswith("|"):
            cells = _cells(stripped)
            if not all(_SEPARATOR.match(c) for c in cells):
                out.append(" · ".join(plain(c) for c in cells))
        elif bullet := _BULLET.match(line.rstrip()):
            out.append("    " * min((len(bullet.group(1)) + 2) // 4, MAX_LEVEL) + "• "
                       + plain(bullet.group(2).strip()))
        else:
            out.append(plain(stripped.lstrip("#").strip()))
    while out and not out[-1]:
        out.pop()
    return out


def parse(text: str) -> Deck:
    """The slide template's output → a Deck."""
    deck = Deck()
    current: Slide | None = None
    body: list[str] = []
    notes: list[str] = []
    in_notes = False

    def close() -> None:
        if current is not None:
            current.blocks = blocks(body)
            current.notes = note_lines(notes)
            deck.slides.append(current)

    for line in text.splitlines():
        stripped = line.strip()
        if (line.startswith("# ") or line.startswith("## ")) and not stripped.startswith("###"):
            close()
            current = Slide(plain(stripped.lstrip("#").strip()), line.startswith("# "))
            body, notes, in_notes = [], [], False
        elif found := _CONTINUED.match(stripped):
            deck.continued = plain(found.group(1))
        elif _NOTES.match(stripped):
            in_notes = True
        elif current is not None:
            (notes if in_notes else body).append(line)
    close()
    return deck
