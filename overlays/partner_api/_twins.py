"""What the asyncio code (`_async/`) and its generated sync twin (`_sync/`) spell differently, under names that
`unasync` maps (`Async*` -> `Sync*`, `async_sleep` -> `sync_sleep`; generator/sync_twins.py). Hand-written once.

asyncio is imported only by the asyncio side.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, TypeVar

import httpx

if TYPE_CHECKING:
    import asyncio

    from ._client import _ClientBase

__all__ = [
    "AsyncFlow", "AsyncHost", "AsyncOperation", "AsyncSend", "AsyncSleep", "FlightLock", "SyncFlow", "SyncHost",
    "SyncOperation", "SyncSend", "SyncSleep", "async_sleep", "sync_sleep",
]  # fmt: skip

T = TypeVar("T")

AsyncSleep = Callable[[float], Awaitable[None]]
SyncSleep = Callable[[float], None]
AsyncSend = Callable[[httpx.Request], Awaitable[httpx.Response]]
"""Sends a request past the token lifecycle (the login itself)."""
SyncSend = Callable[[httpx.Request], httpx.Response]
AsyncOperation = Callable[..., Awaitable[T]]
SyncOperation = Callable[..., T]
AsyncFlow = AsyncGenerator[httpx.Request, httpx.Response]
"""An httpx auth flow: yields requests, receives their responses."""
SyncFlow = Generator[httpx.Request, httpx.Response, None]

if TYPE_CHECKING:  # what the `*Calls` mixins are part of, for the type checker
    AsyncHost = _ClientBase[httpx.AsyncClient, AsyncSleep]
    SyncHost = _ClientBase[httpx.Client, SyncSleep]
else:
    AsyncHost = SyncHost = object

sync_sleep = time.sleep


async def async_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


class FlightLock:
    """A token manager's single-flight lock: `with` for threads, `async with` for tasks. One asyncio lock per event
    loop: an `asyncio.Lock` belongs to the loop it first waits on, and a client may be reused under a new loop."""

    def __init__(self) -> None:
        self._thread_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def __enter__(self) -> None:
        self._thread_lock.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self._thread_lock.release()

    async def __aenter__(self) -> None:
        await self._loop_lock().acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self._loop_lock().release()

    def _loop_lock(self) -> asyncio.Lock:
        import asyncio

        loop = asyncio.get_running_loop()
        lock = self._loop_locks.get(loop)
        if lock is None:
            lock = self._loop_locks[loop] = asyncio.Lock()
        return lock
