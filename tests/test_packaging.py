"""The wheel carries the templates, and an installed gtmgen finds them inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.conftest import ROOT


def test_wheel_ships_the_templates_inside_the_package(tmp_path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
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
