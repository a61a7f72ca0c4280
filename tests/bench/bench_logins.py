"""Section 3: logins under load, against the sandbox in a separate process (its admin endpoint counts them).

- cold start, threads: one fresh `PartnerClient`, 64 threads released together by a barrier, 50 getUser each;
- cold start, tasks: one fresh `AsyncPartnerClient`, 1000 concurrent tasks, one getUser each;
- steady state: calls without pause across 3 token lifetimes with a short lifetime (sandbox `token_ttl` 4 s,
  client `refresh_margin` 1 s): 8 threads (sync), then 32 tasks (async). The client counts a token's lifetime
  as `expire_time - create_time - 1 s` (whole-second timestamps, see below), so it renews every
  `RENEWAL` = 3 s - 1 s = 2 s here; at real lifetimes (3600 s, margin 60 s) that second is noise.
Counted: logins by the sandbox (and `client.login_count`), the sandbox's NOT_AUTHORIZED answers, and for the
steady state the time between consecutive logins (the client's INFO log line of each login): a login that is
not a renewal (two clients logging in for one renewal, or a login after a rejected token) shows as a gap
much shorter than `token_ttl - refresh_margin`. For each login the JSON also gives its wall-clock phase
(`time.time() % 1` when the answer arrived): the sandbox, like the real API, states `create_time` and
`expire_time` in whole seconds and expires a token at `expire_time` by its own clock, so a token issued late
in a second lives up to 1 s less than `expire_time - create_time` says (see the docs, "Benchmarks"). The last row
pins that down: one renewal with 32 tasks, the first token issued at .05 and then at .95 of a wall-clock second.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from typing import Any

from bench_common import Row
from partner_api import AsyncPartnerClient, PartnerClient
from partner_api.sandbox import SandboxProcess

TTL = 4
MARGIN = 1.0
LIFETIMES = 3
# What the client computes (overlays/partner_api/_tokens.py): 1 s of whole-second timestamps counted as spent,
# the margin capped at half of what is left.
RENEWAL = (TTL - 1) - min(MARGIN, (TTL - 1) / 2)


class _LoginTimes(logging.Handler):
    """Collects the monotonic time and the wall-clock phase of each `partner_api login #N` log record."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.times: list[float] = []
        self.phases: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("partner_api login #"):
            self.times.append(time.monotonic())
            self.phases.append(record.created % 1)


class _CaptureLogins:
    def __enter__(self) -> _LoginTimes:
        self.logger = logging.getLogger("partner_api")
        self.level = self.logger.level
        self.handler = _LoginTimes()
        self.logger.addHandler(self.handler)
        self.logger.setLevel(logging.INFO)
        return self.handler

    def __exit__(self, *exc_info: object) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.level)


def _counts(sandbox: SandboxProcess, client_logins: int, seconds: float, calls: int) -> dict[str, Any]:
    stats = sandbox.stats()
    return {
        "server_logins": stats.logins,
        "client_logins": client_logins,
        "not_authorized": stats.not_authorized,
        "getUser_requests": stats.requests.get("getUser", 0),
        "calls": calls,
        "seconds": round(seconds, 2),
    }


def cold_threads(sandbox: SandboxProcess, user_id: int, threads: int, calls: int) -> dict[str, Any]:
    sandbox.reset_stats()
    barrier = threading.Barrier(threads + 1)
    failures: list[BaseException] = []
    with PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as client:

        def worker() -> None:
            barrier.wait()
            try:
                for _ in range(calls):
                    client.get_user(user_id=user_id)
            except Exception as exc:  # reported, not raised: the other threads keep counting
                failures.append(exc)

        workers = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in workers:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in workers:
            thread.join()
        result = _counts(sandbox, client.login_count, time.perf_counter() - started, threads * calls)
    result["errors"] = [repr(exc) for exc in failures[:3]]
    return result


async def _cold_tasks(sandbox: SandboxProcess, user_id: int, tasks: int) -> tuple[int, float, list[BaseException]]:
    async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as client:
        started = time.perf_counter()
        calls = (client.get_user(user_id=user_id) for _ in range(tasks))
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
        seconds = time.perf_counter() - started
        return client.login_count, seconds, [o for o in outcomes if isinstance(o, BaseException)]


def cold_tasks(sandbox: SandboxProcess, user_id: int, tasks: int) -> dict[str, Any]:
    sandbox.reset_stats()
    logins, seconds, failures = asyncio.run(_cold_tasks(sandbox, user_id, tasks))
    result = _counts(sandbox, logins, seconds, tasks)
    result["errors"] = [repr(exc) for exc in failures[:3]]
    return result


def _steady_result(
    sandbox: SandboxProcess, logins: int, seconds: float, calls: int, seen: _LoginTimes, failures: list[BaseException]
) -> dict[str, Any]:
    result = _counts(sandbox, logins, seconds, calls)
    gaps = [later - earlier for earlier, later in itertools.pairwise(seen.times)]
    result.update(
        token_ttl=TTL,
        refresh_margin=MARGIN,
        lifetimes=round(seconds / TTL, 2),
        logins_per_lifetime=round(result["server_logins"] / (seconds / TTL), 2),
        renewal_periods=round(seconds / RENEWAL, 2),
        login_gaps=[round(gap, 3) for gap in gaps],
        login_wall_clock_phases=[round(phase, 3) for phase in seen.phases],
        errors=[repr(exc) for exc in failures[:3]],
    )
    return result


def steady_threads(sandbox: SandboxProcess, user_id: int, threads: int, seconds: float) -> dict[str, Any]:
    sandbox.reset_stats()
    failures: list[BaseException] = []
    calls = [0] * threads
    with (
        _CaptureLogins() as logins,
        PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, refresh_margin=MARGIN) as client,
    ):
        deadline = time.monotonic() + seconds

        def worker(index: int) -> None:
            try:
                while time.monotonic() < deadline:
                    client.get_user(user_id=user_id)
                    calls[index] += 1
            except Exception as exc:
                failures.append(exc)

        started = time.perf_counter()
        workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        elapsed = time.perf_counter() - started
        return _steady_result(sandbox, client.login_count, elapsed, sum(calls), logins, failures)


async def _steady_tasks(
    sandbox: SandboxProcess, user_id: int, tasks: int, seconds: float
) -> tuple[int, float, int, list[BaseException]]:
    failures: list[BaseException] = []
    calls = [0]
    async with AsyncPartnerClient(
        sandbox.base_url, sandbox.project_id, sandbox.private_key, refresh_margin=MARGIN
    ) as client:
        deadline = time.monotonic() + seconds

        async def worker() -> None:
            try:
                while time.monotonic() < deadline:
                    await client.get_user(user_id=user_id)
                    calls[0] += 1
            except Exception as exc:
                failures.append(exc)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(tasks)))
        return client.login_count, time.perf_counter() - started, calls[0], failures


def steady_tasks(sandbox: SandboxProcess, user_id: int, tasks: int, seconds: float) -> dict[str, Any]:
    sandbox.reset_stats()
    with _CaptureLogins() as logins:
        client_logins, elapsed, calls, failures = asyncio.run(_steady_tasks(sandbox, user_id, tasks, seconds))
    return _steady_result(sandbox, client_logins, elapsed, calls, logins, failures)


async def _phase_run(sandbox: SandboxProcess, user_id: int, phase: float, tasks: int) -> dict[str, Any]:
    """Log in at `phase` of a wall-clock second, then call from `tasks` tasks until just past one renewal."""
    async with AsyncPartnerClient(
        sandbox.base_url, sandbox.project_id, sandbox.private_key, refresh_margin=MARGIN
    ) as client:
        await asyncio.sleep((phase - time.time()) % 1)  # to the next time.time() % 1 == phase
        await client.login()
        sandbox.reset_stats()
        deadline = time.monotonic() + RENEWAL + 0.5

        async def worker() -> None:
            while time.monotonic() < deadline:
                await client.get_user(user_id=user_id)

        await asyncio.gather(*(worker() for _ in range(tasks)))
        stats = sandbox.stats()
        return {
            "login_phase": phase,
            "client_logins": client.login_count,
            "server_logins_after_first": stats.logins,
            "not_authorized": stats.not_authorized,
            "getUser_requests": stats.requests.get("getUser", 0),
        }


def phase_runs(sandbox: SandboxProcess, user_id: int, tasks: int) -> dict[str, Any]:
    return {f"{phase:.2f}": asyncio.run(_phase_run(sandbox, user_id, phase, tasks)) for phase in (0.05, 0.95)}


def _phase_row(label: str, result: dict[str, Any]) -> Row:
    early, late = result["0.05"], result["0.95"]
    met = early["not_authorized"] == 0 and late["not_authorized"] == 0
    value = (
        f"issued at .05: {early['not_authorized']} NOT_AUTHORIZED, {early['client_logins']} logins; "
        f"at .95: {late['not_authorized']} NOT_AUTHORIZED, {late['client_logins']} logins"
    )
    return Row("3 logins", label, value, "0 NOT_AUTHORIZED", met, data=result)


def _cold_row(label: str, result: dict[str, Any]) -> Row:
    met = (
        result["server_logins"] == 1
        and result["client_logins"] == 1
        and result["not_authorized"] == 0
        and not result["errors"]
    )
    value = (
        f"{result['server_logins']} login(s), {result['not_authorized']} NOT_AUTHORIZED, "
        f"{result['getUser_requests']} getUser in {result['seconds']:.1f} s"
    )
    if result["errors"]:
        value += f", errors: {result['errors'][0]}"
    return Row("3 logins", label, value, "1 login, 0 NOT_AUTHORIZED", met, data=result)


def _steady_row(label: str, result: dict[str, Any]) -> Row:
    gaps = result["login_gaps"]
    shortest = min(gaps) if gaps else float("nan")
    renewals_ok = bool(gaps) and shortest >= RENEWAL - 0.25  # a shorter gap: a login that was not a renewal
    met = (
        result["not_authorized"] == 0
        and result["server_logins"] == result["client_logins"]
        and renewals_ok
        and not result["errors"]
    )
    value = (
        f"{result['server_logins']} logins in {result['seconds']:.1f} s ({result['lifetimes']:.1f} lifetimes; "
        f"one per token, renewed every {RENEWAL:.0f} s: gaps >= {shortest:.2f} s), "
        f"{result['not_authorized']} NOT_AUTHORIZED, {result['calls']} calls"
    )
    if result["errors"]:
        value += f", errors: {result['errors'][0]}"
    return Row("3 logins", label, value, "1 login per token, 0 NOT_AUTHORIZED", met, data=result)


def rows(sandbox: SandboxProcess, user_id: int, quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    sandbox.set_token_ttl(3600)
    cold_t = cold_threads(sandbox, user_id, 64, 10 if quick else 50)
    cold_a = cold_tasks(sandbox, user_id, 200 if quick else 1000)
    sandbox.set_token_ttl(TTL)
    duration = (1 if quick else LIFETIMES) * TTL
    steady_t = steady_threads(sandbox, user_id, 8, duration)
    steady_a = steady_tasks(sandbox, user_id, 32, duration)
    phases = phase_runs(sandbox, user_id, 32)
    sandbox.set_token_ttl(3600)
    details = {
        "cold_threads": cold_t,
        "cold_tasks": cold_a,
        "steady_threads": steady_t,
        "steady_tasks": steady_a,
        "whole_second_phase": phases,
    }
    out = [
        _cold_row(f"cold start, 64 threads x {10 if quick else 50} calls", cold_t),
        _cold_row(f"cold start, {200 if quick else 1000} concurrent async tasks", cold_a),
        _steady_row(f"steady, 8 threads, ttl {TTL} s, margin {MARGIN:.0f} s", steady_t),
        _steady_row(f"steady, 32 async tasks, ttl {TTL} s, margin {MARGIN:.0f} s", steady_a),
        _phase_row("one renewal, 32 async tasks, first token issued at .05 / .95 of a second", phases),
    ]
    return out, details
