"""The Word documents as pages: cover, contents with page numbers, pagination, tables, paper,
language and the theme; checked in the XML and, where LibreOffice is installed, in the PDF it
makes of them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import CRUMB

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIETSDEEL = Path(__file__).parent.parent / "playbooks" / "fietsdeel" / "playbook.yaml"


def _png(width: int, height: int) -> bytes:
    """A small grey PNG, written out chunk by chunk."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                                0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _build(source: Path, folder: Path, formats: tuple[str, ...] = ("docx",),
           **changes: str) -> Path:
    from gtmgen.build import Options, build

    folder.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    (folder / "playbook.yaml").write_text(text, encoding="utf-8")
    build(folder / "playbook.yaml", folder / "out", Options(formats=formats))
    return folder / "out"


@pytest.fixture(scope="module")
def crumb(tmp_path_factory) -> Path:
    return _build(CRUMB, tmp_path_factory.mktemp("crumb"))


@pytest.fixture(scope="module")
def dutch(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fietsdeel")
    return _build(FIETSDEEL, folder, ("md", "html", "docx"))


def _ppr_has(paragraph, tag: str) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(qn(tag)) is not None


# Cover and contents ---------------------------------------------------------------------
def test_cover_then_contents_page_then_body(crumb) -> None:
    paragraphs = Document(crumb / "playbook.docx").paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[1].style.name == "Cover Text"
    assert paragraphs[1].text.startswith("Product: Bake-at-home cookie subscription\n")
    contents = paragraphs[2]
    assert contents.text == "Contents" and _ppr_has(contents, "w:pageBreakBefore")
    first = next(p for p in paragraphs if p.style.name == "Heading 1")
    assert first.text == "Executive summary" and _ppr_has(first, "w:pageBreakBefore")
    breaks = [p.text for p in paragraphs if _ppr_has(p, "w:pageBreakBefore")]
    assert breaks == ["Contents", "Executive summary"]
    body = Document(crumb / "playbook.docx").element.body
    assert not [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]


def test_cover_page_has_no_running_header_or_footer(crumb) -> None:
    section = Document(crumb / "playbook.docx").sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_footer.paragraphs[0].text == ""


def test_short_document_gets_a_title_block_and_no_contents(tmp_path) -> None:
    folder = tmp_path / "templates" / "documents"
    folder.mkdir(parents=True)
    (folder / "brief.md.j2").write_text(
        "{% import 'partials/sections.md.j2' as sections %}"
        "{{ sections.cover(book, 'Brief') }}\n\n## One\n\n" + "Long text. " * 20 + "\n\n### Two\n\n"
        "#### Three\n\nLead-in.\n\n##### Four\n\n###### Five\n\nEnd.\n", encoding="utf-8")
    from gtmgen.build import Options, build

    shutil.copy(CRUMB, tmp_path / "playbook.yaml")
    build(tmp_path / "playbook.yaml", tmp_path / "out",
          Options(formats=("docx",), documents=("brief",)))
    paragraphs = Document(tmp_path / "out" / "brief.docx").paragraphs
    assert [(p.style.name, p.text) for p in paragraphs][:1] == [
        ("Title", "Crumb & Co.: Brief")]
    assert "Contents" not in [p.text for p in paragraphs]
    assert not [p for p in paragraphs if _ppr_has(p, "w:pageBreakBefore")]
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Head")]
    assert headings == [("Heading 1", "One"), ("Heading 2", "Two"), ("Heading 3", "Three"),
                        ("Heading 4", "Four"), ("Heading 4", "Five")]
    kept = [p.text for p in paragraphs if _ppr_has(p, "w:keepNext")]
    assert kept[0] == "Crumb & Co.: Brief" and kept[1].startswith("Product: ")
    # A short line under a heading stays with what follows it; a longer paragraph (over 200
    # characters) does not.
    assert kept[2:] == ["One", "Two", "Three", "Lead-in.", "Four", "Five", "End."]


# Pagination ------------------------------------------------------------------------------
def test_phase_dates_stay_with_the_week_below(crumb) -> None:
    paragraphs = Document(crumb / "launch-calendar.docx").paragraphs
    dates = next(p for p in paragraphs if p.text == "March 15, 2027 to April 4, 2027")
    assert _ppr_has(dates, "w:keepNext")


def test_only_adjacent_tables_are_kept_apart_by_an_empty_paragraph(crumb) -> None:
    for name in ("playbook", "launch-calendar", "roles", "hiring-plan"):
        body = list(Document(crumb / f"{name}.docx").element.body)
        for index, node in enumerate(body):
            if node.tag == qn("w:p") and not "".join(node.itertext()).strip() \
                    and not list(node.iter(qn("w:drawing"))):
                assert body[index - 1].tag == qn("w:tbl")
                assert body[index + 1].tag in (qn("w:tbl"), qn("w:sectPr"))


# Tables ----------------------------------------------------------------------------------
def test_every_weekly_table_has_the_same_columns(crumb) -> None:
    document = Document(crumb / "launch-calendar.docx")
    grids = {tuple(int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.iter(qn("w:gridCol")))
             for t in document.tables if [c.text for c in t.rows[0].cells] ==
             ["Date", "Entry", "Kind", "Owner"]}
    assert len(grids) == 1
    assert sum(next(iter(grids))) <= 9972  # letter less two 20 mm margins, in twips


def _table(header, *rows):
    from gtmgen.render.wordblocks import Table

    return Table(tuple(header), [], [(list(header), True)] + [(list(r), False) for r in rows],
                 len(header))


def test_column_widths_room_for_header_words_then_text() -> None:
    from gtmgen.render.wordblocks import layouts

    # A header character is 90 twips (a capital 1.15 of one), a body character 82, plus half
    # a character and 2 × 72 twips of cell margins: "Kind" (4.15 with its capital) needs 562
    # twips, "Entry" (5.15) 652, and the other 1,786 are shared 1:3 by the columns' text.
    assert layouts([_table(["Kind", "Entry"], ["x", "a b"])], 3000) == {
        ("Kind", "Entry"): [1008, 1991]}
    # Cyrillic counts 1.15 a letter, Chinese 2: "Ответственный" 14.95, "负责人" 6.
    assert layouts([_table(["Ответственный", "负责人"])], 3000) == {
        ("Ответственный", "负责人"): [1534, 729]}
    # Two tables of one kind share one layout, measured over both.
    one, two = _table(["A", "B"], ["x", "y"]), _table(["A", "B"], ["xxxxxxxx", "y"])
    found = layouts([one, two], 2000)
    assert list(found) == [("A", "B")] and found[("A", "B")][0] > found[("A", "B")][1]


def test_a_body_word_breaks_after_its_hyphen_a_header_word_never() -> None:
    from gtmgen.render.wordblocks import layouts

    # "LinkedIn-" (9.3) and "advertenties" (12): the column needs room for the longer part,
    # 12.5 × 82 + 144 = 1169 twips; "Resonantiemaatstaf" (18.15) in the header 1822.
    found = layouts([_table(["Kanaal", "Resonantiemaatstaf"],
                            ["LinkedIn-advertenties", "x"])], 2991)
    assert found == {("Kanaal", "Resonantiemaatstaf"): [1169, 1822]}


def test_a_date_range_wraps_at_most_once() -> None:
    from gtmgen.render.wordblocks import layouts

    # Best split "Mar 15, 2027 | to Apr 4, 2027": the wider half 14.9 characters with its
    # spaces, 15.4 × 82 + 144 = 1406 twips; "#" needs 1.5 × 90 + 144 = 279.
    dates = _table(["#", "Dates"], ["2", "Mar 15, 2027 to Apr 4, 2027"])
    assert layouts([dates], 1685) == {("#", "Dates"): [279, 1406]}
    # Where the page is narrower, the date range gets what is left after the header words
    # ("Dates" 652): half of the 754 twips it wants more.
    assert layouts([dates], 1308) == {("#", "Dates"): [279, 1029]}


# Paper, language, theme ------------------------------------------------------------------
def test_paper_and_margins_follow_the_theme(crumb, dutch) -> None:
    letter = Document(crumb / "roles.docx").sections[0]
    a4 = Document(dutch / "roles.docx").sections[0]
    assert (letter.page_width.twips, letter.page_height.twips) == (12240, 15840)
    assert (a4.page_width.twips, a4.page_height.twips) == (11906, 16838)
    assert a4.left_margin.twips == a4.top_margin.twips == 1134  # 20 mm


@pytest.mark.parametrize(("locale", "country", "tag"), [
    ("en", "US", "en-US"), ("en", "NL", "en-US"), ("en", "CA", "en-CA"), ("nl", "NL", "nl-NL"),
    ("nl", "BE", "nl-BE"), ("ru", None, "ru-RU"), ("ky", "KG", "ky-KG"), ("zh", None, "zh-CN"),
    ("vi", "VN", "vi-VN")])
def test_language_tag_for_proofing(locale, country, tag) -> None:
    from gtmgen.render.wordlook import language_tag

    assert language_tag(locale, country) == tag


def _default_rpr(document):
    return document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(
        qn("w:rPr"))


def test_styles_carry_language_fonts_and_colours(dutch) -> None:
    document = Document(dutch / "playbook.docx")
    rpr = _default_rpr(document)
    assert rpr.find(qn("w:lang")).get(qn("w:val")) == "nl-NL"
    fonts = rpr.find(qn("w:rFonts"))
    assert (fonts.get(qn("w:ascii")), fonts.get(qn("w:eastAsia"))) == ("Calibri",
                                                                       "Microsoft YaHei")
    assert rpr.find(qn("w:color")).get(qn("w:val")) == "1F2933"
    for name in ("Title", "Heading 1", "Heading 4"):
        style = document.styles[name]
        assert str(style.font.color.rgb) == "1F4E79"
        assert style.element.pPr.find(qn("w:pBdr")) is None  # no blue rule under the title
    header = document.tables[0].rows[0].cells[0]._tc
    assert header.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "E4E7EB"


def test_chinese_is_also_the_east_asian_language(tmp_path) -> None:
    # Chinese is not written in the US (crumb's country): its likely region, China.
    out = _build(CRUMB, tmp_path, **{"  locale: en\n": "  locale: zh\n"})
    lang = _default_rpr(Document(out / "roles.docx")).find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("zh-CN", "zh-CN")


def test_theme_header_footer_logo_and_confidential_line(tmp_path) -> None:
    (tmp_path / "logo.png").write_bytes(_png(30, 10))
    (tmp_path / "theme.yaml").write_text(
        "logo: logo.png\nheader: Fietsdeel — go-to-market\nfooter: Northwind Advies\n"
        "confidential: true\ncolours:\n  table_header: '#123456'\n"
        "  table_header_text: '#FFFFFF'\n", encoding="utf-8")
    out = _build(FIETSDEEL, tmp_path)
    document = Document(out / "playbook.docx")
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Fietsdeel — go-to-market\t"
    assert section.header._element.find(".//" + qn("w:drawing")) is not None
    footer = [p.text for p in section.footer.paragraphs]
    name = document.core_properties.title.split(":")[0]
    assert footer[1] == f"Vertrouwelijk — opgesteld voor {name}"
    assert footer[0].startswith("Northwind Advies\t")
    for paragraph in section.footer._element.iter(qn("w:p")):
        assert len(paragraph.findall(qn("w:pPr"))) <= 1
    instructions = [t.text.strip() for t in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert document.element.body.find(".//" + qn("w:drawing")) is not None  # cover logo
    cell = document.tables[0].rows[0].cells[0]._tc
    assert cell.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "123456"
    assert cell.find(".//" + qn("w:color")).get(qn("w:val")) == "FFFFFF"


def test_client_template_keeps_page_and_styles_theme_keeps_tables(tmp_path) -> None:
    from docx.shared import Mm, RGBColor

    brand = Document()
    brand.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x10, 0x20)
    brand.sections[0].page_width, brand.sections[0].page_height = Mm(148), Mm(210)
    brand.save(tmp_path / "brand.docx")
    out = _build(FIETSDEEL, tmp_path / "nl",
                 **{"  country: NL\n": "  country: NL\n  docx_template: ../brand.docx\n"})
    document = Document(out / "playbook.docx")
    assert document.sections[0].page_width.twips == 8391  # 148 mm
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x10, 0x20)
    assert not document.sections[0].different_first_page_header_footer
    assert _default_rpr(document).find(qn("w:lang")).get(qn("w:val")) == "nl-NL"
    cell = document.tables[0].rows[0].cells[0]._tc
    assert cell.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "E4E7EB"


# No-break spaces in figures --------------------------------------------------------------
def test_dutch_money_keeps_its_no_break_space_in_every_format(dutch) -> None:
    amount = "€\u00a060.000"
    assert amount in (dutch / "playbook.md").read_text(encoding="utf-8")
    assert amount in (dutch / "playbook.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(dutch / "playbook.docx") as package:
        assert amount in package.read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize(("locale", "amount"), [("ru", "1\u00a0500\u00a0$"),
                                                ("ky", "1\u00a0500\u00a0USD")])
def test_cyrillic_money_in_a_table_keeps_its_no_break_spaces(tmp_path, locale, amount) -> None:
    out = _build(CRUMB, tmp_path, ("md", "html", "docx"),
                 **{"  locale: en\n": f"  locale: {locale}\n"})
    markdown = (out / "playbook.md").read_text(encoding="utf-8")
    assert f"| {amount} |" in markdown
    assert amount.replace("\u00a0", " ") not in markdown
    assert f">{amount}</td>" in (out / "playbook.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "playbook.docx") as package:
        assert amount in package.read("word/document.xml").decode("utf-8")


# As LibreOffice lays the pages out -------------------------------------------------------
def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (LibreOffice / poppler-utils)")
    return found


@pytest.fixture(scope="module")
def pdfs(crumb, dutch, tmp_path_factory) -> dict[str, Path]:
    soffice = _tool("soffice")
    _tool("pdftotext")
    _tool("pdfinfo")
    folder = tmp_path_factory.mktemp("pdf")
    names = {f"crumb-{n}": crumb / f"{n}.docx"
             for n in ("playbook", "launch-calendar", "roles", "hiring-plan")}
    names["fietsdeel-playbook"] = dutch / "playbook.docx"
    for name, source in names.items():
        shutil.copy(source, folder / f"{name}.docx")
    profile = (folder / "profile").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *sorted(str(folder / f"{n}.docx") for n in names)],
                   check=True, capture_output=True, timeout=300)
    return {name: folder / f"{name}.pdf" for name in names}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def _size(pdf: Path) -> tuple[int, int]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found
    return round(float(found.group(1))), round(float(found.group(2)))


def test_pdf_paper_is_letter_for_us_and_a4_for_the_netherlands(pdfs) -> None:
    assert _size(pdfs["crumb-playbook"]) == (612, 792)
    assert _size(pdfs["fietsdeel-playbook"]) == (595, 842)


def test_pdf_short_document_opens_with_its_title_block(pdfs) -> None:
    # crumb's hiring plan has two sections (fewer than 5): no cover page, no contents page.
    pages = _pages(pdfs["crumb-hiring-plan"])
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert first[0] == "Crumb & Co.: Hiring plan"
    assert "Hiring priorities" in first
    assert not any(re.search(r"\.{3,}\s*\d+$", line) for line in first)


@pytest.mark.parametrize("name", ["crumb-playbook", "crumb-launch-calendar", "crumb-roles",
                                  "fietsdeel-playbook"])
def test_pdf_cover_alone_contents_right_and_no_blank_page(pdfs, name) -> None:
    pages = _pages(pdfs[name])
    cover = [line.strip() for line in pages[0].splitlines() if line.strip()]
    # The title ("Crumb & Co.: Hiring plan") and four lines of details; no page number.
    assert ": " in cover[0] and len(cover) == 5
    contents = [re.fullmatch(r"\s*(.+?)\.{3,}\s*(\d+)\s*", line)
                for line in pages[1].splitlines()]
    entries = [(m.group(1).strip(), int(m.group(2))) for m in contents if m]
    assert len(entries) >= 5
    for heading, number in entries:
        lines = [line.strip() for line in pages[number - 1].splitlines()]
        assert heading.rstrip(".") in {line.rstrip(".") for line in lines}, (heading, number)
    for number, page in enumerate(pages[1:], start=2):
        body = [line for line in page.splitlines()
                if line.strip() and not re.fullmatch(r"\s*\d+ / \d+\s*", line)]
        assert body, f"page {number} is blank"


def test_pdf_message_sequence_dates_wrap_once(pdfs) -> None:
    text = "\n".join(_pages(pdfs["crumb-playbook"]))
    assert re.search(r"Mar 15, 2027", text)  # never "Mar 15," over "2027"


# Validity --------------------------------------------------------------------------------
# The child order WordprocessingML's schema (ECMA-376 part 1, wml.xsd) gives the property
# elements gtmgen writes; an element out of order makes Word call the file corrupt.
ORDER = {
    "pPr": ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
            "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
            "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
            "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
            "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"),
    "rPr": ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
            "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
            "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
            "specVanish oMath"),
    "tblPr": ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
              "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook "
              "tblCaption tblDescription"),
    "tcPr": ("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
             "tcFitText vAlign hideMark"),
    "tblCellMar": "top left start bottom right end",
}


def _out_of_order(xml: bytes) -> list[str]:
    from lxml import etree

    found = []
    root = etree.fromstring(xml)
    for name, order in ORDER.items():
        ranks = {tag: rank for rank, tag in enumerate(order.split())}
        for node in root.iter(W + name):
            tags = [etree.QName(c).localname for c in node]
            known = [ranks.get(tag, -1) for tag in tags]
            if -1 in known or known != sorted(known):
                found.append(f"{name}: {' '.join(tags)}")
    for paragraph in root.iter(W + "p"):
        properties = paragraph.findall(W + "pPr")
        if len(properties) > 1 or (properties and paragraph[0] is not properties[0]):
            found.append("p: more than one pPr, or not first")
    return found


def test_every_part_writes_its_properties_in_schema_order(crumb, tmp_path) -> None:
    (tmp_path / "logo.png").write_bytes(_png(30, 10))
    (tmp_path / "theme.yaml").write_text("logo: logo.png\nheader: H\nfooter: F\n"
                                         "confidential: true\n", encoding="utf-8")
    themed = _build(FIETSDEEL, tmp_path)
    for package in [*sorted(crumb.glob("*.docx")), *sorted(themed.glob("*.docx"))]:
        with zipfile.ZipFile(package) as opened:
            for name in opened.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    assert _out_of_order(opened.read(name)) == [], (package.name, name)
        Document(package)  # python-docx opens it again
