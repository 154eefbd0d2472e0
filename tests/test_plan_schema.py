"""plan.json is a contract: its JSON Schema is valid, describes every key, and every plan.json
gtmgen builds from the examples and the good and warning corpora validates against it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from gtmgen.planschema import PLAN_FORMAT, plan_schema, plan_schema_markdown
from tests.conftest import CASES, CRUMB, LEDGERLY, ROOT

PLAYBOOKS = [CRUMB, LEDGERLY, ROOT / "playbooks" / "fietsdeel" / "playbook.yaml",
             *sorted((CASES / "good").glob("*.yaml")),
             *sorted((CASES / "warn").glob("*.yaml")), *sorted((CASES / "plan").glob("*.yaml"))]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(plan_schema(),
                                           format_checker=jsonschema.FormatChecker())


def test_the_schema_is_a_valid_json_schema_with_every_key_described() -> None:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)

    def walk(node: dict, path: str) -> None:
        for key, child in node.get("properties", {}).items():
            assert child.get("description"), f"{path}.{key} has no description"
            walk(child, f"{path}.{key}")
            walk(child.get("items", {}), f"{path}.{key}[]")
        if "properties" in node:
            assert node.get("additionalProperties") is False, path  # strict: no drift

    walk(schema, "plan.json")


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=lambda p: p.name if p.parent.name != "crumb"
                         and p.parent.name != "ledgerly" else p.parent.name)
def test_every_built_plan_json_validates(gtmgen, tmp_path: Path, playbook: Path,
                                         validator) -> None:
    run = gtmgen("build", playbook, "--out", tmp_path, "--format", "json")
    assert run.code == 0, run.err
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    assert data["plan_format"] == PLAN_FORMAT


def test_a_key_the_schema_does_not_list_is_refused(validator) -> None:
    assert not validator.is_valid({"plan_format": PLAN_FORMAT, "playbook": {}, "calendar": [],
                                   "hiring": [], "budget": {}, "extra": 1})


def test_schema_command_prints_it(gtmgen) -> None:
    run = gtmgen("schema", "--plan")
    assert run.code == 0 and json.loads(run.out)["$id"].endswith("plan-v1.json")


def test_the_plan_json_reference_is_generated_from_the_schema() -> None:
    shipped = (ROOT / "docs" / "plan-json.md").read_text(encoding="utf-8")
    assert shipped == plan_schema_markdown(), "run: gtmgen schema --plan --markdown"
