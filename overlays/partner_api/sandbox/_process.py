"""`SandboxProcess`: the sandbox as a child process (`python -m partner_api.sandbox`), for benchmarks.

Same settings (`SandboxConfig`'s fields as keywords) and helpers as `SandboxServer`; the private key goes to the
child through the environment (never on its command line), and the child's base URL is read from its ready line.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from typing import IO, TYPE_CHECKING

from ._config import PRIVATE_KEY_ENV, SandboxConfig, SandboxOptions
from ._control import SandboxControl
from ._serving import READY_PREFIX

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11


class SandboxProcess(SandboxControl):
    """A sandbox in a child process::

    with SandboxProcess(admin=True) as sb:
        run_benchmark(sb.base_url, sb.project_id, sb.private_key)
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        python: str = sys.executable,
        startup_timeout: float = 20.0,
        **options: Unpack[SandboxOptions],
    ) -> None:
        self.settings = SandboxConfig.of_options(options)
        self.startup_timeout = startup_timeout
        self.argv = [python, "-m", "partner_api.sandbox", "--host", host, "--port", str(port), "--log-level", log_level]
        self.argv += _config_arguments(self.settings)
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []
        """Lines the child printed on stdout."""

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def start(self) -> SandboxProcess:
        """Spawn the child and return once it prints its ready line."""
        if self.process is not None and self.process.poll() is None:
            raise RuntimeError("the sandbox process is already running")
        env = {**os.environ, PRIVATE_KEY_ENV: self.private_key, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            self.argv, stdout=subprocess.PIPE, text=True, env=env
        )
        lines: queue.Queue[str | None] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._pump, args=(self.process.stdout, lines), daemon=True).start()
        while True:
            try:
                line = lines.get(timeout=self.startup_timeout)
            except queue.Empty:
                line = None
            if line is None:
                self.stop()
                raise RuntimeError(f"the sandbox process did not start; it printed: {self.output!r}")
            if line.startswith(READY_PREFIX):
                self.base_url = line[len(READY_PREFIX) :].split()[0]
                return self

    def _pump(self, stream: IO[str], lines: queue.Queue[str | None]) -> None:
        for line in stream:
            self.output.append(line.rstrip("\n"))
            lines.put(line)
        lines.put(None)

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM (graceful shutdown), then kill after `timeout`; returns the exit status."""
        self._close_admin_client()
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.base_url = ""
        return process.returncode


def _config_arguments(config: SandboxConfig) -> list[str]:
    """The command-line options that give the child `config`, except the private key (passed in the environment)."""
    argv = ["--project-id", config.project_id, "--token-ttl", str(config.token_ttl)]
    argv += ["--clock-offset", str(config.clock_offset), "--seed", str(config.seed)]
    if config.rate_limit is not None:
        argv += ["--rate-limit", str(config.rate_limit)]
    if config.max_active_tokens is not None:
        argv += ["--max-active-tokens", str(config.max_active_tokens)]
    if config.login_rate_limit is not None:
        argv += ["--login-rate-limit", str(config.login_rate_limit)]
    if config.db is not None:
        argv += ["--db", os.fspath(config.db)]
    if config.admin:
        argv.append("--admin")
    if config.drift is not None:
        argv += ["--drift", str(config.drift)]
    for fault in config.faults:
        argv += ["--fault", json.dumps(dict(fault))]
    return argv
