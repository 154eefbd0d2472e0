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


def test_a_latin1_byte_in_a_file_with_lone_cr_line_ends_names_its_line(gtmgen, crumb,
                                                                        tmp_path) -> None:
    # Header, row, then the row with 0xE9 (é in Latin-1): the bad byte is on line 3, not 1.
    results = tmp_path / "results.csv"
    results.write_bytes(b"date,channel,spend\r2027-03-01,email,10\r2027-03-02,email,\xe910\r")
    out = tmp_path / "out"
    done = gtmgen("review", crumb, "--results", results, "--format", "md", "--out", out)
    assert done.code == 1
    assert f"{results}:1:1: error: the file is not UTF-8: byte 0xE9 on line 3 " in done.err
    assert not out.exists()
