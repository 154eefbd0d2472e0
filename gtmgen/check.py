"""Rules that span the model: ids, references, the message sequence, cadence, reporting lines,
and the warnings a consultant wants to see before the client does."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from gtmgen.checkowners import check_handover, check_owners
from gtmgen.checkplan import check_plan, check_size
from gtmgen.checkpositioning import check_positioning
from gtmgen.checkscenarios import check_scenario_plans, check_scenarios
from gtmgen.diagnostics import Diagnostic, Severity, path_text
from gtmgen.load import Loaded, Path_
from gtmgen.model import Playbook, decided, needed_by_target
from gtmgen.numbers import MONEY_METRICS, Kind, decimal_dot_doubt, is_fraction, metric_kind
from gtmgen.plan.phases import phase_spans
from gtmgen.plan.workdays import work_calendar
from gtmgen.targets import TBD
from gtmgen.types import DATE_PATTERN, FIRST_YEAR, LAST_YEAR, Cadence, describe, excerpt

HEALTHY_LTV_CAC = 3.0
LISTED = 20  # ids named in one message at most
_LISTED = 12  # undecided targets named in the warning; the rest are counted
_SECTIONS: dict[str, Path_] = {
    "segment": ("segments",), "ICP": ("icps",), "persona": ("personas",),
    "partner": ("partners",), "channel": ("channels",), "phase": ("messages", "phases"),
    "role": ("roles",), "competitor": ("competitors",),
}
_WEEKDAYS_FOR = {Cadence.WEEKLY: 1, Cadence.BIWEEKLY: 1, Cadence.TWICE_WEEKLY: 2}


class _Report:
    """Collects diagnostics for one file, placing each at the YAML position of a path."""

    def __init__(self, loaded: Loaded, file: str) -> None:
        self.loaded, self.file = loaded, file
        self.found: list[Diagnostic] = []

    def file_of(self, path: Path_) -> str:
        """The name of the file the value at `path` was written in (the playbook, or a file it
        includes)."""
        return self.loaded.file_of(path) or self.file

    def first_at(self, first: Path_, here: Path_) -> str:
        """Where the value at `first` is, for a message about the one at `here`: its line, and
        its file too when that is not the file of `here`."""
        line = self.loaded.position(first)[0]
        file = self.file_of(first)
        return f"line {line}" if file == self.file_of(here) else f"{file}:{line}"

    def order(self, path: Path_) -> tuple[bool, str, int, int]:
        """A key that puts values in reading order: the playbook's own, then each included
        file's, each by line and column."""
        file = self.file_of(path)
        return (file != self.file, file, *self.loaded.position(path))

    def add(self, severity: Severity, path: Path_, message: str, *, at_key: bool = False) -> None:
        line, column = (self.loaded.key_position(path) if at_key
                        else self.loaded.position(path))
        self.found.append(Diagnostic(self.file_of(path), line, column, severity, message,
                                     path_text(path)))

    def error(self, path: Path_, message: str, **kw: Any) -> None:
        self.add(Severity.ERROR, path, message, **kw)

    def warning(self, path: Path_, message: str, **kw: Any) -> None:
        self.add(Severity.WARNING, path, message, **kw)


def _ids(items: Sequence[Any]) -> list[str]:
    return [item.id for item in items]


def _sections(playbook: Playbook) -> dict[str, Sequence[Any]]:
    return {"segment": playbook.segments, "ICP": playbook.icps, "persona": playbook.personas,
            "partner": playbook.partners, "channel": playbook.channels,
            "phase": playbook.messages.phases, "role": playbook.roles,
            "competitor": playbook.competitors}


def _check_unique_ids(playbook: Playbook, report: _Report) -> None:
    for noun, items in _sections(playbook).items():
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            path = (*_SECTIONS[noun], index, "id")
            if item.id in first:
                where = report.first_at((*_SECTIONS[noun], first[item.id], "id"), path)
                report.error(path, f"duplicate {noun} id '{item.id}' (first at {where}); "
                                   "ids must be unique")
            else:
                first[item.id] = index


def _unknown_ref(noun: str, ref: str, known: list[str]) -> str:
    plural = f"{noun}s"
    close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    names = sorted(set(known))
    shown = ", ".join(names[:LISTED]) + (f" and {len(names) - LISTED} more"
                                         if len(names) > LISTED else "")
    listing = f"known {plural}: {shown}" if known else f"no {plural} are defined"
    return f"unknown {noun} '{ref}'{hint} ({listing})"


def _references(playbook: Playbook) -> Iterable[tuple[str, Path_, str]]:
    """Every (noun, path, id) reference in the playbook."""
    for i, icp in enumerate(playbook.icps):
        yield "segment", ("icps", i, "segment"), icp.segment
    for i, persona in enumerate(playbook.personas):
        yield from (("ICP", ("personas", i, "icps", j), ref) for j, ref in enumerate(persona.icps))
        yield from (("channel", ("personas", i, "channels", j), ref)
                    for j, ref in enumerate(persona.channels))
    for i, partner in enumerate(playbook.partners):
        if partner.owner:
            yield "role", ("partners", i, "owner"), partner.owner
        yield from (("phase", ("partners", i, "moments", j, "phase"), moment.phase)
                    for j, moment in enumerate(partner.moments))
    for i, channel in enumerate(playbook.channels):
        if channel.owner:
            yield "role", ("channels", i, "owner"), channel.owner
    for i, phase in enumerate(playbook.messages.phases):
        base = ("messages", "phases", i)
        yield from (("persona", (*base, "personas", j), ref) for j, ref in enumerate(phase.personas))
        yield from (("channel", (*base, "channels", j), ref) for j, ref in enumerate(phase.channels))
    if playbook.launch.review_owner:
        yield "role", ("launch", "review_owner"), playbook.launch.review_owner
    for i, phase in enumerate(playbook.messages.phases):
        if phase.owner:
            yield "role", ("messages", "phases", i, "owner"), phase.owner
    for i, role in enumerate(playbook.roles):
        if role.reports_to:
            yield "role", ("roles", i, "reports_to"), role.reports_to
    for i, cost in enumerate(playbook.budget.one_off if playbook.budget else []):
        if cost.channel:
            yield "channel", ("budget", "one_off", i, "channel"), cost.channel
    for i, risk in enumerate(playbook.risks):
        if risk.owner:
            yield "role", ("risks", i, "owner"), risk.owner
    for i, step in enumerate(playbook.next_steps):
        yield "role", ("next_steps", i, "owner"), step.owner
    for i, competitor in enumerate(playbook.competitors):
        yield from (("segment", ("competitors", i, "segments", j), ref)
                    for j, ref in enumerate(competitor.segments))


def _check_references(playbook: Playbook, report: _Report) -> None:
    known = {noun: _ids(items) for noun, items in _sections(playbook).items()}
    for noun, path, ref in _references(playbook):
        if ref not in known[noun]:
            report.error(path, _unknown_ref(noun, ref, known[noun]))


def _check_needed_by(playbook: Playbook, report: _Report) -> None:
    phases = _ids(playbook.messages.phases)
    for i, role in enumerate(playbook.roles):
        if role.needed_by is None or needed_by_target(role, phases) is not None:
            continue
        path = ("roles", i, "needed_by")
        if re.match(DATE_PATTERN, role.needed_by):
            year = int(role.needed_by[:4])
            report.error(path, f"'{role.needed_by}' is outside the years gtmgen plans for "
                               f"({FIRST_YEAR} to {LAST_YEAR}), and no phase has this id"
                         if year and not FIRST_YEAR <= year <= LAST_YEAR else
                         f"'{role.needed_by}' is not a real date, and no phase has this id")
        else:
            report.error(path, _unknown_ref("phase", role.needed_by, phases))


def _check_reviews(playbook: Playbook, report: _Report) -> None:
    first: dict[str, int] = {}
    for i, offset in enumerate(playbook.launch.reviews):
        if offset in first:
            where = report.first_at(("launch", "reviews", first[offset]), ("launch", "reviews", i))
            report.error(("launch", "reviews", i),
                         f"the review {offset} after launch is listed twice (first at "
                         f"{where}); list each review once")
        else:
            first[offset] = i


def _check_locales(playbook: Playbook, report: _Report) -> None:
    first: dict[str, int] = {}
    for i, locale in enumerate(playbook.client.locales or ()):
        if locale in first:
            where = report.first_at(("client", "locales", first[locale]),
                                    ("client", "locales", i))
            report.error(("client", "locales", i),
                         f"the locale {locale} is listed twice (first at {where}); list each "
                         "locale once")
        else:
            first[locale] = i


def _same_text(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return re.sub(r"[\s.!]+", " ", text).strip().casefold()
    return norm(a) == norm(b)


def _check_sequence(playbook: Playbook, report: _Report) -> None:
    low, high = playbook.launch.phase_days
    spans = phase_spans(playbook)
    for span in spans:
        phase, base = span.phase, ("messages", "phases", span.index)
        length_key = "days" if phase.days is not None else "weeks"
        length_path = (*base, length_key) if (phase.days or phase.weeks) else (*base, "id")
        if not low <= span.days <= high:
            report.error(length_path, f"phase '{phase.id}' lasts {span.days} days; "
                                      f"launch.phase_days allows {low} to {high}")
        if span.index == 0:
            if span.start < playbook.launch.date:
                report.error((*base, "start"), f"the first phase starts on {span.start}, before "
                                               f"launch.date {playbook.launch.date}")
            elif span.start > playbook.launch.date:
                report.warning((*base, "start"), f"{(span.start - playbook.launch.date).days} "
                                                 f"days between launch.date "
                                                 f"{playbook.launch.date} and the first phase")
            continue
        before = spans[span.index - 1]
        if _same_text(phase.value_proposition, before.phase.value_proposition):
            report.error((*base, "value_proposition"),
                         f"phase '{phase.id}' leads with the same value proposition as "
                         f"'{before.phase.id}' before it; each phase needs a new one")
        if span.start <= before.end:
            report.error((*base, "start"), f"phase '{phase.id}' starts on {span.start}, before "
                                           f"'{before.phase.id}' ends on {before.end}; phases "
                                           "must not overlap")
        elif (gap := (span.start - before.end).days - 1) > 0:
            report.warning((*base, "start"), f"{gap} day{'s' if gap > 1 else ''} without a "
                                             f"phase between '{before.phase.id}' (ends "
                                             f"{before.end}) and '{phase.id}'")


def _check_attribute_names(playbook: Playbook, report: _Report) -> None:
    for i, icp in enumerate(playbook.icps):
        for key in icp.attribute_names:
            if key not in icp.attributes:
                known = ", ".join(f"'{name}'" for name in icp.attributes) or "none"
                report.error(("icps", i, "attribute_names", key),
                             f"'{key}' is not an attribute of '{icp.id}' (its attributes: "
                             f"{known}); attribute_names names the attributes it has",
                             at_key=True)


def _check_verdicts(playbook: Playbook, report: _Report) -> None:
    rules = playbook.messages.verdicts
    if rules.iterate > rules.keep:
        report.error(("messages", "verdicts", "iterate"),
                     f"iterate {rules.iterate:g} is above keep {rules.keep:g}: a value "
                     "proposition is iterated on from `iterate` × its target up to `keep` × "
                     "its target, so iterate may not be above keep")


def _check_cadence(playbook: Playbook, report: _Report) -> None:
    workdays = set(playbook.launch.workdays)
    for i, channel in enumerate(playbook.channels):
        path = ("channels", i, "weekdays")
        if channel.weekdays is None:
            continue
        wanted = _WEEKDAYS_FOR.get(channel.cadence)
        days = list(dict.fromkeys(channel.weekdays))
        if wanted is None:
            report.warning(path, f"weekdays have no effect with cadence '{channel.cadence}'; "
                                 "they apply to weekly, biweekly and twice-weekly")
        elif len(channel.weekdays) != wanted or len(days) != wanted:
            count = "one weekday" if wanted == 1 else "two different weekdays"
            report.error(path, f"cadence '{channel.cadence}' takes {count}; found "
                               f"[{', '.join(channel.weekdays)}]")
        for day in days:
            if wanted and day not in workdays:
                report.warning(path, f"'{day}' is not in launch.workdays; those activities "
                                     "move to the next workday")


def _check_reporting_lines(playbook: Playbook, report: _Report) -> None:
    boss = {role.id: role.reports_to for role in playbook.roles if role.reports_to}
    index = {role.id: i for i, role in enumerate(playbook.roles)}
    reported: set[str] = set()
    for role in playbook.roles:
        chain = [role.id]
        while (up := boss.get(chain[-1])) is not None and up in index and up not in chain:
            chain.append(up)
        if up is None or up not in chain:
            continue
        cycle = chain[chain.index(up):]
        if reported.isdisjoint(cycle):
            reported.update(cycle)
            start = min(cycle, key=lambda r: index[r])
            turn = cycle[cycle.index(start):] + cycle[:cycle.index(start)]
            steps = [*turn, start] if len(turn) <= LISTED else [*turn[:LISTED], "…", start]
            report.error(("roles", index[start], "reports_to"),
                         "reports_to goes round in a circle: " + " → ".join(steps))


def _kpi_mappings(playbook: Playbook) -> Iterable[tuple[Path_, str, dict[str, float | str]]]:
    """Every kpis mapping: its path, words for where it is, and its targets."""
    yield ("kpis",), "kpis", playbook.kpis
    for i, channel in enumerate(playbook.channels):
        yield ("channels", i, "kpis"), f"channel '{channel.id}'", channel.kpis


def _check_kpis(playbook: Playbook, report: _Report) -> None:
    for path, _, kpis in _kpi_mappings(playbook):
        for metric in kpis:
            value = decided(kpis, metric)
            if value is None:
                continue
            kind = metric_kind(metric)
            if metric in MONEY_METRICS and value <= 0:
                report.error((*path, metric), f"{metric} must be more than 0; found {value:g}")
            elif kind is Kind.RATE and not 0 <= value <= 1:
                hint = f" ({value:g}% is {value / 100:g})" if 1 < value <= 100 else ""
                report.error((*path, metric), f"{excerpt(metric)} is a share between 0 and 1; "
                                              f"found {value:g}{hint}")
    kpis = playbook.kpis
    ltv, cac = decided(kpis, "ltv"), decided(kpis, "cac")
    if ltv and cac and ltv > 0 and cac > 0 and ltv / cac < HEALTHY_LTV_CAC:
        report.warning(("kpis", "ltv"), f"LTV:CAC is {ltv / cac:.2f} (ltv {ltv:g} / cac {cac:g}); "
                                        f"a healthy ratio is above {HEALTHY_LTV_CAC:g}")


def _check_undecided(playbook: Playbook, report: _Report) -> None:
    """One warning for all the targets still to be decided, at the first of them."""
    groups = []
    for path, where, kpis in _kpi_mappings(playbook):
        metrics = [metric for metric, value in kpis.items() if value == TBD]
        if metrics:
            first = min(((*path, m) for m in metrics), key=report.order)
            groups.append((report.order(first), first, metrics, where))
    if not groups:
        return
    groups.sort(key=lambda group: group[0])
    count = sum(len(metrics) for _, _, metrics, _ in groups)
    parts, shown = [], 0
    for _, _, metrics, where in groups:
        names = [excerpt(m, 30) for m in metrics[:max(0, _LISTED - shown)]]
        shown += len(names)
        if names:
            parts.append(f"{', '.join(names)} ({excerpt(where)})")
    listing = ", ".join(parts) + (f" and {count - shown} more" if count > shown else "")
    noun, them = ("KPI targets", "them") if count > 1 else ("KPI target", "it")
    report.warning(groups[0][1], f"{noun} to be decided: {listing}; formulas that need {them} "
                                 "say 'not estimated'")


def _raw(report: _Report, path: Path_) -> Any:
    """The text a value was written as in the file."""
    data = report.loaded.data
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _check_decimal_dots(playbook: Playbook, report: _Report) -> None:
    """A target like `leads: 2.500` reads as 2.5; warn, since 2500 may have been meant."""
    targets: list[Path_] = [(*path, metric) for path, _, kpis in _kpi_mappings(playbook)
                            for metric in kpis
                            if metric_kind(metric) is Kind.NUMBER and not is_fraction(metric)]
    for i, phase in enumerate(playbook.messages.phases):
        if phase.resonance and not is_fraction(phase.resonance.metric):
            targets.append(("messages", "phases", i, "resonance", "target"))
    for path in targets:
        raw = _raw(report, path)
        doubt = decimal_dot_doubt(raw) if isinstance(raw, str) else None
        if doubt:
            report.warning(path, f"{describe(raw)} {doubt}")


def _check_unused(playbook: Playbook, report: _Report) -> None:
    phases = playbook.messages.phases
    used = {"channel": {c for p in phases for c in p.channels},
            "persona": {x for p in phases for x in p.personas}}
    defined = {"channel": _ids(playbook.channels), "persona": _ids(playbook.personas)}
    for noun, ids in defined.items():
        for i, item_id in enumerate(ids):
            if item_id not in used[noun]:
                report.warning((*_SECTIONS[noun], i, "id"),
                               f"{noun} '{item_id}' is not used by any phase")


def _check_workdays(playbook: Playbook, report: _Report) -> None:
    spans = phase_spans(playbook)
    years = range(min(s.start for s in spans).year, max(s.end for s in spans).year + 1)
    workdays = work_calendar(playbook, years)
    if not workdays.holiday_data:
        report.warning(("client", "country"), f"no public-holiday data for "
                                              f"'{playbook.client.country}'; only "
                                              "launch.workdays and blackout days decide the "
                                              "calendar")
    for span in spans:
        if not workdays.workdays_between(span.start, span.end):
            report.error(("messages", "phases", span.index, "id"),
                         f"phase '{span.phase.id}' ({span.start} to {span.end}) has no workday: "
                         "every day is outside launch.workdays, a public holiday or a blackout "
                         "day, so nothing in it can be dated")


def check(playbook: Playbook, loaded: Loaded, file: str) -> list[Diagnostic]:
    """Every cross-section problem of a schema-valid playbook, as diagnostics."""
    report = _Report(loaded, file)
    for rule in (_check_unique_ids, _check_references, _check_needed_by, _check_reviews,
                 _check_locales, _check_sequence, _check_verdicts, _check_attribute_names,
                 _check_cadence, _check_reporting_lines, _check_kpis, _check_undecided,
                 _check_decimal_dots, _check_unused, check_positioning):
        rule(playbook, report)
    check_owners(playbook, report)

    check_scenarios(playbook, report)
    if check_size(playbook, report):
        return report.found  # too large to lay out: the checks below would expand it
    _check_workdays(playbook, report)
    if not any(d.severity == Severity.ERROR for d in report.found):
        check_plan(playbook, report)  # the plan needs every reference resolved
        check_handover(playbook, report)

        check_scenario_plans(playbook, report)
    return report.found

