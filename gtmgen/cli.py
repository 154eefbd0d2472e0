"""The `gtmgen` command: parse arguments, call the stages, print diagnostics, set the exit code.

Exit codes: 0 ok, 1 invalid input, 2 wrong usage, 3 output could not be written,
70 internal error.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gtmgen import __version__
from gtmgen.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    GtmgenError,
)

if TYPE_CHECKING:
    from gtmgen.validate import Validation

LAST_EPOCH = 7_258_118_399  # 2199-12-31 23:59:59 UTC, the last moment a playbook may name


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _summary(validation: Validation) -> str:
    from gtmgen.diagnostics import Severity

    errors = sum(d.severity == Severity.ERROR for d in validation.diagnostics)
    warnings = len(validation.diagnostics) - errors
    book = validation.playbook
    if errors or book is None:
        return (f"{validation.file}: invalid: {_plural(errors, 'error')}, "
                f"{_plural(warnings, 'warning')}")
    counts = [_plural(len(book.segments), "segment"), _plural(len(book.personas), "persona"),
              _plural(len(book.channels), "channel"),
              _plural(len(book.messages.phases), "phase"), _plural(len(book.roles), "role"),
              _plural(warnings, "warning")]
    return f"{validation.file}: valid: {', '.join(counts)}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gtmgen", message="%(prog)s %(version)s")
def cli() -> None:
    """Turn a YAML go-to-market playbook into launch calendars, hiring plans and strategy
    documents."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--error-format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True,
              help="text: FILE:LINE:COL lines on stderr; json: one list on stdout; "
                   "github: workflow annotations on stdout.")
def validate(paths: tuple[str, ...], strict: bool, error_format: str) -> None:
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
    from gtmgen.validate import validate_path

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
                               repo_theme=_shown(repo.theme) if repo and repo.theme else None)
        if strict:
            result.diagnostics = [d.as_error() for d in result.diagnostics]
        invalid |= result.playbook is None or has_errors(result.diagnostics)
        everything += result.diagnostics
        if error_format == "text":
            click.echo(FORMATTERS["text"](result.diagnostics), nl=False, err=True)
        click.echo(_summary(result), err=error_format == "json")
    if error_format != "text":
        click.echo(FORMATTERS[error_format](everything), nl=False)
    sys.exit(EXIT_INVALID if invalid else EXIT_OK)


def _shown(path: Path) -> Path:
    """A path as messages show it: relative to the current folder."""
    return Path(os.path.relpath(path))


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    from gtmgen.diagnostics import excerpt
    from gtmgen.render import FORMATS

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
@click.argument("playbook", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--out", "out", type=click.Path(file_okay=False),
              help="Output folder. Default: build/NAME/ beside the playbook, where NAME is the "
                   "playbook's file name without .yaml (playbooks/crumb/playbook.yaml → "
                   "playbooks/crumb/build/playbook/), so every playbook has its own folder.")
@click.option("--format", "formats", default="md", show_default=True, callback=_formats,
              help="Outputs, comma-separated: md, docx, html (one file per document), json "
                   "(plan.json), csv (launch-calendar.csv), ics (launch-calendar.ics), pdf (one "
                   "per document; needs the pdf extra), pptx (the slide deck).")
@click.option("--doc", "documents", multiple=True, callback=_documents,
              help="Documents to build (repeat or comma-separate): playbook, launch-calendar, "
                   "roles, hiring-plan, or one of your own templates. Default: all.")
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
def build(playbook: str, out: str | None, formats: tuple[str, ...],
          documents: tuple[str, ...] | None, templates: str | None, docx_template: str | None,
          pptx_template: str | None, theme: str | None, no_charts: bool,
          csv_dialect: str | None, strict: bool) -> None:
    """Validate PLAYBOOK and write its deliverables: the strategy documents and the plan's data.

    Nothing is written when the playbook is invalid (exit 1). Files are replaced atomically,
    and only when their content changed.
    """
    from gtmgen.build import Options
    from gtmgen.build import build as run_build
    from gtmgen.diagnostics import FORMATTERS

    if docx_template and (problem := _template_problem(Path(docx_template), "docx")):
        raise click.BadParameter(f"'{docx_template}' {problem}", param_hint="--docx-template")
    if pptx_template and (problem := _template_problem(Path(pptx_template), "pptx")):
        raise click.BadParameter(f"'{pptx_template}' {problem}", param_hint="--pptx-template")
    options = Options(formats, documents, Path(templates) if templates else None,
                      Path(docx_template) if docx_template else None, strict,
                      _source_date_epoch(), not no_charts,
                      Path(pptx_template) if pptx_template else None,
                      Path(theme) if theme else None, csv_dialect)
    result = run_build(Path(playbook), Path(out) if out else None, options, file=playbook)
    click.echo(FORMATTERS["text"](result.diagnostics), nl=False, err=True)
    if not result.validation.ok:
        click.echo(_summary(result.validation), err=True)
        sys.exit(EXIT_INVALID)
    done = [(path, "wrote") for path in result.report.written]
    done += [(path, "unchanged") for path in result.report.unchanged]
    for path, what in sorted(done):
        click.echo(f"{what} {path}")


def _template_problem(path: Path, kind: str) -> str | None:
    from gtmgen.wordtemplate import slide_template_problem, word_template_problem

    return (word_template_problem if kind == "docx" else slide_template_problem)(path)


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--locale", default="en", show_default=True,
              help="Language of the documents (see `gtmgen locales`); with --repo, the "
                   "repository's default language, country and currency.")
@click.option("--repo", is_flag=True,
              help="Set FOLDER up as a repository of playbooks instead: a commented "
                   "gtmgen.toml, and its output folder in .gitignore.")
def init(folder: str, locale: str, repo: bool) -> None:
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
    report = run_init(Path(folder), locale)
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
