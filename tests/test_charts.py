"""Charts: pictures in Word and HTML, Mermaid in Markdown, reproducible PNGs, and no
matplotlib unless a picture is drawn."""

from __future__ import annotations

import base64
import re
import struct
import subprocess
import sys

import pytest
from docx import Document

from gtmgen.render import RenderContext, build_stamp
from gtmgen.render.charts import draw, font_file
from gtmgen.render.templates import mermaid_text
from tests.builders import planned
from tests.conftest import CRUMB


def _chunks(png: bytes) -> list[bytes]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    found, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        found.append(kind)
        at += 12 + length
    return found


@pytest.fixture(scope="module")
def context():
    book, plan = planned(CRUMB)
    return RenderContext(book, plan, build_stamp(book, None))


@pytest.mark.parametrize("name", ["timeline", "budget"])
def test_charts_are_reproducible_pngs_without_time_or_software(context, name) -> None:
    first, second = draw(context, name, "Title"), draw(context, name, "Title")
    assert first == second
    kinds = _chunks(first)
    assert b"tIME" not in kinds and b"IHDR" in kinds
    assert b"Software" not in first and b"matplotlib" not in first.lower()


def _phys(png: bytes) -> tuple[int, int, int]:
    at = png.index(b"pHYs") + 4
    return struct.unpack(">IIB", png[at:at + 9])


@pytest.mark.parametrize("name", ["timeline", "budget", "hiring", "orgchart"])
def test_png_charts_are_300_dpi_and_7_inches_wide(context, name) -> None:
    png = draw(context, name, "Title")
    assert struct.unpack(">II", png[16:24])[0] == 2100  # IHDR width: 7 x 300
    # 300 dots an inch are 11,811 a metre (unit 1: metres).
    assert _phys(png) == (11811, 11811, 1)


@pytest.mark.parametrize("name", ["timeline", "budget", "hiring", "orgchart"])
def test_svg_charts_are_reproducible_without_date_or_software(name) -> None:
    book, plan = planned(CRUMB)
    # Two separate builds: the ids come from a fixed salt, not from a random one.
    first = RenderContext(book, plan, build_stamp(book, None)).chart(name, "Title", "svg")
    second = RenderContext(book, plan, build_stamp(book, None)).chart(name, "Title", "svg")
    assert first is not None and first == second
    assert first.startswith(b"<?xml") and b"<svg" in first
    assert b"<title>Title</title>" in first
    assert b"Matplotlib" not in first and b"<dc:date>" not in first
    # Text as glyph outlines: no <text> element that would need the font installed.
    assert b"<text" not in first
    # Every id carries the chart's name, so two charts can share one HTML page.
    ids = re.findall(rb' id="([^"]+)"', first)
    assert ids and all(i.startswith(name.encode() + b"-") for i in ids)


def test_chart_is_drawn_once_per_name_title_and_kind(context) -> None:
    png = context.chart("budget", "Budget | a | b | c")
    assert context.chart("budget", "Budget | a | b | c", "png") is png
    svg = context.chart("budget", "Budget | a | b | c", "svg")
    assert svg is not None and svg is not png and svg.startswith(b"<?xml")
    assert context.chart("budget", "Budget | a | b | c", "gif") is None


def test_charts_take_the_themes_palette_and_text_colour(context) -> None:
    from dataclasses import replace

    book, plan = planned(CRUMB)
    themed = RenderContext(book, plan, build_stamp(book, None))
    themed.theme = replace(themed.look, chart=("#123456", "#654321", "#0A0B0C"),
                           text="#010203", line="#0D0E0F")
    svg = themed.chart("budget", "Budget | a | b | c", "svg")
    assert svg is not None
    for colour in (b"#123456", b"#010203", b"#0d0e0f"):
        assert colour in svg
    assert b"#1f4e79" not in svg  # the shipped theme's first colour


def test_chinese_charts_use_a_cjk_font() -> None:
    assert font_file("zh").name.startswith("NotoSansCJK")
    assert font_file("ru").name == "DejaVuSans.ttf"


def test_word_and_html_carry_the_charts(gtmgen, crumb) -> None:
    out = crumb.parent / "out"
    assert gtmgen("build", crumb, "--out", out, "--format", "docx,html", "--doc",
                  "playbook").code == 0
    assert len(Document(out / "playbook.docx").inline_shapes) == 4
    page = (out / "playbook.html").read_text(encoding="utf-8")
    images = re.findall(r'<img alt="([^"]+)" src="data:image/svg\+xml;base64,([^"]+)"', page)
    # Each picture says in words what it shows (test_docx_access.py has the sentences).
    assert [alt.split(" ")[0:2] for alt, _ in images] == [
        ["Each", "month"], ["4", "phases,"], ["4", "roles"], ["3", "hires:"]]
    for _, data in images:  # pictures that stay sharp in print: SVG, not PNG
        assert b"<svg" in base64.b64decode(data)[:400]
    assert "language-mermaid" not in page


def test_no_charts_leaves_them_out(gtmgen, crumb) -> None:
    out = crumb.parent / "out"
    assert gtmgen("build", crumb, "--out", out, "--format", "docx,html", "--doc", "playbook",
                  "--no-charts").code == 0
    assert len(Document(out / "playbook.docx").inline_shapes) == 0
    assert "<img" not in (out / "playbook.html").read_text(encoding="utf-8")


def test_markdown_has_a_mermaid_gantt_of_phases_and_hires(gtmgen, crumb) -> None:
    out = crumb.parent / "out"
    gtmgen("build", crumb, "--out", out, "--doc", "launch-calendar")
    text = (out / "launch-calendar.md").read_text(encoding="utf-8")
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block.splitlines()[0] == "gantt"
    # Phase 2 starts 2027-03-15 and runs 21 days; the content creator's vacancy is open
    # from 2027-02-19 for its 45 days of hiring (its ':' written as Mermaid's code #58;).
    assert "    2. Turn anchor days into the best day of the week. :p2, 2027-03-15, 21d" in block
    assert "    Hiring#58; Content Creator :h3, 2027-02-19, 45d" in block


def test_mermaid_text_writes_syntax_characters_as_mermaids_entity_codes() -> None:
    assert mermaid_text("#1: Save 20%; <b>now</b>") == \
        "#35;1#58; Save 20#37;#59; #lt;b#gt;now#lt;/b#gt;"
    # '#' is coded once, never the '#' of another code; '&' and '"' too; one line.
    assert mermaid_text('R&D "fast"\n  lane') == "R#38;D #quot;fast#quot; lane"


def test_gantt_shows_the_clients_words_in_tasks_and_sections() -> None:
    from tests.builders import documents, phase, playbook

    data = playbook(messages={"phases": [phase("one", "#1: Save 20%; <b>now</b>")]})
    text = documents(data)["launch-calendar"]
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert "    1. #35;1#58; Save 20#37;#59; #lt;b#gt;now#lt;/b#gt; :p1, 2027-03-01, 14d" in block
    assert "    section Message sequence\n" in block
    # Once Mermaid's codes are taken out, no title, section or task holds '#', ';' or '%',
    # and a task ':' only as the separator before its data.
    for line in block.splitlines()[1:]:
        plain = re.sub(r"#\w+;", "", line)
        if plain.split()[0] not in ("dateFormat", "axisFormat"):
            assert not {"#", ";", "%"} & set(plain), line
            assert plain.count(":") == (plain.split()[0] not in ("title", "section")), line


def test_markdown_build_never_imports_matplotlib(tmp_path) -> None:
    code = (
        "import sys, atexit\n"
        f"sys.argv = ['gtmgen', 'build', {str(CRUMB)!r}, '--out', {str(tmp_path)!r}]\n"
        "atexit.register(lambda: print('matplotlib' in sys.modules, 'docx' in sys.modules,"
        " file=sys.stderr))\n"
        "from gtmgen.cli import main\n"
        "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "False False"
