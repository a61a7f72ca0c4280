"""Section 2: getUser over loopback against the sandbox served by uvicorn in a separate process.

The sandbox runs as a child process (`partner_api.sandbox.SandboxProcess`), so the server does not share this
process's GIL. Baseline: `httpx.Client.post("/partner/v2/getUser", json=...)` + `raise_for_status()` +
`response.json()` with a bearer token obtained by one raw form login; beside it `raw_url`, the same with a
prepared `httpx.URL` (as the client sends it; see section 1); against both `PartnerClient.get_user`.
Concurrency: 1 caller, and 16 callers as threads sharing one client (sync) or as tasks sharing one client on
one event loop (async). A figure is wall time per call (total wall time of a round / calls in the round), so
with 16 callers it is the inverse of throughput; the CPU time this process spent per call is reported beside
it (the client's own cost, the server excluded).
"""

from __future__ import annotations

import asyncio
import statistics
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from bench_common import Comparison, Row, acompare, compare
from partner_api import AsyncPartnerClient, PartnerClient
from partner_api.sandbox import SandboxProcess

GOAL = 1.02
PATH = "/partner/v2/getUser"
CALLERS = (1, 16)
USERNAME = "bench-loopback"


def _login(sandbox: SandboxProcess) -> str:
    form = {"login": sandbox.project_id, "password": sandbox.private_key}
    answer = httpx.post(sandbox.base_url + "/partner/login", data=form, timeout=10).json()
    return str(answer["access_token"])


def create_bench_user(sandbox: SandboxProcess) -> int:
    """The id of the user every getUser of sections 2 and 3 asks for."""
    with sandbox.client() as client:
        return int(client.create_user(username=USERNAME).user.id)


def _sizes(callers: int, quick: bool) -> tuple[int, int, int]:
    """Calls per caller per round, rounds, warm-up calls per caller.

    Many short rounds rather than a few long ones: on a shared machine the noise comes in bursts of a second or
    more, and a short raw round next to a short client round sees the same burst, so their ratio cancels it.
    """
    if quick:
        return (30 if callers == 1 else 5), 5, 5
    return (30 if callers == 1 else 4), 61, 20


def run_sync(sandbox: SandboxProcess, user_id: int, callers: int, quick: bool) -> tuple[Comparison, int]:
    per_caller, rounds, warmup = _sizes(callers, quick)
    raw = httpx.Client(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {_login(sandbox)}"}, timeout=10)
    client = PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key)
    pool = ThreadPoolExecutor(max_workers=callers, thread_name_prefix="bench-caller")

    url = httpx.URL(sandbox.base_url + PATH)

    def raw_calls(n: int) -> None:
        for _ in range(n):
            raw.post(PATH, json={"user_id": user_id}).raise_for_status().json()

    def raw_url_calls(n: int) -> None:
        for _ in range(n):
            raw.post(url, json={"user_id": user_id}).raise_for_status().json()

    def client_calls(n: int) -> None:
        for _ in range(n):
            client.get_user(user_id=user_id)

    def fan_out(calls: Any) -> Any:
        def run(n: int) -> None:
            per = max(1, n // callers)
            for future in [pool.submit(calls, per) for _ in range(callers)]:
                future.result()

        return run

    with pool, raw, client:
        result = compare(
            {"raw": fan_out(raw_calls), "raw_url": fan_out(raw_url_calls), "client": fan_out(client_calls)},
            baseline="raw", calls=per_caller * callers, rounds=rounds, warmup=warmup * callers,
        )  # fmt: skip
        return result, client.login_count


async def _run_async(sandbox: SandboxProcess, user_id: int, callers: int, quick: bool) -> tuple[Comparison, int]:
    per_caller, rounds, warmup = _sizes(callers, quick)
    token = await asyncio.to_thread(_login, sandbox)
    raw = httpx.AsyncClient(base_url=sandbox.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    client = AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key)

    url = httpx.URL(sandbox.base_url + PATH)

    async def raw_calls(n: int) -> None:
        for _ in range(n):
            (await raw.post(PATH, json={"user_id": user_id})).raise_for_status().json()

    async def raw_url_calls(n: int) -> None:
        for _ in range(n):
            (await raw.post(url, json={"user_id": user_id})).raise_for_status().json()

    async def client_calls(n: int) -> None:
        for _ in range(n):
            await client.get_user(user_id=user_id)

    def fan_out(calls: Any) -> Any:
        async def run(n: int) -> None:
            per = max(1, n // callers)
            await asyncio.gather(*(calls(per) for _ in range(callers)))

        return run

    async with raw, client:
        result = await acompare(
            {"raw": fan_out(raw_calls), "raw_url": fan_out(raw_url_calls), "client": fan_out(client_calls)},
            baseline="raw", calls=per_caller * callers, rounds=rounds, warmup=warmup * callers,
        )  # fmt: skip
        return result, client.login_count


def run_async(sandbox: SandboxProcess, user_id: int, callers: int, quick: bool) -> tuple[Comparison, int]:
    return asyncio.run(_run_async(sandbox, user_id, callers, quick))


def _per_round_ratio(result: Comparison, name: str, base: str) -> float:
    pairs = zip(result.timings[name].samples, result.timings[base].samples, strict=True)
    return statistics.median(value / baseline for value, baseline in pairs)


def rows(sandbox: SandboxProcess, user_id: int, quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    out: list[Row] = []
    details: dict[str, Any] = {}
    for kind, run, unit in (("sync", run_sync, "threads"), ("async", run_async, "tasks")):
        for callers in CALLERS:
            result, logins = run(sandbox, user_id, callers, quick)
            details[f"{kind}_{callers}"] = {**result.as_dict(), "callers": callers, "client_logins": logins}
            ratio = result.ratio("client")
            cpu_ratio = result.cpu_us("client") / result.cpu_us("raw")
            out.append(
                Row(
                    "2 loopback",
                    f"{kind}, {callers} {unit if callers > 1 else 'caller'}: raw / client µs per call = ratio "
                    "(CPU µs in this process; client / raw_url)",
                    f"{result.us('raw'):.0f} / {result.us('client'):.0f} = {ratio:.3f} "
                    f"(CPU {result.cpu_us('raw'):.0f} / {result.cpu_us('client'):.0f} = {cpu_ratio:.2f}; "
                    f"{_per_round_ratio(result, 'client', 'raw_url'):.3f})",
                    f"<= {GOAL}",
                    ratio <= GOAL and logins == 1,
                )
            )
    return out, details
