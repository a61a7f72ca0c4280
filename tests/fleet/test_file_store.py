"""FileTokenStore and MemoryTokenStore end to end against the sandbox: one login shared, the file's safety."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest
from partner_api import AsyncPartnerClient, PartnerClient
from partner_api.sandbox import SandboxServer
from partner_api.token_stores import FileTokenStore, MemoryTokenStore
from partner_api.token_stores._crypto import TokenCipher
from partner_api.token_stores._keys import namespace_for

from .conftest import totals


def _capturing_http(tokens: list[str]) -> httpx.Client:
    """An httpx client that remembers every access token a login answered (to look for it at rest)."""

    def saw(response: httpx.Response) -> None:
        if response.url.path.endswith("/login") and response.status_code == 200:
            response.read()
            tokens.append(response.json()["access_token"])

    return httpx.Client(event_hooks={"response": [saw]}, timeout=10.0)


def test_two_clients_share_one_login_through_a_file(sandbox: SandboxServer, tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens")
    with sandbox.client(token_store=store) as first, sandbox.client(token_store=FileTokenStore(store.path)) as second:
        first.list_licenses()
        second.list_licenses()
        assert (first.login_count, second.login_count) == (1, 0)
    assert sandbox.stats().logins == 1


def test_the_file_is_private_atomic_and_holds_no_usable_token(sandbox: SandboxServer, tmp_path: Path) -> None:
    tokens: list[str] = []
    path = tmp_path / "cache" / "tokens.json"
    http = _capturing_http(tokens)
    with sandbox.client(token_store=FileTokenStore(path), http_client=http) as client:
        client.list_licenses()
    http.close()
    assert len(tokens) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    raw = path.read_bytes()
    assert tokens[0].encode() not in raw
    assert sandbox.private_key.encode() not in raw
    assert sorted(p.name for p in path.parent.iterdir()) == ["tokens.json", "tokens.json.lock"]  # no temp file left
    entry = json.loads(raw)["entries"][namespace_for(sandbox.base_url, sandbox.project_id)]
    import base64

    blob = base64.b64decode(entry["blob"])
    assert TokenCipher(sandbox.private_key, namespace_for(sandbox.base_url, sandbox.project_id)).open(blob) == tokens[0]
    assert TokenCipher("another-key", namespace_for(sandbox.base_url, sandbox.project_id)).open(blob) is None
    assert TokenCipher(sandbox.private_key, namespace_for(sandbox.base_url, "other-project")).open(blob) is None
    assert (
        TokenCipher(sandbox.private_key, namespace_for(sandbox.base_url, sandbox.project_id)).open(
            blob[:-1] + bytes([blob[-1] ^ 1])
        )
        is None
    )  # tampered: refused
    assert repr(FileTokenStore(path)) == f"FileTokenStore({str(path)!r})"


@pytest.mark.parametrize("content", [b"", b"\x00\xffgarbage", b'{"format": "partner_api token store v1", "entries"',
                                     b'{"format": "partner_api token store v1", "entries": {"NS": {"blob": "QUJD", '
                                     b'"expires_at": 9999999999}}}'])  # fmt: skip
def test_a_garbage_or_foreign_file_is_ignored_and_overwritten(
    sandbox: SandboxServer, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "tokens"
    namespace = namespace_for(sandbox.base_url, sandbox.project_id)
    path.write_bytes(content.replace(b"NS", namespace.encode()))
    with sandbox.client(token_store=FileTokenStore(path)) as client:
        client.list_licenses()
        assert client.login_count == 1
    with sandbox.client(token_store=FileTokenStore(path)) as again:
        again.list_licenses()
        assert again.login_count == 0  # the entry was overwritten with a good one
    assert sandbox.stats().logins == 1


def test_an_entry_sealed_with_another_key_is_not_used(sandbox: SandboxServer, tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens")
    namespace = namespace_for(sandbox.base_url, sandbox.project_id)
    store.put(namespace, TokenCipher("a-stolen-or-rotated-key", namespace).seal("not-a-token"), 3600)
    with sandbox.client(token_store=store) as client:
        client.list_licenses()
        assert client.login_count == 1
    stats = sandbox.stats()
    assert (stats.logins, stats.not_authorized) == (1, 0)


async def test_async_and_sync_clients_share_a_file_store(sandbox: SandboxServer, tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens")
    async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, token_store=store) as aio:
        await aio.list_licenses()
        await aio.list_licenses()
    with sandbox.client(token_store=store) as sync:
        sync.list_licenses()
        assert sync.login_count == 0
    assert sandbox.stats().logins == 1


def test_a_shared_memory_store_serves_clients_of_one_process(sandbox: SandboxServer) -> None:
    store = MemoryTokenStore()
    with sandbox.client(token_store=store) as first, sandbox.client(token_store=store) as second:
        first.list_licenses()
        second.list_licenses()
        sandbox.revoke_tokens()
        first.list_licenses()
        second.list_licenses()
    assert sandbox.stats().logins == 2


def test_without_a_store_each_client_logs_in_as_before(sandbox: SandboxServer) -> None:
    with sandbox.client() as first, sandbox.client() as second:
        first.list_licenses()
        second.list_licenses()
    assert sandbox.stats().logins == 2


def test_from_env_reads_the_token_store(sandbox: SandboxServer, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("PARTNER_API_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("PARTNER_API_PROJECT_ID", sandbox.project_id)
    monkeypatch.setenv("PARTNER_API_PRIVATE_KEY", sandbox.private_key)
    monkeypatch.setenv("PARTNER_API_TOKEN_STORE", (tmp_path / "env-tokens").as_uri())
    for _ in range(3):
        with PartnerClient.from_env() as client:
            client.list_licenses()
    assert sandbox.stats().logins == 1
    assert (tmp_path / "env-tokens").exists()
    monkeypatch.setenv("PARTNER_API_TOKEN_STORE", "ftp://somewhere")
    with pytest.raises(ValueError, match="PARTNER_API_TOKEN_STORE"):
        PartnerClient.from_env()
    monkeypatch.chdir(tmp_path)
    for relative in ("file:tokens", "file:./tokens"):  # a relative path would depend on the working directory
        monkeypatch.setenv("PARTNER_API_TOKEN_STORE", relative)
        with pytest.raises(ValueError, match="file:///absolute/path"):
            PartnerClient.from_env()
    assert not (tmp_path / "tokens").exists()


def test_bad_store_arguments_fail_before_anything_is_sent(sandbox: SandboxServer, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="token_store"):
        sandbox.client(token_store="redis://localhost")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="folder"):
        FileTokenStore(tmp_path)
    with pytest.raises(ValueError, match="lock_ttl"):
        FileTokenStore(tmp_path / "x", lock_ttl=0)
    assert sandbox.stats().total_requests == 0


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_eight_processes_share_one_login_through_a_file(
    sandbox: SandboxServer, tmp_path: Path, fleet_factory: Any, mode: str
) -> None:
    fleet = fleet_factory(sandbox, (tmp_path / "tokens").as_uri(), 8, threads=8, calls=5, mode=mode)
    fleet.go()
    reports = fleet.reports()
    assert totals(reports) == {"ok": 8 * 8 * 5, "failed": 0, "logins": 1}
    stats = sandbox.stats()
    assert (stats.logins, stats.not_authorized) == (1, 0)
    assert os.stat(tmp_path / "tokens").st_mode & 0o077 == 0
