"""PDF output: WeasyPrint lays out the print form of each document's page. Checked with
poppler's pdfinfo and pdftotext (skipped where they are missing)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pdfparts
from tests.conftest import CRUMB

ROOT = Path(__file__).resolve().parent.parent
FIETSDEEL = ROOT / "playbooks" / "fietsdeel" / "playbook.yaml"
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdfinfo, pdftotext) "
                                                        "is not installed")


def _weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


pytestmark = pytest.mark.skipif(not _weasyprint_works(),
                                reason="WeasyPrint or Pango is not installed (the pdf extra)")


def _info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True)
    return out.stdout.split("\f")[:-1]


def _build(gtmgen, playbook: Path, out: Path, *extra: str) -> None:
    run = gtmgen("build", playbook, "--out", out, "--format", "pdf", *extra)
    assert run.code == 0, run.err


# Crumb's country is the US, where English is written (en-US); Chinese and Russian are not,
# so they take their most likely region from CLDR's likely subtags (zh_Hans_CN, ru_Cyrl_RU).
PDF_TAGS = {"en": "en-US", "zh": "zh-CN", "ru": "ru-RU"}


def _dictionaries(pdf: Path) -> bytes:
    """Every dictionary of a PDF gtmgen wrote, one after the other."""
    return b"\n".join(pdfparts.objects(pdf.read_bytes()).values())


def _markdown_headings(markdown: str) -> tuple[str, list[str]]:
    """The document's title (its one `# ` line) and its sections (the `## ` lines), read from
    the Markdown output outside code fences, without Markdown's backslash escapes."""
    title, sections, fenced = "", [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith(("# ", "## ")):
            text = re.sub(r"\\(.)", r"\1", line.split(" ", 1)[1].strip())
            if line.startswith("# "):
                title = text
            else:
                sections.append(text)
    return title, sections


@needs_poppler
def test_cover_contents_and_page_numbers_that_are_right(gtmgen, crumb: Path) -> None:
    out = crumb.parent / "out"
    _build(gtmgen, crumb, out, "--doc", "playbook")
    pdf = out / "playbook.pdf"
    info = _info(pdf)
    assert info["Page size"].split("(")[0].split() == ["612", "x", "792", "pts"]  # US letter
    pages = _pages(pdf)
    assert int(info["Pages"]) == len(pages)
    # Page 1 is the cover alone: the title and the cover lines, no section.
    assert "Crumb & Co.: Go-to-market playbook" in pages[0]
    assert "Executive summary" not in pages[0]
    # Page 2 is the contents; every entry's number is the page its heading is on.
    assert pages[1].lstrip().startswith("Contents")
    entries = re.findall(r"^\s*(\S.*?)\s?\.{3,}\s*(\d+)\s*$", pages[1], flags=re.M)
    # The sections of the playbook template that crumb fills (it has positioning, partners,
    # assumptions, risks, next steps, stakeholders and approvals), in order.
    assert [title.strip() for title, _ in entries] == [
        "Executive summary", "Segments and ideal customer profiles", "Personas", "Positioning",
        "Partners", "Channels and budget", "Message sequence", "Messaging matrix",
        "Launch calendar", "Role definitions", "Hiring priorities", "KPIs and reviews",
        "Assumptions", "Risks", "Next steps", "Who owns the plan", "Approvals"]
    for title, number in entries:
        page = pages[int(number) - 1]
        assert title.strip() in page, (title, number)
    # The body starts on page 3, and every page after the cover carries its number.
    assert pages[2].lstrip().startswith("Executive summary")
    for index, page in enumerate(pages[1:], start=2):
        assert re.search(rf"\b{index} ?/ ?{len(pages)}\s*$", page)
    assert all(page.strip() for page in pages)  # no blank page


@needs_poppler
def test_a_short_document_starts_on_page_one(gtmgen, crumb: Path) -> None:
    out = crumb.parent / "out"
    _build(gtmgen, crumb, out, "--doc", "hiring-plan")
    pages = _pages(out / "hiring-plan.pdf")
    # crumb's hiring plan has two sections: no cover page, no contents page.
    assert "Crumb & Co.: Hiring plan" in pages[0] and "Hiring priorities" in pages[0]
    assert "Contents" not in "".join(pages)
    assert re.search(rf"\b1 ?/ ?{len(pages)}\s*$", pages[0])


@needs_poppler
def test_dutch_client_on_a4_with_its_theme(gtmgen, tmp_path: Path) -> None:
    folder = tmp_path / "fietsdeel"
    shutil.copytree(FIETSDEEL.parent, folder, ignore=shutil.ignore_patterns("build"))
    from tests.test_overrides_and_theme import PNG

    (folder / "mark.png").write_bytes(PNG)
    (folder / "theme.yaml").write_text(
        "header: Fietsdeel — marktintroductie\nconfidential: yes\nlogo: mark.png\n",
        encoding="utf-8")
    _build(gtmgen, folder / "playbook.yaml", tmp_path / "out", "--doc", "playbook")
    pdf = tmp_path / "out" / "playbook.pdf"
    assert _info(pdf)["Page size"].split("(")[0].split() == ["595.276", "x", "841.89", "pts"]
    pages = _pages(pdf)
    lines = [line.strip() for line in pages[1].splitlines() if line.strip()]
    assert lines[:2] == ["Fietsdeel — marktintroductie", "Inhoud"]
    for page in pages[1:]:  # header and the confidentiality line in Dutch, not on the cover
        assert "Fietsdeel — marktintroductie" in page
        assert "Vertrouwelijk — opgesteld voor" in page
    assert "Vertrouwelijk" not in pages[0]
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    if images.returncode == 0:
        rows = [line for line in images.stdout.splitlines()[2:] if line.strip()]
        assert len(rows) >= len(pages)  # the logo on the cover and in every header


@needs_poppler
def test_a_page_template_reads_no_file_or_web_address(gtmgen, crumb: Path) -> None:
    import base64

    from tests.test_overrides_and_theme import PNG

    (crumb.parent / "mark.png").write_bytes(PNG)
    inside = "data:image/png;base64," + base64.b64encode(PNG).decode()
    own = crumb.parent / "templates" / "html"
    own.mkdir(parents=True)
    (own / "page.html.j2").write_text(
        f'<html><body>{{{{ body }}}}<img src="{(crumb.parent / "mark.png").as_uri()}">'
        '<img src="http://127.0.0.1:9/mark.png"><img src="' + inside + '"></body></html>',
        encoding="utf-8")
    _build(gtmgen, crumb, crumb.parent / "out", "--doc", "hiring-plan")
    images = subprocess.run(["pdfimages", "-list", str(crumb.parent / "out" / "hiring-plan.pdf")],
                            capture_output=True, text=True, check=True)
    # The picture the page holds is drawn (with its alpha mask); the file and the web
    # address are not read.
    kinds = [line.split()[2] for line in images.stdout.splitlines()[2:] if line.strip()]
    assert kinds == ["image", "smask"]


def test_same_playbook_same_pdf_bytes(gtmgen, crumb: Path) -> None:
    # The hiring plan has tables with header cells, whose structure ids WeasyPrint takes from
    # memory addresses; the second build runs in a process of its own, where they differ.
    first, second = crumb.parent / "a", crumb.parent / "b"
    _build(gtmgen, crumb, first, "--doc", "roles,hiring-plan")
    run = subprocess.run([sys.executable, "-c", "from gtmgen.cli import main; main()", "build",
                          str(crumb), "--out", str(second), "--format", "pdf", "--doc",
                          "roles,hiring-plan"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for name in ("roles.pdf", "hiring-plan.pdf"):
        data = (first / name).read_bytes()
        assert data == (second / name).read_bytes(), name
        assert b"CreationDate" not in data
    assert b"/S /TH" in _dictionaries(first / "hiring-plan.pdf")


def test_without_the_extra_the_message_names_it(tmp_path: Path) -> None:
    crumb = CRUMB
    code = ("import sys; sys.modules['weasyprint'] = None; from gtmgen.cli import main; "
            "sys.argv = ['gtmgen', 'build', sys.argv[1], '--out', sys.argv[2], "
            "'--format', 'md,pdf']; main()")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-c", code, str(crumb), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "PDF output needs the pdf extra: pip install 'gtmgen[pdf]'" in run.stderr
    assert "libpango" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


@needs_poppler
def test_chinese_text_in_the_pdf_has_its_font(gtmgen, crumb: Path) -> None:
    text = crumb.read_text(encoding="utf-8").replace("  locale: en\n", "  locale: zh\n")
    crumb.write_text(text, encoding="utf-8")
    out = crumb.parent / "out"
    _build(gtmgen, crumb, out, "--doc", "roles")
    fonts = subprocess.run(["pdffonts", str(out / "roles.pdf")], capture_output=True,
                           text=True).stdout
    assert "gtmgen-CJK" in fonts  # the Noto Sans CJK of the dependencies, embedded
    pages = _pages(out / "roles.pdf")
    assert "目录" in pages[1]  # "Contents" in Chinese, as text a reader can search


@needs_poppler
@pytest.mark.parametrize("locale", sorted(PDF_TAGS))
def test_tagged_pdf_with_language_title_bookmarks_and_chart_alternatives(
        gtmgen, crumb: Path, locale: str) -> None:
    text = crumb.read_text(encoding="utf-8").replace("  locale: en\n", f"  locale: {locale}\n")
    crumb.write_text(text, encoding="utf-8")
    out = crumb.parent / "out"
    # The playbook has a cover, a contents page and all four charts; the hiring plan is short
    # (no cover) and has a chart and a table.
    run = gtmgen("build", crumb, "--out", out, "--format", "md,pdf", "--doc",
                 "playbook,hiring-plan")
    assert run.code == 0, run.err
    for name in ("playbook", "hiring-plan"):
        markdown = (out / f"{name}.md").read_text(encoding="utf-8")
        title, sections = _markdown_headings(markdown)
        pdf = out / f"{name}.pdf"
        info = _info(pdf)
        assert info["Tagged"].strip() == "yes"
        assert info["Title"].strip() == title
        found = pdfparts.objects(pdf.read_bytes())
        catalog = pdfparts.catalog(found)
        assert pdfparts.string(catalog, "Lang") == PDF_TAGS[locale]
        assert b"/DisplayDocTitle true" in catalog  # a reader's window shows the title
        # One bookmark for the title, and under it one per section, in the Markdown's order.
        outline = pdfparts.outline(found)
        assert [entry for level, entry in outline if level == 1] == [title]
        assert [entry for level, entry in outline if level == 2] == sections
        assert len(sections) >= 2
        # Each chart's picture is a Figure whose alternative is the chart's description: the
        # text after ' || ' in its marker in the Markdown.
        described = [marker.split(" || ", 1)[1] for marker in
                     re.findall(r"<!-- chart: [\w-]+ \| (.*?) -->", markdown)]
        assert described and pdfparts.figure_alts(found) == described
