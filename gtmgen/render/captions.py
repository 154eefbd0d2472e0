"""Captions of a document's tables, and the table each chart takes its figures from: read once
from the converted document, the same for its HTML page and its Word document."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from gtmgen.render.htmltree import Comment, Node

# The template's own caption of the table that follows (partials/markdown.md.j2 `caption`).
TABLE = re.compile(r"<!-- table: ([^<>]*?) -->")
CHART_MARK = re.compile(r"<!-- chart: [\w-]+ \| .*? -->")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Captions:
    """Each table's caption text (without its number), in the document's order, and for each
    chart marker in order the number (from 1) of the table holding its figures, or None."""

    tables: tuple[str, ...]
    charts: tuple[int | None, ...]


def _events(node: Node, out: list[tuple[str, str]]) -> None:
    """The document in reading order as (kind, text): headings, caption markers, tables and
    chart markers."""
    for child in node.children:
        if isinstance(child, Comment):
            marker = f"<!-- {child.text} -->"
            found = TABLE.fullmatch(marker)
            if found:
                out.append(("caption", html.unescape(found.group(1)).strip()))
            elif CHART_MARK.fullmatch(marker):
                out.append(("chart", ""))
        elif isinstance(child, Node):
            if child.tag in HEADINGS:
                out.append(("heading", " ".join(child.text().split())))
            elif child.tag == "table":
                out.append(("table", ""))
            else:
                _events(child, out)


def read_captions(tree: Node) -> Captions:
    """A table's caption is the marker written just before it, else the text of the heading
    it sits under. A chart's table is the nearest table before it under the same heading, else
    the first one after it under that heading."""
    events: list[tuple[str, str]] = []
    _events(tree, events)
    tables: list[str] = []
    heading, given = "", ""
    section = 0  # counts headings: a chart looks for its table within its own section
    placed: list[tuple[str, int, int]] = []  # (kind, section, table number or tables so far)
    for kind, text in events:
        if kind == "heading":
            heading, given, section = text, "", section + 1
        elif kind == "caption":
            given = text
        elif kind == "table":
            tables.append(given or heading)
            given = ""
            placed.append(("table", section, len(tables)))
        elif kind == "chart":
            placed.append(("chart", section, len(tables)))
    charts: list[int | None] = []
    for index, (kind, where, _) in enumerate(placed):
        if kind != "chart":
            continue
        before = [n for k, s, n in placed[:index] if k == "table" and s == where]
        after = [n for k, s, n in placed[index + 1:] if k == "table" and s == where]
        charts.append(before[-1] if before else after[0] if after else None)
    return Captions(tuple(tables), tuple(charts))
