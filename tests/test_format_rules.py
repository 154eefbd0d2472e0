"""Points of the format settled where it was open: needed_by that looks like a date, phase ids
shaped like dates, review offsets in days or months, and which phase a milestone belongs to.
Dates are worked out by hand from PLAYBOOK-FORMAT.md."""

from __future__ import annotations

import datetime as dt

import pytest

from gtmgen.plan import build_plan
from gtmgen.types import review_date
from tests.builders import phase, playbook, validated

D = dt.date.fromisoformat


def _plan(data):
    result = validated(data)
    assert result.ok and result.playbook is not None, result.diagnostics
    return build_plan(result.playbook)


def _errors(data) -> list[str]:
    return [d.message for d in validated(data).diagnostics if d.severity == "error"]


def _two_phases(second_id: str) -> dict:
    # 'one' runs 2027-03-01..03-14, the second 03-15..03-28 (two weeks each).
    return {"phases": [phase("one", "Faster answers."), phase(second_id, "Fewer errors.")]}


def test_needed_by_that_is_a_phase_id_shaped_like_a_date_is_that_phase() -> None:
    # The phase called '2027-05-01' starts on 2027-03-15; needed_by names the phase, not May.
    data = playbook(messages=_two_phases("2027-05-01"),
                    roles=[{"id": "cmo", "title": "CMO", "needed_by": "2027-05-01"}])
    row = _plan(data).hiring[0]
    assert (row.needed_by, row.needed_source, row.needed_phase) == (
        D("2027-03-15"), "phase", "2027-05-01")


def test_needed_by_that_is_a_date_and_no_phase_id_is_the_date() -> None:
    data = playbook(messages=_two_phases("two"),
                    roles=[{"id": "cmo", "title": "CMO", "needed_by": "2027-05-01"}])
    row = _plan(data).hiring[0]
    assert (row.needed_by, row.needed_source) == (D("2027-05-01"), "date")


def test_a_phase_id_shaped_like_an_impossible_date_is_a_valid_id() -> None:
    data = playbook(messages=_two_phases("2027-02-30"),
                    roles=[{"id": "cmo", "title": "CMO", "needed_by": "2027-02-30"}])
    assert _errors(data) == []
    assert _plan(data).hiring[0].needed_by == D("2027-03-15")


def test_an_impossible_date_that_is_no_phase_id_is_an_error() -> None:
    data = playbook(roles=[{"id": "cmo", "title": "CMO", "needed_by": "2027-02-30"}])
    assert _errors(data) == ["'2027-02-30' is not a real date, and no phase has this id"]


def test_needed_by_neither_id_nor_date_says_what_it_expects() -> None:
    data = playbook(roles=[{"id": "cmo", "title": "CMO", "needed_by": "1 May"}])
    assert _errors(data) == ["expected a phase id or a date as YYYY-MM-DD, found '1 May'"]


@pytest.mark.parametrize("launch, offset, expected", [
    ("2027-03-01", "90", "2027-05-30"),    # March 31 - 1 = 30 days left + 30 in April + 30
    ("2027-03-01", "3m", "2027-06-01"),    # the same day of the month
    ("2027-01-31", "1m", "2027-02-28"),    # February is shorter: its last day
    ("2028-01-31", "1m", "2028-02-29"),    # a leap year's February
    ("2027-08-31", "6m", "2028-02-29"),
    ("2027-11-15", "12m", "2028-11-15"),   # across the year
    ("2027-03-01", "0", "2027-03-01"),
])
def test_review_offsets_in_days_and_calendar_months(launch: str, offset: str,
                                                   expected: str) -> None:
    assert review_date(D(launch), offset) == D(expected)


def test_month_reviews_land_on_the_calendar() -> None:
    # Launch Monday 2027-03-01; 3m is Tuesday 2027-06-01, 6m is Wednesday 2027-09-01.
    data = playbook(launch={"date": "2027-03-01", "reviews": ["3m", "6m", "365"]})
    milestones = {e.ref: e.date for e in _plan(data).calendar if e.kind == "milestone"}
    assert milestones == {"launch": D("2027-03-01"), "review-3m": D("2027-06-01"),
                          "review-6m": D("2027-09-01"),
                          "review-365": D("2028-02-29")}  # 2028 is a leap year, a Tuesday


def test_a_repeated_review_offset_is_an_error_at_the_repeated_value() -> None:
    # Dumped as YAML: gtmgen (1), client (2-4), launch (5), date (6), reviews (7), then one
    # offset a line: 90 on line 8, 180 on 9, 90 again on 10 at column 5 ("  - 90").
    result = validated(playbook(launch={"date": "2027-03-01", "reviews": [90, 180, 90]}))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [(d.line, d.column, d.path, d.message) for d in errors] == [
        (10, 5, "launch.reviews[2]", "the review 90 after launch is listed twice (first at "
                                     "line 8); list each review once")]


def test_milestones_and_hiring_events_belong_to_the_phase_holding_their_date() -> None:
    # Phases 03-01..03-14 and 03-15..03-28. Review at 20 days: 03-21 (a Sunday) → Monday
    # 03-22, inside the second phase; at 90 days 05-30, outside every phase. The CMO needed
    # on 03-15 with 10 days of lead opens on 03-05 (a Friday), inside the first phase.
    data = playbook(launch={"date": "2027-03-01", "reviews": [20, 90], "hiring_lead_days": 10},
                    messages=_two_phases("two"),
                    roles=[{"id": "cmo", "title": "CMO", "needed_by": "two"}])
    events = {e.key: (e.date, e.phase) for e in _plan(data).calendar
              if e.kind in ("milestone", "hiring")}
    assert events == {
        "milestone/launch": (D("2027-03-01"), "one"),
        "milestone/review-20": (D("2027-03-22"), "two"),
        "milestone/review-90": (D("2027-05-31"), None),  # Sunday 05-30 → Monday
        "hiring/cmo/open": (D("2027-03-05"), "one"),
        "hiring/cmo/start": (D("2027-03-15"), "two"),
    }
