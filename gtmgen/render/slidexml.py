"""DrawingML for the deck's text, tables and shapes, written as text and parsed once per shape
(far quicker than python-pptx's objects run by run, for a calendar of thousands of rows)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from gtmgen.render.slidefit import INDENT, MARGIN_X, MARGIN_Y, SPACE_BEFORE, Box
from gtmgen.render.slidemarkup import Paragraph, Run

NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
EMU_PER_PT = 12700
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # PowerPoint's Medium Style 2, Accent 1
BULLETS = ("•", "–", "◦")


def emu(points: float) -> int:
    """Points → English Metric Units."""
    return int(round(points * EMU_PER_PT))


@dataclass(frozen=True)
class Look:
    """How runs look: a font and colour (None: the layout's), an East Asian font, and
    whether paragraphs line up on the left."""

    font: str | None = None
    colour: str | None = None
    east_asian: str | None = None
    left: bool = False


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def run(piece: Run, size: float, look: Look) -> str:
    """One run."""
    attrs = f' lang="en-US" sz="{int(round(size * 100))}"'
    attrs += ' b="1"' if piece.bold else ""
    attrs += ' i="1"' if piece.italic else ""
    inner = ""
    if look.colour:
        inner += f'<a:solidFill><a:srgbClr val="{_hex(look.colour)}"/></a:solidFill>'
    if look.font:
        inner += f"<a:latin typeface={quoteattr(look.font)}/>"
    if look.east_asian:
        inner += f"<a:ea typeface={quoteattr(look.east_asian)}/>"
    return f"<a:r><a:rPr{attrs} dirty=\"0\">{inner}</a:rPr><a:t>{escape(piece.text)}</a:t></a:r>"


def paragraph(item: Paragraph, size: float, line: float, before: float, look: Look,
              right: bool = False) -> str:
    """One paragraph: exact line spacing, space before, its level's bullet and indent (no
    bullet otherwise), so the text sits as it was measured whatever the layout says."""
    level = item.level
    indent = 0.0 if level is None else INDENT * (level + 1)
    hanging = -emu(INDENT) if level is not None and item.bullet else 0
    align = ' algn="r"' if right else (' algn="l"' if look.left else "")
    bullet = (f'<a:buFont typeface="Arial"/><a:buChar char="{BULLETS[level]}"/>'
              if level is not None and item.bullet else "<a:buNone/>")
    ppr = (f'<a:pPr marL="{emu(indent)}" indent="{hanging}" lvl="{level or 0}"{align}>'
           f'<a:lnSpc><a:spcPts val="{int(round(size * line * 100))}"/></a:lnSpc>'
           f'<a:spcBef><a:spcPts val="{int(round(before * 100))}"/></a:spcBef>{bullet}</a:pPr>')
    runs = "".join(run(piece, size, look) for piece in item.runs if piece.text)
    end = f'<a:endParaRPr lang="en-US" sz="{int(round(size * 100))}" dirty="0"/>'
    return f"<a:p>{ppr}{runs}{end}</a:p>"


def text_body(items: list[Paragraph], size: float, line: float, look: Look,
              anchor: str | None = "t", right: bool = False) -> str:
    """A text body: fixed insets, wrapping, no autofit, the paragraphs; anchored at the top
    ("t"), bottom ("b"), or as the layout says (None)."""
    tag = "p:txBody"
    where = f' anchor="{anchor}"' if anchor else ""
    body = (f'<a:bodyPr wrap="square" lIns="{emu(MARGIN_X)}" tIns="{emu(MARGIN_Y)}" '
            f'rIns="{emu(MARGIN_X)}" bIns="{emu(MARGIN_Y)}"{where} '
            f'rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/>')
    paragraphs = "".join(paragraph(p, size, line, 0.0 if index == 0 else SPACE_BEFORE, look,
                                   right) for index, p in enumerate(items)) or \
        paragraph(Paragraph(()), size, line, 0.0, look)
    return f"<{tag} {NS}>{body}{paragraphs}</{tag}>"


def _xfrm(box: Box, tag: str = "a:xfrm") -> str:
    return (f'<{tag}><a:off x="{emu(box.left)}" y="{emu(box.top)}"/>'
            f'<a:ext cx="{emu(box.width)}" cy="{emu(box.height)}"/></{tag}>')


def text_box(shape_id: int, box: Box, body: str) -> str:
    """A text box holding a text body (written with `text_body`)."""
    return (f'<p:sp {NS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox {shape_id}"/>'
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(box)}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
            f"{body.replace(f' {NS}', '', 1)}</p:sp>")


def rule(shape_id: int, box: Box, colour: str) -> str:
    """A filled rectangle without an outline (the accent rule under a title)."""
    return (f'<p:sp {NS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="Rule {shape_id}"/>'
            f'<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(box)}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr '
            f'val="{_hex(colour)}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>')


@dataclass(frozen=True)
class Cells:
    """A table's look: header fill and text colour, rule colour (None: the table style's)."""

    header_fill: str | None = None
    header_text: str | None = None
    line: str | None = None


def table(shape_id: int, box: Box, widths: list[float], heights: list[float],
          rows: list[tuple[tuple[Run, ...], ...]], right: tuple[bool, ...], size: float,
          line: float, look: Look, cells: Cells) -> str:
    """A table; its first row is the header (bold, repeated on every slide it spans)."""
    grid = "".join(f'<a:gridCol w="{emu(w)}"/>' for w in widths)
    out = []
    for index, (height, row) in enumerate(zip(heights, rows, strict=True)):
        header = index == 0
        text_look = look
        if header and cells.header_text:
            text_look = Look(look.font, cells.header_text, look.east_asian, look.left)
        tcs = []
        for column, cell in enumerate(row):
            pieces = tuple(Run(r.text, r.bold or header, r.italic) for r in cell)
            body = paragraph(Paragraph(pieces), size, line, 0.0, text_look, right[column])
            tcs.append(f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{body}</a:txBody>'
                       f'{_cell_properties(cells, header)}</a:tc>')
        out.append(f'<a:tr h="{emu(height)}">{"".join(tcs)}</a:tr>')
    band = "" if cells.header_fill else ' bandRow="1"'
    return (f'<p:graphicFrame {NS}><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" '
            f'name="Table {shape_id}"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/>'
            f'</p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>{_xfrm(box, "p:xfrm")}'
            f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
            f'table"><a:tbl><a:tblPr firstRow="1"{band}><a:tableStyleId>{TABLE_STYLE}'
            f'</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>{"".join(out)}</a:tbl>'
            f"</a:graphicData></a:graphic></p:graphicFrame>")


def _cell_properties(cells: Cells, header: bool) -> str:
    margins = (f'marL="{emu(MARGIN_X)}" marR="{emu(MARGIN_X)}" marT="{emu(MARGIN_Y)}" '
               f'marB="{emu(MARGIN_Y)}"')
    if cells.header_fill is None:
        return f"<a:tcPr {margins}/>"
    edges = "".join(f'<a:{side} w="0"><a:noFill/></a:{side}>' for side in ("lnL", "lnR", "lnT"))
    edges += (f'<a:lnB w="9525"><a:solidFill><a:srgbClr val="{_hex(cells.line or "#CBD2D9")}"/>'
              f"</a:solidFill></a:lnB>")
    fill = _hex(cells.header_fill) if header else "FFFFFF"
    return f'<a:tcPr {margins}>{edges}<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill></a:tcPr>'
