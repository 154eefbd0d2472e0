"""What an accessibility checker reads in every Word document, in every language: the
document's language, its title, and headings a reader can see (4.5:1 against the page)."""

from __future__ import annotations

import re
import shutil

import pytest
from docx import Document
from docx.oxml.ns import qn

from gtmgen.contrast import ratio
from tests.conftest import CRUMB, ROOT

# Crumb's country is the US: English is written there (en-US); the other languages take their
# most likely region (CLDR's likely subtags).
TAGS = {"en": "en-US", "nl": "nl-NL", "vi": "vi-VN", "zh": "zh-CN", "ru": "ru-RU", "ky": "ky-KG"}


def _paragraphs_without_words(document) -> int:  # noqa: ANN001
    """Paragraphs of the body (not of table cells) with no text and no picture: spacers."""
    body = document.element.body
    return sum(1 for p in body.findall(qn("w:p"))
               if not "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
               and next(p.iter(qn("w:drawing")), None) is None)


@pytest.mark.parametrize("example", ["crumb", "ledgerly", "fietsdeel"])
@pytest.mark.parametrize("locale", sorted(TAGS))
def test_every_word_document_passes_the_checkers_rules(gtmgen, tmp_path, example,
                                                       locale) -> None:
    """Every DOCX of the examples, and their reviews: the language is the locale's, the
    title is set, every heading style reads at 4.5:1 on white, no empty spacer paragraph,
    every picture's alt text (its description) is longer than its title."""
    source = CRUMB if example == "crumb" else ROOT / "playbooks" / example / "playbook.yaml"
    folder = tmp_path / "in"
    shutil.copytree(source.parent, folder)
    text = (folder / "playbook.yaml").read_text(encoding="utf-8")
    (folder / "playbook.yaml").write_text(
        re.sub(r"^  locale: \w+$", f"  locale: {locale}", text, count=1, flags=re.M))
    run = gtmgen("build", folder / "playbook.yaml", "--format", "docx", "--out", tmp_path / "out")
    assert run.code == 0, run.err
    if (folder / "results.csv").exists():
        run = gtmgen("review", folder / "playbook.yaml", "--format", "docx", "--out",
                     tmp_path / "out")
        assert run.code == 0, run.err
    files = sorted((tmp_path / "out").glob("*.docx"))
    assert len(files) == (5 if (folder / "results.csv").exists() else 4)
    pictures = 0
    for path in files:
        document = Document(str(path))
        styles = document.styles.element
        lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(
            qn("w:rPr")).find(qn("w:lang"))
        assert lang.get(qn("w:val")) == TAGS[locale]
        assert lang.get(qn("w:eastAsia")) == "zh-CN"  # Chinese text read as Chinese
        title = document.core_properties.title
        assert title and title == document.paragraphs[0].text  # the cover's title
        assert document.core_properties.language == locale
        for style in document.styles:
            if style.name.startswith("Heading") or style.name == "Title":
                colour = style.font.color.rgb if style.font.color.type else None
                assert colour is not None and ratio(f"#{colour}", "#FFFFFF") >= 4.5, style.name
        assert _paragraphs_without_words(document) == 0, path.name
        for shape in document.inline_shapes:
            doc_pr = shape._inline.docPr
            assert len(doc_pr.get("descr")) > len(doc_pr.get("title")) > 0
            pictures += 1
    assert pictures >= 4  # budget, timeline, organisation chart, hiring at least


def test_every_chart_says_what_it_shows_in_words(gtmgen, tmp_path) -> None:
    from html.parser import HTMLParser

    run = gtmgen("build", CRUMB, "--format", "docx,html", "--out", tmp_path)
    assert run.code == 0, run.err
    found = {}
    for name in ("playbook", "roles", "hiring-plan"):
        document = Document(str(tmp_path / f"{name}.docx"))
        for shape in document.inline_shapes:
            doc_pr = shape._inline.docPr
            title, descr = doc_pr.get("name").split(" ")[0], doc_pr.get("descr")
            found[title] = descr

        class Alts(HTMLParser):
            def __init__(self) -> None:
                super().__init__()
                self.alts: list[str] = []

            def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN202
                if tag == "img":
                    self.alts.append(dict(attrs)["alt"])

        page = Alts()
        page.feed((tmp_path / f"{name}.html").read_text(encoding="utf-8"))
        assert page.alts and set(page.alts) <= set(found.values())
    # Worked from crumb's plan: 3 hires, vacancies from Jan 15, the content creator starting
    # Apr 5; 4 phases from Mar 1 to May 5; March the costliest month
    # (15,000 of the launch tasting), August the least; 4 roles, 3 open.
    assert found == {
        "budget": "Each month from Mar 2027 to Aug 2027: the costliest Mar 2027 at $50,300, "
                  "the least costly Aug 2027 at $35,300; $238,800 in all.",
        "timeline": "4 phases, from March 1, 2027 to May 5, 2027, one after the other.",
        "orgchart": "4 roles in the organisation, 3 of them still to hire.",
        "hiring": "3 hires: the first vacancy opens on January 15, 2027 and the last hire "
                  "starts on April 5, 2027."}
