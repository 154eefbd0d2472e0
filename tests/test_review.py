"""`gtmgen review` and results in `gtmgen build`: the documents, their goldens, the errors, and
plan.json's actuals (the figures themselves are worked by hand in test_review_plan.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from docx import Document

from tests.bilingual import write_one_locale
from tests.conftest import ROOT
from tests.update_golden import REVIEW_GOLDEN, REVIEWS


def _example(name: str, folder: Path) -> Path:
    """The example `name` in English alone (crumb is written in two languages), with its
    results, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "playbooks" / name / "results.csv", folder / "results.csv")
    return write_one_locale(ROOT / "playbooks" / name / "playbook.yaml",
                            folder / "playbook.yaml", "en")


@pytest.mark.parametrize("name", sorted(REVIEWS))
def test_each_examples_review_matches_its_golden_copy(gtmgen, tmp_path, name) -> None:
    playbook = _example(name, tmp_path / name)
    day = REVIEWS[name]
    run = gtmgen("review", playbook, "--as-of", day, "--format", "md,docx,html")
    assert run.code == 0, run.err
    out = playbook.parent / "build" / "playbook"  # the build's own folder, by default
    assert sorted(p.name for p in out.iterdir()) == [
        f"review-{day}.docx", f"review-{day}.html", f"review-{day}.md"]
    assert (out / f"review-{day}.md").read_text(encoding="utf-8") == \
        (REVIEW_GOLDEN / f"{name}-review-{day}.md").read_text(encoding="utf-8")
    assert f"wrote {out / f'review-{day}.md'}" in run.out


def test_the_crumb_review_says_what_the_example_data_was_made_to_show(tmp_path) -> None:
    # crumb's results.csv: trial signups 610 + 310 = 920 of 800 (keep), tastings 19 + 12 =
    # 31 of 40 (77.5%: iterate), no gift orders (not measured), subscription conversion
    # (3.0% + 4.0%) ÷ 2 = 3.5% of 6% (58.3%: drop); LinkedIn spent 14 weeks of 1,080 ± 10
    # (15,150) against 3,500 a month to June 1 (3,500 × 3 + 3,500 ÷ 30 = 10,616.67): 142.7%.
    text = (REVIEW_GOLDEN / "crumb-review-2027-06-01.md").read_text(encoding="utf-8")
    for line in ("| 800 | 920 | 115.0% | keep |", "| 40 | 31 | 77.5% | iterate |",
                 "| 500 | not measured | not measured | not measured |",
                 "| 6.0% | 3.5% | 58.3% | drop |",
                 "| LinkedIn ads and posts | $10,617 | $15,150 | $4,533 | 142.7% | ⚠ over |",
                 "- Cap LinkedIn ads and posts: it has spent 142.7% of its plan to date.",
                 # The chart's words: every channel spent over its plan to date, LinkedIn the
                 # most (15,150 − 10,616.67 = 4,533.33; the others a few hundred to 1,320).
                 "4 over plan, 0 under. The most over: LinkedIn ads and posts, $4,533 above "
                 "its plan."):
        assert line in text, line
    assert "## Data gaps\n\n- “The gift that arrives frozen and leaves warm.” is not measured" \
        in text


def test_the_review_docx_has_its_tables_and_the_spend_chart(gtmgen, tmp_path) -> None:
    playbook = _example("crumb", tmp_path / "crumb")
    run = gtmgen("review", playbook, "--as-of", "2027-06-01", "--format", "docx",
                 "--out", tmp_path / "out")
    assert run.code == 0, run.err
    document = Document(str(tmp_path / "out" / "review-2027-06-01.docx"))
    assert document.paragraphs[0].text == "Crumb & Co.: Review of June 1, 2027"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["At a glance", "Which value proposition resonated", "Operating review",
                        "Spend against plan", "Leads and customers against the funnel",
                        "Hiring", "Data gaps"]
    assert len(document.inline_shapes) == 1  # the spend chart
    # The re-allocation, resonance, operating review, spend by channel, by phase, by month,
    # the funnel and hiring.
    assert len(document.tables) == 8


def test_the_review_is_the_same_bytes_twice(gtmgen, tmp_path) -> None:
    playbook = _example("crumb", tmp_path / "crumb")
    for out in ("a", "b"):
        run = gtmgen("review", playbook, "--as-of", "2027-06-01", "--format", "md,docx,html",
                     "--out", tmp_path / out)
        assert run.code == 0, run.err
    for name in ("review-2027-06-01.md", "review-2027-06-01.docx", "review-2027-06-01.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_default_day_is_the_last_the_results_cover(gtmgen, tmp_path) -> None:
    playbook = _example("crumb", tmp_path / "crumb")
    run = gtmgen("review", playbook, "--format", "md", "--out", tmp_path / "out")
    assert run.code == 0, run.err
    # crumb's last row is the week of Monday 2027-05-31.
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["review-2027-05-31.md"]


def test_a_review_next_to_a_build_keeps_the_builds_files(gtmgen, tmp_path) -> None:
    playbook = _example("crumb", tmp_path / "crumb")
    assert gtmgen("build", playbook, "--format", "md").code == 0
    assert gtmgen("review", playbook, "--as-of", "2027-06-01", "--format", "md").code == 0
    out = playbook.parent / "build" / "playbook"
    assert {"playbook.md", "review-2027-06-01.md", ".gtmgen-manifest.json"} <= {
        p.name for p in out.iterdir()}


def test_without_results_the_review_says_where_to_put_them(gtmgen, crumb) -> None:
    run = gtmgen("review", crumb)
    assert run.code == 2
    assert "no results for" in run.err and "results.csv" in run.err and "--results" in run.err
    assert "Traceback" not in run.err


def test_bad_results_are_located_and_nothing_is_written(gtmgen, tmp_path) -> None:
    playbook = _example("crumb", tmp_path / "crumb")
    results = playbook.parent / "results.csv"
    lines = results.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("linkedin", "linkdin")  # line 4, the channel in column 12
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in (("review", playbook, "--as-of", "2027-06-01"), ("build", playbook)):
        run = gtmgen(*command)
        assert run.code == 1, command
        assert f"{results}:4:12: error: " in run.err and "linkdin" in run.err
        assert "linkedin" in run.err  # the "did you mean"
        assert not (playbook.parent / "build").exists()


@pytest.mark.parametrize(("args", "words"), [
    (("--as-of", "June 1"), "is not a date; write it as YYYY-MM-DD"),
    (("--as-of", "2027-02-30"), "is not a date"),
    (("--format", "json"), "a review is a document: --format takes md, docx, html, pdf"),
])
def test_wrong_usage_is_exit_2(gtmgen, tmp_path, args, words) -> None:
    playbook = _example("crumb", tmp_path / "crumb")
    run = gtmgen("review", playbook, *args)
    assert run.code == 2 and words in run.err, run.err
    assert not (playbook.parent / "build").exists()


def test_build_with_results_puts_the_review_and_the_marks_in_plan_json(gtmgen, tmp_path) -> None:
    playbook = _example("crumb", tmp_path / "crumb")
    run = gtmgen("build", playbook, "--format", "json,md", "--out", tmp_path / "out")
    assert run.code == 0, run.err
    data = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    review = data["review"]
    assert review["as_of"] == "2027-05-31"  # the last day the results cover
    assert [(p["phase"], p["verdict"]) for p in review["phases"]] == [
        ("fresh-in-minutes", "keep"), ("office-rituals", "iterate"), ("gift-moments", None),
        ("price-per-cookie", "drop")]
    marks = {e["key"]: e["status"] for e in data["calendar"] if "status" in e}
    # The reviews of the four phases: three measured, gift-moments not. The growth lead's
    # start: in the results (2027-03-08). Nothing after May 31 is marked.
    reviews = {k: v for k, v in marks.items() if k.startswith("review/")}
    assert sorted(reviews.values()) == ["done", "done", "done", "missed"]
    assert marks["hiring/growth-lead/start"] == "done"
    assert all(e["date"] <= "2027-05-31" for e in data["calendar"] if "status" in e)
    calendar = (tmp_path / "out" / "launch-calendar.md").read_text(encoding="utf-8")
    assert "Growth Marketing Manager starts ✓ done" in calendar
    assert "✗ missed" in calendar


def test_adding_a_results_file_rebuilds_an_unchanged_playbook(gtmgen, crumb, tmp_path) -> None:
    out = tmp_path / "out"
    assert gtmgen("build", crumb, "--format", "json", "--out", out).code == 0
    again = gtmgen("build", crumb, "--format", "json", "--out", out)
    assert again.out.startswith("unchanged ")
    shutil.copy(ROOT / "playbooks" / "crumb" / "results.csv", crumb.parent / "results.csv")
    run = gtmgen("build", crumb, "--format", "json", "--out", out)
    assert run.code == 0 and "wrote" in run.out
    assert "review" in json.loads((out / "plan.json").read_text(encoding="utf-8"))


def _review_words(locale: str) -> list[str]:
    """The English pieces of every message the review's templates use: each text between
    placeholders with a word of four letters or more (shorter ones, like "over", also occur in
    other languages' names and numbers) — unless the locale's own translation has the same
    piece (Dutch writes "Status" and "Plan" too)."""
    import re

    from babel.messages.pofile import read_po

    with (ROOT / "templates" / "locale" / "gtmgen.pot").open("rb") as file:
        catalog = read_po(file)
    own = None
    if locale != "en":
        with (ROOT / "templates" / "locale" / locale / "LC_MESSAGES" / "gtmgen.po").open(
                "rb") as file:
            own = read_po(file)
    pieces = set()
    for message in catalog:
        if not message.id or not any("review" in where for where, _ in message.locations):
            continue
        found = own.get(message.id) if own is not None else None
        translated = found.string if found is not None else ""
        translated = " ".join(translated) if isinstance(translated, tuple) else translated
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for piece in re.split(r"%\(\w+\)s|[“”:;,.()→⚠✓✗]", text):
                piece = piece.strip()
                if re.search(r"[A-Za-z]{4,}", piece) and piece not in translated:
                    pieces.add(piece)
    return sorted(pieces)


def _document_text(folder: Path, day: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    page = Text()
    page.feed((folder / f"review-{day}.html").read_text(encoding="utf-8"))
    document = Document(str(folder / f"review-{day}.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([(folder / f"review-{day}.md").read_text(encoding="utf-8"), *page.parts,
                      *(p.text for p in document.paragraphs), *cells])


@pytest.mark.parametrize("locale", ["en", "nl", "vi", "zh", "ru", "ky"])
def test_the_crumb_review_speaks_the_clients_language(gtmgen, tmp_path, locale) -> None:
    playbook = _example("crumb", tmp_path / "crumb")
    source = playbook.read_text(encoding="utf-8")
    playbook.write_text(source.replace("  locale: en\n", f"  locale: {locale}\n"),
                        encoding="utf-8")
    run = gtmgen("review", playbook, "--as-of", "2027-06-01", "--format", "md,docx,html",
                 "--out", tmp_path / "out")
    assert run.code == 0, run.err
    text = _document_text(tmp_path / "out", "2027-06-01")
    words = _review_words(locale)
    assert len(words) > 40
    if locale == "en":  # the check finds English where it is
        assert "Which value proposition resonated" in text and "Plan to date" in text
        return
    data = source + (playbook.parent / "results.csv").read_text(encoding="utf-8")
    left = [w for w in words if w in text and w not in data]
    assert not left, left
