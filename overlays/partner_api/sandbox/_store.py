"""The sandbox's data in SQLite: in memory by default, or in a file that survives restarts.

One connection, guarded by a lock (the server calls it from its event loop; the handles never touch it).
Rows come back as plain dicts keyed by column name.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Row = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS licenses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    devices_limit INTEGER NOT NULL,
    sessions_limit INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    auth_method TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    country TEXT NOT NULL,
    language TEXT NOT NULL,
    license_id INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    traffic_start INTEGER NOT NULL,
    traffic_limit INTEGER NOT NULL,
    traffic_used INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    platform TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    access_time INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    server_country TEXT NOT NULL,
    protocol TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    end_time INTEGER NOT NULL,
    bytes_in INTEGER NOT NULL,
    bytes_out INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_id, start_time);
CREATE INDEX IF NOT EXISTS sessions_by_time ON sessions(start_time);
CREATE TABLE IF NOT EXISTS purchases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    receipt TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    check_time INTEGER NOT NULL,
    active INTEGER NOT NULL
);
"""

_TABLES = ("purchases", "sessions", "devices", "users", "licenses")

_USER_COLUMNS = frozenset(
    {"enabled", "license_id", "country", "language", "traffic_start", "traffic_limit", "traffic_used"}
)


def _and_where(*conditions: tuple[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """` AND <clause>` for each (clause with one `?`, value) whose value is not None, and those values."""
    given = [(clause, value) for clause, value in conditions if value is not None]
    return "".join(f" AND {clause}" for clause, _ in given), tuple(value for _, value in given)


class UsernameTakenError(Exception):
    """createUser with a username that exists."""


class SandboxStore:
    """Users, licenses, devices, sessions and purchases, with the queries the operations need."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = None if path is None else os.fspath(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path or ":memory:", check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        with self._conn:
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._conn:
            yield self._conn

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        with self._lock:
            return [dict(row) for row in self._conn.execute(sql, params).fetchall()]

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Row | None:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None else dict(row)

    # ---- whole store ----
    def is_empty(self) -> bool:
        """No license yet: a new store (the seed runs only then)."""
        return self._one("SELECT id FROM licenses LIMIT 1") is None

    def wipe(self) -> None:
        """Delete every row and restart the id sequences."""
        with self._transaction() as conn:
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            conn.execute("DELETE FROM sqlite_sequence")

    # ---- licenses ----
    def add_license(self, name: str, devices_limit: int, sessions_limit: int) -> int:
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO licenses (name, devices_limit, sessions_limit) VALUES (?, ?, ?)",
                (name, devices_limit, sessions_limit),
            )
            return int(cursor.lastrowid or 0)

    def licenses(self) -> list[Row]:
        return self._all("SELECT * FROM licenses ORDER BY id")

    def license(self, license_id: int) -> Row | None:
        return self._one("SELECT * FROM licenses WHERE id = ?", (license_id,))

    def first_license_id(self) -> int:
        row = self._one("SELECT id FROM licenses ORDER BY id LIMIT 1")
        return 0 if row is None else int(row["id"])

    # ---- users ----
    def find_user(self, user_id: int | None, username: str | None) -> Row | None:
        """By id when given (the id wins), else by username."""
        if user_id is not None:
            return self._one("SELECT * FROM users WHERE id = ?", (user_id,))
        if username is not None:
            return self._one("SELECT * FROM users WHERE username = ?", (username,))
        return None

    def create_user(
        self, *, username: str, auth_method: str, license_id: int, country: str, language: str, enabled: bool, now: int
    ) -> Row:
        try:
            with self._transaction() as conn:
                cursor = conn.execute(
                    "INSERT INTO users (username, auth_method, enabled, country, language, license_id, create_time,"
                    " traffic_start, traffic_limit, traffic_used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                    (username, auth_method, int(enabled), country, language, license_id, now, now),
                )
                user_id = int(cursor.lastrowid or 0)
        except sqlite3.IntegrityError as exc:
            raise UsernameTakenError(username) from exc
        user = self.find_user(user_id, None)
        assert user is not None
        return user

    def update_user(self, user_id: int, **changes: Any) -> Row:
        """Set the given columns (enabled, license_id, country, language, traffic_*) and return the row."""
        unknown = set(changes) - _USER_COLUMNS
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        if changes:
            assignments = ", ".join(f"{column} = ?" for column in changes)
            with self._transaction() as conn:
                conn.execute(f"UPDATE users SET {assignments} WHERE id = ?", (*changes.values(), user_id))  # noqa: S608
        user = self.find_user(user_id, None)
        assert user is not None
        return user

    def last_seed_index(self) -> int:
        """The highest N of the generated `seed-user-NNNN` users (0 when there is none)."""
        row = self._one(
            "SELECT MAX(CAST(substr(username, 11) AS INTEGER)) AS n FROM users WHERE username GLOB 'seed-user-[0-9]*'"
        )
        return 0 if row is None or row["n"] is None else int(row["n"])

    def delete_user(self, user_id: int) -> None:
        """Delete the user; devices, sessions and purchases go with it (ON DELETE CASCADE)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM users WHERE id = ?", (user_id,))

    def list_users(self, *, after_id: int, limit: int, license_id: int | None, enabled: bool | None) -> list[Row]:
        """Users with id > after_id, by id, at most `limit`, optionally filtered."""
        where, params = _and_where(("license_id = ?", license_id), ("enabled = ?", enabled))
        return self._all(f"SELECT * FROM users WHERE id > ?{where} ORDER BY id LIMIT ?", (after_id, *params, limit))  # noqa: S608

    # ---- devices ----
    def add_device(
        self, *, device_id: str, user_id: int, name: str, platform: str, create_time: int, access_time: int
    ) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO devices (id, user_id, name, platform, create_time, access_time) VALUES (?, ?, ?, ?, ?, ?)",
                (device_id, user_id, name, platform, create_time, access_time),
            )

    def devices(self, user_id: int) -> list[Row]:
        return self._all("SELECT * FROM devices WHERE user_id = ? ORDER BY create_time, id", (user_id,))

    def delete_device(self, user_id: int, device_id: str) -> bool:
        """False when the user has no such device."""
        with self._transaction() as conn:
            cursor = conn.execute("DELETE FROM devices WHERE user_id = ? AND id = ?", (user_id, device_id))
            return cursor.rowcount > 0

    # ---- sessions ----
    def add_session(self, session: Row) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO sessions (id, user_id, device_id, server_country, protocol, start_time, end_time,"
                " bytes_in, bytes_out) VALUES (:id, :user_id, :device_id, :server_country, :protocol, :start_time,"
                " :end_time, :bytes_in, :bytes_out)",
                session,
            )

    def sessions(self, user_id: int, *, ended_from: int | None, started_before: int | None) -> list[Row]:
        """Newest first; `ended_from` keeps sessions still active or ended at/after it."""
        where, params = _and_where(("(end_time = 0 OR end_time >= ?)", ended_from), ("start_time < ?", started_before))
        sql = f"SELECT * FROM sessions WHERE user_id = ?{where} ORDER BY start_time DESC, id"  # noqa: S608 - fixed clauses
        return self._all(sql, (user_id, *params))

    def traffic_report(self, *, start_time: int, end_time: int, group_by: str) -> list[Row]:
        """Sessions started in [start_time, end_time), summed by UTC day or by server country."""
        key = "strftime('%Y-%m-%d', start_time, 'unixepoch')" if group_by == "day" else "server_country"
        column = "date" if group_by == "day" else "country"
        return self._all(
            f"SELECT {key} AS {column}, SUM(bytes_in) AS bytes_in, SUM(bytes_out) AS bytes_out,"  # noqa: S608
            " COUNT(DISTINCT user_id) AS active_users FROM sessions WHERE start_time >= ? AND start_time < ?"
            f" GROUP BY {key} ORDER BY {key}",
            (start_time, end_time),
        )

    # ---- purchases ----
    def add_purchase(self, *, user_id: int, type_: str, receipt: Any, now: int, active: bool = True) -> Row:
        """Store the receipt as the JSON it came as (zeros included); return the purchase row."""
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO purchases (user_id, type, receipt, create_time, check_time, active)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (user_id, type_, json.dumps(receipt, ensure_ascii=False), now, now, int(active)),
            )
            purchase_id = int(cursor.lastrowid or 0)
        row = self._one("SELECT * FROM purchases WHERE id = ?", (purchase_id,))
        assert row is not None
        return row

    def purchases(self, user_id: int) -> list[Row]:
        return self._all("SELECT * FROM purchases WHERE user_id = ? ORDER BY id", (user_id,))

    def receipt(self, purchase_id: int) -> Any:
        """The stored receipt, parsed back; None when there is no such purchase."""
        row = self._one("SELECT receipt FROM purchases WHERE id = ?", (purchase_id,))
        return None if row is None else json.loads(row["receipt"])

    def delete_purchase(self, user_id: int, purchase_id: int) -> bool:
        """False when the user has no such purchase."""
        with self._transaction() as conn:
            cursor = conn.execute("DELETE FROM purchases WHERE user_id = ? AND id = ?", (user_id, purchase_id))
            return cursor.rowcount > 0
