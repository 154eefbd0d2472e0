"""The scenarios chart: each scenario's fully loaded CAC against the target CAC."""

from __future__ import annotations

import textwrap
from typing import Any

from gtmgen.render.charts import (
    ChartInput,
    _figure,
    font_file,
    money_bars_done,
)
from gtmgen.render.templates import Formats


def scenario_figure(data: ChartInput) -> Any:
    """Each scenario's fully loaded CAC as a bar, the target CAC as a line across them
    (labels: legend entries for the bar and the line, then the name of the playbook as
    written when no scenario is called base)."""
    from matplotlib.font_manager import FontProperties

    rows = data.rows  # (name, fully loaded CAC or None, target CAC or None)
    if not rows:
        return None
    formats = Formats(data.locale, data.currency)
    font = FontProperties(fname=str(font_file(data.locale)), size=8)
    legend = (list(data.labels) + [""] * 3)[:3]
    figure, axes = _figure(0.4 * len(rows) + 1.3)
    values = [row[1] or 0.0 for row in rows]
    axes.barh(range(len(rows)), values, height=0.5, color=data.look.colour(0),
              label=legend[0])
    target = rows[0][2]
    if target is not None:
        axes.axvline(target, color=data.look.text, linestyle="--", linewidth=1,
                     label=legend[1])
    names = [textwrap.fill(row[0] or legend[2], 22 if data.locale != "zh" else 12)
             for row in rows]
    axes.set_yticks(range(len(rows)), names)
    axes.invert_yaxis()
    top = max([*values, target or 0.0]) or 1
    for index, row in enumerate(rows):
        axes.text(values[index] + top * 0.01, index,
                  formats.money(row[1]) if row[1] is not None else "—", va="center",
                  fontproperties=font, color=data.look.text, zorder=3,
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})  # over the line
    axes.set_xlim(0, top * 1.3)
    return money_bars_done(figure, axes, data, formats, font, top, names,
                           legend[:2] if target is not None else legend[:1])
