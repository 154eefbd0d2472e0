"""Which files are playbooks: the config's globs, the `gtmgen:` marker, the folders never
searched, symlinks, and the paths given on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmgen.config import find_config
from gtmgen.discover import discover, excluded, has_marker, matches
from gtmgen.errors import UsageError

PLAYBOOK = "gtmgen: 1\nclient: {name: A, product: B}\n"


def put(root: Path, relative: str, text: str = PLAYBOOK) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository of playbooks with everything discovery must find or pass by."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for relative in ("clients/acme/playbook.yaml", "clients/beta/eu/playbook.yaml",
                     "playbook.yaml",
                     # never searched: hidden, build output, templates, the output root
                     ".venv/lib/playbook.yaml", "clients/acme/.drafts/playbook.yaml",
                     "clients/acme/build/playbook/playbook.yaml",
                     "clients/acme/templates/playbook.yaml", "deliverables/acme/playbook.yaml",
                     # excluded by the config
                     "archive/2025/playbook.yaml", "clients/beta/old-playbook.yaml"):
        put(root, relative)
    put(root, "pitches/q3-launch.yml", "# a pitch\n'gtmgen': 1\nclient: {}\n")  # marker only
    put(root, "pitches/notes.yaml", "title: notes\nbody: |\n  gtmgen: 1\n")  # not at the top
    put(root, "pitches/theme.yaml", "fonts: {body: Arial}\n")
    put(root, "clients/acme/playbook.md", "gtmgen: 1\n")  # not YAML
    outside = tmp_path / "elsewhere"
    put(outside, "playbook.yaml")
    (root / "clients" / "linked-out").symlink_to(outside)  # leaves the repository: skipped
    (root / "clients" / "alias").symlink_to(root / "clients" / "acme")  # same files again
    put(root, "gtmgen.toml", 'exclude = ["archive", "**/old-*.yaml"]\nout = "deliverables"\n')
    return root


def names(found: list[Path]) -> list[str]:
    return [path.as_posix() for path in found]


def test_no_paths_means_the_repository_by_its_config(repo) -> None:
    config = find_config(repo)
    assert names(discover([], config, repo)) == [
        "clients/acme/playbook.yaml", "clients/beta/eu/playbook.yaml", "pitches/q3-launch.yml",
        "playbook.yaml"]


def test_from_a_subfolder_the_paths_are_relative_to_it(repo) -> None:
    config = find_config(repo / "clients")
    assert names(discover([], config, repo / "clients")) == [
        "../pitches/q3-launch.yml", "../playbook.yaml", "acme/playbook.yaml",
        "beta/eu/playbook.yaml"]


def test_a_folder_given_is_searched_by_the_config_rules(repo) -> None:
    config = find_config(repo)
    assert names(discover([Path("clients")], config, repo)) == [
        "clients/acme/playbook.yaml", "clients/beta/eu/playbook.yaml"]
    # A folder never searched when walking is searched when named.
    assert names(discover([Path("archive")], config, repo)) == []  # but still excluded
    assert names(discover([Path(".venv")], config, repo)) == [".venv/lib/playbook.yaml"]


def test_the_config_globs_choose_the_playbooks(repo) -> None:
    put(repo, "gtmgen.toml", 'playbooks = ["clients/*/playbook.yaml"]\n')
    config = find_config(repo)
    assert config is not None
    # clients/beta/eu is two folders down; the marker rule still finds the others.
    assert names(discover([], config, repo)) == [
        "archive/2025/playbook.yaml", "clients/acme/playbook.yaml",
        "clients/beta/eu/playbook.yaml", "clients/beta/old-playbook.yaml",
        "deliverables/acme/playbook.yaml", "pitches/q3-launch.yml", "playbook.yaml"]
    put(repo, "clients/beta/eu/playbook.yaml", "client: {name: A}\n")  # no marker now
    assert "clients/beta/eu/playbook.yaml" not in names(discover([], find_config(repo), repo))


def test_without_a_config_the_current_folder_by_the_default_rules(repo) -> None:
    (repo / "gtmgen.toml").unlink()
    assert names(discover([], None, repo / "clients")) == [
        "acme/playbook.yaml", "beta/eu/playbook.yaml", "beta/old-playbook.yaml"]


def test_files_given_are_taken_as_they_are_once_each(repo) -> None:
    config = find_config(repo)
    found = discover([Path("pitches/theme.yaml"), Path("archive/2025/playbook.yaml"),
                      Path("clients"), Path("./clients/acme/playbook.yaml"),
                      Path("clients/alias/playbook.yaml")], config, repo)
    assert names(found) == ["archive/2025/playbook.yaml", "clients/acme/playbook.yaml",
                            "clients/beta/eu/playbook.yaml", "pitches/theme.yaml"]


def test_paths_that_do_not_exist_are_wrong_usage_naming_them(repo) -> None:
    with pytest.raises(UsageError) as caught:
        discover([Path("clients"), Path("nope.yaml"), Path("gone")], None, repo)
    assert caught.value.exit_code == 2
    assert str(caught.value) == "'nope.yaml', 'gone' do not exist"


def test_a_folder_outside_any_config_uses_the_default_rules(repo, tmp_path) -> None:
    other = tmp_path / "other"
    put(other, "x/playbook.yaml")
    put(other, "x/build/playbook.yaml")
    put(other, "y/launch.yaml")
    put(other, "y/old-launch.yaml", "gtmgen: 1\n")
    found = discover([other], find_config(repo), repo)
    assert found == [other / "x/playbook.yaml", other / "y/launch.yaml",
                     other / "y/old-launch.yaml"]


def test_a_symlinked_folder_inside_the_repository_is_followed_once(repo) -> None:
    (repo / "gtmgen.toml").unlink()
    (repo / "clients" / "acme").rename(repo / "shared-acme")
    (repo / "clients" / "alias").unlink()
    (repo / "clients" / "acme").symlink_to(repo / "shared-acme")
    (repo / "clients" / "loop").symlink_to(repo / "clients")  # a cycle ends
    found = names(discover([Path("clients")], None, repo))
    assert found == ["clients/acme/playbook.yaml", "clients/beta/eu/playbook.yaml",
                     "clients/beta/old-playbook.yaml"]


@pytest.mark.parametrize(("text", "marked"), [
    (b"gtmgen: 1\n", True),
    (b"\xef\xbb\xbfgtmgen: 1\n", True),
    (b"# comment\n\"gtmgen\" : 1\n", True),
    (b"client:\n  gtmgen: 1\n", False),
    (b"gtmgen_version: 1\n", False),
    (b"gtmgen:\n", True),
    (b"x: 1\r\ngtmgen: 1\r\n", True),
    (b"\xff\xfe binary", False),
])
def test_marker_is_a_top_level_gtmgen_key(tmp_path, text, marked) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(text)
    assert has_marker(path) is marked


def test_marker_reads_only_the_first_mebibyte(tmp_path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# padding\n" * 110_000 + b"gtmgen: 1\n")  # 1.1 MB before the key
    assert not has_marker(path)


@pytest.mark.parametrize(("glob", "path", "matched"), [
    ("**/playbook.yaml", "playbook.yaml", True),
    ("**/playbook.yaml", "a/b/c/playbook.yaml", True),
    ("**/playbook.yaml", "a/my-playbook.yaml", False),
    ("clients/*/playbook.yaml", "clients/acme/playbook.yaml", True),
    ("clients/*/playbook.yaml", "clients/a/b/playbook.yaml", False),
    ("clients/**", "clients/a/b/x.yaml", True),
    ("*.y?ml", "launch.yaml", True),
    ("*.y?ml", "sub/launch.yaml", False),
    ("[!x]*.yaml", "a.yaml", True),
    ("[!x]*.yaml", "x.yaml", False),
    ("/clients/*.yaml", "clients/a.yaml", True),
])
def test_globs(glob, path, matched) -> None:
    assert matches(path, [glob]) is matched


def test_exclude_covers_a_folder_and_everything_in_it() -> None:
    assert excluded("archive/2025/playbook.yaml", ["archive"])
    assert excluded("archive/2025/playbook.yaml", ["*/2025"])
    assert not excluded("archives/playbook.yaml", ["archive"])


def test_validate_checks_the_whole_repository(gtmgen, repo, monkeypatch) -> None:
    monkeypatch.chdir(repo / "clients")
    run = gtmgen("validate")
    assert run.code == 1  # these tiny playbooks are not complete
    assert [line.split(":")[0] for line in run.out.splitlines()] == [
        "../pitches/q3-launch.yml", "../playbook.yaml", "acme/playbook.yaml",
        "beta/eu/playbook.yaml"]
    assert "acme/playbook.yaml:2:9: error: the client section is missing the required key " \
           "'name'" not in run.err
    assert "acme/playbook.yaml:1:1: error: the playbook is missing the required key " \
           "'launch'" in run.err
