"""How `make test` hands tests to pytest-xdist's workers: xdist's `load` scheduling that keeps each `xdist_group`
on one worker.

xdist's own `--dist loadgroup` schedules by node id, and tests that share one (schemathesis's parametrized tests
all carry their function's id) collapse into a single test there: 19 tests of tests/sandbox/test_contract.py ran as
2. `load` schedules by index, so nothing is lost; this adds the groups to it: with any test of a group, the worker
gets the group's other pending tests too, in collection order. Each worker writes the group into the node ids it
reports (`mark_groups`, as xdist's loadgroup does), which is how the group is seen here.
"""

from __future__ import annotations

import pytest
from _pytest.nodeid import NodeId
from xdist.scheduler import LoadScheduling
from xdist.workermanage import WorkerController


def group_of(nodeid: str) -> str | None:
    """The xdist_group a worker wrote into the node id (`...::test@group`), as xdist's loadgroup reads it."""
    return nodeid.rsplit("@", 1)[1] if nodeid.rfind("@") > nodeid.rfind("]") else None


def mark_groups(items: list[pytest.Item]) -> None:
    """On a worker: `...::test@group` for the tests with an xdist_group mark (the id the controller schedules by)."""
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is not None and group_of(item.nodeid) is None:
            grouped = f"{item.nodeid}@{mark.args[0] if mark.args else mark.kwargs.get('name', 'default')}"
            # pytest 9 keeps the id in `_id` (a NodeId): xdist 3.8 still writes `_nodeid`, which pytest no longer reads,
            # so its own loadgroup sees no group at all.
            item._id = NodeId.parse(grouped)


class GroupedLoadScheduling(LoadScheduling):
    """`--dist load` (with its chunk size), a group going to one worker whole."""

    def _send_tests(self, node: WorkerController, num: int) -> None:
        assert self.collection is not None
        batch = self.pending[:num]
        groups = {group_of(self.collection[index]) for index in batch} - {None}
        batch += [index for index in self.pending[num:] if group_of(self.collection[index]) in groups]
        if batch:
            chosen = set(batch)
            self.pending[:] = [index for index in self.pending if index not in chosen]
            self.node2pending[node].extend(batch)
            node.send_runtest_some(batch)
