"""The translator's round trip: `gtmgen translations export` writes the texts a locale lacks
(XLIFF 2.0 or CSV), a translator fills the targets, `gtmgen translations import` writes them
back as locale mappings and changes nothing else in the playbook."""

from __future__ import annotations

import csv
import difflib
import re
from pathlib import Path

import pytest

from gtmgen.load import load_bytes
from gtmgen.texts import value_at
from gtmgen.validate import validate_path
from tests.conftest import CRUMB  # the crumb example in English alone

# Real Dutch for a few texts; every other target is "NL: " + its source.
DUTCH = {
    "client.product": "Abonnement op koekjes om zelf te bakken",
    "messages.phases[0].value_proposition":
        "Warme koekjes van bakkerskwaliteit in 18 minuten uit je eigen oven.",
    "segments[1].name": "Kantoorextraatjes",
}


@pytest.fixture
def bilingual(tmp_path: Path) -> Path:
    """The crumb example with `locale: en` turned into `locales: [en, nl]`."""
    text = CRUMB.read_text(encoding="utf-8")
    assert text.count("\n  locale: en\n") == 1
    playbook = tmp_path / "playbook.yaml"
    playbook.write_text(text.replace("\n  locale: en\n", "\n  locales: [en, nl]\n"),
                        encoding="utf-8")
    return playbook


def _fill_xliff(file: Path) -> None:
    """A translator's work: a <target> after each <source>, on the same line."""
    def target(match: re.Match[str]) -> str:
        path, source = match.group(1), match.group(2)
        return f"{match.group(0)}<target>{DUTCH.get(path, 'NL: ' + source)}</target>"

    text = file.read_text(encoding="utf-8")
    filled = re.sub(r'name="([^"]*)">(?:(?!</unit>).)*?<source>(.*?)</source>', target, text,
                    flags=re.S)
    file.write_text(filled, encoding="utf-8")


def _units(file: Path) -> dict[str, str]:
    text = file.read_text(encoding="utf-8")
    return dict(re.findall(r'name="([^"]*)">.*?<source>(.*?)</source>', text, flags=re.S))


def test_export_writes_one_unit_per_text_with_its_place(gtmgen, bilingual: Path) -> None:
    run = gtmgen("translations", "export", bilingual, "--locale", "nl")
    assert run.code == 0, run.err
    out = bilingual.with_name("playbook.nl.xlf")
    assert run.out == f"wrote {out}\n"
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:'
                           'names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
                           'trgLang="nl">\n  <file id="f1" original="playbook.yaml">\n')
    # messages.phases[0].value_proposition is written on line 136 of the example, and is its
    # 55th text: client 3, segments 2 × 2, icps 10 + 8 (each with two attribute names),
    # personas 6 + 5 + 3, partners 3 + 3, channels 4 × 2 (name, format), messages.pillar 1:
    # 54 before it.
    assert ('<unit id="u55" name="messages.phases[0].value_proposition">\n      <notes>\n'
            '        <note category="location">playbook.yaml:136</note>\n      </notes>\n'
            '      <segment>\n        <source>Warm, bakery-quality cookies in 18 minutes from '
            'your freezer.</source>\n      </segment>\n    </unit>') in text
    units = _units(out)
    # No ids, enums, dates, numbers, notes, x- keys or file paths: only texts.
    assert not any(re.search(r"\.(id|kind|date|budget|cadence|weeks|size|priority|notes)$", p)
                   for p in units)
    assert "client.currency" not in units and "launch.date" not in units
    assert units["icps[0].attributes.household income"] == "$120k+"
    assert units["client.name"] == "Crumb &amp; Co."  # names too: a translator may keep them
    # Refuses to overwrite; --force replaces.
    again = gtmgen("translations", "export", bilingual, "--locale", "nl")
    assert again.code == 3 and "add --force" in again.err
    assert gtmgen("translations", "export", bilingual, "--locale", "nl", "--force").code == 0


def test_round_trip_changes_only_the_lines_of_the_texts(gtmgen, bilingual: Path) -> None:
    original = bilingual.read_bytes()
    assert gtmgen("translations", "export", bilingual, "--locale", "nl").code == 0
    export = bilingual.with_name("playbook.nl.xlf")
    units = _units(export)
    _fill_xliff(export)
    run = gtmgen("translations", "import", export)
    assert run.code == 0, run.err
    assert run.out == f"imported {len(units)} translations into {bilingual}\n"

    # Lines allowed to change: each unit's own line (its location note), and the lines of the
    # two folded (>-) texts of the example: summary.situation written on 222 with its text on
    # 223-225, summary.recommendation on 226 with its text on 227-230.
    notes = re.findall(r"playbook\.yaml:(\d+)<", export.read_text(encoding="utf-8"))
    allowed = {int(n) for n in notes} | {223, 224, 225, 227, 228, 229, 230}
    old = original.decode("utf-8").splitlines(keepends=True)
    new = bilingual.read_bytes().decode("utf-8").splitlines(keepends=True)
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            assert set(range(i1 + 1, i2 + 1)) <= allowed, old[i1:i2]
    comments = [line for line in old if line.lstrip().startswith("#")]
    assert [line for line in new if line.lstrip().startswith("#")] == comments

    result = validate_path(bilingual)
    assert result.ok, result.diagnostics
    assert not [d for d in result.diagnostics if "no nl text here" in d.message]
    loaded, _ = load_bytes(bilingual.read_bytes(), "playbook.yaml")
    assert loaded is not None
    assert value_at(loaded.data, ("segments", 1, "name")) == {"en": "Office perks",
                                                              "nl": "Kantoorextraatjes"}
    assert value_at(loaded.data, ("summary", "situation"))["nl"].startswith(
        "NL: Crumb & Co. sells its cookies")

    out = bilingual.parent / "build"
    assert gtmgen("build", bilingual, "--out", out, "--format", "md").code == 0
    dutch = (out / "nl" / "playbook.md").read_text(encoding="utf-8")
    assert DUTCH["messages.phases[0].value_proposition"] in dutch
    assert "NL: Turn anchor days into the best day of the week." in dutch
    english = (out / "en" / "playbook.md").read_text(encoding="utf-8")
    assert "Kantoorextraatjes" not in english and "NL: " not in english

    # Nothing lacks its Dutch any more: no file, and a word saying so.
    export.unlink()
    again = gtmgen("translations", "export", bilingual, "--locale", "nl")
    assert again.code == 0 and "nothing to translate" in again.out
    assert not export.exists()


def test_csv_round_trip(gtmgen, bilingual: Path) -> None:
    assert gtmgen("translations", "export", bilingual, "--locale", "nl", "--format",
                  "csv").code == 0
    export = bilingual.with_name("playbook.nl.csv")
    raw = export.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfpath,line,source,target\r\nclient.name,6,Crumb & Co.,")
    with export.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    for row in rows[1:]:
        row[3] = "NL: " + row[2]
    with export.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    run = gtmgen("translations", "import", export)
    assert run.code == 0, run.err
    assert run.out == f"imported {len(rows) - 1} translations into {bilingual}\n"
    loaded, _ = load_bytes(bilingual.read_bytes(), "playbook.yaml")
    assert loaded is not None
    assert value_at(loaded.data, ("icps", 0, "pains", 1)) == {
        "en": "Store-bought cookies taste stale", "nl": "NL: Store-bought cookies taste stale"}
    assert validate_path(bilingual).ok


def test_a_stale_export_is_refused_at_its_unit(gtmgen, bilingual: Path) -> None:
    assert gtmgen("translations", "export", bilingual, "--locale", "nl").code == 0
    export = bilingual.with_name("playbook.nl.xlf")
    _fill_xliff(export)
    bilingual.write_text(bilingual.read_text(encoding="utf-8").replace(
        "name: Office perks", "name: Office treats"), encoding="utf-8")
    before = bilingual.read_bytes()
    run = gtmgen("translations", "import", export)
    assert run.code == 1
    # segments[1].name is the 6th unit (client.name, product, prepared_by, segments[0].name
    # and description before it); a unit takes 8 lines from line 4: 4 + 5 × 8 = 44, column 5.
    assert run.err.startswith(f"{export}:44:5: error: the text at playbook.yaml:28 changed "
                              "since the export (now 'Office treats', the export has 'Office "
                              "perks'); export again\n"), run.err
    assert bilingual.read_bytes() == before


@pytest.mark.parametrize("change, line, words", [
    (('name="segments[1].name"', 'name="segments[7].name"'), 44,
     "no text of playbook.yaml is at 'segments[7].name'"),
    (('trgLang="nl"', 'trgLang="ru"'), 2, "the target locale is 'ru'"),
])
def test_unknown_paths_and_locales_are_located_errors(gtmgen, bilingual: Path, change, line,
                                                      words) -> None:
    assert gtmgen("translations", "export", bilingual, "--locale", "nl").code == 0
    export = bilingual.with_name("playbook.nl.xlf")
    _fill_xliff(export)
    export.write_text(export.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    before = bilingual.read_bytes()
    run = gtmgen("translations", "import", export)
    assert run.code == 1
    assert f"playbook.nl.xlf:{line}:" in run.err and words in run.err, run.err
    assert bilingual.read_bytes() == before


def test_export_refuses_a_playbook_without_that_locale(gtmgen, bilingual: Path) -> None:
    for locale, words in (("en", "en is the primary locale"),
                          ("ru", "does not list 'ru' in client.locales (en, nl)")):
        run = gtmgen("translations", "export", bilingual, "--locale", locale)
        assert run.code == 2 and words in run.err, run.err
    run = gtmgen("translations", "export", CRUMB, "--locale", "nl", "--out",
                 bilingual.with_name("x.xlf"))
    assert run.code == 2 and "has no client.locales" in run.err
    bilingual.write_text(bilingual.read_text(encoding="utf-8").replace(
        "launch:\n", "launch:\n  wat: 1\n", 1), encoding="utf-8")
    run = gtmgen("translations", "export", bilingual, "--locale", "nl")
    assert run.code == 1 and "error: unknown key 'wat'" in run.err, run.err


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="nl">
<file id="f1" original="playbook.yaml"><unit id="u1" name="client.name"><segment>
<source>Crumb &amp; Co.</source><target>&lol3;</target></segment></unit></file></xliff>
"""
EXTERNAL = BOMB.replace('<!ENTITY lol "lol">', '<!ENTITY lol SYSTEM "file:///etc/passwd">')


@pytest.mark.parametrize("content", [BOMB, EXTERNAL])
def test_entities_are_never_expanded(gtmgen, bilingual: Path, content: str) -> None:
    evil = bilingual.with_name("evil.xlf")
    evil.write_text(content, encoding="utf-8")
    before = bilingual.read_bytes()
    run = gtmgen("translations", "import", evil, bilingual)
    assert run.code == 1
    assert ":2:1: error: a DOCTYPE is not allowed in an XLIFF file" in run.err, run.err
    assert bilingual.read_bytes() == before


def test_a_huge_or_broken_file_is_refused(gtmgen, bilingual: Path) -> None:
    huge = bilingual.with_name("huge.xlf")
    with huge.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    run = gtmgen("translations", "import", huge, bilingual)
    assert run.code == 1 and "huge.xlf:1:1: error: the file is larger than 16 MiB" in run.err
    broken = bilingual.with_name("broken.xlf")
    broken.write_text('<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:'
                      '2.0" version="2.0" srcLang="en" trgLang="nl">\n  <file>\n',
                      encoding="utf-8")
    run = gtmgen("translations", "import", broken, bilingual)
    assert run.code == 1 and "broken.xlf:4:1: error: not well-formed XML" in run.err, run.err


def test_a_second_import_of_the_same_file_changes_nothing_and_says_so(gtmgen,
                                                                       bilingual: Path) -> None:
    assert gtmgen("translations", "export", bilingual, "--locale", "nl").code == 0
    export = bilingual.with_name("playbook.nl.xlf")
    _fill_xliff(export)
    first = gtmgen("translations", "import", export)
    assert first.code == 0 and first.out.startswith("imported ")
    written = bilingual.read_bytes()
    again = gtmgen("translations", "import", export)
    assert again.code == 0, again.err
    assert again.out == (f"nothing to import into {bilingual}: it already holds every "
                         f"translation of {export}\n")
    assert bilingual.read_bytes() == written
