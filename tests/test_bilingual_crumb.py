"""The crumb example in English and Dutch: one build writes both folders; the English documents
are the golden ones, and nothing English is left in the Dutch ones but names."""

from __future__ import annotations

import csv
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from icalendar import Calendar

from gtmgen.translations import text_mappings
from gtmgen.validate import validate_path
from tests.conftest import CRUMB_BOTH, ROOT

GOLDEN = ROOT / "tests" / "golden" / "crumb"
FORMATS = "md,docx,html,csv,ics"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from gtmgen.build import Options, build

    folder = tmp_path_factory.mktemp("crumb")
    shutil.copy(CRUMB_BOTH, folder / "playbook.yaml")
    result = build(folder / "playbook.yaml", folder / "out",
                   Options(formats=tuple(FORMATS.split(","))))
    assert result.validation.ok, result.diagnostics
    return folder / "out"


def test_one_build_writes_both_languages(built) -> None:
    documents = [f"{doc}.{fmt}" for doc in ("playbook", "launch-calendar", "roles",
                                            "hiring-plan") for fmt in ("md", "docx", "html")]
    for locale in ("en", "nl"):
        names = sorted(p.name for p in (built / locale).iterdir())
        assert names == sorted([*documents, "launch-calendar.csv", "launch-calendar.ics"])


def test_the_english_documents_are_the_golden_ones(built) -> None:
    for golden in sorted(GOLDEN.glob("*.md")):
        assert (built / "en" / golden.name).read_text(encoding="utf-8") == \
            golden.read_text(encoding="utf-8"), golden.name


def _english_texts() -> list[str]:
    """Every English text of the playbook that its Dutch differs from (names given as plain
    strings are the same in both and not counted), longest first."""
    result = validate_path(CRUMB_BOTH)
    assert result.ok and result.loaded is not None
    found = {m["en"] for _, m in text_mappings(result.loaded.data, result.texts)
             if m.get("nl") and m["nl"] != m["en"]}
    return sorted(found, key=len, reverse=True)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _dutch_outputs(built: Path) -> dict[str, str]:
    folder = built / "nl"
    found = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".md":
            found[path.name] = path.read_text(encoding="utf-8")
        elif path.suffix == ".csv":  # its words; ids and codes are for programs
            rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")),
                                  delimiter=";")
            found[path.name] = "\n".join(row[key] for row in rows for key in (
                "title", "channel_name", "persona_names", "owner_name"))
        elif path.suffix == ".html":
            page = _Text()
            page.feed(path.read_text(encoding="utf-8"))
            found[path.name] = "\n".join(page.parts)
        elif path.suffix == ".docx":
            document = Document(str(path))
            found[path.name] = "\n".join(
                [p.text for p in document.paragraphs]
                + [c.text for t in document.tables for r in t.rows for c in r.cells])
        elif path.suffix == ".ics":
            events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
            found[path.name] = "\n".join(str(e.get(key, "")) for e in events
                                          for key in ("SUMMARY", "DESCRIPTION", "LOCATION"))
    return found


def test_no_english_text_is_left_in_the_dutch_documents(built) -> None:
    english = _english_texts()
    assert len(english) > 80  # everything a client reads has its Dutch
    outputs = _dutch_outputs(built)
    assert set(outputs) >= {"playbook.md", "playbook.docx", "playbook.html",
                            "launch-calendar.csv", "launch-calendar.ics"}
    for name, text in outputs.items():
        # A text may be cut (a table cell, an event title) or escaped in Markdown: compare
        # with the escapes taken out.
        plain = re.sub(r"\\(.)", r"\1", text)
        left = [t for t in english if t in plain]
        assert not left, (name, left[:5])


def test_no_english_label_is_left_in_the_dutch_documents(built) -> None:
    outputs = _dutch_outputs(built)
    for label in ("Executive summary", "Launch calendar", "Hiring priorities", "Role definitions",
                  "Value proposition", "Competitors", "Who owns the plan", "Next steps",
                  "Operating review", "Week of", "goes live", "Owner"):
        for name, text in outputs.items():
            assert label not in text, (name, label)
    # The CSV's titles are Dutch; its header and codes are the columns' names for programs.
    assert "Vacature openen" in outputs["launch-calendar.csv"]


def test_each_language_writes_its_own_dates_and_money(built) -> None:
    # The approved 250,000 USD and the launch on 2027-03-01, as each language writes them.
    # (money keeps its sign and number together with a no-break space)
    nl, en = ((built / locale / "playbook.md").read_text(encoding="utf-8").replace("\u00a0", " ")
              for locale in ("nl", "en"))
    assert "**Goedgekeurd budget:** US$ 250.000; gepland US$ 238.800; ruimte US$ 11.200" in nl
    assert "**Approved budget:** $250,000; planned $238,800; headroom $11,200" in en
    assert "1 maart 2027" in nl and "March 1, 2027" in en


def test_a_playbook_turned_bilingual_leaves_no_stale_files(gtmgen, tmp_path) -> None:
    from tests.conftest import CRUMB

    folder = tmp_path / "crumb"
    folder.mkdir()
    shutil.copy(CRUMB, folder / "playbook.yaml")  # English alone first
    out = tmp_path / "out"
    assert gtmgen("build", folder / "playbook.yaml", "--out", out).code == 0
    (out / "my-notes.txt").write_text("mine")  # not gtmgen's: kept
    shutil.copy(CRUMB_BOTH, folder / "playbook.yaml")
    assert gtmgen("build", folder / "playbook.yaml", "--out", out).code == 0
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "en", "my-notes.txt", "nl"]
