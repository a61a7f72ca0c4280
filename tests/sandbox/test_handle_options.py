"""`SandboxServer(...)` and `SandboxProcess(...)` take `SandboxConfig`'s fields as keywords, typed, from one list."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxConfig, SandboxProcess, SandboxServer
from partner_api.sandbox._config import SandboxOptions

from tests.release._support import mypy_cache_args

ROOT = Path(__file__).resolve().parents[2]
HANDLES = (SandboxServer, SandboxProcess)


def test_the_options_are_the_config_fields() -> None:
    assert set(SandboxOptions.__optional_keys__) == {field.name for field in dataclasses.fields(SandboxConfig)}
    assert not SandboxOptions.__required_keys__


@pytest.mark.parametrize("handle", HANDLES, ids=lambda handle: handle.__name__)
def test_keywords_make_the_settings_without_starting(handle: type[SandboxServer | SandboxProcess]) -> None:
    fault = {"operation": "getUser", "status": 503}
    sandbox = handle(token_ttl=5, seed=3, admin=True, project_id="p", faults=[fault], max_active_tokens=2)
    assert sandbox.settings == SandboxConfig(
        project_id="p", private_key=sandbox.private_key, token_ttl=5, seed=3, admin=True, faults=(fault,),
        max_active_tokens=2,
    )  # fmt: skip
    assert sandbox.base_url == ""
    assert handle(private_key="given").private_key == "given"
    first, second = handle().private_key, handle(private_key=None).private_key
    assert len(first) >= 32 and first != second != SandboxConfig().private_key  # random unless given
    with pytest.raises(TypeError, match="bogus"):
        handle(bogus=1)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="seed must be >= 0"):
        handle(seed=-1)


def test_the_readme_call_forms_type_check_and_wrong_ones_do_not(tmp_path: Path) -> None:
    program = tmp_path / "handles.py"
    program.write_text(
        textwrap.dedent("""
            from partner_api.sandbox import SandboxProcess, SandboxServer

            for handle in (SandboxServer, SandboxProcess):
                handle(token_ttl=5, seed=3, admin=True, faults=[{"operation": "login", "drop": True}])
            SandboxServer(access_log=True, db="sandbox.db", rate_limit=None, port=0)
            SandboxProcess(log_level="info", clock_offset=-3600, login_rate_limit=2.5)
            SandboxServer(token_ttl="5")
            SandboxProcess(seed=None)
            SandboxServer(bogus=1)
            SandboxProcess(access_log=True)
        """)
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *mypy_cache_args(tmp_path), "--config-file", ROOT / "pyproject.toml",
         program],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    errors = [line.split(": error: ")[0] for line in result.stdout.splitlines() if ": error: " in line]
    assert [Path(where.rsplit(":", 1)[0]).name + ":" + where.rsplit(":", 1)[1] for where in errors] == [
        "handles.py:8",
        "handles.py:9",
        "handles.py:10",
        "handles.py:11",
    ], result.stdout
