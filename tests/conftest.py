"""Session-wide set-up: the suite runs without the release settings, SIGTERM lets tests clean up, and the tests that
may run longest start first.

- make's recursion variables (MAKEFLAGS, ...), INDEX_URL, TWINE_* and the like leave the environment before any test
  runs (release/environment.py RELEASE_SETTINGS; `make test` / `make publish` already drop them), so whatever a test
  starts, `make publish` included, gets only what the test passes.
- SIGTERM (what a runner sends to the process group of a `make test` it gives up on) becomes KeyboardInterrupt: the
  running test's `finally` blocks and fixture teardowns still end the processes and process groups it started,
  instead of leaving them to run on. Under xdist the workers are interrupted and the controller waits for them.
- `make test` and the gate of `make publish` run the suite in parallel (pytest-xdist, the Makefile's PYTEST_PARALLEL;
  its --dist loadgroup is defined below): each worker is a pytest session of its own, and a long test holds its
  worker with at most one test queued behind it. So tests start longest first, by their `timeout` mark (the
  release end-to-end tests: a suite of their own). The test marked publishes_the_suite starts first, on a worker of
  its own that then ends: its gate runs the whole suite on all the cores, and a test queued behind it would wait for
  all of that and then run alone at the end.
  The summary line counts deselected tests as a serial run does ("N passed, M deselected"): xdist's workers
  deselect, and the controller that prints the line would not know.

What keeps a test xdist-safe (nothing else is needed; the suite passes with and without `-n`):
- Nothing shared between workers, nor with the same test in the suite of a `make publish` that may run beside it:
  files under `tmp_path`, ports from the OS (port 0 / `free_port()`, never a fixed number), a HOME of its own
  for anything that writes there (tests/cli: the `home` fixture). The checkout itself is read-only to tests.
- Session- and module-scoped fixtures exist once per worker: `partner_sandbox_server` is one sandbox per worker and
  `partner_sandbox` resets it for each test, so counts of logins or requests start at zero in every test. A test
  that needs counts from an unshared server starts its own (`with SandboxServer(...)`, the fleet's `redis_server`).
- Every process a test starts is ended by the test (a fixture, `with`, or `finally`): a worker ends with its session.
- Assert counts and behaviour, never wall time: tests run beside others, and the machine is shared.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
from types import FrameType, SimpleNamespace
from typing import Any

import pytest

from release.environment import is_release_setting

# pid of each xdist worker, by worker id: filled on xdist's controller only (the process that runs no test).
_WORKERS: dict[str, int] = {}


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM: KeyboardInterrupt, once (a second SIGTERM must not cut the clean-up short).

    xdist's controller instead passes it on to its workers (a runner may signal the controller alone) and goes on: each
    worker's own handler interrupts its test and its clean-up runs; the controller ends when the last worker has
    reported ("node down: keyboard-interrupt"; xdist then starts a replacement worker, which it stops at once).
    Interrupted itself, the controller would end its workers (execnet's group terminate: a worker interrupts itself
    after 5 s, the controller kills it after 10 s) in the middle of a longer clean-up, leaving the processes their
    tests started (pytest-xdist issue 537).
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if not _WORKERS:
        raise KeyboardInterrupt(f"signal {signum}: ending the test run")
    for pid in _WORKERS.values():
        with contextlib.suppress(ProcessLookupError):  # a worker already ended
            os.kill(pid, signum)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's controller, for each worker it starts: its pid. execnet's remote info is private API, but xdist reads
    it for every worker just before this hook (and caches it; pytest-cov reads it too): no round trip here."""
    _WORKERS[node.gateway.id] = node.gateway._rinfo().pid


def _longest_first(item: pytest.Item) -> float:
    if item.get_closest_marker("publishes_the_suite"):
        return -math.inf
    mark = item.get_closest_marker("timeout")
    bound = mark.kwargs.get("timeout", mark.args[0] if mark.args else None) if mark else None
    return -float(bound if bound is not None else item.config.getini("timeout") or 0)


# `make test` runs the whole suite once: the test marked publishes_the_suite types `make publish`, whose gate runs every
# test not marked release_e2e (and the test checks that each of them ran, and fails when one fails). So with
# `-o leave_to_publish_gate=true`, a selection that holds that test runs here only the release_e2e tests; running the
# others beside the gate too would run them twice on the same cores. An ini option, not a command-line flag: the
# release tests run `make test` in project copies that have no conftest.py, where pytest only warns about it.
LEAVE_TO_GATE = "leave_to_publish_gate"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        LEAVE_TO_GATE, type="bool", default=False,
        help="when the selection holds the test marked publishes_the_suite, leave the tests not marked release_e2e to "
        "the gate of its `make publish` (they run there, once)",
    )  # fmt: skip


def _left_to_gate(config: pytest.Config, items: list[pytest.Item]) -> list[pytest.Item]:
    if not config.getini(LEAVE_TO_GATE) or not any(item.get_closest_marker("publishes_the_suite") for item in items):
        return []
    return [item for item in items if item.get_closest_marker("release_e2e") is None]


def pytest_report_header(config: pytest.Config) -> str | None:
    if not config.getini(LEAVE_TO_GATE):
        return None
    return (
        f"{LEAVE_TO_GATE}: with the publish end-to-end test selected, the tests not marked release_e2e run inside its "
        "`make publish` gate (counted as deselected here; a failure among them fails that test, which names it)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    left = _left_to_gate(config, items)
    if left:
        chosen = set(left)
        items[:] = [item for item in items if item not in chosen]
        config.hook.pytest_deselected(items=left)
    items.sort(key=_longest_first)  # stable: the tests without a mark of their own keep their order
    if hasattr(config, "workerinput"):  # an xdist worker
        _mark_groups(items)


_DESELECTED = pytest.StashKey[bool]()


def pytest_deselected(items: list[pytest.Item]) -> None:
    workeroutput = getattr(items[0].config, "workeroutput", None) if items else None
    if workeroutput is not None:  # an xdist worker: told to the controller when the worker ends
        workeroutput["deselected"] = workeroutput.get("deselected", 0) + len(items)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """xdist's controller: a worker has ended; one worker's count of deselected tests (every worker collects and
    deselects the same) goes to the summary."""
    _WORKERS.pop(node.gateway.id, None)
    config: pytest.Config = node.config
    count = int(getattr(node, "workeroutput", {}).get("deselected", 0))
    if count and not config.stash.get(_DESELECTED, False):
        config.stash[_DESELECTED] = True
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.stats.setdefault("deselected", []).extend(SimpleNamespace() for _ in range(count))


# --dist loadgroup, here: xdist's `load` scheduling (by index) that keeps each xdist_group on one worker. xdist's own
# loadgroup schedules by node id, and tests that share one (schemathesis's parametrized tests all carry their function's
# id) collapse into one there: 19 tests of tests/sandbox/test_contract.py ran as 2. On pytest 9 it also sees no group
# (xdist 3.8 writes `_nodeid`, which pytest no longer reads). Kept in this file: project copies carry only conftest.py.
def _group_of(nodeid: str) -> str | None:
    return nodeid.rsplit("@", 1)[1] if nodeid.rfind("@") > nodeid.rfind("]") else None


# The group of the test marked publishes_the_suite: the controller sees node ids only.
ALONE = "publishes-the-suite-alone"


def _mark_groups(items: list[pytest.Item]) -> None:
    """On a worker: `...::test@group` for the tests with an xdist_group mark (the id the controller schedules by),
    `...::test@publishes-the-suite-alone` for the test marked publishes_the_suite."""
    from _pytest.nodeid import NodeId

    for item in items:
        mark = item.get_closest_marker("xdist_group")
        group = ALONE if item.get_closest_marker("publishes_the_suite") else None
        if mark is not None and group is None:
            group = mark.args[0] if mark.args else mark.kwargs.get("name", "default")
        if group is not None and _group_of(item.nodeid) is None:
            item._id = NodeId.parse(f"{item.nodeid}@{group}")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScheduling

    class GroupedLoadScheduling(LoadScheduling):
        """`--dist load` (with its chunk size); with any test of a group, the group's other pending tests. The test
        marked publishes_the_suite goes alone to a worker that then ends, when another worker is left for the rest (a
        worker runs a test once it holds the next one, or is told to end)."""

        def _send_tests(self, node: Any, num: int) -> None:
            assert self.collection is not None
            if node.shutting_down:  # the publishing test's worker (xdist's first round may come back to it)
                live = [other for other in self.nodes if not other.shutting_down]
                if not live:
                    return
                node = min(live, key=lambda other: len(self.node2pending[other]))
            alone = [index for index in self.pending[:num] if _group_of(self.collection[index]) == ALONE]
            others = [other for other in self.nodes if other is not node and not other.shutting_down]
            if alone and others:
                self.pending.remove(alone[0])
                self.node2pending[node].append(alone[0])
                node.send_runtest_some(alone[:1])
                node.shutdown()
                return
            batch = self.pending[:num]
            groups = {_group_of(self.collection[index]) for index in batch} - {None}
            batch += [index for index in self.pending[num:] if _group_of(self.collection[index]) in groups]
            if batch:
                chosen = set(batch)
                self.pending[:] = [index for index in self.pending if index not in chosen]
                self.node2pending[node].extend(batch)
                node.send_runtest_some(batch)

    return GroupedLoadScheduling(config, log)


def pytest_configure(config: pytest.Config) -> None:
    for name in [name for name in os.environ if is_release_setting(name)]:
        del os.environ[name]
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Run the test with `PartnerClient` and with `AsyncPartnerClient` (the client, reliability and telemetry tests)."""
    return str(request.param)
