"""Checks of the positioning, the competitors and the brand's voice: whom the positioning is
for, and the warnings a consultant wants before the statement reaches the client. (Competitor
ids and the segments they serve are checked with every other id and reference.)"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from gtmgen.model import Playbook

if TYPE_CHECKING:
    from gtmgen.check import _Report as Report

LISTED = 20  # ids named in one message at most


def _unknown_audience(ref: str, segments: list[str], icps: list[str]) -> str:
    known = sorted(set(segments) | set(icps))
    close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    shown = ", ".join(known[:LISTED]) + (f" and {len(known) - LISTED} more"
                                         if len(known) > LISTED else "")
    listing = (f"known segments and ICPs: {shown}" if known
               else "no segments or ICPs are defined")
    return (f"unknown segment or ICP '{ref}'{hint} ({listing}); for_whom takes their ids, "
            "or text in place of the list")


def _check_against(playbook: Playbook, report: Report) -> None:
    from gtmgen.check import _unknown_ref

    phases = [phase.id for phase in playbook.messages.phases]
    for i, competitor in enumerate(playbook.competitors):
        for ref in competitor.against:
            if ref not in phases:
                report.error(("competitors", i, "against", ref),
                             _unknown_ref("phase", ref, phases), at_key=True)


def check_positioning(playbook: Playbook, report: Report) -> None:
    """Whom the positioning is for must be known, and each verdict of a competitor against
    our value propositions must name a phase; a statement half written, or competitors with
    no positioning to set against them, are warnings."""
    _check_against(playbook, report)
    positioning = playbook.positioning
    if positioning is None:
        if playbook.competitors:
            report.warning(("competitors",), "competitors are listed but there is no "
                                             "'positioning:' to say how we differ from them; "
                                             "the documents show the competitors alone",
                           at_key=True)
        return
    if isinstance(positioning.for_whom, list):
        segments = [segment.id for segment in playbook.segments]
        icps = [icp.id for icp in playbook.icps]
        for i, ref in enumerate(positioning.for_whom):
            if ref not in segments and ref not in icps:
                report.error(("positioning", "for_whom", i),
                             _unknown_audience(ref, segments, icps))
    if positioning.alternative and not positioning.proof:
        report.warning(("positioning", "alternative"),
                       "the statement's second sentence is 'Unlike <alternative>, <proof>': "
                       "add proof, or the alternative is shown on its own")
    elif positioning.proof and not positioning.alternative:
        report.warning(("positioning", "proof"),
                       "the statement's second sentence is 'Unlike <alternative>, <proof>': "
                       "add the alternative, or the proof is shown as a list on its own")
