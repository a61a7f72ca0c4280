"""Each v2 operation's semantics, and every error code with its HTTP status."""

from __future__ import annotations

import time
from typing import Any

import pytest
from partner_api.sandbox import SandboxServer

from .conftest import Api

GiB = 2**30


@pytest.fixture
def seeded(partner_sandbox: SandboxServer) -> list[int]:
    """Three generated users with devices and sessions."""
    return partner_sandbox.seed_users(3)


# ---------- users ----------
def test_create_user_defaults(api: Api) -> None:
    before = int(time.time())
    user = api.create_user("alice")
    assert user["id"] >= 1
    assert user["username"] == "alice"
    assert user["auth_method"] == "anonymous"
    assert user["enabled"] is True
    assert user["license_id"] == 1  # the project's first license
    assert before <= user["create_time"] <= int(time.time())
    assert "extra" not in user


def test_create_user_with_every_field(api: Api) -> None:
    user = api.create_user("bob", auth_method="email", license_id=2, extra={"country": "FR", "language": "fr"})
    assert (user["auth_method"], user["license_id"], user["extra"]) == ("email", 2, {"country": "FR", "language": "fr"})
    assert api.ok("getUser", {"user_id": user["id"]})["user"] == user


def test_create_user_conflicts_and_unknown_license(api: Api) -> None:
    api.create_user("alice")
    assert api.error("createUser", {"username": "alice"}, "USER_ALREADY_EXISTS", 409) == "username is taken"
    assert api.error("createUser", {"username": "carol", "license_id": 99}, "NOT_FOUND", 404) == "no such license"


def test_get_user_not_found(api: Api) -> None:
    assert api.error("getUser", {"username": "nobody"}, "NOT_FOUND", 404) == "no such user"
    assert api.error("getUser", {"user_id": 12345}, "NOT_FOUND", 404) == "no such user"


def test_update_user_changes_only_what_is_given(api: Api) -> None:
    alice = api.create_user("alice", extra={"country": "DE", "language": "de"})
    updated = api.ok("updateUser", {"user_id": alice["id"], "license_id": 3})["user"]
    assert updated == {**alice, "license_id": 3}
    updated = api.ok("updateUser", {"username": "alice", "extra": {"language": "en"}})["user"]
    assert updated["extra"] == {"country": "DE", "language": "en"}
    api.error("updateUser", {"username": "alice", "license_id": 42}, "NOT_FOUND", 404)
    api.error("updateUser", {"username": "nobody", "enabled": True}, "NOT_FOUND", 404)


def test_delete_user_takes_its_data_along(api: Api, partner_sandbox: SandboxServer, seeded: list[int]) -> None:
    user_id = seeded[0]
    assert api.ok("listUserDevices", {"user_id": user_id})["devices"]
    assert api.ok("deleteUser", {"user_id": user_id}) == {"result": "OK"}
    api.error("getUser", {"user_id": user_id}, "NOT_FOUND", 404)
    api.error("listUserDevices", {"user_id": user_id}, "NOT_FOUND", 404)
    api.error("deleteUser", {"user_id": user_id}, "NOT_FOUND", 404)
    new = api.create_user("after-delete")
    assert new["id"] > max(seeded)  # ids are never reused


# ---------- traffic ----------
def test_traffic_limit_lifecycle(api: Api, seeded: list[int]) -> None:
    user_id = seeded[0]
    used = api.ok("getUserTraffic", {"user_id": user_id})["traffic"]["traffic_used"]
    assert used > 0
    limited = api.ok("setUserTrafficLimit", {"user_id": user_id, "traffic_limit": used + 5 * GiB})["traffic"]
    assert limited["traffic_limit"] == used + 5 * GiB
    assert limited["traffic_remaining"] == 5 * GiB
    assert "unlimited" not in limited
    assert api.ok("getUserTraffic", {"user_id": user_id})["traffic"] == limited

    reset = api.ok("resetUserTraffic", {"user_id": user_id})["traffic"]
    assert "traffic_used" not in reset
    assert reset["traffic_remaining"] == reset["traffic_limit"] == used + 5 * GiB
    assert reset["traffic_start"] >= limited["traffic_start"]

    unlimited = api.ok("deleteUserTrafficLimit", {"user_id": user_id})["traffic"]
    assert unlimited["unlimited"] is True
    assert "traffic_limit" not in unlimited
    assert "traffic_remaining" not in unlimited


def test_limit_below_usage_leaves_nothing_remaining(api: Api, seeded: list[int]) -> None:
    traffic = api.ok("setUserTrafficLimit", {"user_id": seeded[0], "traffic_limit": 1})["traffic"]
    assert traffic["traffic_limit"] == 1
    assert "traffic_remaining" not in traffic


@pytest.mark.parametrize("operation", ["getUserTraffic", "resetUserTraffic", "deleteUserTrafficLimit"])
def test_traffic_operations_on_an_unknown_user(api: Api, operation: str) -> None:
    api.error(operation, {"username": "nobody"}, "NOT_FOUND", 404)
    api.error(operation, {}, "INVALID_PARAMETERS", 400)


# ---------- devices and sessions ----------
def test_devices_list_and_delete(api: Api, seeded: list[int]) -> None:
    user_id, other_id = seeded[0], seeded[1]
    devices = api.ok("listUserDevices", {"user_id": user_id})["devices"]
    assert all({"id", "name", "platform", "create_time", "access_time"} <= set(device) for device in devices)
    device_id = devices[0]["id"]
    other_device = api.ok("listUserDevices", {"user_id": other_id})["devices"][0]["id"]
    api.error("deleteUserDevice", {"user_id": user_id, "device_id": other_device}, "NOT_FOUND", 404)
    assert api.ok("deleteUserDevice", {"user_id": user_id, "device_id": device_id}) == {"result": "OK"}
    remaining = api.ok("listUserDevices", {"user_id": user_id}).get("devices", [])
    assert [device["id"] for device in remaining] == [device["id"] for device in devices[1:]]
    assert api.error("deleteUserDevice", {"user_id": user_id, "device_id": device_id}, "NOT_FOUND", 404) == (
        "no such device"
    )
    api.error("deleteUserDevice", {"user_id": user_id}, "INVALID_PARAMETERS", 400)


def test_sessions_newest_first_and_windowed(api: Api, seeded: list[int]) -> None:
    sessions: list[dict[str, Any]] = []
    for user_id in seeded:
        sessions += [{**s, "user_id": user_id} for s in api.ok("listUserSessions", {"user_id": user_id})["sessions"]]
    user_id = max(seeded, key=lambda uid: sum(1 for s in sessions if s["user_id"] == uid))
    own = [s for s in sessions if s["user_id"] == user_id]
    assert [s["start_time"] for s in own] == sorted((s["start_time"] for s in own), reverse=True)
    assert all(s["bytes_in"] > 0 and s.get("end_time", 1) > 0 for s in own)
    middle = sorted(s["start_time"] for s in own)[len(own) // 2]
    before = api.ok("listUserSessions", {"user_id": user_id, "end_time": middle}).get("sessions", [])
    assert {s["id"] for s in before} == {s["id"] for s in own if s["start_time"] < middle}
    after = api.ok("listUserSessions", {"user_id": user_id, "start_time": middle}).get("sessions", [])
    assert {s["id"] for s in after} == {s["id"] for s in own if "end_time" not in s or s["end_time"] >= middle}


def test_some_seeded_sessions_are_still_active(api: Api, partner_sandbox: SandboxServer) -> None:
    user_ids = partner_sandbox.seed_users(10)
    sessions = [s for uid in user_ids for s in api.ok("listUserSessions", {"user_id": uid})["sessions"]]
    assert any("end_time" not in s for s in sessions)  # active: end_time 0, omitted


# ---------- purchases ----------
def test_purchases_add_list_delete(api: Api) -> None:
    alice = api.create_user("alice")
    bob = api.create_user("bob")
    first = api.ok("addUserPurchase", {"username": "alice", "type": "google", "receipt": {"token": "t1"}})["purchase"]
    assert set(first) == {"id", "type", "create_time", "check_time", "active"}
    assert first["active"] is True
    second = api.ok("addUserPurchase", {"user_id": alice["id"], "type": "apple", "receipt": {"n": 0}})["purchase"]
    assert api.ok("listUserPurchases", {"username": "alice"})["purchases"] == [first, second]
    api.error("deleteUserPurchase", {"user_id": bob["id"], "purchase_id": first["id"]}, "NOT_FOUND", 404)
    assert api.ok("deleteUserPurchase", {"username": "alice", "purchase_id": first["id"]}) == {"result": "OK"}
    assert api.ok("listUserPurchases", {"username": "alice"})["purchases"] == [second]
    message = api.error("deleteUserPurchase", {"username": "alice", "purchase_id": first["id"]}, "NOT_FOUND", 404)
    assert message == "no such purchase"
    api.error("addUserPurchase", {"username": "nobody", "type": "google", "receipt": {}}, "NOT_FOUND", 404)


# ---------- licenses and reports ----------
def test_licenses(api: Api) -> None:
    assert api.ok("listLicenses")["licenses"] == [
        {"id": 1, "name": "free", "devices_limit": 1, "sessions_limit": 1},
        {"id": 2, "name": "premium", "devices_limit": 5, "sessions_limit": 3},
        {"id": 3, "name": "business"},
    ]


def test_traffic_report_sums_the_sessions(api: Api, seeded: list[int]) -> None:
    sessions = [s for uid in seeded for s in api.ok("listUserSessions", {"user_id": uid})["sessions"]]
    window = {"start_time": int(time.time()) - 8 * 86400, "end_time": int(time.time()) + 60}
    by_day = api.ok("getTrafficReport", {**window, "group_by": "day"})["rows"]
    by_country = api.ok("getTrafficReport", {**window, "group_by": "country"})["rows"]
    for rows, key in ((by_day, "date"), (by_country, "country")):
        assert [row[key] for row in rows] == sorted(row[key] for row in rows)
        assert sum(row["bytes_in"] for row in rows) == sum(s["bytes_in"] for s in sessions)
        assert sum(row["bytes_out"] for row in rows) == sum(s["bytes_out"] for s in sessions)
        assert all(1 <= row["active_users"] <= len(seeded) for row in rows)
    assert {row["country"] for row in by_country} == {s["server_country"] for s in sessions}
    assert all("country" not in row for row in by_day)
    assert all(len(row["date"]) == 10 for row in by_day)


def test_traffic_report_window(api: Api, seeded: list[int]) -> None:
    assert api.ok("getTrafficReport", {"start_time": 1, "end_time": 2}) == {"result": "OK"}
    message = api.error("getTrafficReport", {"start_time": 5, "end_time": 5}, "INVALID_PARAMETERS", 400)
    assert message == "end_time must be after start_time"
    api.error("getTrafficReport", {"start_time": 5}, "INVALID_PARAMETERS", 400)


# ---------- the envelope ----------
def test_every_error_code_with_its_http_status(api: Api, partner_sandbox: SandboxServer) -> None:
    api.create_user("alice")
    api.error("getUser", {"user_id": "1"}, "INVALID_PARAMETERS", 400)
    assert api.call("getUser", {"username": "alice"}, token="bad").status_code == 401
    assert api.login(password="bad").status_code == 401
    api.error("getUser", {"username": "bob"}, "NOT_FOUND", 404)
    api.error("createUser", {"username": "alice"}, "USER_ALREADY_EXISTS", 409)
    partner_sandbox.inject_fault("getUser", status=500)
    api.error("getUser", {"username": "alice"}, "INTERNAL_ERROR", 500)
    token = api.token
    partner_sandbox.set_rate_limit(0.01)
    statuses = [api.call("getUser", {"username": "alice"}, token=token).status_code for _ in range(3)]
    assert statuses[-1] == 429
    response = api.call("getUser", {"username": "alice"}, token=token)
    assert response.json() == {"result": "TOO_MANY_REQUESTS", "error": "rate limit exceeded"}
    assert int(response.headers["Retry-After"]) >= 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "malformed JSON body"),
        (b'{"username": "a",}', "malformed JSON body"),
        (b"[]", "the body must be a JSON object"),
        (b'"alice"', "the body must be a JSON object"),
        (b'{"username": NaN}', "malformed JSON body"),
        (b"\xff\xfe{", "malformed JSON body"),
        (b'{"username": "\\ud800"}', "malformed JSON body: invalid unicode"),
        (b"[" * 100000 + b"]" * 100000, "malformed JSON body"),
    ],
    ids=["truncated", "trailing-comma", "array", "string", "nan", "bad-utf8", "lone-surrogate", "deep"],
)
def test_malformed_json_is_invalid_parameters(api: Api, content: bytes, message: str) -> None:
    response = api.call("getUser", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"result": "INVALID_PARAMETERS", "error": message}


def test_unknown_operation_and_wrong_method(api: Api) -> None:
    response = api.call("getUsers", {})
    assert (response.status_code, response.json()["result"]) == (404, "NOT_FOUND")
    response = api.http.get("/partner/v2/getUser")
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    assert response.json()["result"] == "INVALID_PARAMETERS"


def test_oversized_body_is_refused(api: Api) -> None:
    response = api.call("getUser", content=b'{"username": "' + b"a" * (2 << 20) + b'"}')
    assert response.status_code == 413
    assert response.json()["result"] == "INVALID_PARAMETERS"
