"""Token stores: share one access token, one login and one 429 back-off between clients, processes and hosts.

from partner_api.token_stores import MemoryTokenStore, FileTokenStore, RedisTokenStore

client = PartnerClient(base_url, project_id, private_key, token_store=FileTokenStore("~/.cache/partner-api/tokens"))

`MemoryTokenStore` (the default) keeps the token in one client, `FileTokenStore` shares it between the
processes of one host, `RedisTokenStore` (extra `[redis]`) between hosts. See docs/pages/guide/fleet.md.

A new backend implements `TokenStore` (five methods: the token entry and the login lock) and, to share the 429
back-off too, `FleetBackoff` (two). tests/fleet/test_store_contract.py is the contract it must pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._backoff import FleetBackoff
from ._base import StoredEntry, TokenStore
from ._memory import MemoryTokenStore

if TYPE_CHECKING:
    from ._file import FileTokenStore
    from ._redis import RedisTokenStore

__all__ = [
    "FileTokenStore", "FleetBackoff", "MemoryTokenStore", "RedisTokenStore", "StoredEntry", "TokenStore", "from_url",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name == "RedisTokenStore":  # imported on use: it needs the `redis` extra
        from ._redis import RedisTokenStore

        return RedisTokenStore
    if name == "FileTokenStore":  # imported on use: `import partner_api` does not pay for it
        from ._file import FileTokenStore

        return FileTokenStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def from_url(url: str) -> TokenStore:
    """A store from a URL: `redis://…`, `rediss://…`, `unix://…` (Redis), `file:///path`, or `memory:`."""
    from urllib.parse import unquote, urlsplit

    scheme = urlsplit(url).scheme.lower()
    if scheme in ("redis", "rediss", "unix"):
        from ._redis import RedisTokenStore

        return RedisTokenStore.from_url(url)
    if scheme == "file":
        from ._file import FileTokenStore

        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise ValueError("a file token store URL is file:///absolute/path")
        return FileTokenStore(unquote(parts.path))
    if scheme == "memory":
        return MemoryTokenStore()
    raise ValueError("PARTNER_API_TOKEN_STORE: use redis://, rediss://, unix:// (Redis), file:///path or memory:")
