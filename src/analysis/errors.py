"""Errors that name the file, row and column of bad input and what was expected; the
environment problems and interruptions that end a command with one clear paragraph."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    ``line`` is the 1-based line of the CSV file (the header is line 1), so a user can
    jump straight to it in an editor; ``None`` when the problem concerns the whole file.
    """

    file: str
    line: int | None
    column: str | None
    expected: str
    got: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        msg = f"{where}: expected {self.expected}"
        if self.got is not None:
            msg += f", got {self.got!r}"
        return msg


class DataError(ValueError):
    """Bad input data. Carries every :class:`Problem` found, not just the first."""

    def __init__(self, problems: Iterable[Problem] | Problem):
        # the same problem found by two checks (or for each column a rule looks at) is
        # one problem for the user
        self.problems: list[Problem] = (
            [problems] if isinstance(problems, Problem) else list(dict.fromkeys(problems))
        )
        super().__init__(self._message())

    def __reduce__(self) -> tuple[type[DataError], tuple[list[Problem]]]:
        # rebuilt from its problems, not from its message: an error raised in a worker
        # process reaches the parent whole (the default would pass the message text as
        # the problems, one character each)
        return type(self), (self.problems,)

    def _message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class EnvironmentProblem(Exception):
    """Something outside the data stops a command (no kernel, an unwritable folder, a full
    disk): the message is one paragraph naming what, where and what to do."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; raised by the handler :mod:`analysis.run.cli` installs so
    that every ``finally`` block (staging removal, workers stopped) runs before exit."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signum)


def rel(path: Path | str) -> str:
    """A path as users see it: relative to the project root when inside it."""
    from analysis import config  # deliberate: config reads the environment when imported

    p = Path(path)
    try:
        return str(p.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(p)
