"""Each cadence and each way an event moves off a non-working day, worked out by hand."""

from __future__ import annotations

import datetime as dt

from gtmgen.plan import build_plan
from tests.builders import phase, playbook, validated

D = dt.date.fromisoformat


def _dates(data, channel="email"):
    result = validated(data)
    assert result.ok, result.diagnostics
    plan = build_plan(result.playbook)
    return plan, [(e.date, e.phase) for e in plan.calendar
                  if e.channel == channel and e.kind == "activity"]


def test_biweekly_takes_every_second_matching_day_from_the_first() -> None:
    data = playbook(
        channels=[{"id": "email", "name": "Email", "cadence": "biweekly", "weekdays": ["wed"]}],
        messages={"phases": [phase("one", "Faster.", weeks=3)]})
    _, got = _dates(data)
    # Wednesdays of 03-01..03-21: 03, 10, 17; every second from the first.
    assert got == [(D("2027-03-03"), "one"), (D("2027-03-17"), "one")]


def test_monthly_is_the_first_day_of_each_month_inside_a_phase() -> None:
    data = playbook(
        launch={"date": "2027-03-22"},
        channels=[{"id": "email", "name": "Email", "cadence": "monthly"}],
        messages={"phases": [phase("one", "Faster.", weeks=3), phase("two", "Cheaper.",
                                                                      weeks=3)]})
    _, got = _dates(data)
    # one: 03-22..04-11, two: 04-12..05-02. March → 03-22; April → 04-01 (in one);
    # May → Saturday 05-01: the next workday (Monday 05-03) leaves 'two', so Friday 04-30.
    assert got == [(D("2027-03-22"), "one"), (D("2027-04-01"), "one"),
                   (D("2027-04-30"), "two")]


def test_twice_weekly_defaults_to_first_weekday_and_three_days_later() -> None:
    data = playbook(
        launch={"date": "2027-03-02"},
        channels=[{"id": "email", "name": "Email", "cadence": "twice-weekly"}],
        messages={"phases": [phase("one", "Faster.")]})
    _, got = _dates(data)
    # The phase starts on a Tuesday: Tuesdays and Fridays of 03-02..03-15.
    assert [d for d, _ in got] == [D("2027-03-02"), D("2027-03-05"), D("2027-03-09"),
                                   D("2027-03-12")]


def test_phase_starting_on_saturday_goes_live_on_monday() -> None:
    data = playbook(
        launch={"date": "2027-03-06"},
        channels=[{"id": "email", "name": "Email", "cadence": "per-phase"}],
        messages={"phases": [phase("one", "Faster.")]})
    plan, got = _dates(data)
    by_key = {e.key: e for e in plan.calendar}
    assert by_key["phase-start/one"].date == D("2027-03-08")
    assert by_key["milestone/launch"].date == D("2027-03-08")
    assert by_key["review/one"].date == D("2027-03-19")  # 03-06..03-19 ends on a Friday
    assert got == [(D("2027-03-08"), "one")]


def test_moves_stay_inside_the_phase_and_land_once_per_day() -> None:
    data = playbook(
        channels=[{"id": "email", "name": "Email", "cadence": "twice-weekly",
                   "weekdays": ["sat", "sun"]}],
        messages={"phases": [phase("one", "Faster.")]})
    _, got = _dates(data)
    # Sat 03-06 and Sun 03-07 both move to Mon 03-08 (once); Sat 03-13 and Sun 03-14 would
    # move to Mon 03-15, outside the phase, so both go back to Fri 03-12 (once).
    assert got == [(D("2027-03-08"), "one"), (D("2027-03-12"), "one")]


def test_daily_skips_non_working_days_without_moving() -> None:
    data = playbook(
        launch={"date": "2027-03-01", "blackout": ["2027-03-03"]},
        channels=[{"id": "email", "name": "Email", "cadence": "daily"}],
        messages={"phases": [phase("one", "Faster.")]})
    _, got = _dates(data)
    assert [d.day for d, _ in got] == [1, 2, 4, 5, 8, 9, 10, 11, 12]
