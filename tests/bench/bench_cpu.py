"""Section 1: the client's CPU cost per call, with an in-process `httpx.MockTransport` (no network, no server).

Variants, all posting `{"user_id": 42}` to `/partner/v2/getUser` on the same base URL and answered by the same
handler with the same getUser body:
- `raw`: `httpx.Client.post(json=...)` + `response.json()` with a static bearer header (the baseline);
- `generated`: the bare generated function `get_user.sync(client=AuthenticatedClient, body=GetUserRequest)`,
  for context (it builds and parses the attrs models, nothing more);
- `client`: `PartnerClient.get_user(user_id=42)` (validation, default-value rule, token lifecycle as an httpx
  auth flow, envelope check, typed model).
The same for `httpx.AsyncClient` / `asyncio` / `AsyncPartnerClient`. The mock's login answer carries a token
valid for a day, so the measured loop never logs in (checked: one login per client).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from bench_common import Comparison, Row, acompare, compare
from partner_api import AsyncPartnerClient, PartnerClient
from partner_api_client import AuthenticatedClient
from partner_api_client.api.users import get_user
from partner_api_client.models.get_user_request import GetUserRequest

BASE_URL = "http://127.0.0.1:8999"
TOKEN = "bench-token-0123456789abcdef"
GOAL = 1.15

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
            raw.post("/partner/v2/getUser", json={"user_id": 42}).json()

    def run_generated(n: int) -> None:
        for _ in range(n):
            get_user.sync(client=generated, body=GetUserRequest(user_id=42))

    def run_client(n: int) -> None:
        for _ in range(n):
            client.get_user(user_id=42)

    with raw, client:
        result = compare(
            {"raw": run_raw, "generated": run_generated, "client": run_client},
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
            (await raw.post("/partner/v2/getUser", json={"user_id": 42})).json()

    async def run_generated(n: int) -> None:
        for _ in range(n):
            await get_user.asyncio(client=generated, body=GetUserRequest(user_id=42))

    async def run_client(n: int) -> None:
        for _ in range(n):
            await client.get_user(user_id=42)

    async with raw, client:
        result = await acompare(
            {"raw": run_raw, "generated": run_generated, "client": run_client},
            baseline="raw", calls=calls, rounds=rounds, warmup=warmup,
        )  # fmt: skip
        return result, client.login_count


def run_async(calls: int, rounds: int, warmup: int) -> tuple[Comparison, int]:
    return asyncio.run(_run_async(calls, rounds, warmup))


def rows(quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    calls, rounds, warmup = (300, 5, 200) if quick else (1000, 15, 500)
    out: list[Row] = []
    details: dict[str, Any] = {}
    for kind, run in (("sync", run_sync), ("async", run_async)):
        result, logins = run(calls, rounds, warmup)
        details[kind] = {**result.as_dict(), "client_logins": logins}
        ratio = result.ratio("client")
        out.append(
            Row(
                "1 mock CPU",
                f"{kind}: raw / generated / client µs per call",
                f"{result.us('raw'):.1f} / {result.us('generated'):.1f} / {result.us('client'):.1f}",
            )
        )
        out.append(
            Row(
                "1 mock CPU",
                f"{kind}: client / raw (generated / raw)",
                f"{ratio:.3f} ({result.ratio('generated'):.3f})",
                f"<= {GOAL}",
                ratio <= GOAL and logins == 1,
            )
        )
    return out, details
