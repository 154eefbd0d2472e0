"""The corpus of bad playbooks: each file's first line says where the error must be reported
and which words the message must contain (`# expect: LINE:COL | words | more words`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CASES

BAD = sorted((CASES / "bad").glob("*.yaml"))


def _expectation(path: Path) -> tuple[str, list[str]]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8-sig")
    assert first.startswith("# expect: "), path
    place, *words = (part.strip() for part in first[len("# expect: "):].split("|"))
    return place, words


def test_corpus_is_large_enough() -> None:
    assert len(BAD) >= 35


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_playbook_is_reported_at_its_place(path: Path, gtmgen) -> None:
    place, words = _expectation(path)
    run = gtmgen("validate", path)
    assert run.code == 1
    assert "Traceback" not in run.err
    prefix = f"{path}:{place}: error: "
    lines = [line for line in run.err.splitlines() if line.startswith(prefix)]
    assert lines, f"no error at {place}; got:\n{run.err}"
    assert any(all(word in line for word in words) for line in lines), run.err
