"""Hostile inputs to the repository features (gtmgen.toml, discovery, include, building many
playbooks, the picture cache, gtmgen diff): each ends in a located, plain-words error or a
build, never a traceback, a hang or a half-written output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CRUMB

# Commands that must not hang run in a child process with a deadline.
DEADLINE = 60


def child(folder: Path, *args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`gtmgen ARGS` in `folder`, in a process of its own; a hang fails the test."""
    env = dict(os.environ)
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    return subprocess.run([sys.executable, "-m", "gtmgen.cli", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=DEADLINE, check=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (gtmgen.toml, Markdown only) with the crumb example at its top."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "gtmgen.toml").write_text('formats = ["md"]\n', encoding="utf-8")
    (root / "playbook.yaml").write_bytes(CRUMB.read_bytes())
    monkeypatch.chdir(root)
    return root


def _no_trace(err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err


# gtmgen.toml


def test_a_gtmgen_toml_nested_too_deeply_is_a_located_error(gtmgen, repo) -> None:
    (repo / "gtmgen.toml").write_text("playbooks = " + "[" * 5000 + "]" * 5000 + "\n")
    run = gtmgen("validate")
    _no_trace(run.err)
    assert run.code == 1
    assert "gtmgen.toml:1:" in run.err and "nested" in run.err


@pytest.mark.parametrize("key", ["out", "theme", "templates"])
@pytest.mark.parametrize("value", ["bu\\u0000ild", "a" * 5000])
def test_a_path_in_gtmgen_toml_no_system_can_hold_is_a_located_error(gtmgen, repo, key,
                                                                     value) -> None:
    (repo / "gtmgen.toml").write_text(f'{key} = "{value}"\n', encoding="utf-8")
    run = gtmgen("validate")
    _no_trace(run.err)
    assert run.code == 1
    assert f"gtmgen.toml:1:{len(key) + 4}: error:" in run.err


def test_a_glob_with_a_reversed_range_matches_nothing(gtmgen, repo) -> None:
    (repo / "gtmgen.toml").write_text('playbooks = ["[z-a].yaml", "playbook.yaml"]\n')
    (repo / "x.yaml").write_text("a: 1\n")
    run = gtmgen("validate")
    _no_trace(run.err)
    assert run.code == 0 and "playbook.yaml: valid" in run.out


def test_a_glob_of_many_stars_is_matched_in_time(repo) -> None:
    (repo / "gtmgen.toml").write_text('playbooks = ["' + "*a" * 14 + '*b.yaml", '
                                      '"**/**/**/**/**/**/**/**/**/**/**/**/**/**/c.yaml", '
                                      '"playbook.yaml"]\n')
    (repo / ("a" * 60 + ".yaml")).write_text("a: 1\n")
    deep = repo.joinpath(*["d"] * 30)
    deep.mkdir(parents=True)
    (deep / "x.yaml").write_text("a: 1\n")
    run = child(repo, "validate")
    assert run.returncode == 0, run.stderr
    assert "playbook.yaml: valid" in run.stdout


# discovery


def test_a_fifo_named_yaml_is_not_waited_on(repo) -> None:
    os.mkfifo(repo / "x.yaml")
    run = child(repo, "validate")
    assert run.returncode == 0, run.stderr
    assert "playbook.yaml: valid" in run.stdout


def test_a_loop_of_symbolic_links_named_yaml_is_passed_by(gtmgen, repo) -> None:
    (repo / "a.yaml").symlink_to("b.yaml")
    (repo / "b.yaml").symlink_to("a.yaml")
    run = gtmgen("validate")
    _no_trace(run.err)
    assert run.code == 0 and "playbook.yaml: valid" in run.out


# include


def test_an_include_of_a_loop_of_symbolic_links_is_a_located_error(gtmgen, repo) -> None:
    text = CRUMB.read_text(encoding="utf-8")
    (repo / "playbook.yaml").write_text(text.replace("gtmgen: 1\n", "gtmgen: 1\ninclude: "
                                                     "loop.yaml\n", 1), encoding="utf-8")
    (repo / "loop.yaml").symlink_to("loop.yaml")
    run = gtmgen("validate")
    _no_trace(run.err)
    assert run.code == 1
    assert "playbook.yaml:4:10: error: 'loop.yaml' cannot be a path here (Too many levels of " \
           "symbolic links)" in run.err


# building many


def test_two_playbooks_with_one_output_folder_are_refused(gtmgen, repo) -> None:
    (repo / "c").mkdir()
    (repo / "c" / "x.yaml").write_bytes(CRUMB.read_bytes())
    (repo / "c" / "x.yml").write_bytes(CRUMB.read_bytes())
    run = gtmgen("build", "c")
    _no_trace(run.err)
    assert run.code == 3
    assert ("gtmgen: c/x.yaml: its output folder build/c/x is also that of c/x.yml; rename "
            "one of them") in run.err
    assert "gtmgen: c/x.yml: its output folder build/c/x is also that of c/x.yaml" in run.err
    assert not (repo / "build" / "c").exists()


def _built(repo: Path) -> Path:
    run = child(repo, "build")
    assert run.returncode == 0, run.stderr
    return repo / "build" / "playbook" / ".gtmgen-manifest.json"


@pytest.mark.parametrize("change", ["outputs", "about", "inputs", "deep", "huge"])
def test_a_manifest_of_the_wrong_shape_is_built_again(repo, change) -> None:
    manifest = _built(repo)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    if change == "outputs":
        data["outputs"] = [1, 2]
    elif change == "about":
        data["about"] = {"client": ["a"], "playbook": 5}
    elif change == "inputs":
        data["inputs"] = [["a", 1]]
    text = json.dumps(data)
    if change == "deep":
        text = "[" * 100_000 + "]" * 100_000
    elif change == "huge":
        text = text[:-1] + ', "x": "' + "x" * (64 * 1024 * 1024) + '"}'
    manifest.write_text(text, encoding="utf-8")
    run = child(repo, "build")
    assert run.returncode == 0, run.stderr
    assert "built playbook.yaml" in run.stdout
    assert (repo / "build" / "index.html").is_file()


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_manifest_that_never_ends_is_not_waited_on(repo, kind) -> None:
    manifest = _built(repo)
    manifest.unlink()
    if kind == "fifo":
        os.mkfifo(manifest)
    else:
        manifest.symlink_to("/dev/zero")
    run = child(repo, "build")
    if kind == "fifo":
        assert run.returncode == 0, run.stderr
    else:  # read as no manifest; then not written through the link
        assert run.returncode == 3
        assert "refusing to write '.gtmgen-manifest.json': it leads outside" in run.stderr


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_manifest_input_that_never_ends_is_not_read(repo, kind) -> None:
    manifest = _built(repo)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    endless = "/dev/zero"
    if kind == "fifo":
        os.mkfifo(repo / "pipe")
        endless = str(repo / "pipe")
    data["inputs"] = {endless: "0" * 64, **data["inputs"]}
    manifest.write_text(json.dumps(data), encoding="utf-8")
    run = child(repo, "build")
    assert run.returncode == 0, run.stderr
    assert "built playbook.yaml" in run.stdout


# the picture cache


def _pictures(cache: Path) -> list[Path]:
    found = sorted((cache / "gtmgen").glob("pictures-*/*.*"))
    assert found
    return found


@pytest.mark.parametrize("kind", ["fifo", "zero", "cut", "folder"])
def test_a_hostile_kept_picture_is_drawn_again(repo, tmp_path, kind) -> None:
    cache = tmp_path / "cache"
    first = child(repo, "build", "--format", "docx,html", "--out", "first", cache=cache)
    assert first.returncode == 0, first.stderr
    for picture in _pictures(cache):
        data = picture.read_bytes()
        picture.unlink()
        if kind == "fifo":
            os.mkfifo(picture)
        elif kind == "zero":
            picture.symlink_to("/dev/zero")
        elif kind == "cut":
            picture.write_bytes(data[:40])
        else:
            picture.mkdir()
    again = child(repo, "build", "--format", "docx,html", "--out", "second", cache=cache)
    assert again.returncode == 0, again.stderr
    for name in ("playbook.docx", "playbook.html"):
        assert (repo / "first" / "playbook" / name).read_bytes() == \
            (repo / "second" / "playbook" / name).read_bytes()


# gtmgen diff


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                    "-c", "commit.gpgsign=false", *args], cwd=folder, capture_output=True,
                   check=True)


def test_diff_reads_folders_whose_names_are_not_utf8(tmp_path, gtmgen, monkeypatch) -> None:
    root = tmp_path / "repo"
    folder = Path(os.fsdecode(bytes(root) + b"/c\xff"))
    folder.mkdir(parents=True)
    (folder / "gtmgen.toml").write_text("")
    (folder / "playbook.yaml").write_bytes(CRUMB.read_bytes())
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "one")
    text = (folder / "playbook.yaml").read_text(encoding="utf-8")
    (folder / "playbook.yaml").write_text(text.replace("2027-03-01", "2027-03-08"))
    monkeypatch.chdir(root)
    run = gtmgen("diff", "--git", "HEAD", "--format", "json")
    _no_trace(run.err)
    assert run.code == 1 and json.loads(run.out)["playbooks"][0]["status"] == "changed"
    monkeypatch.chdir(folder)
    run = gtmgen("diff", "HEAD:playbook.yaml", "playbook.yaml")
    _no_trace(run.err)
    assert run.code == 1


def test_diff_reads_a_revision_with_a_huge_file_as_a_stream(tmp_path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "playbook.yaml").write_bytes(CRUMB.read_bytes())
    size = 300 * 1024 * 1024
    with (root / "big.bin").open("wb") as stream:
        stream.truncate(size)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "one")
    # The peak of this process's own memory (VmHWM; ru_maxrss would count pytest's, forked).
    code = ("import re, sys\nfrom gtmgen.cli import main\nsys.argv = ['gtmgen', 'diff', "
            "'HEAD:playbook.yaml', 'playbook.yaml']\ntry:\n    main()\nexcept SystemExit as done:"
            "\n    status = open('/proc/self/status').read()\n"
            "    print(done.code, re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=DEADLINE, check=False)
    status, peak_kib = done.stdout.split()[-2:]
    assert status == "0", done.stderr
    assert int(peak_kib) * 1024 < size, "the archive was held in memory whole"
