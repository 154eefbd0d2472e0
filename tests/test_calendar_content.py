"""What the calendar says: the work-back before each phase, who owns each entry, one heading
per week, and names (never ids) in what a client reads. Dates worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil

import yaml

from gtmgen.plan import build_plan
from tests.builders import phase, playbook, validated
from tests.conftest import CRUMB, LEDGERLY

D = dt.date.fromisoformat


def _team() -> list[dict]:
    return [{"id": "cmo", "title": "CMO", "status": "filled",
             "responsibilities": ["Set the budget"]},
            {"id": "analyst", "title": "Analyst", "status": "filled", "reports_to": "cmo",
             "responsibilities": ["Run the operating reviews"]},
            {"id": "writer", "title": "Writer", "status": "filled", "reports_to": "cmo"}]


def _events(data):
    result = validated(data)
    assert result.ok, result.diagnostics
    return build_plan(result.playbook).calendar


def test_readiness_work_back_is_counted_in_workdays_before_each_phase() -> None:
    # Launch Monday 2027-03-01, no country: only weekends are off. Brief 10 workdays before:
    # back from 03-01 over two working weeks is Monday 02-15; assets 5: Monday 02-22; set-up
    # 2: Thursday 02-25. The email channel is owned by the writer.
    data = playbook(channels=[{"id": "email", "name": "Email", "owner": "writer"}],
                    roles=_team())
    got = [(e.key, e.date, e.owner, e.phase) for e in _events(data) if e.kind == "readiness"]
    assert got == [("readiness/one/brief", D("2027-02-15"), "cmo", None),
                   ("readiness/one/email/assets", D("2027-02-22"), "writer", None),
                   ("readiness/one/email/setup", D("2027-02-25"), "writer", None)]


def test_readiness_can_be_set_and_left_out_per_task() -> None:
    # brief 3 workdays before Monday 03-15 (second phase): Wednesday 03-10, inside phase one;
    # assets 0: none; set-up 1: Friday 03-12.
    data = playbook(launch={"date": "2027-03-01",
                            "readiness": {"brief": 3, "assets": 0, "setup": 1}},
                    messages={"phases": [phase("one", "Faster."), phase("two", "Cheaper.")]},
                    roles=_team())
    got = [(e.key, e.date, e.phase) for e in _events(data)
           if e.kind == "readiness" and e.ref == "two"]
    assert got == [("readiness/two/brief", D("2027-03-10"), "one"),
                   ("readiness/two/email/setup", D("2027-03-12"), "one")]


def test_owners_of_phases_reviews_and_milestones() -> None:
    # No phase owner: the lead (the first role without reports_to), the CMO. The analyst's
    # responsibilities name the operating reviews, so the analyst owns those milestones.
    data = playbook(roles=_team(), messages={"phases": [
        phase("one", "Faster."), phase("two", "Cheaper.", owner="writer")]})
    owners = {e.key: e.owner for e in _events(data)
              if e.kind in ("phase-start", "review", "milestone")}
    assert owners == {"phase-start/one": "cmo", "review/one": "cmo",
                      "phase-start/two": "writer", "review/two": "writer",
                      "milestone/launch": "cmo", "milestone/review-90": "analyst",
                      "milestone/review-180": "analyst", "milestone/review-365": "analyst"}


def test_review_owner_named_in_the_playbook_wins() -> None:
    data = playbook(roles=_team(), launch={"date": "2027-03-01", "review_owner": "writer"})
    assert {e.owner for e in _events(data) if e.key.startswith("milestone/review-")} == {
        "writer"}


def test_an_unknown_review_or_phase_owner_is_an_error() -> None:
    data = playbook(roles=_team(), launch={"date": "2027-03-01", "review_owner": "cfo"},
                    messages={"phases": [phase("one", "Faster.", owner="writr")]})
    messages = [d.message for d in validated(data).diagnostics]
    assert messages == [
        "unknown role 'cfo'; did you mean 'cmo'? (known roles: analyst, cmo, writer)",
        "unknown role 'writr'; did you mean 'writer'? (known roles: analyst, cmo, writer)"]


def _texts(data, key=None):
    """Every text value of a playbook's data except ids and references."""
    if isinstance(data, dict):
        return [t for k, v in data.items() for t in _texts(v, k)]
    if isinstance(data, list):
        return [t for item in data for t in _texts(item, key)]
    refs = {"id", "owner", "reports_to", "segment", "icps", "personas", "channels", "phase",
            "needed_by", "channel", "review_owner"}
    return [data] if isinstance(data, str) and key not in refs else []


def _built(gtmgen, tmp_path, playbook_path, fmt="md"):
    # The playbook alone, without the results file beside the example (no done/missed marks).
    alone = tmp_path / "playbooks" / playbook_path.parent.name
    alone.mkdir(parents=True, exist_ok=True)
    shutil.copy(playbook_path, alone / "playbook.yaml")
    out = tmp_path / playbook_path.parent.name
    assert gtmgen("build", alone / "playbook.yaml", "--out", out, "--format", fmt).code == 0
    return out


def test_each_week_has_one_heading_even_across_phases(gtmgen, tmp_path) -> None:
    for example in (CRUMB, LEDGERLY):
        text = (_built(gtmgen, tmp_path, example) / "launch-calendar.md").read_text("utf-8")
        weeks = re.findall(r"^#+ Week of (.+)$", text, re.M)
        assert len(weeks) == len(set(weeks)), example


def test_no_id_of_the_playbook_in_what_a_client_reads(gtmgen, tmp_path) -> None:
    for example in (CRUMB, LEDGERLY):
        data = yaml.safe_load(example.read_text(encoding="utf-8"))
        ids = {item["id"] for section in ("segments", "icps", "personas", "partners",
                                          "channels", "roles") for item in data[section]}
        ids |= {p["id"] for p in data["messages"]["phases"]}
        out = _built(gtmgen, tmp_path, example, "md,csv,ics")
        text = "\n".join((out / f"{doc}.md").read_text("utf-8") for doc in
                         ("playbook", "launch-calendar", "roles", "hiring-plan"))
        # Ledgerly's client is in the Netherlands, where a spreadsheet expects ';'.
        rows = csv.reader(io.StringIO((out / "launch-calendar.csv").read_text("utf-8-sig"),
                                      newline=""), delimiter=";" if example == LEDGERLY else ",")
        text += "\n".join(" ".join(row[6:]) for row in list(rows)[1:])
        text += "\n".join(line for line in (out / "launch-calendar.ics").read_text(
            "utf-8").splitlines() if line.startswith(("SUMMARY", "DESCRIPTION", " ")))
        # "email" may be a word; "email-manager" is an id, unless the playbook's own text
        # uses it ("Venture-backed scale-ups").
        words = " ".join(str(v) for v in _texts(data))
        distinctive = sorted(i for i in ids if "-" in i and i not in words)
        for found in distinctive:
            assert not re.search(rf"(?<![\w/-]){re.escape(found)}(?![\w-])", text), found


def test_overdue_vacancies_are_flagged_in_the_documents(gtmgen, tmp_path) -> None:
    text = (_built(gtmgen, tmp_path, CRUMB) / "hiring-plan.md").read_text("utf-8")
    # Delivered 2027-01-18; two vacancies had to open on 2027-01-15.
    assert text.count("Jan 15, 2027 ⚠ overdue") == 2
    assert ("⚠ overdue: the vacancy should be open before this document's date, "
            "January 18, 2027.") in text


def test_an_activity_says_what_goes_out_with_which_call_to_action_and_for_whom(
        gtmgen, tmp_path) -> None:
    text = (_built(gtmgen, tmp_path, CRUMB) / "launch-calendar.md").read_text("utf-8")
    assert ("| Mar 2, 2027 | Email newsletter: newsletter with a recipe; call to action: Start "
            "a 4-box trial; for Maya, the weekend parent | Activity | Email Marketing Manager |"
            ) in text
