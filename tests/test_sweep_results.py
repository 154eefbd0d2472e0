"""Hostile and careless inputs to the results file, `gtmgen review` and playbooks in several
languages: each ends in a located error (or a usage error) with nothing written, never a
traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

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


def _several_languages(tmp_path: Path, locales: list[str], product: object) -> Path:
    """The crumb example in several languages, its product given as `product`."""
    data = yaml.safe_load(CRUMB.read_text(encoding="utf-8"))
    data["client"].pop("locale", None)
    data["client"]["locales"] = locales
    data["client"]["product"] = product
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_a_locale_listed_twice_is_an_error_at_the_second(gtmgen, tmp_path) -> None:
    # [en, en] built one locale without folders, as if locales were not given.
    path = _several_languages(tmp_path, ["en", "nl", "en"], "Cookies")
    first = _line_of(path, "  - en")
    out = tmp_path / "out"
    done = gtmgen("build", path, "--format", "md", "--out", out)
    assert done.code == 1
    # safe_dump writes the list one entry a line: en, nl, en, the second en two lines down.
    assert (f"{path}:{first + 2}:5: error: the locale en is listed twice (first at line "
            f"{first}); list each locale once") in done.err
    assert not out.exists()


def test_an_empty_primary_text_is_no_primary_text(gtmgen, tmp_path) -> None:
    path = _several_languages(tmp_path, ["en", "nl"], {"en": "", "nl": "Koekjes"})
    out = tmp_path / "out"
    done = gtmgen("build", path, "--format", "md", "--out", out)
    assert done.code == 1
    line = _line_of(path, "en: ''")
    assert (f"{path}:{line}:5: error: no 'en' text: a text in several "
            "languages gives the primary locale") in done.err
    assert not out.exists()


def test_an_empty_translation_shows_the_primary_text_as_its_warning_says(gtmgen,
                                                                         tmp_path) -> None:
    # {en: Cookies, nl: ""}: the warning promises the en text in the nl documents; they
    # showed no product at all.
    path = _several_languages(tmp_path, ["en", "nl"], {"en": "Cookies", "nl": ""})
    out = tmp_path / "out"
    done = gtmgen("build", path, "--format", "md", "--out", out)
    assert done.code == 0
    assert "warning: no nl text here: the nl documents show the en text" in done.err
    cover = (out / "nl" / "playbook.md").read_text(encoding="utf-8").splitlines()
    assert "**Product:** Cookies  " in cover
