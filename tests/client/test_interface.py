"""The public surface: construction, from_env, pagination, the low-level functions, typed methods."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from partner_api import AsyncPartnerClient, PartnerClient
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
