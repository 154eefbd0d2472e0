"""The HTML that the `markdown` package writes, as a small tree to walk."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

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
