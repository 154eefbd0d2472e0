"""The slide deck (`--format pptx`), read back with python-pptx: the slides a client meeting
needs in order, text that fits where it is put, continuation slides that lose nothing, a
client's template, the same bytes every time, and a deck LibreOffice Impress can open."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from gtmgen.render.slidemarkup import Chart, Paragraph, Run, Table, parse, runs
from tests.conftest import CRUMB, ROOT

FIETSDEEL = ROOT / "playbooks" / "fietsdeel" / "playbook.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
CONTINUED = " (continued)"


def _build(playbook: Path, out: Path, *extra: str | Path) -> Path:
    from gtmgen.cli import main  # noqa: F401 - the same entry point as the console script

    done = subprocess.run([str(Path(__import__("sys").executable).parent / "gtmgen"), "build",
                           str(playbook), "--out", str(out), "--format", "pptx",
                           *map(str, extra)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out / "playbook.pptx"


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crumb")
    shutil.copy(CRUMB, folder / "playbook.yaml")
    return _build(folder / "playbook.yaml", folder / "out")


def _titles(path: Path) -> list[str]:
    return [slide.shapes.title.text for slide in Presentation(str(path)).slides]


def _sections(titles: list[str], continued: str = CONTINUED) -> list[str]:
    """The titles with continuation slides folded into the slide they continue."""
    out: list[str] = []
    for title in titles:
        if title.endswith(continued):
            assert out and out[-1] == title[:-len(continued)], title
        else:
            out.append(title)
    return out


def test_the_crumb_deck_has_the_meeting_slides_in_order(deck) -> None:
    # By hand from the playbook: three personas; a 45-day hiring lead before a March 1 launch
    # opens two vacancies on Jan 15, the content creator's (needed Apr 5) on Feb 19; the
    # phases run Mar 1 to May 5; operating reviews at 3, 6 and 12 months: Jun 1, Sep 1,
    # Mar 1 2028.
    assert _sections(_titles(deck)) == [
        "Crumb & Co.", "Executive summary", "The plan at a glance",
        "Segments and ideal customer profiles", "Maya, the weekend parent",
        "Olivia, the office manager", "Priya, Head of People", "Positioning", "Competitors",
        "Message sequence", "Messaging matrix", "Launch calendar: Jan 2027",
        "Launch calendar: Feb 2027", "Launch calendar: Mar 2027", "Launch calendar: Apr 2027",
        "Launch calendar: May 2027", "Launch calendar: Jun 2027", "Launch calendar: Sep 2027",
        "Launch calendar: Mar 2028", "Organisation chart", "Hiring plan", "Budget and funnel",
        "Return by channel", "KPIs and reviews", "Who owns the plan", "Approvals"]


def test_a_busy_month_goes_on_over_continuation_slides_with_its_header(deck) -> None:
    slides = [s for s in Presentation(str(deck)).slides
              if s.shapes.title.text.startswith("Launch calendar: Mar 2027")]
    assert len(slides) >= 2
    assert slides[1].shapes.title.text == "Launch calendar: Mar 2027 (continued)"
    for slide in slides:
        table = next(s.table for s in slide.shapes if s.has_table)
        assert [c.text for c in table.rows[0].cells] == ["Date", "Entry", "Owner"]
    first = next(s.table for s in slides[0].shapes if s.has_table)
    assert first.cell(1, 0).text == "Mar 1, 2027"
    assert first.cell(1, 1).text == ("Phase 1 goes live: Warm, bakery-quality cookies in 18 "
                                     "minutes from your freezer.")


def test_the_cover_names_client_product_author_and_date(deck) -> None:
    cover = Presentation(str(deck)).slides[0]
    text = "\n".join(s.text_frame.text for s in cover.shapes if s.has_text_frame)
    for words in ("Crumb & Co.", "Bake-at-home cookie subscription", "Go-to-market playbook",
                  "Prepared by: North Star Fractional CMO", "Date: January 18, 2027"):
        assert words in text


def test_every_slide_has_speaker_notes_with_detail(deck) -> None:
    prs = Presentation(str(deck))
    first = {}
    for slide in prs.slides:
        first.setdefault(slide.shapes.title.text, slide)
    notes = first["Message sequence"].notes_slide.notes_text_frame.text
    assert "Resonance metric: trial signups, Target 800" in notes
    hiring = first["Hiring plan"].notes_slide.notes_text_frame.text
    assert hiring.startswith("1. Growth Marketing Manager: Turn paid and partner channels")
    assert "Which value proposition each persona hears when" in \
        first["Messaging matrix"].notes_slide.notes_text_frame.text


def test_the_deck_is_sixteen_by_nine_with_the_theme_header_fill(deck) -> None:
    prs = Presentation(str(deck))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))
    matrix = next(s for s in prs.slides if s.shapes.title.text == "Messaging matrix")
    table = next(s.table for s in matrix.shapes if s.has_table)
    assert str(table.cell(0, 0).fill.fore_color.rgb) == "E4E7EB"  # theme.yaml table_header
    assert table.cell(0, 0).text_frame.paragraphs[0].runs[0].font.name == "Calibri"


# An independent measure: DejaVu Sans (as wide as or wider than the fonts a viewer shows),
# words wrapped greedily, each line as high as the paragraph's exact spacing.
def _font(size: float, bold: bool):
    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name),
                              size=int(size * 10))


def _lines(text_runs: list[tuple[str, float, bool]], width: float) -> int:
    words: list[float] = []
    for text, size, bold in text_runs:
        font = _font(size, bold)
        words += [font.getlength(w) / 10 for w in text.split()]
    space = _font(text_runs[0][1], False).getlength(" ") / 10 if text_runs else 0
    lines, used = 1, 0.0
    for word in words:
        if used and used + space + word > width:
            lines, used = lines + 1, word
        else:
            used += (space if used else 0) + word
    return lines


def _needed(frame, width: float) -> float:
    """Points of height a text frame's paragraphs need at their width."""
    total = 0.0
    for paragraph in frame.paragraphs:
        ppr = paragraph._p.pPr
        spacing = int(ppr.find(f"{A}lnSpc/{A}spcPts").get("val")) / 100
        before = int(ppr.find(f"{A}spcBef/{A}spcPts").get("val")) / 100
        margin = int(ppr.get("marL", "0")) / 12700
        pieces = [(r.text, r.font.size.pt, bool(r.font.bold)) for r in paragraph.runs]
        total += before + spacing * _lines(pieces, width - margin)
    return total


def _check_fits(path: Path) -> int:
    prs = Presentation(str(path))
    checked = 0
    for number, slide in enumerate(prs.slides, 1):
        bottom = prs.slide_height
        for shape in slide.shapes:
            assert shape.top + shape.height <= bottom, (number, shape.name)
            if shape.has_text_frame and shape.text_frame.text:
                frame = shape.text_frame
                width = (shape.width - frame.margin_left - frame.margin_right) / 12700
                room = (shape.height - frame.margin_top - frame.margin_bottom) / 12700
                assert _needed(frame, width) <= room + 0.5, (number, frame.text[:60])
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        if shape.is_placeholder:
                            assert run.font.size.pt >= 14, (number, run.text)
                checked += 1
            if shape.has_table:
                table = shape.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        width = (table.columns[c].width - cell.margin_left
                                 - cell.margin_right) / 12700
                        room = (row.height - cell.margin_top - cell.margin_bottom) / 12700
                        assert _needed(cell.text_frame, width) <= room + 0.5, \
                            (number, r, cell.text[:60])
                        assert all(run.font.size.pt >= 14
                                   for p in cell.text_frame.paragraphs for run in p.runs)
                        checked += 1
    return checked


def test_every_text_fits_its_placeholder_table_cell_and_slide(deck) -> None:
    assert _check_fits(deck) > 100


LONG_PROMISE = ("Every cookie we ship is mixed, shaped and frozen by the same bakers who run "
                "our Brooklyn counters, so the batch you bake on a Sunday evening tastes "
                "exactly like the one our regulars queue for at seven in the morning, without "
                "a drive, a queue, a crowded counter or a single bowl to wash afterwards, ever.")


def _long_playbook(folder: Path) -> Path:
    assert len(LONG_PROMISE) >= 300
    points = "\n".join(f"        - Proof point number {n} holds word{n}a and word{n}b"
                       for n in range(1, 41))
    text = CRUMB.read_text().replace(
        "      value_proposition: Warm, bakery-quality cookies in 18 minutes from your freezer.\n",
        f"      value_proposition: {LONG_PROMISE}\n").replace(
        "      proof_points: [Same dough our bakery sells, Blind taste test vs. store brands]\n",
        f"      proof_points:\n{points}\n")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "playbook.yaml").write_text(text)
    return folder / "playbook.yaml"


def test_long_text_goes_on_over_continuation_slides_and_loses_no_word(tmp_path) -> None:
    path = _build(_long_playbook(tmp_path / "long"), tmp_path / "out")
    prs = Presentation(str(path))
    sequence = [s for s in prs.slides if s.shapes.title.text.startswith("Message sequence")]
    # 40 proof points of one line each are more than one slide holds at 14 pt (380 points
    # of body, 16.8 points a line plus 6 between): the sequence takes at least three slides.
    assert len(sequence) >= 3
    assert [s.shapes.title.text for s in sequence[1:]] == \
        ["Message sequence (continued)"] * (len(sequence) - 1)
    shown = " ".join(shape.text_frame.text for slide in sequence for shape in slide.shapes
                     if shape.has_text_frame and shape != slide.shapes.title)
    shown = " ".join(shown.split())
    assert LONG_PROMISE in shown
    for n in range(1, 41):
        assert f"Proof point number {n} holds word{n}a and word{n}b" in shown
    assert _check_fits(path) > 0


def test_the_same_playbook_gives_the_same_bytes(deck, tmp_path) -> None:
    folder = tmp_path / "again"
    folder.mkdir()
    shutil.copy(CRUMB, folder / "playbook.yaml")
    assert _build(folder / "playbook.yaml", folder / "out").read_bytes() == deck.read_bytes()


def test_a_dutch_deck_has_dutch_titles(tmp_path) -> None:
    path = _build(FIETSDEEL, tmp_path / "out")
    titles = _titles(path)
    sections = _sections(titles, " (vervolg)")
    for title in ("Managementsamenvatting", "Berichtenreeks", "Berichtenmatrix",
                  "Organogram", "Wervingsplan", "Budget en funnel", "KPI's en evaluaties"):
        assert title in sections
    assert any(t.startswith("Lanceringskalender: ") for t in sections)
    assert not any(t in ("Executive summary", "Messaging matrix") for t in titles)
    assert _check_fits(path) > 50


def _brand_template(path: Path) -> None:
    from pptx.dml.color import RGBColor

    prs = Presentation()
    for layout in prs.slide_layouts:
        if layout.name == "Title and Content":
            layout.name = "Crumb Brand Content"
    prs.slide_masters[0].background.fill.solid()
    prs.slide_masters[0].background.fill.fore_color.rgb = RGBColor(0xFF, 0xF4, 0xE0)
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Template slide that must not survive"
    prs.save(str(path))


def test_a_client_template_gives_the_layouts_and_its_slides_are_removed(tmp_path) -> None:
    _brand_template(tmp_path / "brand.pptx")
    folder = tmp_path / "crumb"
    folder.mkdir()
    text = CRUMB.read_text().replace("  country: US\n",
                                     "  country: US\n  pptx_template: ../brand.pptx\n")
    (folder / "playbook.yaml").write_text(text)
    path = _build(folder / "playbook.yaml", tmp_path / "out")
    prs = Presentation(str(path))
    assert (prs.slide_width, prs.slide_height) == (Emu(9144000), Emu(6858000))  # its 4:3
    layouts = [slide.slide_layout.name for slide in prs.slides]
    assert layouts[0] == "Title Slide"
    assert set(layouts[1:]) == {"Crumb Brand Content"}
    assert str(prs.slide_masters[0].background.fill.fore_color.rgb) == "FFF4E0"
    assert "Template slide that must not survive" not in _titles(path)
    assert _titles(path)[0] == "Crumb & Co."
    assert _check_fits(path) > 100


def test_pptx_template_on_the_command_line_wins(tmp_path) -> None:
    _brand_template(tmp_path / "brand.pptx")
    path = _build(CRUMB, tmp_path / "out", "--pptx-template", tmp_path / "brand.pptx")
    assert Presentation(str(path)).slides[1].slide_layout.name == "Crumb Brand Content"


def test_an_unusable_pptx_template_is_a_located_error(tmp_path, gtmgen) -> None:
    folder = tmp_path / "crumb"
    folder.mkdir()
    text = CRUMB.read_text().replace("  country: US\n",
                                     "  country: US\n  pptx_template: brand.pptx\n")
    (folder / "playbook.yaml").write_text(text)
    run = gtmgen("validate", folder / "playbook.yaml")
    assert run.code == 1
    assert f"{folder / 'playbook.yaml'}:14:18: error: no file 'brand.pptx'" in run.err
    (folder / "brand.pptx").write_text("not a zip")
    run = gtmgen("validate", folder / "playbook.yaml")
    assert "is not a PowerPoint presentation (.pptx)" in run.err
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name not in ("Title Only", "Blank"):
            prs.slide_layouts.remove(layout)
    prs.save(str(folder / "brand.pptx"))
    run = gtmgen("validate", folder / "playbook.yaml")
    assert "has no slide layout with a title and a body placeholder" in run.err
    run = gtmgen("build", CRUMB, "--out", tmp_path / "out", "--format", "pptx",
                 "--pptx-template", folder / "brand.pptx")
    assert run.code == 2 and "--pptx-template" in run.err and "Traceback" not in run.err


def test_pptx_with_other_documents_only_is_wrong_usage(tmp_path, gtmgen) -> None:
    run = gtmgen("build", CRUMB, "--out", tmp_path / "out", "--format", "pptx", "--doc",
                 "roles")
    assert run.code == 2
    assert "the slide deck (pptx) is made from the playbook document" in run.err
    assert not (tmp_path / "out").exists()


def test_a_users_slide_template_overrides_the_shipped_one(tmp_path) -> None:
    folder = tmp_path / "crumb"
    (folder / "templates" / "slides").mkdir(parents=True)
    shutil.copy(CRUMB, folder / "playbook.yaml")
    (folder / "templates" / "slides" / "playbook.md.j2").write_text(
        "# {{ book.client.name | md }}\n\n## {{ _(\"Personas\") }}\n\n"
        "{% for p in book.personas %}\n- {{ p.name | md }}\n{% endfor %}\n")
    path = _build(folder / "playbook.yaml", tmp_path / "out")
    assert _titles(path) == ["Crumb & Co.", "Personas"]


def test_charts_off_shows_what_the_template_gives_instead(tmp_path) -> None:
    path = _build(CRUMB, tmp_path / "out", "--no-charts")
    prs = Presentation(str(path))
    budget = next(s for s in prs.slides if s.shapes.title.text == "Budget and funnel")
    assert not any(s.shape_type == 13 for s in budget.shapes)  # no picture
    table = next(s.table for s in budget.shapes if s.has_table)
    assert [c.text for c in table.rows[0].cells] == ["Month", "Total"]
    assert table.cell(1, 0).text == "Mar 2027"
    chart = next(s for s in prs.slides if s.shapes.title.text == "Organisation chart")
    table = next(s.table for s in chart.shapes if s.has_table)
    assert [c.text for c in table.rows[1].cells] == ["Fractional CMO", "—",
                                                     "fractional, filled"]
    assert [c.text for c in table.rows[2].cells] == ["Growth Marketing Manager",
                                                     "Fractional CMO", "full-time, to hire"]


# The slide form, read without python-pptx.
def test_markdown_escapes_read_back_as_the_playbook_wrote_them() -> None:
    assert runs(r"\*not bold\* a \| b &lt;tag&gt; &amp;amp; 1\. x") == (
        Run("*not bold* a | b <tag> &amp; 1. x"),)
    assert runs("**Size:** 2,400") == (Run("Size:", bold=True), Run(" 2,400"))


def test_the_slide_form_reads_slides_bullets_tables_charts_and_notes() -> None:
    deck = parse("<!-- continued: (more) -->\n# Cover\nline\n\n## One\n- a\n    - b\n"
                 "| x | y \\| z |\n| --- | ---: |\n| 1 | 2 |\n"
                 "<!-- chart: budget | Title | A | B -->\n| m |\n| --- |\n| v |\n"
                 "<!-- /chart -->\n<!-- notes -->\n- said\n| p | q |\n")
    assert deck.continued == "(more)"
    assert [(s.title, s.cover) for s in deck.slides] == [("Cover", True), ("One", False)]
    assert deck.slides[0].blocks == [Paragraph((Run("line"),))]
    one = deck.slides[1]
    assert one.blocks[:2] == [Paragraph((Run("a"),), 0), Paragraph((Run("b"),), 1)]
    table = one.blocks[2]
    assert isinstance(table, Table)
    assert table.header == ((Run("x"),), (Run("y | z"),)) and table.right == (False, True)
    assert table.rows == (((Run("1"),), (Run("2"),)),)
    chart = one.blocks[3]
    assert isinstance(chart, Chart) and chart.name == "budget"
    assert chart.title == "Title | A | B" and len(chart.instead) == 1
    assert one.notes == ["• said", "p · q"]


PDF_TOOLS = shutil.which("soffice") and shutil.which("pdfinfo")
IMPRESS = Path("/usr/lib/libreoffice/program/libsdlo.so")


def impress_pages(deck: Path, folder: Path) -> int:
    """The pages of the PDF LibreOffice Impress makes of a deck (a copy of it in `folder`);
    the test is skipped when Impress is not installed."""
    if not IMPRESS.exists() and not any(Path("/usr/lib").glob("libreoffice*/program/libsdlo*")):
        pytest.skip("LibreOffice Impress is not installed (libreoffice-impress-nogui)")
    copy = folder / deck.name
    if copy != deck:
        shutil.copy(deck, copy)
    profile = folder / "profile"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(folder / "pdf"), str(copy)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    pdf = folder / "pdf" / copy.with_suffix(".pdf").name
    assert pdf.exists(), done.stdout + done.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.skipif(not PDF_TOOLS, reason="needs LibreOffice (soffice) and pdfinfo")
def test_libreoffice_impress_converts_the_deck_to_one_page_a_slide(deck, tmp_path) -> None:
    assert impress_pages(deck, tmp_path) == len(Presentation(str(deck)).slides)


def test_a_row_with_more_cells_than_its_header_widens_the_table() -> None:
    deck = parse("## T\n| a | b\n| --- | --- |\n| 1 | 2 | 3 |\n")
    table = deck.slides[0].blocks[0]
    assert isinstance(table, Table)
    assert table.header == ((Run("a"),), (Run("b"),), ())
    assert table.rows == (((Run("1"),), (Run("2"),), (Run("3"),)),)


def test_an_org_chart_picture_takes_the_place_of_the_reporting_table(tmp_path,
                                                                     monkeypatch) -> None:
    import io

    from PIL import Image

    from gtmgen.build import Options, build
    from gtmgen.render import RenderContext

    picture = io.BytesIO()
    Image.new("RGB", (700, 300), "white").save(picture, format="PNG")
    drawn = RenderContext.chart

    def chart(self, name: str, title: str, kind: str = "png") -> bytes | None:
        return picture.getvalue() if name == "orgchart" else drawn(self, name, title, kind)

    monkeypatch.setattr(RenderContext, "chart", chart)
    build(CRUMB, tmp_path / "out", Options(formats=("pptx",)))
    prs = Presentation(str(tmp_path / "out" / "playbook.pptx"))
    slide = next(s for s in prs.slides if s.shapes.title.text == "Organisation chart")
    assert [s.shape_type for s in slide.shapes if s.shape_type == 13] == [13]
    assert not any(s.has_table for s in slide.shapes)


def test_a_slide_template_declaring_entities_is_refused_unread(tmp_path, gtmgen) -> None:
    import zipfile

    _brand_template(tmp_path / "clean.pptx")
    with zipfile.ZipFile(tmp_path / "clean.pptx") as source, \
            zipfile.ZipFile(tmp_path / "bomb.pptx", "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "ppt/slideLayouts/slideLayout2.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            target.writestr(name, data)
    run = gtmgen("build", CRUMB, "--out", tmp_path / "out", "--format", "pptx",
                 "--pptx-template", tmp_path / "bomb.pptx")
    assert run.code == 2
    assert "its part ppt/slideLayouts/slideLayout2.xml declares a DTD or entities" in run.err


def test_rows_needing_several_slides_are_spread_evenly() -> None:
    from gtmgen.render.slidefit import _slides_needed

    # Nine rows of 10 pt on slides of 40 pt: filled greedily, 4 + 4 + 1 (three slides).
    assert _slides_needed([10.0] * 9, 40.0) == 3
    # Spread over those three slides, 30 pt a slide is enough: 3 + 3 + 3.
    assert _slides_needed([10.0] * 9, 30.0) == 3
    # A little less, and only two rows fit a slide: five slides.
    assert _slides_needed([10.0] * 9, 29.0) == 5


def test_no_month_ends_on_a_nearly_empty_continuation_slide(tmp_path) -> None:
    path = _build(CRUMB, tmp_path / "out")
    months: dict[str, list[int]] = {}
    for slide in Presentation(str(path)).slides:
        title = slide.shapes.title.text if slide.shapes.title else ""
        rows = sum(len(s.table.rows) - 1 for s in slide.shapes if s.has_table)
        if title.startswith("Launch calendar: "):
            months.setdefault(title.split(" (")[0], []).append(rows)
    split = {month: rows for month, rows in months.items() if len(rows) > 1}
    assert split  # crumb's March and April need several slides each
    for month, rows in split.items():
        assert min(rows) * 2 >= max(rows), (month, rows)
