"""What `gtmgen build` shows while it builds many playbooks: a line per playbook, and on a
terminal a progress line kept below them."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

if TYPE_CHECKING:
    from gtmgen.batch import Outcome


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


def show(outcome: Outcome, progress: Progress, *, single: bool) -> None:
    """The lines for one playbook: its problems on stderr, then what became of it (one
    playbook alone: each file written, as a single build always said)."""
    from gtmgen.batch import BUILT, FAILED, INVALID
    from gtmgen.diagnostics import FORMATTERS, plural
    from gtmgen.manifest import MANIFEST

    name = outcome.job.file
    if outcome.diagnostics:
        progress.say(FORMATTERS["text"](outcome.diagnostics).rstrip("\n"), err=True)
    if outcome.status == INVALID:
        progress.say(outcome.summary, err=True)
    elif outcome.status == FAILED:
        progress.say(f"gtmgen: {outcome.message}" if single
                     else f"gtmgen: {name}: {outcome.message}", err=True)
    elif outcome.status == BUILT and single:
        done = [(path, "wrote") for path in outcome.written]
        done += [(path, "unchanged") for path in outcome.unchanged]
        for path, what in sorted(done):
            if path.name != MANIFEST:
                progress.say(f"{what} {path}")
        for line in outcome.notes:
            progress.say(line)
    elif outcome.status == BUILT:
        changed = sum(path.name != MANIFEST for path in outcome.written)
        kept = sum(path.name != MANIFEST for path in outcome.unchanged)
        progress.say(f"built {name} → {shown(outcome.job.out)} "
                     f"({plural(changed, 'file')} written, {kept} unchanged)")
    else:
        progress.say(f"unchanged {name}: nothing changed since the last build "
                     "(--force builds it again)")


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder."""
    return os.path.relpath(path)


def tally(outcomes: list[Outcome]) -> str:
    """The run's last line: `40 playbooks: 1 built, 39 unchanged`."""
    from gtmgen.diagnostics import plural

    counts = Counter(outcome.status for outcome in outcomes)
    parts = [f"{counts[status]} {status}" for status in ("built", "unchanged", "invalid",
                                                         "failed") if counts[status]]
    return f"{plural(len(outcomes), 'playbook')}: {', '.join(parts)}"
