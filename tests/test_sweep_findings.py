"""Inputs found by a hostile sweep: each once crashed (exit 70), echoed a huge value or
misled; each is now a located error in a few words, or a build that succeeds."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.builders import playbook, validated


def _errors(data) -> list[str]:
    return [d.message for d in validated(data).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("needed", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_needed_by_dates_outside_the_planned_years_are_errors(needed: str) -> None:
    data = playbook(roles=[{"id": "cmo", "title": "CMO", "needed_by": needed}])
    assert _errors(data) == [f"'{needed}' is outside the years gtmgen plans for (1900 to "
                             "2199), and no phase has this id"]


@pytest.mark.parametrize("key", ["locale", "currency", "country"])
def test_a_long_code_is_quoted_as_an_excerpt(key: str) -> None:
    data = playbook(client={"name": "Acme", "product": "Widgets", key: "x" * 25_000})
    (message,) = _errors(data)
    assert len(message) < 200 and "xxx…" in message


@pytest.mark.parametrize("offset", ["9" * 5000, "9" * 4000 + "m"])
def test_a_review_offset_of_thousands_of_digits_is_too_far(offset: str) -> None:
    (message,) = _errors(playbook(launch={"date": "2027-03-01", "reviews": [offset]}))
    assert "is too far after launch" in message and len(message) < 200


def test_a_word_document_dated_after_2107_still_builds(gtmgen, crumb) -> None:
    crumb.write_text(crumb.read_text(encoding="utf-8").replace("date: 2027-01-18",
                                                               "date: 2150-01-18"))
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--format", "docx",
                 "--doc", "roles")
    assert run.code == 0, run.err
    with zipfile.ZipFile(crumb.parent / "out" / "roles.docx") as package:
        assert {i.date_time[0] for i in package.infolist()} == {2107}


@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_source_date_epoch_must_be_plain_digits(gtmgen, crumb, monkeypatch, value) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--format", "ics")
    assert run.code == 2 and len(run.err) < 400


def test_a_missing_entry_in_an_id_list_is_named_by_its_place() -> None:
    data = playbook()
    data["personas"][0]["icps"] = ["smb", None]
    assert _errors(data) == ["entry 2 of 'icps' needs a value here"]


def test_a_long_unknown_document_or_format_is_quoted_short(gtmgen, crumb) -> None:
    for option in ("--doc", "--format"):
        run = gtmgen("build", crumb, option, "d" * 100_000)
        assert run.code == 2 and len(run.err) < 1000, option


def _template(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "mine" / "documents"
    folder.mkdir(parents=True)
    (folder / "note.md.j2").write_text(text, encoding="utf-8")
    return tmp_path / "mine"


@pytest.mark.parametrize("text", [
    "# Note\n\n<!-- chart: budget | Budget | a | b | c | d | e -->\n",
    "# Note\n\n" + "".join("  " * n + "- x\n" for n in range(600)),
], ids=["chart-with-many-labels", "list-nested-600-deep"])
def test_odd_templates_end_in_a_build_or_a_template_error(gtmgen, crumb, tmp_path,
                                                         text: str) -> None:
    run = gtmgen("build", crumb, "--out", tmp_path / "out", "--templates",
                 _template(tmp_path, text), "--doc", "note", "--format", "docx,html")
    assert run.code in (0, 1) and "internal error" not in run.err


def test_a_hiring_chart_without_open_roles_draws_nothing(gtmgen, tmp_path) -> None:
    path = tmp_path / "p.yaml"
    data = playbook(roles=[{"id": "cmo", "title": "CMO", "status": "filled"}])
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    run = gtmgen("build", path, "--out", tmp_path / "out", "--templates",
                 _template(tmp_path, "# Note\n\n<!-- chart: hiring | Hiring -->\n"),
                 "--doc", "note", "--format", "html")
    assert run.code == 0, run.err
    assert "<img" not in (tmp_path / "out" / "note.html").read_text(encoding="utf-8")


def test_an_unreadable_message_catalog_is_a_template_error(gtmgen, crumb, tmp_path) -> None:
    catalog = tmp_path / "mine" / "locale" / "en" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "gtmgen.po").write_bytes(os.urandom(64) + b"\xff\xfe\x00")
    (tmp_path / "mine" / "documents").mkdir()
    run = gtmgen("build", crumb, "--out", tmp_path / "out", "--templates", tmp_path / "mine")
    assert run.code == 1 and "not a readable message catalog" in run.err


def _docx_with(tmp_path: Path, part: str, data: bytes) -> Path:
    import docx

    source = Path(docx.__file__).parent / "templates" / "default.docx"
    target = tmp_path / "brand.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == part else old.read(info))
    return target


def test_a_dtd_in_a_utf16_part_is_refused(gtmgen, crumb, tmp_path) -> None:
    styles = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "b">]>'
              '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
              'main"/>').encode("utf-16")
    run = gtmgen("build", crumb, "--out", tmp_path / "out", "--format", "docx",
                 "--docx-template", _docx_with(tmp_path, "word/styles.xml", styles))
    assert run.code == 2 and "declares a DTD or entities" in run.err


def test_a_word_template_without_page_setup_is_a_template_error(gtmgen, crumb,
                                                               tmp_path) -> None:
    body = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/>'
            b'</w:document>')
    run = gtmgen("build", crumb, "--out", tmp_path / "out", "--format", "docx", "--doc",
                 "roles", "--docx-template", _docx_with(tmp_path, "word/document.xml", body))
    assert run.code in (0, 1) and "internal error" not in run.err
