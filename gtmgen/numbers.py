"""How the text of a number is read: the plain spelling gtmgen takes, and the spellings a
consultant may write that would be read other than meant (a thousands dot, a decimal comma,
a currency sign, `4k`…), each answered with the plain number to write instead.

Nothing here quotes the value itself: the caller puts a short excerpt of it in front of the
advice, so a message never echoes more than that excerpt.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache

NUMBER_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
INTEGER_PATTERN = r"^[+-]?\d+$"
# A dot between groups of exactly three digits, the first group not starting with 0:
# 4.000, 12.500, -1.250.000 (but not 0.500 or 4.0000).
THOUSANDS_DOTS = r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$"
# A plain number that is not written with thousands dots: how an amount is spelled.
AMOUNT_PATTERN = r"^(?![+-]?[1-9]\d{0,2}(\.\d{3})+$)" + NUMBER_PATTERN[1:]
# KPI metrics whose targets are money, and those that are shares between 0 and 1.
MONEY_METRICS = ("cac", "ltv", "cpl", "mrr")
RATE_METRIC_PATTERN = r"^(ctr|.+_rate)$"
_FRACTION_WORDS = frozenset({"rate", "rates", "ratio", "share", "pct", "percent", "percentage",
                             "ctr", "roas", "multiple", "multiplier"})

# Words that make a metric a share of a whole, printed as a percentage (not ratio or ROAS).
_SHARE_WORDS = frozenset({"rate", "rates", "share", "shares", "pct", "percent", "percentage",
                          "ctr"})

_LONGEST = 40  # longer text is no number anyone meant; no advice is built from it


class Kind(StrEnum):
    """What a number counts, which decides how its spelling is read."""

    AMOUNT = "amount"  # money, hours, accounts: a dot between groups of three is a thousands dot
    NUMBER = "number"  # any other number: a dot is a decimal point
    RATE = "rate"  # a share between 0 and 1
    WHOLE = "whole"  # a whole number: days, weeks, months, a priority


def metric_kind(metric: str) -> Kind:
    """How a KPI target is read, by its metric's name: money, a rate, or any number."""
    if metric in MONEY_METRICS:
        return Kind.AMOUNT
    if re.match(RATE_METRIC_PATTERN, metric):
        return Kind.RATE
    return Kind.NUMBER


def is_fraction(metric: str) -> bool:
    """Whether a metric, by its name or words, is a rate, ratio, share or percentage, whose
    target is never written with thousands dots ("Open rate", "ltv_cac_ratio", "roas")."""
    words = set(re.split(r"[^\w%]+|_", metric.casefold()))
    return "%" in metric or not words.isdisjoint(_FRACTION_WORDS)


def names_share(metric: str) -> bool:
    """Whether a metric, by its name or words, is a rate, share or percentage of a whole
    ("conversion_rate", "Open rate", "share of voice", "ctr", "reply %")."""
    words = set(re.split(r"[^\w%]+|_", metric.casefold()))
    return "%" in metric or not words.isdisjoint(_SHARE_WORDS)


def is_share(value: float, metric: str) -> bool:
    """Whether a target is a share, shown as a percentage: strictly between 0 and 1, or from 0
    to 1 for a metric that names a rate, share or percentage. A larger number stays a number
    (a count, or percentage points)."""
    return 0 < value < 1 or (0 <= value <= 1 and names_share(metric))


def is_thousands_dots(text: str) -> bool:
    """Whether a number is written with dots between groups of exactly three digits."""
    return re.match(THOUSANDS_DOTS, text.strip()) is not None


@cache
def currency_codes() -> frozenset[str]:
    """The ISO 4217 codes the Unicode CLDR knows."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


# Words and letters that stand for a currency beside an amount, besides signs and ISO codes.
_CURRENCY_WORDS = ("руб.", "руб", "р.", "сом", "元", "円", "kr.", "kr", "zł", "đ", "Kč", "лв")
_MULTIPLIERS = {"k": 3, "K": 3, "m": 6, "M": 6, "mn": 6, "mln": 6, "mio": 6, "bn": 9,
                "тыс": 3, "тыс.": 3, "млн": 6, "млрд": 9, "миң": 3, "千": 3, "万": 4, "萬": 4,
                "亿": 8, "億": 8, "nghìn": 3, "triệu": 6, "tỷ": 9}  # word → power of ten
_POWER_WORDS = {3: "thousand", 4: "ten thousand", 6: "million", 8: "hundred million",
                9: "billion"}
_GROUP_MARKS = {" ": "a space", "\u00a0": "a no-break space (U+00A0)",
                "\u202f": "a narrow no-break space (U+202F)", "\u2009": "a thin space (U+2009)",
                "'": "an apostrophe", "\u2019": "an apostrophe", "_": "an underscore"}
_MINUS_SIGNS = {"\u2212": "a typographic minus sign (U+2212)", "\u2013": "an en dash",
                "\u2014": "an em dash"}
_APPROXIMATE = ("~", "\u2248", "\u00b1", "<=", ">=", "\u2264", "\u2265", "<", ">")
_RANGE = r"^[^\d]{0,4}\d[\d.,]*\s*(-|\u2013|\u2014|to|tot|до)\s*[^\d]{0,4}\d[\d.,]*[^\d\s-]{0,4}$"
_WHOLE_AMOUNT = (",-", ",--", ",\u2013", ",\u2014", ".-")
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def number_words(value: Decimal) -> str:
    """A number in English words ("twelve thousand five hundred", "four point two five"),
    or its digits when it is too large to say briefly."""
    if value < 0:
        return "minus " + number_words(-value)
    whole = int(value)
    if whole >= 10**15:
        return show(value)
    text = _whole_words(whole)
    if value != whole:
        digits = show(value).split(".")[1]
        text += " point " + " ".join(_ONES[int(d)] for d in digits)
    return text


def _whole_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10 - 2] + (f"-{_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        return f"{_ONES[n // 100]} hundred" + (f" {_whole_words(n % 100)}" if n % 100 else "")
    scale, name = next((s, w) for s, w in _SCALES if n >= s)
    rest = n % scale
    return f"{_whole_words(n // scale)} {name}" + (f" {_whole_words(rest)}" if rest else "")


def show(value: Decimal) -> str:
    """A number as a playbook writes it: digits, a decimal point when needed, no exponent."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _decimal_reading(core: str, kind: Kind) -> str | None:
    """The reading of `4.000` with the dot as a decimal point, as it would be written (4.0),
    or None when that reading does not fit the kind (a whole number that is not whole)."""
    value = Decimal(core.replace(",", "."))
    if kind is Kind.WHOLE:
        return show(value) if value == value.to_integral_value() else None
    text = show(value)
    return text if "." in text else f"{text}.0"


class _Reading:
    """A spelling taken apart: what was found, and the number that is left."""

    def __init__(self, text: str, kind: Kind) -> None:
        self.rest, self.kind = text, kind
        self.found: list[str] = []
        self.notes: list[str] = []
        self.power = 0
        self.percent = False
        self.alternative: str | None = None

    def approximate(self) -> None:
        mark = next((m for m in _APPROXIMATE if self.rest.startswith(m)), None)
        if mark is not None:
            self.found.append(f"starts with '{mark}'")
            self.rest = self.rest[len(mark):].lstrip()

    def currency(self) -> None:
        rest = self.rest
        code = re.match(r"^([A-Za-z]{3})\s*(?=[-+.\d\u2212])", rest)
        tail = re.search(r"(?<=[\d\s.,-])\s*([A-Za-z]{3})$", rest)
        if code and code.group(1).upper() in currency_codes():
            self._currency_code(code.group(1), rest[code.end():])
        elif tail and tail.group(1).upper() in currency_codes():
            self._currency_code(tail.group(1), rest[:tail.start()])
        else:
            stripped = _strip_currency_marks(rest)
            if stripped != rest:
                self.found.append("has a currency sign")
                self.notes.append("amounts are plain numbers in client.currency")
                self.rest = stripped

    def _currency_code(self, code: str, rest: str) -> None:
        self.found.append(f"names the currency {code.upper()}")
        self.notes.append(f"amounts are plain numbers in client.currency (currency: "
                          f"{code.upper()} under client)")
        self.rest = rest.strip()

    def percent_sign(self) -> None:
        if self.rest.endswith(("%", "\uff05", "\u066a")):
            self.rest = self.rest[:-1].rstrip()
            self.percent = True

    def whole_amount_mark(self) -> bool:
        mark = next((m for m in _WHOLE_AMOUNT if self.rest.endswith(m)), None)
        if mark is None:
            return False
        self.found.append(f"ends in '{mark}'")
        self.rest = self.rest[: -len(mark)].rstrip()
        return True

    def suffix(self) -> None:
        match = re.match(r"^(.*?[\d.])\s*([^\W\d_]+\.?)$", self.rest)
        if not match:
            return
        word = match.group(2)
        if word in _MULTIPLIERS and self.kind is not Kind.WHOLE:
            self.power = _MULTIPLIERS[word]
            self.found.append(f"uses {word} for {_POWER_WORDS[self.power]}")
        else:
            self.found.append(f"has '{word}' after the number")
            self.notes.append("the key says what the number counts")
        self.rest = match.group(1)

    def sign(self) -> str:
        mark = self.rest[:1]
        if mark in _MINUS_SIGNS:
            self.found.append(f"starts with {_MINUS_SIGNS[mark]}")
            self.rest = self.rest[1:].lstrip()
            return "-"
        if mark and mark in "+-":
            self.rest = self.rest[1:]
            return mark
        return ""

    def groups(self, strict_dot: bool, sure: bool) -> str | None:
        """The digits with their separators read; None when they are no number."""
        core = self.rest
        mark = next((m for m in _GROUP_MARKS if m in core), None)
        if mark is not None:
            if not re.match(rf"^[1-9]\d{{0,2}}({re.escape(mark)}\d{{3}})+([.,]\d+)?$", core):
                return None
            self.found.append(f"separates thousands with {_GROUP_MARKS[mark]}")
            core = core.replace(mark, "")
            if "," in core:
                self.found.append("has a decimal comma")
                core = core.replace(",", ".")
            return core
        dots, commas = core.count("."), core.count(",")
        if dots and commas:
            decimal = "," if core.rfind(",") > core.rfind(".") else "."
            group = "." if decimal == "," else ","
            if not re.match(rf"^[1-9]\d{{0,2}}({re.escape(group)}\d{{3}})+{re.escape(decimal)}\d+$",
                            core):
                return None
            self.found.append("uses a dot for thousands and a comma for decimals"
                              if decimal == "," else "uses a comma for thousands")
            return core.replace(group, "").replace(",", ".")
        mark = "," if commas else "."
        grouped = re.match(rf"^[1-9]\d{{0,2}}({re.escape(mark)}\d{{3}})+$", core)
        count = commas or dots
        if grouped and (count > 1 or mark == "," or strict_dot):
            words = number_words(Decimal(core.replace(mark, "")))
            name = {",": "comma", ".": "dot"}[mark]
            plural = f"a thousands {name}" if count == 1 else f"thousands {name}s"
            self.found.append(f"looks like {words} written with {plural}")
            if count == 1 and not sure:
                self.alternative = _decimal_reading(core, self.kind)
            return core.replace(mark, "")
        if commas == 1 and re.match(r"^\d*,\d+$", core):
            self.found.append("has a decimal comma")
            return core.replace(",", ".")
        return core if re.match(NUMBER_PATTERN, core) else None


def _strip_currency_marks(text: str) -> str:
    """The text without currency signs ($, €, R$, US$) or currency words at either end."""
    rest = text
    for word in _CURRENCY_WORDS:
        if rest.endswith(word) and rest[: -len(word)].rstrip()[-1:].isdigit():
            rest = rest[: -len(word)].rstrip()
        elif rest.startswith(word) and rest[len(word):].lstrip()[:1].isdigit():
            rest = rest[len(word):].lstrip()
    lead = re.match(r"^[A-Z]{0,2}(?=\S)", rest)
    start = lead.end() if lead else 0
    if start < len(rest) and unicodedata.category(rest[start]) == "Sc":
        rest = rest[start + 1:].lstrip()
    if rest and unicodedata.category(rest[-1]) == "Sc":
        rest = rest[:-1].rstrip()
    return rest


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def advice(text: str, kind: Kind) -> str | None:
    """What in a number's spelling would be read other than meant, and the plain number to
    write instead ("has a decimal comma; write 1.5"); None when `text` is a plain number that
    means what it says, or when nothing useful can be said."""
    text = text.strip()
    if re.match(NUMBER_PATTERN, text) and not (
            kind in (Kind.AMOUNT, Kind.WHOLE) and is_thousands_dots(text)):
        return None
    if not text or len(text) > _LONGEST or not any(c.isdigit() for c in text):
        return None
    if re.match(_RANGE, text):
        return "is a range; write one number"
    reading = _Reading(text, kind)
    reading.approximate()
    reading.currency()
    reading.percent_sign()
    sure = reading.whole_amount_mark()
    reading.suffix()
    sign = reading.sign()
    core = reading.groups(strict_dot=sure or kind in (Kind.AMOUNT, Kind.WHOLE), sure=sure)
    if core is None or not reading.found and not reading.percent:
        return None
    try:
        value = Decimal(sign + core).scaleb(reading.power)
    except InvalidOperation:
        return None
    if value and not -_LONGEST < value.adjusted() < _LONGEST:
        return None  # 1E5000 and the like: nothing plain to suggest
    if reading.percent:
        return _percent_advice(reading, value)
    if kind is Kind.WHOLE and value != value.to_integral_value():
        return None
    fix = f"{_join(reading.found)}; write {show(value)}"
    if reading.alternative is not None and not reading.power:
        minus = "-" if sign == "-" else ""
        meant = number_words(Decimal(minus + reading.alternative))
        fix += f" (or {minus}{reading.alternative} if {meant} was meant)"
    return "; ".join([fix, *reading.notes])


def _percent_advice(reading: _Reading, value: Decimal) -> str:
    found = ["is a percentage", *reading.found]
    if reading.kind in (Kind.AMOUNT, Kind.WHOLE):
        return f"{_join(found)}; write the number itself, plain (like 4000)"
    share = show(value / 100)
    fix = f"{_join(found)}; write {share}"
    if reading.kind is Kind.RATE:
        return f"{fix} (a share between 0 and 1: {show(value)}% is {share})"
    return f"{fix} as a share (or {show(value)} if the target counts percentage points)"


def split_by_comma(before: str, after: list[str]) -> str:
    """The text of a number that a comma inside `{ }` split into a value and keys, as it was
    written: `{cpl: 1,500}` is read by YAML as cpl: 1 and a key 500."""
    return ",".join([before, *after])


def how_it_was_split(key: str, before: str, after: list[str], noun: str = "key") -> str:
    """Words for what YAML made of a number cut by commas inside `{ }`."""
    parts = [f"'{part[:_LONGEST]}'" for part in after]
    cut = f"a {noun} {parts[0]}" if len(parts) == 1 else f"the {noun}s {_join(parts)}"
    return (f"inside {{ }} a comma ends an entry, so this was read as {key[:_LONGEST]}: "
            f"{before[:_LONGEST]} and {cut}")


def decimal_dot_doubt(text: str) -> str | None:
    """For a number in which a dot is a decimal point: `2.500` reads as 2.5, though 2500 may
    have been meant; None when the spelling leaves no such doubt."""
    text = text.strip()
    if not is_thousands_dots(text) or text.count(".") != 1:
        return None
    value, thousands = Decimal(text), Decimal(text.replace(".", ""))
    return (f"reads as {show(value)}, with the dot as a decimal point; write {show(thousands)} "
            f"if {number_words(thousands)} was meant, or {show(value)} to keep this reading")
