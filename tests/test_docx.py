"""The Word documents, opened with python-docx: structure a reader and Word rely on."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import CRUMB

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crumb")
    shutil.copy(CRUMB, folder / "playbook.yaml")
    from gtmgen.build import Options, build

    build(folder / "playbook.yaml", folder / "out", Options(formats=("docx",)))
    return folder / "out"


def _headings(document, style_prefix="Heading"):
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name.startswith(style_prefix)]


def test_headings_use_word_heading_styles(built) -> None:
    document = Document(built / "playbook.docx")
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Crumb & Co.: Go-to-market playbook"
    headings = _headings(document)
    assert ("Heading 1", "Executive summary") in headings
    assert ("Heading 2", "Maya, the weekend parent") in headings
    assert ("Heading 3", "Week of February 28, 2027") in headings
    assert [text for style, text in headings if style == "Heading 1"] == [
        "Executive summary", "Segments and ideal customer profiles", "Personas", "Positioning",
        "Partners", "Channels and budget", "Message sequence", "Messaging matrix",
        "Launch calendar", "Role definitions", "Hiring priorities", "KPIs and reviews",
        "Assumptions", "Risks", "Next steps", "Who owns the plan", "Approvals"]


def test_phase_table_rows_and_cells(built) -> None:
    document = Document(built / "playbook.docx")
    table = next(t for t in document.tables if t.rows[0].cells[2].text == "Value proposition")
    assert [c.text for c in table.rows[0].cells] == [
        "#", "Dates", "Value proposition", "Facet", "Personas", "Channels", "Resonance metric",
        "Target"]
    assert len(table.rows) == 1 + 4
    assert [c.text for c in table.rows[2].cells] == [
        "2", "Mar\u00a015,\u00a02027 to Apr\u00a04,\u00a02027",
        "Turn anchor days into the best day of the week.",
        "office culture", "Olivia, the office manager; Priya, Head of People",
        "LinkedIn ads and posts; Email newsletter", "tastings booked", "40"]
    assert table.rows[4].cells[7].text == "6.0%"  # a conversion rate, as a percentage


def test_header_rows_repeat_and_no_row_splits_across_pages(built) -> None:
    document = Document(built / "launch-calendar.docx")
    assert document.tables
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)


def test_hiring_order(built) -> None:
    document = Document(built / "hiring-plan.docx")
    table = document.tables[0]
    assert [[c.text for c in row.cells][:3] for row in table.rows[1:]] == [
        ["1", "Growth Marketing Manager", "P1"], ["2", "Email Marketing Manager", "P1"],
        ["3", "Content Creator", "P2"]]
    assert [text for style, text in _headings(document) if style == "Heading 2"] == [
        "Vacancies in date order", "1. Growth Marketing Manager", "2. Email Marketing Manager",
        "3. Content Creator"]


def test_lists_use_word_numbering(built) -> None:
    document = Document(built / "playbook.docx")
    listed = [p for p in document.paragraphs if p._p.pPr is not None
              and p._p.pPr.find(qn("w:numPr")) is not None]
    texts = [p.text for p in listed]
    assert "Warm, bakery-quality cookies in 18 minutes from your freezer. (Mar 1, 2027)" in texts
    assert "Same dough our bakery sells" in texts
    numbering = document.part.numbering_part.element
    formats = {}
    for num in numbering.findall(qn("w:num")):
        abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        formats[num.get(qn("w:numId"))] = abstract
    kinds = {}
    for abstract in numbering.findall(qn("w:abstractNum")):
        level = abstract.find(qn("w:lvl"))
        kinds[abstract.get(qn("w:abstractNumId"))] = level.find(qn("w:numFmt")).get(qn("w:val"))

    def kind(paragraph):
        num_id = paragraph._p.pPr.find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
        return kinds[formats[num_id]]

    by_text = dict(zip(texts, listed, strict=True))
    assert kind(by_text["Same dough our bakery sells"]) == "bullet"
    assert kind(by_text["Growth Marketing Manager: P1, open the vacancy by January 15, 2027"]) \
        == "decimal"


def test_contents_lines_link_to_headings_with_their_page_fields(built) -> None:
    document = Document(built / "playbook.docx")
    body = document.element.body
    bookmarks = {b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))}
    lines = [p for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert {p.style.name for p in lines} == {"toc 1"}  # the sections only: one page
    assert [p.text for p in lines[:4]] == [
        "Executive summary\t", "Segments and ideal customer profiles\t", "Personas\t",
        "Positioning\t"]
    for line in lines:
        anchor = line._p.find(qn("w:hyperlink")).get(qn("w:anchor"))
        instruction = "".join(t.text for t in line._p.iter(qn("w:instrText"))).strip()
        assert instruction == f"PAGEREF {anchor} \\h"
        assert "".join(t.text for t in bookmarks[anchor].iter(qn("w:t"))) == line.text[:-1]
    assert len(lines) == 17  # the 17 sections crumb fills (all but the engagement)
    settings = document.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_footer_has_page_numbers(built) -> None:
    document = Document(built / "roles.docx")
    footer = document.sections[0].footer._element
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]


def test_core_properties_and_no_template_leftovers(built) -> None:
    document = Document(built / "playbook.docx")
    props = document.core_properties
    assert (props.title, props.subject, props.author) == (
        "Crumb & Co.: Go-to-market playbook", "Bake-at-home cookie subscription",
        "North Star Fractional CMO")
    assert props.created.isoformat() == props.modified.isoformat() == "2027-01-18T00:00:00+00:00"
    assert props.comments == "" and props.revision == 1
    with zipfile.ZipFile(built / "playbook.docx") as package:
        names = package.namelist()
        everything = b"".join(package.read(n) for n in names if n.endswith(".xml"))
    assert "docProps/thumbnail.jpeg" not in names
    assert b"python-docx" not in everything
    assert b"2013-12-23" not in everything
    assert b"Microsoft Macintosh Word" not in everything


def test_east_asian_font_is_set(built) -> None:
    document = Document(built / "playbook.docx")
    styles = document.styles.element
    default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    assert not [f for f in styles.iter(qn("w:rFonts")) if f.get(qn("w:eastAsiaTheme"))]


def test_client_template_supplies_styles_and_page_setup(tmp_path, gtmgen) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt, RGBColor

    brand = Document()
    brand.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x10, 0x20)
    brand.styles["Heading 1"].font.size = Pt(20)
    section = brand.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.header.paragraphs[0].text = "Crumb & Co. confidential"
    brand.add_paragraph("Placeholder text that must not survive")
    brand.save(tmp_path / "brand.docx")
    folder = tmp_path / "crumb"
    folder.mkdir()
    text = CRUMB.read_text().replace("  country: US\n",
                                     "  country: US\n  docx_template: ../brand.docx\n")
    (folder / "playbook.yaml").write_text(text)
    run = gtmgen("build", folder / "playbook.yaml", "--out", tmp_path / "out", "--format",
                 "docx", "--doc", "roles")
    assert run.code == 0, run.err
    document = Document(tmp_path / "out" / "roles.docx")
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x10, 0x20)
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[0].header.paragraphs[0].text == "Crumb & Co. confidential"
    assert "Placeholder" not in "\n".join(p.text for p in document.paragraphs)


def test_missing_docx_template_is_a_located_error(tmp_path, gtmgen) -> None:
    folder = tmp_path / "crumb"
    folder.mkdir()
    text = CRUMB.read_text().replace("  country: US\n",
                                     "  country: US\n  docx_template: brand.docx\n")
    (folder / "playbook.yaml").write_text(text)
    run = gtmgen("validate", folder / "playbook.yaml")
    assert run.code == 1
    assert f"{folder / 'playbook.yaml'}:14:18: error: no file 'brand.docx'" in run.err
    (folder / "brand.docx").write_text("not a zip")
    run = gtmgen("validate", folder / "playbook.yaml")
    assert "is not a Word document (.docx)" in run.err
