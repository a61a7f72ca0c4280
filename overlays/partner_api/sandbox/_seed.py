"""Data put in an empty store: the project's licenses (always) and `count` generated users (`--seed N`).

Deterministic for a given count (the same names, devices, byte counts); times are relative to the
server's clock at seeding time, spread over the previous week so that a report of the last 7 days has rows.
"""

from __future__ import annotations

import random

from ._store import SandboxStore

LICENSES = (("free", 1, 1), ("premium", 5, 3), ("business", 0, 0))
"""(name, devices_limit, sessions_limit); 0 means no limit."""

_PLATFORMS = ("android", "ios", "windows", "macos", "linux")
_COUNTRIES = ("DE", "FR", "GB", "JP", "NL", "US")
_LANGUAGES = ("de", "en", "fr", "ja", "nl", "pt-BR")
_PROTOCOLS = ("wireguard", "openvpn", "hydra")
_DAY = 86400


def seed_licenses(store: SandboxStore) -> list[int]:
    return [store.add_license(name, devices, sessions) for name, devices, sessions in LICENSES]


def seed_users(store: SandboxStore, count: int, *, now: int, first_index: int = 1) -> list[int]:
    """Add `count` users named `seed-user-0001`... with devices, sessions and a purchase for some."""
    license_ids = [int(row["id"]) for row in store.licenses()]
    user_ids: list[int] = []
    for index in range(first_index, first_index + count):
        rng = random.Random(index)  # noqa: S311 - test data, not security
        created = now - 30 * _DAY + rng.randrange(0, 20 * _DAY)
        user = store.create_user(
            username=f"seed-user-{index:04d}",
            auth_method=rng.choice(("anonymous", "email", "oauth")),
            license_id=rng.choice(license_ids) if license_ids else 0,
            country=rng.choice(_COUNTRIES),
            language=rng.choice(_LANGUAGES),
            enabled=index % 7 != 0,
            now=created,
        )
        user_id = int(user["id"])
        user_ids.append(user_id)
        used = _seed_activity(store, rng, user_id, index, now)
        limit = rng.choice((0, 0, 50 * 2**30, 200 * 2**30))
        store.update_user(user_id, traffic_start=now - 7 * _DAY, traffic_used=used, traffic_limit=limit)
        if index % 3 == 0:
            store.add_purchase(
                user_id=user_id,
                type_=rng.choice(("google", "apple", "stripe")),
                receipt={"order_id": f"SEED-{index:04d}", "amount": 0, "sandbox": True},
                now=created,
            )
    return user_ids


def _seed_activity(store: SandboxStore, rng: random.Random, user_id: int, index: int, now: int) -> int:
    """Devices and sessions of one user over the last week; returns the bytes used."""
    used = 0
    for device_number in range(1, rng.randint(1, 3) + 1):
        device_id = f"dev-{index:04d}-{device_number}"
        platform = rng.choice(_PLATFORMS)
        store.add_device(
            device_id=device_id,
            user_id=user_id,
            name=f"{platform}-{index:04d}-{device_number}",
            platform=platform,
            create_time=now - 20 * _DAY + rng.randrange(0, _DAY),
            access_time=now - rng.randrange(0, 2 * _DAY),
        )
        for session_number in range(1, rng.randint(1, 3) + 1):
            start = now - 7 * _DAY + rng.randrange(0, 7 * _DAY - 3600)
            active = session_number == 1 and device_number == 1 and index % 5 == 0
            bytes_in = rng.randrange(1, 2**30)
            bytes_out = rng.randrange(1, 2**28)
            used += bytes_in + bytes_out
            store.add_session(
                {
                    "id": f"ses-{index:04d}-{device_number}-{session_number}",
                    "user_id": user_id,
                    "device_id": device_id,
                    "server_country": rng.choice(_COUNTRIES),
                    "protocol": rng.choice(_PROTOCOLS),
                    "start_time": start,
                    "end_time": 0 if active else start + rng.randrange(60, 3600),
                    "bytes_in": bytes_in,
                    "bytes_out": bytes_out,
                }
            )
    return used
