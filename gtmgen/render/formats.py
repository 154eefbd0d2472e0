"""Dates, numbers and money as the client's locale writes them (Babel), the way a strategy
document shows them: whole money from 100 up, shares as percentages, counts that pick a plural
form."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from gtmgen.numbers import is_share


@functools.lru_cache(maxsize=4096)
def _format_date(value: dt.date, form: str, locale: str) -> str:
    # A calendar prints the same few hundred dates thousands of times.
    from babel.dates import format_date

    return str(format_date(value, form, locale=locale))


# A count shown with decimals takes the plural form of 2: the form fractions take in every
# shipped language ("2.5 months", "2,5 maanden", "2,5 месяца", "2,5 ай").
FRACTION_COUNT = 2
WHOLE_MONEY_FROM = 100  # from this amount up, cents are noise in a strategy document


@functools.lru_cache(maxsize=4096)
def _format_money(value: float, currency: str, locale: str) -> str:
    # The locale's own currency pattern (sign, spacing, grouping), with no fraction digits for
    # amounts from WHOLE_MONEY_FROM up, rounded half up as people round money.
    import copy
    from decimal import ROUND_HALF_UP, Decimal

    from babel import Locale
    from babel.numbers import format_currency

    # 99.996 shows as 100, so it is whole; nothing has no cents either ("$0", not "$0.00").
    if 0 < abs(round(value, 2)) < WHOLE_MONEY_FROM:
        return format_currency(value, currency, locale=locale)
    pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    whole = Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_currency(whole, currency, format=pattern, locale=locale,
                           currency_digits=False)


@dataclass(frozen=True)
class Formats:
    """Babel formatting for one locale and currency."""

    locale: str
    currency: str

    def date(self, value: dt.date | None, form: str = "long") -> str:
        """A date as the locale writes it ("April 5, 2027", "5 april 2027")."""
        return "" if value is None else _format_date(value, form, self.locale)

    def month(self, value: dt.date) -> str:
        """A month and its year as the locale writes it ("Mar 2027", "mrt 2027")."""
        from babel.dates import format_skeleton

        return str(format_skeleton("yMMM", value, locale=self.locale))

    def weekday(self, value: dt.date) -> str:
        """The short name of a date's weekday ("Mon", "ma")."""
        return _format_date(value, "EEE", self.locale)

    def money(self, value: float | None) -> str:
        """An amount in the playbook's currency, as a strategy document shows it: whole from
        100 up ("$13,000", "€ 242.400"), with the currency's cents below ("$8.50"); zero
        whole ("$0")."""
        return "" if value is None else _format_money(value, self.currency, self.locale)

    def number(self, value: float | None, digits: int = 0) -> str:
        """A number with the locale's separators and at most `digits` decimals (3, 2.5)."""
        from babel.numbers import format_decimal

        if value is None:
            return ""
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return format_decimal(round(value, digits), format=pattern, locale=self.locale)

    def percent(self, value: float | None) -> str:
        """A share given in percent (46.15) as the locale writes it ("46.2%")."""
        from babel.numbers import format_percent

        return "" if value is None else format_percent(value / 100, format="#,##0.0%",
                                                       locale=self.locale)

    def plural(self, value: float, digits: int = 0) -> int:
        """The count that picks a plural form for a value shown with `digits` decimals: the
        value when it shows whole, else FRACTION_COUNT."""
        shown = round(value, digits)
        return int(shown) if shown == int(shown) else FRACTION_COUNT

    def listing(self, items: list[str]) -> str:
        """Items joined as the locale lists them ("A, B, and C", "A, B en C", "A、B和C")."""
        from babel.lists import format_list

        return format_list(list(items), locale=self.locale) if items else ""

    def target(self, value: float | None, metric: str) -> str:
        """A resonance or KPI target: a share as a percentage ("6.0%", see `is_share`), any
        other number as written, with at most two decimals (800, 2.5)."""
        if value is None:
            return ""
        return self.percent(value * 100) if is_share(value, metric) else self.number(value, 2)
