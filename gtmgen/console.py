"""What `gtmgen build` shows while it builds many playbooks: a line per playbook, and on a
terminal a progress line kept below them."""

from __future__ import annotations

import sys
from typing import TextIO

import click


class Progress:
    """A `[done/total] last` line on a terminal's stderr, redrawn under each message; nothing
    when stderr is not a terminal (a log gets the plain lines only)."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.live = total > 1 and self.stream.isatty()
        self.last = ""

    def say(self, line: str, *, err: bool = False) -> None:
        """Print a line (stdout, or stderr with `err`) above the progress line."""
        self._clear()
        click.echo(line, err=err)
        self._draw()

    def step(self, name: str) -> None:
        """One more playbook done."""
        self.done += 1
        self.last = name
        self._clear()
        self._draw()

    def finish(self) -> None:
        """Take the progress line away."""
        self._clear()
        self.live = False

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _draw(self) -> None:
        if self.live and self.done < self.total:
            width = len(str(self.total))
            self.stream.write(f"[{self.done:>{width}}/{self.total}] {self.last}"[:200])
            self.stream.flush()
