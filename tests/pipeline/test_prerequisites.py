"""`make prerequisites` on a machine that lacks a tool: a clear message naming the tool and how to get it.

Each case runs the real Makefile with a PATH that holds make, sh and awk, python3 (this interpreter), and the Node
and Java tools the case gives: the machine's own, none, or a stand-in that answers as an old version would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OLD = {
    "node": "#!/bin/sh\nexit 1\n",  # `node -e 'process.exit(major < 20 ? 1 : 0)'` on node 18
    "java": "#!/bin/sh\necho '    java.specification.version = 1.8' >&2\n",  # -XshowSettings on java 8
}


def _tools(tmp_path: Path, tools: dict[str, str]) -> Path:
    """A folder for PATH: make, sh, awk, python3 and `tools` ("real": the machine's, else a script)."""
    path = tmp_path / "bin"
    path.mkdir()
    links = {**{name: shutil.which(name) for name in ("make", "sh", "awk")}, "python3": sys.executable}
    for name, kind in tools.items():
        if kind == "real":
            links[name] = shutil.which(name)
        else:
            _script(path / name, kind)
    for name, target in links.items():
        assert target is not None, f"{name} is not installed here"
        (path / name).symlink_to(target)
    return path


def _script(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _make(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """This checkout's `make ARGS` with only `path` on PATH."""
    return subprocess.run(
        [str(path / "make"), "--no-print-directory", "-C", str(ROOT), *args],
        env={"PATH": str(path), "HOME": str(path.parent), "LANG": "C.UTF-8"}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def _prerequisites(tmp_path: Path, target: str, tools: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _make(_tools(tmp_path, tools), target)


REAL = {"node": "real", "npm": "real", "java": "real"}


@pytest.mark.parametrize(
    ("tools", "message"),
    [
        ({"npm": "real", "java": "real"}, "make test: needs node 20 or newer with npm"),
        ({**REAL, "node": OLD["node"]}, "make test: needs node 20 or newer with npm"),
        ({"node": "real", "java": "real"}, "make test: needs npm"),
        ({"node": "real", "npm": "real"}, "make test: needs java 11 or newer, for openapi-generator"),
        ({**REAL, "java": OLD["java"]}, "make test: needs java 11 or newer, for openapi-generator"),
    ],
    ids=["no node", "old node", "no npm", "no java", "old java"],
)
def test_a_missing_or_old_tool_is_named(tmp_path: Path, tools: dict[str, str], message: str) -> None:
    done = _prerequisites(tmp_path, "prerequisites", tools)
    assert done.returncode != 0
    assert message in done.stderr, done.stderr
    assert "apt-get install" in done.stderr  # and how to get it


def test_every_tool_present_passes(tmp_path: Path) -> None:
    done = _prerequisites(tmp_path, "prerequisites", REAL)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_make_test_checks_them_before_anything_else(tmp_path: Path) -> None:
    # No java: `make test` stops at its prerequisites, before it builds or runs anything.
    done = _prerequisites(tmp_path, "test", {"node": "real", "npm": "real"})
    assert done.returncode != 0
    assert "make test: needs java 11 or newer" in done.stderr
    assert "generated/ is up to date" not in done.stdout


def test_python_is_checked_for_every_target(tmp_path: Path) -> None:
    path = _tools(tmp_path, {})
    assert _make(path, "python-prerequisite").returncode == 0
    (path / "python3").unlink()
    _script(path / "python3", "#!/bin/sh\nexit 1\n")  # python 3.9 fails the version check
    done = _make(path, "venv", f"STAMP={tmp_path / 'stamp'}")
    assert done.returncode != 0
    assert "make: needs python3 3.10 or newer" in done.stderr, done.stderr
    assert "-m venv" not in done.stdout  # the check comes before the venv is made
