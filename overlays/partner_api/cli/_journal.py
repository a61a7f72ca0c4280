"""The bulk job's journal: one JSON line per event, so a re-run skips what is done, even after `kill -9`.

The first line is a header (`{"journal": "partner-api bulk journal", "version": 1, "operation": ...}`); each
other line is `{"k": <row key>, "s": <state>}` (with `"r": <reason>` for a failure). A row's last line is its state:
- `sent`: written and made durable (fsync, grouped: the rows that start together share one fsync, run in a thread
  so the event loop keeps going) before its request leaves. Without a later line, the row was in flight when a job
  died: its outcome is unknown.
- `not_sent`: the request never left after all (the connection or the login failed first, or the job stopped
  while the row waited): the row is pending again.
- `done`, `failed`: its outcome, written at once (the kernel keeps it if the process is killed) and fsynced in
  batches.
A torn last line (power loss) is ignored. A journal of another format version is refused, naming both versions.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args

from ._exit import UsageProblem

__all__ = ["FORMAT_VERSION", "Journal", "JournalContents", "RowState"]

RowState = Literal["sent", "not_sent", "done", "failed"]
"""A row's state in the journal (see the module docstring); a row without a line is pending."""

_STATES: frozenset[str] = frozenset(get_args(RowState))
_MAGIC = "partner-api bulk journal"
FORMAT_VERSION = 1
_SYNC_EVERY = 0.5  # seconds between fsyncs of outcome records


class JournalContents(NamedTuple):
    """What a journal file says: its operation and the last state (and failure reason) of each row."""

    operation: str
    version: int
    states: dict[str, RowState]
    reasons: dict[str, str]

    def count(self, state: RowState) -> int:
        return sum(1 for value in self.states.values() if value == state)


class Journal:
    """Append-only record of the rows of one operation; `state(key)` is a `RowState`, or None for a new row."""

    def __init__(self, path: Path, operation: str) -> None:
        self.path = path
        self.operation = operation
        self.states: dict[str, RowState] = {}
        exists = path.exists() and path.stat().st_size > 0
        if exists:
            contents = self.read(path)
            if contents.operation != operation:
                raise UsageProblem(
                    f"--journal {path}: belongs to a job of {contents.operation}, not {operation}; give this job "
                    "its own --journal"
                )
            self.states = contents.states
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise UsageProblem(f"--journal {path}: cannot write it ({exc.strerror})") from None
        if not exists:
            self._write({"journal": _MAGIC, "version": FORMAT_VERSION, "operation": operation})
            os.fsync(self._fd)
        self._written = 0
        self._synced = 0
        self._syncing: asyncio.Future[None] | None = None
        self._syncer: asyncio.Task[None] | None = None

    @staticmethod
    def read(path: Path) -> JournalContents:
        """Read a journal file (the job's, a test's); raises `UsageProblem` for a file that is not one, or one of
        another format version."""
        try:
            with open(path, encoding="utf-8") as stream:
                lines = stream.read().split("\n")
        except OSError as exc:
            raise UsageProblem(f"--journal {path}: cannot read it ({exc.strerror})") from None
        except UnicodeDecodeError:
            lines = []
        try:
            header = json.loads(lines[0]) if lines else None
        except json.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("journal") != _MAGIC:
            raise UsageProblem(f"--journal {path}: not a partner-api bulk journal")
        version = header.get("version")
        if version != FORMAT_VERSION:
            raise UsageProblem(
                f"--journal {path}: journal format {version}, but this partner-api reads format {FORMAT_VERSION} "
                "(written by another version: finish the job with that version, or start a new --journal)"
            )
        states: dict[str, RowState] = {}
        reasons: dict[str, str] = {}
        for line in lines[1:]:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # the torn last line of a crash, or an empty line
            if isinstance(record, dict) and isinstance(record.get("k"), str) and record.get("s") in _STATES:
                states[record["k"]] = record["s"]
                if isinstance(record.get("r"), str):
                    reasons[record["k"]] = record["r"]
        return JournalContents(str(header.get("operation")), version, states, reasons)

    def state(self, key: str) -> RowState | None:
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

    def outcome(self, key: str, state: RowState, reason: str | None = None) -> None:
        """Record the outcome of `key` (`done`, `failed`, `not_sent`); durable within `_SYNC_EVERY` seconds."""
        record: dict[str, Any] = {"k": key, "s": state}
        if reason:
            record["r"] = reason[:500]
        self._write(record)
        self.states[key] = state
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
