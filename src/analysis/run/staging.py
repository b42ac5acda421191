"""Crash-only writing of whole folders, and the one-run-at-a-time lock of a project.

* **Stage, then swap.** ``reports/`` and ``data/processed/`` are each built in a staging
  folder beside the target (``.reports-staging-<pid>``) and swapped in whole: on Linux by
  one atomic ``renameat2(RENAME_EXCHANGE)``, elsewhere by two renames (old aside, new in),
  which a later run completes or undoes. At no moment does the target hold a mix of two
  runs, and a killed run leaves the previous folder intact.
* **Leftovers are cleaned at start.** Staging folders, half-swapped folders and stray
  ``.*.tmp`` files whose process is gone are removed (or, for a target caught between the
  two renames, put back) by the next run, under the lock.
* **The lock cannot outlive its owner.** It is a POSIX record lock (``lockf``) on
  ``.kaztur-cache/lock``: the OS releases it when the owning process dies, however it dies,
  and forked workers do not inherit it (the descriptor is also close-on-exec, so kernels
  never see it). The file records the owner's PID: a second run reports who holds the lock
  and waits for it; a run that finds the record of an owner that died without releasing
  reports that the previous run was killed and cleans up after it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

LOCK_NAME = "lock"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------------------- the lock


def _read_record(fd: int) -> dict[str, Any] | None:
    # read through the locked descriptor: closing any other descriptor of this file would
    # drop a POSIX lock held by this process
    data = os.pread(fd, 4096, 0)
    try:
        record = json.loads(data.decode("utf-8")) if data.strip() else None
    except (UnicodeDecodeError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _holder_text(record: dict[str, Any] | None) -> str:
    if not record:
        return "another kaztur command"
    started = time.strftime("%H:%M:%S", time.localtime(float(record.get("started", 0))))
    return (f"kaztur {record.get('command', '')} (PID {record.get('pid')}, "
            f"started {started})").replace("  ", " ")


def lock_folder(root: Path) -> Path:
    """Where the project's lock lives (``.kaztur-cache/``, wherever the cache is)."""
    return root / ".kaztur-cache"


@contextlib.contextmanager
def project_lock(root: Path, command: str, note: Callable[[str], None]) -> Iterator[bool]:
    """Hold the project's lock while the block runs; yields True when the previous holder
    died without releasing it (its leftovers are then the caller's to clean).

    A busy lock is waited for (never broken: the OS frees it when its owner exits, so a
    lock held is a run alive); ``note`` says who holds it and how to stop waiting.
    """
    folder = lock_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            holder = _read_record(fd)
            pid = holder.get("pid") if holder else None
            note(f"{_holder_text(holder)} is working on this project; waiting for it to "
                 f"finish (Ctrl-C stops waiting" + (f"; `kill {pid}` stops that run)" if pid
                                                   else ")"))
            fcntl.lockf(fd, fcntl.LOCK_EX)
        previous = _read_record(fd)
        stale = previous is not None and previous.get("pid") != os.getpid()
        if previous is not None and stale:
            note(f"the previous {_holder_text(previous)} was stopped before it finished "
                 "(killed?); its leftovers are removed and nothing it half-wrote is used")
        mine = json.dumps({"pid": os.getpid(), "command": command, "started": time.time()})
        os.ftruncate(fd, 0)
        os.pwrite(fd, mine.encode("utf-8"), 0)
        try:
            yield stale
        finally:
            os.ftruncate(fd, 0)
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- swap


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` (a folder) by ``staging`` as a whole, then delete the old one."""
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def staging_dir(target: Path) -> Path:
    """A fresh, empty staging folder beside ``target`` named for this process."""
    staging = target.with_name(f".{target.name}-staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def clean_leftovers(target: Path) -> list[str]:
    """Remove staging and old folders of ``target`` left by processes that are gone, put a
    target caught between two renames back, and delete stray ``.*.tmp`` files in it."""
    removed: list[str] = []
    for path in sorted(target.parent.glob(f".{target.name}-*-*")):
        kind, _, pid_text = path.name.removeprefix(f".{target.name}-").rpartition("-")
        if not pid_text.isdigit() or kind not in ("staging", "old"):
            continue
        if pid_alive(int(pid_text)) and int(pid_text) != os.getpid():
            continue
        if kind == "old" and not target.exists():
            os.rename(path, target)  # the swap was killed between its two renames
            removed.append(f"{path.name} (restored as {target.name})")
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    if target.is_dir():
        for tmp in sorted(target.rglob(".*.tmp")):
            if tmp.is_file():
                tmp.unlink()
                removed.append(tmp.relative_to(target.parent).as_posix())
    return removed


def clean_runtime_dirs(prefix: str = "kaztur-run-") -> None:
    """Remove the private kernel folders (connection files, IPC sockets) of runs whose
    process is gone (``<tmp>/kaztur-run-<pid>-*``)."""
    import tempfile

    for path in Path(tempfile.gettempdir()).glob(f"{prefix}*-*"):
        pid_text = path.name.removeprefix(prefix).split("-", 1)[0]
        if pid_text.isdigit() and not pid_alive(int(pid_text)):
            shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- writable?


def unwritable(folder: Path) -> OSError | None:
    """Why a command could not write in ``folder`` (an OSError as the write would raise
    it), or None. A folder that does not exist yet is created by the command, so then the
    nearest existing folder above it is what must be writable. Permission bits, a
    read-only file system and an immutable folder all count (``access(2)`` knows them
    all, for root too)."""
    path = folder.absolute()
    while not path.exists() and path.parent != path:
        path = path.parent
    if not path.is_dir():
        return NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    if os.access(path, os.W_OK | os.X_OK):
        return None
    read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    code = errno.EROFS if read_only else errno.EACCES
    return OSError(code, os.strerror(code), str(path))


def require_writable(folders: Iterable[Path]) -> None:
    """Raise the OSError of the first folder a command could not write in, before the
    command does any work (so a read-only reports/ is found before the first notebook
    runs, not at the swap)."""
    for folder in folders:
        problem = unwritable(folder)
        if problem is not None:
            raise problem


# --------------------------------------------------------------------------- reports/


def link_or_copy(src: str, dst: str) -> None:
    """Hard-link an unchanged file from the previous folder into the new one (copy where
    links are impossible): the old folder is deleted after the swap, so nothing shares."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def carry_over(current: Path, staging: Path, skip: Iterable[str]) -> list[str]:
    """Bring the entries of ``current`` not named in ``skip`` into ``staging``."""
    kept: list[str] = []
    if not current.is_dir():
        return kept
    skipped = set(skip)
    for entry in sorted(current.iterdir()):
        if entry.name in skipped or entry.name.startswith("."):
            continue
        target = staging / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, symlinks=True, copy_function=link_or_copy)
        else:
            link_or_copy(str(entry), str(target))
        kept.append(entry.name)
    return kept
