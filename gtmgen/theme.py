"""The look of the deliverables: gtmgen's own theme (templates/theme.yaml), then a theme.yaml
beside the playbook (or --theme), then the playbook's `client.brand:`; each given key wins over
the one before. Read and checked like a playbook, so a typo is an error at its line."""

from __future__ import annotations

import io
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmgen.diagnostics import Diagnostic, Severity, sort_diagnostics
from gtmgen.model import Brand

THEME_FILE = "theme.yaml"
MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_PIXELS = 25_000_000  # 5,000 × 5,000: a sharp logo on any page, decoded in ~100 MB
# Paper, in millimetres (ISO 216 and ANSI).
PAGE_SIZES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "letter": (215.9, 279.4),
              "legal": (215.9, 355.6)}
LETTER_COUNTRIES = frozenset({"US", "CA"})


@dataclass(frozen=True)
class Logo:
    """A picture of the client's mark: its bytes and its kind (png or jpeg)."""

    data: bytes
    kind: str
    name: str
    path: Path | None = field(default=None, compare=False)  # where it was read (manifests)


@dataclass(frozen=True)
class Theme:
    """Every look the renderers need, resolved: nothing here is optional except the logo and
    the running text."""

    body_font: str
    heading_font: str
    text: str
    heading: str
    accent: str
    muted: str
    line: str
    table_header: str
    table_header_text: str
    chart: tuple[str, ...]
    page_size: str
    page_mm: tuple[float, float]
    margin_mm: float
    header: str | None = None
    footer: str | None = None
    confidential: bool = False
    logo: Logo | None = field(default=None, repr=False)

    def colour(self, index: int) -> str:
        """The chart colour for the index-th series, the palette repeated."""
        return self.chart[index % len(self.chart)]


def default_page(country: str | None, locale: str) -> str:
    """Letter for a client in the US or Canada (or an English client with no country), A4
    everywhere else."""
    if country is not None:
        return "letter" if country in LETTER_COUNTRIES else "A4"
    return "letter" if locale == "en" else "A4"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _brand_data(brand: Brand | None) -> dict[str, Any]:
    return {} if brand is None else brand.model_dump(exclude_none=True, exclude={"notes"})


def read_logo(path: Path) -> Logo | str:
    """The logo's bytes, or words for why it cannot be used."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return "is a folder, not a picture"
        # A device, a pipe or a socket could be read forever (a link to /dev/zero).
        if not stat.S_ISREG(info.st_mode):
            return "is not a file; name a PNG or JPEG picture"
        if info.st_size > MAX_LOGO_BYTES:
            return f"is larger than {MAX_LOGO_BYTES // (1024 * 1024)} MiB; use a smaller picture"
        with path.open("rb") as file:
            data = file.read(MAX_LOGO_BYTES + 1)
    except FileNotFoundError:
        return "is not there; the path is relative to the file that names it"
    except OSError as problem:
        return f"cannot be read ({problem.strerror or problem})"
    if len(data) > MAX_LOGO_BYTES:
        return f"is larger than {MAX_LOGO_BYTES // (1024 * 1024)} MiB; use a smaller picture"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    else:
        return "is not a PNG or JPEG picture"
    unusable = picture_problem(data, kind)
    return Logo(data, kind, path.name, path) if unusable is None else unusable


def picture_problem(data: bytes, kind: str) -> str | None:
    """Why a PNG or JPEG cannot be a logo (broken, too many pixels, or a JPEG that a Word
    document cannot hold), or None."""
    from docx.image.image import Image as WordImage
    from PIL import Image

    name = kind.upper()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[name]) as picture:
                width, height = picture.size
                if width * height > MAX_LOGO_PIXELS:
                    return (f"is {width:,} × {height:,} pixels; a logo has at most "
                            f"{MAX_LOGO_PIXELS:,} pixels")
                picture.load()
    except Image.DecompressionBombError:
        return f"has more than {MAX_LOGO_PIXELS:,} pixels; use a smaller picture"
    except Exception:  # noqa: BLE001 - a client's picture: Pillow raises many kinds
        return f"cannot be read as a {name} picture (it may be cut short); save it again"
    try:
        WordImage.from_blob(data)
    except Exception:  # noqa: BLE001 - as above, python-docx's own reader
        return (f"is a {name} picture that a Word document cannot hold (a JPEG needs a JFIF "
                "or Exif header); save it again as PNG")
    return None


@dataclass
class ThemeSource:
    """One layer of the theme as read: its data, the folder its logo path is relative to,
    and where the logo key was written (for messages)."""

    brand: Brand | None
    folder: Path
    file: str
    logo_at: tuple[int, int] = (1, 1)
    logo_path: str = ""
    # Where each colour it sets is written: `colours.text`, `colours.chart[2]` → line, column.
    colours_at: dict[str, tuple[int, int]] = field(default_factory=dict)


def resolve(sources: list[ThemeSource], country: str | None,
            locale: str) -> tuple[Theme | None, list[Diagnostic]]:
    """The layers, first to last, merged into a Theme; a logo that cannot be used is an error
    at the key that names it."""
    data: dict[str, Any] = {}
    logo: Logo | None = None
    problems: list[Diagnostic] = []
    for source in sources:
        layer = _brand_data(source.brand)
        data = _merge(data, layer)
        if "logo" in layer:
            found = read_logo(source.folder / layer["logo"]) if layer["logo"].strip() \
                else "is empty; give the path of a PNG or JPEG picture"
            if isinstance(found, str):
                problems.append(Diagnostic(source.file, *source.logo_at, Severity.ERROR,
                                           f"the logo '{layer['logo']}' {found}",
                                           source.logo_path))
            else:
                logo = found
    if problems:
        return None, sort_diagnostics(problems)
    theme = _theme(data, country, locale, logo)
    from gtmgen.contrast import contrast_warnings

    def where(key: str) -> tuple[str, int, int]:
        # The last layer that wrote the colour; a list's item, else the list.
        for source in reversed(sources):
            for name in (key, key.split("[")[0]):
                if name in source.colours_at:
                    return (source.file, *source.colours_at[name])
        return (sources[-1].file, 1, 1)

    return theme, contrast_warnings(theme, where)


def _theme(data: dict[str, Any], country: str | None, locale: str,
           logo: Logo | None) -> Theme:
    fonts, colours, page = data.get("fonts", {}), data.get("colours", {}), data.get("page", {})
    size = page.get("size") or default_page(country, locale)
    theme = Theme(
        body_font=fonts["body"], heading_font=fonts["heading"], text=colours["text"],
        heading=colours["heading"], accent=colours["accent"], muted=colours["muted"],
        line=colours["line"], table_header=colours["table_header"],
        table_header_text=colours["table_header_text"], chart=tuple(colours["chart"]),
        page_size=size, page_mm=PAGE_SIZES[size], margin_mm=float(page.get("margin_mm", 20)),
        header=data.get("header"), footer=data.get("footer"),
        confidential=bool(data.get("confidential", False)), logo=logo)
    return theme


def plain_theme(country: str | None = None, locale: str = "en") -> Theme:
    """gtmgen's own theme alone (for renderers called without a playbook's theme)."""
    from gtmgen.shipped import shipped_templates

    source = load_theme_file(shipped_templates() / THEME_FILE)
    theme, _ = resolve([source], country, locale)
    assert theme is not None
    return theme


def load_theme_file(path: Path, file: str | None = None) -> ThemeSource:
    """A theme.yaml, read and checked: a ThemeSource, or ThemeProblem with every located
    diagnostic."""
    from gtmgen.load import EMPTY_FILE, load_bytes, read_bytes

    name = file or str(path)
    loaded, problems = load_bytes(read_bytes(path, name), name)
    if loaded is None and [p.message for p in problems] == [EMPTY_FILE]:
        return ThemeSource(None, path.parent, name)  # nothing written yet: nothing changed
    if loaded is None:
        raise ThemeProblem(problems)
    from pydantic import ValidationError

    from gtmgen.modelerrors import model_diagnostics

    data = loaded.data if loaded.data is not None else {}
    if not isinstance(data, dict):
        raise ThemeProblem([Diagnostic(name, *loaded.position(()), Severity.ERROR,
                                       "a theme is a mapping (fonts:, colours:, logo:, …)")])
    try:
        brand = Brand.model_validate(data)
    except ValidationError as error:
        raise ThemeProblem(model_diagnostics(error, loaded, name, root=Brand)) from None
    at = loaded.position(("logo",)) if "logo" in data else (1, 1)
    return ThemeSource(brand, path.parent, name, at, "logo",
                       colour_places(data.get("colours"), loaded.position, ()))


def colour_places(colours: Any, position: Any, base: tuple[str, ...]) -> dict[
        str, tuple[int, int]]:
    """Where each colour of a `colours:` mapping is written, by its key in messages."""
    found: dict[str, tuple[int, int]] = {}
    if not isinstance(colours, dict):
        return found
    for key, value in colours.items():
        if isinstance(value, list):
            for index in range(len(value)):
                found[f"colours.{key}[{index}]"] = position((*base, "colours", key, index))
        found[f"colours.{key}"] = position((*base, "colours", key))
    return found


class ThemeProblem(Exception):
    """A theme file with problems; `diagnostics` are located in it."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} problems in the theme")
        self.diagnostics = diagnostics
