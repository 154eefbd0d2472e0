"""The review's figures on a small playbook and results worked out by hand (docs/review.md):
verdicts, rankings, CAC, CPL, LTV:CAC, spend variances, hires and recommendations."""

from __future__ import annotations

import datetime as dt

import pytest

from gtmgen.plan import build_plan
from gtmgen.plan.review import Move, build_review, default_as_of, resonance
from gtmgen.results import ResultRow
from tests.builders import playbook, validated

D = dt.date


def _book():
    data = playbook(
        launch={"date": "2027-03-01", "reviews": [30, 60]},
        personas=[{"id": "buyer", "name": "Bea", "title": "Buyer", "icps": ["smb"]},
                  {"id": "user", "name": "Uma", "title": "User", "icps": ["smb"]}],
        channels=[{"id": "email", "name": "Email", "owner": "cmo", "budget": 1000,
                   "kpis": {"cpl": 20}},
                  {"id": "ads", "name": "Ads", "owner": "cmo", "budget": 3000,
                   "kpis": {"cpl": 50}}],
        messages={"phases": [
            {"id": "one", "value_proposition": "One.", "personas": ["buyer", "user"],
             "channels": ["email", "ads"], "weeks": 2,
             "resonance": {"metric": "trial signups", "target": 100}},
            {"id": "two", "value_proposition": "Two.", "personas": ["buyer", "user"],
             "channels": ["ads"], "weeks": 2,
             "resonance": {"metric": "reply rate", "target": 0.05}},
            {"id": "three", "value_proposition": "Three.", "personas": ["buyer"],
             "channels": ["email"], "weeks": 3,
             "resonance": {"metric": "demos", "target": 20}},
            {"id": "four", "value_proposition": "Four.", "personas": ["buyer"],
             "channels": ["email", "ads"], "weeks": 2,
             "resonance": {"metric": "pilots", "target": 10}}]},
        roles=[{"id": "cmo", "title": "CMO", "status": "filled", "cost": {"monthly": 3000}},
               {"id": "rep", "title": "Rep", "reports_to": "cmo", "needed_by": "2027-03-15",
                "hiring_lead_days": 30, "cost": {"monthly": 4000}}],
        kpis={"cac": 400, "ltv": 2400, "conversion_rate": 0.1, "mrr": 200},
        budget={"months": 2})
    result = validated(data)
    assert result.ok and result.playbook is not None, result.diagnostics
    return result.playbook, build_plan(result.playbook)


def _row(line, day, channel=None, phase=None, persona=None, spend=None, leads=None,
         customers=None, resonance=None):
    return ResultRow(line, day, channel, phase, persona, spend, leads, customers, resonance)


# Phases: one 03-01..03-14, two 03-15..03-28, three 03-29..04-18, four 04-19..05-02.
ROWS = [
    _row(2, D(2027, 3, 8), "email", "one", "buyer", 600, 30, 3, 40),
    _row(3, D(2027, 3, 8), "ads", "one", "user", 1500, 25, 2, 50),
    _row(4, D(2027, 3, 20), "ads", "two", "buyer", 1800, 40, 4, 0.07),
    _row(5, D(2027, 3, 22), "ads", "two", "user", 200, 10, 0, 0.01),
    _row(6, D(2027, 4, 5), "email", "three", None, 900, 50, 6),
    _row(7, D(2027, 4, 20), "email", "four", None, 300, 10, 1, 2),
]
HIRES = {"rep": D(2027, 3, 22)}


def test_resonance_sums_counts_and_weights_shares_by_leads() -> None:
    # A count: 40 + 50 = 90. A share with leads on every row: (0.07 × 40 + 0.01 × 10) ÷ 50
    # = 2.9 ÷ 50 = 0.058; without leads on one row, the plain mean (0.07 + 0.01) ÷ 2 = 0.04.
    assert resonance(ROWS[:2], 100, "trial signups") == 90
    assert resonance(ROWS[2:4], 0.05, "reply rate") == pytest.approx(0.058)
    no_leads = [ROWS[2], _row(9, D(2027, 3, 21), "ads", "two", resonance=0.01)]
    assert resonance(no_leads, 0.05, "reply rate") == pytest.approx(0.04)
    assert resonance(ROWS[4:5], 20, "demos") is None  # not measured, never 0


def test_verdicts_and_ranking_at_the_60_day_review() -> None:
    book, plan = _book()
    review = build_review(book, plan, ROWS, HIRES, D(2027, 4, 30))
    got = {p.phase: (p.status, p.measured, p.ratio, p.verdict, p.rank) for p in review.phases}
    # one: 90 ÷ 100 = 0.9, between 0.7 and 1: iterate. two: 0.058 ÷ 0.05 = 1.16: keep.
    # three: finished 04-18, no measurement: not measured. four: runs to 05-02, 2 ÷ 10 = 0.2,
    # no verdict while it runs.
    assert got["one"][:4] == ("finished", 90, pytest.approx(0.9), "iterate")
    assert got["two"][0] == "finished" and got["two"][2] == pytest.approx(1.16)
    assert got["two"][3] == "keep"
    assert got["three"] == ("finished", None, None, None, None)
    assert got["four"][:4] == ("running", 2, pytest.approx(0.2), None)
    assert review.ranking == ("two", "one", "four")
    assert [p.rank for p in review.phases] == [2, 1, None, 3]
    # Per persona: buyer one 40 ÷ 100 = 0.4, two 0.07 ÷ 0.05 = 1.4; user one 0.5, two 0.2.
    personas = {s.ref: [(p, round(r, 4)) for p, r in s.phases] for s in review.personas}
    assert personas == {"buyer": [("two", 1.4), ("one", 0.4)],
                        "user": [("one", 0.5), ("two", 0.2)]}
    # Per channel: email one 0.4, four 0.2; ads two 1.16, one 0.5.
    channels = {s.ref: [(p, round(r, 4)) for p, r in s.phases] for s in review.channels_ranked}
    assert channels == {"email": [("one", 0.4), ("four", 0.2)],
                        "ads": [("two", 1.16), ("one", 0.5)]}


def test_spend_against_plan_by_channel_phase_and_month() -> None:
    book, plan = _book()
    review = build_review(book, plan, ROWS, HIRES, D(2027, 4, 30))
    email, ads = review.channels
    # Planned to 04-30, the horizon's end: email 1,000 × 2 = 2,000, ads 6,000.
    # Actual: email 600 + 900 + 300 = 1,800; ads 1,500 + 1,800 + 200 = 3,500.
    assert (email.planned, email.spend, email.variance) == (2000, 1800, -200)
    assert (ads.planned, ads.spend, ads.variance) == (6000, 3500, -2500)
    # Leads planned 2,000 ÷ 20 = 100 and 6,000 ÷ 50 = 120; customers × 0.1 = 10 and 12.
    assert (email.planned_leads, email.leads) == (100, 90)
    assert (ads.planned_customers, ads.customers) == (pytest.approx(12), 6)
    # Cost per customer: 1,800 ÷ 10 = 180 (under the target CAC 400: scale); 3,500 ÷ 6 =
    # 583.33 (over: cut).
    assert (email.cost_per_customer, email.action) == (180, "scale")
    assert ads.cost_per_customer == pytest.approx(583.33, abs=0.01) and ads.action == "cut"
    assert not email.overspent and not ads.overspent
    # Phases: every channel's budget (4,000 a month) over their days up to 04-30 ÷ 30.4375;
    # actual by the rows' phase.
    planned = [round(p.planned_spend, 2) for p in review.phases]
    assert planned == [round(4000 * 14 / 30.4375, 2), round(4000 * 14 / 30.4375, 2),
                       round(4000 * 21 / 30.4375, 2), round(4000 * 12 / 30.4375, 2)]
    assert [p.spend for p in review.phases] == [2100, 2000, 900, 300]
    # Months: March planned 4,000, actual 4,100; April 4,000 and 1,200; cumulative 8,000, 5,300.
    assert [(m.month, m.planned, m.spend, m.planned_total, m.spend_total)
            for m in review.months] == [(D(2027, 3, 1), 4000, 4100, 4000, 4100),
                                        (D(2027, 4, 1), 4000, 1200, 8000, 5300)]


def test_the_operating_review_with_its_trend() -> None:
    book, plan = _book()
    review = build_review(book, plan, ROWS, HIRES, D(2027, 4, 30))
    op = review.operating
    assert op is not None
    assert (op.offset, op.date, op.previous_offset, op.previous_date) == (
        "60", D(2027, 4, 30), "30", D(2027, 3, 31))
    a = op.actual
    # Team to 04-30: CMO 3,000 × 2 = 6,000; the rep from 03-22: 4,000 × 10/31 + 4,000.
    team = 6000 + 4000 * 10 / 31 + 4000
    assert a.team == pytest.approx(team)
    assert (a.spend, a.leads, a.customers) == (5300, 165, 16)
    assert a.cpl == pytest.approx(5300 / 165)  # 32.12
    assert a.conversion == pytest.approx(16 / 165)  # 9.7%
    assert a.media_cac == pytest.approx(331.25)  # 5,300 ÷ 16
    assert a.loaded_cac == pytest.approx((5300 + team) / 16)  # 1,036.90
    assert a.ltv_cac == pytest.approx(2400 / ((5300 + team) / 16))  # 2.31, under 3
    assert a.payback_months == pytest.approx((5300 + team) / 16 / 200)  # 5.18
    # The plan to 04-30: 8,000 of channels, 220 leads, 22 customers; the rep planned from
    # 03-15: 4,000 × 17/31 + 4,000.
    p = op.planned
    planned_team = 6000 + 4000 * 17 / 31 + 4000
    assert (p.spend, p.leads, p.customers) == (8000, 220, pytest.approx(22))
    assert p.team == pytest.approx(planned_team)
    assert p.cpl == pytest.approx(8000 / 220) and p.conversion == 0.1
    assert p.loaded_cac == pytest.approx((8000 + planned_team) / 22)  # 917.89
    assert p.ltv_cac == pytest.approx(2400 / ((8000 + planned_team) / 22))  # 2.61
    # Up to the 30-day review: rows of March, 4,100 spent, 105 leads, 9 customers, team
    # 3,000 + 4,000 × 10/31; since then 1,200, 60 leads, 7 customers, team 7,000.
    before, since = op.before, op.since
    assert before is not None and since is not None
    assert (before.spend, before.leads, before.customers) == (4100, 105, 9)
    assert before.loaded_cac == pytest.approx((4100 + 3000 + 4000 * 10 / 31) / 9)  # 932.26
    assert (since.spend, since.leads, since.customers) == (1200, 60, 7)
    assert since.team == pytest.approx(7000)
    assert since.loaded_cac == pytest.approx(8200 / 7)  # 1,171.43


def test_hires_recommendations_and_gaps() -> None:
    book, plan = _book()
    review = build_review(book, plan, ROWS, HIRES, D(2027, 4, 30))
    (rep,) = review.hires
    # Needed by 03-15, started 03-22: 7 days late.
    assert (rep.role, rep.starts, rep.started, rep.status, rep.days_late) == (
        "rep", D(2027, 3, 15), D(2027, 3, 22), "late", 7)
    kinds = [(r.kind, r.ref) for r in review.recommendations]
    # The rep started late: in the hiring table, but nothing left to recommend.
    assert kinds == [("carry", "two"), ("scale", "email"), ("cut", "ads"),
                     ("reallocate", None)]
    moves = next(r for r in review.recommendations if r.kind == "reallocate").moves
    # A quarter of ads' 3,000 (750) moves to email, the only channel to scale.
    assert moves == (Move("email", 1000, 1750), Move("ads", 3000, 2250))
    # The last row (04-20) is 10 days before the review day: more than a week, stale.
    assert [(g.kind, g.ref) for g in review.gaps] == [("phase", "three"), ("stale", None)]


def test_an_earlier_review_day_counts_only_the_rows_before_it() -> None:
    book, plan = _book()
    review = build_review(book, plan, ROWS, {}, D(2027, 3, 31))
    op = review.operating
    assert op is not None and (op.offset, op.before) == ("30", None)
    assert (op.actual.spend, op.actual.customers) == (4100, 9)
    # The rep is needed by 03-15 and has not started: missing for 16 days.
    assert [(h.status, h.days_late) for h in review.hires] == [("missing", 16)]
    assert ("hire", "rep") in [(r.kind, r.ref) for r in review.recommendations]
    # three started 03-29 and is running unmeasured; four has not started.
    assert [p.status for p in review.phases] == ["finished", "finished", "running", "upcoming"]
    # Both channels have rows by then (email on 03-08, ads on 03-08); the last row before
    # 03-31 is 03-22, 9 days before: stale. With a row on 03-24 (7 days) it is not.
    assert [(g.kind, g.ref) for g in review.gaps] == [("phase", "three"), ("stale", None)]
    later = [*ROWS, _row(8, D(2027, 3, 24), "ads", spend=10)]
    assert [g.kind for g in build_review(book, plan, later, {}, D(2027, 3, 31)).gaps] == [
        "phase"]


def test_no_review_due_before_the_first_and_the_default_day() -> None:
    book, plan = _book()
    assert build_review(book, plan, ROWS[:2], {}, D(2027, 3, 10)).operating is None
    assert default_as_of(ROWS, HIRES) == D(2027, 4, 20)
    assert default_as_of([], {}) is None


def test_calendar_events_are_marked_done_or_missed() -> None:
    from gtmgen.plan.review import event_status

    book, plan = _book()
    status = event_status(plan, ROWS, HIRES, D(2027, 4, 30))
    marked = sorted((str(e.kind), e.channel or e.ref, e.date.isoformat(), status[e.key])
                    for e in plan.calendar if e.key in status)
    # Per-phase activities on each phase's first day. Email rows fall in the weeks of 03-08,
    # 04-05 and 04-19; ads rows in those of 03-08, 03-15 (Saturday 03-20) and 03-22.
    # Reviews on each phase's last workday: one (03-12) and two (03-26) are measured, three
    # (04-16) is not; four's (04-30) is measured. The rep's start (03-15): started 03-22.
    assert marked == [
        ("activity", "ads", "2027-03-01", "missed"),
        ("activity", "ads", "2027-03-15", "done"),
        ("activity", "ads", "2027-04-19", "missed"),
        ("activity", "email", "2027-03-01", "missed"),
        ("activity", "email", "2027-03-29", "missed"),
        ("activity", "email", "2027-04-19", "done"),
        ("hiring", "rep", "2027-03-15", "done"),
        ("review", "four", "2027-04-30", "done"),
        ("review", "one", "2027-03-12", "done"),
        ("review", "three", "2027-04-16", "missed"),
        ("review", "two", "2027-03-26", "done"),
    ]
