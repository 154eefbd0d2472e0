"""Pictures for the documents, drawn with matplotlib in the theme's colours: the message
sequence as a Gantt chart, the monthly budget, the hiring timeline and the organisation chart.
Each as a PNG at 300 dpi (Word, slides) or an SVG (HTML, PDF). Same playbook, same bytes:
fixed fonts that ship with the packages, no creation time or software name in the file, SVG
ids from a fixed salt, and SVG text drawn as glyph outlines (see `svg`)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gtmgen.render.templates import Formats

if TYPE_CHECKING:
    from gtmgen.render import RenderContext
    from gtmgen.theme import Theme

WIDTH_INCHES = 7.0
DPI = 300  # print quality in Word and on slides: 2,100 pixels across 7 inches
KINDS = ("png", "svg")
CHARTS = ("timeline", "budget", "hiring", "orgchart")


def font_file(locale: str) -> Path:
    """The font that carries the locale's script: Noto Sans CJK for Chinese, else DejaVu Sans
    (Latin, Cyrillic and Vietnamese), both installed with gtmgen's dependencies."""
    import matplotlib

    if locale == "zh":
        spec = importlib.util.find_spec("notojp_matplotlib")
        if spec and spec.submodule_search_locations:
            found = Path(list(spec.submodule_search_locations)[0]) / "fonts"
            for candidate in sorted(found.glob("NotoSansCJK*.otf")):
                return candidate
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _figure(height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    return figure, figure.add_subplot()


def _margins(figure: Any, labels: list[str], bottom: float) -> Any:
    # Margins from the longest label line, not from a trial drawing ("tight" draws twice).
    import unicodedata

    def width(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

    widest = max((width(line) for label in labels for line in label.split("\n")), default=10)
    left = min(0.5, 0.04 + widest * 0.0078)
    figure.subplots_adjust(left=left, right=0.97, top=1 - 0.45 / figure.get_figheight(),
                           bottom=bottom / figure.get_figheight())
    return figure


def save(figure: Any, kind: str, name: str, title: str) -> bytes:
    """A drawn figure's bytes: PNG at 300 dpi without its software's name or a time, or SVG.

    SVG text is drawn as glyph outlines (svg.fonttype "path"): the picture then looks the
    same in every browser and in WeasyPrint's PDF without DejaVu Sans or Noto CJK installed,
    and every box the layout measured with those fonts still holds its words. The price is
    text a reader cannot select; the chart's title is the SVG's <title> (what a screen reader
    announces), and every document also gives the chart's facts as text (tables, the role
    list). Ids are prefixed with the chart's name, so several SVGs can share one HTML page."""
    import matplotlib

    out = io.BytesIO()
    if kind == "png":
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None},
                       facecolor="white")
        return out.getvalue()
    with matplotlib.rc_context({"svg.hashsalt": f"gtmgen-{name}", "svg.fonttype": "path"}):
        figure.savefig(out, format="svg", facecolor="white",
                       metadata={"Title": title, "Date": None, "Creator": None})
    text = out.getvalue().decode("utf-8")
    for before in (' id="', 'xlink:href="#', "url(#"):
        text = text.replace(before, f"{before}{name}-")
    return text.encode("utf-8")


def _style(axes: Any, font: Any, look: Theme) -> None:
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(look.line)
    axes.tick_params(colors=look.muted, length=0)
    axes.grid(axis="x", color=look.line, linewidth=0.6)
    axes.set_axisbelow(True)
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_fontproperties(font)


def timeline(context: RenderContext, title: str) -> Any:
    """The phases as bars on a date axis, each labelled with its value proposition."""
    from matplotlib.font_manager import FontProperties

    book, spans = context.playbook, context.plan.spans
    formats = Formats(book.client.locale, book.client.currency)
    font = FontProperties(fname=str(font_file(book.client.locale)), size=8)
    figure, axes = _figure(0.45 * len(spans) + 1.2)
    origin = spans[0].start
    labels = []
    for index, span in enumerate(spans):
        left = (span.start - origin).days
        axes.barh(index, span.days, left=left, height=0.6,
                  color=context.look.colour(index))
        wrapped = textwrap.fill(span.phase.value_proposition, 46 if book.client.locale != "zh"
                                else 24)
        labels.append(f"{index + 1}. {wrapped}")
    axes.set_yticks(range(len(spans)), labels)
    axes.invert_yaxis()
    # A tick at each phase's first day; the bars show where the last one ends.
    ticks = sorted({(s.start - origin).days for s in spans})
    axes.set_xlim(0, (spans[-1].end - origin).days + 1)
    if len(ticks) > 8:
        ticks = ticks[:: (len(ticks) + 7) // 8]
    axes.set_xticks(ticks, [formats.date(origin + dt.timedelta(days=t), "medium")
                            for t in ticks], rotation=30, ha="right")
    _style(axes, font, context.look)
    _title(axes, title, book.client.locale, context.look)
    return _margins(figure, labels, bottom=0.75)


def _title(axes: Any, title: str, locale: str, look: Theme) -> None:
    from matplotlib.font_manager import FontProperties

    title = title if len(title) <= 120 else title[:119] + "…"  # one line above the chart
    axes.set_title(title, fontproperties=FontProperties(fname=str(font_file(locale)), size=10,
                                                        weight="bold"), color=look.text,
                   loc="left")


def _legend(axes: Any, labels: list[str], font: Any, look: Theme) -> None:
    # On the title's line, at the right: never over the bars.
    if any(labels):
        axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(labels), prop=font,
                    frameon=False, borderaxespad=0.2, handlelength=1.2, labelcolor=look.text)


def _money_axis(axes: Any, formats: Formats, top: float) -> None:
    # Round steps (0, 20,000, 40,000 …) the reader can add up, not quarters of the maximum.
    from matplotlib.ticker import MaxNLocator

    ticks = [t for t in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(0, top)
             if 0 <= t <= top * 1.05]
    axes.set_xticks(ticks, [formats.number(t) for t in ticks])


def budget(context: RenderContext, title: str, labels: tuple[str, ...] = ()) -> Any:
    """Each month of the budget's horizon as a stacked bar: channels, team, one-off costs
    (labels: the three legend entries, in the client's language)."""
    from matplotlib.font_manager import FontProperties

    book, plan = context.playbook, context.plan.budget
    formats = Formats(book.client.locale, book.client.currency)
    font = FontProperties(fname=str(font_file(book.client.locale)), size=8)
    rows = plan.months
    figure, axes = _figure(0.32 * max(len(rows), 1) + 1.3)
    names = [formats.month(row.month) for row in rows]
    parts = [[row.channels for row in rows], [row.team or 0.0 for row in rows],
             [row.one_off for row in rows]]
    legend = (list(labels) + [""] * 3)[:3]
    left = [0.0] * len(rows)
    for index, (values, label) in enumerate(zip(parts, legend, strict=True)):
        if any(values):
            axes.barh(range(len(rows)), values, left=left, height=0.6,
                      color=context.look.colour(index), label=label)
            left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(range(len(rows)), names)
    axes.invert_yaxis()
    top = max(left, default=0) or 1
    for index, row in enumerate(rows):
        axes.text(row.total + top * 0.01, index, formats.money(row.total), va="center",
                  fontproperties=font, color=context.look.text)
    axes.set_xlim(0, top * 1.35)
    _money_axis(axes, formats, top)
    _style(axes, font, context.look)
    _legend(axes, legend, font, context.look)
    _title(axes, title, book.client.locale, context.look)
    return _margins(figure, names, bottom=0.4)


def hiring(context: RenderContext, title: str, labels: tuple[str, ...] = ()) -> Any:
    """Each open role as a bar from the day its vacancy opens to the day the hire starts, the
    day it is needed marked (labels: legend entries for the bar and the mark)."""
    from matplotlib.font_manager import FontProperties

    book, rows = context.playbook, context.plan.hiring
    if not rows:
        return None  # no open role: nothing to draw
    formats = Formats(book.client.locale, book.client.currency)
    font = FontProperties(fname=str(font_file(book.client.locale)), size=8)
    figure, axes = _figure(0.4 * max(len(rows), 1) + 1.3)
    origin = min([r.opens for r in rows] + [r.needed_by for r in rows])
    legend = (list(labels) + [""] * 2)[:2]
    for index, row in enumerate(rows):
        axes.barh(index, max((row.starts - row.opens).days, 1),
                  left=(row.opens - origin).days, height=0.5,
                  color=context.look.colour(1 if row.late else 0),
                  label=legend[0] if index == 0 else None)
        axes.plot([(row.needed_by - origin).days], [index], marker="D",
                  color=context.look.text, markeredgecolor="white", markersize=5,
                  linestyle="none", label=legend[1] if index == 0 else None)
    names = [textwrap.fill(row.title, 22 if book.client.locale != "zh" else 12) for row in rows]
    axes.set_yticks(range(len(rows)), names)
    axes.invert_yaxis()
    last = max([(r.starts - origin).days for r in rows] +
               [(r.needed_by - origin).days for r in rows])
    axes.set_xlim(-2, last + max(4, last // 30))
    ticks = sorted({(r.opens - origin).days for r in rows} | {last})
    if len(ticks) > 8:
        ticks = ticks[:: (len(ticks) + 7) // 8]
    axes.set_xticks(ticks, [formats.date(origin + dt.timedelta(days=t), "medium")
                            for t in ticks], rotation=30, ha="right")
    _style(axes, font, context.look)
    _legend(axes, legend, font, context.look)
    _title(axes, title, book.client.locale, context.look)
    return _margins(figure, names, bottom=0.75)


def figure(context: RenderContext, name: str, title: str,
           labels: tuple[str, ...] = ()) -> Any:
    """One chart by name (CHARTS) as a matplotlib figure, to be saved in any kind; None when
    it has nothing to show (no open role, no role)."""
    if name == "timeline":
        return timeline(context, title)
    if name == "orgchart":
        from gtmgen.render.orgchart import org_figure

        return org_figure(context, title, labels)
    return {"budget": budget, "hiring": hiring}[name](context, title, labels)


def draw(context: RenderContext, name: str, title: str, labels: tuple[str, ...] = (),
         kind: str = "png") -> bytes | None:
    """One chart by name (CHARTS) as PNG or SVG bytes (KINDS); None when it has nothing to
    show (no open role, no role)."""
    drawn = figure(context, name, title, labels)
    return None if drawn is None else save(drawn, kind, name, title)
