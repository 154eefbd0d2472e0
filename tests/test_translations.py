"""One playbook in several languages: client.locales, texts as mappings of locale → text, the
checks at their places, one folder per locale, and calendar UIDs the same in every locale."""

from __future__ import annotations

from pathlib import Path

import yaml
from icalendar import Calendar

from tests.builders import phase, playbook, validated


def _bilingual(**more):
    return playbook(
        client={"name": "Fietsdeel", "product": {"nl": "Deelfietsen", "en": "Shared bikes"},
                "locales": ["nl", "en"], "country": "NL", "currency": "EUR"},
        messages={"phases": [
            phase("one", {"nl": "Sneller op kantoor.", "en": "Faster to the office."}),
            phase("two", {"nl": "Geen parkeerzorgen."}),
            phase("three", "Fietsdeel for Business.")]},
        **more)


def _messages(result):
    return [(d.line, d.column, str(d.severity), d.message) for d in result.diagnostics]


def test_each_locale_reads_its_own_text_and_falls_back_to_the_primary() -> None:
    result = validated(_bilingual())
    assert result.ok, result.diagnostics
    nl, en = result.locales["nl"], result.locales["en"]
    assert result.playbook is not None and result.playbook.client.locale == "nl"
    assert (nl.client.locale, nl.client.product) == ("nl", "Deelfietsen")
    assert (en.client.locale, en.client.product) == ("en", "Shared bikes")
    assert [p.value_proposition for p in en.messages.phases] == [
        "Faster to the office.", "Geen parkeerzorgen.", "Fietsdeel for Business."]
    # The one text without its English: a warning at it, naming the locale it lacks.
    warnings = [m for m in _messages(result) if m[2] == "warning"]
    assert len(warnings) == 1
    assert "no en text here: the en documents show the nl text" in warnings[0][3]


def test_a_mapping_must_give_the_primary_and_only_listed_locales() -> None:
    for text, words in (({"en": "Only English."}, "no 'nl' text: a text in several languages "
                                                  "gives the primary locale (nl"),
                        ({"nl": "Ja.", "de": "Ja."}, "'de' is not one of client.locales (nl, en)"),
                        ({"nl": ["a list"]}, "the 'nl' text is a list")):
        data = _bilingual()
        data["messages"]["phases"][0]["value_proposition"] = text
        result = validated(data)
        assert not result.ok
        assert any(words in m[3] for m in _messages(result)), _messages(result)


def test_a_mapping_needs_client_locales_and_locale_goes_without_locales() -> None:
    data = playbook()
    data["client"]["product"] = {"en": "Widgets", "nl": "Dingen"}
    result = validated(data)
    assert any("needs client.locales to list two or more locales" in m[3]
               for m in _messages(result))
    data = _bilingual()
    data["client"]["locale"] = "nl"
    assert any("give either locale (one language) or locales" in m[3]
               for m in _messages(validated(data)))


def test_strict_turns_a_missing_translation_into_an_error(gtmgen, tmp_path) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(_bilingual(), sort_keys=False, allow_unicode=True))
    run = gtmgen("build", path, "--strict", "--out", tmp_path / "out")
    assert run.code == 1 and "error: no en text here" in run.err
    assert not (tmp_path / "out").exists()


def test_one_build_writes_a_folder_per_locale_and_counts_the_translations(gtmgen,
                                                                          tmp_path) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(_bilingual(), sort_keys=False, allow_unicode=True))
    run = gtmgen("build", path, "--format", "md,ics", "--out", tmp_path / "out")
    assert run.code == 0, run.err
    out = tmp_path / "out"
    assert sorted(p.name for p in (out / "nl").iterdir()) == sorted(
        p.name for p in (out / "en").iterdir())
    nl = (out / "nl" / "playbook.md").read_text(encoding="utf-8")
    en = (out / "en" / "playbook.md").read_text(encoding="utf-8")
    assert "Deelfietsen" in nl and "Sneller op kantoor." in nl and "Deelfietsen" not in en
    assert "Shared bikes" in en and "Faster to the office." in en
    # Two mappings give English (product, phase one), one lacks it (phase two).
    assert "en: 2 texts translated, 1 missing (the nl text shown), 0 the same as nl" in run.out
    uids = [{str(e["UID"]) for e in Calendar.from_ical(
        (out / locale / "launch-calendar.ics").read_bytes()).walk("VEVENT")}
        for locale in ("nl", "en")]
    assert uids[0] == uids[1] and uids[0]


def test_locale_builds_one_locale_and_is_checked(gtmgen, tmp_path) -> None:
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(_bilingual(), sort_keys=False, allow_unicode=True))
    run = gtmgen("build", path, "--locale", "en", "--out", tmp_path / "out")
    assert run.code == 0, run.err
    assert [p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")] == [
        "en"]
    run = gtmgen("build", path, "--locale", "ru", "--out", tmp_path / "other")
    assert run.code == 2 and "client.locales lists nl, en" in run.err
    single = tmp_path / "single.yaml"
    single.write_text(yaml.safe_dump(playbook(), sort_keys=False))
    run = gtmgen("build", single, "--locale", "nl", "--out", tmp_path / "third")
    assert run.code == 2 and "this playbook is written in en only" in run.err


def test_clients_named_in_cyrillic_and_chinese_get_disjoint_uids(gtmgen, tmp_path) -> None:
    found = []
    for name in ("Крамб и Ко", "克兰布公司"):
        data = playbook(client={"name": name, "product": "Widgets"})
        path = tmp_path / f"{len(found)}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        out = tmp_path / f"out{len(found)}"
        assert gtmgen("build", path, "--format", "ics", "--out", out).code == 0
        found.append({str(e["UID"]) for e in Calendar.from_ical(
            (out / "launch-calendar.ics").read_bytes()).walk("VEVENT")})
    assert found[0] and found[1] and not found[0] & found[1]
    # Renaming the product keeps every UID.
    data = playbook(client={"name": "Крамб и Ко", "product": "Other widgets"})
    path = tmp_path / "renamed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert gtmgen("build", path, "--format", "ics", "--out", tmp_path / "renamed").code == 0
    assert {str(e["UID"]) for e in Calendar.from_ical(
        (tmp_path / "renamed" / "launch-calendar.ics").read_bytes()).walk("VEVENT")} == found[0]


def test_a_warning_is_located_at_the_mapping(tmp_path) -> None:
    from gtmgen.validate import validate_path

    path = Path(tmp_path / "playbook.yaml")
    path.write_text(yaml.safe_dump(_bilingual(), sort_keys=False, allow_unicode=True))
    lines = path.read_text(encoding="utf-8").splitlines()
    # The mapping {nl: Geen parkeerzorgen.} is phase two's value_proposition, written as a
    # block: the warning is at its first key, `nl:` in column 7.
    where = next(n for n, line in enumerate(lines, 1) if "nl: Geen parkeerzorgen" in line)
    result = validate_path(path)
    warning = next(d for d in result.diagnostics if "no en text" in d.message)
    assert (warning.line, warning.column) == (where, 7)


def test_each_locale_gets_its_own_paper_when_the_country_does_not_decide(gtmgen,
                                                                         tmp_path) -> None:
    from docx import Document

    # No country: English prints on US letter (8.5 in wide), Dutch on A4 (210 mm).
    data = _bilingual()
    del data["client"]["country"]
    data["client"]["locales"] = ["en", "nl"]
    for item in data["messages"]["phases"]:
        if isinstance(item["value_proposition"], dict):
            item["value_proposition"].setdefault("en", "Written in English.")
    data["client"]["product"]["en"] = "Shared bikes"
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    run = gtmgen("build", path, "--format", "docx", "--doc", "roles", "--out", tmp_path / "out")
    assert run.code == 0, run.err
    widths = {locale: Document(str(tmp_path / "out" / locale / "roles.docx")).sections[0]
              .page_width.mm for locale in ("en", "nl")}
    assert round(widths["en"], 1) == 215.9 and round(widths["nl"], 1) == 210.0


def test_a_review_of_a_bilingual_playbook_is_written_in_each_language(gtmgen, tmp_path) -> None:
    # One results row: email spent 100 on launch day.
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(_bilingual(), sort_keys=False, allow_unicode=True))
    (tmp_path / "results.csv").write_text("date,channel,spend\n2027-03-01,email,100\n")
    run = gtmgen("review", path, "--format", "md", "--out", tmp_path / "out")
    assert run.code == 0, run.err
    nl = (tmp_path / "out" / "nl" / "review-2027-03-01.md").read_text(encoding="utf-8")
    en = (tmp_path / "out" / "en" / "review-2027-03-01.md").read_text(encoding="utf-8")
    assert "Sneller op kantoor." in nl and "Faster to the office." in en
    assert "Spend against plan" in en and "Spend against plan" not in nl


def test_a_verdict_is_the_same_in_every_language(gtmgen, tmp_path) -> None:
    # Target 1 of "activation rate" (a rate by its English name, the primary's): rows 0.5 and
    # 0.7 average 0.6, 60% of the target: drop — in the Dutch review too, although the Dutch
    # name says nothing of a rate.
    data = _bilingual()
    data["client"]["locales"] = ["en", "nl"]
    data["client"]["product"] = {"en": "Shared bikes", "nl": "Deelfietsen"}
    data["messages"]["phases"] = [phase("one", {"en": "Faster.", "nl": "Sneller."}, resonance={
        "metric": {"en": "activation rate", "nl": "activatiegraad"}, "target": 1})]
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    (tmp_path / "results.csv").write_text(
        "date,channel,resonance,spend\n2027-03-02,email,0.5,\n2027-03-03,email,0.7,\n"
        "2027-03-20,email,,10\n")  # the build reviews at the last row, after the phase
    run = gtmgen("review", path, "--as-of", "2027-03-31", "--format", "md",
                 "--out", tmp_path / "out")
    assert run.code == 0, run.err
    import json

    for locale in ("en", "nl"):
        text = (tmp_path / "out" / locale / "review-2027-03-31.md").read_text(encoding="utf-8")
        assert "| 60.0% |" in text or "| 60,0% |" in text or "| 60,0 % |" in text, text
    run = gtmgen("build", path, "--format", "json", "--out", tmp_path / "built")
    verdicts = [json.loads((tmp_path / "built" / locale / "plan.json").read_text())
                ["review"]["phases"][0]["verdict"] for locale in ("en", "nl")]
    assert verdicts == ["drop", "drop"]
