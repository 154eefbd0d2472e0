"""gtmgen init: a starter that validates and builds, and never overwrites."""

from __future__ import annotations

from tests.conftest import ROOT


def test_init_then_build_works_in_an_empty_folder(gtmgen, tmp_path) -> None:
    folder = tmp_path / "new"
    run = gtmgen("init", folder, "--locale", "ru")
    assert run.code == 0
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        ".gitignore", "playbook.yaml", "templates", "templates/README.md"]
    text = (folder / "playbook.yaml").read_text(encoding="utf-8")
    assert "  locale: ru" in text and "  currency: RUB" in text and "  country: RU" in text
    assert "~$*.docx" in (folder / ".gitignore").read_text() and "build/" in (
        folder / ".gitignore").read_text()
    run = gtmgen("validate", "--strict", folder / "playbook.yaml")
    assert run.code == 0, run.err
    run = gtmgen("build", folder / "playbook.yaml", "--format", "md,docx,html")
    assert run.code == 0, run.err
    assert (folder / "build" / "playbook" / "playbook.docx").is_file()


def test_starter_explains_every_section(tmp_path, gtmgen) -> None:
    gtmgen("init", tmp_path)
    text = (tmp_path / "playbook.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for section in ("client:", "launch:", "segments:", "icps:", "personas:", "partners:",
                    "channels:", "messages:", "roles:", "kpis:", "budget:", "summary:",
                    "assumptions:", "risks:", "next_steps:"):
        assert any(line.startswith(section) for line in lines), section
    # Every key of the client and launch sections carries its explanation on its line.
    client = lines[lines.index("client:") + 1: lines.index("launch:") - 1]
    assert all("#" in line for line in client if not line.strip().startswith("#"))
    assert len([line for line in lines if "#" in line]) > 60
    # The recommendation's sections say what each key is for.
    tail = lines[next(i for i, line in enumerate(lines) if line.startswith("summary:")):]
    for key in ("situation:", "recommendation:", "decisions:", "- risk:", "mitigation:",
                "owner:", "- step:", "date:"):
        assert any(line.strip().startswith(key) and "#" in line for line in tail), key


def test_init_refuses_to_overwrite(gtmgen, tmp_path) -> None:
    (tmp_path / "playbook.yaml").write_text("mine\n")
    run = gtmgen("init", tmp_path)
    assert run.code == 3 and "not overwriting" in run.err
    assert (tmp_path / "playbook.yaml").read_text() == "mine\n"
    assert not (tmp_path / ".gitignore").exists()


def test_init_refuses_an_unknown_locale(gtmgen, tmp_path) -> None:
    run = gtmgen("init", tmp_path, "--locale", "fr")
    assert run.code == 2 and "en, nl, vi, zh, ru, ky" in run.err


def test_format_reference_is_generated_from_the_model(gtmgen) -> None:
    run = gtmgen("schema", "--markdown")
    assert run.out == (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert "| `cadence` | `daily` \\| `twice-weekly` \\| `weekly` \\| `biweekly` \\| " \
           "`monthly` \\| `per-phase` |" in run.out
