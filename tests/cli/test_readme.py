"""Every shell example of the README's "Command line" section, run as the README spells it (bash, the real
`partner-api` on PATH, the sandbox it starts), on a free port instead of 8080."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

from ._support import EXECUTABLE, cli_env, free_port

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text()
    return text[text.index("## Command line\n") : text.index("\n## ", text.index("## Command line\n") + 1)]


def test_the_command_line_examples_run(home: Path, tmp_path: Path) -> None:
    setup, examples = re.findall(r"^```sh\n(.*?)^```", _section(), re.MULTILINE | re.DOTALL)
    port = free_port()
    script = ["set -euo pipefail -x", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for line in setup.replace("8080", str(port)).splitlines():
        script.append(line)
        if line.split("#")[0].rstrip().endswith("&"):  # the sandbox: wait until it listens
            script.append(
                f"for i in $(seq 1 150); do (: > /dev/tcp/127.0.0.1/{port}) 2>/dev/null && break; sleep 0.2; done"
            )
    script += examples.splitlines()
    env = cli_env(home, PATH=f"{EXECUTABLE.parent}{os.pathsep}{os.environ['PATH']}")
    process = subprocess.Popen(
        ["bash", "-c", "\n".join(script)], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=240)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 0, stderr[-3000:]
    assert '"username":"seed-user-0001"' in stdout  # the first example finds its user (defect 15)
    assert len((tmp_path / "users.csv").read_text().splitlines()) == 52  # the header, 50 seeded users and alice
    assert (tmp_path / "results.jsonl").read_text().count('"status":"done"') == 2
    assert "complete --no-files --command partner-api" in (tmp_path / "partner-api.fish").read_text()
    assert "bulk set-user-traffic-limit: 2 done" in stderr
