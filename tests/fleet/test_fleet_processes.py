"""Fleets of real processes (8 processes x 8 threads or tasks) against the sandbox, sharing a Redis store (the
processes are forked from a server that imported the client once: tests/fleet/conftest.py).

Every figure is a count the sandbox or the workers made; the storms without a store are printed, not asserted.
"""

from __future__ import annotations

import math
import time
from typing import Any

import pytest
from partner_api.sandbox import SandboxServer

from .conftest import RedisServer, totals

MODES = ["sync", "async"]


def _show(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with capsys.disabled():
        print(f"\n    fleet figure: {text}")


@pytest.mark.parametrize("mode", MODES)
def test_cold_start_one_login_for_the_fleet(
    redis_server: RedisServer, sandbox: SandboxServer, fleet_factory: Any, mode: str
) -> None:
    fleet = fleet_factory(sandbox, redis_server.url, 8, threads=8, calls=5, mode=mode)
    fleet.go()
    reports = fleet.reports()
    assert totals(reports) == {"ok": 8 * 8 * 5, "failed": 0, "logins": 1}
    stats = sandbox.stats()
    assert (stats.logins, stats.not_authorized, stats.failed_logins) == (1, 0, 0)


def test_one_login_per_token_lifetime(redis_server: RedisServer, fleet_factory: Any) -> None:
    # lifetime 3 - 1 s (whole-second stamps); the margin is capped at half of it: renewal every second.
    with SandboxServer(admin=True, token_ttl=3) as sandbox:
        fleet = fleet_factory(sandbox, redis_server.url, 8, threads=4, until_stop=True, interval=0.02)
        started = time.monotonic()
        fleet.go()
        # A condition, not a sleep: on a loaded machine the 8 processes may take seconds to make their first calls
        # (a fixed 3.5 s once ended with 1 login and 303 calls). Two renewals, then stop.
        _wait_for(sandbox, lambda stats: stats.logins >= 3)
        fleet.stop()
        periods = math.ceil(time.monotonic() - started)  # renewal periods (1 s) at most, start-up included
        reports = fleet.reports()
        stats = sandbox.stats()
    assert totals(reports)["failed"] == 0
    assert stats.not_authorized == 0
    # One login per renewal period for the fleet: the first, then one per period at most. 8 processes renewing each
    # on its own would log in 8 times in the first renewal. Time only loosens this bound, it never fails it.
    assert stats.logins <= 2 + periods, (stats, periods)
    assert totals(reports)["logins"] == stats.logins


@pytest.mark.parametrize("mode", MODES)
def test_max_active_tokens_1_no_eviction_with_a_shared_store(
    redis_server: RedisServer, fleet_factory: Any, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    with SandboxServer(admin=True, max_active_tokens=1) as sandbox:
        fleet = fleet_factory(sandbox, redis_server.url, 8, threads=8, calls=5, mode=mode)
        fleet.go()
        shared = totals(fleet.reports())
        stats = sandbox.stats()
        assert shared == {"ok": 8 * 8 * 5, "failed": 0, "logins": 1}
        assert (stats.logins, stats.not_authorized) == (1, 0)
        if mode == "async":
            return  # the storm without a store is shown once, with threads
        sandbox.reset()
        alone = fleet_factory(sandbox, None, 8, threads=8, calls=5, mode=mode, max_retries=0)
        alone.go()
        storm = totals(alone.reports())
        stats = sandbox.stats()
    _show(
        capsys,
        f"max_active_tokens=1, 8x8 {mode}: shared store 1 login, 0 NOT_AUTHORIZED; without a store "
        f"{stats.logins} logins, {stats.not_authorized} NOT_AUTHORIZED, {storm['failed']} failed calls",
    )


def _wait_for(sandbox: SandboxServer, condition: Any, timeout: float = 90.0) -> None:
    """Poll the sandbox's counters until `condition(stats)` holds (fails after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition(stats := sandbox.stats()):
        assert time.monotonic() < deadline, f"condition not reached in {timeout} s: {stats}"
        time.sleep(0.05)


@pytest.mark.parametrize("mode", MODES)
def test_revocation_mid_run_one_login_for_the_fleet(
    redis_server: RedisServer, sandbox: SandboxServer, fleet_factory: Any, mode: str
) -> None:
    fleet = fleet_factory(sandbox, redis_server.url, 8, threads=4, until_stop=True, interval=0.02, mode=mode)
    fleet.go()
    # Conditions, not sleeps: on a loaded machine the workers may take seconds to make their first calls.
    _wait_for(sandbox, lambda stats: stats.logins == 1 and stats.requests.get("listLicenses", 0) >= 8 * 4)
    sandbox.reset_stats()  # first: the fleet's re-login may follow the revocation within milliseconds
    sandbox.revoke_tokens()
    _wait_for(sandbox, lambda stats: stats.not_authorized >= 1 and stats.requests.get("listLicenses", 0) >= 8 * 4 * 3)
    fleet.stop()
    reports = fleet.reports()
    stats = sandbox.stats()
    assert stats.logins == 1
    assert stats.not_authorized >= 1
    assert totals(reports)["failed"] == 0
    assert totals(reports)["logins"] == 2


def test_redis_killed_and_restarted_mid_run(redis_server: RedisServer, fleet_factory: Any) -> None:
    with SandboxServer(admin=True, token_ttl=3) as sandbox:  # renewals every second: some fall in the outage
        fleet = fleet_factory(sandbox, redis_server.url, 8, threads=4, until_stop=True, interval=0.02)
        fleet.go()
        time.sleep(1.0)
        redis_server.kill()
        time.sleep(2.5)
        redis_server.start()
        time.sleep(2.5)
        fleet.stop()
        reports = fleet.reports()
    assert totals(reports)["failed"] == 0, [r["failures"] for r in reports]
    for report in reports:  # at most one WARNING per outage per process, and no secret in them
        unavailable = [w for w in report["warnings"] if "unavailable" in w]
        assert len(unavailable) <= 1, report["warnings"]
    assert any(any("unavailable" in w for w in r["warnings"]) for r in reports)


def test_a_lock_holder_killed_with_sigkill(
    redis_server: RedisServer, sandbox: SandboxServer, fleet_factory: Any
) -> None:
    sandbox.inject_fault("login", latency=8.0, count=1)  # the first login hangs while holding the fleet's lock
    holder = fleet_factory(sandbox, redis_server.url, 1, threads=1, calls=1, lock_ttl=4.0)
    holder.go()
    raw = redis_server.client()
    deadline = time.monotonic() + 30
    while not raw.keys("partner_api:*:lock") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert raw.keys("partner_api:*:lock"), "the first worker never took the login lock"
    # The lock is taken just before the login is sent: kill only once the sandbox holds that login, or the
    # 8 s latency would fall on the next holder's login, past its 4 s lock (a second login, by design).
    while sandbox.stats().faults_served < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sandbox.stats().faults_served == 1, "the first worker's login never reached the sandbox"
    holder.kill(0)
    fleet = fleet_factory(sandbox, redis_server.url, 4, threads=4, calls=3, lock_ttl=4.0)
    fleet.go()
    reports = fleet.reports()
    assert totals(reports) == {"ok": 4 * 4 * 3, "failed": 0, "logins": 1}  # one of the waiters, once the lock expired
    assert raw.keys("partner_api:*:lock") == []


def _requests_while_paused(sandbox: SandboxServer, fleet_factory: Any, store_url: str | None) -> tuple[int, int]:
    """Requests the fleet sent during the second after one worker got a 429 with Retry-After: 3."""
    fleet = fleet_factory(sandbox, store_url, 4, threads=2, until_stop=True, interval=0.02)
    fleet.go()
    time.sleep(1.0)
    sandbox.inject_fault("listLicenses", status=429, retry_after=3, count=1)
    deadline = time.monotonic() + 30
    while sandbox.stats().faults.get("listLicenses", 0) == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.5)  # the other processes' watchers see the pause within one poll
    before = sandbox.stats().requests.get("listLicenses", 0)
    time.sleep(1.0)
    during = sandbox.stats().requests.get("listLicenses", 0) - before
    fleet.stop()
    reports = fleet.reports()
    assert totals(reports)["failed"] == 0
    return during, sandbox.stats().faults.get("listLicenses", 0)


def test_a_429_pauses_every_process_sharing_the_store(
    redis_server: RedisServer, sandbox: SandboxServer, fleet_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    shared, _ = _requests_while_paused(sandbox, fleet_factory, redis_server.url)
    sandbox.reset()
    alone, _ = _requests_while_paused(sandbox, fleet_factory, None)
    _show(capsys, f"requests in the second after a 429 (Retry-After 3): shared store {shared}, without {alone}")
    assert alone > 20
    assert shared * 10 < alone  # the others waited: at most a poll's worth of requests slipped through


def test_rate_limited_answers_with_and_without_a_store(
    redis_server: RedisServer, fleet_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each thread calls every 20 ms (800 calls/s offered against 40). Another process learns of a pause within the
    store's 0.2 s poll, so a thread calling in a tight loop can still send its requests into that gap: with no
    pause between calls the two counts come close (25-31 against 32), and the difference then measures the
    client's speed more than the shared pause."""
    counts = {}
    for label, url in (("shared store", redis_server.url), ("without", None)):
        with SandboxServer(admin=True, rate_limit=40) as sandbox:
            fleet = fleet_factory(sandbox, url, 4, threads=4, until_stop=True, interval=0.05, max_retries=5)
            fleet.go()
            time.sleep(2.0)
            fleet.stop()
            reports = fleet.reports()
            counts[label] = (sandbox.stats().rate_limited, totals(reports)["ok"], totals(reports)["failed"])
    _show(capsys, f"429s / ok calls / failed calls at 40 rps, 4x4 threads calling every 20 ms for 2 s: {counts}")
    assert counts["shared store"][0] < counts["without"][0]


def test_hosts_with_clocks_two_hours_apart_share_one_token(
    redis_server: RedisServer, sandbox: SandboxServer, fleet_factory: Any
) -> None:
    ahead = fleet_factory(sandbox, redis_server.url, 2, threads=2, calls=5, clock_shift=7200)
    behind = fleet_factory(sandbox, redis_server.url, 2, threads=2, calls=5, clock_shift=-7200)
    ahead.go()
    behind.go()
    reports = ahead.reports() + behind.reports()
    assert totals(reports) == {"ok": 4 * 2 * 5, "failed": 0, "logins": 1}
    assert sandbox.stats().not_authorized == 0


def test_two_projects_fleets_in_one_redis(redis_server: RedisServer, fleet_factory: Any) -> None:
    with SandboxServer(admin=True, project_id="alpha") as alpha, SandboxServer(admin=True, project_id="beta") as beta:
        fleets = [fleet_factory(sandbox, redis_server.url, 3, threads=4, calls=5) for sandbox in (alpha, beta)]
        for fleet in fleets:
            fleet.go()
        for fleet in fleets:
            assert totals(fleet.reports()) == {"ok": 3 * 4 * 5, "failed": 0, "logins": 1}
        for sandbox in (alpha, beta):
            assert (sandbox.stats().logins, sandbox.stats().not_authorized) == (1, 0)


@pytest.mark.parametrize("mode", MODES)
def test_fleet_rate_limit_keeps_the_fleet_under_the_server_limit(
    redis_server: RedisServer, fleet_factory: Any, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    with SandboxServer(admin=True, rate_limit=30) as sandbox:
        fleet = fleet_factory(
            sandbox, redis_server.url, 4, threads=4, until_stop=True, fleet_rate_limit=15, max_retries=0, mode=mode
        )
        fleet.go()
        time.sleep(2.0)
        fleet.stop()
        reports = fleet.reports()
        stats = sandbox.stats()
    _show(capsys, f"fleet_rate_limit=15 ({mode}), 4x4 for 2 s: {stats.total_requests} requests, "
                  f"{stats.rate_limited} answered 429")  # fmt: skip
    assert stats.rate_limited == 0
    assert totals(reports)["failed"] == 0
    assert 10 <= totals(reports)["ok"] <= 15 * 4 + 15  # about 2 s of 15/s, whatever the 16 callers want
