"""Hostile inputs to `gtmgen translations export` / `import`: each found wrong once, each now
a located error with its exit code, the playbook untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.builders import playbook


def _bilingual(folder: Path, **client: object) -> Path:
    """A valid playbook with locales [en, nl], none of its texts translated yet."""
    data = playbook()
    data["client"].update(locales=["en", "nl"], **client)
    path = folder / "playbook.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _xliff(original: str, target: str) -> str:
    """An export of one unit, client.name ('Acme'), with `target` as its Dutch."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
            f'trgLang="nl">\n<file id="f1" original="{original}">\n'
            '<unit id="u1" name="client.name"><segment><source>Acme</source>'
            f'<target>{target}</target></segment></unit>\n</file>\n</xliff>\n')


@pytest.mark.parametrize(("nl", "words"), [
    # 20,001 characters: one more than MAX_TEXT (20,000).
    ("x" * 20_001, "the 'nl' text: this text is 20,001 characters long; a playbook text is at "
                   "most 20,000"),
    ("B\\aea", "the 'nl' text: the character U+0007 cannot be stored in a Word document"),
])
def test_a_translation_breaking_a_text_rule_is_a_located_error(gtmgen, tmp_path, nl,
                                                               words) -> None:
    path = _bilingual(tmp_path)
    text = path.read_text(encoding="utf-8")
    # The error is at the mapping's value, column 9 (after `  name: `), on Bea's line.
    line = text.splitlines().index("  name: Bea") + 1
    path.write_text(text.replace("  name: Bea\n", f'  name: {{en: Bea, nl: "{nl}"}}\n'),
                    encoding="utf-8")
    run = gtmgen("validate", path)
    assert run.code == 1, run.err  # was 70, an internal error
    assert f"{path}:{line}:9: error: {words}" in run.err
    assert "internal error" not in run.err


def test_importing_a_100_kb_target_writes_nothing(gtmgen, tmp_path) -> None:
    path = _bilingual(tmp_path)
    before = path.read_bytes()
    export = tmp_path / "playbook.nl.xlf"
    export.write_text(_xliff("playbook.yaml", "x" * 100_000), encoding="utf-8")
    run = gtmgen("translations", "import", export)
    assert run.code == 1, run.err  # was 70
    assert "the 'nl' text: this text is 100,000 characters long" in run.err
    assert path.read_bytes() == before


@pytest.mark.parametrize("original", ["../other/playbook.txt", "/etc/passwd", "{other}"])
def test_an_original_that_is_not_an_exported_playbook_is_refused(gtmgen, tmp_path,
                                                                 original) -> None:
    (tmp_path / "other").mkdir()
    other = _bilingual(tmp_path / "other")
    before = other.read_bytes()
    folder = tmp_path / "export"
    folder.mkdir()
    export = folder / "playbook.nl.xlf"
    named = original.format(other=other)  # an absolute path to a real, matching playbook
    export.write_text(_xliff(named, "Acme NL"), encoding="utf-8")
    run = gtmgen("translations", "import", export)
    assert run.code == 2, run.err
    assert "as its playbook, not a playbook gtmgen exported; name it" in run.err
    assert other.read_bytes() == before
    # Named on the command line, the same playbook takes the translation.
    assert gtmgen("translations", "import", export, other).code == 0
    assert "client:\n  name: {en: Acme, nl: Acme NL}\n" in other.read_text(encoding="utf-8")


def test_a_text_written_through_an_alias_is_named_by_its_path(gtmgen, tmp_path) -> None:
    path = _bilingual(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: Acme\n", "  name: &who Acme\n")
                    .replace("  name: Bea\n", "  name: *who\n"), encoding="utf-8")
    before = path.read_bytes()
    export = tmp_path / "playbook.nl.xlf"
    export.write_text(_xliff("playbook.yaml", "Acme NL"), encoding="utf-8")
    run = gtmgen("translations", "import", export)
    assert run.code == 2, run.err
    assert "client.name: written through an alias or a merge" in run.err
    assert path.read_bytes() == before


def test_an_anchored_text_keeps_its_anchor(gtmgen, tmp_path) -> None:
    path = _bilingual(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  name: Acme\n", "  name: &who Acme\n"), encoding="utf-8")
    export = tmp_path / "playbook.nl.xlf"
    export.write_text(_xliff("playbook.yaml", "Acme NL"), encoding="utf-8")
    assert gtmgen("translations", "import", export).code == 0
    assert "  name: &who {en: Acme, nl: Acme NL}\n" in path.read_text(encoding="utf-8")


def test_a_csv_saved_with_semicolons_imports(gtmgen, tmp_path) -> None:
    # Excel in Dutch saves "CSV (puntkomma)": the same four columns, `;` between them.
    from tests.conftest import CRUMB

    playbook = tmp_path / "playbook.yaml"
    playbook.write_text(CRUMB.read_text(encoding="utf-8").replace(
        "  locale: en\n", "  locales: [en, nl]\n"), encoding="utf-8")
    run = gtmgen("translations", "export", playbook, "--locale", "nl", "--format", "csv")
    assert run.code == 0, run.err
    export = tmp_path / "playbook.nl.csv"
    import csv
    import io

    rows = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8-sig"))))
    rows = [rows[0]] + [[path, line, source, "NL " + source] for path, line, source, _ in
                        rows[1:3]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    export.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    run = gtmgen("translations", "import", export)
    assert run.code == 0, run.err
    assert "imported 2 translations" in run.out
