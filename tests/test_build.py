"""gtmgen build: the three data outputs, reproducible bytes, atomic writes, nothing on error."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil

import pytest
from icalendar import Calendar

from gtmgen.build import Options, build
from gtmgen.write import WriteError, target_path
from tests.conftest import CASES, CRUMB

ALL = "json,csv,ics"


def test_default_output_folder_is_build_name_beside_the_playbook(gtmgen, crumb) -> None:
    run = gtmgen("build", crumb, "--format", ALL)
    assert run.code == 0, run.err
    out = crumb.parent / "build" / "playbook"
    assert sorted(p.name for p in out.iterdir()) == [
        ".gtmgen-manifest.json", "launch-calendar.csv", "launch-calendar.ics", "plan.json"]
    assert run.out.splitlines() == [f"wrote {out / name}" for name in (
        "launch-calendar.csv", "launch-calendar.ics", "plan.json")]


def test_two_builds_give_identical_bytes_and_a_rebuild_rewrites_nothing(gtmgen, crumb,
                                                                         tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert gtmgen("build", crumb, "--out", first, "--format", ALL).code == 0
    assert gtmgen("build", crumb, "--out", second, "--format", ALL).code == 0
    for name in ("plan.json", "launch-calendar.csv", "launch-calendar.ics"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    stamps = {p.name: p.stat().st_mtime_ns for p in first.iterdir()}
    os.utime(first / "plan.json", ns=(1, 1))
    run = gtmgen("build", crumb, "--out", first, "--format", ALL)
    assert all(line.startswith("unchanged ") for line in run.out.splitlines())
    assert (first / "plan.json").stat().st_mtime_ns == 1
    assert stamps["launch-calendar.csv"] == (first / "launch-calendar.csv").stat().st_mtime_ns


def test_plan_json_shape(gtmgen, crumb, tmp_path) -> None:
    gtmgen("build", crumb, "--out", tmp_path, "--format", "json")
    text = (tmp_path / "plan.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == ["budget", "calendar", "hiring", "plan_format", "playbook",
                          "roi"]  # sorted; no scenarios in crumb
    assert all(list(event) == sorted(event) for event in data["calendar"])
    assert list(data["budget"]) == sorted(data["budget"])
    # One line per calendar event, so that a moved date is a one-line diff.
    # 48 activities, starts, reviews, milestones and hires + 24 readiness tasks (a brief for
    # each of the 4 phases, assets and set-up for each of their 3 + 2 + 3 + 2 channels).
    assert sum(line.startswith('    {"channel": ') for line in text.splitlines()) == 72
    assert text.endswith("}\n")
    assert data["calendar"][0] == {
        "channel": None, "date": "2027-01-15", "key": "hiring/email-manager/open",
        "kind": "hiring", "moved": False, "owner": "cmo", "personas": [],
        "phase": None, "planned": "2027-01-15", "step": "open", "moment": None,
        "offset": None, "day_off": None, "holiday": None,
        "title": "Open the vacancy: Email Marketing Manager"}
    first_hire = data["hiring"][0]
    keys = ("role", "tier", "needed_by", "hire_by", "opens", "starts", "score")
    assert {k: first_hire[k] for k in keys} == {
        "role": "growth-lead", "tier": "P1", "needed_by": "2027-03-01",
        "hire_by": "2027-01-15", "opens": "2027-01-15", "starts": "2027-03-01",
        "score": 93.08}
    assert data["budget"]["channel_monthly"] == 13000
    assert data["playbook"]["sequence"] == {"start": "2027-03-01", "end": "2027-05-05",
                                           "days": 66}


def test_csv_is_rfc_4180(gtmgen, crumb, tmp_path) -> None:
    gtmgen("build", crumb, "--out", tmp_path, "--format", "csv")
    raw = (tmp_path / "launch-calendar.csv").read_bytes()
    # A UTF-8 byte-order mark first, so Excel reads the text as UTF-8; commas for a client
    # in the United States, whose spreadsheets write decimals with a point.
    assert raw.startswith(b"\xef\xbb\xbfdate,kind,phase,channel,personas,owner,title,"
                          b"channel_name,persona_names,owner_name\r\n")
    assert raw.count(b"\r\n") == raw.count(b"\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + 72
    partner = next(r for r in rows if r[1] == "partner" and r[0] == "2027-03-15")
    # The moment's text holds quotes and the title a comma: quoted and doubled as RFC 4180 says.
    # Ids for programs first, then the names people read.
    assert partner == ["2027-03-15", "partner", "office-rituals", "", "office-manager;people-lead",
                       "growth-lead", "Storefront platform app market: Featured in the "
                       "platform's \"new for offices\" collection", "",
                       "Olivia, the office manager; Priya, Head of People",
                       "Growth Marketing Manager"]
    assert b'"Storefront platform app market: Featured in the platform\'s ""new for offices"" ' \
           b'collection"' in raw


def test_ics_imports_with_stable_uids_and_a_fixed_stamp(gtmgen, crumb, tmp_path) -> None:
    gtmgen("build", crumb, "--out", tmp_path, "--format", "ics")
    raw = (tmp_path / "launch-calendar.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert raw.count(b"\r\n") == raw.count(b"\n")
    calendar = Calendar.from_ical(raw)
    assert str(calendar["X-WR-CALNAME"]) == "Crumb & Co.: Bake-at-home cookie subscription launch"
    events = calendar.walk("VEVENT")
    assert len(events) == 72
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 72
    assert "review/office-rituals@crumb-co.gtmgen" in uids
    review = next(e for e in events if str(e["UID"]).startswith("review/office-rituals@"))
    assert review.decoded("DTSTART").isoformat() == "2027-04-01"
    assert review.decoded("DTEND").isoformat() == "2027-04-02"
    # Names, never ids: the phase's promise, the owner's title, the personas' names.
    assert str(review["SUMMARY"]) == ("Resonance review of phase 2: tastings booked against a "
                                      "target of 40; keep, iterate or drop")
    assert str(review["DESCRIPTION"]).splitlines() == [
        "Resonance review", "Phase 2: Turn anchor days into the best day of the week.",
        "Owner: Fractional CMO"]
    assert {e.decoded("DTSTAMP").isoformat() for e in events} == {"2027-01-18T00:00:00+00:00"}
    # Minutes from 2000-01-01 to the stamp: 9,879 days (27 years, 7 of them leap, and 17
    # days) of 1,440 minutes.
    assert {e["SEQUENCE"] for e in events} == {14225760}


def test_an_ics_entry_that_moved_says_from_when_and_why(gtmgen, crumb, tmp_path) -> None:
    # A 90-day review from 2027-03-01 falls on Sunday 05-30: it moves to Tuesday 06-01, past
    # Memorial Day (Monday 05-31); the reason is the planned day's, a weekend day.
    # (the stakeholders' RACI names the 3-month review, which becomes the 90-day one)
    crumb.write_text(crumb.read_text(encoding="utf-8").replace(
        "reviews: [3m, 6m, 12m]", "reviews: [90]").replace("3m: ", "90: ").replace(
        ", 6m: A, 12m: A", "").replace(", 6m: C, 12m: C", "").replace(", 6m: C", "").replace(
        "{3m: R, 6m: R, 12m: R}", "{90: R}").replace(", 6m: R, 12m: R", ""))
    gtmgen("build", crumb, "--out", tmp_path, "--format", "ics")
    events = Calendar.from_ical((tmp_path / "launch-calendar.ics").read_bytes()).walk("VEVENT")
    quarter = next(e for e in events if str(e["UID"]).startswith("milestone/review-90@"))
    assert quarter.decoded("DTSTART").isoformat() == "2027-06-01"
    assert str(quarter["SUMMARY"]) == ("Operating review, 90 days after launch (moved from "
                                       "May 30, 2027: not a workday)")


def test_uids_survive_a_moved_launch(gtmgen, crumb, tmp_path) -> None:
    gtmgen("build", crumb, "--out", tmp_path / "a", "--format", "ics")
    crumb.write_text(crumb.read_text().replace("date: 2027-03-01", "date: 2027-03-08"))
    gtmgen("build", crumb, "--out", tmp_path / "b", "--format", "ics")
    before, after = (Calendar.from_ical((tmp_path / d / "launch-calendar.ics").read_bytes())
                     for d in "ab")
    assert {str(e["UID"]) for e in before.walk("VEVENT")} == \
        {str(e["UID"]) for e in after.walk("VEVENT")}


def test_source_date_epoch_sets_the_stamp(gtmgen, crumb, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    gtmgen("build", crumb, "--out", tmp_path, "--format", "ics")
    assert b"DTSTAMP:20270115T080000Z" in (tmp_path / "launch-calendar.ics").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    assert gtmgen("build", crumb, "--out", tmp_path / "x", "--format", "ics").code == 2


def test_invalid_playbook_writes_nothing(gtmgen, tmp_path) -> None:
    out = tmp_path / "out"
    run = gtmgen("build", CASES / "bad" / "unknown-channel-ref.yaml", "--out", out)
    assert run.code == 1
    assert ":29:18: error: unknown channel 'emial'" in run.err
    assert not out.exists()


def test_strict_build_refuses_warnings(gtmgen, tmp_path) -> None:
    out = tmp_path / "out"
    warned = CASES / "warn" / "unused-channel.yaml"
    assert gtmgen("build", warned, "--out", out, "--strict").code == 1
    assert not out.exists()
    assert gtmgen("build", warned, "--out", out).code == 0


def test_unknown_format_is_wrong_usage(gtmgen, crumb) -> None:
    run = gtmgen("build", crumb, "--format", "json,odt")
    assert run.code == 2 and "unknown format 'odt'" in run.err


def test_output_that_cannot_be_written_is_exit_3_and_leaves_old_files(gtmgen, crumb,
                                                                      tmp_path,
                                                                      monkeypatch) -> None:
    out = tmp_path / "out"
    assert gtmgen("build", crumb, "--out", out, "--format", ALL).code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    crumb.write_text(crumb.read_text().replace("Crumb & Co.", "Crumb and Co."))
    real_fsync, calls = os.fsync, []

    def disk_full_on_the_second_file(handle):
        calls.append(handle)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_fsync(handle)

    monkeypatch.setattr(os, "fsync", disk_full_on_the_second_file)
    run = gtmgen("build", crumb, "--out", out, "--format", ALL)
    assert run.code == 3
    assert "No space left on device" in run.err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the old set, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crumb", "out"]  # no staging left


def test_rendering_failure_leaves_earlier_outputs_untouched(gtmgen, crumb, tmp_path,
                                                           monkeypatch) -> None:
    out = tmp_path / "out"
    gtmgen("build", crumb, "--out", out, "--format", ALL)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    crumb.write_text(crumb.read_text().replace("Crumb & Co.", "Crumb and Co."))
    import gtmgen.render.ical as ical

    def broken(_context):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(ical, "render_ics", broken)
    run = gtmgen("build", crumb, "--out", out, "--format", ALL)
    assert run.code == 70
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_out_folder_that_is_a_file_is_exit_3(gtmgen, crumb, tmp_path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    run = gtmgen("build", crumb, "--out", blocker / "sub")
    assert run.code == 3 and run.err.startswith("gtmgen: cannot write")


@pytest.mark.parametrize("name", ["../escape.json", "/etc/passwd", "a/../../b.json", ""])
def test_outputs_never_leave_the_out_folder(tmp_path, name) -> None:
    with pytest.raises(WriteError):
        target_path(tmp_path, name)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    with pytest.raises(WriteError):
        target_path(tmp_path / "out", "link/plan.json")


def test_folding_never_splits_a_character_and_unfolds_to_the_original() -> None:
    from gtmgen.render.ical import fold

    line = ("SUMMARY:" + "饼干和咖啡, cookies; ☕ " * 12).encode("utf-8")
    folded = fold(line)
    pieces = folded.split(b"\r\n")
    assert all(len(piece) <= 75 for piece in pieces)
    assert all(piece.startswith(b" ") for piece in pieces[1:])
    for piece in pieces:
        piece.decode("utf-8")  # every piece is whole characters
    assert folded.replace(b"\r\n ", b"") == line


def test_ics_round_trips_text_with_commas_semicolons_and_cjk(gtmgen, tmp_path) -> None:
    import yaml

    from tests.builders import playbook

    data = playbook(client={"name": "饼干公司", "product": "Cookies; coffee, and more"})
    data["messages"]["phases"][0]["value_proposition"] = "热饼干, in 18 minutes; really \\ yes"
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert gtmgen("build", path, "--out", tmp_path / "out", "--format", "ics").code == 0
    raw = (tmp_path / "out" / "launch-calendar.ics").read_bytes()
    calendar = Calendar.from_ical(raw)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Phase 1 goes live: 热饼干, in 18 minutes; really \\ yes" in summaries
    # TEXT escaping (RFC 5545, 3.3.11) of the calendar's name.
    assert "NAME:饼干公司: Cookies\\; coffee\\, and more launch\r\n".encode() in raw


def test_csv_text_never_starts_a_spreadsheet_formula(gtmgen, tmp_path) -> None:
    import yaml

    from tests.builders import playbook

    data = playbook(channels=[{"id": "email", "name": "=HYPERLINK(\"http://x\")",
                               "owner": "cmo"}],
                    roles=[{"id": "cmo", "title": "@SUM(A1)"}])
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert gtmgen("build", path, "--out", tmp_path / "out", "--format", "csv").code == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "launch-calendar.csv")
                                       .read_text(encoding="utf-8"), newline="")))
    activity = next(r for r in rows if r[1] == "activity")
    # title, channel name and owner name as text: a leading apostrophe, the words unchanged.
    assert activity[6].startswith("'=HYPERLINK") and activity[7] == "'=HYPERLINK(\"http://x\")"
    assert activity[9] == "'@SUM(A1)"
    assert not any(c.startswith(("=", "+", "@")) for r in rows[1:] for c in r)


def test_a_save_during_the_build_is_not_taken_for_what_was_built(tmp_path) -> None:
    """The manifest holds the digest of the bytes the build validated: a playbook saved again
    while the outputs are rendered is built again next time, never taken as current."""
    from gtmgen.batch import Job, is_current

    playbook = tmp_path / "playbook.yaml"
    shutil.copy(CRUMB, playbook)
    options = Options(formats=("md", "html"))

    def save_again(_pages: dict[str, bytes]) -> None:  # while the other formats render
        playbook.write_text(playbook.read_text(encoding="utf-8") + "# edited\n",
                            encoding="utf-8")

    build(playbook, tmp_path / "out", options, early=save_again)
    assert not is_current(Job(playbook, "playbook.yaml", tmp_path / "out"), options)
    build(playbook, tmp_path / "out", options)
    assert is_current(Job(playbook, "playbook.yaml", tmp_path / "out"), options)
