"""The documents: Markdown that prints text literally, a golden copy of the example, template
overrides and broken templates, the i18n catalog, and reproducible bytes in every format."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from gtmgen.catalog import extract_catalog
from gtmgen.render.templates import escape_cell, escape_markdown, shipped_templates
from tests.builders import playbook
from tests.conftest import CRUMB

GOLDEN = Path(__file__).parent / "golden" / "crumb"
DOCUMENTS = ["hiring-plan", "launch-calendar", "playbook", "roles"]


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def _columns(row: str) -> int:
    # A cell boundary is a '|' that is not escaped.
    count, escaped = 0, False
    for char in row:
        if char == "|" and not escaped:
            count += 1
        escaped = char == "\\" and not escaped
    return count - 1


@pytest.mark.parametrize("text, shown", [
    ("a | b", "a \\| b"), ("*bold* and _it_", "\\*bold\\* and \\_it\\_"),
    ("# not a heading", "\\# not a heading"), ("1. not a list", "1\\. not a list"),
    ("- not a bullet", "\\- not a bullet"), ("<script>", "&lt;script>"),
    ("`code`", "\\`code\\`"), ("line one\nline two", "line one line two"),
    ("[link](x)", "\\[link\\](x)"), ("&copy; & co", "&amp;copy; & co"),
    ("11.5%", "11.5%"), ("-5 degrees", "-5 degrees"), ("~~gone~~", "&#126;&#126;gone&#126;&#126;"),
])
def test_markdown_specials_print_literally(text: str, shown: str) -> None:
    assert escape_markdown(text) == shown


def test_empty_cell_shows_a_dash() -> None:
    assert escape_cell(None) == "—"
    assert escape_cell("") == "—"


def test_hostile_text_keeps_table_columns(gtmgen, tmp_path) -> None:
    data = playbook()
    data["channels"][0]["name"] = "Email | SMS *now*\nand _then_"
    data["roles"][0]["title"] = "CMO | interim"
    data["messages"]["phases"][0]["value_proposition"] = "Faster | cheaper\n- better"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert gtmgen("build", path, "--out", tmp_path / "out").code == 0
    for name in DOCUMENTS:
        text = (tmp_path / "out" / f"{name}.md").read_text(encoding="utf-8")
        tables, current = [], []
        for line in text.splitlines() + [""]:
            if line.startswith("|"):
                current.append(line)
            elif current:
                tables.append(current)
                current = []
        for table in tables:
            assert len({_columns(row) for row in table}) == 1, table
    playbook_md = (tmp_path / "out" / "playbook.md").read_text(encoding="utf-8")
    assert "| Email \\| SMS \\*now\\* and \\_then\\_ |" in playbook_md


def test_example_markdown_matches_the_golden_copy(gtmgen, crumb) -> None:
    out = crumb.parent / "out"
    assert gtmgen("build", crumb, "--out", out).code == 0
    for name in DOCUMENTS:
        assert (out / f"{name}.md").read_text(encoding="utf-8") == \
            (GOLDEN / f"{name}.md").read_text(encoding="utf-8"), name


def test_every_format_is_byte_identical_across_builds(crumb, tmp_path) -> None:
    # Two processes with different hash seeds: set and dict order may not leak into output.
    formats = "md,docx,html,json,csv,ics"
    for folder, seed in (("a", "1"), ("b", "2")):
        done = subprocess.run([sys.executable, "-m", "gtmgen.cli", "build", str(crumb),
                               "--out", str(tmp_path / folder), "--format", formats],
                              capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(names) == 4 * 3 + 3 + 1  # and the manifest, the same in both
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / "playbook.docx") as package:
        # Entry times come from client.date (2027-01-18), never from the clock.
        assert {i.date_time for i in package.infolist()} == {(2027, 1, 18, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"


def test_doc_option_picks_documents(gtmgen, crumb) -> None:
    out = crumb.parent / "out"
    run = gtmgen("build", crumb, "--out", out, "--doc", "roles,hiring-plan", "--format", "md")
    assert run.code == 0
    assert sorted(p.name for p in out.iterdir()) == [".gtmgen-manifest.json", "hiring-plan.md",
                                                     "roles.md"]


def test_a_partial_beside_the_playbook_overrides_the_shipped_one(gtmgen, crumb) -> None:
    partials = crumb.parent / "templates" / "partials"
    partials.mkdir(parents=True)
    shipped = (shipped_templates() / "partials" / "labels.md.j2").read_text(encoding="utf-8")
    partials.joinpath("labels.md.j2").write_text(
        shipped.replace('_("to hire")', '_("open requisition")'), encoding="utf-8")
    out = crumb.parent / "out"
    assert gtmgen("build", crumb, "--out", out).code == 0
    roles = (out / "roles.md").read_text(encoding="utf-8")
    assert "- Growth Marketing Manager (full-time, open requisition)" in roles
    assert "## Organisation chart" in roles  # everything else still from the shipped set


def test_a_new_template_is_a_new_document(gtmgen, crumb, tmp_path) -> None:
    documents = tmp_path / "mine" / "documents"
    documents.mkdir(parents=True)
    documents.joinpath("one-pager.md.j2").write_text(
        "# {{ book.client.name | md }}\n\n{{ _('Launch date') }}: "
        "{{ book.launch.date | date }}\n", encoding="utf-8")
    out = crumb.parent / "out"
    run = gtmgen("build", crumb, "--out", out, "--templates", tmp_path / "mine",
                 "--format", "md,docx")
    assert run.code == 0, run.err
    assert (out / "one-pager.md").read_text(encoding="utf-8") == \
        "# Crumb & Co.\n\nLaunch date: March 1, 2027\n"
    assert (out / "one-pager.docx").is_file() and (out / "playbook.md").is_file()


def test_a_misspelled_variable_names_the_template_and_line(gtmgen, crumb, tmp_path) -> None:
    documents = tmp_path / "mine" / "documents"
    documents.mkdir(parents=True)
    documents.joinpath("broken.md.j2").write_text("# Title\n\n{{ book.clinet.name }}\n",
                                                  encoding="utf-8")
    out = crumb.parent / "out"
    run = gtmgen("build", crumb, "--out", out, "--templates", tmp_path / "mine")
    assert run.code == 1
    assert "broken.md.j2:3:" in run.err and "clinet" in run.err
    assert "Traceback" not in run.err
    assert not out.exists()


def test_a_template_syntax_error_names_the_template_and_line(gtmgen, crumb, tmp_path) -> None:
    documents = tmp_path / "mine" / "documents"
    documents.mkdir(parents=True)
    documents.joinpath("broken.md.j2").write_text("# Title\n{% if %}\n", encoding="utf-8")
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--templates", tmp_path / "mine")
    assert run.code == 1
    assert "broken.md.j2:2: template syntax" in run.err


def test_user_templates_run_in_the_sandbox(gtmgen, crumb, tmp_path) -> None:
    documents = tmp_path / "mine" / "documents"
    documents.mkdir(parents=True)
    documents.joinpath("escape.md.j2").write_text(
        "{{ book.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    run = gtmgen("build", crumb, "--out", crumb.parent / "out", "--templates", tmp_path / "mine")
    assert run.code == 1
    assert "escape.md.j2:1:" in run.err and "unsafe" in run.err


def test_template_loader_refuses_paths_outside_its_folder(gtmgen, crumb, tmp_path) -> None:
    documents = tmp_path / "mine" / "documents"
    documents.mkdir(parents=True)
    documents.joinpath("peek.md.j2").write_text('{% include "../../secret.txt" %}\n',
                                                encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret")
    out = crumb.parent / "out"
    run = gtmgen("build", crumb, "--out", out, "--templates", tmp_path / "mine")
    assert run.code == 1
    assert run.err.startswith("gtmgen: template error: ")
    assert "../../secret.txt" in run.err  # the include it refused, by name
    assert not out.exists()  # nothing was written, the secret nowhere


def test_unknown_document_is_wrong_usage_listing_the_known_ones(gtmgen, crumb) -> None:
    out = crumb.parent / "out"
    run = gtmgen("build", crumb, "--out", out, "--doc", "roles,budget")
    assert run.code == 2
    assert run.err == ("gtmgen: no document named 'budget'; the documents are playbook, "
                       "launch-calendar, roles, hiring-plan\n")
    assert not out.exists()


def test_the_message_catalog_template_is_up_to_date() -> None:
    shipped = (shipped_templates() / "locale" / "gtmgen.pot").read_bytes()
    assert shipped == extract_catalog(), "run: .venv/bin/python -m gtmgen.catalog"
    assert b'msgid "Hiring priorities"' in shipped


def test_every_fixed_label_goes_through_gettext(crumb, monkeypatch) -> None:
    """Translate every message to a marked form: headings and table headers must all come
    out marked, so none of them is a hard-coded English word."""
    from babel.support import NullTranslations

    from gtmgen.render import templates
    from tests.builders import planned

    class Marked(NullTranslations):
        def gettext(self, message: str) -> str:
            return f"«{message}»"

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return f"«{singular if n == 1 else plural}»"

        ugettext, ungettext = gettext, ngettext

    monkeypatch.setattr(templates, "translations", lambda locale, folders: Marked())
    from gtmgen.render import RenderContext, build_stamp

    book, plan = planned(CRUMB)
    markdown = RenderContext(book, plan, build_stamp(book, None)).markdown()
    data = [role.title for role in book.roles] + [
        escape_markdown(phase.value_proposition) for phase in book.messages.phases] + [
        competitor.name for competitor in book.competitors]
    for name, text in markdown.items():
        lines = text.splitlines()
        for line in lines:
            if line.startswith("## ") and line[3:] not in data:
                assert "«" in line, (name, line)
        for line, following in zip(lines, lines[1:], strict=False):
            if line.startswith("| ") and following.startswith("| ---"):
                cells = [c.strip() for c in line.strip("| ").split(" | ")]
                assert all("«" in c or c == "#" or any(d in c for d in data)
                           for c in cells), (name, line)


def test_golden_script_rebuilds_exactly_the_golden_copy(tmp_path) -> None:
    from tests.update_golden import rebuild

    written = rebuild(tmp_path)
    assert [p.name for p in written] == [f"{name}.md" for name in DOCUMENTS]
    for path in written:
        assert path.read_text(encoding="utf-8") == \
            (GOLDEN / path.name).read_text(encoding="utf-8"), path.name


def test_tidy_markdown_cells_and_fences() -> None:
    from gtmgen.render.templates import tidy_markdown

    text = ("# Ledgerly B.V.\n\n\n\n## Phase 1: Warm cookies from your freezer.\n\n"
            "| a |  | c |   |\n\n```\n# kept.\n|  |\n```\n\n\n")
    # Headings stay as written; empty cells become `| |`; inside the fence nothing changes;
    # blank runs become one and the text ends in one newline.
    assert tidy_markdown(text) == (
        "# Ledgerly B.V.\n\n## Phase 1: Warm cookies from your freezer.\n\n"
        "| a | | c | |\n\n```\n# kept.\n|  |\n```\n")
