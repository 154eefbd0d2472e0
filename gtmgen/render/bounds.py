"""Limits on what a template may cost. Templates can come from a colleague's pull request, so
a build must end, in bounded memory, whatever a template asks for: text and lists made by one
operation, a document's size, the time a document takes, and (where the system allows) the
memory its rendering adds. Each limit stops the build with the template's file and line."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment

from gtmgen.errors import TemplateProblem

MAX_VALUE = 1_000_000  # characters of one text, or entries of one list, made by one operation
MAX_DOCUMENT = 64 * 1024 * 1024  # characters of one rendered document
MAX_SECONDS = 60  # seconds to render one document
MAX_EXTRA_MEMORY = 2 * 1024 * 1024 * 1024  # bytes of address space rendering may add
_WIDENING = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "format",
                       "format_map", "replace", "join"})


class TemplateLimit(TemplateProblem):
    """A template asked for more than the limits allow; the message says which and where."""


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


def _too_big(what: str) -> TemplateLimit:
    place = _template_place(sys._getframe(1))
    return TemplateLimit(f"{place}{what} would be longer than {MAX_VALUE:,} characters or "
                         "entries, the most one template expression may make")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with operators and text methods that refuse to make a value
    beyond MAX_VALUE before they make it."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            for value, times in ((left, right), (right, left)):
                size = _size(value)
                if size is not None and isinstance(times, int) and size * times > MAX_VALUE:
                    raise _too_big("a repeated text or list")
        elif op == "+":
            a, b = _size(left), _size(right)
            if a is not None and b is not None and a + b > MAX_VALUE:
                raise _too_big("a joined text or list")
        elif op == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 \
                    and right * max(abs(left).bit_length(), 1) > 4096:
                place = _template_place(sys._getframe())
                raise TemplateLimit(f"{place}a power with more than 4096 bits is more than a "
                                    "template may compute")
        elif op == "%" and isinstance(left, str) and _wide_format(left):
            raise _too_big("a formatted text")
        return self.binop_table[op](left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and name in _WIDENING:
            _check_text_method(owner, name, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _wide_format(text: str) -> bool:
    import re

    return any(int(width) > MAX_VALUE for width in re.findall(r"(\d{7,})", text))


def _check_text_method(text: str, name: str, args: tuple[Any, ...],
                       kwargs: dict[str, Any]) -> None:
    numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
    if name in ("ljust", "rjust", "center", "zfill") and any(n > MAX_VALUE for n in numbers):
        raise _too_big(f"'{name}'")
    if name == "expandtabs" and text.count("\t") * max(numbers, default=8) > MAX_VALUE:
        raise _too_big("'expandtabs'")
    if name in ("format", "format_map") and _wide_format(text):
        raise _too_big("a formatted text")
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) \
            and isinstance(args[1], str):
        count = text.count(args[0]) if args[0] else len(text) + 1
        if len(text) + count * (len(args[1]) - len(args[0])) > MAX_VALUE:
            raise _too_big("a replaced text")
    if name == "join" and args and isinstance(args[0], (list, tuple)):
        items = args[0]
        if len(text) * len(items) + sum(len(i) for i in items if isinstance(i, str)) \
                > MAX_DOCUMENT:
            raise _too_big("a joined text")


def bounded_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Jinja's own filters that widen text, refusing widths beyond MAX_VALUE."""

    def wrap(name: str, check: Any) -> Any:
        original = filters[name]

        def bounded(*args: Any, **kwargs: Any) -> Any:
            check(*args, **kwargs)
            return original(*args, **kwargs)

        bounded.__name__ = original.__name__
        for flag in ("jinja_pass_arg",):
            if hasattr(original, flag):
                setattr(bounded, flag, getattr(original, flag))
        return bounded

    def width(limit_index: int) -> Any:
        def check(*args: Any, **kwargs: Any) -> None:
            values = [v for v in (*args[limit_index:], *kwargs.values()) if isinstance(v, int)]
            if any(v > MAX_VALUE for v in values):
                raise _too_big("a padded or wrapped text")
        return check

    def replace(*args: Any, **kwargs: Any) -> None:
        strings = [a for a in args if isinstance(a, str)]
        if len(strings) >= 3:
            text, old, new = strings[-3:]
            count = text.count(old) if old else len(text) + 1
            if len(text) + count * (len(new) - len(old)) > MAX_VALUE:
                raise _too_big("a replaced text")

    def fmt(*args: Any, **kwargs: Any) -> None:
        if args and isinstance(args[0], str) and _wide_format(args[0]):
            raise _too_big("a formatted text")

    checks = {"center": width(1), "indent": width(1), "wordwrap": width(2),
              "truncate": width(1), "replace": replace, "format": fmt}
    return {name: wrap(name, check) for name, check in checks.items() if name in filters}


def where_in(generator: Any) -> str:
    """"FILE:LINE: " of the template code a render generator is at, innermost first."""
    frame = None
    current = generator
    while current is not None:
        frame = getattr(current, "gi_frame", None) or frame
        current = getattr(current, "gi_yieldfrom", None)
    return _template_place(frame)


def render_bounded(template: Any, values: dict[str, Any]) -> str:
    """Render a template as a stream, stopping it past MAX_DOCUMENT characters, MAX_SECONDS
    seconds, or MAX_EXTRA_MEMORY more memory."""
    stream = template.generate(values)
    parts, size = [], 0
    with bounded():
        for chunk in stream:
            size += len(chunk)
            if size > MAX_DOCUMENT:
                where = where_in(stream)
                stream.close()
                raise TemplateLimit(f"{where}the document is longer than {MAX_DOCUMENT:,} "
                                    "characters, the most a template may write")
            parts.append(chunk)
    return "".join(parts)


@contextlib.contextmanager
def bounded() -> Iterator[None]:
    """The time and memory limits of rendering one document."""
    with time_limit(MAX_SECONDS), memory_limit(MAX_EXTRA_MEMORY):
        yield


class _Timeout(BaseException):
    """Raised inside the template code when the time is up (not an Exception, so no template
    helper swallows it); carries the template's place."""


def place_in_traceback(problem: BaseException) -> str:
    """"FILE:LINE: " of the innermost frame that ran template code (Jinja rewrites the
    traceback of an error in a template so that its frames carry the template's lines)."""
    trace = problem.__traceback__
    found = ""
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            found = f"{code.co_filename}:{trace.tb_lineno}: "
        trace = trace.tb_next
    return found


def _template_place(frame: Any) -> str:
    """"FILE:LINE: " of the innermost template code on a stack of frames."""
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(frame.f_lineno)
            return f"{template.filename or template.name}:{line}: "
        frame = frame.f_back
    return ""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the block after `seconds` (on systems with SIGALRM, in the main thread)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return

    def stop(_signum: int, frame: Any) -> None:
        raise _Timeout(_template_place(frame))

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Timeout as timeout:
        raise TemplateLimit(f"{timeout.args[0]}the template ran for more than {seconds:g} "
                            "seconds, the most one document may take") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def memory_limit(extra: int) -> Iterator[None]:
    """Let the block add at most `extra` bytes of address space (Linux); a MemoryError
    inside becomes a TemplateLimit."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = _address_space()
    limited = used is not None and soft == resource.RLIM_INFINITY
    if limited and used is not None:
        cap = used + extra
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        except (ValueError, OSError):
            limited = False
    try:
        yield
    except MemoryError as problem:
        raise TemplateLimit(f"{place_in_traceback(problem)}the template needed more than "
                            f"{extra // (1024 * 1024 * 1024)} GiB of memory, the most one "
                            "document may take") from None
    finally:
        if limited:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    import os

    return pages * os.sysconf("SC_PAGE_SIZE")


