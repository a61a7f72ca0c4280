"""The store's Redis commands on one client (`_sync/_redis_commands.py` is generated from `_async/`: edit that one)."""

from __future__ import annotations

import contextlib

from redis.exceptions import LockError

from .._base import StoredEntry
from .._redis_shared import RedisCommands, SyncRedis, SyncRedisLock, entry, key, milliseconds

__all__ = ["SyncRedisCommands"]


class SyncRedisCommands(RedisCommands[SyncRedis, SyncRedisLock]):
    """The token, the login lock (redis-py's `Lock`, the caller's owner its token) and the 429 pause on one client."""

    def get(self, namespace: str) -> StoredEntry | None:
        name = key(self.prefix, namespace, "token")
        pipe = self.client.pipeline(transaction=False)
        pipe.get(name)  # queued: the pipeline sends both at execute()
        pipe.pttl(name)
        return entry(*pipe.execute())

    def put(self, namespace: str, blob: bytes, ttl: float) -> None:
        self.client.set(key(self.prefix, namespace, "token"), blob, px=milliseconds(ttl))

    def delete_if(self, namespace: str, blob: bytes) -> bool:
        return bool(self.delete_if_script(keys=[key(self.prefix, namespace, "token")], args=[blob]))

    def acquire(self, namespace: str, owner: str, ttl: float) -> bool:
        lock = SyncRedisLock(self.client, key(self.prefix, namespace, "lock"), timeout=ttl, thread_local=False)
        if not lock.acquire(blocking=False, token=owner):
            return False
        self.held[namespace, owner] = lock
        return True

    def release(self, namespace: str, owner: str) -> None:
        lock = self.held.pop((namespace, owner), None)
        if lock is not None:
            with contextlib.suppress(LockError):  # it expired (and may be another's now): not ours to delete
                lock.release()

    def pause(self, namespace: str, seconds: float) -> None:
        self.extend_pause_script(keys=[key(self.prefix, namespace, "pause")], args=[milliseconds(seconds)])

    def paused_for(self, namespace: str) -> float:
        return max(0, int(self.client.pttl(key(self.prefix, namespace, "pause")))) / 1000.0
