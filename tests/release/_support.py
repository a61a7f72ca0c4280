"""Helpers of the release tests: generator/release.py as a module, `make` in a clean environment, pypiserver."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MAKE = shutil.which("make") or "make"

# Variables of an enclosing `make test` / pytest run that must not leak into the `make` or pytest we start.
_LEAKY = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")


def load_release() -> ModuleType:
    """generator/release.py, imported under a private name (generator/ is not a package)."""
    spec = importlib.util.spec_from_file_location("_partner_api_release", ROOT / "generator" / "release.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without make's and pytest's own variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY and not k.startswith("TWINE_")}
    env.update(extra)
    return env


def make(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path = ROOT, timeout: float = 300, umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `make ARGS` in `cwd` and return the finished process (stdout and stderr captured as text)."""
    return subprocess.run(
        [MAKE, "--no-print-directory", *args],
        cwd=cwd, env=dict(env) if env is not None else clean_env(),
        capture_output=True, text=True, timeout=timeout, check=False,
        preexec_fn=None if umask is None else lambda: os.umask(umask),
    )  # fmt: skip


def project_copy(target: Path) -> tuple[Path, list[str]]:
    """Copy the project's build inputs to `target`; returns it and the make arguments that reuse this venv there
    (VENV) with an up-to-date stamp of its own (STAMP), so that nothing gets installed."""
    ignore = shutil.ignore_patterns("__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache")
    for name in ("openapi", "generator", "generated", "overlays"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "README.md", ".gitignore"):
        shutil.copy2(ROOT / name, target / name)
    stamp = target.parent / f"{target.name}.stamp"
    stamp.touch()
    return target, [f"VENV={Path(sys.executable).parent.parent}", f"STAMP={stamp}"]


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
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        if _wait_healthy(f"http://127.0.0.1:{port}/health", server):
            break
        _stop(server)
    else:
        log.close()
        raise RuntimeError(f"pypiserver did not start: {(workdir / 'pypiserver.log').read_text(errors='replace')}")
    try:
        yield Index(f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/simple/", packages, username, password)
    finally:
        _stop(server)
        log.close()


def _wait_healthy(url: str, server: subprocess.Popen[bytes], attempts: int = 200) -> bool:
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


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)
