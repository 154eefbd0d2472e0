"""Where each message phase falls: laid end to end from the launch date, or at its `start`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gtmgen.model import Phase, Playbook

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class PhaseSpan:
    """A phase with its first and last calendar day (both inclusive)."""

    index: int
    phase: Phase
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Calendar days the phase runs."""
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        """Every calendar day of the phase, in order."""
        return [self.start + dt.timedelta(days=n) for n in range(self.days)]


def phase_spans(playbook: Playbook) -> list[PhaseSpan]:
    """The phases in playbook order with their dates: each starts at its `start`, else the day
    after the previous one ends, the first on `launch.date`."""
    spans: list[PhaseSpan] = []
    for index, phase in enumerate(playbook.messages.phases):
        if phase.start is not None:
            start = phase.start
        elif spans:
            start = spans[-1].end + ONE_DAY
        else:
            start = playbook.launch.date
        end = start + dt.timedelta(days=phase.length_days - 1)
        spans.append(PhaseSpan(index, phase, start, end))
    return spans
