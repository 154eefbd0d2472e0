"""The main slide deck's strategy slides (`--format pptx`, playbook.pptx): positioning and
brand voice, competitors, scenarios, return by channel, the engagement, who owns the plan and
the approvals. Each slide carries the playbook's figures as the documents print them, is left
out when the playbook lacks its section, and fits its slide."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from tests.conftest import CRUMB, LEDGERLY
from tests.test_slides import (
    PDF_TOOLS,
    _build,
    _check_fits,
    _sections,
    _titles,
    impress_pages,
)

STRATEGY = ("Positioning", "Competitors", "Scenarios", "Return by channel", "The engagement",
            "Who owns the plan", "Approvals")


@pytest.fixture(scope="module")
def ledgerly(tmp_path_factory) -> Path:
    return _build(LEDGERLY, tmp_path_factory.mktemp("ledgerly") / "out")


def _slides(path: Path, title: str) -> list:
    """The slide with this title and its continuation slides, in order."""
    return [s for s in Presentation(str(path)).slides
            if s.shapes.title.text in (title, f"{title} (continued)")]


def _tables(slide) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in shape.table.rows]
            for shape in slide.shapes if shape.has_table]


def _body(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes
                     if shape.has_text_frame and shape != slide.shapes.title)


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def _rows(path: Path, title: str) -> dict[str, list[str]]:
    """The first table of a slide (and its continuations) as label → the other cells."""
    found: dict[str, list[str]] = {}
    for slide in _slides(path, title):
        for row in next(iter(_tables(slide)), [])[1:]:
            found[row[0]] = row[1:]
    return found


def test_the_strategy_slides_sit_beside_what_they_explain(ledgerly) -> None:
    # Positioning and competitors come after the personas, before the message sequence;
    # scenarios and the return after the budget; the engagement, ownership and approvals
    # close the deck, after the KPIs. Ledgerly's months: Jun 2027 (the first vacancy) to
    # Dec 2027 (the last phase ends Dec 15), then the 6- and 12-month reviews.
    assert _sections(_titles(ledgerly)) == [
        "Ledgerly B.V.", "Executive summary", "The plan at a glance",
        "Segments and ideal customer profiles", "Daan, the CFO",
        "Sanne, the financial controller", "Ruben, the IT lead",
        "Eva, partner at an accounting firm", "Positioning", "Competitors",
        "Message sequence", "Messaging matrix", "Launch calendar: Jun 2027",
        "Launch calendar: Jul 2027", "Launch calendar: Aug 2027", "Launch calendar: Sep 2027",
        "Launch calendar: Oct 2027", "Launch calendar: Nov 2027", "Launch calendar: Dec 2027",
        "Launch calendar: Mar 2028", "Launch calendar: Sep 2028", "Organisation chart",
        "Hiring plan", "Budget and funnel", "Scenarios", "Return by channel",
        "KPIs and reviews", "The engagement", "Who owns the plan", "Approvals"]


def test_the_deck_grows_by_nine_slides(ledgerly) -> None:
    # Without the new sections Ledgerly's deck had 32 slides. New: positioning 1,
    # competitors 1 (both tables fit), scenarios 2 (the table, then the chart, which needs
    # 40% of the body and finds less under eight rows), return 1, engagement 1, ownership 2
    # (12 rows: 6 phases, 3 partners, 3 reviews; two of them two lines high) and
    # approvals 1: 32 + 9 = 41.
    assert len(_titles(ledgerly)) == 41
    assert [len(_slides(ledgerly, t)) for t in STRATEGY] == [1, 1, 2, 1, 1, 2, 1]


def test_positioning_shows_the_statement_with_the_brand_voice_and_pillars(ledgerly) -> None:
    [slide] = _slides(ledgerly, "Positioning")
    body = _body(slide)
    assert body.startswith(
        "For finance teams of mid-market groups and scale-ups who spend more than ten working "
        "days on every close, Ledgerly Close is the month-end close software that closes the "
        "books in five working days. Unlike spreadsheets and ERP close modules, Ledgerly Close "
        "matches 94% of intercompany lines automatically and it has cut its pilot customers' "
        "close time by 62%.")
    for line in ("Brand voice", "Voice: clear, calm, and exact", "Brand pillars",
                 "Calm at month end: The close is a routine, not a crunch.",
                 "Live in a week: Our team does the setup while the finance team keeps closing."):
        assert line in body.splitlines()
    # How we win against each competitor, for the presenter.
    assert ("• ERP close modules: Lead with multi-entity groups, where intercompany matching "
            "across ERPs decides.") in _notes(slide)


def test_competitors_show_who_they_are_and_the_matrix_of_verdicts(ledgerly) -> None:
    [slide] = _slides(ledgerly, "Competitors")
    who, matrix = _tables(slide)
    assert who == [
        ["Competitor", "Price point", "How we win"],
        ["Spreadsheets and email", "No licence; the cost is the team's overtime",
         "Set the hours of today's close against five working days with Ledgerly."],
        ["ERP close modules", "EUR 25,000 a year plus implementation",
         "Lead with multi-entity groups, where intercompany matching across ERPs decides."],
        ["Enterprise close suites", "From EUR 60,000 a year",
         "Offer live in a week at a price a mid-market CFO signs alone."]]
    # A row per phase, a column per competitor; the ERP modules give no verdict on phase 5.
    assert matrix[0] == ["Value proposition", "Spreadsheets and email", "ERP close modules",
                         "Enterprise close suites"]
    assert matrix[3] == ["3. An audit trail your auditors already trust.", "we win", "on par",
                         "they win"]
    assert matrix[5] == ["5. Take on more close clients without hiring.", "we win", "—",
                         "we win"]
    assert len(matrix) == 1 + 6
    notes = _notes(slide)
    assert "• Strengths: Deep feature set; Known to auditors" in notes
    assert ("• 6. Live on your ERP in one week, with our team doing the setup. — they win: "
            "Spreadsheets and email and ERP close modules") in notes


def test_scenarios_side_by_side_at_the_documents_rounding(ledgerly) -> None:
    # From tests/test_scenarios.py's figures, at whole euros, whole leads and customers,
    # one decimal for LTV:CAC and payback:
    #   channels 19,000 × 0.75 = 14,250; 19,000; 30,500 (the events at their own 8,000);
    #   team 509,521.51 → 509,522; 555,601.51 → 555,602; 562,095.70 → 562,096;
    #   total 714,021.51 → 714,022; 817,101.51 → 817,102; 961,595.70 → 961,596, above the
    #   825,000 approved: ⚠;
    #   leads 1,493.18 → 1,493; 1,990.91 → 1,991; 2,670.45 → 2,670;
    #   customers 89.59 → 90; 119.45 → 119; 160.23 → 160;
    #   fully loaded CAC 7,969.80 → 7,970, above the 7,000 target: ⚠; base 817,101.51 ÷
    #   119.4545 = 6,840.27 → 6,840; 6,001.45 → 6,001;
    #   LTV:CAC 42,000 ÷ CAC = 5.27 → 5.3; 6.14 → 6.1; 6.998 → 7.0, written 7;
    #   payback CAC ÷ 1,750 = 4.55 → 4.6; 3.91 → 3.9; 3.43 → 3.4 months.
    first = _slides(ledgerly, "Scenarios")[0]
    assert _tables(first)[0][0] == ["Measure", "Lean", "Base", "Aggressive"]
    assert _rows(ledgerly, "Scenarios") == {
        "Monthly channel budget": ["€14,250", "€19,000", "€30,500"],
        "Team cost": ["€509,522", "€555,602", "€562,096"],
        "Planned total": ["€714,022", "€817,102", "€961,596 ⚠"],
        "Leads": ["1,493", "1,991", "2,670"],
        "Customers": ["90", "119", "160"],
        "Fully loaded CAC": ["€7,970 ⚠", "€6,840", "€6,001"],
        "LTV:CAC of the plan": ["5.3", "6.1", "7"],
        "Payback": ["4.6 months", "3.9 months", "3.4 months"]}
    assert ("⚠ marks a fully loaded CAC above the target CAC (€7,000) or a total above the "
            "approved budget (€825,000).") in _body(first)
    notes = _notes(first)
    assert notes.startswith("The playbook as written is the base scenario;")
    assert ("• Lean: Sales Development Representative is not hired (starts November 18, 2027 "
            "as written)") in notes


def test_the_scenarios_chart_follows_the_table(ledgerly) -> None:
    chart = _slides(ledgerly, "Scenarios")[1]
    assert chart.shapes.title.text == "Scenarios (continued)"
    assert [s.shape_type for s in chart.shapes].count(13) == 1  # one picture


def test_return_by_channel_is_ranked_with_cost_customers_revenue_and_return(ledgerly) -> None:
    # At an LTV of 42,000: Blog and guides 2,500 × 12 = 30,000; 30,000 ÷ 110 × 6% = 16.36
    # customers → 16.4; × 42,000 = 687,272.73 → 687,273; 687,272.73 ÷ 30,000 − 1 = 21.909 →
    # 2,190.9%. Events 48,000 + the 24,000 summit = 72,000; 48,000 ÷ 110 × 6% = 26.18 →
    # 26.2; 1,099,636.36 → 1,099,636; ÷ 72,000 − 1 = 14.273 → 1,427.3%. LinkedIn 9,000 × 12
    # = 108,000 ÷ 120 × 6% = 54 customers, 2,268,000, 20 → 2,000.0%.
    [slide] = _slides(ledgerly, "Return by channel")
    table = _tables(slide)[0]
    assert table[0] == ["#", "Channel", "Cost", "Customers", "Revenue", "Return"]
    assert table[1] == ["1", "Blog and guides", "€30,000", "16.4", "€687,273", "2,190.9%"]
    assert table[5] == ["5", "LinkedIn ads", "€108,000", "54", "€2,268,000", "2,000.0%"]
    assert table[6] == ["6", "Finance events and roundtables", "€72,000", "26.2",
                        "€1,099,636", "1,427.3%"]
    assert "at the lifetime value of €42,000 per customer" in _body(slide)
    # The return per phase is the detail behind it: phase 1's 8,486.24 of spend.
    assert "1 · Close the books in five working days, not fifteen. · €8,486" in _notes(slide)


def test_a_channel_that_brings_back_less_than_it_costs_is_marked(tmp_path) -> None:
    # With an LTV of 1,000: Blog and guides' 16.36 customers bring 16,364 against 30,000.
    text = LEDGERLY.read_text().replace("  ltv: 42000\n", "  ltv: 1000\n")
    (tmp_path / "playbook.yaml").write_text(text)
    deck = _build(tmp_path / "playbook.yaml", tmp_path / "out")
    rows = _rows(deck, "Return by channel")
    assert rows["1"] == ["Blog and guides", "€30,000", "16.4", "€16,364",
                         "-45.5% ⚠ below its cost"]  # 16,363.64 ÷ 30,000 − 1 = −0.4545


def test_the_engagement_against_in_house_and_the_handover(ledgerly) -> None:
    # In house: 110,000 × 1.30 = 143,000 a year, 11,916.67 a month; the retainer 8,000 a
    # month, 96,000 a year. Difference 3,916.67 → 3,917 a month, 47,000 a year; saving
    # 47,000 ÷ 143,000 = 32.87% → 32.9%.
    [slide] = _slides(ledgerly, "The engagement")
    assert _tables(slide)[0] == [["Option", "Monthly", "Annual"],
                                 ["Fractional engagement", "€8,000", "€96,000"],
                                 ["In-house hire", "€11,917", "€143,000"],
                                 ["Difference", "€3,917", "€47,000"]]
    body = _body(slide)
    assert "The engagement costs 32.9% less than the in-house hire." in body
    assert "Handover: on October 11, 2027, Product Marketing Manager takes over." in body
    assert _notes(slide).startswith("Product Marketing Manager: Sharpen positioning")


def test_who_owns_the_plan_goes_on_over_two_slides_with_its_header(ledgerly) -> None:
    slides = _slides(ledgerly, "Who owns the plan")
    header = ["Activity", "Sanne Bakker (CEO)", "Ruben Smit (marketing)", "Lotte de Jong (sales)",
              "Joost Visser (finance)", "Eva Jansen (consultant)"]
    assert [_tables(s)[0][0] for s in slides] == [header, header]
    rows = _rows(ledgerly, "Who owns the plan")
    assert len(rows) == 6 + 3 + 3
    assert rows["1. Close the books in five working days, not fifteen."] == [
        "A", "R", "C", "", "C"]
    assert rows["Partner: Network of audit firms"] == ["C", "A", "R", "", ""]
    assert rows["Review: 12 months after launch: September 6, 2028"] == ["A", "R", "C", "I", ""]
    assert "R: responsible, does the work." in _body(slides[0])
    assert "Accountable: Sanne Bakker. Responsible: Ruben Smit and Eva Jansen." in \
        _notes(slides[0])


def test_the_approvals(ledgerly) -> None:
    [slide] = _slides(ledgerly, "Approvals")
    assert _tables(slide)[0] == [["Name", "Role", "Version", "Date"],
                                 ["Sanne Bakker", "CEO", "1.0", "June 4, 2027"]]


def test_crumb_has_only_the_slides_of_the_sections_it_gives(tmp_path) -> None:
    # Crumb gives positioning, competitors, stakeholders and approvals, and an ltv (so the
    # return per channel); no scenarios and no engagement.
    titles = _titles(_build(CRUMB, tmp_path / "out"))
    assert [t for t in _sections(titles) if t in STRATEGY] == [
        "Positioning", "Competitors", "Return by channel", "Who owns the plan", "Approvals"]


def test_brand_voice_alone_and_an_empty_scenario_list_keep_their_slides(tmp_path) -> None:
    # Without positioning the brand voice still gets the positioning slide; `scenarios: []`
    # asks for the return per channel without any scenario to compare.
    text = LEDGERLY.read_text()
    text = text[:text.index("\ncompetitors:")] + text[text.index("\nbrand:"):]
    text = text[:text.index("\nscenarios:")] + "\nscenarios: []\n"
    (tmp_path / "playbook.yaml").write_text(text)
    deck = _build(tmp_path / "playbook.yaml", tmp_path / "out")
    titles = _sections(_titles(deck))
    assert [t for t in titles if t in STRATEGY] == [
        "Positioning", "Return by channel", "The engagement", "Who owns the plan", "Approvals"]
    body = _body(_slides(deck, "Positioning")[0])
    assert body.splitlines()[:2] == ["Brand voice", "Voice: clear, calm, and exact"]


def test_every_new_text_fits_in_english_and_dutch(ledgerly, tmp_path) -> None:
    assert _check_fits(ledgerly) > 300
    text = LEDGERLY.read_text().replace("  locale: en\n", "  locale: nl\n")
    (tmp_path / "playbook.yaml").write_text(text)
    dutch = _build(tmp_path / "playbook.yaml", tmp_path / "out")
    assert _check_fits(dutch) > 300
    titles = _sections(_titles(dutch), " (vervolg)")
    for title in ("Positionering", "Concurrenten", "Scenario's", "Rendement per kanaal",
                  "De opdracht", "Wie is eigenaar van het plan", "Goedkeuringen"):
        assert title in titles


@pytest.mark.skipif(not PDF_TOOLS, reason="needs LibreOffice (soffice) and pdfinfo")
def test_libreoffice_impress_converts_the_deck_with_its_strategy_slides(ledgerly,
                                                                         tmp_path) -> None:
    assert impress_pages(ledgerly, tmp_path) == 41
