"""What ``kaztur run`` shows while it works.

On a terminal: a live display (``rich``): one bar for the whole run with elapsed and
estimated remaining time, and one bar per running notebook (cell i of n). Otherwise (a log
file, CI): concise lines, one per notebook finished. ``--verbose`` adds a line per notebook
started and per cell; ``--quiet`` prints only problems and the final line.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

QUIET, NORMAL, VERBOSE = "quiet", "normal", "verbose"


class Lines:
    """Plain lines on a stream: one write per line, so nothing interleaves."""

    def __init__(self, stream: TextIO, mode: str = NORMAL, t0: float | None = None,
                 command: str = "run") -> None:
        self.stream, self.mode, self.command = stream, mode, command
        self.t0 = t0 or time.time()
        self.labels: dict[str, str] = {}
        self.total = 0
        self.finished = 0

    # the parent's calls ------------------------------------------------------------
    def plan(self, labels: dict[str, str], expected: dict[str, float]) -> None:
        """The jobs about to execute (``{job: label}``) and their expected durations."""
        self.labels, self.total, self.finished = dict(labels), len(labels), 0

    def note(self, message: str, level: str = NORMAL) -> None:
        """A line for the user; ``level`` NORMAL is hidden by --quiet, VERBOSE shown only
        with --verbose; problems are printed by the caller whatever the mode."""
        if level == VERBOSE and self.mode != VERBOSE or level == NORMAL and self.mode == QUIET:
            return
        self.write(message)

    def event(self, event: tuple[Any, ...]) -> None:
        kind, job = event[0], event[1]
        label = self.labels.get(job, job)
        if kind == "start":
            self.note(f"{label}: started ({event[2]} code cells)", VERBOSE)
        elif kind == "cell":
            self.note(f"{label}: cell {event[2]}/{event[3]}", VERBOSE)
        elif kind == "end":
            self.finished += 1
            word = "done" if event[2] == "ok" else "FAILED"
            self.note(f"{label}: {word} in {event[3]:.1f}s ({self.finished}/{self.total})")

    def close(self) -> None:
        self.stream.flush()

    # helpers ------------------------------------------------------------------------
    def write(self, message: str) -> None:
        self.stream.write(f"kaztur {self.command} [{time.time() - self.t0:6.1f}s] {message}\n")
        self.stream.flush()


class Live(Lines):
    """The terminal display: rich progress bars, notes printed above them."""

    def __init__(self, stream: TextIO, mode: str = NORMAL, t0: float | None = None,
                 command: str = "run") -> None:
        super().__init__(stream, mode, t0, command)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(file=stream, highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TimeRemainingColumn(), console=self.console,
            transient=True, refresh_per_second=8)
        self.overall: Any = None
        self.tasks: dict[str, Any] = {}
        self.expected: dict[str, float] = {}

    def plan(self, labels: dict[str, str], expected: dict[str, float]) -> None:
        super().plan(labels, expected)
        self.expected = dict(expected)
        self.progress.start()
        self.overall = self.progress.add_task(f"kaztur {self.command}", total=len(labels))

    def write(self, message: str) -> None:
        self.console.print(f"kaztur {self.command} [{time.time() - self.t0:6.1f}s] {message}",
                           markup=False, soft_wrap=True)

    def event(self, event: tuple[Any, ...]) -> None:
        kind, job = event[0], event[1]
        label = self.labels.get(job, job)
        if kind == "start":
            self.tasks[job] = self.progress.add_task(f"  {label}", total=max(1, event[2]))
        elif kind == "cell" and job in self.tasks:
            self.progress.update(self.tasks[job], completed=event[2] - 1, total=event[3])
        elif kind == "end":
            task = self.tasks.pop(job, None)
            if task is not None:
                self.progress.remove_task(task)
            if self.overall is not None:
                self.progress.advance(self.overall)
        if kind == "end" and event[2] == "ok" and self.mode != VERBOSE:
            self.finished += 1  # the bar shows it
            return
        super().event(event)

    def close(self) -> None:
        self.progress.stop()
        super().close()


def display(stream: TextIO | None = None, mode: str = NORMAL, t0: float | None = None,
            command: str = "run") -> Lines:
    """The live display on a terminal, plain lines otherwise."""
    out = stream or sys.stderr
    if mode != QUIET and getattr(out, "isatty", lambda: False)():
        return Live(out, mode, t0, command)
    return Lines(out, mode, t0, command)
