"""The launch calendar, checked day by day against dates worked out by hand from the format's
rules (PLAYBOOK-FORMAT, "The dated launch calendar")."""

from __future__ import annotations

import datetime as dt

import yaml

from gtmgen.plan import build_plan
from gtmgen.plan.calendar import EventKind
from tests.builders import planned, validated
from tests.conftest import CASES, CRUMB

D = dt.date.fromisoformat

# Crumb: launch Monday 2027-03-01; Mon–Fri; US holidays; blackout Friday 2027-04-02.
# Phases: fresh-in-minutes 03-01..03-14, office-rituals 03-15..04-04,
# gift-moments 04-05..04-18, price-per-cookie 04-19..05-05 (17 days).
# Channels: email weekly on Tuesday, instagram twice-weekly Monday and Thursday,
# linkedin weekly on Wednesday, pr once per phase. Phase channels: 1 email, instagram, pr;
# 2 email, linkedin; 3 email, instagram, pr; 4 email, instagram.
# Readiness (default): the brief 10 workdays before a phase starts, each channel's assets 5
# and its set-up 2. Counting back from Monday 03-01 skips Presidents' Day (Monday 02-15);
# from Monday 04-05 the blackout Friday 04-02.
R = "readiness"
CRUMB_CALENDAR = [
    ("2027-01-15", "hiring", "email-manager"),       # 03-01 minus 45 days, a Friday
    ("2027-01-15", "hiring", "growth-lead"),
    ("2027-02-12", R, "fresh-in-minutes"),           # brief: 10 workdays before 03-01
    ("2027-02-19", "hiring", "content-creator"),     # 04-05 minus 45 days
    ("2027-02-22", R, "fresh-in-minutes"),           # assets: email, instagram, pr
    ("2027-02-22", R, "fresh-in-minutes"),
    ("2027-02-22", R, "fresh-in-minutes"),
    ("2027-02-25", R, "fresh-in-minutes"),           # set-up: email, instagram, pr
    ("2027-02-25", R, "fresh-in-minutes"),
    ("2027-02-25", R, "fresh-in-minutes"),
    ("2027-03-01", "phase-start", "fresh-in-minutes"),
    ("2027-03-01", "activity", "instagram"),
    ("2027-03-01", "activity", "pr"),
    ("2027-03-01", "milestone", "launch"),
    ("2027-03-01", "hiring", "email-manager"),
    ("2027-03-01", "hiring", "growth-lead"),
    ("2027-03-01", R, "office-rituals"),             # brief: 10 workdays before 03-15
    ("2027-03-02", "activity", "email"),
    ("2027-03-04", "activity", "instagram"),
    ("2027-03-08", "activity", "instagram"),
    ("2027-03-08", R, "office-rituals"),             # assets: email, linkedin
    ("2027-03-08", R, "office-rituals"),
    ("2027-03-09", "activity", "email"),
    ("2027-03-11", "activity", "instagram"),
    ("2027-03-11", R, "office-rituals"),             # set-up: email, linkedin
    ("2027-03-11", R, "office-rituals"),
    ("2027-03-12", "review", "fresh-in-minutes"),    # last day Sunday 03-14 → Friday
    ("2027-03-15", "phase-start", "office-rituals"),
    ("2027-03-15", "partner", "shop-platform"),
    ("2027-03-16", "activity", "email"),
    ("2027-03-17", "activity", "linkedin"),
    ("2027-03-19", R, "gift-moments"),               # brief: 10 workdays before 04-05
    ("2027-03-23", "activity", "email"),
    ("2027-03-24", "activity", "linkedin"),
    ("2027-03-26", R, "gift-moments"),               # assets: email, instagram, pr
    ("2027-03-26", R, "gift-moments"),
    ("2027-03-26", R, "gift-moments"),
    ("2027-03-30", "activity", "email"),
    ("2027-03-31", "activity", "linkedin"),
    ("2027-03-31", R, "gift-moments"),               # set-up: email, instagram, pr
    ("2027-03-31", R, "gift-moments"),
    ("2027-03-31", R, "gift-moments"),
    ("2027-04-01", "review", "office-rituals"),      # 04-04 Sun, 04-03 Sat, 04-02 blackout
    ("2027-04-05", "phase-start", "gift-moments"),
    ("2027-04-05", "activity", "instagram"),
    ("2027-04-05", "activity", "pr"),
    ("2027-04-05", "partner", "coffee-roaster"),
    ("2027-04-05", "hiring", "content-creator"),
    ("2027-04-05", R, "price-per-cookie"),           # brief: 10 workdays before 04-19
    ("2027-04-06", "activity", "email"),
    ("2027-04-08", "activity", "instagram"),
    ("2027-04-12", "activity", "instagram"),
    ("2027-04-12", R, "price-per-cookie"),           # assets: email, instagram
    ("2027-04-12", R, "price-per-cookie"),
    ("2027-04-13", "activity", "email"),
    ("2027-04-15", "activity", "instagram"),
    ("2027-04-15", R, "price-per-cookie"),           # set-up: email, instagram
    ("2027-04-15", R, "price-per-cookie"),
    ("2027-04-16", "review", "gift-moments"),        # last day Sunday 04-18 → Friday
    ("2027-04-19", "phase-start", "price-per-cookie"),
    ("2027-04-19", "activity", "instagram"),
    ("2027-04-20", "activity", "email"),
    ("2027-04-22", "activity", "instagram"),
    ("2027-04-26", "activity", "instagram"),
    ("2027-04-27", "activity", "email"),
    ("2027-04-29", "activity", "instagram"),
    ("2027-05-03", "activity", "instagram"),
    ("2027-05-04", "activity", "email"),
    ("2027-05-05", "review", "price-per-cookie"),    # a Wednesday, a workday
    ("2027-06-01", "milestone", "review-3m"),        # 3 months: 06-01, a Tuesday
    ("2027-09-01", "milestone", "review-6m"),        # a Wednesday
    ("2028-03-01", "milestone", "review-12m"),       # the anniversary, a Wednesday
]


def test_crumb_calendar_day_by_day() -> None:
    _, plan = planned(CRUMB)
    got = [(e.date.isoformat(), str(e.kind), e.ref) for e in plan.calendar]
    assert got == CRUMB_CALENDAR


def test_blackout_moves_the_office_rituals_review_to_thursday() -> None:
    _, plan = planned(CRUMB)
    review = next(e for e in plan.calendar if e.key == "review/office-rituals")
    # The review is held on the phase's last workday, which the blackout makes Thursday.
    assert review.date == D("2027-04-01")
    assert plan.workdays.day_off(D("2027-04-02")) == ("blackout", None)
    assert plan.workdays.day_off(D("2027-04-03")) == ("weekday", None)


def test_90_day_review_skips_a_weekend_and_memorial_day() -> None:
    data = yaml.safe_load(CRUMB.read_text(encoding="utf-8"))
    data["launch"]["reviews"] = [90]
    plan = build_plan(validated(data).playbook)
    review = next(e for e in plan.calendar if e.key == "milestone/review-90")
    assert (review.planned, review.date) == (D("2027-05-30"), D("2027-06-01"))
    assert review.phase is None
    # It moved off Sunday 05-30: the reason is the planned day's (a weekday off).
    assert (review.day_off, review.holiday) == ("weekday", None)
    assert plan.workdays.day_off(D("2027-05-31")) == ("holiday", "Memorial Day")


def test_events_carry_phase_channel_personas_and_owner() -> None:
    _, plan = planned(CRUMB)
    by_key = {e.key: e for e in plan.calendar}
    email = by_key["activity/office-rituals/email/1"]
    # Of the phase's personas only Olivia lists email among her channels.
    assert (email.phase, email.channel, email.personas, email.owner) == (
        "office-rituals", "email", ("office-manager",), "email-manager")
    partner = by_key["partner/coffee-roaster/1"]
    assert (partner.phase, partner.owner) == ("gift-moments", "email-manager")
    # The content creator's vacancy is owned by the role it reports to, the growth lead.
    hire = by_key["hiring/content-creator/open"]
    assert (hire.date, hire.phase, hire.owner) == (D("2027-02-19"), None, "growth-lead")
    start = by_key["phase-start/gift-moments"]
    assert start.personas == ("weekend-parent", "office-manager")


def test_weekly_activity_on_public_holiday_moves_to_next_workday_and_daily_skips_it() -> None:
    _, plan = planned(CASES / "plan" / "nl-kings-day.yaml")
    weekly = [e.date for e in plan.calendar if e.channel == "newsletter" and e.kind == "activity"]
    daily = [e.date for e in plan.calendar if e.channel == "stories" and e.kind == "activity"]
    assert plan.workdays.day_off(D("2027-04-27")) == ("holiday", "King's Day")
    assert weekly == [D("2027-04-20"), D("2027-04-28")]
    assert daily == [D(f"2027-04-{day}") for day in (19, 20, 21, 22, 23, 26, 28, 29, 30)]


def test_kinds_sort_in_the_format_order_on_one_day() -> None:
    _, plan = planned(CRUMB)
    launch_day = [str(e.kind) for e in plan.calendar if e.date == D("2027-03-01")]
    assert launch_day == ["phase-start", "activity", "activity", "milestone", "hiring", "hiring",
                          "readiness"]
    assert list(EventKind) == ["phase-start", "activity", "partner", "review", "milestone",
                               "hiring", "readiness"]
