"""Good results files read against the example playbooks, with every expected value worked out
by hand from docs/results.md.

Crumb (USD, locale en): launch Monday 2027-03-01; phases fresh-in-minutes 03-01…03-14 (2
weeks), office-rituals 03-15…04-04 (3 weeks), gift-moments 04-05…04-18 (2 weeks),
price-per-cookie 04-19…05-05 (17 days, metric "subscription conversion rate", target 0.06: a
share); open roles growth-lead, email-manager, content-creator. Ledgerly (EUR, locale en):
launch 2027-09-06, first phase close-in-five 09-06…09-26.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from gtmgen.results import ResultRow, Results, find_results, read_results
from tests.builders import planned
from tests.conftest import CRUMB, LEDGERLY


@pytest.fixture(scope="module")
def crumb():
    return planned(CRUMB)


@pytest.fixture(scope="module")
def ledgerly():
    return planned(LEDGERLY)


def _read(path: Path, data: bytes | str, against) -> Results:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    results, found = read_results(path, *against)
    assert found == [] and results is not None, found
    return results


def _row(line: int, day: str, channel: str | None = None, phase: str | None = None,
         persona: str | None = None, spend: float | None = None, leads: float | None = None,
         customers: float | None = None, resonance: float | None = None) -> ResultRow:
    return ResultRow(line, dt.date.fromisoformat(day), channel, phase, persona, spend, leads,
                     customers, resonance)


def test_semicolon_file_with_byte_order_mark_reads_decimal_commas(tmp_path, ledgerly) -> None:
    text = ("\ufeffdate;channel;spend;leads\n"
            "2027-09-07;linkedin-ads;€ 1.234,50;12\n"
            "2027-09-08;email;12,5;\n"
            "2027-09-09;webinars;1.234;\n")
    results = _read(tmp_path / "results.csv", text, ledgerly)
    # `1.234,50`: dots between groups of three, the comma last: 1234 + 0.50 = 1234.5.
    # `12,5`: one comma, one digit after it: a decimal comma, 12.5; it shows the file writes
    # decimals with a comma, so `1.234` (one dot, three digits) is one thousand two hundred
    # thirty-four. Every date lies in close-in-five (09-06…09-26); leads left empty are None.
    assert results.rows == (
        _row(2, "2027-09-07", "linkedin-ads", "close-in-five", spend=1234.5, leads=12),
        _row(3, "2027-09-08", "email", "close-in-five", spend=12.5),
        _row(4, "2027-09-09", "webinars", "close-in-five", spend=1234),
    )
    assert results.hires == {}


def test_comma_file_reads_thousands_commas_and_dollar_signs(tmp_path, crumb) -> None:
    text = ('date,channel,spend,leads\n'
            '2027-03-02,email,"1,234.50",3\n'
            '2027-03-03,instagram,"$1,234",\n')
    results = _read(tmp_path / "results.csv", text, crumb)
    # `1,234.50`: the dot comes last, so it is the decimal point and the comma groups three
    # digits: 1234.50. The file writes decimals with a dot, so in `$1,234` the comma groups
    # thousands: 1234 ($ is USD's sign, the playbook's currency).
    assert [row.spend for row in results.rows] == [1234.5, 1234]
    assert [row.leads for row in results.rows] == [3, None]


def test_week_rows_count_on_their_monday(tmp_path, crumb) -> None:
    text = "date,channel,leads\n2027-W09,email,5\n2027-W10,email,7\n2027-w11,email,9\n"
    results = _read(tmp_path / "results.csv", text, crumb)
    # 2027 starts on a Friday, so week 1 starts Monday 2027-01-04; week 9 starts 8 × 7 = 56
    # days later (2027-03-01), week 10 on 2027-03-08, week 11 on 2027-03-15 (office-rituals).
    assert [(row.day, row.phase) for row in results.rows] == [
        (dt.date(2027, 3, 1), "fresh-in-minutes"), (dt.date(2027, 3, 8), "fresh-in-minutes"),
        (dt.date(2027, 3, 15), "office-rituals")]


def test_tab_separated_file(tmp_path, crumb) -> None:
    text = "date\tchannel\tleads\tcustomers\n2027-03-16\tlinkedin\t7\t2\n"
    results = _read(tmp_path / "results.csv", text, crumb)
    assert results.rows == (_row(2, "2027-03-16", "linkedin", "office-rituals", leads=7,
                                 customers=2),)


def test_channel_named_by_its_name_in_any_case(tmp_path, crumb) -> None:
    text = ("Date , Channel\n"
            "2027-03-02,LinkedIn ads and posts\n"
            '2027-03-03,"EMAIL NEWSLETTER"\n'
            "2027-03-04,Instagram (organic + paid)\n")
    results = _read(tmp_path / "results.csv", text, crumb)
    assert [row.channel for row in results.rows] == ["linkedin", "email", "instagram"]


def test_phase_is_the_one_whose_days_hold_the_date(tmp_path, crumb) -> None:
    text = ("date,channel,phase\n"
            "2027-04-05,email,\n"  # gift-moments' first day
            "2027-04-18,email,\n"  # its last day
            "2027-05-06,email,\n"  # the day after price-per-cookie (04-19 + 17 − 1 = 05-05)
            "2027-05-06,email,gift-moments\n")  # a late measurement names its phase
    results = _read(tmp_path / "results.csv", text, crumb)
    assert [row.phase for row in results.rows] == ["gift-moments", "gift-moments", None,
                                                   "gift-moments"]


def test_share_metric_written_as_a_percentage(tmp_path, crumb) -> None:
    text = ("date;phase;resonance\n"
            "2027-05-05;price-per-cookie;6,5%\n"  # 6.5 ÷ 100 = 0.065
            "2027-04-30;;0,07\n"  # no phase given: 04-30 is in price-per-cookie; 0.07
            "2027-03-14;fresh-in-minutes;812\n")  # trial signups, a count: 812
    results = _read(tmp_path / "results.csv", text, crumb)
    assert [(row.phase, row.resonance) for row in results.rows] == [
        ("price-per-cookie", 0.065), ("price-per-cookie", 0.07), ("fresh-in-minutes", 812)]


def test_role_rows_give_the_day_each_hire_started(tmp_path, crumb) -> None:
    text = ("date,role,channel,leads\n"
            "2027-02-20,growth-lead,,\n"
            "2027-03-02,,email,4\n"
            "2027-W14,content-creator,,\n")  # week 14: 2027-01-04 + 13 × 7 days = 04-05
    results = _read(tmp_path / "results.csv", text, crumb)
    assert results.hires == {"growth-lead": (dt.date(2027, 2, 20), 2),
                             "content-creator": (dt.date(2027, 4, 5), 4)}
    assert results.rows == (_row(3, "2027-03-02", "email", "fresh-in-minutes", leads=4),)


def test_yaml_form_reads_the_same_rows(tmp_path, crumb) -> None:
    text = ("notes: typed in from the CRM\n"  # line 1
            "rows:\n"
            "  - date: 2027-03-02\n"  # line 3: the first row
            "    channel: email\n"
            "    persona: weekend-parent\n"
            "    spend: 1250.5\n"
            "    leads: 40\n"
            "    customers:\n"  # empty: not measured
            "    x-source: newsletter tool\n"
            "  - {date: 2027-W11, role: email-manager}\n"  # line 10; W11 starts 03-15
            "  - date: 2027-04-20\n"  # line 11
            "    resonance: 0.065\n")
    results = _read(tmp_path / "results.yaml", text, crumb)
    assert results.rows == (
        _row(3, "2027-03-02", "email", "fresh-in-minutes", "weekend-parent", 1250.5, 40),
        _row(11, "2027-04-20", phase="price-per-cookie", resonance=0.065))
    assert results.hires == {"email-manager": (dt.date(2027, 3, 15), 10)}
    assert results.file == str(tmp_path / "results.yaml")


def test_spaces_and_apostrophes_group_thousands(tmp_path, ledgerly) -> None:
    text = ("date;channel;spend\n"
            "2027-09-07;email;1\u00a0234,50\n"  # no-break space groups, decimal comma
            "2027-09-08;email;1\u202f234\n"  # narrow no-break space: 1234
            "2027-09-09;email;1 234 567\n"
            "2027-09-10;email;EUR 2'500\n"
            "2027-09-11;email;99 €\n")
    results = _read(tmp_path / "results.csv", text, ledgerly)
    assert [row.spend for row in results.rows] == [1234.5, 1234, 1234567, 2500, 99]


def test_empty_lines_and_rows_of_empty_cells_are_skipped(tmp_path, crumb) -> None:
    text = "\r\ndate;channel;leads\r\n\r\n2027-03-02;email;1\r\n;;\r\n   \r\n2027-03-03;pr;2\r\n"
    results = _read(tmp_path / "results.csv", text, crumb)
    assert [(row.line, row.channel) for row in results.rows] == [(4, "email"), (7, "pr")]


def test_utf16_with_byte_order_mark_is_decoded(tmp_path, crumb) -> None:
    data = "date\tchannel\tleads\r\n2027-03-02\temail\t3\r\n".encode("utf-16")
    results = _read(tmp_path / "results.csv", data, crumb)
    assert results.rows == (_row(2, "2027-03-02", "email", "fresh-in-minutes", leads=3),)


def test_quoted_cells_hold_separators_and_doubled_quotes(tmp_path, crumb) -> None:
    text = ('date,channel,leads\n'
            '"2027-03-02" , "Email newsletter","1,000"\n'
            '2027-03-03,email,"1,500.0"\n')
    results = _read(tmp_path / "results.csv", text, crumb)
    # `1,500.0` shows a decimal point, so in `1,000` the comma groups thousands: 1000.
    assert [(row.channel, row.leads) for row in results.rows] == [("email", 1000),
                                                                  ("email", 1500)]
    path = tmp_path / "quotes.csv"
    path.write_text('date,channel\n2027-03-02,"The ""best"" channel"\n', encoding="utf-8")
    results, found = read_results(path, *crumb)
    # `2027-03-02,` is 11 characters: the quoted cell starts in column 12.
    assert results is None and [(d.line, d.column) for d in found] == [(2, 12)]
    assert found[0].message.startswith("unknown channel 'The \"best\" channel'")


def test_results_file_beside_the_playbook_is_found(tmp_path) -> None:
    playbook = tmp_path / "playbook.yaml"
    assert find_results(playbook, None) is None
    (tmp_path / "results.yml").write_text("rows: []\n")
    assert find_results(playbook, None) == tmp_path / "results.yml"


def test_a_fifo_is_refused_without_waiting(tmp_path, crumb) -> None:
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)
    results, found = read_results(fifo, *crumb)
    assert results is None
    assert [(d.line, d.column) for d in found] == [(1, 1)]
    assert "cannot read" in found[0].message and "not a regular file" in found[0].message


def test_a_file_over_16_mib_is_refused(tmp_path, crumb) -> None:
    path = tmp_path / "results.csv"
    with path.open("wb") as stream:
        stream.truncate(16 * 1024 * 1024 + 1)
    results, found = read_results(path, *crumb)
    assert results is None and "larger than 16 MiB" in found[0].message


def test_the_worked_example_of_the_documentation(tmp_path, crumb) -> None:
    from tests.conftest import ROOT

    page = (ROOT / "docs" / "results.md").read_text(encoding="utf-8")
    example = page.split("```csv\n", 1)[1].split("```", 1)[0]
    results = _read(tmp_path / "results.csv", example, crumb)
    assert results.hires == {"growth-lead": (dt.date(2027, 2, 22), 2)}
    # W09 starts 2027-01-04 + 8 × 7 days = 03-01, W10 a week later; `1,450.20` shows a
    # decimal point, so `1,200` is 1200; 6.5% of a share metric is 0.065.
    assert results.rows == (
        _row(3, "2027-03-01", "instagram", "fresh-in-minutes", spend=1450.2, leads=212,
             customers=41),
        _row(4, "2027-03-01", "email", "fresh-in-minutes", "weekend-parent", 350, 38, 9),
        _row(5, "2027-03-08", "linkedin", "fresh-in-minutes", spend=1200, leads=30),
        _row(6, "2027-03-14", phase="fresh-in-minutes", resonance=812),
        _row(7, "2027-05-05", phase="price-per-cookie", resonance=0.065),
    )


def test_the_client_currency_by_code_or_sign(tmp_path, crumb, ledgerly) -> None:
    usd = ("date,channel,spend\n2027-03-02,email,US$ 100\n2027-03-03,email,100 USD\n"
           "2027-03-04,email,usd 7\n2027-03-05,email,$ 8\n")
    assert [row.spend for row in _read(tmp_path / "usd.csv", usd, crumb).rows] == [100, 100,
                                                                                   7, 8]
    path = tmp_path / "eur.csv"
    path.write_text("date,channel,spend\n2027-09-07,email,$100\n", encoding="utf-8")
    results, found = read_results(path, *ledgerly)
    # `2027-09-07,email,` is 17 characters: the amount starts in column 18.
    assert results is None and [(d.line, d.column) for d in found] == [(2, 18)]
    assert found[0].message.startswith("this file gives an amount in '$'; the playbook's "
                                       "money is in EUR")


def test_excel_separator_line_states_the_separator(tmp_path, crumb) -> None:
    # Excel may write `sep=;` above the header: the line says which separator follows.
    text = 'sep=;\ndate;channel;leads\n2027-03-02;"Email newsletter";3\n'
    results = _read(tmp_path / "results.csv", text, crumb)
    assert results.rows == (_row(3, "2027-03-02", "email", "fresh-in-minutes", leads=3),)
