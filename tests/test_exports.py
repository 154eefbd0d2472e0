"""Exports that open right: the CSV in a spreadsheet of the client's region, the calendar's
updates in a calendar program."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import yaml
from icalendar import Calendar

from gtmgen.render.exports import cell
from gtmgen.render.ical import client_domain, sequence
from tests.builders import playbook


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "-",
                                  "+", "-20%", "-1e5"])
def test_a_cell_that_would_start_a_formula_gets_an_apostrophe(text) -> None:
    assert cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-20", "+20", "-1.5", "-1,5", "20", "Hello", "a=b", ""])
def test_numbers_and_ordinary_text_stay_as_written(text) -> None:
    # A plain number, signed or not, is read as that number and never as a formula.
    assert cell(text) == text


def _csv(gtmgen, tmp_path, *options: str, **client: str) -> bytes:
    data = playbook()
    data["client"].update(client)
    data["roles"] = [{"id": "cmo", "title": "één; twee"}]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    assert gtmgen("build", path, "--out", out, "--format", "csv", *options).code == 0
    return (out / "launch-calendar.csv").read_bytes()


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_utf8(gtmgen, tmp_path) -> None:
    raw = _csv(gtmgen, tmp_path)
    assert raw[:3] == b"\xef\xbb\xbf" and raw[3:8] == b"date,"
    assert "één; twee" in raw.decode("utf-8-sig")


@pytest.mark.parametrize(("client", "delimiter"), [
    ({}, ","),  # English: 1.5
    ({"locale": "nl"}, ";"),  # Dutch: 1,5
    ({"locale": "ru"}, ";"),
    ({"locale": "zh"}, ","),
    ({"locale": "en", "country": "NL"}, ";"),  # English in the Netherlands writes 1,5
    ({"locale": "en", "country": "US"}, ","),
])
def test_csv_delimiter_follows_the_clients_decimal_comma(gtmgen, tmp_path, client,
                                                         delimiter) -> None:
    raw = _csv(gtmgen, tmp_path, **client).decode("utf-8-sig")
    assert raw.startswith(f"date{delimiter}kind{delimiter}phase")
    rows = list(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter))
    assert all(len(row) == 10 for row in rows)
    assert "één; twee" in {row[9] for row in rows}


def test_csv_dialect_option_overrides_the_locale(gtmgen, tmp_path) -> None:
    raw = _csv(gtmgen, tmp_path, "--csv-dialect", "comma", locale="nl").decode("utf-8-sig")
    assert raw.startswith("date,kind,")
    raw = _csv(gtmgen, tmp_path, "--csv-dialect", "semicolon").decode("utf-8-sig")
    assert raw.startswith("date;kind;")
    # The cell holding the delimiter is quoted (RFC 4180).
    assert ';"één; twee"\r\n' in raw


def test_client_domains_keep_names_without_latin_letters_apart() -> None:
    assert client_domain("Crumb & Co.") == "crumb-co"
    assert client_domain("Café Noir") == "cafe-noir"
    assert client_domain("Straße GmbH") == "strasse-gmbh"
    # Punycode keeps every letter: the Cyrillic and Chinese names differ from each other.
    assert client_domain("Ромашка") == "xn--80aa3agjl3d"
    names = ["Крамб и Ко", "Ромашка", "面包小铺", "面包大铺", "Café Крамб"]
    assert len({client_domain(n) for n in names}) == len(names)
    assert all(client_domain(n).startswith("xn--") for n in names)


def _uids(gtmgen, tmp_path, folder: str, **client: str) -> tuple[set[str], set[int]]:
    data = playbook()
    data["client"].update(client)
    path = tmp_path / f"{folder}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert gtmgen("build", path, "--out", tmp_path / folder, "--format", "ics").code == 0
    events = Calendar.from_ical((tmp_path / folder / "launch-calendar.ics").read_bytes()
                                ).walk("VEVENT")
    return {str(e["UID"]) for e in events}, {int(e["SEQUENCE"]) for e in events}


def test_uids_differ_between_russian_clients_and_survive_a_new_product_name(
        gtmgen, tmp_path) -> None:
    krumb, _ = _uids(gtmgen, tmp_path, "a", name="Крамб и Ко")
    romashka, _ = _uids(gtmgen, tmp_path, "b", name="Ромашка")
    renamed, _ = _uids(gtmgen, tmp_path, "c", name="Крамб и Ко", product="Новый продукт")
    assert not krumb & romashka
    assert krumb == renamed
    assert "phase-start/one@xn--80aa3agjl3d.gtmgen" in romashka


def test_a_later_document_date_gives_a_higher_sequence(gtmgen, tmp_path) -> None:
    _, first = _uids(gtmgen, tmp_path, "a", date="2027-01-18")
    _, second = _uids(gtmgen, tmp_path, "b", date="2027-02-01")
    # 14 days later: 14 x 1,440 minutes more.
    assert first == {14225760} and second == {14225760 + 20160}


def test_sequence_counts_minutes_from_2000() -> None:
    assert sequence(dt.datetime(2000, 1, 1, 0, 59, tzinfo=dt.UTC)) == 59
    assert sequence(dt.datetime(1999, 12, 31, tzinfo=dt.UTC)) == 0
