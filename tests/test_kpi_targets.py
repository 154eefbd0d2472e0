"""KPI targets: `tbd` is to be decided, an empty target is not given, money targets refuse
thousands dots, rates are shares between 0 and 1; one warning lists the undecided targets, and
the documents say "to be decided" in the client's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtmgen.model import Playbook, decided
from tests.builders import playbook, validated
from tests.conftest import CASES


def _channel(**keys: object) -> dict[str, object]:
    return {"id": "email", "name": "Email", "owner": "cmo", **keys}


def _problems(data: dict) -> list[tuple[str, str, str]]:
    return [(d.severity.value, d.path, d.message) for d in validated(data).diagnostics]


def test_tbd_in_any_case_is_to_be_decided() -> None:
    book = Playbook.model_validate(playbook(kpis={"cac": "TBD", "ltv": " tbd ", "cpl": "40"},
                                            channels=[_channel(kpis={"cpl": "Tbd"})]))
    assert book.kpis == {"cac": "tbd", "ltv": "tbd", "cpl": 40.0}
    assert book.channels[0].kpis == {"cpl": "tbd"}
    assert (decided(book.kpis, "cac"), decided(book.kpis, "cpl")) == (None, 40.0)


def test_an_empty_target_is_not_given() -> None:
    book = Playbook.model_validate(playbook(kpis={"cac": None, "cpl": "40", "notes": "draft",
                                                  "x-source": "q3"},
                                            channels=[_channel(kpis={"ctr": None})]))
    assert book.kpis == {"cpl": 40.0}
    assert book.channels[0].kpis == {}


def test_an_empty_target_gives_no_problem() -> None:
    assert _problems(playbook(kpis={"cac": None, "ltv": None})) == []


def test_one_warning_lists_every_undecided_target_at_the_first() -> None:
    data = playbook(kpis={"cac": "tbd", "ltv": "tbd", "cpl": "40"},
                    channels=[_channel(kpis={"cpl": "tbd"})])
    # builders.MINIMAL dumps channels before kpis, so the channel's cpl comes first.
    assert _problems(data) == [("warning", "channels[0].kpis.cpl",
                                "KPI targets to be decided: cpl (channel 'email'), cac, ltv "
                                "(kpis); formulas that need them say 'not estimated'")]


def test_one_undecided_target_is_named_in_the_singular() -> None:
    assert _problems(playbook(kpis={"mrr": "tbd"})) == [
        ("warning", "kpis.mrr", "KPI target to be decided: mrr (kpis); formulas that need it "
                                "say 'not estimated'")]


def test_a_long_list_of_undecided_targets_is_cut() -> None:
    kpis = {f"metric_{n:02}": "tbd" for n in range(15)}
    (problem,) = _problems(playbook(kpis=kpis))
    assert problem[2] == ("KPI targets to be decided: metric_00, metric_01, metric_02, "
                          "metric_03, metric_04, metric_05, metric_06, metric_07, metric_08, "
                          "metric_09, metric_10, metric_11 (kpis) and 3 more; formulas that "
                          "need them say 'not estimated'")


def test_an_undecided_ltv_or_cac_is_not_compared() -> None:
    assert [p[0] for p in _problems(playbook(kpis={"ltv": "100", "cac": "tbd"}))] == ["warning"]


@pytest.mark.parametrize("kpis, path, message", [
    ({"conversion_rate": "5"}, "kpis.conversion_rate",
     "conversion_rate is a share between 0 and 1; found 5 (5% is 0.05)"),
    ({"open_rate": "1.5"}, "kpis.open_rate",
     "open_rate is a share between 0 and 1; found 1.5 (1.5% is 0.015)"),
    ({"churn_rate": "-0.1"}, "kpis.churn_rate",
     "churn_rate is a share between 0 and 1; found -0.1"),
    ({"ctr": "250"}, "kpis.ctr", "ctr is a share between 0 and 1; found 250"),
    ({"mrr": "0"}, "kpis.mrr", "mrr must be more than 0; found 0"),
    ({"cpl": "-40"}, "kpis.cpl", "cpl must be more than 0; found -40"),
])
def test_rates_are_shares_and_money_targets_are_positive(kpis: dict, path: str,
                                                         message: str) -> None:
    assert _problems(playbook(kpis=kpis)) == [("error", path, message)]


def test_channel_rates_are_checked_like_the_playbook_rates() -> None:
    data = playbook(channels=[_channel(kpis={"ctr": "35", "click_rate": "0.4", "cpl": "0"})])
    assert _problems(data) == [
        ("error", "channels[0].kpis.ctr", "ctr is a share between 0 and 1; found 35 (35% is "
                                          "0.35)"),
        ("error", "channels[0].kpis.cpl", "cpl must be more than 0; found 0")]


def test_rates_of_exactly_zero_and_one_are_shares() -> None:
    assert _problems(playbook(kpis={"conversion_rate": "1", "ctr": "0"})) == []


def test_a_money_target_with_a_thousands_dot_is_an_error_at_its_value() -> None:
    data = playbook(kpis={"ltv": "1.200"}, channels=[_channel(kpis={"cpl": "1.250"})])
    assert _problems(data) == [
        ("error", "channels[0].kpis.cpl",
         "'1.250' looks like one thousand two hundred fifty written with a thousands dot; "
         "write 1250 (or 1.25 if one point two five was meant)"),
        ("error", "kpis.ltv", "'1.200' looks like one thousand two hundred written with a "
                              "thousands dot; write 1200 (or 1.2 if one point two was meant)")]


def test_a_target_that_is_neither_number_nor_tbd_says_both() -> None:
    (problem,) = _problems(playbook(kpis={"cac": "unknown"}))
    assert problem[2].startswith("expected a number or tbd (to be decided), found 'unknown'")


def _build(gtmgen, tmp_path: Path, locale: str) -> str:
    data = (CASES / "warn" / "kpi-targets-to-be-decided.yaml").read_text(encoding="utf-8")
    source = tmp_path / "playbook.yaml"
    source.write_text(data.replace("  product: Widgets\n",
                                   f"  product: Widgets\n  locale: {locale}\n"), encoding="utf-8")
    run = gtmgen("build", source, "--out", tmp_path / "out", "--format", "md")
    assert run.code == 0, run.err
    return (tmp_path / "out" / "playbook.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("locale, label, words", [
    ("en", "Customer acquisition cost (CAC)", "to be decided"),
    ("nl", "Klantwervingskosten (CAC)", "nog te bepalen"),
    ("zh", None, "待定"),
])
def test_documents_show_an_undecided_target_in_the_clients_language(
        gtmgen, tmp_path: Path, locale: str, label: str | None, words: str) -> None:
    text = _build(gtmgen, tmp_path, locale)
    rows = [row for row in text.splitlines()
            if row.startswith("| ") and words in row and row.count("|") == 3]  # KPI table
    assert len(rows) == 2  # cac and ltv; the empty mrr is not given, so it has no row
    # The channel's own undecided CPL shows in the funnel's "channel targets" column.
    assert sum(1 for row in text.splitlines() if row.startswith("| ") and words in row) == 3
    if label:
        assert rows[0] == f"| {label} | {words} |"
