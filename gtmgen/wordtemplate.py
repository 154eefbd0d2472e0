"""A client's Word document or PowerPoint file used as a template, checked before anything
reads it: a real .docx or .pptx, of a bounded size once unpacked, with no DTD or entity in any
XML part (an Office file never needs one; an entity bomb or an external entity is refused, not
expanded), and for slides a layout to put them on."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_PART_BYTES = 32 * 1024 * 1024  # one unpacked part: far above any real styles.xml or logo
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_PARTS = 2000
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _read_bounded(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    # The size in the header can lie: read at most the limit, and refuse if there is more.
    with package.open(info) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    return None if len(data) > MAX_PART_BYTES else data


@dataclass(frozen=True)
class _Kind:
    """What a template package must be: its name for messages and its main content type."""

    noun: str
    main: bytes
    saved_as: str
    short: str  # "a Word template"
    app: str


_WORD = _Kind("a Word document (.docx)", b"wordprocessingml.document.main+xml",
              "a .dotx template must be saved as .docx", "Word", "Word")
_SLIDES = _Kind("a PowerPoint presentation (.pptx)", b"presentationml.presentation.main+xml",
                "a .potx template must be saved as .pptx", "slide", "PowerPoint")


def word_template_problem(path: Path) -> str | None:
    """Why `path` cannot serve as a Word template, in plain words; None when it can."""
    return _package_problem(path, _WORD)


def slide_template_problem(path: Path) -> str | None:
    """Why `path` cannot serve as a slide template, in plain words; None when it can: a
    PowerPoint file with a layout that has a title and a body placeholder."""
    return _package_problem(path, _SLIDES)


def _package_problem(path: Path, kind: _Kind) -> str | None:
    if not path.is_file():  # a pipe or a device is never opened (it could block)
        return "is not a file"
    noun = kind.noun.split(" (")[0].removeprefix("a ")
    smaller = f"unpacks to more than 128 MiB; a {kind.short} template is far smaller"
    layouts: list[bytes] = []
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if len(infos) > MAX_PARTS:
                return f"holds more than {MAX_PARTS} parts; it is not {kind.noun}"
            if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
                return smaller
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names:
                return f"is not {kind.noun}"
            total = 0
            for info in infos:
                if info.file_size > MAX_PART_BYTES:
                    return f"its part {info.filename} unpacks to more than 32 MiB"
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                data = _read_bounded(package, info)
                if data is None:
                    return f"its part {info.filename} unpacks to more than 32 MiB"
                total += len(data)
                if total > MAX_TOTAL_BYTES:
                    return smaller
                # UTF-16 parts hide ASCII between zero bytes: look with those taken out too.
                if _DTD.search(data) or _DTD.search(data.replace(b"\x00", b"")):
                    return (f"its part {info.filename} declares a DTD or entities, which a "
                            f"{noun} never does; save it again from {kind.app}")
                if info.filename == "[Content_Types].xml" and kind.main not in data:
                    return f"is not {kind.noun}; {kind.saved_as}"
                if info.filename.startswith("ppt/slideLayouts/") and \
                        info.filename.endswith(".xml"):
                    layouts.append(data)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError,
            NotImplementedError, RuntimeError):  # RuntimeError: an encrypted entry
        return f"is not {kind.noun}"
    if kind is _SLIDES and not any(_title_and_body(layout) for layout in layouts):
        return ("has no slide layout with a title and a body placeholder (such as PowerPoint's "
                "Title and Content), which the slides are laid out on")
    return None


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def _title_and_body(data: bytes) -> bool:
    """Whether a slide layout has a title placeholder and a body or content placeholder."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return False
    kinds = {ph.get("type", "obj") for ph in root.iter(f"{_P}ph")}
    return "title" in kinds and bool(kinds & {"body", "obj"})
