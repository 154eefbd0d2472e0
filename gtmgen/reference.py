"""The format reference, written from the model's JSON Schema, so that the documentation of
every key is the code's own and cannot drift from it."""

from __future__ import annotations

from typing import Any

from gtmgen.schema import json_schema
from gtmgen.types import REVIEW_PATTERN, TEXT_SCHEMA_LOCALES

SECTIONS = [("Playbook", "The playbook (top level)"), ("Client", "client"),
            ("Launch", "launch"), ("Segment", "segments[]"), ("Icp", "icps[]"),
            ("Persona", "personas[]"), ("Partner", "partners[]"),
            ("PartnerMoment", "partners[].moments[]"), ("Channel", "channels[]"),
            ("Messages", "messages"), ("Phase", "messages.phases[]"),
            ("Resonance", "messages.phases[].resonance"), ("Role", "roles[]"),
            ("Cost", "roles[].cost"), ("ApprovedBudget", "budget"),
            ("OneOffCost", "budget.one_off[]"), ("Summary", "summary"), ("Risk", "risks[]"),
            ("NextStep", "next_steps[]"), ("Competitor", "competitors[]"),
            ("Positioning", "positioning"), ("BrandVoice", "brand"),
            ("BrandPillar", "brand.pillars[]"),
            ("Scenario", "scenarios[]"), ("ChannelChange", "scenarios[].channels.CHANNEL"),
            ("HireChange", "scenarios[].hires.ROLE")]
DEFAULT_WORDS = {"id": "Slug (lowercase letters, digits, '-'), unique within its section.",
                 "name": "The name shown in the documents.", "title": "Job or role title."}


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[1]
        target = defs.get(name, {})
        return _type(target, defs) if "enum" in target else f"`{name}` (below)"
    if "enum" in prop:
        return " \\| ".join(f"`{value}`" for value in dict.fromkeys(map(str, prop["enum"])))
    if prop.get("anyOf") == TEXT_SCHEMA_LOCALES["anyOf"]:  # or locale → text (locales)
        return "text"
    if "anyOf" in prop or "oneOf" in prop:  # oneOf: a text or a list, told apart by shape
        # A text may also be a mapping locale → text (client.locales): told at `locales`.
        options = [p for p in prop.get("anyOf", prop.get("oneOf", []))
                   if p.get("type") != "null" and p != TEXT_SCHEMA_LOCALES["anyOf"][1]]
        if {str(p.get("type")) for p in options} in ({"number", "string"},
                                                     {"integer", "string"}):
            options = [p for p in options if p.get("type") != "string"]  # a number as text
        return " or ".join(dict.fromkeys(_type(p, defs) for p in options))
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}), defs)}"
    if kind == "object":
        return f"mapping of text to {_type(prop.get('additionalProperties', {}), defs)}"
    if prop.get("pattern", "").startswith("^\\d{4}"):
        return "date"
    if prop.get("pattern") == REVIEW_PATTERN:
        return "days (`90`) or calendar months (`3m`)"
    if isinstance(kind, list):
        return "text"
    return {"string": "text", "number": "number", "integer": "whole number"}.get(str(kind), "value")


def _fix(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference_markdown() -> str:
    """The whole reference as Markdown."""
    schema = json_schema()
    defs = schema.get("$defs", {})
    lines = ["# Playbook format reference", "",
             "Generated from gtmgen's model (`gtmgen schema --markdown`); the choices behind "
             "it are in [format.md](format.md).", ""]
    for name, where in SECTIONS:
        node = schema if name == "Playbook" else defs[name]
        required = set(node.get("required", []))
        lines += [f"## `{where}`", ""]
        if node.get("description"):
            lines += [_fix(node["description"]), ""]
        lines += ["| key | type | required | default | meaning |", "|---|---|---|---|---|"]
        for key, prop in node.get("properties", {}).items():
            described = prop.get("description") or DEFAULT_WORDS.get(key, "")
            default = prop.get("default")
            shown = "" if default is None else f"`{default}`"
            lines.append(f"| `{key}` | {_type(prop, defs)} | {'yes' if key in required else ''}"
                         f" | {_fix(shown)} | {_fix(described)} |")
        lines.append("")
    lines += ["Keys starting with `x-` are allowed in every mapping and ignored.", ""]
    return "\n".join(lines)
