"""`partner-api bulk`: what the input may hold and how it is read, through the real executable.

Each case is checked before anything is sent (the sandbox counts no request, not even a login) or, when the
input is good, by what the server holds afterwards.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxProcess

from ._support import cli_env, run, summary


def _rows(ids: list[int]) -> list[str]:
    return [f"{user_id},{10**9 + user_id}" for user_id in ids]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_byte_that_is_not_utf8_names_the_line_and_nothing_is_sent(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path, fmt: str
) -> None:
    """Defect 1: a Latin-1 byte on line 1,201 was a UnicodeDecodeError traceback (exit 1)."""
    ids = bulk_sandbox.seed_users(3)
    if fmt == "csv":
        lines = [b"user_id,traffic_limit", *(f"{ids[i % 3]},{10**9 + i}".encode() for i in range(1, 1300))]
    else:
        lines = [json.dumps({"user_id": ids[i % 3], "traffic_limit": 10**9 + i}).encode() for i in range(1300)]
    lines[1200] = lines[1200][:-1] + b"\xe9"  # line 1,201: a Latin-1 "é"
    source = tmp_path / f"limits.{fmt}"
    source.write_bytes(b"\n".join(lines) + b"\n")
    bulk_sandbox.reset_stats()
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], cli_env(home, bulk_sandbox))
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("partner-api: error: ")
    assert f"{source}: line 1201 is not UTF-8 text" in line
    assert "Traceback" not in result.stderr
    assert "UnicodeDecodeError" not in result.stderr
    assert bulk_sandbox.stats().total_requests == 0  # not even a login


def test_a_quote_left_open_names_the_line_and_nothing_is_sent(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    """A stray quote took the next line into its cell: "bob" became part of alice's note, 2 rows of 3 went out,
    and nothing said that bob's row was never sent."""
    source = tmp_path / "users.csv"
    source.write_text('username,_note\nalice,"moved\nbob,"b"\ncarol,c\n')
    bulk_sandbox.reset_stats()
    result = run(["bulk", "get-user", "--input", str(source)], cli_env(home, bulk_sandbox))
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"partner-api: error: --input {source}: line 3: not valid CSV"), line
    assert "Traceback" not in result.stderr
    assert bulk_sandbox.stats().total_requests == 0  # not even a login


def test_a_utf8_bom_is_read_as_excel_means_it(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """Defect 6: Excel's "CSV UTF-8" starts with a BOM, which was read into the first column's name."""
    ids = bulk_sandbox.seed_users(5)
    source = tmp_path / "excel.csv"
    source.write_bytes("\ufeffuser_id,traffic_limit\r\n".encode() + "\r\n".join(_rows(ids)).encode() + b"\r\n")
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], cli_env(home, bulk_sandbox))
    assert result.returncode == 0, result.stderr
    assert summary(result.stderr)["done"] == 5
    with bulk_sandbox.client() as client:
        assert client.get_user_traffic(user_id=ids[0]).traffic.traffic_limit == 10**9 + ids[0]


def test_export_edit_then_bulk_round_trip(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """Defect 7: export writes nested fields as extra.country columns; bulk takes them back."""
    ids = bulk_sandbox.seed_users(30)
    env = cli_env(home, bulk_sandbox)
    exported = run(["export", "users", "--format", "csv", "--columns", "username,enabled,extra.country"], env)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert len(rows) == 30
    assert list(rows[0]) == ["username", "enabled", "extra.country"]
    for row in rows:  # the edit: everyone disabled and in Germany
        row.update({"enabled": "false", "extra.country": "DE"})
    edited = tmp_path / "users.csv"
    with open(edited, "w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run(["bulk", "update-user", "--input", str(edited)], env)
    assert result.returncode == 0, result.stderr
    assert summary(result.stderr)["done"] == 30
    with bulk_sandbox.client() as client:
        for user_id in ids:
            user = client.get_user(user_id=user_id).user
            assert (user.enabled, user.extra.country) == (False, "DE")
    # the whole export has columns update-user does not take: refused up front, saying how to keep them
    whole = tmp_path / "all.csv"
    whole.write_text(run(["export", "users", "--format", "csv"], env).stdout)
    refused = run(["bulk", "update-user", "--input", str(whole)], env)
    assert refused.returncode == 2
    assert "unknown column(s) id, auth_method, create_time" in refused.stderr
    assert "start a column's name with _ to have it ignored" in refused.stderr


def test_a_missing_required_column_is_refused_up_front(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    """Defect 8: every row failed (exit 1) where an unknown column is refused before anything is sent (exit 2)."""
    ids = bulk_sandbox.seed_users(3)
    env = cli_env(home, bulk_sandbox)
    no_limit = tmp_path / "no-limit.csv"
    no_limit.write_text("user_id\n" + "".join(f"{user_id}\n" for user_id in ids))
    no_user = tmp_path / "no-user.csv"
    no_user.write_text("traffic_limit\n5\n")
    bulk_sandbox.reset_stats()
    for source, message in ((no_limit, "no column traffic_limit"), (no_user, "needs a column user_id or username")):
        result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], env)
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.splitlines()
        assert message in line
    assert bulk_sandbox.stats().total_requests == 0


def test_jsonl_lines_are_numbered_as_an_editor_numbers_them(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    """Defect 20: blank lines did not count, so "row 3" was line 5 in the editor."""
    (user_id,) = bulk_sandbox.seed_users(1)
    source = tmp_path / "rows.jsonl"
    good = json.dumps({"user_id": user_id, "traffic_limit": 5})
    source.write_text(f"{good}\n\n\n{good}\n{{not json\n")
    output = tmp_path / "out.jsonl"
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source), "--output", str(output)],
                 cli_env(home, bulk_sandbox))  # fmt: skip
    assert result.returncode == 1
    lines = {row["line"]: row["status"] for row in map(json.loads, output.read_text().splitlines())}
    assert lines == {1: "done", 4: "done", 5: "failed"}
    assert "line 5: failed: bad input: not valid JSON" in result.stderr


def test_input_from_standard_input(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """`--input -`: CSV or JSON Lines (told apart by the first character); the journal in the current directory."""
    ids = bulk_sandbox.seed_users(4)
    env = cli_env(home, bulk_sandbox)
    csv_text = "user_id,traffic_limit\n" + "\n".join(_rows(ids[:2])) + "\n"
    result = run(["bulk", "set-user-traffic-limit", "--input", "-"], env, input=csv_text, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert summary(result.stderr)["done"] == 2
    assert (tmp_path / "set-user-traffic-limit.journal").exists()
    jsonl = "".join(json.dumps({"user_id": i, "traffic_limit": 7}) + "\n" for i in ids[2:])
    again = run(["bulk", "set-user-traffic-limit", "-i", "-", "--journal", str(tmp_path / "j2")], env, input=jsonl)
    assert again.returncode == 0, again.stderr
    assert summary(again.stderr)["done"] == 2
    with bulk_sandbox.client() as client:
        assert client.get_user_traffic(user_id=ids[3]).traffic.traffic_limit == 7


def test_dry_run_checks_every_row_and_sends_nothing(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    ids = bulk_sandbox.seed_users(3)
    env = cli_env(home, bulk_sandbox)
    source = tmp_path / "limits.csv"
    source.write_text("user_id,traffic_limit\n" + "\n".join(_rows(ids)) + "\n")
    bulk_sandbox.reset_stats()
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source), "--dry-run"], env)
    assert result.returncode == 0, result.stderr
    bodies = [json.loads(line) for line in result.stdout.splitlines()]
    assert bodies == [{"line": n + 2, "body": {"user_id": i, "traffic_limit": 10**9 + i}} for n, i in enumerate(ids)]
    assert "3 row(s) would be sent, 0 bad" in result.stderr
    # a bad row: reported with its line, in the column's name, exit 2
    source.write_text(source.read_text() + f"{ids[0]},0\nx,5\n")
    bad = run(["bulk", "set-user-traffic-limit", "--input", str(source), "--dry-run"], env)
    assert bad.returncode == 2
    errors = {row["line"]: row["error"] for row in map(json.loads, bad.stdout.splitlines()) if "error" in row}
    assert set(errors) == {5, 6}
    assert "traffic_limit" in errors[5] and "--traffic-limit" not in errors[5]
    assert "user_id: 'x' is not a whole number" in errors[6]
    assert bulk_sandbox.stats().total_requests == 0  # not even a login


def test_bulk_operation_help_lists_its_columns(home: Path) -> None:
    """Defect 12: `bulk OP --help` was generic help; the usage line broke operation names; an unknown operation
    printed the list twice."""
    env = cli_env(home, COLUMNS="80")
    one = run(["bulk", "set-user-traffic-limit", "--help"], env)
    assert one.returncode == 0
    assert "Columns (CSV header) or keys (JSONL)" in one.stdout
    assert "traffic_limit" in one.stdout and "required;" in one.stdout
    assert "Set a user's traffic limit in bytes." in one.stdout  # the operation's own summary
    update = run(["bulk", "update-user", "--help"], env)
    assert "extra.country" in update.stdout
    group = run(["bulk", "--help"], env)
    assert group.returncode == 0
    assert "Usage: partner-api bulk [OPTIONS] OPERATION [OPTIONS]" in group.stdout
    assert "delete-user-traffic-limit" in group.stdout  # listed whole, never cut across lines
    wrong = run(["bulk", "set-user-trafic-limit", "--input", "x.csv"], env)
    assert wrong.returncode == 2
    [line] = wrong.stderr.splitlines()
    assert "did you mean set-user-traffic-limit" in line
    assert line.count("get-user-traffic") == 0


def test_a_journal_of_another_format_version_is_refused(home: Path, tmp_path: Path) -> None:
    """Issue 22: the version was written but never read."""
    source = tmp_path / "limits.csv"
    source.write_text("user_id,traffic_limit\n1,5\n")
    journal = tmp_path / "limits.csv.journal"
    journal.write_text(
        json.dumps({"journal": "partner-api bulk journal", "version": 2, "operation": "setUserTrafficLimit"}) + "\n"
    )
    env = cli_env(home, PARTNER_API_BASE_URL="http://127.0.0.1:9", PARTNER_API_PROJECT_ID="p",
                  PARTNER_API_PRIVATE_KEY="k" * 16)  # fmt: skip
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], env)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert "journal format 2, but this partner-api reads format 1" in line


def test_the_job_retry_policy_takes_the_client_settings() -> None:
    """Issue 22: `PassRateLimits` was attrs on a stdlib dataclass and raised on `PassRateLimits(max_retries=3)`."""
    from partner_api.cli._bulk_client import JobRetryPolicy

    policy = JobRetryPolicy(max_retries=3, backoff=0.1)
    assert (policy.max_retries, policy.backoff) == (3, 0.1)
