"""The one root of gtmgen's errors: each says what went wrong in plain words and carries the
exit code the command ends with. The CLI catches GtmgenError once; anything else is a bug."""

from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = (
    0, 1, 2, 3, 70, 130)


class GtmgenError(Exception):
    """A problem to report to the user as one line, ending the command with `exit_code`."""

    exit_code = EXIT_INVALID
    label = ""  # words put before the message, like "template error: "

    def __str__(self) -> str:
        return f"{self.label}{super().__str__()}"


class UsageError(GtmgenError):
    """Wrong usage: an unknown document, a file that cannot be read, a bad setting."""

    exit_code = EXIT_USAGE


class ReadError(UsageError):
    """An input file named on the command line could not be read."""


class ComparisonError(UsageError):
    """`gtmgen diff` could not compare: its exit code is 2, as `diff`'s is on trouble."""


class OutputError(GtmgenError):
    """An output could not be written; nothing of it was put in place."""

    exit_code = EXIT_OUTPUT


class TemplateProblem(GtmgenError):
    """A template could not be loaded or rendered; the message names the file and line."""

    label = "template error: "
