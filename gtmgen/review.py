"""`gtmgen review`: validate the playbook, read its results, review them at one day, render
the review document and write it beside the build's outputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gtmgen.build import BuildResult, Options, locale_books, user_templates, validated
from gtmgen.errors import UsageError

if TYPE_CHECKING:
    from gtmgen.diagnostics import Diagnostic
    from gtmgen.model import Playbook
    from gtmgen.plan import Plan
    from gtmgen.plan.review import Review

REVIEW_FORMATS = ("md", "docx", "html", "pdf")


@dataclass(frozen=True)
class Actuals:
    """What `gtmgen build` takes from a results file: the review at the last day the results
    cover, and the calendar events they mark done or missed."""

    review: Review
    status: dict[str, str]
    file: Path


def read_actuals(path: Path, book: Playbook, plan: Plan) -> tuple[Actuals | None,
                                                                   list[Diagnostic]]:
    """The results file read against a valid playbook: Actuals, or None and its problems."""
    from gtmgen.diagnostics import has_errors
    from gtmgen.plan.review import build_review, default_as_of, event_status
    from gtmgen.results import read_results

    read, problems = read_results(path, book, plan)
    if read is None or has_errors(problems):
        return None, problems
    hires = {role: day for role, (day, _line) in read.hires.items()}
    day = default_as_of(read.rows, hires) or book.launch.date
    return Actuals(build_review(book, plan, read.rows, hires, day),
                   event_status(plan, read.rows, hires, day), path), problems


@dataclass
class ReviewResult(BuildResult):
    """A build's result, with the review made (None when nothing was written)."""

    review: Review | None = None
    results: Path | None = None  # the results file read
    notes: list[str] = field(default_factory=list)


def review(playbook: Path, out: Path | None = None, options: Options | None = None, *,
           results: Path | None = None, as_of: dt.date | None = None,
           file: str | None = None) -> ReviewResult:
    """Review the results of a playbook at `as_of` (default: the last day they cover) and
    write review-<as-of>.<format> for each of `options.formats`. Writes nothing when the
    playbook or the results file has an error."""
    from gtmgen.diagnostics import has_errors, sort_diagnostics
    from gtmgen.plan import build_plan
    from gtmgen.plan.review import build_review, default_as_of, in_words_of
    from gtmgen.render import RenderContext, build_stamp, render
    from gtmgen.results import find_results, read_results
    from gtmgen.write import write_outputs

    options = options or Options(formats=("md", "docx", "html"))
    wrong = [f for f in options.formats if f not in REVIEW_FORMATS]
    if wrong:
        raise UsageError(f"a review is a document: --format takes {', '.join(REVIEW_FORMATS)}, "
                         f"not {', '.join(wrong)}")
    out, validation = validated(playbook, out, options, file)
    result = ReviewResult(validation, out)
    if not validation.ok or validation.playbook is None:
        return result
    book = validation.playbook
    path = find_results(playbook, results)
    if path is None:
        raise UsageError(f"no results for {file or playbook}: put results.csv (or results.yaml) "
                         "beside the playbook, or name the file with --results")
    plan = build_plan(book)
    read, problems = read_results(path, book, plan)
    result.results = path
    if problems:
        validation.diagnostics = sort_diagnostics([*validation.diagnostics, *problems])
    if read is None or has_errors(validation.diagnostics):
        return result
    hires = {role: day for role, (day, _line) in read.hires.items()}
    day = as_of or default_as_of(read.rows, hires) or book.launch.date
    files: dict[str, bytes] = {}
    # The figures once, in the primary locale; each locale names them in its own words.
    figured = build_review(book, plan, read.rows, hires, day)
    for locale, each in locale_books(validation, options.locale).items():  # a folder per locale
        each_plan = plan if each is book else build_plan(each)
        made = figured if each is book else in_words_of(figured, each)
        context = RenderContext(each, each_plan, build_stamp(each, options.source_date_epoch),
                                user_templates(playbook, options), None, options.docx_template,
                                options.charts,
                                theme=validation.themes.get(locale or "", validation.theme),
                                review=made)
        prefix = f"{locale}/" if locale is not None else ""
        files.update({prefix + name: data for name, data in
                      render(context, list(dict.fromkeys(options.formats))).items()})
        result.review = result.review or made
    result.report = write_outputs(out, files)
    return result
