"""``sphinx-build`` in a staging folder that shares its unchanged files with the live site.

    python -m analysis.run.site.sphinx_child [sphinx-build arguments]

Why: ``kaztur site`` builds into a staging folder seeded with hard links to the current
site, its sources and its doctrees (so Sphinx stays incremental and the copy costs nothing),
and swaps it in only when complete. A hard-linked file is one file with two names: if
Sphinx rewrote it in place (``open(path, "w")`` truncates the file that the live site shows
too), a build stopped half-way would damage the live site. So this process, before Sphinx
runs, makes every open for writing break the link first: the name in the staging folder
gets a new file, the live site keeps its own. Appending or updating in place (``a``, ``r+``)
copies the content over first. Reading, and writing a file that is not shared, are
untouched. Everything else is plain ``sphinx-build``.
"""

from __future__ import annotations

import builtins
import ctypes
import io
import os
import shutil
import signal
import stat
import sys
from typing import Any

_REAL_OPEN = builtins.open


def _shared(path: Any) -> bool:
    try:
        st = os.stat(path)
    except (OSError, TypeError, ValueError):
        return False
    return stat.S_ISREG(st.st_mode) and st.st_nlink > 1


def unshare(path: Any, keep: bool) -> None:
    """Give ``path`` its own file (a copy of the content when ``keep``) if it is shared."""
    if not _shared(path):
        return
    if keep:
        tmp = f"{os.fspath(path)}.unshare-{os.getpid()}.tmp"
        shutil.copy2(path, tmp)
        os.replace(tmp, path)
    else:
        os.unlink(path)


def safe_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    """:func:`open` that never writes through a hard link (see the module docstring)."""
    if isinstance(file, str | bytes | os.PathLike) and any(c in mode for c in "wax+"):
        unshare(file, keep=any(c in mode for c in "a+"))
    return _REAL_OPEN(file, mode, *args, **kwargs)


def install() -> None:
    builtins.open = safe_open
    io.open = safe_open  # what pathlib.Path.open and .write_text call


def die_with_parent() -> None:
    """Be killed when ``kaztur site`` dies, however it dies (Linux), so that no orphaned
    build goes on writing; a parent already gone ends this one at once."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent or parent == 1:
        os._exit(1)


def main(argv: list[str] | None = None) -> int:
    die_with_parent()
    install()
    from sphinx.cmd.build import main as sphinx_main

    return int(sphinx_main(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    raise SystemExit(main())
