"""The forked kernels' readiness check (analysis.run.zygote), without a kernel: fake channels
stand for a kernel whose IOPub connects late (the slow-joiner case) and one that dies."""

from __future__ import annotations

import asyncio
import queue
from typing import Any

import psutil
import pytest
from conftest import REPO

from analysis.run import zygote


class Channel:
    """Hands out the queued messages, then says Empty (as jupyter_client's channels do)."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        if not self.messages:
            raise queue.Empty
        return self.messages.pop(0)


def _client(iopub_from_request: int, alive: bool = True) -> Any:
    """A client whose kernel answers every kernel_info on shell, and on IOPub only from
    request number ``iopub_from_request`` on (earlier statuses were lost)."""
    client = zygote._client_class()(connection_file="unused.json")
    shell, iopub = Channel(), Channel()
    client.__dict__.update(_shell=shell, _iopub=iopub, asked=[], handled=[])
    type(client).shell_channel = property(lambda self: self.__dict__["_shell"])
    type(client).iopub_channel = property(lambda self: self.__dict__["_iopub"])

    def kernel_info() -> str:
        msg_id = f"m{len(client.asked)}"
        client.asked.append(msg_id)
        shell.messages.append({"msg_type": "kernel_info_reply", "content": {},
                               "parent_header": {"msg_id": "stale"}})
        shell.messages.append({"msg_type": "kernel_info_reply", "content": {},
                               "parent_header": {"msg_id": msg_id}})
        if len(client.asked) >= iopub_from_request:
            iopub.messages.append({"msg_type": "status", "parent_header": {"msg_id": msg_id},
                                   "content": {"execution_state": "idle"}})
        return msg_id

    async def is_alive() -> bool:
        return alive

    client.kernel_info = kernel_info
    client._handle_kernel_info_reply = client.handled.append
    client._async_is_alive = is_alive
    return client


def test_ready_at_the_first_answer_when_iopub_is_connected():
    client = _client(iopub_from_request=1)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.asked == ["m0"]
    assert [m["parent_header"]["msg_id"] for m in client.handled] == ["m0"]


def test_a_late_iopub_is_asked_again_not_waited_for_in_silence():
    client = _client(iopub_from_request=3)
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.asked == ["m0", "m1", "m2"]
    assert len(client.handled) == 1


def test_a_dead_kernel_is_said_at_once():
    client = _client(iopub_from_request=99, alive=False)
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(client.wait_for_ready(timeout=5))
    assert client.asked == ["m0"]


# --------------------------------------------------------------------------- the run's template


def test_a_template_that_cannot_start_is_named_with_its_last_words(tmp_path):
    """A template that dies while warming up: the worker that connects is told so, with the
    end of the template's log, instead of waiting for a ``ready`` that never comes."""
    broken = tmp_path / "site"
    broken.mkdir()
    (broken / "sitecustomize.py").write_text(
        "raise SystemExit('the template cannot start here')\n")
    log = tmp_path / zygote.LOG_NAME
    with zygote.Server({"PYTHONPATH": str(broken)}, str(tmp_path), log) as server:
        server.proc.wait(60)
        with pytest.raises(RuntimeError, match="the template cannot start here"):
            zygote.Template(server.address, log)


@pytest.mark.waits
def test_a_worker_gone_takes_its_kernel_and_the_servers_end_takes_the_rest(tmp_path):
    """A worker that dies mid-notebook closes its connection: the template kills the kernel
    it asked for at once (nobody is left to talk to it), while another worker's kernel
    runs on; closing the server ends the template and that kernel too."""
    from jupyter_client.connect import write_connection_file

    log = tmp_path / zygote.LOG_NAME
    with zygote.Server({"KAZTUR_ROOT": str(REPO)}, str(tmp_path), log) as server:
        kernels = []
        workers = [zygote.Template(server.address, log) for _ in range(2)]
        assert workers[0].pid == workers[1].pid == server.proc.pid  # one template
        for n, worker in enumerate(workers):
            connection = tmp_path / f"kernel-{n}.json"
            write_connection_file(str(connection), transport="ipc",
                                  ip=str(tmp_path / f"k{n}-ipc"))
            kernels.append(psutil.Process(worker.spawn(
                str(connection), str(tmp_path), {}, str(tmp_path / f"k{n}.log"), [])))
        assert all(k.ppid() == server.proc.pid for k in kernels)
        workers[0].close()  # as a killed worker's socket is closed by its death
        gone, _ = psutil.wait_procs(kernels[:1], timeout=10)
        assert [k.pid for k in gone] == [kernels[0].pid]
        assert kernels[1].is_running() and kernels[1].status() != psutil.STATUS_ZOMBIE
    assert server.proc.returncode is not None
    assert not kernels[1].is_running() or kernels[1].status() == psutil.STATUS_ZOMBIE


# --------------------------------------------------------------------------- what it warms


def test_every_notebook_of_the_project_gets_the_whole_warm_up():
    """The project's notebooks import the session: for any of them the template imports
    everything (:data:`zygote.WARM`, the library) and reads the data, labels and fonts."""
    from analysis.run.discovery import discover

    notebooks = discover(REPO / "notebooks")
    assert len(notebooks) >= 13
    for notebook in notebooks:
        assert notebook.code and zygote.warm_plan(notebook.code) is None, notebook.stem
    # one of them in a run with notebooks that do not use the library is enough
    assert zygote.warm_plan(["import time", *notebooks[0].code]) is None


def test_other_notebooks_get_the_kernel_and_what_they_import_from_known_packages():
    cells = ["%matplotlib inline\nimport pandas as pd\n!ls\nimport psutil, os",
             "from analysis.present import parameters\nfrom analysis.run import cli",
             "from matplotlib import pyplot as plt\nfrom . import local",
             "this is not Python (",
             "x = (1\n     != 2)\nimport seaborn",  # a line that starts with != is Python
             "def f():\n    import scipy.stats\n    return 1"]
    plan = zygote.warm_plan(cells)
    assert plan is not None and plan[:len(zygote.KERNEL)] == list(zygote.KERNEL)
    assert set(plan[len(zygote.KERNEL):]) == {
        "pandas", "analysis.present", "analysis.present.parameters", "matplotlib",
        "matplotlib.pyplot", "scipy.stats", "seaborn"}  # not psutil, os, the run machinery, a local
    assert zygote.warm_plan([]) == list(zygote.KERNEL)


def test_a_light_warm_up_imports_those_modules_and_skips_what_fails(tmp_path):
    """In a fresh interpreter: only the named modules (and what they import), a name that
    is no module (``from a import function``) or fails to import passes silently."""
    import subprocess
    import sys

    code = ("import sys\nfrom analysis.run import zygote\n"
            "zygote.warm(['json', 'analysis.present.outputs.save_table', 'no_such_module'])\n"
            "print(sorted(m for m in ('json', 'pandas', 'statsmodels.api', 'matplotlib') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "['json', 'matplotlib', 'pandas']"
