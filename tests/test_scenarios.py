"""Scenarios and the return per channel, with the figures worked out by hand from the rules in
docs/format.md ("Scenarios and the return per channel") and docs/plan.md."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gtmgen.plan import build_plan
from tests.builders import documents, planned, playbook, validated
from tests.conftest import CRUMB, LEDGERLY

D = dt.date.fromisoformat

# Ledgerly, the playbook as written. Horizon 2027-09-06 to 2028-09-05: 25/30 of September,
# October to August (11 months) and 5/30 of September 2028 = 12 months of every channel.
# Channels a month: linkedin 9,000 (CPL 120) + content 2,500 + webinars 1,500 + email 800 +
# events 4,000 + partner-referrals 1,200 (these five at the playbook's CPL 110) = 19,000.
# Team over the horizon:
#   head-of-marketing (filled) 11,000 × 12                                      = 132,000
#   demand-gen-manager 7,500 × 12 (needed 2027-08-16, before the horizon)          =  90,000
#   content-marketer 75 × 90 = 6,750 × 12 (starts 2027-09-06)                      =  81,000
#   partnerships-manager 6,800 × 12 (starts 2027-09-06)                            =  81,600
#   product-marketer 8,200 × (21/31 + 10 + 5/30) (starts 2027-10-11)              =  88,921.51
#   sdr 4,800 × (13/30 + 9 + 5/30) = 4,800 × 9.6 (starts 2027-11-18)               =  46,080
#   design-agency project 36,000 over 4 months from 2027-09-06 (inside)           =  36,000
#   team                                                                          = 555,601.51
# One-off: summit 24,000 (events) + video 9,500 = 33,500.
BASE_TEAM = 132_000 + 90_000 + 81_000 + 81_600 + 8_200 * (21 / 31 + 10 + 5 / 30) + 46_080 \
    + 36_000
LTV, MRR, RATE = 42_000, 1_750, 0.06


def _by_id(path=LEDGERLY):
    return {s.id: s for s in planned(path)[1].scenarios}


def test_ledgerly_lists_its_three_scenarios_in_order() -> None:
    assert [(s.id, s.name, s.base) for s in planned(LEDGERLY)[1].scenarios] == [
        ("lean", "Lean", False), ("base", "Base", True), ("aggressive", "Aggressive", False)]


def test_ledgerly_base_scenario_is_the_plan_as_written() -> None:
    base = _by_id()["base"]
    # Leads: 9,000 × 12 ÷ 120 = 900, plus 10,000 × 12 ÷ 110 = 1,090.909; customers × 0.06.
    leads = 900 + 120_000 / 110
    customers = leads * RATE  # 119.4545
    total = 19_000 * 12 + BASE_TEAM + 33_500  # 228,000 + 555,601.51 + 33,500 = 817,101.51
    assert base.channel_monthly == pytest.approx(19_000)
    assert base.leads == pytest.approx(1_990.909, abs=1e-3)
    assert base.customers == pytest.approx(119.4545, abs=1e-4) == pytest.approx(customers)
    assert base.team_total == pytest.approx(555_601.51, abs=0.01)
    assert base.total == pytest.approx(817_101.51, abs=0.01) == pytest.approx(total)
    # Media CAC: (228,000 + the summit's 24,000) ÷ 119.4545 = 2,109.59.
    assert base.media_cac == pytest.approx(2_109.59, abs=0.01)
    # Fully loaded: 817,101.51 ÷ 119.4545 = 6,840.27; LTV:CAC 42,000 ÷ 6,840.27 = 6.14;
    # payback 6,840.27 ÷ 1,750 = 3.91 months.
    assert base.loaded_cac == pytest.approx(6_840.27, abs=0.01)
    assert base.plan_ltv_cac == pytest.approx(6.140, abs=1e-3)
    assert base.payback_months == pytest.approx(3.909, abs=1e-3)
    assert base.hires == []
    # And it is the plan of the playbook itself, not a second computation that could drift.
    budget = planned(LEDGERLY)[1].budget
    assert (base.total, base.loaded_cac) == (budget.total, budget.loaded_cac)


def test_ledgerly_lean_cuts_every_channel_by_a_quarter_and_drops_the_sdr() -> None:
    lean = _by_id()["lean"]
    # Channels 19,000 × 0.75 = 14,250 a month, 171,000 over the horizon; CPLs unchanged, so
    # leads = 1,990.909 × 0.75 = 1,493.18 and customers = 89.59.
    assert lean.channel_monthly == pytest.approx(14_250)
    assert lean.channel_total == pytest.approx(171_000)
    assert lean.leads == pytest.approx(1_493.18, abs=0.01)
    assert lean.customers == pytest.approx(89.59, abs=0.01)
    # Team without the SDR: 555,601.51 − 46,080 = 509,521.51.
    assert lean.team_total == pytest.approx(509_521.51, abs=0.01)
    # Total 171,000 + 509,521.51 + 33,500 = 714,021.51; ÷ 89.5909 = 7,969.80 fully loaded
    # (above the 7,000 target); media (171,000 + 24,000) ÷ 89.5909 = 2,176.56.
    assert lean.total == pytest.approx(714_021.51, abs=0.01)
    assert lean.loaded_cac == pytest.approx(7_969.80, abs=0.01)
    assert lean.media_cac == pytest.approx(2_176.56, abs=0.01)
    # LTV:CAC 42,000 ÷ 7,969.80 = 5.27; payback 7,969.80 ÷ 1,750 = 4.55 months.
    assert lean.plan_ltv_cac == pytest.approx(5.270, abs=1e-3)
    assert lean.payback_months == pytest.approx(4.554, abs=1e-3)
    assert [(m.role, m.starts, m.moved_to) for m in lean.hires] == [
        ("sdr", D("2027-11-18"), None)]


def test_ledgerly_aggressive_spends_more_at_dearer_leads_and_hires_the_sdr_first() -> None:
    aggressive = _by_id()["aggressive"]
    # × 1.5: linkedin 13,500, content 3,750, webinars 2,250, email 1,200, partner 1,800;
    # events its own 8,000 (not × 1.5). 13,500 + 3,750 + 2,250 + 1,200 + 8,000 + 1,800 = 30,500.
    assert aggressive.channel_monthly == pytest.approx(30_500)
    assert aggressive.channel_total == pytest.approx(366_000)
    # CPL × 1.2: linkedin 144, the others 132. Leads 13,500 × 12 ÷ 144 = 1,125 plus
    # 17,000 × 12 ÷ 132 = 1,545.45 → 2,670.45; customers × 0.06 = 160.23.
    assert aggressive.leads == pytest.approx(2_670.45, abs=0.01)
    assert aggressive.customers == pytest.approx(160.23, abs=0.01)
    # The SDR is needed at close-in-five (2027-09-06): its vacancy opens 07-08 with three
    # others (demand-gen, content, partnerships), so with four at a time the product marketer
    # (hire-by 07-28) waits for demand-gen's start on 08-16 and starts 08-16 + 75 = 10-30; the
    # design agency (hire-by 08-16) waits for 09-06 and starts 09-06 + 21 = 09-27.
    assert sorted((m.role, m.starts, m.moved_to) for m in aggressive.hires) == [
        ("design-agency", D("2027-09-06"), D("2027-09-27")),
        ("product-marketer", D("2027-10-11"), D("2027-10-30")),
        ("sdr", D("2027-11-18"), D("2027-09-06"))]
    # Team: sdr 4,800 × 12 = 57,600; product-marketer 8,200 × (2/31 + 10 + 5/30) = 83,895.70;
    # the agency's 36,000 still ends inside the horizon (2028-01-26). 132,000 + 90,000 +
    # 81,000 + 81,600 + 83,895.70 + 57,600 + 36,000 = 562,095.70.
    assert aggressive.team_total == pytest.approx(562_095.70, abs=0.01)
    # Total 366,000 + 562,095.70 + 33,500 = 961,595.70; ÷ 160.227 = 6,001.45 fully loaded;
    # media (366,000 + 24,000) ÷ 160.227 = 2,434.04; LTV:CAC 6.998; payback 3.429 months.
    assert aggressive.total == pytest.approx(961_595.70, abs=0.01)
    assert aggressive.loaded_cac == pytest.approx(6_001.45, abs=0.01)
    assert aggressive.media_cac == pytest.approx(2_434.04, abs=0.01)
    assert aggressive.plan_ltv_cac == pytest.approx(6.998, abs=1e-3)
    assert aggressive.payback_months == pytest.approx(3.429, abs=1e-3)


def test_ledgerly_return_per_channel_is_ranked_best_first() -> None:
    roi = planned(LEDGERLY)[1].roi
    assert roi is not None and (roi.value, roi.basis) == (42_000, "ltv")
    # At CPL 110 and 6%: a customer costs 110 ÷ 0.06 = 1,833.33 and brings 42,000, so the
    # return is 42,000 ÷ 1,833.33 − 1 = 21.909 for content, webinars, email and partner
    # referrals (in the playbook's order). LinkedIn at 120: 42,000 × 0.06 ÷ 120 − 1 = 20.
    # Events: 48,000 ÷ 110 × 0.06 = 26.18 customers = 1,099,636.36 against 48,000 + the
    # 24,000 summit: 1,099,636.36 ÷ 72,000 − 1 = 14.27.
    assert [(c.rank, c.channel) for c in roi.channels] == [
        (1, "content"), (2, "webinars"), (3, "email"), (4, "partner-referrals"),
        (5, "linkedin-ads"), (6, "events")]
    returns = {c.channel: c for c in roi.channels}
    assert returns["content"].roi == pytest.approx(21.909, abs=1e-3)
    assert returns["linkedin-ads"].roi == pytest.approx(20.0)
    assert returns["linkedin-ads"].revenue == pytest.approx(54 * 42_000)  # 900 leads × 6%
    assert returns["events"].cost == pytest.approx(72_000)
    assert returns["events"].customers == pytest.approx(26.18, abs=0.01)
    assert returns["events"].roi == pytest.approx(14.27, abs=0.01)
    assert not any(c.below_cost for c in roi.channels)


def test_ledgerly_return_per_phase() -> None:
    roi = planned(LEDGERLY)[1].roi
    assert roi is not None
    first = roi.phases[0]
    # close-in-five: 21 days of linkedin 9,000 + content 2,500 + email 800 = 12,300 a month:
    # 12,300 × 21 ÷ 30.4375 = 8,486.24. Leads 9,000 × 21/30.4375 ÷ 120 + 3,300 × 21/30.4375
    # ÷ 110 = 51.745 + 20.699 = 72.444; × 0.06 = 4.3467 customers × 42,000 = 182,557.70.
    assert first.phase == "close-in-five"
    assert first.cost == pytest.approx(8_486.24, abs=0.01)
    assert first.customers == pytest.approx(4.3467, abs=1e-4)
    assert first.revenue == pytest.approx(182_557.70, abs=0.01)
    assert first.roi == pytest.approx(182_557.70 / 8_486.24 - 1, abs=1e-4)


def test_a_channel_override_replaces_the_multiplier_and_the_rate_can_be_set() -> None:
    data = playbook(
        channels=[{"id": "email", "name": "Email", "owner": "cmo", "budget": 1000},
                  {"id": "ads", "name": "Ads", "owner": "cmo", "budget": 2000,
                   "kpis": {"cpl": 40}}],
        roles=[{"id": "cmo", "title": "CMO", "status": "filled"}],
        kpis={"cpl": 50, "conversion_rate": 0.1, "mrr": 100},
        budget={"months": 1},
        scenarios=[{"id": "more", "name": "More", "budget": 2, "cpl": 1.25,
                    "conversion_rate": 0.2, "channels": {"ads": {"budget": 500, "cpl": 10}}}])
    data["messages"]["phases"][0]["channels"] = ["email", "ads"]
    result = validated(data)
    assert result.ok and result.playbook is not None, result.diagnostics
    plan = build_plan(result.playbook)
    written, more = plan.scenarios  # the playbook as written is added first
    assert (written.id, written.name, written.base) == ("base", "", True)
    # As written, March 2027: email 1,000 ÷ 50 = 20 leads, ads 2,000 ÷ 40 = 50; 70 × 0.1 = 7.
    assert written.customers == pytest.approx(7)
    # More: email 1,000 × 2 = 2,000 at 50 × 1.25 = 62.5 → 32 leads; ads its own 500 at its
    # own 10 → 50 leads; 82 × 0.2 = 16.4 customers; 2,500 ÷ 16.4 = 152.44 CAC.
    assert more.channel_monthly == pytest.approx(2_500)
    assert more.leads == pytest.approx(82)
    assert more.customers == pytest.approx(16.4)
    assert more.loaded_cac == pytest.approx(152.44, abs=0.01)
    # The return's value from mrr: 100 × 1 month; email 20 × 0.1 = 2 customers = 200
    # against 1,000: −80%; ads 5 customers = 500 against 2,000: −75%. Ranked ads first.
    roi = plan.roi
    assert roi is not None and (roi.value, roi.basis, roi.months) == (100, "mrr", 1)
    assert [(c.channel, round(c.roi, 4)) for c in roi.channels] == [
        ("ads", -0.75), ("email", -0.8)]
    assert all(c.below_cost for c in roi.channels)


def test_without_scenarios_the_return_per_channel_is_still_worked_out() -> None:
    # Crumb: no scenarios, ltv 300, cpl 8 (instagram 6, linkedin 40), conversion 0.3, a
    # horizon of 6 whole months; the 15,000 launch tasting names pr.
    # email 1,500 × 6 = 9,000; 9,000 ÷ 8 × 0.3 = 337.5 customers × 300 = 101,250; (101,250 −
    #   9,000) ÷ 9,000 = 10.25
    # instagram 36,000; ÷ 6 × 0.3 = 1,800 customers = 540,000; 14.0
    # linkedin 21,000; ÷ 40 × 0.3 = 157.5 customers = 47,250; 1.25
    # pr 12,000 + 15,000 = 27,000; 12,000 ÷ 8 × 0.3 = 450 customers = 135,000; 4.0
    plan = planned(CRUMB)[1]
    assert plan.scenarios == []
    roi = plan.roi
    assert roi is not None and (roi.value, roi.basis) == (300, "ltv")
    got = [(c.channel, c.rank, round(c.cost, 2), round(c.customers or 0, 2),
            round(c.revenue or 0, 2), round(c.roi or 0, 4)) for c in roi.channels]
    assert got == [("instagram", 1, 36000, 1800, 540000, 14.0),
                   ("email", 2, 9000, 337.5, 101250, 10.25),
                   ("pr", 3, 27000, 450, 135000, 4.0),
                   ("linkedin", 4, 21000, 157.5, 47250, 1.25)]
    assert not any(c.below_cost for c in roi.channels)


def test_plan_json_carries_each_scenario_and_the_return(gtmgen, tmp_path) -> None:
    run = gtmgen("build", LEDGERLY, "--out", tmp_path, "--format", "json")
    assert run.code == 0, run.err
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["scenarios"]] == ["lean", "base", "aggressive"]
    lean = data["scenarios"][0]
    assert (lean["loaded_cac"], lean["total"]) == (7969.8, 714021.51)
    assert lean["hires"] == [{"role": "sdr", "title": "Sales Development Representative",
                              "starts": "2027-11-18", "moved_to": None}]
    assert data["roi"]["channels"][0] == {
        "channel": "content", "name": "Blog and guides", "cost": 30000, "rank": 1,
        "customers": 16.36, "revenue": 687272.73, "roi": 21.91, "below_cost": False}
    # 2,500 × 12 = 30,000; 30,000 ÷ 110 × 0.06 = 16.3636 customers × 42,000 = 687,272.73.


def test_plan_json_without_scenarios_has_the_return_but_no_scenarios(gtmgen, tmp_path) -> None:
    run = gtmgen("build", CRUMB, "--out", tmp_path, "--format", "json")
    assert run.code == 0, run.err
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert "scenarios" not in data
    # instagram first: 1,800 customers × 300 = 540,000 against 36,000 (see above)
    first = data["roi"]["channels"][0]
    assert (first["channel"], first["rank"], first["roi"], first["below_cost"]) == (
        "instagram", 1, 14.0, False)


def test_the_playbook_shows_the_scenarios_side_by_side_and_the_ranked_returns() -> None:
    data = playbook(
        channels=[{"id": "email", "name": "Email", "owner": "cmo", "budget": 1000}],
        roles=[{"id": "cmo", "title": "CMO", "status": "filled"}],
        kpis={"cpl": 50, "conversion_rate": 0.1, "ltv": 900},
        budget={"months": 1},
        scenarios=[{"id": "half", "name": "Half", "budget": 0.5}])
    text = documents(data)["playbook"]
    assert "### Scenarios" in text and "### Return by channel" in text
    assert "| Measure | As written | Half |" in text
    # 1,000 ÷ 50 × 0.1 = 2 customers; half: 1.
    assert "| Customers | 2 | 1 |" in text
    assert "<!-- chart: scenarios | Fully loaded CAC by scenario" in text
    # 2 customers × 900 = 1,800 against 1,000: (1,800 − 1,000) ÷ 1,000 = 80%.
    assert "| 1 | Email | $1,000 | 2 | $1,800 | 80.0% |" in text


def test_without_scenarios_the_playbook_has_no_scenario_section() -> None:
    text = documents(playbook(kpis={"cpl": 50, "conversion_rate": 0.1, "ltv": 900}))["playbook"]
    assert "Scenarios" not in text and "Return by channel" in text
    # Without ltv or mrr there is no value to set against the cost: no return section either.
    text = documents(playbook(kpis={"cpl": 50, "conversion_rate": 0.1}))["playbook"]
    assert "Return by channel" not in text


def test_the_scenario_chart_says_which_scenario_costs_least_and_most(gtmgen, tmp_path) -> None:
    # Worked above: aggressive 6,001.45, base 6,840.27, lean 7,969.80 per customer.
    run = gtmgen("build", LEDGERLY, "--format", "md", "--out", tmp_path)
    assert run.code == 0, run.err
    assert ("|| The fully loaded CAC of each scenario, from €6,001 (Aggressive) to €7,970 "
            "(Lean). -->") in (tmp_path / "playbook.md").read_text(encoding="utf-8")
