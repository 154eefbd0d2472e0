"""The organisation chart's layout: a top-down tree of boxes from `reports_to`, a pure
function in box units (a box is 1 wide), y growing downwards; orgchart.py draws it. The rule:

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
  drawn (the role list beside the picture names them all). When that leaves more than
  MAX_BOXES boxes (many separate trees), the trees in playbook order fill 59 boxes and one
  last box counts the roles of the trees left out ("+41").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

BOX_W, BOX_H = 1.0, 0.6
GAP_X, GAP_Y = 0.15, 0.4  # between neighbouring bands; between a manager and its reports
STACK_INDENT, STACK_GAP = 0.15, 0.12  # a stacked column's spine room; between stacked boxes
STACK_ROWS, STACK_COLUMNS = 8, 4
MAX_ACROSS = 8
MAX_BOXES = 60
REST = "+"  # the box for trees left out (no role id is "+": ids are slugs)
FOLD_ACROSS = 10
FOLD_WIDTH = FOLD_ACROSS * BOX_W + (FOLD_ACROSS - 1) * GAP_X
MAX_WIDTH = MAX_ACROSS * BOX_W + (MAX_ACROSS - 1) * GAP_X


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
    lowest drawn managers are folded (their reports not drawn, their number kept); when
    folding cannot bring the boxes down to `most` (many trees), the last trees make way for
    one box, REST, that counts their roles."""
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
        drawn = _arranged(roots, shown, compact)
        if (len(drawn.boxes) <= most and drawn.width <= FOLD_WIDTH + 1e-9) \
                or not _fold_lowest(reports, folded):
            break
    if len(drawn.boxes) > most:
        kept: list[str] = []
        count = 1  # the REST box
        for root in roots:
            count += _size(root, shown)
            if count > most:
                break
            kept.append(root)
        rest = sum(_size(r, reports) for r in roots[len(kept):])
        drawn = _arranged([*kept, REST], shown, compact)
        drawn.folded = {k: v for k, v in folded.items() if k in drawn.boxes}
        drawn.folded[REST] = rest
        return drawn
    drawn.folded = folded
    return drawn


def _arranged(roots: list[str], shown: dict[str, list[str]], compact: bool | None) -> OrgLayout:
    if compact is not None:
        return _forest(roots, shown, compact)
    drawn = _forest(roots, shown, False)
    return drawn if drawn.width <= MAX_WIDTH + 1e-9 else _forest(roots, shown, True)


def _size(role: str, reports: dict[str, list[str]]) -> int:
    """The role and every role below it (in `reports`)."""
    return 1 + sum(_size(r, reports) for r in reports.get(role, []))


def _fold_lowest(reports: dict[str, list[str]], folded: dict[str, int]) -> bool:
    """Fold every drawn manager none of whose drawn reports manages anyone drawn; False
    when there is none left to fold."""
    manager_of = {r: m for m, rs in reports.items() for r in rs}

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
        folded[manager] = _size(manager, reports) - 1
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
