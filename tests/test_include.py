"""`include:`: shared pieces merged into a playbook, each value reported at its own file, line
and column, and the includes kept inside the playbook's repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmgen.include import MAX_INCLUDE_DEPTH, MAX_INCLUDED_FILES
from gtmgen.load import MAX_BYTES
from gtmgen.validate import Validation, validate_path
from tests.test_overrides_and_theme import PNG

PLAYBOOK_NAME = "playbooks/crumb/playbook.yaml"

# Line numbers are counted by hand in the comments; the tests below rely on them.
PLAYBOOK = """\
gtmgen: 1
include: [../shared/personas.yaml, ../shared/roles.yaml]
client: {name: Acme, product: Widgets}
launch: {date: 2027-03-01}
segments: [{id: small, name: Small firms}]
icps: [{id: smb, name: Small, segment: small}]
personas:
  - id: buyer
    name: Bea
    title: Buyer
    icps: [smb]
channels: [{id: email, name: Email, owner: cmo}]
messages:
  phases:
    - id: one
      value_proposition: Faster answers.
      personas: [buyer, cfo, ceo]
      channels: [email]
roles:
  - id: sdr
    title: SDR
    reports_to: cmo
"""
# line 2 `include: [` is 10 characters: the first entry starts at column 11, the second at 36
# line 20 `  - id: sdr`: the id's value at column 9 (so in every `  - id: x` line below)

PERSONAS = """\
include: people/ceo.yaml
personas:
  - id: cfo
    name: Carla
    title: CFO
    icps: [smb]
"""

CEO = """\
personas:
  - id: ceo
    name: Cem
    title: CEO
    icps: [smb]
"""

ROLES = """\
roles:
  - id: cmo
    title: CMO
"""

SHARED = {"playbooks/shared/personas.yaml": PERSONAS, "playbooks/shared/people/ceo.yaml": CEO,
          "playbooks/shared/roles.yaml": ROLES}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository (a folder with .git) holding the playbook and its shared pieces, as the
    current folder, so names are shown as a user in it would type them."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    write(root, {PLAYBOOK_NAME: PLAYBOOK, **SHARED})
    monkeypatch.chdir(root)
    return root


def write(root: Path, files: dict[str, str | bytes]) -> None:
    """Write each file (text or bytes) at its path under `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def validate() -> Validation:
    return validate_path(Path(PLAYBOOK_NAME), PLAYBOOK_NAME)


def errors(result: Validation) -> list[str]:
    """The errors as `FILE:LINE:COL: MESSAGE`."""
    return [f"{d.file}:{d.line}:{d.column}: {d.message}" for d in result.diagnostics
            if d.severity == "error"]


def only_error(result: Validation) -> str:
    found = errors(result)
    assert len(found) == 1, found
    assert result.playbook is None or not result.ok
    return found[0]


def own_includes(root: Path, entries: str) -> None:
    """The playbook with its include line replaced."""
    text = PLAYBOOK.replace("include: [../shared/personas.yaml, ../shared/roles.yaml]",
                            f"include: {entries}")
    write(root, {PLAYBOOK_NAME: text})


def test_shared_pieces_merge_depth_first_before_the_playbooks_own(repo: Path) -> None:
    result = validate()
    assert result.ok, result.diagnostics
    book = result.playbook
    assert book is not None
    # personas.yaml includes ceo.yaml: its entries come first, then personas.yaml's, then
    # the playbook's own; roles.yaml's role before the playbook's.
    assert [p.id for p in book.personas] == ["ceo", "cfo", "buyer"]
    assert [p.name for p in book.personas] == ["Cem", "Carla", "Bea"]
    assert [r.id for r in book.roles] == ["cmo", "sdr"]
    assert book.channels[0].owner == "cmo"


def test_sources_are_every_file_read_in_reading_order(repo: Path) -> None:
    result = validate()
    shared = repo.resolve() / "playbooks" / "shared"
    assert result.sources == (repo.resolve() / PLAYBOOK_NAME, shared / "personas.yaml",
                              shared / "people" / "ceo.yaml", shared / "roles.yaml")


def test_sources_are_kept_when_reading_fails(repo: Path) -> None:
    (repo / "playbooks/shared/people/ceo.yaml").unlink()
    result = validate()
    assert result.playbook is None
    # reading goes on past the missing file, so every problem is found at once
    assert result.sources == (repo.resolve() / PLAYBOOK_NAME,
                              repo.resolve() / "playbooks/shared/personas.yaml",
                              repo.resolve() / "playbooks/shared/roles.yaml")
    assert only_error(result) == ("playbooks/shared/personas.yaml:1:10: there is no file "
                                  "'people/ceo.yaml' (playbooks/shared/people/ceo.yaml); an "
                                  "include is relative to the file that names it")


def test_a_playbook_without_includes_has_itself_as_its_only_source(repo: Path) -> None:
    write(repo, {"solo.yaml": "gtmgen: 1\n"})
    result = validate_path(Path("solo.yaml"))
    assert result.sources == (repo.resolve() / "solo.yaml",)


def test_a_model_error_in_a_shared_file_is_reported_in_that_file(repo: Path) -> None:
    write(repo, {"playbooks/shared/personas.yaml": (
        "personas:\n"
        "  - id: cfo\n"
        "    name: Carla\n"
        "    titel: CFO\n"
        "    icps: [smb]\n")})
    found = errors(validate())
    # the mapping of the persona starts at its first key, `id` (line 2, column 5)
    assert found == [
        "playbooks/shared/personas.yaml:2:5: persona 'cfo' is missing the required key 'title'",
        "playbooks/shared/personas.yaml:4:5: unknown key 'titel' in persona 'cfo'; did you "
        "mean 'title'?"]


def test_a_bad_number_in_a_shared_file_is_reported_in_that_file(repo: Path) -> None:
    write(repo, {"playbooks/shared/roles.yaml": ROLES + "    cost:\n      monthly: 4k\n"})
    # line 5 `      monthly: 4k`: six spaces, `monthly:` to column 14, the value at 16
    found = only_error(validate())
    assert found.startswith("playbooks/shared/roles.yaml:5:16: '4k' uses k for thousand")


def test_a_yaml_error_in_a_nested_shared_file_is_reported_in_that_file(repo: Path) -> None:
    write(repo, {"playbooks/shared/people/ceo.yaml": CEO.replace("name: Cem", "name: [Cem")})
    found = only_error(validate())
    assert found.startswith("playbooks/shared/people/ceo.yaml:")


def test_a_duplicate_id_across_files_names_the_first_file(repo: Path) -> None:
    write(repo, {PLAYBOOK_NAME: PLAYBOOK.replace("  - id: sdr\n    title: SDR\n"
                                                 "    reports_to: cmo\n",
                                                 "  - id: cmo\n    title: CMO\n")})
    assert only_error(validate()) == (
        f"{PLAYBOOK_NAME}:20:9: duplicate role id 'cmo' (first at "
        "playbooks/shared/roles.yaml:2); ids must be unique")


def test_a_duplicate_id_between_two_shared_files_is_at_the_second(repo: Path) -> None:
    write(repo, {"playbooks/shared/personas.yaml": PERSONAS.replace("id: cfo", "id: ceo")})
    found = errors(validate())
    assert ("playbooks/shared/personas.yaml:3:9: duplicate persona id 'ceo' (first at "
            "playbooks/shared/people/ceo.yaml:2); ids must be unique") in found


def test_a_duplicate_in_one_file_still_says_only_the_line(repo: Path) -> None:
    write(repo, {"playbooks/shared/roles.yaml": ROLES + "  - id: cmo\n    title: CMO\n"})
    assert only_error(validate()) == (
        "playbooks/shared/roles.yaml:4:9: duplicate role id 'cmo' (first at line 2); ids must "
        "be unique")


def test_a_reference_error_and_a_warning_in_a_shared_file_are_located_there(repo: Path) -> None:
    write(repo, {"playbooks/shared/roles.yaml": ROLES + "    reports_to: boss\n"
                                                        "    x-unused: 1\n"})
    assert only_error(validate()).startswith(
        "playbooks/shared/roles.yaml:4:17: unknown role 'boss'")
    write(repo, {"playbooks/shared/roles.yaml": ROLES,
                 "playbooks/shared/personas.yaml": PERSONAS.replace("id: cfo", "id: cto")})
    result = validate()
    warnings = [(d.file, d.line, d.column) for d in result.diagnostics
                if d.message == "persona 'cto' is not used by any phase"]
    assert warnings == [("playbooks/shared/personas.yaml", 3, 9)]


def test_names_follow_the_playbook_as_given(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, {"playbooks/shared/roles.yaml": ROLES + "    nope: 1\n"})
    monkeypatch.chdir(repo / "playbooks" / "crumb")
    result = validate_path(Path("playbook.yaml"), "playbook.yaml")
    assert only_error(result).startswith("../shared/roles.yaml:4:5: unknown key 'nope'")


def test_the_cli_shows_shared_files_by_their_own_name(repo: Path, gtmgen) -> None:
    write(repo, {"playbooks/shared/roles.yaml": ROLES + "    nope: 1\n"})
    run = gtmgen("validate", PLAYBOOK_NAME)
    assert run.code == 1
    assert "playbooks/shared/roles.yaml:4:5: error: unknown key 'nope'" in run.err
    out = repo / "out"
    run = gtmgen("build", PLAYBOOK_NAME, "--out", out)
    assert run.code == 1
    assert "playbooks/shared/roles.yaml:4:5: error: unknown key 'nope'" in run.err
    assert not out.exists()


def test_a_build_shows_the_shared_personas(repo: Path, gtmgen) -> None:
    out = repo / "out"
    run = gtmgen("build", PLAYBOOK_NAME, "--out", out, "--format", "md")
    assert run.code == 0, run.err
    text = "".join(path.read_text(encoding="utf-8") for path in out.rglob("*.md"))
    assert "Carla" in text and "Cem" in text


def test_a_missing_file(repo: Path) -> None:
    own_includes(repo, "../shared/nope.yaml")
    assert only_error(validate()) == (
        f"{PLAYBOOK_NAME}:2:10: there is no file '../shared/nope.yaml' "
        "(playbooks/shared/nope.yaml); an include is relative to the file that names it")


def test_a_folder(repo: Path) -> None:
    own_includes(repo, "../shared")
    assert only_error(validate()) == (f"{PLAYBOOK_NAME}:2:10: '../shared' is a folder; "
                                      "include a YAML file")


def test_a_cycle_names_the_chain(repo: Path) -> None:
    own_includes(repo, "../shared/a.yaml")
    write(repo, {"playbooks/shared/a.yaml": "include: b.yaml\n",
                 "playbooks/shared/b.yaml": "roles: []\ninclude: [a.yaml]\n"})
    assert only_error(validate()) == (
        "playbooks/shared/b.yaml:2:11: includes go round in a circle: playbooks/shared/a.yaml "
        "→ playbooks/shared/b.yaml → playbooks/shared/a.yaml")


def test_the_same_file_twice_is_refused(repo: Path) -> None:
    own_includes(repo, "[../shared/roles.yaml, ../shared/roles.yaml]")
    # the second entry: `include: [` (10) + `../shared/roles.yaml, ` (22) → column 33
    assert only_error(validate()) == (
        f"{PLAYBOOK_NAME}:2:33: '../shared/roles.yaml' is already included (at "
        f"{PLAYBOOK_NAME}:2); include each file once")


def test_an_absolute_path(repo: Path) -> None:
    own_includes(repo, "/etc/hostname")
    assert only_error(validate()) == (
        f"{PLAYBOOK_NAME}:2:10: '/etc/hostname' is an absolute path; an include is relative to "
        f"the file that names it, and stays inside the repository {repo.resolve()}")


def test_dot_dot_may_not_leave_the_repository(repo: Path) -> None:
    write(repo.parent, {"outside.yaml": "roles: []\n"})
    own_includes(repo, "../../../outside.yaml")
    assert only_error(validate()) == (
        f"{PLAYBOOK_NAME}:2:10: '../../../outside.yaml' resolves to "
        f"{repo.parent.resolve() / 'outside.yaml'}, outside the repository {repo.resolve()}; "
        "includes stay inside it")


def test_a_symlink_may_not_lead_outside_the_repository(repo: Path) -> None:
    elsewhere = repo.parent / "elsewhere"
    write(elsewhere, {"x.yaml": "roles: []\n"})
    (repo / "playbooks" / "linked").symlink_to(elsewhere, target_is_directory=True)
    own_includes(repo, "../linked/x.yaml")
    assert only_error(validate()) == (
        f"{PLAYBOOK_NAME}:2:10: '../linked/x.yaml' resolves to "
        f"{elsewhere.resolve() / 'x.yaml'}, outside the repository {repo.resolve()}; includes "
        "stay inside it")


def test_a_symlink_inside_the_repository_is_followed(repo: Path) -> None:
    (repo / "playbooks" / "common").symlink_to(repo / "playbooks" / "shared")
    own_includes(repo, "[../common/personas.yaml, ../shared/roles.yaml]")
    assert validate().ok


def test_without_a_repository_includes_stay_in_the_playbooks_folder(tmp_path: Path) -> None:
    write(tmp_path, {"book/playbook.yaml": "gtmgen: 1\ninclude: ../x.yaml\n",
                     "x.yaml": "roles: []\n"})
    result = validate_path(tmp_path / "book" / "playbook.yaml", "playbook.yaml")
    assert only_error(result) == (
        f"playbook.yaml:2:10: '../x.yaml' resolves to {tmp_path.resolve() / 'x.yaml'}, outside "
        f"the playbook's folder {tmp_path.resolve() / 'book'}; includes stay inside it")


def test_a_gtmgen_toml_marks_the_repository_too(tmp_path: Path) -> None:
    write(tmp_path, {"gtmgen.toml": "", "book/playbook.yaml": PLAYBOOK.replace(
        "../shared/", "../common/"), "common/personas.yaml": PERSONAS,
        "common/people/ceo.yaml": CEO, "common/roles.yaml": ROLES})
    assert validate_path(tmp_path / "book" / "playbook.yaml").ok


def test_a_file_over_one_mebibyte(repo: Path) -> None:
    write(repo, {"playbooks/shared/roles.yaml": b"#" * (MAX_BYTES + 1)})
    assert only_error(validate()).startswith("playbooks/shared/roles.yaml:1:1: the file is "
                                             "larger than 1 MiB")


def test_the_guards_hold_in_a_shared_file(repo: Path) -> None:
    write(repo, {"playbooks/shared/roles.yaml": "roles: []\nroles: []\n"})
    assert only_error(validate()) == (
        "playbooks/shared/roles.yaml:2:1: duplicate key 'roles' (first at line 1); keep one of "
        "them")
    write(repo, {"playbooks/shared/roles.yaml": "roles: !!python/object []\n"})
    assert only_error(validate()).startswith("playbooks/shared/roles.yaml:1:8: YAML tags")


def test_a_gtmgen_key_marks_a_playbook_not_a_piece(repo: Path) -> None:
    write(repo, {"playbooks/shared/roles.yaml": ROLES + "gtmgen: 1\n"})
    assert only_error(validate()) == (
        "playbooks/shared/roles.yaml:4:1: an included file has no 'gtmgen:' key: that key marks "
        "a playbook, and gtmgen finds playbooks by it; remove it here")


def test_a_shared_file_is_a_mapping(repo: Path) -> None:
    write(repo, {"playbooks/shared/roles.yaml": "- id: cmo\n"})
    assert only_error(validate()) == (
        "playbooks/shared/roles.yaml:1:1: an included file is a mapping of playbook sections "
        "(personas:, roles:, …); found a list")


def test_an_empty_shared_file_adds_nothing(repo: Path) -> None:
    write(repo, {"playbooks/shared/people/ceo.yaml": "# nobody yet\n"})
    result = validate()
    assert result.playbook is not None
    assert [p.id for p in result.playbook.personas] == ["cfo", "buyer"]


def test_entries_are_text(repo: Path) -> None:
    own_includes(repo, "[../shared/roles.yaml, [x], '']")
    # `include: [` (10) + `../shared/roles.yaml, ` (22): `[x]` at 33, `''` at 38
    assert errors(validate()) == [
        f"{PLAYBOOK_NAME}:2:33: an include entry is the path of a YAML file (text); found a list",
        f"{PLAYBOOK_NAME}:2:38: an include entry is empty; give the path of a YAML file"]
    own_includes(repo, "{a: b}")
    assert only_error(validate()) == (
        f"{PLAYBOOK_NAME}:2:10: include takes the path of a YAML file, or a list of them; found "
        "a mapping")


def test_nesting_is_limited(repo: Path) -> None:
    own_includes(repo, "../shared/n1.yaml")
    levels = {f"playbooks/shared/n{i}.yaml": f"include: n{i + 1}.yaml\n"
              for i in range(1, MAX_INCLUDE_DEPTH)}
    write(repo, {**levels, f"playbooks/shared/n{MAX_INCLUDE_DEPTH}.yaml": "roles: []\n"})
    assert "included" not in " ".join(errors(validate()))  # 16 levels are fine
    write(repo, {f"playbooks/shared/n{MAX_INCLUDE_DEPTH}.yaml": "include: n17.yaml\n",
                 "playbooks/shared/n17.yaml": "roles: []\n"})
    assert only_error(validate()) == (
        "playbooks/shared/n16.yaml:1:10: includes nest more than 16 levels deep here; a "
        "playbook never needs that many")


def test_the_number_of_files_is_limited(repo: Path) -> None:
    names = [f"../shared/f{i}.yaml" for i in range(MAX_INCLUDED_FILES + 1)]
    write(repo, {f"playbooks/shared/f{i}.yaml": "{}\n" for i in range(len(names))})
    own_includes(repo, "\n" + "".join(f"  - {name}\n" for name in names))
    # the playbook's line 2 is now `include:`, and entry i is on line 3 + i, at column 5
    assert only_error(validate()) == (
        f"{PLAYBOOK_NAME}:103:5: a playbook includes at most 100 files; this would be one more")


def test_two_shared_files_may_not_both_give_one_value(repo: Path) -> None:
    write(repo, {"playbooks/shared/personas.yaml": PERSONAS + "client:\n  currency: EUR\n",
                 "playbooks/shared/roles.yaml": ROLES + "client: {currency: GBP}\n"})
    # roles.yaml line 4: `client: {` is 9 characters, the key `currency` at column 10
    assert only_error(validate()) == (
        "playbooks/shared/roles.yaml:4:10: 'client.currency' is given by two included files "
        "(first at playbooks/shared/personas.yaml:8); give it in one of them, or in "
        f"{PLAYBOOK_NAME} itself, whose own values win")


def test_a_mapping_and_a_single_value_may_not_meet(repo: Path) -> None:
    write(repo, {"playbooks/shared/personas.yaml": PERSONAS + "launch:\n  workdays: [mon]\n",
                 "playbooks/shared/roles.yaml": ROLES + "launch: soon\n"})
    assert only_error(validate()) == (
        "playbooks/shared/roles.yaml:4:1: 'launch' is a single value here but a mapping in "
        "playbooks/shared/personas.yaml:7; give it in one of them, or in "
        f"{PLAYBOOK_NAME} itself, whose own values win")


def test_the_playbooks_own_values_win(repo: Path) -> None:
    write(repo, {"playbooks/shared/personas.yaml": PERSONAS + "client:\n  currency: EUR\n"
                                                              "  product: Gadgets\n",
                 "playbooks/shared/roles.yaml": ROLES + "client: {currency: GBP}\n"})
    own = PLAYBOOK.replace("client: {name: Acme, product: Widgets}",
                           "client: {name: Acme, product: Widgets, currency: CHF}")
    write(repo, {PLAYBOOK_NAME: own})
    result = validate()
    assert result.ok, result.diagnostics
    assert result.playbook is not None
    assert result.playbook.client.currency == "CHF"  # it settles the two shared files too
    assert result.playbook.client.product == "Widgets"


def test_a_shared_file_wins_over_what_it_includes_and_empty_takes_nothing(repo: Path) -> None:
    write(repo, {"playbooks/shared/people/ceo.yaml": CEO + "client: {currency: EUR}\n",
                 "playbooks/shared/personas.yaml": PERSONAS + "client:\n  currency: GBP\n",
                 PLAYBOOK_NAME: PLAYBOOK.replace("client: {name: Acme, product: Widgets}",
                                                 "client: {name: Acme, product: Widgets, "
                                                 "currency: }")})
    result = validate()
    assert result.playbook is not None
    assert result.playbook.client.currency == "GBP"


def test_a_logo_is_relative_to_the_file_that_names_it(repo: Path) -> None:
    write(repo, {"playbooks/shared/roles.yaml": ROLES + "client:\n  brand:\n    logo: mark.png\n"})
    # line 6 `    logo: mark.png`: the value at column 11
    assert only_error(validate()).startswith(
        "playbooks/shared/roles.yaml:6:11: the logo 'mark.png' is not there")
    write(repo, {"playbooks/shared/mark.png": PNG})
    result = validate()
    assert result.ok and result.theme is not None and result.theme.logo is not None


def test_the_schema_knows_include() -> None:
    from gtmgen.schema import json_schema

    include = json_schema()["properties"]["include"]
    assert {"type": "string"} in include["anyOf"]


def test_a_path_no_system_can_open_is_an_error_at_its_entry(repo: Path) -> None:
    own_includes(repo, '"a\\0b.yaml"')
    assert only_error(validate()) == (f"{PLAYBOOK_NAME}:2:10: an include path cannot hold the "
                                      "character U+0000; remove it")
    own_includes(repo, "a" * 5000)
    assert only_error(validate()).startswith(f"{PLAYBOOK_NAME}:2:10: '{'a' * 60}…' cannot be a "
                                             "path here (")


def test_the_values_of_every_file_count_together(repo: Path) -> None:
    many = "x-many: [" + "0, " * 60_000 + "0]\n"  # 60,002 values, each file within its limit
    write(repo, {"playbooks/shared/a.yaml": many, "playbooks/shared/b.yaml": many})
    own_includes(repo, "[../shared/a.yaml, ../shared/b.yaml]")
    # `include: [` (10) + `../shared/a.yaml, ` (18): the second entry at column 29
    assert only_error(validate()) == (f"{PLAYBOOK_NAME}:2:29: '../shared/b.yaml' brings the "
                                      "playbook past 100,000 values; a playbook never needs "
                                      "that many")
