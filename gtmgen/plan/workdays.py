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

    def workdays_before(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day before `day` (day itself not counted)."""
        found = 0
        while found < count:
            day -= ONE_DAY
            if self.is_workday(day):
                found += 1
        return day

    def day_off(self, day: dt.date) -> tuple[str, str | None] | None:
        """Why a day is not a workday: ("blackout", None), ("holiday", its name) or
        ("weekday", None); None for a workday."""
        if day in self.blackout:
            return "blackout", None
        if day in self.holidays:
            return "holiday", self.holidays[day]
        if day.weekday() not in self.weekdays:
            return "weekday", None
        return None


def holiday_language(supported: tuple[str, ...], locale: str) -> str | None:
    """The language to name holidays in: the client's locale if the country's data has it
    (zh matches zh_CN), else English, else the data's own."""
    for wanted in (locale, f"{locale}_CN" if locale == "zh" else locale, "en_US"):
        if wanted in supported:
            return wanted
    return None


def public_holidays(country: str, years: range,
                    locale: str = "en") -> dict[dt.date, str] | None:
    """Public holidays (observed days included) of a country, by date, named in the client's
    language where the data has it; None when the holidays package has no data for it."""
    import holidays

    try:
        probe = holidays.country_holidays(country)
    except NotImplementedError:
        return None
    language = holiday_language(tuple(probe.supported_languages), locale)
    table = holidays.country_holidays(country, years=list(years), language=language)
    return {day: str(name) for day, name in sorted(table.items())}


def work_calendar(playbook: Playbook, years: range) -> WorkCalendar:
    """The WorkCalendar of a playbook for the given calendar years."""
    weekdays = frozenset(Weekday(day).number for day in playbook.launch.workdays)
    blackout = frozenset(playbook.launch.blackout)
    country = playbook.client.country
    if country is None:
        return WorkCalendar(weekdays, {}, blackout)
    table = public_holidays(country, years, playbook.client.locale)
    if table is None:
        return WorkCalendar(weekdays, {}, blackout, holiday_data=False)
    return WorkCalendar(weekdays, table, blackout)
