"""The worker processes of ``kaztur run`` and ``kaztur refresh-notebooks``, with one owner.

Why not :class:`concurrent.futures.ProcessPoolExecutor`: its management thread owns the
worker processes (it alone may reap them). Stopping a run means killing the workers and the
kernels they started at once; once something else had killed *and reaped* the workers, the
management thread still saw them "alive" (``waitpid`` answers only the first asker) and
spun for ever in ``shutdown_workers`` whenever its call queue was full, so ``kaztur run``
printed its last line and never exited (issue 20). Here this module is the only owner of
worker lifetimes, and nothing else ever waits on them:

* **Workers** are ``fork``-ed :class:`multiprocessing.Process` es, all started when the pool
  is made (before the live display starts its thread), daemonic (so the interpreter's own
  exit can never block on one), each the leader of a process group of its own. The
  kernels they run are forked by the run's one kernel template, which the run's parent
  starts and ends (:class:`analysis.run.zygote.Server`); kernels run in sessions of their
  own and die with the template.
* **One duplex pipe per worker**, no :class:`multiprocessing.Queue` (whose feeder thread can
  block an exit): the parent sends one task at a time to an idle worker; the worker sends
  back the task's progress events and then its result (or the exception it raised) over the
  same pipe, in order.
* **The parent waits** with :func:`multiprocessing.connection.wait` on the pipes and the
  processes' sentinels, so a worker that dies (killed, out of memory) is seen at once: its
  task comes back as :class:`Lost` naming it, and a fresh worker takes its place.
* **Stopping** kills every worker's process group and every process below it (a kernel
  started from its kernel spec included; a forked kernel is killed by its template when its
  worker's connection closes, and with the template) with SIGKILL, then ``join()`` s each
  worker: multiprocessing reaps its own children. **Finishing** asks idle workers to exit,
  joins them with a bound, and kills what is left. Either way the pool ends; no step waits
  without a bound on a process it does not own.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import pickle
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

# (key, function, arguments): one unit of work; the function runs in a worker
TaskSpec = tuple[str, Callable[..., Any], tuple[Any, ...]]
EventSink = Callable[[tuple[Any, ...]], None]
JOIN_SECONDS = 10.0  # a killed process is gone at once; this bound only guards the exit


@dataclass(frozen=True)
class Lost:
    """A task whose worker process died before answering."""

    key: str
    exitcode: int | None

    def cause(self) -> str:
        """How the worker ended, in words ("killed by SIGKILL", "exited with status 1")."""
        code = self.exitcode
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                return f"killed by {signal.Signals(-code).name}"
            return f"killed by signal {-code}"
        return "ended" if code is None else f"exited with status {code}"


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling with its message, else a RuntimeError saying what it
    was; either way with the worker's traceback as a note (shown only if it is printed)."""
    exc.add_note("in a worker process:\n" + "".join(traceback.format_exception(exc)).rstrip())
    try:
        copy = pickle.loads(pickle.dumps(exc))
        if str(copy) == str(exc):
            return exc
    except Exception:  # noqa: S110 - any failure to round-trip means: send a description
        pass
    fallback = RuntimeError(f"{type(exc).__name__}: {exc}")
    for note in getattr(exc, "__notes__", []):
        fallback.add_note(note)
    return fallback


def _serve(conn: Connection, parent_pid: int) -> None:
    """A worker's life: set up, then run the tasks the parent sends until told to stop."""
    from analysis.run import execute  # deliberate: the task module, loaded in the worker

    execute.worker_init(parent_pid)
    lock = threading.Lock()  # an event and a result must never interleave on the pipe

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            conn.send(message)

    execute.set_event_sink(lambda event: send(("event", event)))
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return  # the parent is gone
            if message is None:
                return
            key, function, args = message
            try:
                result = function(*args)
            except Exception as exc:  # the parent re-raises it: one handler, there
                send(("error", key, _portable(exc)))
                continue
            try:
                send(("done", key, result))
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                send(("error", key, _portable(exc)))
    finally:
        execute.worker_exit()


def _serve_afresh(conn: Connection, parent_pid: int) -> None:
    """:func:`_serve` in an empty :class:`contextvars.Context`. A forked worker inherits its
    parent's context variables, among them the asyncio loop that nbclient's ``run_sync``
    (jupyter_core) keeps in one: a parent that had executed a notebook in-process (a test,
    a user's Python session) handed its loop, whose epoll instance and self-pipe it still
    shares, to the worker, and the worker's first notebook spun for ever on it. In an empty
    context the worker makes a loop of its own."""
    contextvars.Context().run(_serve, conn, parent_pid)


class _Worker:
    def __init__(self, context: Any, parent_pid: int) -> None:
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve_afresh, args=(child, parent_pid),
                                       name="kaztur-worker", daemon=True)
        self.process.start()
        child.close()
        with contextlib.suppress(OSError):
            # also set by the worker itself: whichever runs first, the group exists before
            # anything could signal it
            os.setpgid(self.process.pid, self.process.pid)
        self.task: str | None = None


class WorkerPool:
    """``size`` worker processes; :meth:`run` feeds them tasks. Use it as a context manager:
    leaving the block normally finishes the workers, leaving it by an exception (a failed
    task, Ctrl-C, SIGTERM) kills them and everything they started."""

    def __init__(self, size: int) -> None:
        import multiprocessing

        self._context = multiprocessing.get_context("fork")
        self._parent = os.getpid()
        self._ended = False
        self.workers: list[_Worker] = []
        try:
            for _ in range(max(1, size)):
                self.workers.append(_Worker(self._context, self._parent))
        except BaseException:
            self.stop()
            raise

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.stop()

    # ------------------------------------------------------------------ running tasks

    def run(self, tasks: Iterable[TaskSpec], on_event: EventSink,
            after: Mapping[str, str] | None = None) -> Iterator[tuple[str, Any]]:
        """Run ``tasks`` in their order; yield ``(key, result)`` as each finishes, ``(key,
        Lost)`` for one whose worker died. ``after`` holds a task back until another has
        finished (``{task: the task it waits for}``: a notebook that shows the ledger waits
        for the ledger task); an idle worker takes the first task that may start. An
        exception a task raised is raised here (the caller's ``with`` then stops the pool).
        Progress events go to ``on_event`` as they arrive."""
        waiting: deque[TaskSpec] = deque(tasks)
        after = after or {}
        done: set[str] = set()
        def may_start(key: str) -> bool:
            return key not in after or after[key] in done

        while waiting or self._busy():
            self._hand_out(waiting, may_start)
            busy = self._busy()
            if not busy:
                if any(may_start(spec[0]) for spec in waiting):
                    continue  # an idle worker was found dead and replaced: hand out again
                raise RuntimeError("tasks wait for tasks that are not in the run: " + ", ".join(
                    f"{s[0]} (waits for {after.get(s[0])})" for s in waiting))
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    for key, outcome in self._collect(worker, on_event):
                        done.add(key)
                        yield key, outcome

    def _hand_out(self, waiting: deque[TaskSpec], may_start: Callable[[str], bool]) -> None:
        """One task to each idle worker (the first in ``waiting`` that ``may_start``); a
        worker found dead while idle is replaced and the task it could not take goes back to
        the front of the queue."""
        for index in range(len(self.workers)):
            worker = self.workers[index]
            if worker.task is not None:
                continue
            spec = next((s for s in waiting if may_start(s[0])), None)
            if spec is None:
                return
            waiting.remove(spec)
            try:
                if not worker.process.is_alive():
                    raise BrokenPipeError
                worker.conn.send(spec)
            except OSError:
                waiting.appendleft(spec)
                worker.process.join(JOIN_SECONDS)
                self._replace(worker)
                continue
            worker.task = spec[0]

    def _busy(self) -> list[_Worker]:
        return [w for w in self.workers if w.task is not None]

    def _collect(self, worker: _Worker, on_event: EventSink) -> Iterator[tuple[str, Any]]:
        """Everything ``worker`` sent; its task's outcome when it came (or the worker died)."""
        while worker.task is not None:
            try:
                if not worker.conn.poll():
                    break
                message = worker.conn.recv()
            except (EOFError, OSError):
                break  # the worker is gone: its sentinel says so below
            if message[0] == "event":
                on_event(message[1])
                continue
            key, worker.task = worker.task, None
            if message[0] == "error":
                raise message[2]
            yield key, message[2]
        if worker.task is not None and not worker.process.is_alive():
            key, worker.task = worker.task, None
            worker.process.join(JOIN_SECONDS)
            lost = Lost(key, worker.process.exitcode)
            self._replace(worker)
            yield key, lost

    def _replace(self, dead: _Worker) -> None:
        """A fresh worker in place of one that died (so the queue goes on)."""
        dead.conn.close()
        self.workers[self.workers.index(dead)] = _Worker(self._context, self._parent)

    # ------------------------------------------------------------------ ending

    def close(self) -> None:
        """Ask every worker to exit, wait (bounded), and kill whatever did not."""
        if self._ended:
            return
        for worker in self.workers:
            if worker.task is None and worker.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(JOIN_SECONDS)
        if any(w.process.is_alive() for w in self.workers):
            self.stop()
            return
        self._release()

    def stop(self) -> None:
        """Kill every worker and every process they started (kernels included), now."""
        import psutil  # type: ignore[import-untyped]

        if self._ended:
            return
        below: list[Any] = []
        for worker in self.workers:
            with contextlib.suppress(psutil.Error):
                below += psutil.Process(worker.process.pid).children(recursive=True)
        for worker in self.workers:
            with contextlib.suppress(OSError):
                os.killpg(worker.process.pid, signal.SIGKILL)
            with contextlib.suppress(OSError, ValueError):
                worker.process.kill()
        for proc in below:  # kernels run in sessions of their own
            with contextlib.suppress(psutil.Error):
                proc.kill()
        for worker in self.workers:
            with contextlib.suppress(ValueError):
                worker.process.join(JOIN_SECONDS)  # reaped by their owner, here
        # not our children: only watched (psutil polls them), bounded, never reaped here
        psutil.wait_procs(below, timeout=5)
        self._release()

    def _release(self) -> None:
        self._ended = True
        for worker in self.workers:
            worker.task = None
            worker.conn.close()
            with contextlib.suppress(ValueError):
                if worker.process.exitcode is not None:
                    worker.process.close()
