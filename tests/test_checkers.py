"""The documents through the checkers an auditor runs, none of them ours: axe-core (every WCAG
2.x A and AA rule and the best practices) in Chromium and the Nu HTML Checker on every HTML
page, markdownlint with the committed config (tests/checkers/.markdownlint.yaml) on every
Markdown file. They read what the three examples build in all six locales, with the reviews of
the two that have results. `make test` installs the checkers from tests/checkers/package-lock.json;
each test skips with its reason where its checker or the program it needs is missing."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bilingual import write_one_locale
from tests.browser import FLAGS, chromium
from tests.conftest import ROOT

CHECKERS = ROOT / "tests" / "checkers"
MODULES = CHECKERS / "node_modules"
LOCALES = ("en", "nl", "vi", "zh", "ru", "ky")
EXAMPLES = ("crumb", "ledgerly", "fietsdeel")
# axe-core's tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@dataclass(frozen=True)
class Built:
    """One example built in one locale: its output folder, and whether its texts are written
    in that language (a locale swapped in for the test leaves the client's words English)."""

    name: str
    folder: Path
    own_language: bool


def _gtmgen(*args: str | Path) -> None:
    from gtmgen.cli import main

    argv, sys.argv = sys.argv, ["gtmgen", *map(str, args)]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            main()
    except SystemExit as done:
        assert not done.code, out.getvalue()
    finally:
        sys.argv = argv


def _in_locale(source: Path, target: Path, locale: str) -> Path:
    """The example at `source` copied to `target`, its client's locale set to `locale`."""
    shutil.copytree(source.parent, target)
    playbook = target / "playbook.yaml"
    if "  locales:" in source.read_text(encoding="utf-8"):
        write_one_locale(source, playbook, "en")
    text, count = re.subn(r"^  locale: \w+$", f"  locale: {locale}",
                          playbook.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert count == 1
    playbook.write_text(text, encoding="utf-8")
    return playbook


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[Built]:
    root = tmp_path_factory.mktemp("checked")
    found: list[Built] = []
    for example in EXAMPLES:
        source = ROOT / "playbooks" / example / "playbook.yaml"
        own = re.findall(r"^  locales?: \[?([\w, ]+)\]?$", source.read_text(encoding="utf-8"),
                         flags=re.M)[0].split(", ")
        jobs = []  # (playbook, output folder, the locales it holds)
        if len(own) > 1:  # crumb: one build writes a folder per language it is written in
            jobs.append((source, root / example, own))
        for locale in LOCALES:
            if len(own) == 1 or locale not in own:
                jobs.append((_in_locale(source, root / f"{example}-{locale}" / "in", locale),
                             root / f"{example}-{locale}" / "out", [locale]))
        for playbook, out, locales in jobs:
            _gtmgen("build", playbook, "--format", "md,html", "--out", out)
            if (playbook.parent / "results.csv").exists():
                _gtmgen("review", playbook, "--format", "md,html", "--out", out)
            found += [Built(f"{example}-{locale}", out / locale if len(locales) > 1 else out,
                            locale in own) for locale in locales]
    return found


def _files(built: list[Built], suffix: str, own: bool | None = None) -> list[Path]:
    return sorted(path for item in built if own is None or item.own_language == own
                  for path in item.folder.glob(f"*{suffix}"))


def test_every_example_and_review_is_checked(built: list[Built]) -> None:
    # 3 examples × 6 locales; 4 documents each, and a review for crumb's and ledgerly's 6.
    assert len(built) == 18
    assert len(_files(built, ".html")) == 18 * 4 + 12
    assert len(_files(built, ".md")) == 18 * 4 + 12


def _node() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (Debian: apt install nodejs npm)")
    major = int(subprocess.run([node, "--version"], capture_output=True, text=True,
                               check=True).stdout.strip().lstrip("v").split(".")[0])
    if major < 20:
        pytest.skip(f"markdownlint-cli2 needs Node.js 20 or newer; this is {major}")
    if not (MODULES / ".installed").exists():
        pytest.skip("the checkers are not installed: run `make checkers` (needs npm)")


def test_markdownlint_finds_nothing(built: list[Built]) -> None:
    _node()
    files = _files(built, ".md")
    run = subprocess.run([str(MODULES / ".bin" / "markdownlint-cli2"), "--config",
                          str(CHECKERS / ".markdownlint.yaml"), *map(str, files)],
                         capture_output=True, text=True, cwd=files[0].parent.parent)
    findings = [line for line in (run.stdout + run.stderr).splitlines() if " MD0" in line]
    assert run.returncode == 0 and not findings, "\n".join(findings[:40]) or run.stderr


def _vnu(files: list[Path], *options: str) -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("Java is not installed (Debian: apt install default-jre-headless)")
    jar = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        pytest.skip("the Nu HTML Checker is not installed: run `make checkers` (needs npm)")
    run = subprocess.run([java, "-jar", str(jar), "--format", "json", "--also-check-css",
                          *options, *map(str, files)], capture_output=True, text=True)
    messages = json.loads(run.stderr)["messages"]
    # Every error and every warning; a plain note ("info" without "warning") is neither.
    return [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['type']}: {m['message']}"
            for m in messages if m["type"] != "info" or m.get("subType") == "warning"]


def test_nu_html_checker_finds_no_error_and_no_warning(built: list[Built]) -> None:
    found = _vnu(_files(built, ".html", own=True))
    # A locale swapped in by the test labels English words with, say, Chinese: the checker's
    # guess of the text's language would rightly disagree with the page's, so it is off there.
    found += _vnu(_files(built, ".html", own=False), "--no-langdetect")
    assert not found, "\n".join(found[:40])


def _axe(files: list[Path]) -> list[str]:
    executable = chromium()
    if not (MODULES / "axe-core" / "axe.min.js").exists():
        pytest.skip("axe-core is not installed: run `make checkers` (needs npm)")
    from playwright.sync_api import sync_playwright

    axe = (MODULES / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    found = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=FLAGS)
        page = browser.new_page()
        for path in files:
            page.goto(path.as_uri())
            page.add_script_tag(content=axe)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                " resultTypes: ['violations']})", AXE_TAGS)
            assert result["testEngine"]["version"] == "4.14.1"
            found += [f"{path.parent.name}/{path.name}: {rule['id']}: {rule['help']}: "
                      f"{node['html'][:120]}" for rule in result["violations"]
                      for node in rule["nodes"]]
        browser.close()
    return found


def test_axe_finds_no_violation_with_every_rule(built: list[Built]) -> None:
    files = _files(built, ".html")
    assert len(files) == 18 * 4 + 12
    found = _axe(files)
    assert not found, "\n".join(found[:40])


def test_each_checker_reports_what_it_should(tmp_path: Path) -> None:
    """The checkers are awake: each finds the fault planted for it."""
    _node()
    (tmp_path / "bad.md").write_text("# Title\n\n**Emphasis as a heading**\n\nText.\n")
    run = subprocess.run([str(MODULES / ".bin" / "markdownlint-cli2"), "--config",
                          str(CHECKERS / ".markdownlint.yaml"), "bad.md"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert "MD036" in run.stdout + run.stderr
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
                    '<main><h1 id="a">t</h1><p id="a">x</p><img src="x.png"></main>'
                    "</body></html>")
    assert any("Duplicate ID" in line for line in _vnu([page]))
    assert any(": image-alt: " in line for line in _axe([page]))
