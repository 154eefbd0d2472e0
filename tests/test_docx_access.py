"""What an accessibility checker reads in every Word document, in every language: the
document's language, its title, and headings a reader can see (4.5:1 against the page)."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn

from gtmgen.contrast import ratio
from tests.conftest import CRUMB

# Crumb's country is the US: English is written there (en-US); the other languages take their
# most likely region (CLDR's likely subtags).
TAGS = {"en": "en-US", "nl": "nl-NL", "vi": "vi-VN", "zh": "zh-CN", "ru": "ru-RU", "ky": "ky-KG"}


@pytest.mark.parametrize("locale", sorted(TAGS))
def test_language_title_and_headings(gtmgen, tmp_path, locale) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text(CRUMB.read_text(encoding="utf-8").replace("  locale: en\n",
                                                              f"  locale: {locale}\n"))
    run = gtmgen("build", path, "--format", "docx", "--out", tmp_path / "out")
    assert run.code == 0, run.err
    for name in ("playbook", "launch-calendar", "roles", "hiring-plan"):
        document = Document(str(tmp_path / "out" / f"{name}.docx"))
        styles = document.styles.element
        lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(
            qn("w:rPr")).find(qn("w:lang"))
        assert lang.get(qn("w:val")) == TAGS[locale]
        assert lang.get(qn("w:eastAsia")) == "zh-CN"  # Chinese text read as Chinese
        title = document.core_properties.title
        assert title and title == document.paragraphs[0].text  # the cover's title
        assert document.core_properties.language == locale
        for style in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
            colour = document.styles[style].font.color.rgb
            assert colour is not None and ratio(f"#{colour}", "#FFFFFF") >= 4.5, style


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
        "budget": "Each month from Mar 2027 to Aug 2027: the costliest $50,300, the least "
                  "costly $35,300; $238,800 in all.",
        "timeline": "4 phases, from March 1, 2027 to May 5, 2027, one after the other.",
        "orgchart": "4 roles in the organisation, 3 of them still to hire.",
        "hiring": "3 hires: the first vacancy opens on January 15, 2027 and the last hire "
                  "starts on April 5, 2027."}
