"""The public surface: construction, from_env, pagination, the low-level functions, typed methods."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest
from partner_api import AsyncPartnerClient, PartnerClient, ServerError
from partner_api_client.api import OPERATIONS
from partner_api_client.api.users import get_user
from partner_api_client.models import ErrorResponse, GetUserRequest, UserResponse

from tests.support.transport import Wire


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


@pytest.mark.parametrize("cls", [PartnerClient, AsyncPartnerClient])
def test_one_keyword_only_method_per_operation(cls: type) -> None:
    assert len(OPERATIONS) == 17
    for operation_id in OPERATIONS:
        method = getattr(cls, _snake(operation_id))
        parameters = list(inspect.signature(method).parameters.values())[1:]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters), operation_id
        assert inspect.iscoroutinefunction(method) is (cls is AsyncPartnerClient)


def test_from_env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNER_API_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("PARTNER_API_PROJECT_ID", sandbox.project_id)
    monkeypatch.setenv("PARTNER_API_PRIVATE_KEY", sandbox.private_key)
    with PartnerClient.from_env(timeout=5.0) as client:
        assert len(client.list_licenses().licenses) >= 1
    monkeypatch.delenv("PARTNER_API_PRIVATE_KEY")
    with pytest.raises(ValueError, match="PARTNER_API_PRIVATE_KEY"):
        PartnerClient.from_env()


def test_iter_users_follows_next_cursor(client: PartnerClient, wire: Wire) -> None:
    created = [client.create_user(username=f"page-{i:02d}").user for i in range(7)]
    names = [u.username for u in client.iter_users(limit=3)]
    assert names == [u.username for u in created if u is not None]
    assert wire.bodies("listUsers")[0] == {"limit": 3}
    assert len(wire.bodies("listUsers")) == 3  # 3 + 3 + 1
    assert all("cursor" in body for body in wire.bodies("listUsers")[1:])


async def test_async_iter_users(aclient: AsyncPartnerClient) -> None:
    for i in range(5):
        await aclient.create_user(username=f"apage-{i}")
    names = [u.username async for u in aclient.iter_users(limit=2)]
    assert names == [f"apage-{i}" for i in range(5)]


def test_low_level_functions_share_the_token_lifecycle(sandbox: Any, client: PartnerClient, wire: Wire) -> None:
    client.create_user(username="low")
    response = get_user.sync_detailed(client=client.low_level, body=GetUserRequest(username="low"))
    assert isinstance(response.parsed, UserResponse)
    assert response.parsed.user.username == "low"  # type: ignore[union-attr]
    sandbox.revoke_tokens()  # the low-level call renews and replays like the high-level one
    again = get_user.sync_detailed(client=client.low_level, body=GetUserRequest(username="nobody"))
    assert isinstance(again.parsed, ErrorResponse)
    assert again.parsed.result == "NOT_FOUND"
    assert wire.count("/partner/login") == 2
    assert client.login_count == 2


async def test_async_low_level(aclient: AsyncPartnerClient) -> None:
    await aclient.create_user(username="alow")
    response = await get_user.asyncio_detailed(client=aclient.low_level, body=GetUserRequest(username="alow"))
    assert isinstance(response.parsed, UserResponse)
    assert aclient.login_count == 1


def test_low_level_functions_get_a_server_error_for_an_unknown_status(sandbox: Any, client: PartnerClient) -> None:
    """The generated code builds `HTTPStatus(status)`, which raises ValueError for a proxy's 520: the token
    lifecycle's auth flow turns that answer into a `ServerError` before the generated code reads it."""
    client.login()
    sandbox.inject_fault("getUser", status=520, body="html", count=1)
    with pytest.raises(ServerError) as caught:
        get_user.sync_detailed(client=client.low_level, body=GetUserRequest(username="anyone"))
    assert (caught.value.result, caught.value.status_code, caught.value.operation) == ("HTTP_520", 520, "getUser")


async def test_async_low_level_functions_get_a_server_error_for_an_unknown_status(
    sandbox: Any, aclient: AsyncPartnerClient
) -> None:
    await aclient.login()
    sandbox.inject_fault("getUser", status=527, body="empty", count=1)
    with pytest.raises(ServerError) as caught:
        await get_user.asyncio_detailed(client=aclient.low_level, body=GetUserRequest(username="anyone"))
    assert (caught.value.result, caught.value.status_code) == ("HTTP_527", 527)


def _login_then(answers: list[httpx.Response], seen: list[httpx.URL]) -> httpx.MockTransport:
    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        if request.url.path.endswith("/partner/login"):
            return httpx.Response(
                200, json={"result": "OK", "access_token": "t", "create_time": 1, "expire_time": 9999}
            )
        return answers.pop(0)

    return httpx.MockTransport(respond)


@pytest.mark.parametrize(
    "base_url", ["https://gw.example.com", "https://gw.example.com/vpn", "https://gw.example.com/vpn/"]
)
def test_operation_urls_are_merged_with_the_base_url_like_httpx_merges_a_path(base_url: str) -> None:
    """The client prepares each operation's `httpx.URL` once; it must be the URL httpx would build from the path."""
    seen: list[httpx.URL] = []
    ok = {"result": "OK", "user": {"id": 5}}
    transport = _login_then([httpx.Response(200, json=ok), httpx.Response(200, json=ok)], seen)
    with PartnerClient(base_url, "p", "k", http_client=httpx.Client(transport=transport)) as client:
        client.get_user(user_id=5)
        client.get_user(user_id=5)
    expected = httpx.Client(base_url=base_url).build_request("POST", "/partner/v2/getUser").url
    assert [url for url in seen if url.path.endswith("/getUser")] == [expected, expected]
    login = httpx.Client(base_url=base_url).build_request("POST", "/partner/login").url
    assert [url for url in seen if url.path.endswith("/login")] == [login]


async def test_async_operation_urls_are_merged_with_the_base_url() -> None:
    seen: list[httpx.URL] = []
    transport = _login_then([httpx.Response(200, json={"result": "OK", "licenses": []})], seen)
    async with AsyncPartnerClient(
        "https://gw.example.com/vpn", "p", "k", http_client=httpx.AsyncClient(transport=transport)
    ) as client:
        await client.list_licenses()
    assert seen[-1] == httpx.URL("https://gw.example.com/vpn/partner/v2/listLicenses")


def test_an_unknown_status_on_the_replay_after_a_renewal_is_a_server_error() -> None:
    """A mock stands in for a proxy that answers the replayed request with 522 (a sandbox cannot time that)."""
    seen: list[httpx.URL] = []
    answers = [httpx.Response(401, json={"result": "NOT_AUTHORIZED"}), httpx.Response(522, content=b"<html>")]
    with PartnerClient(
        "https://api.example.com", "p", "k", http_client=httpx.Client(transport=_login_then(answers, seen))
    ) as client:
        with pytest.raises(ServerError) as caught:
            client.get_user(user_id=5)
        assert caught.value.result == "HTTP_522"
        assert client.login_count == 2


def test_a_given_http_client_keeps_its_headers_params_cookies_and_hooks() -> None:
    """Prepared operation URLs go through httpx's own request building: nothing set on the caller's client is lost."""
    seen: list[httpx.URL] = []
    requests: list[httpx.Request] = []
    transport = _login_then([httpx.Response(200, json={"result": "OK", "user": {"id": 5}})], seen)
    http = httpx.Client(
        transport=transport, headers={"X-Trace": "t-1"}, params={"tenant": "a"}, cookies={"c": "v"},
        event_hooks={"request": [requests.append]},
    )  # fmt: skip
    with PartnerClient("https://api.example.com/vpn", "p", "k", http_client=http) as client:
        client.get_user(user_id=5)
    call = requests[-1]
    assert call.url == httpx.URL("https://api.example.com/vpn/partner/v2/getUser?tenant=a")
    assert (call.headers["X-Trace"], call.headers["Cookie"], call.headers["Accept"]) == (
        "t-1",
        "c=v",
        "application/json",
    )
    assert call.headers["Authorization"] == "Bearer t"
    http.close()
