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
