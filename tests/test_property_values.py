"""Random values of every scalar type in every field of the example: a build ends with its
outputs (exit 0) or with located errors (exit 1), never with an internal error (exit 70)."""

from __future__ import annotations

import copy
import datetime as dt
import os
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gtmgen.load import load_bytes
from tests.conftest import CRUMB

EXAMPLE = load_bytes(CRUMB.read_bytes(), "crumb")[0].data  # plain text scalars


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [path, *(p for k, v in node.items() for p in _leaves(v, (*path, k)))]
    if isinstance(node, list):
        return [path, *(p for i, v in enumerate(node) for p in _leaves(v, (*path, i)))]
    return [path]


PATHS = [p for p in _leaves(EXAMPLE) if p]
SPELLINGS = ["tbd", "", "~", "1e309", "-0", "0", "-1", "9999-12-31", "0001-01-01", "2027-02-30",
             "1.000", "4.000", "1,5", "NaN", ".inf", "3m", "0m", "yes", "null", "1e-320",
             "99999999999999999999", "€4000", "35%", "mon", "P1", "a" * 300, "\u202e", "[]"]
SCALARS = st.one_of(
    st.integers(-10**20, 10**20), st.floats(), st.text(max_size=20), st.booleans(), st.none(),
    st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(SPELLINGS),
    st.lists(st.integers(-5, 400), max_size=3), st.dictionaries(st.text(max_size=5),
                                                               st.integers(), max_size=2))


@st.composite
def edited(draw: st.DrawFn) -> bytes:
    data = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = draw(SCALARS)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit replaced a container on the way
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


def _build(gtmgen, tmp_path, raw: bytes, *options: str) -> None:
    path = tmp_path / "edited.yaml"
    path.write_bytes(raw)
    run = gtmgen("build", path, "--out", tmp_path / "out", *options)
    assert run.code in (0, 1), run.err
    assert "internal error" not in run.err and "Traceback" not in run.err


@settings(max_examples=int(os.environ.get("GTMGEN_PROPERTY_EXAMPLES", "120")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=edited())
def test_random_values_never_crash_a_build(raw: bytes, gtmgen, tmp_path) -> None:
    _build(gtmgen, tmp_path, raw, "--format", "md,json,csv,ics")


@settings(max_examples=int(os.environ.get("GTMGEN_PROPERTY_CHART_EXAMPLES", "15")),
          deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=edited())
def test_random_values_never_crash_the_charts(raw: bytes, gtmgen, tmp_path) -> None:
    _build(gtmgen, tmp_path, raw, "--format", "docx,html", "--doc", "playbook")
