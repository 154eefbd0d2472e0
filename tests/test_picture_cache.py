"""The charts' pictures are kept in the user's cache by what they show, and a kept picture
gives the same bytes as a fresh drawing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gtmgen.render.picturecache import GENERATION


def pictures(cache: Path, kind: str = "png") -> set[str]:
    return {p.name for p in (cache / "gtmgen" / f"pictures-{GENERATION}").glob(f"*.{kind}")}


def media(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as package:
        return {name: package.read(name) for name in package.namelist()
                if name.startswith("word/media/")}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def test_a_kept_picture_gives_the_bytes_of_a_fresh_drawing(gtmgen, crumb, cache,
                                                            tmp_path) -> None:
    assert gtmgen("build", crumb, "--out", tmp_path / "first", "--format", "docx").code == 0
    # crumb draws four charts: the message sequence, the budget, the hiring timeline and
    # the organisation chart; each PNG is kept once.
    assert len(pictures(cache)) == 4
    assert gtmgen("build", crumb, "--out", tmp_path / "second", "--format", "docx").code == 0
    for name in ("playbook.docx", "roles.docx", "hiring-plan.docx", "launch-calendar.docx"):
        assert (tmp_path / "first" / name).read_bytes() == \
            (tmp_path / "second" / name).read_bytes()
    assert len(pictures(cache)) == 4


def test_a_changed_chart_is_drawn_again_and_the_others_are_reused(gtmgen, crumb, cache,
                                                                   tmp_path) -> None:
    assert gtmgen("build", crumb, "--out", tmp_path / "a", "--format", "docx").code == 0
    before = pictures(cache)
    text = crumb.read_text(encoding="utf-8")
    assert "    budget: 1500\n" in text
    crumb.write_text(text.replace("    budget: 1500\n", "    budget: 1600\n", 1))
    assert gtmgen("build", crumb, "--out", tmp_path / "b", "--format", "docx").code == 0
    after = pictures(cache)
    assert before < after and len(after - before) == 1  # the budget chart alone is new


def test_a_damaged_kept_picture_is_drawn_again(gtmgen, crumb, cache, tmp_path) -> None:
    assert gtmgen("build", crumb, "--out", tmp_path / "a", "--format", "docx").code == 0
    folder = cache / "gtmgen" / f"pictures-{GENERATION}"
    for kept in folder.glob("*.png"):
        kept.write_bytes(b"not a picture")
    assert gtmgen("build", crumb, "--out", tmp_path / "b", "--format", "docx").code == 0
    assert media(tmp_path / "a" / "playbook.docx") == media(tmp_path / "b" / "playbook.docx")


def test_a_cache_that_cannot_be_written_never_fails_a_build(gtmgen, crumb, tmp_path,
                                                            monkeypatch) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    run = gtmgen("build", crumb, "--out", tmp_path / "out", "--format", "docx")
    assert run.code == 0, run.err


def test_the_svg_pictures_of_the_web_page_are_kept_too(gtmgen, crumb, cache, tmp_path) -> None:
    assert gtmgen("build", crumb, "--out", tmp_path / "a", "--format", "html").code == 0
    assert len(pictures(cache, "svg")) == 4 and not pictures(cache, "png")
    assert gtmgen("build", crumb, "--out", tmp_path / "b", "--format", "html").code == 0
    for name in ("playbook.html", "roles.html", "hiring-plan.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_new_look_draws_every_chart_again(gtmgen, crumb, cache, tmp_path) -> None:
    assert gtmgen("build", crumb, "--out", tmp_path / "a", "--format", "docx").code == 0
    before = pictures(cache)
    (crumb.parent / "theme.yaml").write_text("colours:\n  chart: ['#0B6E4F', '#C84C09']\n")
    assert gtmgen("build", crumb, "--out", tmp_path / "b", "--format", "docx").code == 0
    assert len(pictures(cache) - before) == 4


def test_a_text_edit_outside_the_charts_draws_nothing(gtmgen, crumb, cache, tmp_path,
                                                      monkeypatch) -> None:
    assert gtmgen("build", crumb, "--out", tmp_path / "a", "--format", "docx").code == 0
    text = crumb.read_text(encoding="utf-8")
    assert "Crumb & Co." in text
    crumb.write_text(text.replace("Crumb & Co.", "Crumb and Company"))
    from gtmgen.render import charts

    def refuse(*_args: object) -> None:
        raise AssertionError("a chart was drawn again")

    monkeypatch.setattr(charts, "figure", refuse)
    run = gtmgen("build", crumb, "--out", tmp_path / "b", "--format", "docx")
    assert run.code == 0, run.err
