"""The organisation chart as a picture: a top-down tree of boxes from `reports_to`.

The layout is a pure function (`layout`) in box units, y growing downwards; `org_figure`
draws it with matplotlib. The rule, in short:

- Each role's subtree takes a band of its own, its reports side by side beneath it, the role
  centred over them; bands never share an x, so no two boxes overlap. A report's box is at
  least a gap below its manager's, joined by an elbow line through a bus between the levels.
- Roles without a manager (or whose manager is not a role) are roots, side by side; trees
  wrap to a new row when the row would be wider than MAX_ACROSS boxes.
- Compact layout, when a tree laid side by side is wider than MAX_ACROSS boxes: every
  manager's reports who have no reports of their own are stacked in a column under it (a
  spine line on their left), up to STACK_ROWS a column, more in further columns (never more
  than STACK_COLUMNS; beyond that the columns grow longer).
- More than MAX_BOXES (60) roles, or a compact chart still wider than FOLD_ACROSS (10) boxes:
  the lowest managers are folded, level by level from the bottom, until neither holds: a
  folded manager's box shows how many roles are below it ("+7") and those roles are not
  drawn (the role list beside the picture names them all).
- Drawing: boxes at most 1.35 inches wide; a wider chart shrinks to 7 inches, and a taller
  one towards a page's height, but the words never go below MIN_FONT points (then the
  picture grows instead; in HTML the SVG zooms).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

BOX_W, BOX_H = 1.0, 0.6
GAP_X, GAP_Y = 0.15, 0.4  # between neighbouring bands; between a manager and its reports
STACK_INDENT, STACK_GAP = 0.15, 0.12  # a stacked column's spine room; between stacked boxes
STACK_ROWS, STACK_COLUMNS = 8, 4
MAX_ACROSS = 8
MAX_BOXES = 60
FOLD_ACROSS = 10
FOLD_WIDTH = FOLD_ACROSS * BOX_W + (FOLD_ACROSS - 1) * GAP_X
MAX_WIDTH = MAX_ACROSS * BOX_W + (MAX_ACROSS - 1) * GAP_X
KINDS = ("full-time", "part-time", "fractional", "freelance", "agency")
STATUSES = ("filled", "open")
WIDTH_INCHES, PAGE_INCHES, MAX_SCALE, MIN_FONT = 7.0, 9.0, 1.35, 5.0


@dataclass(frozen=True)
class Box:
    """A role's box: top-left corner, width and height, in box units."""

    x: float
    y: float
    w: float = BOX_W
    h: float = BOX_H

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Edge:
    """The line from a manager's box to a report's: a polyline of points."""

    manager: str
    report: str
    points: tuple[tuple[float, float], ...]


@dataclass
class OrgLayout:
    """Every role's box and every reporting line, and the size they take."""

    boxes: dict[str, Box] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    compact: bool = False
    folded: dict[str, int] = field(default_factory=dict)  # role → roles below it, not drawn

    def moved(self, dx: float, dy: float) -> OrgLayout:
        """The same layout shifted by (dx, dy)."""
        return OrgLayout(
            {k: Box(b.x + dx, b.y + dy, b.w, b.h) for k, b in self.boxes.items()},
            [Edge(e.manager, e.report, tuple((x + dx, y + dy) for x, y in e.points))
             for e in self.edges], self.width, self.height, self.compact, dict(self.folded))

    def add(self, other: OrgLayout) -> None:
        self.boxes.update(other.boxes)
        self.edges.extend(other.edges)


def layout(roles: Sequence[tuple[str, str | None]], compact: bool | None = None,
           most: int = MAX_BOXES) -> OrgLayout:
    """Boxes and lines for (role id, manager id) pairs in the playbook's order. `compact`
    None: side by side unless a tree would be wider than MAX_ACROSS boxes. While more than
    `most` boxes would be drawn, or the compact chart is wider than FOLD_ACROSS boxes, the
    lowest drawn managers are folded (their reports not drawn, their number kept)."""
    known = {role for role, _ in roles}
    reports: dict[str, list[str]] = {}
    roots = []
    for role, manager in roles:
        if manager in known and manager != role:
            reports.setdefault(manager, []).append(role)
        else:
            roots.append(role)
    folded: dict[str, int] = {}
    while True:
        shown = {k: v for k, v in reports.items() if k not in folded}
        if compact is None:
            drawn = _forest(roots, shown, False)
            if drawn.width > MAX_WIDTH + 1e-9:
                drawn = _forest(roots, shown, True)
        else:
            drawn = _forest(roots, shown, compact)
        if (len(drawn.boxes) <= most and drawn.width <= FOLD_WIDTH + 1e-9) \
                or not _fold_lowest(reports, folded):
            drawn.folded = folded
            return drawn


def _fold_lowest(reports: dict[str, list[str]], folded: dict[str, int]) -> bool:
    """Fold every drawn manager none of whose drawn reports manages anyone drawn; False
    when there is none left to fold."""
    manager_of = {r: m for m, rs in reports.items() for r in rs}

    def below(role: str) -> int:
        return sum(1 + below(r) for r in reports.get(role, []))

    def drawn(role: str) -> bool:
        while role in manager_of:
            role = manager_of[role]
            if role in folded:
                return False
        return True

    lowest = [m for m in reports if m not in folded and drawn(m)
              and all(r in folded or not reports.get(r) for r in reports[m])]
    for manager in lowest:
        for report in reports[manager]:
            folded.pop(report, None)  # now counted in its manager's number
        folded[manager] = below(manager)
    return bool(lowest)


def _forest(roots: list[str], reports: dict[str, list[str]], compact: bool) -> OrgLayout:
    whole = OrgLayout(compact=compact)
    x = y = row_height = 0.0
    seen: set[str] = set()
    for root in roots:
        tree = _tree(root, reports, compact, seen)
        if x > 0 and x + tree.width > MAX_WIDTH:  # wrap: the next trees in a new row
            x, y = 0.0, y + row_height + GAP_Y * 1.5
            row_height = 0.0
        whole.add(tree.moved(x, y))
        whole.width = max(whole.width, x + tree.width)
        row_height = max(row_height, tree.height)
        whole.height = y + row_height
        x += tree.width + GAP_X * 2
    return whole


def _tree(role: str, reports: dict[str, list[str]], compact: bool,
          seen: set[str]) -> OrgLayout:
    seen.add(role)
    below = [r for r in reports.get(role, []) if r not in seen]  # never loop on a cycle
    leaves = [r for r in below if not reports.get(r)]
    if not compact or len(leaves) < 2:
        leaves = []
    groups = [_tree(r, reports, compact, seen) for r in below if r not in leaves]
    if leaves:
        seen.update(leaves)
        groups.append(_stack(leaves))
    if not groups:
        return OrgLayout({role: Box(0.0, 0.0)}, [], BOX_W, BOX_H, compact)
    span = sum(g.width for g in groups) + GAP_X * (len(groups) - 1)
    width = max(span, BOX_W)
    tree = OrgLayout({role: Box((width - BOX_W) / 2, 0.0)}, [], width, 0.0, compact)
    centre, bus, top = width / 2, BOX_H + GAP_Y / 2, BOX_H + GAP_Y
    x = (width - span) / 2
    for group in groups:
        placed = group.moved(x, top)
        tree.add(placed)
        heads = [r for r in placed.boxes if r in below]
        for head in heads:
            box = placed.boxes[head]
            points: tuple[tuple[float, float], ...]
            if head in leaves:  # down the column's spine, then into the box's left side
                spine, middle = box.x - STACK_INDENT / 2, box.y + box.h / 2
                points = ((centre, BOX_H), (centre, bus), (spine, bus), (spine, middle),
                          (box.x, middle))
            else:
                points = ((centre, BOX_H), (centre, bus), (box.x + box.w / 2, bus),
                          (box.x + box.w / 2, box.y))
            tree.edges.append(Edge(role, head, points))
        tree.height = max(tree.height, top + group.height)
        x += group.width + GAP_X
    return tree


def _stack(leaves: list[str]) -> OrgLayout:
    rows = max(STACK_ROWS, math.ceil(len(leaves) / STACK_COLUMNS))
    columns = math.ceil(len(leaves) / rows)
    stack = OrgLayout(width=columns * (STACK_INDENT + BOX_W) + (columns - 1) * GAP_X)
    for index, leaf in enumerate(leaves):
        column, row = divmod(index, rows)
        stack.boxes[leaf] = Box(column * (STACK_INDENT + BOX_W + GAP_X) + STACK_INDENT,
                                row * (BOX_H + STACK_GAP))
    used = min(rows, len(leaves))
    stack.height = used * BOX_H + (used - 1) * STACK_GAP
    return stack


def fit(text: str, font: Any, size: float, width: float, lines: int) -> list[str]:
    """Text broken into at most `lines` lines of at most `width` points (measured with the
    font), the last shortened with '…' when the text is longer."""
    def measure(part: str) -> float:
        font.set_size(size, 72)
        font.set_text(part, 0.0)
        return float(font.get_width_height()[0]) / 64

    # Words, or characters for text without spaces between them (Chinese).
    tokens = text.split() if " " in text.strip() or measure(text) <= width else list(text)
    joiner = " " if " " in text.strip() else ""
    found: list[str] = []
    for token in tokens:
        if found and measure(found[-1] + joiner + token) <= width:
            found[-1] += joiner + token
        else:
            found.append(token)
    if len(found) > lines:
        found = found[:lines]
        found[-1] += "…"
    while found and measure(found[-1]) > width and len(found[-1]) > 1:
        found[-1] = found[-1][:-2] + "…"
    return found


def org_figure(context: RenderContext, title: str, labels: tuple[str, ...] = ()) -> Any:
    """The organisation chart's figure; None without roles. Labels: the words of the five
    engagement kinds and the two statuses, in the order of KINDS and STATUSES, for each
    box's second line (none without them)."""
    from matplotlib.font_manager import FontProperties, get_font
    from matplotlib.patches import FancyBboxPatch

    from gtmgen.render.charts import _figure, _title, font_file

    roles = context.playbook.roles
    if not roles:
        return None
    look, locale = context.look, context.playbook.client.locale
    drawn = layout([(role.id, role.reports_to) for role in roles])
    scale = min(MAX_SCALE, (WIDTH_INCHES - 0.2) / drawn.width,
                (PAGE_INCHES - 0.6) / drawn.height)
    scale = max(scale, MIN_FONT / 8.5)  # inches per box unit; the words stay readable
    size = max(MIN_FONT, min(8.5, scale * 8.5))
    width = max(WIDTH_INCHES, drawn.width * scale + 0.2)
    height = drawn.height * scale + 0.6
    figure, axes = _figure(height)
    figure.set_size_inches(width, height)
    axes.set_position((0.1 / width, 0.1 / height, 1 - 0.2 / width, 1 - 0.6 / height))
    axes.set_xlim(-(width - 0.2 - drawn.width * scale) / 2 / scale,
                  drawn.width + (width - 0.2 - drawn.width * scale) / 2 / scale)
    axes.set_ylim(drawn.height + 0.05, -0.05)  # room for the last boxes' lines
    axes.axis("off")
    path = str(font_file(locale))
    face = get_font(path)
    font, small = FontProperties(fname=path, size=size), FontProperties(fname=path,
                                                                          size=size * 0.85)
    words = dict(zip(KINDS + STATUSES, labels, strict=False)) if len(labels) >= 7 else {}
    inner = BOX_W * scale * 72 - 6  # points inside a box's padding
    from matplotlib.collections import LineCollection

    axes.add_collection(LineCollection([e.points for e in drawn.edges], colors=look.muted,
                                       linewidths=0.8, capstyle="butt", joinstyle="miter"))
    for role in roles:
        if role.id not in drawn.boxes:
            continue  # below a folded manager
        box = drawn.boxes[role.id]
        is_open = str(role.status) == "open"
        axes.add_patch(FancyBboxPatch(
            (box.x, box.y), box.w, box.h, boxstyle="round,pad=0,rounding_size=0.04",
            facecolor="white", edgecolor=look.colour(1 if is_open else 0), linewidth=1.0,
            linestyle=(0, (3, 2)) if is_open else "solid", zorder=2))
        detail = ", ".join(words[str(v)] for v in (role.kind, role.status)) if words else ""
        lines = fit(role.title, face, size, inner, 3)
        text = "\n".join(lines)
        centre = box.x + box.w / 2
        if detail:
            axes.text(centre, box.y + box.h * 0.40, text, ha="center", va="center",
                      fontproperties=font, color=look.text, zorder=3, linespacing=1.1)
            axes.text(centre, box.y + box.h * 0.84, fit(detail, face, size * 0.85, inner, 1)[0],
                      ha="center", va="center", fontproperties=small, color=look.muted,
                      zorder=3)
        else:
            axes.text(centre, box.y + box.h / 2, text, ha="center", va="center",
                      fontproperties=font, color=look.text, zorder=3, linespacing=1.1)
        if role.id in drawn.folded:  # its reports are not drawn: how many, at its corner
            axes.text(box.x + box.w - 0.04, box.y, f"+{drawn.folded[role.id]}", ha="right",
                      va="center", fontproperties=small, color=look.colour(0), zorder=4,
                      bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                            "edgecolor": look.colour(0), "linewidth": 0.6})
    _title(axes, title, locale, look)
    return figure
