"""The organisation chart as a picture: the boxes and lines of orglayout.py drawn with
matplotlib, each box with the role's title and its engagement and status.

Boxes are at most 1.35 inches wide; a wider chart shrinks to 7 inches, and a taller one
towards a page's height, but the words never go below MIN_FONT points (then the picture grows
instead; in HTML the SVG zooms). Titles break between words, Chinese between characters
(never before a closing mark or after an opening one), in at most three lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gtmgen.render.orglayout import BOX_W, REST, layout

if TYPE_CHECKING:
    from gtmgen.render.charts import ChartInput

KINDS = ("full-time", "part-time", "fractional", "freelance", "agency")
STATUSES = ("filled", "open")
NO_LINE_START = frozenset("）」』】〕》〉、。，．！？：；)]},.!?:;%")
NO_LINE_END = frozenset("（「『【〔《〈([{")
WIDTH_INCHES, PAGE_INCHES, MAX_SCALE, MIN_FONT = 7.0, 9.0, 1.35, 5.0


def fit(text: str, font: Any, size: float, width: float, lines: int) -> list[str]:
    """Text broken into at most `lines` lines of at most `width` points (measured with the
    font), the last shortened with '…' when the text is longer."""
    def measure(part: str) -> float:
        font.set_size(size, 72)
        font.set_text(part, 0.0)
        return float(font.get_width_height()[0]) / 64

    # Words, or characters for text without spaces between them (Chinese), an opening mark
    # kept with the character after it and a closing mark with the one before.
    if " " in text.strip() or measure(text) <= width:
        tokens, joiner = text.split(), " "
    else:
        tokens, joiner = [], ""
        for char in text:
            if tokens and (char in NO_LINE_START or tokens[-1][-1] in NO_LINE_END):
                tokens[-1] += char
            else:
                tokens.append(char)
    found: list[str] = []
    for token in tokens:
        # A closing mark may hang past the line's end when the rest of the token fits.
        if found and (measure(found[-1] + joiner + token) <= width
                      or (token[-1] in NO_LINE_START
                          and measure(found[-1] + joiner + token[:-1]) <= width)):
            found[-1] += joiner + token
        else:
            found.append(token)
    if len(found) > lines:
        found = found[:lines]
        found[-1] += "…"

    def fits(line: str) -> bool:  # a closing mark may hang into the padding
        return measure(line) <= width + (size if line[-1] in NO_LINE_START else 0)

    for index, line in enumerate(found):
        while not fits(line) and len(line) > 1:
            line = line[:-2] + "…"
        found[index] = line
    return found


def org_figure(data: ChartInput) -> Any:
    """The organisation chart's figure; None without roles. Labels: the words of the five
    engagement kinds and the two statuses, in the order of KINDS and STATUSES, for each
    box's second line (none without them)."""
    from matplotlib.collections import LineCollection
    from matplotlib.font_manager import FontProperties, get_font
    from matplotlib.patches import FancyBboxPatch

    from gtmgen.render.charts import _figure, _title, font_file

    roles = data.rows  # (id, reports to, title, kind, status)
    if not roles:
        return None
    look, locale, labels = data.look, data.locale, data.labels
    drawn = layout([(role[0], role[1]) for role in roles])
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
    axes.add_collection(LineCollection([e.points for e in drawn.edges], colors=look.muted,
                                       linewidths=0.8, capstyle="butt", joinstyle="miter"))
    for role_id, _manager, role_title, kind, status in roles:
        if role_id not in drawn.boxes:
            continue  # below a folded manager
        box = drawn.boxes[role_id]
        is_open = status == "open"
        axes.add_patch(FancyBboxPatch(
            (box.x, box.y), box.w, box.h, boxstyle="round,pad=0,rounding_size=0.04",
            facecolor="white", edgecolor=look.colour(1 if is_open else 0), linewidth=1.0,
            linestyle=(0, (3, 2)) if is_open else "solid", zorder=2))
        detail = ", ".join(words[v] for v in (kind, status)) if words else ""
        centre = box.x + box.w / 2
        axes.text(centre, box.y + box.h * (0.40 if detail else 0.5),
                  "\n".join(fit(role_title, face, size, inner, 3)), ha="center", va="center",
                  fontproperties=font, color=look.text, zorder=3, linespacing=1.1)
        if detail:
            axes.text(centre, box.y + box.h * 0.84, fit(detail, face, size * 0.85, inner, 1)[0],
                      ha="center", va="center", fontproperties=small, color=look.muted,
                      zorder=3)
        if role_id in drawn.folded:  # its reports are not drawn: how many, at its corner
            axes.text(box.x + box.w - 0.04, box.y, f"+{drawn.folded[role_id]}", ha="right",
                      va="center", fontproperties=small, color=look.colour(0), zorder=4,
                      bbox={"boxstyle": "round,pad=0.2", "facecolor": "white",
                            "edgecolor": look.colour(0), "linewidth": 0.6})
    if REST in drawn.boxes:  # the trees left out: how many roles they hold
        box = drawn.boxes[REST]
        axes.add_patch(FancyBboxPatch(
            (box.x, box.y), box.w, box.h, boxstyle="round,pad=0,rounding_size=0.04",
            facecolor="white", edgecolor=look.muted, linewidth=0.8, zorder=2))
        axes.text(box.x + box.w / 2, box.y + box.h / 2, f"+{drawn.folded[REST]}", ha="center",
                  va="center", fontproperties=font, color=look.muted, zorder=3)
    _title(axes, data.title, locale, look)
    return figure
