"""The JSON Schema of the playbook format, for editors that check YAML as it is typed."""

from __future__ import annotations

from typing import Any

from gtmgen.model import FORMAT_VERSION, Playbook

SCHEMA_ID = "https://gtmgen.dev/schema/playbook-v1.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of playbook format 1."""
    schema = Playbook.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = f"gtmgen playbook, format {FORMAT_VERSION}"
    schema["properties"]["gtmgen"] = {"description": "Format version; always 1.",
                                      "enum": [FORMAT_VERSION, str(FORMAT_VERSION)]}
    return schema
