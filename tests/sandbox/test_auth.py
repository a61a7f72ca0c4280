"""Login, token lifetime on the server's clock, revocation, and bearer checks on every v2 operation."""

from __future__ import annotations

import time

import pytest
from partner_api.sandbox import SandboxServer
from partner_api_client.api import OPERATIONS

from .conftest import Api


def test_login_answers_a_token_with_server_times(api: Api, partner_sandbox: SandboxServer) -> None:
    response = api.login()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert set(data) == {"result", "access_token", "create_time", "expire_time"}
    assert data["result"] == "OK"
    assert isinstance(data["access_token"], str)
    assert len(data["access_token"]) >= 32
    assert data["expire_time"] - data["create_time"] == 3600
    assert partner_sandbox.stats().logins == 1


def test_each_login_issues_a_new_token(api: Api) -> None:
    first, second = api.login().json(), api.login().json()
    assert first["access_token"] != second["access_token"]
    assert api.call("listLicenses", token=first["access_token"]).status_code == 200
    assert api.call("listLicenses", token=second["access_token"]).status_code == 200


@pytest.mark.parametrize(
    ("login", "password"),
    [("demo", "wrong-key"), ("other-project", None), ("DEMO", None)],
    ids=["key", "project", "case"],
)
def test_wrong_credentials_are_not_authorized(
    api: Api, partner_sandbox: SandboxServer, login: str, password: str | None
) -> None:
    response = api.login(login, password)
    assert response.status_code == 401
    assert response.json()["result"] == "NOT_AUTHORIZED"
    stats = partner_sandbox.stats()
    assert (stats.logins, stats.failed_logins, stats.not_authorized) == (0, 1, 1)


@pytest.mark.parametrize(
    "content",
    [b"", b"login=demo", b"password=x", b"login=&password=", b"login=demo&login=demo&password=x"],
    ids=["empty", "no-password", "no-login", "blank-is-absent", "duplicate"],
)
def test_malformed_login_forms_are_invalid_parameters(api: Api, content: bytes) -> None:
    response = api.http.post(
        "/partner/login", content=content, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert response.json()["result"] == "INVALID_PARAMETERS"


def test_login_wants_a_form_not_json(api: Api, partner_sandbox: SandboxServer) -> None:
    response = api.http.post("/partner/login", json={"login": "demo", "password": partner_sandbox.private_key})
    assert response.status_code == 400
    assert response.json()["result"] == "INVALID_PARAMETERS"


def test_token_ttl_knob_sets_the_lifetime_of_new_tokens(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.set_token_ttl(5)
    data = api.login().json()
    assert data["expire_time"] - data["create_time"] == 5
    assert partner_sandbox.config()["token_ttl"] == 5


def test_clock_offset_shifts_the_times_the_server_reports(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.set_clock_offset(7200)
    before = time.time()
    data = api.login().json()
    after = time.time()
    assert int(before) + 7200 <= data["create_time"] <= int(after) + 7200
    user = api.create_user("skewed")
    assert int(before) + 7200 <= user["create_time"] <= int(after) + 7200


def test_token_expires_by_the_server_clock(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.set_token_ttl(60)
    token = api.login().json()["access_token"]
    assert api.call("listLicenses", token=token).status_code == 200
    partner_sandbox.set_clock_offset(61)  # the server's clock passes expire_time
    response = api.call("listLicenses", token=token)
    assert response.status_code == 401
    assert response.json() == {"result": "NOT_AUTHORIZED", "error": "invalid, expired or revoked access token"}
    partner_sandbox.set_clock_offset(30)  # back before expire_time: valid again
    assert api.call("listLicenses", token=token).status_code == 200
    assert partner_sandbox.stats().not_authorized == 1


def test_a_token_issued_with_skew_lives_its_full_lifetime(api: Api, partner_sandbox: SandboxServer) -> None:
    partner_sandbox.set_clock_offset(-7200)
    partner_sandbox.set_token_ttl(60)
    token = api.login().json()["access_token"]
    assert api.call("listLicenses", token=token).status_code == 200
    partner_sandbox.set_clock_offset(-7200 + 61)
    assert api.call("listLicenses", token=token).status_code == 401


def test_revoked_tokens_are_rejected_and_login_works_again(api: Api, partner_sandbox: SandboxServer) -> None:
    old = api.login().json()["access_token"]
    assert partner_sandbox.revoke_tokens() == 1
    assert api.call("listLicenses", token=old).status_code == 401
    new = api.login().json()["access_token"]
    assert api.call("listLicenses", token=new).status_code == 200


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_v2_operation_needs_a_bearer_token(api: Api, operation: str) -> None:
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic ZGVtbzpkZW1v"}):
        response = api.http.post(f"/partner/v2/{operation}", json={"user_id": 1}, headers=headers)
        assert response.status_code == 401
        assert response.json() == {"result": "NOT_AUTHORIZED", "error": "missing bearer access token"}
    response = api.call(operation, {"user_id": 1}, token="not-a-token")
    assert response.status_code == 401
    assert response.json()["result"] == "NOT_AUTHORIZED"


def test_authentication_comes_before_validation(api: Api, partner_sandbox: SandboxServer) -> None:
    response = api.call("getUser", content=b"{not json", token="forged")
    assert response.status_code == 401
    assert partner_sandbox.stats().not_authorized == 1


def test_bearer_scheme_is_case_insensitive(api: Api) -> None:
    response = api.http.post("/partner/v2/listLicenses", json={}, headers={"Authorization": f"bearer {api.token}"})
    assert response.status_code == 200
