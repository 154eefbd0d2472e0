"""The command line: summaries, error formats, exit codes, schema, and a lean start."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import yaml

from gtmgen import __version__
from gtmgen.load import load_bytes
from tests.conftest import CASES, CRUMB, LEDGERLY

UNKNOWN_REF = CASES / "bad" / "unknown-channel-ref.yaml"


def test_version(gtmgen) -> None:
    run = gtmgen("--version")
    assert (run.code, run.out) == (0, f"gtmgen {__version__}\n")


def test_examples_validate_with_counts(gtmgen) -> None:
    run = gtmgen("validate", CRUMB, LEDGERLY)
    # Crumb is delivered on 2027-01-18 (client.date), after two vacancies had to open on
    # 2027-01-15 (needed 03-01, 45 days of hiring): both are overdue. Ledgerly is on time.
    assert run.code == 0
    assert run.err.splitlines() == [
        f"{CRUMB}:177:9: warning: 'growth-lead': the vacancy should open on 2027-01-15, "
        "before the document date 2027-01-18 (client.date); it is overdue",
        f"{CRUMB}:186:9: warning: 'email-manager': the vacancy should open on 2027-01-15, "
        "before the document date 2027-01-18 (client.date); it is overdue"]
    assert sorted(run.out.splitlines()) == sorted([  # in the order of their paths
        f"{CRUMB}: valid: 2 segments, 3 personas, 4 channels, 4 phases, 4 roles, 2 warnings",
        f"{LEDGERLY}: valid: 3 segments, 4 personas, 6 channels, 6 phases, 7 roles, 0 warnings",
    ])


def test_file_is_named_as_the_user_typed_it(gtmgen, monkeypatch) -> None:
    monkeypatch.chdir(CASES / "bad")
    run = gtmgen("validate", "./duplicate-key.yaml")
    assert run.err.startswith("./duplicate-key.yaml:5:3: error: duplicate key 'name'")


def test_one_bad_file_among_good_ones_fails_the_run(gtmgen) -> None:
    run = gtmgen("validate", CRUMB, UNKNOWN_REF)
    assert run.code == 1
    assert f"{CRUMB}: valid" in run.out
    assert f"{UNKNOWN_REF}: invalid: 1 error, 1 warning" in run.out


def test_json_error_format(gtmgen) -> None:
    run = gtmgen("validate", "--error-format", "json", UNKNOWN_REF)
    assert run.code == 1
    rows = json.loads(run.out)
    assert rows[1] == {
        "file": str(UNKNOWN_REF), "line": 29, "column": 18, "severity": "error",
        "message": "unknown channel 'emial'; did you mean 'email'? (known channels: email)",
        "path": "messages.phases[0].channels[0]"}
    assert rows[0]["severity"] == "warning" and rows[0]["path"] == "channels[0].id"


def test_github_error_format(gtmgen) -> None:
    run = gtmgen("validate", "--error-format", "github", UNKNOWN_REF)
    assert run.code == 1
    assert (f"::error file={UNKNOWN_REF},line=29,col=18::unknown channel 'emial'; "
            "did you mean 'email'? (known channels: email)") in run.out.splitlines()


def test_missing_file_is_wrong_usage(gtmgen, tmp_path) -> None:
    run = gtmgen("validate", tmp_path / "nope.yaml")
    assert run.code == 2
    assert "does not exist" in run.err


def test_no_playbook_found_is_wrong_usage(gtmgen, tmp_path, monkeypatch) -> None:
    (tmp_path / "notes.yaml").write_text("title: not a playbook\n")
    monkeypatch.chdir(tmp_path)
    run = gtmgen("validate")
    assert run.code == 2
    assert run.err.startswith("gtmgen: no playbook found in this folder: a playbook is a file")
    assert gtmgen("validate", "--error-format", "xml", CRUMB).code == 2


def test_internal_error_is_one_line_and_exit_70(gtmgen, monkeypatch) -> None:
    from gtmgen import validate

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(validate, "validate_path", broken)
    run = gtmgen("validate", CRUMB)
    assert run.code == 70
    assert run.err.count("\n") == 1 and "internal error" in run.err and "boom" in run.err


def test_schema_is_valid_and_validates_the_examples(gtmgen) -> None:
    run = gtmgen("schema")
    schema = json.loads(run.out)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in (CRUMB, LEDGERLY):
        as_text = load_bytes(path.read_bytes(), str(path))[0].data
        jsonschema.validate(as_text, schema)
        # An editor reads numbers as numbers; dates stay text under YAML 1.2.
        as_editor_sees_it = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        jsonschema.validate(as_editor_sees_it, schema)


def test_schema_refuses_unknown_keys_but_allows_author_keys(gtmgen) -> None:
    schema = json.loads(gtmgen("schema").out)
    data = load_bytes(CRUMB.read_bytes(), "x")[0].data
    data["client"]["x-crm-id"] = "42"
    jsonschema.validate(data, schema)
    data["client"]["contry"] = "US"
    validator = jsonschema.Draft202012Validator(schema)
    assert any("contry" in error.message for error in validator.iter_errors(data))


def test_validate_does_not_import_document_libraries() -> None:
    code = (
        "import sys, atexit\n"
        f"sys.argv = ['gtmgen', 'validate', {str(CRUMB)!r}]\n"
        "heavy = {'docx', 'pptx', 'PIL', 'markdown', 'jinja2', 'matplotlib', 'icalendar'}\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} & heavy),"
        " file=sys.stderr))\n"
        "from gtmgen.cli import main\n"
        "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_a_playbook_that_cannot_be_read_is_wrong_usage_naming_it(gtmgen, crumb,
                                                                 monkeypatch) -> None:
    # It passed the argument check, then vanished before it was read.
    from gtmgen import load

    def vanish(path, file=None):
        crumb.unlink()
        return original(path, file)

    original = load.read_bytes
    monkeypatch.setattr("gtmgen.validate.read_bytes", vanish)
    run = gtmgen("validate", crumb)
    assert run.code == 2
    assert run.err == f"gtmgen: cannot read {crumb}: No such file or directory\n"


def test_every_error_gtmgen_explains_has_one_root_with_its_exit_code() -> None:
    from gtmgen.errors import GtmgenError, OutputError, ReadError, UsageError
    from gtmgen.render.templates import TemplateProblem, UnknownDocument
    from gtmgen.write import WriteError
    from gtmgen.yamlerrors import LoadProblem

    codes = {cls: cls.exit_code for cls in (LoadProblem, TemplateProblem, UnknownDocument,
                                             ReadError, WriteError)}
    assert codes == {LoadProblem: 1, TemplateProblem: 1, UnknownDocument: 2, ReadError: 2,
                     WriteError: 3}
    assert all(issubclass(cls, GtmgenError) for cls in codes)
    assert issubclass(UnknownDocument, UsageError) and issubclass(WriteError, OutputError)
