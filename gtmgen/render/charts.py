"""Pictures for the documents, drawn with matplotlib in the theme's colours: the message
sequence as a Gantt chart, the monthly budget, the hiring timeline, the organisation chart and
the scenarios' fully loaded CAC.
Each as a PNG at 300 dpi (Word, slides) or an SVG (HTML, PDF). Same playbook, same bytes:
fixed fonts that ship with the packages, no creation time or software name in the file, SVG
ids from a fixed salt, and SVG text drawn as glyph outlines (see `svg`)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gtmgen.render.templates import Formats
from gtmgen.theme import Theme

if TYPE_CHECKING:
    from gtmgen.render import RenderContext

WIDTH_INCHES = 7.0
DPI = 300  # print quality in Word and on slides: 2,100 pixels across 7 inches
KINDS = ("png", "svg")
CHARTS = ("timeline", "budget", "hiring", "orgchart", "scenarios", "spend")


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


@dataclass(frozen=True)
class ChartInput:
    """Everything one chart shows and how it looks, and nothing else: the drawing functions
    read only this, so its digest (`key`) names the picture (picturecache.py)."""

    name: str
    title: str
    labels: tuple[str, ...]
    locale: str
    currency: str
    look: Theme
    rows: tuple[tuple[Any, ...], ...]

    def key(self, kind: str) -> str:
        """The digest of this chart drawn as `kind` (with the drawing's own versions)."""
        from gtmgen.render.picturecache import drawing_key

        return drawing_key(repr(self), kind, DPI)


def chart_input(context: RenderContext, name: str, title: str,
                labels: tuple[str, ...] = ()) -> ChartInput:
    """What the chart `name` (CHARTS) of this build shows."""
    client = context.playbook.client
    rows: tuple[tuple[Any, ...], ...]
    if name == "timeline":
        rows = tuple((s.start, s.end, s.days, s.phase.value_proposition)
                     for s in context.plan.spans)
    elif name == "budget":
        rows = tuple((r.month, r.channels, r.team, r.one_off, r.total)
                     for r in context.plan.budget.months)
    elif name == "hiring":
        rows = tuple((r.opens, r.starts, r.needed_by, r.late, r.title)
                     for r in context.plan.hiring)
    elif name == "scenarios":
        target = context.plan.budget.target_cac
        rows = tuple((s.name, s.loaded_cac, target) for s in context.plan.scenarios)
    elif name == "spend":  # the review's: nothing outside a review
        channels = context.review.channels if context.review is not None else ()
        rows = tuple((c.name, c.planned, c.spend) for c in channels)
    else:
        rows = tuple((str(r.id), None if r.reports_to is None else str(r.reports_to),
                      r.title, str(r.kind), str(r.status)) for r in context.playbook.roles)
    return ChartInput(name, title, labels, client.locale, client.currency, context.look, rows)


def timeline(data: ChartInput) -> Any:
    """The phases as bars on a date axis, each labelled with its value proposition."""
    from matplotlib.font_manager import FontProperties

    spans = data.rows  # (start, end, days, value proposition)
    formats = Formats(data.locale, data.currency)
    font = FontProperties(fname=str(font_file(data.locale)), size=8)
    figure, axes = _figure(0.45 * len(spans) + 1.2)
    origin = spans[0][0]
    labels = []
    for index, (start, _end, days, proposition) in enumerate(spans):
        axes.barh(index, days, left=(start - origin).days, height=0.6,
                  color=data.look.colour(index))
        wrapped = textwrap.fill(proposition, 46 if data.locale != "zh" else 24)
        labels.append(f"{index + 1}. {wrapped}")
    axes.set_yticks(range(len(spans)), labels)
    axes.invert_yaxis()
    # A tick at each phase's first day; the bars show where the last one ends.
    ticks = sorted({(span[0] - origin).days for span in spans})
    axes.set_xlim(0, (spans[-1][1] - origin).days + 1)
    if len(ticks) > 8:
        ticks = ticks[:: (len(ticks) + 7) // 8]
    axes.set_xticks(ticks, [formats.date(origin + dt.timedelta(days=t), "medium")
                            for t in ticks], rotation=30, ha="right")
    _style(axes, font, data.look)
    _title(axes, data.title, data.locale, data.look)
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


def money_bars_done(figure: Any, axes: Any, data: ChartInput, formats: Formats, font: Any,
                    top: float, names: list[str], legend: list[str]) -> Any:
    """The end of every horizontal chart of money (budget, scenarios, spend): the money axis,
    the theme's look, the legend, the title and the margins from the longest label."""
    _money_axis(axes, formats, top)
    _style(axes, font, data.look)
    _legend(axes, legend, font, data.look)
    _title(axes, data.title, data.locale, data.look)
    return _margins(figure, names, bottom=0.4)


def _money_axis(axes: Any, formats: Formats, top: float) -> None:
    # Round steps (0, 20,000, 40,000 …) the reader can add up, not quarters of the maximum.
    from matplotlib.ticker import MaxNLocator

    ticks = [t for t in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(0, top)
             if 0 <= t <= top * 1.05]
    axes.set_xticks(ticks, [formats.number(t) for t in ticks])


def budget(data: ChartInput) -> Any:
    """Each month of the budget's horizon as a stacked bar: channels, team, one-off costs
    (labels: the three legend entries, in the client's language)."""
    from matplotlib.font_manager import FontProperties

    formats = Formats(data.locale, data.currency)
    font = FontProperties(fname=str(font_file(data.locale)), size=8)
    rows = data.rows  # (month, channels, team, one-off, total)
    figure, axes = _figure(0.32 * max(len(rows), 1) + 1.3)
    names = [formats.month(row[0]) for row in rows]
    parts = [[row[1] for row in rows], [row[2] or 0.0 for row in rows],
             [row[3] for row in rows]]
    legend = (list(data.labels) + [""] * 3)[:3]
    left = [0.0] * len(rows)
    for index, (values, label) in enumerate(zip(parts, legend, strict=True)):
        if any(values):
            axes.barh(range(len(rows)), values, left=left, height=0.6,
                      color=data.look.colour(index), label=label)
            left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(range(len(rows)), names)
    axes.invert_yaxis()
    top = max(left, default=0) or 1
    for index, row in enumerate(rows):
        axes.text(row[4] + top * 0.01, index, formats.money(row[4]), va="center",
                  fontproperties=font, color=data.look.text)
    axes.set_xlim(0, top * 1.35)
    return money_bars_done(figure, axes, data, formats, font, top, names, legend)


def hiring(data: ChartInput) -> Any:
    """Each open role as a bar from the day its vacancy opens to the day the hire starts, the
    day it is needed marked (labels: legend entries for the bar and the mark)."""
    from matplotlib.font_manager import FontProperties

    rows = data.rows  # (opens, starts, needed by, late, title)
    if not rows:
        return None  # no open role: nothing to draw
    formats = Formats(data.locale, data.currency)
    font = FontProperties(fname=str(font_file(data.locale)), size=8)
    figure, axes = _figure(0.4 * max(len(rows), 1) + 1.3)
    origin = min([r[0] for r in rows] + [r[2] for r in rows])
    legend = (list(data.labels) + [""] * 2)[:2]
    for index, (opens, starts, needed_by, late, _title_text) in enumerate(rows):
        axes.barh(index, max((starts - opens).days, 1),
                  left=(opens - origin).days, height=0.5,
                  color=data.look.colour(1 if late else 0),
                  label=legend[0] if index == 0 else None)
        axes.plot([(needed_by - origin).days], [index], marker="D",
                  color=data.look.text, markeredgecolor="white", markersize=5,
                  linestyle="none", label=legend[1] if index == 0 else None)
    names = [textwrap.fill(row[4], 22 if data.locale != "zh" else 12) for row in rows]
    axes.set_yticks(range(len(rows)), names)
    axes.invert_yaxis()
    last = max([(r[1] - origin).days for r in rows] + [(r[2] - origin).days for r in rows])
    axes.set_xlim(-2, last + max(4, last // 30))
    ticks = sorted({(r[0] - origin).days for r in rows} | {last})
    if len(ticks) > 8:
        ticks = ticks[:: (len(ticks) + 7) // 8]
    axes.set_xticks(ticks, [formats.date(origin + dt.timedelta(days=t), "medium")
                            for t in ticks], rotation=30, ha="right")
    _style(axes, font, data.look)
    _legend(axes, legend, font, data.look)
    _title(axes, data.title, data.locale, data.look)
    return _margins(figure, names, bottom=0.75)


def figure(data: ChartInput) -> Any:
    """One chart as a matplotlib figure, to be saved in any kind; None when it has nothing
    to show (no open role, no role)."""
    if data.name == "orgchart":
        from gtmgen.render.orgchart import org_figure

        return org_figure(data)
    if data.name == "scenarios":
        from gtmgen.render.scenariochart import scenario_figure

        return scenario_figure(data)
    if data.name == "spend":
        from gtmgen.render.reviewchart import spend_figure

        return spend_figure(data)
    return {"timeline": timeline, "budget": budget, "hiring": hiring}[data.name](data)


def draw(context: RenderContext, name: str, title: str, labels: tuple[str, ...] = (),
         kind: str = "png") -> bytes | None:
    """One chart by name (CHARTS) as PNG or SVG bytes (KINDS); None when it has nothing to
    show (no open role, no role)."""
    drawn = figure(chart_input(context, name, title, labels))
    return None if drawn is None else save(drawn, kind, name, title)
