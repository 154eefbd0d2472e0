"""Hiring priorities and budget, with the figures worked out by hand from the format's rules."""

from __future__ import annotations

import datetime as dt

import pytest

from gtmgen.plan import build_plan
from tests.builders import planned, playbook, validated
from tests.conftest import CRUMB, LEDGERLY

D = dt.date.fromisoformat


def _plan(path):
    return planned(path)[1]


def test_crumb_hiring_order_tiers_and_scores() -> None:
    rows = _plan(CRUMB).hiring
    # Budget 13,000 a month. growth-lead owns instagram + linkedin (9,500 = 73.08 %) used in
    # all four phases (+20); email-manager owns email (1,500 = 11.54 %) in four phases (+20);
    # content-creator owns nothing and is needed at gift-moments (04-05, within 90 days).
    assert [(r.role, r.tier) for r in rows] == [
        ("growth-lead", "P1"), ("email-manager", "P1"), ("content-creator", "P2")]
    assert [round(r.score, 2) for r in rows] == [93.08, 31.54, 0.0]
    assert [(r.needed_by, r.hire_by) for r in rows] == [
        (D("2027-03-01"), D("2027-01-15")), (D("2027-03-01"), D("2027-01-15")),
        (D("2027-04-05"), D("2027-02-19"))]
    assert "cmo" not in [r.role for r in rows]  # filled roles are not hiring needs


def test_ledgerly_hiring_order_with_four_vacancies_at_once() -> None:
    rows = _plan(LEDGERLY).hiring
    # Budget 19,000. demand-gen: 10,500 (55.26 %) + 5 phases × 5 = 80.26;
    # content-marketer: 3,300 (17.37 %) + 6 × 5 = 47.37; partnerships: 1,200 (6.32 %) + 5.
    # product-marketer (priority 1, needed 10-11 with its own 75 days: 07-28) before
    # design-agency (needed 09-06 with 21 days: 08-16): same tier and score, earlier hire-by
    # first. sdr needed 11-18 (60 days: 09-19): P2. With four vacancies at once nobody waits:
    # on 08-16 the demand-gen manager has started, so three are open when the agency's opens.
    assert [(r.role, r.tier, round(r.score, 2), r.opens.isoformat(), r.starts.isoformat())
            for r in rows] == [
        ("demand-gen-manager", "P1", 80.26, "2027-06-17", "2027-08-16"),
        ("content-marketer", "P1", 47.37, "2027-07-08", "2027-09-06"),
        ("partnerships-manager", "P1", 11.32, "2027-07-08", "2027-09-06"),
        ("product-marketer", "P1", 0.0, "2027-07-28", "2027-10-11"),
        ("design-agency", "P1", 0.0, "2027-08-16", "2027-09-06"),
        ("sdr", "P2", 0.0, "2027-09-19", "2027-11-18"),
    ]
    assert not any(r.late for r in rows)


@pytest.mark.parametrize("needed, tier", [("2027-03-01", "P1"), ("2027-05-30", "P2"),
                                          ("2027-05-31", "P3")])
def test_tier_boundaries(needed: str, tier: str) -> None:
    # launch 2027-03-01: on or before → P1; up to 90 days later (05-30) → P2; later → P3.
    data = playbook(roles=[{"id": "cmo", "title": "CMO", "needed_by": needed}])
    result = validated(data)
    assert build_plan(result.playbook).hiring[0].tier == tier


def test_explicit_priority_replaces_the_tier() -> None:
    data = playbook(roles=[{"id": "cmo", "title": "CMO", "needed_by": "2027-09-01",
                            "priority": 1}])
    assert build_plan(validated(data).playbook).hiring[0].tier == "P1"


def test_crumb_budget_over_six_months() -> None:
    budget = _plan(CRUMB).budget
    assert budget.channel_monthly == 13000
    assert [round(c.share, 2) for c in budget.channels] == [11.54, 46.15, 26.92, 15.38]
    # cmo 8,000 + growth 9,500 + email 60 × 80 = 4,800 + content 12,000 / 3 = 4,000.
    assert [t.monthly for t in budget.team] == [8000, 9500, 4800, 4000]
    assert budget.team_monthly == 26300
    # Horizon 2027-03-01..08-31. The content creator starts 04-05: its 12,000 runs over 3
    # calendar months, 04-05..07-04 = 91 days; April holds 26 of them: 12,000 × 26 / 91.
    assert (budget.horizon.start, budget.horizon.end) == (D("2027-03-01"), D("2027-08-31"))
    april = budget.months[1]
    assert round(april.team, 2) == round(8000 + 9500 + 4800 + 12000 * 26 / 91, 2) == 25728.57
    assert april.one_off == 0 and budget.months[0].one_off == 15000  # the tasting, 03-06
    # Six months of 13,000; team 6 × (8,000 + 9,500 + 4,800) + 12,000; one tasting of 15,000.
    assert budget.channel_total == 78000
    assert round(budget.team_total, 2) == 6 * 22300 + 12000 == 145800
    assert round(budget.total, 2) == 78000 + 145800 + 15000 == 238800
    assert round(budget.headroom, 2) == 250000 - 238800
    assert round(budget.ltv_cac, 2) == 3.33  # 300 / 90
    assert budget.payback_months is None  # no mrr


def test_project_fee_runs_its_own_calendar_months_from_the_start() -> None:
    budget = _plan(LEDGERLY).budget
    agency = next(t for t in budget.team if t.role == "design-agency")
    # Starts 2027-09-06; 4 calendar months: 09-06..2028-01-05 = 25 + 31 + 30 + 31 + 5 = 122
    # days, all inside the 12-month horizon: the whole fee, September holding 25 days of it.
    assert (agency.start, agency.end) == (D("2027-09-06"), D("2028-01-05"))
    assert round(agency.total, 2) == 36000
    september = budget.months[0]
    others = 11000 + 7500 + 75 * 90 + 6800  # head, demand-gen, content, partnerships
    assert round(september.team, 2) == round((others * 25 / 30) + 36000 * 25 / 122, 2)


def _bike_sharing(**budget_keys):
    # A Dutch bike-sharing launch: 70,000 approved for six months from 2027-03-01; email
    # 1,500 and events 1,000 a month; a fractional CMO at 650 a day, two days a week
    # (650 × 2 × 52 ÷ 12 = 5,633.33… a month); a content marketer at 3,000 a month needed on
    # 2027-04-15; a launch event of 4,000 on 2027-04-10 on the events channel.
    return playbook(
        client={"name": "Fietsdeel", "product": "Fietsdeel Zakelijk", "currency": "EUR"},
        channels=[{"id": "email", "name": "Email", "owner": "cmo", "budget": 1500,
                   "kpis": {"cpl": 25}},
                  {"id": "events", "name": "Events", "owner": "cmo", "budget": 1000}],
        messages={"phases": [{"id": "one", "value_proposition": "Ride to work.",
                              "personas": ["buyer"], "channels": ["email", "events"]}]},
        roles=[{"id": "cmo", "title": "Fractional CMO", "kind": "fractional",
                "status": "filled", "cost": {"daily": 650, "days_per_week": 2}},
               {"id": "content", "title": "Content marketer", "reports_to": "cmo",
                "needed_by": "2027-04-15", "cost": {"monthly": 3000}}],
        kpis={"cac": 1500, "ltv": 6000, "cpl": 50, "mrr": 250, "conversion_rate": 0.1},
        budget={"total": 70000, "months": 6,
                "one_off": [{"name": "Launch ride", "amount": 4000, "date": "2027-04-10",
                             "channel": "events"}], **budget_keys})


def test_approved_budget_monthly_table_totals_and_headroom_to_the_cent() -> None:
    budget = build_plan(validated(_bike_sharing()).playbook).budget
    # The content marketer starts 04-15: April charges 16 of its 30 days, 3,000 × 16/30.
    rows = [(r.month.isoformat(), round(r.channels, 2), round(r.team, 2), round(r.one_off, 2),
             round(r.total, 2)) for r in budget.months]
    assert rows == [
        ("2027-03-01", 2500, 5633.33, 0, 8133.33),
        ("2027-04-01", 2500, 7233.33, 4000, 13733.33),   # 5,633.33 + 1,600
        ("2027-05-01", 2500, 8633.33, 0, 11133.33),
        ("2027-06-01", 2500, 8633.33, 0, 11133.33),
        ("2027-07-01", 2500, 8633.33, 0, 11133.33),
        ("2027-08-01", 2500, 8633.33, 0, 11133.33),
    ]
    # Team: 6 × 5,633.33… = 33,800 exactly, plus 1,600 + 4 × 3,000 = 47,400.
    assert (budget.channel_total, round(budget.team_total, 2), budget.one_off_total) == (
        15000, 47400, 4000)
    assert round(budget.total, 2) == 66400 and round(budget.headroom, 2) == 3600
    # The funnel over the six months: email 9,000 ÷ 25 = 360 leads, events 6,000 ÷ 50 (the
    # playbook's CPL) = 120; 480 × 0.1 = 48 customers.
    assert (round(budget.leads, 2), round(budget.customers, 2)) == (480, 48)
    # Media CAC: (15,000 channels + 4,000 of events' one-off) ÷ 48 = 395.83; fully loaded:
    # 66,400 ÷ 48 = 1,383.33; LTV:CAC of the plan 6,000 ÷ 1,383.33 = 4.34; payback
    # 1,383.33 ÷ 250 = 5.53 months.
    assert round(budget.media_cac, 2) == 395.83
    assert round(budget.loaded_cac, 2) == 1383.33
    assert round(budget.plan_ltv_cac, 2) == 4.34
    assert round(budget.payback_months, 2) == 5.53
    # The phase: 14 days of email and events, (2,500 × 14 ÷ 30.4375) = 1,149.90 spent;
    # leads 1,500 × 14 ÷ 30.4375 ÷ 25 + 1,000 × 14 ÷ 30.4375 ÷ 50 = 27.60 + 9.20 = 36.80.
    phase = budget.phases[0]
    assert (round(phase.spend, 2), round(phase.leads, 2), round(phase.customers, 2)) == (
        1149.9, 36.8, 3.68)


def test_a_plan_above_the_approved_total_is_a_warning_naming_both_figures() -> None:
    result = validated(_bike_sharing(total=60000))
    assert [d.message for d in result.diagnostics] == [
        "the plan costs 66,400.00 from 2027-03-01 to 2027-08-31, above the approved "
        "budget.total of 60,000.00"]
    assert result.diagnostics[0].path == "budget.total"


def test_a_one_off_outside_the_horizon_is_a_warning_and_left_out() -> None:
    data = _bike_sharing()
    data["budget"]["one_off"].append({"name": "Autumn fair", "amount": 2500,
                                      "date": "2027-09-15"})
    result = validated(data)
    assert [(d.path, d.message) for d in result.diagnostics] == [
        ("budget.one_off[1].date", "one-off cost 'Autumn fair' on 2027-09-15 is outside the "
                                   "budget's horizon (2027-03-01 to 2027-08-31) and is left out")]
    assert build_plan(result.playbook).budget.one_off_total == 4000


def test_team_cost_is_not_given_when_no_role_has_a_cost() -> None:
    data = _bike_sharing()
    for role in data["roles"]:
        del role["cost"]
    budget = build_plan(validated(data).playbook).budget
    assert budget.team_monthly is None and budget.team_total is None
    assert {r.team for r in budget.months} == {None}
    assert round(budget.total, 2) == 15000 + 4000


def test_a_fully_loaded_cac_above_the_target_is_a_warning() -> None:
    data = _bike_sharing()
    data["kpis"]["cac"] = 1000
    result = validated(data)
    assert [(d.path, d.message) for d in result.diagnostics] == [
        ("kpis.cac", "the plan's fully loaded CAC is 1,383.33 (every cost ÷ 48.0 expected "
                     "customers), above the target cac 1,000.00: the budget, CPL and "
                     "conversion rate given cannot reach it")]


def test_without_budget_months_the_horizon_is_the_message_sequence() -> None:
    data = playbook(channels=[{"id": "email", "name": "Email", "owner": "cmo",
                               "budget": 3100}])
    budget = build_plan(validated(data).playbook).budget
    # One phase of 14 days, 2027-03-01..03-14: 14 of March's 31 days of 3,100 = 1,400.
    assert (budget.horizon.start, budget.horizon.end) == (D("2027-03-01"), D("2027-03-14"))
    assert [(r.month, r.days, r.channels) for r in budget.months] == [
        (D("2027-03-01"), 14, 1400)]


@pytest.mark.parametrize("launch, months, end", [
    ("2027-03-01", 6, "2027-08-31"),   # the format's example
    ("2027-01-31", 1, "2027-02-28"),   # February has no 31st: its last day
    ("2027-01-28", 1, "2027-02-27"),   # the day before the 28th
    ("2027-01-31", 2, "2027-03-30"),   # March has a 31st: the day before it
])
def test_the_horizon_ends_the_day_before_the_same_day_months_later(launch, months,
                                                                   end) -> None:
    data = playbook(launch={"date": launch}, budget={"months": months})
    assert build_plan(validated(data).playbook).budget.horizon.end == D(end)
