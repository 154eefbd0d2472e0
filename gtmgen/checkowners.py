"""Rules for the engagement, the stakeholders' RACI and the approvals, and the one `--final`
adds: the playbook's version must be signed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gtmgen.diagnostics import Diagnostic
from gtmgen.model import Playbook
from gtmgen.types import RaciLetter

if TYPE_CHECKING:
    from gtmgen.check import _Report as Report
    from gtmgen.load import Loaded

_RACI_NOUNS = (("phases", "phase"), ("partners", "partner"), ("reviews", "review"))


def _raci_known(playbook: Playbook) -> dict[str, list[str]]:
    return {"phases": [phase.id for phase in playbook.messages.phases],
            "partners": [partner.id for partner in playbook.partners],
            "reviews": list(playbook.launch.reviews)}


def _check_engagement(playbook: Playbook, report: Report) -> None:
    from gtmgen.check import _unknown_ref

    engagement = playbook.engagement
    if engagement is None:
        return
    for key in ("end", "handover"):
        day = getattr(engagement, key)
        if day is not None and day <= engagement.start:
            report.error(("engagement", key), f"the engagement's {key} {day} is not after its "
                                              f"start {engagement.start}")
    roles = [role.id for role in playbook.roles]
    if engagement.successor is not None and engagement.successor not in roles:
        report.error(("engagement", "successor"), _unknown_ref("role", engagement.successor,
                                                               roles))


def _check_stakeholders(playbook: Playbook, report: Report) -> None:
    from gtmgen.check import _unknown_ref

    known = _raci_known(playbook)
    first: dict[str, int] = {}
    accountable: dict[str, str] = {}
    for i, person in enumerate(playbook.stakeholders):
        base = ("stakeholders", i)
        if person.id in first:
            where = report.first_at(("stakeholders", first[person.id], "id"), (*base, "id"))
            report.error((*base, "id"), f"duplicate stakeholder id '{person.id}' (first at "
                                        f"{where}); ids must be unique")
        first.setdefault(person.id, i)
        for key, noun in _RACI_NOUNS:
            for ref, letter in getattr(person.raci, key).items():
                path = (*base, "raci", key, ref)
                if ref not in known[key]:
                    report.error(path, _unknown_ref(noun, ref, known[key]), at_key=True)
                elif key == "phases" and letter == RaciLetter.ACCOUNTABLE:
                    if ref in accountable:
                        report.error(path, f"phase '{ref}' has two accountable stakeholders "
                                           f"(A): '{accountable[ref]}' and '{person.id}'; a "
                                           "RACI gives each phase exactly one A")
                    accountable.setdefault(ref, person.id)
    orphans = [phase for phase in known["phases"] if phase not in accountable]
    if playbook.stakeholders and orphans:
        names = ", ".join(f"'{phase}'" for phase in orphans)
        report.warning(("stakeholders",), f"no stakeholder is accountable (A) for "
                                          f"{'phase' if len(orphans) == 1 else 'phases'} "
                                          f"{names}; give each phase one A", at_key=True)


def check_owners(playbook: Playbook, report: Report) -> None:
    """Errors and warnings in the engagement and the stakeholders' RACI."""
    _check_engagement(playbook, report)
    _check_stakeholders(playbook, report)


def check_handover(playbook: Playbook, report: Report) -> None:
    """A warning when the successor starts after the handover: nobody holds the role."""
    from gtmgen.plan.hiring import hiring_rows
    from gtmgen.plan.phases import phase_spans

    engagement = playbook.engagement
    handover = engagement.handover_date if engagement else None
    if engagement is None or handover is None or engagement.successor is None:
        return
    row = next((row for row in hiring_rows(playbook, phase_spans(playbook))
                if row.role == engagement.successor), None)
    if row is not None and row.starts > handover:
        key = "end" if engagement.end is not None else "handover"
        report.warning(("engagement", key), f"the successor '{row.role}' starts on {row.starts}, "
                                            f"after the handover on {handover}: "
                                            f"{(row.starts - handover).days} days with nobody in "
                                            "the role")


def check_final(playbook: Playbook, loaded: Loaded, file: str) -> list[Diagnostic]:
    """For `build --final`: an error unless an approval signs the playbook's client.version."""
    from gtmgen.check import _Report

    report = _Report(loaded, file)
    version = playbook.client.version
    signed = sorted({approval.version for approval in playbook.approvals})
    listing = (f"approved versions: {', '.join(signed)}" if signed
               else "the playbook lists no approvals")
    if version is None:
        report.error(("client",), "--final builds only a signed version, and client.version is "
                                  f"not given; set it to the version approved ({listing})",
                     at_key=True)
    elif version not in signed:
        report.error(("client", "version"), f"version '{version}' has no approval, and --final "
                                            "builds only a signed version; add an entry with "
                                            f"version: '{version}' to approvals, or build without "
                                            f"--final ({listing})")
    return report.found
