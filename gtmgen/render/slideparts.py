"""The presentation around the slides: python-pptx's own or the client's template, its
title and content layouts chosen by their placeholders, slides added and named by counting,
shapes placed in points, and a package with nothing of a template's own left in it."""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING, Any

from gtmgen.render.slidefit import Box
from gtmgen.render.slidexml import EMU_PER_PT, emu
from gtmgen.render.templates import TemplateProblem

if TYPE_CHECKING:
    from pathlib import Path


def points(length: int) -> float:
    """English Metric Units → points."""
    return length / EMU_PER_PT


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def set_text(shape: Any, xml: str) -> None:
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


def next_id(tree: Any) -> int:
    """A shape id not yet used on the slide."""
    from pptx.oxml.ns import qn

    return max((int(e.get("id", "0")) for e in tree.iter(qn("p:cNvPr"))), default=1) + 1


def picture_size(data: bytes, kind: str) -> tuple[int, int]:
    if kind == "png":
        return png_size(data)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as picture:
        return picture.size


def box_of(shape: Any) -> Box:
    return Box(points(shape.left), points(shape.top), points(shape.width), points(shape.height))


def place(shape: Any, box: Box) -> None:
    shape.left, shape.top = emu(box.left), emu(box.top)
    shape.width, shape.height = emu(box.width), emu(box.height)


def placeholders(slide: Any) -> tuple[Any, Any]:
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


def layout_boxes(layout: Any) -> tuple[Box, Box]:
    title, body = placeholders(layout)
    return box_of(title), box_of(body)


def pick_layouts(prs: Any) -> tuple[Any, Any]:
    """The title layout (a centred title with a subtitle) and the content layout (a title
    and the largest body), chosen by their placeholders' types, not their names."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    content = cover = None
    best = -1
    for layout in prs.slide_layouts:
        kinds = {shape.placeholder_format.type for shape in layout.placeholders}
        _, body = placeholders(layout)
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


def start(template: Path | None, width: float, height: float) -> Any:
    """A presentation with the template's masters and layouts and no slides, or python-pptx's
    own widened to `width` × `height` points (its layouts stretched to match)."""
    from pptx import Presentation

    if template is None:
        from pptx.oxml.ns import qn
        from pptx.util import Emu

        prs = Presentation()
        ratio = emu(width) / (prs.slide_width or 1)
        prs.slide_width, prs.slide_height = Emu(emu(width)), Emu(emu(height))
        for master in prs.slide_masters:
            for element in [master._element, *(layout._element
                                               for layout in master.slide_layouts)]:
                for xfrm in element.iter(qn("a:xfrm")):
                    for node, key in ((xfrm.find(qn("a:off")), "x"), (xfrm.find(qn("a:ext")), "cx")):
                        if node is not None:
                            node.set(key, str(int(int(node.get(key)) * ratio)))
        return prs
    prs = Presentation(str(template))
    listing = prs.slides._sldIdLst
    for entry in list(listing):
        prs.part.drop_rel(entry.rId)
        listing.remove(entry)
    return prs


def clean_package(prs: Any) -> None:
    """No thumbnail or application name left from python-pptx's or the client's file."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from gtmgen.render.wordparts import name_application

    package = prs.part.package
    for r_id, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(r_id)
    name_application(package.iter_parts())


def quick_partnames(prs: Any) -> None:
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




def first_slide_id(prs: Any) -> int:
    """The largest slide id in use (255 when none: ids start at 256)."""
    return max([255, *(int(e.get("id")) for e in prs.slides._sldIdLst)])


def add_slide(prs: Any, layout: Any, slide_id: int) -> Any:
    """python-pptx's add_slide, without its look through every slide already added for a free
    id and an existing relationship (time growing with the square of the slides): a new slide
    part is never related yet, and the caller counts the ids."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.packuri import PackURI
    from pptx.oxml.ns import qn
    from pptx.parts.slide import SlidePart

    part = prs.part
    listing = prs.slides._sldIdLst
    slide_part = SlidePart.new(PackURI(f"/ppt/slides/slide{len(listing) + 1}.xml"),
                               part.package, layout.part)
    r_id = part.rels._add_relationship(RT.SLIDE, slide_part)
    slide = slide_part.slide
    slide.shapes.clone_layout_placeholders(layout)
    entry = listing.makeelement(qn("p:sldId"), {"id": str(slide_id)})
    entry.set(qn("r:id"), r_id)
    listing.append(entry)
    return slide
