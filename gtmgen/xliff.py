"""The files handed to translators and read back: XLIFF 2.0 and CSV.

XLIFF 2.0 is written with xml.etree and read with expat, both from Python itself: the
maintained Python libraries for XLIFF (translate-toolkit among them) read and write XLIFF 1.2,
not the 2.0 core. Reading refuses any DOCTYPE before it is parsed further, so no entity
(external, or a billion laughs) is ever defined, let alone expanded."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_12_NS = "urn:oasis:names:tc:xliff:document:1.2"
CSV_COLUMNS = ("path", "line", "source", "target")
MAX_BYTES = 16 * 1024 * 1024  # a playbook is at most 1 MiB: its export a few times that


@dataclass(frozen=True)
class Unit:
    """One text for the translator: its path in the playbook, where it is written
    (`FILE:LINE`), the primary text and the translation; `line`/`column` place the unit in the
    export file when it was read from one."""

    path: str
    location: str
    source: str
    target: str = ""
    line: int = 1
    column: int = 1


@dataclass
class Exported:
    """What an export file holds: the playbook it came from, its two locales, its units."""

    original: str | None = None
    source_locale: str | None = None
    target_locale: str | None = None
    units: list[Unit] = field(default_factory=list)
    position: tuple[int, int] = (1, 1)  # of the element (or row) that names the locales


class FormatProblem(Exception):
    """The export file cannot be read; `line` and `column` say where."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def write_xliff(original: str, source_locale: str, target_locale: str,
                units: list[Unit]) -> bytes:
    """XLIFF 2.0: one <unit> per text, its path as `name` (a unit id is an XML NMTOKEN, which
    a path like `icps[0].attributes.company size` is not), its place as a location note."""
    ET.register_namespace("", XLIFF_NS)

    def tag(name: str) -> str:
        return f"{{{XLIFF_NS}}}{name}"

    root = ET.Element(tag("xliff"), {"version": "2.0", "srcLang": source_locale,
                                     "trgLang": target_locale})
    file = ET.SubElement(root, tag("file"), {"id": "f1", "original": original})
    for number, unit in enumerate(units, 1):
        element = ET.SubElement(file, tag("unit"), {"id": f"u{number}", "name": unit.path})
        notes = ET.SubElement(element, tag("notes"))
        ET.SubElement(notes, tag("note"), {"category": "location"}).text = unit.location
        segment = ET.SubElement(element, tag("segment"))
        ET.SubElement(segment, tag("source")).text = unit.source
        if unit.target:
            ET.SubElement(segment, tag("target")).text = unit.target
    ET.indent(root, "  ")
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
            + b"\n")


def write_csv(units: list[Unit]) -> bytes:
    """CSV with a header row (path, line, source, target), UTF-8 with a byte-order mark so
    that Excel reads it as UTF-8."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for unit in units:
        writer.writerow((unit.path, unit.location.rpartition(":")[2], unit.source, unit.target))
    return stream.getvalue().encode("utf-8-sig")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw.count(b"\n", 0, problem.start) + 1
        raise FormatProblem(line, 1, f"byte 0x{raw[problem.start]:02X} is not valid UTF-8; "
                                     "save the file as UTF-8") from None


def read_csv(raw: bytes, target_locale: str | None) -> Exported:
    """The units of a CSV export; the target locale comes from the file's name."""
    text = _decode(raw)
    result = Exported(target_locale=target_locale)
    # `;` when a spreadsheet in a locale with decimal commas saved it (Excel in Dutch or
    # German), else `,`: the one the header row uses between its first two names.
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=separator)
    try:
        header = next(reader, None)
        if header is None or [c.strip().lower() for c in header[:4]] != list(CSV_COLUMNS):
            raise FormatProblem(1, 1, "the first row must name the columns path, line, "
                                      "source, target (as gtmgen translations export writes)")
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) < 4:
                    raise FormatProblem(start, 1, f"{len(row)} columns; a row has four: path, "
                                                  "line, source, target")
                result.units.append(Unit(row[0].strip(), row[1], row[2], row[3], start, 1))
            start = reader.line_num + 1
    except csv.Error as problem:
        raise FormatProblem(reader.line_num or 1, 1, f"not a readable CSV file ({problem})") \
            from None
    return result


@dataclass
class _Draft:
    """A <unit> being read: its path, where it starts, the texts of its segments."""

    path: str
    at: tuple[int, int]
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)


class _Reader:
    """Expat callbacks that collect the units of an XLIFF 2.0 file."""

    def __init__(self, parser: expat.XMLParserType, raw: bytes) -> None:
        self.raw = raw
        self.parser, self.result, self.stack = parser, Exported(), list[str]()
        self.unit: _Draft | None = None
        self.text: list[str] | None = None  # the <source> or <target> being read

    def where(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def doctype(self, *_: object) -> None:
        # Expat calls this at the end of the declaration's opening: point at its start.
        start = self.raw.rfind(b"<!", 0, self.parser.CurrentByteIndex + 1)
        if start >= 0:
            line = self.raw.count(b"\n", 0, start) + 1
            column = start - self.raw.rfind(b"\n", 0, start)
        else:
            line, column = self.where()
        raise FormatProblem(line, column, "a DOCTYPE is not allowed in an XLIFF file (it "
                                           "could define entities); export again")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        space, _, local = name.rpartition(" ")
        if not self.stack:
            if space == XLIFF_12_NS:
                raise FormatProblem(*self.where(), "this is XLIFF 1.2; gtmgen reads the XLIFF "
                                                   "2.0 it exports (save as XLIFF 2.0)")
            if (space, local) != (XLIFF_NS, "xliff"):
                raise FormatProblem(*self.where(), "not an XLIFF 2.0 file: the root element "
                                                   f"must be <xliff xmlns=\"{XLIFF_NS}\">")
            self.result.source_locale = attributes.get("srcLang")
            self.result.target_locale = attributes.get("trgLang")
            self.result.position = self.where()
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(local if space == XLIFF_NS else name)
        if self.text is not None:
            raise FormatProblem(*self.where(), f"<{local}> inside a text: gtmgen texts are "
                                               "plain, without inline markup")
        if local == "file" and parent == "xliff":
            if self.result.original is not None:
                raise FormatProblem(*self.where(), "a second <file>: a gtmgen export holds "
                                                   "one playbook")
            self.result.original = attributes.get("original", "")
        elif local == "unit" and space == XLIFF_NS:
            self.unit = _Draft(attributes.get("name") or attributes.get("id", ""), self.where())
        elif local in ("source", "target") and parent in ("segment", "ignorable") and self.unit:
            self.text = []

    def end(self, name: str) -> None:
        local = self.stack.pop()
        if local in ("source", "target") and self.text is not None and self.unit is not None:
            getattr(self.unit, local).append("".join(self.text))
            self.text = None
        elif local == "unit" and self.unit is not None:
            draft = self.unit
            self.result.units.append(Unit(draft.path, "", "".join(draft.source),
                                          "".join(draft.target), *draft.at))
            self.unit = None

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)


def read_xliff(raw: bytes) -> Exported:
    """The units of an XLIFF 2.0 export: FormatProblem at the first thing it cannot read."""
    parser = expat.ParserCreate("UTF-8", namespace_separator=" ")
    reader = _Reader(parser, raw)
    parser.StartDoctypeDeclHandler = reader.doctype
    parser.EntityDeclHandler = reader.doctype
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as problem:
        raise FormatProblem(problem.lineno, problem.offset + 1,
                            f"not well-formed XML ({expat.ErrorString(problem.code)})") from None
    return reader.result
