"""The board version of the slide deck (`--doc board --format pptx`): 8 to 10 slides in the
order a board reads them, slides without data left out, text that fits, and a deck
LibreOffice Impress can open."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from tests.conftest import CRUMB, ROOT
from tests.test_slides import PDF_TOOLS, _check_fits, _titles, impress_pages

LEDGERLY = ROOT / "playbooks" / "ledgerly" / "playbook.yaml"


def _board(playbook: Path, out: Path) -> Path:
    done = subprocess.run([str(Path(__import__("sys").executable).parent / "gtmgen"), "build",
                           str(playbook), "--out", str(out), "--format", "pptx", "--doc",
                           "board"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out / "board.pptx"


@pytest.fixture(scope="module")
def ledgerly(tmp_path_factory) -> Path:
    return _board(LEDGERLY, tmp_path_factory.mktemp("ledgerly") / "out")


@pytest.fixture(scope="module")
def crumb(tmp_path_factory) -> Path:
    return _board(CRUMB, tmp_path_factory.mktemp("crumb") / "out")


def _texts(slide) -> str:
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(found)


def test_the_ledgerly_board_deck_has_nine_slides_in_board_order(ledgerly) -> None:
    # Ledgerly has every section: positioning, scenarios (lean, base, aggressive), risks and
    # summary.decisions; so cover + 8 slides = 9, none continued.
    assert _titles(ledgerly) == [
        "Ledgerly B.V.", "Situation", "Positioning", "The plan at a glance", "Scenarios",
        "Budget and return", "Team and hiring", "Risks", "What we ask of the board"]
    assert ledgerly.parent.joinpath("board.pptx").exists()
    assert sorted(p.name for p in ledgerly.parent.iterdir() if p.suffix == ".pptx") == [
        "board.pptx"]


def test_the_board_slides_carry_the_playbooks_own_words(ledgerly) -> None:
    slides = list(Presentation(str(ledgerly)).slides)
    assert "Board briefing" in _texts(slides[0])
    # The scenarios side by side: a header row and four measures, one column a scenario.
    table = next(s for s in slides[4].shapes if s.has_table).table
    assert [c.text for c in table.rows[0].cells] == ["Measure", "Lean", "Base", "Aggressive"]
    assert len(table.rows) == 5
    # Three risks in the playbook: three rows under the header.
    table = next(s for s in slides[7].shapes if s.has_table).table
    assert len(table.rows) == 1 + 3
    assert table.rows[1].cells[0].text == "The marketplace certification slips past the launch."
    # The asks are summary.decisions, numbered as the playbook lists them.
    asks = _texts(slides[8])
    for number, decision in enumerate((
            "Confirm the launch on September 6, or move it after the autumn school holidays.",
            "Approve the Product Marketing Manager as a first-tier hire.",
            "Decide whether accounting firms get partner pricing from day one."), 1):
        assert f"{number}. {decision}" in asks
    # The next steps go in the speaker notes of the asks.
    notes = slides[8].notes_slide.notes_text_frame.text
    assert "Sign the design agency for the launch material." in notes


def test_crumbs_board_deck_leaves_out_what_it_has_no_data_for(crumb) -> None:
    # Crumb has no scenarios: that slide is left out, 9 − 1 = 8.
    assert _titles(crumb) == [
        "Crumb & Co.", "Situation", "Positioning", "The plan at a glance", "Budget and return",
        "Team and hiring", "Risks", "What we ask of the board"]


def test_a_board_deck_without_risks_or_decisions_leaves_those_out(tmp_path) -> None:
    text = CRUMB.read_text()
    start, end = text.index("\nrisks:"), text.index("\nnext_steps:")
    text = text[:start] + text[end:]
    start, end = text.index("\n  decisions:"), text.index("\nassumptions:")
    text = text[:start] + "\n  decisions: []" + text[end:]
    (tmp_path / "playbook.yaml").write_text(text)
    path = _board(tmp_path / "playbook.yaml", tmp_path / "out")
    assert _titles(path) == ["Crumb & Co.", "Situation", "Positioning", "The plan at a glance",
                             "Budget and return", "Team and hiring"]


def test_every_board_text_fits_its_placeholder_table_cell_and_slide(ledgerly, crumb) -> None:
    assert _check_fits(ledgerly) > 20
    assert _check_fits(crumb) > 15


def test_without_doc_the_board_deck_is_not_built(tmp_path, gtmgen) -> None:
    run = gtmgen("build", CRUMB, "--out", tmp_path / "out", "--format", "pptx")
    assert run.code == 0, run.err
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pptx")) == ["playbook.pptx"]


def test_both_decks_when_both_are_asked(tmp_path, gtmgen) -> None:
    run = gtmgen("build", CRUMB, "--out", tmp_path / "out", "--format", "pptx,md", "--doc",
                 "playbook", "--doc", "board")
    assert run.code == 0, run.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()
                  if p.suffix in (".pptx", ".md")) == ["board.pptx", "playbook.md",
                                                       "playbook.pptx"]


def test_the_board_deck_without_pptx_is_wrong_usage(tmp_path, gtmgen) -> None:
    run = gtmgen("build", CRUMB, "--out", tmp_path / "out", "--format", "md", "--doc", "board")
    assert run.code == 2
    assert "gtmgen: the board deck (--doc board) is a slide deck: add --format pptx" in run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not PDF_TOOLS, reason="needs LibreOffice (soffice) and pdfinfo")
def test_libreoffice_impress_converts_the_board_deck(ledgerly, tmp_path) -> None:
    assert impress_pages(ledgerly, tmp_path) == 9
