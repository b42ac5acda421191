"""Which tests run on one pytest-xdist worker, and in a row (used by tests/conftest.py).

Some state lives in one worker process and is shared by several tests: the suite's
JupyterLab server, a module-scoped fixture, a notebook's kernel under nbval. The tests that
share one are one group: ``make test`` (``--dist loadgroup``) gives a group to one worker,
which runs its tests in a row and builds that state once; every other test goes to
whichever worker is free. The real run and the site built from it (``real_run``,
``real_site``) are not bound to a worker: they are folders built once for all workers
(``shared.once``; a worker that asks while another builds waits for it), so their many
readers spread over both workers (in ``make test-slow``, which takes ``make test``'s run,
they are most of the work).

A group is an ``xdist_group`` mark. pytest-xdist's own ``loadgroup`` reads it from a
suffix it writes into the test's node id, which pytest 9.2's structured node ids no longer
take (pytest-xdist issue #1386: the tests are then spread as if unmarked, silently). So
each worker also writes the groups it collected to a folder the controller names
(``KAZTUR_TEST_GROUPS``), and :class:`GroupScheduling` (pytest-xdist's ``LoadGroup``
scheduler, made through its ``pytest_xdist_make_scheduler`` hook) reads the group of a
test from there. tests/test_suite_infrastructure.py runs a small ``-n 2`` session to
check that a group stays on one worker.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

#: Fixtures of the suite's JupyterLab server (one server, one worker).
LAB = frozenset({"lab_server", "handouts_server"})
#: Groups named after the state they share (a module fixture's group takes that name).
NAMED = ("lab",)
_WIDE = frozenset({"module", "class", "package"})
#: The folder where workers write the groups they collected (set by the controller).
GROUPS_ENV = "KAZTUR_TEST_GROUPS"


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def _is_nbval_cell(item: pytest.Item) -> bool:
    from nbval.plugin import IPyNbCell

    return isinstance(item, IPyNbCell)


def worker_bound(item: pytest.Item) -> list[str]:
    """What a test shares with other tests that lives in one worker: "lab", each
    module-scoped fixture it uses ("<where it is defined>::<name>"), a notebook's kernel
    (nbval's cells)."""
    if _is_nbval_cell(item):
        return [f"nbval:{module_of(item)}"]
    names = set(getattr(item, "fixturenames", ()))
    shared = ["lab"] if names & LAB else []
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return shared + sorted(f"{d[-1].baseid}::{name}" for name, d in defs.items()
                           if d and d[-1].scope in _WIDE)


def groups_of(items: list[pytest.Item]) -> dict[pytest.Item, str]:
    """One group per set of tests linked by a worker-bound state (a test that uses the
    JupyterLab server and a module fixture puts every test of that fixture with the
    server's)."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if rb in NAMED:  # the server's group keeps its name
            ra, rb = rb, ra
        if ra != rb:
            parent[rb] = ra

    bound = {item: worker_bound(item) for item in items}
    for keys in bound.values():
        for other in keys[1:]:
            join(keys[0], other)
    return {item: root(keys[0]) for item, keys in bound.items() if keys}


def mark_and_order(items: list[pytest.Item]) -> None:
    """Mark nbval's cells ``nbval``, give each group's tests its ``xdist_group`` mark, and
    put them in a row where the group's first test was (a stable sort): what one worker
    runs in one stretch under xdist runs in one stretch without it too (one JupyterLab for
    the lab and browser tests, not one per module)."""
    groups = groups_of(items)
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if _is_nbval_cell(item):
            item.add_marker(pytest.mark.nbval)
        if item in groups:
            item.add_marker(pytest.mark.xdist_group(groups[item]))
            first.setdefault(groups[item], index)
    position = {item: first[groups[item]] if item in groups else index
                for index, item in enumerate(items)}
    items.sort(key=position.__getitem__)


def group_mark(item: pytest.Item) -> str | None:
    mark = item.get_closest_marker("xdist_group")
    if mark is None:
        return None
    return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))


def write_groups(items: list[pytest.Item]) -> None:
    """In a worker: ``{node id: group}`` of the collected tests, for the controller."""
    folder, worker = os.environ.get(GROUPS_ENV), os.environ.get("PYTEST_XDIST_WORKER")
    if not folder or not worker:
        return
    groups = {item.nodeid: group for item in items if (group := group_mark(item))}
    path = Path(folder) / f"{worker}.json"
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(groups), encoding="utf-8")
    partial.replace(path)


def make_scheduler(config: pytest.Config, log: object) -> object:
    """pytest-xdist's LoadGroup scheduler, with each test's group read from what the
    workers wrote (a test without a group is a unit of its own, as in LoadGroup)."""
    from xdist.scheduler import LoadGroupScheduling

    class GroupScheduling(LoadGroupScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                self.groups = {}
                for path in sorted(Path(os.environ[GROUPS_ENV]).glob("*.json")):
                    self.groups.update(json.loads(path.read_text(encoding="utf-8")))
            group = self.groups.get(nodeid)
            return f"group:{group}" if group else super()._split_scope(nodeid)

    return GroupScheduling(config, log)
