"""`gtmgen diff`: what a change to a playbook does to its plan, checked against expectations
worked out by hand from the format's rules (docs/plan.md), not copied from the program."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gtmgen.plan import build_plan
from gtmgen.plandiff import Side, compare
from gtmgen.validate import validate_bytes
from tests.conftest import CRUMB

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# The crumb example without the readiness work-back, so that every event below is counted
# by hand from the cadences; the change moves the launch a week later, raises Instagram's
# budget and gives the content creator a longer hiring lead.
BASE = CRUMB.read_text(encoding="utf-8").replace(
    "  hiring_lead_days: 45\n",
    "  hiring_lead_days: 45\n  readiness: {brief: 0, assets: 0, setup: 0}\n")
CHANGED = (BASE.replace("  date: 2027-03-01\n", "  date: 2027-03-08\n")
           .replace("    budget: 6000\n", "    budget: 7000\n")
           .replace("    needed_by: gift-moments\n",
                    "    needed_by: gift-moments\n    hiring_lead_days: 60\n"))


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false", *args], cwd=folder,
                          capture_output=True, text=True, check=True)
    return done.stdout


def repository(tmp_path: Path, *versions: str, where: str = "books/crumb") -> Path:
    """A repository whose playbook at `where`/playbook.yaml had each text in turn, one commit
    each; returns the playbook's folder."""
    root = tmp_path / "repo"
    folder = root / where
    folder.mkdir(parents=True)
    git(root, "init", "-q")
    for n, text in enumerate(versions):
        (folder / "playbook.yaml").write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"version {n}")
    return folder


@pytest.fixture
def moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two versions committed, the current folder the playbook's (below the root)."""
    folder = repository(tmp_path, BASE, CHANGED)
    monkeypatch.chdir(folder)
    return folder


# Old phases: Mar 1-14, Mar 15-Apr 4, Apr 5-18, Apr 19-May 5 (2, 3, 2 weeks and 17 days);
# each starts 7 days later in the new plan. Moved events by kind and channel:
# - phase starts (Mondays) and the two partner moments: +7;
# - resonance reviews on each phase's last working day: Mar 12→19, Apr 16→23, May 5→12 (+7),
#   but office-rituals ended on Sunday Apr 4, whose Friday Apr 2 is the blackout day, so its
#   review was Thursday Apr 1; it now ends Sunday Apr 11, reviewed Friday Apr 9: +8;
# - email on Tuesdays in all four phases: 2 + 3 + 2 + 3 = 10 in both plans, +7;
# - instagram Monday and Thursday in phases 1, 3, 4: 4 + 4 + 5 = 13, +7;
# - linkedin on Wednesdays in office-rituals: Mar 17, 24, 31 → Mar 24, 31, Apr 7: 3, +7;
# - press once per phase, in phases 1 and 3: 2, +7;
# - launch day and the 3m, 6m, 12m reviews (Jun 1, Sep 1, Mar 1 2028, all weekdays): 4, +7;
# - hiring: growth and email managers are needed at the first phase (Mar 1 → Mar 8), 45 days
#   of hiring: open Jan 15 → Jan 22 and start Mar 1 → Mar 8 (4 steps, +7); the content
#   creator is needed at gift-moments (Apr 5 → Apr 12): it starts +7, and opens 60 days
#   before instead of 45: Feb 19 → Feb 11, −8.
EXPECTED_MOVES = [
    ("phase-start", None, 7, 4, "2027-03-08", "2027-04-26"),
    ("activity", "email", 7, 10, "2027-03-09", "2027-05-11"),
    ("activity", "instagram", 7, 13, "2027-03-08", "2027-05-10"),
    ("activity", "linkedin", 7, 3, "2027-03-24", "2027-04-07"),
    ("activity", "pr", 7, 2, "2027-03-08", "2027-04-12"),
    ("partner", None, 7, 2, "2027-03-22", "2027-04-12"),
    ("review", None, 7, 3, "2027-03-19", "2027-05-12"),
    ("review", None, 8, 1, "2027-04-09", "2027-04-09"),
    ("milestone", None, 7, 4, "2027-03-08", "2028-03-08"),
    ("hiring", None, -8, 1, "2027-02-11", "2027-02-11"),
    ("hiring", None, 7, 5, "2027-01-22", "2027-04-12"),
]

# The budget's horizon: six months from launch day. Old: Mar 1-Aug 31, six whole months.
# New: Mar 8-Sep 7: 24 of March's 31 days, April to August, 7 of September's 30 days.
MONTHS = 24 / 31 + 5 + 7 / 30
TEAM = 8000 + 9500 + 60 * 80  # the CMO, growth manager (both from day one) and email manager
PER_DAY = 12000 / 91  # the content creator's fee over 3 months from its start: 91 days both


def expected_figures() -> dict[tuple[str, str, str], tuple[float | None, float | None]]:
    old_leads = 9000 / 8 + 36000 / 6 + 21000 / 40 + 12000 / 8  # CPLs: 8, own 6, own 40, 8
    new_leads = MONTHS * (1500 / 8 + 7000 / 6 + 3500 / 40 + 2000 / 8)
    old_total = 13000 * 6 + TEAM * 6 + 12000 + 15000
    new_total = 14000 * MONTHS + TEAM * MONTHS + 12000  # the tasting is now before the horizon
    return {
        ("channel", "email", "spend"): (9000, 1500 * MONTHS),
        ("channel", "instagram", "monthly"): (6000, 7000),
        ("channel", "instagram", "spend"): (36000, 7000 * MONTHS),
        ("channel", "linkedin", "spend"): (21000, 3500 * MONTHS),
        ("channel", "pr", "spend"): (12000, 2000 * MONTHS),
        ("one-off", "Launch tasting at the Brooklyn flagship", "amount"): (15000, 0),
        ("team", "cmo", "total"): (48000, 8000 * MONTHS),
        ("team", "growth-lead", "total"): (57000, 9500 * MONTHS),
        ("team", "email-manager", "total"): (28800, 4800 * MONTHS),
        # Months: channels and the three from day one, the creator's days in the month.
        ("month", "2027-03", "total"): (13000 + TEAM + 15000, (14000 + TEAM) * 24 / 31),
        ("month", "2027-04", "total"): (13000 + TEAM + 26 * PER_DAY, 14000 + TEAM + 19 * PER_DAY),
        ("month", "2027-05", "total"): (13000 + TEAM + 31 * PER_DAY, 14000 + TEAM + 31 * PER_DAY),
        ("month", "2027-06", "total"): (13000 + TEAM + 30 * PER_DAY, 14000 + TEAM + 30 * PER_DAY),
        ("month", "2027-07", "total"): (13000 + TEAM + 4 * PER_DAY, 14000 + TEAM + 11 * PER_DAY),
        ("month", "2027-08", "total"): (13000 + TEAM, 14000 + TEAM),
        ("month", "2027-09", "total"): (None, (14000 + TEAM) * 7 / 30),
        ("total", "", "channel_monthly"): (13000, 14000),
        ("total", "", "channel_total"): (78000, 14000 * MONTHS),
        ("total", "", "team_total"): (TEAM * 6 + 12000, TEAM * MONTHS + 12000),
        ("total", "", "one_off_total"): (15000, 0),
        ("total", "", "total"): (old_total, new_total),
        ("total", "", "headroom"): (250000 - old_total, 250000 - new_total),
        ("funnel", "", "leads"): (old_leads, new_leads),
        ("funnel", "", "customers"): (0.3 * old_leads, 0.3 * new_leads),
        ("funnel", "", "media_cac"): ((78000 + 15000) / (0.3 * old_leads),
                                      14000 * MONTHS / (0.3 * new_leads)),
        ("funnel", "", "loaded_cac"): (old_total / (0.3 * old_leads),
                                       new_total / (0.3 * new_leads)),
        ("funnel", "", "plan_ltv_cac"): (300 * 0.3 * old_leads / old_total,
                                         300 * 0.3 * new_leads / new_total),
    }


def _report(gtmgen, *args: str) -> dict:
    run = gtmgen("diff", *args, "--format", "json")
    assert run.code == 1, run.err
    return json.loads(run.out)


def test_a_week_later_moves_exactly_the_events_worked_out_by_hand(moved, gtmgen) -> None:
    [entry] = _report(gtmgen, "HEAD~1:playbook.yaml", "playbook.yaml")["playbooks"]
    assert (entry["old"], entry["new"], entry["status"]) == (
        "HEAD~1:playbook.yaml", "playbook.yaml", "changed")
    found = [(g["kind"], g["channel"], g["shift"], g["count"], g["first"], g["last"])
             for g in entry["events"]["moved"]]
    assert found == EXPECTED_MOVES
    assert entry["events"]["added"] == entry["events"]["dropped"] == []
    assert entry["counts"]["events_moved"] == 48
    assert [(p["phase"], p["start_shift"], p["end_shift"])
            for p in entry["phases"]["moved"]] == [
        ("fresh-in-minutes", 7, 7), ("office-rituals", 7, 7), ("gift-moments", 7, 7),
        ("price-per-cookie", 7, 7)]
    assert entry["phases"]["added"] == entry["phases"]["removed"] == []
    assert entry["value_propositions"] == []


def test_a_week_later_moves_the_hires_and_the_budget_worked_out_by_hand(moved,
                                                                        gtmgen) -> None:
    [entry] = _report(gtmgen, "HEAD~1:playbook.yaml", "playbook.yaml")["playbooks"]
    assert [(h["role"], h["old_order"], h["new_order"], h["old_hire_by"], h["new_hire_by"],
             h["shift"]) for h in entry["hiring"]] == [
        ("growth-lead", 1, 1, "2027-01-15", "2027-01-22", 7),
        ("email-manager", 2, 2, "2027-01-15", "2027-01-22", 7),
        ("content-creator", 3, 3, "2027-02-19", "2027-02-11", -8)]
    assert entry["budget"]["horizon"] == {"old_start": "2027-03-01", "old_end": "2027-08-31",
                                          "new_start": "2027-03-08", "new_end": "2027-09-07"}
    figures = {(f["section"], f["item"], f["measure"]): (f["old"], f["new"])
               for f in entry["budget"]["figures"]}
    expected = expected_figures()
    assert list(figures) == list(expected)
    for key, (old, new) in expected.items():
        for shown, worked in zip(figures[key], (old, new), strict=True):
            assert (shown is None) == (worked is None), key
            if worked is not None:
                assert shown == pytest.approx(worked, abs=0.006), key
    # The tasting falls out of the horizon; the two first vacancies are no longer overdue.
    assert [w["message"] for w in entry["warnings"]["new"]] == [
        "one-off cost 'Launch tasting at the Brooklyn flagship' on 2027-03-06 is outside the "
        "budget's horizon (2027-03-08 to 2027-09-07) and is left out"]
    assert entry["warnings"]["new"][0]["file"] == "playbook.yaml"
    assert sorted(w["path"] for w in entry["warnings"]["gone"]) == [
        "roles[1].id", "roles[2].id"]
    assert {w["file"] for w in entry["warnings"]["gone"]} == {"HEAD~1:playbook.yaml"}


def test_text_and_markdown_say_the_same_facts(moved, gtmgen) -> None:
    text = gtmgen("diff", "HEAD~1:playbook.yaml", "playbook.yaml")
    assert text.code == 1
    assert "  Instagram (organic + paid): 13 activities +7 days (Mar 8, 2027 – May 10, 2027)\n" \
        in text.out
    assert "  1 resonance review +8 days (Apr 9, 2027)\n" in text.out
    assert "  Content Creator: Order 3; Open the vacancy by Feb 19, 2027 → Feb 11, 2027 " \
        "(−8 days)\n" in text.out
    assert "4 phases re-dated; 48 events moved; 3 hires changed" in text.out
    md = gtmgen("diff", "HEAD~1:playbook.yaml", "playbook.yaml", "--format", "md")
    assert md.out.startswith("### `HEAD~1:playbook.yaml` → `playbook.yaml`\n\n**4 phases")
    assert "| Instagram (organic + paid) | 13 activities | +7 days | Mar 8, 2027 – May 10, " \
        "2027 |" in md.out
    assert "<details><summary>Budget by month</summary>" in md.out
    assert "| Planned total | $238,800 |" in md.out


def test_equal_plans_end_with_0_and_say_so(moved, gtmgen) -> None:
    run = gtmgen("diff", "HEAD:playbook.yaml", "playbook.yaml")
    assert (run.code, run.out) == (0, "HEAD:playbook.yaml → playbook.yaml\n"
                                      "  No change to the plan.\n")
    data = json.loads(gtmgen("diff", "HEAD:./playbook.yaml", "playbook.yaml", "--format",
                             "json").out)
    assert data["playbooks"][0]["status"] == "equal"


def test_path_is_relative_to_the_current_folder(moved, gtmgen, monkeypatch) -> None:
    monkeypatch.chdir(moved.parent)
    run = gtmgen("diff", "HEAD~1:crumb/playbook.yaml", "crumb/playbook.yaml")
    assert run.code == 1 and "48 events moved" in run.out
    monkeypatch.chdir(moved.parent.parent)
    run = gtmgen("diff", "HEAD~1:books/crumb/playbook.yaml", "HEAD:./books/crumb/playbook.yaml")
    assert run.code == 1 and "48 events moved" in run.out


def test_a_bad_revision_ends_with_2_in_plain_words(moved, gtmgen) -> None:
    run = gtmgen("diff", "no-such-branch:playbook.yaml", "playbook.yaml")
    assert run.code == 2
    assert run.err.startswith("gtmgen: unknown revision 'no-such-branch'")
    assert "Traceback" not in run.err
    run = gtmgen("diff", "HEAD:missing.yaml", "playbook.yaml")
    assert run.code == 2 and "has no file missing.yaml" in run.err


def test_outside_a_repository_ends_with_2(tmp_path, monkeypatch, gtmgen) -> None:
    monkeypatch.chdir(tmp_path)
    run = gtmgen("diff", "HEAD:playbook.yaml", str(CRUMB))
    assert run.code == 2 and "is not in a git repository" in run.err


def test_an_invalid_side_ends_with_2_and_its_located_diagnostics(tmp_path, monkeypatch,
                                                                 gtmgen) -> None:
    broken = BASE.replace("  date: 2027-03-01\n", "  date: someday\n")
    folder = repository(tmp_path, broken, BASE)
    monkeypatch.chdir(folder)
    run = gtmgen("diff", "HEAD~1:playbook.yaml", "playbook.yaml")
    assert run.code == 2
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "someday" in text)
    assert run.err.startswith(f"HEAD~1:playbook.yaml:{line}:9: error: ")
    assert "HEAD~1:playbook.yaml: invalid playbook (1 error)" in run.err


def _with_phase(text: str) -> str:
    return text.replace(
        "      resonance: {metric: subscription conversion rate, target: 0.06}\n",
        "      resonance: {metric: subscription conversion rate, target: 0.06}\n"
        "    - id: summer-boxes\n"
        "      value_proposition: Ice-cream sandwiches for the hot weeks.\n"
        "      weeks: 2\n      personas: [weekend-parent]\n      channels: [email]\n")


def test_a_phase_added_adds_its_events(tmp_path, gtmgen) -> None:
    (tmp_path / "old.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(_with_phase(BASE), encoding="utf-8")
    [entry] = _report(gtmgen, str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"))[
        "playbooks"]
    # Two weeks after price-per-cookie ends (May 5): May 6-19, email on Tuesdays May 11
    # and 18, the review on its last day, a Wednesday.
    assert entry["phases"]["added"] == [{
        "phase": "summer-boxes", "start": "2027-05-06", "end": "2027-05-19",
        "value_proposition": "Ice-cream sandwiches for the hot weeks."}]
    assert [(g["kind"], g["channel"], g["count"], g["first"], g["last"])
            for g in entry["events"]["added"]] == [
        ("phase-start", None, 1, "2027-05-06", "2027-05-06"),
        ("activity", "email", 2, "2027-05-11", "2027-05-18"),
        ("review", None, 1, "2027-05-19", "2027-05-19")]
    assert entry["events"]["moved"] == []


def _side(text: str) -> Side:
    validation = validate_bytes(text.encode(), "playbook.yaml")
    assert validation.ok and validation.playbook is not None
    return Side(validation.playbook, build_plan(validation.playbook),
                tuple(validation.diagnostics))


def test_the_comparison_is_a_pure_function_of_two_plans() -> None:
    old = _side(BASE)
    assert compare(old, _side(BASE)).equal
    # Priority 3 puts the growth manager last: the other two move up one place.
    new = _side(BASE.replace("    kind: full-time\n    reports_to: cmo\n",
                             "    kind: full-time\n    reports_to: cmo\n    priority: 3\n"))
    diff = compare(old, new)
    assert [(h.role, h.old_order, h.new_order, h.shift) for h in diff.hires] == [
        ("email-manager", 2, 1, 0), ("content-creator", 3, 2, 0), ("growth-lead", 1, 3, 0)]
    assert not diff.events_moved and not diff.figures
    reworded = compare(old, _side(BASE.replace("leaves warm.", "leaves warm and soft.")))
    assert [(p.phase, p.new) for p in reworded.propositions] == [
        ("gift-moments", "The gift that arrives frozen and leaves warm and soft.")]


def test_git_base_compares_every_playbook_changed_since(tmp_path, monkeypatch,
                                                        gtmgen) -> None:
    folder = repository(tmp_path, BASE)
    root = folder.parent.parent
    (root / "gone").mkdir()
    (root / "gone" / "playbook.yaml").write_text(BASE, encoding="utf-8")
    (root / "notes.yaml").write_text("just: data\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "more")
    (folder / "playbook.yaml").write_text(CHANGED, encoding="utf-8")  # changed, not staged
    (root / "new").mkdir()
    (root / "new" / "playbook.yml").write_text(BASE, encoding="utf-8")  # untracked
    git(root, "rm", "-q", "gone/playbook.yaml")
    (root / "notes.yaml").write_text("just: other data\n", encoding="utf-8")  # no playbook
    monkeypatch.chdir(root)
    data = _report(gtmgen, "--git", "HEAD")
    assert [(e["old"], e["new"], e["status"]) for e in data["playbooks"]] == [
        ("HEAD:books/crumb/playbook.yaml", "books/crumb/playbook.yaml", "changed"),
        ("HEAD:gone/playbook.yaml", None, "removed"),
        (None, "new/playbook.yml", "added")]
    assert data["playbooks"][0]["counts"]["events_moved"] == 48
    assert data["playbooks"][2]["summary"]["phases"] == 4
    text = gtmgen("diff", "--git", "HEAD").out
    assert "HEAD:gone/playbook.yaml\n  Playbook removed; it had 4 phases" in text
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "all")
    run = gtmgen("diff", "--git", "HEAD")
    assert (run.code, run.out) == (0, "no playbook changed since HEAD\n")


def test_wrong_usage_ends_with_2(gtmgen) -> None:
    assert gtmgen("diff", str(CRUMB)).code == 2
    assert gtmgen("diff", str(CRUMB), str(CRUMB), "--git", "HEAD").code == 2


def test_git_base_compares_the_playbooks_that_include_a_changed_shared_file(
        tmp_path, monkeypatch, gtmgen) -> None:
    # Two playbooks include one roles catalogue; only the catalogue changes: the content
    # creator's hiring lead goes from 45 to 60 days. Needed at gift-moments (Apr 5, 2027), the
    # vacancy opened Feb 19 (45 days before) and now opens Feb 4 (60 days before): -15.
    start, end = BASE.index("\nroles:\n") + 1, BASE.index("\nkpis:\n") + 1
    catalogue, own = BASE[start:end], BASE[:start] + BASE[end:]
    own = own.replace("gtmgen: 1\n", "gtmgen: 1\ninclude: ../shared/roles.yaml\n", 1)
    root = tmp_path / "repo"
    for folder in ("a", "b", "shared"):
        (root / folder).mkdir(parents=True)
    (root / "a" / "playbook.yaml").write_text(own, encoding="utf-8")
    (root / "b" / "playbook.yaml").write_text(own.replace("Crumb & Co.", "Crumb Two"),
                                               encoding="utf-8")
    (root / "shared" / "roles.yaml").write_text(catalogue, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "two playbooks, one catalogue")
    assert catalogue.count("    needed_by: gift-moments\n") == 1
    (root / "shared" / "roles.yaml").write_text(catalogue.replace(
        "    needed_by: gift-moments\n", "    needed_by: gift-moments\n    hiring_lead_days: 60\n"),
        encoding="utf-8")
    monkeypatch.chdir(root)
    data = _report(gtmgen, "--git", "HEAD")
    assert [(e["old"], e["new"], e["status"]) for e in data["playbooks"]] == [
        ("HEAD:a/playbook.yaml", "a/playbook.yaml", "changed"),
        ("HEAD:b/playbook.yaml", "b/playbook.yaml", "changed")]
    for entry in data["playbooks"]:
        assert [(h["role"], h["old_hire_by"], h["new_hire_by"], h["shift"])
                for h in entry["hiring"]] == [
            ("content-creator", "2027-02-19", "2027-02-04", -15)]
    # A new gtmgen.toml may change every playbook's defaults: both are compared again (their
    # own locale, country and currency win, so their plans stay as they were).
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "longer lead")
    (root / "gtmgen.toml").write_text('[defaults]\ncountry = "NL"\n', encoding="utf-8")
    run = gtmgen("diff", "--git", "HEAD", "--format", "json")
    assert run.code == 0, run.err
    assert [(e["new"], e["status"]) for e in json.loads(run.out)["playbooks"]] == [
        ("a/playbook.yaml", "equal"), ("b/playbook.yaml", "equal")]
