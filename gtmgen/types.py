"""The value types of the playbook format: how a scalar's text becomes a number, date or slug.

Every scalar arrives as text (see load.py); these types give it meaning and refuse what does
not fit, with messages a consultant can act on.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from gtmgen.diagnostics import excerpt
from gtmgen.numbers import AMOUNT_PATTERN, INTEGER_PATTERN, NUMBER_PATTERN, Kind, advice, currency_codes

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
REVIEW_PATTERN = r"^\d+m?$"
FIRST_YEAR, LAST_YEAR = 1900, 2199  # every date of a playbook; the plan may run 10 years on
MAX_MAGNITUDE = 1e12  # no amount, count or target of a launch plan comes near
MIN_MAGNITUDE = 1e-9  # below this a ratio's denominator overflows; nobody means it
MAX_TEXT = 20_000  # characters in one text field
MAX_SLUG = 100  # characters in one id
MAX_REVIEW_DAYS = 3660  # ten years: an operating review is never further out
MAX_REVIEW_MONTHS = 120
MAX_INTEGER_DIGITS = 15  # no whole number of the format comes near; int() is slow beyond

# Characters a .docx cannot hold (XML 1.0 forbids them).
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def problem(message: str) -> PydanticCustomError:
    """A validation problem whose message is shown to the user as written."""
    return PydanticCustomError("gtmgen", message)


def describe(value: Any) -> str:
    """A value in words, for messages: "the text 'abc'", "a list", "a mapping", "nothing"."""
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{excerpt(str(value))}'"


def _text(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise problem(f"this text is {len(value):,} characters long; a playbook text is "
                          f"at most {MAX_TEXT:,} (put long material in a separate document)")
        bad = UNSTORABLE.search(value)
        if bad:
            name = f"U+{ord(bad.group()):04X}"
            raise problem(f"the character {name} cannot be stored in a Word document; remove it")
    return value


def pick_text(value: Any, info: ValidationInfo) -> Any:
    """A text given in several languages ({nl: …, en: …}) → the text of the locale being
    read (the validation context's `locale`), else the primary locale's. The mapping must give
    the primary locale and only the locales client.locales lists; each mapping read is kept
    in the context's `texts` (by id), so that its missing translations can be warned about at
    its place."""
    if not isinstance(value, dict) or not any(key in SUPPORTED_LOCALES for key in value):
        # Not a text in several languages (`goals: [Speed: less waiting]` reads as a
        # mapping): left to the text check, which says to quote it.
        return value
    context = info.context if isinstance(info.context, dict) else {}
    locales: tuple[str, ...] = tuple(context.get("locales") or ())
    if len(locales) < 2:
        raise problem("a text in several languages (a mapping of locale to text) needs "
                      "client.locales to list two or more locales, the primary first")
    for key, text in value.items():
        if key not in locales:
            raise problem(f"'{excerpt(str(key))}' is not one of client.locales "
                          f"({', '.join(locales)}); a text in several languages gives only "
                          "those")
        if not isinstance(text, str):
            raise problem(f"the '{key}' text is {describe(text)}; each language's text is "
                          "plain text")
        if key != locales[0]:  # the primary is checked as the text itself, after this
            try:
                _text(text)
            except PydanticCustomError as found:
                raise problem(f"the '{key}' text: {found.message()}") from None
    primary = locales[0]
    if not value.get(primary):  # an empty primary text leaves the others nothing to fall back on
        raise problem(f"no '{primary}' text: a text in several languages gives the primary "
                      f"locale ({primary}, the first of client.locales), and may give others")
    context.setdefault("texts", {})[id(value)] = value
    # An empty translation is a missing one: its documents show the primary text.
    return value.get(context.get("locale", primary)) or value[primary]


def check_slug(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_SLUG:
        raise problem(f"{describe(value)} is longer than {MAX_SLUG} characters; an id is a "
                      "short name (like 'email-manager')")
    if isinstance(value, str) and not re.match(SLUG_PATTERN, value):
        raise problem(f"{describe(value)} is not a valid id: use lowercase letters, digits and "
                      "'-', starting with a letter or digit (like 'email-manager')")
    return value


def read_number(value: Any, kind: Kind, expected: str = "a number") -> float:
    """A number from its text (or a number given as one), read as `kind` says; a problem that
    says what to write when the spelling would be read other than meant."""
    if isinstance(value, str):
        hint = advice(value, kind)
        if hint is not None:
            raise problem(f"{describe(value)} {hint}")
        if not re.match(NUMBER_PATTERN, value.strip()):
            raise problem(f"expected {expected}, found {describe(value)} (write 1500 or 0.35, "
                          "without currency signs, separators or %)")
        number = float(value)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(f"expected {expected}, found {describe(value)}")
    else:
        number = value
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        raise problem(f"{describe(value)} is too large a number to compute with (at most "
                      f"{MAX_MAGNITUDE:,.0f})")
    if 0 < abs(number) < MIN_MAGNITUDE:
        raise problem(f"{describe(value)} is too small a number to compute with (write 0, or "
                      f"at least {MIN_MAGNITUDE:g})")
    return number


def _number(value: Any) -> Any:
    return read_number(value, Kind.NUMBER)


def _amount(value: Any) -> Any:
    return read_number(value, Kind.AMOUNT)


def _integer(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if re.match(INTEGER_PATTERN, text):
            if len(text.lstrip("+-")) > MAX_INTEGER_DIGITS:
                raise problem(f"{describe(value)} is too large a number to compute with")
            return int(text)
        hint = advice(text, Kind.WHOLE)
        if hint is not None:
            raise problem(f"{describe(value)} {hint}")
        if re.match(r"^[+-]?\d{1,15}\.0*$", text):
            raise problem(f"expected a whole number, found {describe(value)}; write "
                          f"{int(float(text))}")
        raise problem(f"expected a whole number, found {describe(value)}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise problem(f"expected a whole number, found {describe(value)}")
    return value


def parse_date(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.match(DATE_PATTERN, value):
        raise problem(f"expected a date as YYYY-MM-DD, found {describe(value)}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise problem(f"'{value}' is not a real date") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise problem(f"'{value}' is outside the years gtmgen plans for ({FIRST_YEAR} to "
                      f"{LAST_YEAR})")
    return day


def _review_offset(value: Any) -> Any:
    text = value if isinstance(value, str) else None
    if text is None or not re.match(REVIEW_PATTERN, text.strip()):
        raise problem(f"expected days after launch (90) or calendar months (3m), found "
                      f"{describe(value)}")
    text = text.strip()
    months = text.endswith("m")
    digits = text.removesuffix("m")
    limit = MAX_REVIEW_MONTHS if months else MAX_REVIEW_DAYS
    if len(digits.lstrip("0")) > 6 or int(digits) > limit:  # never int() of a huge text
        raise problem(f"{describe(text)} is too far after launch: at most {limit} "
                      f"{'months' if months else 'days'}")
    count = int(digits)
    return f"{count}m" if months else str(count)


def review_date(launch: dt.date, offset: str) -> dt.date:
    """The day of an operating review: `90` days after launch, or `3m` calendar months (the
    same day of the month, or that month's last day when it is shorter)."""
    if not offset.endswith("m"):
        return launch + dt.timedelta(days=int(offset))
    month = launch.month - 1 + int(offset.removesuffix("m"))
    year, month = launch.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(launch.day, last))


def amount_schema(minimum: float | None = None, maximum: float | None = None) -> dict[str, Any]:
    """The JSON Schema of an amount: a number, or its plain text without thousands dots."""
    number: dict[str, Any] = {"type": "number"}
    pattern = AMOUNT_PATTERN
    if minimum is not None:
        number["minimum"] = minimum
        if minimum >= 0:
            pattern = "^(?!-)" + AMOUNT_PATTERN[1:]
    if maximum is not None:
        number["maximum"] = maximum
    return {"anyOf": [number, {"type": "string", "pattern": pattern}]}


TEXT_SCHEMA = {"type": ["string", "number", "boolean"]}

# A text, or (with client.locales) a mapping of locale to text: see pick_text.
TEXT_SCHEMA_LOCALES = {"anyOf": [TEXT_SCHEMA, {"type": "object",
                                               "additionalProperties": {"type": "string"}}]}
Text = Annotated[str, BeforeValidator(pick_text), AfterValidator(_text),
                 WithJsonSchema(TEXT_SCHEMA_LOCALES)]
Slug = Annotated[str, AfterValidator(check_slug),
                 WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
Number = Annotated[float, BeforeValidator(_number), WithJsonSchema(
    {"anyOf": [{"type": "number"}, {"type": "string", "pattern": NUMBER_PATTERN}]})]
Integer = Annotated[int, BeforeValidator(_integer), WithJsonSchema(
    {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": INTEGER_PATTERN}]})]
# A money amount in client.currency, a count of hours, a count of accounts or buyers: numbers
# in which a dot between groups of three digits is a thousands dot, so `4.000` is refused with
# the spelling to write (see docs/format.md, "How values are read").
Money = Annotated[float, BeforeValidator(_amount), WithJsonSchema(amount_schema())]
Hours = Annotated[float, BeforeValidator(_amount), WithJsonSchema(amount_schema())]
Count = Annotated[float, BeforeValidator(_amount), WithJsonSchema(amount_schema())]
IsoDate = Annotated[dt.date, BeforeValidator(parse_date),
                    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN})]
ReviewOffset = Annotated[str, BeforeValidator(_review_offset), WithJsonSchema(
    {"type": ["string", "integer"], "pattern": REVIEW_PATTERN, "minimum": 0})]


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday is 0, as in `date.weekday()`."""
        return list(Weekday).index(self)


class BuyingRole(StrEnum):
    DECISION_MAKER = "decision-maker"
    CHAMPION = "champion"
    INFLUENCER = "influencer"
    USER = "user"
    BLOCKER = "blocker"


class PartnerKind(StrEnum):
    TECHNOLOGY = "technology"
    CHANNEL = "channel"
    REFERRAL = "referral"
    CO_MARKETING = "co-marketing"
    MEDIA = "media"


class ChannelKind(StrEnum):
    OWNED = "owned"
    PAID = "paid"
    EARNED = "earned"
    PARTNER = "partner"


class Cadence(StrEnum):
    DAILY = "daily"
    TWICE_WEEKLY = "twice-weekly"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    PER_PHASE = "per-phase"


class RoleKind(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    FRACTIONAL = "fractional"
    FREELANCE = "freelance"
    AGENCY = "agency"


class RoleStatus(StrEnum):
    FILLED = "filled"
    OPEN = "open"


SUPPORTED_LOCALES = ("en", "nl", "vi", "zh", "ru", "ky")


def _locale(value: Any) -> Any:
    if isinstance(value, str) and value not in SUPPORTED_LOCALES:
        raise problem(f"unsupported locale {describe(value)}; supported: "
                      f"{', '.join(SUPPORTED_LOCALES)}")
    return value


@cache
def _countries() -> frozenset[str]:
    from babel import Locale

    # CLDR's territories include regions (001, 150) and groupings (EU, UN); keep the countries.
    groupings = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}
    codes = [str(code) for code in Locale("en").territories]
    return frozenset(code for code in codes
                     if len(code) == 2 and code.isalpha() and code not in groupings)


def _code(value: Any, known: frozenset[str], what: str, example: str) -> Any:
    if isinstance(value, str) and value not in known:
        hint = f"; did you mean '{value.upper()}'?" if value.upper() in known else ""
        raise problem(f"{describe(value)} is not {what} (like '{example}'){hint}")
    return value


def _currency(value: Any) -> Any:
    return _code(value, currency_codes(), "an ISO 4217 currency code", "USD")


def _country(value: Any) -> Any:
    return _code(value, _countries(), "an ISO 3166 two-letter country code", "US")


Locale = Annotated[str, AfterValidator(_locale),
                   WithJsonSchema({"type": "string", "enum": list(SUPPORTED_LOCALES)})]
Currency = Annotated[str, AfterValidator(_currency),
                     WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"})]
Country = Annotated[str, AfterValidator(_country),
                    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})]


COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"


def _colour(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(COLOUR_PATTERN, value.strip()):
        raise problem(f"{describe(value)} is not a colour; write it as #RRGGBB, like #1F4E79")
    return value.strip().upper()


Colour = Annotated[str, BeforeValidator(_colour),
                   WithJsonSchema({"type": "string", "pattern": COLOUR_PATTERN})]


FONT_PATTERN = r"^\w[\w .\-]{0,62}$"


def _font_name(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(FONT_PATTERN, value.strip()):
        raise problem(f"{describe(value)} is not a font name; use letters, digits, spaces and "
                      "hyphens (at most 63), like Source Sans 3")
    return value.strip()


FontName = Annotated[str, BeforeValidator(_font_name),
                     WithJsonSchema({"type": "string", "pattern": FONT_PATTERN})]


class EngagementModel(StrEnum):
    HOURLY = "hourly"
    RETAINER = "retainer"
    PROJECT = "project"


class StakeholderFunction(StrEnum):
    CEO = "ceo"
    FOUNDER = "founder"
    BOARD = "board"
    SALES = "sales"
    MARKETING = "marketing"
    CUSTOMER_SUCCESS = "customer-success"
    SUPPORT = "support"
    PRODUCT = "product"
    ENGINEERING = "engineering"
    OPERATIONS = "operations"
    FINANCE = "finance"
    HR = "hr"
    LEGAL = "legal"
    CONSULTANT = "consultant"


class RaciLetter(StrEnum):
    RESPONSIBLE = "R"
    ACCOUNTABLE = "A"
    CONSULTED = "C"
    INFORMED = "I"


class Verdict(StrEnum):
    """How one of our value propositions stands against a competitor."""

    WE_WIN = "we-win"
    EVEN = "even"
    THEY_WIN = "they-win"
