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


def test_crumb_rationale_in_words() -> None:
    rows = _plan(CRUMB).hiring
    assert rows[0].rationale == (
        "Owns Instagram (organic + paid), LinkedIn ads and posts, 73% of the channel budget, "
        "used in 4 phases; needed by 2027-03-01 (first phase using its channels, "
        "'fresh-in-minutes').")
    assert rows[2].rationale == ("Owns no channel; needed by 2027-04-05 (start of phase "
                                 "'gift-moments').")


def test_ledgerly_hiring_order() -> None:
    rows = _plan(LEDGERLY).hiring
    # Budget 19,000. demand-gen: 10,500 (55.26 %) + 5 phases × 5 = 80.26;
    # content-marketer: 3,300 (17.37 %) + 6 × 5 = 47.37; partnerships: 1,200 (6.32 %) + 5.
    # design-agency (P1, needed 08-23, hire by 06-24) before product-marketer (priority 1,
    # hire by 08-12): same tier and score, earlier hire-by first. sdr needed 11-18: P2.
    assert [(r.role, r.tier, round(r.score, 2), r.hire_by.isoformat()) for r in rows] == [
        ("demand-gen-manager", "P1", 80.26, "2027-06-17"),
        ("content-marketer", "P1", 47.37, "2027-07-08"),
        ("partnerships-manager", "P1", 11.32, "2027-07-08"),
        ("design-agency", "P1", 0.0, "2027-06-24"),
        ("product-marketer", "P1", 0.0, "2027-08-12"),
        ("sdr", "P2", 0.0, "2027-09-19"),
    ]


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


def test_crumb_budget() -> None:
    budget = _plan(CRUMB).budget
    assert budget.channel_monthly == 13000
    assert [round(c.share, 2) for c in budget.channels] == [11.54, 46.15, 26.92, 15.38]
    # cmo 8,000 + growth 9,500 + email 60 × 80 = 4,800 + content 12,000 / 3 = 4,000.
    assert [t.monthly for t in budget.team] == [8000, 9500, 4800, 4000]
    assert budget.team_monthly == 26300
    # 03-01..05-05 is 66 days = 66 / 30.4375 = 2.1684 average months.
    assert budget.sequence_days == 66
    assert round(budget.channel_total, 2) == round(13000 * 66 / 30.4375, 2)
    assert round(budget.ltv_cac, 2) == 3.57  # 150 / 42
    assert round(budget.leads_per_month) == 650  # 13,000 / 20
    assert budget.payback_months is None


def test_project_cost_is_paid_for_its_own_months_at_most() -> None:
    budget = _plan(LEDGERLY).budget
    agency = next(t for t in budget.team if t.role == "design-agency")
    # 09-06..12-15 is 101 days = 3.32 months, under the project's 4 months.
    assert round(agency.months, 2) == 3.32
