"""A small reader of the PDF objects gtmgen writes (through WeasyPrint and pydyf): the objects
in the file and in its compressed object stream, by number, and the strings of a dictionary.
Enough for the tests to read what poppler's tools do not print (the catalog's /Lang, the /Alt
of a Figure, the outline); not a PDF parser."""

from __future__ import annotations

import re
import zlib

_OBJECT_STREAM = re.compile(rb"\d+ 0 obj\s*<<([^<>]*/Type /ObjStm[^<>]*)>>\s*stream\r?\n")


def objects(data: bytes) -> dict[int, bytes]:
    """Every object packed into the file's object streams, by its number (/Type /ObjStm: a
    header of number-offset pairs, then the objects). A compressed PDF from pydyf keeps every
    dictionary there; only the streams (pages, fonts, pictures) are outside."""
    found: dict[int, bytes] = {}
    for match in _OBJECT_STREAM.finditer(data):
        head = match.group(1)
        length, first = (int(_number(head, key)) for key in ("Length", "First"))
        packed = zlib.decompress(data[match.end():match.end() + length])
        pairs = [int(value) for value in packed[:first].split()]
        numbers, offsets = pairs[0::2], pairs[1::2]
        ends = [*offsets[1:], len(packed) - first]
        for number, start, end in zip(numbers, offsets, ends, strict=True):
            found[number] = packed[first + start:first + end].strip()
    return found


def _number(body: bytes, key: str) -> bytes:
    found = re.search(rb"/" + key.encode() + rb" (\d+)", body)
    assert found, (key, body[:200])
    return found.group(1)


def string(body: bytes, key: str) -> str | None:
    """The text of the string after /KEY in a dictionary: a literal (…) with its escapes, or
    <hex> (UTF-16BE after a byte-order mark, as pydyf writes text that is not ASCII)."""
    at = re.search(rb"/" + key.encode() + rb"\s*([(<])", body)
    if at is None:
        return None
    start = at.start(1)
    if body[start:start + 1] == b"<":
        raw = bytes.fromhex(body[start + 1:body.index(b">", start)].decode())
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    text, depth, index = bytearray(), 0, start
    while True:
        index += 1
        char = body[index:index + 1]
        if char == b"\\":
            index += 1
            text += body[index:index + 1]
        elif char == b"(":
            depth += 1
            text += char
        elif char == b")":
            if depth == 0:
                return text.decode("latin-1")
            depth -= 1
            text += char
        else:
            text += char


def reference(body: bytes, key: str) -> int | None:
    """The object number after /KEY (`/KEY N 0 R`), or None."""
    at = re.search(rb"/" + key.encode() + rb" (\d+) 0 R", body)
    return int(at.group(1)) if at else None


def catalog(found: dict[int, bytes]) -> bytes:
    """The document catalog."""
    return next(body for body in found.values() if body.startswith(b"<</Type /Catalog"))


def figure_alts(found: dict[int, bytes]) -> list[str | None]:
    """The /Alt of every Figure structure element, in the order of the objects."""
    return [string(body, "Alt") for _, body in sorted(found.items())
            if body.startswith(b"<</Type /StructElem/S /Figure")]


def outline(found: dict[int, bytes]) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), in reading order: level 1 under the outline root,
    level 2 under those, and so on (each entry's /First child, then its /Next sibling)."""
    root = reference(catalog(found), "Outlines")
    entries: list[tuple[int, str]] = []

    def walk(number: int | None, level: int) -> None:
        while number is not None:
            body = found[number]
            entries.append((level, string(body, "Title") or ""))
            walk(reference(body, "First"), level + 1)
            number = reference(body, "Next")

    walk(reference(found[root], "First") if root is not None else None, 1)
    return entries
