"""The progress line of `gtmgen build`: kept under the messages on a terminal, absent in a log."""

from __future__ import annotations

import io

import pytest

from gtmgen.console import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_progress_line_is_redrawn_under_each_message(
        capsys: pytest.CaptureFixture[str]) -> None:
    screen = Terminal()
    progress = Progress(3, screen)
    progress.step("a.yaml")
    progress.say("built a.yaml")
    progress.step("b.yaml")
    progress.finish()
    assert capsys.readouterr().out == "built a.yaml\n"
    # Cleared, drawn [1/3], cleared for the message, drawn again, cleared, [2/3], cleared.
    assert screen.getvalue() == ("\r\x1b[K[1/3] a.yaml" "\r\x1b[K" "[1/3] a.yaml"
                                 "\r\x1b[K[2/3] b.yaml" "\r\x1b[K")


def test_in_a_log_there_is_no_progress_line(capsys: pytest.CaptureFixture[str]) -> None:
    log = io.StringIO()
    progress = Progress(3, log)
    progress.step("a.yaml")
    progress.say("built a.yaml")
    progress.finish()
    assert log.getvalue() == ""
    assert capsys.readouterr().out == "built a.yaml\n"


def test_one_playbook_shows_no_progress_line() -> None:
    screen = Terminal()
    progress = Progress(1, screen)
    progress.step("a.yaml")
    progress.finish()
    assert screen.getvalue() == ""
