"""The Jinja environment: the user's template folder first, the shipped one after; strict
undefined variables; the sandbox; gettext labels; the filters of formats.py (Babel dates,
numbers and money)."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from gtmgen.diagnostics import excerpt
from gtmgen.errors import GtmgenError, TemplateProblem, UsageError
from gtmgen.numbers import names_share
from gtmgen.render.bounds import (
    BoundedSandbox,
    TemplateLimit,
    bounded_filters,
    place_in_traceback,
    render_bounded,
)
from gtmgen.render.formats import Formats
from gtmgen.shipped import shipped_templates
from gtmgen.types import UNSTORABLE

T = TypeVar("T")
DOCUMENTS = "documents"
SHIPPED_PREFIX = "gtmgen/"  # names a shipped template even where the user overrides it
SUFFIX = ".md.j2"
DEFAULT_DOCUMENTS = ("playbook", "launch-calendar", "roles", "hiring-plan")
# Names --doc accepts that are slide decks only (templates/slides/), built with --format pptx.
SLIDE_ONLY = ("board",)


def from_client_file(path: Path | None, what: str, make: Callable[[], T]) -> T:
    """`make()`; with a client's file in play (a Word or slide template), any failure gtmgen
    does not explain itself is a TemplateProblem naming that file."""
    if path is None:
        return make()
    try:
        return make()
    except GtmgenError:
        raise
    except Exception as problem:  # noqa: BLE001 - a client's file: checked, but not ours
        raise TemplateProblem(f"{path}: cannot be used as {what} "
                              f"({type(problem).__name__}: {str(problem)[:200]})") from None


class UnknownDocument(UsageError):
    """--doc asked for a document no template folder has."""


# Markdown specials, escaped so that text prints literally on GitHub and through the
# `markdown` package alike. '<' and entity-like '&' become entities; '~' too (GFM strikes).
_INLINE = re.compile(r"([\\`*_\[\]#|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)(?:([-+])(?=\s|$)|(>)|(\d+)([.)])(?=\s|$))")
# Whitespace that may break a line, collapsed to one space; the no-break spaces Babel puts in
# numbers and money (U+00A0, U+202F, U+2007) are kept, so "13 000,00 USD" stays together.
_SPACES = re.compile(r"[^\S\u00a0\u202f\u2007]+")


def escape_markdown(value: Any) -> str:
    """Plain text → Markdown that shows exactly that text, on one line."""
    text = _SPACES.sub(" ", str(value)).strip(" ")
    text = _INLINE.sub(r"\\\1", _ENTITY.sub("&amp;", text))
    text = text.replace("<", "&lt;").replace("~", "&#126;")
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(found: re.Match[str]) -> str:
    indent, bullet, quote, number, dot = found.groups()
    if number is not None:
        return f"{indent}{number}\\{dot}"
    return f"{indent}\\{bullet or quote}"


def no_break(value: Any) -> str:
    """Text whose words stay on one line: spaces become no-break spaces (a date in a narrow
    table column: "Mar 1, 2027", never "Mar 1," over "2027")."""
    return str(value).replace(" ", "\u00a0")


def escape_block(value: Any) -> str:
    """Multi-line plain text → Markdown paragraphs (blank lines kept), each line escaped."""
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return "\n\n".join(escape_markdown(p) for p in paragraphs if p.strip())


# Mermaid's own escapes for text in a diagram: '#' and a code ending in ';' (decimal or an
# HTML entity name), which Mermaid turns back into the character after parsing. One pass, so
# the '#' of a code is never escaped again. '&' too, so "&lt;" in the text shows as written,
# and '%': the gantt lexer reads a character and '%' starting a task as a comment to the end
# of the line.
MERMAID_CODES = str.maketrans({"#": "#35;", ":": "#58;", ";": "#59;", "<": "#lt;",
                               ">": "#gt;", '"': "#quot;", "&": "#38;", "%": "#37;"})


def mermaid_text(value: Any) -> str:
    """Text for a Mermaid line (a gantt task or section, a flowchart label in quotes): on one
    line, every character Mermaid reads as syntax or HTML written as Mermaid's entity code, so
    the diagram shows the text as written ("#1: 20%" → "#35;1#58; 20#37;")."""
    return " ".join(str(value).split()).translate(MERMAID_CODES)


def escape_cell(value: Any) -> str:
    """Text for a Markdown table cell: escaped, on one line, never empty."""
    text = escape_markdown(value) if value is not None else ""
    return text if text.strip() else "—"


CATALOG_DOMAIN = "gtmgen"
# Part of the compiled-template cache's folder name: raised whenever the environment compiles
# templates differently (the sandbox's operators), so old compiled code is never reused.
CACHE_GENERATION = 2


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
            try:
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=locale)
            except (ValueError, UnicodeError, OSError) as problem:
                raise TemplateProblem(f"{path}: not a readable message catalog "
                                      f"({type(problem).__name__}: {str(problem)[:120]})") \
                    from None
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            return Translations(compiled, domain=CATALOG_DOMAIN)
    return NullTranslations()


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder (keyed by each template's source,
    so an edited template is compiled afresh); None where that folder cannot be made."""
    from gtmgen.render.picturecache import cache_folder

    folder = cache_folder(f"jinja-{CACHE_GENERATION}")
    return None if folder is None else _QuietCache(str(folder))


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
        if template.startswith(SHIPPED_PREFIX):
            # "gtmgen/…" is always gtmgen's own file, so that an override can extend the
            # template it replaces; "gtmgen/playbook.md.j2" is short for its documents/ file.
            shipped = jinja2.FileSystemLoader(self.searchpath[-1:])
            rest = template[len(SHIPPED_PREFIX):]
            if "/" not in rest and not (Path(self.searchpath[-1]) / rest).is_file():
                rest = f"{DOCUMENTS}/{rest}"
            return shipped.get_source(environment, rest)
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


def environment(user_folder: Path | None, formats: Formats) -> BoundedSandbox:
    """A sandboxed Jinja environment that cannot change what it is given (lists, mappings and
    models are read-only): `user_folder` (if any) searched before the shipped one, undefined
    names are errors, labels go through gettext."""
    folders = [f for f in (user_folder, shipped_templates()) if f is not None]
    env = BoundedSandbox(
        loader=ContainedLoader([str(f) for f in folders]), undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"], autoescape=False, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True, bytecode_cache=bytecode_cache())
    env.install_gettext_translations(translations(formats.locale, folders),  # type: ignore[attr-defined]
                                     newstyle=True)
    env.filters.update(nobreak=no_break, md=escape_markdown, block=escape_block, cell=escape_cell,
                       mermaid=mermaid_text,
                       date=formats.date, weekday=formats.weekday, money=formats.money,
                       month=formats.month,
                       number=formats.number,
                       percent=formats.percent, target=formats.target, plural=formats.plural,
                       listing=formats.listing)
    env.filters.update(bounded_filters(env.filters))
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
    unknown = [name for name in wanted or () if name not in known and name not in SLIDE_ONLY]
    if unknown:
        raise UnknownDocument(f"no document named {', '.join(repr(excerpt(n)) for n in unknown)}; the "
                              f"documents are {', '.join(known)}")
    return list(wanted) if wanted else known


def render_document(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one document to Markdown; TemplateProblem names the template and line."""
    return render_template(env, f"{DOCUMENTS}/{name}{SUFFIX}", context)


def _unstorable(template: jinja2.Template, char: str, before: str) -> str:
    """Where a template wrote a character that XML (Word, slides) cannot hold: its line in the
    template when the template holds it as written, else its line in the document."""
    source = ""
    if template.filename and os.path.isfile(template.filename):
        with open(template.filename, encoding="utf-8", errors="replace") as file:
            source = file.read()
    name, what = f"U+{ord(char):04X}", "cannot be stored in a Word document or a slide"
    if char in source:
        line = source[:source.index(char)].count("\n") + 1
        return f"{template.filename}:{line}: the character {name} {what}; remove it"
    return (f"{template.filename or template.name}: line {before.count(chr(10)) + 1} of the "
            f"document it writes has the character {name}, which {what}; remove it")


def _check_blocks(env: jinja2.Environment, template: jinja2.Template) -> None:
    """A template that extends another may only fill blocks the other has: a misspelt block
    name would otherwise change nothing, silently."""
    from jinja2 import nodes

    if env.loader is None or template.filename is None:
        return
    source = env.loader.get_source(env, template.name or "")[0]
    if "extends" not in source:
        return  # nothing to check, and no second parse
    tree = env.parse(source, template.name, template.filename)
    parent = next((node for node in tree.find_all(nodes.Extends)), None)
    if parent is None or not isinstance(parent.template, nodes.Const):
        return
    known: set[str] = set()
    name: str | None = str(parent.template.value)
    seen: set[str] = set()
    while name is not None and name not in seen:  # the whole chain of parents
        seen.add(name)
        ancestor = env.get_template(name)
        known.update(ancestor.blocks)
        found = env.parse(env.loader.get_source(env, name)[0]).find(nodes.Extends)
        name = str(found.template.value) if found is not None and isinstance(
            found.template, nodes.Const) else None
    for block in tree.body:  # the blocks the child fills (not ones nested in them)
        if isinstance(block, nodes.Block) and block.name not in known:
            close = difflib.get_close_matches(block.name, sorted(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else \
                f"; its blocks are {', '.join(sorted(known))}"
            raise TemplateProblem(f"{template.filename}:{block.lineno}: the block "
                                  f"'{block.name}' is not in {parent.template.value}, so it "
                                  f"would change nothing{hint}")


def render_template(env: jinja2.Environment, path: str, context: dict[str, Any],
                    tidy: bool = True) -> str:
    """Render any template of the folders (a document, the slides, the HTML page), bounded
    (bounds.py); TemplateProblem names the template and line. `tidy`: runs of blank lines
    become one and the text ends in one newline (Markdown)."""
    try:
        template = env.get_template(path)
        _check_blocks(env, template)
        text = render_bounded(template, context)
    except jinja2.TemplateSyntaxError as problem:
        raise TemplateProblem(f"{problem.filename or problem.name}:{problem.lineno}: "
                              f"template syntax: {problem.message}") from None
    except jinja2.TemplateNotFound as problem:
        raise TemplateProblem(f"{place_in_traceback(problem)}no template "
                              f"'{excerpt(str(problem.name))}'") from None
    except (TemplateProblem, TemplateLimit):
        raise
    except RecursionError as problem:
        raise TemplateProblem(f"{place_in_traceback(problem)}the template calls itself (a "
                              "block or macro that uses itself) without end") from None
    except Exception as problem:  # noqa: BLE001 - templates may be the user's own code
        raise TemplateProblem(f"{place_in_traceback(problem)}{type(problem).__name__}: "
                              f"{problem}") from None
    bad = UNSTORABLE.search(text)
    if bad:
        raise TemplateProblem(_unstorable(template, bad.group(), text[:bad.start()]))
    return tidy_markdown(text) if tidy else text


_EMPTY_CELL = re.compile(r"(?<=\|)[ \t]{2,}(?=\|)")
_FENCE = re.compile(r"^\s*(```|~~~)")


def tidy_markdown(text: str) -> str:
    """Markdown as linters and readers expect it, whatever the template wrote: one blank line
    between blocks, an empty table cell as `| |`, one newline at the end. Lines inside fenced
    code are kept as written."""
    lines, fenced = [], False
    for line in re.sub(r"\n{3,}", "\n\n", text).strip().split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.startswith("|"):
            line = _EMPTY_CELL.sub(" ", line)
        lines.append(line)
    return "\n".join(lines) + "\n"
