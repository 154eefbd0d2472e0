"""Documents in every supported language: complete catalogs, no English label left, dates,
numbers and money as the client writes them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from icalendar import Calendar

from gtmgen.load import load_bytes
from gtmgen.render.formats import Formats
from gtmgen.render.templates import catalog_path, escape_markdown, shipped_templates
from gtmgen.types import SUPPORTED_LOCALES
from tests.builders import documents, phase, playbook
from tests.conftest import CRUMB

FOREIGN = [code for code in SUPPORTED_LOCALES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _strings(data):
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in [k, *_strings(v)]]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return [data] if isinstance(data, str) else []


def _pot():
    with (shipped_templates() / "locale" / "gtmgen.pot").open("rb") as handle:
        return [m for m in read_po(handle) if m.id]


def _catalog(locale):
    with catalog_path(shipped_templates(), locale).open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale=locale) if m.id}


def _forms(text) -> list[str]:
    """A message id or translation as a list: one text, or each plural form."""
    return list(text) if isinstance(text, tuple | list) else [text]


def test_six_locales_are_supported(gtmgen) -> None:
    assert SUPPORTED_LOCALES == ("en", "nl", "vi", "zh", "ru", "ky")
    lines = gtmgen("locales").out.splitlines()
    assert [line.split("\t")[0] for line in lines] == list(SUPPORTED_LOCALES)


@pytest.mark.parametrize("locale", FOREIGN)
def test_catalog_translates_every_label_with_its_placeholders(locale: str) -> None:
    catalog = _catalog(locale)
    plurals = get_plural(locale).num_plurals
    for message in _pot():
        translated = catalog.get(message.id)
        assert translated, (locale, message.id)
        wanted = [sorted(PLACEHOLDER.findall(text)) for text in _forms(message.id)]
        assert len({tuple(w) for w in wanted}) == 1, message.id  # singular and plural alike
        if message.pluralizable:
            assert isinstance(translated, tuple) and len(translated) == plurals, (locale,
                                                                                  message.id)
        for form in _forms(translated):
            assert form, (locale, message.id)
            assert sorted(PLACEHOLDER.findall(form)) == wanted[0], (locale, form)


@pytest.mark.parametrize("locale, forms", [("nl", 2), ("vi", 1), ("zh", 1), ("ru", 3),
                                           ("ky", 2)])
def test_catalog_states_the_plural_rule_of_its_language(locale: str, forms: int) -> None:
    with catalog_path(shipped_templates(), locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    assert catalog.num_plurals == forms == get_plural(locale).num_plurals
    assert catalog.plural_expr == get_plural(locale).plural_expr


def _plain(text: str) -> str:  # CLDR uses no-break spaces; compare as ordinary ones
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("locale, currency, day, money, date_text, amount_text", [
    ("nl", "EUR", dt.date(2027, 4, 5), 9000, "5 april 2027", "€ 9.000"),
    ("vi", "VND", dt.date(2027, 4, 5), 1500000, "5 tháng 4, 2027", "1.500.000 ₫"),
    ("zh", "CNY", dt.date(2027, 4, 5), 9000, "2027年4月5日", "¥9,000"),
    ("ru", "RUB", dt.date(2027, 4, 5), 9000, "5 апреля 2027 г.", "9 000 ₽"),
    ("ky", "KGS", dt.date(2027, 4, 5), 9000, "2027-ж., 5-апрель", "9 000 сом"),
    ("en", "USD", dt.date(2027, 4, 5), 9000, "April 5, 2027", "$9,000"),
])
def test_dates_and_money_follow_the_locale(locale, currency, day, money, date_text,
                                           amount_text) -> None:
    formats = Formats(locale, currency)
    assert _plain(formats.date(day)) == date_text
    assert _plain(formats.money(money)) == amount_text


@pytest.mark.parametrize("locale, currency, amount, shown", [
    ("en", "USD", 13000, "$13,000"),
    ("nl", "EUR", 242400, "€ 242.400"),
    ("en", "USD", 8.5, "$8.50"),
    ("nl", "EUR", 8.5, "€ 8,50"),
    ("ru", "RUB", 8.5, "8,50 ₽"),
    ("ru", "RUB", 242400, "242 400 ₽"),
    ("zh", "CNY", 242400, "¥242,400"),
    ("ky", "KGS", 242400, "242 400 сом"),
    ("vi", "VND", 8.5, "8 ₫"),  # the dong has no minor unit: never decimals
    ("en", "USD", 99.99, "$99.99"),
    ("en", "USD", 100, "$100"),
    ("en", "USD", 99.996, "$100"),  # rounds to 100.00: shown whole
    ("en", "USD", 4369.61, "$4,370"),
    ("en", "USD", 150.5, "$151"),  # half up, as money is rounded (not half to even)
    ("en", "USD", -11200, "-$11,200"),
    ("nl", "EUR", -11200, "€ -11.200"),
    ("en", "USD", -50, "-$50.00"),
    ("en", "USD", 0, "$0"),  # nothing has no cents
    ("nl", "EUR", 0.004, "€ 0"),
])
def test_money_is_whole_from_one_hundred_and_keeps_cents_below(locale, currency, amount,
                                                               shown) -> None:
    assert _plain(Formats(locale, currency).money(amount)) == shown


@pytest.fixture(scope="module")
def localized(tmp_path_factory):
    """The crumb example built in every locale, in md, docx and html."""
    from gtmgen.build import Options, build

    built = {}
    for locale in SUPPORTED_LOCALES:
        folder = tmp_path_factory.mktemp(locale)
        text = CRUMB.read_text(encoding="utf-8").replace("  locale: en", f"  locale: {locale}")
        (folder / "playbook.yaml").write_text(text, encoding="utf-8")
        result = build(folder / "playbook.yaml", folder / "out",
                       Options(formats=("md", "docx", "html", "json", "csv", "ics")))
        assert result.validation.ok
        built[locale] = folder / "out"
    return built


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_example_builds_in_every_locale_and_format(localized, locale: str) -> None:
    names = sorted(p.name for p in localized[locale].iterdir())
    assert names == sorted([*(f"{doc}.{ext}" for doc in ("playbook", "launch-calendar",
                                                         "roles", "hiring-plan")
                              for ext in ("md", "docx", "html")),
                            "plan.json", "launch-calendar.csv", "launch-calendar.ics",
                            ".gtmgen-manifest.json"])


def outputs_text(out) -> str:
    """Everything a reader sees in a build: the four documents in Markdown, plan.json's
    titles, the CSV's titles and names, the calendar's summaries and descriptions (machine
    keys and ids stay English there)."""
    text = "\n".join((out / f"{doc}.md").read_text(encoding="utf-8")
                     for doc in ("playbook", "launch-calendar", "roles", "hiring-plan"))
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    text += "\n".join(event["title"] for event in plan["calendar"])
    rows = list(csv.reader(io.StringIO((out / "launch-calendar.csv").read_text("utf-8"))))
    text += "\n".join(" | ".join(row[6:]) for row in rows[1:])
    for event in Calendar.from_ical((out / "launch-calendar.ics").read_bytes()).walk("VEVENT"):
        text += f"\n{event['SUMMARY']}\n{event['DESCRIPTION']}"
    return text


def assert_no_english_label(text: str, locale: str, playbook) -> None:
    """No label of the catalog is left in English, once the playbook's own words (names,
    promises, descriptions) are taken out."""
    _assert_no_english_label(_without_playbook_words(text, playbook), _catalog(locale), locale)


def _without_playbook_words(text: str, playbook) -> str:
    for value in sorted(_strings(load_bytes(playbook.read_bytes(), "x")[0].data), key=len,
                        reverse=True):
        # The summary and the hiring rationale quote a value proposition without its full stop.
        for shown in (value, value.rstrip(".")):
            text = text.replace(escape_markdown(shown), " ").replace(shown, " ")
    return text


@pytest.fixture(scope="module")
def written_from_the_plan(tmp_path_factory):
    """The crumb example's playbook document, without its summary (so every sentence of the
    summary is written from the plan), in every foreign locale."""
    from gtmgen.build import Options, build

    text = CRUMB.read_text(encoding="utf-8")
    start, end = text.index("\nsummary:\n"), text.index("\nassumptions:\n")
    text = text[:start] + text[end:]
    built = {}
    for locale in FOREIGN:
        folder = tmp_path_factory.mktemp(f"plan-{locale}")
        (folder / "playbook.yaml").write_text(
            text.replace("  locale: en", f"  locale: {locale}"), encoding="utf-8")
        result = build(folder / "playbook.yaml", folder / "out", Options(formats=("md",)))
        assert result.validation.ok
        built[locale] = (folder / "out" / "playbook.md").read_text(encoding="utf-8")
    return built


@pytest.mark.parametrize("locale", FOREIGN)
def test_no_english_label_in_a_summary_written_from_the_plan(written_from_the_plan,
                                                             locale: str) -> None:
    text = written_from_the_plan[locale]
    assert "### " + _catalog(locale)["Recommendation"] + "\n" in text
    _assert_no_english_label(_without_playbook_words(text, CRUMB), _catalog(locale), locale)


def _assert_no_english_label(text: str, catalog: dict, locale: str) -> None:
    for message in _pot():
        translated = " ".join(_forms(catalog[message.id]))
        for fragment in (f for english in _forms(message.id)
                         for f in PLACEHOLDER.split(english)):
            words = re.findall(r"[A-Za-z]{2,}", fragment)
            if len(" ".join(words)) < 4 or fragment.strip() in translated:
                continue  # too short to tell, or the same word in this language
            pattern = r"(?<![\w-])" + re.escape(fragment.strip()) + r"(?![\w-])"
            assert not re.search(pattern, text), (locale, fragment)


@pytest.mark.parametrize("locale", FOREIGN)
def test_no_english_label_is_left(localized, locale: str) -> None:
    assert_no_english_label(outputs_text(localized[locale]), locale, CRUMB)


def _crumb_with_results(folder, locale: str):
    """The crumb example in `locale`, with its results file beside it."""
    text = CRUMB.read_text(encoding="utf-8").replace("  locale: en", f"  locale: {locale}")
    (folder / "playbook.yaml").write_text(text, encoding="utf-8")
    (folder / "results.csv").write_bytes((CRUMB.parent / "results.csv").read_bytes())
    return folder / "playbook.yaml"


def _review_text(playbook_path, as_of: dt.date) -> str:
    from gtmgen.build import Options
    from gtmgen.review import review

    out = playbook_path.parent / f"review-{as_of}"
    result = review(playbook_path, out, Options(formats=("md",)), as_of=as_of)
    assert result.review is not None
    return (out / f"review-{as_of}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The crumb example's review at 2027-06-01 and its launch calendar built beside its
    results (with the done and missed marks), in every foreign locale."""
    from gtmgen.build import Options, build

    built = {}
    for locale in FOREIGN:
        path = _crumb_with_results(tmp_path_factory.mktemp(f"review-{locale}"), locale)
        text = _review_text(path, dt.date(2027, 6, 1))
        result = build(path, path.parent / "out",
                       Options(formats=("md",), documents=("launch-calendar",)))
        assert result.validation.ok
        calendar = (path.parent / "out" / "launch-calendar.md").read_text(encoding="utf-8")
        built[locale] = (text, calendar)
    return built


@pytest.mark.parametrize("locale", FOREIGN)
def test_no_english_label_is_left_in_the_review(reviewed, locale: str) -> None:
    text, calendar = reviewed[locale]
    words = _catalog(locale)
    # Crumb at 2027-06-01: every section has figures (an operating review is due at 3
    # months, two hires are late or missing, one phase is not measured), so most labels show.
    for label in ("At a glance", "Operating review", "Spend against plan", "Hiring",
                  "Data gaps", "keep", "iterate", "drop", "not measured"):
        assert words[label] in text, (locale, label)
    # The results mark the email manager's start (2027-03-01) done and the content
    # creator's (2027-04-05, no start in the results) missed.
    assert "✓ " + words["done"] in calendar and "✗ " + words["missed"] in calendar
    assert_no_english_label(text + calendar, locale, CRUMB)


@pytest.mark.parametrize("as_of, missing", [
    # The content creator is needed by 2027-04-05 and has not started: the review day
    # minus that day. 04-06: 1 day (form "день"), 04-08: 3 days ("дня"), 04-15: 10 days
    # ("дней"), 04-26: 21 days (ends in 1 but not 11: "день").
    (dt.date(2027, 4, 6), "1 день"), (dt.date(2027, 4, 8), "3 дня"),
    (dt.date(2027, 4, 15), "10 дней"), (dt.date(2027, 4, 26), "21 день"),
])
def test_russian_hire_status_counts_days_in_the_form_their_number_needs(
        tmp_path, as_of: dt.date, missing: str) -> None:
    text = _review_text(_crumb_with_results(tmp_path, "ru"), as_of)
    # The growth lead, needed by 2027-03-01, started 2027-03-08: 7 days late ("дней").
    assert "| ⚠ опоздание на 7 дней |" in text
    assert f"| ⚠ не вышел, нужен уже {missing} |" in text


def test_chinese_documents_use_chinese_dates(localized) -> None:
    text = (localized["zh"] / "playbook.md").read_text(encoding="utf-8")
    assert "**上市日期:** 2027年3月1日" in text
    assert "## 招聘优先级" in text


def test_docx_sets_an_east_asian_font_for_chinese(localized) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(localized["zh"] / "playbook.docx")
    default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = default.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Microsoft YaHei"


def test_unknown_locale_lists_the_supported_ones(gtmgen, tmp_path) -> None:
    text = CRUMB.read_text(encoding="utf-8").replace("  locale: en", "  locale: fr")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    run = gtmgen("validate", tmp_path / "p.yaml")
    assert run.code == 1
    assert ":11:11: error: unsupported locale 'fr'; supported: en, nl, vi, zh, ru, ky" in run.err




def _in_locale(data: dict, locale: str, currency: str) -> dict:
    data["client"] = {**data["client"], "locale": locale, "currency": currency}
    return data


def _phases(count: int) -> dict:
    return {"phases": [phase(f"p{i}", f"Promise number {i}.") for i in range(1, count + 1)]}


@pytest.mark.parametrize("count, line", [
    (1, "1 этап за 14 дней"), (2, "2 этапа за 28 дней"), (5, "5 этапов за 70 дней"),
    (21, "21 этап за 294 дня"),
])
def test_russian_counts_take_the_form_their_number_needs(count: int, line: str) -> None:
    text = _plain(documents(_in_locale(playbook(messages=_phases(count)), "ru",
                                       "RUB"))["playbook"])
    assert f"**Серия сообщений:** {line}, с 1 марта 2027 г. по " in text


@pytest.mark.parametrize("count, line", [(1, "1 fase in 14 dagen"),
                                         (2, "2 fasen in 28 dagen")])
def test_dutch_counts_are_singular_for_one(count: int, line: str) -> None:
    text = _plain(documents(_in_locale(playbook(messages=_phases(count)), "nl",
                                       "EUR"))["playbook"])
    assert f"**Berichtenreeks:** {line}, van 1 maart 2027 tot " in text


@pytest.mark.parametrize("mrr, payback", [(40, "2,5 месяца"), (100, "1 месяц"),
                                          (20, "5 месяцев"), (50, "2 месяца")])
def test_a_fractional_count_takes_the_form_of_fractions(mrr: int, payback: str) -> None:
    # Spend ÷ customers is CPL ÷ conversion rate: 10 ÷ 0.1 = 100 a customer, so payback is
    # 100 ÷ mrr months.
    data = playbook(kpis={"cpl": 10, "conversion_rate": 0.1, "mrr": mrr})
    data["channels"][0]["budget"] = 1000
    text = _plain(documents(_in_locale(data, "ru", "RUB"))["playbook"])
    assert f"**Окупаемость:** {payback}" in text


def test_role_costs_count_days_hours_and_months_in_russian() -> None:
    roles = [{"id": "cmo", "title": "CMO", "cost": {"daily": 500, "days_per_week": 2.5}},
             {"id": "writer", "title": "Writer", "reports_to": "cmo",
              "cost": {"hourly": 40, "hours_per_month": 21}},
             {"id": "agency", "title": "Agency", "reports_to": "cmo",
              "cost": {"project": 9000, "months": 1}}]
    text = _plain(documents(_in_locale(playbook(roles=roles), "ru", "RUB"))["roles"])
    assert "500 ₽ в день, 2,5 дня в неделю" in text
    assert "40,00 ₽ в час, 21 час в месяц" in text
    assert "9 000 ₽ за 1 месяц" in text
