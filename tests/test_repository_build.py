"""gtmgen build of many playbooks: all built, unchanged ones skipped, one edit rebuilds one,
errors kept to their playbook, the worst exit code, an index page, no writing through links."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CRUMB

CLIENTS = ("Acme", "Birch", "Cobalt")


def make_repository(root: Path, clients: tuple[str, ...] = CLIENTS) -> list[Path]:
    """A folder per client, each with a copy of the crumb example under its client's name."""
    text = CRUMB.read_text(encoding="utf-8")
    assert "name: Crumb & Co." in text
    made = []
    for client in clients:
        folder = root / "clients" / client.lower()
        folder.mkdir(parents=True)
        path = folder / "playbook.yaml"
        path.write_text(text.replace("name: Crumb & Co.", f"name: {client}"), encoding="utf-8")
        made.append(path)
    return made


def share_personas(root: Path, playbooks: list[Path]) -> Path:
    """Move the personas of every playbook into one shared file that each includes (a
    repository: includes may reach outside a playbook's own folder, not outside the repo)."""
    (root / ".git").mkdir(exist_ok=True)
    text = playbooks[0].read_text(encoding="utf-8")
    start, end = text.index("\npersonas:\n") + 1, text.index("\npartners:\n") + 1
    shared = root / "shared" / "personas.yaml"
    shared.parent.mkdir()
    shared.write_text(text[start:end], encoding="utf-8")
    for playbook in playbooks:
        own = playbook.read_text(encoding="utf-8")
        own = own[:start] + own[end:]
        playbook.write_text(own.replace("gtmgen: 1\n", "gtmgen: 1\ninclude: "
                                        "../../shared/personas.yaml\n", 1), encoding="utf-8")
    return shared


def stamps(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "strategies"
    root.mkdir()
    make_repository(root)
    monkeypatch.chdir(root)
    return root


def test_a_folder_of_three_playbooks_builds_each_into_its_own_folder(gtmgen, repo) -> None:
    run = gtmgen("build", "clients", "--format", "md,json")
    assert run.code == 0, run.err
    for client in ("acme", "birch", "cobalt"):
        out = repo / "build" / "clients" / client / "playbook"
        assert sorted(p.name for p in out.iterdir()) == [
            ".gtmgen-manifest.json", "hiring-plan.md", "launch-calendar.md", "plan.json",
            "playbook.md", "roles.md"]
        assert (f"built clients/{client}/playbook.yaml → build/clients/{client}/playbook "
                "(5 files written, 0 unchanged)") in run.out
    assert "Acme" in (repo / "build/clients/acme/playbook/playbook.md").read_text()
    assert run.out.splitlines()[-1] == "3 playbooks: 3 built"


def test_a_second_build_skips_every_playbook_with_one_line_each(gtmgen, repo) -> None:
    assert gtmgen("build", "clients", "--format", "md").code == 0
    before = stamps(repo / "build")
    run = gtmgen("build", "clients", "--format", "md")
    assert run.code == 0
    skipped = [line for line in run.out.splitlines() if line.startswith("unchanged ")]
    assert skipped == [f"unchanged clients/{c}/playbook.yaml: nothing changed since the last "
                       "build (--force builds it again)" for c in ("acme", "birch", "cobalt")]
    assert run.out.splitlines()[-1] == "3 playbooks: 3 unchanged"
    assert stamps(repo / "build") == before  # not a byte touched, the index neither


def test_one_edit_rebuilds_just_that_playbook(gtmgen, repo) -> None:
    assert gtmgen("build", "clients", "--format", "md").code == 0
    birch = repo / "clients/birch/playbook.yaml"
    birch.write_text(birch.read_text().replace("name: Birch", "name: Birch & Sons"))
    run = gtmgen("build", "clients", "--format", "md")
    assert run.code == 0
    assert run.out.splitlines()[-1] == "3 playbooks: 1 built, 2 unchanged"
    assert "built clients/birch/playbook.yaml" in run.out
    assert "Birch &amp; Sons" in (repo / "build/index.html").read_text()


def test_force_builds_everything_again(gtmgen, repo) -> None:
    assert gtmgen("build", "clients", "--format", "md").code == 0
    run = gtmgen("build", "clients", "--format", "md", "--force")
    assert run.out.splitlines()[-1] == "3 playbooks: 3 built"
    # Four documents in Markdown, the same bytes, so nothing replaced.
    assert run.out.count("(0 files written, 4 unchanged)") == 3


@pytest.mark.parametrize("change", ["option", "template", "theme", "output"])
def test_what_a_build_depends_on_makes_it_build_again(gtmgen, repo, change: str) -> None:
    assert gtmgen("build", "clients/acme/playbook.yaml", "--format", "md").code == 0
    out = repo / "clients/acme/build/playbook"
    args = ["build", "clients/acme/playbook.yaml", "--format", "md"]
    if change == "option":
        args += ["--no-charts"]
    elif change == "template":  # a templates folder appears beside the playbook
        (repo / "clients/acme/templates").mkdir()
        (repo / "clients/acme/templates/notes.txt").write_text("kept for later")
    elif change == "theme":  # a theme.yaml appears beside the playbook
        (repo / "clients/acme/theme.yaml").write_text("header: Acme board pack\n")
    else:  # someone edits an output by hand
        (out / "roles.md").write_text("edited")
        os.utime(out / "roles.md", ns=(2**62, 2**62))
    run = gtmgen(*args)
    assert run.code == 0, run.err
    assert not run.out.startswith("unchanged clients"), run.out
    assert (out / "roles.md").read_text() != "edited"


def test_an_invalid_playbook_stops_only_itself_and_sets_the_exit_code(gtmgen, repo) -> None:
    cobalt = repo / "clients/cobalt/playbook.yaml"
    cobalt.write_text(cobalt.read_text().replace("launch:\n", "launch:\n  wekdays: 5\n", 1))
    run = gtmgen("build", "clients", "--format", "md")
    assert run.code == 1
    assert re.search(r"clients/cobalt/playbook.yaml:\d+:3: error: unknown key 'wekdays'",
                     run.err)
    assert "clients/cobalt/playbook.yaml: invalid: 1 error" in run.err
    assert not (repo / "build/clients/cobalt").exists()  # nothing written for it
    assert (repo / "build/clients/acme/playbook/playbook.md").is_file()
    assert run.out.splitlines()[-1] == "3 playbooks: 2 built, 1 invalid"


def test_the_exit_code_is_the_worst_of_all_playbooks(gtmgen, repo) -> None:
    cobalt = repo / "clients/cobalt/playbook.yaml"
    cobalt.write_text(cobalt.read_text().replace("launch:\n", "launch:\n  wekdays: 5\n", 1))
    (repo / "build/clients/acme").mkdir(parents=True)
    (repo / "build/clients/acme/playbook").write_text("a file where a folder goes")
    run = gtmgen("build", "clients", "--format", "md")
    assert run.code == 3  # an output that cannot be written (3) is worse than invalid (1)
    assert "gtmgen: clients/acme/playbook.yaml: cannot write into" in run.err
    assert (repo / "build/clients/birch/playbook/playbook.md").is_file()


def test_the_index_links_every_playbook_document(gtmgen, repo) -> None:
    assert gtmgen("build", "clients", "--format", "md,html,json").code == 0
    page = (repo / "build/index.html").read_text()
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', page)
    assert ("clients/acme/playbook/playbook.html", "HTML") in links
    assert ("clients/cobalt/playbook/hiring-plan.md", "Markdown") in links
    assert ("clients/birch/playbook/plan.json", "JSON") in links
    assert len(links) == 3 * (4 * 2 + 1)  # four documents in two formats, and the plan data
    for href, _ in links:
        assert (repo / "build" / href).is_file()
    assert page.index("Acme") < page.index("Birch") < page.index("Cobalt")
    assert "clients/acme/playbook.yaml" in page


def test_a_playbook_that_became_invalid_is_marked_in_the_index(gtmgen, repo) -> None:
    assert gtmgen("build", "clients", "--format", "md").code == 0
    cobalt = repo / "clients/cobalt/playbook.yaml"
    cobalt.write_text(cobalt.read_text().replace("launch:\n", "launch:\n  wekdays: 5\n", 1))
    assert gtmgen("build", "clients", "--format", "md").code == 1
    page = (repo / "build/index.html").read_text()
    assert page.count("not rebuilt: the playbook is invalid") == 1
    assert page.index("Cobalt") < page.index("not rebuilt")


def test_a_committed_link_from_build_to_outside_the_repository_is_refused(
        gtmgen, tmp_path, monkeypatch) -> None:
    repo = tmp_path / "clone"
    (repo / ".git").mkdir(parents=True)
    playbook = make_repository(repo, ("Acme",))[0]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (playbook.parent / "build").symlink_to(elsewhere)
    monkeypatch.chdir(repo)
    run = gtmgen("build", playbook)
    assert run.code == 3
    assert "refusing to write into" in run.err and f"outside {repo}" in run.err
    assert list(elsewhere.iterdir()) == []
    # Named with --out, the same folder is the user's choice, and followed.
    run = gtmgen("build", playbook, "--out", playbook.parent / "build" / "playbook")
    assert run.code == 0, run.err
    assert (elsewhere / "playbook" / "playbook.md").is_file()


def test_many_playbooks_in_worker_processes_give_the_same_bytes(tmp_path) -> None:
    root = tmp_path / "repo"
    make_repository(root)
    outputs = {}
    for jobs in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "gtmgen.cli", "build", "clients", "--force",
                               "--format", "md,json", "--jobs", jobs, "--out", f"out{jobs}"],
                              cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "\r" not in done.stderr + done.stdout  # no progress line when not a terminal
        outputs[jobs] = {str(p.relative_to(root / f"out{jobs}")): p.read_bytes()
                         for p in sorted((root / f"out{jobs}").rglob("*"))
                         if p.is_file() and p.name != ".gtmgen-manifest.json"}
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"]) == 3 * 5 + 1  # three playbooks' five files, and the index


def test_no_playbook_in_a_folder_is_wrong_usage(gtmgen, tmp_path, monkeypatch) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    run = gtmgen("build", "empty")
    assert run.code == 2
    assert "no playbook found in empty" in run.err


def test_three_playbooks_sharing_a_personas_file(gtmgen, tmp_path, monkeypatch) -> None:
    root = tmp_path / "strategies"
    playbooks = make_repository(root)
    shared = share_personas(root, playbooks)
    monkeypatch.chdir(root)
    first = gtmgen("build", ".", "--format", "md")
    assert first.code == 0, first.err
    assert first.out.splitlines()[-1] == "3 playbooks: 3 built"
    for client in ("acme", "birch", "cobalt"):  # the shared personas are in each document
        text = (root / f"build/clients/{client}/playbook/playbook.md").read_text()
        assert "Olivia, the office manager" in text
    assert gtmgen("build", ".", "--format", "md").out.splitlines()[-1] == \
        "3 playbooks: 3 unchanged"
    birch = root / "clients/birch/playbook.yaml"
    birch.write_text(birch.read_text().replace("name: Birch", "name: Birch Bakery"))
    assert gtmgen("build", ".", "--format", "md").out.splitlines()[-1] == \
        "3 playbooks: 1 built, 2 unchanged"
    # An edit of the shared file rebuilds every playbook that includes it.
    shared.write_text(shared.read_text().replace("Olivia, the office manager",
                                                 "Olivia, office manager"))
    run = gtmgen("build", ".", "--format", "md")
    assert run.out.splitlines()[-1] == "3 playbooks: 3 built"
    assert "Olivia, office manager" in \
        (root / "build/clients/cobalt/playbook/playbook.md").read_text()


def test_an_error_in_the_shared_file_is_reported_at_its_line_for_each_playbook(
        gtmgen, tmp_path, monkeypatch) -> None:
    root = tmp_path / "strategies"
    shared = share_personas(root, make_repository(root))
    lines = shared.read_text().splitlines()
    # Line 1 is "personas:", line 2 "  - id: weekend-parent"; a misspelt key goes in as
    # line 3, at column 5.
    assert lines[:2] == ["personas:", "  - id: weekend-parent"]
    shared.write_text("\n".join([*lines[:2], "    nmae: Maya", *lines[2:]]) + "\n")
    monkeypatch.chdir(root)
    run = gtmgen("build", ".", "--format", "md")
    assert run.code == 1
    located = [line for line in run.err.splitlines()
               if line.startswith("shared/personas.yaml:3:5: error: unknown key 'nmae'")]
    assert len(located) == 3  # once for each playbook that includes it
    for client in ("acme", "birch", "cobalt"):
        assert f"clients/{client}/playbook.yaml: invalid: 1 error" in run.err
    assert not (root / "build" / "clients").exists()


def configured(root: Path, text: str) -> None:
    (root / "gtmgen.toml").write_text(text, encoding="utf-8")


def test_no_argument_builds_what_gtmgen_toml_says(gtmgen, tmp_path, monkeypatch) -> None:
    root = tmp_path / "strategies"
    make_repository(root)
    (root / "archive").mkdir()
    (root / "archive" / "playbook.yaml").write_text(CRUMB.read_text())
    configured(root, 'formats = ["md", "json"]\nout = "site"\nexclude = ["archive"]\n'
                     '[defaults]\nlocale = "nl"\n')
    monkeypatch.chdir(root / "clients")  # found by walking up
    run = gtmgen("build")
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1] == "3 playbooks: 3 built"
    out = root / "site" / "clients" / "acme" / "playbook"
    assert (out / "plan.json").is_file() and (out / "playbook.md").is_file()
    assert not (out / "playbook.docx").exists()
    assert not (root / "site" / "archive").exists()
    # The index speaks the repository's default language.
    page = (root / "site" / "index.html").read_text()
    assert '<html lang="nl">' in page and "<th scope=\"col\">Documenten</th>" in page


def test_the_repository_default_locale_reaches_a_playbook_that_leaves_it_out(
        gtmgen, tmp_path, monkeypatch) -> None:
    root = tmp_path / "strategies"
    playbook = make_repository(root, ("Acme",))[0]
    text = playbook.read_text()
    assert "  locale: en\n" in text
    playbook.write_text(text.replace("  locale: en\n", ""))
    configured(root, '[defaults]\nlocale = "nl"\n')
    monkeypatch.chdir(root)
    assert gtmgen("build", "--format", "md").code == 0
    document = (root / "build/clients/acme/playbook/launch-calendar.md").read_text()
    assert "Lanceringskalender" in document  # the title, in Dutch


def test_a_mistake_in_gtmgen_toml_stops_the_build_at_its_line(gtmgen, tmp_path,
                                                              monkeypatch) -> None:
    root = tmp_path / "strategies"
    make_repository(root)
    configured(root, 'formats = ["md"]\nformts = ["docx"]\n')
    monkeypatch.chdir(root)
    run = gtmgen("build")
    assert run.code == 1
    assert "gtmgen.toml:2:1: error: unknown key 'formts'; did you mean 'formats'?" in run.err
    assert not (root / "build").exists()


def test_the_output_root_leading_out_of_the_repository_is_refused(gtmgen, tmp_path,
                                                                  monkeypatch) -> None:
    root = tmp_path / "strategies"
    make_repository(root)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "build").symlink_to(elsewhere)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    run = gtmgen("build", "clients")
    assert run.code == 3
    assert run.err.count("refusing to write into") == 3
    assert list(elsewhere.iterdir()) == []


def test_the_index_links_only_our_own_files_and_never_a_scheme(tmp_path) -> None:
    from gtmgen.manifest import MANIFEST
    from gtmgen.render.index import index_entries

    playbook = tmp_path / "playbook.yaml"
    playbook.write_text("gtmgen: 1\n")
    out = tmp_path / "build"
    out.mkdir()
    (out / MANIFEST).write_text(json.dumps({
        "manifest": 1, "environment": "x", "options": "y", "inputs": {},
        "outputs": ["javascript:alert(1).html", "playbook.html", "notes.exe"],
        "about": {"playbook": str(playbook), "client": "A", "product": "B"}}))
    [entry] = index_entries(out, tmp_path, {})
    assert entry["documents"] == [("playbook", [("html", "playbook.html")])]


def test_jobs_in_gtmgen_toml_is_bounded_like_the_option(gtmgen, tmp_path, monkeypatch) -> None:
    root = tmp_path / "strategies"
    make_repository(root, ("Acme",))
    configured(root, "jobs = 100000\n")
    monkeypatch.chdir(root)
    run = gtmgen("build")
    assert run.code == 1
    assert "gtmgen.toml:1:8: error: 'jobs' is how many playbooks to build at once: a whole " \
           "number from 1 to 256, like jobs = 2; found the number 100000" in run.err
