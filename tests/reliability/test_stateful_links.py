"""`st run`'s stateful phase as the docs spell it: the spec's `x-links` reach schemathesis through the hook
(tests/support/schemathesis_hooks.py, `SCHEMATHESIS_HOOKS`) and the sandbox answers every chained call cleanly.

Bounded and reproducible (`--seed`, `-n`); the run's cache (`.schemathesis/`) goes to a temporary directory.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from partner_api.sandbox import SandboxServer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "partner-api.yaml"
HOOKS = ROOT / "tests" / "support" / "schemathesis_hooks.py"
ST = Path(sys.executable).parent / "st"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXPLICIT_LINKS = 14  # the spec's x-links: createUser -> 11 operations, addUserPurchase -> 2, listUserDevices -> 1


def test_st_run_follows_the_spec_links_through_the_hook(tmp_path: Path) -> None:
    with SandboxServer(seed=5, admin=True) as sandbox:
        form = {"login": sandbox.project_id, "password": sandbox.private_key}
        token = httpx.post(sandbox.base_url + "/partner/login", data=form, trust_env=False).json()["access_token"]
        result = subprocess.run(
            [ST, "run", SPEC, "--url", sandbox.base_url, "-H", f"Authorization: Bearer {token}",
             "--phases", "stateful", "--checks", CHECKS, "--seed", "1", "-n", "10", "--no-color"],
            env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)}, cwd=tmp_path, capture_output=True, text=True,
            timeout=240,
        )  # fmt: skip
        stats = sandbox.stats()
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    links = re.search(r"API Links:\s+(\d+) covered / (\d+) selected / (\d+) total \((\d+) inferred\)", output)
    assert links, output
    covered, selected, total, inferred = map(int, links.groups())
    assert total - inferred == EXPLICIT_LINKS, output  # every x-link loaded, none refused
    assert selected == total and covered > 0, output
    assert stats.requests["createUser"] > 0 and stats.faults == {}
    assert sum(stats.requests.values()) >= 18  # chains of calls ran, not just the links' count
