"""Positioning against competitors, and how the brand speaks: the statement, the competitor
matrix, the brand's voice beside the messages, and the checks on them."""

from __future__ import annotations

import yaml

from gtmgen.render import RenderContext, build_stamp
from tests.builders import documents, planned, playbook, validated
from tests.conftest import LEDGERLY


def _ledgerly() -> str:
    book, plan = planned(LEDGERLY)
    return RenderContext(book, plan, build_stamp(book, None)).markdown()["playbook"]


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end)]


def test_ledgerly_positioning_statement_reads_in_the_classic_form() -> None:
    # Written out from the example's positioning: product, for_whom, need, category,
    # difference, then the alternative and its two proofs joined as English lists them.
    statement = (
        "For finance teams of mid-market groups and scale-ups who spend more than ten working "
        "days on every close, Ledgerly Close is the month-end close software that closes the "
        "books in five working days. Unlike spreadsheets and ERP close modules, Ledgerly Close "
        "matches 94% of intercompany lines automatically and it has cut its pilot customers' "
        "close time by 62%.")
    assert "## Positioning\n\n" + statement + "\n\n### Competitors\n" in _ledgerly()


def test_ledgerly_competitor_matrix_names_segments_and_how_we_win() -> None:
    text = _section(_ledgerly(), "### Competitors",
                    "### Our value propositions against the competitors")
    assert text == """### Competitors

| Competitor | Serves | Price point | Strengths | Weaknesses |
| --- | --- | --- | --- | --- |
| Spreadsheets and email | Mid-market finance teams; Venture-backed scale-ups; Accounting firms | No licence; the cost is the team's overtime | Everyone knows them; No licence to buy | Reconciliations by hand; No audit trail |
| ERP close modules | Mid-market finance teams | EUR 25,000 a year plus implementation | Already inside the ERP; One vendor to deal with | One ERP only; No intercompany matching across entities |
| Enterprise close suites | Mid-market finance teams; Accounting firms | From EUR 60,000 a year | Deep feature set; Known to auditors | Built for enterprises; Implementation takes months |

### How we win

- **Spreadsheets and email:** Set the hours of today's close against five working days with Ledgerly.
- **ERP close modules:** Lead with multi-entity groups, where intercompany matching across ERPs decides.
- **Enterprise close suites:** Offer live in a week at a price a mid-market CFO signs alone.

"""  # noqa: E501


def test_positioning_comes_after_the_personas_and_before_partners_and_channels() -> None:
    text = _ledgerly()
    assert text.index("## Personas") < text.index("## Positioning") < text.index(
        "## Partners") < text.index("## Channels and budget")


def test_brand_voice_and_pillars_are_shown_with_the_messages() -> None:
    text = _ledgerly()
    assert _section(text, "### Brand voice", "## Messaging matrix") == """### Brand voice

**Voice:** clear, calm, and exact

#### Brand pillars

- **Calm at month end**: The close is a routine, not a crunch.
- **Numbers you can trust**: Every figure traced to its source, ready for the auditor.
- **Live in a week**: Our team does the setup while the finance team keeps closing.

"""
    assert text.index("## Message sequence") < text.index("### Brand voice")


def _positioning(**keys: object) -> dict[str, object]:
    return {"category": "close software", "for_whom": ["small", "smb"],
            "difference": "closes fast.", **keys}


def test_for_whom_ids_are_named_segment_then_icp_and_the_product_defaults_to_the_client_s() -> None:
    text = documents(playbook(positioning=_positioning(need="close *by hand*.")))["playbook"]
    # small is a segment (Small firms), smb an ICP (Small businesses); full stops the author
    # wrote end no clause inside the sentence; Markdown specials print as written.
    assert ("For Small firms and Small businesses who close \\*by hand\\*, Widgets is the "
            "close software that closes fast.\n") in text
    assert "Unlike" not in text and "### Competitors" not in text


def test_a_sentence_as_voice_prints_as_a_paragraph() -> None:
    brand = {"voice": "We speak like a calm controller.", "pillars": [{"name": "Trust"}]}
    text = documents(playbook(brand=brand))["playbook"]
    assert "### Brand voice\n\nWe speak like a calm controller.\n\n#### Brand pillars\n\n" \
           "- **Trust**\n" in text


def test_the_statement_in_dutch() -> None:
    client = {"name": "Acme", "product": "Widgets", "locale": "nl"}
    positioning = _positioning(for_whom="kleine bedrijven", need="met de hand afsluiten",
                               difference="snel afsluit", alternative="spreadsheets",
                               proof=["klanten sluiten in vijf dagen af", "de accountant "
                                      "tekent af"])
    text = documents(playbook(client=client, positioning=positioning))["playbook"]
    assert ("## Positionering\n\nVoor kleine bedrijven die met de hand afsluiten, is Widgets de "
            "close software die snel afsluit. Anders dan spreadsheets: klanten sluiten in vijf "
            "dagen af en de accountant tekent af.\n") in text


def _warnings(data: dict[str, object]) -> list[str]:
    result = validated(data)
    assert result.ok, result.diagnostics
    return [f"{d.line}:{d.column}: {d.message}" for d in result.diagnostics]


def test_competitors_without_positioning_are_a_warning_at_the_key_and_shown_alone() -> None:
    data = playbook(competitors=[{"id": "big", "name": "Big Co", "segments": ["small"]}])
    # yaml.safe_dump writes the sections in order: competitors follows roles, at column 1.
    line = yaml.safe_dump(data, sort_keys=False).splitlines().index("competitors:") + 1
    assert _warnings(data) == [f"{line}:1: competitors are listed but there is no "
                               "'positioning:' to say how we differ from them; the documents "
                               "show the competitors alone"]
    text = documents(data)["playbook"]
    assert "## Positioning\n\n### Competitors\n" in text
    assert "| Big Co | Small firms | — | — | — |" in text and "### How we win" not in text


def test_an_alternative_without_proof_is_a_warning_and_shown_on_its_own() -> None:
    data = playbook(positioning=_positioning(alternative="spreadsheets"))
    (warning,) = _warnings(data)
    assert "add proof" in warning
    assert "**Alternative:** spreadsheets\n" in documents(data)["playbook"]


def test_proof_without_an_alternative_is_a_warning_and_listed() -> None:
    data = playbook(positioning=_positioning(proof=["pilots closed in five days"]))
    (warning,) = _warnings(data)
    assert "add the alternative" in warning
    assert "### Proof\n\n- pilots closed in five days\n" in documents(data)["playbook"]


def test_a_full_statement_has_no_warning() -> None:
    assert _warnings(playbook(positioning=_positioning(alternative="spreadsheets",
                                                       proof=["it is fast"]))) == []


def test_without_the_new_sections_nothing_is_shown() -> None:
    text = documents(playbook())["playbook"]
    assert "Positioning" not in text and "Brand voice" not in text


def test_the_starter_s_commented_positioning_is_a_valid_playbook_once_uncommented() -> None:
    from gtmgen.init import starter_files
    from gtmgen.validate import validate_bytes

    text = starter_files("en")["playbook.yaml"].decode()
    head, tail = text.split("# Positioning and the brand's words", 1)
    lines = tail.split("\n\n", 1)[0].splitlines()[1:]  # up to the next commented block
    assert lines and all(line.startswith("#") for line in lines)
    uncommented = "\n".join(line[2:] if line.startswith("# ") else line for line in lines)
    result = validate_bytes((head + uncommented + "\n").encode(), "starter.yaml")
    assert result.ok and result.diagnostics == [], result.diagnostics
    assert {"competitors", "positioning", "brand"} <= set(result.playbook.model_fields_set)
