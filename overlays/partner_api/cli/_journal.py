"""The bulk job's journal: one JSON line per event, so a re-run skips what is done, even after `kill -9`.

Before a row's request is sent, a `sent` record is written and made durable (fsync, grouped: the rows that
start together share one fsync, run in a thread so the event loop keeps going). Outcomes (`done`, `failed`)
are written at once (the kernel keeps them if the process is killed) and fsynced in batches. A `sent` record
without an outcome means the row was in flight when a job died: its outcome is unknown. A torn last line
(power loss) is ignored.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from ._exit import UsageProblem

__all__ = ["Journal"]

_MAGIC = "partner-api bulk journal"
_VERSION = 1
_SYNC_EVERY = 0.5  # seconds between fsyncs of outcome records


class Journal:
    """Append-only record of the rows of one operation; `state(key)` is `done`, `failed`, `sent` or None."""

    def __init__(self, path: Path, operation: str) -> None:
        self.path = path
        self.operation = operation
        self.states: dict[str, str] = {}
        exists = path.exists() and path.stat().st_size > 0
        if exists:
            self._load()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if not exists:
            self._write({"journal": _MAGIC, "version": _VERSION, "operation": operation})
            os.fsync(self._fd)
        self._written = 0
        self._synced = 0
        self._syncing: asyncio.Future[None] | None = None
        self._syncer: asyncio.Task[None] | None = None

    def _load(self) -> None:
        with open(self.path, encoding="utf-8") as stream:
            lines = stream.read().split("\n")
        try:
            header = json.loads(lines[0])
        except json.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("journal") != _MAGIC:
            raise UsageProblem(f"--journal {self.path}: not a partner-api bulk journal")
        if header.get("operation") != self.operation:
            raise UsageProblem(
                f"--journal {self.path}: belongs to a job of {header.get('operation')}, not {self.operation}"
            )
        for line in lines[1:]:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # the torn last line of a crash, or an empty line
            if isinstance(record, dict) and isinstance(record.get("k"), str):
                self.states[record["k"]] = str(record.get("s"))

    def state(self, key: str) -> str | None:
        return self.states.get(key)

    def _write(self, record: dict[str, Any]) -> None:
        data = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        written = os.write(self._fd, data)
        if written != len(data):  # regular files write whole small buffers; a short write means a full disk
            raise OSError(f"journal {self.path}: short write")

    async def sent(self, key: str) -> None:
        """Record that `key` is about to be sent; returns once that record is on disk."""
        self._write({"k": key, "s": "sent"})
        self.states[key] = "sent"
        self._written += 1
        target = self._written
        while self._synced < target:
            if self._syncing is None:
                self._syncing = asyncio.ensure_future(self._sync())
            await asyncio.shield(self._syncing)

    async def _sync(self) -> None:
        target = self._written
        try:
            await asyncio.to_thread(os.fsync, self._fd)
            self._synced = max(self._synced, target)
        finally:
            self._syncing = None

    def outcome(self, key: str, status: str, reason: str | None = None) -> None:
        """Record the outcome of `key` (`done`, `failed`); durable within `_SYNC_EVERY` seconds."""
        record: dict[str, Any] = {"k": key, "s": status}
        if reason:
            record["r"] = reason[:500]
        self._write(record)
        self.states[key] = status
        self._written += 1
        if self._syncer is None:
            self._syncer = asyncio.ensure_future(self._sync_later())

    async def _sync_later(self) -> None:
        await asyncio.sleep(_SYNC_EVERY)
        self._syncer = None
        if self._synced < self._written and self._syncing is None:
            self._syncing = asyncio.ensure_future(self._sync())

    async def close(self) -> None:
        """fsync what is written and close the file."""
        if self._syncer is not None:
            self._syncer.cancel()
        if self._syncing is not None:
            await asyncio.shield(self._syncing)
        os.fsync(self._fd)
        os.close(self._fd)
