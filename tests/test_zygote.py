"""The forked kernels' readiness check (analysis.run.zygote), without a kernel: fake channels
stand for a kernel whose IOPub connects late (the slow-joiner case) and one that dies."""

from __future__ import annotations

import asyncio
import queue
from typing import Any

import pytest

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
