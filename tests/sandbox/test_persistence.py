"""The SQLite store: data survives a restart with `db=`, tokens do not; memory stores start empty."""

from __future__ import annotations

from pathlib import Path

from partner_api.sandbox import SandboxServer

from .conftest import Api


def test_data_survives_a_restart_with_a_db_file(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite"
    receipt = {"order": "A-1", "amount": 0, "currency": ""}
    with SandboxServer(db=db, seed=2, admin=True, private_key="key-1") as first:
        api = Api(first)
        alice = api.create_user("alice", extra={"country": "NL"})
        purchase = api.ok("addUserPurchase", {"username": "alice", "type": "stripe", "receipt": receipt})["purchase"]
        api.ok("setUserTrafficLimit", {"username": "alice", "traffic_limit": 12345})
        old_token = api.token
        api.close()
    assert db.exists()

    with SandboxServer(db=db, seed=2, admin=True, private_key="key-1") as second:
        api = Api(second)
        assert api.call("listLicenses", token=old_token).status_code == 401  # tokens live in memory only
        assert api.ok("getUser", {"username": "alice"})["user"] == alice
        assert api.ok("listUserPurchases", {"user_id": alice["id"]})["purchases"] == [purchase]
        assert api.ok("getUserTraffic", {"username": "alice"})["traffic"]["traffic_limit"] == 12345
        assert second.receipt(purchase["id"]) == receipt
        users = api.ok("listUsers", {"limit": 1000})["users"]
        assert [user["username"] for user in users] == ["seed-user-0001", "seed-user-0002", "alice"]  # seeded once
        assert len(api.ok("listLicenses")["licenses"]) == 3
        assert second.config()["db"] == str(db)
        api.close()


def test_reset_wipes_a_db_file_too(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite"
    with SandboxServer(db=db, admin=True) as sandbox:
        api = Api(sandbox)
        api.create_user("alice")
        sandbox.reset()
        fresh = api.login().json()["access_token"]
        assert api.call("getUser", {"username": "alice"}, token=fresh).status_code == 404
        api.close()
    with SandboxServer(db=db) as again:
        api = Api(again)
        assert api.call("getUser", {"username": "alice"}).status_code == 404
        api.close()


def test_memory_store_starts_empty_each_time() -> None:
    for _ in range(2):
        with SandboxServer() as sandbox:
            api = Api(sandbox)
            assert api.ok("listUsers") == {"result": "OK"}
            api.create_user("alice")
            api.close()
