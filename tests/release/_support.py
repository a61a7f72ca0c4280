"""Helpers of the release tests: `make` in a clean environment and its own process
group, pypiserver, and the processes a run left behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MAKE = shutil.which("make") or "make"
# Every process a test starts inherits this variable; a test that sets it to a fresh value can then find whatever
# its run left behind, in any session or process group (`leftovers`). .ci/run sets it for the whole `make test`.
RUN_TOKEN = "PARTNER_API_RUN_TOKEN"
GRACE = 60.0  # seconds a process group gets between SIGTERM and SIGKILL

# pytest's own variables of the enclosing run: the pytest that a `make` we start runs is a run of its own.
_PYTEST_VARIABLES = ("PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without make's recursion variables, the release settings (INDEX_URL, TWINE_*, ...)
    and pytest's own variables, plus `extra` (the only release settings the started process sees)."""
    # Imported here: .ci/run runs this file as a script (`leftovers`), where the project root is not on sys.path.
    from release.environment import without_release_settings

    env = without_release_settings(os.environ)
    for name in _PYTEST_VARIABLES:
        env.pop(name, None)
    env.update(extra)
    return env


@contextmanager
def process_group(
    argv: Sequence[str | os.PathLike[str]],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    umask: int | None = None,
    **popen: object,
) -> Iterator[subprocess.Popen[Any]]:
    """Start `argv` as the leader of a new session (its own process group) with `clean_env()` (or `env`); on leaving,
    end every process still in that group: SIGTERM, then SIGKILL after GRACE seconds."""
    process: subprocess.Popen[Any] = subprocess.Popen(  # type: ignore[call-overload]
        [os.fspath(arg) for arg in argv],
        cwd=cwd, env=dict(env) if env is not None else clean_env(), text=True, start_new_session=True,
        preexec_fn=None if umask is None else lambda: os.umask(umask), **popen,
    )  # fmt: skip
    try:
        yield process
    finally:
        end_group(process)


def end_group(process: subprocess.Popen[Any], grace: float = GRACE) -> None:
    """End the process group that `process` leads (nothing to do when it is empty), then reap `process`."""
    stop_group(process, grace)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()
    process.wait(timeout=grace)


def stop_group(process: subprocess.Popen[Any], grace: float = GRACE) -> None:
    """SIGTERM to every process of the group that `process` leads, then SIGKILL to those left after `grace` s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not group_alive(process):
            return
        os.killpg(process.pid, sig)
        deadline = time.monotonic() + grace
        while group_alive(process) and time.monotonic() < deadline:
            time.sleep(0.1)


def group_alive(process: subprocess.Popen[Any]) -> bool:
    """Whether any process of the group that `process` leads still runs (the leader is reaped when it ended)."""
    process.poll()
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return bool(group_members(process.pid))


def group_members(pgid: int) -> list[int]:
    """Processes of process group `pgid` that have not ended (zombies count as ended)."""
    return [pid for pid, stat in _stats() if stat[2] == str(pgid) and stat[0] != "Z"]


def session_members(sid: int) -> list[int]:
    """Processes of session `sid` that have not ended (zombies count as ended)."""
    return [pid for pid, stat in _stats() if stat[3] == str(sid) and stat[0] != "Z"]


def _stats() -> Iterator[tuple[int, list[str]]]:
    """(pid, [state, ppid, pgrp, session, ...]) of every process, from /proc/PID/stat."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            yield int(entry.name), text[text.rindex(")") + 2 :].split()


def leftovers(token: str) -> list[str]:
    """'PID COMMAND LINE' of every running process (this one aside) whose environment holds RUN_TOKEN=token."""
    needle = f"{RUN_TOKEN}={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        found.append(f"{entry.name} {command}")
    return found


def run(
    argv: Sequence[str | os.PathLike[str]],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    timeout: float = 300,
    umask: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `argv` in its own process group (see `process_group`) and return the finished process, stdout and stderr
    captured; on a timeout (or any exception, a pytest-timeout included) the whole group is ended first."""
    with process_group(argv, env=env, cwd=cwd, umask=umask, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_group(proc)
            stdout, stderr = proc.communicate(timeout=GRACE)
            raise subprocess.TimeoutExpired(proc.args, timeout, stdout, stderr) from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


@contextmanager
def started(
    argv: Sequence[str | os.PathLike[str]], *, output: Path, env: Mapping[str, str] | None = None, cwd: Path = ROOT
) -> Iterator[Callable[[float], subprocess.CompletedProcess[str]]]:
    """`run`, in the background: start `argv` in its own process group (stdout and stderr into files under `output`)
    and go on. The function yielded waits for it and returns what `run` returns; leaving the block ends the group."""
    output.mkdir(parents=True, exist_ok=True)
    stdout, stderr = output / "stdout", output / "stderr"
    with (
        stdout.open("w") as out,
        stderr.open("w") as err,
        process_group(argv, env=env, cwd=cwd, stdout=out, stderr=err) as process,
    ):

        def finished(timeout: float) -> subprocess.CompletedProcess[str]:
            process.wait(timeout=timeout)
            return subprocess.CompletedProcess(process.args, process.returncode, stdout.read_text(), stderr.read_text())

        yield finished


def make_command(*args: str) -> list[str]:
    """The argv of `make ARGS` as `make` runs it."""
    return [MAKE, "--no-print-directory", *args]


def make(
    *args: str,
    extra_env: Mapping[str, str] | None = None,
    cwd: Path = ROOT,
    timeout: float = 300,
    umask: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `make ARGS` in `cwd`, in its own process group, with `clean_env()` plus `extra_env` (the only release
    settings it sees), and return the finished process (stdout and stderr captured as text)."""
    env = clean_env(**(extra_env or {}))
    return run(make_command(*args), env=env, cwd=cwd, timeout=timeout, umask=umask)


def project_copy(target: Path) -> tuple[Path, list[str]]:
    """Copy the project's build inputs to `target`; returns it and the make arguments that reuse this venv there
    (VENV) with an up-to-date stamp of its own (STAMP), so that nothing gets installed. The copy starts with this
    checkout's mypy cache, as a developer's checkout has one (`make lint` there: 2.4 s of CPU instead of 9.5 s)."""
    ignore = shutil.ignore_patterns("__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", "node_modules")
    for name in ("openapi", "generator", "generated", "overlays", "release"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    seed_mypy_cache(target / ".mypy_cache")
    shutil.copytree(ROOT / "docs", target / "docs", ignore=shutil.ignore_patterns("site"))  # `make test` builds it
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "README.md", "CHANGELOG.md", ".gitignore"):
        shutil.copy2(ROOT / name, target / name)
    reuse_node_tools(target)
    stamp = target.parent / f"{target.name}.stamp"
    stamp.touch()
    return target, [f"VENV={Path(sys.executable).parent.parent}", f"STAMP={stamp}"]


def seed_mypy_cache(target: Path) -> Path:
    """`target` as a copy of this checkout's mypy cache (an empty folder when there is none yet).

    `make lint` (run by `make test`, `make check` and `make publish` before any test) leaves .mypy_cache/ with the
    client and its dependencies checked: mypy --strict on one snippet then takes 0.3 s of CPU instead of 5 s. A copy,
    not the cache itself: the checkout stays read-only to tests, and parallel runs share nothing. mypy checks each
    cached module against its source and options, so a copy hides no error. Its cache files are replaced atomically:
    a copy taken while a `make lint` writes holds whole files.
    """
    cache = ROOT / ".mypy_cache"
    if cache.is_dir():
        shutil.copytree(cache, target)
    else:
        target.mkdir(parents=True)
    return target


def mypy_cache_args(folder: Path) -> list[str]:
    """mypy's `--cache-dir` option, to a seeded cache (`seed_mypy_cache`) under `folder`, a test's tmp_path."""
    return ["--cache-dir", str(seed_mypy_cache(folder / "mypy-cache"))]


def reuse_node_tools(target: Path) -> None:
    """Let the project at `target` use this checkout's installed Node tools (Spectral, Optic), as it reuses the venv:
    its generator/node_modules is a link to ours, and its package files get our mtimes, so that `make` there finds
    the tools up to date. (A `make` that found them stale would run `npm ci` through the link, emptying ours.)"""
    installed = ROOT / "generator" / "node_modules"
    tool = installed / ".bin" / "spectral"
    packages = [ROOT / "generator" / name for name in ("package.json", "package-lock.json")]
    assert tool.exists() and all(tool.stat().st_mtime >= p.stat().st_mtime for p in packages), (
        "the Node tools are not installed or stale here: run `make spec-lint` first"
    )
    for package in packages:
        os.utime(target / "generator" / package.name, ns=(package.stat().st_atime_ns, package.stat().st_mtime_ns))
    (target / "generator" / "node_modules").symlink_to(installed, target_is_directory=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Index:
    """A running pypiserver: its upload URL, simple root, package folder and the uploader's credentials."""

    url: str
    simple_url: str
    packages: Path
    username: str
    password: str
    pid: int

    def files(self) -> list[str]:
        """Names of the files the index holds."""
        return sorted(p.name for p in self.packages.iterdir())


@contextmanager
def pypiserver(workdir: Path, username: str = "release-bot", password: str = "e2e-secret") -> Iterator[Index]:
    """Start pypiserver on loopback (htpasswd auth for uploads, packages in `workdir`), stop it afterwards.

    Projects it does not hold are redirected to PyPI (pypiserver's default fallback), so a fresh venv that installs
    from it alone also finds the dependencies.
    """
    with warnings.catch_warnings():  # passlib imports the deprecated `crypt` module
        warnings.simplefilter("ignore", DeprecationWarning)
        from passlib.apache import HtpasswdFile

    packages = workdir / "packages"
    packages.mkdir(parents=True)
    htpasswd = HtpasswdFile(str(workdir / "htpasswd"), new=True)
    htpasswd.set_password(username, password)
    htpasswd.save()
    log = (workdir / "pypiserver.log").open("wb")
    for _attempt in range(3):  # another process may grab the free port before the server binds it
        port = free_port()
        server = subprocess.Popen(
            [BIN / "pypi-server", "run", "--host", "127.0.0.1", "--port", str(port),
             "--passwords", workdir / "htpasswd", "--authenticate", "update",
             "--backend", "simple-dir", "--fallback-url", "https://pypi.org/simple/", packages],
            stdout=log, stderr=subprocess.STDOUT, env=clean_env(), start_new_session=True,
        )  # fmt: skip
        healthy = False
        try:
            healthy = _wait_healthy(f"http://127.0.0.1:{port}/health", server)
        finally:
            if not healthy:
                end_group(server)
        if healthy:
            break
    else:
        log.close()
        raise RuntimeError(f"pypiserver did not start: {(workdir / 'pypiserver.log').read_text(errors='replace')}")
    try:
        yield Index(
            f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/simple/", packages, username, password, server.pid
        )
    finally:
        end_group(server)
        log.close()


def _wait_healthy(url: str, server: subprocess.Popen[Any], attempts: int = 200) -> bool:
    for _ in range(attempts):
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    return False


if __name__ == "__main__":  # .ci/run: `python tests/release/_support.py leftovers TOKEN`
    if sys.argv[1:2] != ["leftovers"] or len(sys.argv) != 3:
        sys.exit("usage: _support.py leftovers TOKEN")
    remaining = leftovers(sys.argv[2])
    for line in remaining:
        print(f"still running after the run ended: {line}", file=sys.stderr)
    for line in remaining:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line.split()[0]), signal.SIGKILL)
    sys.exit(1 if remaining else 0)
