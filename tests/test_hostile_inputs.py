"""Hostile inputs: templates that try to change the playbook, leave their folder or smuggle
HTML, and playbooks that are not files. Each is refused with a clear error, nothing written."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest


def _documents(folder: Path) -> Path:
    documents = folder / "documents"
    documents.mkdir(parents=True)
    return documents


def test_a_template_cannot_change_the_playbook(gtmgen, crumb, tmp_path) -> None:
    # Rendered before the roles document, it would empty the roles of every later document.
    _documents(tmp_path / "mine").joinpath("a-first.md.j2").write_text(
        "{{ book.roles.clear() or '' }}\n", encoding="utf-8")
    out = tmp_path / "out"
    run = gtmgen("build", crumb, "--out", out, "--templates", tmp_path / "mine", "--doc",
                 "a-first,roles")
    assert run.code == 1
    assert "a-first.md.j2" in run.err and "unsafe" in run.err
    assert not out.exists()


def test_a_template_cannot_append_to_the_plan_either(gtmgen, crumb, tmp_path) -> None:
    _documents(tmp_path / "mine").joinpath("sneaky.md.j2").write_text(
        "{% set rows = plan.hiring %}{{ rows.append(1) or '' }}\n", encoding="utf-8")
    run = gtmgen("build", crumb, "--out", tmp_path / "out", "--templates", tmp_path / "mine")
    assert run.code == 1 and "sneaky.md.j2" in run.err


def test_a_template_that_links_outside_its_folder_is_refused(gtmgen, crumb, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the client's passwords", encoding="utf-8")
    _documents(tmp_path / "mine").joinpath("leak.md.j2").symlink_to(secret)
    out = tmp_path / "out"
    run = gtmgen("build", crumb, "--out", out, "--templates", tmp_path / "mine",
                 "--format", "md,html")
    assert run.code == 1
    assert "leak.md.j2: the template leads outside its folder" in run.err
    assert "passwords" not in run.err and not out.exists()


def test_a_templates_folder_beside_the_playbook_linking_to_root_is_refused(gtmgen,
                                                                          crumb) -> None:
    (crumb.parent / "templates").symlink_to("/")
    started = time.perf_counter()
    run = gtmgen("build", crumb, "--out", crumb.parent / "out")
    assert run.code == 1
    assert "templates folder leads outside the playbook's folder (to /)" in run.err
    assert time.perf_counter() - started < 1 and not (crumb.parent / "out").exists()


def test_raw_html_and_script_links_in_a_template_never_reach_the_page(gtmgen, crumb,
                                                                     tmp_path) -> None:
    _documents(tmp_path / "mine").joinpath("note.md.j2").write_text(
        "# Note\n\n<script>alert(1)</script>\n\n[open](javascript:alert(2)) "
        "[site](https://example.com)\n", encoding="utf-8")
    out = tmp_path / "out"
    run = gtmgen("build", crumb, "--out", out, "--templates", tmp_path / "mine", "--doc",
                 "note", "--format", "html")
    assert run.code == 0, run.err
    page = (out / "note.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as the text it is
    assert '<a href="https://example.com">site</a>' in page


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_as_the_playbook_is_refused_without_waiting(gtmgen, tmp_path) -> None:
    pipe = tmp_path / "playbook.yaml"
    os.mkfifo(pipe)
    started = time.perf_counter()
    run = gtmgen("validate", pipe)
    assert run.code == 2
    assert run.err == (f"gtmgen: cannot read {pipe}: it is not a regular file (a pipe, a "
                       "device or a socket); give the path of a playbook file\n")
    assert time.perf_counter() - started < 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_as_the_word_template_is_refused_without_waiting(gtmgen, crumb,
                                                                tmp_path) -> None:
    pipe = tmp_path / "brand.docx"
    os.mkfifo(pipe)
    run = gtmgen("build", crumb, "--out", tmp_path / "out", "--docx-template", pipe)
    assert run.code == 2 and "brand.docx' is not a file" in run.err


def _word_template(tmp_path: Path, styles: bytes, name: str = "brand.docx") -> Path:
    """python-docx's own template with its styles.xml replaced."""
    import zipfile

    import docx

    source = Path(docx.__file__).parent / "templates" / "default.docx"
    target = tmp_path / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = styles if info.filename == "word/styles.xml" else old.read(info)
            new.writestr(info.filename, data)
    return target


STYLES_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BOMB = (STYLES_HEAD + b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]><w:styles xmlns:w="http://schemas.openxmlformats'
        b'.org/wordprocessingml/2006/main">&c;</w:styles>')
EXTERNAL = (STYLES_HEAD + b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'&x;</w:styles>')


@pytest.mark.parametrize("styles, words", [
    (BOMB, "its part word/styles.xml declares a DTD or entities"),
    (EXTERNAL, "its part word/styles.xml declares a DTD or entities"),
    (STYLES_HEAD + b" " * (40 * 1024 * 1024), "its part word/styles.xml unpacks to more "
                                              "than 32 MiB"),
], ids=["entity-bomb", "external-entity", "whitespace-bomb"])
def test_a_hostile_word_template_is_refused_by_name(gtmgen, crumb, tmp_path, styles,
                                                    words) -> None:
    import resource

    template = _word_template(tmp_path, styles)
    assert template.stat().st_size < 2 * 1024 * 1024  # small on disk, large unpacked
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    out = tmp_path / "out"
    run = gtmgen("build", crumb, "--out", out, "--format", "docx", "--docx-template", template)
    assert run.code == 2 and words in run.err and "brand.docx" in run.err
    assert not out.exists()
    assert time.perf_counter() - started < 1
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 200 * 1024
    # Named in the playbook instead, it is an error at that line.
    text = crumb.read_text(encoding="utf-8").replace("  country: US\n", "  country: US\n"
                                                     "  docx_template: brand.docx\n")
    crumb.write_text(text, encoding="utf-8")
    template.rename(crumb.parent / "brand.docx")
    run = gtmgen("validate", crumb)
    assert run.code == 1 and f"{crumb}:14:18: error: 'brand.docx' {words}" in run.err


def test_a_source_date_epoch_past_2199_is_wrong_usage(gtmgen, crumb, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--format", "ics")
    assert run.code == 2 and "up to 7258118399 (the end of 2199)" in run.err
    assert not (crumb.parent / "out").exists()


def test_a_client_name_longer_than_word_properties_hold_still_builds(gtmgen, crumb) -> None:
    from docx import Document

    name = "Crumb " * 60  # 360 characters; Word's properties hold 255
    crumb.write_text(crumb.read_text(encoding="utf-8").replace(
        "name: Crumb & Co.", f"name: {name.strip()}"), encoding="utf-8")
    out = crumb.parent / "out"
    run = gtmgen("build", crumb, "--out", out, "--format", "docx", "--doc", "roles")
    assert run.code == 0, run.err
    title = Document(out / "roles.docx").core_properties.title
    assert len(title) == 255 and title.startswith("Crumb Crumb")  # the title begins with the client


def test_a_messaging_matrix_too_large_to_build_is_refused_at_once(tmp_path) -> None:

    from tests.builders import phase, playbook, validated

    # 150 personas × 140 phases = 21,000 cells, over the 10,000 gtmgen builds.
    personas = [{"id": f"p{n}", "name": f"P {n}", "title": "Buyer", "icps": ["smb"]}
                for n in range(150)]
    phases = [phase(f"ph{n}", f"Promise {n}.", personas=["p0"]) for n in range(140)]
    data = playbook(personas=personas, messages={"phases": phases})
    started = time.perf_counter()
    result = validated(data)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    # (149 personas no phase uses are warnings too; at most 100 problems are listed.)
    assert [(d.path, d.message) for d in errors][0] == (
        "personas", "150 personas across 140 phases make a messaging matrix of 21,000 "
                    "cells; gtmgen builds at most 10,000")
    assert time.perf_counter() - started < 1
