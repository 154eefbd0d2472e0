"""The `gtmgen` command: parse arguments, call the stages, print diagnostics, set the exit code.

Exit codes: 0 ok, 1 invalid input, 2 wrong usage, 3 output could not be written,
70 internal error. `gtmgen diff` ends as the `diff` program does: 0 when the plans are equal,
1 when they differ, 2 on trouble (a side that cannot be read, a bad revision, no git
repository, an invalid playbook on either side).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

from gtmgen import __version__
from gtmgen.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    GtmgenError,
)

LAST_EPOCH = 7_258_118_399  # 2199-12-31 23:59:59 UTC, the last moment a playbook may name


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gtmgen", message="%(prog)s %(version)s")
def cli() -> None:
    """Turn a YAML go-to-market playbook into launch calendars, hiring plans and strategy
    documents."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--final", is_flag=True,
              help="Also require an approval of client.version, as build --final does.")
@click.option("--error-format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True,
              help="text: FILE:LINE:COL lines on stderr; json: one list on stdout; "
                   "github: workflow annotations on stdout.")
def validate(paths: tuple[str, ...], strict: bool, final: bool, error_format: str) -> None:
    """Check playbooks and report every problem with its line and column.

    PATHS are playbook files (any name) and folders to search for playbooks; without any,
    the playbooks of the repository (gtmgen.toml's `playbooks`), else those under the current
    folder. Exits 0 when every playbook is valid, 1 when any is not (or gtmgen.toml has a
    problem), 2 when none is found.
    """
    from gtmgen.config import ConfigProblem, find_config
    from gtmgen.diagnostics import FORMATTERS, has_errors
    from gtmgen.discover import discover
    from gtmgen.errors import UsageError
    from gtmgen.validate import require_approval, summary, validate_path

    cwd = Path.cwd()
    try:
        config = find_config(cwd)
    except ConfigProblem as problem:
        if error_format == "text":
            click.echo(FORMATTERS["text"](problem.diagnostics), nl=False, err=True)
        click.echo(str(problem), err=True)
        if error_format != "text":
            click.echo(FORMATTERS[error_format](problem.diagnostics), nl=False)
        sys.exit(EXIT_INVALID)
    playbooks = discover([Path(name) for name in paths], config, cwd)
    typed = {Path(name): name for name in paths}  # a file given is named as it was typed
    if not playbooks:
        where = ", ".join(paths) or (str(config.root) if config else "this folder")
        raise UsageError(f"no playbook found in {where}: a playbook is a file named "
                         "playbook.yaml (or matching gtmgen.toml's `playbooks`) or a YAML file "
                         "with a top-level `gtmgen:` key")
    everything, invalid = [], False
    for path in playbooks:
        repo = config if config is not None and config.covers(path) else None
        result = validate_path(path, typed.get(path, str(path)),
                               defaults=repo.defaults if repo else None,
                               repo_theme=Path(os.path.relpath(repo.theme)) if repo and repo.theme
                               else None)
        if strict:
            result.diagnostics = [d.as_error() for d in result.diagnostics]
        if final:
            require_approval(result)
        invalid |= result.playbook is None or has_errors(result.diagnostics)
        everything += result.diagnostics
        if error_format == "text":
            click.echo(FORMATTERS["text"](result.diagnostics), nl=False, err=True)
        click.echo(summary(result), err=error_format == "json")
    if error_format != "text":
        click.echo(FORMATTERS[error_format](everything), nl=False)
    sys.exit(EXIT_INVALID if invalid else EXIT_OK)


def _formats(_ctx: click.Context, _param: click.Parameter,
             value: str | None) -> tuple[str, ...] | None:
    from gtmgen.diagnostics import excerpt
    from gtmgen.render import FORMATS

    if value is None:
        return None

    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"unknown format '{excerpt(', '.join(unknown) or value)}'; "
                                 "choose from "
                                 f"{', '.join(FORMATS)} (several with commas: json,csv)")
    return chosen


def _source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    if not re.fullmatch(r"[0-9]{1,11}", value) or int(value) > LAST_EPOCH:
        raise click.UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds up to "
                               f"{LAST_EPOCH} (the end of 2199), not '{value[:30]}'")
    return int(value)


def _documents(_ctx: click.Context, _param: click.Parameter,
               value: tuple[str, ...]) -> tuple[str, ...] | None:
    names = tuple(part.strip() for item in value for part in item.split(",") if part.strip())
    return names or None


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Output folder. One playbook: its files go there. Several: the root under "
                   "which each gets FOLDER/NAME/ (see docs/repositories.md). Default: build/NAME/ "
                   "beside a playbook, where NAME is the file name without .yaml "
                   "(playbooks/crumb/playbook.yaml → playbooks/crumb/build/playbook/); in a "
                   "repository with gtmgen.toml, under its output root.")
@click.option("--format", "formats", default=None, callback=_formats,
              help="Outputs, comma-separated: md, docx, html (one file per document), json "
                   "(plan.json), csv (launch-calendar.csv), ics (launch-calendar.ics), pdf (one "
                   "per document; needs the pdf extra), pptx (the slide deck). Default: md, or "
                   "gtmgen.toml's formats.")
@click.option("--doc", "documents", multiple=True, callback=_documents,
              help="Documents to build (repeat or comma-separate): playbook, launch-calendar, "
                   "roles, hiring-plan, or one of your own templates; board: the board slide "
                   "deck (with --format pptx). Default: all.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False),
              help="Folder of template overrides. Default: templates/ beside the playbook.")
@click.option("--docx-template", type=click.Path(exists=True, dir_okay=False),
              help="A .docx whose styles, headers and page setup the Word documents use "
                   "(overrides client.docx_template).")
@click.option("--pptx-template", type=click.Path(exists=True, dir_okay=False),
              help="A .pptx whose masters and layouts the slide deck uses "
                   "(overrides client.pptx_template).")
@click.option("--theme", type=click.Path(exists=True, dir_okay=False),
              help="A theme file (fonts, colours, logo, header, footer, paper). Default: "
                   "theme.yaml beside the playbook, if there is one.")
@click.option("--no-charts", is_flag=True,
              help="Leave the charts out of the Word and HTML documents.")
@click.option("--csv-dialect", type=click.Choice(["comma", "semicolon"]),
              help="The CSV's delimiter. Default: as a spreadsheet in the client's locale "
                   "expects (semicolon where decimals are written with a comma).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256),
              help="Playbooks built at once, each in its own process. Default: the number of "
                   "processors (or gtmgen.toml's jobs).")
@click.option("--force", is_flag=True,
              help="Build every playbook, even those whose outputs are up to date.")
@click.option("--final", is_flag=True,
              help="Build only a signed playbook: one whose client.version an entry of "
                   "approvals names; any other is refused (exit 1) and writes nothing.")
@click.option("--locale", "locale", type=click.Choice(["en", "nl", "vi", "zh", "ru", "ky"]),
              help="With client.locales: build this locale only (default: every locale, each "
                   "in its own folder OUT/LOCALE/).")
@click.option("--results", type=click.Path(exists=True, dir_okay=False),
              help="A results file (docs/results.md) for plan.json's review and the "
                   "calendar's done and missed marks. Default: results.csv, results.yaml or "
                   "results.yml beside each playbook, if there is one.")
def build(paths: tuple[str, ...], out: str | None, formats: tuple[str, ...] | None,
          documents: tuple[str, ...] | None, templates: str | None, docx_template: str | None,
          pptx_template: str | None, theme: str | None, no_charts: bool,
          csv_dialect: str | None, strict: bool, jobs: int | None, force: bool,
          final: bool, locale: str | None, results: str | None) -> None:
    """Validate playbooks and write their deliverables: the strategy documents and the plan's
    data. PATHS are playbook files or folders to search; none means the playbooks gtmgen.toml
    names, or those under the current folder.

    An invalid playbook writes nothing (exit 1); the others still build, and the exit code is
    the worst. Files are replaced atomically, and a playbook whose inputs did not change since
    its last build is skipped.
    """
    from gtmgen.batch import choose, run, worst, write_index
    from gtmgen.build import Options, Repository
    from gtmgen.console import Progress, show, shown, tally

    if docx_template and (problem := _template_problem(Path(docx_template), "docx")):
        raise click.BadParameter(f"'{docx_template}' {problem}", param_hint="--docx-template")
    if pptx_template and (problem := _template_problem(Path(pptx_template), "pptx")):
        raise click.BadParameter(f"'{pptx_template}' {problem}", param_hint="--pptx-template")
    config, selection = choose([Path(path) for path in paths], Path.cwd())
    repository = None if config is None else Repository(
        config.root, tuple(sorted(config.defaults.items())), config.theme, config.templates)
    options = Options(formats or (config.formats if config and config.formats else ("md",)),
                      documents, Path(templates) if templates else None,
                      Path(docx_template) if docx_template else None, strict,
                      _source_date_epoch(), not no_charts,
                      Path(pptx_template) if pptx_template else None,
                      Path(theme) if theme else None, csv_dialect, repository, final=final,
                      results=Path(results) if results else None, locale=locale)
    out_path = Path(out) if out else None
    planned = selection.jobs(out_path)
    workers = jobs or (config.jobs if config and config.jobs else os.cpu_count() or 1)
    progress = Progress(len(planned))
    outcomes = []
    try:
        for outcome in run(planned, options, workers=workers, force=force):
            outcomes.append(outcome)
            progress.step(outcome.job.file)
            show(outcome, progress, single=selection.single)
    finally:
        progress.finish()
    index_root = selection.index_root(out_path)
    if index_root is not None:
        locale = (config.defaults.get("locale") if config else None) or "en"
        index = write_index(index_root, selection.base, outcomes, locale,
                            options.templates or (config.templates if config else None))
        if index is not None:
            click.echo(f"wrote {shown(index)}")
    if not selection.single:
        click.echo(tally(outcomes))
    sys.exit(worst(outcomes))


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Output folder, as for build (default: build/NAME/ beside a playbook, or "
                   "the repository's output root).")
@click.option("--format", "formats", default=None, callback=_formats,
              help="Outputs built on every change, comma-separated, as for build. Default: "
                   "md, docx and html.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False),
              help="Folder of template overrides. Default: templates/ beside the playbook.")
@click.option("--theme", type=click.Path(exists=True, dir_okay=False),
              help="A theme file. Default: theme.yaml beside the playbook, if there is one.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is this computer only. 0.0.0.0 lets "
                   "others on the network see the documents.")
@click.option("--port", type=click.IntRange(0, 65535),
              help="Port to listen on. Default: 8765, or a free one when 8765 is taken.")
def serve(paths: tuple[str, ...], out: str | None, formats: tuple[str, ...] | None,
          templates: str | None, theme: str | None, host: str, port: int | None) -> None:
    """Show the playbooks' documents in the browser, rebuilt as you edit. PATHS are
    playbooks or folders, as for build; each is built, then served at a local address with
    an index of the playbooks and every document's HTML, with the other formats to download.
    A change to a playbook, a file it includes, its templates or theme rebuilds it, and open
    pages reload by themselves; an invalid playbook keeps its last good pages and shows its
    problems over them. Ctrl-C stops (exit 130).
    """
    from gtmgen.batch import choose
    from gtmgen.build import Options, Repository
    from gtmgen.serve import DEFAULT_PORT, Site, need_watchfiles
    from gtmgen.serve import serve as run_server

    need_watchfiles()
    config, selection = choose([Path(path) for path in paths], Path.cwd())
    repository = None if config is None else Repository(
        config.root, tuple(sorted(config.defaults.items())), config.theme, config.templates)
    options = Options(formats or ("md", "docx", "html"), None,
                      Path(templates) if templates else None, None, False,
                      _source_date_epoch(), True, None, Path(theme) if theme else None,
                      None, repository)
    out_path = Path(out) if out else None
    jobs = selection.jobs(out_path)
    root = jobs[0].out if selection.single else (selection.index_root(out_path)
                                                  or selection.out_root)
    site = Site(jobs, options, root, selection.base,
                options.templates or (config.templates if config else None))
    run_server(site, host, DEFAULT_PORT if port is None else port, port is not None,
               lambda line: click.echo(line))


def _template_problem(path: Path, kind: str) -> str | None:
    from gtmgen.wordtemplate import slide_template_problem, word_template_problem

    return (word_template_problem if kind == "docx" else slide_template_problem)(path)


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> object:
    import datetime as dt

    if value is None:
        return None
    from gtmgen.types import FIRST_YEAR, LAST_YEAR

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if FIRST_YEAR <= day.year <= LAST_YEAR:
                return day
            raise click.BadParameter(f"'{value}' is outside the years gtmgen plans for "
                                     f"({FIRST_YEAR} to {LAST_YEAR})", param_hint="--as-of")
    raise click.BadParameter(f"'{value[:30]}' is not a date; write it as YYYY-MM-DD "
                             "(2027-06-01)", param_hint="--as-of")


@cli.command()
@click.argument("playbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--results", type=click.Path(exists=True, dir_okay=False),
              help="The results file (CSV or YAML, see docs/results.md). Default: results.csv, "
                   "results.yaml or results.yml beside the playbook.")
@click.option("--as-of", "as_of", callback=_day,
              help="The day to review at, YYYY-MM-DD: only results up to it count, and the "
                   "operating review due by then is reviewed. Default: the last day the "
                   "results cover.")
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Output folder. Default: the build's, build/NAME/ beside the playbook.")
@click.option("--format", "formats", default=None, callback=_formats,
              help="Comma-separated: md, docx, html, pdf (needs the pdf extra). Default: "
                   "md, docx and html, and pdf when the pdf extra is installed.")
@click.option("--templates", type=click.Path(exists=True, file_okay=False),
              help="Folder of template overrides (review/review.md.j2 and the partials). "
                   "Default: templates/ beside the playbook.")
@click.option("--theme", type=click.Path(exists=True, dir_okay=False),
              help="A theme file. Default: theme.yaml beside the playbook, if there is one.")
@click.option("--no-charts", is_flag=True, help="Leave the spend chart out.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--locale", "locale", type=click.Choice(["en", "nl", "vi", "zh", "ru", "ky"]),
              help="With client.locales: review in this locale only (default: each, in its "
                   "own folder).")
def review(playbook: str, results: str | None, as_of: object, out: str | None,
           formats: tuple[str, ...] | None, templates: str | None, theme: str | None,
           no_charts: bool, strict: bool, locale: str | None) -> None:
    """Review what happened against the plan: which value proposition resonated (keep,
    iterate or drop), the operating review due, spend, leads and customers against the plan,
    the hires made, and what the numbers recommend. Writes review-<as-of>.md (and .docx,
    .html) beside the build's outputs. Exits 1 when the playbook or the results have an
    error, and writes nothing then."""
    import importlib.util

    from gtmgen.build import Options
    from gtmgen.diagnostics import format_text
    from gtmgen.review import review as run_review

    if formats is None:
        formats = ("md", "docx", "html") + (
            ("pdf",) if importlib.util.find_spec("weasyprint") is not None else ())
    options = Options(formats, None, Path(templates) if templates else None, None, strict,
                      _source_date_epoch(), not no_charts, None,
                      Path(theme) if theme else None, locale=locale)
    done = run_review(Path(playbook), Path(out) if out else None, options,
                      results=Path(results) if results else None,
                      as_of=as_of, file=playbook)  # type: ignore[arg-type]
    if done.diagnostics:
        click.echo(format_text(done.diagnostics), nl=False, err=True)
    if done.review is None:
        sys.exit(EXIT_INVALID)
    for path in sorted(done.report.written + done.report.unchanged):
        click.echo(f"{'wrote' if path in done.report.written else 'unchanged'} {path}")


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--locale", default="en", show_default=True,
              help="Language of the documents (see `gtmgen locales`); with --repo, the "
                   "repository's default language, country and currency.")
@click.option("--locales", metavar="LIST",
              help="A playbook in several languages, the primary first (nl,en): "
                   "client.locales, and the main texts as mappings of locale to text.")
@click.option("--repo", is_flag=True,
              help="Set FOLDER up as a repository of playbooks instead: a commented "
                   "gtmgen.toml, and its output folder in .gitignore.")
def init(folder: str, locale: str, locales: str | None, repo: bool) -> None:
    """Start a playbook in FOLDER: a commented playbook.yaml, templates/ with a guide to
    overriding, and a .gitignore. With --repo, start a repository of playbooks: a commented
    gtmgen.toml. Existing files are never overwritten."""
    from click.core import ParameterSource

    from gtmgen.init import init as run_init
    from gtmgen.init import init_repo
    from gtmgen.types import SUPPORTED_LOCALES

    if locale not in SUPPORTED_LOCALES:
        raise click.BadParameter(f"'{locale[:30]}' is not supported; choose from "
                                 f"{', '.join(SUPPORTED_LOCALES)}", param_hint="--locale")
    if repo:
        given = click.get_current_context().get_parameter_source("locale")
        done = init_repo(Path(folder), locale if given is ParameterSource.COMMANDLINE else None)
        for what, path in done.done:
            click.echo(f"{what} {path}")
        click.echo(f"next: gtmgen init {Path(folder) / 'NAME'} to start a playbook, then "
                   "gtmgen validate")
        return
    languages = tuple(x.strip() for x in locales.split(",")) if locales else ()
    report = run_init(Path(folder), locale, languages)
    for path in report.written:
        click.echo(f"wrote {path}")
    playbook = Path(folder) / "playbook.yaml"
    click.echo(f"next: gtmgen validate {playbook} && gtmgen build {playbook}")


@cli.command()
def locales() -> None:
    """List the languages the documents can be written in (client.locale)."""
    from babel import Locale

    from gtmgen.types import SUPPORTED_LOCALES

    for code in SUPPORTED_LOCALES:
        locale = Locale.parse(code)
        click.echo(f"{code}\t{locale.get_display_name('en')}\t{locale.get_display_name()}")


@cli.command()
@click.option("--markdown", is_flag=True, help="Print the format reference as Markdown.")
@click.option("--plan", "plan", is_flag=True,
              help="The schema of plan.json (the build's data output) instead of the playbook's.")
def schema(markdown: bool, plan: bool) -> None:
    """Print the JSON Schema of playbook format 1 (for editors' YAML support), or with --plan
    the JSON Schema of plan.json."""
    import json

    if plan:
        from gtmgen.planschema import plan_schema, plan_schema_markdown

        if markdown:
            click.echo(plan_schema_markdown(), nl=False)
        else:
            click.echo(json.dumps(plan_schema(), indent=2, ensure_ascii=False))
        return
    if markdown:
        from gtmgen.reference import reference_markdown

        click.echo(reference_markdown(), nl=False)
        return
    from gtmgen.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False))


@cli.command()
@click.argument("sides", nargs=-1, metavar="OLD NEW")
@click.option("--git", "base", metavar="BASE",
              help="Compare every playbook changed since the revision BASE (the work tree "
                   "against BASE, new untracked playbooks included) instead of OLD and NEW.")
@click.option("--format", "form", type=click.Choice(["text", "md", "json"]), default="text",
              show_default=True,
              help="text for a terminal, md for a pull-request comment, json for programs.")
def diff(sides: tuple[str, ...], base: str | None, form: str) -> None:
    """Show what a change to a playbook does to its plan: phases re-dated, calendar events
    moved, added or dropped, hires, budget and funnel figures, new warnings.

    OLD and NEW are playbook files or REV:PATH, a file as a git revision has it, with PATH
    relative to the current folder (HEAD~1:playbook.yaml). Exits 0 when the plans are equal,
    1 when they differ, 2 when a side cannot be read or is not a valid playbook.
    """
    from gtmgen.diagnostics import FORMATTERS
    from gtmgen.difference import InvalidSide, diff_changed, diff_sides
    from gtmgen.errors import EXIT_USAGE, ComparisonError
    from gtmgen.render.diffreport import render_report

    if base is not None and sides:
        raise click.UsageError("give either OLD and NEW or --git BASE, not both")
    if base is None and len(sides) != 2:
        raise click.UsageError("give two playbooks to compare, OLD and NEW (or --git BASE)")
    try:
        entries = diff_changed(base) if base is not None else [diff_sides(*sides)]
        report = render_report(entries, form)
    except InvalidSide as problem:
        click.echo(FORMATTERS["text"](problem.diagnostics), nl=False, err=True)
        raise
    except GtmgenError as problem:
        if problem.exit_code == EXIT_USAGE:
            raise
        # Exit 1 means "the plans differ" here: any other trouble ends with 2.
        raise ComparisonError(str(problem)) from None
    if base is not None and not entries and form != "json":
        click.echo(f"no playbook changed since {base}")
        sys.exit(EXIT_OK)
    click.echo(report, nl=False)
    sys.exit(EXIT_OK if all(entry.status == "equal" for entry in entries) else EXIT_INVALID)


@cli.group()
def translations() -> None:
    """Hand a playbook's texts to a translator (XLIFF 2.0 or CSV) and take the translations
    back into it (see docs/translations.md)."""


@translations.command("export")
@click.argument("playbook", type=click.Path())
@click.option("--locale", required=True, help="The locale to translate into: one of "
                                              "client.locales other than the first.")
@click.option("--all", "every", is_flag=True,
              help="Every text, with its translation where it has one (default: only the "
                   "texts that lack one).")
@click.option("--format", "form", type=click.Choice(["xliff", "csv"]), default="xliff",
              show_default=True, help="XLIFF 2.0 for translation tools, CSV for a spreadsheet.")
@click.option("--out", type=click.Path(), help="The file to write [default: PLAYBOOK-STEM."
                                               "LOCALE.xlf (or .csv) beside the playbook].")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def translations_export(playbook: str, locale: str, every: bool, form: str, out: str | None,
                        force: bool) -> None:
    """Write the texts of PLAYBOOK that LOCALE lacks for a translator. Exits 0 (also when
    nothing lacks a translation: then no file is written), 1 when the playbook is invalid,
    2 on wrong usage, 3 when the file cannot be written."""
    from gtmgen.translate import export_name, export_translations
    from gtmgen.write import WriteError, create_files, replace_file

    source = Path(playbook)
    target = Path(out) if out else export_name(source, locale, form)
    data = export_translations(source, locale, target, every=every, form=form)
    if data is None:
        click.echo(f"nothing to translate: every text of {playbook} has its {locale} text "
                   "(--all exports them all)")
        return
    if target.exists() or target.is_symlink():
        if not force:
            raise WriteError(f"not overwriting {target}; add --force to replace it")
        replace_file(target, data)
    else:
        create_files(target.parent, {target.name: data})
    click.echo(f"wrote {target}")


@translations.command("import")
@click.argument("file", type=click.Path())
@click.argument("playbook", type=click.Path(), required=False)
def translations_import(file: str, playbook: str | None) -> None:
    """Write the translations in FILE (an export a translator filled in) into PLAYBOOK as
    locale mappings, changing nothing else in it. Without PLAYBOOK: the XLIFF's <file
    original>, or for NAME.LOCALE.csv the playbook NAME.yaml beside it. Exits 1, writing
    nothing, when any unit is unknown or its source text changed since the export."""
    from gtmgen.translate import import_translations

    count, target = import_translations(Path(file), Path(playbook) if playbook else None)
    if count == 0:
        click.echo(f"nothing to import into {target}: it already holds every translation of "
                   f"{file}")
        return
    click.echo(f"imported {count} translation{'' if count == 1 else 's'} into {target}")


def main() -> None:
    """Entry point: run the CLI; an unexpected failure is one line and exit 70, never a trace."""
    try:
        cli.main(prog_name="gtmgen", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("gtmgen: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as problem:
        problem.show()
        sys.exit(problem.exit_code)
    except GtmgenError as problem:  # every problem gtmgen knows how to explain
        from gtmgen.diagnostics import format_text

        located = getattr(problem, "diagnostics", None)  # like ConfigProblem's, FILE:LINE:COL
        if located:
            click.echo(format_text(located), nl=False, err=True)
        click.echo(f"gtmgen: {problem}", err=True)
        sys.exit(problem.exit_code)
    except Exception as problem:  # noqa: BLE001 - the one place that turns a bug into a line
        click.echo(f"gtmgen: internal error ({type(problem).__name__}: {problem}); "
                   "please report this with the playbook that caused it", err=True)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
