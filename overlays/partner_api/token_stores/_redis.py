"""`RedisTokenStore`: one token, one login and one 429 pause for processes on many hosts (extra `[redis]`).

Keys (per namespace, one Redis Cluster hash slot): `<prefix>:{<ns>}:token` holds the sealed token with a
TTL that Redis measures (the token's lifetime from the server's timestamps, minus the renewal margin), so
the hosts' clocks do not matter; `...:lock` is the login lock (`SET NX PX`, released by compare-and-delete);
`...:pause` exists while the fleet is paused after a 429. Compare-and-delete runs as a Lua script, atomic
in Redis. Connections use short socket timeouts, so an unreachable Redis costs a call about half a second
once per outage, not a hang.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING, Any

from ._base import StoredEntry, TokenStore

if TYPE_CHECKING:
    import redis
    import redis.asyncio

__all__ = ["RedisTokenStore"]

_COMPARE_AND_DELETE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
_EXTEND_PAUSE = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
  return 1
end
return 0
"""
_DEFAULT_TIMEOUT = 0.5


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class RedisTokenStore(TokenStore):
    """Share the token through Redis (sync and asyncio clients alike).

    Args:
        redis_client: a `redis.Redis` (serves sync and, through a worker thread, async clients) or a
            `redis.asyncio.Redis` (serves async clients only). `from_url` builds both kinds for you.
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
        import redis.asyncio

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
        self._sync = redis_client if isinstance(redis_client, redis.Redis) else None
        self.serves_sync = self._sync is not None
        self._given_async = redis_client if isinstance(redis_client, redis.asyncio.Redis) else None
        self._url: str | None = None
        self._options: dict[str, Any] = {}
        self._async: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, redis.asyncio.Redis] = (
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
        try:
            import redis
        except ImportError as exc:  # a plain install: say which extra brings it
            raise ImportError(
                "a Redis token store needs the redis extra: pip install 'partner-api-client[redis]'"
            ) from exc
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

    def _key(self, namespace: str, kind: str) -> str:
        return f"{self.prefix}:{{{namespace}}}:{kind}"

    # ---- clients ----
    def _client(self) -> redis.Redis:
        if self._sync is None:
            raise TypeError(
                "this RedisTokenStore was built on a redis.asyncio client: use it with AsyncPartnerClient, "
                "or build it with RedisTokenStore.from_url() to serve both"
            )
        return self._sync

    def _aclient(self) -> redis.asyncio.Redis | None:
        """The asyncio client of the running loop (None: run the sync client in a thread)."""
        if self._given_async is not None:
            return self._given_async
        if self._url is None:
            return None
        import redis.asyncio

        loop = asyncio.get_running_loop()  # asyncio connections belong to one loop
        client = self._async.get(loop)
        if client is None:
            client = self._async[loop] = redis.asyncio.Redis.from_url(self._url, **self._options)
        return client

    # ---- sync ----
    def get(self, namespace: str) -> StoredEntry | None:
        pipe = self._client().pipeline(transaction=False)
        key = self._key(namespace, "token")
        pipe.get(key)
        pipe.pttl(key)
        blob, pttl = pipe.execute()
        return _entry(blob, pttl)

    def put(self, namespace: str, blob: bytes, ttl: float) -> None:
        self._client().set(self._key(namespace, "token"), blob, px=_ms(ttl))

    def delete_if(self, namespace: str, blob: bytes) -> bool:
        client = self._client()
        return bool(client.register_script(_COMPARE_AND_DELETE)(keys=[self._key(namespace, "token")], args=[blob]))

    def acquire(self, namespace: str, owner: str, ttl: float) -> bool:
        return bool(self._client().set(self._key(namespace, "lock"), owner, nx=True, px=_ms(ttl)))

    def release(self, namespace: str, owner: str) -> None:
        self._client().register_script(_COMPARE_AND_DELETE)(keys=[self._key(namespace, "lock")], args=[owner])

    def pause(self, namespace: str, seconds: float) -> None:
        self._client().register_script(_EXTEND_PAUSE)(keys=[self._key(namespace, "pause")], args=[_ms(seconds)])

    def paused_for(self, namespace: str) -> float:
        pttl = self._client().pttl(self._key(namespace, "pause"))
        return max(0, int(pttl)) / 1000.0

    # ---- asyncio ----
    async def aget(self, namespace: str) -> StoredEntry | None:
        client = self._aclient()
        if client is None:
            return await asyncio.to_thread(self.get, namespace)
        key = self._key(namespace, "token")
        pipe = client.pipeline(transaction=False)
        pipe.get(key)  # queued: an asyncio pipeline sends at execute()
        pipe.pttl(key)
        blob, pttl = await pipe.execute()
        return _entry(blob, pttl)

    async def aput(self, namespace: str, blob: bytes, ttl: float) -> None:
        client = self._aclient()
        if client is None:
            return await asyncio.to_thread(self.put, namespace, blob, ttl)
        await client.set(self._key(namespace, "token"), blob, px=_ms(ttl))
        return None

    async def adelete_if(self, namespace: str, blob: bytes) -> bool:
        client = self._aclient()
        if client is None:
            return await asyncio.to_thread(self.delete_if, namespace, blob)
        script = client.register_script(_COMPARE_AND_DELETE)
        return bool(await script(keys=[self._key(namespace, "token")], args=[blob]))

    async def aacquire(self, namespace: str, owner: str, ttl: float) -> bool:
        client = self._aclient()
        if client is None:
            return await asyncio.to_thread(self.acquire, namespace, owner, ttl)
        return bool(await client.set(self._key(namespace, "lock"), owner, nx=True, px=_ms(ttl)))

    async def arelease(self, namespace: str, owner: str) -> None:
        client = self._aclient()
        if client is None:
            return await asyncio.to_thread(self.release, namespace, owner)
        await client.register_script(_COMPARE_AND_DELETE)(keys=[self._key(namespace, "lock")], args=[owner])
        return None

    async def apause(self, namespace: str, seconds: float) -> None:
        client = self._aclient()
        if client is None:
            return await asyncio.to_thread(self.pause, namespace, seconds)
        await client.register_script(_EXTEND_PAUSE)(keys=[self._key(namespace, "pause")], args=[_ms(seconds)])
        return None

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

    async def athrottle(self, namespace: str, timeout: float) -> None:
        # pyrate-limiter's blocking acquire in a worker thread: its asyncio bucket would need one leak task per loop
        await asyncio.to_thread(self.throttle, namespace, timeout)

    def _make_limiter(self, namespace: str) -> Any:
        from pyrate_limiter import Limiter, Rate, RedisBucket

        assert self.fleet_rate_limit is not None
        limit = max(1, round(self.fleet_rate_limit))
        rate = Rate(limit, max(1, round(limit / self.fleet_rate_limit * 1000)))  # `limit` per interval (ms)
        return Limiter(RedisBucket.init([rate], self._client(), self._key(namespace, "rate")))

    def close(self) -> None:
        """Close the sync connections this store opened (a given client is left to its owner)."""
        if self._url is not None and self._sync is not None:
            self._sync.close()

    async def aclose(self) -> None:
        """Close the asyncio connections this store opened for the running event loop."""
        client = self._async.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()


def _entry(blob: Any, pttl: Any) -> StoredEntry | None:
    """A key without a TTL, or anything but bytes, is not one of ours: ignored, and overwritten at the next login."""
    if not isinstance(blob, bytes) or not isinstance(pttl, int) or pttl <= 0:
        return None
    return StoredEntry(blob, pttl / 1000.0)
