"""The Jinja environment: the user's template folder first, the shipped one after; strict
undefined variables; the sandbox; gettext labels; Babel dates, numbers and money."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gtmgen.errors import GtmgenError, UsageError
from gtmgen.numbers import is_share, names_share

DOCUMENTS = "documents"
SUFFIX = ".md.j2"
DEFAULT_DOCUMENTS = ("playbook", "launch-calendar", "roles", "hiring-plan")


class TemplateProblem(GtmgenError):
    """A template could not be loaded or rendered; the message names the file and line."""

    label = "template error: "


class UnknownDocument(UsageError):
    """--doc asked for a document no template folder has."""


def shipped_templates() -> Path:
    """The templates that come with gtmgen: inside the package when installed from a wheel,
    beside it in a checkout (an editable install)."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "templates", package.parent / "templates"):
        if (folder / DOCUMENTS).is_dir():
            return folder
    raise TemplateProblem(f"gtmgen's own templates are missing (looked in {package})")


# Markdown specials, escaped so that text prints literally on GitHub and through the
# `markdown` package alike. '<' and entity-like '&' become entities; '~' too (GFM strikes).
_INLINE = re.compile(r"([\\`*_\[\]#|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)(?:([-+])(?=\s|$)|(>)|(\d+)([.)])(?=\s|$))")


def escape_markdown(value: Any) -> str:
    """Plain text → Markdown that shows exactly that text, on one line."""
    text = " ".join(str(value).split())
    text = _INLINE.sub(r"\\\1", _ENTITY.sub("&amp;", text))
    text = text.replace("<", "&lt;").replace("~", "&#126;")
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(found: re.Match[str]) -> str:
    indent, bullet, quote, number, dot = found.groups()
    if number is not None:
        return f"{indent}{number}\\{dot}"
    return f"{indent}\\{bullet or quote}"


def escape_block(value: Any) -> str:
    """Multi-line plain text → Markdown paragraphs (blank lines kept), each line escaped."""
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return "\n\n".join(escape_markdown(p) for p in paragraphs if p.strip())


def mermaid_text(value: Any) -> str:
    """Text for a Mermaid gantt line: one line, without the characters Mermaid reads as
    syntax (':' ';' '#')."""
    text = " ".join(str(value).split())
    return text.replace(":", " -").replace(";", ",").replace("#", "No.")


def escape_cell(value: Any) -> str:
    """Text for a Markdown table cell: escaped, on one line, never empty."""
    text = escape_markdown(value) if value is not None else ""
    return text or "—"


@functools.lru_cache(maxsize=4096)
def _format_date(value: dt.date, form: str, locale: str) -> str:
    # A calendar prints the same few hundred dates thousands of times.
    from babel.dates import format_date

    return str(format_date(value, form, locale=locale))


# A count shown with decimals takes the plural form of 2: the form fractions take in every
# shipped language ("2.5 months", "2,5 maanden", "2,5 месяца", "2,5 ай").
FRACTION_COUNT = 2
WHOLE_MONEY_FROM = 100  # from this amount up, cents are noise in a strategy document


@functools.lru_cache(maxsize=4096)
def _format_money(value: float, currency: str, locale: str) -> str:
    # The locale's own currency pattern (sign, spacing, grouping), with no fraction digits for
    # amounts from WHOLE_MONEY_FROM up, rounded half up as people round money.
    import copy
    from decimal import ROUND_HALF_UP, Decimal

    from babel import Locale
    from babel.numbers import format_currency

    # 99.996 shows as 100, so it is whole; nothing has no cents either ("$0", not "$0.00").
    if 0 < abs(round(value, 2)) < WHOLE_MONEY_FROM:
        return format_currency(value, currency, locale=locale)
    pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    whole = Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_currency(whole, currency, format=pattern, locale=locale,
                           currency_digits=False)


@dataclass(frozen=True)
class Formats:
    """Babel formatting for one locale and currency."""

    locale: str
    currency: str

    def date(self, value: dt.date | None, form: str = "long") -> str:
        """A date as the locale writes it ("April 5, 2027", "5 april 2027")."""
        return "" if value is None else _format_date(value, form, self.locale)

    def month(self, value: dt.date) -> str:
        """A month and its year as the locale writes it ("Mar 2027", "mrt 2027")."""
        from babel.dates import format_skeleton

        return str(format_skeleton("yMMM", value, locale=self.locale))

    def weekday(self, value: dt.date) -> str:
        """The short name of a date's weekday ("Mon", "ma")."""
        return _format_date(value, "EEE", self.locale)

    def money(self, value: float | None) -> str:
        """An amount in the playbook's currency, as a strategy document shows it: whole from
        100 up ("$13,000", "€ 242.400"), with the currency's cents below ("$8.50"); zero
        whole ("$0")."""
        return "" if value is None else _format_money(value, self.currency, self.locale)

    def number(self, value: float | None, digits: int = 0) -> str:
        """A number with the locale's separators and at most `digits` decimals (3, 2.5)."""
        from babel.numbers import format_decimal

        if value is None:
            return ""
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        return format_decimal(round(value, digits), format=pattern, locale=self.locale)

    def percent(self, value: float | None) -> str:
        """A share given in percent (46.15) as the locale writes it ("46.2%")."""
        from babel.numbers import format_percent

        return "" if value is None else format_percent(value / 100, format="#,##0.0%",
                                                       locale=self.locale)

    def plural(self, value: float, digits: int = 0) -> int:
        """The count that picks a plural form for a value shown with `digits` decimals: the
        value when it shows whole, else FRACTION_COUNT."""
        shown = round(value, digits)
        return int(shown) if shown == int(shown) else FRACTION_COUNT

    def listing(self, items: list[str]) -> str:
        """Items joined as the locale lists them ("A, B, and C", "A, B en C", "A、B和C")."""
        from babel.lists import format_list

        return format_list(list(items), locale=self.locale) if items else ""

    def target(self, value: float | None, metric: str) -> str:
        """A resonance or KPI target: a share as a percentage ("6.0%", see `is_share`), any
        other number as written, with at most two decimals (800, 2.5)."""
        if value is None:
            return ""
        return self.percent(value * 100) if is_share(value, metric) else self.number(value, 2)


CATALOG_DOMAIN = "gtmgen"


def catalog_path(folder: Path, locale: str) -> Path:
    """Where a locale's message catalog lives under a template folder."""
    return folder / "locale" / locale / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"


def translations(locale: str, folders: list[Path]) -> Any:
    """The gettext catalog of a locale, read from its .po file and compiled in memory (no
    build step); the first folder that has one wins. English labels are the message ids."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import NullTranslations, Translations

    for folder in folders:
        path = catalog_path(folder, locale)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            return Translations(compiled, domain=CATALOG_DOMAIN)
    return NullTranslations()


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder (keyed by each template's source,
    so an edited template is compiled afresh); None where that folder cannot be made."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "gtmgen" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietCache(str(folder))


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """A cache that never fails a build: an unwritable cache is simply not written."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


class ContainedLoader(jinja2.FileSystemLoader):
    """Templates from folders searched in order, each file resolved (symbolic links followed)
    and refused when it lies outside the folder it was found in."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        if filename is not None:
            real = Path(filename).resolve()
            if not any(real.is_relative_to(Path(folder).resolve())
                       for folder in self.searchpath):
                raise TemplateProblem(f"{filename}: the template leads outside its folder "
                                      f"(to {real}); templates are read only from inside the "
                                      "template folders")
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        # Only what the build looks for: documents/*.md.j2, never a walk of a whole tree
        # (a templates folder that links to / must not read the disk).
        found: set[str] = set()
        for folder in self.searchpath:
            documents = Path(folder) / DOCUMENTS
            if documents.is_dir():
                found.update(f"{DOCUMENTS}/{entry.name}" for entry in os.scandir(documents)
                             if entry.name.endswith(SUFFIX) and entry.is_file())
        return sorted(found)


def environment(user_folder: Path | None, formats: Formats) -> ImmutableSandboxedEnvironment:
    """A sandboxed Jinja environment that cannot change what it is given (lists, mappings and
    models are read-only): `user_folder` (if any) searched before the shipped one, undefined
    names are errors, labels go through gettext."""
    folders = [f for f in (user_folder, shipped_templates()) if f is not None]
    env = ImmutableSandboxedEnvironment(
        loader=ContainedLoader([str(f) for f in folders]), undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"], autoescape=False, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True, bytecode_cache=bytecode_cache())
    env.install_gettext_translations(translations(formats.locale, folders),  # type: ignore[attr-defined]
                                     newstyle=True)
    env.filters.update(md=escape_markdown, block=escape_block, cell=escape_cell,
                       mermaid=mermaid_text,
                       date=formats.date, weekday=formats.weekday, money=formats.money,
                       month=formats.month,
                       number=formats.number,
                       percent=formats.percent, target=formats.target, plural=formats.plural,
                       listing=formats.listing)
    env.tests.update(share_metric=names_share)
    return env


def document_names(env: jinja2.BaseLoader | jinja2.Environment) -> list[str]:
    """Every document template: the shipped four and any new one in the user's folder."""
    names = {name[len(DOCUMENTS) + 1: -len(SUFFIX)] for name in env.list_templates()
             if name.startswith(DOCUMENTS + "/") and name.endswith(SUFFIX)
             and "/" not in name[len(DOCUMENTS) + 1:]}
    return sorted(names, key=lambda n: (n not in DEFAULT_DOCUMENTS,
                                        DEFAULT_DOCUMENTS.index(n) if n in DEFAULT_DOCUMENTS
                                        else 0, n))


def check_documents(user_folder: Path | None, wanted: tuple[str, ...] | list[str] | None,
                    env: jinja2.Environment | None = None) -> list[str]:
    """The documents to build: `wanted`, or every one when None; UnknownDocument names any
    that no template folder has, with the list of those that exist."""
    if env is None:
        folders = [f for f in (user_folder, shipped_templates()) if f is not None]
        known = document_names(ContainedLoader([str(f) for f in folders]))
    else:
        known = document_names(env)
    unknown = [name for name in wanted or () if name not in known]
    if unknown:
        raise UnknownDocument(f"no document named {', '.join(repr(n) for n in unknown)}; the "
                              f"documents are {', '.join(known)}")
    return list(wanted) if wanted else known


def render_document(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one document to Markdown; TemplateProblem names the template and line."""
    try:
        template = env.get_template(f"{DOCUMENTS}/{name}{SUFFIX}")
        text = template.render(context)
    except jinja2.TemplateSyntaxError as problem:
        raise TemplateProblem(f"{problem.filename or problem.name}:{problem.lineno}: "
                              f"template syntax: {problem.message}") from None
    except jinja2.TemplateNotFound as problem:
        raise TemplateProblem(f"no template '{problem.name}'") from None
    except TemplateProblem:
        raise
    except Exception as problem:  # noqa: BLE001 - templates may be the user's own code
        raise TemplateProblem(f"{_where(problem)}{type(problem).__name__}: {problem}") from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _where(problem: BaseException) -> str:
    """The template file and line of the innermost frame that ran template code."""
    trace = problem.__traceback__
    found = ""
    while trace is not None:
        code = trace.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            found = f"{code.co_filename}:{trace.tb_lineno}: "
        trace = trace.tb_next
    return found
