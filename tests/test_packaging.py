"""The wheel carries the templates, and an installed gtmgen finds them inside the package."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from tests.conftest import ROOT


def test_wheel_ships_the_templates_inside_the_package(tmp_path) -> None:
    # The locked hatchling builds it: no build environment fetched from the registry.
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-q", "-w",
                           str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("gtmgen-*.whl"))
    with zipfile.ZipFile(wheel) as package:
        names = set(package.namelist())
        package.extractall(tmp_path / "site")
    for document in ("playbook", "launch-calendar", "roles", "hiring-plan"):
        assert f"gtmgen/templates/documents/{document}.md.j2" in names
    assert "gtmgen/templates/locale/gtmgen.pot" in names
    # Imported from the unpacked wheel (no checkout beside it), the package finds its own.
    found = subprocess.run(
        [sys.executable, "-c", "from gtmgen.render.templates import shipped_templates as s; "
                               "print(s())"],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site")})
    assert found.stdout.strip() == str(tmp_path / "site" / "gtmgen" / "templates")


def test_checkout_finds_the_templates_at_the_top_level() -> None:
    from gtmgen.render.templates import shipped_templates

    assert shipped_templates() == ROOT / "templates"


def test_the_suite_keeps_its_caches_out_of_the_home_folder() -> None:
    home = Path.home().resolve()
    for name in ("XDG_CACHE_HOME", "MPLCONFIGDIR"):
        assert not Path(os.environ[name]).resolve().is_relative_to(home), name


@pytest.mark.skipif(Path(sys.prefix) != ROOT / ".venv",
                    reason="only the .venv that make installs is pinned to the lock "
                           "(make test-latest runs newer versions on purpose)")
def test_the_venv_holds_exactly_the_locked_versions() -> None:
    """What `make` installed is what requirements.lock says, version for version."""
    from packaging.markers import Marker

    locked = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line[:1].isalnum():
            spec, _, marker = line.removesuffix("\\").strip().partition(" ; ")
            if not marker or Marker(marker).evaluate():
                name, version = spec.split("==")
                locked[canonicalize_name(name)] = version
    installed = {canonicalize_name(d.metadata["Name"]): d.version
                 for d in importlib.metadata.distributions()}
    installed.pop("gtmgen")
    for tool in ("pip", "setuptools"):  # the venv's own installer, not a dependency
        installed.pop(tool, None)
    assert installed == locked
