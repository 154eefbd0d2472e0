"""The theme applied to a Word document: paper and margins, fonts and colours of the styles,
the document's language, and the running header and footer."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from gtmgen.errors import GtmgenError
from gtmgen.render.wordparts import CAPTION, CAPTION_POINTS, W_NS, child, element, text_width

if TYPE_CHECKING:
    from gtmgen.theme import Logo, Theme

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000
# Heading sizes in half-points: the title of the cover and Word's Heading 1 to 9 (the fifth
# level down is the size of the text; each gets the theme's heading colour, so that none keeps
# Word's own pale blue).
HEADING_SIZES = {"Title": 56, "Heading 1": 32, "Heading 2": 26, "Heading 3": 23, "Heading 4": 21,
                 **{f"Heading {level}": 21 for level in range(5, 10)}}
HEADER_LOGO_MM = 8.0  # the logo's height in the running header
FIELD_XML = ('<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{rpr}<w:instrText '
             'xml:space="preserve"> {instruction} </w:instrText></w:r><w:r>{rpr}<w:fldChar '
             'w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>{cached}</w:t></w:r><w:r>{rpr}'
             '<w:fldChar w:fldCharType="end"/></w:r>')


def field_runs(instruction: str, cached: str = "1", rpr: str = "") -> str:
    """A complex field (PAGE, NUMPAGES, PAGEREF …) as runs, with its cached result."""
    return FIELD_XML.format(instruction=instruction, cached=cached, rpr=rpr)


def language_tag(locale: str, country: str | None) -> str:
    """The BCP 47 tag Word's proofing and the PDF's /Lang need: the client's country when the
    language is written there (nl-BE, en-CA), else the language's most likely region (ky →
    ky-KG)."""
    from babel.core import get_global
    from babel.languages import get_official_languages

    likely = str(get_global("likely_subtags").get(locale, f"{locale}_Latn_US")).split("_")[-1]
    if country and (locale in get_official_languages(country) or country == likely):
        return f"{locale}-{country}"
    return f"{locale}-{likely}"


def set_page(document: Any, look: Theme) -> None:
    """Paper and margins of every section from the theme."""
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(look.page_mm[0]), Mm(look.page_mm[1])
        margin = Mm(look.margin_mm)
        section.left_margin = section.right_margin = margin
        section.top_margin = section.bottom_margin = margin
        section.header_distance = section.footer_distance = Mm(look.margin_mm / 2)
        section.gutter = 0


def _defaults_rpr(document: Any) -> Any:
    styles = document.styles.element
    defaults = styles.find(f"{{{W_NS}}}docDefaults")
    if defaults is None:
        defaults = element("docDefaults")
        styles.insert(0, defaults)
    holder = defaults.find(f"{{{W_NS}}}rPrDefault")
    if holder is None:
        holder = element("rPrDefault")
        defaults.insert(0, holder)
    rpr = holder.find(f"{{{W_NS}}}rPr")
    return rpr if rpr is not None else child(holder, "rPr")


def _replace(parent: Any, tag: str, **attrs: str) -> Any:
    """Set the one `tag` child of an rPr or pPr (schema order kept by python-docx)."""
    for old in parent.findall(f"{{{W_NS}}}{tag}"):
        parent.remove(old)
    node = element(tag, **attrs)
    parent.insert_element_before(node, *_LATER.get(tag, ()))
    return node


# What follows a property in CT_RPr / CT_PPr, so that a replaced one goes to its place.
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
              "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
              "em", "lang", "eastAsianLayout", "specVanish", "oMath")
_LATER = {tag: tuple(f"w:{t}" for t in _RPR_ORDER[i + 1:]) for i, tag in enumerate(_RPR_ORDER)}


def set_language(document: Any, tag: str) -> None:
    """The document's language in the style defaults, so Word proofs it as the client's;
    Chinese also as the East Asian language."""
    east = tag if tag.startswith("zh") else "zh-CN"
    _replace(_defaults_rpr(document), "lang", val=tag, eastAsia=east, bidi="ar-SA")


def apply_theme_styles(document: Any, look: Theme, east_asian: str) -> None:
    """Fonts and colours of the body, the title and the headings from the theme; the title
    loses python-docx's blue rule, the headings their theme colours."""
    from docx.shared import Pt

    rpr = _defaults_rpr(document)
    _replace(rpr, "rFonts", ascii=look.body_font, hAnsi=look.body_font, cs=look.body_font,
             eastAsia=east_asian)
    _replace(rpr, "color", val=look.text.lstrip("#"))
    _replace(rpr, "sz", val="21")
    _replace(rpr, "szCs", val="21")
    styles = document.styles
    by_name = {style.name: style for style in styles}  # one pass: each lookup walks them all
    for name, size in HEADING_SIZES.items():
        style = by_name.get(name)
        if style is None:
            continue
        element_ = style.element
        ppr = element_.get_or_add_pPr()
        for tag in ("pBdr", "numPr"):
            for old in ppr.findall(f"{{{W_NS}}}{tag}"):
                ppr.remove(old)
        style_rpr = element_.get_or_add_rPr()
        _replace(style_rpr, "rFonts", ascii=look.heading_font, hAnsi=look.heading_font,
                 cs=look.heading_font, eastAsia=east_asian)
        for tag in ("i", "iCs"):
            for old in style_rpr.findall(f"{{{W_NS}}}{tag}"):
                style_rpr.remove(old)
        _replace(style_rpr, "color", val=look.heading.lstrip("#"))
        _replace(style_rpr, "sz", val=str(size))
        _replace(style_rpr, "szCs", val=str(size))
        fmt = style.paragraph_format
        fmt.keep_with_next = True
        fmt.keep_together = True
        if name == "Title":
            fmt.space_before, fmt.space_after = Pt(0), Pt(12)
            _replace(style_rpr, "kern", val="0")
        else:
            fmt.space_before = Pt({"Heading 1": 18, "Heading 2": 14}.get(name, 10))
            fmt.space_after = Pt(4)
    for name in HEADING_SIZES:  # the character styles linked to them ("Heading 2 Char")
        if (linked := by_name.get(f"{name} Char")) is not None:
            _replace(linked.element.get_or_add_rPr(), "color", val=look.heading.lstrip("#"))
    normal = styles["Normal"].paragraph_format
    normal.space_after = Pt(6)
    normal.line_spacing = 1.1
    if CAPTION in by_name:
        _caption_style(by_name[CAPTION], look)


def _caption_style(style: Any, look: Theme) -> None:
    """A table's caption: small and bold in the text's colour (Word's own caption is accent
    blue, 4.0:1 on white), kept with its table, its space above parting it from what comes
    before (another table too)."""
    from docx.shared import Pt

    rpr = style.element.get_or_add_rPr()
    for tag in ("i", "iCs"):
        for old in rpr.findall(f"{{{W_NS}}}{tag}"):
            rpr.remove(old)
    _replace(rpr, "color", val=look.text.lstrip("#"))
    _replace(rpr, "sz", val=str(CAPTION_POINTS * 2))
    _replace(rpr, "szCs", val=str(CAPTION_POINTS * 2))
    style.font.bold = True
    fmt = style.paragraph_format
    fmt.keep_with_next = True
    fmt.space_before, fmt.space_after = Pt(10), Pt(3)


class LogoProblem(GtmgenError):
    """A logo that starts like a PNG or JPEG but cannot be read as one."""

    label = "theme error: "


def picture(part: Any, logo: Logo, height_mm: float, max_width_mm: float, number: int) -> str:
    """The logo as an inline picture of a story part (body, header), as run XML;
    LogoProblem when the picture cannot be read."""
    from lxml import etree

    try:
        _, image = part.get_or_add_image(io.BytesIO(logo.data))
    except Exception as problem:  # noqa: BLE001 - a client's picture: checked, but not ours
        raise LogoProblem(f"the logo '{logo.name}' cannot be read as a {logo.kind.upper()} "
                          f"picture ({type(problem).__name__}); save it again as PNG or "
                          "JPEG") from None
    height = int(height_mm * EMU_PER_MM)
    width = int(height * image.px_width / max(image.px_height, 1))
    if width > max_width_mm * EMU_PER_MM:
        width = int(max_width_mm * EMU_PER_MM)
        height = int(width * image.px_height / max(image.px_width, 1))
    inline = part.new_pic_inline(io.BytesIO(logo.data), width, height)
    for doc_pr in inline.iter("{*}docPr"):
        doc_pr.set("id", str(number))
        doc_pr.set("name", f"logo {number}")
        doc_pr.set("descr", logo.name)
    return f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>"


def _text_run(text: str, rpr: str = "") -> str:
    from xml.sax.saxutils import escape

    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _story(part_element: Any, paragraphs: list[str]) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    for old in list(part_element):
        part_element.remove(old)
    for xml in paragraphs:
        part_element.append(parse_xml(f'<w:p {nsdecls("w", "r", "wp", "a", "pic")}>{xml}</w:p>'))


def add_running_text(document: Any, look: Theme, confidential: str | None,
                     cover: bool) -> None:
    """The header (the theme's header text left, the logo small and right) and the footer
    (the theme's footer text and the confidentiality line left, "3 / 12" right). A document
    whose template has its own header or footer keeps it. With a cover page the first page
    has neither."""
    section = document.sections[0]
    width = text_width(document)
    muted = f'<w:rPr><w:color w:val="{look.muted.lstrip("#")}"/><w:sz w:val="16"/></w:rPr>'
    tabs = (f'<w:pPr><w:tabs><w:tab w:val="right" w:pos="{width}"/></w:tabs>'
            '<w:spacing w:before="0" w:after="0"/></w:pPr>')
    if section.header.is_linked_to_previous and (look.header or look.logo):
        header = section.header
        runs = _text_run(look.header or "", muted)
        if look.logo is not None:
            runs += "<w:r><w:tab/></w:r>" + picture(header.part, look.logo, HEADER_LOGO_MM,
                                                     40.0, 900)
        _story(header._element, [tabs + runs])
    if section.footer.is_linked_to_previous:
        footer = section.footer
        pages = (field_runs("PAGE", rpr=muted) + _text_run(" / ", muted)
                 + field_runs("NUMPAGES", rpr=muted))
        lines = [tabs + _text_run(look.footer or "", muted) + "<w:r><w:tab/></w:r>" + pages]
        if confidential:
            lines.append(tabs + _text_run(confidential, muted))
        _story(footer._element, lines)
    if cover and not section.different_first_page_header_footer:
        section.different_first_page_header_footer = True
        _story(section.first_page_header._element, [""])
        _story(section.first_page_footer._element, [""])
