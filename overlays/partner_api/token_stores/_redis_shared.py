"""What the sync and asyncio Redis commands of `RedisTokenStore` share: key names, scripts, and how entries read.

Keys (per namespace, one Redis Cluster hash slot): `<prefix>:{<ns>}:token` holds the sealed token with a TTL
that Redis measures; `...:lock` is the login lock (redis-py's `Lock`); `...:pause` exists while the fleet is
paused after a 429. The client classes are named so that `unasync` maps the asyncio ones to the sync ones.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from redis import Redis as SyncRedis
from redis.asyncio import Redis as AsyncRedis
from redis.asyncio.lock import Lock as AsyncRedisLock
from redis.lock import Lock as SyncRedisLock

from ._base import StoredEntry

__all__ = [
    "COMPARE_AND_DELETE", "EXTEND_PAUSE", "AsyncRedis", "AsyncRedisLock", "RedisCommands", "SyncRedis", "SyncRedisLock",
    "entry", "key", "milliseconds",
]  # fmt: skip

R = TypeVar("R", SyncRedis, AsyncRedis)
L = TypeVar("L", SyncRedisLock, AsyncRedisLock)

COMPARE_AND_DELETE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
EXTEND_PAUSE = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
  return 1
end
return 0
"""


def key(prefix: str, namespace: str, kind: str) -> str:
    return f"{prefix}:{{{namespace}}}:{kind}"


def milliseconds(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def entry(blob: Any, pttl: Any) -> StoredEntry | None:
    """A key without a TTL, or anything but bytes, is not one of ours: ignored, and overwritten at the next login."""
    if not isinstance(blob, bytes) or not isinstance(pttl, int) or pttl <= 0:
        return None
    return StoredEntry(blob, pttl / 1000.0)


class RedisCommands(Generic[R, L]):
    """What the sync and asyncio commands keep: the client, the key prefix, the Lua scripts (registered once, here)
    and the login locks this process holds (redis-py's `Lock` keeps its token)."""

    def __init__(self, client: R, prefix: str) -> None:
        self.client: R = client
        self.prefix = prefix
        self.delete_if_script: Any = client.register_script(COMPARE_AND_DELETE)
        self.extend_pause_script: Any = client.register_script(EXTEND_PAUSE)
        self.held: dict[tuple[str, str], L] = {}
