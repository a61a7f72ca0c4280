"""What commands print on stdout, piped or redirected: one shape rule for every answer, tables that cut nothing,
dates and sizes in tables, JSON Lines and CSV, and `--all`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import time
from pathlib import Path

from partner_api.sandbox import SandboxServer

from ._support import EXECUTABLE, cli_env, run


def test_a_table_piped_or_redirected_cuts_nothing(partner_sandbox: SandboxServer, home: Path, tmp_path: Path) -> None:
    """Defect 5: piped, redirected or 80 columns wide, cells were cut to `seed-us…`."""
    partner_sandbox.seed_users(5)
    env = cli_env(home, partner_sandbox, COLUMNS="80")
    piped = run(["list-users", "-o", "table"], env)
    assert piped.returncode == 0
    target = tmp_path / "users.txt"
    with open(target, "w") as stream:
        subprocess.run([str(EXECUTABLE), "list-users", "-o", "table"], env=env, stdout=stream, check=True, timeout=60)
    for text in (piped.stdout, target.read_text()):
        assert "…" not in text
        for number in range(1, 6):
            assert f"seed-user-{number:04d}" in text  # whole
        assert "extra.language" in text and "create_time (UTC)" in text


def test_one_shape_for_every_answer(partner_sandbox: SandboxServer, home: Path) -> None:
    """Defect 17: list-users printed {"users": [...], "next_cursor": ...}, list-user-purchases a bare array, and
    delete-user {}. Now: the payload (the object, or the list), nothing when there is none; --raw the answer."""
    user_id, other = partner_sandbox.seed_users(2)
    env = cli_env(home, partner_sandbox)
    users = json.loads(run(["list-users", "--limit", "2"], env).stdout)
    purchases = json.loads(run(["list-user-purchases", "--user-id", str(user_id)], env).stdout)
    licenses = json.loads(run(["list-licenses"], env).stdout)
    assert isinstance(users, list) and isinstance(purchases, list) and isinstance(licenses, list)
    assert [user["id"] for user in users] == [user_id, other]
    assert isinstance(json.loads(run(["get-user", "--user-id", str(user_id)], env).stdout), dict)
    raw = json.loads(run(["list-users", "--limit", "1", "--raw"], env).stdout)
    assert raw["result"] == "OK" and raw["next_cursor"] and len(raw["users"]) == 1
    deleted = run(["delete-user", "--user-id", str(other), "--yes"], env)
    assert (deleted.returncode, deleted.stdout, deleted.stderr) == (0, "", "")


def test_tables_show_dates_and_sizes_and_leave_out_empty_columns(partner_sandbox: SandboxServer, home: Path) -> None:
    """Defect 18: a day-grouped report showed an empty country column; epoch seconds and byte counts were raw and
    left-aligned. JSON keeps the raw values."""
    (user_id,) = partner_sandbox.seed_users(1)
    env = cli_env(home, partner_sandbox)
    window = ["--start-time", "1", "--end-time", str(int(time.time()) + 86400 * 400)]
    by_day = run(["get-traffic-report", *window, "--group-by", "day", "-o", "table"], env).stdout
    by_country = run(["get-traffic-report", *window, "--group-by", "country", "-o", "table"], env).stdout
    header_day = next(line for line in by_day.splitlines() if "bytes_in" in line)
    header_country = next(line for line in by_country.splitlines() if "bytes_in" in line)
    assert "date" in header_day and "country" not in header_day
    assert "country" in header_country and "date" not in header_country
    assert " GiB " in by_day or " MiB " in by_day or " KiB " in by_day
    sizes = [line.split("│")[2] for line in by_day.splitlines() if line.startswith("│ 20")]
    assert sizes and all(cell.endswith(" ") and not cell.endswith("  ") for cell in sizes)  # right-aligned
    user = run(["get-user", "--user-id", str(user_id), "-o", "table"], env).stdout
    raw = json.loads(run(["get-user", "--user-id", str(user_id)], env).stdout)
    shown = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(raw["create_time"]))
    assert f"create_time (UTC) │ {shown}" in user
    assert isinstance(raw["create_time"], int)  # JSON: the raw value


def test_csv_and_json_lines_for_list_and_get(partner_sandbox: SandboxServer, home: Path) -> None:
    ids = partner_sandbox.seed_users(3)
    env = cli_env(home, partner_sandbox)
    listing = run(["list-users", "-o", "csv"], env)
    records = list(csv.DictReader(io.StringIO(listing.stdout)))
    assert [int(record["id"]) for record in records] == ids
    assert list(records[0])[:2] == ["id", "username"] and "extra.country" in records[0]
    lines = run(["list-users", "-o", "jsonl"], env).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ids
    one = run(["get-user", "--user-id", str(ids[0]), "-o", "csv"], env).stdout.splitlines()
    assert len(one) == 2 and one[0].startswith("id,username,")
    assert json.loads(run(["get-user", "--user-id", str(ids[0]), "-o", "jsonl"], env).stdout)["id"] == ids[0]


def test_all_follows_the_cursor(partner_sandbox: SandboxServer, home: Path) -> None:
    ids = partner_sandbox.seed_users(25)
    env = cli_env(home, partner_sandbox)
    partner_sandbox.reset_stats()
    every = run(["list-users", "--all", "--limit", "10", "-o", "jsonl"], env)
    assert every.returncode == 0, every.stderr
    assert [json.loads(line)["id"] for line in every.stdout.splitlines()] == ids
    assert partner_sandbox.stats().requests["listUsers"] == 3  # pages of 10: 10, 10, 5
    assert len(json.loads(run(["list-users", "--all"], env).stdout)) == 25
    refused = run(["list-users", "--all", "--raw"], env)
    assert refused.returncode == 2
