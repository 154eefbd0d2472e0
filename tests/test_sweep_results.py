"""Hostile and careless inputs to the results file, `gtmgen review` and playbooks in several
languages: each ends in a located error (or a usage error) with nothing written, never a
traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CRUMB

RESULTS = CRUMB.parent / "results.csv"


@pytest.fixture
def reviewed(crumb: Path) -> Path:
    """The crumb example with its results file beside it."""
    shutil.copy(RESULTS, crumb.parent / "results.csv")
    return crumb


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-30", "0001-01-01", "2200-01-01"])
def test_a_review_day_outside_the_planned_years_is_a_usage_error(gtmgen, reviewed, tmp_path,
                                                                day) -> None:
    # 9999-12-31 + 1 day overflowed the date type; the years a playbook may use are 1900-2199.
    out = tmp_path / "out"
    done = gtmgen("review", reviewed, "--as-of", day, "--format", "md", "--out", out)
    assert done.code == 2
    assert f"'{day}' is outside the years gtmgen plans for (1900 to 2199)" in done.err
    assert not out.exists()
