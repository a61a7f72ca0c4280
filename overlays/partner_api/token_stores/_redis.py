"""`RedisTokenStore`: one token, one login and one 429 pause for processes on many hosts (extra `[redis]`).

The token key has a TTL that Redis measures (the token's lifetime from the server's timestamps, minus the
renewal margin), so the hosts' clocks do not matter. The login lock is redis-py's `Lock`; compare-and-delete
of a rejected token and the pause run as Lua scripts, atomic in Redis, registered once per connection
(`_async/_redis_commands.py`; key names in `_redis_shared.py`). Connections use short socket timeouts, so an
unreachable Redis costs a call about half a second once per outage, not a hang.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

try:
    import redis
    import redis.asyncio
except ImportError as exc:  # a plain install: say which extra brings it
    raise ImportError("a Redis token store needs the redis extra: pip install 'partner-api-client[redis]'") from exc

from ._async._redis_commands import AsyncRedisCommands
from ._backoff import FleetBackoff
from ._base import StoredEntry, TokenStore
from ._redis_shared import key
from ._sync._redis_commands import SyncRedisCommands

__all__ = ["RedisTokenStore"]

_DEFAULT_TIMEOUT = 0.5


class RedisTokenStore(TokenStore, FleetBackoff):
    """Share the token, the login and the 429 pause through Redis (sync and asyncio clients alike).

    Args:
        redis_client: a `redis.Redis` (serves sync and, through a worker thread, async clients) or a
            `redis.asyncio.Redis` (serves async clients only, and cannot watch the fleet's pauses: that runs in a
            thread). `from_url` builds both kinds for you.
        lock_ttl: seconds a login lock lives (how long a crashed login can delay the others).
        fleet_rate_limit: requests per second for the whole fleet (every process sharing this Redis and
            namespace); each request then waits for a permit (pyrate-limiter's Redis bucket: one round trip
            per request). None: no limit.
        prefix: the first part of every key.
    """

    def __init__(
        self,
        redis_client: redis.Redis | redis.asyncio.Redis,
        *,
        lock_ttl: float = 15.0,
        fleet_rate_limit: float | None = None,
        prefix: str = "partner_api",
    ) -> None:
        super().__init__()
        if lock_ttl <= 0:
            raise ValueError("lock_ttl must be > 0 seconds")
        if fleet_rate_limit is not None and not fleet_rate_limit > 0:
            raise ValueError("fleet_rate_limit must be > 0 requests per second, or None")
        if not isinstance(redis_client, (redis.Redis, redis.asyncio.Redis)):
            raise TypeError("redis_client must be a redis.Redis or a redis.asyncio.Redis")
        self.lock_ttl = lock_ttl
        self.fleet_rate_limit = fleet_rate_limit
        self.prefix = prefix
        self._sync = SyncRedisCommands(redis_client, prefix) if isinstance(redis_client, redis.Redis) else None
        self.serves_sync = self._sync is not None
        given = redis_client if isinstance(redis_client, redis.asyncio.Redis) else None
        self._given_async = AsyncRedisCommands(given, prefix) if given is not None else None
        self._url: str | None = None
        self._options: dict[str, Any] = {}
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncRedisCommands] = (
            weakref.WeakKeyDictionary()
        )
        self._limiters: dict[str, Any] = {}

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        lock_ttl: float = 15.0,
        fleet_rate_limit: float | None = None,
        prefix: str = "partner_api",
        socket_timeout: float = _DEFAULT_TIMEOUT,
        **redis_options: Any,
    ) -> RedisTokenStore:
        """A store on `redis://[:password@]host:port/db`, `rediss://…` (TLS) or `unix:///path`.

        Short socket timeouts and one immediate reconnect (after a Redis restart) by default;
        `redis_options` go to `redis.Redis.from_url` (and `redis.asyncio.Redis.from_url`).
        """
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        options: dict[str, Any] = {
            "socket_timeout": socket_timeout,
            "socket_connect_timeout": socket_timeout,
            "retry": Retry(NoBackoff(), 1),
            **redis_options,
        }
        store = cls(
            redis.Redis.from_url(url, **options), lock_ttl=lock_ttl, fleet_rate_limit=fleet_rate_limit, prefix=prefix
        )
        store._url, store._options = url, options
        return store

    def __repr__(self) -> str:  # never the URL: it may hold a password
        return f"RedisTokenStore(prefix={self.prefix!r})"

    # ---- connections ----
    def _commands(self) -> SyncRedisCommands:
        if self._sync is None:
            raise TypeError(
                "this RedisTokenStore was built on a redis.asyncio client: use it with AsyncPartnerClient, "
                "or build it with RedisTokenStore.from_url() to serve both"
            )
        return self._sync

    def async_commands(self) -> AsyncRedisCommands | None:
        """The asyncio commands of the running loop (None: the sync client in a worker thread)."""
        if self._given_async is not None:
            return self._given_async
        if self._url is None:
            return None
        loop = asyncio.get_running_loop()  # asyncio connections belong to one loop
        commands = self._async.get(loop)
        if commands is None:
            client = redis.asyncio.Redis.from_url(self._url, **self._options)
            commands = self._async[loop] = AsyncRedisCommands(client, self.prefix)
        return commands

    # ---- TokenStore ----
    def get(self, namespace: str) -> StoredEntry | None:
        return self._commands().get(namespace)

    def put(self, namespace: str, blob: bytes, ttl: float) -> None:
        self._commands().put(namespace, blob, ttl)

    def delete_if(self, namespace: str, blob: bytes) -> bool:
        return self._commands().delete_if(namespace, blob)

    def acquire(self, namespace: str, owner: str, ttl: float) -> bool:
        return self._commands().acquire(namespace, owner, ttl)

    def release(self, namespace: str, owner: str) -> None:
        self._commands().release(namespace, owner)

    # ---- FleetBackoff ----
    def pause(self, namespace: str, seconds: float) -> None:
        self._commands().pause(namespace, seconds)

    def paused_for(self, namespace: str) -> float:
        return self._commands().paused_for(namespace)

    async def apause(self, namespace: str, seconds: float) -> None:
        commands = self.async_commands()
        if commands is None:
            return await super().apause(namespace, seconds)
        return await commands.pause(namespace, seconds)

    def _reset_after_fork(self) -> None:
        # redis-py's pools reconnect in a child by themselves; the limiters' threads and the loops stay behind
        self._limiters = {}
        self._async = weakref.WeakKeyDictionary()

    # ---- the fleet's rate limit ----
    def throttle(self, namespace: str, timeout: float) -> None:
        if self.fleet_rate_limit is None:
            return
        limiter = self._limiters.get(namespace)
        if limiter is None:
            limiter = self._limiters[namespace] = self._make_limiter(namespace)
        limiter.try_acquire("request", blocking=True, timeout=timeout)

    # (`athrottle` runs the blocking acquire in a worker thread: pyrate-limiter's asyncio bucket would need one leak
    # task per event loop)

    def _make_limiter(self, namespace: str) -> Any:
        from pyrate_limiter import Limiter, Rate, RedisBucket

        assert self.fleet_rate_limit is not None
        limit = max(1, round(self.fleet_rate_limit))
        rate = Rate(limit, max(1, round(limit / self.fleet_rate_limit * 1000)))  # `limit` per interval (ms)
        return Limiter(RedisBucket.init([rate], self._commands().client, key(self.prefix, namespace, "rate")))

    def close(self) -> None:
        """Close the sync connections this store opened (a given client is left to its owner)."""
        if self._url is not None and self._sync is not None:
            self._sync.client.close()

    async def aclose(self) -> None:
        """Close the asyncio connections this store opened for the running event loop."""
        commands = self._async.pop(asyncio.get_running_loop(), None)
        if commands is not None:
            await commands.client.aclose()
