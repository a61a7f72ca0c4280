"""`FileTokenStore`: one token for every process on a host, in a file, with no server.

The file holds, per namespace, the sealed token with its expiry, the login lock and the 429 pause, as
JSON. Every change is made under a cross-process lock (`filelock`, next to the file) and written
atomically (a temporary file in the same folder, fsync, rename), mode 0600. Expiry uses the host's clock,
which every process on the host shares. A missing, truncated or foreign file reads as empty and is
overwritten by the next change.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._backoff import FleetBackoff
from ._base import StoredEntry, TokenStore

__all__ = ["FileTokenStore"]

_FORMAT = "partner_api token store v1"
_MUTEX_TIMEOUT = 10.0  # seconds; a change holds the file lock for about a millisecond


class FileTokenStore(TokenStore, FleetBackoff):
    """Share the token, the login and the 429 pause between processes (and successive runs) on one host.

    Its async methods run in a worker thread: a change may wait for the cross-process file lock.

    Args:
        path: the store's file; its folder is created (mode 0700) if needed. `path` + ".lock" is the
            cross-process lock.
        lock_ttl: seconds a login lock lives (how long a crashed login can delay the others).
    """

    def __init__(self, path: str | os.PathLike[str], *, lock_ttl: float = 15.0) -> None:
        super().__init__()
        if lock_ttl <= 0:
            raise ValueError("lock_ttl must be > 0 seconds")
        self.path = Path(path).expanduser().absolute()
        if self.path.is_dir():
            raise ValueError(f"FileTokenStore path {str(self.path)!r} is a folder; give a file name")
        self.lock_ttl = lock_ttl
        self._mutex = threading.Lock()  # the file lock orders processes; this one orders threads

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    # ---- the file ----
    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            return {}
        return data

    def _write(self, data: dict[str, Any]) -> None:
        data["format"] = _FORMAT
        import tempfile

        payload = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
        fd, tmp = tempfile.mkstemp(prefix=".partner-api-", dir=self.path.parent)  # created with mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def _changing(self) -> Iterator[dict[str, Any]]:
        """The file's content under both locks; written back when the block ends without an error."""
        from filelock import FileLock

        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with self._mutex, FileLock(str(self.path) + ".lock", timeout=_MUTEX_TIMEOUT, mode=0o600):
            data = self._read()
            yield data
            self._write(data)

    @staticmethod
    def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
        section = data.get(name)
        if not isinstance(section, dict):
            section = data[name] = {}
        now = time.time()  # drop what has expired, whoever wrote it
        for key in [k for k, v in section.items() if not _live(v, now)]:
            del section[key]
        return section

    # ---- the entry ----
    def get(self, namespace: str) -> StoredEntry | None:
        entry = _dict(self._read().get("entries"), namespace)
        blob = _blob(entry.get("blob"))
        expires_at = entry.get("expires_at")
        if blob is None or not isinstance(expires_at, (int, float)):
            return None
        ttl = float(expires_at) - time.time()
        return StoredEntry(blob, ttl) if ttl > 0 else None

    def put(self, namespace: str, blob: bytes, ttl: float) -> None:
        with self._changing() as data:
            entries = self._section(data, "entries")
            entries[namespace] = {"blob": base64.b64encode(blob).decode(), "expires_at": time.time() + ttl}

    def delete_if(self, namespace: str, blob: bytes) -> bool:
        with self._changing() as data:
            entries = self._section(data, "entries")
            if _blob(_dict(entries, namespace).get("blob")) != blob:
                return False
            del entries[namespace]
            return True

    # ---- the login lock ----
    def acquire(self, namespace: str, owner: str, ttl: float) -> bool:
        with self._changing() as data:
            locks = self._section(data, "locks")
            if namespace in locks:
                return False
            locks[namespace] = {"owner": owner, "expires_at": time.time() + ttl}
            return True

    def release(self, namespace: str, owner: str) -> None:
        with self._changing() as data:
            locks = self._section(data, "locks")
            if _dict(locks, namespace).get("owner") == owner:
                del locks[namespace]

    # ---- the fleet's 429 pause (FleetBackoff) ----
    def pause(self, namespace: str, seconds: float) -> None:
        with self._changing() as data:
            pauses = self._section(data, "pauses")
            until = time.time() + seconds
            current = _dict(pauses, namespace).get("expires_at")
            if not isinstance(current, (int, float)) or current < until:
                pauses[namespace] = {"expires_at": until}

    def paused_for(self, namespace: str) -> float:
        until = _dict(self._read().get("pauses"), namespace).get("expires_at")
        if not isinstance(until, (int, float)):
            return 0.0
        return max(0.0, float(until) - time.time())

    def _reset_after_fork(self) -> None:
        self._mutex = threading.Lock()


def _dict(section: Any, key: str) -> dict[str, Any]:
    value = section.get(key) if isinstance(section, dict) else None
    return value if isinstance(value, dict) else {}


def _blob(value: Any) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _live(value: Any, now: float) -> bool:
    expires_at = value.get("expires_at") if isinstance(value, dict) else None
    return isinstance(expires_at, (int, float)) and expires_at > now
