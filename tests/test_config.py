"""gtmgen.toml: the locator of keys, the settings and their defaults, every problem located in
plain words, and the defaults and theme reaching the playbooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from gtmgen.config import (
    DEFAULT_PLAYBOOKS,
    FORMAT_NAMES,
    ConfigProblem,
    RepoConfig,
    find_config,
    load_config,
)
from gtmgen.tomlplaces import locate
from gtmgen.validate import validate_path
from tests.builders import MINIMAL

# Positions below are counted by hand: line, then column of the first character.
LOCATOR_TEXT = '''\
# a comment with key = "value"
playbooks = ["a/*.yaml",
    "b/**/x.yml"]   # two lines
"quoted key" = 1
text = """
not = "a key"
"""

[defaults]
locale = "nl"
  country  =  'NL'

[tools.one]
name = { first = "x", second = [1, 2] }
site.host.name = "example"

[[item]]
id = 1
[[item]]
id = 2
'''


def test_locator_finds_keys_and_values_where_they_are_written() -> None:
    places = locate(LOCATOR_TEXT)
    assert places.key(("playbooks",)) == (2, 1)
    assert places.value(("playbooks",)) == (2, 13)
    assert places.value(("playbooks", 0)) == (2, 14)
    assert places.value(("playbooks", 1)) == (3, 5)
    assert places.key(("quoted key",)) == (4, 1)
    assert places.value(("text",)) == (5, 8)
    assert ("not",) not in places.keys  # inside a multi-line string, not a key
    assert places.key(("defaults",)) == (9, 2)
    assert places.key(("defaults", "locale")) == (10, 1)
    assert places.value(("defaults", "locale")) == (10, 10)
    assert places.key(("defaults", "country")) == (11, 3)
    assert places.value(("defaults", "country")) == (11, 15)
    assert places.key(("tools", "one")) == (13, 8)
    assert places.key(("tools", "one", "name", "first")) == (14, 10)
    assert places.value(("tools", "one", "name", "second", 1)) == (14, 36)
    assert places.key(("tools", "one", "site", "host")) == (15, 6)
    assert places.key(("tools", "one", "site", "host", "name")) == (15, 11)
    assert places.key(("item", 1, "id")) == (20, 1)
    # Nothing recorded: the nearest ancestor, else the start of the file.
    assert places.value(("defaults", "currency")) == (9, 2)
    assert places.key(("nowhere",)) == (1, 1)


def test_locator_reads_escapes_in_quoted_keys_and_strings() -> None:
    places = locate('"a\\"b" = "x\\"y = 1"\n\'lit\' = \'c:\\\\\'\nz = 3\n')
    assert places.key(('a"b',)) == (1, 1)
    assert places.key(("lit",)) == (2, 1)
    assert places.value(("z",)) == (3, 5)


def write_config(folder: Path, text: str) -> Path:
    (folder / "gtmgen.toml").write_text(text, encoding="utf-8")
    return folder / "gtmgen.toml"


def problems(folder: Path, text: str) -> list[tuple[int, int, str]]:
    write_config(folder, text)
    with pytest.raises(ConfigProblem) as caught:
        find_config(folder)
    assert caught.value.exit_code == 1
    assert {d.file for d in caught.value.diagnostics} == {"gtmgen.toml"}
    return [(d.line, d.column, d.message) for d in caught.value.diagnostics]


def test_an_empty_config_gives_the_documented_defaults(tmp_path) -> None:
    write_config(tmp_path, "# nothing set\n")
    config = find_config(tmp_path)
    assert config == RepoConfig(root=tmp_path.resolve(), file=tmp_path / "gtmgen.toml",
                                playbooks=("**/playbook.yaml",), exclude=(), formats=None,
                                out=tmp_path.resolve() / "build", theme=None, templates=None,
                                jobs=None, defaults={})


def test_every_key_is_read(tmp_path) -> None:
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "theme.yaml").write_text("fonts: {body: Arial}\n")
    (tmp_path / "shared-templates").mkdir()
    write_config(tmp_path, '''playbooks = ["clients/*/playbook.yaml", "pitches/*.yaml"]
exclude = ["clients/archive"]
formats = ["md", "docx", "md"]
out = "deliverables"
theme = "brand/theme.yaml"
templates = "shared-templates"
jobs = 2

[defaults]
locale = "nl"
country = "NL"
currency = "EUR"
''')
    config = find_config(tmp_path / "gtmgen.toml")
    root = tmp_path.resolve()
    assert config is not None
    assert config.playbooks == ("clients/*/playbook.yaml", "pitches/*.yaml")
    assert config.exclude == ("clients/archive",)
    assert config.formats == ("md", "docx")
    assert config.out == root / "deliverables"
    assert config.theme == root / "brand" / "theme.yaml"
    assert config.templates == root / "shared-templates"
    assert config.jobs == 2
    assert dict(config.defaults) == {"locale": "nl", "country": "NL", "currency": "EUR"}


def test_found_by_walking_up_but_not_past_the_repository(tmp_path) -> None:
    write_config(tmp_path, "jobs = 3\n")
    deep = tmp_path / "clients" / "acme"
    deep.mkdir(parents=True)
    config = find_config(deep)
    assert config is not None and config.jobs == 3 and config.root == tmp_path.resolve()
    (tmp_path / "clients" / ".git").mkdir()  # a repository of its own, without a config
    assert find_config(deep) is None


def test_messages_name_the_file_as_seen_from_where_gtmgen_runs(tmp_path) -> None:
    write_config(tmp_path, "jobs = 0\n")
    (tmp_path / "sub").mkdir()
    with pytest.raises(ConfigProblem) as caught:
        find_config(tmp_path / "sub")
    assert caught.value.diagnostics[0].file == "../gtmgen.toml"
    assert str(caught.value) == "../gtmgen.toml: invalid: 1 error"


def test_format_names_are_the_build_formats() -> None:
    from gtmgen.render import FORMATS

    assert set(FORMAT_NAMES) == set(FORMATS)


@pytest.mark.parametrize(("text", "expected"), [
    ("formts = [\"md\"]\n",
     [(1, 1, "unknown key 'formts'; did you mean 'formats'?")]),
    ("[defualts]\nlocale = \"nl\"\n",
     [(1, 2, "unknown table 'defualts'; did you mean 'defaults'?")]),
    ("playbooks = []\n",
     [(1, 13, "'playbooks' is empty, so no file would be a playbook; give at least one glob, "
              "like [\"**/playbook.yaml\"], or leave the key out")]),
    ("playbooks = \"**/playbook.yaml\"\n",
     [(1, 13, "'playbooks' is a list, like playbooks = [\"**/playbook.yaml\"]; found the text "
              "'**/playbook.yaml'")]),
    ("exclude = [\"old/**\", 3]\n",
     [(1, 22, "entry 2 of 'exclude' should be a text in quotes; found the number 3")]),
    ("playbooks = [\"../other/*.yaml\"]\n",
     [(1, 14, "the glob '../other/*.yaml' leaves the folder of gtmgen.toml; globs are "
              "relative to that folder")]),
    ("formats = [\"md\",\n  \"dox\"]\n",
     [(2, 3, "unknown format 'dox'; did you mean 'docx'?")]),
    ("formats = []\n",
     [(1, 11, "'formats' is empty; give at least one, like [\"md\"], or leave the key out for "
              "the default (md)")]),
    ("jobs = 0\n",
     [(1, 8, "'jobs' is how many playbooks to build at once: a whole number from 1 to 256, "
             "like jobs = 2; found the number 0")]),
    ("jobs = true\n",
     [(1, 8, "'jobs' is how many playbooks to build at once: a whole number from 1 to 256, "
             "like jobs = 2; found the boolean true")]),
    ("out = 42\n",
     [(1, 7, "'out' is a path in quotes, relative to the folder of gtmgen.toml; found the "
             "number 42")]),
    ("out = \".\"\n",
     [(1, 7, "'out' cannot be the folder of gtmgen.toml itself; name a folder inside it, "
             "like \"build\"")]),
    ("defaults.locale = \"fr\"\n",
     [(1, 19, "defaults.locale: unsupported locale 'fr'; supported: en, nl, vi, zh, ru, ky")]),
    ("[defaults]\ncountry = \"nl\"\n",
     [(2, 11, "defaults.country: 'nl' is not an ISO 3166 two-letter country code (like "
              "'US'); did you mean 'NL'?")]),
    ("defaults = { locale = \"nl\", langauge = \"nl\" }\n",
     [(1, 29, "unknown key 'langauge' in [defaults]; known: locale, country, currency")]),
    ("defaults = { currency = 978 }\n",
     [(1, 25, "defaults.currency is a text in quotes, like currency = \"EUR\"; found the "
              "number 978")]),
    ("defaults = \"nl\"\n",
     [(1, 12, "'defaults' is a table: a line [defaults] and under it lines like locale = "
              "\"nl\"; found the text 'nl'")]),
    # TOML's own mistakes, in plainer words than tomllib's.
    ("out = build\n",
     [(1, 7, "not valid TOML: a value is missing or malformed here; text goes in quotes "
             "(out = \"build\"), lists in brackets (formats = [\"md\", \"docx\"])")]),
    ("jobs = 1\njobs = 2\n", [(2, 9, "not valid TOML: this key is given twice; keep one")]),
    ("jobs = 1\nout = ",
     [(2, 7, "not valid TOML: a value is missing or malformed here; text goes in quotes "
             "(out = \"build\"), lists in brackets (formats = [\"md\", \"docx\"])")]),
    ("out = \"build\n",
     [(1, 13, "not valid TOML: a text in quotes is not closed on its line; add the closing "
              "quote")]),
])
def test_each_problem_is_said_in_plain_words_at_its_place(tmp_path, text, expected) -> None:
    assert problems(tmp_path, text) == expected


def test_paths_must_exist_and_stay_in_the_repository(tmp_path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "outside.yaml").write_text("fonts: {body: Arial}\n")
    (repo / "escape").symlink_to(tmp_path)
    found = problems(repo, 'theme = "brand.yaml"\ntemplates = "mine"\nout = "/srv/out"\n'
                           '[more]\n')
    root = repo.resolve()
    assert found == [
        (1, 9, f"no file 'brand.yaml' in {root}; the path is relative to the folder of "
               "gtmgen.toml"),
        (2, 13, f"no folder 'mine' in {root}; the path is relative to the folder of "
                "gtmgen.toml"),
        (3, 7, f"'/srv/out' leads outside the folder of gtmgen.toml ({root}); give a path "
               "inside it"),
        (4, 2, "unknown table 'more'; known: playbooks, exclude, formats, out, theme, "
               "templates, jobs, defaults"),
    ]
    # Through a symlink is outside too, and so is a file where the output folder should be.
    (repo / "notes").write_text("x")
    assert problems(repo, 'theme = "escape/outside.yaml"\nout = "notes"\n') == [
        (1, 9, f"'escape/outside.yaml' leads outside the folder of gtmgen.toml ({root}); give "
               "a path inside it"),
        (2, 7, "'notes' is a file; the output root is a folder"),
    ]


def test_every_problem_is_reported_at_once(tmp_path) -> None:
    found = problems(tmp_path, 'jobs = -1\nformats = ["pdx"]\n[defaults]\nlocale = "xx"\n')
    assert [line for line, _, _ in found] == [1, 2, 4]


def test_a_file_that_is_not_utf8_is_located(tmp_path) -> None:
    (tmp_path / "gtmgen.toml").write_bytes(b'jobs = 2\nout = "b\xffuild"\n')
    with pytest.raises(ConfigProblem) as caught:
        find_config(tmp_path)
    (d,) = caught.value.diagnostics
    assert (d.line, d.column) == (2, 9)
    assert d.message == "byte 0xff is not UTF-8 text; save the file as UTF-8"


def test_a_byte_order_mark_is_ignored(tmp_path) -> None:
    (tmp_path / "gtmgen.toml").write_bytes('\ufeffjobs = 4\n'.encode())
    assert load_config(tmp_path / "gtmgen.toml").jobs == 4


def write_playbook(folder: Path, **client: str) -> Path:
    data = {**MINIMAL, "client": {**MINIMAL["client"], **client}}
    path = folder / "playbook.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_defaults_fill_what_a_playbook_leaves_out_and_its_own_value_wins(tmp_path) -> None:
    defaults = {"locale": "nl", "country": "NL", "currency": "EUR"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    bare = validate_path(write_playbook(tmp_path / "a"), defaults=defaults)
    assert bare.ok and bare.playbook is not None
    assert (bare.playbook.client.locale, bare.playbook.client.country,
            bare.playbook.client.currency) == ("nl", "NL", "EUR")
    own = validate_path(write_playbook(tmp_path / "b", locale="ru", country="KG"),
                        defaults=defaults)
    assert own.ok and own.playbook is not None
    assert (own.playbook.client.locale, own.playbook.client.country,
            own.playbook.client.currency) == ("ru", "KG", "EUR")
    # Without defaults, the format's own.
    plain = validate_path(tmp_path / "a" / "playbook.yaml")
    assert plain.playbook is not None
    assert (plain.playbook.client.locale, plain.playbook.client.country) == ("en", None)


def test_the_repository_theme_lies_under_the_one_beside_the_playbook(tmp_path) -> None:
    playbook = write_playbook(tmp_path)
    repo_theme = tmp_path / "brand.yaml"
    repo_theme.write_text("fonts: {body: Arial, heading: Georgia}\n")
    result = validate_path(playbook, repo_theme=repo_theme)
    assert result.theme is not None and result.theme.body_font == "Arial"
    (tmp_path / "theme.yaml").write_text("fonts: {body: Verdana}\n")
    result = validate_path(playbook, repo_theme=repo_theme)
    assert result.theme is not None
    assert (result.theme.body_font, result.theme.heading_font) == ("Verdana", "Georgia")


def test_validate_refuses_a_bad_config_with_its_problems_located(gtmgen, tmp_path,
                                                                 monkeypatch) -> None:
    write_playbook(tmp_path)
    write_config(tmp_path, 'formats = ["md", "pdx"]\n')
    monkeypatch.chdir(tmp_path)
    run = gtmgen("validate")
    assert run.code == 1
    assert run.err == ("gtmgen.toml:1:18: error: unknown format 'pdx'; did you mean 'pdf'?\n"
                       "gtmgen.toml: invalid: 1 error\n")
    run = gtmgen("validate", "--error-format", "json", "playbook.yaml")
    assert run.code == 1
    assert json.loads(run.out) == [{"file": "gtmgen.toml", "line": 1, "column": 18,
                                    "severity": "error", "path": "formats[1]",
                                    "message": "unknown format 'pdx'; did you mean 'pdf'?"}]
    run = gtmgen("validate", "--error-format", "github")
    assert run.out == "::error file=gtmgen.toml,line=1,col=18::unknown format 'pdx'; did " \
                      "you mean 'pdf'?\n"


def test_validate_applies_the_repository_theme(gtmgen, tmp_path, monkeypatch) -> None:
    (tmp_path / "clients" / "acme").mkdir(parents=True)
    write_playbook(tmp_path / "clients" / "acme")
    (tmp_path / "brand.yaml").write_text("fonts: {body: Arial}\ncolours: {accent: blue}\n")
    write_config(tmp_path, 'theme = "brand.yaml"\n')
    monkeypatch.chdir(tmp_path / "clients")
    run = gtmgen("validate")
    assert run.code == 1
    assert run.err.startswith("../brand.yaml:2:19: error: 'blue' is not a colour"), run.err
    assert run.out.startswith("acme/playbook.yaml: invalid: 1 error")


def test_the_default_playbook_glob_is_documented() -> None:
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "repositories.md").read_text(encoding="utf-8")
    assert f'playbooks = ["{DEFAULT_PLAYBOOKS[0]}"]' in doc


def test_init_repo_writes_a_config_that_gives_the_documented_defaults(gtmgen, tmp_path) -> None:
    run = gtmgen("init", "--repo", tmp_path)
    assert run.code == 0, run.err
    assert run.out.splitlines()[:2] == [f"wrote {tmp_path / 'gtmgen.toml'}",
                                        f"wrote {tmp_path / '.gitignore'}"]
    text = (tmp_path / "gtmgen.toml").read_text(encoding="utf-8")
    config = find_config(tmp_path)
    assert config == RepoConfig(root=tmp_path.resolve(), file=tmp_path / "gtmgen.toml",
                                out=tmp_path.resolve() / "build")
    # Every key is there, set or commented out, with words above it.
    for key in ("playbooks", "exclude", "formats", "out", "theme", "templates", "jobs",
                "[defaults]", "locale", "country", "currency"):
        line = next(line for line in text.splitlines()
                    if line.lstrip("# ").startswith(key))
        assert "#" in text.split(line)[0].splitlines()[-1] or "#" in line, key
    assert (tmp_path / ".gitignore").read_text() == ("# gtmgen build output (gtmgen.toml's "
                                                     "`out`)\n/build/\n")


def test_init_repo_with_a_locale_sets_the_defaults(gtmgen, tmp_path) -> None:
    assert gtmgen("init", "--repo", tmp_path, "--locale", "nl").code == 0
    config = find_config(tmp_path)
    assert config is not None
    assert dict(config.defaults) == {"locale": "nl", "country": "NL", "currency": "EUR"}


def test_init_repo_never_overwrites_and_adds_one_line_to_a_gitignore(gtmgen, tmp_path) -> None:
    (tmp_path / ".gitignore").write_text(".venv/")
    run = gtmgen("init", "--repo", tmp_path)
    assert run.code == 0
    assert f"added /build/ to {tmp_path / '.gitignore'}" in run.out
    assert (tmp_path / ".gitignore").read_text() == (".venv/\n# gtmgen build output "
                                                     "(gtmgen.toml's `out`)\n/build/\n")
    (tmp_path / "gtmgen.toml").write_text("jobs = 1\n")
    run = gtmgen("init", "--repo", tmp_path)
    assert run.code == 3
    assert "not overwriting" in run.err and "gtmgen.toml" in run.err
    assert (tmp_path / "gtmgen.toml").read_text() == "jobs = 1\n"
    (tmp_path / "gtmgen.toml").unlink()
    run = gtmgen("init", "--repo", tmp_path)
    assert f"kept {tmp_path / '.gitignore'}" in run.out
    assert (tmp_path / ".gitignore").read_text().count("/build/") == 1


def test_a_config_problem_reaching_the_entry_point_is_printed_located(gtmgen, tmp_path,
                                                                      monkeypatch) -> None:
    # What `build` and any other command get by letting find_config's ConfigProblem through.
    import click

    from gtmgen.cli import cli

    @click.command("config-check")
    def config_check() -> None:
        find_config(Path.cwd())

    monkeypatch.setattr(cli, "commands", {**cli.commands, "config-check": config_check})
    write_config(tmp_path, "jobs = 0\n")
    monkeypatch.chdir(tmp_path)
    run = gtmgen("config-check")
    assert run.code == 1
    assert run.err == ("gtmgen.toml:1:8: error: 'jobs' is how many playbooks to build at once: "
                       "a whole number from 1 to 256, like jobs = 2; found the number 0\n"
                       "gtmgen: gtmgen.toml: invalid: 1 error\n")
