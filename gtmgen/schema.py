"""The JSON Schema of the playbook format, for editors that check YAML as it is typed."""

from __future__ import annotations

from typing import Any

from gtmgen.model import FORMAT_VERSION, Playbook

SCHEMA_ID = "https://gtmgen.dev/schema/playbook-v1.json"
INCLUDE_SCHEMA = {
    "description": "YAML files of shared sections (personas, roles, …) merged into the "
                   "playbook: a path, or a list of them, relative to the file that names them.",
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of playbook format 1."""
    schema = Playbook.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = f"gtmgen playbook, format {FORMAT_VERSION}"
    properties = schema["properties"]
    properties["gtmgen"] = {"description": "Format version; always 1.",
                            "enum": [FORMAT_VERSION, str(FORMAT_VERSION)]}
    # `include` is read before the model (the included files are merged in), so the model
    # never sees it; editors still should.
    schema["properties"] = {"gtmgen": properties.pop("gtmgen"), "include": INCLUDE_SCHEMA,
                            **properties}
    return schema
