"""Whether a theme's colours can be read by everyone: WCAG 2.1's contrast ratio of each text
colour against the white page (4.5:1), of the table header's text against its fill (4.5:1), and
of each chart colour against white (3:1, for graphics)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gtmgen.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from gtmgen.theme import Theme

WHITE = "#FFFFFF"
TEXT = 4.5  # WCAG 2.1 AA, 1.4.3: text of normal size
GRAPHICS = 3.0  # WCAG 2.1 AA, 1.4.11: parts of graphics needed to understand them


def luminance(colour: str) -> float:
    """The relative luminance of #RRGGBB (WCAG 2.1's definition, sRGB)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def ratio(first: str, second: str) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Each text colour of the theme, by its key, and what it is used for.
TEXT_KEYS = {"text": "running text needs", "heading": "headings need", "accent": "links need",
             "muted": "the header, footer and captions need"}


def contrast_warnings(theme: Theme, where: Callable[[str], tuple[str, int, int]]) -> list[
        Diagnostic]:
    """A warning for each colour pair below its minimum, at the key that set the colour
    (`where(key)` → file, line, column; keys as `colours.text`, `colours.chart[2]`)."""
    found = []

    def warn(key: str, colour: str, against: str, minimum: float, what: str) -> None:
        value = ratio(colour, against)
        if value < minimum:
            file, line, column = where(key)
            found.append(Diagnostic(
                file, line, column, Severity.WARNING,
                f"{key} {colour} on {'white' if against == WHITE else against} is "
                f"{value:.2f}:1; {what} at least {minimum:g}:1 to be read by everyone "
                "(WCAG 2.1 AA)", key))

    for key, use in TEXT_KEYS.items():
        warn(f"colours.{key}", getattr(theme, key), WHITE, TEXT, use)
    warn("colours.table_header_text", theme.table_header_text, theme.table_header, TEXT,
         "a table header's text needs")
    for index, colour in enumerate(theme.chart):
        warn(f"colours.chart[{index}]", colour, WHITE, GRAPHICS, "chart marks need")
    return found
