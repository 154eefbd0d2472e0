"""Scalars typed by the schema; text that Word cannot hold; author keys and merges."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gtmgen.model import Client, Cost, Playbook
from gtmgen.validate import validate_path
from tests.conftest import CASES, CRUMB


def test_scalars_are_typed_by_the_schema_not_by_yaml() -> None:
    result = validate_path(CASES / "good" / "norway-and-text-scalars.yaml")
    assert result.ok
    client = result.playbook.client
    assert (client.country, client.version, client.prepared_by) == ("NO", "2.10", "yes")


def test_merged_defaults_and_author_keys() -> None:
    result = validate_path(CASES / "good" / "author-keys-and-merges.yaml")
    assert result.ok
    channel = result.playbook.channels[0]
    assert (channel.owner, channel.kind, channel.notes) == ("cmo", "owned", "Our best channel.")
    assert channel.kpis == {"open_rate": 0.4}


def test_example_numbers_and_dates() -> None:
    book = validate_path(CRUMB).playbook
    assert str(book.launch.date) == "2027-03-01"
    assert [str(d) for d in book.launch.blackout] == ["2027-04-02"]
    assert book.channels[1].budget == 6000
    assert book.roles[2].cost.per_month == 60 * 80
    assert book.roles[3].cost.per_month == 4000
    assert book.roles[3].needed_by == "gift-moments"
    assert [p.length_days for p in book.messages.phases] == [14, 21, 14, 17]


@pytest.mark.parametrize("char, name", [("\x00", "U+0000"), ("\x08", "U+0008"),
                                        ("\x0b", "U+000B"), ("\x0c", "U+000C"),
                                        ("\x1f", "U+001F"), ("\ud800", "U+D800"),
                                        ("\udfff", "U+DFFF"), ("\ufffe", "U+FFFE"),
                                        ("\uffff", "U+FFFF")])
def test_text_word_cannot_store_is_refused_by_name(char: str, name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Client.model_validate({"name": f"Ac{char}me", "product": "x"})
    assert name in str(caught.value)


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "é", "中", "\U0001f36a"])
def test_text_word_can_store_is_kept(char: str) -> None:
    assert Client.model_validate({"name": f"a{char}b", "product": "x"}).name == f"a{char}b"


def test_cost_shapes() -> None:
    assert Cost.model_validate({"project": "9000", "months": "3"}).per_month == 3000
    with pytest.raises(ValidationError, match="no amount"):
        Cost.model_validate({})
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Cost.model_validate({"project": "9000", "months": "0"})
    # A fractional CMO at 1,200 a day, two days a week: 1200 × 2 × 52 ÷ 12 = 10,400 a month.
    assert Cost.model_validate({"daily": "1200", "days_per_week": "2"}).per_month == 10400
    with pytest.raises(ValidationError, match=r"\{daily, hours_per_month\}"):
        Cost.model_validate({"daily": "1200", "hours_per_month": "16"})


def test_playbook_refuses_other_format_versions() -> None:
    with pytest.raises(ValidationError, match="format 1"):
        Playbook.model_validate({"gtmgen": "3"})
