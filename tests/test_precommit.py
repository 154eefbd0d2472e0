"""The gtmgen-validate hook of .pre-commit-hooks.yaml, run by the real pre-commit in a new git
repository, exactly as a repository of playbooks would use it.

pre-commit makes its own virtualenv and pip-installs this checkout into it, with gtmgen's
dependencies from the package index. To keep that to one install: the hook repository is a
snapshot of the working tree (uncommitted changes included) committed with fixed names and
dates, at a fixed path under .cache/, so the same files give the same commit and pre-commit
reuses its environment in .cache/pre-commit; the versions installed are the lock's (through a
constraints file without hashes), and pip's downloads are cached under .cache/ too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.builders import MINIMAL
from tests.conftest import ROOT

CACHE = Path(os.environ["XDG_CACHE_HOME"]) / "gtmgen-pre-commit"
HOOK_REPO = CACHE / "hook-repository"
PRE_COMMIT_HOME = CACHE / "home"
FIXED = {"GIT_AUTHOR_NAME": "gtmgen tests", "GIT_AUTHOR_EMAIL": "tests@gtmgen.invalid",
         "GIT_COMMITTER_NAME": "gtmgen tests", "GIT_COMMITTER_EMAIL": "tests@gtmgen.invalid",
         "GIT_AUTHOR_DATE": "2027-01-01T00:00:00+0000",
         "GIT_COMMITTER_DATE": "2027-01-01T00:00:00+0000"}


def git(folder: Path, *args: str) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
                           *args], cwd=folder, env={**env, **FIXED}, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


def snapshot() -> str:
    """This checkout's files as one commit at HOOK_REPO; the same files give the same id."""
    files = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard").splitlines()
    shutil.rmtree(HOOK_REPO, ignore_errors=True)
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = HOOK_REPO / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(HOOK_REPO, "init", "-q")
    git(HOOK_REPO, "add", "-A")
    git(HOOK_REPO, "commit", "-q", "-m", "snapshot")
    return git(HOOK_REPO, "rev-parse", "HEAD")


def constraints() -> Path:
    """requirements.lock's pins without the hashes, for pip's PIP_CONSTRAINT."""
    pins = [line.removesuffix("\\").strip()
            for line in (ROOT / "requirements.lock").read_text().splitlines()
            if re.match(r"[A-Za-z0-9]", line)]
    path = CACHE / "constraints.txt"
    path.write_text("\n".join(pins) + "\n")
    return path


def index_unreachable() -> str | None:
    """Why pip cannot fetch from the package index, or None when it can."""
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir",
                           "--dest", str(CACHE / "probe"), "--quiet", "--only-binary=:all:",
                           "--retries", "1", "--timeout", "30", "click"],
                          capture_output=True, text=True, timeout=300)
    lines = done.stderr.strip().splitlines()
    return None if done.returncode == 0 else (lines[-1] if lines else "pip download failed")


def pre_commit(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(PRE_COMMIT_HOME=str(PRE_COMMIT_HOME), PIP_CONSTRAINT=str(constraints()),
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PRE_COMMIT_COLOR="never")
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=1800)


def test_the_hook_passes_a_valid_repository_and_stops_an_invalid_one(tmp_path) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    rev = snapshot()
    stamp = CACHE / "installed-rev"
    if not stamp.exists() or stamp.read_text() != rev:
        # Another snapshot's environment is of no more use: one at a time on disk.
        shutil.rmtree(PRE_COMMIT_HOME, ignore_errors=True)
        stamp.unlink(missing_ok=True)
        reason = index_unreachable()
        if reason:
            pytest.skip(f"the package index cannot be reached, so pre-commit cannot install "
                        f"the hook: {reason}")
    repo = tmp_path / "playbooks"
    (repo / "clients" / "acme").mkdir(parents=True)
    playbook = repo / "clients" / "acme" / "playbook.yaml"
    playbook.write_text(yaml.safe_dump(MINIMAL, sort_keys=False), encoding="utf-8")
    (repo / "gtmgen.toml").write_text('[defaults]\nlocale = "nl"\n', encoding="utf-8")
    config = {"repos": [{"repo": str(HOOK_REPO), "rev": rev,
                         "hooks": [{"id": "gtmgen-validate"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")

    valid = pre_commit(repo)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert re.search(r"gtmgen validate\.+Passed", valid.stdout), valid.stdout
    stamp.write_text(rev)

    text = playbook.read_text(encoding="utf-8").replace("  product: Widgets",
                                                        "  product: Widgets\n  prodcut: Gadgets")
    playbook.write_text(text, encoding="utf-8")
    invalid = pre_commit(repo)
    assert invalid.returncode == 1, invalid.stdout + invalid.stderr
    assert re.search(r"gtmgen validate\.+Failed", invalid.stdout), invalid.stdout
    assert ("clients/acme/playbook.yaml:5:3: error: unknown key 'prodcut' in the client "
            "section; did you mean 'product'?") in invalid.stdout, invalid.stdout
    assert "clients/acme/playbook.yaml: invalid: 1 error, 0 warnings" in invalid.stdout
