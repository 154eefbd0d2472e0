"""The document the `markdown` package builds, as a small tree to walk: taken straight from
its ElementTree (quick), or parsed from HTML."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

VOID = frozenset({"br", "hr", "img", "input", "meta", "link"})


@dataclass
class Node:
    """An element: its tag, attributes and children (nodes, text, or comments)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str | Comment] = field(default_factory=list)

    def text(self) -> str:
        """All text inside, joined."""
        return "".join(c if isinstance(c, str) else c.text() if isinstance(c, Node) else ""
                       for c in self.children)

    def elements(self, *tags: str) -> list[Node]:
        """Child elements, of the given tags if any are named."""
        return [c for c in self.children if isinstance(c, Node) and (not tags or c.tag in tags)]


@dataclass(frozen=True)
class Comment:
    text: str


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("body")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append(Comment(data.strip()))


def parse(html: str) -> Node:
    """HTML → the tree under a <body> node."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
_AMP = "\x02amp\x03"


def _append(node: Node, parts: list[Node | str | Comment]) -> None:
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if node.children and isinstance(node.children[-1], str):
                node.children[-1] += part
                continue
        node.children.append(part)


def _resolve(text: str, stash: list[str]) -> list[Node | str | Comment]:
    """Text with the markdown package's placeholders put back: entities as characters, raw
    HTML comments as Comment."""
    parts: list[Node | str | Comment] = []
    position = 0
    for found in _PLACEHOLDER.finditer(text):
        parts.append(text[position:found.start()].replace(_AMP, "&"))
        raw = stash[int(found.group(1))].strip()
        if raw.startswith("<!--") and raw.endswith("-->"):
            parts.append(Comment(raw[4:-3].strip()))
        elif raw.startswith("<"):
            parts.extend(parse(raw).children)  # a stashed block, such as a fenced code block
        else:
            parts.append(html.unescape(raw))
        position = found.end()
    parts.append(text[position:].replace(_AMP, "&"))
    return parts


def from_etree(element: Any, stash: list[str]) -> Node:
    """The markdown package's ElementTree (after its tree processors) → Node."""
    node = Node(element.tag, dict(element.attrib))
    if element.text:
        _append(node, _resolve(element.text, stash))
    for child in element:
        node.children.append(from_etree(child, stash))
        if child.tail:
            _append(node, _resolve(child.tail, stash))
    return node
