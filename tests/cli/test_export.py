"""`partner-api export users`: 2,000 seeded users to CSV and JSONL, complete, each once, page by page."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from partner_api.sandbox import SandboxServer

from ._support import cli_env, run

USERS = 2000


def test_export_users_csv_and_jsonl(partner_sandbox: SandboxServer, home: Path) -> None:
    ids = partner_sandbox.seed_users(USERS)
    env = cli_env(home, partner_sandbox)
    with partner_sandbox.client() as client:
        expected = {user.id: user.to_dict() for user in client.iter_users(limit=1000)}
    assert sorted(expected) == sorted(ids)
    partner_sandbox.reset_stats()

    jsonl = run(["export", "users"], env)  # JSONL is the default
    assert jsonl.returncode == 0, jsonl.stderr
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert len(rows) == USERS
    assert {row["id"]: row for row in rows} == expected  # every user once, every field
    assert partner_sandbox.stats().requests["listUsers"] == 2  # pages of the spec's maximum, 1000
    assert jsonl.stderr == ""  # piped: nothing on stderr but errors

    partner_sandbox.reset_stats()
    table = run(["export", "users", "--format", "csv", "--limit", "300"], env)
    assert table.returncode == 0, table.stderr
    records = list(csv.DictReader(io.StringIO(table.stdout)))
    assert len(records) == USERS
    assert partner_sandbox.stats().requests["listUsers"] == 7  # ceil(2000 / 300) pages, the cursor followed
    assert list(records[0]) == [
        "id", "username", "auth_method", "enabled", "extra.country", "extra.language", "license_id", "create_time",
    ]  # fmt: skip
    by_id = {int(record["id"]): record for record in records}
    assert sorted(by_id) == sorted(ids)
    for user_id, user in expected.items():
        record = by_id[user_id]
        assert record["username"] == user["username"]
        assert record["enabled"] == ("true" if user["enabled"] else "false")
        assert record["extra.country"] == user.get("extra", {}).get("country", "")
        assert int(record["license_id"]) == user["license_id"]


def test_export_filters_are_the_list_options(partner_sandbox: SandboxServer, home: Path) -> None:
    partner_sandbox.seed_users(50)
    env = cli_env(home, partner_sandbox)
    with partner_sandbox.client() as client:
        disabled = sorted(user.id for user in client.iter_users() if not user.enabled)
    result = run(["export", "users", "--no-enabled"], env)
    assert result.returncode == 0
    assert sorted(json.loads(line)["id"] for line in result.stdout.splitlines()) == disabled
    bad = run(["export", "users", "--limit", "5000"], env)
    assert bad.returncode == 2
    assert bad.stdout == ""
