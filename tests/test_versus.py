"""The competitor matrix: each of our value propositions against each competitor that gives
`against:`, and the checks on it."""

from __future__ import annotations

from gtmgen.render import RenderContext, build_stamp
from tests.builders import documents, phase, planned, playbook, validated
from tests.conftest import LEDGERLY

HEADING = "### Our value propositions against the competitors"
PHASES = {"phases": [phase("one", "Faster answers."), phase("two", "Cheaper *answers*.")]}


def _matrix(text: str) -> str:
    start = text.index(HEADING)
    return text[start:text.index("\n## ", start) + 1]


def test_ledgerly_matrix_has_a_row_per_value_proposition_and_a_column_per_competitor() -> None:
    book, plan = planned(LEDGERLY)
    text = RenderContext(book, plan, build_stamp(book, None)).markdown()["playbook"]
    # Written out from the example's `against:` keys: the six phases in sequence order, the
    # three competitors in the playbook's order; ERP close modules gives no verdict for
    # firms-scale, so that cell is a dash.
    assert _matrix(text) == f"""{HEADING}

| Value proposition | Spreadsheets and email | ERP close modules | Enterprise close suites |
| --- | --- | --- | --- |
| 1\\. Close the books in five working days, not fifteen. | we win | on par | on par |
| 2\\. Intercompany reconciliations that match themselves. | we win | we win | on par |
| 3\\. An audit trail your auditors already trust. | we win | on par | they win |
| 4\\. Board-ready numbers by day five, every month. | we win | on par | on par |
| 5\\. Take on more close clients without hiring. | we win | — | we win |
| 6\\. Live on your ERP in one week, with our team doing the setup. | they win | they win | we win |

"""  # noqa: E501
    # It closes the positioning section, after how we win and before the partners.
    assert text.index("### How we win") < text.index(HEADING) < text.index("## Partners")


def test_only_competitors_with_verdicts_are_columns_and_a_missing_verdict_is_a_dash() -> None:
    competitors = [{"id": "big", "name": "Big | Co", "against": {"two": "they-win"}},
                   {"id": "quiet", "name": "Quiet Co"},
                   {"id": "small", "name": "Small Co", "against": {"one": "even",
                                                                   "two": "we-win"}}]
    text = documents(playbook(messages=PHASES, competitors=competitors))["playbook"]
    # Quiet Co gives no `against`: no column. Big Co judges only phase two. The pipe in a
    # name and the asterisks in a value proposition print as written.
    assert _matrix(text) == f"""{HEADING}

| Value proposition | Big \\| Co | Small Co |
| --- | --- | --- |
| 1\\. Faster answers. | — | on par |
| 2\\. Cheaper \\*answers\\*. | they win | we win |

"""


def test_without_verdicts_there_is_no_matrix() -> None:
    text = documents(playbook(competitors=[{"id": "big", "name": "Big Co"}]))["playbook"]
    assert "### Competitors" in text and HEADING not in text


def test_empty_verdicts_and_author_keys_are_not_verdicts() -> None:
    # `one:` left empty is "not given", as everywhere; x- keys are the author's own.
    competitors = [{"id": "big", "name": "Big Co",
                    "against": {"one": None, "x-draft": "maybe", "two": "even"}}]
    result = validated(playbook(messages=PHASES, competitors=competitors))
    assert result.ok, result.diagnostics
    assert result.playbook is not None
    assert dict(result.playbook.competitors[0].against) == {"two": "even"}
    text = documents(playbook(messages=PHASES, competitors=competitors))["playbook"]
    assert "| 1\\. Faster answers. | — |\n| 2\\. Cheaper \\*answers\\*. | on par |\n" in text


def test_the_matrix_in_dutch() -> None:
    client = {"name": "Acme", "product": "Widgets", "locale": "nl"}
    competitors = [{"id": "big", "name": "Big Co",
                    "against": {"one": "we-win", "two": "they-win"}},
                   {"id": "mid", "name": "Mid Co", "against": {"one": "even"}}]
    text = documents(playbook(client=client, messages=PHASES, competitors=competitors))
    assert ("### Onze waardeproposities tegenover de concurrenten\n\n"
            "| Waardepropositie | Big Co | Mid Co |\n| --- | --- | --- |\n"
            "| 1\\. Faster answers. | wij winnen | gelijk |\n"
            "| 2\\. Cheaper \\*answers\\*. | zij winnen | — |\n") in text["playbook"]


def test_every_unknown_phase_is_an_error_at_its_key() -> None:
    competitors = [{"id": "big", "name": "Big Co",
                    "against": {"one": "we-win", "too": "even", "three": "we-win"}}]
    result = validated(playbook(messages=PHASES, competitors=competitors))
    errors = [d.message for d in result.diagnostics if d.severity == "error"]
    assert errors == ["unknown phase 'too'; did you mean 'two'? (known phases: one, two)",
                      "unknown phase 'three' (known phases: one, two)"]
