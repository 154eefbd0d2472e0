"""Hiring in order: vacancies open in the hiring order, at most launch.hires_in_parallel at
once; each role's own lead time; the hiring manager owns the hiring events. Dates by hand."""

from __future__ import annotations

import datetime as dt

from gtmgen.plan import build_plan
from gtmgen.plan.hiring import schedule
from tests.builders import playbook, validated

D = dt.date.fromisoformat


def _team(**launch):
    # Launch Monday 2027-03-01. 'content' owns the only channel (100 % of the budget + 5 for
    # its one phase = 105), 'sdr' owns none (0): both needed on launch day, so both P1 and
    # content first. 'designer' is needed 2027-09-01 (P3) with its own 90 days of hiring.
    return playbook(
        launch={"date": "2027-03-01", "hiring_lead_days": 45, **launch},
        channels=[{"id": "email", "name": "Email", "owner": "content", "budget": 1000}],
        roles=[{"id": "cmo", "title": "CMO", "status": "filled"},
               {"id": "content", "title": "Content marketer", "reports_to": "cmo",
                "needed_by": "2027-03-01"},
               {"id": "sdr", "title": "SDR", "reports_to": "cmo", "needed_by": "2027-03-01"},
               {"id": "designer", "title": "Designer", "reports_to": "content",
                "needed_by": "2027-09-01", "hiring_lead_days": 90}])


def test_one_vacancy_at_a_time_delays_the_second_hire_with_a_warning() -> None:
    result = validated(_team(hires_in_parallel=1))
    rows = build_plan(result.playbook).hiring
    # content: 03-01 − 45 days = 2027-01-15 (Jan 15 + 16 days = Jan 31, + 28 = Feb 28,
    # + 1 = Mar 1). sdr would open the same day, but content's vacancy is open until it
    # starts on 03-01: sdr opens then and starts 45 days later, 04-15.
    # designer: 09-01 − 90 days = 06-03 (31 days back to 08-01, 31 to 07-01, 28 to 06-03);
    # nobody is open then.
    assert [(r.role, r.tier, r.lead_days, r.opens, r.starts) for r in rows] == [
        ("content", "P1", 45, D("2027-01-15"), D("2027-03-01")),
        ("sdr", "P1", 45, D("2027-03-01"), D("2027-04-15")),
        ("designer", "P3", 90, D("2027-06-03"), D("2027-09-01")),
    ]
    assert [r.late for r in rows] == [False, True, False]
    assert [(d.severity, d.path, d.message) for d in result.diagnostics] == [
        ("warning", "roles[2].id",
         "'sdr' starts on 2027-04-15, after it is needed on 2027-03-01: with "
         "launch.hires_in_parallel 1 its vacancy cannot open before 2027-03-01 (45 days of "
         "hiring)")]


def test_without_a_limit_every_vacancy_opens_on_its_hire_by_day() -> None:
    result = validated(_team())
    rows = build_plan(result.playbook).hiring
    assert [(r.role, r.opens, r.starts) for r in rows] == [
        ("content", D("2027-01-15"), D("2027-03-01")),
        ("sdr", D("2027-01-15"), D("2027-03-01")),
        ("designer", D("2027-06-03"), D("2027-09-01")),
    ]
    assert result.diagnostics == []


def test_hiring_events_name_the_role_and_are_owned_by_its_hiring_manager() -> None:
    plan = build_plan(validated(_team(hires_in_parallel=1)).playbook)
    hiring = [(e.key, e.date, e.ref, e.owner) for e in plan.calendar if e.kind == "hiring"]
    assert hiring == [
        ("hiring/content/open", D("2027-01-15"), "content", "cmo"),
        ("hiring/content/start", D("2027-03-01"), "content", "cmo"),
        ("hiring/sdr/open", D("2027-03-01"), "sdr", "cmo"),
        ("hiring/sdr/start", D("2027-04-15"), "sdr", "cmo"),
        ("hiring/designer/open", D("2027-06-03"), "designer", "content"),
        ("hiring/designer/start", D("2027-09-01"), "designer", "content"),
    ]


def test_a_role_without_a_hiring_manager_has_no_owner() -> None:
    data = _team()
    data["roles"][1]["reports_to"] = None
    events = build_plan(validated(data).playbook).calendar
    assert {e.owner for e in events if e.ref == "content" and e.kind == "hiring"} == {None}


def test_a_vacancy_waits_for_the_busiest_moment_of_its_own_span() -> None:
    # Limit 2. A: 01-01..03-01. B: 02-01..04-01. C wants 01-15 for 30 days (to 02-14): on
    # 01-15 only A is open, but B opens on 02-01 inside C's span, making three. C waits for
    # the first start day after its hire-by where it fits: 03-01 (A starts), open to 03-31.
    placed = schedule([(D("2027-01-01"), 59), (D("2027-02-01"), 59), (D("2027-01-15"), 30)],
                      2)
    assert placed == [(D("2027-01-01"), D("2027-03-01")), (D("2027-02-01"), D("2027-04-01")),
                      (D("2027-03-01"), D("2027-03-31"))]
