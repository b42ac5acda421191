"""``kaztur lab``: JupyterLab on ``notebooks/`` (the teacher's copies) or, with
``--handouts``, on the students' copies, with the project kernel and no pop-ups.

    kaztur lab                         notebooks/ (analyses and the seminar, solutions collapsed)
    kaztur lab --handouts              reports/handouts/kk/ (written when missing, then kept)
    kaztur lab --handouts --lang en    reports/handouts/en/
    kaztur lab --handouts --reset      fresh handouts (the students' answers in them are lost)
    kaztur lab -- --port 8899          options after ``--`` (or unknown ones) go to JupyterLab

Why a wrapper rather than plain ``jupyter lab``: in a seminar the first thing students see
must be the notebook, not a "Select Kernel" dialog (a notebook whose kernel is not
registered), a "Would you like to receive official Jupyter news?" toast, or an update
notice fetched from the internet. The settings that prevent those live in the repository
under ``jupyter_config/`` so they are reviewed and versioned like code:

* ``jupyter_config/jupyter_server_config.json``: the default kernel is ``kaztur`` (the
  venv's kernel, the one papermill and nbval also use), the news feed URL is ``null`` and
  the update checker is JupyterLab's ``NeverCheckForUpdate``, the extension manager is
  read-only (it would otherwise query PyPI).
* ``jupyter_config/lab/settings/overrides.json``: the notification settings default to
  ``fetchNews: "false"`` and ``checkForUpdates: false``.
* ``jupyter_config/labconfig/page_config.json``: the front-end announcements plugin is
  disabled outright.

``JUPYTER_CONFIG_DIR`` points at that folder. The user's own JupyterLab settings and
workspaces stay where they were (``JUPYTERLAB_SETTINGS_DIR``/``JUPYTERLAB_WORKSPACES_DIR``
are pinned to the user's defaults), so nothing is written into the repository.

Extra arguments pass through to JupyterLab: ``kaztur lab --port 8899 --no-browser``. A
folder given to JupyterLab (``--ServerApp.root_dir=DIR`` or ``--notebook-dir=DIR``) replaces
``notebooks/`` rather than clashing with it ("root_dir only accepts one value").
The browser test starts the server through :func:`running_server`, i.e. exactly this way.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_core.paths import jupyter_config_dir

from analysis import config
from analysis.errors import rel
from analysis.run import handouts

KERNEL_NAME = "kaztur"
KERNEL_DISPLAY_NAME = "kaztur-analysis (Python 3)"
#: How to (re-)register the kernel; the Makefile's env target does the same on first set-up.
REGISTER_HINT = (f'`.venv/bin/python -m ipykernel install --sys-prefix --name {KERNEL_NAME} '
                 f'--display-name "{KERNEL_DISPLAY_NAME}"`')
CONFIG_DIR: Path = config.ROOT / "jupyter_config"
APP_SETTINGS_DIR: Path = CONFIG_DIR / "lab" / "settings"

#: Command-line options that keep JupyterLab quiet and offline. They repeat what the config
#: files say so that the intent is visible in ``ps`` and survives a user config that
#: differs (the command line has the highest priority in traitlets).
QUIET_OPTIONS: tuple[str, ...] = (
    "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    "--LabApp.news_url=None",
    "--LabApp.extension_manager=readonly",
    f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}",
)


def _user_lab_dirs(environ: Mapping[str, str]) -> dict[str, str]:
    """The user's JupyterLab settings/workspaces folders as they are *before* we change
    ``JUPYTER_CONFIG_DIR`` (which would otherwise move them into the repository)."""
    saved = os.environ.get("JUPYTER_CONFIG_DIR")
    try:
        if "JUPYTER_CONFIG_DIR" in environ:
            os.environ["JUPYTER_CONFIG_DIR"] = environ["JUPYTER_CONFIG_DIR"]
        else:
            os.environ.pop("JUPYTER_CONFIG_DIR", None)
        base = Path(jupyter_config_dir()) / "lab"
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_CONFIG_DIR", None)
        else:
            os.environ["JUPYTER_CONFIG_DIR"] = saved
    return {
        "JUPYTERLAB_SETTINGS_DIR": environ.get("JUPYTERLAB_SETTINGS_DIR",
                                               str(base / "user-settings")),
        "JUPYTERLAB_WORKSPACES_DIR": environ.get("JUPYTERLAB_WORKSPACES_DIR",
                                                 str(base / "workspaces")),
    }


def build_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment JupyterLab runs in (a copy of ``base``, default ``os.environ``)."""
    base = dict(os.environ if base is None else base)
    env = {**base, **_user_lab_dirs(base)}
    env["JUPYTER_CONFIG_DIR"] = str(CONFIG_DIR)
    env.setdefault("KAZTUR_ROOT", str(config.ROOT))
    # Plain ``jupyter`` commands run by the server (e.g. for kernels) use the same venv.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), base.get("PATH", "")])
    return env


#: JupyterLab options that name the folder it serves (traitlets refuses two of them).
ROOT_OPTIONS = ("--ServerApp.root_dir", "--ServerApp.notebook_dir", "--notebook-dir")


def root_option(extra: Sequence[str]) -> Path | None:
    """The folder named by a :data:`ROOT_OPTIONS` option in ``extra`` (the last one)."""
    found = None
    args = list(extra)
    for i, arg in enumerate(args):
        for option in ROOT_OPTIONS:
            if arg.startswith(option + "="):
                found = arg.split("=", 1)[1]
            elif arg == option and i + 1 < len(args):
                found = args[i + 1]
    return Path(found).expanduser() if found else None


def build_command(extra: Sequence[str] = (), notebooks_dir: Path | None = None) -> list[str]:
    """``python -m jupyterlab`` with the project options; ``extra`` comes last and wins.
    When ``extra`` names the folder to serve, that folder replaces ``notebooks_dir``."""
    root = Path(notebooks_dir or config.NOTEBOOKS_DIR).resolve()
    serve = [] if root_option(extra) is not None else [f"--ServerApp.root_dir={root}"]
    # CI containers run as root; Jupyter refuses that unless told it is deliberate.
    as_root = ["--ServerApp.allow_root=True"] if _is_root() else []
    return [
        sys.executable, "-m", "jupyterlab",
        *serve,
        f"--LabApp.app_settings_dir={APP_SETTINGS_DIR}",
        *QUIET_OPTIONS,
        *as_root,
        *extra,
    ]


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def kernel_problems(name: str = KERNEL_NAME) -> list[str]:
    """Why the project kernel would not start from this venv ([] when it is fine)."""
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return [f"no Jupyter kernel named {name!r} is registered; run {REGISTER_HINT}"]
    problems = []
    kernel_python = Path(spec.argv[0])
    if kernel_python.resolve() != Path(sys.executable).resolve():
        problems.append(f"kernel {name!r} runs {kernel_python}, not this venv's "
                        f"{sys.executable}; run {REGISTER_HINT}")
    if spec.display_name != KERNEL_DISPLAY_NAME:
        problems.append(f"kernel {name!r} is displayed as {spec.display_name!r}, "
                        f"expected {KERNEL_DISPLAY_NAME!r}")
    return problems


def notebook_kernel_problems(root: Path | None = None) -> list[str]:
    """Notebooks under ``root`` whose metadata names another kernel (JupyterLab would ask
    the user to pick one on first open)."""
    root = Path(root or config.NOTEBOOKS_DIR)
    problems = []
    for path in sorted(root.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        name = meta.get("kernelspec", {}).get("name")
        if name != KERNEL_NAME:
            problems.append(f"{path.relative_to(root)}: kernelspec name {name!r}, "
                            f"expected {KERNEL_NAME!r}")
    return problems


def free_port() -> int:
    """A localhost TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LabServer:
    """A running JupyterLab: where it is and how to authenticate."""

    url: str
    token: str
    process: subprocess.Popen
    log: Path

    def api(self, path: str, timeout: float = 10, method: str = "GET",
            body: object = None) -> object:
        """Call ``path`` (relative to the server) with the token; the JSON reply or None."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(f"{self.url}{path.lstrip('/')}", data=data,
                                         method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            text = response.read().decode("utf-8")
        return json.loads(text) if text.strip() else None

    def page_config(self) -> dict:
        """The ``jupyter-config-data`` JSON the /lab page hands to the front end."""
        request = urllib.request.Request(f"{self.url}lab?token={self.token}")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            html = response.read().decode("utf-8")
        found = re.search(r'<script id="jupyter-config-data" type="application/json">'
                          r"(.*?)</script>", html, re.S)
        if found is None:
            raise ValueError("no jupyter-config-data in the /lab page")
        return json.loads(found.group(1))

    def lab_url(self, notebook: str, workspace: str | None = None) -> str:
        """URL that opens ``notebook``; with ``workspace``, in that fresh (reset) workspace
        so that tabs restored from an earlier visit do not interfere."""
        if workspace is None:
            return f"{self.url}lab/tree/{notebook}?token={self.token}"
        return f"{self.url}lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}"


#: Run by the server's interpreter before it becomes JupyterLab (``execv``, same PID): the
#: kernel sends it SIGTERM when the process that started it dies, however that dies (a
#: SIGKILLed pytest too), so the server shuts its kernels down and exits; a kernel whose
#: server is gone exits by itself (ipykernel watches its parent). Exits at once if that
#: process is already gone.
_DIE_WITH_PARENT = """\
import ctypes, os, signal, sys
ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)
os.execv(sys.argv[2], sys.argv[2:])
"""


def _dies_with_this_process(cmd: list[str]) -> list[str]:
    """``cmd`` run so that it gets SIGTERM when this process dies (Linux; elsewhere as is)."""
    if not sys.platform.startswith("linux"):
        return cmd
    return [sys.executable, "-c", _DIE_WITH_PARENT, str(os.getpid()), *cmd]


@contextmanager
def running_server(notebooks_dir: Path, workdir: Path, timeout: float = 60,
                   extra: Sequence[str] = ()) -> Iterator[LabServer]:
    """Start JupyterLab headless on a free port (as ``kaztur lab`` would) and stop it after.

    ``workdir`` (a temporary folder) receives the server log and isolated user settings,
    workspaces and runtime files, so a test leaves no trace in the home directory. The
    server and its kernels end with the process that started them, even when that process
    is killed and cannot stop them (a test run stopped from outside leaves nothing behind).
    """
    port, token = free_port(), secrets.token_hex(16)
    env = build_env({**os.environ,
                     "JUPYTERLAB_SETTINGS_DIR": str(workdir / "user-settings"),
                     "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
                     "JUPYTER_RUNTIME_DIR": str(workdir / "runtime")})
    cmd = build_command([
        "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", *extra,
    ], notebooks_dir=notebooks_dir)
    log = workdir / "jupyterlab.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(_dies_with_this_process(cmd), env=env, stdout=sink,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}/", token, process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n"
                                   f"{log.read_text(errors='replace')[-3000:]}")
            try:
                server.api("api/status", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"JupyterLab not up after {timeout:.0f} s:\n"
                                       f"{log.read_text(errors='replace')[-3000:]}") from None
                time.sleep(0.25)
        yield server
    finally:
        _stop(process)


def _stop(process: subprocess.Popen, grace: float = 10) -> None:
    """Stop the server (and the kernels it started: same process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=grace)


@dataclass
class LabOptions:
    """``kaztur lab``'s own options; everything else goes to JupyterLab."""

    use_handouts: bool = False
    lang: str = handouts.DEFAULT_LANG
    reset: bool = False
    extra: list[str] | None = None


def options_from(args: argparse.Namespace) -> LabOptions:
    """``kaztur lab``'s own options (declared in :mod:`analysis.run.cli`, so that
    ``kaztur lab --help`` lists them) and the rest for JupyterLab (everything after ``--``
    or not ours, in order). ``--lang``/``--reset`` need ``--handouts``."""
    rest = list(getattr(args, "lab_args", None) or [])
    if "--" in rest:
        rest.remove("--")  # the first one: it only separated ours from JupyterLab's
    use, lang, reset = (getattr(args, "handouts", False), getattr(args, "lang", None),
                        getattr(args, "reset", False))
    if not use and (reset or lang is not None):
        raise ValueError("--lang and --reset go with --handouts: "
                         "kaztur lab --handouts --lang en")
    return LabOptions(use, lang or handouts.DEFAULT_LANG, reset, rest)


def parse_options(args: Sequence[str]) -> LabOptions:
    """The options of ``kaztur lab ARGS`` as the command line parses them (a wrong
    ``--lang`` exits with status 2, as argparse does)."""
    from analysis.run import cli  # the command line imports this module when it runs lab

    return options_from(cli.parse(["lab", *args]))


def _prepare_handouts(options: LabOptions) -> Path:
    """Write the missing handouts (all with ``--reset``) and say what was done."""
    done = handouts.ensure(handouts.HANDOUTS_DIR / options.lang, options.lang,
                           reset=options.reset)
    print(f"kaztur lab: handouts in {rel(done.folder)}: {len(done.written)} written, "
          f"{len(done.kept)} kept (students' answers are kept; --reset rewrites them)",
          file=sys.stderr)
    for path in done.outdated:
        print(f"  - {path.name} was made from an older version of the notebook; "
              "`kaztur lab --handouts --reset` replaces it", file=sys.stderr)
    return done.folder


def main(args: argparse.Namespace | Sequence[str] | None = None) -> int:
    """Entry point of ``kaztur lab``: check the kernel, then run JupyterLab in the foreground."""
    try:
        options = (options_from(args) if isinstance(args, argparse.Namespace)
                   else parse_options(list(args or [])))
    except ValueError as exc:
        print(f"kaztur lab: {exc}", file=sys.stderr)
        return 2
    extra = options.extra or []
    root = Path(root_option(extra) or config.NOTEBOOKS_DIR)
    if options.use_handouts:
        if root_option(extra) is not None:
            print("kaztur lab: --handouts chooses the folder; drop the root_dir option",
                  file=sys.stderr)
            return 2
        root = _prepare_handouts(options)
    problems = kernel_problems() + notebook_kernel_problems(root)
    if problems:
        print("kaztur lab: the notebooks would not open cleanly:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    if shutil.which("jupyter", path=str(Path(sys.executable).parent)) is None:
        print("kaztur lab: JupyterLab is not installed in this environment; run `make env`",
              file=sys.stderr)
        return 1
    cmd = build_command(extra, notebooks_dir=root)
    print(f"kaztur lab: JupyterLab on {root} with kernel {KERNEL_NAME!r} "
          f"(config {CONFIG_DIR}); stop with Ctrl-C", file=sys.stderr)
    try:
        return subprocess.call(cmd, env=build_env())
    except KeyboardInterrupt:
        return 0
