"""Random edits of the example never crash gtmgen: exit 0 or 1, every message located."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CRUMB

EXAMPLE = CRUMB.read_bytes()
LINES = EXAMPLE.splitlines(keepends=True)
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): "
                     r"(?P<severity>error|warning): \S")


@st.composite
def edited_example(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "swap", "unicode", "bytes", "duplicate",
                                     "truncate"]))
        if edit == "delete":
            del lines[at]
        elif edit == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            a, b = lines[at].partition(b": "), lines[other].partition(b": ")
            if a[1] and b[1]:
                lines[at], lines[other] = a[0] + a[1] + b[2], b[0] + b[1] + a[2]
        elif edit == "unicode":
            text = draw(st.text(min_size=1, max_size=8)).encode("utf-8", "surrogatepass")
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut] + text + lines[at][cut:]
        elif edit == "bytes":
            cut = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:cut] + draw(st.binary(min_size=1, max_size=4)) + lines[at][cut:]
        elif edit == "duplicate":
            lines.insert(at, lines[at])
        else:
            lines = lines[: at + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        if not lines:
            break
    return b"".join(lines)


@settings(max_examples=int(os.environ.get("GTMGEN_PROPERTY_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=edited_example())
def test_random_edits_give_located_messages_and_exit_0_or_1(raw: bytes, gtmgen, tmp_path) -> None:
    path = tmp_path / "edited.yaml"
    path.write_bytes(raw)
    run = gtmgen("validate", path)
    assert run.code in (0, 1)
    assert "Traceback" not in run.err and "internal error" not in run.err
    for line in run.err.splitlines():
        found = LOCATED.match(line)
        assert found and found["file"] == str(path), line
    if run.code == 1:
        assert ": error: " in run.err
    summary = run.out.splitlines()
    assert len(summary) == 1 and summary[0].startswith(f"{path}: ")
