"""The parts of a Word package around the body: numbering definitions, styles, fonts, the
footer, core properties, and a zip with fixed times and order."""

from __future__ import annotations

import functools
import io
import zipfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_EMU = 1 / 635
TABLE_TEXT = "Table Text"
COVER_TEXT = "Cover Text"
CAPTION = "Caption"  # Word's own style for a table's caption
CAPTION_POINTS = 9
TOC_LEVELS = 1  # the contents list the sections, so that they fit one page
BULLETS = ("•", "◦", "▪")


@functools.cache
def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    node = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        node.set(_w(key), value)
    return node


def child(parent: Any, tag: str, **attrs: str) -> Any:
    # lxml's SubElement is far quicker than building and appending; python-docx's element
    # classes still apply, as the parent's document carries python-docx's class lookup.
    from lxml import etree

    return etree.SubElement(parent, _w(tag), {_w(k): v for k, v in attrs.items()})


def text_width(document: Any) -> int:
    """The width between the margins of the last section, in twips."""
    section = document.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    return int(width * TWIPS_PER_EMU)


def add_list_numbering(document: Any) -> tuple[str, str]:
    """Add a bullet and a decimal list definition; return the num ids that use them."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(_w("abstractNumId"))) for a in numbering.findall(_w("abstractNum"))]
    next_abstract = max(abstract_ids, default=-1) + 1
    ids = []
    for offset, kind in enumerate(("bullet", "decimal")):
        abstract = element("abstractNum", abstractNumId=str(next_abstract + offset))
        child(abstract, "multiLevelType", val="hybridMultilevel")
        for level in range(3):
            lvl = child(abstract, "lvl", ilvl=str(level))
            child(lvl, "start", val="1")
            child(lvl, "numFmt", val=kind)
            text = BULLETS[level] if kind == "bullet" else f"%{level + 1}."
            child(lvl, "lvlText", val=text)
            child(lvl, "lvlJc", val="left")
            ppr = child(lvl, "pPr")
            child(ppr, "ind", left=str(360 * (level + 2)), hanging="360")
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
    num = child(numbering, "num", numId=num_id)
    child(num, "abstractNumId", val=str(abstract_id))
    if restart:
        override = child(num, "lvlOverride", ilvl="0")
        child(override, "startOverride", val="1")
    return num_id


def restart_numbering(document: Any, number_id: str) -> str:
    """A new numbering instance of the decimal list, so each numbered list starts at 1."""
    numbering = document.part.numbering_part.element
    for num in numbering.findall(_w("num")):
        if num.get(_w("numId")) == number_id:
            abstract = int(num.find(_w("abstractNumId")).get(_w("val")))
            return _add_num(numbering, abstract, restart=True)
    return number_id


def add_own_styles(document: Any) -> None:
    """The paragraph styles gtmgen needs: compact table text, a table's caption (when the
    template lacks Word's), the cover's details and two TOC levels with the page number at
    the right margin."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Pt, Twips

    names = {s.name for s in document.styles}
    if TABLE_TEXT not in names:
        style = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(9)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
    if CAPTION not in names:  # a client's template without Word's caption style
        style = document.styles.add_style(CAPTION, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(CAPTION_POINTS)
        style.font.bold = True
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(10)
        style.paragraph_format.space_after = Pt(3)
    if COVER_TEXT not in names:
        style = document.styles.add_style(COVER_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.size = Pt(12)
        style.paragraph_format.space_after = Pt(4)
    for level in range(1, TOC_LEVELS + 1):
        if f"toc {level}" not in names:
            style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
            style.paragraph_format.left_indent = Pt(12 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
            style.paragraph_format.tab_stops.add_tab_stop(
                Twips(text_width(document)), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def set_east_asian_font(document: Any, east_asian: str) -> None:
    """Give every style an East Asian font, so Chinese and Japanese text renders."""
    styles = document.styles.element
    defaults = styles.find(_w("docDefaults"))
    if defaults is None:
        defaults = element("docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(_w("rPrDefault"))
    if rpr_default is None:
        rpr_default = child(defaults, "rPrDefault")
    rpr = rpr_default.find(_w("rPr"))
    if rpr is None:
        rpr = child(rpr_default, "rPr")
    holders = [rpr, *styles.iter(_w("rPr"))]
    for holder in holders:
        fonts = holder.find(_w("rFonts"))
        if fonts is None:
            if holder is not rpr:
                continue
            fonts = element("rFonts")
            holder.insert(0, fonts)
        fonts.attrib.pop(_w("eastAsiaTheme"), None)
        fonts.set(_w("eastAsia"), east_asian)


def clean_package(document: Any) -> None:
    """Drop what python-docx's own template carries: its thumbnail, custom XML, the
    application that wrote it, the preview setting."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = document.part.package
    for rels in (package.rels, document.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype in (RT.THUMBNAIL, RT.CUSTOM_XML):
                del rels[r_id]
    name_application(package.iter_parts())
    settings = document.settings.element
    for tag in ("savePreviewPicture", "rsids", "attachedTemplate", "updateFields"):
        for node in settings.findall(_w(tag)):
            settings.remove(node)
    # Word refreshes the fields on open (the contents' page numbers); LibreOffice computes
    # PAGEREF as it lays the pages out. CT_Settings puts updateFields after these.
    update = element("updateFields", val="true")
    before = [settings.find(_w(tag)) for tag in _AFTER_UPDATE_FIELDS]
    found = [node for node in before if node is not None]
    if found:
        found[0].addprevious(update)
    else:
        settings.append(update)


# The children of CT_Settings that come after w:updateFields, in schema order.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


APP_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>gtmgen</Application></Properties>')


def name_application(parts: Any) -> None:
    """The extended properties of an Office package (Word or PowerPoint) say only that gtmgen
    wrote it: no template's company, editing time or word counts."""
    for part in parts:
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_PROPERTIES


def start_document(template: Any) -> Any:
    """A document with the template's styles, headers and page setup, and an empty body."""
    from docx import Document

    try:
        document = Document(template) if template else Document()
    except Exception as problem:  # noqa: BLE001 - a client's file, checked but not ours
        from gtmgen.render.templates import TemplateProblem

        raise TemplateProblem(f"{template}: cannot be used as a Word template "
                              f"({type(problem).__name__}: {str(problem)[:200]})") from None
    body = document.element.body
    for child in list(body):
        if child is not body.sectPr:
            body.remove(child)
    return document


def set_core_properties(document: Any, context: RenderContext, title: str) -> None:
    """Title, subject, author and dates from the playbook; nothing left from a template."""
    client = context.playbook.client
    stamp = context.stamp.replace(tzinfo=None)
    props = document.core_properties

    def short(text: str | None) -> str:  # Word's document properties hold 255 characters
        return (text or "")[:255]

    props.title = short(title)
    props.subject = short(client.product)
    props.author = short(client.prepared_by)
    props.last_modified_by = short(client.prepared_by)
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = short(client.version)
    props.language = client.locale
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


PICTURES = (".png", ".jpeg", ".jpg", ".gif")


def reproducible_zip(raw: bytes, stamp: Any) -> bytes:
    """The same package with fixed entry times and a fixed entry order."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml",
                                                     n != "_rels/.rels", n))
    # A zip entry's date holds the years 1980 to 2107: a stamp outside is kept at the edge.
    when = (min(max(stamp.year, 1980), 2107), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=when)
            # A picture is compressed already: deflating it again takes time and saves nothing.
            info.compress_type = zipfile.ZIP_STORED if name.endswith(PICTURES) \
                else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()
