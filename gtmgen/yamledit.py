"""Give texts of a playbook a translation by editing its text in place: only the characters of
each text change; comments, key order and every other line stay byte for byte.

A round-trip YAML library was tried first: ruamel.yaml (0.19, with the playbooks' indentation
set and no line width) rewrites lines nobody touched (it joins flow mappings written over two
lines, and a file indented otherwise would be re-indented), so the edit is made here, at the
places the YAML parser gives for each node."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gtmgen.diagnostics import path_text
from gtmgen.load import MERGE_KEY, NULL_WORDS, compose

Path_ = tuple[str | int, ...]
BOM = "\ufeff"

# Plain (unquoted) is kept for texts that read back the same anywhere, inside { } too.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^\r\n\t,\[\]{}#:\"']*")
_LINE_BREAKS = {"\n": "\\n", "\t": "\\t", "\"": "\\\"", "\\": "\\\\"}


class EditProblem(Exception):
    """A text cannot be edited where it is written (an alias, a merge, an include)."""


def quoted(text: str) -> str:
    """`text` as a YAML scalar that reads back as exactly `text`, in a block or in { }."""
    if _PLAIN.fullmatch(text) and text == text.strip() and text not in NULL_WORDS:
        return text
    parts = []
    for char in text:
        if char in _LINE_BREAKS:
            parts.append(_LINE_BREAKS[char])
        elif (unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")
              or char in "\x85\ufeff"):
            code = ord(char)
            parts.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            parts.append(char)
    return '"' + "".join(parts) + '"'


@dataclass(frozen=True)
class Edit:
    """One translation to write: at `path` (a text), `locale`'s text becomes `text`."""

    path: Path_
    locale: str
    text: str


def _index(node: Any, path: Path_, found: dict[Path_, Any], seen: dict[int, int],
           keys: dict[Path_, ScalarNode]) -> None:
    target = getattr(node, "target", None)
    if target is not None:  # an alias: its value is written elsewhere, and read twice
        found[path] = node
        seen[id(target)] = seen.get(id(target), 0) + 1
        return
    found[path] = node
    seen[id(node)] = seen.get(id(node), 0) + 1
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and not (key.value == MERGE_KEY and not key.style):
                if not node.flow_style:
                    keys[(*path, key.value)] = key
                _index(value, (*path, key.value), found, seen, keys)
    elif isinstance(node, SequenceNode):
        for number, value in enumerate(node.value):
            _index(value, (*path, number), found, seen, keys)


class _Text:
    """The text being edited, with offsets for (line, column) marks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]

    def offset(self, mark: Any) -> int:
        return self.starts[mark.line] + mark.column

    def line_end(self, offset: int) -> int:
        """The offset just after the line break that ends the line holding `offset`."""
        for start in self.starts:
            if start > offset:
                return start
        return len(self.text)


def _scalar_span(text: _Text, node: ScalarNode) -> tuple[int, int]:
    start, end = text.offset(node.start_mark), text.offset(node.end_mark)
    anchor = re.match(r"&[^\s,\[\]{}]+[ \t]*", text.text[start:end])
    if anchor:  # `&name` stays where it is, now on the edited value
        start += anchor.end()
    if node.style in ("|", ">"):  # a block scalar's end takes in its trailing line breaks
        while end > start and text.text[end - 1] in "\r\n":
            end -= 1
    return start, end


def _block_mapping(text: _Text, node: ScalarNode, key: ScalarNode, primary: str,
                   edit: Edit) -> tuple[int, int, str]:
    """A block scalar (`|` or `>`) under a key of a block mapping becomes a block mapping of
    the two texts, the primary's lines kept as written, indented one step further."""
    start, end = _scalar_span(text, node)
    while start and text.text[start - 1] in " \t":
        start -= 1
    header, *lines = text.text[start:end].lstrip(" \t").split("\n")
    indent = " " * (key.start_mark.column + 2)
    body = "\n".join(f"  {line}" if line.strip() else line for line in lines)
    line_break = "\r\n" if header.endswith("\r") else "\n"
    return start, end, (f"{line_break}{indent}{primary}: {header}\n{body}{line_break}"
                        f"{indent}{edit.locale}: {quoted(edit.text)}")


def _edit_one(text: _Text, node: Node, primary: str, edit: Edit,
              key: ScalarNode | None) -> tuple[int, int, str]:
    """(start, end, new characters) for one edit."""
    if isinstance(node, ScalarNode) and node.style in ("|", ">") and key is not None \
            and not re.search(r"[1-9]", text.text[text.offset(node.start_mark):][:3]):
        return _block_mapping(text, node, key, primary, edit)
    if isinstance(node, ScalarNode):
        start, end = _scalar_span(text, node)
        return start, end, f"{{{primary}: {quoted(node.value)}, {edit.locale}: {quoted(edit.text)}}}"
    assert isinstance(node, MappingNode)
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == edit.locale:
            if not isinstance(value, ScalarNode):
                raise EditProblem("its translation is not plain text")
            start, end = _scalar_span(text, value)
            space = " " if start and text.text[start - 1] == ":" else ""  # after an empty `en:`
            return start, end, space + quoted(edit.text)
    entry = f"{edit.locale}: {quoted(edit.text)}"
    if node.flow_style:
        close = text.offset(node.end_mark) - 1  # the closing }
        before = text.text[:close].rstrip()
        at = len(before)
        return at, close, (" " if before.endswith(",") else ", ") + entry
    key, last = node.value[0][0], node.value[-1][1]
    at = text.offset(last.end_mark)
    if not (last.end_mark.column == 0 and at > 0):
        at = text.line_end(at)
    line_break = "\r\n" if "\r\n" in text.text else "\n"
    lead = "" if at == 0 or text.text[at - 1] in "\r\n" else line_break
    return at, at, f"{lead}{' ' * key.start_mark.column}{entry}{line_break}"


def add_translations(source: str, primary: str, edits: list[Edit]) -> str:
    """The playbook text with each edit made: a plain text becomes `{primary: …, locale: …}`,
    a mapping gains or replaces the locale's entry. EditProblem names a path that cannot be."""
    bom = source.startswith(BOM)
    text = _Text(source[1:] if bom else source)
    found: dict[Path_, Any] = {}
    seen: dict[int, int] = {}
    keys: dict[Path_, ScalarNode] = {}
    _index(compose(text.text), (), found, seen, keys)
    changes = []
    for edit in edits:
        node = found.get(edit.path)
        if node is None or getattr(node, "target", None) is not None or seen[id(node)] > 1:
            raise EditProblem(f"{path_text(edit.path)}: written through an alias or a merge, "
                              "or read again through an alias; give it its own text in the "
                              "playbook first")
        if not isinstance(node, ScalarNode | MappingNode):
            raise EditProblem(f"{path_text(edit.path)}: not a text")
        changes.append(_edit_one(text, node, primary, edit, keys.get(edit.path)))
    changes.sort()
    for (_, end, _), (start, _, _) in zip(changes, changes[1:], strict=False):
        if start < end:
            raise EditProblem("two translations for one place")
    result = text.text
    for start, end, new in reversed(changes):
        result = result[:start] + new + result[end:]
    return (BOM if bom else "") + result
