"""`partner-api bulk`: rate limits, kill -9 and resume, SIGINT, bad rows, unknown rows, through the real executable.

The sandbox runs in its own process. "No row lost, none duplicated" is shown from the server's side: the
sandbox counts the setUserTrafficLimit requests it received (those answered 429 aside), each row's answer
comes from the server with the row's own limit, and N distinct rows answered out of N requests processed
means each row was processed exactly once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from partner_api.cli._journal import Journal
from partner_api.sandbox import SandboxProcess

from ._support import cli_env, end, journal_states, run, start, summary

OPERATION = "setUserTrafficLimit"


def _limit(user_id: int) -> int:
    return 10**9 + user_id


def _write_input(path: Path, ids: list[int], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = ["user_id,traffic_limit", *(f"{user_id},{_limit(user_id)}" for user_id in ids), *extra_lines]
    path.write_text("\n".join(lines) + "\n")
    return path


def _outputs(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _processed(sandbox: SandboxProcess) -> int:
    """setUserTrafficLimit requests the sandbox processed (received, minus those it answered 429)."""
    stats = sandbox.stats()
    return int(stats.requests.get(OPERATION, 0)) - int(stats.rate_limited)


def _bulk_args(source: Path, tmp_path: Path, *extra: str) -> list[str]:
    return [
        "bulk", "set-user-traffic-limit", "--input", str(source), "--concurrency", "16",
        "--journal", str(tmp_path / "job.journal"), "--output", str(tmp_path / "results.jsonl"), *extra,
    ]  # fmt: skip


def _check_answers(rows: list[dict[str, Any]]) -> set[int]:
    """Each `done` row's answer (from the server) carries the row's own limit; returns the users done."""
    done = set()
    for row in rows:
        if row["status"] == "done":
            user_id = int(row["input"]["user_id"])
            assert row["answer"]["traffic_limit"] == _limit(user_id)
            done.add(user_id)
    return done


def test_5000_rows_under_a_rate_limit(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """A rate limit far below the job's pace for a while: 429s with Retry-After, then recovery."""
    ids = bulk_sandbox.seed_users(5000)
    source = _write_input(tmp_path / "limits.csv", ids)
    bulk_sandbox.reset_stats()
    journal = tmp_path / "job.journal"
    process = start(_bulk_args(source, tmp_path), cli_env(home, bulk_sandbox))
    try:
        wait_for_outcomes(journal, 500, process)
        bulk_sandbox.set_rate_limit(20)  # requests per second, whatever the machine's pace
        deadline = time.monotonic() + 60
        while bulk_sandbox.stats().rate_limited < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(2)  # long enough for Retry-After pauses and the lowered concurrency to show
        bulk_sandbox.set_rate_limit(None)
        _stdout, stderr = process.communicate(timeout=170)
    finally:
        bulk_sandbox.set_rate_limit(None)
        end(process)
    assert process.returncode == 0, stderr
    counts = summary(stderr)
    assert (counts["done"], counts["failed"], counts["skipped"], counts["unknown"]) == (5000, 0, 0, 0)
    stats = bulk_sandbox.stats()
    assert stats.rate_limited >= 30  # the limit was hit ...
    assert counts["limited"] == stats.rate_limited  # ... every 429 came back to the job, and the row was resent
    assert counts["logins"] == stats.logins == 1
    rows = _outputs(tmp_path / "results.jsonl")
    assert len(rows) == 5000
    assert _check_answers(rows) == set(ids)  # no row lost
    assert _processed(bulk_sandbox) == 5000  # none processed twice
    with bulk_sandbox.client() as client:  # and the server's state, for a sample
        for user_id in random.Random(7).sample(ids, 50):
            assert client.get_user_traffic(user_id=user_id).traffic.traffic_limit == _limit(user_id)
    # a re-run skips every row
    bulk_sandbox.reset_stats()
    again = run(_bulk_args(source, tmp_path), cli_env(home, bulk_sandbox))
    assert again.returncode == 0
    assert summary(again.stderr)["skipped"] == 5000
    assert bulk_sandbox.stats().requests.get(OPERATION, 0) == 0


def wait_for_outcomes(journal: Path, count: int, process: subprocess.Popen[str]) -> None:
    """Until the journal holds `count` rows done (read as the job reads it)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists() and journal.stat().st_size and Journal.read(journal).count("done") >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"the job did not reach {count} rows (exit {process.poll()})")


def test_kill_9_then_resume_every_row_once(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    ids = bulk_sandbox.seed_users(1200)
    source = _write_input(tmp_path / "limits.csv", ids)
    bulk_sandbox.inject_fault(OPERATION, latency=0.05, probability=1.0)  # requests in flight at any moment
    bulk_sandbox.reset_stats()
    env = cli_env(home, bulk_sandbox)
    journal = tmp_path / "job.journal"
    process = start(_bulk_args(source, tmp_path), env)
    try:
        wait_for_outcomes(journal, 300, process)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        end(process)
    states = journal_states(journal)
    in_flight = {key for key, state in states.items() if state == "sent"}
    done_first = sum(1 for state in states.values() if state == "done")
    assert 300 <= done_first < 1200
    time.sleep(1.0)  # requests held by the latency finish on the server
    processed_first = _processed(bulk_sandbox)
    assert done_first <= processed_first <= done_first + len(in_flight)

    resumed = run(_bulk_args(source, tmp_path), env)
    counts = summary(resumed.stderr)
    assert counts["skipped"] == done_first  # a completed mutation is never sent twice
    assert counts["unknown"] == len(in_flight)  # in flight at the kill: reported, not resent
    assert counts["done"] == 1200 - done_first - len(in_flight)
    assert resumed.returncode == (1 if in_flight else 0)
    assert _processed(bulk_sandbox) == processed_first + counts["done"]  # each new row once, nothing repeated
    assert "--retry-unknown" in resumed.stderr

    final = run([*_bulk_args(source, tmp_path), "--retry-unknown"], env)
    assert final.returncode == 0, final.stderr
    counts = summary(final.stderr)
    assert (counts["done"], counts["skipped"], counts["unknown"]) == (len(in_flight), 1200 - len(in_flight), 0)
    rows = _outputs(tmp_path / "results.jsonl")
    assert _check_answers(rows) == set(ids)  # every row done in the end
    assert not [key for key, state in journal_states(journal).items() if state != "done"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_cleanly_and_the_job_resumes(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    ids = bulk_sandbox.seed_users(1000)
    source = _write_input(tmp_path / "limits.csv", ids)
    bulk_sandbox.inject_fault(OPERATION, latency=0.05, probability=1.0)
    bulk_sandbox.reset_stats()
    env = cli_env(home, bulk_sandbox)
    journal = tmp_path / "job.journal"
    process = start(_bulk_args(source, tmp_path), env)
    try:
        wait_for_outcomes(journal, 200, process)
        process.send_signal(sig)
        _stdout, stderr = process.communicate(timeout=90)
    finally:
        end(process)
    assert process.returncode == 130, stderr
    counts = summary(stderr)
    assert "interrupted: run the same command again to resume" in stderr
    assert counts["unknown"] == 0  # in-flight rows finished before the exit
    assert counts["done"] + counts["pending"] == 1000
    states = journal_states(journal)
    assert set(states.values()) == {"done"}  # every row sent has its outcome: nothing in flight
    assert counts["done"] == len(states) < 1000
    assert _processed(bulk_sandbox) == counts["done"]

    resumed = run(_bulk_args(source, tmp_path), env)
    assert resumed.returncode == 0, resumed.stderr
    again = summary(resumed.stderr)
    assert (again["skipped"], again["done"]) == (counts["done"], 1000 - counts["done"])
    assert _processed(bulk_sandbox) == 1000  # every row exactly once over the two runs
    assert _check_answers(_outputs(tmp_path / "results.jsonl")) == set(ids)


def test_bad_rows_are_reported_and_the_job_goes_on(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    ids = bulk_sandbox.seed_users(40)
    bad = ("abc,5", "0,7", "999999,5", f"{ids[0]},-1", f"{ids[1]},1,2")
    source = _write_input(tmp_path / "limits.csv", ids, bad)
    bulk_sandbox.reset_stats()
    failed = tmp_path / "failed.csv"
    result = run(_bulk_args(source, tmp_path, "--failed", str(failed)), cli_env(home, bulk_sandbox))
    assert result.returncode == 1
    counts = summary(result.stderr)
    assert (counts["done"], counts["failed"]) == (40, 5)
    rows = _outputs(tmp_path / "results.jsonl")
    reasons = {row["line"]: row["error"] for row in rows if row["status"] == "failed"}
    assert sorted(reasons) == [42, 43, 44, 45, 46]  # lines as an editor numbers them (the header is line 1)
    assert "not a whole number" in reasons[42]
    assert "default value" in reasons[43]
    assert "NOT_FOUND" in reasons[44]
    assert "below the minimum" in reasons[45]
    assert "3 cells for 2 columns" in reasons[46]
    assert _processed(bulk_sandbox) == 41  # 40 good rows and the unknown user; bad input is never sent
    lines = failed.read_text().splitlines()
    assert lines[0] == "user_id,traffic_limit,_error"
    assert len(lines) == 6
    # the failed file is an input again: the same rows fail the same way, and nothing else is sent
    bulk_sandbox.reset_stats()
    again = run(["bulk", "set-user-traffic-limit", "--input", str(failed)], cli_env(home, bulk_sandbox))
    assert summary(again.stderr)["failed"] == 5
    assert _processed(bulk_sandbox) == 1


def test_a_row_without_a_required_field_is_bad_input(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """An empty cell (CSV) or a missing key (JSONL) for a required field: the row fails as bad input naming the
    field, in the API's words, not with a Python TypeError about keyword arguments; nothing is sent for it."""
    ids = bulk_sandbox.seed_users(2)
    csv_source = _write_input(tmp_path / "limits.csv", ids[:1], (f"{ids[1]},",))
    jsonl_source = tmp_path / "limits.jsonl"
    jsonl_source.write_text(json.dumps({"user_id": ids[0], "traffic_limit": _limit(ids[0])}) + "\n")
    jsonl_source.write_text(jsonl_source.read_text() + json.dumps({"user_id": ids[1]}) + "\n")
    for source in (csv_source, jsonl_source):
        bulk_sandbox.reset_stats()
        output = tmp_path / f"{source.suffix[1:]}-results.jsonl"
        result = run(
            ["bulk", "set-user-traffic-limit", "--input", str(source), "--output", str(output)],
            cli_env(home, bulk_sandbox),
        )
        assert result.returncode == 1, result.stderr
        assert (summary(result.stderr)["done"], summary(result.stderr)["failed"]) == (1, 1)
        [failed] = [row for row in _outputs(output) if row["status"] == "failed"]
        assert failed["line"] == (3 if source.suffix == ".csv" else 2)  # the CSV header is line 1
        assert failed["error"].startswith("bad input: traffic_limit: required"), failed["error"]
        assert "keyword" not in failed["error"]
        assert _processed(bulk_sandbox) == 1


def test_jsonl_input_and_unknown_columns(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    ids = bulk_sandbox.seed_users(5)
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps({"user_id": i, "traffic_limit": _limit(i)}) + "\n" for i in ids))
    env = cli_env(home, bulk_sandbox)
    bulk_sandbox.reset_stats()
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], env)
    assert result.returncode == 0, result.stderr
    assert summary(result.stderr)["done"] == 5
    assert (tmp_path / "rows.jsonl.journal").exists()  # the default journal
    wrong = _write_input(tmp_path / "wrong.csv", ids)
    wrong.write_text(wrong.read_text().replace("traffic_limit", "trafic_limit"))
    refused = run(["bulk", "set-user-traffic-limit", "--input", str(wrong)], env)
    assert refused.returncode == 2
    assert "unknown column(s) trafic_limit" in refused.stderr
    mismatch = run(
        ["bulk", "reset-user-traffic", "--input", str(source), "--journal", str(tmp_path / "rows.jsonl.journal")], env
    )
    assert mismatch.returncode == 2
    assert "belongs to a job of setUserTrafficLimit" in mismatch.stderr
    assert _processed(bulk_sandbox) == 5


def test_a_lost_answer_is_unknown_and_resent_only_on_request(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    ids = bulk_sandbox.seed_users(10)
    source = _write_input(tmp_path / "limits.csv", ids)
    bulk_sandbox.inject_fault(OPERATION, drop=True, count=1, after=4)  # the 5th request: closed, no answer
    env = cli_env(home, bulk_sandbox)
    first = run([*_bulk_args(source, tmp_path), "--concurrency", "1"], env)
    assert first.returncode == 1
    assert summary(first.stderr)["unknown"] == 1
    second = run(_bulk_args(source, tmp_path), env)
    assert (summary(second.stderr)["unknown"], summary(second.stderr)["skipped"]) == (1, 9)
    bulk_sandbox.reset_stats()
    third = run([*_bulk_args(source, tmp_path), "--retry-unknown"], env)
    assert third.returncode == 0
    assert summary(third.stderr)["done"] == 1
    assert _processed(bulk_sandbox) == 1


def test_a_second_signal_stops_at_once_leaving_unknown_rows(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    ids = bulk_sandbox.seed_users(100)
    source = _write_input(tmp_path / "limits.csv", ids)
    bulk_sandbox.inject_fault(OPERATION, latency=6.0, count=4, after=30)  # 30 requests pass, 4 are held 6 s
    env = cli_env(home, bulk_sandbox)
    journal = tmp_path / "job.journal"
    process = start([*_bulk_args(source, tmp_path), "--concurrency", "4"], env)
    try:
        wait_for_outcomes(journal, 20, process)
        deadline = time.monotonic() + 60
        while bulk_sandbox.stats().faults.get(OPERATION, 0) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        held_until = time.monotonic() + 6.0
        process.send_signal(signal.SIGINT)
        time.sleep(0.5)
        assert process.poll() is None  # the first signal waits for the rows in flight ...
        process.send_signal(signal.SIGINT)
        _stdout, stderr = process.communicate(timeout=15)  # ... the second does not
    finally:
        end(process)
    assert process.returncode == 130, stderr
    counts = summary(stderr)
    assert counts["unknown"] == 4  # the held rows, cut off
    in_flight = [key for key, state in journal_states(journal).items() if state == "sent"]
    assert len(in_flight) == counts["unknown"]
    resumed = run(_bulk_args(source, tmp_path), env)
    assert summary(resumed.stderr)["unknown"] == len(in_flight)  # reported again, not resent
    time.sleep(max(0.0, held_until - time.monotonic()))  # the held requests end before the next test
