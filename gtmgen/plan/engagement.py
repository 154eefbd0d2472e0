"""The consultant's engagement set against an in-house hire: monthly and annual cost, the
difference and the saving, and the handover to the successor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gtmgen.model import Playbook

# A full-time CMO's annual salary (the benchmark, about $174k a year), used when
# neither in_house.salary nor the successor role's cost gives the in-house figure.
DEFAULT_SALARY = 174_000.0
MONTHS_A_YEAR = 12


@dataclass(frozen=True)
class EngagementCost:
    """What the engagement costs, what the in-house alternative would, and the handover."""

    model: str  # hourly, retainer or project
    monthly: float
    annual: float  # monthly × 12: a yearly rate, set against the in-house salary
    hours: float | None  # hours a month, when given
    hourly: float | None  # the rate, or the monthly fee ÷ its hours
    salary: float  # the in-house hire's annual salary
    salary_source: str  # "given", "successor" (its role cost × 12) or "default"
    on_cost: float  # employer's costs on top of the salary, a share
    in_house_annual: float  # salary × (1 + on_cost)
    in_house_monthly: float
    difference: float  # in-house annual − engagement annual: above 0, the engagement saves
    saving: float | None  # difference as a percentage of the in-house cost
    start: dt.date
    end: dt.date | None  # the engagement's last day
    handover: dt.date | None  # the successor's first day
    successor: str | None  # the successor's role id


def engagement_cost(playbook: Playbook) -> EngagementCost | None:
    """The engagement's cost against in-house; None when the playbook has no engagement."""
    engagement = playbook.engagement
    if engagement is None:
        return None
    monthly = engagement.per_month
    hours = engagement.hours
    hourly = engagement.rate if engagement.rate is not None else (
        monthly / hours if hours else None)
    in_house = engagement.in_house
    roles = {role.id: role for role in playbook.roles}
    successor = roles.get(engagement.successor) if engagement.successor else None
    if in_house is not None and in_house.salary is not None:
        salary, source = in_house.salary, "given"
    elif successor is not None and successor.cost is not None:
        salary, source = successor.cost.per_month * MONTHS_A_YEAR, "successor"
    else:
        salary, source = DEFAULT_SALARY, "default"
    on_cost = in_house.on_cost if in_house is not None and in_house.on_cost is not None else 0.0
    in_house_annual = salary * (1 + on_cost)
    annual = monthly * MONTHS_A_YEAR
    difference = in_house_annual - annual
    handover = engagement.handover_date
    return EngagementCost(
        model=str(engagement.model), monthly=monthly, annual=annual, hours=hours, hourly=hourly,
        salary=salary, salary_source=source, on_cost=on_cost, in_house_annual=in_house_annual,
        in_house_monthly=in_house_annual / MONTHS_A_YEAR, difference=difference,
        saving=100 * difference / in_house_annual if in_house_annual else None,
        start=engagement.start,
        end=engagement.end or (handover - dt.timedelta(days=1) if handover else None),
        handover=handover, successor=engagement.successor)


def handover_of(playbook: Playbook, role_id: str) -> dt.date | None:
    """The day a role takes over from the engagement, when it is the successor."""
    engagement = playbook.engagement
    if engagement is None or engagement.successor != role_id:
        return None
    return engagement.handover_date
