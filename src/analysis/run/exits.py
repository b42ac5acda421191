"""How a ``kaztur`` command ends: one message and one exit status, whatever stopped it.

Shared by the command line (:mod:`analysis.run.cli`) and ``python -m analysis.run.site``, so
that a command started either way reports bad data, an environment fault, a full disk, a
read-only folder or a signal the same way: 1 with one message naming what was left as it
was, 130 after Ctrl-C (SIGINT), 143 after SIGTERM.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from analysis.errors import DataError, EnvironmentProblem, Interrupted

# What each command writes, for the messages that say it was left as it was.
WRITES = {"run": "reports/", "data": "data/processed/", "check": "the ledger files",
          "manifest": "data/raw/datapackage.json", "refresh-notebooks": "the notebooks",
          "site": "reports/site/"}


def on_signal(signum: int, frame: FrameType | None) -> None:
    """SIGINT and SIGTERM become :class:`Interrupted`, raised where the command is."""
    # a second Ctrl-C must not interrupt the cleanup the first one started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Interrupted(signum)


def os_error_message(command: str, exc: OSError) -> str:
    """One paragraph for an environment fault met while writing: what, where, what to do."""
    what = WRITES.get(command, "the previous output")
    where = exc.filename or "a file"
    if exc.errno == errno.ENOSPC:
        return (f"no space left on the device while writing {where}. Nothing was replaced: "
                f"{what} is as it was, and the half-written copy was removed. Free some "
                "space (a full run needs roughly 100 MB for reports/ and as much again for "
                ".kaztur-cache/) and run the command again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"cannot write {where}: {exc.strerror.lower() if exc.strerror else exc}. "
                f"Nothing was replaced: {what} is as it was. Make that folder writable for "
                "this user, or work in a copy of the project, and run the command again.")
    return (f"{exc.strerror or exc} ({where}). Nothing was replaced: {what} is as it was. "
            "Fix the cause and run the command again.")


def _ended(command: str, exc: BaseException) -> int:
    """The message and exit status of a command that ``exc`` ended."""
    if isinstance(exc, DataError):
        print(f"kaztur {command}: bad input data; nothing was written:\n{exc}", file=sys.stderr)
        return 1
    if isinstance(exc, OSError):
        print(f"kaztur {command}: {os_error_message(command, exc)}", file=sys.stderr)
        return 1
    if isinstance(exc, Interrupted):
        name = "Ctrl-C" if exc.signum == signal.SIGINT else signal.Signals(exc.signum).name
        what = WRITES.get(command, "the previous output")
        print(f"kaztur {command}: interrupted ({name}); stopped, and {what} was left as it "
              "was.", file=sys.stderr)
        return 128 + exc.signum
    print(f"kaztur {command}: {exc}", file=sys.stderr)  # EnvironmentProblem
    return 1


def guarded(command: str, call: Callable[[], int], *, signals: bool = True,
            entry: bool = False) -> int:
    """Run ``call`` as the command ``command`` and return its exit status; ``signals``:
    SIGINT and SIGTERM stop it (:func:`on_signal`).

    ``entry`` is for the process's own entry point: once the command has finished its outputs
    are whole, so a late Ctrl-C is ignored rather than restored to Python's handler;
    otherwise it could land in interpreter teardown, where CPython has put back the default
    action, and kill the process with no message and no exit status of ours.
    """
    main_thread = threading.current_thread() is threading.main_thread()
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    # handlers can only be set from the main thread
    if signals and main_thread:
        for sig in previous:
            signal.signal(sig, on_signal)
    try:
        return call()
    except (DataError, EnvironmentProblem, OSError, Interrupted) as exc:
        return _ended(command, exc)
    finally:
        if main_thread:
            for sig, handler in previous.items():
                signal.signal(sig, signal.SIG_IGN if entry else handler)
