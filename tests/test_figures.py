"""The numbers a reader of the documents sees: shares as percentages, totals that are sums."""

from __future__ import annotations

import pytest

from gtmgen.numbers import is_share, names_share
from gtmgen.render.formats import Formats
from tests.builders import documents, phase, playbook

EMAIL = {"id": "email", "name": "Email", "owner": "cmo"}


def _row(text: str, first_cell: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {first_cell} |"))


@pytest.mark.parametrize("metric, words", [
    ("conversion_rate", True), ("Open rate", True), ("share of voice", True), ("ctr", True),
    ("reply %", True), ("percentage of trials converted", True), ("trial signups", False),
    ("ltv_cac_ratio", False), ("roas", False), ("leads", False),
])
def test_a_metric_names_a_share_by_its_words(metric: str, words: bool) -> None:
    assert names_share(metric) is words


@pytest.mark.parametrize("value, metric, share", [
    (0.06, "trial signups", True),  # strictly between 0 and 1: a share, whatever the name
    (0.5, "leads", True),
    (1, "Open rate", True), (0, "reply rate", True),  # the ends, when the metric says so
    (1, "demo views", False), (0, "demo views", False),
    (35, "Open rate", False),  # above 1: percentage points or a count, shown as written
    (800, "trial signups", False),
])
def test_a_target_is_a_share_between_0_and_1(value: float, metric: str, share: bool) -> None:
    assert is_share(value, metric) is share


@pytest.mark.parametrize("locale, value, metric, shown", [
    ("en", 0.06, "subscription conversion rate", "6.0%"),
    ("nl", 0.06, "conversieratio", "6,0%"),
    ("en", 1, "Open rate", "100.0%"),
    ("en", 800, "trial signups", "800"),
    ("en", 2.5, "demo views per visit", "2.5"),
    ("ru", 0.355, "доля ответов", "35,5%"),  # a share by its value
])
def test_target_filter_shows_shares_as_percentages(locale, value, metric, shown) -> None:
    assert Formats(locale, "EUR").target(value, metric).replace("\xa0", " ") == shown


def test_resonance_targets_that_are_shares_print_as_percentages() -> None:
    data = playbook(messages={"phases": [
        phase("one", "Faster answers.", resonance={"metric": "reply rate", "target": 0.35}),
        phase("two", "Cheaper answers.", resonance={"metric": "demos booked", "target": 40}),
        phase("three", "Kinder answers.", resonance={"metric": "upgrades", "target": 0.125}),
    ]})
    rows = [line for line in documents(data)["playbook"].splitlines()
            if line.startswith("| ") and " answers. | " in line and " to " in line]
    assert [row.rsplit(" | ", 2)[1:] for row in rows] == [
        ["reply rate", "35.0% |"], ["demos booked", "40 |"], ["upgrades", "12.5% |"]]


def test_kpi_targets_named_as_rates_print_as_percentages() -> None:
    text = documents(playbook(kpis={"conversion_rate": 0.05, "open_rate": 0.4,
                                    "payback_months": 0.5, "share_of_voice": 40}))["playbook"]
    assert "| Conversion rate | 5.0% |" in text
    assert "| Open rate | 40.0% |" in text
    assert "| Payback (months) | 0.5 |" in text  # not a share by its name: as written
    assert "| share of voice | 40 |" in text  # above 1: percentage points, as written


def test_channel_total_share_is_the_sum_of_the_shares() -> None:
    # 1000 / 3000 and 2000 / 3000: 33.3% and 66.7%, summing to 100.0%.
    data = playbook(channels=[{**EMAIL, "budget": 1000},
                              {"id": "ads", "name": "Ads", "owner": "cmo", "budget": 2000}])
    data["messages"]["phases"][0]["channels"] = ["email", "ads"]
    text = documents(data)["playbook"]
    assert _row(text, "Email").endswith("| $1,000 | 33.3% |")
    assert _row(text, "Ads").endswith("| $2,000 | 66.7% |")
    assert _row(text, "**Total**").endswith("| **$3,000** | **100.0%** |")


def test_channel_total_share_is_zero_when_no_channel_has_a_budget() -> None:
    text = documents(playbook())["playbook"]  # one channel, no budget: nothing to share
    assert _row(text, "Email").endswith("| $0 | 0.0% |")
    assert _row(text, "**Total**").endswith("| **$0** | **0.0%** |")


@pytest.mark.parametrize("value, digits, count", [
    (3, 0, 3), (80.4, 0, 80), (2.5, 1, 2), (1.04, 1, 1), (1.5, 0, 2), (21.0, 1, 21),
    (0.25, 1, 2),  # shown as 0.2: a fraction
])
def test_plural_count_is_the_shown_whole_number_else_two(value, digits, count) -> None:
    assert Formats("en", "USD").plural(value, digits) == count
