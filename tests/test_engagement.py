"""The engagement against an in-house hire, the successor's hire, the RACI, the approvals,
`build --final` and the review agendas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gtmgen.build import Options
from gtmgen.plan import build_plan
from tests.builders import planned, playbook, validated
from tests.conftest import LEDGERLY


def _plan(**sections):
    result = validated(playbook(**sections))
    assert result.ok and result.playbook is not None, result.diagnostics
    return result, build_plan(result.playbook)


def test_ledgerly_retainer_against_in_house_worked_by_hand() -> None:
    _, plan = planned(LEDGERLY)
    e = plan.engagement
    assert e is not None
    # retainer: 8,000 a month for 40 hours → 8,000 × 12 = 96,000 a year, 8,000 / 40 = 200 an hour
    assert (e.monthly, e.annual, e.hourly) == (8000, 96000, 200)
    # in-house: 110,000 × 1.30 = 143,000 a year; 143,000 / 12 = 11,916.67 a month
    assert e.salary_source == "given"
    assert e.in_house_annual == pytest.approx(143000)
    assert e.in_house_monthly == pytest.approx(11916.6667, abs=0.001)
    # difference 143,000 − 96,000 = 47,000; saving 47,000 / 143,000 = 32.87%
    assert e.difference == pytest.approx(47000)
    assert e.saving == pytest.approx(32.867, abs=0.001)
    assert e.handover == dt.date(2027, 10, 11) and e.end == dt.date(2027, 10, 10)


def test_hourly_engagement_without_a_salary_uses_the_documented_default() -> None:
    _, plan = _plan(engagement={"model": "hourly", "rate": 250, "hours": 20,
                                "start": "2027-01-04", "successor": "cmo"})
    e = plan.engagement
    assert e is not None
    # 250 × 20 = 5,000 a month, 60,000 a year; the CMO role has no cost → 174,000 default
    assert (e.monthly, e.annual, e.salary, e.salary_source) == (5000, 60000, 174000, "default")
    # (174,000 − 60,000) / 174,000 = 114,000 / 174,000 = 65.52%
    assert e.saving == pytest.approx(65.517, abs=0.001)


def test_project_engagement_against_the_successors_cost() -> None:
    roles = [{"id": "cmo", "title": "CMO", "cost": {"monthly": 9000}}]
    _, plan = _plan(roles=roles, engagement={
        "model": "project", "fee": 30000, "months": 3, "start": "2027-01-04",
        "end": "2027-03-31", "successor": "cmo", "in_house": {"on_cost": 0.2}})
    e = plan.engagement
    assert e is not None
    # 30,000 / 3 = 10,000 a month, 120,000 a year; successor 9,000 × 12 = 108,000 × 1.2 = 129,600
    assert (e.monthly, e.annual, e.salary_source) == (10000, 120000, "successor")
    assert e.in_house_annual == pytest.approx(129600)
    # 129,600 − 120,000 = 9,600; 9,600 / 129,600 = 7.41%
    assert e.saving == pytest.approx(7.407, abs=0.001)
    assert e.handover == dt.date(2027, 4, 1)  # the day after end


def test_engagement_dearer_than_in_house_has_a_negative_saving() -> None:
    _, plan = _plan(engagement={"model": "retainer", "monthly_fee": 20000,
                                "start": "2027-01-04", "in_house": {"salary": 120000}})
    e = plan.engagement
    assert e is not None
    # 120,000 − 240,000 = −120,000; −120,000 / 120,000 = −100%
    assert (e.difference, e.saving) == (-120000, -100)


def test_successor_is_hired_by_the_handover_when_nothing_else_sets_its_date() -> None:
    _, plan = _plan(engagement={"model": "retainer", "monthly_fee": 8000,
                                "start": "2027-01-04", "handover": "2027-06-01",
                                "successor": "cmo"})
    [row] = plan.hiring
    # needed on the handover day; hiring takes the default 45 days: 2027-06-01 − 45 = 04-17
    assert (row.role, row.needed_by, row.needed_source) == ("cmo", dt.date(2027, 6, 1),
                                                           "handover")
    assert row.hire_by == row.opens == dt.date(2027, 4, 17)
    assert row.tier == "P3"  # 92 days after launch on 2027-03-01: more than 90


def test_successor_with_its_own_needed_by_keeps_it() -> None:
    _, plan = planned(LEDGERLY)
    row = next(row for row in plan.hiring if row.role == "product-marketer")
    # needed_by: audit-ready, the third phase: 2027-09-06 + 21 + 14 days = 2027-10-11
    assert (row.needed_source, row.needed_by) == ("phase", dt.date(2027, 10, 11))


def test_successor_starting_after_the_handover_is_a_warning_at_the_handover() -> None:
    roles = [{"id": "cmo", "title": "CMO", "needed_by": "2027-07-01"}]
    result, _ = _plan(roles=roles, engagement={
        "model": "retainer", "monthly_fee": 8000, "start": "2027-01-04",
        "handover": "2027-06-01", "successor": "cmo"})
    [warning] = [d for d in result.diagnostics if d.path == "engagement.handover"]
    # 2027-06-01 to 2027-07-01: 30 days
    assert warning.severity == "warning"
    assert "starts on 2027-07-01, after the handover on 2027-06-01: 30 days" in warning.message


def test_a_phase_nobody_is_accountable_for_is_a_warning() -> None:
    result, _ = _plan(stakeholders=[{"id": "ann", "name": "Ann", "function": "ceo",
                                     "raci": {"phases": {"one": "R"}}}])
    [warning] = [d for d in result.diagnostics if d.path == "stakeholders"]
    assert warning.severity == "warning"
    assert "no stakeholder is accountable (A) for phase 'one'" in warning.message


def test_ledgerly_review_agendas() -> None:
    _, plan = planned(LEDGERLY)
    first, second, third = plan.agendas
    # 3m after 2027-09-06 is Monday 2027-12-06; phases 1–5 end by then (the sixth on 12-15)
    assert (first.offset, first.date) == ("3m", dt.date(2027, 12, 6))
    assert first.phases == ("close-in-five", "reconcile-automatically", "audit-ready",
                            "board-pack-day-five", "firms-scale")
    assert (first.accountable, first.responsible) == (("sanne",), ("ruben", "eva"))
    assert second.phases == ("live-in-a-week",) and second.responsible == ("ruben",)
    assert third.phases == ()
    # the playbook's KPIs are the reviews' owner's (the role that "Run the operating
    # reviews"); a channel's KPIs are its owner's
    assert (first.items[0].metric, first.items[0].target, first.items[0].owner) == (
        "cac", 7000, "head-of-marketing")
    linkedin = [(i.metric, i.target, i.owner) for i in first.items if i.channel == "linkedin-ads"]
    assert linkedin == [("cpl", 120, "demand-gen-manager"), ("ctr", 0.008, "demand-gen-manager")]


def _ledgerly_playbook_md(gtmgen, tmp_path: Path) -> str:
    run = gtmgen("build", LEDGERLY, "--out", tmp_path / "out", "--final")
    assert run.code == 0, run.err
    return (tmp_path / "out" / "playbook.md").read_text(encoding="utf-8")


def test_ledgerly_documents_show_the_engagement_raci_and_approval(gtmgen, tmp_path) -> None:
    text = _ledgerly_playbook_md(gtmgen, tmp_path)
    assert ("| Fractional engagement | €8,000 | €96,000 |\n"
            "| In-house hire | €11,917 | €143,000 |\n"
            "| **Difference** | **€3,917** | **€47,000** |") in text
    assert "The engagement costs 32.9% less than the in-house hire." in text
    assert ("Handover: on October 11, 2027, Product Marketing Manager takes over.") in text
    assert ("| Activity | Sanne Bakker (CEO) | Ruben Smit (marketing) | Lotte de Jong (sales) "
            "| Joost Visser (finance) | Eva Jansen (consultant) |") in text
    assert "| Partner: Network of audit firms | C | A | R | | |" in text
    assert "| Review: 3 months after launch: December 6, 2027 | A | R | C | C | R |" in text
    assert "| Sanne Bakker | CEO | 1.0 | June 4, 2027 |" in text
    assert "#### 3 months after launch: December 6, 2027" in text
    assert "- Cost per lead (CPL) €120 (LinkedIn ads): Demand Generation Manager" in text


def test_final_refuses_an_unapproved_version_and_writes_nothing(gtmgen, crumb, tmp_path) -> None:
    out = tmp_path / "out"
    run = gtmgen("build", crumb, "--out", out, "--final")
    assert run.code == 1
    # crumb's client.version: v2 is on line 9, its value at column 12
    assert (f"{crumb}:9:12: error: version 'v2' has no approval, and --final builds only a "
            "signed version") in run.err
    assert "Traceback" not in run.err
    assert not out.exists()


def test_final_builds_once_the_version_is_approved(gtmgen, crumb, tmp_path) -> None:
    # crumb's approvals sign v1 only; sign v2 as well
    text = crumb.read_text(encoding="utf-8")
    assert text.endswith("    version: v1\n    date: 2027-01-11\n")
    crumb.write_text(text + "  - {name: Ann, role: CEO, version: v2, date: 2027-01-18}\n",
                     encoding="utf-8")
    out = tmp_path / "out"
    run = gtmgen("build", crumb, "--out", out, "--final")
    assert run.code == 0, run.err
    assert (out / "playbook.md").exists()


def test_validate_final_reports_the_unapproved_version_as_build_does(gtmgen, crumb) -> None:
    plain = gtmgen("validate", crumb)
    assert plain.code == 0, plain.err
    run = gtmgen("validate", crumb, "--final")
    assert run.code == 1
    assert f"{crumb}:9:12: error: version 'v2' has no approval" in run.err
    assert "invalid: 1 error" in run.out + run.err


def test_final_needs_a_version(gtmgen, tmp_path) -> None:
    import yaml

    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(playbook(), sort_keys=False), encoding="utf-8")
    run = gtmgen("build", path, "--out", tmp_path / "out", "--final")
    assert run.code == 1 and "client.version is not given" in run.err
    assert not (tmp_path / "out").exists()


def test_final_is_among_the_manifests_options(tmp_path) -> None:
    assert Options(final=True).as_data(tmp_path / "p.yaml")["final"] is True
    assert Options().as_data(tmp_path / "p.yaml")["final"] is False
