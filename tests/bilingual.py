"""A playbook in several languages seen as a playbook in one: each text mapping replaced by its
text in that locale, `locales: [...]` by `locale: ...`, on the same lines, so that the line and
column of everything else stay as they are (tests that name places in the English crumb keep
naming them)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from gtmgen.translations import text_mappings
from gtmgen.validate import validate_bytes

# A text written as it stands (YAML's plain style, safe in a flow list too): no indicator first,
# no ": ", " #", comma, "?" or bracket inside, no space or colon last; any other is quoted.
PLAIN = r"[A-Za-z0-9][^:#,?\[\]{}\n\"']*(?<![\s:])"
PLAIN_BLOCK = r"[A-Za-z0-9][^\n]*(?<![\s:])"  # in a block: commas and quotes are text


def _node(root: yaml.Node, path: tuple[str | int, ...]) -> yaml.Node:
    node = root
    for step in path:
        if isinstance(step, int):
            assert isinstance(node, yaml.SequenceNode)
            node = node.value[step]
        else:
            assert isinstance(node, yaml.MappingNode)
            node = next(value for key, value in node.value if key.value == step)
    return node


def _offset(lines: list[str], mark: Any) -> int:
    return sum(len(line) for line in lines[:mark.line]) + mark.column


def one_locale(text: str, locale: str) -> str:
    """`text`, a playbook with client.locales, as a playbook in `locale` alone."""
    result = validate_bytes(text.encode("utf-8"), "playbook.yaml")
    assert result.ok and result.loaded is not None, result.diagnostics
    root = yaml.compose(text)
    lines = text.splitlines(keepends=True)
    spans = []
    for path, mapping in text_mappings(result.loaded.data, result.texts):
        node = _node(root, path)
        chosen = mapping.get(locale) or next(iter(mapping.values()))
        in_flow = bool(path) and getattr(_node(root, path[:-1]), "flow_style", False)
        plain = re.fullmatch(PLAIN if in_flow else PLAIN_BLOCK, chosen) and \
            ": " not in chosen and " #" not in chosen
        quoted = chosen if plain else json.dumps(chosen, ensure_ascii=False)
        start, end = node.start_mark, node.end_mark
        # A block mapping ends where the next key starts: keep that line's indentation.
        stop = _offset(lines, end) if node.flow_style else _offset(lines, end) - end.column
        spans.append((_offset(lines, start), stop, quoted + "\n" * (end.line - start.line)))
    client = _node(root, ("client",))
    for key, value in client.value:
        if key.value == "locales":
            spans.append((_offset(lines, key.start_mark), _offset(lines, value.end_mark),
                          f"locale: {locale}"))
    for start, end, replacement in sorted(spans, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def write_one_locale(source: Path, target: Path, locale: str) -> Path:
    """The playbook at `source` in `locale` alone, written to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(one_locale(source.read_text(encoding="utf-8"), locale), encoding="utf-8")
    return target
