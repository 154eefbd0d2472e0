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


def _uncommented(text: str, header: str) -> str:
    """The commented block that starts with the line `header`, up to the next blank line,
    with the leading `# ` taken out of every line after the words that say to do so."""
    block = text[text.index(header):].split("\n\n", 1)[0].splitlines()
    assert all(line.startswith("#") for line in block)
    body = next(i for i, line in enumerate(block) if "take out the leading `# `" in line) + 1
    return "\n".join(line[2:] if line.startswith("# ") else line[1:] for line in block[body:])


def test_the_starter_s_commented_sections_build_once_uncommented() -> None:
    from gtmgen.init import starter_files
    from gtmgen.plan import build_plan
    from gtmgen.render import RenderContext, build_stamp
    from gtmgen.validate import validate_bytes

    text = starter_files("en")["playbook.yaml"].decode()
    head = text[:text.index("# Positioning and the brand's words")]
    blocks = [_uncommented(text, "# Positioning and the brand's words"),
              _uncommented(text, "# Scenarios, engagement, owners and sign-off")]
    result = validate_bytes((head + "\n".join(blocks) + "\n").encode(), "starter.yaml")
    # No warning either: each phase has one accountable stakeholder, and every channel
    # returns more than it costs.
    assert result.ok and result.diagnostics == [], result.diagnostics
    book = result.playbook
    assert book is not None
    assert {"competitors", "positioning", "brand", "scenarios", "engagement", "stakeholders",
            "approvals"} <= set(book.model_fields_set)
    assert [s.id for s in book.scenarios or []] == ["lean", "bold"]
    assert book.engagement is not None and book.engagement.per_month == 9000
    assert [p.id for p in book.stakeholders] == ["dana", "lee"]
    assert [a.version for a in book.approvals] == ["v1"]  # the starter's client.version
    markdown = RenderContext(book, build_plan(book), build_stamp(book, None)).markdown()
    assert "### Our value propositions against the competitors" in markdown["playbook"]


def test_init_with_locales_writes_a_playbook_in_several_languages(gtmgen, tmp_path) -> None:
    folder = tmp_path / "new"
    run = gtmgen("init", folder, "--locales", "nl,en")
    assert run.code == 0, run.err
    lines = (folder / "playbook.yaml").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("  locales: [nl, en] ") for line in lines)
    assert not any(line.startswith("  locale:") for line in lines)
    # The primary's currency and country (nl: EUR, NL), and the main texts as mappings.
    assert "  currency: EUR" in "\n".join(lines) and "  country: NL" in "\n".join(lines)
    assert any(line.startswith("  product: {nl: Northwind Forecast, en: Northwind Forecast}")
               for line in lines)
    assert any(line.startswith('      value_proposition: {nl: "Monthly planning in a day, not '
                               'a week.", en: "Monthly planning in a day, not a week."}')
               for line in lines)
    run = gtmgen("validate", "--strict", folder / "playbook.yaml")
    assert run.code == 0, run.err
    run = gtmgen("build", folder / "playbook.yaml", "--format", "md")
    assert run.code == 0, run.err
    assert (folder / "build" / "playbook" / "nl" / "playbook.md").is_file()
    assert (folder / "build" / "playbook" / "en" / "playbook.md").is_file()


def test_init_refuses_fewer_than_two_locales(gtmgen, tmp_path) -> None:
    for value in ("nl", "nl,nl", "nl,de"):
        run = gtmgen("init", tmp_path / value, "--locales", value)
        assert run.code == 2 and "--locales takes two or more different locales" in run.err
        assert not (tmp_path / value).exists()
