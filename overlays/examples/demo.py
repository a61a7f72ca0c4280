"""The Partner API client, end to end, against the embedded sandbox: what `make demo` runs.

Read it as a tour of the client. It starts a sandbox on a free loopback port (no credentials, no network),
then, with one `PartnerClient`:

 1. logs in (form login with the project id and private key; the token stays inside the client),
 2. creates users, gets one by username and one by id, updates one,
 3. pages through listUsers with `iter_users` (the client follows `next_cursor`),
 4. sets and reads a traffic limit,
 5. adds a purchase (the receipt is forwarded verbatim, zeros included) and lists purchases,
 6. reads the traffic report of the last week, by day,
 7. renews its short-lived token before it expires, and logs in again after the server revokes it,
 8. refuses `get_user(user_id=0)` with a clear `DefaultValueError` before sending anything,
 9. shares one token between processes: three `partner-api` commands (the command line, in child processes) and
    a second client, all on one `FileTokenStore`, cost one login in all,
then prints a summary, stops the sandbox and exits 0 (1 if something did not behave as described).

Run: `make demo`, or `python overlays/examples/demo.py` in the project's environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TypeVar

from partner_api import DefaultValueError, NotFoundError, PartnerClient
from partner_api.models import UserExtraInput
from partner_api.sandbox import SandboxServer
from partner_api.token_stores import FileTokenStore
from partner_api.types import Unset

TOKEN_TTL = 4
"""Seconds: a short token lifetime, so the demo sees a renewal."""
REFRESH_MARGIN = 2.0
"""Renew this long before expiry (the client caps the margin at half the lifetime)."""
GiB = 2**30
T = TypeVar("T")


class DemoError(Exception):
    """Something did not behave as the demo says it does."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoError(what)


def present(value: T | Unset) -> T:
    """An optional object of an answer (`user.extra`): absent means "not set"."""
    if isinstance(value, Unset):
        raise DemoError("alice was created with extra data, yet her answer has none")
    return value


def step(number: int, title: str) -> None:
    print(f"\n[{number}] {title}")


def tour(client: PartnerClient, sandbox: SandboxServer) -> dict[str, object]:
    """The steps above; returns the figures of the summary."""
    step(1, "Log in")
    client.login()
    print(f"    logged in as project {sandbox.project_id!r}: {client.login_count} login, token kept inside the client")

    step(2, "Create, get and update users")
    alice = client.create_user(
        username="alice", auth_method="email", extra=UserExtraInput(country="DE", language="de")
    ).user
    bob = client.create_user(username="bob").user
    carol = client.create_user(username="carol", license_id=2).user
    print(f"    created alice (id {alice.id}), bob (id {bob.id}), carol (id {carol.id}, license {carol.license_id})")
    by_name = client.get_user(username="alice").user
    by_id = client.get_user(user_id=bob.id).user
    expect(by_name.id == alice.id and by_id.username == "bob", "get_user by username and by id")
    print(f"    get_user(username='alice') -> id {by_name.id}, country {present(by_name.extra).country}")
    print(f"    get_user(user_id={bob.id}) -> {by_id.username!r}, auth method {by_id.auth_method!r} (server default)")
    updated = client.update_user(user_id=bob.id, enabled=False, license_id=3).user
    expect(updated.enabled is False and updated.license_id == 3, "update_user applies enabled=False")
    print(f"    update_user(user_id=bob.id, ...) -> enabled={updated.enabled}, license={updated.license_id}")

    step(3, "Page through listUsers")
    pages_before = sandbox.stats().requests.get("listUsers", 0)
    usernames = [str(user.username) for user in client.iter_users(limit=3)]
    pages = sandbox.stats().requests.get("listUsers", 0) - pages_before
    expect(usernames[-3:] == ["alice", "bob", "carol"], "iter_users returns every user in id order")
    print(f"    iter_users(limit=3): {len(usernames)} users in {pages} pages: {', '.join(usernames)}")

    step(4, "Traffic limit")
    client.set_user_traffic_limit(user_id=alice.id, traffic_limit=10 * GiB)
    traffic = client.get_user_traffic(username="alice").traffic
    expect(traffic.traffic_limit == 10 * GiB and not traffic.unlimited, "the traffic limit is set")
    print(f"    limit {traffic.traffic_limit / GiB:.0f} GiB, used {traffic.traffic_used} B,")
    print(f"    remaining {traffic.traffic_remaining / GiB:.0f} GiB, unlimited={traffic.unlimited}")

    step(5, "Purchases")
    receipt = {"orderId": "GPA.3345-1234", "priceAmountMicros": 0, "acknowledged": False}
    purchase = client.add_user_purchase(user_id=alice.id, type="google", receipt=receipt).purchase
    purchases = client.list_user_purchases(user_id=alice.id).purchases
    expect([p.id for p in purchases] == [purchase.id], "the purchase is listed")
    expect(sandbox.receipt(purchase.id) == receipt, "the receipt reached the server verbatim")
    print(f"    add_user_purchase(type='google') -> purchase {purchase.id}, active={purchase.active}")
    print(f"    the server stored the receipt exactly as sent (zero and false included): {receipt}")

    step(6, "Traffic report of the last 7 days, by day")
    now = int(time.time())
    rows = client.get_traffic_report(start_time=now - 7 * 86400, end_time=now + 60, group_by="day").rows
    expect(bool(rows), "the seeded sessions show in the report")
    for row in rows:
        gib_in, gib_out = row.bytes_in / GiB, row.bytes_out / GiB
        print(f"    {row.date}  in {gib_in:6.2f} GiB  out {gib_out:5.2f} GiB  users {row.active_users}")

    step(7, f"Token renewal (lifetime {TOKEN_TTL} s, refresh margin {REFRESH_MARGIN:.0f} s)")
    logins_before = client.login_count
    time.sleep(TOKEN_TTL - REFRESH_MARGIN + 0.5)
    client.list_licenses()
    expect(client.login_count == logins_before + 1, "the client renewed its token before it expired")
    expect(sandbox.stats().not_authorized == 0, "no request was sent with an expired token")
    print(f"    after {TOKEN_TTL - REFRESH_MARGIN + 0.5:.1f} s the client logged in again before expiry:")
    print(f"    {client.login_count} logins, 0 requests rejected")
    sandbox.revoke_tokens()
    client.get_user(user_id=alice.id)
    expect(client.login_count == logins_before + 2, "the client logged in again after the revocation")
    print("    the server revoked every token: the next call was rejected once, the client logged in and")
    print(f"    replayed it ({client.login_count} logins, {sandbox.stats().not_authorized} request rejected)")

    step(8, "A default value the API would ignore")
    sent_before = sandbox.stats().total_requests
    try:
        client.get_user(user_id=0)
    except DefaultValueError as error:
        print(f"    get_user(user_id=0) -> DefaultValueError: {error}")
    else:
        raise DemoError("get_user(user_id=0) should raise DefaultValueError")
    expect(sandbox.stats().total_requests == sent_before, "nothing was sent for get_user(user_id=0)")
    try:
        client.get_user(username="nobody")
    except NotFoundError as error:
        print(f"    get_user(username='nobody') -> NotFoundError: result {error.result}, HTTP {error.status_code}")

    stats = sandbox.stats()
    shared = share_a_token(sandbox)
    return {
        "users listed": len(usernames),
        "listUsers pages": pages,
        "traffic report days": len(rows),
        "logins (client / server)": f"{client.login_count} / {stats.logins}",
        "requests rejected (NOT_AUTHORIZED)": stats.not_authorized,
        "requests served": stats.total_requests,
        "step 9: commands + clients / logins": shared,
    }


def share_a_token(sandbox: SandboxServer) -> str:
    """Step 9: the `partner-api` command line and a `FileTokenStore` shared by processes."""
    step(9, "One token for several processes: the command line and a FileTokenStore")
    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder, "tokens")
        env = {
            **os.environ,
            "PARTNER_API_BASE_URL": sandbox.base_url,
            "PARTNER_API_PROJECT_ID": sandbox.project_id,
            "PARTNER_API_PRIVATE_KEY": sandbox.private_key,  # the key goes in the environment, never on a command line
            "PARTNER_API_TOKEN_STORE": store_path.as_uri(),
        }
        executable = str(Path(sys.executable).with_name("partner-api"))
        # New tokens live an hour: no renewal between the commands, however slow the machine.
        sandbox.set_token_ttl(3600)
        logins_before = sandbox.stats().logins
        commands = (["get-user", "--username", "alice"], ["list-licenses"], ["get-user-traffic", "--username", "alice"])
        for arguments in commands:
            command = [executable, *arguments]  # fixed arguments, no shell
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
            expect(done.returncode == 0, f"partner-api {' '.join(arguments)}: {done.stderr.strip()}")
            print(f"    $ partner-api {' '.join(arguments)}")
            print(f"      {done.stdout.strip()[:96]}")
        logins_cli = sandbox.stats().logins - logins_before
        with PartnerClient(
            sandbox.base_url, sandbox.project_id, sandbox.private_key, token_store=FileTokenStore(store_path)
        ) as other:
            other.get_user(username="alice")
            expect(other.login_count == 0, "a client on the same FileTokenStore reuses the stored token")
        logins = sandbox.stats().logins - logins_before
        expect(logins_cli == 1 and logins == 1, f"one login for three commands and a client ({logins} logins)")
        print(f"    {len(commands)} commands (each its own process) and one more PartnerClient on the same")
        print(f"    FileTokenStore ({store_path.name}, encrypted, mode 0600): {logins} login for all of them")
    return f"{len(commands)} + 1 / {logins}"


def main() -> int:
    with SandboxServer(token_ttl=TOKEN_TTL, seed=5, admin=True) as sandbox:
        print(
            f"Sandbox on {sandbox.base_url}: project {sandbox.project_id!r}, 5 seeded users, tokens live {TOKEN_TTL} s"
        )
        try:
            with sandbox.client(refresh_margin=REFRESH_MARGIN) as client:
                summary = tour(client, sandbox)
        except DemoError as error:
            print(f"\nDEMO FAILED: {error}", file=sys.stderr)
            return 1
    print("\nSummary")
    for name, value in summary.items():
        print(f"    {name:<36} {value}")
    print("Sandbox stopped. All steps behaved as described.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
