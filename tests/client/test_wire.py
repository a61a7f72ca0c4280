"""What goes over the wire, recorded on the way to the sandbox."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from partner_api import PartnerClient

from tests.support.harness import MakeClient
from tests.support.transport import Wire


def test_login_is_form_encoded_with_project_id_and_private_key(client: PartnerClient, sandbox: Any, wire: Wire) -> None:
    client.create_user(username="wire-alice")
    login = wire.requests[0]
    assert login.url.path == "/partner/login"
    assert login.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "authorization" not in login.headers
    assert parse_qs(login.content.decode(), strict_parsing=True) == {
        "login": [sandbox.project_id], "password": [sandbox.private_key],
    }  # fmt: skip


def test_v2_calls_carry_bearer_token_and_json(client: PartnerClient, wire: Wire) -> None:
    client.create_user(username="wire-bob")
    client.get_user(username="wire-bob")
    calls = [r for r in wire.requests if "/partner/v2/" in r.url.path]
    assert [r.url.path for r in calls] == ["/partner/v2/createUser", "/partner/v2/getUser"]
    for request in calls:
        assert request.method == "POST"
        assert request.headers["authorization"] == f"Bearer {wire.tokens[0]}"
        assert request.headers["content-type"] == "application/json"
        assert request.headers["accept"] == "application/json"
    assert wire.bodies("getUser") == [{"username": "wire-bob"}]


def test_bodies_carry_no_defaults_but_keep_booleans(make_client: MakeClient, wire: Wire) -> None:
    client = make_client(default_values="strip")
    user = client.create_user(username="wire-carol", auth_method="", license_id=0).user
    assert user is not None
    client.update_user(user_id=user.id, username="", license_id=0, enabled=False,
                       extra={"country": "", "language": "en"})  # fmt: skip
    client.list_users(limit=0, cursor="", enabled=False)
    assert wire.bodies("createUser") == [{"username": "wire-carol"}]
    assert wire.bodies("updateUser") == [{"user_id": user.id, "enabled": False, "extra": {"language": "en"}}]
    assert wire.bodies("listUsers") == [{"enabled": False}]


def test_receipt_is_forwarded_verbatim(client: PartnerClient, wire: Wire) -> None:
    user = client.create_user(username="wire-dave").user
    assert user is not None
    receipt = {"order": "GPA.1", "amount": 0, "currency": "", "test": False, "items": [0, "", None],
               "nested": {"zero": 0, "empty": ""}}  # fmt: skip
    purchase = client.add_user_purchase(user_id=user.id, type="google", receipt=receipt).purchase
    assert purchase is not None and purchase.id > 0
    assert wire.bodies("addUserPurchase") == [{"user_id": user.id, "type": "google", "receipt": receipt}]
    listed = client.list_user_purchases(user_id=user.id).purchases
    assert [p.id for p in listed] == [purchase.id]
