"""Cursor pagination of listUsers: page sizes, the last page, filters, and bad cursors."""

from __future__ import annotations

from typing import Any

import pytest
from partner_api.sandbox import SandboxServer

from .conftest import Api


def _pages(api: Api, **body: Any) -> list[dict[str, Any]]:
    pages, cursor = [], ""
    while True:
        page = api.ok("listUsers", {**body, "cursor": cursor})
        pages.append(page)
        cursor = page.get("next_cursor", "")
        if not cursor:
            return pages


@pytest.mark.parametrize(("total", "limit", "sizes"), [(25, 10, [10, 10, 5]), (25, 5, [5] * 5), (3, 1000, [3])])
def test_pages_cover_every_user_once_in_id_order(
    api: Api, partner_sandbox: SandboxServer, total: int, limit: int, sizes: list[int]
) -> None:
    ids = partner_sandbox.seed_users(total)
    pages = _pages(api, limit=limit)
    assert [len(page["users"]) for page in pages] == sizes  # no empty trailing page
    assert [user["id"] for page in pages for user in page["users"]] == sorted(ids)
    assert "next_cursor" not in pages[-1]
    assert all(page["next_cursor"] for page in pages[:-1])


def test_no_users_is_an_empty_answer(api: Api) -> None:
    assert api.ok("listUsers", {}) == {"result": "OK"}


def test_limit_bounds(api: Api) -> None:
    for limit in (-1, 1001, "10", 1.5, True):
        api.error("listUsers", {"limit": limit}, "INVALID_PARAMETERS", 400)
    assert api.ok("listUsers", {"limit": 1000}) == {"result": "OK"}


def test_filters_apply_across_pages(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.seed_users(30)
    everyone = [user for page in _pages(api, limit=7) for user in page["users"]]
    disabled = [user for page in _pages(api, limit=2, enabled=False) for user in page["users"]]
    assert disabled
    assert disabled == [user for user in everyone if not user.get("enabled", False)]
    premium = [user for page in _pages(api, limit=3, license_id=2) for user in page["users"]]
    assert premium == [user for user in everyone if user["license_id"] == 2]
    assert api.ok("listUsers", {"license_id": 999}) == {"result": "OK"}


def test_a_cursor_survives_deletes(api: Api, partner_sandbox: SandboxServer) -> None:
    ids = partner_sandbox.seed_users(6)
    first = api.ok("listUsers", {"limit": 3})
    api.ok("deleteUser", {"user_id": ids[3]})
    second = api.ok("listUsers", {"limit": 3, "cursor": first["next_cursor"]})
    assert [user["id"] for user in second["users"]] == ids[4:]


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "YWZ0ZXI6", "YmVmb3JlOjE", "%%%", "after:1", "YWZ0ZXI6wrI", "YWZ0ZXI6" + "OTk5" * 100],
    ids=["garbage", "empty-id", "wrong-prefix", "not-base64", "not-encoded", "unicode-digit", "huge-id"],
)
def test_invalid_cursor(api: Api, cursor: str) -> None:
    message = api.error("listUsers", {"cursor": cursor}, "INVALID_PARAMETERS", 400)
    assert message.startswith("invalid cursor")
