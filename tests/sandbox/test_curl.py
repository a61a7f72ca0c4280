"""The vendor's curl examples, run verbatim with the real curl binary against the sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from partner_api.sandbox import SandboxServer

from .conftest import Api

CURL = shutil.which("curl")
pytestmark = pytest.mark.skipif(CURL is None, reason="the curl binary is not installed")


def _sh(script: str, **env: str) -> str:
    no_proxy = {"NO_PROXY": "*", "no_proxy": "*"}
    result = subprocess.run(
        ["/bin/sh", "-c", script], capture_output=True, text=True, timeout=30, env={**os.environ, **no_proxy, **env}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_vendor_curl_examples(api: Api, partner_sandbox: SandboxServer) -> None:
    api.create_user("alice", extra={"country": "DE", "language": "de"})
    env = {"BASE": partner_sandbox.base_url, "PROJECT_ID": partner_sandbox.project_id}
    env["PRIVATE_KEY"] = partner_sandbox.private_key
    login = json.loads(_sh('curl -s -d "login=$PROJECT_ID&password=$PRIVATE_KEY" $BASE/partner/login', **env))
    assert login["result"] == "OK"
    assert login["expire_time"] > login["create_time"]
    token = login["access_token"]
    answer = _sh(
        "curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' "
        '-d \'{"username":"alice"}\' $BASE/partner/v2/getUser',
        TOKEN=token,
        **env,
    )
    user = json.loads(answer)["user"]
    assert (user["username"], user["extra"]["country"]) == ("alice", "DE")
    assert partner_sandbox.stats().requests == {"createUser": 1, "login": 2, "getUser": 1}


def test_curl_sees_the_documented_default_rule(partner_sandbox: SandboxServer, api: Api) -> None:
    env = {"BASE": partner_sandbox.base_url, "TOKEN": api.token}
    answer = _sh(
        "curl -s -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' "
        "-d '{\"user_id\":0}' $BASE/partner/v2/getUser",
        **env,
    )
    assert json.loads(answer)["result"] == "INVALID_PARAMETERS"
