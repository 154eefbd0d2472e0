"""A build replaces its whole output set at once: killed at any moment, it leaves the old set
or the new one, never a mix, and the next build leaves no temporary behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from gtmgen.write import STAGING, write_outputs

NAMES = [f"doc-{n:02d}.md" for n in range(16)] + [f"nl/doc-{n:02d}.md" for n in range(4)]

# The child writes set B slowly (every durable write waits 4 ms), announcing when it starts.
CHILD = """
import os, sys, time
from pathlib import Path
import gtmgen.write as write
real = os.fsync
def slow(handle):
    time.sleep(0.004)
    return real(handle)
os.fsync = slow
names = sys.argv[2].split(",")
print("go", flush=True)
write.write_outputs(Path(sys.argv[1]), {n: f"B {n}\\n".encode() for n in names})
"""


def _versions(out: Path) -> set[str]:
    return {(out / name).read_text().split()[0] for name in NAMES}


def test_a_build_killed_at_random_moments_never_leaves_a_mix(tmp_path: Path) -> None:
    out = tmp_path / "out"
    chance = random.Random(20261125)  # fixed: the same 50 moments on every run
    for trial in range(50):
        write_outputs(out, {n: f"A {n}\n".encode() for n in NAMES})
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(out), ",".join(NAMES)],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert child.stdout is not None and child.stdout.readline() == b"go\n"
        time.sleep(chance.uniform(0, 0.12))  # the writes take about 0.1 s
        child.send_signal(signal.SIGINT if trial % 2 else signal.SIGKILL)
        child.wait()
        assert len(_versions(out)) == 1, f"trial {trial}: a mix of old and new files"
        assert sorted(p.name for p in out.iterdir()) == sorted(
            {n.split("/")[0] for n in NAMES})
        write_outputs(out, {n: f"C {n}\n".encode() for n in NAMES})
        assert _versions(out) == {"C"}
        assert [p.name for p in tmp_path.iterdir()] == ["out"], "a temporary was left"


def test_unchanged_files_keep_their_time_and_other_files_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_outputs(out, {"a.md": b"a", "b.md": b"b"})
    (out / "mine.txt").write_text("the consultant's own note")
    os.utime(out / "a.md", ns=(1, 1))
    report = write_outputs(out, {"a.md": b"a", "b.md": b"b2"})
    assert (report.unchanged, report.written) == ([out / "a.md"], [out / "b.md"])
    assert (out / "a.md").stat().st_mtime_ns == 1
    assert (out / "mine.txt").read_text() == "the consultant's own note"


def test_stale_staging_folders_of_an_interrupted_build_are_removed(tmp_path: Path) -> None:
    stale = tmp_path / f".out{STAGING}abcd"
    stale.mkdir()
    (stale / "half.md").write_text("half")
    write_outputs(tmp_path / "out", {"a.md": b"a"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_folder_you_work_in_is_never_swapped(tmp_path: Path, monkeypatch) -> None:
    import pytest

    from gtmgen.write import WriteError

    monkeypatch.chdir(tmp_path)
    with pytest.raises(WriteError, match="folder of their own"):
        write_outputs(Path("."), {"a.md": b"a"})
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    with pytest.raises(WriteError, match="git repository"):
        write_outputs(tmp_path / "repo", {"a.md": b"a"})


def test_private_folders_stay_private_and_read_only_folders_leave_nothing(tmp_path) -> None:
    out = tmp_path / "out"
    write_outputs(out, {"a.md": b"a", "nl/b.md": b"b"})
    (out / "private").mkdir(mode=0o700)
    (out / "private" / "notes.txt").write_text("mine")
    os.chmod(out / "nl", 0o555)  # read-only: gtmgen still replaces what is in it
    write_outputs(out, {"a.md": b"a2", "nl/b.md": b"b2"})
    assert (out / "private").stat().st_mode & 0o777 == 0o700
    assert (out / "nl").stat().st_mode & 0o777 == 0o555
    assert (out / "nl" / "b.md").read_bytes() == b"b2"
    assert (out / "private" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    os.chmod(out / "nl", 0o755)


def test_a_pipe_in_the_output_folder_is_refused_not_lost(tmp_path) -> None:
    import pytest

    from gtmgen.write import WriteError

    out = tmp_path / "out"
    write_outputs(out, {"a.md": b"a"})
    os.mkfifo(out / "pipe")
    with pytest.raises(WriteError, match="not a file or a folder"):
        write_outputs(out, {"a.md": b"a2"})
    assert (out / "pipe").exists() and (out / "a.md").read_bytes() == b"a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_without_an_atomic_exchange_a_failed_swap_puts_the_old_set_back(tmp_path,
                                                                        monkeypatch) -> None:
    import pytest

    import gtmgen.write as write

    out = tmp_path / "out"
    write_outputs(out, {"plan.json": b"1"})
    (out / "notes.txt").write_text("the consultant's")
    monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    real_rename, calls = os.rename, []

    def second_rename_fails(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_rename(source, target)

    monkeypatch.setattr(os, "rename", second_rename_fails)
    with pytest.raises(write.WriteError):
        write_outputs(out, {"plan.json": b"2"})
    monkeypatch.setattr(os, "rename", real_rename)
    assert (out / "notes.txt").read_text() == "the consultant's"
    assert (out / "plan.json").read_bytes() == b"1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_old_set_left_aside_by_a_killed_swap_comes_back(tmp_path) -> None:
    # Killed between the two renames: the old set is in a staging folder, `out` is missing.
    aside = tmp_path / f".out{STAGING}dead" / "old"
    aside.mkdir(parents=True)
    (aside / "notes.txt").write_text("the consultant's")
    write_outputs(tmp_path / "out", {"plan.json": b"2"})
    assert (tmp_path / "out" / "notes.txt").read_text() == "the consultant's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_folder_that_cannot_be_read_stops_the_build_instead_of_vanishing(
        tmp_path, monkeypatch) -> None:
    import pytest

    import gtmgen.write as write

    out = tmp_path / "out"
    write_outputs(out, {"plan.json": b"1"})
    (out / "private").mkdir()
    (out / "private" / "notes.txt").write_text("mine")
    real_scandir = os.scandir

    def unreadable(path="."):
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", unreadable)
    with pytest.raises(write.WriteError, match="Permission denied"):
        write_outputs(out, {"plan.json": b"2"})
    monkeypatch.setattr(os, "scandir", real_scandir)
    assert (out / "private" / "notes.txt").read_text() == "mine"
