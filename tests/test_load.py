"""Reading YAML behind the guards: scalars stay text, positions are kept, the guards hold."""

from __future__ import annotations

import time

import pytest

from gtmgen.load import LOADERS, MAX_BYTES, load_bytes


@pytest.fixture(params=sorted(LOADERS))
def load(request: pytest.FixtureRequest):
    """Every test here runs with LibYAML's parser and with the pure-Python one."""

    def run(text: str | bytes):
        raw = text.encode("utf-8") if isinstance(text, str) else text
        return load_bytes(raw, "p.yaml", request.param)

    return run


def test_both_parsers_are_tested() -> None:
    # PyYAML's wheels bundle LibYAML; without it half of this module would silently not run.
    assert sorted(LOADERS) == ["libyaml", "python"]


def test_country_no_stays_norway(load) -> None:
    loaded, problems = load("client:\n  country: NO\n")
    assert problems == []
    assert loaded.data == {"client": {"country": "NO"}}


def test_version_2_10_stays_text(load) -> None:
    loaded, _ = load("version: 2.10\n")
    assert loaded.data["version"] == "2.10"


def test_yes_on_and_times_stay_text(load) -> None:
    loaded, _ = load("a: yes\nb: on\nc: 12:30\nd: 0x1F\n")
    assert loaded.data == {"a": "yes", "b": "on", "c": "12:30", "d": "0x1F"}


def test_plain_empty_and_null_are_nothing_but_quoted_empty_is_text(load) -> None:
    loaded, _ = load("a:\nb: ~\nc: null\nd: ''\ne: 'null'\n")
    assert loaded.data == {"a": None, "b": None, "c": None, "d": "", "e": "null"}


def test_byte_order_mark_is_accepted_and_columns_are_unchanged(load) -> None:
    loaded, problems = load(b"\xef\xbb\xbfname: Acme\n")
    assert problems == []
    assert loaded.data == {"name": "Acme"}
    assert loaded.positions[("name",)] == (1, 7)


def test_positions_of_values_and_keys(load) -> None:
    loaded, _ = load("client:\n  name: Acme\nlist:\n  - a\n  -  b\n")
    assert loaded.positions[("client", "name")] == (2, 9)
    assert loaded.key_positions[("client", "name")] == (2, 3)
    assert loaded.positions[("list", 1)] == (5, 6)


def test_aliases_may_be_used(load) -> None:
    loaded, problems = load("a: &x [mon, tue]\nb: *x\n")
    assert problems == []
    assert loaded.data == {"a": ["mon", "tue"], "b": ["mon", "tue"]}
    assert loaded.positions[("b",)] == (2, 4)


def test_merge_key_fills_keys_not_written_here(load) -> None:
    loaded, problems = load("base: &b {kind: paid, budget: 10}\nch: {<<: *b, budget: 20}\n")
    assert problems == []
    assert loaded.data["ch"] == {"kind": "paid", "budget": "20"}


def test_file_over_one_mebibyte_is_refused_at_line_one(load) -> None:
    loaded, problems = load(b"a: " + b"x" * MAX_BYTES + b"\n")
    assert loaded is None
    assert (problems[0].line, problems[0].column) == (1, 1)
    assert "larger than 1 MiB" in problems[0].message


def test_billion_laughs_fails_fast(load) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    loaded, problems = load("\n".join(lines))
    assert loaded is None
    assert "alias bomb" in problems[0].message
    # Nine levels of nine expand to 435 million values; memoised sizes never expand them.
    assert time.perf_counter() - started < 0.5


def test_one_hundred_thousand_values_without_aliases_is_refused(load) -> None:
    loaded, problems = load("a: [" + "1," * 100_001 + "]\n")
    assert loaded is None
    assert "100,000 values" in problems[0].message


def test_aliases_that_nest_past_the_depth_limit_are_refused(load) -> None:
    lines = ["l0: &l0 " + "[" * 40 + "]" * 40]
    for n in range(1, 4):
        lines.append(f"l{n}: &l{n} " + "[" * 40 + f"*l{n - 1}" + "]" * 40)
    loaded, problems = load("\n".join(lines))
    assert loaded is None
    assert "deeper than 64" in problems[0].message


def test_very_deep_flow_nesting_is_reported_where_it_passes_64_levels(load) -> None:
    # Levels: the top mapping is 1, key 'a' and the first '[' are 2, the n-th '[' is n + 1.
    # The 64th '[' is level 65; "a: " takes columns 1-3, so it stands in column 3 + 64 = 67.
    # 5000 levels also trip LibYAML's own limit of 1000 while it scans ahead: same answer.
    loaded, problems = load("a: " + "[" * 5000 + "]" * 5000)
    assert loaded is None
    assert (problems[0].line, problems[0].column) == (1, 67)
    assert problems[0].message == ("nesting is deeper than 64 levels here; a playbook never "
                                   "needs that many")


def test_deep_block_nesting_is_reported_where_it_passes_64_levels(load) -> None:
    # Line n opens the mapping of level n at column 2n - 1; its key is level n + 1, so the
    # first value at level 65 is the key on line 64, column 127.
    text = "".join("  " * n + "k:\n" for n in range(80)) + "  " * 80 + "k: x\n"
    loaded, problems = load(text)
    assert loaded is None
    assert (problems[0].line, problems[0].column) == (64, 127)
    assert "deeper than 64 levels" in problems[0].message


def test_sixty_four_levels_are_allowed(load) -> None:
    # The top mapping, key 'a' and 62 brackets: the innermost '[' is level 63, its item 64.
    loaded, problems = load("a: " + "[" * 62 + "x" + "]" * 62)
    assert problems == []


def test_duplicate_anchor_names_its_first_line(load) -> None:
    loaded, problems = load("a: &x 1\nb: &x 2\n")
    assert (problems[0].line, problems[0].column) == (2, 4)
    assert "first at line 1" in problems[0].message


def test_merge_of_a_scalar_is_refused(load) -> None:
    loaded, problems = load("a: &x 1\nb: {<<: *x}\n")
    assert loaded is None
    assert "merges mappings only" in problems[0].message
