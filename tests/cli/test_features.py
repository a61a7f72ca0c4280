"""What operators expected and now find: whoami, -v/--debug, dates for time options, exports of a user's (or every
user's) sessions, devices and purchases, fish completion and profile names, and PartnerClient.from_profile."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from partner_api.sandbox import SandboxServer

from ._support import cli_env, run, write_config


def test_whoami_checks_the_credentials_with_one_login_at_most(partner_sandbox: SandboxServer, home: Path) -> None:
    env = cli_env(home, partner_sandbox)
    first = run(["whoami"], env)
    assert first.returncode == 0, first.stderr
    answer = json.loads(first.stdout)
    assert answer["project_id"] == partner_sandbox.project_id
    assert answer["base_url"] == partner_sandbox.base_url
    assert answer["credentials"] == "valid" and answer["logins"] == 1
    assert answer["token_store"].startswith("file ") and "partner-api" in answer["token_store"]
    assert answer["token_renewed_at"] > time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    assert partner_sandbox.private_key not in first.stdout + first.stderr
    second = json.loads(run(["whoami"], env).stdout)  # the token cache: no login
    assert (second["logins"], second["token_from"]) == (0, "the token store")
    assert partner_sandbox.stats().logins == 1
    wrong = run(["whoami"], cli_env(home, partner_sandbox, PARTNER_API_PRIVATE_KEY="not-the-key-0000"))
    assert wrong.returncode == 4
    assert "NOT_AUTHORIZED" in wrong.stderr


def test_verbose_and_debug_log_requests_logins_and_retries_without_secrets(
    partner_sandbox: SandboxServer, home: Path
) -> None:
    (user_id,) = partner_sandbox.seed_users(1)
    partner_sandbox.inject_fault("getUser", status=503, count=1)  # one retry
    env = cli_env(home, partner_sandbox)
    quiet = run(["get-user", "--user-id", str(user_id)], env)
    assert quiet.returncode == 0 and quiet.stderr == ""
    partner_sandbox.revoke_tokens()
    partner_sandbox.inject_fault("getUser", status=503, count=1)
    verbose = run(["-v", "get-user", "--user-id", str(user_id)], env)
    assert verbose.returncode == 0, verbose.stderr
    log = verbose.stderr
    assert "partner-api: login #1: token valid for" in log
    assert "retry 1/2 of getUser" in log
    assert "getUser -> OK (HTTP 200) after 3 attempts" in log  # 503, then NOT_AUTHORIZED and the login, then OK
    assert f'HTTP Request: POST {partner_sandbox.base_url}/partner/v2/getUser "HTTP/1.1 503' in log
    partner_sandbox.inject_fault("getUser", status=503, count=1)
    debug = run(["get-user", "--user-id", str(user_id), "--debug"], env)
    assert debug.returncode == 0
    assert "getUser attempt 2 -> HTTP 200" in debug.stderr  # each attempt: --debug
    assert "connect_tcp" in debug.stderr or "send_request_headers" in debug.stderr  # the HTTP library's own log
    for text in (log, debug.stderr):
        assert partner_sandbox.private_key not in text
        assert "Bearer ey" not in text and "access_token=" not in text


def test_time_options_take_dates(partner_sandbox: SandboxServer, home: Path) -> None:
    """`--start-time 2026-11-01` (UTC), `-7d`, `now`, or unix seconds: each sent as unix seconds."""
    (user_id,) = partner_sandbox.seed_users(1)
    env = cli_env(home, partner_sandbox)
    dated = run(["get-traffic-report", "--start-time", "2020-01-01", "--end-time", "now", "--group-by", "day"], env)
    epoch = run(["get-traffic-report", "--start-time", "1577836800", "--end-time", str(int(time.time()) + 5),
                 "--group-by", "day"], env)  # fmt: skip
    assert dated.returncode == epoch.returncode == 0, dated.stderr
    assert json.loads(dated.stdout) == json.loads(epoch.stdout)
    recent = run(["list-user-sessions", "--user-id", str(user_id), "--start-time", "-7d"], env)
    assert recent.returncode == 0, recent.stderr
    week_ago = time.time() - 7 * 86400
    assert all(session["end_time"] == 0 or session["end_time"] >= week_ago - 5 for session in json.loads(recent.stdout))


def test_export_sessions_devices_purchases_of_one_user_or_all(partner_sandbox: SandboxServer, home: Path) -> None:
    ids = partner_sandbox.seed_users(6)
    env = cli_env(home, partner_sandbox)
    with partner_sandbox.client() as client:
        expected = {
            user_id: {
                "sessions": [s.to_dict() for s in client.list_user_sessions(user_id=user_id).sessions],
                "devices": [d.to_dict() for d in client.list_user_devices(user_id=user_id).devices],
                "purchases": [p.to_dict() for p in client.list_user_purchases(user_id=user_id).purchases],
            }
            for user_id in ids
        }
        names = {user.id: user.username for user in client.iter_users()}
    for items in ("sessions", "devices", "purchases"):
        one = run(["export", items, "--user-id", str(ids[0])], env)
        assert one.returncode == 0, one.stderr
        assert [json.loads(line) for line in one.stdout.splitlines()] == expected[ids[0]][items]
        every = run(["export", items, "--format", "csv"], env)
        assert every.returncode == 0, every.stderr
        lines = every.stdout.splitlines()
        assert lines[0].startswith("username,")
        by_user = [line.split(",")[0] for line in lines[1:]]
        assert by_user == [names[user_id] for user_id in ids for _item in expected[user_id][items]]


def test_fish_completion_and_profile_names(home: Path) -> None:
    write_config(home, "[profiles.prod]\n[profiles.staging]\n[profiles.sandbox]\n")
    fish = run(["completion", "fish"], cli_env(home))
    assert fish.returncode == 0
    assert "complete --no-files --command partner-api" in fish.stdout
    env = cli_env(home, _PARTNER_API_COMPLETE="fish_complete", COMP_WORDS="partner-api get-user --profile s",
                  COMP_CWORD="s")  # fmt: skip
    offered = run([], env).stdout.splitlines()
    assert sorted(offered) == ["plain,sandbox", "plain,staging"]
    env = cli_env(home, _PARTNER_API_COMPLETE="bash_complete", COMP_WORDS="partner-api --profile ", COMP_CWORD="2")
    assert {"plain,prod", "plain,staging", "plain,sandbox"} <= set(run([], env).stdout.split())
    env = cli_env(home, _PARTNER_API_COMPLETE="fish_complete", COMP_WORDS="partner-api who", COMP_CWORD="who")
    assert "plain,whoami" in run([], env).stdout


def test_from_profile_reads_the_same_config(partner_sandbox: SandboxServer, home: Path) -> None:
    """`PartnerClient.from_profile("sandbox")` in Python, from the file `--profile sandbox` reads (its timeout too:
    seen on the request that a server which never answers leaves waiting)."""
    (user_id,) = partner_sandbox.seed_users(1)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        profiles = (
            f'[profiles.sandbox]\nbase_url = "{partner_sandbox.base_url}"\nproject_id = '
            f'"{partner_sandbox.project_id}"\nprivate_key_env = "SANDBOX_KEY"\n'
            f'[profiles.silent]\nbase_url = "http://127.0.0.1:{silent.getsockname()[1]}"\nproject_id = "p"\n'
            'private_key_env = "SANDBOX_KEY"\ntimeout = 0.5\n'
        )
        write_config(home, profiles)
        program = (
            "from partner_api import APIConnectionError, PartnerClient\n"
            "with PartnerClient.from_profile('sandbox') as client:\n"
            f"    print(client.get_user(user_id={user_id}).user.id)\n"
            "try:\n    PartnerClient.from_profile('prod')\nexcept ValueError as error:\n    print(error)\n"
            "with PartnerClient.from_profile('silent', max_retries=0) as client:\n"
            "    try:\n        client.list_licenses()\n    except APIConnectionError as error:\n"
            "        print(error.__cause__.request.extensions['timeout']['read'])\n"
        )
        env = cli_env(home, SANDBOX_KEY=partner_sandbox.private_key)
        result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60,
                                check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    first, second, third = result.stdout.splitlines()
    assert first == str(user_id)
    assert second.startswith("no [profiles.prod] in ") and second.endswith("(known: sandbox, silent)")
    assert third == "0.5"
    assert run(["get-user", "--user-id", str(user_id), "--profile", "sandbox"], env).returncode == 0
