"""Who owns what nobody is named for: the lead role (the most senior: the first without
`reports_to`), each phase's owner, and who runs the operating reviews."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gtmgen.model import Phase, Playbook

# Words that name the reviews in a role's responsibilities ("Run the operating reviews").
REVIEW_WORDS = re.compile(r"\breview|\bevaluat|обзор|ревью|đánh giá|复盘|评审|баалоо", re.I)


@dataclass(frozen=True)
class Owners:
    """The roles that own launch-wide work."""

    lead: str | None  # the most senior role
    reviews: str | None  # runs the operating reviews

    def phase(self, phase: Phase) -> str | None:
        """The role that runs a phase: its own `owner`, else the lead role."""
        return phase.owner or self.lead


def find_owners(playbook: Playbook) -> Owners:
    """The lead role and the reviews' owner of a playbook."""
    lead = next((role.id for role in playbook.roles if not role.reports_to), None)
    reviews = playbook.launch.review_owner or next(
        (role.id for role in playbook.roles
         if any(REVIEW_WORDS.search(text) for text in role.responsibilities)), lead)
    return Owners(lead, reviews)
