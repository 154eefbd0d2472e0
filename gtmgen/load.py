"""Bytes of a playbook → plain data (dicts, lists, text) with the source position of every value.

The YAML is read behind guards: bounded size, strict UTF-8, bounded nesting, bounded alias
expansion, no duplicate keys, one document, no tags. Scalars stay text; the model types them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from gtmgen.diagnostics import Diagnostic, Severity, excerpt
from gtmgen.errors import ReadError
from gtmgen.yamlerrors import LoadProblem, at, check_printable, syntax_problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
MERGE_KEY = "<<"

Path_ = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass(frozen=True)
class Origin:
    """A file that values came from: its name as shown to the user, and its folder (resolved),
    which the paths written in it are relative to."""

    name: str
    folder: Path


@dataclass
class Loaded:
    """Plain data of a playbook and where each part of it was written (1-based line, column).

    `files` marks the paths whose values came from another file (an include): a value's file is
    that of its nearest marked ancestor, else the playbook's own."""

    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    files: dict[Path_, Origin] = field(default_factory=dict)

    def origin_of(self, path: Path_) -> Origin | None:
        """The file the value at `path` came from, when it is not the playbook itself."""
        if not self.files:
            return None
        for end in range(len(path), -1, -1):
            found = self.files.get(tuple(path[:end]))
            if found:
                return found
        return None

    def file_of(self, path: Path_) -> str | None:
        """The name of the file the value at `path` was written in, when not the playbook."""
        origin = self.origin_of(path)
        return origin.name if origin else None

    def folder_of(self, path: Path_, folder: Path) -> Path:
        """The folder a file path written at `path` is relative to: that of the file it was
        written in (`folder`, the playbook's, or an included file's)."""
        origin = self.origin_of(path)
        return origin.folder if origin else folder

    def position(self, path: Path_) -> Position:
        """The place of the value at `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found
        return (1, 1)

    def key_position(self, path: Path_) -> Position:
        """The place of the key that holds `path`, else of the value, else of an ancestor."""
        return self.key_positions.get(tuple(path)) or self.position(path)


@dataclass
class _Alias:
    """A `*name` use, kept apart from its anchor so its own position is not lost."""

    target: Node
    line: int
    column: int


class _Guards(Composer, BaseResolver):
    """Our composer over a YAML parser's events: bounded values and depth, no tags, no implicit
    typing at all. Mixed in before a parser (LibYAML's or the pure-Python one)."""

    # Given by the parser it is mixed with (annotations only: no attribute is created here).
    peek_event: Callable[[], Any]
    get_event: Callable[[], Any]

    def _start_guards(self) -> None:
        Composer.__init__(self)
        BaseResolver.__init__(self)
        self.depth = 0
        self.count = 0
        self.aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self.get_event()
            if event.anchor not in self.anchors:
                raise LoadProblem(*at(event.start_mark),
                                  f"alias '*{event.anchor}' has no anchor; define "
                                  f"'&{event.anchor}' on a value above before using it")
            self.aliases += 1
            return _Alias(self.anchors[event.anchor], *at(event.start_mark))
        if isinstance(event, ScalarEvent | CollectionStartEvent):
            if event.tag is not None:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                raise LoadProblem(*at(event.start_mark),
                                  f"YAML tags such as '{tag}' are not allowed in a "
                                  f"playbook; write the value as plain text")
            if event.anchor is not None and event.anchor in self.anchors:
                first = self.anchors[event.anchor].start_mark.line + 1
                raise LoadProblem(*at(event.start_mark),
                                  f"anchor '&{event.anchor}' is defined twice (first at line "
                                  f"{first}); give each anchor its own name")
        self.count += 1
        if self.count > MAX_NODES:
            raise LoadProblem(*at(event.start_mark), f"the playbook has more than {MAX_NODES:,} "
                                                      "values; a playbook never needs that many")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise LoadProblem(*at(event.start_mark),
                                  f"nesting is deeper than {MAX_DEPTH} levels here; "
                                  "a playbook never needs that many")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PythonLoader(_Guards, Reader, Scanner, Parser):
    """The pure-Python parser under our composer."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        self._start_guards()


LOADERS: dict[str, type[Any]] = {"python": _PythonLoader}

try:  # LibYAML's parser is about eight times faster; PyYAML ships it in its wheels.
    from yaml._yaml import CParser

    class _LibYAMLLoader(_Guards, CParser):  # type: ignore[misc]
        """LibYAML's parser under our composer."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            self._start_guards()

    LOADERS = {"libyaml": _LibYAMLLoader, **LOADERS}
except ImportError:  # pragma: no cover - a PyYAML built without LibYAML
    pass

DEFAULT_PARSER = next(iter(LOADERS))
EMPTY_FILE = "the file is empty; a playbook starts with 'gtmgen: 1'"

def _children(node: Any) -> list[Any]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _resolve(node: Any) -> Node:
    return node.target if isinstance(node, _Alias) else node


def _measure(root: Node) -> None:
    """Refuse alias cycles, expansions over MAX_NODES values and expanded nesting too deep.

    Sizes are memoised per node, so a billion-laughs file costs a few hundred steps.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        target = _resolve(node)
        key = id(target)
        kids = _children(target)
        if finished:
            size[key] = 1 + sum(size[id(_resolve(k))] for k in kids)
            height[key] = 1 + max((height[id(_resolve(k))] for k in kids), default=0)
            open_nodes.discard(key)
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise LoadProblem(node.line, node.column,
                              "this alias refers to the value that contains it, "
                              "which would never end; remove the alias")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in reversed(kids))
    _locate_overflow(root, size)
    if height[id(root)] > MAX_DEPTH:
        line, column = at(root.start_mark)
        raise LoadProblem(line, column, f"aliases nest the values deeper than {MAX_DEPTH} "
                                        "levels; use fewer nested aliases")


def _locate_overflow(root: Node, size: dict[int, int]) -> None:
    """If the expanded document is too large, report at the value where the count overflows."""
    if size[id(root)] <= MAX_NODES:
        return
    total = 0
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, _Alias):
            total += size[id(node.target)]
            where = (node.line, node.column)
        else:
            total += 1
            where = at(node.start_mark)
            stack.extend(reversed(_children(node)))
        if total > MAX_NODES:
            kind = "aliases expand" if isinstance(node, _Alias) else "values bring"
            raise LoadProblem(*where, f"{kind} the playbook past {MAX_NODES:,} values here; "
                                      "a playbook never needs that many (is this an alias bomb?)")


def decode(raw: bytes) -> str:
    """Strict UTF-8 (a leading byte-order mark is dropped); LoadProblem at the first bad byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[start: exc.start].decode("utf-8", errors="replace")) + 1
        raise LoadProblem(line, column,
                          f"byte 0x{raw[exc.start]:02X} is not valid UTF-8; save the file as "
                          "UTF-8") from None


def _parser_gave_up_on_depth(exc: yaml.MarkedYAMLError) -> bool:
    # Newer LibYAML stops at its own nesting limit while scanning ahead, before our composer
    # sees the 65th level; the pure-Python parser then finds the place in our own words.
    return "nesting depth" in (exc.problem or "")


def compose(text: str, parser: str = DEFAULT_PARSER) -> Node:
    """Text → the one YAML node tree of the file, behind the guards. `parser` is a key of
    LOADERS; both parsers give the same tree and the same problems."""
    check_printable(text)
    loader = None
    try:
        loader = LOADERS[parser](text)
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            raise LoadProblem(1, 1, EMPTY_FILE)
        root = loader.compose_document()
        assert root is not None  # a document that is not at the stream's end has a node
        if not loader.check_event(StreamEndEvent):
            event = loader.peek_event()
            raise LoadProblem(*at(event.start_mark),
                              "a second YAML document starts here; a playbook is one document "
                              "(remove the '---' or split the file)")
    except yaml.MarkedYAMLError as exc:
        if parser != "python" and _parser_gave_up_on_depth(exc):
            return compose(text, "python")
        raise syntax_problem(exc, text) from None
    finally:
        if loader is not None:
            loader.dispose()
    if loader is not None and loader.aliases:
        _measure(root)  # without aliases, the composer's own count and depth guards suffice
    return root


class _Builder:
    """Node tree → plain data, recording positions and refusing duplicate or non-text keys."""

    def __init__(self) -> None:
        self.result = Loaded(None)

    def build(self, node: Any, path: Path_) -> Any:
        if isinstance(node, _Alias):
            self.result.positions[path] = (node.line, node.column)
            value = self.build(node.target, path)
            self.result.positions[path] = (node.line, node.column)
            return value
        self.result.positions[path] = at(node.start_mark)
        if isinstance(node, ScalarNode):
            if not node.style and node.value in NULL_WORDS:  # plain style: None or ''
                return None
            return node.value
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._mapping(node, path)

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        data: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        merges: list[Any] = []
        for key_node, value_node in node.value:
            key_target = _resolve(key_node)
            if not isinstance(key_target, ScalarNode):
                raise LoadProblem(*_key_at(key_node), "a key must be plain text, not a list or "
                                                      "a mapping")
            key = key_target.value
            if key == MERGE_KEY and not key_target.style:
                merges.append(value_node)
                continue
            if key in first_line:
                hint = ("; inside { } a comma ends an entry, so numbers such as 2,5 or 1,500 "
                        "are cut in two: write 2.5 or 1500" if key.isascii() and key.isdigit()
                        and node.flow_style else "")
                raise LoadProblem(*_key_at(key_node),
                                  f"duplicate key '{excerpt(key)}' (first at line "
                                  f"{first_line[key]}); keep one of them{hint}")
            first_line[key] = _key_at(key_node)[0]
            self.result.key_positions[(*path, key)] = _key_at(key_node)
            data[key] = self.build(value_node, (*path, key))
        for merge in merges:
            self._merge(data, merge, path)
        return data

    def _merge(self, data: dict[str, Any], merge: Any, path: Path_) -> None:
        # YAML's `<<: *defaults` (or a list of them): keys written here win, earlier merges win.
        target = _resolve(merge)
        sources = target.value if isinstance(target, SequenceNode) else [merge]
        for source in sources:
            mapping = _resolve(source)
            if not isinstance(mapping, MappingNode):
                raise LoadProblem(*_key_at(source), "'<<' merges mappings only; use an alias "
                                                    "of a mapping here, like '<<: *defaults'")
            merged = _Builder()
            values = merged._mapping(mapping, path)
            for key, value in values.items():
                if key not in data:
                    data[key] = value
                    for table in ("positions", "key_positions"):
                        own = getattr(self.result, table)
                        for sub, pos in getattr(merged.result, table).items():
                            if sub[: len(path) + 1] == (*path, key):
                                own.setdefault(sub, pos)


def _key_at(node: Any) -> tuple[int, int]:
    return (node.line, node.column) if isinstance(node, _Alias) else at(node.start_mark)


def parse(text: str, parser: str = DEFAULT_PARSER) -> Loaded:
    """Text of a playbook → Loaded; LoadProblem if it is not a readable, safe YAML file."""
    root = compose(text, parser)
    builder = _Builder()
    builder.result.data = builder.build(root, ())
    return builder.result


def read_bytes(path: Path, file: str | None = None) -> bytes:
    """Read at most MAX_BYTES + 1 bytes, so a huge file is refused without being read whole;
    ReadError (named as `file`, the path as the user wrote it) when it cannot be read."""
    try:
        # Opened without waiting, then checked: a FIFO or a device never blocks the read.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as problem:
        raise ReadError(f"cannot read {file or path}: {problem.strerror or problem}") from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise ReadError(f"cannot read {file or path}: it is not a regular file (a pipe, a "
                            "device or a socket); give the path of a playbook file")
        try:
            return stream.read(MAX_BYTES + 1)
        except OSError as problem:
            raise ReadError(f"cannot read {file or path}: "
                            f"{problem.strerror or problem}") from None


def load_bytes(raw: bytes, file: str,
               parser: str = DEFAULT_PARSER) -> tuple[Loaded | None, list[Diagnostic]]:
    """Bytes of a playbook → (Loaded, []) or (None, [the one diagnostic that stopped reading]).
    `parser` picks the YAML parser (a key of LOADERS): LibYAML when installed, else Python."""
    try:
        if len(raw) > MAX_BYTES:
            raise LoadProblem(1, 1, "the file is larger than 1 MiB; a playbook is far smaller "
                                    "(is this the right file?)")
        return parse(decode(raw), parser), []
    except LoadProblem as problem:
        return None, [Diagnostic(file, problem.line, problem.column, Severity.ERROR,
                                 problem.message)]
