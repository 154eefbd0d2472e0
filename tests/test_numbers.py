"""How numbers are read: a plain number means what it says; a spelling that would be read other
than meant (a thousands dot in an amount, a decimal comma, a currency sign, `4k`…) is refused
with the plain number to write."""

from __future__ import annotations

import math
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from gtmgen.model import Channel, Cost, Resonance, Segment
from gtmgen.numbers import (
    Kind,
    advice,
    decimal_dot_doubt,
    is_fraction,
    metric_kind,
    number_words,
)
from gtmgen.schema import json_schema
from gtmgen.types import read_number
from tests.builders import playbook, validated


@pytest.mark.parametrize("text, kind, expected", [
    # An amount: a dot between groups of exactly three digits is a thousands dot.
    ("4.000", Kind.AMOUNT, "looks like four thousand written with a thousands dot; write 4000 "
                           "(or 4.0 if four was meant)"),
    ("12.500", Kind.AMOUNT, "looks like twelve thousand five hundred written with a thousands "
                            "dot; write 12500 (or 12.5 if twelve point five was meant)"),
    ("1.250.000", Kind.AMOUNT, "looks like one million two hundred fifty thousand written with "
                               "thousands dots; write 1250000"),
    ("-4.000", Kind.AMOUNT, "looks like four thousand written with a thousands dot; write -4000 "
                            "(or -4.0 if minus four was meant)"),
    ("+4.000", Kind.AMOUNT, "looks like four thousand written with a thousands dot; write 4000 "
                            "(or 4.0 if four was meant)"),
    # Anywhere: more than one dot can only be thousands dots.
    ("1.250.000", Kind.NUMBER, "looks like one million two hundred fifty thousand written with "
                               "thousands dots; write 1250000"),
    # A decimal comma, and commas between thousands.
    ("1,5", Kind.NUMBER, "has a decimal comma; write 1.5"),
    ("0,35", Kind.RATE, "has a decimal comma; write 0.35"),
    ("1,500", Kind.AMOUNT, "looks like one thousand five hundred written with a thousands comma; "
                           "write 1500 (or 1.5 if one point five was meant)"),
    ("1,250,000", Kind.AMOUNT, "looks like one million two hundred fifty thousand written with "
                               "thousands commas; write 1250000"),
    ("1.500,00", Kind.AMOUNT, "uses a dot for thousands and a comma for decimals; write 1500"),
    ("1.234,56", Kind.NUMBER, "uses a dot for thousands and a comma for decimals; write 1234.56"),
    ("1,500.25", Kind.AMOUNT, "uses a comma for thousands; write 1500.25"),
    # Spaces, apostrophes and underscores between groups.
    ("1 500", Kind.AMOUNT, "separates thousands with a space; write 1500"),
    ("1\u00a0500", Kind.AMOUNT, "separates thousands with a no-break space (U+00A0); write 1500"),
    ("1\u202f500", Kind.AMOUNT, "separates thousands with a narrow no-break space (U+202F); "
                                "write 1500"),
    ("1'500", Kind.AMOUNT, "separates thousands with an apostrophe; write 1500"),
    ("1_000", Kind.AMOUNT, "separates thousands with an underscore; write 1000"),
    ("4 000 000,50", Kind.AMOUNT, "separates thousands with a space and has a decimal comma; "
                                  "write 4000000.5"),
    # Multipliers.
    ("4k", Kind.AMOUNT, "uses k for thousand; write 4000"),
    ("1.5k", Kind.AMOUNT, "uses k for thousand; write 1500"),
    ("2M", Kind.AMOUNT, "uses M for million; write 2000000"),
    ("3 mln", Kind.AMOUNT, "uses mln for million; write 3000000"),
    ("4万", Kind.AMOUNT, "uses 万 for ten thousand; write 40000"),
    ("5 тыс.", Kind.AMOUNT, "uses тыс. for thousand; write 5000"),
    # Currencies.
    ("€4000", Kind.AMOUNT, "has a currency sign; write 4000; amounts are plain numbers in "
                           "client.currency"),
    ("4000 €", Kind.AMOUNT, "has a currency sign; write 4000; amounts are plain numbers in "
                            "client.currency"),
    ("US$4000", Kind.AMOUNT, "has a currency sign; write 4000; amounts are plain numbers in "
                             "client.currency"),
    ("EUR 4000", Kind.AMOUNT, "names the currency EUR; write 4000; amounts are plain numbers in "
                              "client.currency (currency: EUR under client)"),
    ("4000 eur", Kind.AMOUNT, "names the currency EUR; write 4000; amounts are plain numbers in "
                              "client.currency (currency: EUR under client)"),
    ("€4.000", Kind.AMOUNT, "has a currency sign and looks like four thousand written with a "
                            "thousands dot; write 4000 (or 4.0 if four was meant); amounts are "
                            "plain numbers in client.currency"),
    ("1.500,-", Kind.AMOUNT, "ends in ',-' and looks like one thousand five hundred written with "
                             "a thousands dot; write 1500"),
    ("1.500,-", Kind.NUMBER, "ends in ',-' and looks like one thousand five hundred written with "
                             "a thousands dot; write 1500"),
    # Percentages.
    ("35%", Kind.RATE, "is a percentage; write 0.35 (a share between 0 and 1: 35% is 0.35)"),
    ("35%", Kind.NUMBER, "is a percentage; write 0.35 as a share (or 35 if the target counts "
                         "percentage points)"),
    ("35%", Kind.AMOUNT, "is a percentage; write the number itself, plain (like 4000)"),
    # Signs, approximations, ranges, units.
    ("\u2212500", Kind.NUMBER, "starts with a typographic minus sign (U+2212); write -500"),
    ("~4000", Kind.AMOUNT, "starts with '~'; write 4000"),
    ("40000-50000", Kind.AMOUNT, "is a range; write one number"),
    ("160h", Kind.AMOUNT, "has 'h' after the number; write 160; the key says what the number "
                          "counts"),
    ("45 days", Kind.WHOLE, "has 'days' after the number; write 45; the key says what the "
                            "number counts"),
    # A whole number with a thousands dot has no decimal reading but a whole one.
    ("4.000", Kind.WHOLE, "looks like four thousand written with a thousands dot; write 4000 "
                          "(or 4 if four was meant)"),
    ("1.001", Kind.WHOLE, "looks like one thousand one written with a thousands dot; write 1001"),
])
def test_misreadable_spelling_says_what_to_write(text: str, kind: Kind, expected: str) -> None:
    assert advice(text, kind) == expected


@pytest.mark.parametrize("text, kind", [
    ("4000", Kind.AMOUNT), ("0.500", Kind.AMOUNT), ("4.0000", Kind.AMOUNT), ("1e3", Kind.AMOUNT),
    ("4.000", Kind.NUMBER), ("1.000", Kind.RATE), ("0.35", Kind.RATE), ("-2", Kind.NUMBER),
    ("about", Kind.AMOUNT), ("2027-03-01", Kind.AMOUNT), ("1,5", Kind.WHOLE),
    ("~1E5000", Kind.AMOUNT), ("€1e-999", Kind.NUMBER),
])
def test_plain_numbers_and_unreadable_text_get_no_advice(text: str, kind: Kind) -> None:
    assert advice(text, kind) is None


@pytest.mark.parametrize("value, words", [
    ("0", "zero"), ("21", "twenty-one"), ("100", "one hundred"), ("1001", "one thousand one"),
    ("12500", "twelve thousand five hundred"), ("4000000", "four million"),
    ("1.25", "one point two five"), ("-4", "minus four"),
    ("1000000000000000", "1000000000000000"),
])
def test_number_words(value: str, words: str) -> None:
    assert number_words(Decimal(value)) == words


@pytest.mark.parametrize("metric, kind", [
    ("cac", Kind.AMOUNT), ("ltv", Kind.AMOUNT), ("cpl", Kind.AMOUNT), ("mrr", Kind.AMOUNT),
    ("ctr", Kind.RATE), ("conversion_rate", Kind.RATE), ("open_rate", Kind.RATE),
    ("payback_months", Kind.NUMBER), ("leads", Kind.NUMBER), ("rate", Kind.NUMBER),
    ("CAC", Kind.NUMBER),
])
def test_kpi_metrics_are_read_by_their_kind(metric: str, kind: Kind) -> None:
    assert metric_kind(metric) is kind


def test_a_money_amount_with_a_thousands_dot_is_refused_at_the_model() -> None:
    with pytest.raises(ValidationError) as caught:
        Channel.model_validate({"id": "email", "name": "Email", "budget": "4.000"})
    assert ("'4.000' looks like four thousand written with a thousands dot; write 4000 "
            "(or 4.0 if four was meant)") in str(caught.value)


def test_amounts_hours_and_counts_read_plain_spellings() -> None:
    assert Channel.model_validate({"id": "a", "name": "A", "budget": "0.500"}).budget == 0.5
    cost = Cost.model_validate({"hourly": " 80 ", "hours_per_month": "1e2"})
    assert (cost.hourly, cost.hours_per_month) == (80, 100)
    assert Segment.model_validate({"id": "s", "name": "S", "size": "12500"}).size == 12500


def test_rates_and_other_numbers_keep_the_dot_as_a_decimal_point() -> None:
    channel = Channel.model_validate({"id": "a", "name": "A",
                                      "kpis": {"ctr": "1.000", "signups": "2.500"}})
    assert channel.kpis == {"ctr": 1.0, "signups": 2.5}
    assert Resonance.model_validate({"metric": "m", "target": "4.000"}).target == 4.0
    cost = Cost.model_validate({"daily": "1200", "days_per_week": "2.500"})
    assert cost.days_per_week == 2.5


@pytest.mark.parametrize("value, message", [
    ("2.0", "expected a whole number, found '2.0'; write 2"),
    ("2.5", "expected a whole number, found '2.5'"),
    ("12345678901234567890", "'12345678901234567890' is too large a number to compute with"),
])
def test_whole_numbers(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Cost.model_validate({"project": "9000", "months": value})
    assert message in str(caught.value)


@pytest.mark.parametrize("value", [float("inf"), "1e400", "-1e400"])
def test_numbers_must_be_finite(value: object) -> None:
    with pytest.raises(ValidationError, match="too large a number to compute with"):
        Channel.model_validate({"id": "a", "name": "A", "budget": value})


def test_a_number_given_as_a_number_is_taken_as_it_is() -> None:
    assert read_number(4.0, Kind.AMOUNT) == 4.0


def test_a_long_value_is_quoted_in_part() -> None:
    with pytest.raises(ValidationError) as caught:
        Channel.model_validate({"id": "a", "name": "A", "budget": "€" + "9" * 500})
    message = caught.value.errors()[0]["msg"]
    assert "9" * 61 not in message and "…" in message


def test_a_comma_in_braces_that_cuts_an_amount_in_two_is_explained() -> None:
    text = ("gtmgen: 1\nclient: {name: Acme, product: Widgets}\nlaunch: {date: 2027-03-01}\n"
            "channels:\n  - {id: email, name: Email, budget: 1,250,000}\n"
            "messages: {phases: [{id: one, value_proposition: V, personas: [p], "
            "channels: [email]}]}\n")
    from gtmgen.validate import validate_bytes

    found = [(d.line, d.column, d.message) for d in validate_bytes(text.encode(), "x").diagnostics]
    message = ("'1,250,000' looks like one million two hundred fifty thousand written with "
               "thousands commas; write 1250000; inside { } a comma ends an entry, so this was "
               "read as budget: 1 and the keys '250' and '000'")
    # "  - {id: email, name: Email, budget: 1," puts the key 250 at column 40, 000 at 44.
    assert (5, 40, message) in found and (5, 44, message) in found


def test_decimal_dot_doubt_is_raised_only_by_a_single_thousands_shaped_dot() -> None:
    assert decimal_dot_doubt("4.000") == ("reads as 4, with the dot as a decimal point; write "
                                          "4000 if four thousand was meant, or 4 to keep this "
                                          "reading")
    assert [decimal_dot_doubt(t) for t in ("4.0", "0.500", "1.250.000", "4000")] == [None] * 4


@pytest.mark.parametrize("metric, fraction", [
    ("conversion_rate", True), ("Open rate", True), ("ltv_cac_ratio", True), ("ROAS", True),
    ("reply %", True), ("share of voice", True), ("click-through rate (CTR)", True),
    ("registrations", False), ("generated_leads", False), ("demo requests", False),
])
def test_rates_ratios_shares_and_percentages_are_told_by_their_words(metric: str,
                                                                     fraction: bool) -> None:
    assert is_fraction(metric) is fraction


def test_a_ratio_target_gets_no_decimal_dot_warning_but_a_count_does() -> None:
    result = validated(playbook(kpis={"ltv_cac_ratio": "3.000", "signups": "1.500"}))
    assert [(d.path, d.severity.value) for d in result.diagnostics] == [("kpis.signups",
                                                                          "warning")]


def test_a_rate_like_resonance_metric_gets_no_decimal_dot_warning() -> None:
    phase = {"id": "one", "value_proposition": "V", "personas": ["buyer"], "channels": ["email"],
             "resonance": {"metric": "Open rate", "target": "1.000"}}
    result = validated(playbook(messages={"phases": [phase]}))
    assert result.ok and result.diagnostics == []


def test_schema_refuses_thousands_dots_in_amounts_but_not_in_rates() -> None:
    schema = json_schema()
    ok = playbook(channels=[{"id": "email", "name": "Email", "owner": "cmo", "budget": "0.500",
                             "kpis": {"ctr": "1.000", "cpl": "40", "leads": "2.500",
                                      "cac": None, "notes": "rough"}}])
    jsonschema.validate(ok, schema)
    for channel in ({"budget": "4.000"}, {"budget": "-5"}, {"kpis": {"cpl": "1.250"}},
                    {"kpis": {"ctr": 35}}, {"kpis": {"500": None}}):
        bad = playbook(channels=[{"id": "email", "name": "Email", **channel}])
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(playbook(budget={"total": "1.250.000"}), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(playbook(roles=[{"id": "cmo", "title": "CMO", "cost": {
            "hourly": 80, "hours_per_month": 800}}]), schema)


_SPELLING = st.text(st.sampled_from(list("0123456789.,-+ €$%kM'_\u00a0\u2212~<>eE万EURusd")),
                    max_size=16)


@given(_SPELLING, st.sampled_from(list(Kind)))
def test_any_spelling_is_a_finite_number_or_a_short_problem(text: str, kind: Kind) -> None:
    try:
        assert math.isfinite(read_number(text, kind))
    except PydanticCustomError as problem:
        assert len(problem.message()) < 400
