"""The review's spend chart: each channel's plan to date against its actual spend."""

from __future__ import annotations

import textwrap
from typing import Any

from gtmgen.render.charts import (
    ChartInput,
    _figure,
    money_bars_done,
)
from gtmgen.render.templates import Formats


def spend_figure(data: ChartInput) -> Any:
    """Two bars per channel, the plan to date and the actual spend (labels: the legend
    entries for the two); a channel with no spend measured has no second bar."""
    from matplotlib.font_manager import FontProperties

    from gtmgen.render.charts import font_file

    rows = data.rows  # (channel name, planned, actual or None)
    if not rows:
        return None
    formats = Formats(data.locale, data.currency)
    font = FontProperties(fname=str(font_file(data.locale)), size=8)
    legend = (list(data.labels) + [""] * 2)[:2]
    figure, axes = _figure(0.55 * len(rows) + 1.3)
    places = list(range(len(rows)))
    axes.barh([y - 0.18 for y in places], [row[1] for row in rows], height=0.34,
              color=data.look.colour(1), label=legend[0])
    axes.barh([y + 0.18 for y in places], [row[2] or 0.0 for row in rows], height=0.34,
              color=data.look.colour(0), label=legend[1])
    names = [textwrap.fill(row[0], 22 if data.locale != "zh" else 12) for row in rows]
    axes.set_yticks(places, names)
    axes.invert_yaxis()
    top = max([max(row[1], row[2] or 0.0) for row in rows]) or 1
    axes.set_xlim(0, top * 1.15)
    return money_bars_done(figure, axes, data, formats, font, top, names, legend)
