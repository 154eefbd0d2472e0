"""Warnings: reported at their place, exit 0 on their own, exit 1 under --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_bad_playbooks import CASES, _expectation

WARN = sorted((CASES / "warn").glob("*.yaml"))
GOOD = sorted((CASES / "good").glob("*.yaml"))


@pytest.mark.parametrize("path", WARN, ids=[p.stem for p in WARN])
def test_warning_is_reported_at_its_place_and_does_not_fail(path: Path, gtmgen) -> None:
    place, words = _expectation(path)
    run = gtmgen("validate", path)
    assert run.code == 0
    lines = [line for line in run.err.splitlines()
             if line.startswith(f"{path}:{place}: warning: ")]
    assert any(all(word in line for word in words) for line in lines), run.err
    assert "1 warning" in run.out


@pytest.mark.parametrize("path", WARN, ids=[p.stem for p in WARN])
def test_strict_turns_the_warning_into_an_error(path: Path, gtmgen) -> None:
    place, _ = _expectation(path)
    run = gtmgen("validate", "--strict", path)
    assert run.code == 1
    assert f"{path}:{place}: error: " in run.err


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_playbook_is_valid_without_warnings(path: Path, gtmgen) -> None:
    run = gtmgen("validate", "--strict", path)
    assert (run.code, run.err) == (0, "")
    assert run.out.endswith("0 warnings\n")
