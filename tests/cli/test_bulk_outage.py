"""`partner-api bulk` when the API is away, when its login fails, and what the operator is told about failures.

A closed port, a sandbox stopped and started again (same port, same database), and login answering 503 are the
real things, through the real executable. Counts come from the server (requests, faults served) and the journal.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxProcess

from ._support import all_done, cli_env, end, free_port, journal_states, run, start, summary, wait_until
from .test_bulk import wait_for_outcomes

OPERATION = "setUserTrafficLimit"


def _limits(path: Path, ids: list[int]) -> Path:
    path.write_text("user_id,traffic_limit\n" + "".join(f"{i},{10**9 + i}\n" for i in ids))
    return path


def _users(path: Path, ids: list[int]) -> Path:
    path.write_text("user_id\n" + "".join(f"{i}\n" for i in ids))
    return path


def test_an_api_that_cannot_be_reached_stops_the_job_at_once(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    """Defect 2: 2,000 rows against a closed port each failed after retries (exit 1); now: exit 7 at once, every
    row pending, and the same command later sends them all."""
    ids = bulk_sandbox.seed_users(2000)
    source = _limits(tmp_path / "limits.csv", ids)
    journal = tmp_path / "limits.csv.journal"
    closed = cli_env(home, bulk_sandbox, PARTNER_API_BASE_URL=f"http://127.0.0.1:{free_port()}")
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], closed)
    assert result.returncode == 7, result.stderr
    counts = summary(result.stderr)
    assert (counts["done"], counts["failed"], counts["unknown"], counts["pending"]) == (0, 0, 0, 2000)
    assert "cannot connect to http://127.0.0.1:" in result.stderr and "connection refused" in result.stderr
    assert "2000 row(s) not sent: run the same command again" in result.stderr
    assert not journal_states(journal)  # no row was ever about to be sent
    bulk_sandbox.reset_stats()
    again = run(["bulk", "set-user-traffic-limit", "--input", str(source)], cli_env(home, bulk_sandbox))
    assert again.returncode == 0, again.stderr
    assert summary(again.stderr)["done"] == 2000
    assert bulk_sandbox.stats().requests[OPERATION] == 2000


def test_a_login_answering_503_stops_the_job_at_once(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """Defect 3, at the start: 200 rows sent 600 logins and were all `unknown`; now one login, exit 7, pending."""
    ids = bulk_sandbox.seed_users(200)
    source = _limits(tmp_path / "limits.csv", ids)
    bulk_sandbox.inject_fault("login", status=503, count=10_000)
    bulk_sandbox.reset_stats()
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], cli_env(home, bulk_sandbox))
    assert result.returncode == 7, result.stderr
    counts = summary(result.stderr)
    assert (counts["unknown"], counts["failed"], counts["pending"]) == (0, 0, 200)
    stats = bulk_sandbox.stats()
    assert stats.faults["login"] == 1  # one login
    assert stats.requests.get(OPERATION, 0) == 0


def test_logins_failing_mid_job_go_one_at_a_time_with_back_off(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    """Defect 3, mid-job: the token is revoked and login answers 503 for a while. The rows wait; logins are tried
    one at a time with back-off; no row whose operation was never sent is `unknown`; every row done once."""
    ids = bulk_sandbox.seed_users(200)
    source = _limits(tmp_path / "limits.csv", ids)
    bulk_sandbox.inject_fault(OPERATION, latency=0.02, probability=1.0)
    bulk_sandbox.reset_stats()
    journal = tmp_path / "job.journal"
    process = start(["bulk", "set-user-traffic-limit", "--input", str(source), "--concurrency", "16",
                     "--journal", str(journal)], cli_env(home, bulk_sandbox))  # fmt: skip
    try:
        wait_for_outcomes(journal, 30, process)
        bulk_sandbox.inject_fault("login", status=503, count=10_000)
        bulk_sandbox.revoke_tokens()
        wait_until(lambda: bulk_sandbox.stats().faults.get("login", 0) >= 1, what="a failed login")
        time.sleep(3.0)  # logins keep failing for a while
        bulk_sandbox.clear_faults()
        _stdout, stderr = process.communicate(timeout=120)
    finally:
        end(process)
    assert process.returncode == 0, stderr
    all_done(stderr, 200)
    stats = bulk_sandbox.stats()
    assert 1 <= stats.faults["login"] <= 8  # one at a time, back-off 0.5, 1, 2, 4 s... (was 3 per row)
    assert stats.requests[OPERATION] - stats.not_authorized == 200  # each row applied once


@pytest.fixture
def restartable() -> Iterator[SandboxProcess]:
    """A sandbox on a fixed port, seeded at start: stopped and started again, it is the same API with the same
    60 users."""
    sandbox = SandboxProcess(admin=True, port=free_port(), seed=60, token_ttl=3600)
    with sandbox:
        yield sandbox


def _seeded(sandbox: SandboxProcess) -> list[int]:
    with sandbox.client() as client:
        return [user.id for user in client.iter_users()] * 5  # 300 rows: each user five times


def test_a_connection_lost_mid_job_waits_and_resumes(restartable: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """Defect 2, mid-job: the API goes away for two seconds; the rows wait (one tries again with back-off) and
    the job ends with every row done, none failed."""
    source = _users(tmp_path / "users.csv", _seeded(restartable))
    restartable.inject_fault("getUser", latency=0.02, probability=1.0)
    env = cli_env(home, restartable)
    journal = tmp_path / "job.journal"
    process = start(["bulk", "get-user", "--input", str(source), "--concurrency", "4", "--journal", str(journal)],
                    env)  # fmt: skip
    try:
        wait_for_outcomes(journal, 50, process)
        restartable.stop()
        time.sleep(2.0)
        assert process.poll() is None  # still waiting for the API
        restartable.start()
        _stdout, stderr = process.communicate(timeout=120)
    finally:
        end(process)
    assert process.returncode == 0, stderr
    all_done(stderr, 300)


def test_a_connection_lost_for_longer_than_max_outage_stops_with_rows_pending(
    restartable: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    source = _users(tmp_path / "users.csv", _seeded(restartable))
    restartable.inject_fault("getUser", latency=0.02, probability=1.0)
    env = cli_env(home, restartable)
    journal = tmp_path / "job.journal"
    args = ["bulk", "get-user", "--input", str(source), "--concurrency", "4", "--journal", str(journal)]
    process = start([*args, "--max-outage", "2"], env)
    try:
        wait_for_outcomes(journal, 50, process)
        restartable.stop()
        _stdout, stderr = process.communicate(timeout=120)
    finally:
        end(process)
    assert process.returncode == 7, stderr
    counts = summary(stderr)
    assert counts["failed"] == counts["unknown"] == 0
    assert counts["done"] + counts["pending"] == 300 and counts["pending"] > 0
    assert "row(s) not sent: run the same command again once the API answers" in stderr
    assert "connection refused" in stderr
    restartable.start()
    resumed = run(args, env)
    assert resumed.returncode == 0, resumed.stderr
    again = summary(resumed.stderr)
    assert (again["skipped"], again["done"]) == (counts["done"], counts["pending"])


def test_failed_rows_are_listed_and_written_without_asking(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    """Defect 4: without --output/--failed the summary said "7 failed" and nothing else."""
    ids = bulk_sandbox.seed_users(10)
    source = _limits(tmp_path / "limits.csv", ids)
    source.write_text(source.read_text() + "".join(f"{900_000 + n},5\n" for n in range(6)) + "abc,5\n")
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], cli_env(home, bulk_sandbox))
    assert result.returncode == 1
    assert summary(result.stderr)["failed"] == 7
    lines = result.stderr.splitlines()
    start = lines.index("partner-api: 7 row(s) failed or unknown, the first 5:")
    assert lines[start + 1 : start + 6] == [
        f"  line {n}: failed: setUserTrafficLimit: NOT_FOUND (HTTP 404): no such user" for n in range(12, 17)
    ]  # the lowest line numbers, whichever answer came first
    failed_file = tmp_path / "limits.failed.csv"
    assert f"partner-api: every one, with its reason: {failed_file} (an input again: --input it once fixed)" in lines
    rows = failed_file.read_text().splitlines()
    assert rows[0] == "user_id,traffic_limit,_error" and len(rows) == 8
    assert "abc,5,failed: bad input: user_id: 'abc' is not a whole number" in rows
    # all good the next time: the stale default file goes away
    source.write_text("\n".join(source.read_text().splitlines()[:11]) + "\n")
    assert run(["bulk", "set-user-traffic-limit", "--input", str(source)], cli_env(home, bulk_sandbox)).returncode == 0
    assert not failed_file.exists()


def test_rows_waiting_after_a_429_are_pending_after_ctrl_c(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    """Defect 19: rows waiting out a Retry-After when Ctrl-C came were counted as failed."""
    ids = bulk_sandbox.seed_users(20)
    source = _limits(tmp_path / "limits.csv", ids)
    bulk_sandbox.inject_fault(OPERATION, status=429, retry_after=60, count=10_000)
    journal = tmp_path / "job.journal"
    process = start(["bulk", "set-user-traffic-limit", "--input", str(source), "--journal", str(journal)],
                    cli_env(home, bulk_sandbox))  # fmt: skip
    try:
        wait_until(lambda: bulk_sandbox.stats().faults.get(OPERATION, 0) >= 1, what="a 429")
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=60)
    finally:
        end(process)
    assert process.returncode == 130, stderr
    counts = summary(stderr)
    assert (counts["failed"], counts["unknown"], counts["pending"]) == (0, 0, 20)
    assert "failed" not in set(journal_states(journal).values())
    assert not (tmp_path / "limits.failed.csv").exists()


def test_output_lines_carry_the_input_line(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    ids = bulk_sandbox.seed_users(2)
    source = _limits(tmp_path / "limits.csv", ids)
    output = tmp_path / "out.jsonl"
    args = ["bulk", "set-user-traffic-limit", "--input", str(source), "--output", str(output)]
    assert run(args, cli_env(home, bulk_sandbox)).returncode == 0
    assert [json.loads(line)["line"] for line in output.read_text().splitlines()] in ([2, 3], [3, 2])
