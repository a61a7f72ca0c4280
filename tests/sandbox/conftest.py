"""Raw-HTTP helpers for the sandbox's own tests (the `partner_sandbox` fixture comes from the package's plugin)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from partner_api.sandbox import SandboxServer


class Api:
    """httpx against a running sandbox: log in, call operations, check envelopes."""

    def __init__(self, sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(base_url=sandbox.base_url, trust_env=False, timeout=10.0)
        self._token: str | None = None

    def close(self) -> None:
        self.http.close()

    def login(self, login: str | None = None, password: str | None = None) -> httpx.Response:
        form = {"login": self.sandbox.project_id if login is None else login}
        form["password"] = self.sandbox.private_key if password is None else password
        return self.http.post("/partner/login", data=form)

    @property
    def token(self) -> str:
        if self._token is None:
            response = self.login()
            assert response.status_code == 200, response.text
            self._token = response.json()["access_token"]
        return self._token

    def call(
        self,
        operation: str,
        body: Any = None,
        *,
        token: str | None = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST /partner/v2/<operation> with a bearer token (this Api's own unless `token` is given)."""
        sent = {"Authorization": f"Bearer {self.token if token is None else token}", **(headers or {})}
        if content is not None:
            return self.http.post(f"/partner/v2/{operation}", content=content, headers=sent)
        return self.http.post(f"/partner/v2/{operation}", json={} if body is None else body, headers=sent)

    def ok(self, operation: str, body: Any = None) -> dict[str, Any]:
        """Call and require 200 + result OK; returns the JSON body."""
        response = self.call(operation, body)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        assert data["result"] == "OK", data
        return data

    def error(self, operation: str, body: Any, result: str, status: int) -> str:
        """Call and require the error envelope `result` with `status`; returns the message."""
        response = self.call(operation, body)
        assert response.status_code == status, response.text
        data = response.json()
        assert data["result"] == result, data
        assert isinstance(data["error"], str)
        assert data["error"]
        return str(data["error"])

    def create_user(self, username: str, **fields: Any) -> dict[str, Any]:
        user: dict[str, Any] = self.ok("createUser", {"username": username, **fields})["user"]
        return user


@pytest.fixture
def api(partner_sandbox: SandboxServer) -> Iterator[Api]:
    helper = Api(partner_sandbox)
    yield helper
    helper.close()
