"""Which days count as working days: `launch.workdays`, minus the public holidays of
`client.country` (from the `holidays` package) and the `launch.blackout` days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gtmgen.model import Playbook
from gtmgen.types import Weekday

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days of one playbook, and the named days off that are not weekends."""

    weekdays: frozenset[int]
    holidays: dict[dt.date, str] = field(default_factory=dict)
    blackout: frozenset[dt.date] = frozenset()
    holiday_data: bool = True

    def is_workday(self, day: dt.date) -> bool:
        """A day in `workdays` that is neither a public holiday nor a blackout day."""
        return (day.weekday() in self.weekdays and day not in self.holidays
                and day not in self.blackout)

    def workdays_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from `first` to `last`, both included."""
        days, day = [], first
        while day <= last:
            if self.is_workday(day):
                days.append(day)
            day += ONE_DAY
        return days

    def next_workday(self, day: dt.date, limit: dt.date | None = None) -> dt.date | None:
        """`day` itself if it is a workday, else the next one (not after `limit`)."""
        while limit is None or day <= limit:
            if self.is_workday(day):
                return day
            day += ONE_DAY
        return None

    def previous_workday(self, day: dt.date, limit: dt.date) -> dt.date | None:
        """`day` itself if it is a workday, else the one before (not before `limit`)."""
        while day >= limit:
            if self.is_workday(day):
                return day
            day -= ONE_DAY
        return None

    def day_off_reason(self, day: dt.date) -> str | None:
        """Why a day is not a workday, in words, or None for a workday."""
        if day in self.blackout:
            return "blackout day"
        if day in self.holidays:
            return self.holidays[day]
        if day.weekday() not in self.weekdays:
            return "not a workday"
        return None


def public_holidays(country: str, years: range) -> dict[dt.date, str] | None:
    """Public holidays (observed days included) of a country, by date; None when the holidays
    package has no data for the country."""
    import holidays

    try:
        table = holidays.country_holidays(country, years=list(years), language="en_US")
    except NotImplementedError:
        return None
    return {day: str(name) for day, name in sorted(table.items())}


def work_calendar(playbook: Playbook, years: range) -> WorkCalendar:
    """The WorkCalendar of a playbook for the given calendar years."""
    weekdays = frozenset(Weekday(day).number for day in playbook.launch.workdays)
    blackout = frozenset(playbook.launch.blackout)
    country = playbook.client.country
    if country is None:
        return WorkCalendar(weekdays, {}, blackout)
    table = public_holidays(country, years)
    if table is None:
        return WorkCalendar(weekdays, {}, blackout, holiday_data=False)
    return WorkCalendar(weekdays, table, blackout)
