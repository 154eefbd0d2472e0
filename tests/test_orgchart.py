"""The organisation chart: a tidy top-down tree of boxes from reports_to, drawn as a chart."""

from __future__ import annotations

import time

import pytest

from gtmgen.render.orglayout import FOLD_WIDTH, MAX_BOXES, REST, Box, layout


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _flat(points) -> list[float]:
    return [v for point in points for v in point]


def _check(pairs: list[tuple[str, str | None]]) -> None:
    drawn = layout(pairs)
    boxes = drawn.boxes
    for role, manager in pairs:
        if manager is not None and role in boxes:
            assert boxes[role].y >= boxes[manager].bottom + 0.3, (role, manager)
    names = sorted(boxes)
    for i, one in enumerate(names):
        for other in names[i + 1:]:
            assert not _overlap(boxes[one], boxes[other]), (one, other)
    drawn_pairs = {(e.manager, e.report) for e in drawn.edges}
    assert drawn_pairs == {(m, r) for r, m in pairs if m is not None and r in boxes}
    for edge in drawn.edges:
        start, end = edge.points[0], edge.points[-1]
        manager, report = boxes[edge.manager], boxes[edge.report]
        assert start == pytest.approx((manager.x + manager.w / 2, manager.bottom))
        # Into the report's box: its top's middle, or the middle of its left side.
        assert end in (pytest.approx((report.x + report.w / 2, report.y)),
                       pytest.approx((report.x, report.y + report.h / 2)))


def test_a_small_tree_by_hand() -> None:
    # a over b and c, b over d; e a second root. Boxes 1 x 0.6, 0.15 between bands, 0.4
    # between levels: b's band and c's make 2.15, a is centred over it (x 0.575); e starts
    # after a gap of 0.3 at 2.45.
    drawn = layout([("a", None), ("b", "a"), ("c", "a"), ("d", "b"), ("e", None)])
    assert not drawn.compact and drawn.folded == {}
    corners = {k: [b.x, b.y] for k, b in drawn.boxes.items()}
    assert sorted(corners) == ["a", "b", "c", "d", "e"]
    assert _flat(corners[k] for k in "abcde") == pytest.approx(
        [0.575, 0.0, 0.0, 1.0, 1.15, 1.0, 0.0, 2.0, 2.45, 0.0])
    assert drawn.width == pytest.approx(3.45) and drawn.height == pytest.approx(2.6)
    lines = {(e.manager, e.report): e.points for e in drawn.edges}
    assert _flat(lines[("a", "b")]) == pytest.approx([1.075, 0.6, 1.075, 0.8, 0.5, 0.8,
                                                      0.5, 1.0])
    assert _flat(lines[("a", "c")]) == pytest.approx([1.075, 0.6, 1.075, 0.8, 1.65, 0.8,
                                                      1.65, 1.0])
    assert _flat(lines[("b", "d")]) == pytest.approx([0.5, 1.6, 0.5, 1.8, 0.5, 1.8, 0.5, 2.0])
    assert len(lines) == 3


def test_compact_layout_stacks_reports_without_reports_in_a_column() -> None:
    # b, c and d manage nobody: one column under a, 0.12 apart, a spine 0.075 from the left.
    drawn = layout([("a", None), ("b", "a"), ("c", "a"), ("d", "a")], compact=True)
    corners = {k: [b.x, b.y] for k, b in drawn.boxes.items()}
    assert _flat(corners[k] for k in "abcd") == pytest.approx(
        [0.075, 0.0, 0.15, 1.0, 0.15, 1.72, 0.15, 2.44])
    lines = {(e.manager, e.report): e.points for e in drawn.edges}
    assert _flat(lines[("a", "d")]) == pytest.approx([0.575, 0.6, 0.575, 0.8, 0.075, 0.8,
                                                      0.075, 2.74, 0.15, 2.74])


def test_a_wide_level_turns_compact() -> None:
    # Twelve reports side by side would be 13.65 wide; stacked they take two columns.
    pairs: list[tuple[str, str | None]] = [("boss", None)]
    pairs += [(f"r{n}", "boss") for n in range(12)]
    drawn = layout(pairs)
    assert drawn.compact and drawn.width == pytest.approx(2.45)
    _check(pairs)


def test_many_small_trees_wrap_into_rows() -> None:
    pairs: list[tuple[str, str | None]] = [(f"t{n}", None) for n in range(10)]
    drawn = layout(pairs)
    # Trees start 1.3 apart: the seventh ends at 8.8, an eighth would end at 10.1 > 9.05.
    assert sorted({b.y for b in drawn.boxes.values()}) == pytest.approx([0.0, 1.2])
    assert sum(b.y == 0 for b in drawn.boxes.values()) == 7
    _check(pairs)


def test_every_rule_holds_for_a_deep_and_branching_tree() -> None:
    pairs: list[tuple[str, str | None]] = [("root", None)]
    for n in range(1, 50):
        pairs.append((f"r{n}", "root" if n < 4 else f"r{(n - 1) // 3}"))
    _check(pairs)


def test_two_hundred_roles_fold_to_a_readable_chart_quickly() -> None:
    pairs: list[tuple[str, str | None]] = [("ceo", None)]
    pairs += [(f"vp{n}", "ceo") for n in range(8)]
    pairs += [(f"m{n}", f"vp{n % 8}") for n in range(24)]
    pairs += [(f"s{n}", f"m{n % 24}") for n in range(167)]
    started = time.perf_counter()
    drawn = layout(pairs)
    assert time.perf_counter() - started < 1.0
    assert len(drawn.boxes) <= MAX_BOXES and drawn.width <= FOLD_WIDTH
    # The 167 specialists are folded into their 24 managers' numbers (7 each, m23 has 6).
    assert len(drawn.boxes) == 33
    assert sum(drawn.folded.values()) == 167 and drawn.folded["m0"] == 7
    assert drawn.folded["m23"] == 6
    _check(pairs)


def test_many_separate_trees_end_in_one_box_that_counts_the_rest() -> None:
    # 100 managers, each with one report: folding leaves 100 boxes ("+1" each), so the first
    # 59 trees are drawn and one box counts the 41 trees left out, 82 roles.
    pairs: list[tuple[str, str | None]] = [(f"m{n}", None) for n in range(100)]
    pairs += [(f"r{n}", f"m{n}") for n in range(100)]
    drawn = layout(pairs)
    assert len(drawn.boxes) == MAX_BOXES == 60
    assert sorted(drawn.boxes) == sorted([f"m{n}" for n in range(59)] + [REST])
    assert drawn.folded[REST] == 82 and drawn.folded["m0"] == 1
    assert sum(drawn.folded.values()) == 200 - 59
    assert drawn.edges == []


def test_the_role_documents_carry_the_org_chart_as_picture_list_and_mermaid(gtmgen,
                                                                           crumb) -> None:
    out = crumb.parent / "out"
    assert gtmgen("build", crumb, "--out", out, "--format", "md,docx", "--doc",
                  "roles").code == 0
    from docx import Document

    assert len(Document(out / "roles.docx").inline_shapes) == 1
    text = (out / "roles.md").read_text(encoding="utf-8")
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    # The CMO (line 1) manages the growth manager (2) and the email manager (4); the growth
    # manager manages the content creator (3).
    assert block.splitlines() == [
        "flowchart TD", '    r1["Fractional CMO<br/>fractional, filled"]',
        '    r2["Growth Marketing Manager<br/>full-time, to hire"]',
        '    r3["Content Creator<br/>freelance, to hire"]',
        '    r4["Email Marketing Manager<br/>part-time, to hire"]',
        "    r1 --> r2", "    r2 --> r3", "    r1 --> r4"]


def test_flowchart_labels_use_mermaids_codes() -> None:
    from tests.builders import documents, playbook

    data = playbook(roles=[{"id": "cmo", "title": '#1: Save 20%; <b>now</b> "A&B"'},
                           {"id": "aide", "title": "Aide", "reports_to": "cmo"}])
    text = documents(data)["roles"]
    assert '    r1["#35;1#58; Save 20#37;#59; #lt;b#gt;now#lt;/b#gt; #quot;A#38;B#quot;' \
        '<br/>full-time, to hire"]' in text


def test_org_chart_draws_png_and_svg_with_the_themes_colours() -> None:
    from dataclasses import replace

    from gtmgen.render import RenderContext, build_stamp
    from tests.builders import planned
    from tests.conftest import CRUMB

    book, plan = planned(CRUMB)
    context = RenderContext(book, plan, build_stamp(book, None))
    context.theme = replace(context.look, chart=("#123456", "#ABCDEF"))
    svg = context.chart("orgchart", "Org | a | b | c | d | e | f | g", "svg")
    assert svg is not None and b"<title>Org</title>" in svg
    # Filled roles are framed in the first chart colour, open roles in the second.
    assert b"#123456" in svg and b"#abcdef" in svg and b"#1f4e79" not in svg


def _face(locale: str):
    from matplotlib.font_manager import get_font

    from gtmgen.render.charts import font_file

    return get_font(str(font_file(locale)))


def test_titles_break_between_words_and_end_with_an_ellipsis_when_cut() -> None:
    from gtmgen.render.orgchart import fit

    face = _face("en")
    # DejaVu Sans at 10 pt: "Sales" is 29.1 pt wide, so a 60 pt line holds one or two words.
    assert fit("Sales Development Representative", face, 10, 200, 3) == [
        "Sales Development Representative"]
    lines = fit("Head of Sales Development and Partner Programmes Europe", face, 10, 60, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert " ".join(lines).startswith("Head of Sales")


def test_chinese_titles_break_between_characters_never_before_closing_marks() -> None:
    from gtmgen.render.orgchart import fit

    face = _face("zh")
    # Noto Sans CJK: every character is one em, so ten fit a 100 pt line at 10 pt. An
    # opening bracket never ends a line, a closing one never starts one: it hangs past the
    # end when the character before it fits, else that character goes down with it.
    assert fit("首席营销官兼职顾问长（甲）", face, 10, 100, 3) == ["首席营销官兼职顾问长", "（甲）"]
    assert fit("首席营销官兼职顾问（甲）", face, 10, 100, 3) == ["首席营销官兼职顾问", "（甲）"]
    assert fit("首席营销官兼职顾问甲）", face, 10, 100, 3) == ["首席营销官兼职顾问甲）"]
    assert fit("首席营销官兼职顾问长甲）", face, 10, 100, 3) == ["首席营销官兼职顾问长", "甲）"]
