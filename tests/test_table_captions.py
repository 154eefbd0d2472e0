"""Tables a reader can find and name: every table captioned and numbered ("Table 3: …") in the
HTML and Word documents, captions unique in a document, header rows marked, total rows
without blank cells, no empty paragraphs in Word, and each chart linked to its table."""

from __future__ import annotations

import collections
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from docx import Document
from docx.oxml.ns import qn
from lxml import html as lxml_html

from gtmgen.build import Options, build
from gtmgen.contrast import ratio
from gtmgen.render.captions import read_captions
from gtmgen.render.html import to_html
from gtmgen.render.templates import shipped_templates
from gtmgen.review import review
from tests.conftest import CRUMB, CRUMB_BOTH, LEDGERLY

FIETSDEEL = CRUMB_BOTH.parent.parent / "fietsdeel" / "playbook.yaml"
LOCALES = ("en", "nl", "vi", "zh", "ru", "ky")
# Each example with the `locale:` line that the test swaps for another locale's.
EXAMPLES = {"crumb": (CRUMB, "  locale: en\n"), "ledgerly": (LEDGERLY, "  locale: en\n"),
            "fietsdeel": (FIETSDEEL, "  locale: nl\n")}
DOCUMENTS = ("playbook", "launch-calendar", "roles", "hiring-plan")


def _words(locale: str) -> dict[str, str]:
    """The catalog's words of a locale; English is the source language."""
    if locale == "en":
        return {}
    path = shipped_templates() / "locale" / locale / "LC_MESSAGES" / "gtmgen.po"
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale=locale) if m.id}


def _word(locale: str, msgid: str) -> str:
    return _words(locale).get(msgid) or msgid


def _build(source: Path, line: str, locale: str, folder: Path) -> Path:
    folder.mkdir(parents=True)
    text = source.read_text(encoding="utf-8")
    assert line in text
    (folder / "playbook.yaml").write_text(text.replace(line, f"  locale: {locale}\n"),
                                          encoding="utf-8")
    done = build(folder / "playbook.yaml", folder / "out", Options(formats=("docx", "html")))
    assert done.validation.ok, done.validation.diagnostics
    return folder / "out"


@pytest.fixture(scope="module", params=LOCALES)
def built(request, tmp_path_factory) -> tuple[str, dict[str, Path]]:
    """The three examples' Word and HTML documents in one locale: (locale, {name: folder})."""
    locale = request.param
    root = tmp_path_factory.mktemp(f"captions-{locale}")
    return locale, {name: _build(source, line, locale, root / name)
                    for name, (source, line) in EXAMPLES.items()}


@pytest.fixture(scope="module")
def bilingual_and_reviews(tmp_path_factory) -> list[Path]:
    """Every Word and HTML file of the bilingual crumb (en/ and nl/) and of both examples'
    reviews at their first operating review."""
    root = tmp_path_factory.mktemp("captions-both")
    both = build(CRUMB_BOTH, root / "both", Options(formats=("docx", "html")))
    assert both.validation.ok
    for name, source, day in (("crumb", CRUMB_BOTH, "2027-06-01"),
                              ("ledgerly", LEDGERLY, "2027-12-06")):
        folder = root / f"review-{name}"
        folder.mkdir()
        shutil.copy(source, folder / "playbook.yaml")
        shutil.copy(source.parent / "results.csv", folder / "results.csv")
        done = review(folder / "playbook.yaml", folder / "out",
                      Options(formats=("docx", "html")), as_of=dt.date.fromisoformat(day))
        assert done.review is not None, done.diagnostics
    files = sorted(root.rglob("*.docx")) + sorted(root.rglob("*.html"))
    # en/ and nl/ of crumb: 4 documents each; crumb's review in both, ledgerly's in English.
    assert len(files) == 2 * (2 * 4 + 3)
    return files


def _docx_files(built: tuple[str, dict[str, Path]]) -> list[Path]:
    _, folders = built
    return [folder / f"{name}.docx" for folder in folders.values() for name in DOCUMENTS]


def _html_tables(path: Path) -> list[lxml_html.HtmlElement]:
    return lxml_html.fromstring(path.read_bytes()).iter("table")


def _row_texts(row) -> list[str]:  # noqa: ANN001 - a python-docx or lxml row
    cells = row.cells if hasattr(row, "cells") else row.findall("./td") + row.findall("./th")
    return [" ".join((c.text if hasattr(c, "paragraphs") else c.text_content()).split())
            for c in cells]


# The Markdown side: which caption each table gets, which table each chart links to ----------

MARKDOWN = """\
## Budget

<!-- table: Budget by month -->

| Month | Total |
| --- | ---: |
| Mar | 1 |

| Channel |
| --- |
| Email |

<!-- chart: budget | Budget by month || The costliest month is March. -->

## Hiring

<!-- chart: hiring | Hiring timeline || 1 hire. -->

| Role |
| --- |
| Baker |

### Vacancies

| Opens |
| --- |
| Jan 15 |

## Organisation

<!-- chart: orgchart | Organisation chart || 1 role. -->

<!-- table: A &amp; B &lt;2&gt; -->

Some words.

| X |
| --- |
| 1 |
"""


def test_a_table_takes_its_marker_else_its_heading_as_caption() -> None:
    captions = read_captions(to_html(MARKDOWN).tree)
    # Table 1 has a marker; table 2 shares the heading "Budget" but has none; tables 3 and 4
    # sit under "Hiring" and "Vacancies"; the marker of table 5 is written escaped, as the
    # caption macro writes it, and holds even with a paragraph between it and the table.
    assert captions.tables == ("Budget by month", "Budget", "Hiring", "Vacancies",
                               "A & B <2>")


def test_a_chart_links_the_nearest_table_of_its_own_section() -> None:
    captions = read_captions(to_html(MARKDOWN).tree)
    # budget: tables 1 and 2 come before it under "Budget", the nearer is 2. hiring: none
    # before it under "Hiring", table 3 after it (table 4 is under another heading).
    # orgchart: its section's only table is 5, after it.
    assert captions.charts == (2, 3, 5)


def test_a_chart_alone_in_its_section_links_no_table() -> None:
    text = "## Roles\n\n<!-- chart: orgchart | Organisation chart || 1 role. -->\n\n" \
           "## Hiring\n\n| Role |\n| --- |\n| Baker |\n"
    captions = read_captions(to_html(text).tree)
    assert captions.charts == (None,)
    assert captions.tables == ("Hiring",)


# HTML -----------------------------------------------------------------------------------------

def test_html_tables_are_captioned_numbered_and_charts_link_to_them(tmp_path) -> None:
    out = _build(CRUMB, "  locale: en\n", "en", tmp_path / "crumb")
    page = (out / "playbook.html").read_text(encoding="utf-8")
    assert "<!-- table:" not in page and "&lt;!-- table" not in page
    tables = list(_html_tables(out / "playbook.html"))
    for number, table in enumerate(tables, start=1):
        first = next(iter(table))
        assert table.get("id") == f"Table-{number}"
        assert first.tag == "caption" and first.text_content().startswith(f"Table {number}: ")
    # Crumb's playbook: competitors (1), against the competitors (2), partners (3), channels
    # (4), approved budget (5), then the budget by month (6), the table of the budget chart.
    assert tables[5].findtext("caption") == "Table 6: Budget by month"
    figures = lxml_html.fromstring(page.encode()).iter("figure")
    links = {f.findtext("figcaption").strip(): [a.get("href") for a in f.iter("a")]
             for f in figures}
    assert links["Budget by month"] == ["#Table-6"]
    assert links["Organisation chart"] == []
    ids = {table.get("id") for table in tables}
    assert all(href[1:] in ids for hrefs in links.values() for href in hrefs)


def test_a_dutch_document_says_tabel(bilingual_and_reviews) -> None:
    page = next(p for p in bilingual_and_reviews if p.parts[-2:] == ("nl", "playbook.html"))
    # As in English: the budget by month is crumb's sixth table.
    assert list(_html_tables(page))[5].findtext("caption") == "Tabel 6: Budget per maand"


def test_captions_are_unique_in_every_document(built, bilingual_and_reviews) -> None:
    _, folders = built
    pages = [folder / f"{name}.html" for folder in folders.values() for name in DOCUMENTS]
    pages += [path for path in bilingual_and_reviews if path.suffix == ".html"]
    for page in pages:
        captions = [t.findtext("caption") for t in _html_tables(page)]
        assert None not in captions, page
        # Without "Table 3:" (Chinese: "表 3："), which alone would set them apart.
        texts = [re.split("[:：]", c, maxsplit=1)[1].strip() for c in captions]
        repeated = [text for text, n in collections.Counter(texts).items() if n > 1]
        assert repeated == [], (page, repeated)


def test_html_total_rows_have_no_empty_cell(built) -> None:
    locale, folders = built
    labels = {_word(locale, "Total"), _word(locale, "Difference")}
    found = 0
    for folder in folders.values():
        for table in _html_tables(folder / "playbook.html"):
            for row in table.iter("tr"):
                texts = _row_texts(row)
                if texts and texts[0] in labels:
                    found += 1
                    assert "" not in texts, texts
    # Per example: channels, budget by month and funnel by channel end in a total; ledgerly
    # adds its engagement's difference.
    assert found == 3 + 3 + 4


# Word -----------------------------------------------------------------------------------------

def test_word_has_no_empty_paragraph(built, bilingual_and_reviews) -> None:
    files = _docx_files(built) + [p for p in bilingual_and_reviews if p.suffix == ".docx"]
    for path in files:
        document = Document(str(path))
        empty = [p for p in document.paragraphs
                 if not p.text.strip() and not p._p.findall(".//" + qn("w:drawing"))]
        assert empty == [], path


def test_every_word_table_has_its_caption_above_and_a_header_row(built) -> None:
    locale, _ = built
    prefix = _word(locale, "Table %(number)s: %(caption)s").split("%(caption)s")[0]
    for path in _docx_files(built):
        document = Document(str(path))
        caption_id = document.styles["Caption"].style_id
        body = list(document.element.body)
        number = 0
        for index, block in enumerate(body):
            if block.tag != qn("w:tbl"):
                continue
            number += 1
            above = body[index - 1]
            ppr = above.find(qn("w:pPr"))
            text = "".join(t.text for t in above.iter(qn("w:t")))
            assert ppr.find(qn("w:pStyle")).get(qn("w:val")) == caption_id, (path, number)
            assert ppr.find(qn("w:keepNext")) is not None
            assert text.startswith(prefix % {"number": number}), (path, text)
            title = block.find(qn("w:tblPr")).find(qn("w:tblCaption"))
            assert title is not None and title.get(qn("w:val")) == text
            first_row = block.find(qn("w:tr"))
            assert first_row.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None


def test_word_captions_are_readable_on_white(built) -> None:
    for path in _docx_files(built):
        style = Document(str(path)).styles["Caption"]
        colour = style.font.color.rgb
        assert colour is not None and ratio(f"#{colour}", "#FFFFFF") >= 4.5
        assert style.paragraph_format.keep_with_next


def test_word_total_rows_have_no_empty_cell(built) -> None:
    locale, folders = built
    labels = {_word(locale, "Total"), _word(locale, "Difference")}
    found = 0
    for folder in folders.values():
        for table in Document(str(folder / "playbook.docx")).tables:
            for row in table.rows:
                texts = _row_texts(row)
                if texts[0] in labels:
                    found += 1
                    assert "" not in texts, texts
    assert found == 3 + 3 + 4  # as in the HTML pages


def test_crumb_channel_total_row_in_word(tmp_path) -> None:
    out = _build(CRUMB, "  locale: en\n", "en", tmp_path / "crumb")
    rows = [_row_texts(row) for table in Document(str(out / "playbook.docx")).tables
            for row in table.rows]
    # Crumb's channels: $6,000 + $3,500 + $2,000 + $1,500 (email) = $13,000 a month, 100% of
    # it; no kind, owner or cadence for a total.
    assert ["Total", "—", "—", "—", "$13,000", "100.0%"] in rows
