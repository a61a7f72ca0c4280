"""The API's default-value rule on requests, and proto3-like omission of defaults in answers."""

from __future__ import annotations

from typing import Any

import pytest
from partner_api.sandbox import SandboxServer

from .conftest import Api

MISSING_IDENTIFIER = 'missing identifier: give user_id or username (0 and "" mean absent)'


def test_zero_empty_string_and_absent_parse_identically(api: Api) -> None:
    api.create_user("alice")
    answers = [
        api.call("getUser", body) for body in ({"user_id": 0}, {"username": ""}, {}, {"user_id": 0, "username": ""})
    ]
    assert {response.status_code for response in answers} == {400}
    assert [response.json() for response in answers] == [
        {"result": "INVALID_PARAMETERS", "error": MISSING_IDENTIFIER}
    ] * 4


def test_a_zero_id_next_to_a_username_finds_the_username(api: Api) -> None:
    alice = api.create_user("alice")
    assert api.ok("getUser", {"user_id": 0, "username": "alice"})["user"] == alice
    assert api.ok("getUser", {"user_id": alice["id"], "username": ""})["user"] == alice


def test_integers_may_carry_a_zero_fraction(api: Api) -> None:
    alice = api.create_user("alice")
    assert api.ok("getUser", {"user_id": float(alice["id"])})["user"] == alice
    assert api.call("getUser", {"user_id": 0.0}).json()["error"] == MISSING_IDENTIFIER
    assert api.ok("getUser", {"user_id": 0.0, "username": "alice"})["user"] == alice
    assert len(api.ok("listUsers", {"limit": 1.0})["users"]) == 1


def test_user_id_wins_over_username(api: Api) -> None:
    alice, bob = api.create_user("alice"), api.create_user("bob")
    assert api.ok("getUser", {"user_id": bob["id"], "username": "alice"})["user"] == bob
    assert alice != bob


@pytest.mark.parametrize(
    "body",
    [
        {"user_id": "5"},
        {"user_id": True},
        {"user_id": False},
        {"user_id": 1.5},
        {"user_id": 1e300},
        {"user_id": ""},
        {"user_id": -1},
        {"user_id": 2**53},
        {"user_id": None, "username": 5},
        {"user_id": None, "username": "alice"},  # null is not in the spec's types
        {"username": ["alice"]},
        {"username": "x" * 256},
    ],
    ids=repr,
)
def test_wrong_types_and_out_of_range_values_are_invalid(api: Api, body: dict[str, Any]) -> None:
    api.create_user("alice")
    api.error("getUser", body, "INVALID_PARAMETERS", 400)


def test_unknown_fields_are_rejected_whatever_their_value(api: Api) -> None:
    api.create_user("alice")
    for bogus in (0, "", False, "x"):
        message = api.error("getUser", {"username": "alice", "bogus": bogus}, "INVALID_PARAMETERS", 400)
        assert message == "unknown field 'bogus'"
    assert api.error("listLicenses", {"x": 0}, "INVALID_PARAMETERS", 400) == "unknown field 'x'"


def test_false_is_a_value_and_is_applied(api: Api) -> None:
    alice = api.create_user("alice")
    assert alice["enabled"] is True
    updated = api.ok("updateUser", {"username": "alice", "enabled": False})["user"]
    assert "enabled" not in updated  # false is omitted in answers, like every default
    assert [user["username"] for user in api.ok("listUsers", {"enabled": False})["users"]] == ["alice"]
    assert api.ok("listUsers", {"enabled": True}).get("users", []) == []


def test_required_number_equal_to_zero_is_missing(api: Api) -> None:
    api.create_user("alice")
    message = api.error("setUserTrafficLimit", {"username": "alice", "traffic_limit": 0}, "INVALID_PARAMETERS", 400)
    assert message == "missing required field 'traffic_limit'"
    assert api.error("createUser", {"username": ""}, "INVALID_PARAMETERS", 400) == "missing required field 'username'"


def test_default_limit_and_empty_cursor_mean_the_first_page_of_100(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.seed_users(101)
    pages = [api.ok("listUsers", body) for body in ({}, {"limit": 0}, {"cursor": ""}, {"limit": 0, "cursor": ""})]
    assert all(page == pages[0] for page in pages)
    assert len(pages[0]["users"]) == 100
    assert pages[0]["next_cursor"]


def test_nested_objects_follow_the_rule(api: Api) -> None:
    user = api.create_user("alice", extra={"country": "", "language": "en"})
    assert user["extra"] == {"language": "en"}
    user = api.ok("updateUser", {"username": "alice", "extra": {"country": "DE", "language": ""}})["user"]
    assert user["extra"] == {"country": "DE", "language": "en"}  # "" left the language unchanged
    api.error("updateUser", {"username": "alice", "extra": {"country": "de"}}, "INVALID_PARAMETERS", 400)
    api.error("updateUser", {"username": "alice", "extra": {"city": ""}}, "INVALID_PARAMETERS", 400)


def test_enum_empty_string_means_its_default(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.seed_users(3)
    window = {"start_time": 1, "end_time": 2**40}
    by_default = api.ok("getTrafficReport", window)
    assert api.ok("getTrafficReport", {**window, "group_by": ""}) == by_default
    assert api.ok("getTrafficReport", {**window, "group_by": "day"}) == by_default
    api.error("getTrafficReport", {**window, "group_by": "week"}, "INVALID_PARAMETERS", 400)


def test_receipt_is_opaque_and_stored_verbatim(api: Api, partner_sandbox: SandboxServer) -> None:
    api.create_user("alice")
    receipt = {"amount": 0, "currency": "", "trial": False, "lines": [0, "", None], "nested": {"n": 0, "s": ""}}
    purchase = api.ok("addUserPurchase", {"username": "alice", "type": "google", "receipt": receipt})["purchase"]
    assert "receipt" not in purchase  # stored, never echoed
    assert partner_sandbox.receipt(purchase["id"]) == receipt
    empty = api.ok("addUserPurchase", {"username": "alice", "type": "apple", "receipt": {}})["purchase"]
    assert partner_sandbox.receipt(empty["id"]) == {}
    api.error("addUserPurchase", {"username": "alice", "type": "apple", "receipt": []}, "INVALID_PARAMETERS", 400)
    api.error("addUserPurchase", {"username": "alice", "type": "apple"}, "INVALID_PARAMETERS", 400)


def test_answers_omit_defaults(api: Api) -> None:
    api.create_user("alice")
    traffic = api.ok("getUserTraffic", {"username": "alice"})["traffic"]
    assert set(traffic) == {"traffic_start", "unlimited"}  # 0 limit/used/remaining are left out
    assert api.ok("listUserDevices", {"username": "alice"}) == {"result": "OK"}  # empty array left out
    assert api.ok("listUserPurchases", {"username": "alice"}) == {"result": "OK"}
    user = api.ok("updateUser", {"username": "alice", "enabled": False})["user"]
    assert set(user) == {"id", "username", "auth_method", "license_id", "create_time"}  # no extra, no enabled
    bob = api.create_user("bob", extra={"country": "DE", "language": ""})
    assert bob["extra"] == {"country": "DE"}  # a nested object follows the rule inside
    assert api.ok("listUsers", {"limit": 5}).keys() == {"result", "users"}  # last page: no next_cursor
    assert api.ok("deleteUser", {"username": "alice"}) == {"result": "OK"}
    licenses = api.ok("listLicenses")["licenses"]
    assert {"id": 3, "name": "business"} in licenses  # unlimited license: its zero limits are omitted


def test_the_body_is_required_as_the_spec_says(api: Api) -> None:
    json_type = {"Content-Type": "application/json"}
    assert api.call("listLicenses", content=b"{}", headers=json_type).status_code == 200
    for content, headers in ((b"", {}), (b"", json_type), (b"{}", {}), (b"{}", {"Content-Type": "text/plain"})):
        answer = api.call("listLicenses", content=content, headers=headers)
        assert (answer.status_code, answer.json()["result"]) == (400, "INVALID_PARAMETERS"), (content, headers)
    assert api.call("getUser", content=b"{}", headers=json_type).json()["error"] == MISSING_IDENTIFIER
