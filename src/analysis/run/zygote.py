"""Fresh kernels, forked from one warmed template process per run.

Why: a new kernel spends most of its first seconds importing (pandas, SciPy, statsmodels,
matplotlib, seaborn, the analysis package), the same work for every notebook, and the
notebooks themselves run for a few seconds each. The template (``python -m
analysis.run.zygote``, started once per ``kaztur run`` by its parent, :class:`Server`)
imports all of that once, then forks one kernel per notebook for whichever pool worker asks
(:class:`Template`, over a Unix socket): every notebook still gets a process of its own that
no other notebook has touched (isolation by construction: nothing a notebook does reaches
the template or another notebook), and none pays for the imports. One template serves every
worker: a template per worker cost each run another 4 s of CPU and 250 MB for the same
warm state.

Warming is more than importing. A fresh process also pays, on first use, for reading and
validating the data (pandera loads some 80 modules of its strategies on the first
validation), parsing the label and table-spec YAML, and looking up the figure fonts; a
notebook run in the same process as another (the benchmark's one-process floor) pays that
once. So the template does each of these once too (:func:`warm`): every dataset is loaded
(from ``data/processed/``, which the run has just made current; cached by path,
modification time and size, so a changed file is read again), the labels
and table specs are read, and one figure is drawn with the notebooks' style inside
``rc_context`` (matplotlib's settings are left as a fresh process has them). Bad data is not
the template's business: an error met while warming is dropped, and the notebook that loads
that file meets and reports it in its own cell.

What is warmed follows the run's notebooks (:func:`warm_plan`, read from their code cells
without running them): all of the above when one of them imports the library's session, as
every notebook of the project does; otherwise only the kernel's own modules and the
notebooks' imports from the packages listed here, so that a notebook that does not use the
library (a teacher's own, a test's) does not wait for three seconds of imports.

The kernel is ready when it has answered ``kernel_info`` and a message has come over IOPub
(so IOPub is connected), not after jupyter_client's fixed 0.2 s of IOPub silence, which
cost every notebook a fifth of a second. Messages left on IOPub from the start answer no
cell, and nbclient passes them over.

What it costs: the template's memory (~250 MB per run; the kernels share its pages
copy-on-write); import-time warnings of the preloaded libraries go to the template's log
instead of the first cell's output; a kernel is not started from its kernel spec's command
line (the ``kaztur`` kernel spec is still checked, and ``KAZTUR_FRESH_KERNELS=1`` starts each
kernel from it the ordinary way, which ``kaztur refresh-notebooks`` and nbval always do).

Lifetimes: the template dies with the run's parent process (parent-death signal) and is
killed when the run ends or is stopped (:meth:`Server.close`); a kernel dies with its
template (parent-death signal, and ipykernel watches its parent), so a killed run leaves
nothing behind. A worker that dies only closes its connection.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import ctypes
import importlib
import io
import json
import os
import pkgutil
import queue
import secrets
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import analysis
from analysis.errors import DataError
from analysis.run.discovery import python_source

JOIN_SECONDS = 5.0  # a killed process is gone at once; this bound only guards the exit
LOG_NAME = "template.log"  # the template's stderr, in the run's private folder

#: what every kernel imports, whatever its notebook does
KERNEL = ("IPython", "IPython.core.pylabtools", "IPython.core.magics.execution",
          "ipykernel.kernelapp")
#: the notebooks' way into the library (``start``): a run with a notebook that imports it
#: gets the whole warm-up
SESSION = "analysis.present.session"
# What notebooks import besides the library itself (library_modules); the template imports
# it once. pyplot is imported but never used here (the warm-up draws on an Agg canvas), so
# each kernel picks the inline backend as a fresh kernel would
WARM = ("numpy", "pandas", "scipy.stats", "statsmodels.api", "statsmodels.formula.api",
        "statsmodels.stats.outliers_influence", "matplotlib", "matplotlib.pyplot",
        "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg", "seaborn",
        "pyarrow", "pyarrow.pandas_compat", "pandas.io.formats.html",
        "pandas.io.formats.csvs", *KERNEL, SESSION)
FRESH_ENV = "KAZTUR_FRESH_KERNELS"
_PR_SET_PDEATHSIG = 1


def enabled() -> bool:
    return os.environ.get(FRESH_ENV, "") not in ("1", "true", "yes")


# --------------------------------------------------------------------------- template side


def _reap(signum: int, frame: Any) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _child(request: dict[str, Any]) -> None:
    """In the forked kernel: a session of its own, its folder and environment, then the
    ordinary ipykernel application on the connection file the worker wrote."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    log = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(request["cwd"])
    os.environ.update(request["env"])
    template = int(request["template"])
    os.environ["JPY_PARENT_PID"] = str(template)
    if sys.platform.startswith("linux"):  # die with the template, at once
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != template:  # the template died before the line above took effect
        os._exit(1)
    from ipykernel.kernelapp import IPKernelApp

    try:
        # the parent handle is given explicitly: its default was read from the environment
        # when the template imported ipykernel, before this kernel existed
        IPKernelApp.launch_instance(argv=["-f", request["connection_file"],
                                          f"--IPKernelApp.parent_handle={template}",
                                          *request["arguments"]])
    finally:
        os._exit(0)


def library_modules() -> list[str]:
    """Every module of the library a notebook may import: all of ``analysis`` except the
    run machinery (whose ``session`` is in :data:`WARM`)."""
    return sorted(m.name for m in pkgutil.walk_packages(analysis.__path__, "analysis.")
                  if not m.name.startswith("analysis.run"))


def _warm_data() -> None:
    # deliberate lazy imports (here and in _warm_fonts): this module is also loaded by the
    # parent of every run, which must not pay for pandas and matplotlib on a no-op run
    from analysis.data import datasets, official
    from analysis.present import i18n, tablespec

    i18n.labels()
    tablespec.specs()
    for load, names in ((datasets.load, datasets.names()), (official.load, official.RESOURCES)):
        for name in names:
            # a bad or missing file: the notebook that loads it reports it in its cell
            with contextlib.suppress(DataError, OSError):
                load(name)


def _warm_fonts() -> None:
    """Draw one figure in the notebooks' style (regular and bold text, Kazakh letters,
    mathtext) on an Agg canvas, leaving rcParams as they were and pyplot's backend
    unchosen."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from analysis.present import style

    with matplotlib.rc_context():
        style.apply_theme()
        fig = Figure()
        ax = fig.subplots()
        ax.plot([2018, 2023], [0.5, 1.5], label=style.KAZAKH_LETTERS)
        ax.set_title(style.KAZAKH_LETTERS)
        ax.set_xlabel(r"$R^2$ " + style.KAZAKH_LETTERS)
        ax.legend()
        FigureCanvasAgg(fig).print_png(io.BytesIO())


def imported_modules(sources: Iterable[str]) -> set[str]:
    """The modules the import statements of ``sources`` (code cells) name, read without
    running them: ``import a.b`` names ``a.b``; ``from a import b`` names ``a`` and ``a.b``
    (``b`` may be a module). IPython's ``%`` and ``!`` lines are left out; a cell that is
    still not Python names nothing."""
    names: set[str] = set()
    for source in sources:
        tree = _parsed(source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _parsed(source: str) -> ast.Module | None:
    for text in (source, python_source(source)):
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError):
            continue
    return None


def warm_plan(sources: Iterable[str]) -> list[str] | None:
    """What the template warms for notebooks whose code cells are ``sources``: None (the
    whole warm-up, :func:`warm`) when one imports the library's session, as every notebook
    of the project does; otherwise the kernel's own modules and those the notebooks import
    from the packages the whole warm-up would import (the library but its run machinery,
    and :data:`WARM`'s). Why: a notebook that does not use the library (a teacher's own
    notebook, a test's) should not wait three seconds of CPU for imports it never uses, and
    a module of any other package is not imported into the template at all (its import may
    do what a notebook should do in its own process)."""
    names = imported_modules(sources)
    if SESSION in names:
        return None
    packages = {name.split(".")[0] for name in WARM} | {"analysis"}
    return [*KERNEL, *sorted(n for n in names if n.split(".")[0] in packages
                             and not n.startswith("analysis.run"))]


def warm(modules: Sequence[str] | None = None) -> None:
    """What every kernel would otherwise pay again: the imports, then the first use of the
    data, labels and fonts (see the module's docstring); ``modules`` (from
    :func:`warm_plan`): only these imports. A module named there that cannot be imported
    is the notebook's business, which meets the error in its own cell."""
    if modules is not None:
        for name in modules:
            with contextlib.suppress(Exception):
                importlib.import_module(name)
        return
    for name in (*WARM, *library_modules()):
        importlib.import_module(name)
    _warm_data()
    _warm_fonts()


def _die_with(parent: int) -> None:
    """This process dies at once (SIGKILL) when ``parent`` does; it exits now if ``parent``
    died before the signal was set."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _child_of_mine(pid: int) -> bool:
    """``pid`` is a running child of this process (not a PID reaped and used again)."""
    return _parent_while_running(pid) in (os.getpid(), UNKNOWN_PARENT)


def _line(conn: socket.socket, record: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):  # a worker that died: nobody to answer
        conn.sendall((json.dumps(record) + "\n").encode())


def serve(listener: socket.socket, parent: int, modules: Sequence[str] | None = None) -> None:
    """The template: warm up (``modules``: see :func:`warm`), then answer every worker
    that connects to ``listener``: a ``ready`` line, then for each request line a kernel
    forked and its PID. When a worker's connection ends (it finished, or it was killed
    mid-notebook), a kernel it asked for that is still running is killed: nobody is left
    to talk to it."""
    _die_with(parent)
    warm(modules)
    signal.signal(signal.SIGCHLD, _reap)
    select = selectors.DefaultSelector()
    select.register(listener, selectors.EVENT_READ)
    pending: dict[socket.socket, bytes] = {}
    asked_by: dict[int, socket.socket] = {}  # kernel PID: the connection that asked for it
    while True:
        for key, _ in select.select():
            if key.fileobj is listener:
                conn, _ = listener.accept()
                pending[conn] = b""
                select.register(conn, selectors.EVENT_READ)
                _line(conn, {"ready": os.getpid()})
                continue
            conn = key.fileobj  # type: ignore[assignment]
            try:
                data = conn.recv(1 << 16)
            except OSError:
                data = b""
            if not data:  # the worker finished or died
                select.unregister(conn)
                conn.close()
                del pending[conn]
                for pid in [pid for pid, asker in asked_by.items() if asker is conn]:
                    del asked_by[pid]
                    if _child_of_mine(pid):  # a session leader: its group goes too
                        with contextlib.suppress(OSError):
                            os.killpg(pid, signal.SIGKILL)
                continue
            pending[conn] += data
            while b"\n" in pending[conn]:
                line, pending[conn] = pending[conn].split(b"\n", 1)
                request = {**json.loads(line), "template": os.getpid()}
                pid = os.fork()
                if pid == 0:
                    for sock in (listener, *pending):  # the kernel holds no socket of ours
                        sock.close()
                    _child(request)
                asked_by[pid] = conn  # a PID used again is the new kernel's
                _line(conn, {"pid": pid})


# --------------------------------------------------------------------------- worker side


UNKNOWN_PARENT = -1  # a process that exists, where there is no /proc to name its parent


def _parent_while_running(pid: int) -> int | None:
    """The parent PID of ``pid`` while it runs; None once it has ended (a zombie too)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            state, ppid = handle.read().rsplit(")", 1)[1].split()[:2]
    except FileNotFoundError:
        return None
    except OSError:  # no /proc: ask the kernel whether it is there at all
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return UNKNOWN_PARENT
    return None if state in ("Z", "X") else int(ppid)


def _running(pid: int | None) -> bool:
    return pid is not None and _parent_while_running(pid) is not None


class Server:
    """The run's kernel template, started by the run's parent before its workers (so it is
    nobody's worker and outlives none): a process that listens on a Unix socket of its own
    (abstract on Linux) at :attr:`address`, which the workers' :class:`Template` s connect
    to. :meth:`close` kills it and whatever kernel is left."""

    def __init__(self, env: dict[str, str], cwd: str, log: Path,
                 modules: Sequence[str] | None = None) -> None:
        """``modules``: what the template warms (:func:`warm_plan`; None: everything)."""
        self.log = log
        self._folder = None if sys.platform.startswith("linux") else tempfile.mkdtemp()
        self.address = (f"\0kaztur-template-{os.getpid()}-{secrets.token_hex(8)}"
                        if self._folder is None else str(Path(self._folder) / "template"))
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(self.address)
            listener.listen(64)
            with open(log, "ab") as err:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "analysis.run.zygote", str(listener.fileno()),
                     str(os.getpid()), json.dumps(modules)], pass_fds=(listener.fileno(),),
                    stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                    env={**os.environ, **env}, cwd=cwd)
        finally:
            listener.close()  # the template holds it now

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Kill the template and every kernel it forked that is still there, and wait for
        them (bounded)."""
        import psutil  # type: ignore[import-untyped]

        below: list[Any] = []
        with contextlib.suppress(psutil.Error):
            below = psutil.Process(self.proc.pid).children(recursive=True)
        with contextlib.suppress(OSError):
            self.proc.kill()
        for proc in below:  # kernels run in sessions of their own
            with contextlib.suppress(psutil.Error):
                proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(JOIN_SECONDS)  # our child: reaped here
        psutil.wait_procs(below, timeout=JOIN_SECONDS)  # not ours: only watched
        if self._folder is not None:
            with contextlib.suppress(OSError):
                Path(self.address).unlink()
                os.rmdir(self._folder)


class Template:
    """A worker's connection to the run's template (:class:`Server`)."""

    def __init__(self, address: str, log: Path) -> None:
        self.log = log
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.sock.connect(address)
        except OSError:
            self.sock.close()
            self._ended()
        self.file = self.sock.makefile("rw", encoding="utf-8")
        self.pid = self._expect("ready")  # waits while the template warms up

    def _ended(self) -> NoReturn:
        tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-8:]
                         if self.log.is_file() else [])
        raise RuntimeError(f"the kernel template process ended; its last words:\n{tail}")

    def _expect(self, key: str) -> int:
        try:
            line = self.file.readline()
        except OSError:
            line = ""
        if not line:
            self._ended()
        return int(json.loads(line)[key])

    def spawn(self, connection_file: str, cwd: str, env: dict[str, str], stderr: str,
              arguments: list[str]) -> int:
        try:
            self.file.write(json.dumps({"connection_file": connection_file, "cwd": cwd,
                                        "env": env, "stderr": stderr,
                                        "arguments": arguments}) + "\n")
            self.file.flush()
        except OSError:
            self._ended()
        return self._expect("pid")

    def alive(self) -> bool:
        return _running(self.pid)

    def close(self) -> None:
        """This worker's connection closed; the template goes on serving the others."""
        with contextlib.suppress(OSError):
            self.file.close()
            self.sock.close()


async def _answer(channel: Any, asked: set[str] | None, within: float
                  ) -> dict[str, Any] | None:
    """The first message on ``channel`` within ``within`` seconds that answers one of the
    requests ``asked`` (None: any message); others are passed over."""
    deadline = time.monotonic() + within
    while (left := deadline - time.monotonic()) > 0:
        try:
            msg = await channel.get_msg(timeout=left)
        except queue.Empty:
            return None
        if asked is None or msg.get("parent_header", {}).get("msg_id") in asked:
            return dict(msg)
    return None


def _client_class() -> Any:
    from jupyter_client.asynchronous import AsyncKernelClient

    class Client(AsyncKernelClient):
        """Knows its kernel by PID: a loaded machine that misses a heartbeat is not a
        dead kernel."""

        kernel_pid: int | None = None

        async def _async_is_alive(self) -> bool:
            return _running(self.kernel_pid)

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """Ready once ``kernel_info`` is answered and a message has come over IOPub
            (its welcome on subscribing, or the request's status), which shows IOPub is
            connected; without one, ask again (as jupyter_client does)."""
            deadline = time.monotonic() + (timeout or 60)
            asked: set[str] = set()
            while time.monotonic() < deadline:
                asked.add(self.kernel_info())
                reply = await _answer(self.shell_channel, asked, 1.0)
                if reply is not None and await _answer(self.iopub_channel, None, 0.2):
                    self._handle_kernel_info_reply(reply)
                    return
                if not await self._async_is_alive():
                    raise RuntimeError("the kernel died before replying to kernel_info")
            raise RuntimeError("the kernel did not become ready in time")

    return Client


class ForkedKernelManager:
    """The part of jupyter_client's KernelManager that nbclient uses, for a kernel forked
    from a :class:`Template`."""

    ipykernel = True

    def __init__(self, template: Template, connection_file: Path, env: dict[str, str],
                 stderr: Path, kernel_name: str) -> None:
        self.template, self.connection_file = template, connection_file
        self.env, self.stderr, self.kernel_name = env, stderr, kernel_name
        self.pid: int | None = None
        self.info: Any = {}

    @property
    def has_kernel(self) -> bool:
        return self.pid is not None

    async def start_kernel(self, **kwargs: Any) -> None:
        from jupyter_client.connect import write_connection_file

        ipc = str(self.connection_file.with_suffix("")) + "-ipc"
        _, self.info = write_connection_file(str(self.connection_file), transport="ipc",
                                             ip=ipc, key=os.urandom(16).hex().encode())
        self.pid = self.template.spawn(str(self.connection_file),
                                       str(kwargs.get("cwd") or os.getcwd()), self.env,
                                       str(self.stderr),
                                       list(kwargs.get("extra_arguments") or []))

    def client(self, **kwargs: Any) -> Any:
        kc = _client_class()(connection_file=str(self.connection_file))
        kc.load_connection_file()
        kc.kernel_pid = self.pid
        return kc

    async def is_alive(self) -> bool:
        return _running(self.pid)

    async def interrupt_kernel(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGINT)

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            for _ in range(100):
                if not _running(self.pid):
                    break
                await asyncio.sleep(0.02)

    async def cleanup_resources(self, restart: bool = False) -> None:
        base = str(self.connection_file.with_suffix("")) + "-ipc"
        for path in [self.connection_file, *Path(base).parent.glob(Path(base).name + "-*")]:
            Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])), int(sys.argv[2]), json.loads(sys.argv[3]))
