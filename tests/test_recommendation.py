"""The recommendation around the plan: summary, assumptions, risks and next steps — read,
checked, and shown in the playbook document with role titles, never role ids."""

from __future__ import annotations

import re

import pytest

from gtmgen.validate import validate_path
from tests.builders import documents, playbook, validated
from tests.conftest import CRUMB, LEDGERLY

SEGMENTS = [{"id": "mid", "name": "Mid-sized firms", "priority": 2},
            {"id": "small", "name": "Small firms", "priority": 1},
            {"id": "public", "name": "Public bodies"}]
ROLES = [{"id": "cmo", "title": "CMO", "cost": {"monthly": 4000}},
         {"id": "writer", "title": "Writer", "reports_to": "cmo", "needed_by": "2027-02-15"}]


def _plan_only() -> dict:
    """A playbook without a summary, whose plan gives every generated sentence something to
    say: a one-month horizon above its approved budget, two first-tier hires, two undecided
    KPI targets."""
    data = playbook(segments=SEGMENTS, roles=ROLES,
                    kpis={"cac": "tbd", "cpl": 40, "conversion_rate": "tbd"},
                    budget={"total": 5000, "months": 1})
    data["icps"][0]["segment"] = "small"
    data["channels"][0]["budget"] = 3000
    return data


def _section(text: str, heading: str) -> str:
    """The lines of a document from a `## heading` to the next `## `."""
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start: end if end != -1 else len(text)]


def test_summary_is_written_from_the_plan_when_left_out() -> None:
    # Horizon: March 2027. Channels 3,000 + the CMO's 4,000 (the hire starts on launch day,
    # March 1) = 7,000 against 5,000 approved. The CMO is needed on March 1 (first phase using
    # Email), so the vacancy opens 45 days before, January 15; the writer is needed on
    # February 15, so January 1. Both are P1 (needed by launch); the CMO scores higher.
    text = documents(_plan_only())["playbook"]
    summary = _section(text, "Executive summary")
    assert summary.startswith(
        "## Executive summary\n\n"
        "### Situation\n\n"
        "Acme launches Widgets on March 1, 2027, for Small firms, Mid-sized firms, and Public "
        "bodies.\n\n"
        "### Recommendation\n\n"
        "Launch on March 1, 2027 with 1 phase, leading with “Faster answers”.\n"
        "Hire CMO and Writer first: the first vacancy opens by January 1, 2027.\n"
        "Invest $7,000 over 1 month: $2,000 above the approved $5,000.\n\n"
        "### Decisions to take\n\n"
        "1. Confirm the launch date: March 1, 2027.\n"
        "2. Approve $2,000 above the approved budget of $5,000, or cut the plan to fit it.\n"
        "3. Approve the first hires: CMO and Writer; the first vacancy opens by January 1, 2027.\n"
        "4. Set the KPI targets still to be decided: Customer acquisition cost (CAC) and "
        "Conversion rate.\n\n"
        "### The plan at a glance\n\n")


def test_generated_summary_without_hires_or_approved_budget() -> None:
    data = playbook(roles=[{"id": "cmo", "title": "CMO", "status": "filled"}])
    data["messages"]["phases"][0]["days"] = 15
    text = _section(documents(data)["playbook"], "Executive summary")
    # The sequence's 15 days are the horizon; nothing costs anything; no role to hire.
    assert "Launch on March 1, 2027 with 1 phase, leading with “Faster answers”.\n" \
           "Invest $0 over 15 days.\n\n" in text
    assert "1. Confirm the launch date: March 1, 2027.\n" \
           "2. Approve a budget of $0 for 15 days.\n\n" in text
    assert "Hire" not in text and "first hire" not in text


def test_the_authors_summary_comes_first_and_replaces_what_it_gives() -> None:
    data = _plan_only()
    data["summary"] = {"situation": "Acme sells *widgets* by phone.\n\nThe phone is dying.",
                       "decisions": ["Approve | the budget", "Hire the CMO"]}
    text = _section(documents(data)["playbook"], "Executive summary")
    assert text.startswith("## Executive summary\n\n### Situation\n\n"
                           "Acme sells \\*widgets\\* by phone.\n\nThe phone is dying.\n\n"
                           "### Recommendation\n\nLaunch on March 1, 2027 with 1 phase")
    assert "### Decisions to take\n\n1. Approve \\| the budget\n2. Hire the CMO\n\n" in text
    assert "Confirm the launch date" not in text


def test_an_empty_list_of_decisions_means_nothing_to_decide() -> None:
    data = _plan_only()
    data["summary"] = {"recommendation": "Launch small.", "decisions": []}
    text = _section(documents(data)["playbook"], "Executive summary")
    assert "### Recommendation\n\nLaunch small.\n\n### The plan at a glance" in text
    assert "Decisions to take" not in text


def test_risks_and_next_steps_show_owners_by_title() -> None:
    data = _plan_only()
    data["assumptions"] = ["Leads cost 40 each.", "- not a bullet"]
    data["risks"] = [{"risk": "Ads | cost more", "mitigation": "Move spend to email.",
                      "owner": "writer"},
                     {"risk": "The CMO leaves."}]
    data["next_steps"] = [{"step": "Approve the budget.", "owner": "cmo", "date": "2027-01-20"},
                          {"step": "Brief the writer.", "owner": "writer"}]
    text = documents(data)["playbook"]
    assert _section(text, "Assumptions") == (
        "## Assumptions\n\n"
        "The plan holds as long as these hold; each operating review checks them.\n\n"
        "- Leads cost 40 each.\n- \\- not a bullet\n")
    assert _section(text, "Risks") == (
        "## Risks\n\n"
        "| # | Risk | Mitigation | Owner |\n| ---: | --- | --- | --- |\n"
        "| 1 | Ads \\| cost more | Move spend to email. | Writer |\n"
        "| 2 | The CMO leaves. | — | — |\n")
    assert _section(text, "Next steps") == (
        "## Next steps\n\n"
        "| # | Step | Owner | Due |\n| ---: | --- | --- | --- |\n"
        "| 1 | Approve the budget. | CMO | Jan 20, 2027 |\n"
        "| 2 | Brief the writer. | Writer | — |\n")


def test_sections_are_left_out_when_not_given() -> None:
    text = documents(playbook())["playbook"]
    for heading in ("Assumptions", "Risks", "Next steps"):
        assert f"## {heading}\n" not in text


@pytest.mark.parametrize("section, entry, message", [
    ("risks", {"risk": "Slow", "owner": "cto"}, "unknown role 'cto'; did you mean 'cmo'? "
                                                "(known roles: cmo)"),
    ("next_steps", {"step": "Go", "owner": "ceo"}, "unknown role 'ceo'; did you mean 'cmo'? "
                                                   "(known roles: cmo)"),
])
def test_an_owner_must_be_a_known_role(section, entry, message) -> None:
    result = validated(playbook(**{section: [entry]}))
    assert not result.ok
    assert [(d.path, d.message) for d in result.diagnostics] == [
        (f"{section}[0].owner", message)]


def test_a_next_step_needs_an_owner_and_a_risk_its_text() -> None:
    result = validated(playbook(next_steps=[{"step": "Go"}], risks=[{"owner": "cmo"}]))
    messages = sorted(d.message for d in result.diagnostics)
    assert messages == ["next step 1 is missing the required key 'owner'",
                        "risk 1 is missing the required key 'risk'"]


@pytest.mark.parametrize("path", [CRUMB, LEDGERLY], ids=["crumb", "ledgerly"])
def test_examples_state_their_recommendation_without_role_ids(path) -> None:
    result = validate_path(path)
    assert result.ok and not any(d.severity == "error" for d in result.diagnostics)
    book = result.playbook
    assert book.summary is not None and book.summary.situation and book.summary.decisions
    assert book.assumptions and book.risks and book.next_steps
    from gtmgen.plan import build_plan
    from gtmgen.render import RenderContext, build_stamp

    markdown = RenderContext(book, build_plan(book), build_stamp(book, None)).markdown()
    ids = [role.id for role in book.roles]
    for name, text in markdown.items():
        for role_id in ids:
            assert not re.search(rf"(?<![\w-]){re.escape(role_id)}(?![\w-])", text), \
                (name, role_id)
    titles = {role.id: role.title for role in book.roles}
    playbook_md = markdown["playbook"]
    for risk in book.risks:
        assert f"| {titles[risk.owner]} |" in _section(playbook_md, "Risks")
    for step in book.next_steps:
        assert f"| {titles[step.owner]} |" in _section(playbook_md, "Next steps")
