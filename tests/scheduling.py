"""Which tests run on one pytest-xdist worker, and in a row (used by tests/conftest.py).

Some state lives in one worker process and is shared by several tests: the suite's
JupyterLab server, a module-scoped fixture, a notebook's kernel under nbval. The tests that
share one are one group: ``make test`` (``--dist loadgroup``) gives a group to one worker,
which runs its tests in a row and builds that state once; every other test goes to
whichever worker is free.

Tests that mostly wait (for a sleeping notebook's cell to start before a signal, for a
process to die, for a lock held for seconds) are marked ``waits`` and are one group too: one
worker runs them in a row while the other does CPU work, so two of them never wait side by
side with both cores idle (measured: about 25 core-seconds idle per ``make test`` when the
interrupt tests of both workers met).

The real run and the site built from it (``real_run``, ``real_site``) are not bound to a
worker: they are folders built once for all workers (``shared.once``; a worker that asks
while another builds waits for it), so their many readers spread over both workers (in
``make test-slow``, which takes ``make test``'s run, they are most of the work).

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
from collections import Counter
from pathlib import Path

import pytest

#: Fixtures of the suite's JupyterLab server (one server, one worker).
LAB = frozenset({"lab_server", "handouts_server"})
#: The group of the tests marked ``waits``.
WAITS = "waits"
#: The fixture that a minute or more of both cores builds once for every worker (the real
#: run: ``shared.once``); a group that reads it goes out early (:func:`order`).
LONG_BUILD = "real_run"
#: Groups named after the state they share (a module fixture's group takes that name).
NAMED = ("lab", WAITS)
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
    server's) or by the ``waits`` mark (not a state: see the module's docstring)."""
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

    bound = {item: worker_bound(item) + ([WAITS] if item.get_closest_marker(WAITS) else [])
             for item in items}
    for keys in bound.values():
        for other in keys[1:]:
            join(keys[0], other)
    return {item: root(keys[0]) for item, keys in bound.items() if keys}


def mark_and_order(items: list[pytest.Item]) -> None:
    """Mark nbval's cells ``nbval``, give each group's tests its ``xdist_group`` mark, and
    order the tests as the workers are to take them (:func:`order`)."""
    groups = groups_of(items)
    for item in items:
        if _is_nbval_cell(item):
            item.add_marker(pytest.mark.nbval)
        if item in groups:
            item.add_marker(pytest.mark.xdist_group(groups[item]))
    items[:] = order(items, groups)


def order(items: list[pytest.Item], groups: dict[pytest.Item, str]) -> list[pytest.Item]:
    """Each group in a row (what one worker runs in one stretch under xdist runs in one
    stretch without it too: one JupyterLab for the lab and browser tests, not one per
    module), and the groups before the single tests, in this order:

    1. ``waits``, so that its idle core is filled by the other worker's first work;
    2. the groups that read the real run (:data:`LONG_BUILD`), largest first: the first of
       them starts its build at once on the other worker, two jobs that fill both cores
       while the waiting tests wait;
    3. the other groups, largest first (pytest-xdist's own order for groups: a long group
       taken last would leave one worker alone at the end);
    4. the single tests as collected.

    Ties keep the collection order. pytest-xdist takes this order as it is
    (:func:`make_scheduler`)."""
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item in groups:
            first.setdefault(groups[item], index)
    size = Counter(groups.values())
    reads = {group for item, group in groups.items()
             if LONG_BUILD in getattr(item, "fixturenames", ())}

    def rank(pair: tuple[int, pytest.Item]) -> tuple[int, int, int]:
        index, item = pair
        group = groups.get(item)
        if group is None:
            return (3, 0, index)
        kind = 0 if group == WAITS else 1 if group in reads else 2
        return (kind, -size[group], first[group])

    return [item for _, item in sorted(enumerate(items), key=rank)]


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
    workers wrote (a test without a group is a unit of its own, as in LoadGroup), taking
    the units in the order of the collection (:func:`order`), not re-sorted by size."""
    from xdist.scheduler import LoadGroupScheduling

    # pytest-xdist would sort the units by size (its --loadscope-reorder default), which
    # puts the larger groups before ``waits`` and the real run's readers
    config.option.loadscopereorder = False

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
