"""The corpus of bad results files, each read against the crumb playbook beside it: a CSV's
sidecar NAME.expect (a CSV has no comment lines) and a YAML file's first line say where the
error must be reported and which words it must hold (`LINE:COL | words | more words`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmgen.diagnostics import Severity
from gtmgen.results import ResultsProblem, find_results, read_results
from tests.builders import planned
from tests.conftest import CASES

BAD = CASES / "results" / "bad"
FILES = sorted(path for path in BAD.iterdir()
               if path.suffix in (".csv", ".yaml") and path.name != "playbook.yaml")


def _expectation(path: Path) -> tuple[str, list[str]]:
    if path.suffix == ".csv":
        line = path.with_suffix(".expect").read_text(encoding="utf-8").strip()
    else:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# expect: "), path
        line = first[len("# expect: "):]
    place, *words = (part.strip() for part in line.split("|"))
    return place, words


@pytest.fixture(scope="module")
def crumb():
    return planned(BAD / "playbook.yaml")


def test_corpus_is_large_enough() -> None:
    assert len(FILES) >= 24


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_bad_results_file_is_reported_at_its_place(path: Path, crumb) -> None:
    place, words = _expectation(path)
    results, found = read_results(path, *crumb)
    assert results is None
    assert found and all(d.severity is Severity.ERROR and d.file == str(path) for d in found)
    at_place = [d.message for d in found if f"{d.line}:{d.column}" == place]
    assert any(all(word in message for word in words) for message in at_place), found


def test_two_results_files_beside_the_playbook_are_a_located_problem() -> None:
    folder = CASES / "results" / "both"
    with pytest.raises(ResultsProblem) as raised:
        find_results(folder / "playbook.yaml", None)
    problem = raised.value.diagnostic
    assert (problem.file, problem.line, problem.column) == (str(folder / "results.yaml"), 1, 1)
    assert "both results.csv and results.yaml are beside the playbook" in problem.message


def test_a_named_results_file_wins_over_two_beside_the_playbook() -> None:
    folder = CASES / "results" / "both"
    assert find_results(folder / "playbook.yaml", folder / "results.csv") == \
        folder / "results.csv"


def test_at_most_a_hundred_problems_are_listed(tmp_path, crumb) -> None:
    path = tmp_path / "results.csv"
    path.write_text("date,channel\n" + "2027-02-01,email\n" * 150, encoding="utf-8")
    results, found = read_results(path, *crumb)
    # 150 rows before launch, on lines 2…151: the first 100 (lines 2…101) are listed, then
    # one line at line 102 for the other 150 − 100 = 50.
    assert results is None and len(found) == 101
    assert [d.line for d in found[:100]] == list(range(2, 102))
    assert (found[100].line, found[100].message) == (
        102, "50 more problems from here on are not shown; fix the ones above first")
