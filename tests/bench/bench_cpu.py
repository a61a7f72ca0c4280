"""Section 1: the client's CPU cost per call, with an in-process `httpx.MockTransport` (no network, no server).

Variants, all posting `{"user_id": 42}` to `/partner/v2/getUser` on the same base URL and answered by the same
handler with the same getUser body:
- `raw`: `httpx.Client.post("/partner/v2/getUser", json=...)` + `raise_for_status()` + `response.json()` with a
  static bearer header (the baseline: raw httpx as it is usually written);
- `raw_url`: the same with the URL given as a prepared `httpx.URL` (httpx then skips parsing the path and merging
  it with the base URL, its largest cost per call here): the floor of httpx itself, which the client also uses;
- `generated`: the bare generated function `get_user.sync(client=AuthenticatedClient, body=GetUserRequest)`,
  for context (it builds and parses the attrs models, nothing more);
- `client`: `PartnerClient.get_user(user_id=42)` (validation, default-value rule, token lifecycle as an httpx
  auth flow, envelope check, typed model).
The same for `httpx.AsyncClient` / `asyncio` / `AsyncPartnerClient`. The mock's login answer carries a token
valid for a day, so the measured loop never logs in (checked: one login per client).

`breakdown` then adds the client's parts one at a time to `raw_url`, in one interleaved comparison, so each
difference is the cost per call of one part: the token lifecycle's httpx auth flow (through the client's own
`httpx.Client`), the envelope check, the model parse, and last the whole method (arguments, body rules, dispatch).
It reaches into the client's internals on purpose: it is a profile, not a usage example.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
from typing import Any

import httpx
from bench_common import Comparison, Row, acompare, compare
from partner_api import AsyncPartnerClient, PartnerClient
from partner_api._envelope import read_answer
from partner_api_client import AuthenticatedClient
from partner_api_client.api import OPERATIONS
from partner_api_client.api.users import get_user
from partner_api_client.models.get_user_request import GetUserRequest
from partner_api_client.models.user_response import UserResponse

BASE_URL = "http://127.0.0.1:8999"
TOKEN = "bench-token-0123456789abcdef"
SYNC_GOAL = 1.03
ASYNC_GOAL = 1.04
PATH = "/partner/v2/getUser"
URL = httpx.URL(BASE_URL + PATH)

_JSON = {"content-type": "application/json"}
_LOGIN = json.dumps(
    {"result": "OK", "access_token": TOKEN, "create_time": 1_700_000_000, "expire_time": 1_700_086_400}
).encode()
_USER = json.dumps(
    {
        "result": "OK",
        "user": {
            "id": 42,
            "username": "alice",
            "auth_method": "email",
            "enabled": True,
            "license_id": 3,
            "create_time": 1_700_000_000,
            "extra": {"country": "DE", "language": "en"},
        },
    }
).encode()


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/partner/login":
        return httpx.Response(200, content=_LOGIN, headers=_JSON)
    return httpx.Response(200, content=_USER, headers=_JSON)


def _transport() -> httpx.MockTransport:
    return httpx.MockTransport(handler)


def _bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def mock_client() -> PartnerClient:
    return PartnerClient(BASE_URL, "bench", "bench-key", http_client=httpx.Client(transport=_transport()))


def mock_async_client() -> AsyncPartnerClient:
    return AsyncPartnerClient(BASE_URL, "bench", "bench-key", http_client=httpx.AsyncClient(transport=_transport()))


def run_sync(calls: int, rounds: int, warmup: int) -> tuple[Comparison, int]:
    raw = httpx.Client(base_url=BASE_URL, transport=_transport(), headers=_bearer())
    generated = AuthenticatedClient(base_url=BASE_URL, token=TOKEN)
    generated.set_httpx_client(httpx.Client(base_url=BASE_URL, transport=_transport(), headers=_bearer()))
    client = mock_client()

    def run_raw(n: int) -> None:
        for _ in range(n):
            raw.post(PATH, json={"user_id": 42}).raise_for_status().json()

    def run_raw_url(n: int) -> None:
        for _ in range(n):
            raw.post(URL, json={"user_id": 42}).raise_for_status().json()

    def run_generated(n: int) -> None:
        for _ in range(n):
            get_user.sync(client=generated, body=GetUserRequest(user_id=42))

    def run_client(n: int) -> None:
        for _ in range(n):
            client.get_user(user_id=42)

    with raw, client:
        result = compare(
            {"raw": run_raw, "raw_url": run_raw_url, "generated": run_generated, "client": run_client},
            baseline="raw", calls=calls, rounds=rounds, warmup=warmup,
        )  # fmt: skip
        return result, client.login_count


async def _run_async(calls: int, rounds: int, warmup: int) -> tuple[Comparison, int]:
    raw = httpx.AsyncClient(base_url=BASE_URL, transport=_transport(), headers=_bearer())
    generated = AuthenticatedClient(base_url=BASE_URL, token=TOKEN)
    generated.set_async_httpx_client(httpx.AsyncClient(base_url=BASE_URL, transport=_transport(), headers=_bearer()))
    client = mock_async_client()

    async def run_raw(n: int) -> None:
        for _ in range(n):
            (await raw.post(PATH, json={"user_id": 42})).raise_for_status().json()

    async def run_raw_url(n: int) -> None:
        for _ in range(n):
            (await raw.post(URL, json={"user_id": 42})).raise_for_status().json()

    async def run_generated(n: int) -> None:
        for _ in range(n):
            await get_user.asyncio(client=generated, body=GetUserRequest(user_id=42))

    async def run_client(n: int) -> None:
        for _ in range(n):
            await client.get_user(user_id=42)

    async with raw, client:
        result = await acompare(
            {"raw": run_raw, "raw_url": run_raw_url, "generated": run_generated, "client": run_client},
            baseline="raw", calls=calls, rounds=rounds, warmup=warmup,
        )  # fmt: skip
        return result, client.login_count


def run_async(calls: int, rounds: int, warmup: int) -> tuple[Comparison, int]:
    return asyncio.run(_run_async(calls, rounds, warmup))


BREAKDOWN = ("httpx, prepared URL", "+ token auth flow", "+ envelope check", "+ model parse", "client method")


def breakdown_sync(calls: int, rounds: int, warmup: int) -> Comparison:
    raw = httpx.Client(base_url=BASE_URL, transport=_transport(), headers=_bearer())
    client = mock_client()
    client.get_user(user_id=42)
    http, secrets, name = client._http, client._secrets, OPERATIONS["getUser"].name
    answers = client._answers  # the model parse as the client does it (strict: the default)

    def parse(response: httpx.Response) -> Any:
        return answers.parse(name, UserResponse, read_answer(response, name, secrets), response.status_code)

    def loop(call: Any) -> Any:
        def run(n: int) -> None:
            for _ in range(n):
                call()

        return run

    layers = {
        BREAKDOWN[0]: loop(lambda: raw.post(URL, json={"user_id": 42}).raise_for_status().json()),
        BREAKDOWN[1]: loop(lambda: http.post(URL, json={"user_id": 42}).json()),
        BREAKDOWN[2]: loop(lambda: read_answer(http.post(URL, json={"user_id": 42}), name, secrets)),
        BREAKDOWN[3]: loop(lambda: parse(http.post(URL, json={"user_id": 42}))),
        BREAKDOWN[4]: loop(lambda: client.get_user(user_id=42)),
    }
    with raw, client:
        return compare(layers, baseline=BREAKDOWN[0], calls=calls, rounds=rounds, warmup=warmup)


async def _breakdown_async(calls: int, rounds: int, warmup: int) -> Comparison:
    raw = httpx.AsyncClient(base_url=BASE_URL, transport=_transport(), headers=_bearer())
    client = mock_async_client()
    await client.get_user(user_id=42)
    http, secrets, name = client._http, client._secrets, OPERATIONS["getUser"].name
    answers = client._answers  # the model parse as the client does it (strict: the default)

    def loop(call: Any) -> Any:
        async def run(n: int) -> None:
            for _ in range(n):
                await call()

        return run

    async def flow() -> Any:
        return (await http.post(URL, json={"user_id": 42})).json()

    async def envelope() -> Any:
        return read_answer(await http.post(URL, json={"user_id": 42}), name, secrets)

    async def parse() -> Any:
        response = await http.post(URL, json={"user_id": 42})
        return answers.parse(name, UserResponse, read_answer(response, name, secrets), response.status_code)

    async def raw_call() -> Any:
        return (await raw.post(URL, json={"user_id": 42})).raise_for_status().json()

    layers = {
        BREAKDOWN[0]: loop(raw_call),
        BREAKDOWN[1]: loop(flow),
        BREAKDOWN[2]: loop(envelope),
        BREAKDOWN[3]: loop(parse),
        BREAKDOWN[4]: loop(lambda: client.get_user(user_id=42)),
    }
    async with raw, client:
        return await acompare(layers, baseline=BREAKDOWN[0], calls=calls, rounds=rounds, warmup=warmup)


def breakdown_async(calls: int, rounds: int, warmup: int) -> Comparison:
    return asyncio.run(_breakdown_async(calls, rounds, warmup))


def breakdown_text(result: Comparison) -> str:
    """`floor µs; part +µs; ...`: what each layer adds to the one before, the median of the per-round differences
    (both layers ran in the same round, so drift between rounds cancels)."""
    floor = result.timings[BREAKDOWN[0]]
    parts = [f"{floor.median:.1f} (best {floor.best:.1f})"]
    for before, after in itertools.pairwise(BREAKDOWN):
        pairs = zip(result.timings[after].samples, result.timings[before].samples, strict=True)
        delta = statistics.median(a - b for a, b in pairs)
        parts.append(f"{after.removeprefix('+ ')} {delta:+.1f}")
    return "; ".join(parts)


def rows(quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    calls, rounds, warmup = (300, 5, 200) if quick else (1000, 15, 500)
    out: list[Row] = []
    details: dict[str, Any] = {}
    for kind, run, split, goal in (
        ("sync", run_sync, breakdown_sync, SYNC_GOAL),
        ("async", run_async, breakdown_async, ASYNC_GOAL),
    ):
        result, logins = run(calls, rounds, warmup)
        details[kind] = {**result.as_dict(), "client_logins": logins}
        ratio = result.ratio("client")
        out.append(
            Row(
                "1 mock CPU",
                f"{kind}: raw / raw_url / generated / client µs per call",
                " / ".join(f"{result.us(name):.1f}" for name in ("raw", "raw_url", "generated", "client")),
            )
        )
        out.append(
            Row(
                "1 mock CPU",
                f"{kind}: client / raw (raw_url / raw; generated / raw)",
                f"{ratio:.3f} ({result.ratio('raw_url'):.3f}; {result.ratio('generated'):.3f})",
                f"<= {goal}",
                ratio <= goal and logins == 1,
            )
        )
        layers = split(calls, rounds, warmup)
        details[f"{kind}_breakdown"] = layers.as_dict()
        out.append(Row("1 mock CPU", f"{kind}: per call, µs: raw_url floor; + each part", breakdown_text(layers)))
        out.append(
            Row(
                "1 mock CPU",
                f"{kind}: client / raw_url (the floor of httpx itself)",
                f"{layers.ratio(BREAKDOWN[-1]):.3f} (+ model parse alone: {layers.ratio(BREAKDOWN[3]):.3f})",
            )
        )
    return out, details
