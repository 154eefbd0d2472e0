"""The Dutch example (playbooks/fietsdeel): a bike-sharing B2B launch with €60,000 approved
for six months, a fractional CMO one day a week, and two hires in order. Figures by hand."""

from __future__ import annotations

import datetime as dt

from gtmgen.build import Options, build
from tests.builders import planned
from tests.conftest import ROOT
from tests.test_locales import assert_no_english_label, outputs_text

FIETSDEEL = ROOT / "playbooks" / "fietsdeel" / "playbook.yaml"
D = dt.date.fromisoformat


def test_the_budget_fits_the_approved_sixty_thousand() -> None:
    budget = planned(FIETSDEEL)[1].budget
    # Six months from 2027-03-01. Channels 1,500 + 200 + 600 + 300 = 2,600 a month: 15,600.
    # CMO 700 × 1 day × 52 ÷ 12 = 3,033.33… a month: 18,200. Content marketer 2,000 from
    # 03-01: 12,000. Salesontwikkelaar 35 × 60 = 2,100 a month from 05-03: May 29/31 of it
    # (1,964.52) and June to August (6,300). The launch event: 4,000 in March.
    assert budget.channel_total == 15600
    assert round(budget.team_total, 2) == round(18200 + 12000 + 2100 * 29 / 31 + 6300, 2)
    assert round(budget.total, 2) == 58064.52
    assert round(budget.headroom, 2) == 1935.48


def test_two_hires_one_vacancy_at_a_time() -> None:
    rows = planned(FIETSDEEL)[1].hiring
    # Contentmarketeer: needed at launch (03-01), 45 days: opens 01-15. Salesontwikkelaar:
    # needed 05-03, opens 03-19, after the first vacancy closed on 03-01: on time.
    assert [(r.role, r.opens, r.starts, r.late) for r in rows] == [
        ("content-marketeer", D("2027-01-15"), D("2027-03-01"), False),
        ("sales-ontwikkelaar", D("2027-03-19"), D("2027-05-03"), False)]


def test_everything_a_reader_sees_is_dutch(tmp_path) -> None:
    result = build(FIETSDEEL, tmp_path / "out",
                   Options(formats=("md", "json", "csv", "ics")))
    assert result.validation.ok and result.diagnostics == []
    text = outputs_text(tmp_path / "out")
    assert_no_english_label(text, "nl", FIETSDEEL)
    assert "Vacature openen: Contentmarketeer" in text


def test_the_calendar_is_named_in_dutch(tmp_path) -> None:
    build(FIETSDEEL, tmp_path / "out", Options(formats=("ics",)))
    raw = (tmp_path / "out" / "launch-calendar.ics").read_bytes()
    assert b"NAME:Fietsdeel B.V.: lancering van Fietsdeel Zakelijk\r\n" in raw
